//! Dispatch: station-side edits of tours, tour import, and read views of a tour's progress.
//!
//! Edits become [`ChangeSet`](crate::tour::ChangeSet)s on the change feed; reads are
//! views computed from the events devices sent. Station tablets see their station's tours,
//! supervisors the tours of the drivers they ride with, drivers their own.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::events::{BlobKindDto, CardMessageDto, DeliveryMethodDto, FailureReasonDto};
use crate::tour::TourChange;

/// `GET` — the tours the signed-in person may see, with their progress.
pub const TOURS: &str = "/v1/dispatch/tours";
/// `GET /v1/dispatch/tours/{tour_id}` — the current plan ([`crate::tour::TourSnapshot`]).
/// Sub-resources: `/progress`, `/outcomes`, `/cards`, `/missing-blobs`, `/rejections`
/// (`GET`), `/changes` (`POST` a [`ChangeRequest`], answered with the `ChangeSet`) and
/// `/route` ([`TOUR_ROUTE`]).
pub const TOUR: &str = "/v1/dispatch/tours/{tour_id}";
/// `GET` — a tour's progress ([`TourProgress`]).
pub const TOUR_PROGRESS: &str = "/v1/dispatch/tours/{tour_id}/progress";
/// `GET` — the outcomes recorded on a tour ([`OutcomeView`]s).
pub const TOUR_OUTCOMES: &str = "/v1/dispatch/tours/{tour_id}/outcomes";
/// `GET` — the notification cards left on a tour ([`CardView`]s).
pub const TOUR_CARDS: &str = "/v1/dispatch/tours/{tour_id}/cards";
/// `GET` — photos and signatures of a tour not uploaded yet ([`MissingBlobView`]s).
pub const TOUR_MISSING_BLOBS: &str = "/v1/dispatch/tours/{tour_id}/missing-blobs";
/// `GET` — a tour's events the server refused ([`RejectionView`]s).
pub const TOUR_REJECTIONS: &str = "/v1/dispatch/tours/{tour_id}/rejections";
/// `POST` a [`ChangeRequest`] — edit a tour; answered with its `ChangeSet`.
pub const TOUR_CHANGES: &str = "/v1/dispatch/tours/{tour_id}/changes";
/// `PUT /v1/dispatch/tours/{tour_id}/route?first_stop=STOP_ID` — the body is a router's
/// response verbatim (OSRM `/route` with `steps=true`, or Valhalla `/route`, native or
/// `format=osrm`). Leg k becomes the route of the k-th stop counting from `first_stop`
/// (default: the tour's first stop) in the current order; each leg must end within
/// [`ROUTE_LEG_END_TOLERANCE_M`] of its stop. One change set of `RouteChanged` carries the
/// legs to devices; answered with a [`RouteReport`].
pub const TOUR_ROUTE: &str = "/v1/dispatch/tours/{tour_id}/route";
/// How far (metres) a route leg's end (its last maneuver) may lie from the stop it leads to.
/// Routers snap stops to the nearest road, so a few dozen metres are normal; more means the
/// leg belongs to another stop.
pub const ROUTE_LEG_END_TOLERANCE_M: f64 = 250.0;
/// `POST` — import tours in our own JSON (one [`crate::tour::TourSnapshot`] or a list).
pub const IMPORT_OWN: &str = "/v1/dispatch/import/own";
/// `POST` — import tours in the Amazon LMRRC 2021 format ([`LmrrcImportRequest`]).
pub const IMPORT_LMRRC: &str = "/v1/dispatch/import/lmrrc";

/// `POST` — a station lead lifts the PIN lockout of a person of their own station
/// (answered with an [`UnlockReport`]; `404 unknown_person` for anyone else).
pub const UNLOCK_PERSON: &str = "/v1/dispatch/people/{user_id}/unlock";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnlockReport {
    pub user_id: String,
    /// Roles of this person at the station whose lockout was lifted.
    pub roles: Vec<crate::auth::Role>,
}

/// Edits dispatch commits to one tour in one change set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeRequest {
    pub changes: Vec<TourChange>,
}

/// Amazon LMRRC 2021 `route_data.json` and `package_data.json`, each the file's text
/// verbatim (the files hold `NaN`, which is not JSON, so they travel as strings).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LmrrcImportRequest {
    pub route_data: String,
    pub package_data: String,
    /// Drivers to assign, in route order (round robin). Without it routes keep the driver
    /// the importer gave them.
    #[serde(default)]
    pub drivers: Vec<String>,
    /// Re-date every imported tour (LMRRC routes are from 2018).
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// Import at most this many routes.
    #[serde(default)]
    pub limit: Option<usize>,
    /// Put every tour at this station (its id, name and position come from the server).
    #[serde(default)]
    pub station_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub tour_ids: Vec<String>,
}

/// What `PUT .../route` did: the change set's cursor and the stops that got a leg, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RouteReport {
    pub cursor: u64,
    pub stops: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TourSummary {
    pub tour_id: String,
    pub station_id: String,
    pub driver_id: String,
    pub date: NaiveDate,
    pub progress: TourProgress,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TourProgress {
    pub stops_total: u32,
    /// Stops where every parcel has an outcome, or that were skipped.
    pub stops_done: u32,
    pub parcels_total: u32,
    pub delivered: u32,
    pub failed: u32,
    pub returns_picked_up: u32,
    /// Events of this tour the server refused (recorded, not applied).
    pub rejected_events: u32,
    /// Outcomes recorded on stops dispatch had removed meanwhile (kept, flagged).
    pub conflicts: u32,
    pub missing_blobs: u32,
    pub last_event_received_at: Option<DateTime<Utc>>,
    /// Change-feed position of the current plan.
    pub cursor: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum OutcomeKind {
    Delivered { method: DeliveryMethodDto },
    Failed { reason: FailureReasonDto },
    ReturnPickedUp { label: String },
    StopSkipped,
}

/// One applied outcome event, with both clocks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeView {
    pub event_id: uuid::Uuid,
    pub device_id: String,
    pub seq: u64,
    pub stop_id: String,
    pub tracking_id: Option<String>,
    #[serde(flatten)]
    pub kind: OutcomeKind,
    /// The device's clock when the driver acted (kept as recorded).
    pub recorded_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    /// Estimated device clock minus server clock, in milliseconds, when received.
    pub clock_offset_ms: i64,
    /// Undone later by an `outcome_undone` event.
    pub undone: bool,
    /// Set when the outcome clashes with dispatch's plan, e.g. `"stop_removed"`.
    pub conflict: Option<String>,
    /// The drivers' correction notes, oldest first.
    pub corrections: Vec<String>,
    /// What the latest correction that chose an outcome says the outcome is instead (the
    /// event above stays as recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrected_to: Option<crate::events::CorrectedOutcomeDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardView {
    pub event_id: uuid::Uuid,
    pub stop_id: String,
    pub tracking_id: String,
    pub card_number: String,
    pub says: CardMessageDto,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MissingBlobView {
    pub sha256: String,
    pub kind: BlobKindDto,
    pub bytes: u64,
    pub event_id: uuid::Uuid,
    pub device_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RejectionView {
    pub event_id: uuid::Uuid,
    pub device_id: String,
    pub seq: u64,
    pub code: String,
    pub message: String,
    pub received_at: DateTime<Utc>,
}
