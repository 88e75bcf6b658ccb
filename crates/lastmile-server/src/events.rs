//! Exactly-once application of event batches.
//!
//! Per device the database holds `last_seq`, the highest sequence applied or rejected. A
//! batch is applied in ONE transaction that locks the device row, walks the events in
//! sequence order, skips what is already at or below `last_seq` (resends), stops at a gap
//! (a batch that overtook an earlier one waits for it), records each next event as applied or
//! rejected, and stores the new `last_seq` — effects and sequence commit together or not at
//! all. A rejected event is recorded and passed, so it never blocks the ones behind it.
//!
//! The device's `recorded_at` is kept as sent, beside the server's receive time and the
//! device clock's estimated offset; nothing here orders by device time. An event dated far
//! from the server's clock is flagged (`conflict = clock_skew`); an undo dated after the
//! device's own send time is refused.
//!
//! Each event is judged by the rights of the person who recorded it (`recorded_by`; the
//! uploading session's person for older apps), provided that person had a session on the
//! uploading device (`devices::was_on_device`): on a shared handheld the next driver's
//! session sends the previous driver's queued work as that driver's.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use lastmile_protocol::auth::Role;
use lastmile_protocol::events::{BlobRefDto, EventBody, EventEnvelope, Person};
use lastmile_protocol::sync::{BatchAck, EventBatch, Rejection};

use crate::ServerState;
use crate::auth::{Principal, may_see};
use crate::db::{Col, Tx, V};
use crate::error::{ApiError, ApiResult};
use crate::tours::{TourRow, load_tour};

/// How often a transaction that PostgreSQL aborted for concurrency is retried.
const RETRIES: usize = 3;

#[tracing::instrument(skip_all, err, fields(device = %batch.device_id, n = batch.events.len()))]
pub async fn apply_batch(
    state: &ServerState,
    p: &Principal,
    batch: EventBatch,
    device_time: Option<DateTime<Utc>>,
) -> ApiResult<BatchAck> {
    if batch.device_id != p.device_id {
        return Err(ApiError::forbidden(
            "device_mismatch",
            "batch.device_id is not the signed-in device",
        ));
    }
    if let Some(e) = batch.events.iter().find(|e| e.device_id != batch.device_id) {
        return Err(ApiError::forbidden(
            "device_mismatch",
            format!("event seq {} carries another device id", e.seq),
        ));
    }
    if batch.events.len() > state.config.max_batch_events {
        return Err(ApiError::too_large(
            "batch_too_large",
            format!("at most {} events per batch", state.config.max_batch_events),
        ));
    }
    let mut events = batch.events;
    events.sort_by_key(|e| e.seq);
    events.dedup_by(|a, b| a == b);
    for pair in events.windows(2) {
        if pair[0].seq == pair[1].seq {
            return Err(ApiError::bad_request(
                "duplicate_seq",
                format!("two different events with seq {}", pair[0].seq),
            ));
        }
    }
    if events.first().is_some_and(|e| e.seq == 0) {
        return Err(ApiError::bad_request(
            "bad_seq",
            "sequence numbers start at 1",
        ));
    }
    if events.last().is_some_and(|e| e.seq > i64::MAX as u64) {
        return Err(ApiError::bad_request(
            "bad_seq",
            "sequence number out of range",
        ));
    }
    let mut attempt = 0;
    loop {
        match apply_once(state, p, &events, device_time).await {
            Err(ApiError::Db(e)) if e.is_retryable() && attempt < RETRIES => attempt += 1,
            other => return other,
        }
    }
}

async fn apply_once(
    state: &ServerState,
    p: &Principal,
    events: &[EventEnvelope],
    device_time: Option<DateTime<Utc>>,
) -> ApiResult<BatchAck> {
    let now = state.now();
    let now_ms = now.timestamp_millis();
    // Device clock minus server clock. With the send time it is exact up to network latency;
    // without it the newest recorded_at bounds it from below.
    let offset_ms = match (device_time, events.iter().map(|e| e.recorded_at).max()) {
        (Some(t), _) => Some((t - now).num_milliseconds()),
        (None, Some(newest)) => Some((newest - now).num_milliseconds()),
        (None, None) => None,
    };
    // The reconnecting fleet's hottest write (also the empty batch that asks for missing
    // blobs): batches arriving together share one fsync. The ack below is sent only after
    // the group's COMMIT.
    let mut tx = state.db.begin_grouped().await?;
    let sql = format!(
        "SELECT last_seq, clock_offset_ms FROM devices WHERE device_id = $1{}",
        state.db.for_update()
    );
    let row = tx
        .one(&sql, &[V::from(&p.device_id)])
        .await?
        .ok_or_else(|| ApiError::unauthorized("unknown_device", "device is not enrolled"))?;
    let mut last = row.get::<i64>("last_seq")? as u64;
    let offset_ms = offset_ms.unwrap_or(row.get("clock_offset_ms")?);
    let mut tours: HashMap<(String, Person), Option<TourRow>> = HashMap::new();
    let mut people: HashMap<Person, bool> = HashMap::new();
    // Event ids already taken, looked up once for the whole batch (then kept up to date as
    // the batch records), and the rows written in multi-row INSERTs: one round trip per
    // batch, not per event (issue 18).
    let fresh: Vec<&EventEnvelope> = events.iter().filter(|e| e.seq > last).collect();
    let mut taken = taken_ids(&mut tx, &fresh).await?;
    let mut rows = Rows::default();
    // The dispatch list's projection of what this batch records (crate::progress).
    let mut effects = crate::progress::Effects::default();
    for ev in events {
        if ev.seq <= last {
            continue;
        }
        if ev.seq != last + 1 {
            break;
        }
        if !is_plain(&ev.body) {
            // Its checks (and its effects) read the events table: the rows so far first.
            rows.flush(&mut tx).await?;
        }
        let person = ev.recorded_by.clone().unwrap_or_else(|| Person {
            user_id: p.user_id.clone(),
            role: p.role,
        });
        let on_device = match people.get(&person) {
            Some(known) => *known,
            None => {
                let known = (person.user_id == p.user_id && person.role == p.role)
                    || crate::devices::was_on_device(&mut tx, &p.device_id, &person).await?;
                people.insert(person.clone(), known);
                known
            }
        };
        let verdict = if !on_device {
            reject(
                "person_not_on_device",
                format!(
                    "{} never signed in on this device; events are accepted only for people who did",
                    person.user_id
                ),
            )
        } else if ev.body.station_driver().is_some() {
            // Station kinds: per-kind role rules (crate::station).
            let recorder = Principal {
                user_id: person.user_id.clone(),
                role: person.role,
                ..p.clone()
            };
            crate::station::validate(&mut tx, &recorder, ev, now).await?
        } else if person.role == Role::Station {
            reject(
                "role_cannot_record",
                "the station records only station events (check-in, inspection, cards, scans, close-out)",
            )
        } else if let EventBody::TooLarge {
            original_type,
            bytes,
        } = &ev.body
        {
            reject(
                "event_too_large",
                format!(
                    "the device could not send this {original_type} event ({bytes} bytes, more than one request takes); it is kept on the device under event id {}",
                    ev.event_id
                ),
            )
        } else {
            // The recording person's rights, on this device.
            let recorder = Principal {
                user_id: person.user_id.clone(),
                role: person.role,
                ..p.clone()
            };
            validate(&mut tx, &recorder, &person, ev, &mut tours, &taken).await?
        };
        let verdict = bound_clock(verdict, ev, now, device_time);
        rows.push(ev, &person, &verdict, now_ms, offset_ms)?;
        match &verdict {
            Verdict::Applied { conflict } => effects.record(ev, true, conflict.is_some(), now_ms),
            Verdict::Rejected { .. } => effects.record(ev, false, false, now_ms),
        }
        if !matches!(
            verdict,
            Verdict::Rejected {
                code: "duplicate_event_id",
                ..
            }
        ) {
            taken.insert(ev.event_id.to_string());
        }
        if !is_plain(&ev.body) {
            rows.flush(&mut tx).await?;
        }
        if matches!(verdict, Verdict::Applied { .. }) && ev.body.station_driver().is_some() {
            crate::station::apply(&mut tx, ev, &person, now_ms).await?;
            // A station event may change the plan (a parcel not loaded): read it afresh.
            tours.retain(|(tour_id, _), _| tour_id != &ev.tour_id);
        }
        if matches!(verdict, Verdict::Applied { .. }) && ev.body.ride_along_id().is_some() {
            crate::ride::apply(&mut tx, ev).await?;
        }
        last = ev.seq;
    }
    rows.flush(&mut tx).await?;
    effects.apply(&mut tx, now_ms).await?;
    tx.exec(
        "UPDATE devices SET last_seq = $1, clock_offset_ms = $2, last_seen_at = $3 WHERE device_id = $4",
        &[V::I(last as i64), V::I(offset_ms), V::I(now_ms), V::from(&p.device_id)],
    )
    .await?;
    // Rejections of every event in this batch's range, also those of an earlier apply, so a
    // device whose first answer was lost learns them on the resend.
    let mut rejections = Vec::new();
    if let (Some(first), Some(lastev)) = (events.first(), events.last()) {
        for r in tx
            .query(
                "SELECT seq, reject_code, reject_message FROM events
                 WHERE device_id = $1 AND status = 'rejected' AND seq >= $2 AND seq <= $3 ORDER BY seq",
                &[V::from(&p.device_id), V::I(first.seq as i64), V::I(lastev.seq as i64)],
            )
            .await?
        {
            rejections.push(Rejection {
                seq: r.get::<i64>("seq")? as u64,
                code: r.get::<Option<String>>("reject_code")?.unwrap_or_default(),
                message: r.get::<Option<String>>("reject_message")?.unwrap_or_default(),
            });
        }
    }
    let missing_blobs = missing_blobs_of_device(&mut tx, &p.device_id).await?;
    tx.commit().await?;
    Ok(BatchAck {
        acked_seq: last,
        rejections,
        server_time: now,
        missing_blobs,
    })
}

/// An event dated more than this after the server's clock is flagged `clock_skew` (kept
/// as recorded and applied: the device's clock is off, the driver's work is real).
const FLAG_FUTURE: chrono::Duration = chrono::Duration::hours(1);
/// Later than the device's own clock when it sent the batch (or, without that, more than a
/// day after the server's): no device records that. An undo or correction so dated is
/// refused (`clock_skew`), since it would override a real outcome.
const DEVICE_SLACK: chrono::Duration = chrono::Duration::minutes(5);
const NO_HEADER_FUTURE: chrono::Duration = chrono::Duration::hours(25);

/// Bounds `recorded_at` against the server clock (see [`FLAG_FUTURE`]).
fn bound_clock(
    verdict: Verdict,
    ev: &EventEnvelope,
    now: DateTime<Utc>,
    device_time: Option<DateTime<Utc>>,
) -> Verdict {
    let impossible = match device_time {
        Some(sent) => ev.recorded_at > sent + DEVICE_SLACK,
        None => ev.recorded_at > now + NO_HEADER_FUTURE,
    };
    let skewed = impossible
        || ev.recorded_at > now + FLAG_FUTURE
        || ev.recorded_at.date_naive() < lastmile_import::own::FIRST_TOUR_DATE;
    match verdict {
        Verdict::Applied { .. }
            if impossible
                && matches!(
                    ev.body,
                    EventBody::OutcomeUndone { .. } | EventBody::OutcomeCorrected { .. }
                ) =>
        {
            reject(
                "clock_skew",
                format!(
                    "an undo or correction recorded at {}, later than the device's clock when it sent it; not applied",
                    ev.recorded_at.to_rfc3339()
                ),
            )
        }
        Verdict::Applied { conflict: None } if skewed => Verdict::Applied {
            conflict: Some("clock_skew"),
        },
        other => other,
    }
}

pub async fn missing_blobs_of_device(tx: &mut Tx, device_id: &str) -> ApiResult<Vec<String>> {
    let rows = tx
        .query(
            "SELECT DISTINCT eb.sha256 FROM event_blobs eb LEFT JOIN blobs b ON b.sha256 = eb.sha256
             WHERE eb.device_id = $1 AND b.sha256 IS NULL
               AND NOT EXISTS (SELECT 1 FROM purged_blobs pb WHERE pb.sha256 = eb.sha256) ORDER BY eb.sha256",
            &[V::from(device_id)],
        )
        .await?;
    rows.iter().map(|r| Ok(r.get("sha256")?)).collect()
}

/// What happens to one event.
pub(crate) enum Verdict {
    Applied { conflict: Option<&'static str> },
    Rejected { code: &'static str, message: String },
}

pub(crate) fn reject(code: &'static str, message: impl Into<String>) -> Verdict {
    Verdict::Rejected {
        code,
        message: message.into(),
    }
}

pub(crate) fn stop_and_parcel(body: &EventBody) -> (Option<&str>, Option<&str>) {
    match body {
        EventBody::StopArrived { stop_id } | EventBody::StopSkipped { stop_id } => {
            (Some(stop_id), None)
        }
        EventBody::ParcelDelivered {
            stop_id,
            tracking_id,
            ..
        }
        | EventBody::DeliveryFailed {
            stop_id,
            tracking_id,
            ..
        }
        | EventBody::OutcomeUndone {
            stop_id,
            tracking_id,
            ..
        } => (Some(stop_id), Some(tracking_id)),
        EventBody::ReturnPickedUp { stop_id, .. } => (Some(stop_id), None),
        EventBody::ParcelLoaded { tracking_id, .. }
        | EventBody::ParcelNotLoaded { tracking_id, .. }
        | EventBody::ParcelReturned { tracking_id, .. } => (None, Some(tracking_id)),
        // Ride-along events (`crate::ride`): those about a stop name it.
        EventBody::RideObservation { stop_id, .. } => (stop_id.as_deref(), None),
        EventBody::RideStopAssisted { stop_id, .. } => (Some(stop_id), None),
        // Service visits (`crate::service`).
        EventBody::ServiceStarted { stop_id } | EventBody::ServiceFinished { stop_id, .. } => {
            (Some(stop_id), None)
        }
        _ => (None, None),
    }
}

pub fn kind_of(body: &EventBody) -> &'static str {
    body.kind()
}

pub fn blobs_of(body: &EventBody) -> Vec<BlobRefDto> {
    body.blob_refs()
}

pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Checks every kind of event passes: an id not taken, blob hashes that are hashes.
pub(crate) async fn common_checks(tx: &mut Tx, ev: &EventEnvelope) -> ApiResult<Option<Verdict>> {
    let taken = tx
        .one(
            "SELECT 1 FROM events WHERE event_id = $1",
            &[V::from(ev.event_id.to_string())],
        )
        .await?
        .is_some();
    Ok(checks_with(taken, ev))
}

/// [`common_checks`] with the id's lookup already done.
fn checks_with(id_taken: bool, ev: &EventEnvelope) -> Option<Verdict> {
    if id_taken {
        return Some(reject(
            "duplicate_event_id",
            "an event with this id was already recorded",
        ));
    }
    if blobs_of(&ev.body).iter().any(|b| !is_sha256_hex(&b.sha256)) {
        return Some(reject(
            "bad_blob_hash",
            "blob hashes are 64 lowercase hex digits",
        ));
    }
    None
}

/// An outcome whose checks read nothing this batch writes (not an undo or correction, not a
/// service visit, not a station or ride-along event): its row may wait for the batch's
/// multi-row INSERT.
fn is_plain(body: &EventBody) -> bool {
    body.station_driver().is_none()
        && body.ride_along_id().is_none()
        && !matches!(
            body,
            EventBody::OutcomeUndone { .. }
                | EventBody::OutcomeCorrected { .. }
                // A finish is judged against the start already recorded (`crate::service`).
                | EventBody::ServiceStarted { .. }
                | EventBody::ServiceFinished { .. }
        )
}

/// Ids among `events` that the events table already holds (one query per
/// [`IDS_PER_LOOKUP`]).
async fn taken_ids(tx: &mut Tx, events: &[&EventEnvelope]) -> ApiResult<HashSet<String>> {
    let mut taken = HashSet::new();
    for chunk in events.chunks(IDS_PER_LOOKUP) {
        let marks = (1..=chunk.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let ids: Vec<V> = chunk
            .iter()
            .map(|e| V::from(e.event_id.to_string()))
            .collect();
        for row in tx
            .query(
                &format!("SELECT event_id FROM events WHERE event_id IN ({marks})"),
                &ids,
            )
            .await?
        {
            taken.insert(row.get::<String>("event_id")?);
        }
    }
    Ok(taken)
}

/// Ids per lookup, rows per SQLite INSERT: well inside SQLite's and PostgreSQL's bound parameters.
const IDS_PER_LOOKUP: usize = 1000;
const ROWS_PER_INSERT: usize = 500;

/// The columns of `events` and `event_blobs` a batch writes, in the order of [`Rows`]' values.
const EVENT_COLUMNS: &[(&str, Col)] = &[
    ("event_id", Col::Text),
    ("device_id", Col::Text),
    ("seq", Col::Int),
    ("tour_id", Col::Text),
    ("kind", Col::Text),
    ("stop_id", Col::Text),
    ("tracking_id", Col::Text),
    ("status", Col::Text),
    ("reject_code", Col::Text),
    ("reject_message", Col::Text),
    ("conflict", Col::Text),
    ("recorded_at", Col::Int),
    ("recorded_at_text", Col::Text),
    ("received_at", Col::Int),
    ("clock_offset_ms", Col::Int),
    ("body_json", Col::Text),
    ("recorded_by", Col::Text),
];
const BLOB_COLUMNS: &[(&str, Col)] = &[
    ("sha256", Col::Text),
    ("event_id", Col::Text),
    ("device_id", Col::Text),
    ("tour_id", Col::Text),
    ("kind", Col::Text),
    ("bytes", Col::Int),
];

/// Rows of `events` and `event_blobs` waiting for their multi-row INSERT, in order.
#[derive(Default)]
struct Rows {
    events: Vec<Vec<V>>,
    blobs: Vec<Vec<V>>,
}

impl Rows {
    /// The row of `ev` as judged, and its blob references if applied.
    fn push(
        &mut self,
        ev: &EventEnvelope,
        person: &Person,
        verdict: &Verdict,
        now_ms: i64,
        offset_ms: i64,
    ) -> ApiResult<()> {
        let (status, code, message, conflict) = match verdict {
            Verdict::Applied { conflict } => ("applied", None, None, conflict.map(str::to_owned)),
            Verdict::Rejected { code, message } => (
                "rejected",
                Some((*code).to_owned()),
                Some(message.clone()),
                None,
            ),
        };
        let (stop_id, tracking_id) = stop_and_parcel(&ev.body);
        // A rejected event may reuse an id already taken; its row key must stay unique.
        let event_id = match verdict {
            Verdict::Rejected {
                code: "duplicate_event_id",
                ..
            } => format!("{}#{}#{}", ev.event_id, ev.device_id, ev.seq),
            _ => ev.event_id.to_string(),
        };
        if matches!(verdict, Verdict::Applied { .. }) {
            for blob in &blobs_of(&ev.body) {
                self.blobs.push(vec![
                    V::from(&blob.sha256),
                    V::from(&event_id),
                    V::from(&ev.device_id),
                    V::from(&ev.tour_id),
                    V::from(serde_json::to_string(&blob.kind)?),
                    V::I(blob.bytes as i64),
                ]);
            }
        }
        self.events.push(vec![
            V::from(event_id),
            V::from(&ev.device_id),
            V::I(ev.seq as i64),
            V::from(&ev.tour_id),
            V::from(ev.body.kind()),
            V::from(stop_id.map(str::to_owned)),
            V::from(tracking_id.map(str::to_owned)),
            V::from(status),
            V::from(code),
            V::from(message),
            V::from(conflict),
            V::I(ev.recorded_at.timestamp_millis()),
            V::from(
                ev.recorded_at
                    .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            ),
            V::I(now_ms),
            V::I(offset_ms),
            V::from(serde_json::to_string(ev)?),
            V::from(&person.user_id),
        ]);
        Ok(())
    }

    /// Writes what waits: events first, then their blob references.
    async fn flush(&mut self, tx: &mut Tx) -> ApiResult<()> {
        insert_rows(
            tx,
            "events",
            EVENT_COLUMNS,
            "",
            std::mem::take(&mut self.events),
        )
        .await?;
        insert_rows(
            tx,
            "event_blobs",
            BLOB_COLUMNS,
            " ON CONFLICT DO NOTHING",
            std::mem::take(&mut self.blobs),
        )
        .await
    }
}

/// Writes `rows` into `table` in as few statements as the backend allows: on PostgreSQL
/// one `INSERT … SELECT * FROM unnest(…)` for all of them ([`Tx::insert_unnest`]: one round
/// trip whatever the batch's size), on SQLite (where a statement is a function call, not a
/// round trip) `INSERT … VALUES (…), (…), …` with [`ROWS_PER_INSERT`] rows a statement.
pub(crate) async fn insert_rows(
    tx: &mut Tx,
    table: &str,
    columns: &[(&str, Col)],
    tail: &str,
    rows: Vec<Vec<V>>,
) -> ApiResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    if tx.is_postgres() {
        tx.insert_unnest(table, columns, tail, &rows).await?;
        return Ok(());
    }
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    let columns = names.join(", ");
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let width = chunk.first().map_or(0, Vec::len);
        let mut values = Vec::with_capacity(chunk.len());
        for r in 0..chunk.len() {
            let marks: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            values.push(format!("({})", marks.join(", ")));
        }
        let sql = format!(
            "INSERT INTO {table} ({columns}) VALUES {}{tail}",
            values.join(", ")
        );
        let params: Vec<V> = chunk.iter().flatten().cloned().collect();
        tx.exec(&sql, &params).await?;
    }
    Ok(())
}

/// The server's own rules: the event must belong to a tour the signer may record on, name a
/// stop of that tour and a parcel of that stop (nothing attaches to the wrong stop or parcel).
async fn validate(
    tx: &mut Tx,
    p: &Principal,
    person: &Person,
    ev: &EventEnvelope,
    tours: &mut HashMap<(String, Person), Option<TourRow>>,
    taken: &HashSet<String>,
) -> ApiResult<Verdict> {
    let key = (ev.tour_id.clone(), person.clone());
    if !tours.contains_key(&key) {
        let row = load_tour(tx, &ev.tour_id).await?;
        let row = match row {
            Some(t)
                if may_see(tx, p, &t.station_id, &t.driver_id).await?
                    && p.role != Role::Station =>
            {
                Some(t)
            }
            _ => None,
        };
        tours.insert(key.clone(), row);
    }
    let Some(Some(tour)) = tours.get(&key) else {
        if ev.body.ride_along_id().is_some() {
            let (code, message) = crate::ride::not_visible(person, &ev.tour_id);
            return Ok(reject(code, message));
        }
        return Ok(reject(
            "not_your_tour",
            format!("tour {} is not a tour of this driver", ev.tour_id),
        ));
    };
    if let Some(refused) = checks_with(taken.contains(&ev.event_id.to_string()), ev) {
        return Ok(refused);
    }
    match &ev.body {
        EventBody::OutcomeUndone {
            undone_event_id, ..
        }
        | EventBody::OutcomeCorrected {
            corrected_event_id: undone_event_id,
            ..
        } => {
            let found = tx
                .one(
                    "SELECT kind FROM events WHERE event_id = $1 AND tour_id = $2 AND status = 'applied'",
                    &[V::from(undone_event_id.to_string()), V::from(&ev.tour_id)],
                )
                .await?;
            let Some(found) = found else {
                return Ok(reject(
                    "unknown_event",
                    format!("event {undone_event_id} is not an applied event of this tour"),
                ));
            };
            if let EventBody::OutcomeCorrected { outcome, .. } = &ev.body {
                // A new outcome replaces a delivery or a failed attempt, nothing else.
                let kind: String = found.get("kind")?;
                if outcome.is_some()
                    && !matches!(kind.as_str(), "parcel_delivered" | "delivery_failed")
                {
                    return Ok(reject(
                        "not_correctable",
                        format!(
                            "event {undone_event_id} is a {kind}: only a delivery or a failed attempt can be corrected to another outcome"
                        ),
                    ));
                }
                return Ok(Verdict::Applied { conflict: None });
            }
        }
        _ => {}
    }
    if ev.body.ride_along_id().is_some()
        && let Some((code, message)) = crate::ride::validate(tx, person, tour, ev).await?
    {
        return Ok(reject(code, message));
    }
    if let Some((code, message)) = crate::service::validate(tx, person, tour, ev).await? {
        return Ok(reject(code, message));
    }
    let (Some(stop_id), parcel) = stop_and_parcel(&ev.body) else {
        return Ok(Verdict::Applied { conflict: None });
    };
    let (stop, conflict) = match tour.plan.stops.iter().find(|s| s.stop_id == stop_id) {
        Some(s) => (s, None),
        None => match tour.removed.get(stop_id) {
            // Dispatch removed the stop while the driver was offline and already there:
            // the outcome is the driver's and is kept; the clash is flagged for dispatch.
            Some(s) => (s, Some("stop_removed")),
            None => {
                return Ok(reject(
                    "unknown_stop",
                    format!("stop {stop_id} is not on tour {}", ev.tour_id),
                ));
            }
        },
    };
    if let Some(tracking_id) = parcel
        && !stop.parcels.iter().any(|pc| pc.tracking_id == tracking_id)
    {
        return Ok(reject(
            "parcel_not_at_stop",
            format!("parcel {tracking_id} does not belong to stop {stop_id}"),
        ));
    }
    Ok(Verdict::Applied { conflict })
}
