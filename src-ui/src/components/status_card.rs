//! Shows whether the device reaches its sync server, in words a driver understands.

use lastmile_protocol::ui::{ServerReach, UiError};
use leptos::prelude::*;

/// `reach`: the latest answer of the shell's `check_server`; `None` while asking.
#[component]
pub fn StatusCard(reach: RwSignal<Option<Result<ServerReach, UiError>>>) -> impl IntoView {
    view! {
        <section class="card" data-testid="server-status">
            {move || match reach.get() {
                None => view! { <p data-state="checking">"Checking the connection…"</p> }.into_any(),
                Some(Ok(ServerReach::Connected { server_version, backend, .. })) => view! {
                    <p class="ok" data-state="connected">"● Connected to the sync server"</p>
                    <p class="muted">"Server " {server_version} " (" {backend} ")"</p>
                }.into_any(),
                Some(Ok(ServerReach::Unreachable { reason })) => view! {
                    <p class="warn" data-state="offline">"● Offline — your work is saved on this device and will be sent later"</p>
                    <p class="muted">{reason}</p>
                }.into_any(),
                Some(Ok(ServerReach::NotConfigured)) => view! {
                    <p class="warn" data-state="not-configured">"No sync server configured"</p>
                }.into_any(),
                Some(Err(e)) => view! {
                    <p class="error" data-state="error">{e.message}</p>
                }.into_any(),
            }}
        </section>
    }
}
