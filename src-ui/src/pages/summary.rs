//! The end-of-tour summary: what was delivered, what failed, what was not attempted, the
//! notification cards used and left, the returns on board and any conflicts with dispatch —
//! and, in one sentence, what goes back to the station.

use lastmile_protocol::ui::{ConflictUi, DaySummaryUi, UiError};
use leptos::prelude::*;

use crate::api;
use crate::app::{Nav, Screen};
use crate::components::error_box::ErrorBox;
use crate::i18n::use_i18n;

#[component]
pub fn SummaryPage() -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    // Loads again after every action (an undo from the banner changes the figures).
    let summary = LocalResource::new(move || {
        nav.changed.track();
        api::end_of_day()
    });

    view! {
        <section data-testid="summary">
            <h2>{move || i18n.t("summary-title")}</h2>
            <Transition fallback=|| view! { <p class="muted">"…"</p> }>
                {move || summary.get().map(|loaded| match loaded {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(s) => view! { <SummaryCard summary=s /> }.into_any(),
                })}
            </Transition>
            <Conflicts />
            <crate::pages::station::phone::PhoneCheckInCode />
            <crate::pages::station::phone::MyDays />
            <crate::components::evidence::EvidenceExport />
            <button class="secondary big" data-testid="summary-back" on:click=move |_| nav.screen.set(Screen::Tour)>
                {move || i18n.t("summary-back")}
            </button>
        </section>
    }
}

/// `summary`: the store's end-of-day figures.
#[component]
fn SummaryCard(summary: DaySummaryUi) -> impl IntoView {
    let i18n = use_i18n();
    let s = summary;
    let finished = s.stops_done >= s.stops_total;
    let back_parcels = s.failed + s.not_attempted;
    // (test id, catalog key, value, class when it needs attention)
    let rows = [
        ("delivered", "summary-delivered", s.delivered, "ok"),
        ("failed", "summary-failed", s.failed, "warn"),
        (
            "not-attempted",
            "summary-not_attempted",
            s.not_attempted,
            "warn",
        ),
        ("cards-used", "summary-cards_used", s.cards_used, ""),
        ("cards-unused", "summary-cards_unused", s.cards_unused, ""),
        ("returns", "summary-returns", s.returns_on_board, ""),
        ("conflicts", "summary-conflicts", s.conflicts, "error"),
    ];
    view! {
        <section class="card" data-testid="summary-card">
            <p data-testid="summary-stops" data-done=s.stops_done data-total=s.stops_total>
                {move || i18n.tf("summary-stops", &[
                    ("done", s.stops_done.into()),
                    ("total", s.stops_total.into()),
                ])}
            </p>
            {if finished {
                view! { <p class="ok" data-testid="summary-finished">{move || i18n.t("summary-finished")}</p> }.into_any()
            } else {
                view! { <p class="warn" data-testid="summary-open">{move || i18n.t("summary-not_finished")}</p> }.into_any()
            }}
            <dl class="figures">
                {rows.into_iter().map(|(id, key, value, attention)| {
                    let class = if value > 0 { attention } else { "" };
                    view! {
                        <div class="figure" data-testid=format!("summary-{id}") data-value=value>
                            <dt>{move || i18n.t(key)}</dt>
                            <dd class=class>{value}</dd>
                        </div>
                    }
                }).collect_view()}
            </dl>
        </section>
        <section class="card handback" data-testid="summary-handback">
            <h3>{move || i18n.t("summary-handback_title")}</h3>
            <p>{move || i18n.tf("summary-handback", &[
                ("parcels", back_parcels.into()),
                ("returns", s.returns_on_board.into()),
                ("cards", s.cards_unused.into()),
            ])}</p>
            {(s.conflicts > 0).then(|| view! {
                <p class="error" data-testid="summary-conflicts-hint">{move || i18n.t("summary-conflicts_hint")}</p>
            })}
        </section>
    }
}

/// The catalog key of what dispatch changed.
fn conflict_key(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "parcel_dropped" => "conflict-parcel_dropped",
        "parcel_moved" => "conflict-parcel_moved",
        "stop_removed" => "conflict-stop_removed",
        "address_corrected" => "conflict-address_corrected",
        "not_loaded" => "conflict-not_loaded",
        _ => return None,
    })
}

/// Each clash between dispatch's changes and what the driver recorded: what dispatch changed,
/// what the driver recorded, and "Seen" to acknowledge it (it then stays listed, greyed, and
/// no longer counts in the summary).
#[component]
fn Conflicts() -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    let list = LocalResource::new(move || {
        nav.changed.track();
        api::conflicts()
    });
    let ack = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            api::acknowledge_conflict(id).await?;
            nav.bump();
            Ok::<(), UiError>(())
        }
    });
    let error = move || ack.value().get().and_then(Result::err);
    view! {
        {move || list.get().map(|loaded| match loaded {
            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
            Ok(list) if list.is_empty() => ().into_any(),
            Ok(list) => view! {
                <section class="card" data-testid="conflicts">
                    <h3>{move || i18n.t("conflict-title")}</h3>
                    <ul class="conflicts">
                        {list.into_iter().map(|c| view! { <ConflictItem conflict=c ack=ack /> }).collect_view()}
                    </ul>
                </section>
            }.into_any(),
        })}
        {move || error().map(|e| view! { <ErrorBox error=e /> })}
    }
}

#[component]
fn ConflictItem(conflict: ConflictUi, ack: Action<i64, Result<(), UiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let c = conflict;
    let id = c.id;
    let what = {
        let (kind, detail, message) = (c.kind.clone(), c.detail.clone(), c.message.clone());
        move || match conflict_key(&kind) {
            Some(key) => i18n.tf(
                key,
                &[("detail", detail.clone().unwrap_or_default().into())],
            ),
            None => message.clone(),
        }
    };
    let state = if c.acknowledged {
        "acknowledged"
    } else {
        "open"
    };
    view! {
        <li class="conflict" class:muted=c.acknowledged data-testid="conflict" data-kind=c.kind.clone()
            data-state=state data-stop-id=c.stop_id.clone().unwrap_or_default()>
            <p><strong dir="auto">{c.address.clone().unwrap_or_default()}</strong>
                {c.tracking_id.clone().map(|t| view! { " · " <code>{t}</code> })}</p>
            <p class="error" data-testid="conflict-what">{what}</p>
            <p class="muted">{move || i18n.t("conflict-recorded")}</p>
            <ul data-testid="conflict-recorded">
                {c.recorded.iter().map(|r| view! { <li dir="auto">{r.clone()}</li> }).collect_view()}
            </ul>
            {(!c.acknowledged).then(|| view! {
                <button class="secondary big" data-testid="conflict-ack" disabled=move || ack.pending().get()
                    on:click=move |_| { ack.dispatch(id); }>{move || i18n.t("conflict-ack")}</button>
            })}
        </li>
    }
}
