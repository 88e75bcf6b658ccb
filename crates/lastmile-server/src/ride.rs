//! The supervisor ride-along on the server: the rules its events must keep, the record folded
//! from them, checklist templates, the station's day view and the pace with and without
//! assisted stops.
//!
//! Ride-along events come through [`crate::events::apply_batch`] like every other event
//! (exactly once per device sequence, `tour_id` = the driver's tour). [`validate`] judges one
//! against the record as it stands (inside the batch's transaction, so the events of one
//! batch see each other), [`apply`] moves the record's row in `ride_alongs` on. The entries
//! (observations, grades, assisted stops, signatures) stay the applied events themselves and
//! are folded on read ([`record`]).
//!
//! Who may write what: a supervisor only records for a driver they ride with (`rides_with`,
//! through [`crate::auth::may_see`] on the driver's tour), and only on their own records; the
//! driver answers (comment and signature, or a declined signature with a comment) only on a
//! record about them, and only after the supervisor signed. Once both answered the record is
//! final and refuses every further event; a change is a new record that amends it. A grade
//! names its template version and must be an item and a grade of that version.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use lastmile_protocol::auth::Role;
use lastmile_protocol::dispatch::OutcomeKind;
use lastmile_protocol::events::{BlobKindDto, BlobRefDto, EventBody, EventEnvelope, Person};
use lastmile_protocol::ride::{
    AssistView, ChecklistTemplate, DriverAnswerView, GradeView, MAX_TEXT_CHARS, ObservationView,
    PaceFigures, PaceView, RideAlongRecord, RideAlongSummary, RideStatusDto, SignatureView,
};
use uuid::Uuid;

use crate::auth::Principal;
use crate::db::{Tx, V, row_struct};
use crate::error::{ApiError, ApiResult};
use crate::tours::{TourRow, visible};
use crate::{ServerState, ms_to_time};

/// The `kind` column of the ride-along events (see `EventBody::kind`).
pub const KINDS: [&str; 8] = [
    "ride_along_started",
    "ride_observation",
    "ride_checklist_graded",
    "ride_stop_assisted",
    "ride_supervisor_signed",
    "ride_driver_signed",
    "ride_driver_declined",
    "ride_along_amended",
];

/// A refusal of one event: its stable code and what to tell the person.
pub type Refusal = (&'static str, String);

row_struct! {
    /// A ride-along record's row.
    struct RideRow {
        ride_along_id: String,
        tour_id: String,
        station_id: String,
        tour_date: String,
        driver_id: String,
        supervisor_id: String,
        status: String,
        started_at: i64,
        amends: Option<String>,
        template_id: Option<String>,
        template_version: Option<i64>,
    }
}

impl RideRow {
    fn status(&self) -> ApiResult<RideStatusDto> {
        RideStatusDto::parse(&self.status)
            .ok_or_else(|| ApiError::Internal(format!("stored ride-along status {}", self.status)))
    }
}

const RIDE_COLUMNS: &str = "ride_along_id, tour_id, station_id, tour_date, driver_id, supervisor_id, status, started_at, amends, template_id, template_version";

async fn load_ride(tx: &mut Tx, id: &Uuid) -> ApiResult<Option<RideRow>> {
    Ok(tx
        .one_as(
            &format!("SELECT {RIDE_COLUMNS} FROM ride_alongs WHERE ride_along_id = $1"),
            &[V::from(id.to_string())],
        )
        .await?)
}

/// The code for a ride-along event on a tour its recorder may not see: a supervisor who does
/// not ride with the tour's driver, or a driver on somebody else's tour.
pub fn not_visible(person: &Person, tour_id: &str) -> Refusal {
    match person.role {
        Role::Supervisor => (
            "not_riding_with",
            format!(
                "{} does not ride with the driver of tour {tour_id}",
                person.user_id
            ),
        ),
        _ => (
            "not_your_record",
            format!("tour {tour_id} is not {}'s", person.user_id),
        ),
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn too_long(s: &str) -> bool {
    s.chars().count() > MAX_TEXT_CHARS
}

fn text_problem(what: &str, text: Option<&str>) -> Option<Refusal> {
    text.filter(|t| too_long(t)).map(|_| {
        (
            "text_too_long",
            format!("the {what} is longer than {MAX_TEXT_CHARS} characters"),
        )
    })
}

/// A signature is there when the pad's image is (strokes alone do not show a signature).
fn blank_signature(blobs: &[BlobRefDto]) -> bool {
    !blobs
        .iter()
        .any(|b| b.kind == BlobKindDto::SignatureImage && b.bytes > 0)
}

fn refuse(code: &'static str, message: impl Into<String>) -> ApiResult<Option<Refusal>> {
    Ok(Some((code, message.into())))
}

/// Judges one ride-along event of `person` on `tour` (which they may see). `None`: it may be
/// applied. The generic checks (stop on the tour, blob hashes) are the caller's.
pub async fn validate(
    tx: &mut Tx,
    person: &Person,
    tour: &TourRow,
    ev: &EventEnvelope,
) -> ApiResult<Option<Refusal>> {
    let is_supervisor = person.role == Role::Supervisor;
    let supervisor_only = || {
        refuse(
            "supervisor_only",
            "only the supervisor riding along records this",
        )
    };
    match &ev.body {
        EventBody::RideAlongStarted {
            ride_along_id,
            supervisor_id,
            driver_id,
        } => {
            if !is_supervisor {
                return supervisor_only();
            }
            if *supervisor_id != person.user_id {
                return refuse(
                    "supervisor_mismatch",
                    format!(
                        "{} cannot start a ride-along as {supervisor_id}",
                        person.user_id
                    ),
                );
            }
            if *driver_id != tour.driver_id {
                return refuse(
                    "driver_mismatch",
                    format!(
                        "tour {} is {}'s, not {driver_id}'s",
                        ev.tour_id, tour.driver_id
                    ),
                );
            }
            let day = ev.recorded_at.date_naive();
            if (tour.plan.date - day).num_days().abs() > 1 {
                return refuse(
                    "tour_not_today",
                    format!(
                        "tour {} is of {}, the ride-along started on {day}",
                        ev.tour_id, tour.plan.date
                    ),
                );
            }
            if load_ride(tx, ride_along_id).await?.is_some() {
                return refuse("ride_along_exists", "a ride-along with this id exists");
            }
            Ok(None)
        }
        EventBody::RideAlongAmended {
            ride_along_id,
            amends,
            reason,
        } => {
            if !is_supervisor {
                return supervisor_only();
            }
            let Some(old) = load_ride(tx, amends)
                .await?
                .filter(|r| r.tour_id == ev.tour_id)
            else {
                return refuse(
                    "unknown_ride_along",
                    format!("no ride-along {amends} on tour {}", ev.tour_id),
                );
            };
            if old.supervisor_id != person.user_id {
                return refuse(
                    "not_your_record",
                    format!("ride-along {amends} is {}'s record", old.supervisor_id),
                );
            }
            if !old.status()?.is_final() {
                return refuse(
                    "record_not_final",
                    "only a final record is amended; this one still takes changes",
                );
            }
            if blank(reason) {
                return refuse("blank_text", "say why the record is amended");
            }
            if let Some(r) = text_problem("reason", Some(reason)) {
                return Ok(Some(r));
            }
            if load_ride(tx, ride_along_id).await?.is_some() {
                return refuse("ride_along_exists", "a ride-along with this id exists");
            }
            Ok(None)
        }
        body => {
            let Some(id) = body.ride_along_id() else {
                return Ok(None);
            };
            let Some(ride) = load_ride(tx, &id).await? else {
                return refuse("unknown_ride_along", format!("no ride-along {id}"));
            };
            let drivers = matches!(
                body,
                EventBody::RideDriverSigned { .. } | EventBody::RideDriverDeclined { .. }
            );
            // Whose record it is comes first: nobody learns more about another's record.
            if drivers {
                if person.role != Role::Driver {
                    return refuse("driver_only", "only the driver answers the record");
                }
                if ride.driver_id != person.user_id {
                    return refuse(
                        "not_your_record",
                        format!("ride-along {id} is not about {}", person.user_id),
                    );
                }
            } else {
                if !is_supervisor {
                    return supervisor_only();
                }
                if ride.supervisor_id != person.user_id {
                    return refuse(
                        "not_your_record",
                        format!("ride-along {id} is not {}'s record", person.user_id),
                    );
                }
            }
            if ride.tour_id != ev.tour_id {
                return refuse(
                    "unknown_ride_along",
                    format!("ride-along {id} is not on tour {}", ev.tour_id),
                );
            }
            let status = ride.status()?;
            if status.is_final() {
                return refuse(
                    "record_final",
                    "the record is signed by both (or declined) and takes no more changes; amend it with a new record",
                );
            }
            if drivers {
                if status != RideStatusDto::AwaitingDriver {
                    return refuse(
                        "supervisor_not_signed",
                        "the supervisor has not signed the record yet",
                    );
                }
            } else if status != RideStatusDto::Running {
                return refuse(
                    "record_signed",
                    "the supervisor signed the record; it takes no more entries",
                );
            }
            entry_problem(tx, &ride, body).await
        }
    }
}

/// The rules of one entry of a record that takes entries.
async fn entry_problem(
    tx: &mut Tx,
    ride: &RideRow,
    body: &EventBody,
) -> ApiResult<Option<Refusal>> {
    match body {
        EventBody::RideObservation { text, .. } => {
            if blank(text) {
                return refuse("blank_text", "an observation needs a text");
            }
            Ok(text_problem("observation", Some(text)))
        }
        EventBody::RideChecklistGraded {
            template_id,
            template_version,
            item_id,
            grade,
            note,
            ..
        } => {
            let Some(template) = template(tx, template_id, *template_version).await? else {
                return refuse(
                    "unknown_template",
                    format!("no checklist template {template_id} version {template_version}"),
                );
            };
            if template
                .station_id
                .as_ref()
                .is_some_and(|s| *s != ride.station_id)
            {
                return refuse(
                    "unknown_template",
                    format!("template {template_id} is another station's"),
                );
            }
            if let (Some(t), Some(v)) = (&ride.template_id, ride.template_version)
                && (t != template_id || v != i64::from(*template_version))
            {
                return refuse(
                    "template_mismatch",
                    format!("this record is graded under {t} version {v}"),
                );
            }
            if template.item(item_id).is_none() {
                return refuse(
                    "unknown_checklist_item",
                    format!(
                        "template {template_id} version {template_version} has no item {item_id}"
                    ),
                );
            }
            if !template.grades.contains(grade) {
                return refuse(
                    "grade_not_in_template",
                    format!(
                        "template {template_id} version {template_version} does not grade {}",
                        grade.as_str()
                    ),
                );
            }
            Ok(text_problem("note", note.as_deref()))
        }
        EventBody::RideSupervisorSigned {
            coaching_notes,
            signature,
            ..
        } => {
            if blank_signature(signature) {
                return refuse("blank_signature", "the supervisor's signature is missing");
            }
            Ok(text_problem("coaching notes", Some(coaching_notes)))
        }
        EventBody::RideDriverSigned {
            comment, signature, ..
        } => {
            if blank_signature(signature) {
                return refuse("blank_signature", "the driver's signature is missing");
            }
            Ok(text_problem("comment", comment.as_deref()))
        }
        EventBody::RideDriverDeclined { comment, .. } => {
            if blank(comment) {
                return refuse(
                    "blank_comment",
                    "a driver who declines to sign says why in a comment",
                );
            }
            Ok(text_problem("comment", Some(comment)))
        }
        _ => Ok(None),
    }
}

row_struct! {
    /// Where and when a tour is.
    struct TourPlace {
        station_id: String,
        tour_date: String,
    }
}

async fn insert_ride(tx: &mut Tx, values: &[V]) -> ApiResult<()> {
    tx.exec(
        "INSERT INTO ride_alongs (ride_along_id, tour_id, station_id, tour_date, driver_id, supervisor_id, status,
           started_at, amends) VALUES ($1, $2, $3, $4, $5, $6, 'running', $7, $8)",
        values,
    )
    .await?;
    Ok(())
}

/// Moves the record's row on after an applied ride-along event (same transaction).
pub async fn apply(tx: &mut Tx, ev: &EventEnvelope) -> ApiResult<()> {
    let at = V::I(ev.recorded_at.timestamp_millis());
    match &ev.body {
        EventBody::RideAlongStarted {
            ride_along_id,
            supervisor_id,
            driver_id,
        } => {
            let tour = tx
                .one_as::<TourPlace>(
                    "SELECT station_id, tour_date FROM tours WHERE tour_id = $1",
                    &[V::from(&ev.tour_id)],
                )
                .await?
                .ok_or_else(|| ApiError::Internal(format!("tour {} vanished", ev.tour_id)))?;
            insert_ride(
                tx,
                &[
                    V::from(ride_along_id.to_string()),
                    V::from(&ev.tour_id),
                    V::from(tour.station_id),
                    V::from(tour.tour_date),
                    V::from(driver_id),
                    V::from(supervisor_id),
                    at,
                    V::N,
                ],
            )
            .await?;
        }
        EventBody::RideAlongAmended {
            ride_along_id,
            amends,
            ..
        } => {
            let old = load_ride(tx, amends)
                .await?
                .ok_or_else(|| ApiError::Internal(format!("ride-along {amends} vanished")))?;
            insert_ride(
                tx,
                &[
                    V::from(ride_along_id.to_string()),
                    V::from(old.tour_id),
                    V::from(old.station_id),
                    V::from(old.tour_date),
                    V::from(old.driver_id),
                    V::from(old.supervisor_id),
                    at,
                    V::from(amends.to_string()),
                ],
            )
            .await?;
        }
        EventBody::RideChecklistGraded {
            ride_along_id,
            template_id,
            template_version,
            ..
        } => {
            tx.exec(
                "UPDATE ride_alongs SET template_id = $1, template_version = $2 WHERE ride_along_id = $3 AND template_id IS NULL",
                &[
                    V::from(template_id),
                    V::I(i64::from(*template_version)),
                    V::from(ride_along_id.to_string()),
                ],
            )
            .await?;
        }
        EventBody::RideSupervisorSigned { ride_along_id, .. } => {
            tx.exec(
                "UPDATE ride_alongs SET status = 'awaiting_driver', supervisor_signed_at = $1 WHERE ride_along_id = $2",
                &[at, V::from(ride_along_id.to_string())],
            )
            .await?;
        }
        EventBody::RideDriverSigned { ride_along_id, .. }
        | EventBody::RideDriverDeclined { ride_along_id, .. } => {
            let status = if matches!(ev.body, EventBody::RideDriverSigned { .. }) {
                RideStatusDto::Signed
            } else {
                RideStatusDto::Declined
            };
            tx.exec(
                "UPDATE ride_alongs SET status = $1, driver_answered_at = $2 WHERE ride_along_id = $3",
                &[
                    V::from(status.as_str()),
                    at,
                    V::from(ride_along_id.to_string()),
                ],
            )
            .await?;
        }
        _ => {}
    }
    Ok(())
}

// ---------------------------------------------------------------- templates

row_struct! {
    /// A stored checklist template.
    struct TemplateRow {
        station_id: Option<String>,
        body_json: String,
    }
}

fn template_from(row: TemplateRow) -> ApiResult<ChecklistTemplate> {
    let mut t: ChecklistTemplate = serde_json::from_str(&row.body_json)?;
    t.station_id = row.station_id;
    Ok(t)
}

async fn template(tx: &mut Tx, id: &str, version: u32) -> ApiResult<Option<ChecklistTemplate>> {
    tx.one_as::<TemplateRow>(
        "SELECT station_id, body_json FROM checklist_templates WHERE template_id = $1 AND version = $2",
        &[V::from(id), V::I(i64::from(version))],
    )
    .await?
    .map(template_from)
    .transpose()
}

/// The station's current template: its most recently stored one, else the default.
async fn current_template(tx: &mut Tx, station_id: &str) -> ApiResult<ChecklistTemplate> {
    tx.one_as::<TemplateRow>(
        "SELECT station_id, body_json FROM checklist_templates WHERE station_id = $1 OR station_id IS NULL
         ORDER BY CASE WHEN station_id IS NULL THEN 1 ELSE 0 END, stored_at DESC, version DESC LIMIT 1",
        &[V::from(station_id)],
    )
    .await?
    .map(template_from)
    .transpose()?
    .ok_or_else(|| ApiError::Internal("no default checklist template".into()))
}

/// `GET` [`lastmile_protocol::ride::TEMPLATE`].
pub async fn station_template(state: &ServerState, p: &Principal) -> ApiResult<ChecklistTemplate> {
    let mut tx = state.db.begin().await?;
    current_template(&mut tx, &p.station_id).await
}

/// A station lead stores a new template version for their station (`POST`
/// [`lastmile_protocol::ride::STATION_TEMPLATES`]). The same (id, version) again with the
/// same content is a no-op; with other content it is refused: a stored version never changes.
pub async fn put_template(
    state: &ServerState,
    p: &Principal,
    mut t: ChecklistTemplate,
) -> ApiResult<ChecklistTemplate> {
    if p.role != Role::Station {
        return Err(ApiError::forbidden(
            "dispatch_only",
            "only station sessions store checklist templates",
        ));
    }
    if t.station_id.as_ref().is_some_and(|s| *s != p.station_id) {
        return Err(ApiError::forbidden(
            "wrong_station",
            "a station stores templates for itself only",
        ));
    }
    t.station_id = Some(p.station_id.clone());
    if let Some(problem) = t.problem() {
        return Err(ApiError::unprocessable("bad_template", problem));
    }
    let mut tx = state.db.begin().await?;
    let same_id = tx
        .query_as::<TemplateRow>(
            "SELECT station_id, body_json FROM checklist_templates WHERE template_id = $1",
            &[V::from(&t.template_id)],
        )
        .await?;
    if same_id
        .iter()
        .any(|r| r.station_id.as_deref() != Some(p.station_id.as_str()))
    {
        return Err(ApiError::conflict(
            "template_id_taken",
            format!("template id {} belongs to another station", t.template_id),
        ));
    }
    if let Some(stored) = template(&mut tx, &t.template_id, t.version).await? {
        if stored == t {
            return Ok(stored);
        }
        return Err(ApiError::conflict(
            "template_version_exists",
            format!(
                "{} version {} is stored with other content; a change is a new version",
                t.template_id, t.version
            ),
        ));
    }
    let mut body = t.clone();
    body.station_id = None;
    tx.exec(
        "INSERT INTO checklist_templates (template_id, version, station_id, body_json, stored_at) VALUES ($1, $2, $3, $4, $5)",
        &[
            V::from(&t.template_id),
            V::I(i64::from(t.version)),
            V::from(&p.station_id),
            V::from(serde_json::to_string(&body)?),
            V::I(state.now_ms()),
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(t)
}

// ---------------------------------------------------------------- reads

fn may_read(p: &Principal, ride: &RideRow) -> bool {
    match p.role {
        Role::Driver | Role::Flex => p.user_id == ride.driver_id && p.station_id == ride.station_id,
        Role::Supervisor => p.user_id == ride.supervisor_id && p.station_id == ride.station_id,
        Role::Station => p.station_id == ride.station_id,
    }
}

row_struct! {
    /// An applied ride-along event of a tour.
    struct RideEvent {
        body_json: String,
    }
}

/// The applied ride-along events of a tour, in the order they were applied.
async fn ride_events(tx: &mut Tx, tour_id: &str) -> ApiResult<Vec<EventEnvelope>> {
    let kinds = KINDS
        .iter()
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = tx
        .query_as::<RideEvent>(
            &format!(
                "SELECT body_json FROM events WHERE tour_id = $1 AND status = 'applied' AND kind IN ({kinds})
                 ORDER BY received_at, device_id, seq"
            ),
            &[V::from(tour_id)],
        )
        .await?;
    rows.iter()
        .map(|r| Ok(serde_json::from_str(&r.body_json)?))
        .collect()
}

async fn fold(tx: &mut Tx, ride: RideRow) -> ApiResult<RideAlongRecord> {
    let id: Uuid = ride
        .ride_along_id
        .parse()
        .map_err(|e| ApiError::Internal(format!("stored ride-along id: {e}")))?;
    let events = ride_events(tx, &ride.tour_id).await?;
    let mut observations = Vec::new();
    let mut grades: BTreeMap<String, GradeView> = BTreeMap::new();
    let mut assisted: Vec<AssistView> = Vec::new();
    let mut coaching_notes = None;
    let mut supervisor_signature = None;
    let mut driver_answer = None;
    let mut amended_by = Vec::new();
    for ev in &events {
        if let EventBody::RideAlongAmended {
            ride_along_id,
            amends,
            ..
        } = &ev.body
            && *amends == id
        {
            amended_by.push(*ride_along_id);
        }
        if ev.body.ride_along_id() != Some(id) {
            continue;
        }
        match &ev.body {
            EventBody::RideObservation {
                stop_id,
                category,
                text,
                photo,
                ..
            } => observations.push(ObservationView {
                event_id: ev.event_id,
                stop_id: stop_id.clone(),
                category: *category,
                text: text.clone(),
                photo: photo.clone(),
                recorded_at: ev.recorded_at,
            }),
            EventBody::RideChecklistGraded {
                item_id,
                grade,
                note,
                ..
            } => {
                grades.insert(
                    item_id.clone(),
                    GradeView {
                        item_id: item_id.clone(),
                        grade: *grade,
                        note: note.clone().filter(|n| !blank(n)),
                        recorded_at: ev.recorded_at,
                    },
                );
            }
            EventBody::RideStopAssisted { stop_id, what, .. } => {
                // The latest mark of a stop says how the supervisor helped there.
                assisted.retain(|a| a.stop_id != *stop_id);
                assisted.push(AssistView {
                    stop_id: stop_id.clone(),
                    what: *what,
                    recorded_at: ev.recorded_at,
                });
            }
            EventBody::RideSupervisorSigned {
                coaching_notes: notes,
                signature,
                ..
            } => {
                coaching_notes = Some(notes.clone()).filter(|n| !blank(n));
                supervisor_signature = Some(SignatureView {
                    signed_at: ev.recorded_at,
                    blobs: signature.clone(),
                });
            }
            EventBody::RideDriverSigned {
                comment, signature, ..
            } => {
                driver_answer = Some(DriverAnswerView {
                    signed: true,
                    comment: comment.clone().filter(|c| !blank(c)),
                    signature: Some(SignatureView {
                        signed_at: ev.recorded_at,
                        blobs: signature.clone(),
                    }),
                    answered_at: ev.recorded_at,
                });
            }
            EventBody::RideDriverDeclined { comment, .. } => {
                driver_answer = Some(DriverAnswerView {
                    signed: false,
                    comment: Some(comment.clone()),
                    signature: None,
                    answered_at: ev.recorded_at,
                });
            }
            _ => {}
        }
    }
    let template = match (&ride.template_id, ride.template_version) {
        (Some(t), Some(v)) => template(tx, t, u32::try_from(v).unwrap_or(0)).await?,
        _ => Some(current_template(tx, &ride.station_id).await?),
    };
    // Grades in the template's order.
    let mut grades: Vec<GradeView> = grades.into_values().collect();
    if let Some(t) = &template {
        let order: HashMap<&str, usize> = t
            .items()
            .enumerate()
            .map(|(i, item)| (item.item_id.as_str(), i))
            .collect();
        grades.sort_by_key(|g| order.get(g.item_id.as_str()).copied().unwrap_or(usize::MAX));
    }
    let pace = pace_of(tx, &ride.tour_id).await?;
    let summary = RideAlongSummary {
        ride_along_id: id,
        tour_id: ride.tour_id.clone(),
        tour_date: ride.tour_date.parse::<NaiveDate>().unwrap_or_default(),
        driver_id: ride.driver_id.clone(),
        supervisor_id: ride.supervisor_id.clone(),
        status: ride.status()?,
        started_at: ms_to_time(ride.started_at),
        amends: ride.amends.as_deref().and_then(|a| a.parse().ok()),
        observations: observations.len() as u32,
        grades: grades.len() as u32,
        assisted_stops: assisted.len() as u32,
    };
    Ok(RideAlongRecord {
        summary,
        station_id: ride.station_id,
        observations,
        grades,
        template,
        assisted,
        coaching_notes,
        supervisor_signature,
        driver_answer,
        amended_by,
        pace,
    })
}

/// One record, for its supervisor, its driver and the leads of its station.
pub async fn record(state: &ServerState, p: &Principal, id: &str) -> ApiResult<RideAlongRecord> {
    let id: Uuid = id
        .parse()
        .map_err(|_| ApiError::bad_request("bad_path", "a ride-along id is a UUID"))?;
    let mut tx = state.db.begin().await?;
    let ride = load_ride(&mut tx, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("unknown_ride_along", format!("no ride-along {id}")))?;
    if !may_read(p, &ride) {
        return Err(ApiError::forbidden(
            "not_your_record",
            "this ride-along record is not yours to read",
        ));
    }
    fold(&mut tx, ride).await
}

/// The caller's records, newest first: a driver's records about them, a supervisor's own.
pub async fn mine(state: &ServerState, p: &Principal) -> ApiResult<Vec<RideAlongRecord>> {
    let column = match p.role {
        Role::Driver | Role::Flex => "driver_id",
        Role::Supervisor => "supervisor_id",
        Role::Station => {
            return Err(ApiError::forbidden(
                "dispatch_only",
                "a station reads its ride-alongs by day (/v1/dispatch/ride-alongs)",
            ));
        }
    };
    let mut tx = state.db.begin().await?;
    let rows = tx
        .query_as::<RideRow>(
            &format!(
                "SELECT {RIDE_COLUMNS} FROM ride_alongs WHERE {column} = $1 AND station_id = $2
                 ORDER BY started_at DESC, ride_along_id DESC LIMIT 100"
            ),
            &[V::from(&p.user_id), V::from(&p.station_id)],
        )
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(fold(&mut tx, r).await?);
    }
    Ok(out)
}

/// A station lead's view of the station's ride-alongs of `date` (default: today).
pub async fn station_day(
    state: &ServerState,
    p: &Principal,
    date: Option<NaiveDate>,
) -> ApiResult<Vec<RideAlongSummary>> {
    if p.role != Role::Station {
        return Err(ApiError::forbidden(
            "dispatch_only",
            "only station sessions read the station's ride-alongs",
        ));
    }
    let day = date.unwrap_or_else(|| state.now().date_naive()).to_string();
    let mut tx = state.db.begin().await?;
    let rows = tx
        .query_as::<RideRow>(
            &format!(
                "SELECT {RIDE_COLUMNS} FROM ride_alongs WHERE station_id = $1 AND tour_date = $2
                 ORDER BY started_at, ride_along_id"
            ),
            &[V::from(&p.station_id), V::from(&day)],
        )
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(fold(&mut tx, r).await?.summary);
    }
    Ok(out)
}

// ---------------------------------------------------------------- pace

row_struct! {
    /// The first and last time the driver worked on a tour (device clock, ms).
    struct Span {
        first_at: Option<i64>,
        last_at: Option<i64>,
    }
}

/// `GET` [`lastmile_protocol::ride::TOUR_PACE`], for whoever may see the tour.
pub async fn pace(state: &ServerState, p: &Principal, tour_id: &str) -> ApiResult<PaceView> {
    let mut tx = state.db.begin().await?;
    visible(&mut tx, p, tour_id).await?;
    pace_of(&mut tx, tour_id).await
}

/// Stops and parcels per on-road hour, with and without assisted stops. On-road hours run
/// from the first to the last stop event (arrival, outcome, skip) recorded on the tour; a
/// stop counts when every parcel of it has a standing outcome (delivered or failed).
async fn pace_of(tx: &mut Tx, tour_id: &str) -> ApiResult<PaceView> {
    let Some(tour) = crate::tours::load_tour(tx, tour_id).await? else {
        return Ok(PaceView::default());
    };
    let span = tx
        .one_as::<Span>(
            "SELECT MIN(recorded_at) AS first_at, MAX(recorded_at) AS last_at FROM events
             WHERE tour_id = $1 AND status = 'applied'
               AND kind IN ('stop_arrived', 'parcel_delivered', 'delivery_failed', 'return_picked_up', 'stop_skipped')",
            &[V::from(tour_id)],
        )
        .await?;
    let hours = match span {
        Some(Span {
            first_at: Some(a),
            last_at: Some(b),
        }) if b > a => (b - a) as f64 / 3_600_000.0,
        _ => 0.0,
    };
    let mut assisted: Vec<String> = Vec::new();
    for ev in ride_events(tx, tour_id).await? {
        if let EventBody::RideStopAssisted { stop_id, .. } = ev.body
            && !assisted.contains(&stop_id)
        {
            assisted.push(stop_id);
        }
    }
    let view = crate::views::fold(tx, tour).await?;
    // The standing outcome of every parcel.
    let mut done: HashSet<&str> = HashSet::new();
    for o in view.outcomes.iter().filter(|o| !o.undone) {
        if let (OutcomeKind::Delivered { .. } | OutcomeKind::Failed { .. }, Some(t)) =
            (&o.kind, &o.tracking_id)
        {
            done.insert(t);
        }
    }
    let assisted_set: HashSet<&str> = assisted.iter().map(String::as_str).collect();
    let mut with = PaceFigures::default();
    let mut driver = PaceFigures::default();
    for stop in &view.tour.plan.stops {
        let parcels: Vec<_> = stop.parcels.iter().filter(|p| !p.is_return).collect();
        let n_done = parcels
            .iter()
            .filter(|p| done.contains(p.tracking_id.as_str()))
            .count() as u32;
        let stop_done = u32::from(!parcels.is_empty() && n_done as usize == parcels.len());
        with.parcels += n_done;
        with.stops += stop_done;
        if !assisted_set.contains(stop.stop_id.as_str()) {
            driver.parcels += n_done;
            driver.stops += stop_done;
        }
    }
    for f in [&mut with, &mut driver] {
        if hours > 0.0 {
            f.stops_per_hour = Some(round2(f64::from(f.stops) / hours));
            f.parcels_per_hour = Some(round2(f64::from(f.parcels) / hours));
        }
    }
    Ok(PaceView {
        tour_id: tour_id.to_owned(),
        on_road_hours: round2(hours),
        driver,
        with_assisted: with,
        assisted_stops: assisted,
    })
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
