//! Service visits (issue 14) on the server. `ServiceStarted` / `ServiceFinished` come through
//! `POST /v1/events` like every outcome and are judged here inside the batch's transaction
//! ([`validate`]: a service stop of the tour, recorded by its driver; a finish after the start,
//! once, with every checklist item of the plan answered, the customer's name and a signature).
//! No table of their own: the visits are folded on read from the tour's applied events
//! ([`visits`], dispatch's `GET /v1/dispatch/tours/{tour_id}/service-visits`), like the other
//! dispatch views; the tour's progress counts a service stop done once its visit is finished.

use std::collections::HashMap;

use lastmile_protocol::auth::Role;
use lastmile_protocol::events::{BlobKindDto, EventBody, EventEnvelope, Person};
use lastmile_protocol::service::{ServiceItemView, ServiceVisitView};
use lastmile_protocol::tour::StopKindDto;

use crate::ServerState;
use crate::auth::Principal;
use crate::db::{Tx, V, row_struct};
use crate::error::ApiResult;
use crate::ride::Refusal;
use crate::tours::{TourRow, visible};

fn refuse(code: &'static str, message: impl Into<String>) -> ApiResult<Option<Refusal>> {
    Ok(Some((code, message.into())))
}

/// The service event's stop, for the events of this module.
pub fn stop_of(body: &EventBody) -> Option<&str> {
    match body {
        EventBody::ServiceStarted { stop_id } | EventBody::ServiceFinished { stop_id, .. } => {
            Some(stop_id)
        }
        _ => None,
    }
}

/// How many applied events of `kind` the tour has for the stop.
async fn applied(tx: &mut Tx, tour_id: &str, stop_id: &str, kind: &str) -> ApiResult<i64> {
    let row = tx
        .one(
            "SELECT count(*) AS n FROM events WHERE tour_id = $1 AND stop_id = $2 AND kind = $3 AND status = 'applied'",
            &[V::from(tour_id), V::from(stop_id), V::from(kind)],
        )
        .await?;
    Ok(match row {
        Some(r) => r.get::<i64>("n")?,
        None => 0,
    })
}

/// The server's rules for a service event; `None` = fine (the stop's presence on the tour is
/// checked with every other stop event).
pub async fn validate(
    tx: &mut Tx,
    person: &Person,
    tour: &TourRow,
    ev: &EventEnvelope,
) -> ApiResult<Option<Refusal>> {
    let Some(stop_id) = stop_of(&ev.body) else {
        return Ok(None);
    };
    if !matches!(person.role, Role::Driver | Role::Flex) {
        return refuse(
            "driver_only",
            "only the tour's driver records a service visit",
        );
    }
    let stop = tour
        .plan
        .stops
        .iter()
        .chain(tour.removed.values())
        .find(|s| s.stop_id == stop_id);
    let Some(stop) = stop else {
        // Refused as `unknown_stop` with every other stop event.
        return Ok(None);
    };
    if stop.kind != StopKindDto::Service {
        return refuse(
            "not_a_service_stop",
            format!("stop {stop_id} is not a service stop"),
        );
    }
    let tour_id = &ev.tour_id;
    let started = applied(tx, tour_id, stop_id, "service_started").await? > 0;
    match &ev.body {
        EventBody::ServiceStarted { .. } if started => {
            return refuse(
                "already_started",
                format!("the visit at stop {stop_id} was already started"),
            );
        }
        EventBody::ServiceFinished {
            items,
            customer_name,
            blobs,
            ..
        } => {
            if !started {
                return refuse(
                    "not_started",
                    format!("the visit at stop {stop_id} was not started"),
                );
            }
            if applied(tx, tour_id, stop_id, "service_finished").await? > 0 {
                return refuse(
                    "already_finished",
                    format!("the visit at stop {stop_id} is already finished"),
                );
            }
            let planned: Vec<&str> = stop.checklist.iter().map(|i| i.item_id.as_str()).collect();
            let answered: Vec<&str> = items.iter().map(|i| i.item_id.as_str()).collect();
            if planned != answered {
                return refuse(
                    "checklist_mismatch",
                    format!("the finish answers {answered:?}; the plan's checklist is {planned:?}"),
                );
            }
            if customer_name.trim().is_empty() {
                return refuse("blank_name", "the customer's name is missing");
            }
            if !blobs.iter().any(|b| b.kind == BlobKindDto::SignatureImage) {
                return refuse("blank_signature", "the customer's signature is missing");
            }
        }
        _ => {}
    }
    Ok(None)
}

row_struct! {
    /// A service event of a tour.
    struct ServiceEvent {
        body_json: String,
    }
}

/// The service visits of a tour, one per service stop of the plan, in order.
pub async fn visits(
    state: &ServerState,
    p: &Principal,
    tour_id: &str,
) -> ApiResult<Vec<ServiceVisitView>> {
    let mut tx = state.db.begin().await?;
    let tour = visible(&mut tx, p, tour_id).await?;
    let mut out: Vec<ServiceVisitView> = tour
        .plan
        .stops
        .iter()
        .filter(|s| s.kind == StopKindDto::Service)
        .map(|s| ServiceVisitView {
            stop_id: s.stop_id.clone(),
            sequence: s.sequence,
            planned_seconds: s.service_seconds,
            status: "planned".into(),
            started_at: None,
            finished_at: None,
            customer_name: None,
            items: s
                .checklist
                .iter()
                .map(|i| ServiceItemView {
                    item_id: i.item_id.clone(),
                    label: i.label.clone(),
                    done: None,
                    note: None,
                })
                .collect(),
            proof: Vec::new(),
            proof_received: false,
        })
        .collect();
    let index: HashMap<String, usize> = out
        .iter()
        .enumerate()
        .map(|(i, v)| (v.stop_id.clone(), i))
        .collect();
    let rows = tx
        .query_as::<ServiceEvent>(
            "SELECT body_json FROM events WHERE tour_id = $1 AND status = 'applied'
               AND kind IN ('service_started', 'service_finished') ORDER BY received_at, device_id, seq",
            &[V::from(tour_id)],
        )
        .await?;
    for r in rows {
        let ev: EventEnvelope = serde_json::from_str(&r.body_json)?;
        let Some(&i) = stop_of(&ev.body).and_then(|s| index.get(s)) else {
            continue;
        };
        let visit = &mut out[i];
        match ev.body {
            EventBody::ServiceStarted { .. } => {
                visit.started_at = Some(ev.recorded_at);
                if visit.finished_at.is_none() {
                    visit.status = "started".into();
                }
            }
            EventBody::ServiceFinished {
                items,
                customer_name,
                blobs,
                ..
            } => {
                visit.finished_at = Some(ev.recorded_at);
                visit.status = "finished".into();
                visit.customer_name = Some(customer_name);
                for item in &mut visit.items {
                    if let Some(answer) = items.iter().find(|a| a.item_id == item.item_id) {
                        item.done = Some(answer.done);
                        item.note = answer.note.clone();
                    }
                }
                visit.proof = blobs;
            }
            _ => {}
        }
    }
    for visit in &mut out {
        let mut all = !visit.proof.is_empty();
        for blob in &visit.proof {
            all &= tx
                .one(
                    "SELECT 1 FROM blobs WHERE sha256 = $1",
                    &[V::from(&blob.sha256)],
                )
                .await?
                .is_some();
        }
        visit.proof_received = all;
    }
    tx.commit().await?;
    Ok(out)
}
