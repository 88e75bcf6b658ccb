//! The sync server as a library: [`make_router`] builds the HTTP API over a [`ServerState`],
//! [`serve`] runs it on a listener until a shutdown future resolves. The binary in `main.rs`
//! only parses arguments; tests bind port 0 or call the router directly.
//!
//! Code map: `routes` (thin axum handlers and the route table the OpenAPI document is built
//! from), `auth` (enrolment, sessions, who sees what), `events` (exactly-once batch apply),
//! `blobs` (resumable, verified uploads), `tours` (snapshots, dispatch edits, route legs,
//! change feed, import), `views` (dispatch read views), `seed` (admin seeding), `db`
//! (SQLite/PostgreSQL).

pub mod audit;
pub mod auth;
pub mod blobs;
pub mod db;
pub mod devices;
pub mod error;
pub mod events;
pub mod limits;
// The offline map's archives (issue 17).
pub mod map;
pub mod net;
// Blocks for independent (flex) drivers (issue 15).
pub mod offers;
pub mod openapi;
pub mod progress;
// Supervisor ride-along.
pub mod retention;
pub mod ride;
pub mod routes;
pub mod seed;
pub mod service;
// Station tablet (issue 12).
pub mod station;
pub mod testing;
pub mod tours;
pub mod views;

use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

pub use routes::make_router;

/// The server's notion of now. Tests swap in a [`ManualClock`] to jump 36 hours ahead.
pub trait Clock: Send + Sync + std::fmt::Debug + 'static {
    fn now(&self) -> DateTime<Utc>;
}

#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that moves only when told (and otherwise follows the system clock's start).
#[derive(Debug)]
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        Self(Mutex::new(start))
    }
    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Tunables of one server instance.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub access_ttl: Duration,
    /// How long a device may stay offline and still refresh without the PIN.
    pub refresh_ttl: Duration,
    /// How long after a rotation the previous refresh token, presented again by the same
    /// device, still gets the same new pair (the answer was lost, or the app died before it
    /// saved it). Any other reuse revokes the session.
    pub refresh_grace: Duration,
    /// Largest blob accepted (photos, signatures).
    pub max_blob_bytes: u64,
    /// Bytes a device may hold on the server in blobs (complete or partial) that none of its
    /// events references yet (a blob may arrive before its event). Beyond it uploads of
    /// unreferenced blobs are refused.
    pub unreferenced_blob_quota: u64,
    /// A partial blob upload untouched this long is discarded (its device starts over).
    pub blob_upload_ttl: Duration,
    /// Largest JSON request body after decompression (event batches, dispatch edits).
    pub max_body_bytes: usize,
    /// Largest tour import body after decompression.
    pub max_import_bytes: usize,
    /// Largest router response (`PUT .../route`) after decompression. OSRM and Valhalla
    /// answers with turn-by-turn steps run to about 1 MB for a long drive; a full day's tour
    /// with geometry and voice instructions can be several.
    pub max_route_bytes: usize,
    /// Most events in one batch.
    pub max_batch_events: usize,
    /// Largest body of the endpoints anyone may call without a session (enrolment, sign-in,
    /// refresh): read no further than this, so big unauthenticated bodies cost nothing.
    pub max_auth_body_bytes: usize,
    /// Enables `POST /v1/admin/seed` for whoever presents this token.
    pub admin_token: Option<String>,
    pub clock: Arc<dyn Clock>,
    /// Connection and request limits of [`serve`] (the in-process router uses `max_in_flight`).
    pub net: NetLimits,
    /// Rate limits of enrolment and sign-in.
    pub rates: limits::RateLimits,
    /// The blocks lottery's caps (daily and weekly hours, the station's UTC offset, the
    /// most fairness credit).
    pub offer_caps: lastmile_offers::Caps,
    /// Proof (blob bytes) and personal fields of events and tour plans older than this are
    /// purged ([`retention`]; `--proof-retention-days`, default 90).
    pub proof_retention: Duration,
    /// Folder of the stations' offline maps, `<station_id>.mbtiles` (issue 17); none: no maps.
    pub map_dir: Option<std::path::PathBuf>,
}

/// How much of the server one client, or all of them, may hold (see [`net`]).
#[derive(Debug, Clone)]
pub struct NetLimits {
    /// A connection that has not sent a whole request head within this is closed; it also
    /// bounds how long an idle keep-alive connection stays open.
    pub header_read_timeout: Duration,
    /// A request body that sends nothing for this long is cut off (`408 body_timeout`). A
    /// body that keeps arriving, however slowly, is never cut.
    pub body_idle_timeout: Duration,
    /// Open connections at most; more are answered `503 server_busy` and closed.
    pub max_connections: usize,
    /// Open connections from one IP address at most (`503 too_many_connections`).
    pub max_connections_per_ip: usize,
    /// Requests being handled at once at most; more are shed with `503 overloaded`.
    pub max_in_flight: usize,
    /// On shutdown, how long in-flight requests may take to finish.
    pub drain_timeout: Duration,
    /// Serve HTTPS with this certificate and key (`--tls-cert-file`, `--tls-key-file`); the
    /// handshake must finish within `header_read_timeout`. `None`: plain HTTP.
    pub tls: Option<Arc<tokio_rustls::rustls::ServerConfig>>,
}

impl Default for NetLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            body_idle_timeout: Duration::from_secs(30),
            // Below the common default of 1,024 file descriptors, with room for the database.
            max_connections: 768,
            max_connections_per_ip: 128,
            max_in_flight: 256,
            drain_timeout: Duration::from_secs(30),
            tls: None,
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            access_ttl: Duration::from_secs(15 * 60),
            refresh_ttl: Duration::from_secs(14 * 3600),
            refresh_grace: Duration::from_secs(10 * 60),
            max_blob_bytes: 10 * 1024 * 1024,
            unreferenced_blob_quota: 32 * 1024 * 1024,
            blob_upload_ttl: Duration::from_secs(24 * 3600),
            max_body_bytes: 4 * 1024 * 1024,
            max_import_bytes: 64 * 1024 * 1024,
            max_route_bytes: 16 * 1024 * 1024,
            max_batch_events: 5000,
            max_auth_body_bytes: 16 * 1024,
            admin_token: None,
            clock: Arc::new(SystemClock),
            net: NetLimits::default(),
            rates: limits::RateLimits::default(),
            offer_caps: lastmile_offers::Caps::default(),
            proof_retention: Duration::from_secs(90 * 24 * 3600),
            map_dir: None,
        }
    }
}

/// Shared state of one server instance. Holds nothing that must be shared between
/// instances: all of that lives in the database.
#[derive(Clone)]
pub struct ServerState {
    pub db: Arc<db::Db>,
    pub config: Arc<ServerConfig>,
    /// In-memory rate limiters (per instance; the PIN lockout itself is in the database).
    pub limiters: Arc<limits::Limiters>,
    /// Set once every tour has its dispatch progress row ([`ServerState::projections`]).
    filled: Arc<tokio::sync::OnceCell<usize>>,
}

impl std::fmt::Debug for ServerState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerState")
            .field("backend", &self.db.backend())
            .finish()
    }
}

impl ServerState {
    /// Opens (creating if needed) the embedded SQLite database in `data_dir`.
    pub fn open_sqlite(data_dir: &Path) -> anyhow::Result<Self> {
        Self::open_sqlite_with(data_dir, ServerConfig::default())
    }

    pub fn open_sqlite_with(data_dir: &Path, config: ServerConfig) -> anyhow::Result<Self> {
        std::fs::create_dir_all(data_dir)?;
        let db = db::Db::open_sqlite(&data_dir.join("server.db"))?;
        Ok(Self::new(db, config))
    }

    /// Connects to PostgreSQL (creating or migrating the schema).
    pub async fn open_postgres(url: &str, config: ServerConfig) -> anyhow::Result<Self> {
        let db = db::Db::open_postgres(url).await?;
        Ok(Self::new(db, config))
    }

    fn new(db: db::Db, config: ServerConfig) -> Self {
        Self {
            db: Arc::new(db),
            limiters: Arc::new(limits::Limiters::new(&config.rates)),
            config: Arc::new(config),
            filled: Arc::new(tokio::sync::OnceCell::new()),
        }
    }

    /// Makes sure every tour has its dispatch progress row (`progress::fill`, once per
    /// process: a database from before migration 009 is filled in at the first need, which
    /// [`serve`] makes its start). Returns how many tours this process filled in.
    pub async fn projections(&self) -> Result<usize, error::ApiError> {
        self.filled
            .get_or_try_init(|| progress::fill(&self.db))
            .await
            .copied()
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.config.clock.now()
    }

    pub fn now_ms(&self) -> i64 {
        self.now().timestamp_millis()
    }
}

/// Serves the API on `listener` until `shutdown` resolves, then lets in-flight requests
/// finish (for at most [`NetLimits::drain_timeout`]). See [`net`] for the limits.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: ServerState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    match state.projections().await {
        Ok(0) => {}
        Ok(n) => tracing::info!("dispatch progress filled in for {n} tours"),
        Err(e) => return Err(std::io::Error::other(format!("dispatch progress: {e}"))),
    }
    net::serve(listener, state, shutdown).await
}

/// Milliseconds since the epoch to a timestamp (out-of-range values clamp to the epoch).
pub(crate) fn ms_to_time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
