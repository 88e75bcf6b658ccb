//! Device enrolment and sign-in.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `POST` — a station's enrolment code turns a new device into a known one.
pub const ENROL: &str = "/v1/devices/enrol";
/// `POST` — a person signs in on an enrolled device.
pub const SIGN_IN: &str = "/v1/session";
/// `POST` — exchange a refresh token for a new access token.
pub const REFRESH: &str = "/v1/session/refresh";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrolRequest {
    pub enrolment_code: String,
    pub device_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrolResponse {
    pub device_id: String,
    /// Long-lived secret of the device; sent with every sign-in.
    pub device_token: String,
    pub station_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Driver,
    Station,
    Supervisor,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignInRequest {
    pub device_id: String,
    pub device_token: String,
    pub role: Role,
    /// Driver id, station lead id or supervisor id.
    pub user_id: String,
    pub pin: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub access_token: String,
    pub expires_at: DateTime<Utc>,
    pub refresh_token: String,
    pub role: Role,
    pub user_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefreshRequest {
    pub refresh_token: String,
    /// The device presenting the token, with its secret. With them, a refresh whose answer was
    /// lost may be retried with the same (previous) token for a short grace period and gets
    /// the same new pair; a token presented by another device revokes the session. Without
    /// them (older apps) every reuse of a previous token revokes the session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_token: Option<String>,
}
