//! Retention on the device (issue 16): proof and tour data leave the phone once the server has
//! everything and a grace period has passed; nothing the server does not have is ever purged.
//!
//! A tour is *expired* when its day ended more than [`Retention::grace_days`] whole days ago
//! (default 1: the end of the next day, on the UTC calendar), and it is *acknowledged* when
//! every event recorded for it is acknowledged and none was refused (a refused or parked
//! event stays for the driver to see), and every photo and signature file its events name is
//! uploaded. An expired, acknowledged tour goes whole, in one transaction: its stops, parcels,
//! events (the names, methods and notes they carry), conflicts, hold, ride-along records and
//! blob rows; then its blob files (unless an event of a tour that stays names the same file).
//! Cached server answers (station board, drivers' days, ride-along records) fetched before the
//! cut-off and answered ride-along records older than it go too.
//!
//! The newest event row is never deleted, only emptied (a tombstone: kind `purged`, no tour,
//! no envelope): the next event's sequence is `max(seq) + 1`, and a sequence the server has
//! seen must never be used again. Deleted pages are overwritten (`secure_delete` during the
//! purge). Runs when the store opens and after every acknowledgement or upload
//! (`Options::retention`; `None`, the default for tools and tests, keeps everything).

use chrono::{DateTime, Days, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};

use crate::{Store, StoreError};

/// How long acknowledged data stays on the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Whole days after the end of a tour's day before it is purged (0: right after its
    /// day; 1, the default: after the end of the next day).
    pub grace_days: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Self { grace_days: 1 }
    }
}

impl Retention {
    /// The newest tour day that has expired at `now`.
    pub fn last_expired_day(&self, now: DateTime<Utc>) -> Option<NaiveDate> {
        now.date_naive()
            .checked_sub_days(Days::new(u64::from(self.grace_days) + 1))
    }
}

/// What one purge removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Purged {
    pub tours: Vec<String>,
    pub events: u64,
    pub blob_files: u64,
    pub blob_bytes: u64,
    pub cached_answers: u64,
}

impl Store {
    /// Purges what [`Retention`] says may go (see the module documentation).
    pub fn purge_expired(&mut self, policy: &Retention) -> Result<Purged, StoreError> {
        let now = self.clock.now();
        let Some(last_day) = policy.last_expired_day(now) else {
            return Ok(Purged::default());
        };
        let cutoff = last_day
            .checked_add_days(Days::new(1))
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc())
            .unwrap_or(now);
        let acked = self.acked_seq()? as i64;
        self.conn.pragma_update(None, "secure_delete", true)?;
        let result = self.purge_in_tx(&last_day.to_string(), cutoff, acked);
        self.conn.pragma_update(None, "secure_delete", false)?;
        let (purged, files) = result?;
        let mut purged = purged;
        for (sha256, bytes) in files {
            let path = crate::blobs::path_of(&self.blob_dir, &sha256);
            match std::fs::remove_file(&path) {
                Ok(()) => {
                    purged.blob_files += 1;
                    purged.blob_bytes += bytes;
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(StoreError::Blob { path, source }),
            }
        }
        if !purged.tours.is_empty() {
            tracing::info!(
                tours = purged.tours.len(),
                events = purged.events,
                blob_files = purged.blob_files,
                "purged acknowledged data past its retention"
            );
        }
        Ok(purged)
    }

    /// Runs the configured purge (after an acknowledgement or upload, at open). A failure is
    /// logged, never passed on: it must not stop the sync or the app.
    pub(crate) fn purge_if_configured(&mut self) {
        if let Some(policy) = self.retention
            && let Err(e) = self.purge_expired(&policy)
        {
            tracing::warn!(error = %e, "retention purge failed; it runs again after the next sync");
        }
    }

    /// The database part of a purge; returns the blob files to delete after the commit.
    fn purge_in_tx(
        &mut self,
        last_day: &str,
        cutoff: DateTime<Utc>,
        acked: i64,
    ) -> Result<(Purged, Vec<(String, u64)>), StoreError> {
        let tx = self.conn.transaction()?;
        let tours: Vec<String> = tx
            .prepare(
                "SELECT t.tour_id FROM tour t WHERE t.date <= ?1
                   AND NOT EXISTS (SELECT 1 FROM event e WHERE e.tour_id = t.tour_id AND e.seq > ?2)
                   AND NOT EXISTS (SELECT 1 FROM event e JOIN event_rejection r ON r.seq = e.seq
                                    WHERE e.tour_id = t.tour_id)
                   AND NOT EXISTS (SELECT 1 FROM blob b JOIN event e ON e.seq = b.first_seq
                                    WHERE e.tour_id = t.tour_id AND b.uploaded = 0)
                 ORDER BY t.tour_id",
            )?
            .query_map(params![last_day, acked], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut purged = Purged::default();
        let mut files = Vec::new();
        let last_seq: i64 =
            tx.query_row("SELECT coalesce(max(seq), 0) FROM event", [], |r| r.get(0))?;
        for tour in &tours {
            // Files first recorded on this tour that no event of a tour that stays names.
            let blobs: Vec<(String, i64)> = tx
                .prepare(
                    "SELECT b.sha256, b.bytes FROM blob b JOIN event e ON e.seq = b.first_seq
                      WHERE e.tour_id = ?1 AND b.uploaded = 1
                        AND NOT EXISTS (SELECT 1 FROM event o WHERE o.tour_id <> ?1
                                         AND instr(o.envelope, b.sha256) > 0)",
                )?
                .query_map([tour], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            for (sha256, bytes) in blobs {
                tx.execute("DELETE FROM blob WHERE sha256 = ?1", [&sha256])?;
                files.push((sha256, bytes as u64));
            }
            // The newest event stays as an empty tombstone that keeps the sequence.
            tx.execute(
                "UPDATE event SET tour_id = '', kind = 'purged', stop_id = NULL, tracking_id = NULL,
                        envelope = '', undone_by = NULL, recorded_by = NULL
                  WHERE seq = ?1 AND tour_id = ?2",
                params![last_seq, tour],
            )?;
            purged.events += tx.execute("DELETE FROM event WHERE tour_id = ?1", [tour])? as u64;
            for sql in [
                "DELETE FROM ride_observation WHERE ride_along_id IN (SELECT ride_along_id FROM ride_along WHERE tour_id = ?1)",
                "DELETE FROM ride_grade WHERE ride_along_id IN (SELECT ride_along_id FROM ride_along WHERE tour_id = ?1)",
                "DELETE FROM ride_assist WHERE ride_along_id IN (SELECT ride_along_id FROM ride_along WHERE tour_id = ?1)",
                "DELETE FROM ride_along WHERE tour_id = ?1",
                "DELETE FROM parcel WHERE tour_id = ?1",
                "DELETE FROM stop WHERE tour_id = ?1",
                "DELETE FROM unplanned_return WHERE tour_id = ?1",
                "DELETE FROM conflict WHERE tour_id = ?1",
                "DELETE FROM tour_hold WHERE tour_id = ?1",
                "DELETE FROM tour WHERE tour_id = ?1",
                "DELETE FROM meta WHERE key = 'active_tour' AND value = ?1",
            ] {
                tx.execute(sql, [tour])?;
            }
        }
        if !tours.is_empty() {
            // Tombstones of earlier purges that a newer event has replaced.
            tx.execute(
                "DELETE FROM event WHERE kind = 'purged' AND tour_id = '' AND seq < ?1",
                [last_seq],
            )?;
        }
        // Cached answers of the server: fetched again when needed.
        let cutoff_text = cutoff.to_rfc3339();
        for table in ["station_cache", "ride_cache"] {
            let keys: Vec<(String, String)> = tx
                .prepare(&format!("SELECT key, fetched_at FROM {table}"))?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            for (key, fetched_at) in keys {
                let old = DateTime::parse_from_rfc3339(&fetched_at)
                    .map(|t| t.with_timezone(&Utc) < cutoff)
                    .unwrap_or(false);
                if old {
                    purged.cached_answers +=
                        tx.execute(&format!("DELETE FROM {table} WHERE key = ?1"), [&key])? as u64;
                }
            }
        }
        // The driver's answers to ride-along records, once everything before them is sent.
        let unsent_before: Option<i64> = tx
            .query_row(
                "SELECT 1 FROM event WHERE seq > ?1 AND recorded_at < ?2 LIMIT 1",
                params![acked, cutoff_text],
                |r| r.get(0),
            )
            .optional()?;
        if unsent_before.is_none() {
            let answers: Vec<(String, String)> = tx
                .prepare("SELECT ride_along_id, answered_at FROM ride_answer")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            for (id, answered_at) in answers {
                if DateTime::parse_from_rfc3339(&answered_at)
                    .is_ok_and(|t| t.with_timezone(&Utc) < cutoff)
                {
                    tx.execute("DELETE FROM ride_answer WHERE ride_along_id = ?1", [&id])?;
                }
            }
        }
        tx.commit()?;
        purged.tours = tours;
        Ok((purged, files))
    }
}
