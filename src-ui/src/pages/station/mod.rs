//! The station tablet: the screens a station lead and the drivers use at the station
//! (check-in, inspection, card stacks, load-out, return to station, close-out), with their
//! own navigation ([`Here`], local to the mode). Built for a shared tablet: 800×1280 portrait
//! and 1280×800 landscape, targets of at least 64 px for gloves, and every action recorded
//! on the tablet first (the shell keeps the server's last answers for when the Wi-Fi drops).
//! The driver's phone shows the station's part of their day with [`phone`].

mod api;
// The audit trail (issue 16).
mod audit;
mod board;
mod check_in;
mod close_out;
mod day;
pub mod phone;
mod scans;

use lastmile_protocol::station::DayState;
use lastmile_protocol::ui::UiError;
use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::pages::signed_in_as;

/// Where the tablet is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Here {
    Board,
    CheckIn,
    Day(String, Step),
    /// Who read which driver's proof or day (issue 16).
    Audit,
}

/// The steps of a driver's day at the station (tabs of the day screen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Vehicle,
    Cards,
    LoadOut,
    Return,
    CloseOut,
}

impl Step {
    pub(crate) const ALL: [Step; 5] = [
        Step::Vehicle,
        Step::Cards,
        Step::LoadOut,
        Step::Return,
        Step::CloseOut,
    ];

    pub(crate) fn key(self) -> &'static str {
        match self {
            Step::Vehicle => "station-step-vehicle",
            Step::Cards => "station-step-cards",
            Step::LoadOut => "station-step-loadout",
            Step::Return => "station-step-return",
            Step::CloseOut => "station-step-closeout",
        }
    }

    /// The tab's test id is `station-tab-<slug>`.
    pub(crate) fn slug(self) -> &'static str {
        match self {
            Step::Vehicle => "vehicle",
            Step::Cards => "cards",
            Step::LoadOut => "loadout",
            Step::Return => "return",
            Step::CloseOut => "closeout",
        }
    }

    /// The step a driver in `state` needs next.
    pub(crate) fn for_state(state: DayState) -> Step {
        match state {
            DayState::Expected | DayState::CheckedIn | DayState::Inspecting | DayState::Held => {
                Step::Vehicle
            }
            DayState::Loading => Step::LoadOut,
            DayState::OnRoad | DayState::Back => Step::Return,
            DayState::Closed => Step::CloseOut,
        }
    }
}

/// Catalog key and attribute of a day state.
pub(crate) fn state_key(s: DayState) -> (&'static str, &'static str) {
    match s {
        DayState::Expected => ("station-state-expected", "expected"),
        DayState::CheckedIn => ("station-state-checked_in", "checked_in"),
        DayState::Inspecting => ("station-state-inspecting", "inspecting"),
        DayState::Held => ("station-state-held", "held"),
        DayState::Loading => ("station-state-loading", "loading"),
        DayState::OnRoad => ("station-state-on_road", "on_road"),
        DayState::Back => ("station-state-back", "back"),
        DayState::Closed => ("station-state-closed", "closed"),
    }
}

/// The station mode's first screen: the board, and from there everything else.
#[component]
pub fn StationHome() -> impl IntoView {
    let i18n = use_i18n();
    let here = RwSignal::new(Here::Board);
    provide_context(here);
    provide_context(day::Drafts::new());
    view! {
        <section class="station" data-testid="station-home">
            <div class="station-head">
                <h2>{move || i18n.t("station-title")}</h2>
                {signed_in_as()}
            </div>
            {move || match here.get() {
                Here::Board => view! { <board::BoardScreen /> }.into_any(),
                Here::CheckIn => view! { <check_in::CheckInScreen /> }.into_any(),
                Here::Audit => view! { <audit::AuditScreen /> }.into_any(),
                Here::Day(driver, step) => view! { <day::DayScreen driver=driver step=step /> }.into_any(),
            }}
        </section>
    }
}

/// A refusal or failure on a station screen: the translated sentence for its code (with
/// what it is about), else the general error box.
#[component]
pub(crate) fn StationError(error: UiError) -> impl IntoView {
    let i18n = use_i18n();
    let key = format!(
        "station-err-{}",
        error
            .code
            .strip_prefix("station.")
            .unwrap_or(&error.code)
            .replace('.', "-")
    );
    if !i18n.has(&key) {
        return view! { <crate::components::error_box::ErrorBox error=error /> }.into_any();
    }
    let code = error.code.clone();
    let detail = error.message.clone();
    // A closure, not a plain value: when the next refusal replaces this one, the element is
    // updated in place, and only reactive attributes follow.
    view! {
        <p class="card error-box error" data-testid="station-error" data-code=move || code.clone()>
            {move || i18n.tf(&key, &[("detail", detail.clone().into())])}
        </p>
    }
    .into_any()
}

/// "Offline: shown as of …" and "n actions waiting" on a station screen.
pub(crate) fn freshness(offline: bool, pending: u32) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {offline.then(|| view! {
            <p class="warn" data-testid="station-offline">{move || i18n.t("station-offline")}</p>
        })}
        {(pending > 0).then(|| view! {
            <p class="muted" data-testid="station-pending" data-pending=move || pending>
                {move || i18n.tf("station-pending", &[("n", pending.into())])}
            </p>
        })}
    }
}
