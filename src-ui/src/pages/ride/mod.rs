//! The supervisor's ride-along: pick a driver and start, follow the driver's tour (stops in
//! order, progress, the current stop marked), observations at a stop or for the day, the
//! graded checklist, assisted stops, and the end with coaching notes and signature. Every
//! action is recorded on this phone first (it works offline); the driver's progress is pulled
//! from the server when online. The driver's side (banner, "my records") is in [`driver`].

pub mod api;
pub mod driver;
mod forms;

use lastmile_protocol::ride::ui::{RideStartArgs, RideStopUi, RideUi};
use lastmile_protocol::ride::{AssistDto, RideStatusDto};
use leptos::prelude::*;

use crate::components::error_box::ErrorBox;
use crate::i18n::use_i18n;
use crate::pages::signed_in_as;

/// The ride-along's own screens (a signal local to this mode).
#[derive(Debug, Clone, PartialEq)]
pub enum RideView {
    Follow,
    /// One stop of the tour: observe there, mark it assisted.
    Stop(String),
    /// An observation at a stop (`Some`) or for the day.
    Observe(Option<String>),
    Checklist,
    End,
}

/// Shared by the ride-along's screens: where we are and the record as last loaded.
#[derive(Debug, Clone, Copy)]
pub struct RideNav {
    pub view: RwSignal<RideView>,
    /// The record after the last action (screens read it instead of loading again).
    pub ride: RwSignal<Option<RideUi>>,
}

/// The ride-along mode's first screen: the record on this phone, or the pick of a driver.
#[component]
pub fn RideHome() -> impl IntoView {
    let i18n = use_i18n();
    let nav = RideNav {
        view: RwSignal::new(RideView::Follow),
        ride: RwSignal::new(None),
    };
    provide_context(nav);
    // The record as this phone holds it (offline), and again with the driver's progress from
    // the server when that answers; the fresher one shows.
    let loaded = LocalResource::new(api::current);
    let fresh = LocalResource::new(api::refresh);
    Effect::new(move |_| {
        let newest = match fresh.get() {
            Some(Ok(Some(r))) => Some(Some(r)),
            _ => loaded.get().and_then(Result::ok),
        };
        if let Some(r) = newest {
            nav.ride.set(r);
        }
    });
    // Which screen shows depends only on whether a ride-along runs: a new record after an
    // action must not rebuild the screen (and lose what is being typed).
    let phase = Memo::new(move |_| {
        (
            loaded.get().is_some(),
            nav.ride
                .get()
                .is_some_and(|r| r.status == RideStatusDto::Running),
        )
    });
    view! {
        <section data-testid="ride-home">
            <h2>{move || i18n.t("ride-title")}</h2>
            {signed_in_as()}
            {move || loaded.get().and_then(Result::err).map(|e| view! { <ErrorBox error=e /> })}
            {move || match phase.get() {
                (false, _) => view! { <p class="muted">"…"</p> }.into_any(),
                (true, true) => view! { <Running /> }.into_any(),
                (true, false) => view! { <Pick last=nav.ride.get_untracked() /> }.into_any(),
            }}
        </section>
    }
}

/// No running ride-along: the last one's state, and the drivers to start with.
#[component]
fn Pick(last: Option<RideUi>) -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<RideNav>();
    let drivers = LocalResource::new(api::drivers);
    let start = Action::new_local(|args: &RideStartArgs| api::start(args.clone()));
    Effect::new(move |_| {
        if let Some(Ok(r)) = start.value().get() {
            nav.view.set(RideView::Follow);
            nav.ride.set(Some(r));
        }
    });
    let last = last.map(|r| {
        let key = match r.status {
            RideStatusDto::AwaitingDriver => "ride-status-awaiting_driver",
            RideStatusDto::Signed => "ride-status-signed",
            RideStatusDto::Declined => "ride-status-declined",
            RideStatusDto::Running => "ride-status-running",
        };
        let driver = r.driver_id.clone();
        view! {
            <section class="card" data-testid="ride-last" data-status=r.status.as_str()>
                <h3>{move || i18n.tf("ride-last", &[("driver", driver.clone().into())])}</h3>
                <p>{move || i18n.t(key)}</p>
            </section>
        }
    });
    view! {
        <section data-testid="ride-pick">
            {last}
            <h3>{move || i18n.t("ride-pick")}</h3>
            {move || start.value().get().and_then(Result::err).map(|e| view! { <ErrorBox error=e /> })}
            <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
                {move || drivers.get().map(|r| match r {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <p class="muted" data-testid="ride-no-drivers">{i18n.t("ride-no_drivers")}</p>
                    }.into_any(),
                    Ok(list) => list.into_iter().map(|d| {
                        let id = d.driver_id.clone();
                        let testid = format!("ride-start-{}", d.driver_id);
                        view! {
                            <div class="card">
                                <p><b>{d.driver_id.clone()}</b>" · "<span class="ltr">{d.tour_id.clone()}</span></p>
                                <p class="muted">{move || i18n.tf("ride-stops_done", &[
                                    ("done", d.stops_done.into()), ("total", d.stops_total.into())])}</p>
                                <button class="primary" data-testid=testid disabled=move || start.pending().get()
                                    on:click=move |_| { start.dispatch(RideStartArgs { driver_id: id.clone() }); }>
                                    {move || i18n.t("ride-start")}
                                </button>
                            </div>
                        }
                    }).collect_view().into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// A running ride-along: its own tabs and screens.
#[component]
fn Running() -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<RideNav>();
    let driver = nav
        .ride
        .get_untracked()
        .map(|r| r.driver_id)
        .unwrap_or_default();
    let driver_attr = driver.clone();
    let tab = move |v: RideView, testid: &'static str, key: &'static str| {
        let active = v.clone();
        view! {
            <button data-testid=testid class:active=move || nav.view.get() == active
                on:click=move |_| nav.view.set(v.clone())>{move || i18n.t(key)}</button>
        }
    };
    view! {
        <p class="notes" data-testid="ride-with" data-driver=driver_attr>
            {move || i18n.tf("ride-riding_with", &[("driver", driver.clone().into())])}
        </p>
        <nav class="tabs ride-tabs">
            {tab(RideView::Follow, "ride-nav-follow", "ride-nav-follow")}
            {tab(RideView::Observe(None), "ride-nav-observe", "ride-nav-observe")}
            {tab(RideView::Checklist, "ride-nav-checklist", "ride-nav-checklist")}
            {tab(RideView::End, "ride-nav-end", "ride-nav-end")}
        </nav>
        {move || match nav.view.get() {
            RideView::Follow => view! { <Follow /> }.into_any(),
            RideView::Stop(id) => view! { <StopDetail stop_id=id /> }.into_any(),
            RideView::Observe(stop) => view! { <forms::Observe stop_id=stop /> }.into_any(),
            RideView::Checklist => view! { <forms::Checklist /> }.into_any(),
            RideView::End => view! { <forms::End /> }.into_any(),
        }}
    }
}

fn assist_key(a: AssistDto) -> &'static str {
    match a {
        AssistDto::CarriedParcels => "ride-assist-carried_parcels",
        AssistDto::TalkedToCustomer => "ride-assist-talked_to_customer",
        AssistDto::Other => "ride-assist-other",
    }
}

/// The driver's stops in order with their progress; the current stop marked.
#[component]
fn Follow() -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<RideNav>();
    let refresh = Action::new_local(|_: &()| api::refresh());
    Effect::new(move |_| {
        if let Some(Ok(Some(r))) = refresh.value().get() {
            nav.ride.set(Some(r));
        }
    });
    let line = move |s: RideStopUi| {
        let id = s.stop_id.clone();
        let state = if s.finished {
            "finished"
        } else if s.current {
            "current"
        } else {
            "open"
        };
        view! {
            <li class="stopline" class:current=s.current data-testid="ride-stop" data-stop=s.stop_id.clone()
                data-state=state on:click=move |_| nav.view.set(RideView::Stop(id.clone()))>
                <span class="seq">{s.sequence}</span>
                <span class="addr">{s.address.clone()}
                    <br /><span class="muted">{move || i18n.tf("ride-parcels_done", &[
                        ("done", s.parcels_done.into()), ("total", s.parcels.into())])}</span>
                </span>
                {s.current.then(|| view! { <span class="pill arrived">{move || i18n.t("ride-current")}</span> })}
                {s.finished.then(|| view! { <span class="pill done">"✓"</span> })}
                {s.assisted.map(|a| view! { <span class="pill" data-testid="ride-assisted-pill">{move || i18n.t(assist_key(a))}</span> })}
                {(s.observations > 0).then(|| view! { <span class="pill">{format!("✎ {}", s.observations)}</span> })}
            </li>
        }
    };
    view! {
        <section data-testid="ride-follow">
            {move || nav.ride.get().map(|r| {
                let (done, total) = (r.stops_done, r.stops.len() as u32);
                view! {
                <p data-testid="ride-progress" data-done=done data-total=total>
                    {move || i18n.tf("ride-stops_done", &[("done", done.into()), ("total", total.into())])}
                </p>
                <p class="muted" data-testid="ride-progress-at">{match r.progress_at {
                    Some(at) => i18n.tf("ride-progress_at", &[("time", crate::format::time(at, i18n.lang.get_untracked()).into())]),
                    None => i18n.t("ride-progress_never"),
                }}</p>
            }})}
            <button class="secondary big" data-testid="ride-refresh" disabled=move || refresh.pending().get()
                on:click=move |_| { refresh.dispatch(()); }>{move || i18n.t("ride-refresh")}</button>
            <ol class="stops">
                {move || nav.ride.get().map(|r| r.stops.into_iter().map(line).collect_view())}
            </ol>
        </section>
    }
}

/// One stop: what the driver did there, an observation, the assisted mark.
#[component]
fn StopDetail(stop_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<RideNav>();
    let assist = Action::new_local(|args: &lastmile_protocol::ride::ui::RideAssistArgs| {
        api::assist(args.clone())
    });
    Effect::new(move |_| {
        if let Some(Ok(r)) = assist.value().get() {
            nav.ride.set(Some(r));
        }
    });
    let id = stop_id.clone();
    let stop = move || {
        nav.ride
            .get()
            .and_then(|r| r.stops.into_iter().find(|s| s.stop_id == id))
    };
    let here = stop_id.clone();
    let observations = move || {
        nav.ride
            .get()
            .map(|r| {
                r.observations
                    .into_iter()
                    .filter(|o| o.stop_id.as_deref() == Some(here.as_str()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let assist_button = move |what: AssistDto, testid: &'static str| {
        let stop_id = stop_id.clone();
        view! {
            <button class="choice" data-testid=testid
                on:click=move |_| { assist.dispatch(lastmile_protocol::ride::ui::RideAssistArgs { stop_id: stop_id.clone(), what }); }>
                {move || i18n.t(assist_key(what))}
            </button>
        }
    };
    let observe_here = {
        let id = stop().map(|s| s.stop_id);
        move |_| nav.view.set(RideView::Observe(id.clone()))
    };
    view! {
        <section class="card" data-testid="ride-stop-detail">
            {move || stop().map(|s| view! {
                <h3>{move || i18n.tf("ride-stop_title", &[("n", s.sequence.into())])}</h3>
                <p>{s.address.clone()}</p>
                <p class="muted">{move || i18n.tf("ride-parcels_done", &[("done", s.parcels_done.into()), ("total", s.parcels.into())])}</p>
                {s.assisted.map(|a| view! { <p class="ok" data-testid="ride-assisted">{move || i18n.t(assist_key(a))}</p> })}
            })}
            <button class="primary" data-testid="ride-observe-here" on:click=observe_here>{move || i18n.t("ride-observe_here")}</button>
            <h3>{move || i18n.t("ride-assist_title")}</h3>
            <p class="muted">{move || i18n.t("ride-assist_hint")}</p>
            <div class="choices">
                {assist_button(AssistDto::CarriedParcels, "ride-assist-carried_parcels")}
                {assist_button(AssistDto::TalkedToCustomer, "ride-assist-talked_to_customer")}
                {assist_button(AssistDto::Other, "ride-assist-other")}
            </div>
            {move || assist.value().get().and_then(Result::err).map(|e| view! { <ErrorBox error=e /> })}
            <ul>
                {move || observations().into_iter().map(|o| view! {
                    <li data-testid="ride-observation">{forms::category_label(i18n, o.category)}": "{o.text}</li>
                }).collect_view()}
            </ul>
            <button class="secondary big" data-testid="ride-back" on:click=move |_| nav.view.set(RideView::Follow)>
                {move || i18n.t("ride-back")}
            </button>
        </section>
    }
}
