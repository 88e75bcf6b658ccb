//! Endpoints and the error body every endpoint returns on failure.

use serde::{Deserialize, Serialize};

/// `GET` — liveness and server time; used by the app to show "connected".
pub const HEALTH: &str = "/v1/health";

/// Answer of [`HEALTH`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// Always `"ok"` when the server answers at all.
    pub status: String,
    /// Server version (crate version).
    pub version: String,
    /// Which storage backend serves this instance: `"sqlite"` or `"postgres"`.
    pub backend: String,
    /// Server wall-clock time at the moment of the answer.
    pub server_time: chrono::DateTime<chrono::Utc>,
}

/// Body of every 4xx/5xx answer. `code` is stable and machine-readable; `message` is for
/// logs and developers. Clients translate `code`, never show `message` to drivers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}
