//! Sign-in: driver ID and PIN (and the enrolment code when the device is new), with the
//! device's connection state below so a driver can tell "wrong PIN" from "no signal".

use lastmile_protocol::ui::{AppStatus, ServerReach, SignInArgs, UiError};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::app::{Nav, Screen};
use crate::components::error_box::ErrorBox;
use crate::components::status_card::StatusCard;
use crate::i18n::use_i18n;

#[component]
pub fn SignIn() -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    let status = RwSignal::new(None::<Result<AppStatus, UiError>>);
    let reach = RwSignal::new(None::<Result<ServerReach, UiError>>);
    let driver = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let needs_code = RwSignal::new(true);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<UiError>);

    let refresh = move || {
        reach.set(None);
        spawn_local(async move {
            status.set(Some(api::app_status().await));
            reach.set(Some(api::check_server().await));
            if let Ok(s) = api::session_state().await {
                needs_code.set(s.device_id.is_none() && !s.enrolment_preset);
                if let Some(d) = s.driver_id {
                    driver.set(d);
                }
            }
        });
    };
    refresh();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let args = SignInArgs {
            driver_id: driver.get_untracked(),
            pin: pin.get_untracked(),
            enrolment_code: Some(code.get_untracked()).filter(|c| !c.trim().is_empty()),
        };
        spawn_local(async move {
            match api::sign_in(args).await {
                Ok(s) => {
                    pin.set(String::new());
                    nav.screen.set(if s.has_tour {
                        Screen::Stop(None)
                    } else {
                        Screen::Tour
                    });
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };

    view! {
        <form class="card form" data-testid="sign-in-form" on:submit=submit>
            <h2>{move || i18n.t("signin-title")}</h2>
            <label>{move || i18n.t("signin-driver_id")}
                <input data-testid="driver-id" dir="ltr" autocomplete="username" autocapitalize="characters"
                    prop:value=move || driver.get() on:input=move |ev| driver.set(event_target_value(&ev)) />
            </label>
            <label>{move || i18n.t("signin-pin")}
                <input data-testid="pin" dir="ltr" type="password" inputmode="numeric" autocomplete="current-password"
                    prop:value=move || pin.get() on:input=move |ev| pin.set(event_target_value(&ev)) />
            </label>
            <Show when=move || needs_code.get()>
                <label>{move || i18n.t("signin-enrolment_code")}
                    <input data-testid="enrolment-code" dir="ltr" autocapitalize="characters"
                        prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev)) />
                </label>
            </Show>
            <button class="primary" type="submit" data-testid="sign-in" disabled=move || busy.get()>
                {move || if busy.get() { i18n.t("signin-busy") } else { i18n.t("signin-submit") }}
            </button>
        </form>
        {move || error.get().map(|e| view! { <ErrorBox error=e /> })}
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
        <button class="secondary big" data-testid="retry" on:click=move |_| refresh()>{move || i18n.t("conn-retry")}</button>
    }
}
