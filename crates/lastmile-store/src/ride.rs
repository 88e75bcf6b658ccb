//! The supervisor ride-along on the device (issue #13).
//!
//! **The supervisor's phone** keeps the driver's tour (the ordinary tour tables, downloaded
//! for that driver; it is the device's active tour) and its own records: every action here is
//! one transaction that updates the `ride_*` tables and appends one ride-along event to the
//! same outbox as a driver's (same sequence, same exactly-once upload), so the ride-along works
//! offline and catches up later. The driver's progress comes from the server's read views
//! when online and is kept ([`Store::ride_save_outcomes`]) to follow the tour offline.
//!
//! **The driver's phone** keeps the records about its driver as the server last sent them
//! ([`Store::ride_save_records`]) and records the driver's answer (comment and signature, or a
//! declined signature) as an event, which the server accepts only after the supervisor signed.
//!
//! The device checks what it can on its own (a running record, a known template item and
//! grade, no blank text or signature); the server judges again on arrival.

use chrono::{DateTime, Utc};
use lastmile_domain::Fix;
use lastmile_protocol::dispatch::{OutcomeKind, OutcomeView};
use lastmile_protocol::events::{BlobKindDto, BlobRefDto, EventBody};
use lastmile_protocol::ride::{
    AssistDto, AssistView, ChecklistTemplate, GradeDto, GradeView, MAX_TEXT_CHARS,
    ObservationCategoryDto, ObservationView, RideAlongRecord, RideStatusDto,
};
use rusqlite::{OptionalExtension, Transaction, params};
use uuid::Uuid;

use crate::actions::{Action, BlobInput, BlobKind, Recorded};
use crate::{Store, StoreError};

/// A ride-along action the device refuses before recording (`code` is stable, `ride.*`).
fn refused(code: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::RideRefused {
        code,
        message: message.into(),
    }
}

/// A ride-along record as this (the supervisor's) device holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalRide {
    pub ride_along_id: Uuid,
    pub tour_id: String,
    pub supervisor_id: String,
    pub driver_id: String,
    pub status: RideStatusDto,
    pub started_at: DateTime<Utc>,
    pub coaching_notes: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
    pub observations: Vec<ObservationView>,
    pub grades: Vec<GradeView>,
    pub assisted: Vec<AssistView>,
}

/// One stop of the followed tour: the driver's progress as last seen.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowStop {
    pub stop_id: String,
    pub sequence: u32,
    pub street: String,
    pub house_number: String,
    pub city: String,
    pub parcels: u32,
    /// Parcels with a standing outcome (delivered or failed) in the driver's outcomes.
    pub parcels_done: u32,
    pub finished: bool,
    /// The first stop in order that is not finished.
    pub current: bool,
    pub assisted: Option<AssistDto>,
    pub observations: u32,
}

/// The driver's outcomes as last fetched from the server, and when.
pub type FetchedOutcomes = (Vec<OutcomeView>, DateTime<Utc>);

/// The driver's answer as the driver's phone recorded it (sent as an event).
#[derive(Debug, Clone, PartialEq)]
pub struct LocalAnswer {
    pub ride_along_id: Uuid,
    pub signed: bool,
    pub comment: Option<String>,
    pub signature_sha256: Option<String>,
    pub answered_at: DateTime<Utc>,
}

fn time(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Internal(format!("stored time {s}: {e}")))
}

fn uuid(s: &str) -> Result<Uuid, StoreError> {
    s.parse()
        .map_err(|e| StoreError::Internal(format!("stored ride-along id {s}: {e}")))
}

fn json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Internal(format!("stored JSON: {e}")))
}

fn wire<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Internal(format!("to JSON: {e}")))
}

/// A wire name (`customer_contact`, ...) back to its enum.
fn from_wire<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    json(&format!("\"{s}\""))
}

fn check_text(what: &str, text: &str, required: bool) -> Result<(), StoreError> {
    if required && text.trim().is_empty() {
        return Err(refused("ride.blank_text", format!("the {what} is empty")));
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(refused(
            "ride.text_too_long",
            format!("the {what} is longer than {MAX_TEXT_CHARS} characters"),
        ));
    }
    Ok(())
}

fn check_signature(blobs: &[BlobInput<'_>]) -> Result<(), StoreError> {
    if !blobs
        .iter()
        .any(|b| b.kind == BlobKind::SignatureImage && !b.bytes.is_empty())
    {
        return Err(refused("ride.blank_signature", "sign on the pad first"));
    }
    Ok(())
}

/// The record's status and supervisor, inside a transaction.
fn ride_state(tx: &Transaction<'_>, ride: Uuid) -> Result<(RideStatusDto, String), StoreError> {
    let row: Option<(String, String)> = tx
        .prepare_cached("SELECT status, tour_id FROM ride_along WHERE ride_along_id = ?1")?
        .query_row([ride.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (status, tour_id) =
        row.ok_or_else(|| refused("ride.unknown", format!("no ride-along {ride} here")))?;
    let status = RideStatusDto::parse(&status)
        .ok_or_else(|| StoreError::Internal(format!("stored ride-along status {status}")))?;
    Ok((status, tour_id))
}

/// Refuses unless the record is running (takes entries) and on the active tour.
fn running(tx: &Transaction<'_>, ride: Uuid, tour_id: &str) -> Result<(), StoreError> {
    let (status, ride_tour) = ride_state(tx, ride)?;
    if ride_tour != tour_id {
        return Err(refused(
            "ride.other_tour",
            "this ride-along is about another tour than the one on the device",
        ));
    }
    if status != RideStatusDto::Running {
        return Err(refused(
            "ride.signed",
            "the ride-along is signed; it takes no more entries",
        ));
    }
    Ok(())
}

impl Store {
    /// The supervisor starts a ride-along with the driver of the active tour (which the app
    /// downloaded for that driver). Returns the new record's id.
    pub fn ride_start(
        &mut self,
        supervisor_id: &str,
        fix: Option<Fix>,
    ) -> Result<(Uuid, Recorded), StoreError> {
        let ride = Uuid::now_v7();
        let recorded = self.record(fix, |tx, ctx| {
            let driver_id: String = tx
                .prepare_cached("SELECT driver_id FROM tour WHERE tour_id = ?1")?
                .query_row([&ctx.tour_id], |r| r.get(0))
                .optional()?
                .ok_or(StoreError::NoTour)?;
            tx.prepare_cached(
                "INSERT INTO ride_along (ride_along_id, tour_id, supervisor_id, driver_id, status, started_at)
                 VALUES (?1, ?2, ?3, ?4, 'running', ?5)",
            )?
            .execute(params![
                ride.to_string(),
                ctx.tour_id,
                supervisor_id,
                driver_id,
                ctx.now.to_rfc3339()
            ])?;
            let body = EventBody::RideAlongStarted {
                ride_along_id: ride,
                supervisor_id: supervisor_id.to_owned(),
                driver_id,
            };
            Ok(Action::new(body, "", None, vec![]))
        })?;
        Ok((ride, recorded))
    }

    /// An observation at a stop of the tour (or for the day), with an optional photo.
    pub fn ride_observe(
        &mut self,
        ride: Uuid,
        stop_id: Option<&str>,
        category: ObservationCategoryDto,
        text: &str,
        photo: Option<&[u8]>,
        fix: Option<Fix>,
    ) -> Result<Recorded, StoreError> {
        check_text("observation", text, true)?;
        self.record(fix, |tx, ctx| {
            running(tx, ride, &ctx.tour_id)?;
            if let Some(stop) = stop_id {
                ctx.stop(tx, stop)?;
            }
            let photo = match photo {
                Some(bytes) => ctx
                    .store_blobs(
                        tx,
                        &[BlobInput {
                            kind: BlobKind::Photo,
                            bytes,
                        }],
                    )?
                    .pop(),
                None => None,
            };
            tx.prepare_cached(
                "INSERT INTO ride_observation (event_id, ride_along_id, stop_id, category, text, photo_sha256, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                ctx.event_id.to_string(),
                ride.to_string(),
                stop_id,
                category.as_str(),
                text.trim(),
                photo.as_ref().map(|p| p.sha256.as_str()),
                ctx.now.to_rfc3339()
            ])?;
            let body = EventBody::RideObservation {
                ride_along_id: ride,
                stop_id: stop_id.map(str::to_owned),
                category,
                text: text.trim().to_owned(),
                photo,
            };
            Ok(Action::new(body, stop_id.unwrap_or(""), None, vec![]))
        })
    }

    /// Grades one checklist item under `template` (a later grade of it replaces this one).
    pub fn ride_grade(
        &mut self,
        ride: Uuid,
        template: &ChecklistTemplate,
        item_id: &str,
        grade: GradeDto,
        note: Option<&str>,
        fix: Option<Fix>,
    ) -> Result<Recorded, StoreError> {
        if template.item(item_id).is_none() {
            return Err(refused(
                "ride.unknown_item",
                format!("the checklist has no item {item_id}"),
            ));
        }
        if !template.grades.contains(&grade) {
            return Err(refused(
                "ride.grade_not_in_template",
                format!("this checklist does not grade {}", grade.as_str()),
            ));
        }
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if let Some(n) = note {
            check_text("note", n, false)?;
        }
        self.record(fix, |tx, ctx| {
            running(tx, ride, &ctx.tour_id)?;
            let graded_under: Option<(Option<String>, Option<i64>)> = tx
                .prepare_cached(
                    "SELECT template_id, template_version FROM ride_along WHERE ride_along_id = ?1",
                )?
                .query_row([ride.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            if let Some((Some(id), Some(version))) = graded_under
                && (id != template.template_id || version != i64::from(template.version))
            {
                return Err(refused(
                    "ride.template_mismatch",
                    format!("this record is graded under {id} version {version}"),
                ));
            }
            tx.prepare_cached(
                "UPDATE ride_along SET template_id = ?1, template_version = ?2 WHERE ride_along_id = ?3",
            )?
            .execute(params![
                template.template_id,
                i64::from(template.version),
                ride.to_string()
            ])?;
            tx.prepare_cached(
                "INSERT INTO ride_grade (ride_along_id, item_id, grade, note, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (ride_along_id, item_id) DO UPDATE SET grade = excluded.grade, note = excluded.note,
                   recorded_at = excluded.recorded_at",
            )?
            .execute(params![
                ride.to_string(),
                item_id,
                grade.as_str(),
                note,
                ctx.now.to_rfc3339()
            ])?;
            let body = EventBody::RideChecklistGraded {
                ride_along_id: ride,
                template_id: template.template_id.clone(),
                template_version: template.version,
                item_id: item_id.to_owned(),
                grade,
                note: note.map(str::to_owned),
            };
            Ok(Action::new(body, "", None, vec![]))
        })
    }

    /// Marks a stop where the supervisor helped (kept out of the driver's pace).
    pub fn ride_assist(
        &mut self,
        ride: Uuid,
        stop_id: &str,
        what: AssistDto,
        fix: Option<Fix>,
    ) -> Result<Recorded, StoreError> {
        self.record(fix, |tx, ctx| {
            running(tx, ride, &ctx.tour_id)?;
            ctx.stop(tx, stop_id)?;
            tx.prepare_cached(
                "INSERT INTO ride_assist (ride_along_id, stop_id, what, recorded_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (ride_along_id, stop_id) DO UPDATE SET what = excluded.what, recorded_at = excluded.recorded_at",
            )?
            .execute(params![ride.to_string(), stop_id, what.as_str(), ctx.now.to_rfc3339()])?;
            let body = EventBody::RideStopAssisted {
                ride_along_id: ride,
                stop_id: stop_id.to_owned(),
                what,
            };
            Ok(Action::new(body, stop_id, None, vec![]))
        })
    }

    /// The supervisor ends the ride-along: coaching notes and signature. The record then
    /// waits for the driver's answer.
    pub fn ride_sign(
        &mut self,
        ride: Uuid,
        coaching_notes: &str,
        signature: &[BlobInput<'_>],
        fix: Option<Fix>,
    ) -> Result<Recorded, StoreError> {
        check_text("coaching notes", coaching_notes, false)?;
        check_signature(signature)?;
        self.record(fix, |tx, ctx| {
            running(tx, ride, &ctx.tour_id)?;
            let blobs = ctx.store_blobs(tx, signature)?;
            tx.prepare_cached(
                "UPDATE ride_along SET status = 'awaiting_driver', coaching_notes = ?1, signed_at = ?2 WHERE ride_along_id = ?3",
            )?
            .execute(params![coaching_notes.trim(), ctx.now.to_rfc3339(), ride.to_string()])?;
            let body = EventBody::RideSupervisorSigned {
                ride_along_id: ride,
                coaching_notes: coaching_notes.trim().to_owned(),
                signature: blobs,
            };
            Ok(Action::new(body, "", None, vec![]))
        })
    }

    /// The driver answers a record about them (from the records the server sent): signs,
    /// with an optional comment, or declines to sign with a comment. The event goes to the
    /// record's tour.
    pub fn ride_answer(
        &mut self,
        ride: Uuid,
        signature: Option<&[BlobInput<'_>]>,
        comment: &str,
        fix: Option<Fix>,
    ) -> Result<Recorded, StoreError> {
        let record = self
            .ride_records()?
            .into_iter()
            .find(|r| r.summary.ride_along_id == ride)
            .ok_or_else(|| refused("ride.unknown", format!("no record {ride} on this phone")))?;
        if record.summary.status.is_final() || self.ride_answer_of(ride)?.is_some() {
            return Err(refused("ride.answered", "this record is answered already"));
        }
        if record.summary.status != RideStatusDto::AwaitingDriver {
            return Err(refused(
                "ride.supervisor_not_signed",
                "the supervisor has not signed the record yet",
            ));
        }
        let comment = comment.trim();
        check_text("comment", comment, signature.is_none())?;
        if let Some(sig) = signature {
            check_signature(sig)?;
        }
        let tour_id = record.summary.tour_id.clone();
        self.record_on(&tour_id, fix, |tx, ctx| {
            let blobs = match signature {
                Some(sig) => Some(ctx.store_blobs(tx, sig)?),
                None => None,
            };
            let image = blobs.as_ref().and_then(|b| {
                b.iter()
                    .find(|b| b.kind == BlobKindDto::SignatureImage)
                    .map(|b| b.sha256.clone())
            });
            tx.prepare_cached(
                "INSERT INTO ride_answer (ride_along_id, signed, comment, signature_sha256, answered_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                ride.to_string(),
                i64::from(blobs.is_some()),
                (!comment.is_empty()).then_some(comment),
                image,
                ctx.now.to_rfc3339()
            ])?;
            let body = match blobs {
                Some(signature) => EventBody::RideDriverSigned {
                    ride_along_id: ride,
                    comment: (!comment.is_empty()).then(|| comment.to_owned()),
                    signature,
                },
                None => EventBody::RideDriverDeclined {
                    ride_along_id: ride,
                    comment: comment.to_owned(),
                },
            };
            Ok(Action::new(body, "", None, vec![]))
        })
    }

    /// The driver's answer recorded on this phone, if any.
    pub fn ride_answer_of(&self, ride: Uuid) -> Result<Option<LocalAnswer>, StoreError> {
        let row: Option<(i64, Option<String>, Option<String>, String)> = self
            .conn
            .prepare_cached(
                "SELECT signed, comment, signature_sha256, answered_at FROM ride_answer WHERE ride_along_id = ?1",
            )?
            .query_row([ride.to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        row.map(|(signed, comment, sig, at)| {
            Ok(LocalAnswer {
                ride_along_id: ride,
                signed: signed != 0,
                comment,
                signature_sha256: sig,
                answered_at: time(&at)?,
            })
        })
        .transpose()
    }

    /// The ride-along this device is running or last ran (newest first).
    pub fn ride_current(&self) -> Result<Option<LocalRide>, StoreError> {
        let id: Option<String> = self
            .conn
            .query_row(
                "SELECT ride_along_id FROM ride_along ORDER BY started_at DESC, ride_along_id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| self.ride_local(uuid(&id)?)).transpose()
    }

    /// One record as this device holds it.
    pub fn ride_local(&self, ride: Uuid) -> Result<LocalRide, StoreError> {
        let id = ride.to_string();
        type Head = (
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
        );
        let head: Head = self
            .conn
            .query_row(
                "SELECT tour_id, supervisor_id, driver_id, status, started_at, coaching_notes, signed_at
                 FROM ride_along WHERE ride_along_id = ?1",
                [&id],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| refused("ride.unknown", format!("no ride-along {ride} here")))?;
        let mut observations = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.event_id, o.stop_id, o.category, o.text, o.photo_sha256, o.recorded_at, b.bytes
             FROM ride_observation o LEFT JOIN blob b ON b.sha256 = o.photo_sha256
             WHERE o.ride_along_id = ?1 ORDER BY o.recorded_at, o.event_id",
        )?;
        let rows = stmt.query_map([&id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<i64>>(6)?,
            ))
        })?;
        for row in rows {
            let (event_id, stop_id, category, text, photo, at, bytes) = row?;
            observations.push(ObservationView {
                event_id: uuid(&event_id)?,
                stop_id,
                category: from_wire(&category)?,
                text,
                photo: photo.map(|sha256| BlobRefDto {
                    sha256,
                    kind: BlobKindDto::Photo,
                    bytes: bytes.unwrap_or(0) as u64,
                }),
                recorded_at: time(&at)?,
            });
        }
        let mut grades = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT item_id, grade, note, recorded_at FROM ride_grade WHERE ride_along_id = ?1 ORDER BY recorded_at, item_id",
        )?;
        let rows = stmt.query_map([&id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        for row in rows {
            let (item_id, grade, note, at) = row?;
            grades.push(GradeView {
                item_id,
                grade: from_wire(&grade)?,
                note,
                recorded_at: time(&at)?,
            });
        }
        let mut assisted = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT stop_id, what, recorded_at FROM ride_assist WHERE ride_along_id = ?1 ORDER BY recorded_at, stop_id",
        )?;
        let rows = stmt.query_map([&id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (stop_id, what, at) = row?;
            assisted.push(AssistView {
                stop_id,
                what: from_wire(&what)?,
                recorded_at: time(&at)?,
            });
        }
        let (tour_id, supervisor_id, driver_id, status, started_at, notes, signed_at) = head;
        Ok(LocalRide {
            ride_along_id: ride,
            tour_id,
            supervisor_id,
            driver_id,
            status: RideStatusDto::parse(&status)
                .ok_or_else(|| StoreError::Internal(format!("stored status {status}")))?,
            started_at: time(&started_at)?,
            coaching_notes: notes.filter(|n| !n.is_empty()),
            signed_at: signed_at.as_deref().map(time).transpose()?,
            observations,
            grades,
            assisted,
        })
    }

    /// What the server said about a record this device wrote (its status moves on when the
    /// driver answers on their phone).
    pub fn ride_set_status(&mut self, ride: Uuid, status: RideStatusDto) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE ride_along SET status = ?1 WHERE ride_along_id = ?2",
            params![status.as_str(), ride.to_string()],
        )?;
        Ok(())
    }

    fn ride_cache_put(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO ride_cache (key, json, fetched_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (key) DO UPDATE SET json = excluded.json, fetched_at = excluded.fetched_at",
            params![key, value, self.now().to_rfc3339()],
        )?;
        Ok(())
    }

    fn ride_cache_get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT json FROM ride_cache WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Keeps the station's checklist template (from the server) for offline grading.
    pub fn ride_save_template(&mut self, template: &ChecklistTemplate) -> Result<(), StoreError> {
        self.ride_cache_put("template", &wire(template)?)
    }

    pub fn ride_template(&self) -> Result<Option<ChecklistTemplate>, StoreError> {
        self.ride_cache_get("template")?
            .as_deref()
            .map(json)
            .transpose()
    }

    /// Keeps the driver's outcomes on `tour_id` as the server's read view gave them.
    pub fn ride_save_outcomes(
        &mut self,
        tour_id: &str,
        outcomes: &[OutcomeView],
    ) -> Result<(), StoreError> {
        self.ride_cache_put(&format!("outcomes:{tour_id}"), &wire(&outcomes)?)
    }

    /// The driver's outcomes last fetched for `tour_id`, and when (None: never).
    pub fn ride_outcomes(&self, tour_id: &str) -> Result<Option<FetchedOutcomes>, StoreError> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT json, fetched_at FROM ride_cache WHERE key = ?1",
                [format!("outcomes:{tour_id}")],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(j, at)| Ok((json(&j)?, time(&at)?))).transpose()
    }

    /// The active tour's stops in order with the driver's progress from the kept outcomes,
    /// the current stop marked, and what this device recorded at each for `ride`.
    pub fn ride_follow(&self, ride: Option<Uuid>) -> Result<Vec<FollowStop>, StoreError> {
        let Some(tour_id) = self.meta("active_tour")? else {
            return Err(StoreError::NoTour);
        };
        let outcomes = self
            .ride_outcomes(&tour_id)?
            .map(|(o, _)| o)
            .unwrap_or_default();
        let mut standing: std::collections::HashSet<String> = std::collections::HashSet::new();
        for o in outcomes.iter().filter(|o| !o.undone) {
            if let (OutcomeKind::Delivered { .. } | OutcomeKind::Failed { .. }, Some(t)) =
                (&o.kind, &o.tracking_id)
            {
                standing.insert(t.clone());
            }
        }
        let local = ride.map(|r| self.ride_local(r)).transpose()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT stop_id, sequence, street, house_number, city FROM stop
             WHERE tour_id = ?1 AND removed = 0 ORDER BY sequence",
        )?;
        let stops = stmt
            .query_map([&tour_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut parcels = self.conn.prepare_cached(
            "SELECT tracking_id FROM parcel WHERE tour_id = ?1 AND stop_id = ?2 AND is_return = 0",
        )?;
        let mut out = Vec::with_capacity(stops.len());
        let mut current_marked = false;
        for (stop_id, sequence, street, house_number, city) in stops {
            let ids = parcels
                .query_map([&tour_id, &stop_id], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            let done = ids.iter().filter(|t| standing.contains(*t)).count() as u32;
            let finished = !ids.is_empty() && done as usize == ids.len();
            let current = !finished && !current_marked;
            current_marked |= current;
            let (assisted, observations) = match &local {
                Some(l) => (
                    l.assisted
                        .iter()
                        .find(|a| a.stop_id == stop_id)
                        .map(|a| a.what),
                    l.observations
                        .iter()
                        .filter(|o| o.stop_id.as_deref() == Some(stop_id.as_str()))
                        .count() as u32,
                ),
                None => (None, 0),
            };
            out.push(FollowStop {
                stop_id,
                sequence: sequence as u32,
                street,
                house_number,
                city,
                parcels: ids.len() as u32,
                parcels_done: done,
                finished,
                current,
                assisted,
                observations,
            });
        }
        Ok(out)
    }

    /// Keeps the records about the signed-in driver as the server sent them.
    pub fn ride_save_records(&mut self, records: &[RideAlongRecord]) -> Result<(), StoreError> {
        self.ride_cache_put("records", &wire(&records)?)
    }

    /// The records about the signed-in driver last received (newest first).
    pub fn ride_records(&self) -> Result<Vec<RideAlongRecord>, StoreError> {
        Ok(self
            .ride_cache_get("records")?
            .as_deref()
            .map(json)
            .transpose()?
            .unwrap_or_default())
    }
}
