//! The HTTP transport: one small function per endpoint, no retry policy (that is the
//! engine's job), every wait on the network bounded (connect, each read, a request body that
//! stops moving) so a dead network never hangs a caller, and no deadline on an exchange that
//! keeps moving, so a photo goes through a slow uplink.
//!
//! Failures are classified into the kinds the engine acts on ([`TransportError::failure`]):
//! no answer, 401, a permanent 4xx, or a transient 5xx/408/429. Event batches go out
//! gzip-compressed (the server decompresses request bodies); answers are decompressed by
//! reqwest. Blob uploads are resumable: `HEAD` says how much the server holds, the rest goes
//! in `Content-Range` pieces sized to the measured upload rate.
//!
//! A [`FaultInjector`] can drop requests before they leave or answers after the server
//! committed, cut a body mid-way, add latency and slow the link to a given bandwidth and
//! round-trip time — the fleet simulator's faults, injected where the network is.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
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
        /// The answer's `Retry-After` in seconds (a shedding server's 429/503).
        retry_after_s: Option<u64>,
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
            TransportError::Status {
                status,
                code,
                retry_after_s,
                ..
            } if *status == 408 || *status == 429 || *status >= 500 => Failure::Transient {
                status: *status,
                code: code.clone(),
                retry_after: retry_after_s.map(Duration::from_secs),
            },
            TransportError::Status { status, code, .. } => Failure::Permanent {
                status: *status,
                code: code.clone(),
            },
            TransportError::BadBody(_) => Failure::Transient {
                status: 200,
                code: "bad_body".to_owned(),
                retry_after: None,
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

/// A slow link: request bodies go out at `bytes_per_s`, and every exchange costs `rtt`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    pub bytes_per_s: u64,
    pub rtt: Duration,
}

/// Test and simulation hook: drop traffic, cut bodies, add latency, slow the link. The app
/// never installs one.
pub trait FaultInjector: Send + Sync + std::fmt::Debug {
    /// True: drop the request (at [`FaultPoint::Request`]) or its answer.
    fn drop_here(&self, point: FaultPoint, path: &str) -> bool;
    /// Extra delay before the request is sent.
    fn latency(&self) -> Duration {
        Duration::ZERO
    }
    /// `Some(n)`: the connection breaks after `n` of the body's `len` bytes went out.
    fn cut_body(&self, _path: &str, _len: usize) -> Option<usize> {
        None
    }
    /// A bandwidth- and latency-limited link, if any.
    fn link(&self) -> Option<Link> {
        None
    }
}

/// Counts of what went over the wire (for benchmarks and the simulator).
#[derive(Debug, Default)]
pub struct WireStats {
    pub requests: std::sync::atomic::AtomicU64,
    /// Bytes of request bodies as sent (after compression).
    pub body_bytes: std::sync::atomic::AtomicU64,
    /// Answers `429` and `503`: the server shedding load (the herd benchmark counts them).
    pub answers_429: std::sync::atomic::AtomicU64,
    pub answers_503: std::sync::atomic::AtomicU64,
}

/// Blob pieces aim at this long on the wire at the measured upload rate.
const PIECE_TIME: Duration = Duration::from_secs(8);
/// Smallest blob piece: below it the round trips cost more than a cut piece could.
const MIN_PIECE: usize = 8 * 1024;
/// First blob piece, before any rate is measured.
const FIRST_PIECE: usize = 64 * 1024;
/// Bodies go out in slices of at most this much (the stall watchdog sees each).
const SLICE: usize = 16 * 1024;

/// A configured connection to one sync server.
#[derive(Debug, Clone)]
pub struct ServerClient {
    base_url: String,
    http: reqwest::Client,
    faults: Option<Arc<dyn FaultInjector>>,
    stats: Arc<WireStats>,
    /// Largest blob piece per `PUT`.
    blob_chunk: usize,
    /// A request body that makes no progress for this long is given up.
    stall: Duration,
    /// Measured upload rate in bytes/s (0: not measured yet), shared by clones.
    rate: Arc<AtomicU64>,
}

impl ServerClient {
    /// `base_url` like `http://127.0.0.1:8080` (no trailing slash needed). `timeout` bounds
    /// connecting and every wait for the network: a request body that makes no progress, the
    /// answer after the request went out (twice `timeout` after a body, which may still sit
    /// in the socket's buffer), each piece of the answer's body. There is no deadline on a
    /// whole exchange, so a big photo over a slow link that keeps moving is never cut.
    /// (reqwest's own `timeout` and `read_timeout` both run from the start of the request,
    /// upload included, so neither is used.)
    pub fn new(base_url: &str, timeout: Duration) -> Result<Self, TransportError> {
        let http = reqwest::Client::builder()
            .connect_timeout(timeout)
            .build()
            .map_err(|e| TransportError::Unreachable(e.to_string()))?;
        Ok(Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            http,
            faults: None,
            stats: Arc::new(WireStats::default()),
            blob_chunk: 1024 * 1024,
            stall: timeout,
            rate: Arc::new(AtomicU64::new(0)),
        })
    }

    /// Also trusts the CA certificates in `pem` (one or more PEM blocks) besides the built-in
    /// roots: a private or test CA that signed the server's certificate (the app's
    /// `LASTMILE_DEV_CA_FILE`). A file without a certificate is refused.
    pub fn with_extra_roots(mut self, pem: &[u8]) -> Result<Self, TransportError> {
        let certs = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|e| TransportError::Local(format!("the CA file is not PEM: {e}")))?;
        if certs.is_empty() {
            return Err(TransportError::Local(
                "the CA file holds no certificate".into(),
            ));
        }
        let mut builder = reqwest::Client::builder().connect_timeout(self.stall);
        for cert in certs {
            builder = builder.add_root_certificate(cert);
        }
        self.http = builder
            .build()
            .map_err(|e| TransportError::Unreachable(e.to_string()))?;
        Ok(self)
    }

    /// Installs a fault injector (simulator and tests only).
    pub fn with_faults(mut self, faults: Arc<dyn FaultInjector>) -> Self {
        self.faults = Some(faults);
        self
    }

    /// Sets the largest blob piece (at least 1 byte); pieces adapt to the measured upload
    /// rate below it.
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

    fn link(&self) -> Option<Link> {
        self.faults.as_ref().and_then(|f| f.link())
    }

    /// The next blob piece: about [`PIECE_TIME`] at the measured rate.
    pub fn blob_piece(&self) -> usize {
        let rate = self.rate.load(Ordering::Relaxed);
        let piece = if rate == 0 {
            FIRST_PIECE
        } else {
            usize::try_from(rate.saturating_mul(PIECE_TIME.as_secs())).unwrap_or(usize::MAX)
        };
        piece.clamp(MIN_PIECE.min(self.blob_chunk), self.blob_chunk)
    }

    /// Folds one measured piece (`bytes` in `took`) into the rate; a failed piece halves it.
    fn measured(&self, bytes: usize, took: Option<Duration>) {
        let old = self.rate.load(Ordering::Relaxed);
        let new = match took {
            Some(t) => {
                let sample = (bytes as f64 / t.as_secs_f64().max(0.001)) as u64;
                if old == 0 { sample } else { (old + sample) / 2 }
            }
            None if old == 0 => (FIRST_PIECE as u64 / PIECE_TIME.as_secs()) / 2,
            None => old / 2,
        };
        self.rate.store(new.max(1), Ordering::Relaxed);
    }

    /// Sends with faults applied; maps transport errors and error statuses. The body goes
    /// out in slices (paced by a slow link, cut where the injector says); a body that stops
    /// moving for the stall timeout is given up.
    async fn send(
        &self,
        path: &str,
        request: RequestBuilder,
        body: Option<Vec<u8>>,
    ) -> Result<TimedResponse, TransportError> {
        let len = body.as_ref().map_or(0, Vec::len);
        let link = self.link();
        let mut cut = None;
        if let Some(f) = &self.faults {
            let latency = f.latency() + link.map_or(Duration::ZERO, |l| l.rtt / 2);
            if !latency.is_zero() {
                tokio::time::sleep(latency).await;
            }
            if f.drop_here(FaultPoint::Request, path) {
                return Err(TransportError::Unreachable(
                    "request dropped (injected fault)".into(),
                ));
            }
            if len > 0 {
                cut = f.cut_body(path, len);
            }
        }
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        self.stats
            .body_bytes
            .fetch_add(len as u64, Ordering::Relaxed);
        let progress = Arc::new(AtomicU64::new(0));
        let request = match body {
            Some(data) => request
                .header(reqwest::header::CONTENT_LENGTH, len)
                .body(paced_body(data, link, cut, progress.clone())),
            None => request,
        };
        let response = self.watch(request.send(), &progress, len as u64).await?;
        let response = TimedResponse {
            inner: response,
            per_read: self.stall,
        };
        if let Some(l) = link {
            tokio::time::sleep(l.rtt / 2).await;
        }
        if let Some(f) = &self.faults
            && f.drop_here(FaultPoint::Response, path)
        {
            return Err(TransportError::Unreachable(
                "answer dropped (injected fault)".into(),
            ));
        }
        let status = response.inner.status();
        if status.is_success() {
            return Ok(response);
        }
        match status.as_u16() {
            429 => self.stats.answers_429.fetch_add(1, Ordering::Relaxed),
            503 => self.stats.answers_503.fetch_add(1, Ordering::Relaxed),
            _ => 0,
        };
        Err(status_error(status, response).await)
    }

    /// Awaits `send` while the body moves: it fails when no byte of the body went out for
    /// the stall timeout, or no answer came that long after the body went out (twice that
    /// for a body, which may still drain from the socket's buffer).
    async fn watch(
        &self,
        send: impl std::future::Future<Output = reqwest::Result<Response>>,
        progress: &AtomicU64,
        len: u64,
    ) -> Result<Response, TransportError> {
        let mut send = std::pin::pin!(send);
        let tick = (self.stall / 8).max(Duration::from_millis(20));
        let start = tokio::time::Instant::now();
        let mut last = (0, start);
        let mut sent_at = (len == 0).then_some(start);
        let answer_wait = if len == 0 { self.stall } else { self.stall * 2 };
        loop {
            tokio::select! {
                result = &mut send => {
                    return result.map_err(|e| TransportError::Unreachable(error_chain(&e)));
                }
                () = tokio::time::sleep(tick) => {
                    let now = tokio::time::Instant::now();
                    let sent = progress.load(Ordering::Relaxed);
                    if sent >= len {
                        let at = *sent_at.get_or_insert(now);
                        if now - at > answer_wait {
                            return Err(TransportError::Unreachable(format!(
                                "no answer {answer_wait:?} after the request went out"
                            )));
                        }
                    } else if sent != last.0 {
                        last = (sent, now);
                    } else if now - last.1 > self.stall {
                        return Err(TransportError::Unreachable(format!(
                            "upload stalled at {sent} of {len} bytes for {:?}",
                            self.stall
                        )));
                    }
                }
            }
        }
    }

    async fn json<T: DeserializeOwned>(response: TimedResponse) -> Result<T, TransportError> {
        let bytes = response.bytes().await?;
        serde_json::from_slice(&bytes).map_err(|e| TransportError::BadBody(e.to_string()))
    }

    async fn post_json<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        bearer: Option<&str>,
        body: &B,
    ) -> Result<T, TransportError> {
        let body = serde_json::to_vec(body).map_err(|e| TransportError::Local(e.to_string()))?;
        let mut request = self
            .http
            .post(self.url(path))
            .header(reqwest::header::CONTENT_TYPE, "application/json");
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        Self::json(self.send(path, request, Some(body)).await?).await
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
        Self::json(self.send(path, request, None).await?).await
    }

    /// `GET /v1/health`.
    pub async fn health(&self) -> Result<Health, TransportError> {
        let request = self.http.get(self.url(HEALTH));
        Self::json(self.send(HEALTH, request, None).await?).await
    }

    /// `POST /v1/devices/enrol`: an enrolment code makes this device known.
    pub async fn enrol(&self, req: &EnrolRequest) -> Result<EnrolResponse, TransportError> {
        self.post_json(ENROL, None, req).await
    }

    /// `POST /v1/devices/stream-key`: the server keeps the hash of this device's stream key.
    pub async fn register_stream_key(&self, req: &StreamKeyRequest) -> Result<(), TransportError> {
        let body = serde_json::to_vec(req).map_err(|e| TransportError::Local(e.to_string()))?;
        let request = self
            .http
            .post(self.url(STREAM_KEY))
            .header(reqwest::header::CONTENT_TYPE, "application/json");
        self.send(STREAM_KEY, request, Some(body)).await.map(|_| ())
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

    /// `POST /v1/session/refresh`: a new pair for a refresh token (which is used up; the
    /// device's id and secret in `req` let a retry after a lost answer get the same pair).
    pub async fn refresh(&self, req: &RefreshRequest) -> Result<Session, TransportError> {
        self.post_json(REFRESH, None, req).await
    }

    /// `GET /v1/tour`: today's tour of the signed-in driver.
    pub async fn fetch_tour(&self, token: &str) -> Result<TourSnapshot, TransportError> {
        self.get_json(TOUR, "", token).await
    }

    /// `HEAD /v1/map`: the ETag (the archive's SHA-256 in quotes) and size of the station's
    /// offline map (issue 17).
    pub async fn map_head(&self, token: &str) -> Result<(String, u64), TransportError> {
        let path = lastmile_protocol::sync::MAP;
        let request = self.http.head(self.url(path)).bearer_auth(token);
        let response = self.send(path, request, None).await?;
        let header = |name: &str| header_text(&response, name);
        let etag = header("etag").ok_or_else(|| TransportError::BadBody("no ETag".into()))?;
        let total = header("x-map-bytes")
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| TransportError::BadBody("no x-map-bytes".into()))?;
        Ok((etag, total))
    }

    /// `GET /v1/map` from byte `start` with `If-Range: etag`: one piece of the archive, at
    /// most [`MAP_WANTED_BYTES`]. The piece may start at 0 instead, with another ETag, when
    /// the station's map was replaced.
    pub async fn map_piece(
        &self,
        token: &str,
        start: u64,
        etag: &str,
    ) -> Result<MapPiece, TransportError> {
        let path = lastmile_protocol::sync::MAP;
        let request = self
            .http
            .get(self.url(path))
            .bearer_auth(token)
            .header(
                reqwest::header::RANGE,
                format!("bytes={start}-{}", start + MAP_WANTED_BYTES - 1),
            )
            .header(reqwest::header::IF_RANGE, etag);
        let response = self.send(path, request, None).await?;
        let header = |name: &str| header_text(&response, name);
        let etag = header("etag").ok_or_else(|| TransportError::BadBody("no ETag".into()))?;
        // "bytes START-END/TOTAL"
        let (start, total) = header("content-range")
            .and_then(|r| {
                let (range, total) = r.strip_prefix("bytes ")?.split_once('/')?;
                let (start, _) = range.split_once('-')?;
                Some((start.parse().ok()?, total.parse().ok()?))
            })
            .ok_or_else(|| TransportError::BadBody("no Content-Range on a map piece".into()))?;
        let bytes = response.bytes().await?;
        Ok(MapPiece {
            start,
            total,
            etag,
            bytes,
        })
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
        let request = self
            .http
            .post(self.url(EVENTS))
            .bearer_auth(token)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::CONTENT_ENCODING, "gzip")
            .header(DEVICE_TIME_HEADER, device_time.to_rfc3339());
        Self::json(self.send(EVENTS, request, Some(body)).await?).await
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

    /// `HEAD /v1/blobs/{sha256}`: how many bytes the server holds of this device's upload,
    /// and whether the blob is complete (as far as the caller may know).
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
        match self.send(BLOBS, request, None).await {
            Ok(response) => {
                let offset = header_u64(&response, UPLOAD_OFFSET_HEADER).unwrap_or(0);
                let complete = response
                    .headers()
                    .get("x-blob-complete")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v == "true");
                Ok((offset, complete))
            }
            // HEAD has no body, so the server's "nothing yet" (404) or "nothing of yours"
            // (403) has no code either; the upload itself gets the real verdict.
            Err(TransportError::Status {
                status: 403 | 404, ..
            }) => Ok((0, false)),
            Err(e) => Err(e),
        }
    }

    /// Uploads a whole blob, resuming where the server is: asks with `HEAD`, then sends the
    /// rest in `Content-Range` pieces sized to the measured upload rate. A piece cut off is
    /// kept by the server as far as it came; the next attempt resumes there. Idempotent.
    pub async fn upload_blob(
        &self,
        token: &str,
        sha256: &str,
        content_type: &str,
        data: &[u8],
    ) -> Result<BlobStatus, TransportError> {
        let total = data.len() as u64;
        let done = || BlobStatus {
            sha256: sha256.to_owned(),
            complete: true,
            received: total,
            total: Some(total),
        };
        let (mut offset, complete) = self.blob_offset(token, sha256).await?;
        if complete {
            return Ok(done());
        }
        let path = format!("{BLOBS}/{sha256}");
        let mut started_over = false;
        loop {
            let start = usize::try_from(offset)
                .unwrap_or(usize::MAX)
                .min(data.len());
            let end = start.saturating_add(self.blob_piece()).min(data.len());
            let piece = data.get(start..end).unwrap_or_default().to_vec();
            let len = piece.len();
            let request = self
                .http
                .put(self.url(&path))
                .bearer_auth(token)
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .header(
                    reqwest::header::CONTENT_RANGE,
                    format!("bytes {start}-{}/{total}", end.saturating_sub(1)),
                );
            let began = tokio::time::Instant::now();
            let sent = self.send(BLOBS, request, Some(piece)).await;
            let status: BlobStatus = match sent {
                Ok(response) => {
                    self.measured(len, Some(began.elapsed()));
                    Self::json(response).await?
                }
                Err(TransportError::Status {
                    status: 409, code, ..
                }) if code == "offset_mismatch" => {
                    // Someone (an earlier, cut attempt) moved the server on: ask, resume.
                    let (o, complete) = self.blob_offset(token, sha256).await?;
                    if complete {
                        return Ok(done());
                    }
                    offset = o;
                    continue;
                }
                // Our upload there was started differently, or its bytes did not add up:
                // start over from the first byte, once.
                Err(TransportError::Status {
                    status: 409 | 422,
                    code,
                    ..
                }) if !started_over && (code == "total_mismatch" || code == "hash_mismatch") => {
                    started_over = true;
                    offset = 0;
                    continue;
                }
                Err(e) => {
                    if matches!(e, TransportError::Unreachable(_)) {
                        self.measured(len, None);
                    }
                    return Err(e);
                }
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

    /// `POST` a JSON body to any resource with a bearer token (the station tablet's checks).
    pub async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        token: &str,
        path: &str,
        body: &B,
    ) -> Result<T, TransportError> {
        self.post_json(path, Some(token), body).await
    }

    /// `GET` any JSON resource with a bearer token (dispatch read views).
    pub async fn get<T: DeserializeOwned>(
        &self,
        token: &str,
        path: &str,
    ) -> Result<T, TransportError> {
        self.get_json(path, "", token).await
    }

    /// `GET` a resource's raw bytes with a bearer token (a blob: `/v1/blobs/{sha256}`).
    pub async fn get_bytes(&self, token: &str, path: &str) -> Result<Vec<u8>, TransportError> {
        let request = self.http.get(self.url(path)).bearer_auth(token);
        self.send(path, request, None).await?.bytes().await
    }
}

/// An answer whose body is read piece by piece, each piece within `per_read`.
/// A header of `response` as text, if it is there and readable.
fn header_text(response: &TimedResponse, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The size of the pieces the device asks the offline map in. A body cut off mid-way is
/// dropped whole (see `TimedResponse::bytes`), so a cut download resumes at the last piece
/// kept: the smaller the piece, the less a poor connection downloads twice; 256 KiB is a few
/// seconds on a slow mobile link and 3 requests for the north-Bayreuth archive.
pub const MAP_WANTED_BYTES: u64 = 256 * 1024;

/// One piece of the station's offline map ([`ServerClient::map_piece`]).
#[derive(Debug, Clone)]
pub struct MapPiece {
    pub start: u64,
    pub total: u64,
    pub etag: String,
    pub bytes: Vec<u8>,
}

struct TimedResponse {
    inner: Response,
    per_read: Duration,
}

impl TimedResponse {
    fn headers(&self) -> &reqwest::header::HeaderMap {
        self.inner.headers()
    }

    /// The whole body. A body cut mid-way or stalled is a lost answer, not a protocol
    /// mismatch.
    async fn bytes(mut self) -> Result<Vec<u8>, TransportError> {
        let mut out = Vec::new();
        loop {
            match tokio::time::timeout(self.per_read, self.inner.chunk()).await {
                Err(_) => {
                    return Err(TransportError::Unreachable(format!(
                        "the answer stalled for {:?}",
                        self.per_read
                    )));
                }
                Ok(Err(e)) => return Err(TransportError::Unreachable(error_chain(&e))),
                Ok(Ok(None)) => return Ok(out),
                Ok(Ok(Some(piece))) => out.extend_from_slice(&piece),
            }
        }
    }
}

async fn status_error(status: StatusCode, response: TimedResponse) -> TransportError {
    // Seconds only: an HTTP date would need the device clock, which may be wrong.
    let retry_after_s = header_u64(&response, "retry-after");
    let text = response
        .bytes()
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
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
        retry_after_s,
    }
}

fn header_u64(response: &TimedResponse, name: &str) -> Option<u64> {
    response
        .headers()
        .get(name)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// The body of a request as a stream of slices: paced to `link`'s bandwidth, broken after
/// `cut` bytes (an injected fault), each slice counted in `progress` as hyper takes it.
fn paced_body(
    data: Vec<u8>,
    link: Option<Link>,
    cut: Option<usize>,
    progress: Arc<AtomicU64>,
) -> reqwest::Body {
    let slice = match link {
        // About eight slices a second on a slow link, so the pacing is smooth.
        Some(l) => usize::try_from(l.bytes_per_s / 8)
            .unwrap_or(SLICE)
            .clamp(512, SLICE),
        None => SLICE,
    };
    let stream = futures_util::stream::unfold(0usize, move |pos| {
        let data_len = data.len();
        let progress = progress.clone();
        let next = if pos >= data_len {
            None
        } else if cut.is_some_and(|c| pos >= c) {
            Some(Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "connection cut (injected fault)",
            )))
        } else {
            let end = (pos + slice)
                .min(data_len)
                .min(cut.map_or(usize::MAX, |c| c.max(pos + 1)));
            Some(Ok(data[pos..end].to_vec()))
        };
        async move {
            let item = next?;
            let end = match &item {
                Ok(bytes) => {
                    if let Some(l) = link {
                        let secs = bytes.len() as f64 / l.bytes_per_s.max(1) as f64;
                        tokio::time::sleep(Duration::from_secs_f64(secs)).await;
                    }
                    let end = pos + bytes.len();
                    progress.store(end as u64, Ordering::Relaxed);
                    end
                }
                Err(_) => usize::MAX,
            };
            Some((item, end))
        }
    });
    reqwest::Body::wrap_stream(stream)
}

/// An error with its causes ("error sending request: connection reset ...").
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
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
            retry_after_s: None,
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
