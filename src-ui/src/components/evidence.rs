//! "Export my day": the driver's evidence bundle (issue 14). The driver picks a day still on
//! the device and a folder; the shell writes a signed ZIP there and the screen names the file
//! and the device key's fingerprint (what a verifier compares).

use lastmile_protocol::ui::{EvidenceExportUi, EvidenceUi, UiError};
use leptos::prelude::*;

use crate::api;
use crate::components::error_box::ErrorBox;
use crate::i18n::use_i18n;

#[component]
pub fn EvidenceExport() -> impl IntoView {
    let i18n = use_i18n();
    let loaded = LocalResource::new(api::evidence_days);
    view! {
        <section class="card" data-testid="evidence">
            <h3>{move || i18n.t("evidence-title")}</h3>
            <p class="muted">{move || i18n.t("evidence-hint")}</p>
            <Transition fallback=|| view! { <p class="muted">"…"</p> }>
                {move || loaded.get().map(|r| match r {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(ui) => view! { <ExportForm ui=ui /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ExportForm(ui: EvidenceUi) -> impl IntoView {
    let i18n = use_i18n();
    let day = RwSignal::new(
        ui.days
            .first()
            .map(|d| d.tour_id.clone())
            .unwrap_or_default(),
    );
    let folder = RwSignal::new(ui.folder.clone());
    let export = Action::new_local(move |(tour_id, folder): &(String, String)| {
        let (tour_id, folder) = (tour_id.clone(), folder.clone());
        async move { api::evidence_export(&tour_id, &folder).await }
    });
    let result = export.value();
    let fingerprint = ui.fingerprint.clone();
    if ui.days.is_empty() {
        return view! { <p class="muted" data-testid="evidence-none">{move || i18n.t("evidence-none")}</p> }
            .into_any();
    }
    view! {
        <label>{move || i18n.t("evidence-day")}
            <select data-testid="evidence-day" prop:value=move || day.get()
                on:change=move |ev| day.set(event_target_value(&ev))>
                {ui.days.iter().map(|d| {
                    let id = d.tour_id.clone();
                    let text = format!("{} · {} ({})", d.date, d.tour_id, d.events);
                    view! { <option value=id.clone() selected=move || day.get() == id>{text}</option> }
                }).collect_view()}
            </select>
        </label>
        <label>{move || i18n.t("evidence-folder")}
            <input data-testid="evidence-folder" dir="ltr" autocomplete="off"
                prop:value=move || folder.get()
                on:input=move |ev| folder.set(event_target_value(&ev)) />
        </label>
        <p class="muted">{move || i18n.t("evidence-key")} " "
            <code data-testid="evidence-fingerprint" dir="ltr">{fingerprint.clone()}</code></p>
        <button class="primary big" data-testid="evidence-export"
            disabled=move || export.pending().get()
            on:click=move |_| {
                export.dispatch((day.get_untracked(), folder.get_untracked()));
            }>
            {move || i18n.t("evidence-export")}
        </button>
        {move || result.get().map(|r: Result<EvidenceExportUi, UiError>| match r {
            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
            Ok(done) => {
                let files = done.files;
                view! {
                <p class="ok" data-testid="evidence-done">
                    {move || i18n.tf("evidence-done", &[("files", files.into())])} " "
                    <code data-testid="evidence-path" dir="ltr">{done.path}</code>
                </p>
            }.into_any()
            }
        })}
    }
    .into_any()
}
