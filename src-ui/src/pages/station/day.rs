//! A driver's day on the tablet: who, which tour and van, where they are, and one tab per
//! step — vehicle and inspection (a safety defect holds the tour until the lead clears it),
//! card stack, load-out, return to station, close-out.

use lastmile_protocol::events::EventBody;
use std::collections::HashMap;

use lastmile_protocol::station::{
    CardRange, DayState, HoldResolution, InspectionItemResult, InspectionPhase, ItemPhotoArg,
    StationDayUi,
};
use lastmile_protocol::ui::UiError;
use leptos::prelude::*;

use super::close_out::CloseOutStep;
use super::scans::{LoadOutStep, ReturnStep};
use super::{Here, StationError, Step, api, freshness, state_key};
use crate::components::photo::chosen_file;
use crate::i18n::use_i18n;

const REFRESH: std::time::Duration = std::time::Duration::from_secs(5);

/// What every step of the day works with: the day as last answered, and the action that
/// records a station event on it (answered with the day after it).
#[derive(Clone, Copy)]
pub(crate) struct DayCtx {
    pub day: RwSignal<Option<StationDayUi>>,
    pub act: Action<(String, EventBody, Vec<ItemPhotoArg>), Result<StationDayUi, UiError>>,
}

impl DayCtx {
    /// Records `body` on the driver's tour.
    pub fn record(&self, body: EventBody) {
        self.record_with(body, Vec::new());
    }

    /// Records `body` with photos of its inspection items.
    pub fn record_with(&self, body: EventBody, photos: Vec<ItemPhotoArg>) {
        if let Some(day) = self.day.get_untracked() {
            self.act.dispatch((day.day.row.tour_id, body, photos));
        }
    }

    pub fn driver(&self) -> String {
        self.day
            .get_untracked()
            .map(|d| d.day.row.driver_id)
            .unwrap_or_default()
    }
}

#[component]
pub(crate) fn DayScreen(driver: String, step: Step) -> impl IntoView {
    let i18n = use_i18n();
    let here = expect_context::<RwSignal<Here>>();
    let tick = RwSignal::new(0u32);
    let current = RwSignal::new(None::<StationDayUi>);
    let load_error = RwSignal::new(None::<UiError>);
    let loader = {
        let driver = driver.clone();
        LocalResource::new(move || {
            tick.track();
            api::day(driver.clone())
        })
    };
    Effect::new(move |_| match loader.get() {
        Some(Ok(d)) => {
            load_error.set(None);
            // Unchanged (but for the time of the answer): keep the screen as it is, so a
            // checklist being filled in is not redrawn under the finger.
            let same = current.with_untracked(|c| {
                c.as_ref().is_some_and(|c| {
                    c.day == d.day && c.pending == d.pending && c.offline == d.offline
                })
            });
            if !same {
                current.set(Some(d));
            }
        }
        Some(Err(e)) => load_error.set(Some(e)),
        None => {}
    });
    let act = Action::new_local(
        |(tour, body, photos): &(String, EventBody, Vec<ItemPhotoArg>)| {
            api::act(tour.clone(), body.clone(), photos.clone())
        },
    );
    Effect::new(move |_| {
        if let Some(Ok(d)) = act.value().get() {
            current.set(Some(d));
        }
    });
    match set_interval_with_handle(move || tick.update(|t| *t += 1), REFRESH) {
        Ok(handle) => on_cleanup(move || handle.clear()),
        Err(e) => leptos::logging::warn!("the day cannot refresh itself: {e:?}"),
    }
    let ctx = DayCtx { day: current, act };
    provide_context(ctx);
    let driver_for_tabs = driver.clone();
    view! {
        <section data-testid="station-day" data-driver={let v = driver.clone(); move || v.clone()}>
            <div class="station-bar">
                <button class="secondary station-big" data-testid="station-to-board"
                    on:click=move |_| here.set(Here::Board)>{move || i18n.t("station-board-back")}</button>
            </div>
            {move || load_error.get().map(|e| view! { <StationError error=e /> })}
            {move || current.get().map(|d| view! { <DayHeader day=d /> })}
            <nav class="tabs station-tabs">
                {Step::ALL.into_iter().map(|s| {
                    let driver = driver_for_tabs.clone();
                    view! {
                        <button data-testid=format!("station-tab-{}", s.slug()) class:active=move || s == step
                            on:click=move |_| here.set(Here::Day(driver.clone(), s))>{move || i18n.t(s.key())}</button>
                    }
                }).collect_view()}
            </nav>
            {move || act.value().get().and_then(Result::err).map(|e| view! { <StationError error=e /> })}
            <Show when=move || current.with(Option::is_some) fallback=|| view! { <p class="muted">"…"</p> }>
                {match step {
                    Step::Vehicle => view! { <VehicleStep /> }.into_any(),
                    Step::Cards => view! { <CardsStep /> }.into_any(),
                    Step::LoadOut => view! { <LoadOutStep /> }.into_any(),
                    Step::Return => view! { <ReturnStep /> }.into_any(),
                    Step::CloseOut => view! { <CloseOutStep /> }.into_any(),
                }}
            </Show>
        </section>
    }
}

#[component]
fn DayHeader(day: StationDayUi) -> impl IntoView {
    let i18n = use_i18n();
    let row = day.day.row.clone();
    let (key, attr) = state_key(row.state);
    let name = row.name.clone().unwrap_or_else(|| row.driver_id.clone());
    let plate = row.plate.clone();
    view! {
        <div class="card station-dayhead" data-testid="station-day-head" data-state=move || attr
            data-tour={let v = row.tour_id.clone(); move || v.clone()}>
            <p><strong>{name}</strong> " · " <code>{row.tour_id.clone()}</code> " · "
                <span class=format!("pill state-{attr}")>{move || i18n.t(key)}</span></p>
            {plate.map(|p| view! { <p>{move || i18n.tf("station-day-vehicle", &[("plate", p.clone().into())])}</p> })}
            {freshness(day.offline, day.pending)}
        </div>
    }
}

/// The vehicle, its open defects, the inspection checklist, and a hold with what clears it.
#[component]
fn VehicleStep() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = expect_context::<DayCtx>();
    let plate_input = RwSignal::new(String::new());
    let other_plate = RwSignal::new(String::new());
    let day = move || ctx.day.get();
    let assign = move |_| {
        ctx.record(EventBody::VehicleAssigned {
            driver_id: ctx.driver(),
            plate: plate_input.get_untracked().trim().to_owned(),
        });
    };
    let clear_repaired = move |_| {
        ctx.record(EventBody::HoldCleared {
            driver_id: ctx.driver(),
            resolution: HoldResolution::Repaired,
        });
    };
    let clear_other = move |_| {
        ctx.record(EventBody::HoldCleared {
            driver_id: ctx.driver(),
            resolution: HoldResolution::OtherVehicle {
                plate: other_plate.get_untracked().trim().to_owned(),
            },
        });
    };
    view! {
        <section class="card" data-testid="station-vehicle">
            <datalist id="stationfleet">
                {move || day().map(|d| d.fleet.into_iter().map(|v| view! { <option value=v.plate.clone()>{v.label}</option> }).collect_view())}
            </datalist>
            {move || day().and_then(|d| d.day.hold.clone()).map(|hold| {
                let plate = hold.plate.clone();
                view! {
                <div class="hold" data-testid="station-hold" data-plate={let v = hold.plate.clone(); move || v.clone()}>
                    <p class="error">{move || i18n.tf("station-hold-title", &[("plate", plate.clone().into())])}</p>
                    <ul>{hold.defects.iter().map(|d| view! {
                        <li data-testid="station-hold-defect" data-item={let v = d.item_id.clone(); move || v.clone()}>
                            {item_label(&d.item_id)} {d.note.clone().map(|n| format!(" — {n}"))}</li>
                    }).collect_view()}</ul>
                    <p>{move || i18n.t("station-hold-what")}</p>
                    <button class="primary station-big" data-testid="station-clear-repaired" on:click=clear_repaired>
                        {move || i18n.t("station-hold-repaired")}</button>
                    <label>{move || i18n.t("station-hold-other_plate")}
                        <input list="stationfleet" data-testid="station-other-plate" autocomplete="off"
                            prop:value=move || other_plate.get() on:input=move |ev| other_plate.set(event_target_value(&ev)) />
                    </label>
                    <button class="primary station-big" data-testid="station-clear-other" on:click=clear_other>
                        {move || i18n.t("station-hold-other")}</button>
                </div>
            }})}
            {move || day().filter(|d| d.day.row.plate.is_none()).map(|_| view! {
                <label>{move || i18n.t("station-vehicle-plate")}
                    <input list="stationfleet" data-testid="station-plate" autocomplete="off"
                        prop:value=move || plate_input.get() on:input=move |ev| plate_input.set(event_target_value(&ev)) />
                </label>
                <button class="primary station-big" data-testid="station-assign" on:click=assign>
                    {move || i18n.t("station-vehicle-assign")}</button>
            })}
            {move || day().filter(|d| d.day.row.plate.is_some() && d.day.hold.is_none()).map(|d| view! { <Inspection day=d /> })}
        </section>
    }
}

/// The item's label in the tablet's language (the template's English label otherwise).
fn item_label(item_id: &str) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let key = format!("station-item-{item_id}");
    let id = item_id.to_owned();
    move || {
        if i18n.has(&key) {
            i18n.t(&key)
        } else {
            id.clone()
        }
    }
}

/// A checklist being filled in: per item defect or ok, the note and the photo (its base64
/// and preview URL).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Draft {
    defects: HashMap<String, bool>,
    notes: HashMap<String, String>,
    photos: HashMap<String, (String, String)>,
}

/// The checklists being filled in on this tablet, by driver, vehicle, phase and how many
/// inspections of them are recorded. They live with the station mode, not with the
/// checklist on screen: the day redraws itself whenever an answer differs (a sync acked,
/// the Wi-Fi dropped or came back, the driver's phone recorded something), and a redraw
/// must not wipe what the lead has ticked, typed or photographed. A recorded inspection
/// starts the next one blank.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Drafts(RwSignal<HashMap<String, Draft>>);

impl Drafts {
    pub(crate) fn new() -> Self {
        Drafts(RwSignal::new(HashMap::new()))
    }

    fn read<R>(self, key: &str, f: impl FnOnce(&Draft) -> R) -> R {
        self.0.with(|m| match m.get(key) {
            Some(d) => f(d),
            None => f(&Draft::default()),
        })
    }

    fn write(self, key: &str, f: impl FnOnce(&mut Draft)) {
        self.0.update(|m| f(m.entry(key.to_owned()).or_default()));
    }

    /// Forgets the drafts of `prefix` other than `key` (inspections recorded since).
    fn keep_only(self, prefix: &str, key: &str) {
        let stale = self
            .0
            .with_untracked(|m| m.keys().any(|k| k.starts_with(prefix) && k != key));
        if stale {
            self.0
                .update(|m| m.retain(|k, _| !k.starts_with(prefix) || k == key));
        }
    }
}

#[component]
fn Inspection(day: StationDayUi) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = expect_context::<DayCtx>();
    let drafts = expect_context::<Drafts>();
    let plate = day.day.row.plate.clone().unwrap_or_default();
    let template = day.template.clone();
    let phase = if matches!(day.day.row.state, DayState::OnRoad | DayState::Back) {
        InspectionPhase::PostTrip
    } else {
        InspectionPhase::PreTrip
    };
    let done = day
        .day
        .inspections
        .iter()
        .any(|i| i.plate == plate && i.phase == phase && i.passed);
    let recorded = day
        .day
        .inspections
        .iter()
        .filter(|i| i.plate == plate && i.phase == phase)
        .count();
    let prefix = format!("{}|{plate}|{phase:?}|", day.day.row.driver_id);
    let key = format!("{prefix}{recorded}");
    drafts.keep_only(&prefix, &key);
    let open = day.open_defects.clone();
    let submit = {
        let template = template.clone();
        let plate = plate.clone();
        let key = key.clone();
        move |_| {
            let (items, photos) = drafts.read(&key, |d| {
                let defect = |id: &str| d.defects.get(id).copied().unwrap_or(false);
                let items = template
                    .items
                    .iter()
                    .map(|t| InspectionItemResult {
                        item_id: t.item_id.clone(),
                        ok: !defect(&t.item_id),
                        note: d
                            .notes
                            .get(&t.item_id)
                            .filter(|n| !n.trim().is_empty())
                            .cloned(),
                        photo: None,
                    })
                    .collect::<Vec<_>>();
                // A photo goes with a defect, or with an item whose photo is asked for.
                let photos = template
                    .items
                    .iter()
                    .filter(|t| t.photo || defect(&t.item_id))
                    .filter_map(|t| {
                        d.photos.get(&t.item_id).map(|(b64, _)| ItemPhotoArg {
                            item_id: t.item_id.clone(),
                            photo_b64: b64.clone(),
                        })
                    })
                    .collect::<Vec<_>>();
                (items, photos)
            });
            ctx.record_with(
                EventBody::InspectionRecorded {
                    driver_id: ctx.driver(),
                    plate: plate.clone(),
                    phase,
                    template_id: template.template_id.clone(),
                    template_version: template.version,
                    items,
                },
                photos,
            );
        }
    };
    let phase_key = match phase {
        InspectionPhase::PreTrip => "station-inspection-pre",
        InspectionPhase::PostTrip => "station-inspection-post",
    };
    view! {
        <div data-testid="station-inspection" data-phase=move || if phase == InspectionPhase::PreTrip { "pre_trip" } else { "post_trip" }
            data-done={let v = done.to_string(); move || v.clone()}>
            <h3>{move || i18n.tf(phase_key, &[("plate", plate.clone().into())])}</h3>
            {(!open.is_empty()).then(|| view! {
                <div class="notes" data-testid="station-open-defects">
                    <p class="warn">{move || i18n.t("station-inspection-open_defects")}</p>
                    <ul>{open.iter().map(|d| {
                        let item = d.item_id.clone();
                        let item_attr = item.clone();
                        let plate = d.plate.clone();
                        view! {
                            <li data-testid="station-open-defect" data-item={let v = item_attr.clone(); move || v.clone()}>
                                {item_label(&item_attr)} {d.note.clone().map(|n| format!(" — {n}"))} " "
                                <button class="secondary" data-testid="station-repaired"
                                    on:click=move |_| ctx.record(EventBody::DefectRepaired {
                                        driver_id: ctx.driver(), plate: plate.clone(), item_id: item.clone(), note: None })>
                                    {move || i18n.t("station-inspection-mark_repaired")}</button>
                            </li>
                        }
                    }).collect_view()}</ul>
                </div>
            })}
            {done.then(|| view! { <p class="ok" data-testid="station-inspection-passed">{move || i18n.t("station-inspection-passed")}</p> })}
            <ul class="checklist">
                {template.items.iter().map(|t| view! { <CheckItem key=key.clone() item_id=t.item_id.clone() safety=t.safety photo_asked=t.photo /> }).collect_view()}
            </ul>
            <button class="primary station-big" data-testid="station-inspect" on:click=submit>
                {move || i18n.t("station-inspection-submit")}</button>
        </div>
    }
}

/// One item of the checklist: ok or defect, and with a defect the note; a photo with a
/// defect or where the template asks for one. Everything is read from and written to the
/// draft `key`.
#[component]
fn CheckItem(key: String, item_id: String, safety: bool, photo_asked: bool) -> impl IntoView {
    let i18n = use_i18n();
    let drafts = expect_context::<Drafts>();
    // Memos: typing a note changes the draft, and must not redraw (and unfocus) the field.
    let is_defect = {
        let (key, id) = (key.clone(), item_id.clone());
        Memo::new(move |_| drafts.read(&key, |d| d.defects.get(&id).copied().unwrap_or(false)))
    };
    let choose = {
        let (key, id) = (key.clone(), item_id.clone());
        move |defect: bool| {
            drafts.write(&key, |d| {
                d.defects.insert(id.clone(), defect);
            })
        }
    };
    let note = {
        let (key, id) = (key.clone(), item_id.clone());
        Memo::new(move |_| drafts.read(&key, |d| d.notes.get(&id).cloned().unwrap_or_default()))
    };
    let set_note = {
        let (key, id) = (key.clone(), item_id.clone());
        move |text: String| {
            drafts.write(&key, |d| {
                d.notes.insert(id.clone(), text);
            })
        }
    };
    let choose_ok = choose.clone();
    view! {
        <li class="checkitem" data-testid="station-item" data-item={let v = item_id.clone(); move || v.clone()} data-safety=move || safety.to_string()>
            <span class="label">{item_label(&item_id)} {safety.then(|| view! { " " <span class="pill state-held">{move || i18n.t("station-inspection-safety")}</span> })}</span>
            <span class="choices">
                <button class="choice" data-testid="station-item-ok" class:selected=move || !is_defect.get()
                    on:click=move |_| choose_ok(false)>{move || i18n.t("station-inspection-ok")}</button>
                <button class="choice" data-testid="station-item-defect" class:selected=move || is_defect.get()
                    on:click=move |_| choose(true)>{move || i18n.t("station-inspection-defect")}</button>
            </span>
            {move || is_defect.get().then(|| {
                let set_note = set_note.clone();
                view! {
                    <input data-testid="station-item-note" placeholder=move || i18n.t("station-inspection-note")
                        prop:value=move || note.get() on:input=move |ev| set_note(event_target_value(&ev)) />
                }
            })}
            {
                let (key, id) = (key.clone(), item_id.clone());
                move || (photo_asked || is_defect.get()).then(|| view! { <ItemPhoto key=key.clone() item_id=id.clone() asked=photo_asked /> })
            }
        </li>
    }
}

/// The photo of a checklist item, kept in its draft until the inspection is recorded.
#[component]
fn ItemPhoto(key: String, item_id: String, asked: bool) -> impl IntoView {
    let i18n = use_i18n();
    let drafts = expect_context::<Drafts>();
    let preview = {
        let (key, id) = (key.clone(), item_id.clone());
        Memo::new(move |_| drafts.read(&key, |d| d.photos.get(&id).map(|(_, url)| url.clone())))
    };
    let read = {
        let (key, id) = (key.clone(), item_id.clone());
        Action::new_local(move |ev: &web_sys::Event| {
            let (ev, key, id) = (ev.clone(), key.clone(), id.clone());
            async move {
                let chosen = chosen_file(&ev).await;
                if let Some(Ok((b64, url))) = &chosen {
                    drafts.write(&key, |d| {
                        d.photos.insert(id, (b64.clone(), url.clone()));
                    });
                }
                chosen.and_then(Result::err)
            }
        })
    };
    let remove = move |_| {
        drafts.write(&key, |d| {
            d.photos.remove(&item_id);
        });
    };
    let label = if asked {
        "station-inspection-photo_asked"
    } else {
        "station-inspection-photo"
    };
    view! {
        <div class="photo-field">
            <label class="file-button">
                <span>{move || i18n.t(label)}</span>
                <input type="file" accept="image/*" capture="environment" data-testid="station-item-photo"
                    on:change=move |ev| { read.dispatch(ev); } />
            </label>
            {move || preview.get().map(|url| view! {
                <div class="preview">
                    <img src=url alt="" data-testid="station-item-photo-preview" />
                    <button class="secondary" data-testid="station-item-photo-remove" on:click=remove.clone()>
                        {move || i18n.t("photo-remove")}
                    </button>
                </div>
            })}
            {move || read.value().get().flatten().map(|e| view! { <crate::components::error_box::ErrorBox error=e /> })}
        </div>
    }
}

/// The card stack: first and last number of the pre-printed stack.
#[component]
fn CardsStep() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = expect_context::<DayCtx>();
    let first = RwSignal::new(String::new());
    let last = RwSignal::new(String::new());
    let issue = move |_| {
        ctx.record(EventBody::CardStackIssued {
            driver_id: ctx.driver(),
            range: CardRange {
                first: first.get_untracked().trim().to_uppercase(),
                last: last.get_untracked().trim().to_uppercase(),
            },
        });
    };
    view! {
        <section class="card" data-testid="station-cards">
            <h3>{move || i18n.t("station-cards-title")}</h3>
            <ul data-testid="station-stacks">
                {move || ctx.day.get().map(|d| d.day.card_stacks.into_iter().map(|s| {
                    let n = s.count() as u32;
                    view! { <li data-testid="station-stack" data-first={let v = s.first.clone(); move || v.clone()} data-last={let v = s.last.clone(); move || v.clone()}>
                        <code>{s.first.clone()}</code> " – " <code>{s.last.clone()}</code> " · "
                        {move || i18n.tf("station-cards-count", &[("n", n.into())])}</li> }
                }).collect_view())}
            </ul>
            <div class="entry-row">
                <label>{move || i18n.t("station-cards-first")}
                    <input data-testid="station-card-first" autocomplete="off" autocapitalize="characters"
                        prop:value=move || first.get() on:input=move |ev| first.set(event_target_value(&ev)) /></label>
                <label>{move || i18n.t("station-cards-last")}
                    <input data-testid="station-card-last" autocomplete="off" autocapitalize="characters"
                        prop:value=move || last.get() on:input=move |ev| last.set(event_target_value(&ev)) /></label>
            </div>
            <button class="primary station-big" data-testid="station-issue-cards" on:click=issue>
                {move || i18n.t("station-cards-issue")}</button>
        </section>
    }
}
