//! The outbox as the sync engine sees it: events not yet acknowledged, in sequence order, in
//! byte-bounded batches; blob files still to upload; and the queue state the driver sees.
//! Acknowledgement only moves forward; history leaves only through [`crate::retention`],
//! once acknowledged and past its grace period.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use lastmile_protocol::events::EventEnvelope;
use rusqlite::{OptionalExtension, params};

use crate::actions::parse_time;
use crate::{Store, StoreError};

/// A blob file that the server does not have yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingBlob {
    pub sha256: String,
    /// `photo`, `signature_image`, `signature_strokes` or `card_photo`.
    pub kind: String,
    pub bytes: u64,
    pub path: PathBuf,
}

/// One thing still waiting to be sent ([`Store::waiting`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    /// The event's kind (`parcel_delivered`, …) or the file's (`photo`, `signature_image`, …).
    pub kind: String,
    pub stop_id: Option<String>,
    /// The event as JSON, or the file.
    pub bytes: u64,
    /// When it was recorded (for a file: the event that needs it).
    pub recorded_at: DateTime<Utc>,
}

/// What is still waiting to be sent (shown to the driver at all times).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueueState {
    pub pending_events: u64,
    pub pending_blobs: u64,
    pub pending_blob_bytes: u64,
    /// Device time of the oldest event not yet acknowledged.
    pub oldest_unsent: Option<DateTime<Utc>>,
    pub last_seq: u64,
    pub acked_seq: u64,
    /// Events the server refused (kept, reported, skipped).
    pub rejected: u64,
}

impl Store {
    /// The highest sequence the server acknowledged.
    pub fn acked_seq(&self) -> Result<u64, StoreError> {
        Ok(self
            .meta("acked_seq")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// Unacknowledged events in sequence order: at most `limit`, and no more than `max_bytes`
    /// of JSON (but always at least one, so a large event cannot jam the queue).
    pub fn pending_events(
        &self,
        limit: usize,
        max_bytes: usize,
    ) -> Result<Vec<EventEnvelope>, StoreError> {
        let acked = self.acked_seq()?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT envelope FROM event WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
        let mut rows = stmt.query(params![acked as i64, limit as i64])?;
        let mut out = Vec::new();
        let mut bytes = 0;
        while let Some(row) = rows.next()? {
            let json: String = row.get(0)?;
            if !out.is_empty() && bytes + json.len() > max_bytes {
                break;
            }
            bytes += json.len();
            out.push(
                serde_json::from_str(&json).map_err(|e| {
                    StoreError::Internal(format!("stored event is unreadable: {e}"))
                })?,
            );
        }
        Ok(out)
    }

    /// The server durably applied (or rejected) every event up to `up_to_seq`. Never moves
    /// backwards, never past the last recorded event.
    pub fn mark_acked(&mut self, up_to_seq: u64) -> Result<u64, StoreError> {
        let tx = self.conn.transaction()?;
        let last: i64 =
            tx.query_row("SELECT coalesce(max(seq), 0) FROM event", [], |r| r.get(0))?;
        let current: u64 = tx
            .query_row("SELECT value FROM meta WHERE key = 'acked_seq'", [], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let new = up_to_seq.min(last as u64).max(current);
        if up_to_seq > last as u64 {
            tracing::warn!(
                up_to_seq,
                last,
                "server acknowledged events this device never recorded"
            );
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('acked_seq', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [new.to_string()],
        )?;
        tx.commit()?;
        self.purge_if_configured();
        Ok(new)
    }

    /// Keeps the server's refusal of one event visible (the queue moves on past it).
    pub fn record_rejection(
        &mut self,
        seq: u64,
        code: &str,
        message: &str,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO event_rejection (seq, code, message) VALUES (?1, ?2, ?3)
             ON CONFLICT (seq) DO UPDATE SET code = excluded.code, message = excluded.message",
            params![seq as i64, code, message],
        )?;
        Ok(())
    }

    /// Blob files not yet uploaded, oldest first.
    pub fn pending_blobs(&self) -> Result<Vec<PendingBlob>, StoreError> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT sha256, kind, bytes FROM blob WHERE uploaded = 0 ORDER BY first_seq",
            )?
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows
            .into_iter()
            .map(|(sha256, kind, bytes)| PendingBlob {
                path: crate::blobs::path_of(&self.blob_dir, &sha256),
                sha256,
                kind,
                bytes: bytes as u64,
            })
            .collect())
    }

    /// Everything still waiting to be sent, oldest first: the unacknowledged events (their
    /// kind, stop, size as sent and when they were recorded), then the photos and signature
    /// files not yet uploaded (with the recording time of the event that needs them).
    pub fn waiting(&self) -> Result<Vec<Waiting>, StoreError> {
        let acked = self.acked_seq()? as i64;
        let rows = self
            .conn
            .prepare_cached(
                "SELECT kind, stop_id, length(envelope), recorded_at, 0 AS part, seq FROM event WHERE seq > ?1
                 UNION ALL
                 SELECT b.kind, e.stop_id, b.bytes, e.recorded_at, 1, b.first_seq
                   FROM blob b JOIN event e ON e.seq = b.first_seq WHERE b.uploaded = 0
                 ORDER BY part, seq",
            )?
            .query_map([acked], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(kind, stop_id, bytes, recorded_at)| {
                Ok(Waiting {
                    kind,
                    stop_id,
                    bytes: bytes as u64,
                    recorded_at: parse_time(&recorded_at)?,
                })
            })
            .collect()
    }

    /// The server has the blob. Returns false if this device never had it.
    pub fn mark_blob_uploaded(&mut self, sha256: &str) -> Result<bool, StoreError> {
        let known = self
            .conn
            .execute("UPDATE blob SET uploaded = 1 WHERE sha256 = ?1", [sha256])?
            == 1;
        self.purge_if_configured();
        Ok(known)
    }

    /// The server reports a blob missing (e.g. lost on its side): upload it again.
    pub fn mark_blob_missing(&mut self, sha256: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .execute("UPDATE blob SET uploaded = 0 WHERE sha256 = ?1", [sha256])?
            == 1)
    }

    /// Pending events, pending blob bytes, oldest unsent.
    pub fn queue_state(&self) -> Result<QueueState, StoreError> {
        let acked = self.acked_seq()?;
        let (pending, last, oldest): (i64, i64, Option<String>) = self.conn.query_row(
            "SELECT (SELECT count(*) FROM event WHERE seq > ?1), (SELECT coalesce(max(seq), 0) FROM event),
                    (SELECT recorded_at FROM event WHERE seq > ?1 ORDER BY seq LIMIT 1)",
            [acked as i64],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let (blobs, blob_bytes): (i64, i64) = self.conn.query_row(
            "SELECT count(*), coalesce(sum(bytes), 0) FROM blob WHERE uploaded = 0",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let rejected: i64 =
            self.conn
                .query_row("SELECT count(*) FROM event_rejection", [], |r| r.get(0))?;
        Ok(QueueState {
            pending_events: pending as u64,
            pending_blobs: blobs as u64,
            pending_blob_bytes: blob_bytes as u64,
            oldest_unsent: oldest.as_deref().map(parse_time).transpose()?,
            last_seq: last as u64,
            acked_seq: acked,
            rejected: rejected as u64,
        })
    }
}
