//! Device enrolment and sign-in.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `POST` — a station's enrolment code turns a new device into a known one.
pub const ENROL: &str = "/v1/devices/enrol";
/// `POST` — a person signs in on an enrolled device.
pub const SIGN_IN: &str = "/v1/session";
/// `POST` — exchange a refresh token for a new access token.
pub const REFRESH: &str = "/v1/session/refresh";
/// `POST` — a device registers the hash of its stream key (the secret kept with its outbox).
pub const STREAM_KEY: &str = "/v1/devices/stream-key";
/// `POST` — a freshly enrolled device takes over the event stream of the device it was
/// before (credentials lost, outbox kept), proving it with the stream key.
pub const REBIND: &str = "/v1/devices/rebind";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolRequest {
    pub enrolment_code: String,
    pub device_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolResponse {
    pub device_id: String,
    /// Long-lived secret of the device; sent with every sign-in.
    pub device_token: String,
    pub station_id: String,
}

/// Body of [`STREAM_KEY`]. The key itself never leaves the device except in a [`RebindRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreamKeyRequest {
    pub device_id: String,
    pub device_token: String,
    /// SHA-256 of the stream key, lowercase hex.
    pub stream_key_hash: String,
}

/// Body of [`REBIND`]: `device_id`/`device_token` are the new enrolment's; the answer's
/// device id is the old one, which the device keeps sending under (with the new token).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RebindRequest {
    pub device_id: String,
    pub device_token: String,
    /// The device id the queued events carry.
    pub old_device_id: String,
    /// The stream key whose hash the old device registered.
    pub stream_key: String,
}

/// Answer of [`REBIND`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RebindResponse {
    /// The old device id; the new enrolment's token now signs in as it.
    pub device_id: String,
    pub station_id: String,
    /// The highest sequence of that stream the server has.
    pub acked_seq: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Driver,
    Station,
    Supervisor,
    /// An independent driver with their own car and phone who takes blocks of work
    /// (issue 15); signs in like a driver and, on a won block, drives a tour like one.
    Flex,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInRequest {
    pub device_id: String,
    pub device_token: String,
    pub role: Role,
    /// Driver id, station lead id or supervisor id.
    pub user_id: String,
    pub pin: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub access_token: String,
    pub expires_at: DateTime<Utc>,
    pub refresh_token: String,
    pub role: Role,
    pub user_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
