//! The station tablet's commands (issue 12), and the station's part of the driver's phone.
//!
//! Reads ask the server and keep its answer in the store (`station_cache`); when the station
//! Wi-Fi is down they answer the kept copy (`offline: true`). Every action is a station event
//! in the same outbox as a driver's outcomes ([`Store::record_station`]), so nothing waits for
//! the network; the day the screens show is the server's (or the kept copy) with the tablet's
//! own queued actions laid over it ([`overlay`]). Bad input is refused here before anything
//! is recorded (unknown plate, overlapping card range, a parcel scanned twice or of another
//! tour, a blank signature pad, a driver with no tour today); the server checks the same again.
// `#[tauri::command]` expands to a `let _ = …` on the command's result, which this lint flags.
#![allow(clippy::let_underscore_must_use)]

use lastmile_protocol::events::{BlobKindDto, BlobRefDto, EventBody};
use lastmile_protocol::station::{
    self as st, Board, CardRange, CheckInArgs, CheckInRequest, CloseOutArgs, CloseOutView,
    DayState, DefectView, DriverDay, HoldView, InspectionPhase, InspectionView, ParcelOwner,
    PassInput, PhoneStationUi, SignatureDto, StationActArgs, StationBoardUi, StationDayUi,
};
use lastmile_store::station::PendingStation;
use lastmile_sync::runner::Nudge;
use lastmile_sync::transport::TransportError;
use tauri::State;

use crate::AppState;
use crate::commands::store;
use crate::device::{SyncHandle, lock};
use crate::error::CommandError;
use crate::proof;

/// A refusal of the tablet, with the stable code (`station.<code>`) and what it is about.
fn refuse(code: &'static str, detail: impl Into<String>) -> CommandError {
    CommandError::Station {
        code,
        detail: detail.into(),
    }
}

/// The signed-in session (the sync loop's, which it keeps fresh).
async fn session(state: &AppState) -> Result<lastmile_protocol::auth::Session, CommandError> {
    let running = state.sync.lock().await.as_ref().map(SyncHandle::session);
    let session = match running {
        Some(session) => session,
        None => state.saved.lock().await.session.clone(),
    };
    session.ok_or(CommandError::NotSignedIn)
}

/// The signed-in session's access token.
pub(crate) async fn token(state: &AppState) -> Result<String, CommandError> {
    Ok(session(state).await?.access_token)
}

/// An answer of the server, or `None` when it cannot be reached (then the kept copy counts).
async fn online<T>(
    call: impl std::future::Future<Output = Result<T, TransportError>>,
) -> Result<Option<T>, CommandError> {
    match call.await {
        Ok(v) => Ok(Some(v)),
        Err(TransportError::Unreachable(why)) => {
            tracing::info!("station: server not reachable, using the kept copy: {why}");
            Ok(None)
        }
        Err(TransportError::Status { status, .. }) if status >= 500 => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The server's `path` (kept under `key`), or the copy kept last time.
async fn fetch_or_kept<T: serde::de::DeserializeOwned + serde::Serialize>(
    state: &AppState,
    key: &str,
    path: &str,
) -> Result<(T, bool, chrono::DateTime<chrono::Utc>), CommandError> {
    let answer = match &state.server {
        Some(server) => {
            let token = token(state).await?;
            online(server.get::<T>(&token, path)).await?
        }
        None => None,
    };
    let store = store(state)?;
    let mut store = lock(store);
    if let Some(value) = answer {
        store.cache_put(key, &value)?;
        return Ok((value, false, chrono::Utc::now()));
    }
    let kept = store
        .cache_get::<T>(key)?
        .ok_or_else(|| refuse("station.offline_no_copy", key.to_owned()))?;
    Ok((kept.value, true, kept.fetched_at))
}

async fn nudge(state: &AppState) {
    if let Some(sync) = state.sync.lock().await.as_ref() {
        sync.nudge(Nudge::LocalCommit);
    }
}

/// Every driver of the day at the station.
#[tauri::command]
pub async fn station_board(state: State<'_, AppState>) -> Result<StationBoardUi, CommandError> {
    board_ui(&state).await
}

async fn board_ui(state: &AppState) -> Result<StationBoardUi, CommandError> {
    let (mut board, offline, fetched_at): (Board, _, _) =
        fetch_or_kept(state, "board", st::BOARD).await?;
    let store = store(state)?;
    let store = lock(store);
    let mut pending = 0;
    for row in &mut board.rows {
        let events = store.pending_station_events(&row.tour_id)?;
        pending += events.len() as u32;
        for e in &events {
            match &e.body {
                EventBody::ParcelLoaded { .. } => row.parcels_loaded += 1,
                EventBody::ParcelNotLoaded { .. } => {
                    row.parcels_not_loaded += 1;
                    row.parcels_expected = row.parcels_expected.saturating_sub(1);
                }
                EventBody::CardStackIssued { range, .. } => row.card_stacks.push(range.clone()),
                EventBody::VehicleAssigned { plate, .. } => row.plate = Some(plate.clone()),
                _ => {}
            }
            row.state = state_after(row.state, &e.body);
        }
    }
    Ok(StationBoardUi {
        board,
        offline,
        fetched_at,
        pending,
    })
}

/// Where a day stands once a queued action is counted in (the server decides for good).
fn state_after(state: DayState, body: &EventBody) -> DayState {
    use DayState::*;
    let rank = |s: DayState| match s {
        Expected => 0,
        CheckedIn => 1,
        Inspecting => 2,
        Held => 3,
        Loading => 4,
        OnRoad => 5,
        Back => 6,
        Closed => 7,
    };
    let next = match body {
        EventBody::DriverCheckedIn { .. } => CheckedIn,
        EventBody::VehicleAssigned { .. } => Inspecting,
        EventBody::HoldCleared { .. } if state == Held => return Inspecting,
        EventBody::ParcelLoaded { .. } | EventBody::ParcelNotLoaded { .. } => Loading,
        EventBody::ParcelReturned { .. } | EventBody::CardsReturned { .. } => Back,
        EventBody::CloseOutSigned { .. } => Closed,
        _ => return state,
    };
    if state == Held || rank(next) <= rank(state) {
        state
    } else {
        next
    }
}

/// One driver's day.
#[tauri::command]
pub async fn station_day(
    state: State<'_, AppState>,
    driver_id: String,
) -> Result<StationDayUi, CommandError> {
    day_ui(&state, &driver_id).await
}

async fn day_ui(state: &AppState, driver_id: &str) -> Result<StationDayUi, CommandError> {
    let path = st::DAY.replace("{driver_id}", &urlencode(driver_id));
    let board = board_copy(state)?;
    let key = format!("day:{driver_id}");
    // What the server had acknowledged when this copy was asked for: an event acknowledged
    // later may be missing from the copy, so it is laid over it too, not only the events
    // still waiting (else an action acknowledged just before the Wi-Fi dropped vanishes
    // from the screen until the Wi-Fi is back).
    let seen_key = format!("acked-before:{key}");
    let acked_before = lock(store(state)?).acked_seq()?;
    let mut never_fetched = false;
    let (day, offline, fetched_at): (DriverDay, _, _) =
        match fetch_or_kept(state, &key, &path).await {
            // Offline, and this day was never opened on the tablet: the board's row of it is
            // the day (no parcel list yet; it comes with the Wi-Fi). Days are not fetched
            // ahead: each fetch is a read of the driver's day in the audit trail, and nobody
            // read it.
            Err(CommandError::Station {
                code: "station.offline_no_copy",
                detail,
            }) => match board.as_ref().and_then(|b| day_from_board(b, driver_id)) {
                Some(day) => {
                    never_fetched = true;
                    (day, true, chrono::Utc::now())
                }
                None => {
                    return Err(CommandError::Station {
                        code: "station.offline_no_copy",
                        detail,
                    });
                }
            },
            other => other?,
        };
    let plate = day.row.plate.clone();
    let mut open_defects: Vec<DefectView> = Vec::new();
    if let Some(plate) = &plate {
        let path = st::VEHICLE_DEFECTS.replace("{plate}", &urlencode(plate));
        if let Ok((defects, _, _)) =
            fetch_or_kept::<Vec<DefectView>>(state, &format!("defects:{plate}"), &path).await
        {
            open_defects = defects;
        }
    }
    let store = store(state)?;
    let mut store = lock(store);
    let laid_after = if never_fetched {
        0
    } else if offline {
        store
            .cache_get::<u64>(&seen_key)?
            .map_or(acked_before, |kept| kept.value.min(acked_before))
    } else {
        store.cache_put(&seen_key, &acked_before)?;
        acked_before
    };
    let laid = store.station_events_after(&day.row.tour_id, laid_after)?;
    let pending = store.pending_station_events(&day.row.tour_id)?;
    let close_out_pending = pending
        .iter()
        .any(|e| matches!(e.body, EventBody::CloseOutSigned { .. }));
    let count = pending.len() as u32;
    let (fleet, template) = match board {
        Some(b) => (b.fleet, b.template),
        None => (Vec::new(), st::InspectionTemplate::default_template()),
    };
    let day = overlay(day, &laid, &template);
    Ok(StationDayUi {
        day,
        offline,
        fetched_at,
        pending: count,
        close_out_pending,
        fleet,
        template,
        open_defects,
    })
}

/// A driver's day as the board's row of it tells (before the tablet ever fetched the day).
fn day_from_board(board: &Board, driver_id: &str) -> Option<DriverDay> {
    let row = board
        .rows
        .iter()
        .find(|r| r.driver_id == driver_id)?
        .clone();
    Some(DriverDay {
        card_stacks: row.card_stacks.clone(),
        row,
        date: board.date,
        checked_in_at: None,
        hold: None,
        inspections: Vec::new(),
        cards_used: Vec::new(),
        cards_returned: Vec::new(),
        parcels: Vec::new(),
        returns_picked_up: Vec::new(),
        returns_handed_in: Vec::new(),
        discrepancies: Vec::new(),
        close_out: None,
        summary: st::CloseOutSummary::default(),
    })
}

fn board_copy(state: &AppState) -> Result<Option<Board>, CommandError> {
    let store = store(state)?;
    let store = lock(store);
    Ok(store.cache_get::<Board>("board")?.map(|c| c.value))
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The day with the tablet's own actions laid over it: those still queued, and those the
/// server may have acknowledged after the copy was fetched. Laying an action the copy
/// already has changes nothing (an inspection is known by its event id; stacks, returned
/// cards and parcels handed in are sets).
pub fn overlay(
    mut day: DriverDay,
    pending: &[PendingStation],
    template: &st::InspectionTemplate,
) -> DriverDay {
    for e in pending {
        if matches!(e.body, EventBody::InspectionRecorded { .. })
            && day.inspections.iter().any(|i| i.event_id == e.event_id)
        {
            continue;
        }
        day.row.state = state_after(day.row.state, &e.body);
        match &e.body {
            EventBody::DriverCheckedIn { .. } => {
                day.checked_in_at.get_or_insert(e.recorded_at);
            }
            EventBody::VehicleAssigned { plate, .. } => day.row.plate = Some(plate.clone()),
            EventBody::InspectionRecorded {
                driver_id,
                plate,
                phase,
                template_id,
                template_version,
                items,
            } => {
                let passed = items.iter().all(|i| i.ok);
                let safety: Vec<DefectView> = items
                    .iter()
                    .filter(|i| !i.ok)
                    .filter(|i| {
                        template
                            .items
                            .iter()
                            .any(|t| t.item_id == i.item_id && t.safety)
                    })
                    .map(|i| DefectView {
                        plate: plate.clone(),
                        item_id: i.item_id.clone(),
                        safety: true,
                        note: i.note.clone(),
                        event_id: uuid::Uuid::nil(),
                        found_by: String::new(),
                        found_at: e.recorded_at,
                    })
                    .collect();
                if *phase == InspectionPhase::PreTrip && !safety.is_empty() {
                    day.hold = Some(HoldView {
                        hold_id: uuid::Uuid::nil(),
                        tour_id: day.row.tour_id.clone(),
                        driver_id: driver_id.clone(),
                        plate: plate.clone(),
                        defects: safety,
                        placed_at: e.recorded_at,
                    });
                    day.row.state = DayState::Held;
                }
                day.inspections.push(InspectionView {
                    event_id: e.event_id,
                    plate: plate.clone(),
                    phase: *phase,
                    template_id: template_id.clone(),
                    template_version: *template_version,
                    passed,
                    items: items.clone(),
                    recorded_by: String::new(),
                    recorded_at: e.recorded_at,
                });
            }
            EventBody::HoldCleared { resolution, .. } => {
                day.hold = None;
                if let st::HoldResolution::OtherVehicle { plate } = resolution {
                    day.row.plate = Some(plate.clone());
                }
            }
            EventBody::CardStackIssued { range, .. } => {
                if !day.card_stacks.contains(range) {
                    day.card_stacks.push(range.clone());
                }
                if !day.row.card_stacks.contains(range) {
                    day.row.card_stacks.push(range.clone());
                }
            }
            EventBody::ParcelLoaded { tracking_id, .. } => {
                if let Some(p) = day
                    .parcels
                    .iter_mut()
                    .find(|p| &p.tracking_id == tracking_id)
                {
                    p.loaded = true;
                }
            }
            EventBody::ParcelNotLoaded {
                tracking_id,
                reason,
                ..
            } => {
                if let Some(p) = day
                    .parcels
                    .iter_mut()
                    .find(|p| &p.tracking_id == tracking_id)
                {
                    p.not_loaded = Some(*reason);
                }
            }
            EventBody::ParcelReturned { tracking_id, .. } => {
                if let Some(p) = day
                    .parcels
                    .iter_mut()
                    .find(|p| &p.tracking_id == tracking_id)
                {
                    p.returned = true;
                } else if day.returns_picked_up.contains(tracking_id)
                    && !day.returns_handed_in.contains(tracking_id)
                {
                    day.returns_handed_in.push(tracking_id.clone());
                }
                day.discrepancies.retain(|d| &d.subject != tracking_id);
            }
            EventBody::CardsReturned { range, .. } => {
                let cards = range.numbers();
                day.discrepancies.retain(|d| !cards.contains(&d.subject));
                for card in cards {
                    if !day.cards_returned.contains(&card) {
                        day.cards_returned.push(card);
                    }
                }
            }
            EventBody::DiscrepancyExplained {
                subject,
                explanation,
                ..
            } => {
                for d in day
                    .discrepancies
                    .iter_mut()
                    .filter(|d| &d.subject == subject)
                {
                    d.explanation = Some(explanation.clone());
                }
            }
            _ => {}
        }
    }
    let deliverable = || day.parcels.iter().filter(|p| !p.is_return);
    day.row.parcels_loaded = deliverable().filter(|p| p.loaded).count() as u32;
    day.row.parcels_not_loaded = deliverable().filter(|p| p.not_loaded.is_some()).count() as u32;
    day.row.parcels_expected = deliverable().filter(|p| p.not_loaded.is_none()).count() as u32;
    let s = &mut day.summary;
    s.parcels_loaded = day.row.parcels_loaded;
    s.parcels_not_loaded = day.row.parcels_not_loaded;
    s.parcels_back = day.parcels.iter().filter(|p| p.returned).count() as u32
        + day.returns_handed_in.len() as u32;
    s.cards_issued = day.card_stacks.iter().map(CardRange::count).sum::<u64>() as u32;
    s.cards_returned = day.cards_returned.len() as u32;
    s.cards_missing = day
        .discrepancies
        .iter()
        .filter(|d| d.kind == "card_missing")
        .count() as u32;
    s.discrepancies = day.discrepancies.len() as u32;
    s.discrepancies_explained = day
        .discrepancies
        .iter()
        .filter(|d| d.explanation.is_some())
        .count() as u32;
    s.inspections = day.inspections.len() as u32;
    s.defects_found = day
        .inspections
        .iter()
        .map(|i| i.items.iter().filter(|x| !x.ok).count() as u32)
        .sum();
    day
}

/// Checks a driver's id and PIN with the server and records the check-in; the driver is not
/// signed in on the tablet (nothing of theirs is kept).
#[tauri::command]
pub async fn station_check_in(
    state: State<'_, AppState>,
    args: CheckInArgs,
) -> Result<StationDayUi, CommandError> {
    let driver_id = args.driver_id.trim().to_owned();
    let server = state.server.as_ref().ok_or(CommandError::NoServer)?;
    let token = token(&state).await?;
    let req = CheckInRequest {
        driver_id: driver_id.clone(),
        pin: args.pin,
        date: None,
    };
    let day = match server
        .post::<_, DriverDay>(&token, st::VERIFY_DRIVER, &req)
        .await
    {
        Ok(day) => day,
        Err(TransportError::Unreachable(_)) => {
            return Err(refuse("station.check_in_offline", driver_id));
        }
        // Many wrong PINs on this tablet: it waits (never locks); the screen counts down
        // the seconds the server said.
        Err(TransportError::Status {
            code,
            retry_after_s,
            ..
        }) if code == "tablet_throttled" => {
            return Err(refuse(
                "station.tablet_throttled",
                retry_after_s.unwrap_or(1).max(1).to_string(),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    {
        let store = store(&state)?;
        let mut store = lock(store);
        store.cache_put(&format!("day:{driver_id}"), &day)?;
        if day.checked_in_at.is_none() {
            store.record_station(&day.row.tour_id, &[], |_| EventBody::DriverCheckedIn {
                driver_id: driver_id.clone(),
                pass: None,
            })?;
        }
    }
    nudge(&state).await;
    day_ui(&state, &driver_id).await
}

/// Checks a driver in by the pass their phone shows: typed by a hardware scanner, or a
/// picture of the QR code. The tablet matches it against the board's hashes, so this works
/// while the Wi-Fi is down; the server checks the pass again when the check-in arrives.
#[tauri::command]
pub async fn station_check_in_pass(
    state: State<'_, AppState>,
    args: PassInput,
) -> Result<StationDayUi, CommandError> {
    let code = match args {
        PassInput::Typed { code } => code,
        PassInput::Picture { image_b64 } => {
            let bytes = proof::decode_b64("picture", &image_b64)?;
            let found = lastmile_scan::decode_image(&bytes)
                .map_err(|e| refuse("station.no_pass_in_picture", e.to_string()))?;
            found
                .into_iter()
                .map(|d| d.text)
                .find(|t| is_pass(t))
                .ok_or_else(|| refuse("station.no_pass_in_picture", "no check-in code"))?
        }
    };
    let code = code.trim().to_uppercase();
    if !is_pass(&code) {
        let shown: String = code.chars().take(24).collect();
        return Err(refuse("station.not_a_pass", shown));
    }
    let digest = {
        use sha2::Digest as _;
        hex::encode(sha2::Sha256::digest(code.as_bytes()))
    };
    let board = board_ui(&state).await?.board;
    let row = board
        .rows
        .iter()
        .find(|r| r.check_in_pass_sha256.as_deref() == Some(digest.as_str()))
        .ok_or_else(|| refuse("station.unknown_pass", board.date.to_string()))?;
    let driver_id = row.driver_id.clone();
    let current = day_ui(&state, &driver_id).await?;
    if current.day.checked_in_at.is_none() && current.day.row.state == DayState::Expected {
        let store = store(&state)?;
        let mut store = lock(store);
        store.record_station(&row.tour_id, &[], |_| EventBody::DriverCheckedIn {
            driver_id: driver_id.clone(),
            pass: Some(code.clone()),
        })?;
    }
    nudge(&state).await;
    day_ui(&state, &driver_id).await
}

fn is_pass(text: &str) -> bool {
    text.trim()
        .to_uppercase()
        .starts_with(st::CHECK_IN_PASS_PREFIX)
}

/// One action of the tablet on a driver's day, checked against the day first.
#[tauri::command]
pub async fn station_act(
    state: State<'_, AppState>,
    args: StationActArgs,
) -> Result<StationDayUi, CommandError> {
    let driver_id = args
        .body
        .station_driver()
        .ok_or_else(|| refuse("station.not_a_station_action", args.body.kind()))?
        .to_owned();
    let current = day_ui(&state, &driver_id).await?;
    if current.day.row.tour_id != args.tour_id {
        return Err(refuse("station.no_tour_today", driver_id));
    }
    check(&state, &current, &args.body).await?;
    let photos = item_photos(&args)?;
    {
        let store = store(&state)?;
        let mut store = lock(store);
        let files: Vec<_> = photos
            .iter()
            .map(|(_, jpeg)| lastmile_store::BlobInput {
                kind: lastmile_store::BlobKind::Photo,
                bytes: jpeg,
            })
            .collect();
        let mut body = args.body.clone();
        store.record_station(&args.tour_id, &files, |refs| {
            if let EventBody::InspectionRecorded { items, .. } = &mut body {
                for ((item_id, _), file) in photos.iter().zip(refs) {
                    if let Some(item) = items.iter_mut().find(|i| &i.item_id == item_id) {
                        item.photo = Some(file);
                    }
                }
            }
            body
        })?;
    }
    nudge(&state).await;
    day_ui(&state, &driver_id).await
}

/// The inspection's item photos, downscaled to JPEG like every proof photo: only with an
/// inspection, one per item of it at most.
fn item_photos(args: &StationActArgs) -> Result<Vec<(String, Vec<u8>)>, CommandError> {
    if args.photos.is_empty() {
        return Ok(Vec::new());
    }
    let EventBody::InspectionRecorded { items, .. } = &args.body else {
        return Err(refuse("station.photo_not_expected", args.body.kind()));
    };
    let mut out: Vec<(String, Vec<u8>)> = Vec::with_capacity(args.photos.len());
    for photo in &args.photos {
        let known = items.iter().any(|i| i.item_id == photo.item_id);
        if !known || out.iter().any(|(id, _)| id == &photo.item_id) {
            return Err(refuse("station.photo_not_expected", photo.item_id.clone()));
        }
        let jpeg = proof::photo_jpeg(&proof::decode_b64("photo", &photo.photo_b64)?)?;
        out.push((photo.item_id.clone(), jpeg));
    }
    Ok(out)
}

/// What the tablet refuses before recording (the server refuses the same again).
async fn check(
    state: &AppState,
    current: &StationDayUi,
    body: &EventBody,
) -> Result<(), CommandError> {
    let day = &current.day;
    let known_plate = |plate: &str| current.fleet.iter().any(|v| v.plate == plate);
    match body {
        EventBody::VehicleAssigned { plate, .. }
        | EventBody::HoldCleared {
            resolution: st::HoldResolution::OtherVehicle { plate },
            ..
        } if !known_plate(plate) => Err(refuse("station.unknown_plate", plate.clone())),
        EventBody::HoldCleared { .. } if day.hold.is_none() => {
            Err(refuse("station.no_hold", day.row.driver_id.clone()))
        }
        EventBody::CardStackIssued { range, .. } => {
            let parsed = range
                .parse()
                .map_err(|why| refuse("station.bad_card_range", why))?;
            let board = board_copy(state)?;
            let others = board.iter().flat_map(|b| &b.rows);
            let mine = std::iter::once(&day.row);
            for row in others.chain(mine) {
                for s in &row.card_stacks {
                    if let Ok(o) = s.parse()
                        && o.prefix == parsed.prefix
                        && o.width == parsed.width
                        && o.first <= parsed.last
                        && o.last >= parsed.first
                    {
                        return Err(refuse(
                            "station.card_range_overlaps",
                            format!("{} ({}–{})", row.driver_id, s.first, s.last),
                        ));
                    }
                }
            }
            Ok(())
        }
        EventBody::ParcelLoaded { tracking_id, .. }
        | EventBody::ParcelNotLoaded { tracking_id, .. } => {
            match day.parcels.iter().find(|p| &p.tracking_id == tracking_id) {
                Some(p) if p.loaded || p.not_loaded.is_some() => {
                    Err(refuse("station.parcel_scanned_twice", tracking_id.clone()))
                }
                Some(p) if p.is_return => {
                    Err(refuse("station.parcel_is_a_pickup", tracking_id.clone()))
                }
                Some(_) => Ok(()),
                None => Err(whose(state, tracking_id).await),
            }
        }
        EventBody::ParcelReturned { tracking_id, .. } => {
            let parcel = day.parcels.iter().find(|p| &p.tracking_id == tracking_id);
            match parcel {
                Some(p) if p.returned => {
                    Err(refuse("station.parcel_scanned_twice", tracking_id.clone()))
                }
                Some(_) => Ok(()),
                None if day.returns_handed_in.contains(tracking_id) => {
                    Err(refuse("station.parcel_scanned_twice", tracking_id.clone()))
                }
                None if day.returns_picked_up.contains(tracking_id) => Ok(()),
                None => Err(whose(state, tracking_id).await),
            }
        }
        EventBody::CardsReturned { range, .. } => {
            range
                .parse()
                .map_err(|why| refuse("station.bad_card_range", why))?;
            for card in range.numbers() {
                if !day.card_stacks.iter().any(|s| s.contains(&card)) {
                    return Err(refuse("station.card_not_issued", card));
                }
                if day.cards_used.contains(&card) {
                    return Err(refuse("station.card_was_used", card));
                }
                if day.cards_returned.contains(&card) {
                    return Err(refuse("station.cards_returned_twice", card));
                }
            }
            Ok(())
        }
        EventBody::DiscrepancyExplained {
            explanation,
            subject,
            ..
        } if explanation.trim().is_empty() => {
            Err(refuse("station.blank_explanation", subject.clone()))
        }
        _ => Ok(()),
    }
}

/// A parcel that is not on this driver's tour: whose it is, when the server can say.
async fn whose(state: &AppState, tracking_id: &str) -> CommandError {
    let Some(server) = &state.server else {
        return refuse("station.unknown_parcel", tracking_id.to_owned());
    };
    let Ok(token) = token(state).await else {
        return refuse("station.unknown_parcel", tracking_id.to_owned());
    };
    let path = st::PARCEL_OWNER.replace("{tracking_id}", &urlencode(tracking_id));
    match server.get::<ParcelOwner>(&token, &path).await {
        Ok(o) => refuse(
            "station.parcel_of_other_tour",
            format!("{} ({}, {})", o.driver_id, o.tour_id, o.stop_id),
        ),
        Err(_) => refuse("station.unknown_parcel", tracking_id.to_owned()),
    }
}

/// The close-out with both signatures from the pad: refused while the pad is blank or a
/// discrepancy is unexplained; otherwise one station event with the four signature files.
#[tauri::command]
pub async fn station_close_out(
    state: State<'_, AppState>,
    args: CloseOutArgs,
) -> Result<StationDayUi, CommandError> {
    let current = day_ui(&state, &args.driver_id).await?;
    if current.day.row.tour_id != args.tour_id {
        return Err(refuse("station.no_tour_today", args.driver_id));
    }
    let driver = proof::signature(&args.driver_signature)?
        .ok_or_else(|| refuse("station.blank_signature", "driver"))?;
    let lead = proof::signature(&args.lead_signature)?
        .ok_or_else(|| refuse("station.blank_signature", "lead"))?;
    if let Some(open) = current
        .day
        .discrepancies
        .iter()
        .find(|d| d.explanation.is_none())
    {
        return Err(refuse(
            "station.unexplained_discrepancies",
            open.subject.clone(),
        ));
    }
    let points = |s: &lastmile_protocol::ui::SignatureUi| {
        s.strokes.iter().map(Vec::len).sum::<usize>() as u32
    };
    let (driver_points, lead_points) =
        (points(&args.driver_signature), points(&args.lead_signature));
    let summary = current.day.summary.clone();
    let driver_id = args.driver_id.clone();
    {
        let store = store(&state)?;
        let mut store = lock(store);
        let [driver_strokes, driver_png] = driver.blobs();
        let [lead_strokes, lead_png] = lead.blobs();
        let files = [driver_strokes, driver_png, lead_strokes, lead_png];
        store.record_station(&args.tour_id, &files, |refs| {
            let sig =
                |strokes: Option<&BlobRefDto>, image: Option<&BlobRefDto>, points| SignatureDto {
                    strokes: strokes.cloned().unwrap_or(BlobRefDto {
                        sha256: String::new(),
                        kind: BlobKindDto::SignatureStrokes,
                        bytes: 0,
                    }),
                    image: image.cloned(),
                    points,
                };
            EventBody::CloseOutSigned {
                driver_id: driver_id.clone(),
                summary,
                driver_signature: sig(refs.first(), refs.get(1), driver_points),
                lead_signature: sig(refs.get(2), refs.get(3), lead_points),
            }
        })?;
    }
    nudge(&state).await;
    day_ui(&state, &args.driver_id).await
}

/// On the driver's phone: the hold on their tour (instead of the first stop). A tour the
/// server refused to release (`tour_held`) is asked for again here, so the phone gets it
/// once the lead clears the hold.
#[tauri::command]
pub async fn phone_station(state: State<'_, AppState>) -> Result<PhoneStationUi, CommandError> {
    let has_tour = lock(store(&state)?).active_tour_id()?.is_some();
    if !has_tour && lock(store(&state)?).hold_for(HELD_KEY)?.is_some() {
        let token = token(&state).await?;
        match crate::commands::fetch_and_store_tour(&state, &token).await {
            Ok(_) => lock(store(&state)?).set_hold(HELD_KEY, None)?,
            Err(e) => tracing::info!("the tour is still held: {e}"),
        }
    }
    // The pass is kept while the phone is online, for a check-in with the Wi-Fi down: asked
    // for once per tour, not on every poll of this screen.
    if has_tour
        && !pass_kept(&state).await?
        && let Err(e) = check_in_pass(&state).await
    {
        tracing::debug!("check-in pass not kept: {e}");
    }
    let store = store(&state)?;
    let store = lock(store);
    let hold = match store.tour_hold()? {
        Some(h) => Some(h),
        None if store.active_tour_id()?.is_none() => store.hold_for(HELD_KEY)?,
        None => None,
    };
    Ok(PhoneStationUi {
        hold,
        held_message: None,
    })
}

/// On the driver's phone: today's check-in pass and its QR code, for the station tablet to
/// scan. The server's answer, or the copy the phone kept (the station Wi-Fi may be down);
/// a kept pass of another tour is not shown.
#[tauri::command]
pub async fn phone_check_in_code(
    state: State<'_, AppState>,
) -> Result<st::CheckInCodeUi, CommandError> {
    let pass = check_in_pass(&state).await?;
    let img = lastmile_scan::qr_image(&pass.code, 8)
        .map_err(|e| refuse("station.no_pass_today", e.to_string()))?;
    let mut png = Vec::new();
    image::DynamicImage::ImageLuma8(img)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| refuse("station.no_pass_today", e.to_string()))?;
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(png);
    Ok(st::CheckInCodeUi {
        pass,
        qr_png_data_url: format!("data:image/png;base64,{b64}"),
    })
}

/// The signed-in driver's pass (kept per driver: a second person on the phone gets theirs).
async fn check_in_pass(state: &AppState) -> Result<st::CheckInPass, CommandError> {
    let (pass, _, _): (st::CheckInPass, _, _) =
        fetch_or_kept(state, &pass_key(state).await?, st::CHECK_IN_PASS).await?;
    let active = lock(store(state)?).active_tour_id()?;
    if active.is_some_and(|t| t != pass.tour_id) {
        return Err(refuse("station.no_pass_today", pass.tour_id));
    }
    Ok(pass)
}

/// Where the phone keeps the signed-in driver's pass.
async fn pass_key(state: &AppState) -> Result<String, CommandError> {
    Ok(format!("check-in-pass:{}", session(state).await?.user_id))
}

/// Does the phone keep a pass for its active tour?
async fn pass_kept(state: &AppState) -> Result<bool, CommandError> {
    let key = pass_key(state).await?;
    let store = store(state)?;
    let store = lock(store);
    let active = store.active_tour_id()?;
    Ok(store
        .cache_get::<st::CheckInPass>(&key)?
        .is_some_and(|kept| active.as_deref() == Some(kept.value.tour_id.as_str())))
}

/// Where the phone keeps the hold the server answered before it had the tour.
const HELD_KEY: &str = "(refused download)";

/// The server refused the driver's tour (`tour_held`): keep the hold (from the driver's day)
/// so the phone can show why and what to do.
pub(crate) async fn note_refused_tour(state: &AppState, user_id: &str) -> Result<(), CommandError> {
    let Some(server) = &state.server else {
        return Ok(());
    };
    let token = token(state).await?;
    let path = st::DAY.replace("{driver_id}", &urlencode(user_id));
    let day: DriverDay = server.get(&token, &path).await?;
    let hold = day.hold.unwrap_or(HoldView {
        hold_id: uuid::Uuid::nil(),
        tour_id: day.row.tour_id.clone(),
        driver_id: user_id.to_owned(),
        plate: day.row.plate.clone().unwrap_or_default(),
        defects: Vec::new(),
        placed_at: chrono::Utc::now(),
    });
    lock(store(state)?).set_hold(HELD_KEY, Some(&hold))?;
    Ok(())
}

/// The signed-in driver's signed close-outs ("my days"), kept for offline reading.
#[tauri::command]
pub async fn my_days(state: State<'_, AppState>) -> Result<Vec<CloseOutView>, CommandError> {
    Ok(fetch_or_kept(&state, "my-days", st::MY_DAYS).await?.0)
}

#[cfg(test)]
mod tests {
    use lastmile_protocol::station::{
        BoardRow, CloseOutSummary, DayParcel, Discrepancy, InspectionTemplate,
    };

    use super::*;

    fn parcel(id: &str, outcome: Option<&str>) -> DayParcel {
        DayParcel {
            tracking_id: id.into(),
            stop_id: format!("S-{id}"),
            stop_sequence: 1,
            is_return: false,
            loaded: true,
            not_loaded: None,
            outcome: outcome.map(str::to_owned),
            returned: false,
        }
    }

    fn day() -> DriverDay {
        let gap = |subject: &str, kind: &str| Discrepancy {
            subject: subject.into(),
            kind: kind.into(),
            explanation: None,
        };
        DriverDay {
            row: BoardRow {
                driver_id: "D1".into(),
                name: None,
                tour_id: "T1".into(),
                state: DayState::OnRoad,
                plate: Some("B-LM 101".into()),
                parcels_expected: 2,
                parcels_loaded: 2,
                parcels_not_loaded: 0,
                card_stacks: vec![],
                check_in_pass_sha256: None,
            },
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            checked_in_at: None,
            hold: None,
            inspections: vec![],
            card_stacks: vec![CardRange {
                first: "K1".into(),
                last: "K3".into(),
            }],
            cards_used: vec![],
            cards_returned: vec![],
            parcels: vec![
                parcel("P1", Some("delivered")),
                parcel("P2", Some("failed")),
            ],
            returns_picked_up: vec![],
            returns_handed_in: vec![],
            discrepancies: vec![
                gap("P2", "parcel_not_back"),
                gap("K1", "card_missing"),
                gap("K2", "card_missing"),
                gap("K3", "card_missing"),
            ],
            close_out: None,
            summary: CloseOutSummary::default(),
        }
    }

    fn queued(body: EventBody) -> PendingStation {
        PendingStation {
            seq: 1,
            event_id: uuid::Uuid::now_v7(),
            tour_id: "T1".into(),
            body,
            recorded_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn scans_queued_offline_show_on_the_day_before_the_server_has_them() {
        let pending = [
            queued(EventBody::ParcelReturned {
                driver_id: "D1".into(),
                tracking_id: "P2".into(),
            }),
            queued(EventBody::CardsReturned {
                driver_id: "D1".into(),
                range: CardRange {
                    first: "K1".into(),
                    last: "K2".into(),
                },
            }),
            queued(EventBody::DiscrepancyExplained {
                driver_id: "D1".into(),
                subject: "K3".into(),
                explanation: "lost".into(),
            }),
        ];
        let day = overlay(day(), &pending, &InspectionTemplate::default_template());
        assert_eq!(day.row.state, DayState::Back);
        assert!(day.parcels[1].returned);
        let left: Vec<(&str, Option<&str>)> = day
            .discrepancies
            .iter()
            .map(|d| (d.subject.as_str(), d.explanation.as_deref()))
            .collect();
        assert_eq!(left, [("K3", Some("lost"))]);
        assert_eq!(
            (
                day.summary.parcels_back,
                day.summary.cards_issued,
                day.summary.cards_returned,
                day.summary.cards_missing,
                day.summary.discrepancies_explained
            ),
            (1, 3, 2, 1, 1)
        );
    }

    #[test]
    fn a_safety_defect_queued_offline_shows_the_hold_until_a_clearing_is_queued() {
        let t = InspectionTemplate::default_template();
        let inspect = queued(EventBody::InspectionRecorded {
            driver_id: "D1".into(),
            plate: "B-LM 101".into(),
            phase: InspectionPhase::PreTrip,
            template_id: t.template_id.clone(),
            template_version: t.version,
            items: t
                .items
                .iter()
                .map(|i| st::InspectionItemResult {
                    item_id: i.item_id.clone(),
                    ok: i.item_id != "brakes",
                    note: None,
                    photo: None,
                })
                .collect(),
        });
        let mut start = day();
        start.row.state = DayState::Inspecting;
        let held = overlay(start.clone(), std::slice::from_ref(&inspect), &t);
        assert_eq!(held.row.state, DayState::Held);
        assert_eq!(held.hold.map(|h| h.defects.len()), Some(1));
        let cleared = queued(EventBody::HoldCleared {
            driver_id: "D1".into(),
            resolution: st::HoldResolution::OtherVehicle {
                plate: "B-LM 102".into(),
            },
        });
        let released = overlay(start, &[inspect, cleared], &t);
        assert!(released.hold.is_none());
        assert_eq!(released.row.plate.as_deref(), Some("B-LM 102"));
        assert_eq!(released.row.state, DayState::Inspecting);
    }

    #[test]
    fn a_day_never_opened_is_the_boards_row_offline_and_a_queued_check_in_shows_on_it() {
        let mut row = day().row;
        row.state = DayState::Expected;
        row.plate = None;
        let board = Board {
            station_id: "S1".into(),
            date: day().date,
            rows: vec![row],
            fleet: vec![],
            template: st::InspectionTemplate::default_template(),
        };
        assert!(day_from_board(&board, "D9").is_none(), "not on the board");
        let bare = day_from_board(&board, "D1").expect("D1 is on the board");
        assert_eq!((bare.row.tour_id.as_str(), bare.date), ("T1", board.date));
        assert!(bare.parcels.is_empty() && bare.checked_in_at.is_none());
        let shown = overlay(
            bare,
            &[queued(EventBody::DriverCheckedIn {
                driver_id: "D1".into(),
                pass: Some("LMCI1-00".into()),
            })],
            &board.template,
        );
        assert_eq!(shown.row.state, DayState::CheckedIn);
        assert!(shown.checked_in_at.is_some());
    }

    #[test]
    fn item_photos_go_only_with_an_inspection_and_its_own_items() {
        let inspection = EventBody::InspectionRecorded {
            driver_id: "D1".into(),
            plate: "B-LM 101".into(),
            phase: InspectionPhase::PreTrip,
            template_id: "default".into(),
            template_version: 1,
            items: vec![st::InspectionItemResult {
                item_id: "brakes".into(),
                ok: false,
                note: None,
                photo: None,
            }],
        };
        let photo = |item: &str| st::ItemPhotoArg {
            item_id: item.into(),
            photo_b64: "not base64!".into(),
        };
        let args = |body: EventBody, photos| StationActArgs {
            tour_id: "T1".into(),
            body,
            photos,
        };
        let refused = |a: StationActArgs| match item_photos(&a) {
            Err(CommandError::Station { code, .. }) => code,
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert!(
            item_photos(&args(inspection.clone(), vec![]))
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            refused(args(inspection.clone(), vec![photo("horn")])),
            "station.photo_not_expected"
        );
        assert_eq!(
            refused(args(
                EventBody::DriverCheckedIn {
                    driver_id: "D1".into(),
                    pass: None
                },
                vec![photo("brakes")]
            )),
            "station.photo_not_expected"
        );
        // The item is the inspection's, but the bytes are no picture.
        assert!(matches!(
            item_photos(&args(inspection, vec![photo("brakes")])),
            Err(CommandError::Input(_) | CommandError::Photo(_))
        ));
    }

    #[test]
    fn an_action_laid_over_a_copy_that_already_has_it_counts_once() {
        let template = st::InspectionTemplate::default_template();
        let inspect = queued(EventBody::InspectionRecorded {
            driver_id: "D1".into(),
            plate: "B-LM 101".into(),
            phase: InspectionPhase::PostTrip,
            template_id: "default".into(),
            template_version: 1,
            items: vec![st::InspectionItemResult {
                item_id: "horn".into(),
                ok: false,
                note: Some("quiet".into()),
                photo: None,
            }],
        });
        let stack = queued(EventBody::CardStackIssued {
            driver_id: "D1".into(),
            range: CardRange {
                first: "K000001".into(),
                last: "K000005".into(),
            },
        });
        let back = queued(EventBody::CardsReturned {
            driver_id: "D1".into(),
            range: CardRange {
                first: "K000001".into(),
                last: "K000002".into(),
            },
        });
        let actions = [inspect, stack, back];
        // The copy fetched before the server had them, and one fetched after.
        let once = overlay(day(), &actions, &template);
        assert_eq!(once.inspections.len(), day().inspections.len() + 1);
        let twice = overlay(once.clone(), &actions, &template);
        assert_eq!(twice.inspections, once.inspections);
        assert_eq!(twice.card_stacks, once.card_stacks);
        assert_eq!(twice.cards_returned, once.cards_returned);
        assert_eq!(twice.summary, once.summary);
    }
}
