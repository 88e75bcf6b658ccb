//! The station tablet on the server: the station's event kinds (who may record which, what
//! each checks, what each writes), the fleet and inspection templates from the seed, holds
//! that keep a tour from the driver's phone, and the station's read views (board, a
//! driver's day, close-outs).
//!
//! Station events arrive through the same `POST /v1/events` pipeline as a driver's outcomes
//! (`crate::events::apply_batch`): [`validate`] judges one, and once it is recorded as
//! applied [`apply`] writes its rows in the same transaction, so they too happen exactly
//! once. Role rules: the station kinds only by the station lead of the tour's station; a
//! driver only their own inspection and load-out scans; a supervisor none. Changes a
//! driver's phone must learn (a hold placed or cleared, a card stack, a parcel not loaded)
//! are appended to the tour's change feed.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use lastmile_protocol::admin::{Seed, SeedReport};
use lastmile_protocol::auth::Role;
use lastmile_protocol::dispatch::OutcomeKind;
use lastmile_protocol::events::{BlobKindDto, EventBody, EventEnvelope, Person};
use lastmile_protocol::station::{
    Board, BoardRow, CardRange, CheckInPass, CheckInRequest, CloseOutSummary, CloseOutView,
    DayParcel, DayState, DefectView, Discrepancy, DriverDay, HoldResolution, HoldView,
    InspectionPhase, InspectionTemplate, InspectionView, MIN_SIGNATURE_POINTS, ParcelOwner,
    SignatureDto, Vehicle,
};
use lastmile_protocol::tour::TourChange;

use sha2::Digest as _;

use crate::auth::{Principal, may_see};
use crate::db::{Tx, V, row_struct};
use crate::error::{ApiError, ApiResult};
use crate::events::{Verdict, common_checks, reject};
use crate::tours::{TourRow, append_changes, load_tour};
use crate::{ServerState, ms_to_time};

// ---------------------------------------------------------------------------------------
// Seed: fleet and templates.

/// Upserts the seed's vehicles and inspection templates (their stations must exist).
pub async fn seed(tx: &mut Tx, seed: &Seed, _report: &mut SeedReport) -> ApiResult<()> {
    for v in &seed.vehicles {
        known_station(tx, &v.station_id, &v.plate).await?;
        if v.plate.trim().is_empty() || v.plate.len() > 20 {
            return Err(ApiError::bad_request(
                "bad_plate",
                format!("plate {:?} must have 1..20 characters", v.plate),
            ));
        }
        tx.exec(
            "INSERT INTO vehicles (station_id, plate, label) VALUES ($1, $2, $3)
             ON CONFLICT (station_id, plate) DO UPDATE SET label = excluded.label",
            &[V::from(&v.station_id), V::from(&v.plate), V::from(&v.label)],
        )
        .await?;
    }
    for t in &seed.inspection_templates {
        known_station(tx, &t.station_id, &t.template.template_id).await?;
        let mut ids = HashSet::new();
        if t.template.items.is_empty() || !t.template.items.iter().all(|i| ids.insert(&i.item_id)) {
            return Err(ApiError::bad_request(
                "bad_template",
                format!(
                    "template {} needs items with distinct ids",
                    t.template.template_id
                ),
            ));
        }
        tx.exec(
            "INSERT INTO inspection_templates (station_id, template_id, version, template_json) VALUES ($1, $2, $3, $4)
             ON CONFLICT (station_id, template_id, version) DO UPDATE SET template_json = excluded.template_json",
            &[
                V::from(&t.station_id),
                V::from(&t.template.template_id),
                V::I(i64::from(t.template.version)),
                V::from(serde_json::to_string(&t.template)?),
            ],
        )
        .await?;
    }
    Ok(())
}

async fn known_station(tx: &mut Tx, station_id: &str, what: &str) -> ApiResult<()> {
    if tx
        .one(
            "SELECT 1 FROM stations WHERE station_id = $1",
            &[V::from(station_id)],
        )
        .await?
        .is_none()
    {
        return Err(ApiError::bad_request(
            "unknown_station",
            format!("station {station_id} of {what} is not seeded"),
        ));
    }
    Ok(())
}

/// The card stacks a tour was imported with, as issued stacks of its driver.
pub async fn import_stacks(
    tx: &mut Tx,
    tour: &lastmile_protocol::tour::TourSnapshot,
) -> ApiResult<()> {
    for (i, range) in tour.card_stacks.iter().enumerate() {
        let r = range
            .parse()
            .map_err(|why| ApiError::bad_request("bad_card_range", why))?;
        tx.exec(
            "INSERT INTO card_stacks (event_id, tour_id, station_id, driver_id, day, prefix, first_n, last_n, width, first_card, last_card)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING",
            &[
                V::from(format!("import:{}:{i}", tour.tour_id)),
                V::from(&tour.tour_id),
                V::from(&tour.station.station_id),
                V::from(&tour.driver_id),
                V::from(tour.date.to_string()),
                V::from(r.prefix),
                V::I(r.first as i64),
                V::I(r.last as i64),
                V::I(r.width as i64),
                V::from(&range.first),
                V::from(&range.last),
            ],
        )
        .await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Rows.

row_struct! {
    struct TemplateRow { template_json: String }
}
row_struct! {
    struct VehicleRow { plate: String, label: String }
}
row_struct! {
    struct DefectRow { plate: String, item_id: String, safety: i64, note: Option<String>, event_id: String, found_by: String, found_at: i64 }
}
row_struct! {
    struct HoldRow { hold_id: String, tour_id: String, driver_id: String, plate: String, placed_at: i64 }
}
row_struct! {
    struct DayRow { checked_in_at: Option<i64>, plate: Option<String> }
}
row_struct! {
    struct StackRow { first_card: String, last_card: String }
}
row_struct! {
    struct ScanRow { tracking_id: String, phase: String, status: String, reason: Option<String>, stop_id: Option<String> }
}
row_struct! {
    struct InspectionRow { event_id: String, plate: String, phase: String, template_id: String, template_version: i64,
        items_json: String, passed: i64, recorded_by: String, recorded_at: i64 }
}
row_struct! {
    struct ExplanationRow { subject: String, explanation: String }
}
row_struct! {
    struct CloseOutRow { view_json: String }
}
row_struct! {
    struct TourIdRow { tour_id: String }
}
row_struct! {
    struct NameRow { name: Option<String> }
}
row_struct! {
    struct OtherTour { tour_id: String, driver_id: String }
}

/// The station's current template: the highest version it was seeded with, else the default.
pub async fn template_of(tx: &mut Tx, station_id: &str) -> ApiResult<InspectionTemplate> {
    let row = tx
        .one_as::<TemplateRow>(
            "SELECT template_json FROM inspection_templates WHERE station_id = $1 ORDER BY version DESC, template_id LIMIT 1",
            &[V::from(station_id)],
        )
        .await?;
    match row {
        Some(r) => Ok(serde_json::from_str(&r.template_json)?),
        None => Ok(InspectionTemplate::default_template()),
    }
}

/// A given version of a template of the station (the default one is always there).
async fn template_at(
    tx: &mut Tx,
    station_id: &str,
    template_id: &str,
    version: u32,
) -> ApiResult<Option<InspectionTemplate>> {
    let row = tx
        .one_as::<TemplateRow>(
            "SELECT template_json FROM inspection_templates WHERE station_id = $1 AND template_id = $2 AND version = $3",
            &[V::from(station_id), V::from(template_id), V::I(i64::from(version))],
        )
        .await?;
    if let Some(r) = row {
        return Ok(Some(serde_json::from_str(&r.template_json)?));
    }
    let default = InspectionTemplate::default_template();
    Ok((default.template_id == template_id && default.version == version).then_some(default))
}

pub async fn fleet_of(tx: &mut Tx, station_id: &str) -> ApiResult<Vec<Vehicle>> {
    Ok(tx
        .query_as::<VehicleRow>(
            "SELECT plate, label FROM vehicles WHERE station_id = $1 ORDER BY plate",
            &[V::from(station_id)],
        )
        .await?
        .into_iter()
        .map(|r| Vehicle {
            plate: r.plate,
            label: r.label,
        })
        .collect())
}

async fn vehicle_known(tx: &mut Tx, station_id: &str, plate: &str) -> ApiResult<bool> {
    Ok(tx
        .one(
            "SELECT 1 FROM vehicles WHERE station_id = $1 AND plate = $2",
            &[V::from(station_id), V::from(plate)],
        )
        .await?
        .is_some())
}

fn defect_view(r: DefectRow) -> DefectView {
    DefectView {
        plate: r.plate,
        item_id: r.item_id,
        safety: r.safety != 0,
        note: r.note,
        event_id: r.event_id.parse().unwrap_or_default(),
        found_by: r.found_by,
        found_at: ms_to_time(r.found_at),
    }
}

const DEFECT_COLUMNS: &str = "plate, item_id, safety, note, event_id, found_by, found_at";

/// Defects of a vehicle nobody marked repaired yet (carried over to its next inspection).
pub async fn open_defects(
    tx: &mut Tx,
    station_id: &str,
    plate: &str,
) -> ApiResult<Vec<DefectView>> {
    Ok(tx
        .query_as::<DefectRow>(
            &format!(
                "SELECT {DEFECT_COLUMNS} FROM vehicle_defects
                 WHERE station_id = $1 AND plate = $2 AND repaired_event_id IS NULL ORDER BY found_at, item_id"
            ),
            &[V::from(station_id), V::from(plate)],
        )
        .await?
        .into_iter()
        .map(defect_view)
        .collect())
}

async fn hold_view(tx: &mut Tx, h: HoldRow) -> ApiResult<HoldView> {
    let defects = tx
        .query_as::<DefectRow>(
            &format!(
                "SELECT {DEFECT_COLUMNS} FROM vehicle_defects WHERE event_id = $1 AND safety = 1 ORDER BY item_id"
            ),
            &[V::from(&h.hold_id)],
        )
        .await?
        .into_iter()
        .map(defect_view)
        .collect();
    Ok(HoldView {
        hold_id: h.hold_id.parse().unwrap_or_default(),
        tour_id: h.tour_id,
        driver_id: h.driver_id,
        plate: h.plate,
        defects,
        placed_at: ms_to_time(h.placed_at),
    })
}

/// The holds of a tour nobody cleared yet, oldest first.
pub async fn open_holds(tx: &mut Tx, tour_id: &str) -> ApiResult<Vec<HoldView>> {
    let rows = tx
        .query_as::<HoldRow>(
            "SELECT hold_id, tour_id, driver_id, plate, placed_at FROM holds
             WHERE tour_id = $1 AND cleared_event_id IS NULL ORDER BY placed_at, hold_id",
            &[V::from(tour_id)],
        )
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(hold_view(tx, r).await?);
    }
    Ok(out)
}

/// `409 tour_held` while a hold is open: why, and what to do.
pub async fn refuse_if_held(tx: &mut Tx, tour_id: &str) -> ApiResult<()> {
    let holds = open_holds(tx, tour_id).await?;
    let Some(h) = holds.first() else {
        return Ok(());
    };
    let items: Vec<String> = h
        .defects
        .iter()
        .map(|d| match &d.note {
            Some(n) if !n.trim().is_empty() => format!("{} ({n})", d.item_id),
            _ => d.item_id.clone(),
        })
        .collect();
    Err(ApiError::conflict(
        "tour_held",
        format!(
            "tour {tour_id} is held: safety defect on vehicle {}: {}. Do not drive it; go to the station lead, \
             who releases the tour once it is repaired or gives you another vehicle",
            h.plate,
            items.join(", ")
        ),
    ))
}

/// The card stacks the station issued for a tour, in the order issued.
pub async fn card_stacks_of(tx: &mut Tx, tour_id: &str) -> ApiResult<Vec<CardRange>> {
    ranges(
        tx,
        "SELECT first_card, last_card FROM card_stacks WHERE tour_id = $1 ORDER BY first_card",
        tour_id,
    )
    .await
}

async fn ranges(tx: &mut Tx, sql: &str, tour_id: &str) -> ApiResult<Vec<CardRange>> {
    Ok(tx
        .query_as::<StackRow>(sql, &[V::from(tour_id)])
        .await?
        .into_iter()
        .map(|r| CardRange {
            first: r.first_card,
            last: r.last_card,
        })
        .collect())
}

async fn day_row(tx: &mut Tx, tour_id: &str) -> ApiResult<Option<DayRow>> {
    Ok(tx
        .one_as::<DayRow>(
            "SELECT checked_in_at, plate FROM station_days WHERE tour_id = $1",
            &[V::from(tour_id)],
        )
        .await?)
}

async fn scans_of(tx: &mut Tx, tour_id: &str) -> ApiResult<Vec<ScanRow>> {
    Ok(tx
        .query_as::<ScanRow>(
            "SELECT tracking_id, phase, status, reason, stop_id FROM station_scans WHERE tour_id = $1 ORDER BY recorded_at, tracking_id",
            &[V::from(tour_id)],
        )
        .await?)
}

async fn scan_of(
    tx: &mut Tx,
    tour_id: &str,
    tracking_id: &str,
    phase: &str,
) -> ApiResult<Option<ScanRow>> {
    Ok(tx
        .one_as::<ScanRow>(
            "SELECT tracking_id, phase, status, reason, stop_id FROM station_scans WHERE tour_id = $1 AND tracking_id = $2 AND phase = $3",
            &[V::from(tour_id), V::from(tracking_id), V::from(phase)],
        )
        .await?)
}

/// Whose parcel is it, when it is not on this tour: a tour of the same station and day whose
/// plan lists it. Only tracking ids of letters, digits, dashes and underscores are looked up
/// (the plan is searched as text, `_` escaped).
async fn owner_of_parcel(
    tx: &mut Tx,
    tour: &TourRow,
    tracking_id: &str,
) -> ApiResult<Option<OtherTour>> {
    if tracking_id.is_empty()
        || !tracking_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Ok(None);
    }
    let needle = format!("%\"tracking_id\":\"{}\"%", tracking_id.replace('_', "\\_"));
    Ok(tx
        .one_as::<OtherTour>(
            "SELECT tour_id, driver_id FROM tours WHERE station_id = $1 AND tour_date = $2 AND tour_id <> $3
             AND plan_json LIKE $4 ESCAPE '\\' ORDER BY tour_id LIMIT 1",
            &[
                V::from(&tour.station_id),
                V::from(tour.plan.date.to_string()),
                V::from(&tour.plan.tour_id),
                V::from(needle),
            ],
        )
        .await?)
}

fn is_signature(s: &SignatureDto) -> bool {
    s.points >= MIN_SIGNATURE_POINTS
        && matches!(
            s.strokes.kind,
            BlobKindDto::SignatureStrokes | BlobKindDto::SignatureImage
        )
        && s.strokes.bytes > 0
}

// ---------------------------------------------------------------------------------------
// Validation and application of the station's events.

/// Judges a station event recorded by `p` (the recording person, on the uploading device).
pub(crate) async fn validate(
    tx: &mut Tx,
    p: &Principal,
    ev: &EventEnvelope,
    now: DateTime<Utc>,
) -> ApiResult<Verdict> {
    let driver = ev.body.station_driver().unwrap_or_default();
    let kind = ev.body.kind();
    match p.role {
        Role::Station => {}
        Role::Driver
            if matches!(
                ev.body,
                EventBody::InspectionRecorded { .. } | EventBody::ParcelLoaded { .. }
            ) =>
        {
            if driver != p.user_id {
                return Ok(reject(
                    "not_your_day",
                    format!("a driver records only their own {kind}, not {driver}'s"),
                ));
            }
        }
        role => {
            return Ok(reject(
                "role_cannot_record",
                format!(
                    "a {} does not record {kind}; the station tablet does",
                    crate::auth::role_str(role)
                ),
            ));
        }
    }
    // Station events of one tour are judged one after the other (also across tablets).
    let lock = format!("SELECT 1 FROM tours WHERE tour_id = $1{}", tx.for_update());
    tx.one(&lock, &[V::from(&ev.tour_id)]).await?;
    let tour = match load_tour(tx, &ev.tour_id).await? {
        Some(t) if t.driver_id == driver => t,
        _ if matches!(ev.body, EventBody::DriverCheckedIn { .. }) => {
            return Ok(reject(
                "no_tour_today",
                format!(
                    "driver {driver} has no tour {} today; nothing to check in for",
                    ev.tour_id
                ),
            ));
        }
        _ => {
            return Ok(reject(
                "not_drivers_tour",
                format!("tour {} is not a tour of driver {driver}", ev.tour_id),
            ));
        }
    };
    if tour.station_id != p.station_id {
        return Ok(reject(
            "not_your_station",
            format!("tour {} belongs to station {}", ev.tour_id, tour.station_id),
        ));
    }
    if let Some(refused) = common_checks(tx, ev).await? {
        return Ok(refused);
    }
    let day = day_row(tx, &ev.tour_id).await?;
    let checked_in = day.as_ref().is_some_and(|d| d.checked_in_at.is_some());
    let needs_check_in = || {
        reject(
            "not_checked_in",
            format!("driver {driver} has not checked in for tour {}", ev.tour_id),
        )
    };
    let applied = Verdict::Applied { conflict: None };
    Ok(match &ev.body {
        EventBody::DriverCheckedIn { pass, .. } => {
            let today = [now.date_naive(), ev.recorded_at.date_naive()];
            let pass_ok = match pass {
                Some(pass) => *pass == check_in_pass(tx, &tour).await?,
                None => true,
            };
            if !pass_ok {
                reject(
                    "bad_check_in_pass",
                    format!(
                        "the check-in pass is not the one of driver {driver} for tour {}",
                        ev.tour_id
                    ),
                )
            } else if !today.contains(&tour.plan.date) {
                reject(
                    "no_tour_today",
                    format!(
                        "tour {} of driver {driver} is for {}, not today",
                        ev.tour_id, tour.plan.date
                    ),
                )
            } else {
                applied
            }
        }
        EventBody::VehicleAssigned { plate, .. } => {
            if !checked_in {
                needs_check_in()
            } else if !vehicle_known(tx, &tour.station_id, plate).await? {
                unknown_plate(plate, &tour.station_id)
            } else {
                applied
            }
        }
        EventBody::InspectionRecorded {
            plate,
            template_id,
            template_version,
            items,
            ..
        } => {
            let assigned = day.as_ref().and_then(|d| d.plate.as_deref());
            if !checked_in {
                needs_check_in()
            } else if !vehicle_known(tx, &tour.station_id, plate).await? {
                unknown_plate(plate, &tour.station_id)
            } else if assigned != Some(plate.as_str()) {
                reject(
                    "not_assigned_vehicle",
                    format!(
                        "driver {driver} was given {}, not {plate}",
                        assigned.unwrap_or("no vehicle yet")
                    ),
                )
            } else {
                match template_at(tx, &tour.station_id, template_id, *template_version).await? {
                    None => reject(
                        "unknown_template",
                        format!(
                            "no inspection template {template_id} version {template_version} at this station"
                        ),
                    ),
                    Some(t) => check_items(&t, items),
                }
            }
        }
        EventBody::HoldCleared { resolution, .. } => {
            let holds = open_holds(tx, &ev.tour_id).await?;
            match resolution {
                _ if holds.is_empty() => {
                    reject("no_hold", format!("tour {} is not held", ev.tour_id))
                }
                HoldResolution::OtherVehicle { plate } => {
                    if !vehicle_known(tx, &tour.station_id, plate).await? {
                        unknown_plate(plate, &tour.station_id)
                    } else if holds.iter().any(|h| &h.plate == plate) {
                        reject(
                            "same_vehicle",
                            format!("{plate} is the vehicle with the defect; give another one"),
                        )
                    } else {
                        applied
                    }
                }
                HoldResolution::Repaired => applied,
            }
        }
        EventBody::DefectRepaired { plate, item_id, .. } => {
            let open = open_defects(tx, &tour.station_id, plate).await?;
            if open.iter().any(|d| &d.item_id == item_id) {
                applied
            } else {
                reject(
                    "no_open_defect",
                    format!("{plate} has no open defect on {item_id}"),
                )
            }
        }
        EventBody::CardStackIssued { range, .. } => {
            if !checked_in {
                needs_check_in()
            } else {
                check_stack(tx, &tour, range).await?
            }
        }
        EventBody::ParcelLoaded { tracking_id, .. } => check_parcel(tx, &tour, tracking_id, "load")
            .await?
            .unwrap_or(applied),
        EventBody::ParcelNotLoaded { tracking_id, .. } => {
            check_parcel(tx, &tour, tracking_id, "load")
                .await?
                .unwrap_or(applied)
        }
        EventBody::ParcelReturned { tracking_id, .. } => check_return(tx, &tour, tracking_id)
            .await?
            .unwrap_or(applied),
        EventBody::CardsReturned { range, .. } => check_card_return(tx, tour, range).await?,
        EventBody::DiscrepancyExplained {
            subject,
            explanation,
            ..
        } => {
            if explanation.trim().is_empty() {
                reject(
                    "blank_explanation",
                    format!("say why {subject} does not add up"),
                )
            } else if subject.trim().is_empty() || subject.len() > 200 || explanation.len() > 4000 {
                reject(
                    "bad_field",
                    "a subject has 1..200 characters, an explanation at most 4000",
                )
            } else {
                applied
            }
        }
        EventBody::CloseOutSigned {
            summary,
            driver_signature,
            lead_signature,
            ..
        } => {
            if !is_signature(driver_signature) || !is_signature(lead_signature) {
                reject(
                    "blank_signature",
                    "both the driver and the lead must sign on the pad (a blank pad is no signature)",
                )
            } else if driver_signature.strokes.sha256 == lead_signature.strokes.sha256 {
                reject(
                    "same_signature",
                    "the driver's and the lead's signatures are the same drawing",
                )
            } else {
                let view = day_view(tx, tour).await?;
                let open: Vec<&str> = view
                    .discrepancies
                    .iter()
                    .filter(|d| d.explanation.is_none())
                    .map(|d| d.subject.as_str())
                    .collect();
                if !open.is_empty() {
                    reject(
                        "unexplained_discrepancies",
                        format!("explain first: {}", open.join(", ")),
                    )
                } else if *summary != view.summary {
                    Verdict::Applied {
                        conflict: Some("summary_differs"),
                    }
                } else {
                    applied
                }
            }
        }
        _ => reject(
            "role_cannot_record",
            format!("{kind} is not a station event"),
        ),
    })
}

fn unknown_plate(plate: &str, station_id: &str) -> Verdict {
    reject(
        "unknown_plate",
        format!("no vehicle with plate {plate} in the fleet of station {station_id}"),
    )
}

fn check_items(
    template: &InspectionTemplate,
    items: &[lastmile_protocol::station::InspectionItemResult],
) -> Verdict {
    let mut seen = HashSet::new();
    for i in items {
        if !template.items.iter().any(|t| t.item_id == i.item_id) {
            return reject(
                "unknown_item",
                format!(
                    "{} is not an item of template {}",
                    i.item_id, template.template_id
                ),
            );
        }
        if !seen.insert(i.item_id.as_str()) {
            return reject("duplicate_item", format!("{} is checked twice", i.item_id));
        }
    }
    let missing: Vec<&str> = template
        .items
        .iter()
        .filter(|t| !seen.contains(t.item_id.as_str()))
        .map(|t| t.item_id.as_str())
        .collect();
    if missing.is_empty() {
        Verdict::Applied { conflict: None }
    } else {
        reject(
            "inspection_incomplete",
            format!("not checked: {}", missing.join(", ")),
        )
    }
}

async fn check_stack(tx: &mut Tx, tour: &TourRow, range: &CardRange) -> ApiResult<Verdict> {
    let r = match range.parse() {
        Ok(r) => r,
        Err(why) => return Ok(reject("bad_card_range", why)),
    };
    // One stack at a time per station: ranges of parallel check-ins are compared in order.
    let lock = format!(
        "SELECT 1 FROM stations WHERE station_id = $1{}",
        tx.for_update()
    );
    tx.one(&lock, &[V::from(&tour.station_id)]).await?;
    row_struct! {
        struct Clash { driver_id: String, first_card: String, last_card: String }
    }
    let clash = tx
        .one_as::<Clash>(
            "SELECT driver_id, first_card, last_card FROM card_stacks
             WHERE station_id = $1 AND day = $2 AND prefix = $3 AND width = $4 AND first_n <= $5 AND last_n >= $6
             ORDER BY first_n LIMIT 1",
            &[
                V::from(&tour.station_id),
                V::from(tour.plan.date.to_string()),
                V::from(r.prefix),
                V::I(r.width as i64),
                V::I(r.last as i64),
                V::I(r.first as i64),
            ],
        )
        .await?;
    Ok(match clash {
        Some(c) => reject(
            "card_range_overlaps",
            format!(
                "{}..{} overlaps the stack {}..{} of driver {} today",
                range.first, range.last, c.first_card, c.last_card, c.driver_id
            ),
        ),
        None => Verdict::Applied { conflict: None },
    })
}

/// A load-out scan: a parcel to deliver of this tour, not scanned before; a parcel of another
/// tour is refused naming whose it is.
async fn check_parcel(
    tx: &mut Tx,
    tour: &TourRow,
    tracking_id: &str,
    phase: &str,
) -> ApiResult<Option<Verdict>> {
    let on_tour = tour
        .plan
        .stops
        .iter()
        .flat_map(|s| &s.parcels)
        .find(|p| p.tracking_id == tracking_id);
    if let Some(scan) = scan_of(tx, &tour.plan.tour_id, tracking_id, phase).await? {
        return Ok(Some(if scan.status == "not_loaded" {
            reject(
                "parcel_not_loaded",
                format!("{tracking_id} was marked not loaded; it is no longer on the tour"),
            )
        } else {
            reject(
                "parcel_scanned_twice",
                format!("{tracking_id} was scanned already"),
            )
        }));
    }
    match on_tour {
        Some(p) if p.is_return => Ok(Some(reject(
            "parcel_is_a_pickup",
            format!("{tracking_id} is a return to collect on the tour, not a parcel to load"),
        ))),
        Some(_) => Ok(None),
        None => Ok(Some(not_on_tour(tx, tour, tracking_id).await?)),
    }
}

async fn not_on_tour(tx: &mut Tx, tour: &TourRow, tracking_id: &str) -> ApiResult<Verdict> {
    Ok(match owner_of_parcel(tx, tour, tracking_id).await? {
        Some(o) => reject(
            "parcel_of_other_tour",
            format!(
                "{tracking_id} belongs to tour {} of driver {}, not to tour {}",
                o.tour_id, o.driver_id, tour.plan.tour_id
            ),
        ),
        None => reject(
            "unknown_parcel",
            format!(
                "{tracking_id} is not a parcel of tour {}",
                tour.plan.tour_id
            ),
        ),
    })
}

/// A return-to-station scan: a parcel of the tour or a return label picked up on it, once.
async fn check_return(
    tx: &mut Tx,
    tour: &TourRow,
    tracking_id: &str,
) -> ApiResult<Option<Verdict>> {
    if scan_of(tx, &tour.plan.tour_id, tracking_id, "return")
        .await?
        .is_some()
    {
        return Ok(Some(reject(
            "parcel_scanned_twice",
            format!("{tracking_id} was scanned back in already"),
        )));
    }
    let planned = tour
        .plan
        .stops
        .iter()
        .chain(tour.removed.values())
        .flat_map(|s| &s.parcels)
        .any(|p| p.tracking_id == tracking_id);
    if planned {
        return Ok(None);
    }
    let view = crate::views::fold(tx, tour.clone()).await?;
    let picked = view.outcomes.iter().any(|o| {
        !o.undone
            && matches!(&o.kind, OutcomeKind::ReturnPickedUp { label } if label == tracking_id)
    });
    if picked {
        return Ok(None);
    }
    Ok(Some(not_on_tour(tx, tour, tracking_id).await?))
}

async fn check_card_return(tx: &mut Tx, tour: TourRow, range: &CardRange) -> ApiResult<Verdict> {
    if let Err(why) = range.parse() {
        return Ok(reject("bad_card_range", why));
    }
    let view = day_view(tx, tour).await?;
    for card in range.numbers() {
        if !view.card_stacks.iter().any(|s| s.contains(&card)) {
            return Ok(reject(
                "card_not_issued",
                format!(
                    "card {card} is not in a stack of driver {}",
                    view.row.driver_id
                ),
            ));
        }
        if view.cards_used.contains(&card) {
            return Ok(reject(
                "card_was_used",
                format!("card {card} was left at a stop; it cannot come back unused"),
            ));
        }
        if view.cards_returned.contains(&card) {
            return Ok(reject(
                "card_returned_twice",
                format!("card {card} was counted back already"),
            ));
        }
    }
    Ok(Verdict::Applied { conflict: None })
}

/// Writes what an applied station event records (same transaction as its event row).
pub(crate) async fn apply(
    tx: &mut Tx,
    ev: &EventEnvelope,
    person: &Person,
    now_ms: i64,
) -> ApiResult<()> {
    let tour = load_tour(tx, &ev.tour_id)
        .await?
        .ok_or_else(|| ApiError::Internal(format!("tour {} vanished", ev.tour_id)))?;
    let at = ev.recorded_at.timestamp_millis();
    let event_id = ev.event_id.to_string();
    let tour_id = ev.tour_id.as_str();
    let day = tour.plan.date.to_string();
    match &ev.body {
        EventBody::DriverCheckedIn { driver_id, .. } => {
            tx.exec(
                "INSERT INTO station_days (tour_id, station_id, driver_id, day, checked_in_at, plate) VALUES ($1, $2, $3, $4, $5, NULL)
                 ON CONFLICT (tour_id) DO UPDATE SET checked_in_at = COALESCE(station_days.checked_in_at, excluded.checked_in_at)",
                &[V::from(tour_id), V::from(&tour.station_id), V::from(driver_id), V::from(&day), V::I(at)],
            )
            .await?;
        }
        EventBody::VehicleAssigned { plate, .. } => set_plate(tx, tour_id, plate).await?,
        EventBody::InspectionRecorded {
            driver_id,
            plate,
            phase,
            template_id,
            template_version,
            items,
        } => {
            let template = template_at(tx, &tour.station_id, template_id, *template_version)
                .await?
                .unwrap_or_else(InspectionTemplate::default_template);
            let safety: HashSet<&str> = template
                .items
                .iter()
                .filter(|i| i.safety)
                .map(|i| i.item_id.as_str())
                .collect();
            let passed = items.iter().all(|i| i.ok);
            tx.exec(
                "INSERT INTO inspections (event_id, tour_id, station_id, plate, driver_id, phase, template_id, template_version,
                   items_json, passed, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                &[
                    V::from(&event_id),
                    V::from(tour_id),
                    V::from(&tour.station_id),
                    V::from(plate),
                    V::from(driver_id),
                    V::from(phase_str(*phase)),
                    V::from(template_id),
                    V::I(i64::from(*template_version)),
                    V::from(serde_json::to_string(items)?),
                    V::I(i64::from(passed)),
                    V::from(&person.user_id),
                    V::I(at),
                ],
            )
            .await?;
            let mut holds = false;
            for i in items.iter().filter(|i| !i.ok) {
                let is_safety = safety.contains(i.item_id.as_str());
                holds |= is_safety;
                tx.exec(
                    "INSERT INTO vehicle_defects (event_id, item_id, station_id, plate, tour_id, safety, note, found_by, found_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    &[
                        V::from(&event_id),
                        V::from(&i.item_id),
                        V::from(&tour.station_id),
                        V::from(plate),
                        V::from(tour_id),
                        V::I(i64::from(is_safety)),
                        V::from(i.note.clone()),
                        V::from(&person.user_id),
                        V::I(at),
                    ],
                )
                .await?;
            }
            if holds && *phase == InspectionPhase::PreTrip {
                tx.exec(
                    "INSERT INTO holds (hold_id, tour_id, station_id, driver_id, plate, placed_at) VALUES ($1, $2, $3, $4, $5, $6)",
                    &[V::from(&event_id), V::from(tour_id), V::from(&tour.station_id), V::from(driver_id), V::from(plate), V::I(at)],
                )
                .await?;
                let hold = open_holds(tx, tour_id).await?.pop();
                append_changes(
                    tx,
                    tour.plan,
                    vec![TourChange::HoldChanged { hold }],
                    now_ms,
                )
                .await?;
            }
        }
        EventBody::HoldCleared { resolution, .. } => {
            let held = open_holds(tx, tour_id).await?;
            tx.exec(
                "UPDATE holds SET cleared_event_id = $1, cleared_at = $2, resolution_json = $3
                 WHERE tour_id = $4 AND cleared_event_id IS NULL",
                &[
                    V::from(&event_id),
                    V::I(at),
                    V::from(serde_json::to_string(resolution)?),
                    V::from(tour_id),
                ],
            )
            .await?;
            match resolution {
                HoldResolution::Repaired => {
                    for h in &held {
                        tx.exec(
                            "UPDATE vehicle_defects SET repaired_event_id = $1, repaired_at = $2
                             WHERE station_id = $3 AND plate = $4 AND safety = 1 AND repaired_event_id IS NULL",
                            &[V::from(&event_id), V::I(at), V::from(&tour.station_id), V::from(&h.plate)],
                        )
                        .await?;
                    }
                }
                HoldResolution::OtherVehicle { plate } => set_plate(tx, tour_id, plate).await?,
            }
            append_changes(
                tx,
                tour.plan,
                vec![TourChange::HoldChanged { hold: None }],
                now_ms,
            )
            .await?;
        }
        EventBody::DefectRepaired { plate, item_id, .. } => {
            tx.exec(
                "UPDATE vehicle_defects SET repaired_event_id = $1, repaired_at = $2
                 WHERE station_id = $3 AND plate = $4 AND item_id = $5 AND repaired_event_id IS NULL",
                &[V::from(&event_id), V::I(at), V::from(&tour.station_id), V::from(plate), V::from(item_id)],
            )
            .await?;
        }
        EventBody::CardStackIssued { driver_id, range } => {
            let r = range
                .parse()
                .map_err(|e| ApiError::Internal(format!("validated range: {e}")))?;
            tx.exec(
                "INSERT INTO card_stacks (event_id, tour_id, station_id, driver_id, day, prefix, first_n, last_n, width, first_card, last_card)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                &[
                    V::from(&event_id),
                    V::from(tour_id),
                    V::from(&tour.station_id),
                    V::from(driver_id),
                    V::from(&day),
                    V::from(r.prefix),
                    V::I(r.first as i64),
                    V::I(r.last as i64),
                    V::I(r.width as i64),
                    V::from(&range.first),
                    V::from(&range.last),
                ],
            )
            .await?;
            append_changes(
                tx,
                tour.plan,
                vec![TourChange::CardStackIssued {
                    range: range.clone(),
                }],
                now_ms,
            )
            .await?;
        }
        EventBody::ParcelLoaded { tracking_id, .. } => {
            let stop = stop_of(&tour, tracking_id);
            scan(
                tx,
                tour_id,
                tracking_id,
                "load",
                "loaded",
                None,
                stop,
                &event_id,
                at,
            )
            .await?;
        }
        EventBody::ParcelNotLoaded {
            tracking_id,
            reason,
            ..
        } => {
            let stop = stop_of(&tour, tracking_id);
            let reason = serde_json::to_value(reason)?.as_str().map(str::to_owned);
            scan(
                tx,
                tour_id,
                tracking_id,
                "load",
                "not_loaded",
                reason,
                stop.clone(),
                &event_id,
                at,
            )
            .await?;
            if let Some(stop_id) = stop {
                let last = tour
                    .plan
                    .stops
                    .iter()
                    .find(|s| s.stop_id == stop_id)
                    .is_some_and(|s| s.parcels.len() == 1);
                let mut changes = vec![TourChange::ParcelRemoved {
                    stop_id: stop_id.clone(),
                    tracking_id: tracking_id.clone(),
                }];
                if last {
                    changes.push(TourChange::StopRemoved { stop_id });
                }
                append_changes(tx, tour.plan, changes, now_ms).await?;
            }
        }
        EventBody::ParcelReturned { tracking_id, .. } => {
            let stop = stop_of(&tour, tracking_id);
            scan(
                tx,
                tour_id,
                tracking_id,
                "return",
                "returned",
                None,
                stop,
                &event_id,
                at,
            )
            .await?;
        }
        EventBody::CardsReturned { range, .. } => {
            tx.exec(
                "INSERT INTO card_returns (event_id, tour_id, first_card, last_card) VALUES ($1, $2, $3, $4)",
                &[V::from(&event_id), V::from(tour_id), V::from(&range.first), V::from(&range.last)],
            )
            .await?;
        }
        EventBody::DiscrepancyExplained {
            subject,
            explanation,
            ..
        } => {
            tx.exec(
                "INSERT INTO discrepancies (event_id, tour_id, subject, explanation, recorded_by, recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[V::from(&event_id), V::from(tour_id), V::from(subject), V::from(explanation.trim()),
                  V::from(&person.user_id), V::I(at)],
            )
            .await?;
        }
        EventBody::CloseOutSigned {
            driver_signature,
            lead_signature,
            ..
        } => {
            let station_id = tour.station_id.clone();
            let view = day_view(tx, tour).await?;
            let version = tx
                .one(
                    "SELECT COUNT(*) AS n FROM close_outs WHERE tour_id = $1",
                    &[V::from(tour_id)],
                )
                .await?
                .map(|r| r.get::<i64>("n"))
                .transpose()?
                .unwrap_or(0)
                + 1;
            let close_out = CloseOutView {
                close_out_id: ev.event_id,
                tour_id: tour_id.to_owned(),
                driver_id: view.row.driver_id.clone(),
                station_id: station_id.clone(),
                date: view.date,
                version: version as u32,
                summary: view.summary.clone(),
                failed_cards: failed_cards(tx, tour_id).await?,
                discrepancies: view.discrepancies.clone(),
                driver_signature: driver_signature.clone(),
                lead_signature: lead_signature.clone(),
                signed_by_lead: person.user_id.clone(),
                signed_at: ev.recorded_at,
            };
            tx.exec(
                "INSERT INTO close_outs (close_out_id, tour_id, station_id, driver_id, day, version, view_json, signed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                &[
                    V::from(&event_id),
                    V::from(tour_id),
                    V::from(&station_id),
                    V::from(&close_out.driver_id),
                    V::from(&day),
                    V::I(version),
                    V::from(serde_json::to_string(&close_out)?),
                    V::I(at),
                ],
            )
            .await?;
        }
        _ => {}
    }
    Ok(())
}

fn phase_str(p: InspectionPhase) -> &'static str {
    match p {
        InspectionPhase::PreTrip => "pre_trip",
        InspectionPhase::PostTrip => "post_trip",
    }
}

fn stop_of(tour: &TourRow, tracking_id: &str) -> Option<String> {
    tour.plan
        .stops
        .iter()
        .chain(tour.removed.values())
        .find(|s| s.parcels.iter().any(|p| p.tracking_id == tracking_id))
        .map(|s| s.stop_id.clone())
}

async fn set_plate(tx: &mut Tx, tour_id: &str, plate: &str) -> ApiResult<()> {
    tx.exec(
        "UPDATE station_days SET plate = $1 WHERE tour_id = $2",
        &[V::from(plate), V::from(tour_id)],
    )
    .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn scan(
    tx: &mut Tx,
    tour_id: &str,
    tracking_id: &str,
    phase: &str,
    status: &str,
    reason: Option<String>,
    stop_id: Option<String>,
    event_id: &str,
    at: i64,
) -> ApiResult<()> {
    tx.exec(
        "INSERT INTO station_scans (tour_id, tracking_id, phase, stop_id, status, reason, event_id, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            V::from(tour_id),
            V::from(tracking_id),
            V::from(phase),
            V::from(stop_id),
            V::from(status),
            V::from(reason),
            V::from(event_id),
            V::I(at),
        ],
    )
    .await?;
    Ok(())
}

async fn failed_cards(tx: &mut Tx, tour_id: &str) -> ApiResult<Vec<String>> {
    let Some(tour) = load_tour(tx, tour_id).await? else {
        return Ok(Vec::new());
    };
    let view = crate::views::fold(tx, tour).await?;
    let failed: HashSet<uuid::Uuid> = view
        .outcomes
        .iter()
        .filter(|o| !o.undone && matches!(o.kind, OutcomeKind::Failed { .. }))
        .map(|o| o.event_id)
        .collect();
    Ok(view
        .cards()
        .into_iter()
        .filter(|c| failed.contains(&c.event_id))
        .map(|c| format!("{}: {}", c.tracking_id, c.card_number))
        .collect())
}

// ---------------------------------------------------------------------------------------
// Views.

/// Where a day stands, from what the station and the driver recorded.
fn state_of(
    closed: bool,
    held: bool,
    back: bool,
    on_road: bool,
    loading: bool,
    plate: bool,
    checked_in: bool,
) -> DayState {
    if closed {
        DayState::Closed
    } else if held {
        DayState::Held
    } else if back {
        DayState::Back
    } else if on_road {
        DayState::OnRoad
    } else if loading {
        DayState::Loading
    } else if plate {
        DayState::Inspecting
    } else if checked_in {
        DayState::CheckedIn
    } else {
        DayState::Expected
    }
}

/// One driver's day, computed from the tour, its events and the station's rows.
pub async fn day_view(tx: &mut Tx, tour: TourRow) -> ApiResult<DriverDay> {
    let tour_id = tour.plan.tour_id.clone();
    let date = tour.plan.date;
    let day = day_row(tx, &tour_id).await?;
    let holds = open_holds(tx, &tour_id).await?;
    let stacks = card_stacks_of(tx, &tour_id).await?;
    let returned_ranges = ranges(
        tx,
        "SELECT first_card, last_card FROM card_returns WHERE tour_id = $1 ORDER BY first_card",
        &tour_id,
    )
    .await?;
    let scans = scans_of(tx, &tour_id).await?;
    let explanations: HashMap<String, String> = tx
        .query_as::<ExplanationRow>(
            "SELECT subject, explanation FROM discrepancies WHERE tour_id = $1 ORDER BY recorded_at, event_id",
            &[V::from(&tour_id)],
        )
        .await?
        .into_iter()
        .map(|r| (r.subject, r.explanation))
        .collect();
    let inspections: Vec<InspectionView> = tx
        .query_as::<InspectionRow>(
            "SELECT event_id, plate, phase, template_id, template_version, items_json, passed, recorded_by, recorded_at
             FROM inspections WHERE tour_id = $1 ORDER BY recorded_at, event_id",
            &[V::from(&tour_id)],
        )
        .await?
        .into_iter()
        .map(|r| {
            Ok(InspectionView {
                event_id: r.event_id.parse().unwrap_or_default(),
                plate: r.plate,
                phase: if r.phase == "post_trip" {
                    InspectionPhase::PostTrip
                } else {
                    InspectionPhase::PreTrip
                },
                template_id: r.template_id,
                template_version: r.template_version as u32,
                passed: r.passed != 0,
                items: serde_json::from_str(&r.items_json)?,
                recorded_by: r.recorded_by,
                recorded_at: ms_to_time(r.recorded_at),
            })
        })
        .collect::<ApiResult<_>>()?;
    let close_out = tx
        .one_as::<CloseOutRow>(
            "SELECT view_json FROM close_outs WHERE tour_id = $1 ORDER BY version DESC LIMIT 1",
            &[V::from(&tour_id)],
        )
        .await?
        .map(|r| serde_json::from_str::<CloseOutView>(&r.view_json))
        .transpose()?;
    let name = tx
        .one_as::<NameRow>(
            "SELECT name FROM users WHERE user_id = $1 AND role IN ('driver', 'flex') ORDER BY role LIMIT 1",
            &[V::from(&tour.driver_id)],
        )
        .await?
        .and_then(|r| r.name);
    let driver_id = tour.driver_id.clone();
    let plan = tour.plan.clone();
    let view = crate::views::fold(tx, tour).await?;

    // The standing outcome per parcel, and the return labels picked up.
    let mut outcome: HashMap<&str, &'static str> = HashMap::new();
    let mut labels: Vec<String> = Vec::new();
    let mut on_road = false;
    for o in view.outcomes.iter().filter(|o| !o.undone) {
        on_road = true;
        match (&o.kind, &o.tracking_id) {
            (OutcomeKind::Delivered { .. }, Some(t)) => {
                outcome.insert(t, "delivered");
            }
            (OutcomeKind::Failed { .. }, Some(t)) => {
                outcome.insert(t, "failed");
            }
            (OutcomeKind::ReturnPickedUp { label }, _) => labels.push(label.clone()),
            _ => {}
        }
    }
    let scan = |t: &str, phase: &str| {
        scans
            .iter()
            .find(|s| s.tracking_id == t && s.phase == phase)
    };
    let mut parcels = Vec::new();
    for stop in &plan.stops {
        for p in &stop.parcels {
            parcels.push(DayParcel {
                tracking_id: p.tracking_id.clone(),
                stop_id: stop.stop_id.clone(),
                stop_sequence: stop.sequence,
                is_return: p.is_return,
                loaded: scan(&p.tracking_id, "load").is_some_and(|s| s.status == "loaded"),
                not_loaded: None,
                outcome: outcome.get(p.tracking_id.as_str()).map(|s| (*s).to_owned()),
                returned: scan(&p.tracking_id, "return").is_some(),
            });
        }
    }
    for s in scans.iter().filter(|s| s.status == "not_loaded") {
        parcels.push(DayParcel {
            tracking_id: s.tracking_id.clone(),
            stop_id: s.stop_id.clone().unwrap_or_default(),
            stop_sequence: 0,
            is_return: false,
            loaded: false,
            not_loaded: s
                .reason
                .as_deref()
                .and_then(|r| serde_json::from_value(serde_json::Value::from(r)).ok()),
            outcome: None,
            returned: scan(&s.tracking_id, "return").is_some(),
        });
    }
    let returns_handed_in: Vec<String> = labels
        .iter()
        .filter(|l| scan(l, "return").is_some())
        .cloned()
        .collect();
    let cards_used: Vec<String> = view.cards().into_iter().map(|c| c.card_number).collect();
    let issued: Vec<String> = stacks.iter().flat_map(CardRange::numbers).collect();
    let cards_returned: Vec<String> = returned_ranges
        .iter()
        .flat_map(CardRange::numbers)
        .collect();

    let explain = |subject: &str, kind: &str| Discrepancy {
        subject: subject.to_owned(),
        kind: kind.to_owned(),
        explanation: explanations.get(subject).cloned(),
    };
    let mut discrepancies = Vec::new();
    for p in parcels
        .iter()
        .filter(|p| !p.is_return && p.not_loaded.is_none())
    {
        if p.outcome.as_deref() != Some("delivered") && !p.returned {
            discrepancies.push(explain(&p.tracking_id, "parcel_not_back"));
        }
    }
    for l in labels.iter().filter(|l| !returns_handed_in.contains(l)) {
        discrepancies.push(explain(l, "return_not_handed_in"));
    }
    let used: BTreeSet<&str> = cards_used.iter().map(String::as_str).collect();
    let back: BTreeSet<&str> = cards_returned.iter().map(String::as_str).collect();
    let missing_cards: Vec<&String> = issued
        .iter()
        .filter(|c| !used.contains(c.as_str()) && !back.contains(c.as_str()))
        .collect();
    for c in &missing_cards {
        discrepancies.push(explain(c, "card_missing"));
    }

    let count = |n: usize| n as u32;
    let deliverable = parcels.iter().filter(|p| !p.is_return);
    let summary = CloseOutSummary {
        parcels_planned: count(deliverable.clone().count()),
        parcels_loaded: count(deliverable.clone().filter(|p| p.loaded).count()),
        parcels_not_loaded: count(
            deliverable
                .clone()
                .filter(|p| p.not_loaded.is_some())
                .count(),
        ),
        delivered: count(outcome.values().filter(|o| **o == "delivered").count()),
        failed: count(outcome.values().filter(|o| **o == "failed").count()),
        returns_picked_up: count(labels.len()),
        parcels_back: count(scans.iter().filter(|s| s.phase == "return").count()),
        cards_issued: count(issued.len()),
        cards_used: count(issued.iter().filter(|c| used.contains(c.as_str())).count()),
        cards_returned: count(cards_returned.len()),
        cards_missing: count(missing_cards.len()),
        discrepancies: count(discrepancies.len()),
        discrepancies_explained: count(
            discrepancies
                .iter()
                .filter(|d| d.explanation.is_some())
                .count(),
        ),
        inspections: count(inspections.len()),
        defects_found: count(
            inspections
                .iter()
                .map(|i| i.items.iter().filter(|x| !x.ok).count())
                .sum(),
        ),
    };
    let loaded = summary.parcels_loaded + summary.parcels_not_loaded > 0;
    let passed_pre_trip = inspections
        .iter()
        .any(|i| i.phase == InspectionPhase::PreTrip && i.passed);
    let is_back = scans.iter().any(|s| s.phase == "return")
        || !cards_returned.is_empty()
        || inspections
            .iter()
            .any(|i| i.phase == InspectionPhase::PostTrip);
    let plate = day.as_ref().and_then(|d| d.plate.clone());
    let checked_in_at = day.as_ref().and_then(|d| d.checked_in_at).map(ms_to_time);
    let row = BoardRow {
        driver_id,
        name,
        tour_id,
        state: state_of(
            close_out.is_some(),
            !holds.is_empty(),
            is_back,
            on_road,
            loaded || passed_pre_trip,
            plate.is_some(),
            checked_in_at.is_some(),
        ),
        plate,
        parcels_expected: count(
            plan.stops
                .iter()
                .flat_map(|s| &s.parcels)
                .filter(|p| !p.is_return)
                .count(),
        ),
        parcels_loaded: summary.parcels_loaded,
        parcels_not_loaded: summary.parcels_not_loaded,
        card_stacks: stacks.clone(),
        check_in_pass_sha256: None,
    };
    Ok(DriverDay {
        row,
        date,
        checked_in_at,
        hold: holds.into_iter().next(),
        inspections,
        card_stacks: stacks,
        cards_used,
        cards_returned,
        parcels,
        returns_picked_up: labels,
        returns_handed_in,
        discrepancies,
        close_out,
        summary,
    })
}

fn station_only(p: &Principal) -> ApiResult<()> {
    if p.role == Role::Station {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "station_only",
            "only the station tablet (a station lead's session) sees this",
        ))
    }
}

fn day_or_today(state: &ServerState, date: Option<NaiveDate>) -> NaiveDate {
    date.unwrap_or_else(|| state.now().date_naive())
}

/// The tours of `station` on `date`, by driver.
async fn tours_of_day(tx: &mut Tx, station: &str, date: NaiveDate) -> ApiResult<Vec<TourIdRow>> {
    Ok(tx
        .query_as::<TourIdRow>(
            "SELECT tour_id FROM tours WHERE station_id = $1 AND tour_date = $2 ORDER BY driver_id, tour_id",
            &[V::from(station), V::from(date.to_string())],
        )
        .await?)
}

/// `GET /v1/station/board`: every driver with a tour at the lead's station that day.
pub async fn board(
    state: &ServerState,
    p: &Principal,
    date: Option<NaiveDate>,
) -> ApiResult<Board> {
    station_only(p)?;
    let date = day_or_today(state, date);
    let mut tx = state.db.begin().await?;
    let ids = tours_of_day(&mut tx, &p.station_id, date).await?;
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(tour) = load_tour(&mut tx, &id.tour_id).await? {
            let pass = check_in_pass(&mut tx, &tour).await?;
            let mut row = day_view(&mut tx, tour).await?.row;
            row.check_in_pass_sha256 = Some(hex::encode(sha2::Sha256::digest(pass.as_bytes())));
            rows.push(row);
        }
    }
    let board = Board {
        station_id: p.station_id.clone(),
        date,
        rows,
        fleet: fleet_of(&mut tx, &p.station_id).await?,
        template: template_of(&mut tx, &p.station_id).await?,
    };
    // Committed: the server's key may have been created for the passes just now.
    tx.commit().await?;
    Ok(board)
}

/// The tour of `driver_id` on `date` at the caller's station, if the caller may see it.
async fn day_tour(
    tx: &mut Tx,
    p: &Principal,
    driver_id: &str,
    date: NaiveDate,
) -> ApiResult<TourRow> {
    let id = tx
        .one_as::<TourIdRow>(
            "SELECT tour_id FROM tours WHERE driver_id = $1 AND tour_date = $2 AND station_id = $3 ORDER BY tour_id LIMIT 1",
            &[V::from(driver_id), V::from(date.to_string()), V::from(&p.station_id)],
        )
        .await?;
    let tour = match id {
        Some(id) => load_tour(tx, &id.tour_id).await?,
        None => None,
    };
    match tour {
        Some(t) if may_see(tx, p, &t.station_id, &t.driver_id).await? => Ok(t),
        Some(_) => Err(ApiError::forbidden(
            "not_your_day",
            format!("you may not see the day of driver {driver_id}"),
        )),
        None if driver_at(tx, p, driver_id).await? => Err(ApiError::not_found(
            "no_tour_today",
            format!(
                "driver {driver_id} has no tour on {date} at station {}",
                p.station_id
            ),
        )),
        None => Err(ApiError::forbidden(
            "not_your_day",
            format!("you may not see the day of driver {driver_id}"),
        )),
    }
}

/// Is `driver_id` someone whose (absent) day `p` may ask about: their own, a driver of the
/// lead's station, or one the supervisor rides with?
async fn driver_at(tx: &mut Tx, p: &Principal, driver_id: &str) -> ApiResult<bool> {
    Ok(match p.role {
        Role::Station => tx
            .one(
                "SELECT 1 FROM users WHERE user_id = $1 AND role IN ('driver', 'flex') AND station_id = $2",
                &[V::from(driver_id), V::from(&p.station_id)],
            )
            .await?
            .is_some(),
        _ => may_see(tx, p, &p.station_id, driver_id).await?,
    })
}

/// `GET /v1/station/days/{driver_id}`.
pub async fn driver_day(
    state: &ServerState,
    p: &Principal,
    driver_id: &str,
    date: Option<NaiveDate>,
) -> ApiResult<DriverDay> {
    let date = day_or_today(state, date);
    let mut tx = state.db.begin().await?;
    let tour = day_tour(&mut tx, p, driver_id, date).await?;
    audit_day(&mut tx, state, p, &tour, date).await?;
    let view = day_view(&mut tx, tour).await?;
    tx.commit().await?;
    Ok(view)
}

/// The audit trail: a read of a driver's day by anyone but that driver.
async fn audit_day(
    tx: &mut Tx,
    state: &ServerState,
    p: &Principal,
    tour: &TourRow,
    date: NaiveDate,
) -> ApiResult<()> {
    crate::audit::record(
        tx,
        state,
        p,
        &tour.station_id,
        &tour.driver_id,
        lastmile_protocol::audit::AuditRead::Day,
        &date.to_string(),
    )
    .await
}

/// `GET /v1/station/days/{driver_id}/close-outs`: every signed version, oldest first.
pub async fn close_outs(
    state: &ServerState,
    p: &Principal,
    driver_id: &str,
    date: Option<NaiveDate>,
) -> ApiResult<Vec<CloseOutView>> {
    let date = day_or_today(state, date);
    let mut tx = state.db.begin().await?;
    let tour = day_tour(&mut tx, p, driver_id, date).await?;
    audit_day(&mut tx, state, p, &tour, date).await?;
    let rows = tx
        .query_as::<CloseOutRow>(
            "SELECT view_json FROM close_outs WHERE tour_id = $1 ORDER BY version",
            &[V::from(&tour.plan.tour_id)],
        )
        .await?;
    tx.commit().await?;
    rows.into_iter()
        .map(|r| Ok(serde_json::from_str(&r.view_json)?))
        .collect()
}

/// `GET /v1/station/my-days`: the signed-in driver's close-outs, the current one per day,
/// newest day first.
pub async fn my_days(state: &ServerState, p: &Principal) -> ApiResult<Vec<CloseOutView>> {
    if !matches!(p.role, Role::Driver | Role::Flex) {
        return Err(ApiError::forbidden(
            "driver_only",
            "my days are a driver's own close-outs",
        ));
    }
    let mut tx = state.db.begin().await?;
    let rows = tx
        .query_as::<CloseOutRow>(
            "SELECT view_json FROM close_outs WHERE driver_id = $1 AND station_id = $2 ORDER BY day DESC, version DESC",
            &[V::from(&p.user_id), V::from(&p.station_id)],
        )
        .await?;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for r in rows {
        let c: CloseOutView = serde_json::from_str(&r.view_json)?;
        if seen.insert(c.tour_id.clone()) {
            out.push(c);
        }
    }
    Ok(out)
}

/// `GET /v1/station/inspection-template` (any role of the station).
pub async fn template(state: &ServerState, p: &Principal) -> ApiResult<InspectionTemplate> {
    let mut tx = state.db.begin().await?;
    template_of(&mut tx, &p.station_id).await
}

/// `GET /v1/station/fleet` (any role of the station).
pub async fn fleet(state: &ServerState, p: &Principal) -> ApiResult<Vec<Vehicle>> {
    let mut tx = state.db.begin().await?;
    fleet_of(&mut tx, &p.station_id).await
}

/// `GET /v1/station/vehicles/{plate}/defects` (the station's lead and drivers).
pub async fn vehicle_defects(
    state: &ServerState,
    p: &Principal,
    plate: &str,
) -> ApiResult<Vec<DefectView>> {
    if p.role == Role::Supervisor {
        return Err(ApiError::forbidden(
            "station_only",
            "vehicle defects are for the station and its drivers",
        ));
    }
    let mut tx = state.db.begin().await?;
    if !vehicle_known(&mut tx, &p.station_id, plate).await? {
        return Err(ApiError::not_found(
            "unknown_plate",
            format!("no vehicle with plate {plate} at station {}", p.station_id),
        ));
    }
    open_defects(&mut tx, &p.station_id, plate).await
}

/// `GET /v1/station/parcels/{tracking_id}`: the tour of the lead's station, that day, whose
/// plan has the parcel.
pub async fn parcel_owner(
    state: &ServerState,
    p: &Principal,
    tracking_id: &str,
    date: Option<NaiveDate>,
) -> ApiResult<ParcelOwner> {
    station_only(p)?;
    let date = day_or_today(state, date);
    let mut tx = state.db.begin().await?;
    let ids = tours_of_day(&mut tx, &p.station_id, date).await?;
    for id in ids {
        let Some(tour) = load_tour(&mut tx, &id.tour_id).await? else {
            continue;
        };
        if let Some(stop_id) = stop_of(&tour, tracking_id) {
            return Ok(ParcelOwner {
                tracking_id: tracking_id.to_owned(),
                tour_id: tour.plan.tour_id,
                driver_id: tour.driver_id,
                stop_id,
            });
        }
    }
    Err(ApiError::not_found(
        "unknown_parcel",
        format!(
            "{tracking_id} is on no tour of station {} on {date}",
            p.station_id
        ),
    ))
}

/// The check-in pass of `tour`: what the driver's phone shows as a QR code for the station
/// tablet to check them in by. Only the server computes it (a MAC under its key of the
/// station, driver, tour and date); the tablet gets its SHA-256 on the board, so it can
/// check a pass while the Wi-Fi is down without ever holding one.
pub(crate) async fn check_in_pass(tx: &mut Tx, tour: &TourRow) -> ApiResult<String> {
    let date = tour.plan.date.to_string();
    let mac = crate::auth::server_mac(
        tx,
        "lastmile check-in pass v1",
        &[&tour.station_id, &tour.driver_id, &tour.plan.tour_id, &date],
    )
    .await?;
    Ok(format!(
        "{}{}",
        lastmile_protocol::station::CHECK_IN_PASS_PREFIX,
        hex::encode_upper(&mac[..16])
    ))
}

/// `GET /v1/station/check-in-pass`: the signed-in driver's pass for today's tour.
pub async fn my_check_in_pass(
    state: &ServerState,
    p: &Principal,
    date: Option<NaiveDate>,
) -> ApiResult<CheckInPass> {
    if !matches!(p.role, Role::Driver | Role::Flex) {
        return Err(ApiError::forbidden(
            "driver_only",
            "a check-in pass is the driver's own",
        ));
    }
    let date = day_or_today(state, date);
    let mut tx = state.db.begin().await?;
    let tour = day_tour(&mut tx, p, &p.user_id, date).await?;
    let code = check_in_pass(&mut tx, &tour).await?;
    tx.commit().await?;
    Ok(CheckInPass {
        tour_id: tour.plan.tour_id,
        driver_id: tour.driver_id,
        date: tour.plan.date,
        code,
    })
}

/// `POST /v1/station/verify-driver`: the driver's id and PIN, checked like a sign-in (the
/// same lockouts) on the tablet's device, without a session for the driver; answers the day.
pub async fn verify_driver(
    state: &ServerState,
    p: &Principal,
    req: CheckInRequest,
) -> ApiResult<DriverDay> {
    station_only(p)?;
    // A flex driver on a won block checks in like an employed one: their PIN is theirs as
    // a flex account (an id that is both is checked as the driver).
    let role = {
        let mut tx = state.db.begin().await?;
        let is = async |tx: &mut Tx, role: &str| -> ApiResult<bool> {
            Ok(tx
                .one(
                    "SELECT 1 FROM users WHERE user_id = $1 AND role = $2",
                    &[V::from(&req.driver_id), V::from(role)],
                )
                .await?
                .is_some())
        };
        if !is(&mut tx, "driver").await? && is(&mut tx, "flex").await? {
            Role::Flex
        } else {
            Role::Driver
        }
    };
    let (tx, _) =
        crate::auth::check_pin(state, &p.device_id, None, role, &req.driver_id, &req.pin).await?;
    tx.commit().await?;
    driver_day(state, p, &req.driver_id, req.date).await
}
