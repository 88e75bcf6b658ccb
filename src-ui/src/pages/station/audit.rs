//! The station lead's audit trail (issue 16): who read which driver's proof (photos,
//! signatures), tour or day, and when, newest first, as the server logged it. A driver's own
//! reads are not in it. Online only (the log is the server's).

use lastmile_protocol::audit::{AuditEntry, AuditRead};
use lastmile_protocol::auth::Role;
use leptos::prelude::*;

use super::{Here, StationError, api};
use crate::format;
use crate::i18n::use_i18n;

#[component]
pub(crate) fn AuditScreen() -> impl IntoView {
    let i18n = use_i18n();
    let here = expect_context::<RwSignal<Here>>();
    let log = LocalResource::new(api::audit);
    view! {
        <section data-testid="audit">
            <div class="station-bar">
                <h3>{move || i18n.t("audit-title")}</h3>
                <button class="station-big" data-testid="audit-back"
                    on:click=move |_| here.set(Here::Board)>{move || i18n.t("station-back")}</button>
            </div>
            <p class="muted">{move || i18n.t("audit-intro")}</p>
            <Transition fallback=|| view! { <p class="muted">"…"</p> }>
                {move || log.get().map(|r| match r {
                    Ok(entries) if entries.is_empty() => view! {
                        <p class="muted" data-testid="audit-empty">{move || i18n.t("audit-empty")}</p>
                    }.into_any(),
                    Ok(entries) => view! {
                        <ul class="audit" data-testid="audit-entries">
                            {entries.into_iter().map(|e| view! { <Entry entry=e /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <StationError error=e /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

fn what_of(what: AuditRead) -> (&'static str, &'static str) {
    match what {
        AuditRead::Proof => ("audit-what-proof", "proof"),
        AuditRead::Tour => ("audit-what-tour", "tour"),
        AuditRead::Day => ("audit-what-day", "day"),
    }
}

fn role_key(role: Role) -> &'static str {
    match role {
        Role::Driver => "audit-role-driver",
        Role::Station => "audit-role-station",
        Role::Supervisor => "audit-role-supervisor",
        Role::Flex => "audit-role-flex",
    }
}

#[component]
fn Entry(entry: AuditEntry) -> impl IntoView {
    let i18n = use_i18n();
    let (what_key, what_attr) = what_of(entry.what);
    let role = role_key(entry.actor_role);
    let at = entry.at;
    let actor = entry.actor_id.clone();
    let driver = entry.driver_id.clone();
    let line = {
        let (actor, driver) = (actor.clone(), driver.clone());
        move || {
            i18n.tf(
                "audit-line",
                &[
                    ("who", actor.clone().into()),
                    ("role", i18n.t(role).into()),
                    ("what", i18n.t(what_key).into()),
                    ("driver", driver.clone().into()),
                ],
            )
        }
    };
    view! {
        <li class="card" data-testid="audit-entry" data-actor=move || actor.clone()
            data-driver=move || driver.clone() data-what=move || what_attr>
            <strong class="ltr">{move || format::time(at, i18n.lang.get())}</strong>
            " " {line} " "
            <code class="ltr">{entry.target.clone()}</code>
        </li>
    }
}
