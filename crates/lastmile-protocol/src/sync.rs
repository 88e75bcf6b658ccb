//! Batch upload, acknowledgement, change feed and blob upload.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::events::EventEnvelope;
use crate::tour::ChangeSet;

/// `POST` — a batch of events from one device.
pub const EVENTS: &str = "/v1/events";
/// `GET ?after=CURSOR` — tour changes after a cursor.
pub const CHANGES: &str = "/v1/changes";
/// `PUT /v1/blobs/{sha256}` — upload (or resume) a blob; `HEAD` tells how much the server has.
pub const BLOBS: &str = "/v1/blobs";
/// `PUT`, `HEAD`, `GET` — one blob by its SHA-256 (see [`BLOBS`]).
pub const BLOB: &str = "/v1/blobs/{sha256}";
/// `GET`, `HEAD` — the offline map of the caller's station: one MBTiles file (issue 17).
/// Ask for pieces with `Range: bytes=START-` (the answer is `206` with `Content-Range`, at
/// most [`MAP_PIECE_BYTES`] a piece); `ETag` is the archive's SHA-256 in quotes. `If-Range`
/// with an old ETag gets the new archive from byte 0; `If-None-Match` with the current
/// one gets `304`.
pub const MAP: &str = "/v1/map";
/// The most bytes one ranged answer of [`MAP`] carries.
pub const MAP_PIECE_BYTES: u64 = 1024 * 1024;
/// `GET` — the upload state of a blob ([`BlobStatus`]).
pub const BLOB_STATUS: &str = "/v1/blobs/{sha256}/status";
/// `GET` — today's tour snapshot for the signed-in driver.
pub const TOUR: &str = "/v1/tour";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventBatch {
    pub device_id: String,
    /// In ascending `seq` order; may start below the server's acknowledged sequence (resend).
    pub events: Vec<EventEnvelope>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchAck {
    /// Every event of this device with `seq <= acked_seq` is durably applied or rejected.
    pub acked_seq: u64,
    pub rejections: Vec<Rejection>,
    pub server_time: DateTime<Utc>,
    /// Blobs referenced by this device's events that the server does not yet have.
    #[serde(default)]
    pub missing_blobs: Vec<String>,
}

/// An event the server refused on validation; recorded, reported, and skipped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rejection {
    pub seq: u64,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangesPage {
    pub change_sets: Vec<ChangeSet>,
    /// The cursor to ask with next time; equal to the request's when nothing is new.
    pub cursor: u64,
}

/// Optional request header on [`EVENTS`]: the device's clock (RFC 3339) when it sent the
/// batch. The server's clock-offset estimate is better with it; without it the server uses
/// the newest `recorded_at` of the batch as a lower bound.
pub const DEVICE_TIME_HEADER: &str = "x-lastmile-device-time";

/// Request header of a resumable blob upload: `Content-Range: bytes START-END/TOTAL`
/// (standard syntax). Without it a `PUT` carries the whole blob. Answer header of `HEAD`
/// and `PUT`: how many bytes the server holds for an unfinished upload.
pub const UPLOAD_OFFSET_HEADER: &str = "upload-offset";

/// Parses a `Content-Range` request header, `bytes START-END/TOTAL`, into (start, end
/// inclusive, total). Whether the range fits the total and the body is the caller's check.
pub fn parse_content_range(v: &str) -> Option<(u64, u64, u64)> {
    let rest = v.trim().strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, end) = range.split_once('-')?;
    Some((
        start.trim().parse().ok()?,
        end.trim().parse().ok()?,
        total.trim().parse().ok()?,
    ))
}

/// The `Content-Range` header of the piece `start..=end` of a blob of `total` bytes, in the
/// form [`parse_content_range`] reads.
pub fn content_range(start: u64, end: u64, total: u64) -> String {
    format!("bytes {start}-{end}/{total}")
}

/// Content types a blob may have: photos (`image/jpeg`, `image/png`) and signature strokes
/// (`application/json`).
pub const BLOB_CONTENT_TYPES: [&str; 3] = ["image/jpeg", "image/png", "application/json"];

/// Answer of `PUT /v1/blobs/{sha256}` (and body of `GET /v1/blobs/{sha256}/status`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlobStatus {
    pub sha256: String,
    /// Verified and visible: the upload is finished.
    pub complete: bool,
    /// Bytes the server holds (the whole size once complete).
    pub received: u64,
    /// Total size announced by the uploader, once known.
    pub total: Option<u64>,
}
