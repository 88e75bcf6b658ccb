//! The Lastmile user interface: Leptos 0.8 in client-side rendering mode, compiled to wasm32
//! and embedded in the Tauri shell. It talks to the shell only through [`api`] and the
//! protocol crate's types; it never sees SQLite, the store or the sync engine.

pub mod api;
pub mod app;
pub mod components;
pub mod format;
pub mod geo;
pub mod i18n;
pub mod overview;
pub mod pages;
pub mod perf;

/// Mounts the app on `<body>`; called from `index.html`'s module script via wasm-bindgen.
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    perf::mark("ui_start");
    perf::mark_when_shown(
        "tour_ready",
        "[data-testid=stop], [data-testid=tour-summary]",
    );
    leptos::mount::mount_to_body(app::App);
}
