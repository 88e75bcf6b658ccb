//! The tour overview: stops in planned order with their state, time window and window
//! warnings, the day's progress, a search by address or tracking number, the way to the
//! end-of-tour summary — and the tour download when none is on the device yet.

use std::collections::HashMap;

use lastmile_protocol::ui::{StopLine, StopParcelsUi, StopState, TourView, UiError};
use leptos::prelude::*;

use crate::api;
use crate::app::{Nav, Screen};
use crate::components::error_box::ErrorBox;
use crate::format;
use crate::i18n::use_i18n;
use crate::overview::{Hit, stop_hit, window_warning};

/// How often the window warnings are re-evaluated while the list is open.
const CLOCK_TICK: std::time::Duration = std::time::Duration::from_secs(30);

/// Catalog key of a stop state.
pub fn state_key(s: StopState) -> &'static str {
    match s {
        StopState::Open => "state-open",
        StopState::Arrived => "state-arrived",
        StopState::Done => "state-done",
        StopState::Failed => "state-failed",
        StopState::Skipped => "state-skipped",
    }
}

/// The `data-state` attribute and CSS class of a stop state.
pub fn state_attr(s: StopState) -> &'static str {
    match s {
        StopState::Open => "open",
        StopState::Arrived => "arrived",
        StopState::Done => "done",
        StopState::Failed => "failed",
        StopState::Skipped => "skipped",
    }
}

#[component]
pub fn TourPage() -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    let now = RwSignal::new(format::now());
    // Loads again after every action and when dispatch's edits arrive.
    let tour = LocalResource::new(move || {
        nav.changed.track();
        now.set(format::now());
        api::tour_overview()
    });
    let has_tour = move || tour.with(|t| matches!(t, Some(Ok(Some(_)))));
    // Tracking numbers per stop, for the search; loaded once a tour is there.
    let index = LocalResource::new(move || {
        let loaded = has_tour();
        async move {
            if !loaded {
                return Ok(HashMap::new());
            }
            let list = api::tour_parcels().await?;
            Ok(list
                .into_iter()
                .map(
                    |StopParcelsUi {
                         stop_id,
                         tracking_ids,
                     }| (stop_id, tracking_ids),
                )
                .collect::<HashMap<_, _>>())
        }
    });
    let index_error = move || index.get().and_then(|r: Result<_, UiError>| r.err());
    let stop_index = Signal::derive(move || index.get().and_then(Result::ok).unwrap_or_default());
    let query = RwSignal::new(String::new());

    match set_interval_with_handle(move || now.set(format::now()), CLOCK_TICK) {
        Ok(handle) => on_cleanup(move || handle.clear()),
        Err(e) => leptos::logging::warn!("the tour list cannot update its clock: {e:?}"),
    }

    // The tour arrives through the loaded resource (the sync loop may fetch it too).
    let download = Action::new_local(move |_: &()| async move {
        let answer = api::download_tour().await;
        nav.bump();
        answer
    });
    let downloading = download.pending();
    // Once the tour is there, an earlier failed download is no longer what the driver reads.
    let download_error = move || {
        download
            .value()
            .get()
            .and_then(Result::err)
            .filter(|_| !has_tour())
    };

    let download_button = move || {
        view! {
            <button class="primary" data-testid="download-tour" disabled=move || downloading.get()
                on:click=move |_| { download.dispatch(()); }>
                {move || if downloading.get() { i18n.t("tour-downloading") } else { i18n.t("tour-download") }}
            </button>
            <Show when=move || downloading.get()>
                <progress data-testid="download-progress"></progress>
            </Show>
        }
    };

    let searching = Signal::derive(move || !query.get().trim().is_empty());

    view! {
        <section data-testid="tour">
            <crate::pages::station::phone::PhoneHold />
            <h2>{move || i18n.t("tour-title")}</h2>
            <crate::pages::ride::driver::RideBanner />
            {move || download_error().map(|e| view! { <ErrorBox error=e /> })}
            // Outside the list's re-render, so typing keeps the focus; on top, so the results
            // are in view above the on-screen keyboard.
            <Show when=has_tour>
                <div class="search" role="search">
                    <label for="tour-search">{move || i18n.t("search-label")}</label>
                    <div class="searchrow">
                        <input id="tour-search" dir="auto" type="search" data-testid="tour-search" autocomplete="off"
                            autocapitalize="off" spellcheck="false"
                            placeholder=move || i18n.t("search-placeholder")
                            prop:value=move || query.get()
                            on:input=move |ev| query.set(event_target_value(&ev)) />
                        <Show when=move || !query.get().is_empty()>
                            <button class="secondary clear" data-testid="search-clear"
                                on:click=move |_| query.set(String::new())>{move || i18n.t("search-clear_short")}</button>
                        </Show>
                    </div>
                </div>
                {move || index_error().map(|e| view! { <ErrorBox error=e /> })}
                // The offline map (issue 17), outside the list's reloads.
                <crate::components::map::TourMap />
            </Show>
            <Transition fallback=|| view! { <p class="muted">"…"</p> }>
            {move || tour.get().map(|loaded| match loaded {
                Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                Ok(None) => view! {
                    <section class="card" data-testid="no-tour">
                        <p>{i18n.t("tour-none")}</p>
                        {download_button()}
                    </section>
                }.into_any(),
                Ok(Some(t)) => view! {
                    <TourProgress tour=t.clone() searching=searching />
                    <StopList tour=t index=stop_index query=query now=now />
                }.into_any(),
            })}
            </Transition>
        </section>
    }
}

/// Progress, the way to the current stop and to the end-of-tour summary.
/// `tour`: the tour as last loaded; `searching`: a search is under way, so only the progress
/// shows and the results get the screen.
#[component]
fn TourProgress(tour: TourView, searching: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    let t = tour;
    let percent = (t.stops_done * 100)
        .checked_div(t.stops_total)
        .unwrap_or(100);
    let finished = t.current_stop_id.is_none();
    let date = t.date.clone();
    let station = t.station_name.clone();
    view! {
        <section class="card" data-testid="tour-summary">
            <p class="muted">{move || i18n.tf("tour-station", &[("name", station.clone().into())])} " · "
                <span class="ltr" data-testid="tour-date">{move || format::date_str(&date, i18n.lang.get())}</span></p>
            <p data-testid="tour-progress" data-done=t.stops_done data-total=t.stops_total>
                {move || i18n.tf("tour-progress", &[
                    ("done", t.stops_done.into()),
                    ("total", t.stops_total.into()),
                    ("open", t.parcels_open.into()),
                ])}
            </p>
            <div class="bar"><div class="fill" style=format!("width: {percent}%")></div></div>
            {move || (!searching.get()).then(|| if finished {
                view! {
                    <p class="ok" data-testid="tour-finished">{move || i18n.t("tour-finished")}</p>
                    <button class="primary" data-testid="open-summary" on:click=move |_| nav.screen.set(Screen::Summary)>
                        {move || i18n.t("tour-summary_now")}
                    </button>
                }.into_any()
            } else {
                view! {
                    <button class="primary" data-testid="go-current" on:click=move |_| nav.screen.set(Screen::Stop(None))>
                        {move || i18n.t("tour-start")}
                    </button>
                    <button class="secondary big" data-testid="open-summary" on:click=move |_| nav.screen.set(Screen::Summary)>
                        {move || i18n.t("tour-summary")}
                    </button>
                }.into_any()
            })}
        </section>
    }
}

/// The stops that match the search, with their window warnings at `now`.
/// `index`: tracking numbers per stop id; `query`: the search text.
#[component]
fn StopList(
    tour: TourView,
    index: Signal<HashMap<String, Vec<String>>>,
    query: RwSignal<String>,
    now: RwSignal<chrono::DateTime<chrono::Utc>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let total = tour.stops.len();
    let current = tour.current_stop_id.clone();
    let stops = tour.stops;
    let shown = Memo::new(move |_| {
        let q = query.get();
        index.with(|ix| {
            stops
                .iter()
                .filter_map(|s| {
                    let ids = ix.get(&s.stop_id).map_or(&[][..], Vec::as_slice);
                    stop_hit(&q, &s.address, s.name.as_deref(), ids).map(|hit| (s.clone(), hit))
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        {move || {
            let q = query.get();
            let n = shown.with(Vec::len);
            if q.trim().is_empty() {
                ().into_any()
            } else if n == 0 {
                view! {
                    <section class="card no-match" data-testid="no-match">
                        <p class="warn">{i18n.tf("search-none", &[("q", q.trim().to_owned().into())])}</p>
                        <p>{i18n.t("search-none_hint")}</p>
                        <button class="secondary big" data-testid="no-match-clear"
                            on:click=move |_| query.set(String::new())>{i18n.t("search-clear")}</button>
                    </section>
                }.into_any()
            } else {
                view! {
                    <p class="muted" data-testid="search-count" data-count=n>
                        {i18n.tf("search-count", &[("n", n.into()), ("total", total.into())])}
                    </p>
                }.into_any()
            }
        }}
        <ol class="stops">
            {move || shown.get().into_iter().map(|(s, hit)| {
                let is_current = current.as_deref() == Some(s.stop_id.as_str());
                view! { <StopLineView stop=s hit=hit current=is_current now=now /> }
            }).collect_view()}
        </ol>
    }
}

/// One stop line. `hit`: why it is shown; `current`: the next stop to work on.
#[component]
fn StopLineView(
    stop: StopLine,
    hit: Hit,
    current: bool,
    now: RwSignal<chrono::DateTime<chrono::Utc>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    let s = stop;
    let id = s.stop_id.clone();
    let (window, state) = (s.time_window, s.state);
    view! {
        <li class="stopline" class:current=current data-testid="stop-line"
            data-stop-id=s.stop_id.clone() data-state=state_attr(state)
            on:click=move |_| nav.screen.set(Screen::Stop(Some(id.clone())))>
            <span class="seq">{s.sequence}</span>
            <span class="addr">
                <strong dir="auto">{s.address.clone()}</strong>
                {s.name.clone().map(|n| view! { <br /><span class="muted">{n}</span> })}
                {window.map(|(a, b)| view! {
                    <br />
                    <span class="window" data-testid="stop-window">
                        {move || i18n.tf("stop-window", &[("window", format::window(a, b, i18n.lang.get()).into())])}
                    </span>
                })}
                {move || window_warning(now.get(), window, state).map(|w| {
                    let kind = w.attr();
                    view! {
                        " "
                        <span class=format!("pill {kind}") data-testid="window-warning" data-kind=kind>
                            {i18n.t(w.key())}
                        </span>
                    }
                })}
                {match hit {
                    Hit::Tracking(tid) => Some(view! {
                        <br />
                        <span class="muted" data-testid="tracking-hit">{move || i18n.t("search-parcel")} " " <code>{tid}</code></span>
                    }),
                    Hit::All | Hit::Address => None,
                }}
            </span>
            <span class=format!("pill {}", state_attr(state))>{move || i18n.t(state_key(state))}</span>
        </li>
    }
}
