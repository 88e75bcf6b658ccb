//! The read models the screens need: the tour overview, the current stop with its parcels,
//! a parcel by tracking id, guidance (distance, direction, ETA), conflicts and the
//! end-of-day summary. Each is a few indexed queries; none writes.

use chrono::{DateTime, NaiveDate, Utc};
use lastmile_domain::outcome::allowed_methods;
use lastmile_domain::progress::{DEFAULT_SPEED_KMH, eta};
use lastmile_domain::{
    Address, Eta, Fix, Geofence, MethodKind, Parcel, ParcelFlags, ParcelState, Position, Progress,
    Stop, StopKind, TimeWindow,
};
use lastmile_protocol::tour::RouteLegDto;
use rusqlite::{OptionalExtension, Row, params};

use crate::actions::{OPEN_STOP, load_parcel, parse_time, parse_window, state_from_code};
use crate::convert::stop_kind_from_code;
use crate::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopStatus {
    Open,
    /// Arrived, parcels still open.
    Arrived,
    Done,
    Skipped,
}

/// One line of the tour list.
#[derive(Debug, Clone, PartialEq)]
pub struct StopSummary {
    pub stop_id: String,
    pub sequence: u32,
    pub kind: StopKind,
    pub address_line: String,
    pub name: Option<String>,
    pub position: Position,
    pub time_window: Option<TimeWindow>,
    pub parcels: u32,
    pub open_parcels: u32,
    /// Parcels of this stop whose latest outcome is a failed attempt.
    pub failed_parcels: u32,
    pub has_access_notes: bool,
    pub status: StopStatus,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TourOverview {
    pub tour_id: String,
    pub station_name: String,
    pub station_position: Position,
    pub date: NaiveDate,
    pub stops: Vec<StopSummary>,
    pub progress: Progress,
    /// The first open stop in planned order.
    pub current_stop_id: Option<String>,
    pub open_conflicts: u32,
}

/// A parcel with what the driver did and may do.
#[derive(Debug, Clone, PartialEq)]
pub struct ParcelView {
    pub parcel: Parcel,
    pub stop_id: String,
    pub state: ParcelState,
    pub attempts: u32,
    pub outcome_summary: Option<String>,
    pub outcome_event_id: Option<String>,
    pub allowed_methods: Vec<MethodKind>,
}

/// The stop card.
#[derive(Debug, Clone, PartialEq)]
pub struct StopDetail {
    pub stop: Stop,
    pub status: StopStatus,
    pub parcels: Vec<ParcelView>,
    /// The driving route from the previous stop (or the station), when the server sent one.
    pub route: Option<RouteLegDto>,
}

/// Distance, direction and ETA from the driver's position.
#[derive(Debug, Clone, PartialEq)]
pub struct Guidance {
    pub stop_id: String,
    pub geofence: Geofence,
    pub eta: Eta,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DaySummary {
    pub stops_total: u32,
    pub stops_done: u32,
    pub delivered: u32,
    pub failed: u32,
    /// Not delivered and not attempted: goes back to the station.
    pub not_attempted: u32,
    pub cards_used: u32,
    pub cards_unused: u32,
    pub returns_on_board: u32,
    pub conflicts: u32,
}

/// A change of dispatch's that clashed with an outcome the driver had recorded: what
/// dispatch changed (`kind`, with `detail`), and what the driver recorded there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictView {
    pub id: i64,
    pub stop_id: Option<String>,
    pub tracking_id: Option<String>,
    /// `parcel_dropped`, `parcel_moved` (detail: the new stop), `stop_removed`,
    /// `address_corrected` (detail: the new street and number), `not_loaded`; `other` for
    /// conflicts recorded before kinds existed (then `message` says it).
    pub kind: String,
    pub detail: Option<String>,
    /// The same in English, for logs and support.
    pub message: String,
    pub cursor: u64,
    /// The stop's address as the device has it now.
    pub address: Option<String>,
    /// The outcomes the driver recorded there (the parcel's, or every parcel's of the stop).
    pub recorded: Vec<String>,
    pub acknowledged: bool,
}

/// A service stop's visit as the stop's status needs it: started, finished.
pub(crate) type VisitGate = Option<(bool, bool)>;

/// SQL columns of a `stop s` row: the visit started, finished (`NULL` for other stops).
pub(crate) const VISIT_COLUMNS: &str =
    "CASE WHEN s.kind = 'service' THEN EXISTS (SELECT 1 FROM service_visit v
        WHERE v.tour_id = s.tour_id AND v.stop_id = s.stop_id) END,
    CASE WHEN s.kind = 'service' THEN EXISTS (SELECT 1 FROM service_visit v
        WHERE v.tour_id = s.tour_id AND v.stop_id = s.stop_id AND v.finished_at IS NOT NULL) END";

fn visit_gate(started: Option<bool>, finished: Option<bool>) -> VisitGate {
    started.zip(finished)
}

fn status(
    removed_parcels_total: u32,
    open: u32,
    arrived: bool,
    skipped: bool,
    visit: VisitGate,
) -> StopStatus {
    if skipped {
        StopStatus::Skipped
    } else if let Some((started, finished)) = visit {
        // A service stop is done when its visit is finished (and its parcels are).
        if finished && open == 0 {
            StopStatus::Done
        } else if arrived || started {
            StopStatus::Arrived
        } else {
            StopStatus::Open
        }
    } else if (removed_parcels_total > 0 && open == 0) || (removed_parcels_total == 0 && arrived) {
        StopStatus::Done
    } else if arrived {
        StopStatus::Arrived
    } else {
        StopStatus::Open
    }
}

impl Store {
    fn active(&self) -> Result<String, StoreError> {
        self.active_tour_id()?.ok_or(StoreError::NoTour)
    }

    /// The whole tour for the list screen, with progress. `None` before a tour is loaded.
    pub fn tour_overview(&self) -> Result<Option<TourOverview>, StoreError> {
        let Some(tour_id) = self.active_tour_id()? else {
            return Ok(None);
        };
        let (station_name, lat, lon, date): (String, f64, f64, String) = self.conn.query_row(
            "SELECT station_name, station_lat, station_lon, date FROM tour WHERE tour_id = ?1",
            [&tour_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT s.stop_id, s.sequence, s.kind, s.street, s.house_number, s.postcode, s.city, s.name, s.lat, s.lon,
                    s.tw_start, s.tw_end, s.access_notes IS NOT NULL, s.arrived_at IS NOT NULL, s.skipped,
                    count(p.tracking_id), coalesce(sum(p.state = 'pending'), 0),
                    coalesce(sum(p.state = 'failed'), 0), {VISIT_COLUMNS}
             FROM stop s LEFT JOIN parcel p ON p.tour_id = s.tour_id AND p.stop_id = s.stop_id AND p.removed = 0
             WHERE s.tour_id = ?1 AND s.removed = 0
             GROUP BY s.stop_id ORDER BY s.sequence, s.stop_id",
        ))?;
        let mut rows = stmt.query([&tour_id])?;
        let mut stops = Vec::with_capacity(256);
        let mut progress = Progress::default();
        let mut current = None;
        while let Some(r) = rows.next()? {
            let parcels: u32 = r.get(15)?;
            let open: u32 = r.get(16)?;
            let s = status(
                parcels,
                open,
                r.get(13)?,
                r.get(14)?,
                visit_gate(r.get(18)?, r.get(19)?),
            );
            let stop_id: String = r.get(0)?;
            if current.is_none() && matches!(s, StopStatus::Open | StopStatus::Arrived) {
                current = Some(stop_id.clone());
            }
            progress.stops_total += 1;
            progress.stops_done += u32::from(matches!(s, StopStatus::Done));
            progress.parcels_total += parcels;
            progress.parcels_open += open;
            stops.push(StopSummary {
                stop_id,
                sequence: r.get(1)?,
                kind: stop_kind_from_code(r.get_ref(2)?.as_str().unwrap_or("other")),
                address_line: format!(
                    "{} {}, {} {}",
                    r.get_ref(3)?.as_str().unwrap_or(""),
                    r.get_ref(4)?.as_str().unwrap_or(""),
                    r.get_ref(5)?.as_str().unwrap_or(""),
                    r.get_ref(6)?.as_str().unwrap_or("")
                ),
                name: r.get(7)?,
                position: Position {
                    lat: r.get(8)?,
                    lon: r.get(9)?,
                },
                time_window: parse_window(r.get(10)?, r.get(11)?)?,
                parcels,
                open_parcels: open,
                failed_parcels: r.get(17)?,
                has_access_notes: r.get(12)?,
                status: s,
            });
        }
        let open_conflicts: u32 = self.conn.query_row(
            "SELECT count(*) FROM conflict WHERE tour_id = ?1 AND acknowledged_at IS NULL",
            [&tour_id],
            |r| r.get(0),
        )?;
        Ok(Some(TourOverview {
            tour_id,
            station_name,
            station_position: Position { lat, lon },
            date: NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                .map_err(|e| StoreError::Internal(format!("tour date: {e}")))?,
            stops,
            progress,
            current_stop_id: current,
            open_conflicts,
        }))
    }

    /// The first open stop in planned order, with its parcels.
    pub fn current_stop(&self) -> Result<Option<StopDetail>, StoreError> {
        let tour_id = self.active()?;
        match crate::actions::first_open_stop(&self.conn, &tour_id)? {
            Some(stop_id) => self.stop_detail(&stop_id),
            None => Ok(None),
        }
    }

    /// One stop with its parcels (for a stop chosen out of order, too).
    pub fn stop_detail(&self, stop_id: &str) -> Result<Option<StopDetail>, StoreError> {
        let tour_id = self.active()?;
        let row = self
            .conn
            .prepare_cached(&format!(
                "SELECT s.sequence, s.kind, s.street, s.house_number, s.postcode, s.city, s.name, s.lat, s.lon,
                        s.access_notes, s.tw_start, s.tw_end, s.service_seconds, s.arrived_at IS NOT NULL, s.skipped,
                        s.route, {VISIT_COLUMNS}
                 FROM stop s WHERE s.tour_id = ?1 AND s.stop_id = ?2 AND s.removed = 0",
            ))?
            .query_row([&tour_id, stop_id], |r| {
                Ok((
                    Stop {
                        stop_id: stop_id.to_owned(),
                        sequence: r.get(0)?,
                        kind: stop_kind_from_code(&r.get::<_, String>(1)?),
                        address: Address {
                            street: r.get(2)?,
                            house_number: r.get(3)?,
                            postcode: r.get(4)?,
                            city: r.get(5)?,
                            name: r.get(6)?,
                        },
                        position: Position { lat: r.get(7)?, lon: r.get(8)? },
                        access_notes: r.get(9)?,
                        time_window: None,
                        service_seconds: r.get(12)?,
                        parcels: vec![],
                    },
                    r.get::<_, Option<String>>(10)?,
                    r.get::<_, Option<String>>(11)?,
                    r.get::<_, bool>(13)?,
                    r.get::<_, bool>(14)?,
                    r.get::<_, Option<String>>(15)?,
                    visit_gate(r.get(16)?, r.get(17)?),
                ))
            })
            .optional()?;
        let Some((mut stop, s, e, arrived, skipped, route, visit)) = row else {
            return Ok(None);
        };
        stop.time_window = parse_window(s, e)?;
        let route = route
            .map(|json| serde_json::from_str::<RouteLegDto>(&json))
            .transpose()
            .map_err(|e| StoreError::Internal(format!("stored route of stop {stop_id}: {e}")))?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "{PARCEL_VIEW_SELECT} WHERE tour_id = ?1 AND stop_id = ?2 AND removed = 0 ORDER BY is_return, tracking_id"
        ))?;
        let parcels = stmt
            .query_map([&tour_id, stop_id], parcel_view)?
            .collect::<Result<Vec<_>, _>>()?;
        let parcels = parcels.into_iter().collect::<Result<Vec<_>, _>>()?;
        stop.parcels = parcels.iter().map(|p| p.parcel.clone()).collect();
        let open = parcels.iter().filter(|p| p.state.is_open()).count() as u32;
        Ok(Some(StopDetail {
            status: status(parcels.len() as u32, open, arrived, skipped, visit),
            stop,
            parcels,
            route,
        }))
    }

    /// A parcel by tracking id (scan or manual entry), wherever it is on the tour.
    pub fn parcel(&self, tracking_id: &str) -> Result<Option<ParcelView>, StoreError> {
        let tour_id = self.active()?;
        if load_parcel(&self.conn, &tour_id, tracking_id)?.is_none() {
            return Ok(None);
        }
        let mut stmt = self.conn.prepare_cached(&format!(
            "{PARCEL_VIEW_SELECT} WHERE tour_id = ?1 AND tracking_id = ?2 AND removed = 0"
        ))?;
        stmt.query_row([&tour_id, tracking_id], parcel_view)
            .optional()?
            .transpose()
    }

    /// How many stops planned before `stop_id` still need the driver (working there is out
    /// of the planned order). 0 for an unknown stop.
    pub fn open_stops_before(&self, stop_id: &str) -> Result<u32, StoreError> {
        let tour_id = self.active()?;
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM stop s, stop this
                 WHERE this.tour_id = ?1 AND this.stop_id = ?2 AND s.tour_id = ?1
                   AND (s.sequence, s.stop_id) < (this.sequence, this.stop_id) AND {OPEN_STOP}"
            ))?
            .query_row(params![tour_id, stop_id], |r| r.get(0))?)
    }

    /// The tracking ids of every stop's parcels, stops in planned order (one query, for
    /// searching the tour by parcel).
    pub fn tracking_ids_by_stop(&self) -> Result<Vec<(String, Vec<String>)>, StoreError> {
        let Some(tour_id) = self.active_tour_id()? else {
            return Ok(vec![]);
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.stop_id, p.tracking_id
             FROM stop s LEFT JOIN parcel p ON p.tour_id = s.tour_id AND p.stop_id = s.stop_id AND p.removed = 0
             WHERE s.tour_id = ?1 AND s.removed = 0
             ORDER BY s.sequence, s.stop_id, p.tracking_id",
        )?;
        let mut rows = stmt.query([&tour_id])?;
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        while let Some(r) = rows.next()? {
            let stop_id: String = r.get(0)?;
            let tracking_id: Option<String> = r.get(1)?;
            if out.last().is_none_or(|(id, _)| *id != stop_id) {
                out.push((stop_id, Vec::new()));
            }
            if let (Some(t), Some((_, ids))) = (tracking_id, out.last_mut()) {
                ids.push(t);
            }
        }
        Ok(out)
    }

    /// Distance, direction and ETA from `fix` to the current stop and to the end of the tour.
    /// Reads only the stops still open (in planned order; the first is the current stop), not
    /// the whole overview.
    pub fn guidance(&self, fix: Fix) -> Result<Option<Guidance>, StoreError> {
        let Some(tour_id) = self.active_tour_id()? else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT s.stop_id, s.lat, s.lon,
                    (SELECT count(*) FROM parcel p WHERE p.tour_id = s.tour_id AND p.stop_id = s.stop_id
                       AND p.removed = 0 AND p.state = 'pending')
             FROM stop s WHERE s.tour_id = ?1 AND {OPEN_STOP} ORDER BY s.sequence, s.stop_id"
        ))?;
        let mut rows = stmt.query([&tour_id])?;
        let mut current = None;
        let mut remaining: Vec<(Position, u32)> = Vec::new();
        while let Some(r) = rows.next()? {
            let position = Position {
                lat: r.get(1)?,
                lon: r.get(2)?,
            };
            if current.is_none() {
                current = Some((r.get::<_, String>(0)?, position));
            }
            let open: u32 = r.get(3)?;
            remaining.push((position, 60 * open.max(1)));
        }
        let Some((stop_id, stop)) = current else {
            return Ok(None);
        };
        let station = self
            .conn
            .prepare_cached("SELECT station_lat, station_lon FROM tour WHERE tour_id = ?1")?
            .query_row([&tour_id], |r| {
                Ok(Position {
                    lat: r.get(0)?,
                    lon: r.get(1)?,
                })
            })?;
        Ok(Some(Guidance {
            stop_id,
            geofence: Geofence::check(fix, stop),
            eta: eta(
                self.now(),
                fix.position,
                &remaining,
                station,
                DEFAULT_SPEED_KMH,
            ),
        }))
    }

    /// Clashes between dispatch's changes and recorded outcomes, newest first, the ones the
    /// driver has not acknowledged yet before the others.
    pub fn conflicts(&self) -> Result<Vec<ConflictView>, StoreError> {
        let tour_id = self.active()?;
        let mut rows: Vec<ConflictView> = self
            .conn
            .prepare(
                "SELECT c.id, c.stop_id, c.tracking_id, c.kind, c.detail, c.message, c.cursor, c.acknowledged_at IS NOT NULL,
                        trim(s.street || ' ' || s.house_number)
                 FROM conflict c LEFT JOIN stop s ON s.tour_id = c.tour_id AND s.stop_id = c.stop_id
                 WHERE c.tour_id = ?1 ORDER BY c.acknowledged_at IS NOT NULL, c.id DESC",
            )?
            .query_map([&tour_id], |r| {
                Ok(ConflictView {
                    id: r.get(0)?,
                    stop_id: r.get(1)?,
                    tracking_id: r.get(2)?,
                    kind: r.get(3)?,
                    detail: r.get(4)?,
                    message: r.get(5)?,
                    cursor: r.get::<_, i64>(6)? as u64,
                    acknowledged: r.get(7)?,
                    address: r.get(8)?,
                    recorded: Vec::new(),
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut outcomes = self.conn.prepare_cached(
            "SELECT tracking_id || ': ' || outcome_summary FROM parcel
             WHERE tour_id = ?1 AND outcome_summary IS NOT NULL AND (tracking_id = ?2 OR (?2 IS NULL AND stop_id = ?3))
             ORDER BY tracking_id",
        )?;
        for c in &mut rows {
            c.recorded = outcomes
                .query_map(params![tour_id, c.tracking_id, c.stop_id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
        }
        Ok(rows)
    }

    /// The driver has seen conflict `id`: it no longer counts as open (it stays listed).
    pub fn acknowledge_conflict(&mut self, id: i64) -> Result<(), StoreError> {
        let now = self.now().to_rfc3339();
        let changed = self.conn.execute(
            "UPDATE conflict SET acknowledged_at = coalesce(acknowledged_at, ?2) WHERE id = ?1",
            params![id, now],
        )?;
        if changed == 0 {
            return Err(StoreError::Internal(format!(
                "no conflict {id} on this device"
            )));
        }
        self.committed();
        Ok(())
    }

    /// The end-of-tour summary: delivered, failed, cards used, returns on board.
    pub fn end_of_day(&self) -> Result<DaySummary, StoreError> {
        let tour_id = self.active()?;
        let overview = self.tour_overview()?.ok_or(StoreError::NoTour)?;
        let (delivered, failed, not_attempted, planned_returns): (u32, u32, u32, u32) = self.conn.query_row(
            "SELECT coalesce(sum(state = 'delivered'), 0), coalesce(sum(state = 'failed'), 0),
                    coalesce(sum(state = 'pending' AND NOT is_return), 0), coalesce(sum(state = 'picked_up'), 0)
             FROM parcel WHERE tour_id = ?1 AND removed = 0",
            [&tour_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let unplanned: u32 = self.conn.query_row(
            "SELECT count(*) FROM unplanned_return WHERE tour_id = ?1 AND undone = 0",
            [&tour_id],
            |r| r.get(0),
        )?;
        let (cards_used, cards_unused): (u32, u32) = self.conn.query_row(
            "SELECT coalesce(sum(used_event_id IS NOT NULL), 0), coalesce(sum(used_event_id IS NULL), 0) FROM card",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(DaySummary {
            stops_total: overview.progress.stops_total,
            stops_done: overview.progress.stops_done,
            delivered,
            failed,
            not_attempted,
            cards_used,
            cards_unused,
            returns_on_board: planned_returns + unplanned,
            conflicts: overview.open_conflicts,
        })
    }

    /// Card numbers issued to the driver and not used yet, in order.
    pub fn unused_cards(&self, limit: usize) -> Result<Vec<String>, StoreError> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT number FROM card WHERE used_event_id IS NULL ORDER BY number LIMIT ?1",
            )?
            .query_map([limit as i64], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Device time of the latest recorded event (for "last action" displays).
    pub fn last_event_time(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let t: Option<String> = self
            .conn
            .query_row(
                "SELECT recorded_at FROM event ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        t.as_deref().map(parse_time).transpose()
    }
}

const PARCEL_VIEW_SELECT: &str = "SELECT tracking_id, stop_id, tw_start, tw_end, depth_cm, height_cm, width_cm,
    no_neighbour, signature_required, id_check, is_return, state, attempts, outcome_summary, outcome_event_id FROM parcel";

fn parcel_view(r: &Row<'_>) -> rusqlite::Result<Result<ParcelView, StoreError>> {
    let dims = match (
        r.get::<_, Option<f64>>(4)?,
        r.get::<_, Option<f64>>(5)?,
        r.get::<_, Option<f64>>(6)?,
    ) {
        (Some(d), Some(h), Some(w)) => Some(lastmile_domain::Dimensions {
            depth_cm: d as f32,
            height_cm: h as f32,
            width_cm: w as f32,
        }),
        _ => None,
    };
    let window = parse_window(r.get(2)?, r.get(3)?);
    let state = state_from_code(&r.get::<_, String>(11)?);
    let (window, state) = match (window, state) {
        (Ok(w), Ok(s)) => (w, s),
        (Err(e), _) | (_, Err(e)) => return Ok(Err(e)),
    };
    let parcel = Parcel {
        tracking_id: r.get(0)?,
        time_window: window,
        dimensions: dims,
        flags: ParcelFlags {
            no_neighbour: r.get(7)?,
            signature_required: r.get(8)?,
            id_check: r.get(9)?,
        },
        is_return: r.get(10)?,
    };
    let allowed = if parcel.is_return {
        vec![]
    } else {
        allowed_methods(&parcel)
    };
    Ok(Ok(ParcelView {
        stop_id: r.get(1)?,
        state,
        attempts: r.get(12)?,
        outcome_summary: r.get(13)?,
        outcome_event_id: r.get(14)?,
        allowed_methods: allowed,
        parcel,
    }))
}
