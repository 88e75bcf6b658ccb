//! Sign-in: the mode (driver, station tablet, ride-along), the person's ID and PIN (and the
//! enrolment code when the device is new), with the device's connection state below so a
//! driver can tell "wrong PIN" from "no signal".

use lastmile_protocol::auth::Role;
use lastmile_protocol::ui::{SessionState, SignInArgs};
use leptos::prelude::*;

use crate::api;
use crate::app::{Nav, Screen};
use crate::components::error_box::ErrorBox;
use crate::components::status_card::StatusCard;
use crate::i18n::use_i18n;

#[component]
pub fn SignIn() -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    let role = RwSignal::new(Role::Driver);
    let user = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    // "Check again" asks the device, the server and the saved sign-in afresh.
    let retry = Trigger::new();
    let status = LocalResource::new(move || {
        retry.track();
        api::app_status()
    });
    let reach = LocalResource::new(move || {
        retry.track();
        api::check_server()
    });
    let session = LocalResource::new(move || {
        retry.track();
        api::session_state()
    });
    let needs_code = move || {
        session
            .get()
            .and_then(Result::ok)
            .is_none_or(|s| s.device_id.is_none() && !s.enrolment_preset)
    };
    // The last sign-in's mode and id, prefilled.
    Effect::new(move |_| {
        if let Some(Ok(s)) = session.get() {
            if let Some(r) = s.role {
                role.set(r);
            }
            if let Some(d) = s.user_id {
                user.set(d);
            }
        }
    });

    let sign_in = Action::new_local(|args: &SignInArgs| api::sign_in(args.clone()));
    Effect::new(move |_| {
        if let Some(Ok(SessionState {
            role: signed_in_as,
            has_tour,
            ..
        })) = sign_in.value().get()
        {
            pin.set(String::new());
            nav.screen.set(Screen::landing(
                signed_in_as.unwrap_or(Role::Driver),
                has_tour,
            ));
        }
    });
    let busy = sign_in.pending();
    let error = move || sign_in.value().get().and_then(Result::err);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sign_in.dispatch(SignInArgs {
            role: role.get_untracked(),
            user_id: user.get_untracked(),
            pin: pin.get_untracked(),
            enrolment_code: Some(code.get_untracked()).filter(|c| !c.trim().is_empty()),
        });
    };
    let id_label = move || match role.get() {
        Role::Driver => i18n.t("signin-driver_id"),
        Role::Flex => i18n.t("offers-signin-flex_id"),
        Role::Station => i18n.t("signin-lead_id"),
        Role::Supervisor => i18n.t("signin-supervisor_id"),
    };
    let mode = move |r: Role, testid: &'static str, key: &'static str| {
        view! {
            <button type="button" class="mode" data-testid=testid
                aria-pressed=move || (role.get() == r).to_string()
                on:click=move |_| role.set(r)>{move || i18n.t(key)}</button>
        }
    };

    view! {
        <form class="card form" data-testid="sign-in-form" on:submit=submit>
            <h2>{move || i18n.t("signin-title")}</h2>
            <fieldset class="modes" data-testid="sign-in-mode">
                <legend>{move || i18n.t("signin-mode")}</legend>
                {mode(Role::Driver, "mode-driver", "signin-mode-driver")}
                {mode(Role::Station, "mode-station", "signin-mode-station")}
                {mode(Role::Supervisor, "mode-supervisor", "signin-mode-supervisor")}
                {mode(Role::Flex, "mode-flex", "offers-signin-mode-flex")}
            </fieldset>
            <label>{id_label}
                <input data-testid="driver-id" dir="ltr" autocomplete="username" autocapitalize="characters"
                    prop:value=move || user.get() on:input=move |ev| user.set(event_target_value(&ev)) />
            </label>
            <label>{move || i18n.t("signin-pin")}
                <input data-testid="pin" dir="ltr" type="password" inputmode="numeric" autocomplete="current-password"
                    prop:value=move || pin.get() on:input=move |ev| pin.set(event_target_value(&ev)) />
            </label>
            <Show when=needs_code>
                <label>{move || i18n.t("signin-enrolment_code")}
                    <input data-testid="enrolment-code" dir="ltr" autocapitalize="characters"
                        prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev)) />
                </label>
            </Show>
            <button class="primary" type="submit" data-testid="sign-in" disabled=move || busy.get()>
                {move || if busy.get() { i18n.t("signin-busy") } else { i18n.t("signin-submit") }}
            </button>
        </form>
        {move || error().map(|e| view! { <ErrorBox error=e /> })}
        <StatusCard reach=reach />
        <section class="card" data-testid="device">
            {move || match status.get() {
                None => view! { <p>{i18n.t("device-opening")}</p> }.into_any(),
                Some(Ok(s)) => view! {
                    <p>{i18n.t("device-label")} " " <code data-testid="install-id">{s.install_id}</code></p>
                    <p data-testid="schema-version" data-schema=s.schema_version>{i18n.tf("device-ready", &[("schema", s.schema_version.into())])}</p>
                    <p class="muted">{i18n.t("device-app")} " " {s.app_version}</p>
                }.into_any(),
                Some(Err(e)) => view! {
                    <div data-testid="device-error"><ErrorBox error=e /></div>
                }.into_any(),
            }}
        </section>
        <button class="secondary big" data-testid="retry" on:click=move |_| retry.notify()>{move || i18n.t("conn-retry")}</button>
    }
}
