//! Tours in: the first download is a snapshot, later edits by dispatch are change sets.
//! Each is applied in one transaction together with its cursor. Dispatch owns the plan
//! (stops, order, addresses, notes); the driver owns outcomes. A change that clashes with an
//! outcome the driver recorded keeps the outcome and records a visible conflict.

use lastmile_protocol::tour::{ChangeSet, RouteLegDto, StopDto, TourChange, TourSnapshot};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::convert::{stop_kind_code, stop_kind_from_dto};
use crate::{Store, StoreError};

/// What applying a change set did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Applied; `conflicts` clashes with recorded outcomes were recorded.
    Applied { cursor: u64, conflicts: u32 },
    /// The cursor was already at or past this change set (a resend): nothing changed.
    AlreadyApplied { cursor: u64 },
}

impl Store {
    /// Loads a tour snapshot and makes it the active tour. Loading a newer snapshot of the
    /// same tour keeps every recorded outcome; stops dropped by the new plan that have
    /// outcomes stay visible with a conflict.
    pub fn apply_snapshot(&mut self, snapshot: &TourSnapshot) -> Result<u32, StoreError> {
        validate_snapshot(snapshot)?;
        let now = self.now().to_rfc3339();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let t = snapshot;
        tx.execute(
            "INSERT INTO tour (tour_id, station_id, station_name, station_lat, station_lon, driver_id, date, departure, cursor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (tour_id) DO UPDATE SET station_id = excluded.station_id, station_name = excluded.station_name,
               station_lat = excluded.station_lat, station_lon = excluded.station_lon, driver_id = excluded.driver_id,
               date = excluded.date, departure = excluded.departure, cursor = excluded.cursor",
            params![
                t.tour_id,
                t.station.station_id,
                t.station.name,
                t.station.position.lat,
                t.station.position.lon,
                t.driver_id,
                t.date.to_string(),
                t.departure.map(|d| d.to_rfc3339()),
                t.cursor as i64
            ],
        )?;
        tx.execute(
            "UPDATE stop SET removed = 1 WHERE tour_id = ?1",
            [&t.tour_id],
        )?;
        tx.execute(
            "UPDATE parcel SET removed = 1 WHERE tour_id = ?1",
            [&t.tour_id],
        )?;
        for stop in &t.stops {
            upsert_stop(&tx, &t.tour_id, stop)?;
        }
        // Whatever the new plan dropped but the driver already acted on stays, as a conflict.
        let mut conflicts = 0;
        let kept: Vec<(String, String)> = tx
            .prepare(
                "SELECT tracking_id, stop_id FROM parcel WHERE tour_id = ?1 AND removed = 1 AND state != 'pending'",
            )?
            .query_map([&t.tour_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (tracking_id, stop_id) in kept {
            tx.execute(
                "UPDATE parcel SET removed = 0 WHERE tour_id = ?1 AND tracking_id = ?2",
                [&t.tour_id, &tracking_id],
            )?;
            tx.execute(
                "UPDATE stop SET removed = 0 WHERE tour_id = ?1 AND stop_id = ?2",
                [&t.tour_id, &stop_id],
            )?;
            conflict(
                &tx,
                &t.tour_id,
                t.cursor,
                Some(&stop_id),
                Some(&tracking_id),
                Clash {
                    kind: "parcel_dropped",
                    detail: None,
                    message: "the new plan no longer has this parcel, but you already recorded an outcome for it",
                },
                &now,
            )?;
            conflicts += 1;
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('active_tour', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [&t.tour_id],
        )?;
        // The server releases only a tour that is not held, with the station's card stacks.
        tx.execute("DELETE FROM tour_hold WHERE tour_id = ?1", [&t.tour_id])?;
        crate::station::issue_stacks(&tx, &t.card_stacks, &now)?;
        tx.commit()?;
        self.committed();
        Ok(conflicts)
    }

    /// Applies one change set from dispatch, atomically with its cursor. A resend (cursor
    /// not newer than the device's) changes nothing. A change type this app does not know
    /// refuses the whole set and keeps the cursor, so the app can be updated and retry.
    pub fn apply_change_set(&mut self, set: &ChangeSet) -> Result<Applied, StoreError> {
        if set.changes.iter().any(|c| matches!(c, TourChange::Unknown)) {
            return Err(StoreError::NewerServer {
                what: format!("a tour change at cursor {}", set.cursor),
            });
        }
        for change in &set.changes {
            match change {
                TourChange::StopAdded { stop } => {
                    validate_route(&stop.stop_id, stop.route.as_ref())?;
                    crate::service::validate_checklist(&stop.stop_id, &stop.checklist)?;
                }
                TourChange::RouteChanged { stop_id, route } => {
                    validate_route(stop_id, route.as_ref())?;
                }
                _ => {}
            }
        }
        let active = self.active_tour_id()?.ok_or(StoreError::NoTour)?;
        if active != set.tour_id {
            return Err(StoreError::WrongTour {
                active,
                got: set.tour_id.clone(),
            });
        }
        let now = self.now().to_rfc3339();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let cursor: i64 = tx.query_row(
            "SELECT cursor FROM tour WHERE tour_id = ?1",
            [&active],
            |r| r.get(0),
        )?;
        if set.cursor <= cursor as u64 {
            return Ok(Applied::AlreadyApplied {
                cursor: cursor as u64,
            });
        }
        let mut conflicts = 0;
        for change in &set.changes {
            conflicts += apply_change(&tx, &active, set.cursor, change, &now)?;
        }
        tx.execute(
            "UPDATE tour SET cursor = ?2 WHERE tour_id = ?1",
            params![active, set.cursor as i64],
        )?;
        tx.commit()?;
        self.committed();
        Ok(Applied::Applied {
            cursor: set.cursor,
            conflicts,
        })
    }

    /// The change-feed cursor of the active tour (ask the server for changes after it).
    pub fn tour_cursor(&self) -> Result<Option<u64>, StoreError> {
        let Some(tour_id) = self.active_tour_id()? else {
            return Ok(None);
        };
        let c: i64 = self.conn.query_row(
            "SELECT cursor FROM tour WHERE tour_id = ?1",
            [tour_id],
            |r| r.get(0),
        )?;
        Ok(Some(c as u64))
    }

    pub fn active_tour_id(&self) -> Result<Option<String>, StoreError> {
        self.meta("active_tour")
    }
}

fn validate_snapshot(t: &TourSnapshot) -> Result<(), StoreError> {
    let mut stops = std::collections::HashSet::new();
    let mut parcels = std::collections::HashSet::new();
    if t.tour_id.is_empty() {
        return Err(StoreError::InvalidTour("the tour has no id".into()));
    }
    for s in &t.stops {
        if !stops.insert(&s.stop_id) {
            return Err(StoreError::InvalidTour(format!(
                "stop {} appears twice",
                s.stop_id
            )));
        }
        if !(s.position.lat.is_finite() && s.position.lon.is_finite()) {
            return Err(StoreError::InvalidTour(format!(
                "stop {} has no valid position",
                s.stop_id
            )));
        }
        validate_route(&s.stop_id, s.route.as_ref())?;
        crate::service::validate_checklist(&s.stop_id, &s.checklist)?;
        for p in &s.parcels {
            if !parcels.insert(&p.tracking_id) {
                return Err(StoreError::InvalidTour(format!(
                    "parcel {} appears twice",
                    p.tracking_id
                )));
            }
        }
    }
    Ok(())
}

/// A route leg as stored in `stop.route`.
fn route_json(route: Option<&RouteLegDto>) -> Result<Option<String>, StoreError> {
    route
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| StoreError::Internal(format!("route leg to JSON: {e}")))
}

/// A route leg must be drawable: every number finite and not negative.
fn validate_route(stop_id: &str, route: Option<&RouteLegDto>) -> Result<(), StoreError> {
    let Some(r) = route else {
        return Ok(());
    };
    let fine = |x: f64| x.is_finite() && x >= 0.0;
    let numbers_ok = fine(r.distance_m)
        && fine(r.duration_s)
        && r.maneuvers.iter().all(|m| {
            fine(m.distance_m)
                && fine(m.duration_s)
                && m.location.lat.is_finite()
                && m.location.lon.is_finite()
        });
    if numbers_ok {
        Ok(())
    } else {
        Err(StoreError::InvalidTour(format!(
            "the route to stop {stop_id} has a distance, duration or position that is not a valid number"
        )))
    }
}

fn upsert_stop(tx: &Transaction<'_>, tour_id: &str, s: &StopDto) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO stop (tour_id, stop_id, sequence, kind, street, house_number, postcode, city, name, lat, lon,
                           access_notes, tw_start, tw_end, service_seconds, route, checklist, removed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, 0)
         ON CONFLICT (tour_id, stop_id) DO UPDATE SET sequence = excluded.sequence, kind = excluded.kind,
           street = excluded.street, house_number = excluded.house_number, postcode = excluded.postcode,
           city = excluded.city, name = excluded.name, lat = excluded.lat, lon = excluded.lon,
           access_notes = excluded.access_notes, tw_start = excluded.tw_start, tw_end = excluded.tw_end,
           service_seconds = excluded.service_seconds, route = excluded.route,
           checklist = excluded.checklist, removed = 0",
    )?
    .execute(params![
        tour_id,
        s.stop_id,
        s.sequence,
        stop_kind_code(stop_kind_from_dto(s.kind)),
        s.address.street,
        s.address.house_number,
        s.address.postcode,
        s.address.city,
        s.address.name,
        s.position.lat,
        s.position.lon,
        s.access_notes,
        s.time_window.map(|w| w.start.to_rfc3339()),
        s.time_window.map(|w| w.end.to_rfc3339()),
        s.service_seconds,
        route_json(s.route.as_ref())?,
        crate::service::checklist_json(&s.checklist)?,
    ])?;
    let mut upsert = tx.prepare_cached(
        "INSERT INTO parcel (tour_id, tracking_id, stop_id, tw_start, tw_end, depth_cm, height_cm, width_cm,
                             no_neighbour, signature_required, id_check, is_return, removed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 0)
         ON CONFLICT (tour_id, tracking_id) DO UPDATE SET stop_id = excluded.stop_id, tw_start = excluded.tw_start,
           tw_end = excluded.tw_end, depth_cm = excluded.depth_cm, height_cm = excluded.height_cm,
           width_cm = excluded.width_cm, no_neighbour = excluded.no_neighbour,
           signature_required = excluded.signature_required, id_check = excluded.id_check,
           is_return = excluded.is_return, removed = 0",
    )?;
    for p in &s.parcels {
        upsert.execute(params![
            tour_id,
            p.tracking_id,
            s.stop_id,
            p.time_window.map(|w| w.start.to_rfc3339()),
            p.time_window.map(|w| w.end.to_rfc3339()),
            p.dimensions.map(|d| d.depth_cm as f64),
            p.dimensions.map(|d| d.height_cm as f64),
            p.dimensions.map(|d| d.width_cm as f64),
            p.flags.no_neighbour,
            p.flags.signature_required,
            p.flags.id_check,
            p.is_return,
        ])?;
    }
    Ok(())
}

/// Parcels of a stop that the driver already acted on (their tracking ids).
fn recorded_at_stop(
    tx: &Transaction<'_>,
    tour_id: &str,
    stop_id: &str,
) -> Result<Vec<String>, StoreError> {
    let ids = tx
        .prepare_cached(
            "SELECT tracking_id FROM parcel WHERE tour_id = ?1 AND stop_id = ?2 AND removed = 0 AND state != 'pending'
             UNION ALL SELECT label FROM unplanned_return WHERE tour_id = ?1 AND stop_id = ?2 AND undone = 0",
        )?
        .query_map([tour_id, stop_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

fn apply_change(
    tx: &Transaction<'_>,
    tour_id: &str,
    cursor: u64,
    change: &TourChange,
    now: &str,
) -> Result<u32, StoreError> {
    let mut conflicts = 0;
    match change {
        TourChange::StopAdded { stop } => {
            // A parcel moved here from another stop after the driver recorded it stays put.
            for parcel in &stop.parcels {
                let recorded: Option<(String, String)> = tx
                    .query_row(
                        "SELECT stop_id, state FROM parcel WHERE tour_id = ?1 AND tracking_id = ?2 AND state != 'pending'",
                        [tour_id, &parcel.tracking_id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                if let Some((old_stop, _)) = recorded
                    && old_stop != stop.stop_id
                {
                    conflict(
                        tx,
                        tour_id,
                        cursor,
                        Some(&old_stop),
                        Some(&parcel.tracking_id),
                        Clash {
                            kind: "parcel_moved",
                            detail: Some(&stop.stop_id),
                            message: &format!(
                                "dispatch moved this parcel to stop {}, but you already recorded an outcome for it here",
                                stop.stop_id
                            ),
                        },
                        now,
                    )?;
                    conflicts += 1;
                }
            }
            let mut stop = stop.clone();
            stop.parcels.retain(|p| {
                tx.query_row(
                    "SELECT 1 FROM parcel WHERE tour_id = ?1 AND tracking_id = ?2 AND state != 'pending' AND stop_id != ?3",
                    [tour_id, &p.tracking_id, &stop.stop_id],
                    |_| Ok(()),
                )
                .optional()
                .map(|found| found.is_none())
                .unwrap_or(true)
            });
            tx.execute(
                "UPDATE stop SET sequence = sequence + 1 WHERE tour_id = ?1 AND sequence >= ?2 AND stop_id != ?3",
                params![tour_id, stop.sequence, stop.stop_id],
            )?;
            upsert_stop(tx, tour_id, &stop)?;
        }
        TourChange::StopRemoved { stop_id } => {
            let recorded = recorded_at_stop(tx, tour_id, stop_id)?;
            if recorded.is_empty() {
                tx.execute(
                    "UPDATE stop SET removed = 1 WHERE tour_id = ?1 AND stop_id = ?2",
                    [tour_id, stop_id],
                )?;
                tx.execute(
                    "UPDATE parcel SET removed = 1 WHERE tour_id = ?1 AND stop_id = ?2",
                    [tour_id, stop_id],
                )?;
            } else {
                conflict(
                    tx,
                    tour_id,
                    cursor,
                    Some(stop_id),
                    None,
                    Clash {
                        kind: "stop_removed",
                        detail: None,
                        message: &format!(
                            "dispatch removed this stop, but you already recorded {} outcome(s) here; the stop stays",
                            recorded.len()
                        ),
                    },
                    now,
                )?;
                conflicts += 1;
            }
        }
        TourChange::Resequenced { stop_ids } => {
            let mut set = tx.prepare_cached(
                "UPDATE stop SET sequence = ?3 WHERE tour_id = ?1 AND stop_id = ?2",
            )?;
            for (index, stop_id) in stop_ids.iter().enumerate() {
                set.execute(params![tour_id, stop_id, index as i64 + 1])?;
            }
            // Stops the new order does not mention keep their relative order, after it.
            let offset = stop_ids.len() as i64;
            let placeholders = std::iter::repeat_n("?", stop_ids.len())
                .collect::<Vec<_>>()
                .join(",");
            let sql = format!(
                "UPDATE stop SET sequence = sequence + ?2 WHERE tour_id = ?1 AND stop_id NOT IN ({})",
                if placeholders.is_empty() {
                    "''".to_owned()
                } else {
                    placeholders
                }
            );
            let mut values: Vec<&dyn rusqlite::ToSql> = vec![&tour_id, &offset];
            values.extend(stop_ids.iter().map(|s| s as &dyn rusqlite::ToSql));
            tx.execute(&sql, values.as_slice())?;
        }
        TourChange::AddressCorrected {
            stop_id,
            address,
            position,
        } => {
            let recorded = recorded_at_stop(tx, tour_id, stop_id)?;
            let (lat, lon) = match position {
                Some(p) => (Some(p.lat), Some(p.lon)),
                None => (None, None),
            };
            // A new position moves the stop: the old route leg leads to the old door, so it is
            // dropped (the next snapshot or StopAdded brings a new one). Same position or none
            // given: the route stays.
            tx.execute(
                "UPDATE stop SET street = ?3, house_number = ?4, postcode = ?5, city = ?6, name = ?7,
                   route = CASE WHEN (?8 IS NOT NULL AND ?8 != lat) OR (?9 IS NOT NULL AND ?9 != lon)
                                THEN NULL ELSE route END,
                   lat = coalesce(?8, lat), lon = coalesce(?9, lon) WHERE tour_id = ?1 AND stop_id = ?2",
                params![tour_id, stop_id, address.street, address.house_number, address.postcode, address.city, address.name, lat, lon],
            )?;
            if !recorded.is_empty() {
                conflict(
                    tx,
                    tour_id,
                    cursor,
                    Some(stop_id),
                    None,
                    Clash {
                        kind: "address_corrected",
                        detail: Some(&format!("{} {}", address.street, address.house_number)),
                        message: &format!(
                            "dispatch corrected the address to {} {} after you recorded outcomes here; check they went to the right door",
                            address.street, address.house_number
                        ),
                    },
                    now,
                )?;
                conflicts += 1;
            }
        }
        TourChange::AccessNotesChanged {
            stop_id,
            access_notes,
        } => {
            tx.execute(
                "UPDATE stop SET access_notes = ?3 WHERE tour_id = ?1 AND stop_id = ?2",
                params![tour_id, stop_id, access_notes],
            )?;
        }
        TourChange::RouteChanged { stop_id, route } => {
            // Like the other edits of one stop, a stop this device does not have changes
            // nothing: the next snapshot brings it with its route.
            tx.execute(
                "UPDATE stop SET route = ?3 WHERE tour_id = ?1 AND stop_id = ?2",
                params![tour_id, stop_id, route_json(route.as_ref())?],
            )?;
        }
        TourChange::Unknown => {
            return Err(StoreError::NewerServer {
                what: format!("a tour change at cursor {cursor}"),
            });
        }
        TourChange::ParcelRemoved {
            stop_id,
            tracking_id,
        } => {
            // The station kept the parcel (not loaded): it leaves the tour unless the driver
            // already recorded an outcome for it.
            let removed = tx.execute(
                "UPDATE parcel SET removed = 1 WHERE tour_id = ?1 AND stop_id = ?2 AND tracking_id = ?3 AND state = 'pending'",
                [tour_id, stop_id, tracking_id],
            )?;
            let exists = tx
                .query_row(
                    "SELECT 1 FROM parcel WHERE tour_id = ?1 AND tracking_id = ?2 AND removed = 0",
                    [tour_id, tracking_id],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
            if removed == 0 && exists {
                conflict(
                    tx,
                    tour_id,
                    cursor,
                    Some(stop_id),
                    Some(tracking_id),
                    Clash {
                        kind: "not_loaded",
                        detail: None,
                        message: "the station marked this parcel not loaded, but you already recorded an outcome for it",
                    },
                    now,
                )?;
                conflicts += 1;
            }
        }
        TourChange::HoldChanged { .. } | TourChange::CardStackIssued { .. } => {
            crate::station::apply_change(tx, tour_id, change, now)?;
        }
    }
    Ok(conflicts)
}

/// What clashed with a recorded outcome: a code the screens translate (see
/// [`crate::queries::ConflictView`]), its detail, and the English sentence kept for logs and
/// support.
struct Clash<'a> {
    kind: &'static str,
    detail: Option<&'a str>,
    message: &'a str,
}

fn conflict(
    tx: &Transaction<'_>,
    tour_id: &str,
    cursor: u64,
    stop_id: Option<&str>,
    tracking_id: Option<&str>,
    clash: Clash<'_>,
    now: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO conflict (tour_id, cursor, stop_id, tracking_id, message, created_at, kind, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![tour_id, cursor as i64, stop_id, tracking_id, clash.message, now, clash.kind, clash.detail],
    )?;
    Ok(())
}
