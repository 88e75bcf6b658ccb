//! Shows whether the device reaches its sync server, in words a driver understands.

use lastmile_protocol::ui::{ServerReach, UiError};
use leptos::prelude::*;

use crate::components::error_box::ErrorBox;
use crate::i18n::use_i18n;

/// `reach`: the shell's `check_server`, "checking" while it is asked (again).
#[component]
pub fn StatusCard(reach: LocalResource<Result<ServerReach, UiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let checking = move || view! { <p data-state="checking">{i18n.t("conn-checking")}</p> };
    view! {
        <section class="card" data-testid="server-status">
            <Suspense fallback=checking>
            {move || match reach.get() {
                None => checking().into_any(),
                Some(Ok(ServerReach::Connected { server_version, backend, .. })) => view! {
                    <p class="ok" data-state="connected">{i18n.t("conn-connected")}</p>
                    <p class="muted">{i18n.tf("conn-server", &[("version", server_version.into()), ("backend", backend.into())])}</p>
                }.into_any(),
                Some(Ok(ServerReach::Unreachable { reason })) => view! {
                    <p class="warn" data-state="offline">{i18n.t("conn-offline")}</p>
                    <p class="muted">{reason}</p>
                }.into_any(),
                Some(Ok(ServerReach::NotConfigured)) => view! {
                    <p class="warn" data-state="not-configured">{i18n.t("conn-not_configured")}</p>
                }.into_any(),
                Some(Err(e)) => view! {
                    <div data-state="error"><ErrorBox error=e /></div>
                }.into_any(),
            }}
            </Suspense>
        </section>
    }
}
