//! Service visits on the device (issue 14). A service stop's checklist comes with the plan
//! (`stop.checklist`); the driver starts the visit ([`Store::service_start`]) and finishes it
//! ([`Store::service_finish`]): each one transaction that writes `service_visit` and appends
//! its event (`ServiceStarted`, `ServiceFinished`) to the same outbox as every outcome, the
//! finish's photo and signature files before it. The rules are the domain's
//! ([`lastmile_domain::service`]); the stop counts as done once the visit is finished.

use chrono::{DateTime, Utc};
use lastmile_domain::Fix;
use lastmile_domain::service::{
    Answer, Finish, ServiceRefusal, VisitState, check_finish, check_start,
};
use lastmile_protocol::events::{BlobKindDto, EventBody};
use lastmile_protocol::service::{ServiceItemDto, ServiceItemResultDto};
use rusqlite::{OptionalExtension, params};

use crate::actions::{Action, BlobInput, BlobKind, Recorded, parse_time};
use crate::{Store, StoreError};

/// A service stop's checklist as stored in `stop.checklist` (`None` for an empty one).
pub(crate) fn checklist_json(items: &[ServiceItemDto]) -> Result<Option<String>, StoreError> {
    if items.is_empty() {
        return Ok(None);
    }
    serde_json::to_string(items)
        .map(Some)
        .map_err(|e| StoreError::Internal(format!("checklist to JSON: {e}")))
}

/// A checklist must name each item once, by a non-empty id.
pub(crate) fn validate_checklist(
    stop_id: &str,
    items: &[ServiceItemDto],
) -> Result<(), StoreError> {
    for (i, item) in items.iter().enumerate() {
        if item.item_id.trim().is_empty() || items[..i].iter().any(|o| o.item_id == item.item_id) {
            return Err(StoreError::InvalidTour(format!(
                "the checklist of stop {stop_id} has an empty or repeated item id {:?}",
                item.item_id
            )));
        }
    }
    Ok(())
}

/// A service visit as the device holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalVisit {
    pub stop_id: String,
    pub planned_seconds: u32,
    pub checklist: Vec<ServiceItemDto>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub finished_event_id: Option<String>,
    /// As recorded at the finish, in checklist order.
    pub items: Vec<ServiceItemResultDto>,
    pub customer_name: Option<String>,
    pub photo_sha256: Option<String>,
    pub signature_sha256: Option<String>,
}

impl LocalVisit {
    pub fn state(&self) -> VisitState {
        match (self.started_at, self.finished_at) {
            (_, Some(_)) => VisitState::Finished,
            (Some(_), None) => VisitState::Started,
            (None, None) => VisitState::Planned,
        }
    }
}

/// The finish as the driver entered it.
#[derive(Debug, Clone)]
pub struct ServiceFinishInput<'a> {
    pub stop_id: String,
    pub answers: Vec<Answer>,
    pub customer_name: String,
    pub photo: Option<&'a [u8]>,
    /// The pad's strokes (JSON) and image (PNG), when the customer signed.
    pub signature: Option<(&'a [u8], &'a [u8])>,
}

fn json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Internal(format!("stored JSON: {e}")))
}

fn time(s: Option<String>) -> Result<Option<DateTime<Utc>>, StoreError> {
    s.map(|s| parse_time(&s)).transpose()
}

type VisitRow = (
    String,
    u32,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The visit of a stop of `tour_id`; refused unless a service stop of the tour.
fn load(
    conn: &rusqlite::Connection,
    tour_id: &str,
    stop_id: &str,
) -> Result<LocalVisit, StoreError> {
    let row: Option<VisitRow> = conn
        .prepare_cached(
            "SELECT s.kind, s.service_seconds, s.checklist, v.started_at, v.finished_at, v.finished_event_id,
                    v.items, v.customer_name, v.photo_sha256, v.signature_sha256
             FROM stop s LEFT JOIN service_visit v ON v.tour_id = s.tour_id AND v.stop_id = s.stop_id
             WHERE s.tour_id = ?1 AND s.stop_id = ?2 AND s.removed = 0",
        )?
        .query_row([tour_id, stop_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        })
        .optional()?;
    let Some((
        kind,
        planned,
        checklist,
        started,
        finished,
        finished_event,
        items,
        name,
        photo,
        sig,
    )) = row
    else {
        return Err(lastmile_domain::RuleViolation::UnknownStop(stop_id.to_owned()).into());
    };
    if kind != "service" {
        return Err(ServiceRefusal::NotAServiceStop(stop_id.to_owned()).into());
    }
    Ok(LocalVisit {
        stop_id: stop_id.to_owned(),
        planned_seconds: planned,
        checklist: checklist
            .as_deref()
            .map(json)
            .transpose()?
            .unwrap_or_default(),
        started_at: time(started)?,
        finished_at: time(finished)?,
        finished_event_id: finished_event,
        items: items.as_deref().map(json).transpose()?.unwrap_or_default(),
        customer_name: name,
        photo_sha256: photo,
        signature_sha256: sig,
    })
}

impl Store {
    /// The visit of a service stop of the active tour (refused for other stops).
    pub fn service_visit(&self, stop_id: &str) -> Result<LocalVisit, StoreError> {
        let tour_id = self.active_tour_id()?.ok_or(StoreError::NoTour)?;
        load(&self.conn, &tour_id, stop_id)
    }

    /// The driver starts the visit (once).
    pub fn service_start(
        &mut self,
        stop_id: &str,
        fix: Option<Fix>,
    ) -> Result<Recorded, StoreError> {
        self.record(fix, |tx, ctx| {
            let visit = load(tx, &ctx.tour_id, stop_id)?;
            check_start(visit.state())?;
            let stop = ctx.stop(tx, stop_id)?;
            let warnings = ctx.warnings(tx, &stop, fix, None, false)?;
            tx.prepare_cached(
                "INSERT INTO service_visit (tour_id, stop_id, started_at, started_event_id) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                ctx.tour_id,
                stop_id,
                ctx.now.to_rfc3339(),
                ctx.event_id.to_string()
            ])?;
            let body = EventBody::ServiceStarted {
                stop_id: stop_id.to_owned(),
            };
            Ok(Action::new(body, stop_id, None, warnings))
        })
    }

    /// The driver finishes the visit: every checklist item answered, the customer's name and
    /// signature, an optional photo. Refused (nothing recorded) when a rule is not met.
    pub fn service_finish(
        &mut self,
        input: &ServiceFinishInput<'_>,
        fix: Option<Fix>,
    ) -> Result<Recorded, StoreError> {
        let stop_id = input.stop_id.as_str();
        self.record(fix, |tx, ctx| {
            let visit = load(tx, &ctx.tour_id, stop_id)?;
            let ids: Vec<String> = visit.checklist.iter().map(|i| i.item_id.clone()).collect();
            let items = check_finish(
                visit.state(),
                &Finish {
                    checklist: &ids,
                    answers: &input.answers,
                    customer_name: &input.customer_name,
                    has_signature: input
                        .signature
                        .is_some_and(|(strokes, png)| !strokes.is_empty() && !png.is_empty()),
                },
            )?;
            let stop = ctx.stop(tx, stop_id)?;
            let warnings = ctx.warnings(tx, &stop, fix, None, false)?;
            let mut inputs = Vec::new();
            if let Some(bytes) = input.photo {
                inputs.push(BlobInput {
                    kind: BlobKind::Photo,
                    bytes,
                });
            }
            if let Some((strokes, png)) = input.signature {
                inputs.push(BlobInput {
                    kind: BlobKind::SignatureStrokes,
                    bytes: strokes,
                });
                inputs.push(BlobInput {
                    kind: BlobKind::SignatureImage,
                    bytes: png,
                });
            }
            let blobs = ctx.store_blobs(tx, &inputs)?;
            let sha = |kind: BlobKindDto| {
                blobs
                    .iter()
                    .find(|b| b.kind == kind)
                    .map(|b| b.sha256.clone())
            };
            let items: Vec<ServiceItemResultDto> = items
                .into_iter()
                .map(|i| ServiceItemResultDto {
                    item_id: i.item_id,
                    done: i.done,
                    note: i.note,
                })
                .collect();
            let name = input.customer_name.trim().to_owned();
            tx.prepare_cached(
                "UPDATE service_visit SET finished_at = ?3, finished_event_id = ?4, items = ?5, customer_name = ?6,
                   photo_sha256 = ?7, signature_sha256 = ?8 WHERE tour_id = ?1 AND stop_id = ?2",
            )?
            .execute(params![
                ctx.tour_id,
                stop_id,
                ctx.now.to_rfc3339(),
                ctx.event_id.to_string(),
                serde_json::to_string(&items)
                    .map_err(|e| StoreError::Internal(format!("items to JSON: {e}")))?,
                name,
                sha(BlobKindDto::Photo),
                sha(BlobKindDto::SignatureImage),
            ])?;
            let body = EventBody::ServiceFinished {
                stop_id: stop_id.to_owned(),
                items,
                customer_name: name,
                blobs,
            };
            Ok(Action::new(body, stop_id, None, warnings))
        })
    }
}
