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
    /// A later correction note; history is never edited.
    OutcomeCorrected {
        corrected_event_id: Uuid,
        note: String,
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
    Recipient { name: String },
    Neighbour { name: String, house_number: String },
    SafePlace { description: String },
    ParcelShop { shop_id: String },
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
    NextAttempt,
    PickUpAtStation,
}
