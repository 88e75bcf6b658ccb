//! The station tablet: the screens a station lead and the drivers use at the station
//! (check-in, inspection, card stacks, load-out, return to station, close-out).

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::pages::signed_in_as;

/// The station mode's first screen.
#[component]
pub fn StationHome() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" data-testid="station-home">
            <h2>{move || i18n.t("station-title")}</h2>
            {signed_in_as()}
        </section>
    }
}
