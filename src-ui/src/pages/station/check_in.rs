//! Check-in: the driver types their id and PIN on the tablet (the server checks them; the
//! tablet keeps no session of the driver), or shows the check-in code on their phone to the
//! tablet's camera or hand scanner (checked on the tablet, so it works with the Wi-Fi down),
//! and their day opens at the vehicle step. After
//! many wrong PINs the server makes the tablet wait a few seconds (it never locks it): the
//! screen counts the wait down and takes the next PIN when it is over.

use leptos::prelude::*;

use lastmile_protocol::station::PassInput;

use super::{Here, StationError, Step, api};
use crate::components::photo::chosen_file;
use crate::i18n::use_i18n;

#[component]
pub(crate) fn CheckInScreen() -> impl IntoView {
    let i18n = use_i18n();
    let here = expect_context::<RwSignal<Here>>();
    let driver = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let check_in = Action::new_local(|(driver, pin): &(String, String)| {
        api::check_in(driver.clone(), pin.clone())
    });
    Effect::new(move |_| {
        if let Some(Ok(day)) = check_in.value().get() {
            // The PIN is gone with this screen: nothing of the driver stays signed in.
            pin.set(String::new());
            here.set(Here::Day(day.day.row.driver_id, Step::Vehicle));
        }
    });
    // The end of the tablet's wait (ms since the epoch) and the whole seconds left of it.
    let wait_until = RwSignal::new(None::<f64>);
    let left = RwSignal::new(0u64);
    Effect::new(move |_| {
        if let Some(Err(e)) = check_in.value().get()
            && e.code == "station.tablet_throttled"
        {
            let secs = e.message.parse::<f64>().unwrap_or(1.0);
            wait_until.set(Some(js_sys::Date::now() + secs * 1000.0));
        }
    });
    let tick = move || {
        let secs = wait_until.get_untracked().map_or(0.0, |t| {
            ((t - js_sys::Date::now()) / 1000.0).ceil().max(0.0)
        });
        // Whole seconds of a wait of at most minutes: the cast cannot truncate.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let whole = secs as u64;
        left.set(whole);
    };
    Effect::new(move |_| {
        wait_until.track();
        tick();
    });
    match set_interval_with_handle(tick, std::time::Duration::from_millis(250)) {
        Ok(handle) => on_cleanup(move || handle.clear()),
        Err(e) => leptos::logging::warn!("check-in cannot count down: {e:?}"),
    }
    let throttled = move || matches!(check_in.value().get(), Some(Err(e)) if e.code == "station.tablet_throttled");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if left.get_untracked() > 0 {
            return;
        }
        check_in.dispatch((
            driver.get_untracked().trim().to_owned(),
            pin.get_untracked(),
        ));
    };
    view! {
        <PassForm />
        <form class="card station-form" data-testid="station-check-in-form" on:submit=submit>
            <h3>{move || i18n.t("station-check_in-title")}</h3>
            <p class="muted">{move || i18n.t("station-check_in-hint")}</p>
            <label>{move || i18n.t("station-check_in-driver")}
                <input data-testid="station-driver-id" autocomplete="off" autocapitalize="off"
                    prop:value=move || driver.get() on:input=move |ev| driver.set(event_target_value(&ev)) />
            </label>
            <label>{move || i18n.t("station-check_in-pin")}
                <input data-testid="station-driver-pin" type="password" inputmode="numeric" autocomplete="off"
                    prop:value=move || pin.get() on:input=move |ev| pin.set(event_target_value(&ev)) />
            </label>
            {move || (throttled() && left.get() > 0).then(|| view! {
                <p class="card error-box warn" data-testid="station-tablet-wait" data-seconds=move || left.get()>
                    {move || i18n.tf("station-check_in-wait", &[("s", left.get().into())])}
                </p>
            })}
            {move || check_in.value().get().and_then(Result::err)
                .filter(|e| e.code != "station.tablet_throttled")
                .map(|e| view! { <StationError error=e /> })}
            <div class="actions">
                <button type="button" class="secondary station-big" data-testid="station-back"
                    on:click=move |_| here.set(Here::Board)>{move || i18n.t("station-back")}</button>
                <button type="submit" class="primary station-big" data-testid="station-check-in-submit"
                    disabled=move || check_in.pending().get() || (left.get() > 0)>{move || i18n.t("station-check_in-submit")}</button>
            </div>
        </form>
    }
}

/// What the pass form got: the scanner's keystrokes, or a picture of the phone's QR code.
#[derive(Debug, Clone)]
enum PassEntry {
    Typed(String),
    Picture(web_sys::Event),
}

/// Check-in by the code on the driver's phone.
#[component]
fn PassForm() -> impl IntoView {
    let i18n = use_i18n();
    let here = expect_context::<RwSignal<Here>>();
    let typed = RwSignal::new(String::new());
    let check_in = Action::new_local(|entry: &PassEntry| {
        let entry = entry.clone();
        async move {
            let input = match entry {
                PassEntry::Typed(code) => PassInput::Typed { code },
                PassEntry::Picture(ev) => match chosen_file(&ev).await {
                    Some(Ok((image_b64, _))) => PassInput::Picture { image_b64 },
                    Some(Err(e)) => return Some(Err(e)),
                    // The chooser was cancelled.
                    None => return None,
                },
            };
            Some(api::check_in_pass(input).await)
        }
    });
    Effect::new(move |_| {
        if let Some(Some(Ok(day))) = check_in.value().get() {
            typed.set(String::new());
            here.set(Here::Day(day.day.row.driver_id, Step::Vehicle));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        check_in.dispatch(PassEntry::Typed(typed.get_untracked()));
    };
    view! {
        <form class="card station-form" data-testid="station-pass-form" on:submit=submit>
            <h3>{move || i18n.t("station-pass-title")}</h3>
            <p class="muted">{move || i18n.t("station-pass-hint")}</p>
            <label class="file-button station-big">
                <span>{move || i18n.t("station-pass-camera")}</span>
                <input type="file" accept="image/*" capture="environment" data-testid="station-pass-photo"
                    on:change=move |ev| { check_in.dispatch(PassEntry::Picture(ev)); } />
            </label>
            <label>{move || i18n.t("station-pass-typed")}
                <input data-testid="station-pass" autocomplete="off" autocapitalize="characters" spellcheck="false"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
            </label>
            {move || check_in.value().get().flatten().and_then(Result::err).map(|e| view! { <StationError error=e /> })}
            <div class="actions">
                <button type="submit" class="primary station-big" data-testid="station-pass-submit"
                    disabled=move || check_in.pending().get()>{move || i18n.t("station-check_in-submit")}</button>
            </div>
        </form>
    }
}
