//! Tours on the server: snapshots for devices, dispatch edits, route legs from a router's
//! response, the change feed, and import.
//!
//! The plan of a tour is stored whole (`plan_json`, a `TourSnapshot`) and rewritten by each
//! dispatch edit in the same transaction that appends the edit to the change feed. The feed
//! cursor comes from a counter row incremented inside that transaction: the row lock makes
//! concurrent writers (also other server instances on one PostgreSQL) take cursors in commit
//! order, so a reader never sees cursor N+1 before N. Device clocks play no part.

use std::collections::{HashMap, HashSet};

use lastmile_protocol::auth::Role;
use lastmile_protocol::dispatch::{
    ImportReport, LmrrcImportRequest, ROUTE_LEG_END_TOLERANCE_M, RouteReport,
};
use lastmile_protocol::sync::ChangesPage;
use lastmile_protocol::tour::{ChangeSet, RouteLegDto, StopDto, TourChange, TourSnapshot};

use crate::ServerState;
use crate::auth::{Principal, may_see};
use crate::db::{Tx, V, row_struct};
use crate::error::{ApiError, ApiResult};

/// A tour as stored, with the stops dispatch removed (outcomes may still arrive for them).
#[derive(Debug, Clone)]
pub struct TourRow {
    pub station_id: String,
    pub driver_id: String,
    pub plan: TourSnapshot,
    pub removed: HashMap<String, StopDto>,
}

row_struct! {
    /// A row of `tours` as [`load_tour`] reads it.
    struct StoredTour {
        station_id: String,
        driver_id: String,
        plan_json: String,
        cursor: i64,
    }
}

row_struct! {
    /// A stop dispatch removed from a tour.
    struct RemovedStop {
        stop_id: String,
        stop_json: String,
    }
}

row_struct! {
    /// One change set of the feed.
    struct StoredChangeSet {
        cursor: i64,
        tour_id: String,
        changes_json: String,
    }
}

row_struct! {
    /// A station's name and place.
    struct StationPlace {
        name: String,
        lat: f64,
        lon: f64,
    }
}

pub async fn load_tour(tx: &mut Tx, tour_id: &str) -> ApiResult<Option<TourRow>> {
    let Some(row) = tx
        .one_as::<StoredTour>(
            "SELECT station_id, driver_id, plan_json, cursor FROM tours WHERE tour_id = $1",
            &[V::from(tour_id)],
        )
        .await?
    else {
        return Ok(None);
    };
    let mut plan: TourSnapshot = serde_json::from_str(&row.plan_json)?;
    plan.cursor = row.cursor as u64;
    let mut removed = HashMap::new();
    for r in tx
        .query_as::<RemovedStop>(
            "SELECT stop_id, stop_json FROM removed_stops WHERE tour_id = $1",
            &[V::from(tour_id)],
        )
        .await?
    {
        removed.insert(r.stop_id, serde_json::from_str(&r.stop_json)?);
    }
    Ok(Some(TourRow {
        station_id: row.station_id,
        driver_id: row.driver_id,
        plan,
        removed,
    }))
}

/// The next change-feed cursor; holds the counter's row lock until the transaction ends.
pub async fn next_cursor(tx: &mut Tx) -> ApiResult<u64> {
    let row = tx
        .one(
            "UPDATE counters SET value = value + 1 WHERE name = 'feed' RETURNING value",
            &[],
        )
        .await?
        .ok_or_else(|| ApiError::Internal("feed counter missing".into()))?;
    Ok(row.get::<i64>("value")? as u64)
}

fn check_tour_shape(t: &TourSnapshot) -> ApiResult<()> {
    let mut stops = HashSet::new();
    let mut parcels = HashSet::new();
    if t.tour_id.is_empty() || t.tour_id.len() > 200 {
        return Err(ApiError::bad_request(
            "bad_tour",
            "tour_id must be 1..200 characters",
        ));
    }
    for s in &t.stops {
        if !stops.insert(s.stop_id.as_str()) {
            return Err(ApiError::bad_request(
                "bad_tour",
                format!("stop {} appears twice", s.stop_id),
            ));
        }
        for p in &s.parcels {
            if !parcels.insert(p.tracking_id.as_str()) {
                return Err(ApiError::bad_request(
                    "bad_tour",
                    format!("parcel {} appears twice", p.tracking_id),
                ));
            }
        }
    }
    Ok(())
}

/// Stores a new tour. `Ok(false)` when a tour with this id exists already (left untouched).
pub async fn insert_tour(tx: &mut Tx, tour: &TourSnapshot) -> ApiResult<bool> {
    check_tour_shape(tour)?;
    if tx
        .one(
            "SELECT 1 FROM tours WHERE tour_id = $1",
            &[V::from(&tour.tour_id)],
        )
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let station = tx
        .one(
            "SELECT 1 FROM stations WHERE station_id = $1",
            &[V::from(&tour.station.station_id)],
        )
        .await?;
    if station.is_none() {
        return Err(ApiError::bad_request(
            "unknown_station",
            format!("station {} is not seeded", tour.station.station_id),
        ));
    }
    let cursor = next_cursor(tx).await?;
    let mut plan = tour.clone();
    plan.cursor = cursor;
    tx.exec(
        "INSERT INTO tours (tour_id, station_id, driver_id, tour_date, plan_json, cursor) VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            V::from(&plan.tour_id),
            V::from(&plan.station.station_id),
            V::from(&plan.driver_id),
            V::from(plan.date.to_string()),
            V::from(serde_json::to_string(&plan)?),
            V::I(cursor as i64),
        ],
    )
    .await?;
    // Card stacks the planning system handed out with the tour count as issued (#12).
    crate::station::import_stacks(tx, &plan).await?;
    crate::progress::refill(tx, &plan.tour_id).await?;
    Ok(true)
}

/// The tour a person should drive today: `driver_id` defaults to the signed-in driver; the
/// tour dated `date` (default: today), else the driver's most recent one.
#[tracing::instrument(skip_all, err)]
pub async fn current_tour(
    state: &ServerState,
    p: &Principal,
    driver_id: Option<String>,
    date: Option<chrono::NaiveDate>,
) -> ApiResult<TourSnapshot> {
    let driver_id = match (driver_id, p.role) {
        (Some(d), _) => d,
        (None, Role::Driver | Role::Flex) => p.user_id.clone(),
        (None, _) => {
            return Err(ApiError::bad_request(
                "driver_id_required",
                "say whose tour: ?driver_id=",
            ));
        }
    };
    let day = date.unwrap_or_else(|| state.now().date_naive()).to_string();
    // Reads only: a read connection, which waits for no write (issue 18).
    let mut tx = state.db.read().await?;
    // Only the caller's station's tours: a tour another station made for this driver id
    // is not theirs (and must not hide their own).
    let rows = tx
        .query(
            "SELECT tour_id FROM tours WHERE driver_id = $1 AND station_id = $3
             ORDER BY CASE WHEN tour_date = $2 THEN 0 ELSE 1 END, tour_date DESC, tour_id LIMIT 1",
            &[V::from(&driver_id), V::from(&day), V::from(&p.station_id)],
        )
        .await?;
    let Some(tour_id) = rows
        .first()
        .map(|r| r.get::<String>("tour_id"))
        .transpose()?
    else {
        return Err(ApiError::not_found(
            "no_tour",
            format!("no tour for driver {driver_id}"),
        ));
    };
    let tour = load_tour(&mut tx, &tour_id)
        .await?
        .ok_or_else(|| ApiError::not_found("no_tour", "tour vanished"))?;
    if !may_see(&mut tx, p, &tour.station_id, &tour.driver_id).await? {
        return Err(ApiError::forbidden(
            "not_your_tour",
            "you may not see this driver's tour",
        ));
    }
    if date.is_some() && tour.plan.date.to_string() != day {
        return Err(ApiError::not_found(
            "no_tour",
            format!("no tour for driver {driver_id} on {day}"),
        ));
    }
    if matches!(p.role, Role::Driver | Role::Flex) {
        crate::station::refuse_if_held(&mut tx, &tour_id).await?;
    }
    let mut plan = tour.plan;
    plan.card_stacks = crate::station::card_stacks_of(&mut tx, &tour_id).await?;
    Ok(plan)
}

/// Loads a tour the caller may see: 404 if it does not exist, 403 if it is someone else's.
pub async fn visible(tx: &mut Tx, p: &Principal, tour_id: &str) -> ApiResult<TourRow> {
    let tour = load_tour(tx, tour_id)
        .await?
        .ok_or_else(|| ApiError::not_found("no_tour", format!("no tour {tour_id}")))?;
    if !may_see(tx, p, &tour.station_id, &tour.driver_id).await? {
        return Err(ApiError::forbidden(
            "not_your_tour",
            "this tour is outside what you may see",
        ));
    }
    Ok(tour)
}

pub async fn visible_tour(
    state: &ServerState,
    p: &Principal,
    tour_id: &str,
) -> ApiResult<TourSnapshot> {
    let mut tx = state.db.begin().await?;
    let mut plan = visible(&mut tx, p, tour_id).await?.plan;
    plan.card_stacks = crate::station::card_stacks_of(&mut tx, tour_id).await?;
    Ok(plan)
}

/// Change sets after `after` of the tours the caller may see, in cursor order.
#[tracing::instrument(skip_all, err)]
pub async fn changes(
    state: &ServerState,
    p: &Principal,
    after: u64,
    limit: u32,
) -> ApiResult<ChangesPage> {
    let limit = i64::from(limit.clamp(1, 1000));
    let after_v = V::I(
        i64::try_from(after)
            .map_err(|_| ApiError::bad_request("bad_cursor", "cursor out of range"))?,
    );
    let (filter, who) = match p.role {
        Role::Driver | Role::Flex => ("t.driver_id = $2", &p.user_id),
        Role::Station => ("t.station_id = $2", &p.station_id),
        Role::Supervisor => (
            "t.driver_id IN (SELECT driver_id FROM rides_with WHERE supervisor_id = $2)",
            &p.user_id,
        ),
    };
    let sql = format!(
        "SELECT cs.cursor, cs.tour_id, cs.changes_json FROM change_sets cs JOIN tours t ON t.tour_id = cs.tour_id
         WHERE cs.cursor > $1 AND {filter} AND t.station_id = $4 ORDER BY cs.cursor LIMIT $3"
    );
    let mut tx = state.db.begin().await?;
    let rows = tx
        .query_as::<StoredChangeSet>(
            &sql,
            &[after_v, V::from(who), V::I(limit), V::from(&p.station_id)],
        )
        .await?;
    let mut change_sets = Vec::with_capacity(rows.len());
    for r in rows {
        change_sets.push(ChangeSet {
            cursor: r.cursor as u64,
            tour_id: r.tour_id,
            changes: serde_json::from_str(&r.changes_json)?,
        });
    }
    let cursor = change_sets.last().map_or(after, |c| c.cursor);
    Ok(ChangesPage {
        change_sets,
        cursor,
    })
}

fn renumber(stops: &mut [StopDto]) {
    for (i, s) in stops.iter_mut().enumerate() {
        s.sequence = i as u32 + 1;
    }
}

/// Applies dispatch's edits to a plan, or refuses them all (the caller's mistake, 4xx).
fn apply_changes(
    plan: &mut TourSnapshot,
    changes: &[TourChange],
    removed: &mut Vec<StopDto>,
) -> ApiResult<()> {
    let missing =
        |id: &str| ApiError::bad_request("unknown_stop", format!("stop {id} is not on the tour"));
    for change in changes {
        match change {
            TourChange::StopAdded { stop } => {
                if plan.stops.iter().any(|s| s.stop_id == stop.stop_id) {
                    return Err(ApiError::conflict(
                        "stop_exists",
                        format!("stop {} exists", stop.stop_id),
                    ));
                }
                if let Some(leg) = &stop.route {
                    check_leg(leg, stop, &format!("the leg to new stop {}", stop.stop_id))?;
                }
                let on_tour: HashSet<&str> = plan
                    .stops
                    .iter()
                    .flat_map(|s| s.parcels.iter().map(|p| p.tracking_id.as_str()))
                    .collect();
                if let Some(p) = stop
                    .parcels
                    .iter()
                    .find(|p| on_tour.contains(p.tracking_id.as_str()))
                {
                    return Err(ApiError::conflict(
                        "parcel_exists",
                        format!(
                            "parcel {} of new stop {} is already on the tour",
                            p.tracking_id, stop.stop_id
                        ),
                    ));
                }
                let at = (stop.sequence.max(1) as usize - 1).min(plan.stops.len());
                plan.stops.insert(at, stop.clone());
            }
            TourChange::StopRemoved { stop_id } => {
                let i = plan
                    .stops
                    .iter()
                    .position(|s| &s.stop_id == stop_id)
                    .ok_or_else(|| missing(stop_id))?;
                removed.push(plan.stops.remove(i));
            }
            TourChange::Resequenced { stop_ids } => {
                let current: HashSet<&str> =
                    plan.stops.iter().map(|s| s.stop_id.as_str()).collect();
                let asked: HashSet<&str> = stop_ids.iter().map(String::as_str).collect();
                if asked != current || stop_ids.len() != plan.stops.len() {
                    return Err(ApiError::bad_request(
                        "bad_sequence",
                        "resequence must list every remaining stop exactly once",
                    ));
                }
                let mut by_id: HashMap<String, StopDto> = plan
                    .stops
                    .drain(..)
                    .map(|s| (s.stop_id.clone(), s))
                    .collect();
                for id in stop_ids {
                    if let Some(s) = by_id.remove(id) {
                        plan.stops.push(s);
                    }
                }
            }
            TourChange::AddressCorrected {
                stop_id,
                address,
                position,
            } => {
                let s = plan
                    .stops
                    .iter_mut()
                    .find(|s| &s.stop_id == stop_id)
                    .ok_or_else(|| missing(stop_id))?;
                s.address = address.clone();
                if let Some(pos) = position {
                    // As on the device: a moved stop's leg leads to the old door, so it goes.
                    if *pos != s.position {
                        s.route = None;
                    }
                    s.position = *pos;
                }
            }
            TourChange::AccessNotesChanged {
                stop_id,
                access_notes,
            } => {
                let s = plan
                    .stops
                    .iter_mut()
                    .find(|s| &s.stop_id == stop_id)
                    .ok_or_else(|| missing(stop_id))?;
                s.access_notes = access_notes.clone();
            }
            TourChange::RouteChanged { stop_id, route } => {
                let s = plan
                    .stops
                    .iter_mut()
                    .find(|s| &s.stop_id == stop_id)
                    .ok_or_else(|| missing(stop_id))?;
                if let Some(leg) = route {
                    check_leg(leg, s, &format!("the leg to stop {stop_id}"))?;
                }
                s.route = route.clone();
            }
            TourChange::Unknown => {
                return Err(ApiError::bad_request(
                    "unknown_change",
                    "unknown change type",
                ));
            }
            TourChange::ParcelRemoved {
                stop_id,
                tracking_id,
            } => {
                let s = plan
                    .stops
                    .iter_mut()
                    .find(|s| &s.stop_id == stop_id)
                    .ok_or_else(|| missing(stop_id))?;
                let before = s.parcels.len();
                s.parcels.retain(|p| &p.tracking_id != tracking_id);
                if s.parcels.len() == before {
                    return Err(ApiError::bad_request(
                        "unknown_parcel",
                        format!("parcel {tracking_id} is not at stop {stop_id}"),
                    ));
                }
            }
            // The station's records, carried to devices; the plan itself does not change.
            TourChange::HoldChanged { .. } | TourChange::CardStackIssued { .. } => {}
        }
        renumber(&mut plan.stops);
    }
    Ok(())
}

/// A route leg dispatch may hand to drivers: maneuvers to follow, numbers a device can draw
/// (the device refuses a whole change set over one bad number, so it is refused here
/// first), and an end within [`ROUTE_LEG_END_TOLERANCE_M`] of `stop`. `what` names the leg
/// in the error.
fn check_leg(leg: &RouteLegDto, stop: &StopDto, what: &str) -> ApiResult<()> {
    let fine = |x: f64| x.is_finite() && x >= 0.0;
    let numbers_ok = fine(leg.distance_m)
        && fine(leg.duration_s)
        && leg.maneuvers.iter().all(|m| {
            fine(m.distance_m)
                && fine(m.duration_s)
                && (-90.0..=90.0).contains(&m.location.lat)
                && (-180.0..=180.0).contains(&m.location.lon)
        });
    if !numbers_ok {
        return Err(ApiError::bad_request(
            "bad_route",
            format!(
                "{what} has a distance, duration or position that is not a valid number or not on Earth"
            ),
        ));
    }
    let Some(end) = leg.maneuvers.last() else {
        return Err(ApiError::bad_request(
            "bad_route",
            format!("{what} has no maneuvers"),
        ));
    };
    let position = |p: lastmile_protocol::tour::LatLon| lastmile_domain::Position {
        lat: p.lat,
        lon: p.lon,
    };
    let off = lastmile_domain::distance_m(position(end.location), position(stop.position));
    if off > ROUTE_LEG_END_TOLERANCE_M {
        return Err(ApiError::unprocessable(
            "leg_far_from_stop",
            format!(
                "{what} ends {off:.0} m from stop {} (at {:.6}, {:.6}; at most {ROUTE_LEG_END_TOLERANCE_M:.0} m allowed): \
                 was the route asked for with the stops in another order?",
                stop.stop_id, stop.position.lat, stop.position.lon
            ),
        ));
    }
    Ok(())
}

fn station_only(p: &Principal, what: &str) -> ApiResult<()> {
    if p.role == Role::Station {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "dispatch_only",
            format!("only station sessions {what}"),
        ))
    }
}

/// Commits dispatch's edits to one tour as one change set at a fresh cursor.
#[tracing::instrument(skip_all, err)]
pub async fn dispatch_change(
    state: &ServerState,
    p: &Principal,
    tour_id: &str,
    changes: Vec<TourChange>,
) -> ApiResult<ChangeSet> {
    station_only(p, "edit tours")?;
    if changes.is_empty() {
        return Err(ApiError::bad_request(
            "no_changes",
            "a change set needs at least one change",
        ));
    }
    if changes.iter().any(|c| {
        matches!(
            c,
            TourChange::HoldChanged { .. } | TourChange::CardStackIssued { .. }
        )
    }) {
        return Err(ApiError::bad_request(
            "station_record",
            "holds and card stacks are recorded by the station tablet's events, not edited",
        ));
    }
    commit_edit(state, p, tour_id, |_| Ok(changes)).await
}

/// `PUT .../route`: the legs of a router's response (`body`, OSRM or Valhalla) become the
/// routes of the stops from `first_stop` on (default: the first), leg k to the k-th stop in
/// the current order, as one change set of [`TourChange::RouteChanged`]. All or nothing.
#[tracing::instrument(skip_all, err)]
pub async fn put_route(
    state: &ServerState,
    p: &Principal,
    tour_id: &str,
    first_stop: Option<&str>,
    body: &[u8],
) -> ApiResult<RouteReport> {
    station_only(p, "set routes")?;
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::bad_request("bad_route", "the route response is not UTF-8"))?;
    // Parsed before the tour is locked: a large response holds no lock while it is read.
    let legs = lastmile_import::route::legs_from_json(text)
        .map_err(|e| ApiError::bad_request("bad_route", e.to_string()))?;
    let set = commit_edit(state, p, tour_id, |plan| {
        assign_legs(plan, first_stop, legs)
    })
    .await?;
    let stops = set
        .changes
        .iter()
        .filter_map(|c| match c {
            TourChange::RouteChanged { stop_id, .. } => Some(stop_id.clone()),
            _ => None,
        })
        .collect();
    Ok(RouteReport {
        cursor: set.cursor,
        stops,
    })
}

/// Pairs leg k with the k-th stop from `first_stop` in `plan`'s order, checking each pair.
fn assign_legs(
    plan: &TourSnapshot,
    first_stop: Option<&str>,
    legs: Vec<RouteLegDto>,
) -> ApiResult<Vec<TourChange>> {
    let start = match first_stop {
        None => 0,
        Some(id) => plan
            .stops
            .iter()
            .position(|s| s.stop_id == id)
            .ok_or_else(|| {
                ApiError::bad_request(
                    "unknown_stop",
                    format!("first_stop {id} is not on tour {}", plan.tour_id),
                )
            })?,
    };
    let stops = &plan.stops[start..];
    if legs.len() > stops.len() {
        return Err(ApiError::unprocessable(
            "too_many_legs",
            format!(
                "the route has {} legs, but tour {} has {} stop(s) from {} on",
                legs.len(),
                plan.tour_id,
                stops.len(),
                stops.first().map_or("its start", |s| s.stop_id.as_str())
            ),
        ));
    }
    let count = legs.len();
    legs.into_iter()
        .zip(stops)
        .enumerate()
        .map(|(k, (leg, stop))| {
            check_leg(&leg, stop, &format!("leg {} of {count}", k + 1))?;
            Ok(TourChange::RouteChanged {
                stop_id: stop.stop_id.clone(),
                route: Some(leg),
            })
        })
        .collect()
}

/// Locks the tour, asks `edit` for the changes to make to its current plan, applies them
/// and appends them to the feed as one change set at a fresh cursor: one transaction, so a
/// refusal anywhere changes nothing.
async fn commit_edit(
    state: &ServerState,
    p: &Principal,
    tour_id: &str,
    edit: impl FnOnce(&TourSnapshot) -> ApiResult<Vec<TourChange>>,
) -> ApiResult<ChangeSet> {
    let mut tx = state.db.begin().await?;
    // Lock the tour row first (then the counter): one order everywhere, so no deadlocks.
    let lock = format!(
        "SELECT 1 FROM tours WHERE tour_id = $1{}",
        state.db.for_update()
    );
    tx.one(&lock, &[V::from(tour_id)]).await?;
    let tour = visible(&mut tx, p, tour_id).await?;
    let changes = edit(&tour.plan)?;
    let set = append_changes(&mut tx, tour.plan, changes, state.now_ms()).await?;
    tx.commit().await?;
    Ok(set)
}

/// Applies `changes` to `plan` (the tour's current plan, its row locked by the caller) and
/// appends them to the feed as one change set at a fresh cursor, in the caller's transaction.
pub async fn append_changes(
    tx: &mut Tx,
    mut plan: TourSnapshot,
    changes: Vec<TourChange>,
    now: i64,
) -> ApiResult<ChangeSet> {
    let tour_id = plan.tour_id.clone();
    let tour_id = tour_id.as_str();
    let mut removed = Vec::new();
    apply_changes(&mut plan, &changes, &mut removed)?;
    // Whatever the edit, the result must be a tour devices accept.
    lastmile_import::own::validate(&plan)
        .map_err(|e| ApiError::unprocessable("edit_breaks_tour", e.to_string()))?;
    let cursor = next_cursor(tx).await?;
    plan.cursor = cursor;
    tx.exec(
        "INSERT INTO change_sets (cursor, tour_id, changes_json, committed_at) VALUES ($1, $2, $3, $4)",
        &[V::I(cursor as i64), V::from(tour_id), V::from(serde_json::to_string(&changes)?), V::I(now)],
    )
    .await?;
    tx.exec(
        "UPDATE tours SET plan_json = $1, cursor = $2 WHERE tour_id = $3",
        &[
            V::from(serde_json::to_string(&plan)?),
            V::I(cursor as i64),
            V::from(tour_id),
        ],
    )
    .await?;
    for stop in removed {
        tx.exec(
            "INSERT INTO removed_stops (tour_id, stop_id, stop_json, cursor) VALUES ($1, $2, $3, $4)
             ON CONFLICT (tour_id, stop_id) DO UPDATE SET stop_json = excluded.stop_json, cursor = excluded.cursor",
            &[V::from(tour_id), V::from(&stop.stop_id), V::from(serde_json::to_string(&stop)?), V::I(cursor as i64)],
        )
        .await?;
    }
    // The dispatch list's row follows the new plan (stops and parcels may have changed).
    crate::progress::refill(tx, tour_id).await?;
    Ok(ChangeSet {
        tour_id: tour_id.to_owned(),
        cursor,
        changes,
    })
}

/// A station imports tours only for itself: not for a driver of another station, and not
/// under a tour id another station uses (ids are global; `tour_id_taken` says to pick
/// another one). A driver the server does not know yet is allowed.
async fn check_owner(tx: &mut Tx, t: &TourSnapshot) -> ApiResult<()> {
    let station = &t.station.station_id;
    let homes = tx
        .query(
            "SELECT station_id FROM users WHERE user_id = $1 AND role IN ('driver', 'flex')",
            &[V::from(&t.driver_id)],
        )
        .await?
        .iter()
        .map(|r| r.get::<String>("station_id"))
        .collect::<Result<Vec<_>, _>>()?;
    if !homes.is_empty() && !homes.contains(station) {
        return Err(ApiError::forbidden(
            "driver_not_at_station",
            format!(
                "driver {} of tour {} is not a driver of station {station}",
                t.driver_id, t.tour_id
            ),
        ));
    }
    if let Some(row) = tx
        .one(
            "SELECT station_id FROM tours WHERE tour_id = $1",
            &[V::from(&t.tour_id)],
        )
        .await?
        && &row.get::<String>("station_id")? != station
    {
        return Err(ApiError::conflict(
            "tour_id_taken",
            format!(
                "tour id {} is used by another station; give the tour another id",
                t.tour_id
            ),
        ));
    }
    Ok(())
}

/// Stores imported tours for the caller's station (all or nothing).
async fn store_imported(
    state: &ServerState,
    p: &Principal,
    tours: Vec<TourSnapshot>,
) -> ApiResult<ImportReport> {
    station_only(p, "import tours")?;
    if let Some(t) = tours.iter().find(|t| t.station.station_id != p.station_id) {
        return Err(ApiError::forbidden(
            "wrong_station",
            format!(
                "tour {} belongs to station {}",
                t.tour_id, t.station.station_id
            ),
        ));
    }
    let mut tx = state.db.begin().await?;
    let mut tour_ids = Vec::new();
    for t in &tours {
        check_owner(&mut tx, t).await?;
        if !insert_tour(&mut tx, t).await? {
            return Err(ApiError::conflict(
                "tour_exists",
                format!("tour {} exists already", t.tour_id),
            ));
        }
        tour_ids.push(t.tour_id.clone());
    }
    tx.commit().await?;
    Ok(ImportReport { tour_ids })
}

/// `POST` our own tour JSON: one snapshot, or a list of them.
#[tracing::instrument(skip_all, err)]
pub async fn import_own(
    state: &ServerState,
    p: &Principal,
    body: &[u8],
) -> ApiResult<ImportReport> {
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::bad_request("malformed_body", "body is not UTF-8"))?;
    let tours = parse_own(text)?;
    store_imported(state, p, tours).await
}

fn parse_own(text: &str) -> ApiResult<Vec<TourSnapshot>> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        let values: Vec<serde_json::Value> = serde_json::from_str(text)
            .map_err(|e| ApiError::bad_request("malformed_body", e.to_string()))?;
        values
            .iter()
            .map(|v| {
                lastmile_import::own::tour_from_json(&v.to_string())
                    .map_err(|e| ApiError::bad_request("bad_tour", e.to_string()))
            })
            .collect()
    } else {
        lastmile_import::own::tour_from_json(text)
            .map(|t| vec![t])
            .map_err(|e| ApiError::bad_request("bad_tour", e.to_string()))
    }
}

/// `POST` Amazon LMRRC route and package data; routes go to the caller's station.
#[tracing::instrument(skip_all, err)]
pub async fn import_lmrrc(
    state: &ServerState,
    p: &Principal,
    req: LmrrcImportRequest,
) -> ApiResult<ImportReport> {
    let mut tours = lastmile_import::lmrrc::tours_from_json(&req.route_data, &req.package_data)
        .map_err(|e| ApiError::bad_request("bad_tour", e.to_string()))?;
    tours.sort_by(|a, b| a.tour_id.cmp(&b.tour_id));
    if let Some(limit) = req.limit {
        tours.truncate(limit);
    }
    let station_id = req.station_id.unwrap_or_else(|| p.station_id.clone());
    let station = {
        let mut tx = state.db.begin().await?;
        tx.one_as::<StationPlace>(
            "SELECT name, lat, lon FROM stations WHERE station_id = $1",
            &[V::from(&station_id)],
        )
        .await?
        .ok_or_else(|| {
            ApiError::bad_request(
                "unknown_station",
                format!("station {station_id} is not seeded"),
            )
        })?
    };
    for (i, t) in tours.iter_mut().enumerate() {
        t.station.station_id = station_id.clone();
        t.station.name = station.name.clone();
        t.station.position = lastmile_protocol::tour::LatLon {
            lat: station.lat,
            lon: station.lon,
        };
        if !req.drivers.is_empty() {
            t.driver_id = req.drivers[i % req.drivers.len()].clone();
        }
        if let Some(date) = req.date {
            lastmile_import::own::redate(t, date)
                .map_err(|e| ApiError::bad_request("bad_tour", e.to_string()))?;
        }
    }
    store_imported(state, p, tours).await
}
