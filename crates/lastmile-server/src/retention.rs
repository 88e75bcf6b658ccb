//! Retention on the server (issue 16): after [`ServerConfig::proof_retention`] (default 90
//! days, `--proof-retention-days`) proof and personal fields go, and what an audit needs stays.
//!
//! - **Blobs** (photos, signatures) whose every naming event was received before the cut-off
//!   lose their bytes; their hash and size go to `purged_blobs` and `event_blobs` keeps which
//!   event of which device named them, so they are not reported missing or asked for again.
//! - **Events** received before the cut-off lose their personal fields in `body_json` (the
//!   names of recipients and neighbours, the neighbour's house number, safe-place
//!   descriptions, notes, texts, comments, explanations): the strings become empty, so every
//!   view still reads them. Kind, parcel, outcome, reason codes, times, positions and blob
//!   hashes stay.
//! - **Tours** whose day is before the cut-off lose their recipients' names, streets, house
//!   numbers and access notes (plan, removed stops and change sets); postcode and city stay.
//!
//! [`purge`] runs at start and every hour (`main.rs`), in batches, each in its own
//! transaction, and only touches rows not yet redacted, so a run cut short simply goes on.
//!
//! [`ServerConfig::proof_retention`]: crate::ServerConfig::proof_retention

use serde_json::Value;

use crate::ServerState;
use crate::db::{Tx, V, row_struct};
use crate::error::ApiResult;

/// Personal fields of an event's JSON.
const EVENT_FIELDS: &[&str] = &[
    "name",
    "house_number",
    "description",
    "note",
    "text",
    "comment",
    "coaching_notes",
    "explanation",
];

/// Personal fields of a tour's plan (a recipient's address down to the city).
const PLAN_FIELDS: &[&str] = &["name", "street", "house_number", "access_notes"];

/// Rows per transaction.
const BATCH: i64 = 200;

/// What one [`purge`] removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Purged {
    pub events: u64,
    pub tours: u64,
    pub blobs: u64,
    pub blob_bytes: u64,
}

/// Blanks every string under one of `fields`, at any depth; returns whether anything changed.
fn redact(value: &mut Value, fields: &[&str]) -> bool {
    let mut changed = false;
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if fields.contains(&key.as_str()) {
                    if let Value::String(s) = v
                        && !s.is_empty()
                    {
                        s.clear();
                        changed = true;
                    }
                } else {
                    changed |= redact(v, fields);
                }
            }
        }
        Value::Array(items) => {
            for v in items {
                changed |= redact(v, fields);
            }
        }
        _ => {}
    }
    changed
}

/// `json` with `fields` blanked (unchanged if it does not parse).
fn redacted(json: &str, fields: &[&str]) -> String {
    match serde_json::from_str::<Value>(json) {
        Ok(mut v) => {
            if redact(&mut v, fields) {
                v.to_string()
            } else {
                json.to_owned()
            }
        }
        Err(_) => json.to_owned(),
    }
}

row_struct! {
    struct EventJson { event_id: String, body_json: String }
}
row_struct! {
    struct TourJson { tour_id: String, plan_json: String }
}
row_struct! {
    struct StopJson { stop_id: String, stop_json: String }
}
row_struct! {
    struct ChangeJson { cursor: i64, changes_json: String }
}
row_struct! {
    struct BlobSize { sha256: String, size: i64 }
}

/// Purges what is older than the configured retention (see the module documentation).
pub async fn purge(state: &ServerState) -> ApiResult<Purged> {
    let now = state.now_ms();
    let keep_ms = i64::try_from(state.config.proof_retention.as_millis()).unwrap_or(i64::MAX);
    let cutoff = now.saturating_sub(keep_ms);
    let cutoff_day = crate::ms_to_time(cutoff).date_naive().to_string();
    let mut purged = Purged::default();
    loop {
        let mut tx = state.db.begin().await?;
        let n = redact_events(&mut tx, cutoff, now).await?;
        tx.commit().await?;
        purged.events += n;
        if n < BATCH as u64 {
            break;
        }
    }
    loop {
        let mut tx = state.db.begin().await?;
        let n = redact_tours(&mut tx, &cutoff_day, now).await?;
        tx.commit().await?;
        purged.tours += n;
        if n < BATCH as u64 {
            break;
        }
    }
    loop {
        let mut tx = state.db.begin().await?;
        let (n, bytes) = purge_blobs(&mut tx, cutoff, now).await?;
        tx.commit().await?;
        purged.blobs += n;
        purged.blob_bytes += bytes;
        if n < BATCH as u64 {
            break;
        }
    }
    if purged != Purged::default() {
        tracing::info!(
            events = purged.events,
            tours = purged.tours,
            blobs = purged.blobs,
            blob_bytes = purged.blob_bytes,
            "retention: purged proof and personal fields"
        );
    }
    Ok(purged)
}

async fn redact_events(tx: &mut Tx, cutoff: i64, now: i64) -> ApiResult<u64> {
    let rows: Vec<EventJson> = tx
        .query_as(
            "SELECT event_id, body_json FROM events WHERE redacted_at IS NULL AND received_at < $1
              ORDER BY received_at LIMIT $2",
            &[V::I(cutoff), V::I(BATCH)],
        )
        .await?;
    for r in &rows {
        tx.exec(
            "UPDATE events SET body_json = $1, redacted_at = $2 WHERE event_id = $3",
            &[
                V::from(redacted(&r.body_json, EVENT_FIELDS)),
                V::I(now),
                V::from(&r.event_id),
            ],
        )
        .await?;
    }
    Ok(rows.len() as u64)
}

async fn redact_tours(tx: &mut Tx, cutoff_day: &str, now: i64) -> ApiResult<u64> {
    let tours: Vec<TourJson> = tx
        .query_as(
            "SELECT tour_id, plan_json FROM tours WHERE redacted_at IS NULL AND tour_date < $1
              ORDER BY tour_id LIMIT $2",
            &[V::from(cutoff_day), V::I(BATCH)],
        )
        .await?;
    for t in &tours {
        tx.exec(
            "UPDATE tours SET plan_json = $1, redacted_at = $2 WHERE tour_id = $3",
            &[
                V::from(redacted(&t.plan_json, PLAN_FIELDS)),
                V::I(now),
                V::from(&t.tour_id),
            ],
        )
        .await?;
        let stops: Vec<StopJson> = tx
            .query_as(
                "SELECT stop_id, stop_json FROM removed_stops WHERE tour_id = $1",
                &[V::from(&t.tour_id)],
            )
            .await?;
        for s in stops {
            tx.exec(
                "UPDATE removed_stops SET stop_json = $1 WHERE tour_id = $2 AND stop_id = $3",
                &[
                    V::from(redacted(&s.stop_json, PLAN_FIELDS)),
                    V::from(&t.tour_id),
                    V::from(&s.stop_id),
                ],
            )
            .await?;
        }
        let changes: Vec<ChangeJson> = tx
            .query_as(
                "SELECT cursor, changes_json FROM change_sets WHERE tour_id = $1",
                &[V::from(&t.tour_id)],
            )
            .await?;
        for c in changes {
            tx.exec(
                "UPDATE change_sets SET changes_json = $1 WHERE cursor = $2",
                &[
                    V::from(redacted(&c.changes_json, PLAN_FIELDS)),
                    V::I(c.cursor),
                ],
            )
            .await?;
        }
    }
    Ok(tours.len() as u64)
}

async fn purge_blobs(tx: &mut Tx, cutoff: i64, now: i64) -> ApiResult<(u64, u64)> {
    let blobs: Vec<BlobSize> = tx
        .query_as(
            "SELECT b.sha256, b.size FROM blobs b WHERE b.completed_at < $1
                AND NOT EXISTS (SELECT 1 FROM event_blobs eb JOIN events e ON e.event_id = eb.event_id
                                 WHERE eb.sha256 = b.sha256 AND e.received_at >= $1)
              ORDER BY b.sha256 LIMIT $2",
            &[V::I(cutoff), V::I(BATCH)],
        )
        .await?;
    let mut bytes = 0;
    for b in &blobs {
        tx.exec("DELETE FROM blobs WHERE sha256 = $1", &[V::from(&b.sha256)])
            .await?;
        tx.exec(
            "INSERT INTO purged_blobs (sha256, size, purged_at) VALUES ($1, $2, $3)
             ON CONFLICT (sha256) DO UPDATE SET purged_at = excluded.purged_at",
            &[V::from(&b.sha256), V::I(b.size), V::I(now)],
        )
        .await?;
        bytes += b.size as u64;
    }
    Ok((blobs.len() as u64, bytes))
}

/// Was this blob's content purged by retention?
pub async fn is_purged(tx: &mut Tx, sha256: &str) -> ApiResult<bool> {
    Ok(tx
        .one(
            "SELECT 1 FROM purged_blobs WHERE sha256 = $1",
            &[V::from(sha256)],
        )
        .await?
        .is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_strings_are_blanked_and_the_rest_stays() {
        let json = r#"{"event_id":"e","body":{"type":"parcel_delivered","tracking_id":"P1",
            "method":{"kind":"neighbour","name":"Frau Müller","house_number":"7"},
            "blobs":[{"sha256":"ab","kind":"photo"}],"reason":"not_home"}}"#;
        let out: Value = serde_json::from_str(&redacted(json, EVENT_FIELDS)).unwrap();
        assert_eq!(out["body"]["method"]["name"], "");
        assert_eq!(out["body"]["method"]["house_number"], "");
        assert_eq!(out["body"]["method"]["kind"], "neighbour");
        assert_eq!(out["body"]["tracking_id"], "P1");
        assert_eq!(out["body"]["reason"], "not_home");
        assert_eq!(out["body"]["blobs"][0]["sha256"], "ab");
    }
}
