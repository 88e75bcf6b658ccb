//! Close-out: the day's figures (delivered, failed with their cards, returns, parcels back,
//! cards issued / used / returned / missing, discrepancies with their explanations,
//! inspections), signed by the driver and by the lead on the same pad as a proof of
//! delivery. Once signed it cannot change; signing again records a correction.

use lastmile_protocol::station::{CloseOutSummary, StationDayUi};
use lastmile_protocol::ui::UiError;
use leptos::prelude::*;

use super::day::DayCtx;
use super::{StationError, api};
use crate::components::signature::{PadHandle, SignaturePad};
use crate::i18n::use_i18n;

#[component]
pub(crate) fn CloseOutStep() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = expect_context::<DayCtx>();
    let driver_pad = PadHandle::new();
    let lead_pad = PadHandle::new();
    let sign = Action::new_local(move |_: &()| {
        let day = ctx.day.get_untracked();
        let (driver_sig, lead_sig) = (driver_pad.signature(), lead_pad.signature());
        async move {
            let day = day.ok_or_else(|| UiError {
                code: "station.not_loaded".into(),
                message: String::new(),
            })?;
            let blank = |who: &str| UiError {
                code: "station.blank_signature".into(),
                message: who.to_owned(),
            };
            let driver_sig = driver_sig.ok_or_else(|| blank("driver"))?;
            let lead_sig = lead_sig.ok_or_else(|| blank("lead"))?;
            api::close_out(
                day.day.row.tour_id,
                day.day.row.driver_id,
                driver_sig,
                lead_sig,
            )
            .await
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(d)) = sign.value().get() {
            ctx.day.set(Some(d));
        }
    });
    view! {
        <section class="card" data-testid="station-closeout">
            <h3>{move || i18n.t("station-closeout-title")}</h3>
            {move || ctx.day.get().map(|d| view! { <Figures day=d /> })}
            {move || ctx.day.get().filter(|d| d.day.close_out.is_none() && !d.close_out_pending).map(|_| view! {
                <div class="pads">
                    <div data-testid="station-sign-driver">
                        <p><strong>{move || i18n.t("station-closeout-driver_signs")}</strong></p>
                        <SignaturePad pad=driver_pad />
                    </div>
                    <div data-testid="station-sign-lead">
                        <p><strong>{move || i18n.t("station-closeout-lead_signs")}</strong></p>
                        <SignaturePad pad=lead_pad />
                    </div>
                </div>
                <button class="primary station-big" data-testid="station-sign" disabled=move || sign.pending().get()
                    on:click=move |_| { sign.dispatch(()); }>{move || i18n.t("station-closeout-sign")}</button>
            })}
            {move || sign.value().get().and_then(Result::err).map(|e| view! { <StationError error=e /> })}
        </section>
    }
}

#[component]
fn Figures(day: StationDayUi) -> impl IntoView {
    let i18n = use_i18n();
    let signed = day.day.close_out.clone();
    let s: CloseOutSummary = signed
        .as_ref()
        .map_or_else(|| day.day.summary.clone(), |c| c.summary.clone());
    let line = move |key: &'static str, n: u32, attr: &'static str| {
        view! { <tr data-testid="station-figure" data-figure=move || attr data-n=move || n><th>{move || i18n.t(key)}</th><td>{n}</td></tr> }
    };
    let failed_cards = signed
        .as_ref()
        .map(|c| c.failed_cards.clone())
        .unwrap_or_default();
    let unexplained = day
        .day
        .discrepancies
        .iter()
        .filter(|d| d.explanation.is_none())
        .count() as u32;
    view! {
        <table class="figures" data-testid="station-summary">
            {line("station-figure-planned", s.parcels_planned, "parcels_planned")}
            {line("station-figure-loaded", s.parcels_loaded, "parcels_loaded")}
            {line("station-figure-not_loaded", s.parcels_not_loaded, "parcels_not_loaded")}
            {line("station-figure-delivered", s.delivered, "delivered")}
            {line("station-figure-failed", s.failed, "failed")}
            {line("station-figure-returns", s.returns_picked_up, "returns_picked_up")}
            {line("station-figure-back", s.parcels_back, "parcels_back")}
            {line("station-figure-cards_issued", s.cards_issued, "cards_issued")}
            {line("station-figure-cards_used", s.cards_used, "cards_used")}
            {line("station-figure-cards_returned", s.cards_returned, "cards_returned")}
            {line("station-figure-cards_missing", s.cards_missing, "cards_missing")}
            {line("station-figure-discrepancies", s.discrepancies, "discrepancies")}
            {line("station-figure-inspections", s.inspections, "inspections")}
            {line("station-figure-defects", s.defects_found, "defects_found")}
        </table>
        {(!failed_cards.is_empty()).then(|| view! {
            <p class="muted" data-testid="station-failed-cards">{move || i18n.t("station-closeout-failed_cards")} " " {failed_cards.join(", ")}</p>
        })}
        {(unexplained > 0 && signed.is_none()).then(|| view! {
            <p class="warn" data-testid="station-unexplained">{move || i18n.tf("station-closeout-unexplained", &[("n", unexplained.into())])}</p>
        })}
        {day.close_out_pending.then(|| view! { <p class="ok" data-testid="station-closeout-pending">{move || i18n.t("station-closeout-pending")}</p> })}
        {signed.map(|c| {
            let version = c.version;
            view! { <p class="ok" data-testid="station-closed" data-version=move || version>{move || i18n.tf("station-closeout-signed", &[("version", version.into())])}</p> }
        })}
    }
}
