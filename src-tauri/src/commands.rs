//! Tauri commands: each takes the shared state, calls one core function and maps its error.
// `#[tauri::command]` expands to a `let _ = …` on the command's result, which this lint flags.
#![allow(clippy::let_underscore_must_use)]

use std::sync::{Arc, Mutex};

use lastmile_domain::Fix;
use lastmile_protocol::auth::{Role, Session};
use lastmile_protocol::ui::{
    AppStatus, CorrectArgs, DeliverArgs, FailArgs, FixUi, GuidanceUi, OthersPendingUi, PickupArgs,
    RecordedUi, ScanArgs, ScanUi, ServerReach, SessionState, SignInArgs, StopView, SyncView,
    TourView, UiError, WaitingItemUi,
};
use lastmile_store::{BlobInput, BlobKind, Delivery, FailedAttempt, Recorded, Store, StoreError};
use lastmile_sync::runner::Nudge;
use lastmile_sync::transport::ServerClient;
use tauri::State;

use crate::AppState;
use crate::convert;
use crate::device::{self, SyncHandle, lock};
use crate::error::CommandError;
use crate::{proof, scan};

pub(crate) fn store(state: &AppState) -> Result<&Arc<Mutex<Store>>, CommandError> {
    state
        .store
        .as_ref()
        .map_err(|e| CommandError::StoreUnavailable(e.clone()))
}

fn server(state: &AppState) -> Result<&ServerClient, CommandError> {
    state.server.as_ref().ok_or(CommandError::NoServer)
}

/// The enrolment code preset by the environment, if any.
pub(crate) fn preset_code(state: &AppState) -> Option<String> {
    state.config.enrolment_code.clone()
}

async fn session_of(state: &AppState) -> Result<SessionState, CommandError> {
    let saved = state.saved.lock().await;
    let has_tour = lock(store(state)?).active_tour_id()?.is_some();
    Ok(SessionState {
        signed_in: saved.session.is_some(),
        role: saved.user_id.as_ref().map(|_| saved.role()),
        user_id: saved.user_id.clone(),
        device_id: saved.device_id.clone(),
        has_tour,
        enrolment_preset: preset_code(state).is_some(),
    })
}

/// Tells the sync loop the driver recorded something.
async fn committed(state: &AppState) {
    if let Some(sync) = state.sync.lock().await.as_ref() {
        sync.nudge(Nudge::LocalCommit);
    }
}

/// One driver action: takes the device's position, records the action in its transaction,
/// tells the sync loop, and answers what the undo banner needs.
pub(crate) async fn record(
    state: &AppState,
    action: impl FnOnce(&mut Store, Option<Fix>) -> Result<Recorded, StoreError>,
) -> Result<RecordedUi, CommandError> {
    let recorded = {
        let mut store = lock(store(state)?);
        let fix = state.position.fix(&store).map(|(f, _)| f);
        action(&mut store, fix)?
    };
    committed(state).await;
    Ok(convert::recorded(&recorded))
}

/// Facts about this installation and its local database.
#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Result<AppStatus, CommandError> {
    let store = lock(store(&state)?);
    Ok(AppStatus {
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        install_id: store.install_id()?,
        schema_version: store.schema_version()?,
        server_url: state.server.as_ref().map(|s| s.base_url().to_owned()),
        keys_in_files: state.keystore.is_file_mode(),
    })
}

/// Asks the sync server for its health right now.
#[tauri::command]
pub async fn check_server(state: State<'_, AppState>) -> Result<ServerReach, CommandError> {
    let Some(server) = &state.server else {
        return Ok(ServerReach::NotConfigured);
    };
    let sent = chrono::Utc::now();
    Ok(match server.health().await {
        Ok(health) => {
            let received = chrono::Utc::now();
            let midpoint = sent + (received - sent) / 2;
            ServerReach::Connected {
                server_version: health.version,
                backend: health.backend,
                clock_offset_ms: (health.server_time - midpoint).num_milliseconds(),
            }
        }
        Err(e) => ServerReach::Unreachable {
            reason: e.to_string(),
        },
    })
}

/// Whether someone is signed in and a tour is on the device (decides the first screen).
#[tauri::command]
pub async fn session_state(state: State<'_, AppState>) -> Result<SessionState, CommandError> {
    session_of(&state).await
}

/// Signs a driver, a station lead or a supervisor in (enrolling the device first when it is
/// new) and starts syncing; the role chosen is the app's mode.
#[tauri::command]
pub async fn sign_in(
    state: State<'_, AppState>,
    args: SignInArgs,
) -> Result<SessionState, CommandError> {
    let code = args
        .enrolment_code
        .filter(|c| !c.trim().is_empty())
        .or_else(|| preset_code(&state));
    sign_in_and_sync(&state, args.role, args.user_id.trim(), &args.pin, code).await?;
    session_of(&state).await
}

/// Signs `user` in as `role` (enrolling first when the device is new), saves the credentials
/// (an enrolment is kept even when the PIN was wrong), and starts the sync loop or hands the running one the new session. Shared by the sign-in
/// screen and the demo sign-in; returns the new session.
pub(crate) async fn sign_in_and_sync(
    state: &AppState,
    role: Role,
    user: &str,
    pin: &str,
    code: Option<String>,
) -> Result<Session, CommandError> {
    let server = server(state)?;
    let store = store(state)?;
    let mut saved = state.saved.lock().await;
    let mut updated = saved.clone();
    let result = device::sign_in(server, store, &mut updated, role, user, pin, code).await;
    if result.is_ok() || updated.device_id != saved.device_id {
        updated.save(&state.data_dir, &state.keystore)?;
        *saved = updated;
    }
    result?;
    let (creds, session) = saved.credentials().ok_or(CommandError::NotSignedIn)?;
    let mut sync = state.sync.lock().await;
    match sync.as_ref() {
        Some(running) => running.nudge(Nudge::SignedIn(session.clone())),
        None => {
            *sync = Some(SyncHandle::start(
                server.clone(),
                store.clone(),
                creds,
                session.clone(),
                state.saved_at(),
            ));
        }
    }
    Ok(session)
}

/// Downloads the driver's tour and stores it; from here on the day works offline.
#[tauri::command]
pub async fn download_tour(state: State<'_, AppState>) -> Result<TourView, CommandError> {
    // The running loop's session first: it may have refreshed since the sign-in was saved,
    // and the server refuses an access token that a refresh replaced.
    let running = state.sync.lock().await.as_ref().map(SyncHandle::session);
    let session = match running {
        Some(session) => session,
        None => state.saved.lock().await.session.clone(),
    };
    let token = session
        .map(|s| s.access_token)
        .ok_or(CommandError::NotSignedIn)?;
    fetch_and_store_tour(&state, &token).await
}

/// Fetches the signed-in driver's tour and stores it (shared with the demo sign-in).
pub(crate) async fn fetch_and_store_tour(
    state: &AppState,
    token: &str,
) -> Result<TourView, CommandError> {
    let snapshot = match server(state)?.fetch_tour(token).await {
        Ok(snapshot) => snapshot,
        Err(e) => {
            // Held by the station (#12): keep why, so the phone shows it instead of a stop.
            if matches!(&e, lastmile_sync::transport::TransportError::Status { code, .. } if code == "tour_held")
                && let Some(me) = state.saved.lock().await.user_id.clone()
                && let Err(why) = crate::station::note_refused_tour(state, &me).await
            {
                tracing::warn!("the tour is held, and its hold could not be read: {why}");
            }
            return Err(e.into());
        }
    };
    let store = store(state)?;
    let mut store = lock(store);
    // The card stacks the station issued come with the snapshot (and later on the feed).
    store.apply_snapshot(&snapshot)?;
    let overview = store
        .tour_overview()?
        .ok_or(lastmile_store::StoreError::NoTour)?;
    // The station's offline map comes with the tour, in the background (issue 17).
    crate::map::start(
        server(state)?.clone(),
        token.to_owned(),
        state.data_dir.clone(),
    );
    Ok(convert::tour_view(&overview))
}

/// The tour list with progress; `None` before a tour is downloaded.
#[tauri::command]
pub async fn tour_overview(state: State<'_, AppState>) -> Result<Option<TourView>, CommandError> {
    let store = lock(store(&state)?);
    match store.tour_overview()? {
        Some(t) => Ok(Some(convert::tour_view(&t))),
        None => Ok(None),
    }
}

/// The stop to work on next (`None` when the tour is done or not loaded).
#[tauri::command]
pub async fn current_stop(state: State<'_, AppState>) -> Result<Option<StopView>, CommandError> {
    let store = lock(store(&state)?);
    match store.current_stop()? {
        Some(d) => Ok(Some(convert::stop_view(&store, &d)?)),
        None => Ok(None),
    }
}

/// One stop, chosen from the list (out of order allowed).
#[tauri::command]
pub async fn stop_detail(
    state: State<'_, AppState>,
    stop_id: String,
) -> Result<Option<StopView>, CommandError> {
    let store = lock(store(&state)?);
    match store.stop_detail(&stop_id)? {
        Some(d) => Ok(Some(convert::stop_view(&store, &d)?)),
        None => Ok(None),
    }
}

/// Notification cards of the driver's stack not used yet, in order.
#[tauri::command]
pub async fn unused_cards(state: State<'_, AppState>) -> Result<Vec<String>, CommandError> {
    Ok(lock(store(&state)?).unused_cards(20)?)
}

/// Records a delivery with its proof (photo downscaled, signature checked) in one
/// transaction and nudges the sync loop.
#[tauri::command]
pub async fn deliver(
    state: State<'_, AppState>,
    args: DeliverArgs,
) -> Result<RecordedUi, CommandError> {
    let photo = proof::photo_from_b64(args.photo.as_deref())?;
    let signature = proof::signature_of(args.signature.as_ref())?;
    let mut blobs = Vec::new();
    if let Some(photo) = &photo {
        blobs.push(BlobInput {
            kind: BlobKind::Photo,
            bytes: photo,
        });
    }
    if let Some(sig) = &signature {
        blobs.extend(sig.blobs());
    }
    let method = convert::delivery_method(&args);
    let card = convert::card(
        args.card_number.as_deref(),
        Some(&convert::card_for_delivery(&method)),
    )?;
    let delivery = Delivery {
        stop_id: args.stop_id.clone(),
        tracking_id: args.tracking_id.clone(),
        method,
        card,
        id_checked: args.id_checked,
        blobs,
    };
    record(&state, |store, fix| store.deliver(&delivery, fix)).await
}

/// Records a failed attempt with its notification card (and the card's photo) and nudges
/// the sync loop.
#[tauri::command]
pub async fn fail(state: State<'_, AppState>, args: FailArgs) -> Result<RecordedUi, CommandError> {
    let photo = proof::photo_from_b64(args.card_photo.as_deref())?;
    let attempt = FailedAttempt {
        stop_id: args.stop_id.clone(),
        tracking_id: args.tracking_id.clone(),
        reason: lastmile_store::convert::reason_from_dto(args.reason),
        card: convert::card(args.card_number.as_deref(), args.card_says.as_ref())?,
        blobs: photo
            .iter()
            .map(|bytes| BlobInput {
                kind: BlobKind::CardPhoto,
                bytes,
            })
            .collect(),
    };
    record(&state, |store, fix| store.fail(&attempt, fix)).await
}

/// Records a return handed over at a stop (a planned return, or an unplanned one by label).
#[tauri::command]
pub async fn pick_up(
    state: State<'_, AppState>,
    args: PickupArgs,
) -> Result<RecordedUi, CommandError> {
    let photo = proof::photo_from_b64(args.photo.as_deref())?;
    let photos: Vec<BlobInput<'_>> = photo
        .iter()
        .map(|bytes| BlobInput {
            kind: BlobKind::Photo,
            bytes,
        })
        .collect();
    record(&state, |store, fix| {
        store.pick_up_return(&args.stop_id, args.label.trim(), &photos, fix)
    })
    .await
}

/// The driver is at the stop.
#[tauri::command]
pub async fn arrive(
    state: State<'_, AppState>,
    stop_id: String,
) -> Result<RecordedUi, CommandError> {
    record(&state, |store, fix| store.arrive(&stop_id, fix)).await
}

/// The driver leaves the stop for later (its parcels stay open).
#[tauri::command]
pub async fn skip_stop(
    state: State<'_, AppState>,
    stop_id: String,
) -> Result<RecordedUi, CommandError> {
    record(&state, |store, fix| store.skip_stop(&stop_id, fix)).await
}

/// Decodes the barcodes in a picture and says what the first usable one means at this stop.
#[tauri::command]
pub async fn scan_image(
    state: State<'_, AppState>,
    args: ScanArgs,
) -> Result<ScanUi, CommandError> {
    let bytes = proof::decode_b64("picture", &args.input)?;
    let symbols = lastmile_scan::decode_image(&bytes)?;
    let store = lock(store(&state)?);
    let mut first_error = None;
    for symbol in symbols {
        match scan::classify(&store, &args.stop_id, &symbol.text) {
            Ok(found) => return Ok(found),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or(CommandError::Scan(lastmile_scan::ScanError::NothingFound)))
}

/// Says what a typed number means at this stop (check digits checked).
#[tauri::command]
pub async fn check_entry(
    state: State<'_, AppState>,
    args: ScanArgs,
) -> Result<ScanUi, CommandError> {
    scan::classify(&lock(store(&state)?), &args.stop_id, &args.input)
}

/// A position from the platform's geolocation (the screen's `watchPosition`).
#[tauri::command]
pub async fn report_position(state: State<'_, AppState>, fix: FixUi) -> Result<(), CommandError> {
    if !(fix.lat.is_finite()
        && fix.lon.is_finite()
        && fix.lat.abs() <= 90.0
        && fix.lon.abs() <= 180.0)
    {
        return Err(CommandError::Input(format!("not a position: {fix:?}")));
    }
    state.position.report(lastmile_domain::Fix {
        position: lastmile_domain::Position {
            lat: fix.lat,
            lon: fix.lon,
        },
        accuracy_m: fix.accuracy_m.map(|a| a as f32),
    });
    Ok(())
}

/// Distance, direction and ETA from where the device is to `stop_id`; `None` without a fix.
#[tauri::command]
pub async fn guidance(
    state: State<'_, AppState>,
    stop_id: String,
) -> Result<Option<GuidanceUi>, CommandError> {
    let store = lock(store(&state)?);
    let Some((fix, source)) = state.position.fix(&store) else {
        return Ok(None);
    };
    let mut answer = convert::guidance(&store, &stop_id, fix, source.code())?;
    if let Some(g) = &mut answer {
        g.next_maneuver = state.position.forward_only(&stop_id, g.next_maneuver);
    }
    Ok(answer)
}

/// The UI reached a timing mark (`src-ui/src/perf.rs`): logged for start-up measurements.
#[tauri::command]
pub fn perf_mark(name: String, epoch_ms: f64) {
    tracing::info!("ui mark {name} at epoch_ms={epoch_ms:.1}");
}

/// Hands the stop's position to the system's maps app (`geo:` URI).
#[tauri::command]
pub async fn navigate<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    stop_id: String,
) -> Result<String, CommandError> {
    let detail = lock(store(&state)?)
        .stop_detail(&stop_id)?
        .ok_or_else(|| CommandError::Input(format!("unknown stop {stop_id}")))?;
    let uri = convert::geo_uri(&detail);
    use tauri_plugin_opener::OpenerExt;
    app.opener()
        .open_url(&uri, None::<&str>)
        .map_err(|e| CommandError::Navigate(e.to_string()))?;
    Ok(uri)
}

/// Takes back the latest outcome of a parcel within the undo window.
#[tauri::command]
pub async fn undo(
    state: State<'_, AppState>,
    event_id: String,
) -> Result<RecordedUi, CommandError> {
    let id = uuid::Uuid::parse_str(&event_id)
        .map_err(|e| CommandError::Input(format!("event id {event_id:?}: {e}")))?;
    record(&state, |store, fix| store.undo(id, fix)).await
}

/// Corrects a recorded outcome after the fact (the undo window passed, or the driver chose
/// to): the new outcome and the reason. The original stays in history.
#[tauri::command]
pub async fn correct_outcome(
    state: State<'_, AppState>,
    args: CorrectArgs,
) -> Result<RecordedUi, CommandError> {
    let id = uuid::Uuid::parse_str(&args.event_id)
        .map_err(|e| CommandError::Input(format!("event id {:?}: {e}", args.event_id)))?;
    let to = convert::corrected_outcome(&args.to);
    record(&state, |store, fix| {
        store.correct(id, &args.note, Some(&to), fix)
    })
    .await
}

/// What the status bar shows: the sync loop's status, or the queue when it is not running;
/// with the queued work of earlier drivers on this device, if any.
#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> Result<SyncView, CommandError> {
    let (queue, others) = {
        let store = lock(store(&state)?);
        let signed_in = store
            .person()
            .map(|p| p.user_id.clone())
            .unwrap_or_default();
        (store.queue_state()?, store.pending_of_others(&signed_in)?)
    };
    let others_pending = others
        .into_iter()
        .map(|o| OthersPendingUi {
            driver_id: o.user_id,
            events: o.events,
        })
        .collect();
    if let Some(sync) = state.sync.lock().await.as_ref() {
        let s = sync.status.borrow().clone();
        return Ok(SyncView {
            running: true,
            pending_events: s.pending_events,
            pending_blobs: s.pending_blobs,
            pending_blob_bytes: s.pending_blob_bytes,
            last_success_at: s.last_success_at,
            last_error: s.last_error.map(|e| UiError {
                code: format!("sync.{}", e.code),
                message: e.message,
            }),
            online: s.online,
            needs_sign_in: s.needs_sign_in,
            acked_seq: s.acked_seq,
            tour_cursor: s.tour_cursor,
            others_pending,
            rejected_events: s.rejected_events,
            oldest_unsent_age_s: s.oldest_unsent_age_s,
        });
    }
    Ok(SyncView {
        running: false,
        pending_events: queue.pending_events,
        pending_blobs: queue.pending_blobs,
        pending_blob_bytes: queue.pending_blob_bytes,
        last_success_at: None,
        last_error: None,
        online: false,
        needs_sign_in: true,
        acked_seq: queue.acked_seq,
        tour_cursor: None,
        others_pending,
        rejected_events: queue.rejected,
        oldest_unsent_age_s: queue
            .oldest_unsent
            .map(|t| (chrono::Utc::now() - t).num_seconds().max(0) as u64),
    })
}

/// What is still waiting to be sent, oldest first (the list behind the sync bar's age).
#[tauri::command]
pub async fn waiting_items(state: State<'_, AppState>) -> Result<Vec<WaitingItemUi>, CommandError> {
    let store = lock(store(&state)?);
    let sequence_of: std::collections::HashMap<String, u32> = store
        .tour_overview()?
        .map(|t| {
            t.stops
                .into_iter()
                .map(|s| (s.stop_id, s.sequence))
                .collect()
        })
        .unwrap_or_default();
    let now = chrono::Utc::now();
    Ok(store
        .waiting()?
        .into_iter()
        .map(|w| WaitingItemUi {
            sequence: w
                .stop_id
                .as_ref()
                .and_then(|id| sequence_of.get(id).copied()),
            kind: w.kind,
            stop_id: w.stop_id,
            bytes: w.bytes,
            age_s: (now - w.recorded_at).num_seconds().max(0) as u64,
        })
        .collect())
}

/// Asks the sync loop to try now (skips any back-off wait).
#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>) -> Result<SyncView, CommandError> {
    if let Some(sync) = state.sync.lock().await.as_ref() {
        sync.nudge(Nudge::Foreground);
    }
    sync_status(state).await
}
