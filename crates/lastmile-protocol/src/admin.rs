//! Administration: how stations, enrolment codes, people and tours get into a server.
//!
//! A [`Seed`] is what `lastmile-server seed --file seed.json` reads and what
//! `POST` [`SEED`] accepts (with the admin token from the server's command line). Seeding is
//! an upsert: running the same seed twice leaves the same state, so demo scripts can re-run.

use serde::{Deserialize, Serialize};

use crate::auth::Role;
use crate::tour::{LatLon, TourSnapshot};

/// `POST` — apply a [`Seed`]; `Authorization: Bearer <admin token>`.
pub const SEED: &str = "/v1/admin/seed";

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Seed {
    #[serde(default)]
    pub stations: Vec<SeedStation>,
    #[serde(default)]
    pub users: Vec<SeedUser>,
    /// Tours in our own snapshot format; their station and driver must be seeded too.
    #[serde(default)]
    pub tours: Vec<TourSnapshot>,
    /// Station tablet: the stations' fleets (upserted by station and plate).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vehicles: Vec<SeedVehicle>,
    /// Station tablet: inspection templates (a station without one gets
    /// [`InspectionTemplate::default_template`](crate::station::InspectionTemplate::default_template)).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inspection_templates: Vec<SeedTemplate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeedVehicle {
    pub station_id: String,
    pub plate: String,
    #[serde(default)]
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeedTemplate {
    pub station_id: String,
    pub template: crate::station::InspectionTemplate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeedStation {
    pub station_id: String,
    pub name: String,
    pub position: LatLon,
    /// Codes a device types (or scans) to enrol at this station.
    #[serde(default)]
    pub enrolment_codes: Vec<SeedEnrolmentCode>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeedEnrolmentCode {
    /// The code; empty (or absent) and the server draws a random one (80 bits, listed in
    /// [`SeedReport::generated_codes`]), which expires after a week unless `expires_at`
    /// says otherwise.
    #[serde(default)]
    pub code: String,
    /// How many devices may enrol with it (1 = single use).
    #[serde(default = "one")]
    pub max_uses: u32,
    /// After this the code enrols nobody (`enrolment_code_expired`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeedUser {
    pub user_id: String,
    pub role: Role,
    pub station_id: String,
    /// Stored only as an argon2 hash.
    pub pin: String,
    #[serde(default)]
    pub name: Option<String>,
    /// Supervisors only: the drivers they ride with (they see those drivers' tours).
    #[serde(default)]
    pub rides_with: Vec<String>,
}

/// Answer of [`SEED`]: what the seed touched.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeedReport {
    pub stations: usize,
    pub enrolment_codes: usize,
    pub users: usize,
    pub tours: usize,
    /// Codes the server drew for entries of the seed that gave none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub generated_codes: Vec<GeneratedCode>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GeneratedCode {
    pub station_id: String,
    pub code: String,
    pub max_uses: u32,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}
