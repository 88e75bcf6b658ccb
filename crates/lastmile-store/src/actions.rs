//! Driver actions. Each one is a single SQLite transaction that checks the delivery rules,
//! updates the state the screens read, and appends one event to the outbox (device id,
//! gap-free sequence, UUIDv7, device time, position, app version). Proof files are written
//! durably *before* that transaction commits, so no event ever references a missing file.

use std::cell::RefCell;

use chrono::{DateTime, Utc};
use lastmile_domain::outcome::{check_delivery, check_failure, check_pickup};
use lastmile_domain::undo::can_undo;
use lastmile_domain::{
    CardError, DeliveryMethod, Evidence, FailureReason, Fix, Geofence, NotificationCard, Outcome,
    Parcel, ParcelFlags, ParcelState, Position, RuleViolation, TimeWindow,
};
use lastmile_protocol::events::{
    BlobKindDto, BlobRefDto, CorrectedOutcomeDto, EventBody, EventEnvelope,
};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use uuid::Uuid;

use crate::convert::{
    card_to_dto, fix_to_dto, method_summary, method_to_dto, reason_summary, reason_to_dto,
};
use crate::{Store, StoreError, blobs};

/// What a proof file shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobKind {
    Photo,
    SignatureImage,
    SignatureStrokes,
    /// The notification card in the mailbox.
    CardPhoto,
}

impl BlobKind {
    fn to_dto(self) -> BlobKindDto {
        match self {
            Self::Photo => BlobKindDto::Photo,
            Self::SignatureImage => BlobKindDto::SignatureImage,
            Self::SignatureStrokes => BlobKindDto::SignatureStrokes,
            Self::CardPhoto => BlobKindDto::CardPhoto,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Self::Photo => "photo",
            Self::SignatureImage => "signature_image",
            Self::SignatureStrokes => "signature_strokes",
            Self::CardPhoto => "card_photo",
        }
    }
}

/// A proof file as captured by the camera or the signature pad.
#[derive(Debug, Clone, Copy)]
pub struct BlobInput<'a> {
    pub kind: BlobKind,
    pub bytes: &'a [u8],
}

/// A delivery as the driver entered it.
#[derive(Debug, Clone)]
pub struct Delivery<'a> {
    pub stop_id: String,
    pub tracking_id: String,
    pub method: DeliveryMethod,
    pub card: Option<NotificationCard>,
    pub id_checked: bool,
    pub blobs: Vec<BlobInput<'a>>,
}

/// A failed attempt as the driver entered it.
#[derive(Debug, Clone)]
pub struct FailedAttempt<'a> {
    pub stop_id: String,
    pub tracking_id: String,
    pub reason: FailureReason,
    pub card: Option<NotificationCard>,
    pub blobs: Vec<BlobInput<'a>>,
}

/// Something the driver should see after an action that was nevertheless recorded.
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// The position is outside the stop's geofence.
    FarFromStop { distance_m: f64, bearing_deg: f64 },
    /// The tour plans another stop first.
    OutOfOrder { planned_stop: String },
    /// Outside the parcel's (or stop's) time window.
    OutsideTimeWindow,
}

/// The result of a recorded action.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub seq: u64,
    pub event_id: Uuid,
    pub recorded_at: DateTime<Utc>,
    pub warnings: Vec<Warning>,
}

pub(crate) const OUTCOME_KINDS: [&str; 3] =
    ["parcel_delivered", "delivery_failed", "return_picked_up"];

pub(crate) fn state_code(state: ParcelState) -> &'static str {
    match state {
        ParcelState::Pending => "pending",
        ParcelState::Delivered => "delivered",
        ParcelState::Failed => "failed",
        ParcelState::PickedUp => "picked_up",
    }
}

pub(crate) fn state_from_code(code: &str) -> Result<ParcelState, StoreError> {
    Ok(match code {
        "pending" => ParcelState::Pending,
        "delivered" => ParcelState::Delivered,
        "failed" => ParcelState::Failed,
        "picked_up" => ParcelState::PickedUp,
        other => {
            return Err(StoreError::Internal(format!(
                "unknown parcel state {other:?}"
            )));
        }
    })
}

/// A planned parcel as the rules need it, with where it is and where it stands.
pub(crate) struct ParcelRow {
    pub parcel: Parcel,
    pub stop_id: String,
    pub state: ParcelState,
}

pub(crate) fn load_parcel(
    tx: &rusqlite::Connection,
    tour_id: &str,
    tracking_id: &str,
) -> Result<Option<ParcelRow>, StoreError> {
    let row = tx
        .prepare_cached(
            "SELECT stop_id, tw_start, tw_end, no_neighbour, signature_required, id_check, is_return, state
             FROM parcel WHERE tour_id = ?1 AND tracking_id = ?2 AND removed = 0",
        )?
        .query_row([tour_id, tracking_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, bool>(4)?,
                r.get::<_, bool>(5)?,
                r.get::<_, bool>(6)?,
                r.get::<_, String>(7)?,
            ))
        })
        .optional()?;
    let Some((
        stop_id,
        tw_start,
        tw_end,
        no_neighbour,
        signature_required,
        id_check,
        is_return,
        state,
    )) = row
    else {
        return Ok(None);
    };
    Ok(Some(ParcelRow {
        parcel: Parcel {
            tracking_id: tracking_id.to_owned(),
            time_window: parse_window(tw_start, tw_end)?,
            dimensions: None,
            flags: ParcelFlags {
                no_neighbour,
                signature_required,
                id_check,
            },
            is_return,
        },
        stop_id,
        state: state_from_code(&state)?,
    }))
}

pub(crate) fn parse_time(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Internal(format!("stored time {s:?}: {e}")))
}

pub(crate) fn parse_window(
    start: Option<String>,
    end: Option<String>,
) -> Result<Option<TimeWindow>, StoreError> {
    Ok(match (start, end) {
        (Some(s), Some(e)) => Some(TimeWindow {
            start: parse_time(&s)?,
            end: parse_time(&e)?,
        }),
        _ => None,
    })
}

/// SQL condition on a `stop s` row: the stop still needs the driver (status open or
/// arrived in the overview): not removed, not skipped, and a parcel still pending, or (a
/// service stop) its visit not finished, or (another stop) no parcels and not arrived yet.
/// Each part is answered by the `parcel_by_stop` index or the visit's primary key.
pub(crate) const OPEN_STOP: &str = "s.removed = 0 AND s.skipped = 0 AND (
    EXISTS (SELECT 1 FROM parcel p WHERE p.tour_id = s.tour_id AND p.stop_id = s.stop_id
            AND p.removed = 0 AND p.state = 'pending')
    OR (s.kind = 'service' AND NOT EXISTS (SELECT 1 FROM service_visit v WHERE v.tour_id = s.tour_id
            AND v.stop_id = s.stop_id AND v.finished_at IS NOT NULL))
    OR (s.kind != 'service' AND s.arrived_at IS NULL AND NOT EXISTS (SELECT 1 FROM parcel p
            WHERE p.tour_id = s.tour_id AND p.stop_id = s.stop_id AND p.removed = 0)))";

/// The first stop in planned order that still needs the driver (the "current stop"): one
/// walk along `stop_by_sequence` that stops at the first match.
pub(crate) fn first_open_stop(
    conn: &rusqlite::Connection,
    tour_id: &str,
) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT s.stop_id FROM stop s WHERE s.tour_id = ?1 AND {OPEN_STOP}
             ORDER BY s.sequence, s.stop_id LIMIT 1"
        ))?
        .query_row([tour_id], |r| r.get(0))
        .optional()?)
}

impl Store {
    /// The driver arrived at a stop (position recorded for the geofence). Revisiting a
    /// skipped stop makes it open again.
    pub fn arrive(&mut self, stop_id: &str, fix: Option<Fix>) -> Result<Recorded, StoreError> {
        self.record(fix, |tx, ctx| {
            let stop = ctx.stop(tx, stop_id)?;
            let warnings = ctx.warnings(tx, &stop, fix, None, true)?;
            tx.execute(
                "UPDATE stop SET arrived_at = coalesce(arrived_at, ?3), skipped = 0 WHERE tour_id = ?1 AND stop_id = ?2",
                params![ctx.tour_id, stop_id, ctx.now.to_rfc3339()],
            )?;
            Ok(Action::new(EventBody::StopArrived { stop_id: stop_id.to_owned() }, stop_id, None, warnings))
        })
    }

    /// The driver skips a stop for now; it can be revisited.
    pub fn skip_stop(&mut self, stop_id: &str, fix: Option<Fix>) -> Result<Recorded, StoreError> {
        self.record(fix, |tx, ctx| {
            ctx.stop(tx, stop_id)?;
            tx.execute(
                "UPDATE stop SET skipped = 1 WHERE tour_id = ?1 AND stop_id = ?2",
                [&ctx.tour_id, stop_id],
            )?;
            Ok(Action::new(
                EventBody::StopSkipped {
                    stop_id: stop_id.to_owned(),
                },
                stop_id,
                None,
                vec![],
            ))
        })
    }

    /// Records a delivery with its proof.
    pub fn deliver(&mut self, d: &Delivery<'_>, fix: Option<Fix>) -> Result<Recorded, StoreError> {
        self.record(fix, |tx, ctx| {
            let stop = ctx.stop(tx, &d.stop_id)?;
            let row = ctx.parcel_at(tx, &d.stop_id, &d.tracking_id)?;
            let evidence = Evidence {
                photos: d.blobs.iter().filter(|b| b.kind == BlobKind::Photo).count() as u32,
                signature: d.blobs.iter().any(|b| {
                    matches!(
                        b.kind,
                        BlobKind::SignatureImage | BlobKind::SignatureStrokes
                    )
                }),
                id_checked: d.id_checked,
            };
            check_delivery(&row.parcel, &d.method, d.card.as_ref(), evidence)?;
            let outcome = Outcome::Delivered {
                method: d.method.clone(),
                card: d.card.clone(),
            };
            let state = row.state.then(&outcome)?;
            let warnings = ctx.warnings(tx, &stop, fix, row.parcel.time_window, false)?;
            if let Some(card) = &d.card {
                use_card(tx, card, &ctx.event_id, &d.tracking_id)?;
            }
            let blobs = ctx.store_blobs(tx, &d.blobs)?;
            set_parcel_state(
                tx,
                &ctx.tour_id,
                &d.tracking_id,
                state,
                false,
                &method_summary(&d.method),
                &ctx.event_id,
            )?;
            let body = EventBody::ParcelDelivered {
                stop_id: d.stop_id.clone(),
                tracking_id: d.tracking_id.clone(),
                method: method_to_dto(&d.method),
                card: d.card.as_ref().map(card_to_dto),
                id_checked: d.id_checked,
                blobs,
            };
            Ok(Action::new(
                body,
                &d.stop_id,
                Some(&d.tracking_id),
                warnings,
            ))
        })
    }

    /// Records a failed attempt, with the notification card left for the recipient.
    pub fn fail(
        &mut self,
        f: &FailedAttempt<'_>,
        fix: Option<Fix>,
    ) -> Result<Recorded, StoreError> {
        self.record(fix, |tx, ctx| {
            let stop = ctx.stop(tx, &f.stop_id)?;
            let row = ctx.parcel_at(tx, &f.stop_id, &f.tracking_id)?;
            check_failure(&row.parcel, f.reason, f.card.as_ref())?;
            let outcome = Outcome::Failed {
                reason: f.reason,
                card: f.card.clone(),
            };
            let state = row.state.then(&outcome)?;
            let warnings = ctx.warnings(tx, &stop, fix, None, false)?;
            if let Some(card) = &f.card {
                use_card(tx, card, &ctx.event_id, &f.tracking_id)?;
            }
            let blobs = ctx.store_blobs(tx, &f.blobs)?;
            let summary = match &f.card {
                Some(card) => format!("{}, card {}", reason_summary(f.reason), card.number),
                None => reason_summary(f.reason).to_owned(),
            };
            set_parcel_state(
                tx,
                &ctx.tour_id,
                &f.tracking_id,
                state,
                true,
                &summary,
                &ctx.event_id,
            )?;
            let body = EventBody::DeliveryFailed {
                stop_id: f.stop_id.clone(),
                tracking_id: f.tracking_id.clone(),
                reason: reason_to_dto(f.reason),
                card: f.card.as_ref().map(card_to_dto),
                blobs,
            };
            Ok(Action::new(
                body,
                &f.stop_id,
                Some(&f.tracking_id),
                warnings,
            ))
        })
    }

    /// A return handed over at a stop: a planned return parcel, or an unplanned one by label.
    pub fn pick_up_return(
        &mut self,
        stop_id: &str,
        label: &str,
        photos: &[BlobInput<'_>],
        fix: Option<Fix>,
    ) -> Result<Recorded, StoreError> {
        self.record(fix, |tx, ctx| {
            let stop = ctx.stop(tx, stop_id)?;
            match load_parcel(tx, &ctx.tour_id, label)? {
                Some(row) => {
                    if row.stop_id != stop_id {
                        return Err(RuleViolation::WrongStop { tracking_id: label.to_owned(), belongs_to: row.stop_id }.into());
                    }
                    check_pickup(&row.parcel)?;
                    let state = row.state.then(&Outcome::PickedUp)?;
                    set_parcel_state(tx, &ctx.tour_id, label, state, false, "Return picked up", &ctx.event_id)?;
                }
                None => {
                    let already: Option<i64> = tx
                        .query_row(
                            "SELECT 1 FROM unplanned_return WHERE tour_id = ?1 AND label = ?2 AND undone = 0",
                            [&ctx.tour_id, label],
                            |r| r.get(0),
                        )
                        .optional()?;
                    if already.is_some() {
                        return Err(RuleViolation::AlreadyPickedUp.into());
                    }
                    tx.execute(
                        "INSERT INTO unplanned_return (event_id, tour_id, stop_id, label) VALUES (?1, ?2, ?3, ?4)",
                        params![ctx.event_id.to_string(), ctx.tour_id, stop_id, label],
                    )?;
                }
            }
            let warnings = ctx.warnings(tx, &stop, fix, None, false)?;
            let blobs = ctx.store_blobs(tx, photos)?;
            let body = EventBody::ReturnPickedUp { stop_id: stop_id.to_owned(), label: label.to_owned(), blobs };
            Ok(Action::new(body, stop_id, Some(label), warnings))
        })
    }

    /// Takes back the latest outcome of a parcel within the undo window: a compensating
    /// event; the original stays in history. A card used by the undone attempt stays used.
    pub fn undo(&mut self, event_id: Uuid, fix: Option<Fix>) -> Result<Recorded, StoreError> {
        self.record(fix, |tx, ctx| {
            let id = event_id.to_string();
            let row: Option<EventRow> = tx
                .query_row(
                    "SELECT kind, stop_id, tracking_id, recorded_at, undone_by FROM event WHERE event_id = ?1 AND tour_id = ?2",
                    [&id, &ctx.tour_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()?;
            let Some((kind, Some(stop_id), Some(tracking_id), recorded_at, undone_by)) = row else {
                return Err(StoreError::UnknownEvent(id));
            };
            if !OUTCOME_KINDS.contains(&kind.as_str()) || undone_by.is_some() {
                return Err(RuleViolation::NotUndoable.into());
            }
            if !can_undo(parse_time(&recorded_at)?, ctx.now) {
                return Err(RuleViolation::UndoWindowPassed.into());
            }
            let latest: Option<String> = tx
                .query_row(
                    "SELECT event_id FROM event WHERE tour_id = ?1 AND tracking_id = ?2 AND undone_by IS NULL
                     AND kind IN ('parcel_delivered', 'delivery_failed', 'return_picked_up') ORDER BY seq DESC LIMIT 1",
                    [&ctx.tour_id, &tracking_id],
                    |r| r.get(0),
                )
                .optional()?;
            if latest.as_deref() != Some(id.as_str()) {
                return Err(RuleViolation::NotUndoable.into());
            }
            tx.execute("UPDATE event SET undone_by = ?2 WHERE event_id = ?1", [&id, &ctx.event_id.to_string()])?;
            tx.execute("UPDATE unplanned_return SET undone = 1 WHERE event_id = ?1", [&id])?;
            refresh_parcel(tx, &ctx.tour_id, &tracking_id)?;
            let body = EventBody::OutcomeUndone { undone_event_id: event_id, stop_id: stop_id.clone(), tracking_id: tracking_id.clone() };
            Ok(Action::new(body, &stop_id, Some(&tracking_id), vec![]))
        })
    }

    /// Corrects an earlier outcome (after the undo window, or any time): `note` says why, and
    /// with `to` the parcel's outcome becomes that one instead (a delivery recorded as failed
    /// by mistake, the wrong method). History is not edited: the original event stays, and
    /// while it is still the parcel's latest outcome the parcel shows the correction
    /// ([`corrected_summary`], [`corrected_to_summary`]). A correction to another outcome is
    /// refused for anything but the parcel's latest delivery or failed attempt.
    pub fn correct(
        &mut self,
        event_id: Uuid,
        note: &str,
        to: Option<&Outcome>,
        fix: Option<Fix>,
    ) -> Result<Recorded, StoreError> {
        self.record(fix, |tx, ctx| {
            // Every correction says why, whether it changes the outcome or not.
            if lastmile_domain::outcome::is_blank(note) {
                return Err(RuleViolation::CorrectionReasonMissing.into());
            }
            let id = event_id.to_string();
            let row: Option<CorrectedRow> = tx
                .query_row(
                    "SELECT kind, stop_id, tracking_id, undone_by FROM event WHERE event_id = ?1",
                    [&id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            let Some((kind, stop_id, tracking_id, undone_by)) = row else {
                return Err(StoreError::UnknownEvent(id));
            };
            let outcome = match to {
                None => None,
                Some(to) => {
                    let latest = match &tracking_id {
                        Some(t) => tx
                            .query_row(
                                "SELECT outcome_event_id FROM parcel WHERE tour_id = ?1 AND tracking_id = ?2",
                                [&ctx.tour_id, t],
                                |r| r.get::<_, Option<String>>(0),
                            )
                            .optional()?
                            .flatten(),
                        None => None,
                    };
                    if !matches!(kind.as_str(), "parcel_delivered" | "delivery_failed")
                        || undone_by.is_some()
                        || latest.as_deref() != Some(id.as_str())
                    {
                        return Err(RuleViolation::NotCorrectable.into());
                    }
                    let parcel = load_parcel(tx, &ctx.tour_id, tracking_id.as_deref().unwrap_or_default())?
                        .ok_or(RuleViolation::NotCorrectable)?;
                    lastmile_domain::outcome::check_correction(&parcel.parcel, to)?;
                    Some(match to {
                        Outcome::Delivered { method, .. } => CorrectedOutcomeDto::Delivered { method: method_to_dto(method) },
                        Outcome::Failed { reason, .. } => CorrectedOutcomeDto::Failed { reason: reason_to_dto(*reason) },
                        Outcome::PickedUp => return Err(RuleViolation::NotCorrectable.into()),
                    })
                }
            };
            let body = EventBody::OutcomeCorrected {
                corrected_event_id: event_id,
                note: note.trim().to_owned(),
                outcome,
            };
            if let Some(tracking_id) = &tracking_id {
                // The parcel is the fold of its events with this correction (the same fold a
                // replay runs); a correction of a superseded attempt changes nothing here.
                let folded = crate::replay::fold_parcel_then(tx, &ctx.tour_id, tracking_id, Some((ctx.event_id.to_string(), &body)))?;
                write_folded(tx, &ctx.tour_id, tracking_id, &folded)?;
            }
            Ok(Action::new(
                body,
                stop_id.as_deref().unwrap_or(""),
                tracking_id.as_deref(),
                vec![],
            ))
        })
    }

    /// Registers the notification cards issued to the driver at check-in. Numbers already
    /// known (issued earlier, used or not) are left as they are.
    pub fn issue_cards(
        &mut self,
        numbers: &[lastmile_domain::CardNumber],
    ) -> Result<(), StoreError> {
        let now = self.now().to_rfc3339();
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx
                .prepare_cached("INSERT OR IGNORE INTO card (number, issued_at) VALUES (?1, ?2)")?;
            for n in numbers {
                insert.execute([n.as_str(), &now])?;
            }
        }
        tx.commit()?;
        self.committed();
        Ok(())
    }

    /// The transaction shared by every action: `build` checks and updates state, this
    /// appends the event with the next sequence number and commits.
    pub(crate) fn record(
        &mut self,
        fix: Option<Fix>,
        build: impl FnOnce(&Transaction<'_>, &Ctx<'_>) -> Result<Action, StoreError>,
    ) -> Result<Recorded, StoreError> {
        self.record_in(None, fix, build)
    }

    /// [`Self::record`] for an event on `tour_id` rather than the active tour (a driver's
    /// answer to a ride-along record of an earlier day).
    pub(crate) fn record_on(
        &mut self,
        tour_id: &str,
        fix: Option<Fix>,
        build: impl FnOnce(&Transaction<'_>, &Ctx<'_>) -> Result<Action, StoreError>,
    ) -> Result<Recorded, StoreError> {
        self.record_in(Some(tour_id), fix, build)
    }

    /// [`Store::record`] for the active tour (`None`) or a named one (the station tablet's
    /// events are about the driver's tour, not one on this device).
    pub(crate) fn record_in(
        &mut self,
        tour: Option<&str>,
        fix: Option<Fix>,
        build: impl FnOnce(&Transaction<'_>, &Ctx<'_>) -> Result<Action, StoreError>,
    ) -> Result<Recorded, StoreError> {
        let now = self.clock.now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Cached statements: every tap runs these two, so they are parsed once per connection.
        let tour_id: String = match tour {
            Some(t) => t.to_owned(),
            None => tx
                .prepare_cached("SELECT value FROM meta WHERE key = 'active_tour'")?
                .query_row([], |r| r.get(0))
                .optional()?
                .ok_or(StoreError::NoTour)?,
        };
        let seq: u64 = tx
            .prepare_cached("SELECT coalesce(max(seq), 0) + 1 FROM event")?
            .query_row([], |r| r.get::<_, i64>(0))? as u64;
        let ctx = Ctx {
            tour_id,
            now,
            event_id: Uuid::now_v7(),
            seq,
            blob_dir: &self.blob_dir,
            created_blobs: RefCell::new(Vec::new()),
        };
        let by = Recorder {
            device_id: &self.device_id,
            app_version: &self.app_version,
            person: self.person.as_ref(),
        };
        let written = Self::append_event(&tx, &ctx, build, fix, &by);
        let warnings = match written {
            Ok(warnings) => warnings,
            Err(e) => {
                // Rolled back: nothing references the files this action created.
                drop(tx);
                blobs::discard(&self.blob_dir, &ctx.created_blobs.borrow());
                return Err(e);
            }
        };
        if let Err(e) = tx.commit() {
            // A failed COMMIT is rolled back; keep the files anyway if the event is somehow
            // there, so no event can ever reference a missing file.
            let recorded = self
                .conn
                .prepare_cached("SELECT 1 FROM event WHERE event_id = ?1")
                .and_then(|mut s| s.exists([ctx.event_id.to_string()]));
            if matches!(recorded, Ok(false)) {
                blobs::discard(&self.blob_dir, &ctx.created_blobs.borrow());
            }
            return Err(e.into());
        }
        self.committed();
        Ok(Recorded {
            seq,
            event_id: ctx.event_id,
            recorded_at: now,
            warnings,
        })
    }

    /// Runs the action's checks and updates, then appends its event (inside `tx`); returns
    /// the action's warnings.
    fn append_event(
        tx: &Transaction<'_>,
        ctx: &Ctx<'_>,
        build: impl FnOnce(&Transaction<'_>, &Ctx<'_>) -> Result<Action, StoreError>,
        fix: Option<Fix>,
        by: &Recorder<'_>,
    ) -> Result<Vec<Warning>, StoreError> {
        let Action {
            body,
            stop_id,
            tracking_id,
            warnings,
        } = build(tx, ctx)?;
        let (seq, now) = (ctx.seq, ctx.now);
        let envelope = EventEnvelope {
            event_id: ctx.event_id,
            device_id: by.device_id.to_owned(),
            seq,
            tour_id: ctx.tour_id.clone(),
            recorded_at: now,
            position: fix.map(fix_to_dto),
            app_version: by.app_version.to_owned(),
            recorded_by: by.person.cloned(),
            body,
        };
        let json = serde_json::to_string(&envelope)
            .map_err(|e| StoreError::Internal(format!("event to JSON: {e}")))?;
        tx.prepare_cached(
            "INSERT INTO event (seq, event_id, tour_id, kind, stop_id, tracking_id, recorded_at, envelope, recorded_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            seq as i64,
            ctx.event_id.to_string(),
            ctx.tour_id,
            envelope.body.kind(),
            // A ride-along observation for the whole day has no stop.
            (!stop_id.is_empty()).then_some(stop_id.as_str()),
            tracking_id,
            now.to_rfc3339(),
            json,
            by.person.map(|p| p.user_id.as_str())
        ])?;
        Ok(warnings)
    }
}

/// kind, stop id, tracking id, undone by: the event a correction names.
type CorrectedRow = (String, Option<String>, Option<String>, Option<String>);

/// The one-line outcome of a parcel whose latest outcome was corrected with a note only.
pub(crate) fn corrected_summary(note: &str) -> String {
    format!("Corrected: {}", note.trim())
}

/// The one-line outcome of a parcel whose outcome a correction replaced: the new outcome's
/// summary and the driver's reason.
pub(crate) fn corrected_to_summary(summary: &str, note: &str) -> String {
    format!("{summary} (corrected: {})", note.trim())
}

/// kind, stop id, tracking id, recorded at, undone by.
type EventRow = (
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
);

/// What an action contributes to its event.
pub(crate) struct Action {
    body: EventBody,
    stop_id: String,
    tracking_id: Option<String>,
    warnings: Vec<Warning>,
}

impl Action {
    pub(crate) fn new(
        body: EventBody,
        stop_id: &str,
        tracking_id: Option<&str>,
        warnings: Vec<Warning>,
    ) -> Self {
        Self {
            body,
            stop_id: stop_id.to_owned(),
            tracking_id: tracking_id.map(str::to_owned),
            warnings,
        }
    }
}

/// Who an event is recorded by: this device, this app, the person signed in.
struct Recorder<'a> {
    device_id: &'a str,
    app_version: &'a str,
    person: Option<&'a lastmile_protocol::events::Person>,
}

/// Facts fixed for the duration of one action.
pub(crate) struct Ctx<'a> {
    pub(crate) tour_id: String,
    pub(crate) now: DateTime<Utc>,
    pub(crate) event_id: Uuid,
    seq: u64,
    blob_dir: &'a crate::blobs::BlobFiles,
    /// Blob files this action created (removed again if the action is not recorded).
    created_blobs: RefCell<Vec<String>>,
}

pub(crate) struct StopRow {
    stop_id: String,
    position: Position,
    window: Option<TimeWindow>,
}

impl Ctx<'_> {
    pub(crate) fn stop(&self, tx: &Transaction<'_>, stop_id: &str) -> Result<StopRow, StoreError> {
        let row = tx
            .prepare_cached("SELECT lat, lon, tw_start, tw_end FROM stop WHERE tour_id = ?1 AND stop_id = ?2 AND removed = 0")?
            .query_row([&self.tour_id, stop_id], |r| {
                Ok((r.get::<_, f64>(0)?, r.get::<_, f64>(1)?, r.get::<_, Option<String>>(2)?, r.get::<_, Option<String>>(3)?))
            })
            .optional()?;
        let (lat, lon, s, e) = row.ok_or_else(|| RuleViolation::UnknownStop(stop_id.to_owned()))?;
        Ok(StopRow {
            stop_id: stop_id.to_owned(),
            position: Position { lat, lon },
            window: parse_window(s, e)?,
        })
    }

    /// The parcel, refused with the right stop named when it belongs elsewhere.
    fn parcel_at(
        &self,
        tx: &Transaction<'_>,
        stop_id: &str,
        tracking_id: &str,
    ) -> Result<ParcelRow, StoreError> {
        let row = load_parcel(tx, &self.tour_id, tracking_id)?
            .ok_or_else(|| RuleViolation::UnknownParcel(tracking_id.to_owned()))?;
        if row.stop_id != stop_id {
            return Err(RuleViolation::WrongStop {
                tracking_id: tracking_id.to_owned(),
                belongs_to: row.stop_id,
            }
            .into());
        }
        Ok(row)
    }

    pub(crate) fn warnings(
        &self,
        tx: &Transaction<'_>,
        stop: &StopRow,
        fix: Option<Fix>,
        parcel_window: Option<TimeWindow>,
        check_order: bool,
    ) -> Result<Vec<Warning>, StoreError> {
        let mut warnings = Vec::new();
        if let Some(fix) = fix {
            let fence = Geofence::check(fix, stop.position);
            if !fence.inside {
                warnings.push(Warning::FarFromStop {
                    distance_m: fence.distance_m,
                    bearing_deg: fence.bearing_deg,
                });
            }
        }
        // Order is checked on arrival only: that is where the driver decides to go elsewhere,
        // and it keeps a scan of the tour off the outcome path.
        if check_order
            && let Some(planned) = first_open_stop(tx, &self.tour_id)?
            && planned != stop.stop_id
        {
            warnings.push(Warning::OutOfOrder {
                planned_stop: planned,
            });
        }
        if let Some(w) = parcel_window.or(stop.window)
            && !w.contains(self.now)
        {
            warnings.push(Warning::OutsideTimeWindow);
        }
        Ok(warnings)
    }

    /// Writes the proof files durably and tracks them for upload; returns the event's refs.
    pub(crate) fn store_blobs(
        &self,
        tx: &Transaction<'_>,
        inputs: &[BlobInput<'_>],
    ) -> Result<Vec<BlobRefDto>, StoreError> {
        let mut refs = Vec::with_capacity(inputs.len());
        for input in inputs {
            let blobs::Written { hash, created } = blobs::write(self.blob_dir, input.bytes)?;
            if created {
                self.created_blobs.borrow_mut().push(hash.clone());
            }
            tx.prepare_cached(
                "INSERT INTO blob (sha256, kind, bytes, first_seq) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (sha256) DO NOTHING",
            )?
            .execute(params![hash, input.kind.code(), input.bytes.len() as i64, self.seq as i64])?;
            refs.push(BlobRefDto {
                sha256: hash,
                kind: input.kind.to_dto(),
                bytes: input.bytes.len() as u64,
            });
        }
        Ok(refs)
    }
}

fn use_card(
    tx: &Transaction<'_>,
    card: &NotificationCard,
    event_id: &Uuid,
    tracking_id: &str,
) -> Result<(), StoreError> {
    let number = card.number.as_str();
    let used: Option<Option<String>> = tx
        .prepare_cached("SELECT used_event_id FROM card WHERE number = ?1")?
        .query_row([number], |r| r.get(0))
        .optional()?;
    match used {
        None => Err(CardError::NotIssued(number.to_owned()).into()),
        Some(Some(_)) => Err(CardError::AlreadyUsed(number.to_owned()).into()),
        Some(None) => {
            tx.prepare_cached(
                "UPDATE card SET used_event_id = ?2, tracking_id = ?3 WHERE number = ?1",
            )?
            .execute([number, &event_id.to_string(), tracking_id])?;
            Ok(())
        }
    }
}

fn set_parcel_state(
    tx: &Transaction<'_>,
    tour_id: &str,
    tracking_id: &str,
    state: ParcelState,
    failed_attempt: bool,
    summary: &str,
    event_id: &Uuid,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE parcel SET state = ?3, attempts = attempts + ?4, outcome_summary = ?5, outcome_event_id = ?6
         WHERE tour_id = ?1 AND tracking_id = ?2",
    )?
    .execute(params![tour_id, tracking_id, state_code(state), failed_attempt as i64, summary, event_id.to_string()])?;
    Ok(())
}

/// Re-derives a parcel's state from its outcome events that were not undone (after an undo).
pub(crate) fn refresh_parcel(
    conn: &rusqlite::Connection,
    tour_id: &str,
    tracking_id: &str,
) -> Result<(), StoreError> {
    let folded = crate::replay::fold_parcel(conn, tour_id, tracking_id)?;
    write_folded(conn, tour_id, tracking_id, &folded)
}

/// Writes a parcel's folded state into the table the screens read.
fn write_folded(
    conn: &rusqlite::Connection,
    tour_id: &str,
    tracking_id: &str,
    folded: &crate::replay::Folded,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE parcel SET state = ?3, attempts = ?4, outcome_summary = ?5, outcome_event_id = ?6
         WHERE tour_id = ?1 AND tracking_id = ?2",
    )?
    .execute(params![
        tour_id,
        tracking_id,
        state_code(folded.state),
        folded.attempts,
        folded.summary,
        folded.last_event_id
    ])?;
    Ok(())
}
