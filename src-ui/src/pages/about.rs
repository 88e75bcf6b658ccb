//! About: the app's version and licence, this installation's id, the database schema, the
//! sync server — the facts support asks for — the credits for the map data the app ships,
//! and the display settings (high contrast, language).

use leptos::prelude::*;

use crate::api;
use crate::app::{LangPicker, Previous, Settings};
use crate::components::error_box::ErrorBox;
use crate::i18n::use_i18n;

/// The app's licence (the workspace's `license` field).
const LICENCE: &str = env!("CARGO_PKG_LICENSE");

#[component]
pub fn AboutPage() -> impl IntoView {
    let i18n = use_i18n();
    let previous = expect_context::<Previous>();
    let settings = expect_context::<Settings>();
    let status = LocalResource::new(api::app_status);

    view! {
        <section data-testid="about">
            <h2>{move || i18n.t("about-title")}</h2>
            <section class="card">
                <h3>{move || i18n.t("about-display")}</h3>
                <button class="secondary big" data-testid="about-contrast"
                    aria-pressed=move || settings.high_contrast.get().to_string()
                    on:click=move |_| settings.toggle_contrast()>
                    {move || if settings.high_contrast.get() { i18n.t("theme-contrast_on") } else { i18n.t("theme-contrast_off") }}
                </button>
                <button class="secondary big" data-testid="about-gloves"
                    aria-pressed=move || settings.gloves.get().to_string()
                    on:click=move |_| settings.toggle_gloves()>
                    {move || if settings.gloves.get() { i18n.t("theme-gloves_on") } else { i18n.t("theme-gloves_off") }}
                </button>
                <label>{move || i18n.t("lang-label")}
                    <LangPicker testid="about-lang" class="big" />
                </label>
            </section>
            <section class="card" data-testid="about-facts">
                <Suspense fallback=move || view! { <p class="muted">{i18n.t("device-opening")}</p> }>
                {move || status.get().map(|loaded| match loaded {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(s) => view! {
                        <dl class="facts">
                            <dt>{i18n.t("about-version")}</dt>
                            <dd data-testid="about-version">{s.app_version}</dd>
                            <dt>{i18n.t("about-install_id")}</dt>
                            <dd><code data-testid="about-install-id">{s.install_id}</code></dd>
                            <dt>{i18n.t("about-schema")}</dt>
                            <dd data-testid="about-schema">{s.schema_version}</dd>
                            <dt>{i18n.t("about-server")}</dt>
                            <dd data-testid="about-server">{s.server_url.unwrap_or_else(|| i18n.t("conn-not_configured"))}</dd>
                        </dl>
                    }.into_any(),
                })}
                </Suspense>
            </section>
            <section class="card" data-testid="about-credits">
                <h3>{move || i18n.t("about-credits")}</h3>
                <p data-testid="osm-credit">{move || i18n.t("about-osm")}</p>
                <p class="muted">"openstreetmap.org/copyright · opendatacommons.org/licenses/odbl/1-0/"</p>
                <h3>{move || i18n.t("about-licence")}</h3>
                <p data-testid="about-licence">{move || i18n.tf("about-licence_text", &[("licence", LICENCE.into())])}</p>
            </section>
            <button class="primary" data-testid="about-back" on:click=move |_| previous.go_back()>
                {move || i18n.t("about-back")}
            </button>
        </section>
    }
}
