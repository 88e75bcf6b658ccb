//! The dispatch list's projection (issue 18): each tour's progress kept as a row of
//! `tour_progress`, so `GET /v1/dispatch/tours` reads one row per tour instead of refolding
//! the station's whole history (`crate::views::fold` is what it must equal).
//!
//! Beside it, `tour_outcomes` (every applied outcome of a tour, with the fold's order and
//! whether an undo took it back) and `tour_services_done`. All three are written only here,
//! inside the transaction that changes what they show:
//! - a batch ([`Effects`], from `events::apply_once`): its outcomes, undos and finished
//!   service visits are written and the counters of each tour it recorded on move by the
//!   difference they make, computed for the stops they touch only (their standing
//!   outcomes read before and after), never by refolding the tour. A resent event never
//!   reaches it, a rolled-back batch takes its projection along: exactly once, like the
//!   events. On PostgreSQL the rows of the tours are locked first, so two batches on one
//!   tour project one after the other, each seeing what the other committed.
//! - a new or edited plan ([`refill`], from `tours::insert_tour` / `tours::append_changes`):
//!   the tour's row recomputed from the tables above and its plan.
//!
//! Not projected: the missing blobs, counted by the list as it reads (a blob arriving
//! beside a batch that names it must not leave a count behind), and the per-tour views
//! (`crate::views::load`), which fold one tour on read.
//!
//! Upgrade: migration 009 back-fills `tour_outcomes` and `tour_services_done` from the
//! events; each tour without a `tour_progress` row is then filled in by [`fill`] before the
//! server serves (`ServerState::projections`).

use std::collections::{BTreeMap, HashMap, HashSet};

use lastmile_protocol::events::{EventBody, EventEnvelope};
use lastmile_protocol::tour::{StopDto, StopKindDto};

use crate::db::{Col, Db, Tx, V, row_struct};
use crate::error::ApiResult;
use crate::tours::load_tour;

const OUTCOME_COLUMNS: &[(&str, Col)] = &[
    ("event_id", Col::Text),
    ("tour_id", Col::Text),
    ("stop_id", Col::Text),
    ("tracking_id", Col::Text),
    ("kind", Col::Text),
    ("conflict", Col::Int),
    ("undone", Col::Int),
    ("received_at", Col::Int),
    ("device_id", Col::Text),
    ("seq", Col::Int),
];

/// Above this many parcels and stops, the standing outcomes of the whole tour are read
/// instead of those of the touched stops (bound parameters stay well inside both limits).
const MAX_LISTED: usize = 2000;

/// What one batch recorded on one tour.
#[derive(Default)]
struct TourEffects {
    /// Rows of `tour_outcomes` ([`OUTCOME_COLUMNS`]).
    outcomes: Vec<Vec<V>>,
    /// Outcomes the batch took back (event ids).
    undone: Vec<String>,
    /// Service stops whose visit finished.
    serviced: Vec<String>,
    /// Parcels and stops whose standing outcome may have changed.
    parcels: HashSet<String>,
    stops: HashSet<String>,
    rejected: i64,
    returns: i64,
    conflicts: i64,
}

/// What a batch recorded, per tour, applied to the projection once before the commit.
#[derive(Default)]
pub(crate) struct Effects {
    /// Ordered by tour id: the rows are locked in that order.
    tours: BTreeMap<String, TourEffects>,
}

impl Effects {
    /// One event as recorded: applied (with a conflict or not) or rejected.
    pub(crate) fn record(
        &mut self,
        ev: &EventEnvelope,
        applied: bool,
        conflict: bool,
        received_ms: i64,
    ) {
        let t = self.tours.entry(ev.tour_id.clone()).or_default();
        if !applied {
            t.rejected += 1;
            return;
        }
        match &ev.body {
            EventBody::OutcomeUndone {
                undone_event_id, ..
            } => {
                t.undone.push(undone_event_id.to_string());
                return;
            }
            EventBody::ServiceFinished { stop_id, .. } => {
                t.serviced.push(stop_id.clone());
                t.stops.insert(stop_id.clone());
                return;
            }
            EventBody::ParcelDelivered { .. }
            | EventBody::DeliveryFailed { .. }
            | EventBody::ReturnPickedUp { .. }
            | EventBody::StopSkipped { .. } => {}
            // Arrivals, corrections (progress shows the outcome, not its note), station
            // and ride-along records change no progress.
            _ => return,
        }
        // An outcome: a delivery or failed attempt names its parcel, the others only a stop.
        let (Some(stop_id), tracking_id) = crate::events::stop_and_parcel(&ev.body) else {
            return;
        };
        match tracking_id {
            Some(p) => t.parcels.insert(p.to_owned()),
            None => t.stops.insert(stop_id.to_owned()),
        };
        let kind = ev.body.kind();
        t.returns += i64::from(kind == "return_picked_up");
        t.conflicts += i64::from(conflict);
        t.outcomes.push(vec![
            V::from(ev.event_id.to_string()),
            V::from(&ev.tour_id),
            V::from(stop_id),
            V::from(tracking_id.map(str::to_owned)),
            V::from(kind),
            V::I(i64::from(conflict)),
            V::I(0),
            V::I(received_ms),
            V::from(&ev.device_id),
            V::I(ev.seq as i64),
        ]);
    }

    /// Writes what the batch recorded and moves each tour's counters, in the batch's
    /// transaction (after its events are written).
    pub(crate) async fn apply(self, tx: &mut Tx, received_ms: i64) -> ApiResult<()> {
        if self.tours.is_empty() {
            return Ok(());
        }
        let ids: Vec<V> = self.tours.keys().map(V::from).collect();
        let sql = format!(
            "SELECT tour_id FROM tour_progress WHERE tour_id IN ({}) ORDER BY tour_id{}",
            marks(1, ids.len()),
            tx.for_update()
        );
        let mut with_row = HashSet::new();
        for r in tx.query(&sql, &ids).await? {
            with_row.insert(r.get::<String>("tour_id")?);
        }
        for (tour_id, t) in self.tours {
            if with_row.contains(&tour_id) {
                apply_tour(tx, &tour_id, t, received_ms).await?;
            } else {
                // No row: a tour that does not exist (its events were all rejected), or one
                // not filled in yet. The tables are written; the row, if any, from them.
                write(tx, &tour_id, &t).await?;
                refill(tx, &tour_id).await?;
            }
        }
        Ok(())
    }
}

/// `$first, $first+1, …` (n of them).
fn marks(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `column IN ($first, …)`, or a condition no row meets for an empty list.
fn any_of(column: &str, first: usize, n: usize) -> String {
    if n == 0 {
        "1 = 0".to_owned()
    } else {
        format!("{column} IN ({})", marks(first, n))
    }
}

/// The difference one batch makes to a tour that has its row.
async fn apply_tour(
    tx: &mut Tx,
    tour_id: &str,
    mut t: TourEffects,
    received_ms: i64,
) -> ApiResult<()> {
    let Some(tour) = load_tour(tx, tour_id).await? else {
        return Ok(());
    };
    // Outcomes of earlier batches that this one takes back: their parcel or stop is touched
    // too (those of this batch are touched already).
    if !t.undone.is_empty() {
        let mut params = vec![V::from(tour_id)];
        params.extend(t.undone.iter().map(V::from));
        let sql = format!(
            "SELECT tracking_id, stop_id FROM tour_outcomes WHERE tour_id = $1 AND event_id IN ({})",
            marks(2, t.undone.len())
        );
        for r in tx.query_as::<Touched>(&sql, &params).await? {
            match r.tracking_id {
                Some(p) => t.parcels.insert(p),
                None => t.stops.insert(r.stop_id),
            };
        }
    }
    let touched: Vec<&StopDto> = tour
        .plan
        .stops
        .iter()
        .filter(|s| {
            t.stops.contains(&s.stop_id)
                || s.parcels.iter().any(|p| t.parcels.contains(&p.tracking_id))
        })
        .collect();
    let before = standing(tx, tour_id, Some(&touched)).await?;
    let (undone_returns, undone_conflicts) = write(tx, tour_id, &t).await?;
    let after = standing(tx, tour_id, Some(&touched)).await?;
    let (was, is) = (tally(&touched, &before), tally(&touched, &after));
    tx.exec(
        "UPDATE tour_progress SET stops_done = stops_done + $1, delivered = delivered + $2, failed = failed + $3,
           returns_picked_up = returns_picked_up + $4, rejected_events = rejected_events + $5,
           conflicts = conflicts + $6,
           last_event_received_at = CASE WHEN last_event_received_at IS NULL OR last_event_received_at < $7
             THEN $7 ELSE last_event_received_at END
         WHERE tour_id = $8",
        &[
            V::I(is.stops_done - was.stops_done),
            V::I(is.delivered - was.delivered),
            V::I(is.failed - was.failed),
            V::I(t.returns - undone_returns),
            V::I(t.rejected),
            V::I(t.conflicts - undone_conflicts),
            V::I(received_ms),
            V::from(tour_id),
        ],
    )
    .await?;
    Ok(())
}

row_struct! {
    /// The parcel or stop of an outcome.
    struct Touched {
        tracking_id: Option<String>,
        stop_id: String,
    }
}

row_struct! {
    /// An outcome an undo took back, as its counters see it.
    struct TakenBack {
        kind: String,
        conflict: i64,
    }
}

/// Writes the batch's outcomes, undos and finished visits of one tour; returns the returns
/// and the conflicts among the outcomes its undos took back (each once: an outcome undone
/// twice is taken back once).
async fn write(tx: &mut Tx, tour_id: &str, t: &TourEffects) -> ApiResult<(i64, i64)> {
    crate::events::insert_rows(tx, "tour_outcomes", OUTCOME_COLUMNS, "", t.outcomes.clone())
        .await?;
    let (mut returns, mut conflicts) = (0, 0);
    if !t.undone.is_empty() {
        let mut params = vec![V::from(tour_id)];
        params.extend(t.undone.iter().map(V::from));
        let sql = format!(
            "UPDATE tour_outcomes SET undone = 1 WHERE tour_id = $1 AND undone = 0 AND event_id IN ({})
             RETURNING kind, conflict",
            marks(2, t.undone.len())
        );
        for r in tx.query_as::<TakenBack>(&sql, &params).await? {
            returns += i64::from(r.kind == "return_picked_up");
            conflicts += i64::from(r.conflict != 0);
        }
    }
    for stop_id in &t.serviced {
        tx.exec(
            "INSERT INTO tour_services_done (tour_id, stop_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[V::from(tour_id), V::from(stop_id)],
        )
        .await?;
    }
    Ok((returns, conflicts))
}

/// The standing outcome of each parcel (the latest not taken back, in the fold's order),
/// the skipped stops and the finished service visits of a tour.
#[derive(Debug, Default)]
struct Standing {
    /// Tracking id → `parcel_delivered` or `delivery_failed`.
    parcels: HashMap<String, String>,
    skipped: HashSet<String>,
    serviced: HashSet<String>,
}

row_struct! {
    /// One fact of [`Standing`]: `what` is `parcel`, `skipped` or `serviced`.
    struct StandingRow {
        what: String,
        id: String,
        kind: String,
    }
}

/// [`Standing`] for the parcels and stops of `stops` (None: of the whole tour).
async fn standing(tx: &mut Tx, tour_id: &str, stops: Option<&[&StopDto]>) -> ApiResult<Standing> {
    let mut params = vec![V::from(tour_id)];
    let listed = match stops {
        Some([]) => return Ok(Standing::default()),
        Some(stops) => {
            let parcels: Vec<&str> = stops
                .iter()
                .flat_map(|s| s.parcels.iter().map(|p| p.tracking_id.as_str()))
                .collect();
            (parcels.len() + stops.len() <= MAX_LISTED).then_some((parcels, stops))
        }
        None => None,
    };
    // The fold orders by (received_at, device_id, seq); the standing outcome is the last.
    let sql = match listed {
        // The touched parcels and stops: one index seek each (`tour_outcomes_parcel` read
        // backwards, `tour_outcomes_stop`), whatever their history.
        Some((parcels, stops)) => {
            params.extend(parcels.iter().map(|p| V::from(*p)));
            let stop_at = params.len() + 1;
            params.extend(stops.iter().map(|s| V::from(&s.stop_id)));
            let values = |first: usize, n: usize| {
                (first..first + n)
                    .map(|i| format!("(${i})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut parts = Vec::new();
            if !parcels.is_empty() {
                parts.push(format!(
                    "SELECT 'parcel' AS what, id, kind FROM (
                       SELECT p.column1 AS id, (SELECT o.kind FROM tour_outcomes o
                         WHERE o.tour_id = $1 AND o.tracking_id = p.column1 AND o.undone = 0
                         ORDER BY o.received_at DESC, o.device_id DESC, o.seq DESC LIMIT 1) AS kind
                       FROM (VALUES {}) AS p) s WHERE kind IS NOT NULL",
                    values(2, parcels.len())
                ));
            }
            parts.push(format!(
                "SELECT 'skipped' AS what, s.column1 AS id, '' AS kind FROM (VALUES {}) AS s
                   WHERE EXISTS (SELECT 1 FROM tour_outcomes o WHERE o.tour_id = $1 AND o.stop_id = s.column1
                     AND o.kind = 'stop_skipped' AND o.undone = 0)",
                values(stop_at, stops.len())
            ));
            parts.push(format!(
                "SELECT 'serviced' AS what, stop_id AS id, '' AS kind FROM tour_services_done
                   WHERE tour_id = $1 AND {}",
                any_of("stop_id", stop_at, stops.len())
            ));
            parts.join(" UNION ALL ")
        }
        // The whole tour.
        None => "SELECT 'parcel' AS what, tracking_id AS id, kind FROM (
               SELECT tracking_id, kind, ROW_NUMBER() OVER (PARTITION BY tracking_id
                 ORDER BY received_at DESC, device_id DESC, seq DESC) AS rn
               FROM tour_outcomes WHERE tour_id = $1 AND undone = 0 AND tracking_id IS NOT NULL) s
             WHERE rn = 1
             UNION ALL
             SELECT DISTINCT 'skipped' AS what, stop_id AS id, '' AS kind FROM tour_outcomes
               WHERE tour_id = $1 AND undone = 0 AND kind = 'stop_skipped'
             UNION ALL
             SELECT 'serviced' AS what, stop_id AS id, '' AS kind FROM tour_services_done
               WHERE tour_id = $1"
            .to_owned(),
    };
    let mut out = Standing::default();
    for r in tx.query_as::<StandingRow>(&sql, &params).await? {
        match r.what.as_str() {
            "parcel" => {
                out.parcels.insert(r.id, r.kind);
            }
            "skipped" => {
                out.skipped.insert(r.id);
            }
            _ => {
                out.serviced.insert(r.id);
            }
        }
    }
    Ok(out)
}

/// What `stops` add to a tour's progress, by the rules of `crate::views::TourView::progress`.
#[derive(Debug, Default, PartialEq)]
struct Tally {
    stops_done: i64,
    parcels: i64,
    delivered: i64,
    failed: i64,
}

fn tally(stops: &[&StopDto], s: &Standing) -> Tally {
    let mut t = Tally::default();
    for stop in stops {
        let mut all_done = true;
        for parcel in &stop.parcels {
            t.parcels += 1;
            match s.parcels.get(&parcel.tracking_id).map(String::as_str) {
                Some("parcel_delivered") => t.delivered += 1,
                Some("delivery_failed") => t.failed += 1,
                _ if parcel.is_return => {}
                _ => all_done = false,
            }
        }
        // A service stop is done once its visit is finished.
        let visit_done = stop.kind != StopKindDto::Service || s.serviced.contains(&stop.stop_id);
        if (all_done && visit_done) || s.skipped.contains(&stop.stop_id) {
            t.stops_done += 1;
        }
    }
    t
}

row_struct! {
    /// A tour's counters that come from its events rather than its plan.
    struct EventCounts {
        returns: i64,
        conflicts: i64,
        rejected: i64,
        last_received: Option<i64>,
    }
}

/// Recomputes the whole row of `tour_id` from `tour_outcomes`, `tour_services_done`, its
/// events' counts and its plan (a new tour, an edited plan, a tour not filled in yet), in
/// the caller's transaction. Costs one tour's outcomes, not the station's history.
pub(crate) async fn refill(tx: &mut Tx, tour_id: &str) -> ApiResult<()> {
    let sql = format!(
        "SELECT tour_id FROM tour_progress WHERE tour_id = $1{}",
        tx.for_update()
    );
    tx.one(&sql, &[V::from(tour_id)]).await?;
    let Some(tour) = load_tour(tx, tour_id).await? else {
        return Ok(());
    };
    let stops: Vec<&StopDto> = tour.plan.stops.iter().collect();
    let t = tally(&stops, &standing(tx, tour_id, None).await?);
    let c: EventCounts = tx
        .one_as(
            "SELECT
               (SELECT count(*) FROM tour_outcomes WHERE tour_id = $1 AND undone = 0 AND kind = 'return_picked_up') AS returns,
               (SELECT count(*) FROM tour_outcomes WHERE tour_id = $1 AND undone = 0 AND conflict = 1) AS conflicts,
               (SELECT count(*) FROM events WHERE tour_id = $1 AND status = 'rejected') AS rejected,
               (SELECT max(received_at) FROM events WHERE tour_id = $1) AS last_received",
            &[V::from(tour_id)],
        )
        .await?
        .ok_or_else(|| crate::error::ApiError::Internal("no counts".into()))?;
    tx.exec(
        "INSERT INTO tour_progress (tour_id, stops_total, stops_done, parcels_total, delivered, failed,
           returns_picked_up, rejected_events, conflicts, last_event_received_at, cursor)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (tour_id) DO UPDATE SET stops_total = excluded.stops_total, stops_done = excluded.stops_done,
           parcels_total = excluded.parcels_total, delivered = excluded.delivered, failed = excluded.failed,
           returns_picked_up = excluded.returns_picked_up, rejected_events = excluded.rejected_events,
           conflicts = excluded.conflicts, last_event_received_at = excluded.last_event_received_at,
           cursor = excluded.cursor",
        &[
            V::from(tour_id),
            V::I(stops.len() as i64),
            V::I(t.stops_done),
            V::I(t.parcels),
            V::I(t.delivered),
            V::I(t.failed),
            V::I(c.returns),
            V::I(c.rejected),
            V::I(c.conflicts),
            c.last_received.map_or(V::N, V::I),
            V::I(tour.plan.cursor as i64),
        ],
    )
    .await?;
    Ok(())
}

/// Tours per transaction of [`fill`]: a big upgrade commits as it goes.
const FILL_CHUNK: i64 = 100;

/// Fills in the row of every tour that has none (a database from before migration 009);
/// returns how many.
pub async fn fill(db: &Db) -> ApiResult<usize> {
    let mut done = 0;
    loop {
        let mut tx = db.begin().await?;
        let ids = tx
            .query(
                "SELECT tour_id FROM tours t WHERE NOT EXISTS (SELECT 1 FROM tour_progress p WHERE p.tour_id = t.tour_id)
                 ORDER BY tour_id LIMIT $1",
                &[V::I(FILL_CHUNK)],
            )
            .await?;
        if ids.is_empty() {
            return Ok(done);
        }
        for r in &ids {
            refill(&mut tx, &r.get::<String>("tour_id")?).await?;
        }
        tx.commit().await?;
        done += ids.len();
    }
}

/// Rebuilds the projections from the events (migration 009's back-fill again, then
/// [`fill`]): for an operator who doubts them, and for the dispatch bench, which writes its
/// history straight into the events table. Returns the tours filled in.
pub async fn rebuild(db: &Db) -> ApiResult<usize> {
    let mut tx = db.begin().await?;
    let script = if tx.is_postgres() {
        crate::db::POSTGRES_PROJECTIONS_BACKFILL
    } else {
        crate::db::SQLITE_PROJECTIONS_BACKFILL
    };
    tx.batch(script).await?;
    tx.commit().await?;
    fill(db).await
}
