//! The station's part of the driver's phone: a hold the station placed on the tour (shown
//! over the first stop: why, and what to do), the check-in code the station tablet scans,
//! and "my days" with the signed close-outs. Each is mounted with one line on a driver's
//! screen.

use lastmile_protocol::station::CloseOutView;
use leptos::prelude::*;

use super::api;
use crate::app::Nav;
use crate::i18n::use_i18n;

const POLL: std::time::Duration = std::time::Duration::from_secs(3);

/// Covers the driver's screen while the tour is held; lifts itself when the lead clears it.
#[component]
pub fn PhoneHold() -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    let tick = RwSignal::new(0u32);
    let state = LocalResource::new(move || {
        tick.track();
        api::phone_station()
    });
    let was_held = StoredValue::new(false);
    Effect::new(move |_| {
        let held = state
            .get()
            .and_then(Result::ok)
            .is_some_and(|s| s.hold.is_some());
        if was_held.get_value() && !held {
            // Released: the stop screen loads the tour's first stop.
            nav.bump();
        }
        was_held.set_value(held);
    });
    match set_interval_with_handle(move || tick.update(|t| *t += 1), POLL) {
        Ok(handle) => on_cleanup(move || handle.clear()),
        Err(e) => leptos::logging::warn!("the hold cannot refresh itself: {e:?}"),
    }
    view! {
        <Transition fallback=|| ()>
            {move || state.get().and_then(Result::ok).and_then(|s| s.hold).map(|hold| {
                let plate = hold.plate.clone();
                view! {
                <section class="card hold-cover" data-testid="phone-hold" data-plate={let v = hold.plate.clone(); move || v.clone()}>
                    <h2 class="error">{move || i18n.t("station-phone-held")}</h2>
                    <p>{move || i18n.tf("station-hold-title", &[("plate", plate.clone().into())])}</p>
                    <ul>{hold.defects.iter().map(|d| {
                        let key = format!("station-item-{}", d.item_id);
                        let id = d.item_id.clone();
                        view! { <li>{move || if i18n.has(&key) { i18n.t(&key) } else { id.clone() }} {d.note.clone().map(|n| format!(" — {n}"))}</li> }
                    }).collect_view()}</ul>
                    <p><strong>{move || i18n.t("station-phone-what")}</strong></p>
                </section>
            }})}
        </Transition>
    }
}

/// "My check-in code": the pass for today's tour as a QR code, for the station tablet's
/// camera (or a hand scanner). Shown on request; it works without network once the phone
/// has seen the server today.
#[component]
pub fn PhoneCheckInCode() -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let code = LocalResource::new(move || {
        let shown = open.get();
        async move {
            if shown {
                Some(api::check_in_code().await)
            } else {
                None
            }
        }
    });
    view! {
        <section class="card check-in-code" data-testid="check-in-code-card">
            <button class="secondary" data-testid="show-check-in-code" on:click=move |_| open.update(|o| *o = !*o)>
                {move || if open.get() { i18n.t("station-code-hide") } else { i18n.t("station-code-show") }}
            </button>
            <Transition fallback=|| ()>
                {move || code.get().flatten().map(|r| match r {
                    Ok(c) => view! {
                        <div class="qr">
                            <p>{move || i18n.t("station-code-hint")}</p>
                            <img data-testid="check-in-qr" alt=move || i18n.t("station-code-alt") src=c.qr_png_data_url.clone() />
                            <p><code class="ltr" data-testid="check-in-code" data-code={let v = c.pass.code.clone(); move || v.clone()}>{c.pass.code.clone()}</code></p>
                        </div>
                    }.into_any(),
                    Err(e) => view! { <super::StationError error=e /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// The driver's days with their signed close-outs (the latest version of each).
#[component]
pub fn MyDays() -> impl IntoView {
    let i18n = use_i18n();
    let days = LocalResource::new(api::my_days);
    view! {
        <section class="card" data-testid="my-days">
            <h3>{move || i18n.t("station-mydays-title")}</h3>
            <Transition fallback=|| view! { <p class="muted">"…"</p> }>
                {move || days.get().map(|r| match r {
                    Ok(list) if list.is_empty() => view! { <p class="muted">{move || i18n.t("station-mydays-none")}</p> }.into_any(),
                    Ok(list) => list.into_iter().map(|c| view! { <Day close_out=c /> }).collect_view().into_any(),
                    Err(_) => view! { <p class="muted">{move || i18n.t("station-mydays-offline")}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Day(close_out: CloseOutView) -> impl IntoView {
    let i18n = use_i18n();
    let s = close_out.summary.clone();
    let date = close_out.date.to_string();
    view! {
        <div class="myday" data-testid="my-day" data-tour={let v = close_out.tour_id.clone(); move || v.clone()} data-version=move || close_out.version
            data-delivered=move || s.delivered data-failed=move || s.failed>
            <p><strong class="ltr">{date}</strong> " · " <code>{close_out.tour_id.clone()}</code></p>
            <p>{move || i18n.tf("station-mydays-line", &[
                ("delivered", s.delivered.into()), ("failed", s.failed.into()),
                ("back", s.parcels_back.into()), ("cards", s.cards_used.into())])}</p>
            <p class="muted">{move || i18n.tf("station-mydays-signed", &[("lead", close_out.signed_by_lead.clone().into())])}</p>
        </div>
    }
}
