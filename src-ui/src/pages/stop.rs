//! The current stop: address, access notes, time window, guidance, scanning, parcels with
//! their state, and the big actions per parcel — delivered / not delivered, or picked up for
//! a return — which open their dialogs. Stops out of planned order are allowed, with a warning.

use chrono::{DateTime, Utc};
use lastmile_protocol::ui::{ParcelLine, ParcelStateUi, RecordedUi, StopState, StopView, UiError};
use leptos::prelude::*;

use crate::api;
use crate::app::{Nav, Screen};
use crate::components::dialogs::{CorrectDialog, DeliverDialog, FailDialog, PickupDialog};
use crate::components::error_box::ErrorBox;
use crate::components::guidance::Guidance;
use crate::components::scan::ScanPanel;
use crate::components::service::{ServicePanel, minutes};
use crate::format::window;
use crate::i18n::use_i18n;
use crate::pages::tour::{state_attr, state_key};

/// Which dialog is open, for which parcel.
#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    /// Stop id and parcel.
    Deliver(String, ParcelLine),
    Fail(String, ParcelLine),
    /// Stop id and the return's label.
    Pickup(String, String),
    /// A recorded outcome to correct.
    Correct(ParcelLine),
}

fn parcel_key(s: ParcelStateUi) -> &'static str {
    match s {
        ParcelStateUi::Pending => "parcel-pending",
        ParcelStateUi::Delivered => "parcel-delivered",
        ParcelStateUi::Failed => "parcel-failed",
        ParcelStateUi::PickedUp => "parcel-picked_up",
    }
}

/// The `data-state` attribute of a parcel's state.
fn parcel_attr(s: ParcelStateUi) -> &'static str {
    match s {
        ParcelStateUi::Pending => "pending",
        ParcelStateUi::Delivered => "delivered",
        ParcelStateUi::Failed => "failed",
        ParcelStateUi::PickedUp => "picked_up",
    }
}

/// A stop-level action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StopAction {
    Arrive,
    Skip,
}

/// `stop_id`: the stop to show; `None` = the tour's current stop.
#[component]
pub fn StopPage(stop_id: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    let dialog = RwSignal::new(None::<Dialog>);
    // The stop shown stays pinned after an outcome, so its result and the undo stay visible.
    let pinned = RwSignal::new(stop_id);
    // Loads again after every recorded action (and "next"); pinning the loaded stop below
    // must not load it a second time, or the screen would be rebuilt under the finger.
    let stop = LocalResource::new(move || {
        nav.changed.track();
        let id = pinned.get_untracked();
        async move {
            match id {
                Some(id) => api::stop_detail(&id).await,
                None => api::current_stop().await,
            }
        }
    });
    Effect::new(move |_| {
        let shown = stop.with(|s| match s {
            Some(Ok(Some(s))) => Some(s.stop_id.clone()),
            _ => None,
        });
        if shown.is_some() && pinned.get_untracked() != shown {
            pinned.set(shown);
        }
    });
    // Arrived / skip: reload on success, show the error otherwise.
    let stop_action = Action::new_local(move |(what, id): &(StopAction, String)| {
        let (what, id) = (*what, id.clone());
        async move {
            let recorded: RecordedUi = match what {
                StopAction::Arrive => api::arrive(&id).await?,
                StopAction::Skip => api::skip_stop(&id).await?,
            };
            nav.notice.set(
                recorded
                    .warnings
                    .first()
                    .map(|w| i18n.t(&format!("warn-{w}"))),
            );
            nav.bump();
            Ok::<(), UiError>(())
        }
    });
    let action_error = move || stop_action.value().get().and_then(Result::err);

    let next = move |_| {
        nav.undo.set(None);
        nav.notice.set(None);
        pinned.set(None);
        if nav.screen.get_untracked() == Screen::Stop(None) {
            nav.bump();
        } else {
            nav.screen.set(Screen::Stop(None));
        }
    };

    // The loaded stop, split so that recording one parcel re-renders that parcel's card and
    // not the whole screen: the stop card, the guidance (its timer and position query) and
    // the scan panel each update only when what they show changes.
    let loaded = Memo::new(move |_| match stop.get() {
        Some(Ok(Some(s))) => Some(s),
        _ => None,
    });
    let card = Memo::new(move |_| loaded.with(|s| s.as_ref().map(StopHeader::of)));
    let guide = Memo::new(move |_| loaded.get().map(|s| (s.stop_id, s.route)));
    let scan = Memo::new(move |_| loaded.get().filter(stop_open).map(|s| s.stop_id));
    let parcels = Memo::new(move |_| loaded.get().map(|s| (s.stop_id.clone(), s.parcels)));

    view! {
        <crate::pages::station::phone::PhoneHold />
        <crate::pages::ride::driver::RideBanner />
        {move || match stop.get() {
            None => view! { <p class="muted">{i18n.t("stop-loading")}</p> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e /> }.into_any(),
            Some(Ok(None)) => view! {
                <section class="card" data-testid="no-stop">
                    <p class="ok">{i18n.t("stop-none")}</p>
                    <button class="primary" on:click=move |_| nav.screen.set(Screen::Tour)>{i18n.t("nav-tour")}</button>
                </section>
            }.into_any(),
            Some(Ok(Some(_))) => ().into_any(),
        }}
        // Two columns on a wide screen (tablet landscape, desktop): where and how to get
        // there on the left, the parcels and their work on the right.
        <Show when=move || loaded.with(Option::is_some)>
            <div class="split">
                <div class="col">
                    {move || card.get().map(|s| view! {
                        <section class="card stopcard" data-testid="stop" data-stop-id=s.stop_id.clone() data-state=state_attr(s.state)>
                            <p class="muted">
                                {i18n.tf("stop-title", &[("n", s.sequence.into())])} " · "
                                <span class=format!("pill {}", state_attr(s.state))>{i18n.t(state_key(s.state))}</span>
                                {kind_key(&s.kind).map(|key| view! {
                                    " " <span class="pill kind" data-testid="stop-kind" data-kind=s.kind.clone()>{i18n.t(key)}</span>
                                })}
                            </p>
                            {(s.kind == "service").then(|| {
                                let m = minutes(s.service_seconds);
                                view! { <p data-testid="service-duration">{move || i18n.tf("service-planned", &[("minutes", m.into())])}</p> }
                            })}
                            <h2 data-testid="stop-address" dir="auto">{s.address.clone()}</h2>
                            {s.name.clone().map(|n| view! { <p><strong>{n}</strong></p> })}
                            {s.access_notes.clone().map(|n| view! {
                                <p class="notes" data-testid="access-notes"><strong>{i18n.t("stop-notes")}</strong> " " {n}</p>
                            })}
                            {s.time_window.map(|(a, b)| view! {
                                <p data-testid="time-window">{move || i18n.tf("stop-window", &[("window", window(a, b, i18n.lang.get()).into())])}</p>
                            })}
                        </section>
                        {(s.open_before > 0 && s.open).then(|| view! {
                            <p class="card warn" data-testid="out-of-order">{i18n.tf("stop-out_of_order", &[("n", s.open_before.into())])}</p>
                        })}
                    })}
                    // The offline map (issue 17) as a strip under the address, then the stop's
                    // buttons: on a phone (360x800) the stop's pin and "Arrive" are on screen
                    // without scrolling; the directions follow.
                    {move || loaded.get().map(|s| view! { <crate::components::map::StopMap stop=s /> })}
                    {move || card.get().filter(|s| s.open).map(|s| {
                        let (arrive_id, skip_id) = (s.stop_id.clone(), s.stop_id.clone());
                        let arrived = s.state == StopState::Arrived;
                        view! {
                            <div class="actions">
                                {(!arrived).then(|| view! {
                                    <button class="secondary big" data-testid="arrive"
                                        on:click=move |_| { stop_action.dispatch((StopAction::Arrive, arrive_id.clone())); }>{i18n.t("stop-arrive")}</button>
                                })}
                                <button class="secondary big" data-testid="skip"
                                    on:click=move |_| { stop_action.dispatch((StopAction::Skip, skip_id.clone())); }>{i18n.t("stop-skip")}</button>
                            </div>
                        }
                    })}
                    {move || action_error().map(|e| view! { <ErrorBox error=e /> })}
                    {move || guide.get().map(|(stop_id, route)| view! { <Guidance stop_id=stop_id route=route /> })}
                </div>
                <div class="col">
                    {move || card.get().filter(|s| s.kind == "service").map(|s| view! { <ServicePanel stop_id=s.stop_id /> })}
                    {move || scan.get().map(|stop_id| {
                        let (sid, rid) = (stop_id.clone(), stop_id.clone());
                        // The parcels as they are when the scan comes in, not when the panel was built.
                        let found = Callback::new(move |id: String| {
                            let hit = parcels.with_untracked(|p| {
                                p.as_ref().and_then(|(_, list)| {
                                    list.iter()
                                        .find(|p| p.tracking_id == id && p.state == ParcelStateUi::Pending)
                                        .cloned()
                                })
                            });
                            if let Some(p) = hit {
                                dialog.set(Some(if p.is_return {
                                    Dialog::Pickup(sid.clone(), p.tracking_id.clone())
                                } else {
                                    Dialog::Deliver(sid.clone(), p)
                                }));
                            }
                        });
                        let take_return = Callback::new(move |label: String| dialog.set(Some(Dialog::Pickup(rid.clone(), label))));
                        view! { <ScanPanel stop_id=stop_id found=found take_return=take_return /> }
                    })}
                    <h3>{move || i18n.t("stop-parcels")}</h3>
                    <ul class="parcels">
                        {move || parcels.get().map(|(stop_id, list)| {
                            list.into_iter().map(|p| view! { <ParcelCard stop_id=stop_id.clone() parcel=p dialog=dialog /> }).collect_view()
                        })}
                    </ul>
                    {move || card.get().filter(|s| !s.open).map(|_| view! {
                        <button class="primary" data-testid="next-stop" on:click=next>{i18n.t("stop-next")}</button>
                    })}
                </div>
            </div>
        </Show>
        // Outside the stop view, so a language switch does not reset what the driver typed.
        {move || dialog.get().map(|d| match d {
            Dialog::Deliver(sid, p) => view! { <DeliverDialog stop_id=sid parcel=p dialog=dialog /> }.into_any(),
            Dialog::Fail(sid, p) => view! { <FailDialog stop_id=sid parcel=p dialog=dialog /> }.into_any(),
            Dialog::Pickup(sid, label) => view! { <PickupDialog stop_id=sid label=label dialog=dialog /> }.into_any(),
            Dialog::Correct(p) => view! { <CorrectDialog parcel=p dialog=dialog /> }.into_any(),
        })}
    }
}

/// What the stop card and the stop's buttons show: the stop without its parcels and route,
/// so that recording a parcel leaves it equal (and the card as it is).
#[derive(Debug, Clone, PartialEq)]
struct StopHeader {
    stop_id: String,
    sequence: u32,
    address: String,
    name: Option<String>,
    access_notes: Option<String>,
    time_window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    state: StopState,
    open_before: u32,
    /// See [`stop_open`].
    open: bool,
    /// The stop's kind (`service`, `parcel_shop`, `pickup`, ...) and planned time there.
    kind: String,
    service_seconds: u32,
}

impl StopHeader {
    fn of(s: &StopView) -> Self {
        Self {
            stop_id: s.stop_id.clone(),
            sequence: s.sequence,
            address: s.address.clone(),
            name: s.name.clone(),
            access_notes: s.access_notes.clone(),
            time_window: s.time_window,
            state: s.state,
            open_before: s.open_before,
            open: stop_open(s),
            kind: s.kind.clone(),
            service_seconds: s.service_seconds,
        }
    }
}

/// Whether the stop still has work: a pending parcel, or (without parcels) no visit yet. A
/// stop without parcels (a visit, or all its parcels moved elsewhere) is done when the driver
/// says "I am here"; until then it stays open.
/// A service stop stays open until its visit is finished.
fn stop_open(s: &StopView) -> bool {
    s.parcels.iter().any(|p| p.state == ParcelStateUi::Pending)
        || (s.parcels.is_empty() && matches!(s.state, StopState::Open))
        || (s.kind == "service" && matches!(s.state, StopState::Open | StopState::Arrived))
}

/// The badge of a stop kind that is not a plain delivery.
fn kind_key(kind: &str) -> Option<&'static str> {
    match kind {
        "service" => Some("service-kind-service"),
        "parcel_shop" => Some("service-kind-parcel_shop"),
        "pickup" => Some("service-kind-pickup"),
        _ => None,
    }
}

/// One parcel of the stop with its state and, while pending, its actions.
#[component]
fn ParcelCard(
    stop_id: String,
    parcel: ParcelLine,
    dialog: RwSignal<Option<Dialog>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let p = parcel;
    let pending = p.state == ParcelStateUi::Pending && !p.is_return;
    let return_open = p.state == ParcelStateUi::Pending && p.is_return;
    let (d, f) = (p.clone(), p.clone());
    let (dstop, fstop, pstop) = (stop_id.clone(), stop_id.clone(), stop_id);
    let plabel = p.tracking_id.clone();
    // A recorded delivery or failed attempt can be corrected (undo is the quick path).
    let correctable = matches!(p.state, ParcelStateUi::Delivered | ParcelStateUi::Failed)
        && !p.is_return
        && p.outcome_event_id.is_some();
    let c = p.clone();
    view! {
        <li class="card parcel" data-testid="parcel" data-tracking-id=p.tracking_id.clone()
            data-state=parcel_attr(p.state)>
            <p><code>{p.tracking_id.clone()}</code> " · "
                <strong>{move || i18n.t(parcel_key(p.state))}</strong></p>
            {p.is_return.then(|| view! { <p class="warn">{move || i18n.t("parcel-return")}</p> })}
            {p.signature_required.then(|| view! { <p class="warn">{move || i18n.t("parcel-signature")}</p> })}
            {p.id_check.then(|| view! { <p class="warn">{move || i18n.t("parcel-id_check")}</p> })}
            {p.outcome_summary.clone().map(|o| view! { <p class="muted" data-testid="outcome" dir="auto">{o}</p> })}
            {correctable.then(|| view! {
                <div class="actions">
                    <button class="secondary" data-testid="correct"
                        on:click=move |_| dialog.set(Some(Dialog::Correct(c.clone())))>{move || i18n.t("parcel-correct")}</button>
                </div>
            })}
            {pending.then(|| view! {
                <div class="actions">
                    <button class="primary" data-testid="deliver"
                        on:click=move |_| dialog.set(Some(Dialog::Deliver(dstop.clone(), d.clone())))>{move || i18n.t("stop-deliver")}</button>
                    <button class="danger" data-testid="fail"
                        on:click=move |_| dialog.set(Some(Dialog::Fail(fstop.clone(), f.clone())))>{move || i18n.t("stop-fail")}</button>
                </div>
            })}
            {return_open.then(|| view! {
                <div class="actions">
                    <button class="primary" data-testid="pick-up"
                        on:click=move |_| dialog.set(Some(Dialog::Pickup(pstop.clone(), plabel.clone())))>{move || i18n.t("stop-pick_up")}</button>
                </div>
            })}
        </li>
    }
}
