//! The device's local store: one SQLite file (WAL, `synchronous=FULL`) that holds the tour,
//! every driver action and the outbox of events still to be sent, plus a folder of photo and
//! signature files named by their SHA-256.
//!
//! Every driver action is one transaction that updates the state the screens read *and*
//! appends an event to the outbox ([`actions`]). Tours come in as snapshots and change sets
//! ([`tour`]); the screens read [`queries`]; the sync engine drains the [`outbox`]. WAL
//! checkpoints run on a second connection in a background thread, off the tap path.
//!
//! Opened with a [`StoreKey`] (what the app does) the database and its WAL are SQLCipher-
//! encrypted and the blob files sealed ([`keys`], [`blobs`]); a plaintext store of an older
//! app is encrypted on that first open. Without a key the store is plain SQLite (tools,
//! simulators and tests that look at rows from outside).

pub mod actions;
pub mod blobs;
pub mod convert;
pub mod evidence;
pub mod identity;
pub mod keys;
pub mod migrations;
pub mod outbox;
pub mod queries;
pub mod replay;
// Retention of acknowledged data (issue 16).
pub mod retention;
// Station tablet (issue 12).
pub mod station;
// Supervisor ride-along.
pub mod ride;
// Service visits (issue 14).
pub mod service;
pub mod tour;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::{DateTime, Utc};
use lastmile_domain::{CardError, Clock, RuleViolation};
use rusqlite::{Connection, OptionalExtension};

pub use actions::{BlobInput, BlobKind, Delivery, FailedAttempt, Recorded, Warning};
pub use blobs::BlobFiles;
pub use identity::{Identity, OthersPending};
pub use keys::StoreKey;
pub use outbox::{PendingBlob, QueueState, Waiting};
pub use retention::{Purged, Retention};

/// Errors of the store, classified by who can fix them.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    // --- the driver or the calling screen -------------------------------------------------
    /// The action breaks a delivery rule; nothing was recorded.
    #[error(transparent)]
    Rule(#[from] RuleViolation),
    /// The action needs a tour and none is loaded.
    #[error("no tour is loaded on this device")]
    NoTour,
    /// Undo or correction of an event this device does not have.
    #[error("event {0} is not recorded on this device")]
    UnknownEvent(String),
    /// A ride-along action the device refuses (`code`: `ride.blank_text`, `ride.signed`, ...).
    #[error("{message}")]
    RideRefused { code: &'static str, message: String },
    /// A service visit action the rules refuse (`ServiceRefusal::code`: `service.*`).
    #[error(transparent)]
    Service(#[from] lastmile_domain::service::ServiceRefusal),
    /// Another device id for a store whose events are recorded under the current one (they
    /// keep their stream; a new enrolment re-binds to it instead).
    #[error("{events} events are recorded under device id {device_id}; it cannot change")]
    StreamInUse { device_id: String, events: u64 },
    /// A day's record asked for by someone other than the driver who recorded it.
    #[error("{0}; only the driver who recorded a day can export it")]
    NotYours(String),

    // --- the server or whoever made the tour ----------------------------------------------
    /// A change set for another tour than the one on the device.
    #[error("change set for tour {got}, but this device holds tour {active}")]
    WrongTour { active: String, got: String },
    /// The server sent something only a newer app understands; nothing was applied.
    #[error("the server sent {what} that this app version does not understand; update the app")]
    NewerServer { what: String },
    /// A tour snapshot that breaks the rules of a tour; nothing was applied.
    #[error("the tour from the server is not usable: {0}")]
    InvalidTour(String),

    // --- this device ------------------------------------------------------------------------
    /// The database file was written by a newer app version.
    #[error(
        "the local database has schema version {found}, this app supports up to {supported}; update the app"
    )]
    SchemaTooNew { found: u32, supported: u32 },
    /// The file is not a readable SQLite database (corrupt, truncated, or something else).
    #[error("the local database at {path} is damaged or not a database: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    /// The disk (or the configured size limit) is full; the action was not recorded, and
    /// everything recorded before is intact.
    #[error("the device storage is full; free space to record more (nothing recorded was lost)")]
    StorageFull,
    /// A photo or signature file could not be written or read.
    #[error("cannot write or read proof file {path}: {source}")]
    Blob {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    // --- a bug or an unexpected SQLite failure ---------------------------------------------
    /// Any other SQLite failure.
    #[error("local database error: {0}")]
    Sqlite(rusqlite::Error),
    /// A stored value that this build cannot read back (a bug or a hand-edited file).
    #[error("stored data is inconsistent: {0}")]
    Internal(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::StorageFull,
            _ => StoreError::Sqlite(e),
        }
    }
}

impl From<CardError> for StoreError {
    fn from(e: CardError) -> Self {
        StoreError::Rule(RuleViolation::Card(e))
    }
}

/// Reads the system clock; the one place the store does so (tests pass a `ManualClock`).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// How to open a store. `Options::default()` is what the app uses.
#[derive(Clone)]
pub struct Options {
    pub clock: Arc<dyn Clock>,
    /// Written into every event.
    pub app_version: String,
    /// Caps the database size (bytes, via `PRAGMA max_page_count`); `None` = no cap.
    pub max_db_bytes: Option<u64>,
    /// Where blob files go; default: `<database file>.blobs/` beside the database.
    pub blob_dir: Option<PathBuf>,
    /// Checkpoint the WAL on a background connection (default). When off, the caller runs
    /// [`Store::checkpoint`] itself.
    pub background_checkpoints: bool,
    /// The store's key: the database is encrypted with it and the blob files sealed (a
    /// plaintext store is encrypted on this open). `None`: a plaintext store.
    pub key: Option<StoreKey>,
    /// Purge acknowledged data past this retention at open and after every acknowledgement
    /// ([`retention`]); `None` keeps everything (tools, simulators, tests).
    pub retention: Option<Retention>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            clock: Arc::new(SystemClock),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            max_db_bytes: None,
            blob_dir: None,
            background_checkpoints: true,
            key: None,
            retention: None,
        }
    }
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("app_version", &self.app_version)
            .field("max_db_bytes", &self.max_db_bytes)
            .field("blob_dir", &self.blob_dir)
            .field("encrypted", &self.key.is_some())
            .finish_non_exhaustive()
    }
}

/// An open device store. One per process: it owns the only write connection.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    clock: Arc<dyn Clock>,
    app_version: String,
    device_id: String,
    /// Who is signed in: named in every event recorded.
    person: Option<lastmile_protocol::events::Person>,
    blob_dir: BlobFiles,
    encrypted: bool,
    checkpointer: Option<Checkpointer>,
    retention: Option<Retention>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("device_id", &self.device_id)
            .finish()
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it to the latest schema.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_with(path, Options::default())
    }

    /// [`Store::open`] with a chosen clock, app version, size cap or blob folder.
    pub fn open_with(path: &Path, options: Options) -> Result<Self, StoreError> {
        if let Some(key) = &options.key
            && keys::is_plain_database(path)?
        {
            keys::encrypt_plain_database(path, key).map_err(|e| match e {
                StoreError::Sqlite(inner) => classify_open_error(path, inner),
                other => other,
            })?;
        }
        let mut conn = Connection::open(path).map_err(|e| classify_open_error(path, e))?;
        if let Some(key) = &options.key {
            keys::apply(&conn, key).map_err(|e| classify_open_error(path, e))?;
        }
        configure(&conn).map_err(|e| classify_open_error(path, e))?;
        check_integrity(&conn).map_err(|e| match e {
            StoreError::Sqlite(inner) => classify_open_error(path, inner),
            other => other,
        })?;
        migrations::migrate(&mut conn).map_err(|e| match e {
            StoreError::Sqlite(inner) => classify_open_error(path, inner),
            other => other,
        })?;
        if let Some(bytes) = options.max_db_bytes {
            // SQLCipher answers this pragma as text (its `cipher_page_size`), SQLite as a number.
            let page_size: i64 = match conn.query_row("PRAGMA page_size", [], |r| {
                r.get::<_, rusqlite::types::Value>(0)
            })? {
                rusqlite::types::Value::Integer(n) => n,
                rusqlite::types::Value::Text(t) => t.trim().parse().unwrap_or(4096),
                _ => 4096,
            };
            let pages = (bytes / page_size.max(1) as u64).clamp(1, i64::MAX as u64) as i64;
            conn.pragma_update(None, "max_page_count", pages)?;
        }
        let blob_dir = options.blob_dir.clone().unwrap_or_else(|| {
            let mut name = path
                .file_name()
                .map(|n| n.to_os_string())
                .unwrap_or_default();
            name.push(".blobs");
            path.with_file_name(name)
        });
        blobs::prepare_dir(&blob_dir)?;
        let blob_dir = match &options.key {
            Some(_) => {
                let files = BlobFiles::sealed(blob_dir, &blob_key(&conn)?);
                // Files of the plaintext store this one was: sealed once, then marked done
                // (in the encrypted database), so later opens do not look at every file.
                if meta_of(&conn, "blobs_sealed")?.is_none() {
                    files.seal_plain_files()?;
                    conn.execute(
                        "INSERT INTO meta (key, value) VALUES ('blobs_sealed', '1')
                         ON CONFLICT (key) DO NOTHING",
                        [],
                    )?;
                }
                files
            }
            None => BlobFiles::plain(blob_dir),
        };
        let checkpointer = if options.background_checkpoints {
            Some(Checkpointer::start(path, options.key.as_ref())?)
        } else {
            None
        };
        let mut store = Self {
            conn,
            path: path.to_owned(),
            clock: options.clock,
            app_version: options.app_version,
            device_id: String::new(),
            person: None,
            blob_dir,
            encrypted: options.key.is_some(),
            checkpointer,
            retention: options.retention,
        };
        store.ensure_install_id()?;
        store.ensure_stream_key()?;
        store.device_id = store
            .meta("device_id")?
            .map_or_else(|| store.install_id(), Ok)?;
        store.person = store.load_person()?;
        store.purge_if_configured();
        Ok(store)
    }

    /// Schema version of the open database.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        migrations::version(&self.conn)
    }

    /// The random id created with this database; stable for the life of the installation.
    pub fn install_id(&self) -> Result<String, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'install_id'", [], |r| {
                r.get(0)
            })?)
    }

    /// The id events are sent under: the server's device id once enrolled, the install id before.
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// Records the device id the server assigned at enrolment. Sequences are per device, so
    /// this is refused once events exist under another id. The app keeps the whole
    /// enrolment with [`Store::save_identity`].
    pub fn set_device_id(&mut self, device_id: &str) -> Result<(), StoreError> {
        if device_id == self.device_id {
            return Ok(());
        }
        let events: i64 = self
            .conn
            .query_row("SELECT count(*) FROM event", [], |r| r.get(0))?;
        if events > 0 {
            return Err(StoreError::StreamInUse {
                device_id: self.device_id.clone(),
                events: events as u64,
            });
        }
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES ('device_id', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [device_id],
        )?;
        self.device_id = device_id.to_owned();
        Ok(())
    }

    /// Folder of the blob files.
    pub fn blob_dir(&self) -> &Path {
        self.blob_dir.dir()
    }

    /// The blob files (folder and seal), to read them back with
    /// [`BlobFiles::read_verified`], also after the store's lock is released.
    pub fn blob_files(&self) -> &BlobFiles {
        &self.blob_dir
    }

    /// Whether the database is encrypted and the blob files sealed (opened with a key).
    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    /// Runs a WAL checkpoint now (PASSIVE: never waits for the writer). The app does not need
    /// this when background checkpoints are on.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(crate) fn committed(&self) {
        if let Some(c) = &self.checkpointer {
            c.poke();
        }
    }

    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        meta_of(&self.conn, key)
    }

    fn ensure_install_id(&self) -> Result<(), StoreError> {
        if self.meta("install_id")?.is_none() {
            self.conn.execute(
                "INSERT INTO meta (key, value) VALUES ('install_id', ?1)",
                [uuid::Uuid::now_v7().to_string()],
            )?;
        }
        Ok(())
    }
}

fn meta_of(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

/// The key the blob files are sealed with, kept in the (encrypted) database; made on the
/// first open with a key.
fn blob_key(conn: &Connection) -> Result<[u8; 32], StoreError> {
    let hex_key = match meta_of(conn, "blob_key")? {
        Some(k) => k,
        None => {
            let fresh = StoreKey::generate().to_hex();
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('blob_key', ?1)",
                [&fresh],
            )?;
            fresh
        }
    };
    let bytes = hex::decode(&hex_key)
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or_else(|| StoreError::Internal("the stored blob key is not 32 hex bytes".into()))?;
    Ok(bytes)
}

/// Per-connection settings: durability first (proof of delivery is evidence).
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Checkpoints happen on the background connection, never inside a driver's tap.
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(())
}

/// A damaged file must fail loudly at open, not at the driver's next tap. `quick_check`
/// reads every page once (a few ms for a day's data).
fn check_integrity(conn: &Connection) -> Result<(), StoreError> {
    let result: String = conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0))?;
    if result == "ok" {
        Ok(())
    } else {
        Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
            Some(result),
        )))
    }
}

fn classify_open_error(path: &Path, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) | Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            StoreError::Corrupt {
                path: path.to_owned(),
                detail: e.to_string(),
            }
        }
        _ => StoreError::from(e),
    }
}

/// The background WAL checkpointer: a second connection in its own thread. The write path
/// only counts its commit (one atomic add: no system call, no thread wake-up, which on a
/// busy two-core phone would let the checkpointer preempt the driver's tap). The thread looks
/// every `INTERVAL`: it checkpoints once the writer has been quiet for an interval, or after
/// `MAX_COMMITS` commits during a long burst so the WAL stays bounded, and once more (TRUNCATE)
/// on shutdown.
struct Checkpointer {
    shared: Arc<CheckpointShared>,
    handle: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct CheckpointShared {
    commits: AtomicU64,
    stop: AtomicBool,
}

impl Checkpointer {
    const INTERVAL: Duration = Duration::from_millis(250);
    const MAX_COMMITS: u64 = 500;

    fn start(path: &Path, key: Option<&StoreKey>) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        if let Some(key) = key {
            keys::apply(&conn, key)?;
        }
        conn.busy_timeout(Duration::from_secs(5))?;
        let shared = Arc::new(CheckpointShared::default());
        let seen_by_thread = shared.clone();
        let handle = std::thread::Builder::new()
            .name("lastmile-checkpoint".into())
            .spawn(move || {
                let shared = seen_by_thread;
                let (mut last_seen, mut checkpointed) = (0u64, 0u64);
                loop {
                    std::thread::park_timeout(Self::INTERVAL);
                    if shared.stop.load(Ordering::Acquire) {
                        checkpoint(&conn, "TRUNCATE");
                        return;
                    }
                    let commits = shared.commits.load(Ordering::Acquire);
                    let quiet = commits == last_seen;
                    last_seen = commits;
                    if commits != checkpointed
                        && (quiet || commits - checkpointed >= Self::MAX_COMMITS)
                        && checkpoint(&conn, "PASSIVE")
                    {
                        checkpointed = commits;
                    }
                }
            })
            .map_err(|e| {
                StoreError::Internal(format!("cannot start the checkpoint thread: {e}"))
            })?;
        Ok(Self {
            shared,
            handle: Some(handle),
        })
    }

    fn poke(&self) {
        self.shared.commits.fetch_add(1, Ordering::Release);
    }
}

/// Runs a checkpoint; false (and a warning) if it failed, so it is retried.
fn checkpoint(conn: &Connection, mode: &str) -> bool {
    match conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |_| Ok(())) {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %e, "WAL checkpoint failed; will retry");
            false
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        if let Some(handle) = self.handle.take() {
            handle.thread().unpark();
            if handle.join().is_err() {
                tracing::error!("checkpoint thread panicked");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_id_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("device.db");
        let first = Store::open(&path).unwrap().install_id().unwrap();
        let again = Store::open(&path).unwrap().install_id().unwrap();
        assert_eq!(first, again);
        assert_eq!(
            Store::open(&path).unwrap().schema_version().unwrap(),
            migrations::latest_version()
        );
    }

    #[test]
    fn a_quiet_writer_gets_its_wal_checkpointed_in_the_background() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("device.db");
        let mut store = Store::open(&path).unwrap();
        for i in 0..20 {
            store.set_device_id(&format!("device-{i}")).unwrap();
            store.committed();
        }
        let wal = dir.path().join("device.db-wal");
        assert!(std::fs::metadata(&wal).unwrap().len() > 0);
        // With the store still open, only the background thread can copy the last write from
        // the WAL into the database file (SQLite's own auto-checkpoint needs 1,000 pages).
        let in_db_file = || {
            let bytes = std::fs::read(&path).unwrap();
            bytes.windows(9).any(|w| w == b"device-19")
        };
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !in_db_file() {
            assert!(
                std::time::Instant::now() < deadline,
                "the checkpointer never copied the WAL into the database file"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        drop(store);
        assert_eq!(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0), 0);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.device_id(), "device-19");
    }

    #[test]
    fn a_file_that_is_not_a_database_is_reported_as_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("device.db");
        std::fs::write(&path, vec![0x42u8; 8192]).unwrap();
        let err = Store::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    }
}
