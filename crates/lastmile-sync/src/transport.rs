//! The HTTP transport: one small function per endpoint, no retry policy (that is the
//! engine's job), every request bounded by a timeout so a dead network never hangs a caller.
//!
//! Failures are classified into the kinds the engine acts on ([`TransportError::failure`]):
//! no answer, 401, a permanent 4xx, or a transient 5xx/408/429. Event batches go out
//! gzip-compressed (the server decompresses request bodies); answers are decompressed by
//! reqwest. Blob uploads are resumable: `HEAD` says how much the server holds, the rest goes
//! in `Content-Range` pieces.
//!
//! A [`FaultInjector`] can drop requests before they leave or answers after the server
//! committed, and add latency — the fleet simulator's faults, injected where the network is.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use lastmile_protocol::admin::{SEED, Seed, SeedReport};
use lastmile_protocol::api::{ErrorBody, HEALTH, Health};
use lastmile_protocol::auth::{
    ENROL, EnrolRequest, EnrolResponse, REBIND, REFRESH, RebindRequest, RebindResponse,
    RefreshRequest, SIGN_IN, STREAM_KEY, Session, SignInRequest, StreamKeyRequest,
};
use lastmile_protocol::sync::{
    BLOBS, BatchAck, BlobStatus, CHANGES, ChangesPage, DEVICE_TIME_HEADER, EVENTS, EventBatch,
    TOUR, UPLOAD_OFFSET_HEADER,
};
use lastmile_protocol::tour::TourSnapshot;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::engine::Failure;

/// Why a request did not produce an answer the caller can use.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// No answer: refused, DNS, TLS, timeout, or the answer was lost. Worth retrying later.
    #[error("server not reachable: {0}")]
    Unreachable(String),
    /// The server answered with an error status (`code` from its [`ErrorBody`], if any).
    #[error("server answered {status} {code}: {message}")]
    Status {
        status: u16,
        code: String,
        message: String,
    },
    /// The server answered 2xx with a body we cannot read (version skew or a proxy).
    #[error("unreadable answer from server: {0}")]
    BadBody(String),
    /// The request could not even be built (e.g. serialization); a bug on this side.
    #[error("cannot build the request: {0}")]
    Local(String),
}

impl TransportError {
    /// The kind the engine acts on.
    pub fn failure(&self) -> Failure {
        match self {
            TransportError::Unreachable(detail) => Failure::Unreachable {
                detail: detail.clone(),
            },
            TransportError::Status {
                status: 401, code, ..
            } => Failure::Unauthorized { code: code.clone() },
            TransportError::Status { status, code, .. }
                if *status == 408 || *status == 429 || *status >= 500 =>
            {
                Failure::Transient {
                    status: *status,
                    code: code.clone(),
                }
            }
            TransportError::Status { status, code, .. } => Failure::Permanent {
                status: *status,
                code: code.clone(),
            },
            TransportError::BadBody(_) => Failure::Transient {
                status: 200,
                code: "bad_body".to_owned(),
            },
            TransportError::Local(_) => Failure::Permanent {
                status: 0,
                code: "local".to_owned(),
            },
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            TransportError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Where a fault injector may act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultPoint {
    /// Before the request leaves: the server never sees it.
    Request,
    /// After the server answered: it may have committed, the device never learns.
    Response,
}

/// Test and simulation hook: drop traffic and add latency. The app never installs one.
pub trait FaultInjector: Send + Sync + std::fmt::Debug {
    /// True: drop the request (at [`FaultPoint::Request`]) or its answer.
    fn drop_here(&self, point: FaultPoint, path: &str) -> bool;
    /// Extra delay before the request is sent.
    fn latency(&self) -> Duration {
        Duration::ZERO
    }
}

/// Counts of what went over the wire (for benchmarks and the simulator).
#[derive(Debug, Default)]
pub struct WireStats {
    pub requests: std::sync::atomic::AtomicU64,
    /// Bytes of request bodies as sent (after compression).
    pub body_bytes: std::sync::atomic::AtomicU64,
}

/// A configured connection to one sync server.
#[derive(Debug, Clone)]
pub struct ServerClient {
    base_url: String,
    http: reqwest::Client,
    faults: Option<Arc<dyn FaultInjector>>,
    stats: Arc<WireStats>,
    /// Blob bytes per `PUT`; larger blobs go in pieces so a cut upload loses at most one.
    blob_chunk: usize,
}

impl ServerClient {
    /// `base_url` like `http://127.0.0.1:8080` (no trailing slash needed). `timeout` bounds
    /// every request, connection included.
    pub fn new(base_url: &str, timeout: Duration) -> Result<Self, TransportError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .map_err(|e| TransportError::Unreachable(e.to_string()))?;
        Ok(Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            http,
            faults: None,
            stats: Arc::new(WireStats::default()),
            blob_chunk: 256 * 1024,
        })
    }

    /// Installs a fault injector (simulator and tests only).
    pub fn with_faults(mut self, faults: Arc<dyn FaultInjector>) -> Self {
        self.faults = Some(faults);
        self
    }

    /// Sets the blob piece size (at least 1 byte).
    pub fn with_blob_chunk(mut self, bytes: usize) -> Self {
        self.blob_chunk = bytes.max(1);
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn stats(&self) -> &WireStats {
        &self.stats
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Sends with faults applied; maps transport errors and error statuses.
    async fn send(
        &self,
        path: &str,
        request: RequestBuilder,
        body_len: usize,
    ) -> Result<Response, TransportError> {
        if let Some(f) = &self.faults {
            let latency = f.latency();
            if !latency.is_zero() {
                tokio::time::sleep(latency).await;
            }
            if f.drop_here(FaultPoint::Request, path) {
                return Err(TransportError::Unreachable(
                    "request dropped (injected fault)".into(),
                ));
            }
        }
        self.stats
            .requests
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.stats
            .body_bytes
            .fetch_add(body_len as u64, std::sync::atomic::Ordering::Relaxed);
        let response = request
            .send()
            .await
            .map_err(|e| TransportError::Unreachable(e.to_string()))?;
        if let Some(f) = &self.faults
            && f.drop_here(FaultPoint::Response, path)
        {
            return Err(TransportError::Unreachable(
                "answer dropped (injected fault)".into(),
            ));
        }
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        Err(status_error(status, response).await)
    }

    async fn json<T: DeserializeOwned>(response: Response) -> Result<T, TransportError> {
        // A body cut mid-way is a lost answer, not a protocol mismatch.
        let bytes = response
            .bytes()
            .await
            .map_err(|e| TransportError::Unreachable(e.to_string()))?;
        serde_json::from_slice(&bytes).map_err(|e| TransportError::BadBody(e.to_string()))
    }

    async fn post_json<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        bearer: Option<&str>,
        body: &B,
    ) -> Result<T, TransportError> {
        let body = serde_json::to_vec(body).map_err(|e| TransportError::Local(e.to_string()))?;
        let len = body.len();
        let mut request = self
            .http
            .post(self.url(path))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        Self::json(self.send(path, request, len).await?).await
    }

    async fn get_json<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &str,
        bearer: &str,
    ) -> Result<T, TransportError> {
        let request = self
            .http
            .get(format!("{}{query}", self.url(path)))
            .bearer_auth(bearer);
        Self::json(self.send(path, request, 0).await?).await
    }

    /// `GET /v1/health`.
    pub async fn health(&self) -> Result<Health, TransportError> {
        let request = self.http.get(self.url(HEALTH));
        Self::json(self.send(HEALTH, request, 0).await?).await
    }

    /// `POST /v1/devices/enrol`: an enrolment code makes this device known.
    pub async fn enrol(&self, req: &EnrolRequest) -> Result<EnrolResponse, TransportError> {
        self.post_json(ENROL, None, req).await
    }

    /// `POST /v1/devices/stream-key`: the server keeps the hash of this device's stream key.
    pub async fn register_stream_key(&self, req: &StreamKeyRequest) -> Result<(), TransportError> {
        let body = serde_json::to_vec(req).map_err(|e| TransportError::Local(e.to_string()))?;
        let len = body.len();
        let request = self
            .http
            .post(self.url(STREAM_KEY))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        self.send(STREAM_KEY, request, len).await.map(|_| ())
    }

    /// `POST /v1/devices/rebind`: a fresh enrolment takes over the stream of the device id
    /// this device's queued events carry.
    pub async fn rebind(&self, req: &RebindRequest) -> Result<RebindResponse, TransportError> {
        self.post_json(REBIND, None, req).await
    }

    /// `POST /v1/session`: a person signs in on an enrolled device.
    pub async fn sign_in(&self, req: &SignInRequest) -> Result<Session, TransportError> {
        self.post_json(SIGN_IN, None, req).await
    }

    /// `POST /v1/session/refresh`: a new access token for a refresh token (which is used up).
    pub async fn refresh(&self, refresh_token: &str) -> Result<Session, TransportError> {
        self.post_json(
            REFRESH,
            None,
            &RefreshRequest {
                refresh_token: refresh_token.to_owned(),
            },
        )
        .await
    }

    /// `GET /v1/tour`: today's tour of the signed-in driver.
    pub async fn fetch_tour(&self, token: &str) -> Result<TourSnapshot, TransportError> {
        self.get_json(TOUR, "", token).await
    }

    /// `POST /v1/events`, gzip-compressed, with the device clock in a header so the server
    /// can estimate its offset.
    pub async fn post_events(
        &self,
        token: &str,
        batch: &EventBatch,
        device_time: DateTime<Utc>,
    ) -> Result<BatchAck, TransportError> {
        let json = serde_json::to_vec(batch).map_err(|e| TransportError::Local(e.to_string()))?;
        let body = gzip(&json)?;
        let len = body.len();
        let request = self
            .http
            .post(self.url(EVENTS))
            .bearer_auth(token)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::CONTENT_ENCODING, "gzip")
            .header(DEVICE_TIME_HEADER, device_time.to_rfc3339())
            .body(body);
        Self::json(self.send(EVENTS, request, len).await?).await
    }

    /// `GET /v1/changes?after=CURSOR`.
    pub async fn get_changes(
        &self,
        token: &str,
        after: u64,
        limit: u32,
    ) -> Result<ChangesPage, TransportError> {
        self.get_json(CHANGES, &format!("?after={after}&limit={limit}"), token)
            .await
    }

    /// `HEAD /v1/blobs/{sha256}`: how many bytes the server holds and whether it is complete.
    pub async fn blob_offset(
        &self,
        token: &str,
        sha256: &str,
    ) -> Result<(u64, bool), TransportError> {
        let path = format!("{BLOBS}/{sha256}");
        let request = self
            .http
            .request(Method::HEAD, self.url(&path))
            .bearer_auth(token);
        match self.send(BLOBS, request, 0).await {
            Ok(response) => {
                let offset = header_u64(&response, UPLOAD_OFFSET_HEADER).unwrap_or(0);
                let complete = response
                    .headers()
                    .get("x-blob-complete")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v == "true");
                Ok((offset, complete))
            }
            // HEAD has no body, so the server's 404 for "nothing yet" has no code either.
            Err(TransportError::Status { status: 404, .. }) => Ok((0, false)),
            Err(e) => Err(e),
        }
    }

    /// Uploads a whole blob, resuming where the server is: asks with `HEAD`, then sends the
    /// rest in pieces of `blob_chunk` bytes with `Content-Range`. Idempotent.
    pub async fn upload_blob(
        &self,
        token: &str,
        sha256: &str,
        content_type: &str,
        data: &[u8],
    ) -> Result<BlobStatus, TransportError> {
        let total = data.len() as u64;
        let (mut offset, complete) = self.blob_offset(token, sha256).await?;
        if complete {
            return Ok(BlobStatus {
                sha256: sha256.to_owned(),
                complete: true,
                received: total,
                total: Some(total),
            });
        }
        let path = format!("{BLOBS}/{sha256}");
        loop {
            let start = usize::try_from(offset)
                .unwrap_or(usize::MAX)
                .min(data.len());
            let end = start.saturating_add(self.blob_chunk).min(data.len());
            let piece = data.get(start..end).unwrap_or_default().to_vec();
            let len = piece.len();
            let mut request = self
                .http
                .put(self.url(&path))
                .bearer_auth(token)
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(piece);
            if !(start == 0 && end == data.len()) {
                request = request.header(
                    reqwest::header::CONTENT_RANGE,
                    format!("bytes {start}-{}/{total}", end.saturating_sub(1)),
                );
            }
            let status: BlobStatus = match self.send(BLOBS, request, len).await {
                Ok(response) => Self::json(response).await?,
                // Someone (an earlier, cut attempt) moved the server on: ask again, resume.
                Err(TransportError::Status {
                    status: 409, code, ..
                }) if code == "offset_mismatch" => {
                    let (o, complete) = self.blob_offset(token, sha256).await?;
                    if complete {
                        return Ok(BlobStatus {
                            sha256: sha256.to_owned(),
                            complete: true,
                            received: total,
                            total: Some(total),
                        });
                    }
                    offset = o;
                    continue;
                }
                Err(e) => return Err(e),
            };
            if status.complete {
                return Ok(status);
            }
            if status.received <= offset {
                return Err(TransportError::BadBody(format!(
                    "blob upload made no progress at {offset}"
                )));
            }
            offset = status.received;
        }
    }

    /// `POST /v1/admin/seed` with the server's admin token (seeding demo and simulation data).
    pub async fn seed(&self, admin_token: &str, seed: &Seed) -> Result<SeedReport, TransportError> {
        self.post_json(SEED, Some(admin_token), seed).await
    }

    /// `GET` any JSON resource with a bearer token (dispatch read views).
    pub async fn get<T: DeserializeOwned>(
        &self,
        token: &str,
        path: &str,
    ) -> Result<T, TransportError> {
        self.get_json(path, "", token).await
    }
}

async fn status_error(status: StatusCode, response: Response) -> TransportError {
    let text = response.text().await.unwrap_or_default();
    let (code, message) = match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => (body.code, body.message),
        Err(_) => (
            format!("http_{}", status.as_u16()),
            text.chars().take(200).collect(),
        ),
    };
    TransportError::Status {
        status: status.as_u16(),
        code,
        message,
    }
}

fn header_u64(response: &Response, name: &str) -> Option<u64> {
    response
        .headers()
        .get(name)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// gzip at a level that costs little CPU on a phone and still shrinks JSON ~10x.
pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>, TransportError> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 6),
        flate2::Compression::new(6),
    );
    encoder
        .write_all(bytes)
        .map_err(|e| TransportError::Local(e.to_string()))?;
    encoder
        .finish()
        .map_err(|e| TransportError::Local(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16, code: &str) -> TransportError {
        TransportError::Status {
            status,
            code: code.into(),
            message: String::new(),
        }
    }

    #[test]
    fn http_failures_map_to_engine_kinds() {
        let cases = [
            (TransportError::Unreachable("refused".into()), "Unreachable"),
            (status(401, "token_expired"), "Unauthorized"),
            (status(400, "malformed_body"), "Permanent"),
            (status(403, "device_mismatch"), "Permanent"),
            (status(413, "batch_too_large"), "Permanent"),
            (status(408, "timeout"), "Transient"),
            (status(429, "locked"), "Transient"),
            (status(500, "internal"), "Transient"),
            (status(503, "busy"), "Transient"),
            (TransportError::BadBody("eof".into()), "Transient"),
        ];
        for (error, want) in cases {
            let got = format!("{:?}", error.failure());
            assert!(got.starts_with(want), "{error}: {got}, want {want}");
        }
    }

    #[test]
    fn gzip_shrinks_repetitive_json() {
        let json = "{\"type\":\"parcel_delivered\",\"stop_id\":\"S1\"}".repeat(100);
        let z = gzip(json.as_bytes()).unwrap();
        assert!(z.len() * 10 < json.len(), "{} -> {}", json.len(), z.len());
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&z[..]), &mut out).unwrap();
        assert_eq!(out, json);
    }

    #[tokio::test]
    async fn an_unreachable_server_is_a_quick_unreachable_error() {
        // Port 9 on loopback: nothing listens; the connection is refused at once.
        let client = ServerClient::new("http://127.0.0.1:9", Duration::from_secs(2)).unwrap();
        let err = client.health().await.unwrap_err();
        assert!(
            matches!(err.failure(), Failure::Unreachable { .. }),
            "{err}"
        );
    }
}
