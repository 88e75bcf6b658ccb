//! Read views for dispatch, folded from the applied events of a tour: progress, outcomes
//! (with both clocks and any conflict with the plan), notification cards, blobs still
//! missing, and rejected events. One tour's views are computed on read ([`load`]): a tour
//! has at most a few thousand events. The list of tours ([`tours`]) is not: it would fold the
//! station's whole history (issue 18: ~1 s at 50,000 events). It reads the projection that
//! `crate::progress` keeps in step with every applied event, filtered by day and paged, on a
//! read-only connection; [`refold_tours`] keeps the old fold as the tests' oracle.

use std::collections::HashMap;

use lastmile_protocol::auth::Role;
use lastmile_protocol::dispatch::{
    CardView, MissingBlobView, OutcomeKind, OutcomeView, RejectionView, TourProgress, TourSummary,
};
use lastmile_protocol::events::{EventBody, EventEnvelope, NotificationCardDto};

use crate::auth::Principal;
use crate::db::{Tx, V, row_struct};
use crate::error::ApiResult;
use crate::tours::{TourRow, load_tour, visible};
use crate::{ServerState, ms_to_time};

/// Everything dispatch can see of one tour.
#[derive(Debug)]
pub struct TourView {
    pub tour: TourRow,
    pub outcomes: Vec<OutcomeView>,
    /// Failed attempts' cards, per outcome (index into `outcomes`).
    cards: Vec<(usize, CardView)>,
    pub missing_blobs: Vec<MissingBlobView>,
    pub rejections: Vec<RejectionView>,
    pub last_received_ms: Option<i64>,
    /// Service stops whose visit is finished (`crate::service`).
    service_finished: std::collections::HashSet<String>,
}

pub async fn load(state: &ServerState, p: &Principal, tour_id: &str) -> ApiResult<TourView> {
    let mut tx = state.db.begin().await?;
    let tour = visible(&mut tx, p, tour_id).await?;
    let (station_id, driver_id) = (tour.station_id.clone(), tour.driver_id.clone());
    let view = fold(&mut tx, tour).await?;
    // The audit trail: a read of a driver's tour by anyone but that driver.
    crate::audit::record(
        &mut tx,
        state,
        p,
        &station_id,
        &driver_id,
        lastmile_protocol::audit::AuditRead::Tour,
        tour_id,
    )
    .await?;
    tx.commit().await?;
    Ok(view)
}

row_struct! {
    /// A stored event as a tour's view folds it.
    struct StoredEvent {
        status: String,
        reject_code: Option<String>,
        reject_message: Option<String>,
        conflict: Option<String>,
        received_at: i64,
        clock_offset_ms: i64,
        body_json: String,
        device_id: String,
        seq: i64,
    }
}

row_struct! {
    /// A picture or signature an event names that has not arrived.
    struct AwaitedBlob {
        sha256: String,
        kind: String,
        bytes: i64,
        event_id: String,
        device_id: String,
    }
}

/// The view of `tour` from its events (also the ride-along's pace, `crate::ride`).
pub(crate) async fn fold(tx: &mut Tx, tour: TourRow) -> ApiResult<TourView> {
    let tour_id = tour.plan.tour_id.clone();
    let rows = tx
        .query_as::<StoredEvent>(
            "SELECT status, reject_code, reject_message, conflict, received_at, clock_offset_ms, body_json, device_id, seq
             FROM events WHERE tour_id = $1 ORDER BY received_at, device_id, seq",
            &[V::from(&tour_id)],
        )
        .await?;
    let mut outcomes: Vec<OutcomeView> = Vec::new();
    let mut cards = Vec::new();
    let mut rejections = Vec::new();
    let mut by_event: HashMap<uuid::Uuid, usize> = HashMap::new();
    let mut last_received_ms = None;
    let mut service_finished = std::collections::HashSet::new();
    for r in rows {
        let received_ms = r.received_at;
        last_received_ms = Some(last_received_ms.map_or(received_ms, |m: i64| m.max(received_ms)));
        let ev: EventEnvelope = serde_json::from_str(&r.body_json)?;
        if r.status == "rejected" {
            rejections.push(RejectionView {
                event_id: ev.event_id,
                device_id: r.device_id,
                seq: r.seq as u64,
                code: r.reject_code.unwrap_or_default(),
                message: r.reject_message.unwrap_or_default(),
                received_at: ms_to_time(received_ms),
            });
            continue;
        }
        let mut push =
            |stop_id: &str, tracking_id: Option<&str>, kind: OutcomeKind| -> ApiResult<usize> {
                outcomes.push(OutcomeView {
                    event_id: ev.event_id,
                    device_id: ev.device_id.clone(),
                    seq: ev.seq,
                    stop_id: stop_id.to_owned(),
                    tracking_id: tracking_id.map(str::to_owned),
                    kind,
                    recorded_at: ev.recorded_at,
                    received_at: ms_to_time(received_ms),
                    clock_offset_ms: r.clock_offset_ms,
                    undone: false,
                    conflict: r.conflict.clone(),
                    corrections: Vec::new(),
                    corrected_to: None,
                });
                by_event.insert(ev.event_id, outcomes.len() - 1);
                Ok(outcomes.len() - 1)
            };
        match &ev.body {
            EventBody::ParcelDelivered {
                stop_id,
                tracking_id,
                method,
                card,
                ..
            } => {
                let i = push(
                    stop_id,
                    Some(tracking_id),
                    OutcomeKind::Delivered {
                        method: method.clone(),
                    },
                )?;
                if let Some(card) = card {
                    cards.push((i, card_view(&ev, stop_id, tracking_id, card)));
                }
            }
            EventBody::DeliveryFailed {
                stop_id,
                tracking_id,
                reason,
                card,
                ..
            } => {
                let i = push(
                    stop_id,
                    Some(tracking_id),
                    OutcomeKind::Failed { reason: *reason },
                )?;
                if let Some(card) = card {
                    cards.push((i, card_view(&ev, stop_id, tracking_id, card)));
                }
            }
            EventBody::ReturnPickedUp { stop_id, label, .. } => {
                push(
                    stop_id,
                    None,
                    OutcomeKind::ReturnPickedUp {
                        label: label.clone(),
                    },
                )?;
            }
            EventBody::StopSkipped { stop_id } => {
                push(stop_id, None, OutcomeKind::StopSkipped)?;
            }
            EventBody::OutcomeUndone {
                undone_event_id, ..
            } => {
                if let Some(&i) = by_event.get(undone_event_id) {
                    outcomes[i].undone = true;
                }
            }
            EventBody::OutcomeCorrected {
                corrected_event_id,
                note,
                outcome,
            } => {
                if let Some(&i) = by_event.get(corrected_event_id) {
                    outcomes[i].corrections.push(note.clone());
                    if outcome.is_some() {
                        outcomes[i].corrected_to = outcome.clone();
                    }
                }
            }
            EventBody::ServiceFinished { stop_id, .. } => {
                service_finished.insert(stop_id.clone());
            }
            // Arrivals, the station's records (folded in crate::station) and the ride-along's
            // (folded in crate::ride) change no outcome.
            _ => {}
        }
    }
    let mut missing_blobs = Vec::new();
    for r in tx
        .query_as::<AwaitedBlob>(
            "SELECT eb.sha256, eb.kind, eb.bytes, eb.event_id, eb.device_id FROM event_blobs eb
             LEFT JOIN blobs b ON b.sha256 = eb.sha256 WHERE eb.tour_id = $1 AND b.sha256 IS NULL
               AND NOT EXISTS (SELECT 1 FROM purged_blobs pb WHERE pb.sha256 = eb.sha256) ORDER BY eb.event_id",
            &[V::from(&tour_id)],
        )
        .await?
    {
        missing_blobs.push(MissingBlobView {
            sha256: r.sha256,
            kind: serde_json::from_str(&r.kind)?,
            bytes: r.bytes as u64,
            event_id: r.event_id.parse().unwrap_or_default(),
            device_id: r.device_id,
        });
    }
    Ok(TourView {
        tour,
        outcomes,
        cards,
        missing_blobs,
        rejections,
        last_received_ms,
        service_finished,
    })
}

fn card_view(
    ev: &EventEnvelope,
    stop_id: &str,
    tracking_id: &str,
    card: &NotificationCardDto,
) -> CardView {
    CardView {
        event_id: ev.event_id,
        stop_id: stop_id.to_owned(),
        tracking_id: tracking_id.to_owned(),
        card_number: card.card_number.clone(),
        says: card.says.clone(),
        recorded_at: ev.recorded_at,
    }
}

impl TourView {
    pub fn cards(&self) -> Vec<CardView> {
        self.cards
            .iter()
            .filter(|(i, _)| !self.outcomes[*i].undone)
            .map(|(_, c)| c.clone())
            .collect()
    }

    pub fn progress(&self) -> TourProgress {
        let plan = &self.tour.plan;
        // The latest standing outcome per parcel, and skipped stops.
        let mut parcel_state: HashMap<&str, &OutcomeKind> = HashMap::new();
        let mut skipped: HashMap<&str, bool> = HashMap::new();
        let mut returns = 0;
        let mut conflicts = 0;
        for o in self.outcomes.iter().filter(|o| !o.undone) {
            if o.conflict.is_some() {
                conflicts += 1;
            }
            match (&o.kind, &o.tracking_id) {
                (OutcomeKind::StopSkipped, _) => {
                    skipped.insert(&o.stop_id, true);
                }
                (OutcomeKind::ReturnPickedUp { .. }, _) => returns += 1,
                (kind, Some(t)) => {
                    parcel_state.insert(t, kind);
                }
                _ => {}
            }
        }
        let mut progress = TourProgress {
            stops_total: plan.stops.len() as u32,
            cursor: plan.cursor,
            returns_picked_up: returns,
            conflicts,
            rejected_events: self.rejections.len() as u32,
            missing_blobs: self.missing_blobs.len() as u32,
            last_event_received_at: self.last_received_ms.map(ms_to_time),
            ..TourProgress::default()
        };
        for stop in &plan.stops {
            let mut all_done = true;
            for parcel in &stop.parcels {
                progress.parcels_total += 1;
                match parcel_state.get(parcel.tracking_id.as_str()) {
                    Some(OutcomeKind::Delivered { .. }) => progress.delivered += 1,
                    Some(OutcomeKind::Failed { .. }) => progress.failed += 1,
                    _ if parcel.is_return => {}
                    _ => all_done = false,
                }
            }
            // A service stop is done once its visit is finished.
            let visit_done = stop.kind != lastmile_protocol::tour::StopKindDto::Service
                || self.service_finished.contains(&stop.stop_id);
            if (all_done && visit_done) || skipped.contains_key(stop.stop_id.as_str()) {
                progress.stops_done += 1;
            }
        }
        progress
    }
}

/// Which tours `GET /v1/dispatch/tours` lists: one day or all, a page after a tour id.
#[derive(Debug, Clone, Default)]
pub struct TourFilter {
    /// Only tours of this day; None: every day, newest first.
    pub date: Option<chrono::NaiveDate>,
    /// At most this many (None: [`DEFAULT_PAGE`]; at most [`MAX_PAGE`]).
    pub limit: Option<u32>,
    /// The page after this tour id (the last one of the previous page).
    pub after: Option<String>,
}

pub const DEFAULT_PAGE: u32 = 200;
pub const MAX_PAGE: u32 = 1000;

row_struct! {
    /// A tour and its projected progress as the list reads them.
    struct ListedTour {
        tour_id: String,
        station_id: String,
        driver_id: String,
        tour_date: String,
        stops_total: i64,
        stops_done: i64,
        parcels_total: i64,
        delivered: i64,
        failed: i64,
        returns_picked_up: i64,
        rejected_events: i64,
        conflicts: i64,
        missing_blobs: i64,
        last_event_received_at: Option<i64>,
        cursor: i64,
    }
}

/// The who-may-see filter on `tours t` (station: its station; supervisor: the drivers they
/// ride with; driver: their own) and its `$1`.
fn who_filter(p: &Principal) -> (&'static str, &String) {
    match p.role {
        Role::Driver | Role::Flex => ("t.driver_id = $1", &p.user_id),
        Role::Station => ("t.station_id = $1", &p.station_id),
        Role::Supervisor => (
            "t.driver_id IN (SELECT driver_id FROM rides_with WHERE supervisor_id = $1)",
            &p.user_id,
        ),
    }
}

/// Every tour the caller may see ([`who_filter`]), with progress, read from the projection
/// (`crate::progress`): ordered by day (newest first) and tour id, one day if asked, one
/// page at a time. The blobs still missing are counted here, per listed tour.
pub async fn tours(
    state: &ServerState,
    p: &Principal,
    f: &TourFilter,
) -> ApiResult<Vec<TourSummary>> {
    state.projections().await?;
    let (filter, who) = who_filter(p);
    let limit = f.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    let mut params = vec![V::from(who), V::from(&p.station_id), V::I(i64::from(limit))];
    // Tours belong to a station: a driver id at another station is someone else's.
    let mut sql = format!(
        "SELECT t.tour_id, t.station_id, t.driver_id, t.tour_date, p.stops_total, p.stops_done, p.parcels_total,
           p.delivered, p.failed, p.returns_picked_up, p.rejected_events, p.conflicts, p.last_event_received_at,
           p.cursor,
           (SELECT count(*) FROM event_blobs eb LEFT JOIN blobs b ON b.sha256 = eb.sha256
             WHERE eb.tour_id = t.tour_id AND b.sha256 IS NULL
               AND NOT EXISTS (SELECT 1 FROM purged_blobs pb WHERE pb.sha256 = eb.sha256)) AS missing_blobs
         FROM tours t JOIN tour_progress p ON p.tour_id = t.tour_id
         WHERE {filter} AND t.station_id = $2"
    );
    if let Some(date) = f.date {
        params.push(V::from(date.to_string()));
        sql += &format!(" AND t.tour_date = ${}", params.len());
    }
    if let Some(after) = &f.after {
        params.push(V::from(after));
        let a = params.len();
        // Later in the order: an older day, or the same day and a greater id.
        sql += &format!(
            " AND (t.tour_date < (SELECT tour_date FROM tours WHERE tour_id = ${a})
               OR (t.tour_date = (SELECT tour_date FROM tours WHERE tour_id = ${a}) AND t.tour_id > ${a}))"
        );
    }
    sql += " ORDER BY t.tour_date DESC, t.tour_id LIMIT $3";
    let mut tx = state.db.read().await?;
    let rows = tx.query_as::<ListedTour>(&sql, &params).await?;
    tx.commit().await?;
    rows.into_iter()
        .map(|r| {
            let n = |v: i64| v as u32;
            Ok(TourSummary {
                date: r.tour_date.parse().map_err(|e| {
                    crate::error::ApiError::Internal(format!("tour {}: date: {e}", r.tour_id))
                })?,
                progress: TourProgress {
                    stops_total: n(r.stops_total),
                    stops_done: n(r.stops_done),
                    parcels_total: n(r.parcels_total),
                    delivered: n(r.delivered),
                    failed: n(r.failed),
                    returns_picked_up: n(r.returns_picked_up),
                    rejected_events: n(r.rejected_events),
                    conflicts: n(r.conflicts),
                    missing_blobs: n(r.missing_blobs),
                    last_event_received_at: r.last_event_received_at.map(ms_to_time),
                    cursor: r.cursor as u64,
                },
                tour_id: r.tour_id,
                station_id: r.station_id,
                driver_id: r.driver_id,
            })
        })
        .collect()
}

/// The list as it was computed before the projection: every visible tour's events folded
/// on read, all of them, in the list's order. The oracle the projection is tested against
/// (and the dispatch bench's "before").
#[doc(hidden)]
pub async fn refold_tours(state: &ServerState, p: &Principal) -> ApiResult<Vec<TourSummary>> {
    let mut tx = state.db.begin().await?;
    let (filter, who) = who_filter(p);
    let ids = tx
        .query(
            &format!("SELECT t.tour_id FROM tours t WHERE {filter} AND t.station_id = $2 ORDER BY t.tour_date DESC, t.tour_id"),
            &[V::from(who), V::from(&p.station_id)],
        )
        .await?;
    let mut out = Vec::with_capacity(ids.len());
    for r in ids {
        let Some(tour) = load_tour(&mut tx, &r.get::<String>("tour_id")?).await? else {
            continue;
        };
        let view = fold(&mut tx, tour).await?;
        out.push(TourSummary {
            tour_id: view.tour.plan.tour_id.clone(),
            station_id: view.tour.station_id.clone(),
            driver_id: view.tour.driver_id.clone(),
            date: view.tour.plan.date,
            progress: view.progress(),
        });
    }
    Ok(out)
}
