//! Load-out (morning) and return to station (evening): scan or type each parcel. Load-out
//! shows scanned / expected and what is still missing by stop (each can be marked not
//! loaded); the tablet refuses a parcel of another tour and names whose it is. Return lists
//! what is still expected back, the discrepancies to explain, and counts unused cards back.

use lastmile_protocol::events::EventBody;
use lastmile_protocol::station::{CardRange, DayParcel, NotLoadedReason};
use leptos::prelude::*;

use super::day::DayCtx;
use crate::i18n::use_i18n;

/// A scan field: a scanner types the number and Enter, a person types and taps the button.
fn scan_field(
    testid: &'static str,
    value: RwSignal<String>,
    on_scan: impl Fn(String) + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let v = value.get_untracked().trim().to_owned();
        if !v.is_empty() {
            on_scan(v);
            value.set(String::new());
        }
    };
    view! {
        <form class="entry-row" on:submit=submit>
            <label>{move || i18n.t("station-scan-label")}
                <input data-testid=testid autocomplete="off" autocapitalize="characters" spellcheck="false"
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) /></label>
            <button type="submit" class="primary" data-testid=format!("{testid}-submit")>{move || i18n.t("station-scan-submit")}</button>
        </form>
    }
}

#[component]
pub(crate) fn LoadOutStep() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = expect_context::<DayCtx>();
    let entry = RwSignal::new(String::new());
    let on_scan = move |tracking_id: String| {
        ctx.record(EventBody::ParcelLoaded {
            driver_id: ctx.driver(),
            tracking_id,
        });
    };
    let counts = move || {
        ctx.day
            .get()
            .map(|d| (d.day.row.parcels_loaded, d.day.row.parcels_expected))
            .unwrap_or_default()
    };
    view! {
        <section class="card" data-testid="station-loadout">
            <h3>{move || i18n.t("station-loadout-title")}</h3>
            <p class="big" data-testid="station-loadout-progress" data-loaded=move || counts().0 data-expected=move || counts().1>
                {move || i18n.tf("station-board-loaded", &[("loaded", counts().0.into()), ("expected", counts().1.into())])}
            </p>
            {scan_field("loadscan", entry, on_scan)}
            <h3>{move || i18n.t("station-loadout-missing")}</h3>
            <ul class="parcels" data-testid="station-missing">
                {move || ctx.day.get().map(|d| {
                    let missing: Vec<DayParcel> = d.day.parcels.into_iter()
                        .filter(|p| !p.is_return && !p.loaded && p.not_loaded.is_none()).collect();
                    missing.into_iter().map(|p| view! { <Missing parcel=p /> }).collect_view()
                })}
            </ul>
            {move || ctx.day.get().map(|d| {
                let kept: Vec<DayParcel> = d.day.parcels.into_iter().filter(|p| p.not_loaded.is_some()).collect();
                (!kept.is_empty()).then(|| view! {
                    <h3>{move || i18n.t("station-loadout-not_loaded")}</h3>
                    <ul class="parcels">{kept.into_iter().map(|p| {
                        let key = match p.not_loaded { Some(NotLoadedReason::Damaged) => "station-reason-damaged", _ => "station-reason-missing_at_station" };
                        view! { <li data-testid="station-not-loaded" data-tracking={let v = p.tracking_id.clone(); move || v.clone()}><code>{p.tracking_id.clone()}</code> " · " {move || i18n.t(key)}</li> }
                    }).collect_view()}</ul>
                })
            })}
        </section>
    }
}

#[component]
fn Missing(parcel: DayParcel) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = expect_context::<DayCtx>();
    let tracking = parcel.tracking_id.clone();
    let mark = move |reason: NotLoadedReason| {
        let tracking_id = tracking.clone();
        move |_| {
            ctx.record(EventBody::ParcelNotLoaded {
                driver_id: ctx.driver(),
                tracking_id: tracking_id.clone(),
                reason,
            });
        }
    };
    let seq = parcel.stop_sequence;
    view! {
        <li class="stopline" data-testid="station-missing-parcel" data-tracking={let v = parcel.tracking_id.clone(); move || v.clone()} data-stop={let v = parcel.stop_id.clone(); move || v.clone()}>
            <span class="seq">{seq}</span>
            <span class="addr"><code>{parcel.tracking_id.clone()}</code></span>
            <button class="secondary" data-testid="station-not-loaded-missing" on:click=mark(NotLoadedReason::MissingAtStation)>
                {move || i18n.t("station-reason-missing_at_station")}</button>
            <button class="secondary" data-testid="station-not-loaded-damaged" on:click=mark(NotLoadedReason::Damaged)>
                {move || i18n.t("station-reason-damaged")}</button>
        </li>
    }
}

#[component]
pub(crate) fn ReturnStep() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = expect_context::<DayCtx>();
    let entry = RwSignal::new(String::new());
    let first = RwSignal::new(String::new());
    let last = RwSignal::new(String::new());
    let on_scan = move |tracking_id: String| {
        ctx.record(EventBody::ParcelReturned {
            driver_id: ctx.driver(),
            tracking_id,
        });
    };
    let cards_back = move |_| {
        let first_card = first.get_untracked().trim().to_uppercase();
        let last_card = last.get_untracked().trim().to_uppercase();
        let last_card = if last_card.is_empty() {
            first_card.clone()
        } else {
            last_card
        };
        ctx.record(EventBody::CardsReturned {
            driver_id: ctx.driver(),
            range: CardRange {
                first: first_card,
                last: last_card,
            },
        });
        first.set(String::new());
        last.set(String::new());
    };
    view! {
        <section class="card" data-testid="station-return">
            <h3>{move || i18n.t("station-return-title")}</h3>
            {scan_field("returnscan", entry, on_scan)}
            <h3>{move || i18n.t("station-return-expected")}</h3>
            <ul class="parcels" data-testid="station-expected-back">
                {move || ctx.day.get().map(|d| {
                    let mut expected: Vec<String> = d.day.parcels.iter()
                        .filter(|p| !p.is_return && p.not_loaded.is_none() && p.outcome.as_deref() != Some("delivered") && !p.returned)
                        .map(|p| p.tracking_id.clone()).collect();
                    expected.extend(d.day.returns_picked_up.iter().filter(|l| !d.day.returns_handed_in.contains(l)).cloned());
                    expected.into_iter().map(|t| view! { <li data-testid="station-expected" data-tracking={let v = t.clone(); move || v.clone()}><code>{t.clone()}</code></li> }).collect_view()
                })}
            </ul>
            <h3>{move || i18n.t("station-return-cards")}</h3>
            <div class="entry-row">
                <label>{move || i18n.t("station-cards-first")}
                    <input data-testid="station-cards-back-first" autocomplete="off" autocapitalize="characters"
                        prop:value=move || first.get() on:input=move |ev| first.set(event_target_value(&ev)) /></label>
                <label>{move || i18n.t("station-cards-last")}
                    <input data-testid="station-cards-back-last" autocomplete="off" autocapitalize="characters"
                        prop:value=move || last.get() on:input=move |ev| last.set(event_target_value(&ev)) /></label>
            </div>
            <button class="primary station-big" data-testid="station-cards-back" on:click=cards_back>
                {move || i18n.t("station-return-cards_back")}</button>
            <h3>{move || i18n.t("station-return-discrepancies")}</h3>
            <ul class="parcels" data-testid="station-discrepancies">
                {move || ctx.day.get().map(|d| d.day.discrepancies.into_iter().map(|x| view! { <Explain subject=x.subject kind=x.kind explanation=x.explanation /> }).collect_view())}
            </ul>
        </section>
    }
}

#[component]
fn Explain(subject: String, kind: String, explanation: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = expect_context::<DayCtx>();
    let text = RwSignal::new(explanation.clone().unwrap_or_default());
    let kind_key = format!("station-discrepancy-{kind}");
    let save = {
        let subject = subject.clone();
        move |_| {
            ctx.record(EventBody::DiscrepancyExplained {
                driver_id: ctx.driver(),
                subject: subject.clone(),
                explanation: text.get_untracked(),
            });
        }
    };
    let explained = explanation.is_some();
    view! {
        <li class="card" data-testid="station-discrepancy" data-subject={let v = subject.clone(); move || v.clone()} data-kind={let v = kind.clone(); move || v.clone()}
            data-explained={let v = explained.to_string(); move || v.clone()}>
            <p><code>{subject.clone()}</code> " · " {move || i18n.t(&kind_key)}</p>
            <div class="entry-row">
                <input data-testid="station-explanation" placeholder=move || i18n.t("station-return-why")
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) />
                <button class="primary" data-testid="station-explain" on:click=save>{move || i18n.t("station-return-explain")}</button>
            </div>
        </li>
    }
}
