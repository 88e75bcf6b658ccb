//! The start screen: who this device is and whether it reaches its sync server.

use lastmile_protocol::ui::{AppStatus, ServerReach, UiError};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::components::status_card::StatusCard;

#[component]
pub fn Home() -> impl IntoView {
    let status = RwSignal::new(None::<Result<AppStatus, UiError>>);
    let reach = RwSignal::new(None::<Result<ServerReach, UiError>>);

    let refresh = move || {
        reach.set(None);
        spawn_local(async move {
            status.set(Some(api::app_status().await));
            reach.set(Some(api::check_server().await));
        });
    };
    refresh();

    view! {
        <main class="app">
            <header class="topbar">
                <h1 data-testid="app-title">"Lastmile"</h1>
            </header>
            <StatusCard reach=reach />
            <section class="card" data-testid="device">
                {move || match status.get() {
                    None => view! { <p>"Opening the local database…"</p> }.into_any(),
                    Some(Ok(s)) => view! {
                        <p>"Device " <code data-testid="install-id">{s.install_id}</code></p>
                        <p>"Local database ready (schema " <span data-testid="schema-version">{s.schema_version}</span> ")"</p>
                        <p class="muted">"App " {s.app_version}</p>
                    }.into_any(),
                    Some(Err(e)) => view! {
                        <p class="error" data-testid="device-error">{e.message}</p>
                    }.into_any(),
                }}
            </section>
            <button class="primary" data-testid="retry" on:click=move |_| refresh()>"Check again"</button>
        </main>
    }
}
