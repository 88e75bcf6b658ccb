//! The station tablet on the device (issue 12).
//!
//! On a driver's phone: a hold the station placed on the active tour, and the card stacks
//! the station issued (they arrive with the snapshot or on the change feed and fill the
//! `card` table the failed-delivery screen checks numbers against).
//!
//! On the tablet: the station's actions are events in the same outbox as a driver's
//! outcomes ([`Store::record_station`]: one transaction, gap-free sequence, exactly-once at
//! the server), each about the day's tour of the driver it names. What the server last
//! answered (board, fleet, template, drivers' days) is kept in `station_cache`, so the
//! screens keep working when the Wi-Fi drops; [`Store::pending_station_events`] lists the
//! tablet's actions the server has not acknowledged yet, for the screens to count in.

use chrono::{DateTime, Utc};
use lastmile_protocol::events::{BlobRefDto, EventBody, EventEnvelope};
use lastmile_protocol::station::{CardRange, HoldView};
use lastmile_protocol::tour::TourChange;
use rusqlite::{OptionalExtension, Transaction, params};

use crate::actions::Action;
use crate::{BlobInput, Store, StoreError};

/// Card numbers of the stacks, into the `card` table (numbers already known stay as they are).
pub(crate) fn issue_stacks(
    tx: &Transaction<'_>,
    stacks: &[CardRange],
    now: &str,
) -> Result<(), StoreError> {
    let mut insert =
        tx.prepare_cached("INSERT OR IGNORE INTO card (number, issued_at) VALUES (?1, ?2)")?;
    for stack in stacks {
        for n in stack.numbers() {
            insert.execute([n.as_str(), now])?;
        }
    }
    Ok(())
}

/// The station's part of a change set: a hold placed or lifted, a card stack. Returns
/// whether `change` was one of them.
pub(crate) fn apply_change(
    tx: &Transaction<'_>,
    tour_id: &str,
    change: &TourChange,
    now: &str,
) -> Result<bool, StoreError> {
    match change {
        TourChange::HoldChanged { hold: Some(hold) } => {
            let json = serde_json::to_string(hold)
                .map_err(|e| StoreError::Internal(format!("hold to JSON: {e}")))?;
            tx.execute(
                "INSERT INTO tour_hold (tour_id, hold_json) VALUES (?1, ?2)
                 ON CONFLICT (tour_id) DO UPDATE SET hold_json = excluded.hold_json",
                [tour_id, &json],
            )?;
        }
        TourChange::HoldChanged { hold: None } => {
            tx.execute("DELETE FROM tour_hold WHERE tour_id = ?1", [tour_id])?;
        }
        TourChange::CardStackIssued { range } => {
            issue_stacks(tx, std::slice::from_ref(range), now)?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// A cached answer of the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Cached<T> {
    pub value: T,
    pub fetched_at: DateTime<Utc>,
}

/// A station event of this device, by its outbox sequence number.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingStation {
    pub seq: u64,
    pub event_id: uuid::Uuid,
    pub tour_id: String,
    pub body: EventBody,
    pub recorded_at: DateTime<Utc>,
}

impl Store {
    /// The hold on the active tour, if the station placed one (a phone shows it instead of
    /// the first stop).
    pub fn tour_hold(&self) -> Result<Option<HoldView>, StoreError> {
        match self.active_tour_id()? {
            Some(tour_id) => self.hold_for(&tour_id),
            None => Ok(None),
        }
    }

    /// Keeps a hold the server answered (`tour_held`) for a tour the phone does not have
    /// yet, or clears it; keyed by the tour (or the driver, before a tour id is known).
    pub fn set_hold(&mut self, key: &str, hold: Option<&HoldView>) -> Result<(), StoreError> {
        match hold {
            Some(h) => {
                let json = serde_json::to_string(h)
                    .map_err(|e| StoreError::Internal(format!("hold to JSON: {e}")))?;
                self.conn.execute(
                    "INSERT INTO tour_hold (tour_id, hold_json) VALUES (?1, ?2)
                     ON CONFLICT (tour_id) DO UPDATE SET hold_json = excluded.hold_json",
                    [key, &json],
                )?;
            }
            None => {
                self.conn
                    .execute("DELETE FROM tour_hold WHERE tour_id = ?1", [key])?;
            }
        }
        self.committed();
        Ok(())
    }

    /// The hold kept under `key` by [`Store::set_hold`].
    pub fn hold_for(&self, key: &str) -> Result<Option<HoldView>, StoreError> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT hold_json FROM tour_hold WHERE tour_id = ?1",
                [key],
                |r| r.get(0),
            )
            .optional()?;
        json.map(|j| {
            serde_json::from_str(&j)
                .map_err(|e| StoreError::Internal(format!("stored hold is unreadable: {e}")))
        })
        .transpose()
    }

    /// Keeps the server's answer under `key` (e.g. `board`, `day:D1`).
    pub fn cache_put<T: serde::Serialize>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(value)
            .map_err(|e| StoreError::Internal(format!("cache to JSON: {e}")))?;
        self.conn.execute(
            "INSERT INTO station_cache (key, json, fetched_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (key) DO UPDATE SET json = excluded.json, fetched_at = excluded.fetched_at",
            params![key, json, self.now().to_rfc3339()],
        )?;
        self.committed();
        Ok(())
    }

    /// The answer last kept under `key`.
    pub fn cache_get<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<Cached<T>>, StoreError> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT json, fetched_at FROM station_cache WHERE key = ?1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(json, at)| {
            Ok(Cached {
                value: serde_json::from_str(&json).map_err(|e| {
                    StoreError::Internal(format!("cached {key} is unreadable: {e}"))
                })?,
                fetched_at: crate::actions::parse_time(&at)?,
            })
        })
        .transpose()
    }

    /// Records a station event about `tour_id` (a driver's day, not the device's active
    /// tour) in the outbox, with its photo or signature files: one transaction, the next
    /// sequence number, the signed-in person. `make` builds the body from the files' refs.
    pub fn record_station(
        &mut self,
        tour_id: &str,
        blobs: &[BlobInput<'_>],
        make: impl FnOnce(Vec<BlobRefDto>) -> EventBody,
    ) -> Result<crate::Recorded, StoreError> {
        self.record_in(Some(tour_id), None, |tx, ctx| {
            let refs = ctx.store_blobs(tx, blobs)?;
            let body = make(refs);
            if body.station_driver().is_none() {
                return Err(StoreError::Internal(format!(
                    "{} is not a station event",
                    body.kind()
                )));
            }
            let tracking_id = match &body {
                EventBody::ParcelLoaded { tracking_id, .. }
                | EventBody::ParcelNotLoaded { tracking_id, .. }
                | EventBody::ParcelReturned { tracking_id, .. } => Some(tracking_id.clone()),
                _ => None,
            };
            Ok(Action::new(body, "", tracking_id.as_deref(), Vec::new()))
        })
    }

    /// The station events of `tour_id` still waiting for the server, in order.
    pub fn pending_station_events(&self, tour_id: &str) -> Result<Vec<PendingStation>, StoreError> {
        self.station_events_after(tour_id, self.acked_seq()?)
    }

    /// The station events of `tour_id` after outbox sequence number `after`, in order,
    /// acknowledged or not (the events stay in the store after their acknowledgement).
    pub fn station_events_after(
        &self,
        tour_id: &str,
        acked: u64,
    ) -> Result<Vec<PendingStation>, StoreError> {
        let rows: Vec<(i64, String)> = self
            .conn
            .prepare_cached(
                "SELECT seq, envelope FROM event WHERE tour_id = ?1 AND seq > ?2 ORDER BY seq",
            )?
            .query_map(params![tour_id, acked as i64], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for (seq, json) in rows {
            let ev: EventEnvelope = serde_json::from_str(&json)
                .map_err(|e| StoreError::Internal(format!("stored event is unreadable: {e}")))?;
            if ev.body.station_driver().is_some() {
                out.push(PendingStation {
                    seq: seq as u64,
                    event_id: ev.event_id,
                    tour_id: ev.tour_id,
                    body: ev.body,
                    recorded_at: ev.recorded_at,
                });
            }
        }
        Ok(out)
    }
}
