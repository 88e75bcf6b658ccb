//! The supervisor's ride-along: following a driver's tour, observations, the graded
//! checklist, assisted stops and the record both sign.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::pages::signed_in_as;

/// The ride-along mode's first screen.
#[component]
pub fn RideHome() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" data-testid="ride-home">
            <h2>{move || i18n.t("ride-title")}</h2>
            {signed_in_as()}
        </section>
    }
}
