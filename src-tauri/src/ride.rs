//! The ride-along commands (issue #13), for both phones.
//!
//! **Supervisor:** pick a driver they ride with (the server's list of tours they may see),
//! start (the driver's tour is downloaded and becomes this device's tour, the station's
//! checklist template is kept), then record observations, grades, assisted stops and the
//! signature: each one store action with its event in the common outbox, so it works offline.
//! [`ride_refresh`] pulls the driver's progress through the server's read views when online;
//! offline the screens show what was last fetched.
//!
//! **Driver:** [`ride_mine`] fetches the records about the driver (kept for offline reading),
//! [`ride_answer`] signs or declines one, [`ride_export`] writes a copy as an HTML page into
//! `<data folder>/exports/` (observations, grades, assisted stops, the pace with and without
//! them, both signatures as images, the comment).
// `#[tauri::command]` expands to a `let _ = …` on the command's result, which this lint flags.
#![allow(clippy::let_underscore_must_use)]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use lastmile_protocol::dispatch::{OutcomeView, TourSummary};
use lastmile_protocol::events::BlobKindDto;
use lastmile_protocol::ride::ui::{
    MyAnswerUi, MyRecordUi, MyRecordsUi, RideAnswerArgs, RideAssistArgs, RideDriverUi,
    RideExportUi, RideGradeArgs, RideObserveArgs, RideSignArgs, RideStartArgs, RideStopUi, RideUi,
};
use lastmile_protocol::ride::{ChecklistTemplate, RideAlongRecord, RideStatusDto, localized};
use lastmile_protocol::tour::TourSnapshot;
use lastmile_store::ride::LocalRide;
use lastmile_store::{BlobInput, BlobKind, Store};
use tauri::State;
use uuid::Uuid;

use crate::AppState;
use crate::commands::store;
use crate::device::{SyncHandle, lock};
use crate::error::CommandError;
use crate::proof;

/// The access token of the running sync loop (it may have refreshed), else the saved one.
async fn token(state: &AppState) -> Result<String, CommandError> {
    let running = state.sync.lock().await.as_ref().map(SyncHandle::session);
    let session = match running {
        Some(session) => session,
        None => state.saved.lock().await.session.clone(),
    };
    session
        .map(|s| s.access_token)
        .ok_or(CommandError::NotSignedIn)
}

async fn me(state: &AppState) -> Result<String, CommandError> {
    state
        .saved
        .lock()
        .await
        .session
        .as_ref()
        .map(|s| s.user_id.clone())
        .ok_or(CommandError::NotSignedIn)
}

fn server(state: &AppState) -> Result<&lastmile_sync::transport::ServerClient, CommandError> {
    state.server.as_ref().ok_or(CommandError::NoServer)
}

async fn nudge(state: &AppState) {
    if let Some(sync) = state.sync.lock().await.as_ref() {
        sync.nudge(lastmile_sync::runner::Nudge::LocalCommit);
    }
}

fn ride_ui(store: &Store, ride: LocalRide) -> Result<RideUi, CommandError> {
    let stops: Vec<RideStopUi> = store
        .ride_follow(Some(ride.ride_along_id))?
        .into_iter()
        .map(|f| RideStopUi {
            address: format!("{} {}, {}", f.street, f.house_number, f.city),
            stop_id: f.stop_id,
            sequence: f.sequence,
            parcels: f.parcels,
            parcels_done: f.parcels_done,
            finished: f.finished,
            current: f.current,
            assisted: f.assisted,
            observations: f.observations,
        })
        .collect();
    let progress_at = store.ride_outcomes(&ride.tour_id)?.map(|(_, at)| at);
    Ok(RideUi {
        ride_along_id: ride.ride_along_id,
        driver_id: ride.driver_id,
        tour_id: ride.tour_id,
        status: ride.status,
        started_at: ride.started_at,
        stops_done: stops.iter().filter(|s| s.finished).count() as u32,
        stops,
        progress_at,
        observations: ride.observations,
        grades: ride.grades,
        assisted: ride.assisted,
        template: store.ride_template()?,
        coaching_notes: ride.coaching_notes,
    })
}

fn current(state: &AppState) -> Result<(Uuid, RideUi), CommandError> {
    let store = lock(store(state)?);
    let ride = store
        .ride_current()?
        .ok_or_else(|| CommandError::Input("no ride-along on this device".into()))?;
    let id = ride.ride_along_id;
    Ok((id, ride_ui(&store, ride)?))
}

/// The drivers the signed-in supervisor rides with and their tours of today (online).
#[tauri::command]
pub async fn ride_drivers(state: State<'_, AppState>) -> Result<Vec<RideDriverUi>, CommandError> {
    let token = token(&state).await?;
    let tours: Vec<TourSummary> = server(&state)?
        .get(&token, lastmile_protocol::dispatch::TOURS)
        .await?;
    let today = chrono::Utc::now().date_naive();
    let mut out: Vec<RideDriverUi> = Vec::new();
    for t in tours {
        // The newest tour per driver, today's first (the list is newest first).
        if out.iter().any(|d| d.driver_id == t.driver_id) {
            continue;
        }
        if (t.date - today).num_days().abs() > 1 {
            continue;
        }
        out.push(RideDriverUi {
            driver_id: t.driver_id,
            tour_id: t.tour_id,
            date: t.date,
            stops_total: t.progress.stops_total,
            stops_done: t.progress.stops_done,
        });
    }
    Ok(out)
}

/// Starts a ride-along with `driver_id`: their tour of today becomes this device's tour.
#[tauri::command]
pub async fn ride_start(
    state: State<'_, AppState>,
    args: RideStartArgs,
) -> Result<RideUi, CommandError> {
    let token = token(&state).await?;
    let me = me(&state).await?;
    let server = server(&state)?;
    let path = format!(
        "{}?driver_id={}",
        lastmile_protocol::sync::TOUR,
        args.driver_id.trim()
    );
    let snapshot: TourSnapshot = server.get(&token, &path).await?;
    let template: ChecklistTemplate = server
        .get(&token, lastmile_protocol::ride::TEMPLATE)
        .await?;
    {
        let mut store = lock(store(&state)?);
        store.apply_snapshot(&snapshot)?;
        store.ride_save_template(&template)?;
        let fix = state.position.fix(&store).map(|(f, _)| f);
        store.ride_start(&me, fix)?;
    }
    nudge(&state).await;
    let _ = refresh(&state).await;
    Ok(current(&state)?.1)
}

/// The ride-along on this device as it holds it (offline).
#[tauri::command]
pub async fn ride_current(state: State<'_, AppState>) -> Result<Option<RideUi>, CommandError> {
    let store = lock(store(&state)?);
    match store.ride_current()? {
        Some(ride) => Ok(Some(ride_ui(&store, ride)?)),
        None => Ok(None),
    }
}

/// Pulls the driver's progress (and the record's status) from the server's read views.
async fn refresh(state: &AppState) -> Result<(), CommandError> {
    let (ride, tour_id) = {
        let store = lock(store(state)?);
        match store.ride_current()? {
            Some(r) => (r.ride_along_id, r.tour_id),
            None => return Ok(()),
        }
    };
    let token = token(state).await?;
    let server = server(state)?;
    let outcomes: Vec<OutcomeView> = server
        .get(&token, &format!("/v1/dispatch/tours/{tour_id}/outcomes"))
        .await?;
    lock(store(state)?).ride_save_outcomes(&tour_id, &outcomes)?;
    // The record is on the server once its first event arrived; until then keep the local status.
    if let Ok(record) = server
        .get::<RideAlongRecord>(&token, &format!("/v1/ride-alongs/{ride}"))
        .await
        && record.summary.status.is_final()
    {
        lock(store(state)?).ride_set_status(ride, record.summary.status)?;
    }
    Ok(())
}

/// [`ride_current`] after pulling the driver's progress; offline it answers what it has.
#[tauri::command]
pub async fn ride_refresh(state: State<'_, AppState>) -> Result<Option<RideUi>, CommandError> {
    if let Err(e) = refresh(&state).await {
        tracing::info!("driver's progress not refreshed: {e}");
    }
    ride_current(state).await
}

/// Records an observation at a stop or for the day.
#[tauri::command]
pub async fn ride_observe(
    state: State<'_, AppState>,
    args: RideObserveArgs,
) -> Result<RideUi, CommandError> {
    let photo = proof::photo_from_b64(args.photo_b64.as_deref())?;
    act(&state, |store, ride, fix| {
        store.ride_observe(
            ride,
            args.stop_id.as_deref().filter(|s| !s.is_empty()),
            args.category,
            &args.text,
            photo.as_deref(),
            fix,
        )?;
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn ride_grade(
    state: State<'_, AppState>,
    args: RideGradeArgs,
) -> Result<RideUi, CommandError> {
    act(&state, |store, ride, fix| {
        let template = store
            .ride_template()?
            .ok_or_else(|| CommandError::Input("no checklist template on this device".into()))?;
        store.ride_grade(
            ride,
            &template,
            &args.item_id,
            args.grade,
            args.note.as_deref(),
            fix,
        )?;
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn ride_assist(
    state: State<'_, AppState>,
    args: RideAssistArgs,
) -> Result<RideUi, CommandError> {
    act(&state, |store, ride, fix| {
        store.ride_assist(ride, &args.stop_id, args.what, fix)?;
        Ok(())
    })
    .await
}

/// The supervisor ends the ride-along with coaching notes and their signature.
#[tauri::command]
pub async fn ride_sign(
    state: State<'_, AppState>,
    args: RideSignArgs,
) -> Result<RideUi, CommandError> {
    let sig = proof::signature(&args.signature)?;
    act(&state, |store, ride, fix| {
        let blobs = signature_inputs(sig.as_ref());
        store.ride_sign(ride, &args.coaching_notes, &blobs, fix)?;
        Ok(())
    })
    .await
}

fn signature_inputs(sig: Option<&proof::Signature>) -> Vec<BlobInput<'_>> {
    sig.map(|s| {
        vec![
            BlobInput {
                kind: BlobKind::SignatureImage,
                bytes: &s.png,
            },
            BlobInput {
                kind: BlobKind::SignatureStrokes,
                bytes: &s.strokes_json,
            },
        ]
    })
    .unwrap_or_default()
}

/// One supervisor action on the current ride-along, then the sync loop is nudged.
async fn act(
    state: &AppState,
    f: impl FnOnce(&mut Store, Uuid, Option<lastmile_domain::Fix>) -> Result<(), CommandError>,
) -> Result<RideUi, CommandError> {
    let ui = {
        let mut store = lock(store(state)?);
        let ride = store
            .ride_current()?
            .ok_or_else(|| CommandError::Input("no ride-along on this device".into()))?;
        let fix = state.position.fix(&store).map(|(f, _)| f);
        f(&mut store, ride.ride_along_id, fix)?;
        let ride = store.ride_local(ride.ride_along_id)?;
        ride_ui(&store, ride)?
    };
    nudge(state).await;
    Ok(ui)
}

// ---------------------------------------------------------------- the driver's phone

fn my_records(store: &Store, fresh: bool) -> Result<MyRecordsUi, CommandError> {
    let mut records = Vec::new();
    for record in store.ride_records()? {
        let my_answer = match record.driver_answer {
            Some(_) => None,
            None => store
                .ride_answer_of(record.summary.ride_along_id)?
                .map(|a| MyAnswerUi {
                    signed: a.signed,
                    comment: a.comment,
                    answered_at: a.answered_at,
                }),
        };
        records.push(MyRecordUi { record, my_answer });
    }
    let riding_along = records
        .iter()
        .find(|r| r.record.summary.status == RideStatusDto::Running)
        .map(|r| r.record.summary.supervisor_id.clone());
    Ok(MyRecordsUi {
        records,
        riding_along,
        fresh,
    })
}

/// The records about the signed-in driver: fetched when online (and kept), else as kept.
#[tauri::command]
pub async fn ride_mine(state: State<'_, AppState>) -> Result<MyRecordsUi, CommandError> {
    let fetched: Result<Vec<RideAlongRecord>, CommandError> = async {
        let token = token(&state).await?;
        Ok(server(&state)?
            .get(&token, lastmile_protocol::ride::MINE)
            .await?)
    }
    .await;
    let fresh = match fetched {
        Ok(records) => {
            lock(store(&state)?).ride_save_records(&records)?;
            true
        }
        Err(e) => {
            tracing::info!("ride-along records not refreshed: {e}");
            false
        }
    };
    my_records(&lock(store(&state)?), fresh)
}

/// The driver signs (with an optional comment) or declines (with a comment).
#[tauri::command]
pub async fn ride_answer(
    state: State<'_, AppState>,
    args: RideAnswerArgs,
) -> Result<MyRecordsUi, CommandError> {
    let sig = match &args.signature {
        Some(s) => Some(proof::signature(s)?),
        None => None,
    };
    {
        let mut store = lock(store(&state)?);
        let fix = state.position.fix(&store).map(|(f, _)| f);
        // A pad with (next to) nothing on it is no signature: the store refuses it as blank.
        let inputs = sig.as_ref().map(|s| signature_inputs(s.as_ref()));
        store.ride_answer(args.ride_along_id, inputs.as_deref(), &args.comment, fix)?;
    }
    nudge(&state).await;
    my_records(&lock(store(&state)?), false)
}

/// Writes the driver's copy of a record as an HTML page; answers where it is.
#[tauri::command]
pub async fn ride_export(
    state: State<'_, AppState>,
    ride_along_id: Uuid,
    lang: Option<String>,
) -> Result<RideExportUi, CommandError> {
    let (record, answer, blob_dir) = {
        let store = lock(store(&state)?);
        let record = store
            .ride_records()?
            .into_iter()
            .find(|r| r.summary.ride_along_id == ride_along_id)
            .ok_or_else(|| CommandError::Input(format!("no record {ride_along_id}")))?;
        let answer = store.ride_answer_of(ride_along_id)?;
        (record, answer, store.blob_files().clone())
    };
    // The signatures' images: from this phone when it has them, else from the server.
    let mut images: HashMap<String, Vec<u8>> = HashMap::new();
    let wanted: Vec<String> = [
        record.supervisor_signature.as_ref(),
        record
            .driver_answer
            .as_ref()
            .and_then(|a| a.signature.as_ref()),
    ]
    .into_iter()
    .flatten()
    .flat_map(|s| s.blobs.iter())
    .filter(|b| b.kind == BlobKindDto::SignatureImage)
    .map(|b| b.sha256.clone())
    .chain(answer.as_ref().and_then(|a| a.signature_sha256.clone()))
    .collect();
    for sha in wanted {
        if let Ok(bytes) = blob_dir.read_verified(&sha) {
            images.insert(sha, bytes);
            continue;
        }
        if let (Ok(token), Ok(server)) = (token(&state).await, server(&state))
            && let Ok(bytes) = server.get_bytes(&token, &format!("/v1/blobs/{sha}")).await
        {
            images.insert(sha, bytes);
        }
    }
    let html = export_html(
        &record,
        answer.as_ref(),
        &images,
        lang.as_deref().unwrap_or("en"),
    );
    let path = export_path(&state.data_dir, ride_along_id);
    write_file(&path, html.as_bytes())?;
    Ok(RideExportUi {
        path: path.display().to_string(),
    })
}

/// Where the driver's copy of a record is written.
pub fn export_path(data_dir: &Path, ride: Uuid) -> PathBuf {
    data_dir
        .join("exports")
        .join(format!("ride-along-{ride}.html"))
}

pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CommandError> {
    let io =
        |e: std::io::Error| CommandError::Input(format!("cannot write {}: {e}", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    std::fs::write(path, bytes).map_err(io)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The labels of the exported page (German or English).
fn label(lang: &str, key: &str) -> &'static str {
    let de = lang == "de";
    match key {
        "title" if de => "Mitfahrt-Protokoll",
        "title" => "Ride-along record",
        "driver" if de => "Fahrer",
        "driver" => "Driver",
        "supervisor" if de => "Begleitung",
        "supervisor" => "Supervisor",
        "tour" if de => "Tour",
        "tour" => "Tour",
        "status" if de => "Stand",
        "status" => "Status",
        "observations" if de => "Beobachtungen",
        "observations" => "Observations",
        "day" if de => "ganzer Tag",
        "day" => "whole day",
        "checklist" if de => "Checkliste",
        "checklist" => "Checklist",
        "assisted" if de => "Stopps mit Hilfe der Begleitung",
        "assisted" => "Stops the supervisor assisted at",
        "pace" if de => "Tempo",
        "pace" => "Pace",
        "own" if de => "Eigenes Tempo (ohne Stopps mit Hilfe)",
        "own" => "Driver's own pace (assisted stops left out)",
        "with" if de => "Mit Stopps mit Hilfe",
        "with" => "Including assisted stops",
        "per_hour" if de => "Stopps / Pakete je Stunde",
        "per_hour" => "stops / parcels per hour",
        "notes" if de => "Coaching-Notizen",
        "notes" => "Coaching notes",
        "comment" if de => "Kommentar des Fahrers",
        "comment" => "Driver's comment",
        "sig_sup" if de => "Unterschrift der Begleitung",
        "sig_sup" => "Supervisor's signature",
        "sig_driver" if de => "Unterschrift des Fahrers",
        "sig_driver" => "Driver's signature",
        "declined" if de => "Der Fahrer hat die Unterschrift verweigert.",
        "declined" => "The driver declined to sign.",
        "missing" if de => "(Bild nicht verfügbar)",
        "missing" => "(image not available)",
        _ => "",
    }
}

fn img(images: &HashMap<String, Vec<u8>>, sha: Option<&str>, lang: &str) -> String {
    match sha.and_then(|s| images.get(s)) {
        Some(bytes) => format!(
            "<img class=\"signature\" alt=\"signature\" src=\"data:image/png;base64,{}\">",
            STANDARD.encode(bytes)
        ),
        None => format!("<p>{}</p>", label(lang, "missing")),
    }
}

fn fig(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{v:.1}"))
}

/// The driver's copy of a record: one self-contained HTML page (signatures inlined).
pub fn export_html(
    record: &RideAlongRecord,
    answer: Option<&lastmile_store::ride::LocalAnswer>,
    images: &HashMap<String, Vec<u8>>,
    lang: &str,
) -> String {
    let l = |k| label(lang, k);
    let s = &record.summary;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>body{{font-family:sans-serif;max-width:50em;margin:1em auto}}img.signature{{max-width:20em;border:1px solid #999}}\
         table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.2em .5em;text-align:start}}</style></head><body>",
        l("title")
    );
    let _ = write!(
        h,
        "<h1>{}</h1><p>{}: <b>{}</b> · {}: <b>{}</b> · {}: {} ({}) · {}: {}</p>",
        l("title"),
        l("driver"),
        esc(&s.driver_id),
        l("supervisor"),
        esc(&s.supervisor_id),
        l("tour"),
        esc(&s.tour_id),
        s.tour_date,
        l("status"),
        s.status.as_str()
    );
    let _ = write!(h, "<h2>{}</h2><ul>", l("observations"));
    for o in &record.observations {
        let _ = write!(
            h,
            "<li class=\"observation\">[{}] {}: {}</li>",
            o.category.as_str(),
            esc(o.stop_id.as_deref().unwrap_or(l("day"))),
            esc(&o.text)
        );
    }
    let _ = write!(h, "</ul><h2>{}</h2><table>", l("checklist"));
    for g in &record.grades {
        let text = record
            .template
            .as_ref()
            .and_then(|t| t.item(&g.item_id))
            .map_or(g.item_id.as_str(), |(_, i)| {
                localized(&i.text, &i.texts, lang)
            });
        let _ = write!(
            h,
            "<tr class=\"grade\"><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(text),
            g.grade.as_str(),
            esc(g.note.as_deref().unwrap_or(""))
        );
    }
    let _ = write!(h, "</table><h2>{}</h2><ul>", l("assisted"));
    for a in &record.assisted {
        let _ = write!(
            h,
            "<li class=\"assisted\">{}: {}</li>",
            esc(&a.stop_id),
            a.what.as_str()
        );
    }
    let p = &record.pace;
    let _ = write!(
        h,
        "</ul><h2>{}</h2><table><tr><th></th><th>{}</th></tr>\
         <tr class=\"pace-own\"><td>{}</td><td>{} / {}</td></tr>\
         <tr class=\"pace-with\"><td>{}</td><td>{} / {}</td></tr></table>",
        l("pace"),
        l("per_hour"),
        l("own"),
        fig(p.driver.stops_per_hour),
        fig(p.driver.parcels_per_hour),
        l("with"),
        fig(p.with_assisted.stops_per_hour),
        fig(p.with_assisted.parcels_per_hour)
    );
    let _ = write!(
        h,
        "<h2>{}</h2><p class=\"notes\">{}</p><h2>{}</h2>{}",
        l("notes"),
        esc(record.coaching_notes.as_deref().unwrap_or("")),
        l("sig_sup"),
        img(
            images,
            record.supervisor_signature.as_ref().and_then(|s| {
                s.blobs
                    .iter()
                    .find(|b| b.kind == BlobKindDto::SignatureImage)
                    .map(|b| b.sha256.as_str())
            }),
            lang
        )
    );
    // The driver's answer: the server's, else the one this phone recorded and has not sent.
    let (signed, comment, sig) = match (&record.driver_answer, answer) {
        (Some(a), _) => (
            Some(a.signed),
            a.comment.clone(),
            a.signature.as_ref().and_then(|s| {
                s.blobs
                    .iter()
                    .find(|b| b.kind == BlobKindDto::SignatureImage)
                    .map(|b| b.sha256.clone())
            }),
        ),
        (None, Some(a)) => (
            Some(a.signed),
            a.comment.clone(),
            a.signature_sha256.clone(),
        ),
        (None, None) => (None, None, None),
    };
    let _ = write!(
        h,
        "<h2>{}</h2><p class=\"comment\">{}</p>",
        l("comment"),
        esc(comment.as_deref().unwrap_or(""))
    );
    match signed {
        Some(true) => {
            let _ = write!(
                h,
                "<h2>{}</h2>{}",
                l("sig_driver"),
                img(images, sig.as_deref(), lang)
            );
        }
        Some(false) => {
            let _ = write!(h, "<p class=\"declined\">{}</p>", l("declined"));
        }
        None => {}
    }
    h.push_str("</body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    use lastmile_protocol::events::BlobRefDto;
    use lastmile_protocol::ride::{
        AssistDto, AssistView, DriverAnswerView, ObservationCategoryDto, ObservationView,
        PaceFigures, PaceView, RideAlongSummary, SignatureView,
    };

    use super::*;

    fn sig(sha: &str) -> SignatureView {
        SignatureView {
            signed_at: chrono::Utc::now(),
            blobs: vec![BlobRefDto {
                sha256: sha.into(),
                kind: BlobKindDto::SignatureImage,
                bytes: 3,
            }],
        }
    }

    #[test]
    fn the_export_has_everything_the_driver_keeps_and_escapes_text() {
        let now = chrono::Utc::now();
        let record = RideAlongRecord {
            summary: RideAlongSummary {
                ride_along_id: Uuid::now_v7(),
                tour_id: "T1".into(),
                tour_date: now.date_naive(),
                driver_id: "D1".into(),
                supervisor_id: "SUP1".into(),
                status: RideStatusDto::Signed,
                started_at: now,
                amends: None,
                observations: 1,
                grades: 0,
                assisted_stops: 1,
            },
            station_id: "S1".into(),
            observations: vec![ObservationView {
                event_id: Uuid::now_v7(),
                stop_id: Some("T1-A".into()),
                category: ObservationCategoryDto::Safety,
                text: "<b>hazard</b> lights".into(),
                photo: None,
                recorded_at: now,
            }],
            grades: vec![],
            template: None,
            assisted: vec![AssistView {
                stop_id: "T1-B".into(),
                what: AssistDto::CarriedParcels,
                recorded_at: now,
            }],
            coaching_notes: Some("Keep it up".into()),
            supervisor_signature: Some(sig("aa")),
            driver_answer: Some(DriverAnswerView {
                signed: true,
                comment: Some("I disagree with item 7".into()),
                signature: Some(sig("bb")),
                answered_at: now,
            }),
            amended_by: vec![],
            pace: PaceView {
                tour_id: "T1".into(),
                on_road_hours: 1.0,
                driver: PaceFigures {
                    stops: 1,
                    parcels: 2,
                    stops_per_hour: Some(1.0),
                    parcels_per_hour: Some(2.0),
                },
                with_assisted: PaceFigures {
                    stops: 2,
                    parcels: 3,
                    stops_per_hour: Some(2.0),
                    parcels_per_hour: Some(3.0),
                },
                assisted_stops: vec!["T1-B".into()],
            },
        };
        let images = HashMap::from([("aa".to_owned(), vec![1, 2, 3])]);
        let html = export_html(&record, None, &images, "de");
        assert!(html.contains("&lt;b&gt;hazard&lt;/b&gt; lights"), "{html}");
        assert!(html.contains("I disagree with item 7"));
        assert!(html.contains("Eigenes Tempo"));
        assert!(html.contains("1.0 / 2.0") && html.contains("2.0 / 3.0"));
        assert!(html.contains("T1-B: carried_parcels"));
        assert!(html.contains(&format!("base64,{}", STANDARD.encode([1, 2, 3]))));
        assert!(
            html.contains("(Bild nicht verfügbar)"),
            "the missing driver image is said"
        );
    }
}
