//! The audit trail (issue 16): every read of a driver's proof (photos, signatures) or of a
//! driver's day by someone other than that driver, as the station lead sees it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::auth::Role;

/// `GET ?driver_id=&limit=` — the reads of the lead's station, newest first ([`AuditEntry`]s;
/// station leads only, `403 not_station_lead` for anyone else).
pub const AUDIT: &str = "/v1/station/audit";

/// What was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditRead {
    /// A photo or signature file (`target`: its SHA-256).
    Proof,
    /// A tour's outcomes, progress, cards or rejections in dispatch's views (`target`: the
    /// tour id).
    Tour,
    /// The driver's day on the station tablet or its close-outs (`target`: the date).
    Day,
}

/// One read: who read what of which driver, when (server clock).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: String,
    pub actor_role: Role,
    pub driver_id: String,
    pub what: AuditRead,
    pub target: String,
}
