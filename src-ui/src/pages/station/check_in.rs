//! Check-in: the driver types their id and PIN on the tablet (the server checks them; the
//! tablet keeps no session of the driver), and their day opens at the vehicle step.

use leptos::prelude::*;

use super::{Here, StationError, Step, api};
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
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        check_in.dispatch((
            driver.get_untracked().trim().to_owned(),
            pin.get_untracked(),
        ));
    };
    view! {
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
            {move || check_in.value().get().and_then(Result::err).map(|e| view! { <StationError error=e /> })}
            <div class="actions">
                <button type="button" class="secondary station-big" data-testid="station-back"
                    on:click=move |_| here.set(Here::Board)>{move || i18n.t("station-back")}</button>
                <button type="submit" class="primary station-big" data-testid="station-check-in-submit"
                    disabled=move || check_in.pending().get()>{move || i18n.t("station-check_in-submit")}</button>
            </div>
        </form>
    }
}
