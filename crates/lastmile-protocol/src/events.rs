//! Driver actions as they travel from a device's outbox to the server.
//!
//! Every event carries the device id, its gap-free per-device sequence number and a
//! time-ordered id (UUIDv7). The device's clock reading is kept as a recorded fact
//! (`recorded_at`); ordering never depends on it. The person signed in when the driver acted
//! travels with the event (`recorded_by`): on a shared handheld the next driver's session may
//! upload it, and the server judges it by the rights of the person who recorded it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use crate::auth::Role;
pub use crate::tour::LatLon;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventEnvelope {
    /// UUIDv7, unique across all devices.
    pub event_id: Uuid,
    pub device_id: String,
    /// 1, 2, 3, ... per device with no gaps.
    pub seq: u64,
    pub tour_id: String,
    /// The device's clock when the driver acted.
    pub recorded_at: DateTime<Utc>,
    pub position: Option<PositionDto>,
    pub app_version: String,
    /// Who was signed in on the device when the event was recorded. Absent in events of
    /// older apps: the server then takes the uploading session's person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<Person>,
    pub body: EventBody,
}

/// A person as the server knows them: user id and role (one id may hold several roles).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    pub user_id: String,
    pub role: Role,
}

/// A position fix and its accuracy radius in metres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PositionDto {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: Option<f32>,
}

/// SHA-256 of a blob (photo, signature image, signature strokes), lowercase hex.
pub type BlobHash = String;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventBody {
    /// The driver arrived at a stop (position recorded for the geofence check).
    StopArrived {
        stop_id: String,
    },
    ParcelDelivered {
        stop_id: String,
        tracking_id: String,
        method: DeliveryMethodDto,
        /// The card left in the recipient's mailbox (e.g. "with neighbour X").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        card: Option<NotificationCardDto>,
        /// The driver confirmed identity / age on the screen (parcels with an ID check).
        #[serde(default)]
        id_checked: bool,
        /// Photos and signature files referenced by hash; uploaded beside the stream.
        #[serde(default)]
        blobs: Vec<BlobRefDto>,
    },
    DeliveryFailed {
        stop_id: String,
        tracking_id: String,
        reason: FailureReasonDto,
        card: Option<NotificationCardDto>,
        #[serde(default)]
        blobs: Vec<BlobRefDto>,
    },
    ReturnPickedUp {
        stop_id: String,
        /// Tracking id / label scanned from the return.
        label: String,
        #[serde(default)]
        blobs: Vec<BlobRefDto>,
    },
    StopSkipped {
        stop_id: String,
    },
    /// Compensates an earlier outcome within the undo window.
    OutcomeUndone {
        undone_event_id: Uuid,
        stop_id: String,
        tracking_id: String,
    },
    /// A later correction of a parcel's outcome; history is never edited. `note` is the
    /// driver's reason. With `outcome`, the parcel's outcome is that instead of the corrected
    /// one (the screens, the summary and dispatch's views show it; the original stays in
    /// history); without it (apps before corrections chose an outcome) it is a note only.
    OutcomeCorrected {
        corrected_event_id: Uuid,
        note: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        outcome: Option<CorrectedOutcomeDto>,
    },
    /// Sent by the sync engine in place of an event larger than the server takes in one
    /// request: it keeps the stream's sequence moving, so the events behind it are not held
    /// up, while the original stays in the device's outbox under the same event id. The
    /// server records it as rejected (`event_too_large`), which the device and dispatch see.
    TooLarge {
        /// The original event's `type` (e.g. `parcel_delivered`).
        original_type: String,
        /// Size of the original event as JSON.
        bytes: u64,
    },
    // --- Station tablet (issue 12): recorded by the station lead on the tablet (the driver's
    // own inspection and load-out scans also on their phone), about the driver named here.
    /// The driver reported at the station for the day's tour.
    DriverCheckedIn {
        driver_id: String,
        /// The check-in pass the driver's phone showed (a check-in by code, possibly while
        /// the station Wi-Fi was down); `None` when the server checked the PIN.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pass: Option<String>,
    },
    /// The driver was given a vehicle of the station's fleet.
    VehicleAssigned {
        driver_id: String,
        plate: String,
    },
    /// A walk-around inspection; a defect on a safety item holds the tour (pre-trip).
    InspectionRecorded {
        driver_id: String,
        plate: String,
        phase: crate::station::InspectionPhase,
        template_id: String,
        template_version: u32,
        items: Vec<crate::station::InspectionItemResult>,
    },
    /// The lead released a held tour.
    HoldCleared {
        driver_id: String,
        resolution: crate::station::HoldResolution,
    },
    /// An open defect of a vehicle was repaired (it no longer carries over).
    DefectRepaired {
        driver_id: String,
        plate: String,
        item_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A stack of notification cards handed to the driver.
    CardStackIssued {
        driver_id: String,
        range: crate::station::CardRange,
    },
    /// A parcel of the tour scanned into the van.
    ParcelLoaded {
        driver_id: String,
        tracking_id: String,
    },
    /// A parcel of the tour stays at the station; it leaves the driver's tour.
    ParcelNotLoaded {
        driver_id: String,
        tracking_id: String,
        reason: crate::station::NotLoadedReason,
    },
    /// In the evening: a parcel (not delivered) or a picked-up return scanned back in.
    ParcelReturned {
        driver_id: String,
        tracking_id: String,
    },
    /// Unused cards handed back (a range, or one card with `first == last`).
    CardsReturned {
        driver_id: String,
        range: crate::station::CardRange,
    },
    /// Why a parcel, a return or a card does not add up.
    DiscrepancyExplained {
        driver_id: String,
        subject: String,
        explanation: String,
    },
    /// The day's close-out, signed by the driver and the lead on the tablet.
    CloseOutSigned {
        driver_id: String,
        summary: crate::station::CloseOutSummary,
        driver_signature: crate::station::SignatureDto,
        lead_signature: crate::station::SignatureDto,
    },

    // ---- Supervisor ride-along (see `crate::ride`). `tour_id` is the driver's tour. ----
    /// A supervisor starts riding along with the driver of the envelope's tour (today's).
    RideAlongStarted {
        /// Chosen by the supervisor's device; names the record from now on.
        ride_along_id: Uuid,
        supervisor_id: String,
        driver_id: String,
    },
    /// What the supervisor saw, at a stop or for the day.
    RideObservation {
        ride_along_id: Uuid,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stop_id: Option<String>,
        category: crate::ride::ObservationCategoryDto,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        photo: Option<BlobRefDto>,
    },
    /// One checklist item graded (a later grade of the same item replaces it).
    RideChecklistGraded {
        ride_along_id: Uuid,
        template_id: String,
        template_version: u32,
        item_id: String,
        grade: crate::ride::GradeDto,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The supervisor helped at a stop: it is kept out of the driver's pace.
    RideStopAssisted {
        ride_along_id: Uuid,
        stop_id: String,
        what: crate::ride::AssistDto,
    },
    /// The supervisor ends the ride-along with coaching notes and their signature.
    RideSupervisorSigned {
        ride_along_id: Uuid,
        coaching_notes: String,
        /// The pad's image and strokes.
        signature: Vec<BlobRefDto>,
    },
    /// The driver read the signed record, may comment, and signs: the record is final.
    RideDriverSigned {
        ride_along_id: Uuid,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
        signature: Vec<BlobRefDto>,
    },
    /// The driver declines to sign, saying why: the record is final, as declined.
    RideDriverDeclined {
        ride_along_id: Uuid,
        comment: String,
    },
    /// A later change of a final record: a new record (`ride_along_id`) for the same
    /// driver and tour that points at the one it amends, recorded and signed anew.
    RideAlongAmended {
        ride_along_id: Uuid,
        amends: Uuid,
        reason: String,
    },

    // ---- Service visits (issue 14, see `crate::service`): recorded by the driver. ----
    /// The driver started the visit at a service stop.
    ServiceStarted {
        stop_id: String,
    },
    /// The visit is done: every checklist item answered, the customer's name and sign-off
    /// signature (the pad's image and strokes) and an optional photo in `blobs`.
    ServiceFinished {
        stop_id: String,
        items: Vec<crate::service::ServiceItemResultDto>,
        customer_name: String,
        #[serde(default)]
        blobs: Vec<BlobRefDto>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlobRefDto {
    pub sha256: BlobHash,
    pub kind: BlobKindDto,
    pub bytes: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BlobKindDto {
    Photo,
    SignatureImage,
    SignatureStrokes,
    CardPhoto,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum DeliveryMethodDto {
    Recipient {
        name: String,
    },
    Neighbour {
        name: String,
        house_number: String,
    },
    SafePlace {
        description: String,
    },
    /// `name` was added after `shop_id`: events recorded before it carry none.
    ParcelShop {
        shop_id: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        name: String,
    },
    Locker {
        locker_id: String,
        compartment: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pickup_code: Option<String>,
    },
}

/// The outcome a correction puts in place of the corrected one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum CorrectedOutcomeDto {
    Delivered { method: DeliveryMethodDto },
    Failed { reason: FailureReasonDto },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FailureReasonDto {
    NobodyHome,
    Refused,
    Damaged,
    AddressNotFound,
    NoAccess,
    BusinessClosed,
    OutOfTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationCardDto {
    pub card_number: String,
    pub says: CardMessageDto,
}

/// What the card left in the mailbox tells the recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CardMessageDto {
    WithNeighbour { name: String, house_number: String },
    AtParcelShop { shop: String },
    InLocker { locker: String, compartment: String },
    NextAttempt,
    PickUpAtStation,
}

impl EventBody {
    /// The event's kind as it travels (`type`) and as the server stores it.
    pub fn kind(&self) -> &'static str {
        match self {
            EventBody::StopArrived { .. } => "stop_arrived",
            EventBody::ParcelDelivered { .. } => "parcel_delivered",
            EventBody::DeliveryFailed { .. } => "delivery_failed",
            EventBody::ReturnPickedUp { .. } => "return_picked_up",
            EventBody::StopSkipped { .. } => "stop_skipped",
            EventBody::OutcomeUndone { .. } => "outcome_undone",
            EventBody::OutcomeCorrected { .. } => "outcome_corrected",
            EventBody::TooLarge { .. } => "too_large",
            EventBody::DriverCheckedIn { .. } => "driver_checked_in",
            EventBody::VehicleAssigned { .. } => "vehicle_assigned",
            EventBody::InspectionRecorded { .. } => "inspection_recorded",
            EventBody::HoldCleared { .. } => "hold_cleared",
            EventBody::DefectRepaired { .. } => "defect_repaired",
            EventBody::CardStackIssued { .. } => "card_stack_issued",
            EventBody::ParcelLoaded { .. } => "parcel_loaded",
            EventBody::ParcelNotLoaded { .. } => "parcel_not_loaded",
            EventBody::ParcelReturned { .. } => "parcel_returned",
            EventBody::CardsReturned { .. } => "cards_returned",
            EventBody::DiscrepancyExplained { .. } => "discrepancy_explained",
            EventBody::CloseOutSigned { .. } => "close_out_signed",
            // Supervisor ride-along.
            EventBody::RideAlongStarted { .. } => "ride_along_started",
            EventBody::RideObservation { .. } => "ride_observation",
            EventBody::RideChecklistGraded { .. } => "ride_checklist_graded",
            EventBody::RideStopAssisted { .. } => "ride_stop_assisted",
            EventBody::RideSupervisorSigned { .. } => "ride_supervisor_signed",
            EventBody::RideDriverSigned { .. } => "ride_driver_signed",
            EventBody::RideDriverDeclined { .. } => "ride_driver_declined",
            EventBody::RideAlongAmended { .. } => "ride_along_amended",
            // Service visits.
            EventBody::ServiceStarted { .. } => "service_started",
            EventBody::ServiceFinished { .. } => "service_finished",
        }
    }

    /// The driver a station event is about (`None` for a driver's own outcome events).
    pub fn station_driver(&self) -> Option<&str> {
        match self {
            EventBody::DriverCheckedIn { driver_id, .. }
            | EventBody::VehicleAssigned { driver_id, .. }
            | EventBody::InspectionRecorded { driver_id, .. }
            | EventBody::HoldCleared { driver_id, .. }
            | EventBody::DefectRepaired { driver_id, .. }
            | EventBody::CardStackIssued { driver_id, .. }
            | EventBody::ParcelLoaded { driver_id, .. }
            | EventBody::ParcelNotLoaded { driver_id, .. }
            | EventBody::ParcelReturned { driver_id, .. }
            | EventBody::CardsReturned { driver_id, .. }
            | EventBody::DiscrepancyExplained { driver_id, .. }
            | EventBody::CloseOutSigned { driver_id, .. } => Some(driver_id),
            _ => None,
        }
    }

    /// Every photo and signature file the event names.
    pub fn blob_refs(&self) -> Vec<BlobRefDto> {
        match self {
            EventBody::ParcelDelivered { blobs, .. }
            | EventBody::DeliveryFailed { blobs, .. }
            | EventBody::ReturnPickedUp { blobs, .. }
            | EventBody::ServiceFinished { blobs, .. } => blobs.clone(),
            EventBody::InspectionRecorded { items, .. } => {
                items.iter().filter_map(|i| i.photo.clone()).collect()
            }
            EventBody::CloseOutSigned {
                driver_signature,
                lead_signature,
                ..
            } => [driver_signature, lead_signature]
                .into_iter()
                .flat_map(|s| std::iter::once(s.strokes.clone()).chain(s.image.clone()))
                .collect(),
            EventBody::RideObservation { photo, .. } => photo.iter().cloned().collect(),
            EventBody::RideSupervisorSigned { signature, .. }
            | EventBody::RideDriverSigned { signature, .. } => signature.clone(),
            _ => Vec::new(),
        }
    }

    /// The ride-along record a ride-along event belongs to (None for the driver's events).
    pub fn ride_along_id(&self) -> Option<Uuid> {
        match self {
            EventBody::RideAlongStarted { ride_along_id, .. }
            | EventBody::RideObservation { ride_along_id, .. }
            | EventBody::RideChecklistGraded { ride_along_id, .. }
            | EventBody::RideStopAssisted { ride_along_id, .. }
            | EventBody::RideSupervisorSigned { ride_along_id, .. }
            | EventBody::RideDriverSigned { ride_along_id, .. }
            | EventBody::RideDriverDeclined { ride_along_id, .. }
            | EventBody::RideAlongAmended { ride_along_id, .. } => Some(*ride_along_id),
            _ => None,
        }
    }
}
