//! The driver's side of a ride-along, mounted on the driver's screens with one line
//! (`<RideBanner />`): that a ride-along is running and who rides along, and "my records",
//! where the driver reads a whole record, comments, signs or declines, and exports a copy.

use lastmile_protocol::ride::ui::{MyRecordUi, RideAnswerArgs};
use lastmile_protocol::ride::{RideStatusDto, localized};
use leptos::prelude::*;

use super::api;
use super::forms::{category_label, grade_key};
use crate::app::Nav;
use crate::components::error_box::ErrorBox;
use crate::components::signature::{PadHandle, SignaturePad};
use crate::i18n::use_i18n;

fn status_key(s: RideStatusDto) -> &'static str {
    match s {
        RideStatusDto::Running => "ride-status-running",
        RideStatusDto::AwaitingDriver => "ride-status-awaiting_you",
        RideStatusDto::Signed => "ride-status-signed",
        RideStatusDto::Declined => "ride-status-declined",
    }
}

/// The banner on the driver's screens and the "my records" list behind it.
#[component]
pub fn RideBanner() -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    let version = RwSignal::new(0u32);
    let mine = LocalResource::new(move || {
        nav.changed.track();
        version.get();
        api::mine()
    });
    let open = RwSignal::new(false);
    view! {
        {move || mine.get().and_then(Result::ok).filter(|m| !m.records.is_empty()).map(|m| {
            let waiting = m.records.iter().filter(|r| r.record.summary.status == RideStatusDto::AwaitingDriver && r.my_answer.is_none()).count();
            view! {
                <section class="card ride-banner" data-testid="ride-banner">
                    {m.riding_along.clone().map(|sup| {
                        let who = sup.clone();
                        view! {
                            <p class="notes" data-testid="ride-running" data-supervisor=who>
                                {move || i18n.tf("ride-banner_running", &[("supervisor", sup.clone().into())])}
                            </p>
                        }
                    })}
                    {(waiting > 0).then(|| view! {
                        <p class="warn" data-testid="ride-waiting">{move || i18n.tf("ride-banner_waiting", &[("n", waiting.into())])}</p>
                    })}
                    <button class="secondary big" data-testid="ride-my-records" on:click=move |_| open.update(|o| *o = !*o)>
                        {move || i18n.tf("ride-my_records", &[("n", m.records.len().into())])}
                    </button>
                </section>
            }
        })}
        <Show when=move || open.get()>
            <MyRecords mine=mine version=version />
        </Show>
    }
}

/// The driver's records, newest first; one opens whole.
#[component]
fn MyRecords(
    mine: LocalResource<
        Result<lastmile_protocol::ride::ui::MyRecordsUi, lastmile_protocol::ui::UiError>,
    >,
    version: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(None::<uuid::Uuid>);
    view! {
        <section data-testid="ride-records">
            <h2>{move || i18n.t("ride-records_title")}</h2>
            {move || mine.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                Ok(m) => {
                    let stale = (!m.fresh).then(|| view! { <p class="muted" data-testid="ride-records-kept">{i18n.t("ride-records_kept")}</p> });
                    let list = m.records.into_iter().map(|r| {
                        let id = r.record.summary.ride_along_id;
                        let open = move || chosen.get() == Some(id);
                        let s = r.record.summary.clone();
                        let line = view! {
                            <li class="stopline" data-testid="ride-record" data-status=s.status.as_str()
                                on:click=move |_| chosen.set(if chosen.get_untracked() == Some(id) { None } else { Some(id) })>
                                <span class="addr"><b>{s.tour_date.to_string()}</b>" · "{s.supervisor_id.clone()}
                                    <br /><span class="muted">{move || i18n.t(status_key(s.status))}</span></span>
                            </li>
                        };
                        let detail = move || open().then(|| view! { <RecordDetail record=r.clone() version=version /> });
                        view! { {line} {detail} }
                    }).collect_view();
                    view! { {stale} <ol class="stops">{list}</ol> }.into_any()
                }
            })}
        </section>
    }
}

/// The whole record as the driver reads it, with their answer and the export.
#[component]
fn RecordDetail(record: MyRecordUi, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let MyRecordUi { record, my_answer } = record;
    let id = record.summary.ride_along_id;
    let comment = RwSignal::new(String::new());
    let pad = PadHandle::new();
    let answer = Action::new_local(|args: &RideAnswerArgs| api::answer(args.clone()));
    let export =
        Action::new_local(|(id, lang): &(uuid::Uuid, String)| api::export(*id, lang.clone()));
    let missing = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(_)) = answer.value().get() {
            version.update(|v| *v += 1);
        }
    });
    let can_answer = record.summary.status == RideStatusDto::AwaitingDriver
        && record.driver_answer.is_none()
        && my_answer.is_none();
    let sign = move |_| {
        let Some(signature) = pad.signature() else {
            missing.set(true);
            return;
        };
        missing.set(false);
        answer.dispatch(RideAnswerArgs {
            ride_along_id: id,
            comment: comment.get_untracked(),
            signature: Some(signature),
        });
    };
    let decline = move |_| {
        answer.dispatch(RideAnswerArgs {
            ride_along_id: id,
            comment: comment.get_untracked(),
            signature: None,
        });
    };
    let template = record.template.clone();
    let item_text = move |item_id: &str, lang: &str| -> String {
        template
            .as_ref()
            .and_then(|t| t.item(item_id))
            .map_or(item_id.to_owned(), |(_, i)| {
                localized(&i.text, &i.texts, lang).to_owned()
            })
    };
    let pace = record.pace.clone();
    let fig = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{v:.1}"));
    let own = format!(
        "{} / {}",
        fig(pace.driver.stops_per_hour),
        fig(pace.driver.parcels_per_hour)
    );
    let with = format!(
        "{} / {}",
        fig(pace.with_assisted.stops_per_hour),
        fig(pace.with_assisted.parcels_per_hour)
    );
    let answered = record
        .driver_answer
        .as_ref()
        .map(|a| (a.signed, a.comment.clone()))
        .or(my_answer.as_ref().map(|a| (a.signed, a.comment.clone())));
    view! {
        <section class="card" data-testid="ride-record-detail" data-status=record.summary.status.as_str()>
            <p>{move || i18n.tf("ride-record_by", &[("supervisor", record.summary.supervisor_id.clone().into())])}</p>
            <h3>{move || i18n.t("ride-observations")}</h3>
            <ul>
                {record.observations.iter().map(|o| {
                    let (stop, category, text) = (o.stop_id.clone(), o.category, o.text.clone());
                    let place = move || stop.clone().unwrap_or_else(|| i18n.t("ride-whole_day"));
                    view! { <li data-testid="ride-record-observation">{move || category_label(i18n, category)}" · "{place}": "{text}</li> }
                }).collect_view()}
            </ul>
            <h3>{move || i18n.t("ride-nav-checklist")}</h3>
            <ul>
                {record.grades.iter().map(|g| {
                    let (item, grade) = (g.item_id.clone(), g.grade);
                    let item_text = item_text.clone();
                    view! {
                        <li data-testid="ride-record-grade" data-grade=grade.as_str()>
                            {move || item_text(&item, i18n.lang.get().code())}": "{move || i18n.t(grade_key(grade))}</li>
                    }
                }).collect_view()}
            </ul>
            <h3>{move || i18n.t("ride-assist_title")}</h3>
            <ul>
                {record.assisted.iter().map(|a| {
                    let what = a.what;
                    view! { <li data-testid="ride-record-assisted">{a.stop_id.clone()}": "{move || i18n.t(super::assist_key(what))}</li> }
                }).collect_view()}
            </ul>
            <h3>{move || i18n.t("ride-pace")}</h3>
            <p data-testid="ride-pace-own">{move || i18n.tf("ride-pace_own", &[("figures", own.clone().into())])}</p>
            <p data-testid="ride-pace-with">{move || i18n.tf("ride-pace_with", &[("figures", with.clone().into())])}</p>
            <h3>{move || i18n.t("ride-notes")}</h3>
            <p class="notes" data-testid="ride-record-notes">{record.coaching_notes.clone().unwrap_or_default()}</p>
            <p data-testid="ride-record-supervisor-signed">{move || if record.supervisor_signature.is_some() {
                i18n.t("ride-supervisor_signed") } else { i18n.t("ride-supervisor_not_signed") }}</p>
            {answered.map(|(signed, c)| view! {
                <p class="ok" data-testid="ride-answered" data-signed=signed.to_string()>
                    {move || if signed { i18n.t("ride-you_signed") } else { i18n.t("ride-you_declined") }}
                </p>
                <p>{c}</p>
            })}
            {can_answer.then(|| view! {
                <div class="form" data-testid="ride-answer">
                    <label>{move || i18n.t("ride-comment")}
                        <textarea data-testid="ride-comment" rows="3" prop:value=move || comment.get()
                            on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                    </label>
                    <SignaturePad pad=pad />
                    {move || missing.get().then(|| view! { <p class="error">{i18n.t("ride-sign_missing")}</p> })}
                    <button class="primary" data-testid="ride-driver-sign" disabled=move || answer.pending().get() on:click=sign>
                        {move || i18n.t("ride-driver_sign")}</button>
                    <button class="danger" data-testid="ride-driver-decline" disabled=move || answer.pending().get() on:click=decline>
                        {move || i18n.t("ride-driver_decline")}</button>
                    {move || answer.value().get().and_then(Result::err).map(|e| view! { <ErrorBox error=e /> })}
                </div>
            })}
            <button class="secondary big" data-testid="ride-export"
                on:click=move |_| { export.dispatch((id, i18n.lang.get_untracked().code().to_owned())); }>
                {move || i18n.t("ride-export")}</button>
            {move || export.value().get().map(|r| match r {
                Ok(e) => view! { <p class="ok" data-testid="ride-export-path" data-path=e.path.clone()>{i18n.tf("ride-exported", &[("path", e.path.clone().into())])}</p> }.into_any(),
                Err(e) => view! { <ErrorBox error=e /> }.into_any(),
            })}
        </section>
    }
}
