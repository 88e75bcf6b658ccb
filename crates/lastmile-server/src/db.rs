//! Storage of the server: one tiny SQL layer over two backends, so every query and every
//! transaction boundary is written once.
//!
//! - **SQLite** (default): one file in the data folder, WAL with `synchronous=FULL`, one
//!   writer connection behind an async mutex (SQLite has one writer anyway); a transaction
//!   holds it, and each of its statements runs off the async workers ([`SqliteGuard`]).
//!   Reads that write nothing ([`Db::read`]) take one of a few read-only connections
//!   instead: in WAL mode each sees the last commit and waits for no writer.
//! - **PostgreSQL** (`--database-url`): a deadpool-postgres pool of `tokio-postgres`
//!   connections with their session timeouts and prepared statements. Several server
//!   instances may share one database: everything that must be unique or ordered (the
//!   change-feed cursor, a device's acknowledged sequence) is assigned inside the database
//!   transaction under a row lock, never in process memory.
//!
//! Queries use `$1, $2, …` placeholders (rewritten to `?1, ?2, …` for SQLite), portable SQL
//! (`ON CONFLICT`, `RETURNING`, `CAST`), and the [`V`] value type. Times are unix milliseconds.
//! Rows are read by column name ([`Row::get`], into structs with [`FromRow`] / `row_struct!`).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{Mutex, OwnedMutexGuard, watch};

const SQLITE_SCHEMA: &[&str] = &[
    include_str!("migrations/sqlite_001.sql"),
    include_str!("migrations/sqlite_002_access.sql"),
    include_str!("migrations/sqlite_003_sync.sql"),
    include_str!("migrations/sqlite_004_identity.sql"),
    include_str!("migrations/sqlite_005_station.sql"),
    include_str!("migrations/sqlite_006_ride.sql"),
    include_str!("migrations/sqlite_007_offers.sql"),
    include_str!("migrations/sqlite_008_retention.sql"),
    concat!(
        include_str!("migrations/sqlite_009_projections.sql"),
        include_str!("migrations/sqlite_009_projections_backfill.sql")
    ),
];
/// The projections' back-fill again (`progress::rebuild`), per backend.
pub(crate) const SQLITE_PROJECTIONS_BACKFILL: &str =
    include_str!("migrations/sqlite_009_projections_backfill.sql");
pub(crate) const POSTGRES_PROJECTIONS_BACKFILL: &str =
    include_str!("migrations/postgres_009_projections_backfill.sql");
const POSTGRES_SCHEMA: &[&str] = &[
    include_str!("migrations/postgres_001.sql"),
    include_str!("migrations/postgres_002_access.sql"),
    include_str!("migrations/postgres_003_sync.sql"),
    include_str!("migrations/postgres_004_identity.sql"),
    include_str!("migrations/postgres_005_station.sql"),
    include_str!("migrations/postgres_006_ride.sql"),
    include_str!("migrations/postgres_007_offers.sql"),
    include_str!("migrations/postgres_008_retention.sql"),
    concat!(
        include_str!("migrations/postgres_009_projections.sql"),
        include_str!("migrations/postgres_009_projections_backfill.sql")
    ),
];
/// Every pooled PostgreSQL session (set in the connection's startup packet, so a new
/// connection has them before its first statement): a statement waiting this long for a
/// row lock fails (`503 busy`, the client retries) instead of queueing forever, and a
/// session left idle inside a transaction this long is ended by the server, which frees
/// its locks.
const PG_SESSION_OPTIONS: &str = "-c lock_timeout=15s -c idle_in_transaction_session_timeout=30s";
const PG_POOL_SIZE: usize = 8;

/// A storage failure. Always the server's fault from the client's point of view (5xx).
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("postgres: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    #[error("postgres pool: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    /// A column held a different type than the query expected (a bug in a query).
    #[error("column {column}: expected {expected}, found {found}")]
    Type {
        column: String,
        expected: &'static str,
        found: &'static str,
    },
    /// A read named a column the query does not return (a bug in a query).
    #[error("no column {column} in this row (it has: {columns})")]
    NoColumn { column: String, columns: String },
    #[error("schema: {0}")]
    Schema(String),
    /// The blocking thread running a SQLite statement panicked or was cancelled.
    #[error("sqlite worker: {0}")]
    Worker(String),
    /// The group commit this transaction joined did not commit (see [`Db::begin_grouped`]):
    /// nothing of the transaction was stored.
    #[error("sqlite group commit: {0}")]
    Group(String),
}

impl DbError {
    /// The disk under the database is full (SQLite `SQLITE_FULL`, PostgreSQL `53100`); the
    /// write was rolled back and can be retried once there is space.
    pub fn is_disk_full(&self) -> bool {
        match self {
            DbError::Postgres(e) => e.code().map(|c| c.code()) == Some("53100"),
            DbError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => {
                e.code == rusqlite::ErrorCode::DiskFull
            }
            _ => false,
        }
    }

    /// The database cannot be reached (PostgreSQL restarting, connection closed).
    pub fn is_unavailable(&self) -> bool {
        match self {
            // No answer from the database server at all, or it is shutting down/starting.
            DbError::Postgres(e) => {
                e.is_closed()
                    || e.as_db_error().is_none()
                    || matches!(
                        e.code().map(|c| c.code()),
                        Some("57P01") | Some("57P02") | Some("57P03")
                    )
            }
            _ => false,
        }
    }

    /// PostgreSQL aborted the transaction because of a concurrent one; retrying it is safe.
    pub fn is_retryable(&self) -> bool {
        match self {
            DbError::Postgres(e) => matches!(
                e.code().map(|c| c.code()),
                // serialization failure, deadlock, lock_timeout
                Some("40001") | Some("40P01") | Some("55P03")
            ),
            DbError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => {
                e.code == rusqlite::ErrorCode::DatabaseBusy
            }
            _ => false,
        }
    }
}

/// A parameter or column value.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    I(i64),
    F(f64),
    T(String),
    B(Vec<u8>),
    N,
}

impl From<&str> for V {
    fn from(s: &str) -> Self {
        V::T(s.to_owned())
    }
}
impl From<String> for V {
    fn from(s: String) -> Self {
        V::T(s)
    }
}
impl From<&String> for V {
    fn from(s: &String) -> Self {
        V::T(s.clone())
    }
}
impl From<i64> for V {
    fn from(i: i64) -> Self {
        V::I(i)
    }
}
impl From<f64> for V {
    fn from(f: f64) -> Self {
        V::F(f)
    }
}
impl From<Vec<u8>> for V {
    fn from(b: Vec<u8>) -> Self {
        V::B(b)
    }
}
impl From<Option<String>> for V {
    fn from(s: Option<String>) -> Self {
        s.map_or(V::N, V::T)
    }
}

/// One result row: its values and the names of its columns (shared by every row of a query).
#[derive(Debug, Clone)]
pub struct Row {
    columns: Arc<[String]>,
    values: Vec<V>,
}

/// A Rust type a column value reads into ([`Row::get`]). Integers read as `f64` too (SQLite
/// stores a whole REAL as an integer), and `bool` reads an integer 0/1 (how both backends
/// hand a flag to this layer; any other integer is true).
pub trait FromValue: Sized {
    /// What the type wants, for the error.
    const EXPECTED: &'static str;
    fn from_value(v: &V) -> Option<Self>;
}

impl FromValue for String {
    const EXPECTED: &'static str = "text";
    fn from_value(v: &V) -> Option<Self> {
        match v {
            V::T(s) => Some(s.clone()),
            _ => None,
        }
    }
}
impl FromValue for i64 {
    const EXPECTED: &'static str = "integer";
    fn from_value(v: &V) -> Option<Self> {
        match v {
            V::I(i) => Some(*i),
            _ => None,
        }
    }
}
impl FromValue for f64 {
    const EXPECTED: &'static str = "real";
    fn from_value(v: &V) -> Option<Self> {
        match v {
            V::F(f) => Some(*f),
            V::I(i) => Some(*i as f64),
            _ => None,
        }
    }
}
impl FromValue for bool {
    const EXPECTED: &'static str = "integer (0 is false)";
    fn from_value(v: &V) -> Option<Self> {
        match v {
            V::I(i) => Some(*i != 0),
            _ => None,
        }
    }
}
impl FromValue for Vec<u8> {
    const EXPECTED: &'static str = "bytes";
    fn from_value(v: &V) -> Option<Self> {
        match v {
            V::B(b) => Some(b.clone()),
            _ => None,
        }
    }
}
impl FromValue for Option<String> {
    const EXPECTED: &'static str = "text or null";
    fn from_value(v: &V) -> Option<Self> {
        match v {
            V::N => Some(None),
            v => String::from_value(v).map(Some),
        }
    }
}
impl FromValue for Option<i64> {
    const EXPECTED: &'static str = "integer or null";
    fn from_value(v: &V) -> Option<Self> {
        match v {
            V::N => Some(None),
            v => i64::from_value(v).map(Some),
        }
    }
}

/// What a value is, for an error.
fn kind(v: &V) -> &'static str {
    match v {
        V::I(_) => "integer",
        V::F(_) => "real",
        V::T(_) => "text",
        V::B(_) => "bytes",
        V::N => "null",
    }
}

/// A type built from one result row by column name: `tx.one_as::<T>` / `tx.query_as::<T>`.
/// Written by [`row_struct!`] for plain structs whose fields are the columns.
pub trait FromRow: Sized {
    fn from_row(row: &Row) -> Result<Self, DbError>;
}

/// A struct whose fields are read from the columns of the same names:
///
/// ```text
/// row_struct! {
///     struct SessionRow { session_id: String, revoked: bool }
/// }
/// let s: Option<SessionRow> = tx.one_as("SELECT session_id, revoked FROM sessions …", &[…]).await?;
/// ```
macro_rules! row_struct {
    ($(#[$meta:meta])* $vis:vis struct $name:ident { $($fvis:vis $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        $vis struct $name { $($fvis $field: $ty),* }
        impl $crate::db::FromRow for $name {
            fn from_row(row: &$crate::db::Row) -> Result<Self, $crate::db::DbError> {
                Ok(Self { $($field: row.get(stringify!($field))?),* })
            }
        }
    };
}

pub(crate) use row_struct;

impl Row {
    pub fn new(columns: Arc<[String]>, values: Vec<V>) -> Self {
        Self { columns, values }
    }

    /// The value of column `name` as a `T`; a missing column or another type is an error
    /// that names the column.
    pub fn get<T: FromValue>(&self, name: &str) -> Result<T, DbError> {
        let Some(at) = self.columns.iter().position(|c| c == name) else {
            return Err(DbError::NoColumn {
                column: name.to_owned(),
                columns: self.columns.join(", "),
            });
        };
        let v = &self.values[at];
        T::from_value(v).ok_or_else(|| DbError::Type {
            column: name.to_owned(),
            expected: T::EXPECTED,
            found: kind(v),
        })
    }

    /// The column names, in order.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }
}

impl rusqlite::ToSql for V {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            V::I(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            V::F(f) => ToSqlOutput::Borrowed(ValueRef::Real(*f)),
            V::T(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            V::B(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
            V::N => ToSqlOutput::Borrowed(ValueRef::Null),
        })
    }
}

impl tokio_postgres::types::ToSql for V {
    fn to_sql(
        &self,
        ty: &tokio_postgres::types::Type,
        out: &mut tokio_postgres::types::private::BytesMut,
    ) -> Result<tokio_postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            V::I(i) => i.to_sql(ty, out),
            V::F(f) => f.to_sql(ty, out),
            V::T(s) => s.to_sql(ty, out),
            V::B(b) => b.to_sql(ty, out),
            V::N => Ok(tokio_postgres::types::IsNull::Yes),
        }
    }
    fn accepts(_ty: &tokio_postgres::types::Type) -> bool {
        true
    }
    tokio_postgres::types::to_sql_checked!();
}

/// Read-only SQLite connections beside the writer (issue 18): reads take a free one and
/// queue only when all of them are busy.
const SQLITE_READERS: usize = 4;

/// The type of a column a bulk insert writes ([`Tx::insert_unnest`] sends one typed array
/// per column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Text,
    Int,
}

impl Col {
    fn pg_array(self) -> &'static str {
        match self {
            Col::Text => "text[]",
            Col::Int => "int8[]",
        }
    }
}

/// Group commit on the SQLite writer (issue 18): how big and how old a group may grow. Every
/// commit is one fsync (`synchronous=FULL`: ~0.2 ms on the 2-core machine's disk when quiet,
/// tens of ms when other writers load it) taken while holding the one writer, so writers
/// that arrive together share one ([`Db::begin_grouped`]).
#[derive(Debug, Clone, Copy)]
pub struct GroupCommit {
    /// A member that brings the group to this many commits it.
    pub max_members: usize,
    /// A member finishing in a group at least this old commits it: about how long a group's
    /// first member waits at most while others keep joining.
    pub max_age: Duration,
    /// A group still open this long after it began is committed by a timer: the writer that
    /// was waiting to join it went away (its request was cancelled).
    pub linger: Duration,
}

impl Default for GroupCommit {
    fn default() -> Self {
        Self {
            max_members: 64,
            max_age: Duration::from_millis(20),
            linger: Duration::from_millis(50),
        }
    }
}

/// Counters of the SQLite writer's commits ([`Db::commit_stats`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommitStats {
    /// COMMITs that succeeded (each is one fsync): plain transactions and whole groups.
    pub commits: u64,
    /// Those of `commits` that were groups.
    pub group_commits: u64,
    /// Grouped transactions stored by those group commits.
    pub grouped_members: u64,
    /// Groups whose COMMIT failed or that SQLite rolled back: all their members failed.
    pub failed_groups: u64,
}

/// The name of a group member's savepoint: one member holds the connection at a time.
const MEMBER_SAVEPOINT: &str = "lastmile_member";

/// Why a group did not commit, as every one of its members learns it.
#[derive(Debug, Clone)]
struct GroupFailure {
    /// SQLite's code (a full disk stays a full disk for every member: `507`, retry later).
    sqlite: Option<rusqlite::ffi::Error>,
    message: String,
}

impl GroupFailure {
    fn of(e: &DbError) -> Self {
        match e {
            DbError::Sqlite(rusqlite::Error::SqliteFailure(code, message)) => Self {
                sqlite: Some(*code),
                message: message.clone().unwrap_or_else(|| e.to_string()),
            },
            other => Self {
                sqlite: None,
                message: other.to_string(),
            },
        }
    }

    /// SQLite rolled the group's transaction back by itself (a statement failed with an I/O
    /// error or a full disk): released members' work went with it.
    fn rolled_back() -> Self {
        Self {
            sqlite: None,
            message: "SQLite rolled the group's transaction back after a failed statement; nothing of it was stored".into(),
        }
    }
}

impl From<GroupFailure> for DbError {
    fn from(f: GroupFailure) -> Self {
        match f.sqlite {
            Some(code) => DbError::Sqlite(rusqlite::Error::SqliteFailure(code, Some(f.message))),
            None => DbError::Group(f.message),
        }
    }
}

/// A group's result: None until its COMMIT ran (or it failed).
type GroupOutcome = Option<Result<(), GroupFailure>>;

/// The group commit open on the writer: one SQLite transaction (`BEGIN IMMEDIATE`) that
/// members join one after another, each inside its own savepoint.
struct OpenGroup {
    id: u64,
    opened: Instant,
    /// Members that released their savepoint into the group and wait for its COMMIT.
    members: u64,
    /// Where the waiting members learn the outcome. Every path that ends a group sends on
    /// it first; a group dropped unsent (the server shutting down) is an error for them.
    done: watch::Sender<GroupOutcome>,
}

/// The writer's state beside its connection.
pub struct WriterShared {
    config: GroupCommit,
    /// Writers queued for the writer lock ([`Db::begin`], [`Db::begin_grouped`]; not the
    /// timer). A member that finishes while one waits leaves the group open for it.
    waiting: AtomicUsize,
    /// The open group. Invariant: read and changed only by whoever holds the writer lock
    /// (the std mutex only makes the type `Sync`; it is never contended).
    group: std::sync::Mutex<Option<OpenGroup>>,
    next_group: AtomicU64,
    commits: AtomicU64,
    group_commits: AtomicU64,
    grouped_members: AtomicU64,
    failed_groups: AtomicU64,
}

impl WriterShared {
    fn new(config: GroupCommit) -> Self {
        Self {
            config,
            waiting: AtomicUsize::new(0),
            group: std::sync::Mutex::new(None),
            next_group: AtomicU64::new(1),
            commits: AtomicU64::new(0),
            group_commits: AtomicU64::new(0),
            grouped_members: AtomicU64::new(0),
            failed_groups: AtomicU64::new(0),
        }
    }

    fn open_group(&self) -> std::sync::MutexGuard<'_, Option<OpenGroup>> {
        // A panic while it was held left nothing half-changed that the next holder cannot
        // judge from the connection itself (`is_autocommit`).
        self.group.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Ends the open group with `outcome` (its members answer now).
    fn end_group(&self, group: &mut Option<OpenGroup>, outcome: Result<(), GroupFailure>) {
        if let Some(open) = group.take() {
            match &outcome {
                Ok(()) => {
                    self.commits.fetch_add(1, Ordering::Relaxed);
                    self.group_commits.fetch_add(1, Ordering::Relaxed);
                    self.grouped_members
                        .fetch_add(open.members, Ordering::Relaxed);
                }
                Err(f) => {
                    if open.members > 0 {
                        tracing::error!(
                            members = open.members,
                            "group commit failed: {}",
                            f.message
                        );
                    }
                    self.failed_groups.fetch_add(1, Ordering::Relaxed);
                }
            }
            open.done.send_replace(Some(outcome));
        }
    }

    /// Holding the writer lock: if a group is believed open but the connection is in
    /// autocommit, SQLite rolled it back by itself; its members fail.
    fn check_alive(&self, conn: &rusqlite::Connection, group: &mut Option<OpenGroup>) {
        if group.is_some() && conn.is_autocommit() {
            self.end_group(group, Err(GroupFailure::rolled_back()));
        }
    }

    /// Holding the writer lock: COMMITs the open group (if any) and tells its members. A
    /// failed COMMIT that left the transaction open is rolled back, so nothing of it stays.
    fn commit_group(
        &self,
        conn: &rusqlite::Connection,
        group: &mut Option<OpenGroup>,
    ) -> Result<(), DbError> {
        self.check_alive(conn, group);
        if group.is_none() {
            return Ok(());
        }
        let result = conn.execute_batch("COMMIT").map_err(DbError::from);
        if let Err(e) = &result {
            rollback_all(conn, e);
        }
        self.end_group(group, result.as_ref().map(|_| ()).map_err(GroupFailure::of));
        result
    }
}

/// After a failure: ROLLBACK whatever transaction is still open on the writer.
fn rollback_all(conn: &rusqlite::Connection, why: &dyn std::fmt::Display) {
    if !conn.is_autocommit()
        && let Err(e) = conn.execute_batch("ROLLBACK")
    {
        tracing::error!("sqlite rollback after {why} failed: {e}");
    }
}

/// Counts a writer queued for the lock while it waits (also when its request is cancelled).
struct Queued<'a>(&'a AtomicUsize);

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The writer lock for a transaction, counted in [`WriterShared::waiting`] while queued.
async fn lock_writer(
    writer: &Arc<Mutex<rusqlite::Connection>>,
    shared: &WriterShared,
) -> OwnedMutexGuard<rusqlite::Connection> {
    if let Ok(free) = writer.clone().try_lock_owned() {
        return free;
    }
    shared.waiting.fetch_add(1, Ordering::SeqCst);
    let _queued = Queued(&shared.waiting);
    writer.clone().lock_owned().await
}

/// Commits group `id` once it is `linger` old, if nobody else has (see [`GroupCommit::linger`]).
fn spawn_group_timer(writer: Arc<Mutex<rusqlite::Connection>>, shared: Arc<WriterShared>, id: u64) {
    tokio::spawn(async move {
        tokio::time::sleep(shared.config.linger).await;
        let conn = writer.lock_owned().await;
        if shared.open_group().as_ref().is_none_or(|g| g.id != id) {
            return;
        }
        let committed = tokio::task::spawn_blocking(move || {
            let mut group = shared.open_group();
            if group.as_ref().is_some_and(|g| g.id == id) {
                // Its members learn the outcome; there is no one else to tell.
                if let Err(e) = shared.commit_group(&conn, &mut group) {
                    tracing::debug!("group commit by the timer failed: {e}");
                }
            }
        })
        .await;
        if let Err(e) = committed {
            tracing::error!("group commit timer: {e}");
        }
    });
}

/// The server's database.
pub enum Db {
    Sqlite {
        /// The one writer: every [`Db::begin`] and [`Db::begin_grouped`] holds it for its
        /// transaction.
        writer: Arc<Mutex<rusqlite::Connection>>,
        /// What the holders of `writer` share besides the connection: the open group commit.
        shared: Arc<WriterShared>,
        /// Opened read-only, for [`Db::read`].
        readers: Vec<Arc<Mutex<rusqlite::Connection>>>,
        /// Which reader a read waits for when none is free (round robin).
        next_reader: std::sync::atomic::AtomicUsize,
    },
    Postgres {
        pool: deadpool_postgres::Pool,
        url: String,
    },
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.backend())
    }
}

/// The pool: deadpool-postgres, at most [`PG_POOL_SIZE`] connections, made when needed.
/// A connection is handed out again only if it is still open (`RecyclingMethod::Fast`: a
/// broken one is dropped and replaced by a new one); each keeps its prepared statements
/// (`prepare_cached`). Not `RecyclingMethod::Clean`: its `RESET ALL` would drop the
/// session settings.
fn pg_pool(url: &str) -> Result<deadpool_postgres::Pool, DbError> {
    let mut config: tokio_postgres::Config = url.parse()?;
    let options = match config.get_options() {
        Some(own) if !own.is_empty() => format!("{own} {PG_SESSION_OPTIONS}"),
        _ => PG_SESSION_OPTIONS.to_owned(),
    };
    config.options(&options);
    let manager = deadpool_postgres::Manager::from_config(
        config,
        tokio_postgres::NoTls,
        deadpool_postgres::ManagerConfig {
            recycling_method: deadpool_postgres::RecyclingMethod::Fast,
        },
    );
    deadpool_postgres::Pool::builder(manager)
        .max_size(PG_POOL_SIZE)
        .build()
        .map_err(|e| DbError::Schema(format!("postgres pool: {e}")))
}

impl Db {
    pub fn open_sqlite(path: &Path) -> Result<Self, DbError> {
        Self::open_sqlite_with(path, GroupCommit::default())
    }

    /// [`Db::open_sqlite`] with the group commit's bounds.
    pub fn open_sqlite_with(path: &Path, group_commit: GroupCommit) -> Result<Self, DbError> {
        let conn = rusqlite::Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "busy_timeout", 5000)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS server_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);",
        )?;
        let version: i64 = conn
            .query_row(
                "SELECT value FROM server_meta WHERE key = 'schema_version'",
                [],
                |r| r.get::<_, String>(0),
            )
            .map(|v| v.parse().unwrap_or(0))
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(0),
                e => Err(e),
            })?;
        check_version(version, SQLITE_SCHEMA.len())?;
        for (i, sql) in SQLITE_SCHEMA.iter().enumerate().skip(version as usize) {
            let tx = conn.unchecked_transaction()?;
            tx.execute_batch(sql)?;
            tx.execute(
                "INSERT INTO server_meta (key, value) VALUES ('schema_version', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [(i + 1).to_string()],
            )?;
            tx.commit()?;
        }
        let readers = (0..SQLITE_READERS)
            .map(|_| {
                let reader = rusqlite::Connection::open_with_flags(
                    path,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                        | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                reader.pragma_update(None, "busy_timeout", 5000)?;
                Ok(Arc::new(Mutex::new(reader)))
            })
            .collect::<Result<_, DbError>>()?;
        Ok(Db::Sqlite {
            writer: Arc::new(Mutex::new(conn)),
            shared: Arc::new(WriterShared::new(group_commit)),
            readers,
            next_reader: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    /// Connects to PostgreSQL and brings its schema up to date (under an advisory lock, so
    /// instances starting together do not race).
    pub async fn open_postgres(url: &str) -> Result<Self, DbError> {
        let pool = pg_pool(url)?;
        let first = pool.get().await?;
        first.batch_execute("SELECT pg_advisory_lock(7461)").await?;
        let migrated = pg_migrate(&first).await;
        first
            .batch_execute("SELECT pg_advisory_unlock(7461)")
            .await?;
        migrated?;
        drop(first);
        Ok(Db::Postgres {
            pool,
            url: url.to_owned(),
        })
    }

    /// The connection URL of a PostgreSQL database (None for SQLite).
    pub fn postgres_url(&self) -> Option<&str> {
        match self {
            Db::Sqlite { .. } => None,
            Db::Postgres { url, .. } => Some(url),
        }
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite { .. } => "sqlite",
            Db::Postgres { .. } => "postgres",
        }
    }

    /// `" FOR UPDATE"` on PostgreSQL (row lock until commit); SQLite's write transaction
    /// already excludes every other writer.
    pub fn for_update(&self) -> &'static str {
        match self {
            Db::Sqlite { .. } => "",
            Db::Postgres { .. } => " FOR UPDATE",
        }
    }

    /// Starts a transaction. Dropping it without [`Tx::commit`] rolls it back. On SQLite a
    /// group commit still open ([`Db::begin_grouped`]) is committed first, and its members
    /// learn the result; this transaction then commits on its own.
    pub async fn begin(&self) -> Result<Tx, DbError> {
        match self {
            Db::Sqlite { writer, shared, .. } => {
                let mut slot = Some(SqliteGuard {
                    conn: lock_writer(writer, shared).await,
                    writer: Some(shared.clone()),
                    member: None,
                });
                on_guard(&mut slot, |g| {
                    let shared = g.shared()?;
                    let mut group = shared.open_group();
                    if let Err(e) = shared.commit_group(&g.conn, &mut group) {
                        // Its members got the error; this transaction is a new one.
                        tracing::debug!("group committed before a plain begin failed: {e}");
                    }
                    Ok(g.conn.execute_batch("BEGIN IMMEDIATE")?)
                })
                .await?;
                Ok(Tx::Sqlite {
                    conn: slot,
                    open: true,
                })
            }
            Db::Postgres { pool, .. } => Tx::postgres(pool, "BEGIN").await,
        }
    }

    /// Starts a transaction that may share its COMMIT (its fsync) with other writers: the
    /// hot write paths of a reconnecting fleet (event batches, blob uploads). Use it where
    /// the answer is sent only after [`Tx::commit`] returned, as always.
    ///
    /// On SQLite the transaction joins the group commit open on the writer (or opens one with
    /// `BEGIN IMMEDIATE`) inside a savepoint of its own. Its commit releases the savepoint and
    /// then either COMMITs the whole group, when no other writer is queued for the lock or the
    /// group reached [`GroupCommit`]'s bounds, or hands the lock on and waits until the group's
    /// COMMIT ran: `commit` returns only after the fsync that stores it, and its error if
    /// that COMMIT failed (then nothing of the group is stored). Dropped without commit, it
    /// rolls back to its savepoint: the other members' work stays. A reader ([`Db::read`])
    /// sees a member's rows only after its group committed.
    ///
    /// On PostgreSQL this is [`Db::begin`]: each transaction has its own connection.
    pub async fn begin_grouped(&self) -> Result<Tx, DbError> {
        match self {
            Db::Sqlite { writer, shared, .. } => {
                let mut slot = Some(SqliteGuard {
                    conn: lock_writer(writer, shared).await,
                    writer: Some(shared.clone()),
                    member: None,
                });
                let opened = on_guard(&mut slot, SqliteGuard::join_group).await?;
                if let Some(id) = opened {
                    spawn_group_timer(writer.clone(), shared.clone(), id);
                }
                Ok(Tx::Sqlite {
                    conn: slot,
                    open: true,
                })
            }
            Db::Postgres { pool, .. } => Tx::postgres(pool, "BEGIN").await,
        }
    }

    /// The SQLite writer's commit counters (all zero on PostgreSQL).
    pub fn commit_stats(&self) -> CommitStats {
        match self {
            Db::Sqlite { shared, .. } => CommitStats {
                commits: shared.commits.load(Ordering::Relaxed),
                group_commits: shared.group_commits.load(Ordering::Relaxed),
                grouped_members: shared.grouped_members.load(Ordering::Relaxed),
                failed_groups: shared.failed_groups.load(Ordering::Relaxed),
            },
            Db::Postgres { .. } => CommitStats::default(),
        }
    }
}

impl Db {
    /// Starts a read-only transaction: one snapshot of the last commit for all its
    /// statements. On SQLite it runs on a reader connection, not the writer, so it waits for
    /// no write transaction (and a write through it fails); on PostgreSQL it is a pooled
    /// connection in a `READ ONLY` transaction.
    pub async fn read(&self) -> Result<Tx, DbError> {
        match self {
            Db::Sqlite {
                readers,
                next_reader,
                ..
            } => {
                let free = readers.iter().find_map(|r| r.clone().try_lock_owned().ok());
                let guard = match free {
                    Some(g) => g,
                    None => {
                        let at = next_reader.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        readers[at % readers.len()].clone().lock_owned().await
                    }
                };
                Tx::sqlite(guard, "BEGIN DEFERRED").await
            }
            Db::Postgres { pool, .. } => Tx::postgres(pool, "BEGIN READ ONLY").await,
        }
    }
}

fn check_version(found: i64, known: usize) -> Result<(), DbError> {
    if found < 0 || found as usize > known {
        return Err(DbError::Schema(format!(
            "database schema version {found} is newer than this server ({known}); upgrade the server"
        )));
    }
    Ok(())
}

async fn pg_migrate(client: &tokio_postgres::Client) -> Result<(), DbError> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS server_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
        )
        .await?;
    let rows = client
        .query(
            "SELECT value FROM server_meta WHERE key = 'schema_version'",
            &[],
        )
        .await?;
    let version: i64 = match rows.first() {
        Some(row) => row.try_get::<_, String>(0)?.parse().unwrap_or(0),
        None => 0,
    };
    check_version(version, POSTGRES_SCHEMA.len())?;
    for (i, sql) in POSTGRES_SCHEMA.iter().enumerate().skip(version as usize) {
        let script = format!(
            "BEGIN; {sql}; INSERT INTO server_meta (key, value) VALUES ('schema_version', '{}') \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value; COMMIT;",
            i + 1
        );
        client.batch_execute(&script).await?;
    }
    Ok(())
}

/// The SQLite connection, held for one transaction. Every statement runs off the async
/// workers (`on_sqlite`), so they never wait for SQLite's disk I/O or fsync. Whoever drops
/// the guard of a transaction that is still open rolls it back, also when the request was
/// cancelled while its statement ran (then the blocking thread does, as it finishes): a
/// plain transaction all of it, a group member only to its savepoint.
pub struct SqliteGuard {
    conn: OwnedMutexGuard<rusqlite::Connection>,
    /// The writer's shared state; None on a read-only connection.
    writer: Option<Arc<WriterShared>>,
    /// Set for a member of a group commit ([`Db::begin_grouped`]).
    member: Option<Member>,
}

/// Where a group member is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Member {
    /// Its savepoint stands: its work can still be rolled back alone.
    Open,
    /// Released into its group (or rolled back): the guard only unlocks.
    Done,
}

/// How a member's commit ended while it held the lock.
enum Finish {
    /// It ran the group's COMMIT itself, which succeeded.
    Committed,
    /// The group stays open for the writer queued next: wait here for its COMMIT.
    Wait(watch::Receiver<GroupOutcome>),
}

impl SqliteGuard {
    fn shared(&self) -> Result<Arc<WriterShared>, DbError> {
        self.writer
            .clone()
            .ok_or_else(|| DbError::Worker("a write on a read-only connection".into()))
    }

    /// `begin_grouped` holding the lock: joins the open group (or opens one) in a savepoint.
    /// Some(id): it opened group `id`.
    fn join_group(&mut self) -> Result<Option<u64>, DbError> {
        let shared = self.shared()?;
        let mut group = shared.open_group();
        shared.check_alive(&self.conn, &mut group);
        let opened = match &*group {
            Some(_) => None,
            None => {
                self.conn.execute_batch("BEGIN IMMEDIATE")?;
                let id = shared.next_group.fetch_add(1, Ordering::Relaxed);
                *group = Some(OpenGroup {
                    id,
                    opened: Instant::now(),
                    members: 0,
                    done: watch::channel(None).0,
                });
                Some(id)
            }
        };
        if let Err(e) = self
            .conn
            .execute_batch(&format!("SAVEPOINT {MEMBER_SAVEPOINT}"))
        {
            if opened.is_some() {
                // An empty group of its own: nothing to keep.
                rollback_all(&self.conn, &e);
                *group = None;
            }
            return Err(e.into());
        }
        self.member = Some(Member::Open);
        Ok(opened)
    }

    /// A member's commit holding the lock: releases its savepoint into the group, then
    /// COMMITs the group or leaves it open for the writer queued next.
    fn finish_member(&mut self) -> Result<Finish, DbError> {
        let shared = self.shared()?;
        self.member = Some(Member::Done);
        let mut group = shared.open_group();
        if self.conn.is_autocommit() {
            // SQLite rolled the whole transaction back (a statement of this member failed
            // with an I/O error or a full disk): this member and every released one failed.
            shared.end_group(&mut group, Err(GroupFailure::rolled_back()));
            return Err(GroupFailure::rolled_back().into());
        }
        if let Err(e) = self
            .conn
            .execute_batch(&format!("RELEASE {MEMBER_SAVEPOINT}"))
        {
            let e = DbError::from(e);
            rollback_all(&self.conn, &e);
            shared.end_group(&mut group, Err(GroupFailure::of(&e)));
            return Err(e);
        }
        let Some(open) = group.as_mut() else {
            return Err(DbError::Group("the member's group vanished".into()));
        };
        open.members += 1;
        let now = open.members >= shared.config.max_members as u64
            || open.opened.elapsed() >= shared.config.max_age
            || shared.waiting.load(Ordering::SeqCst) == 0;
        if now {
            shared.commit_group(&self.conn, &mut group)?;
            Ok(Finish::Committed)
        } else {
            Ok(Finish::Wait(open.done.subscribe()))
        }
    }

    /// A plain transaction's commit.
    fn commit_plain(&mut self) -> Result<(), DbError> {
        self.conn.execute_batch("COMMIT")?;
        if let Some(shared) = &self.writer {
            shared.commits.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// A member dropped without commit: back to its savepoint; the group goes on without it
    /// (committed now if nobody is queued to join it, rolled back if it holds nothing).
    fn abandon_member(&mut self) {
        let Some(shared) = self.writer.clone() else {
            return;
        };
        self.member = Some(Member::Done);
        let mut group = shared.open_group();
        if self.conn.is_autocommit() {
            shared.end_group(&mut group, Err(GroupFailure::rolled_back()));
            return;
        }
        if let Err(e) = self.conn.execute_batch(&format!(
            "ROLLBACK TO {MEMBER_SAVEPOINT}; RELEASE {MEMBER_SAVEPOINT}"
        )) {
            // It cannot be undone alone: undo all of it, and the group fails.
            let e = DbError::from(e);
            rollback_all(&self.conn, &e);
            shared.end_group(&mut group, Err(GroupFailure::of(&e)));
            return;
        }
        match group.as_ref().map(|g| g.members) {
            Some(0) | None => {
                rollback_all(&self.conn, &"an abandoned member");
                // Nobody waits on a group without members.
                *group = None;
            }
            Some(_) if shared.waiting.load(Ordering::SeqCst) == 0 => {
                if let Err(e) = shared.commit_group(&self.conn, &mut group) {
                    tracing::debug!("group commit after an abandoned member failed: {e}");
                }
            }
            // The writer queued next joins it or commits it (the timer otherwise).
            Some(_) => {}
        }
    }
}

impl Drop for SqliteGuard {
    fn drop(&mut self) {
        match self.member {
            Some(Member::Open) => self.abandon_member(),
            Some(Member::Done) => {}
            None => {
                // A plain transaction. (An open group on the writer is never a plain
                // transaction's: `begin` commits it first.)
                let grouped = self
                    .writer
                    .as_ref()
                    .is_some_and(|w| w.open_group().is_some());
                if !grouped
                    && !self.conn.is_autocommit()
                    && let Err(e) = self.conn.execute_batch("ROLLBACK")
                {
                    tracing::error!("sqlite rollback failed: {e}");
                }
            }
        }
    }
}

/// Runs `f` on the transaction's connection, off the async workers. On a multi-threaded
/// runtime it runs right here in `block_in_place`, which first hands this worker's other
/// tasks to another thread (this thread is a blocking one until `f` returns): no thread
/// hand-off on the statement's path. On a single-threaded runtime, where that is not
/// possible, the guard moves to a `spawn_blocking` thread with `f` and back.
async fn on_sqlite<T: Send + 'static>(
    slot: &mut Option<SqliteGuard>,
    f: impl FnOnce(&rusqlite::Connection) -> Result<T, DbError> + Send + 'static,
) -> Result<T, DbError> {
    on_guard(slot, move |g| f(&g.conn)).await
}

/// [`on_sqlite`] with the whole guard (the group commit's steps).
async fn on_guard<T: Send + 'static>(
    slot: &mut Option<SqliteGuard>,
    f: impl FnOnce(&mut SqliteGuard) -> Result<T, DbError> + Send + 'static,
) -> Result<T, DbError> {
    let multi_thread = tokio::runtime::Handle::try_current()
        .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
    if multi_thread && let Some(guard) = slot.as_mut() {
        return tokio::task::block_in_place(|| f(guard));
    }
    let mut guard = slot
        .take()
        .ok_or_else(|| DbError::Worker("transaction used after a statement was lost".into()))?;
    let (guard, out) = tokio::task::spawn_blocking(move || {
        let out = f(&mut guard);
        (guard, out)
    })
    .await
    .map_err(|e| DbError::Worker(e.to_string()))?;
    *slot = Some(guard);
    out
}

/// An open transaction on either backend.
pub enum Tx {
    /// `conn` is None only while a statement runs (or after its runner was lost).
    Sqlite {
        conn: Option<SqliteGuard>,
        open: bool,
    },
    /// `conn` is taken (None) only by `Drop`, which rolls back on it.
    Postgres {
        conn: Option<Box<deadpool_postgres::Object>>,
        open: bool,
    },
}

/// `$1` → `?1`: SQLite's numbered parameters bind by number, like PostgreSQL's.
fn sqlite_sql(sql: &str) -> String {
    sql.replace('$', "?")
}

fn sqlite_query(conn: &rusqlite::Connection, sql: &str, params: &[V]) -> Result<Vec<Row>, DbError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let names: Arc<[String]> = stmt.column_names().map(String::from).collect();
    let columns = names.len();
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(columns);
        for i in 0..columns {
            use rusqlite::types::ValueRef;
            values.push(match row.get_ref(i)? {
                ValueRef::Null => V::N,
                ValueRef::Integer(i) => V::I(i),
                ValueRef::Real(f) => V::F(f),
                ValueRef::Text(t) => V::T(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => V::B(b.to_vec()),
            });
        }
        out.push(Row::new(names.clone(), values));
    }
    Ok(out)
}

impl Tx {
    /// A transaction begun by `begin` on the SQLite connection held by `guard`.
    async fn sqlite(
        guard: OwnedMutexGuard<rusqlite::Connection>,
        begin: &'static str,
    ) -> Result<Tx, DbError> {
        let mut slot = Some(SqliteGuard {
            conn: guard,
            writer: None,
            member: None,
        });
        on_sqlite(&mut slot, move |c| Ok(c.execute_batch(begin)?)).await?;
        Ok(Tx::Sqlite {
            conn: slot,
            open: true,
        })
    }

    /// A transaction begun by `begin` on a pooled PostgreSQL connection.
    async fn postgres(pool: &deadpool_postgres::Pool, begin: &str) -> Result<Tx, DbError> {
        let conn = pool.get().await?;
        conn.batch_execute(begin).await?;
        Ok(Tx::Postgres {
            conn: Some(Box::new(conn)),
            open: true,
        })
    }

    /// `" FOR UPDATE"` on PostgreSQL, nothing on SQLite (see [`Db::for_update`]).
    pub fn for_update(&self) -> &'static str {
        match self {
            Tx::Sqlite { .. } => "",
            Tx::Postgres { .. } => " FOR UPDATE",
        }
    }
}

impl Tx {
    pub async fn query(&mut self, sql: &str, params: &[V]) -> Result<Vec<Row>, DbError> {
        match self {
            Tx::Sqlite { conn, .. } => {
                let (sql, params) = (sqlite_sql(sql), params.to_vec());
                on_sqlite(conn, move |conn| sqlite_query(conn, &sql, &params)).await
            }
            Tx::Postgres { conn, .. } => {
                let conn = pg_conn(conn)?;
                let stmt = conn.prepare_cached(sql).await?;
                let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = params
                    .iter()
                    .map(|p| p as &(dyn tokio_postgres::types::ToSql + Sync))
                    .collect();
                let names: Arc<[String]> =
                    stmt.columns().iter().map(|c| c.name().to_owned()).collect();
                let rows = conn.query(&stmt, &refs).await?;
                rows.iter().map(|r| pg_row(r, &names)).collect()
            }
        }
    }

    pub async fn exec(&mut self, sql: &str, params: &[V]) -> Result<u64, DbError> {
        match self {
            Tx::Sqlite { conn, .. } => {
                let (sql, params) = (sqlite_sql(sql), params.to_vec());
                on_sqlite(conn, move |conn| {
                    let mut stmt = conn.prepare_cached(&sql)?;
                    Ok(stmt.execute(rusqlite::params_from_iter(params.iter()))? as u64)
                })
                .await
            }
            Tx::Postgres { conn, .. } => {
                let conn = pg_conn(conn)?;
                let stmt = conn.prepare_cached(sql).await?;
                let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = params
                    .iter()
                    .map(|p| p as &(dyn tokio_postgres::types::ToSql + Sync))
                    .collect();
                Ok(conn.execute(&stmt, &refs).await?)
            }
        }
    }

    /// Several statements without parameters, in one round trip (a script such as
    /// `progress::rebuild`'s).
    pub async fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        match self {
            Tx::Sqlite { conn, .. } => {
                let sql = sql.to_owned();
                on_sqlite(conn, move |conn| Ok(conn.execute_batch(&sql)?)).await
            }
            Tx::Postgres { conn, .. } => Ok(pg_conn(conn)?.batch_execute(sql).await?),
        }
    }

    /// PostgreSQL: every row of `rows` in ONE statement, `INSERT INTO table (columns) SELECT *
    /// FROM unnest($1::text[], $2::int8[], …)` + `tail`: one array parameter per column, so
    /// the statement's text (and its cached plan) is the same for any number of rows and a
    /// batch costs one round trip (issue 18). SQLite has no arrays: an error.
    pub async fn insert_unnest(
        &mut self,
        table: &str,
        columns: &[(&str, Col)],
        tail: &str,
        rows: &[Vec<V>],
    ) -> Result<u64, DbError> {
        let Tx::Postgres { conn, .. } = self else {
            return Err(DbError::Schema("unnest is PostgreSQL only".into()));
        };
        let conn = pg_conn(conn)?;
        let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
        let arrays: Vec<String> = columns
            .iter()
            .enumerate()
            .map(|(i, (_, ty))| format!("${}::{}", i + 1, ty.pg_array()))
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({}) SELECT * FROM unnest({}){tail}",
            names.join(", "),
            arrays.join(", ")
        );
        let mut params: Vec<Box<dyn tokio_postgres::types::ToSql + Sync + Send>> =
            Vec::with_capacity(columns.len());
        for (c, (name, ty)) in columns.iter().enumerate() {
            let wrong = |v: &V| DbError::Type {
                column: (*name).to_owned(),
                expected: ty.pg_array(),
                found: kind(v),
            };
            match ty {
                Col::Text => {
                    let mut values: Vec<Option<String>> = Vec::with_capacity(rows.len());
                    for row in rows {
                        values.push(match &row[c] {
                            V::T(s) => Some(s.clone()),
                            V::N => None,
                            v => return Err(wrong(v)),
                        });
                    }
                    params.push(Box::new(values));
                }
                Col::Int => {
                    let mut values: Vec<Option<i64>> = Vec::with_capacity(rows.len());
                    for row in rows {
                        values.push(match &row[c] {
                            V::I(i) => Some(*i),
                            V::N => None,
                            v => return Err(wrong(v)),
                        });
                    }
                    params.push(Box::new(values));
                }
            }
        }
        let stmt = conn.prepare_cached(&sql).await?;
        let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = params
            .iter()
            .map(|p| p.as_ref() as &(dyn tokio_postgres::types::ToSql + Sync))
            .collect();
        Ok(conn.execute(&stmt, &refs).await?)
    }

    /// Whether this transaction runs on PostgreSQL (the backend's own SQL, e.g. JSON).
    pub fn is_postgres(&self) -> bool {
        matches!(self, Tx::Postgres { .. })
    }

    pub async fn one(&mut self, sql: &str, params: &[V]) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, params).await?.into_iter().next())
    }

    /// [`Tx::query`], each row read into a `T` by column name.
    pub async fn query_as<T: FromRow>(
        &mut self,
        sql: &str,
        params: &[V],
    ) -> Result<Vec<T>, DbError> {
        self.query(sql, params)
            .await?
            .iter()
            .map(T::from_row)
            .collect()
    }

    /// [`Tx::one`], read into a `T` by column name.
    pub async fn one_as<T: FromRow>(
        &mut self,
        sql: &str,
        params: &[V],
    ) -> Result<Option<T>, DbError> {
        self.one(sql, params)
            .await?
            .as_ref()
            .map(T::from_row)
            .transpose()
    }

    pub async fn commit(mut self) -> Result<(), DbError> {
        match &mut self {
            Tx::Sqlite { conn, open } => {
                if conn.as_ref().is_some_and(|g| g.member.is_some()) {
                    let finish = on_guard(conn, SqliteGuard::finish_member).await;
                    // The member is done either way: unlock before waiting for the group.
                    *open = false;
                    drop(conn.take());
                    if let Finish::Wait(mut done) = finish? {
                        let outcome = done
                            .wait_for(Option::is_some)
                            .await
                            .map_err(|_| DbError::Group("the group ended unanswered".into()))?
                            .clone();
                        outcome
                            .unwrap_or_else(|| Err(GroupFailure::rolled_back()))
                            .map_err(DbError::from)?;
                    }
                } else {
                    on_guard(conn, SqliteGuard::commit_plain).await?;
                    *open = false;
                }
            }
            Tx::Postgres { conn, open } => {
                let conn = pg_conn(conn)?;
                conn.batch_execute("COMMIT").await?;
                *open = false;
            }
        }
        Ok(())
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        match self {
            Tx::Sqlite { conn, open: true } => {
                // The guard's drop rolls back: on a blocking thread when there is a runtime.
                if let Some(guard) = conn.take()
                    && let Ok(rt) = tokio::runtime::Handle::try_current()
                {
                    rt.spawn_blocking(move || drop(guard));
                }
            }
            Tx::Postgres { conn, open: true } => {
                // Roll back now, not when the pooled connection is next used: until then the
                // transaction's row locks would block every other connection and instance.
                // The connection travels with the rollback and goes back to the pool only
                // after it. Without a runtime, or if the rollback fails, the connection is
                // taken out of the pool and closed: PostgreSQL then rolls back itself.
                let Some(conn) = conn.take() else { return };
                match tokio::runtime::Handle::try_current() {
                    Ok(rt) => {
                        rt.spawn(async move {
                            if let Err(e) = conn.batch_execute("ROLLBACK").await {
                                tracing::warn!(
                                    "postgres rollback failed, closing the connection: {e}"
                                );
                                drop(deadpool_postgres::Object::take(*conn));
                            }
                        });
                    }
                    Err(_) => drop(deadpool_postgres::Object::take(*conn)),
                }
            }
            _ => {}
        }
    }
}

fn pg_conn(
    conn: &mut Option<Box<deadpool_postgres::Object>>,
) -> Result<&mut deadpool_postgres::Object, DbError> {
    conn.as_deref_mut()
        .ok_or_else(|| DbError::Schema("transaction used after it ended".into()))
}

fn pg_row(row: &tokio_postgres::Row, names: &Arc<[String]>) -> Result<Row, DbError> {
    use tokio_postgres::types::Type;
    let mut values = Vec::with_capacity(row.len());
    for (i, col) in row.columns().iter().enumerate() {
        let ty = col.type_();
        let v = if *ty == Type::INT8 {
            row.try_get::<_, Option<i64>>(i)?.map_or(V::N, V::I)
        } else if *ty == Type::INT4 {
            row.try_get::<_, Option<i32>>(i)?
                .map_or(V::N, |v| V::I(i64::from(v)))
        } else if *ty == Type::INT2 {
            row.try_get::<_, Option<i16>>(i)?
                .map_or(V::N, |v| V::I(i64::from(v)))
        } else if *ty == Type::FLOAT8 {
            row.try_get::<_, Option<f64>>(i)?.map_or(V::N, V::F)
        } else if *ty == Type::BOOL {
            row.try_get::<_, Option<bool>>(i)?
                .map_or(V::N, |b| V::I(i64::from(b)))
        } else if *ty == Type::BYTEA {
            row.try_get::<_, Option<Vec<u8>>>(i)?.map_or(V::N, V::B)
        } else {
            row.try_get::<_, Option<String>>(i)?.map_or(V::N, V::T)
        };
        values.push(v);
    }
    Ok(Row::new(names.clone(), values))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Duration;

    use super::*;

    /// On a runtime with one thread, a task keeps running while a long SQLite statement
    /// does: the statement is not on that thread. (Run on the runtime's thread, the
    /// statement would leave the ticker no turn at all.)
    #[test]
    fn sqlite_work_does_not_block_the_runtime() {
        let dir = tempfile::tempdir().expect("dir");
        let db = Db::open_sqlite(&dir.path().join("server.db")).expect("open");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let ticks = Arc::new(AtomicU64::new(0));
            let ticker = tokio::spawn({
                let ticks = ticks.clone();
                async move {
                    loop {
                        tokio::time::sleep(Duration::from_millis(2)).await;
                        ticks.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
            // Let the ticker start.
            tokio::time::sleep(Duration::from_millis(20)).await;
            let mut tx = db.begin().await.expect("begin");
            let before = ticks.load(Ordering::Relaxed);
            let started = std::time::Instant::now();
            let row = tx
                .one(
                    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000)
                     SELECT count(*) AS n FROM c",
                    &[],
                )
                .await
                .expect("query")
                .expect("row");
            let took = started.elapsed();
            let during = ticks.load(Ordering::Relaxed) - before;
            assert_eq!(row.get::<i64>("n").expect("n"), 3_000_000);
            tx.commit().await.expect("commit");
            ticker.abort();
            assert!(
                during >= 3,
                "the ticker ticked {during} times during a {took:?} statement: SQLite ran on the runtime's thread"
            );
        });
    }

    /// Group commit (issue 18): a real SQLite file, writers on a multi-threaded runtime.
    mod group_commit {
        use super::*;

        /// A database with a table `gc_rows (who)`; `config` bounds its groups.
        async fn db_with(dir: &Path, config: GroupCommit) -> Arc<Db> {
            let db = Db::open_sqlite_with(&dir.join("server.db"), config).expect("open");
            let mut tx = db.begin().await.expect("begin");
            tx.batch(
                "CREATE TABLE gc_rows (who TEXT PRIMARY KEY NOT NULL);
                 CREATE TABLE gc_parent (id INTEGER PRIMARY KEY);
                 CREATE TABLE gc_child (id INTEGER PRIMARY KEY,
                   parent INTEGER NOT NULL REFERENCES gc_parent (id) DEFERRABLE INITIALLY DEFERRED);",
            )
            .await
            .expect("tables");
            tx.commit().await.expect("commit");
            Arc::new(db)
        }

        /// Bounds that never close a group by size or age, nor by the timer: only a member
        /// that finds no writer queued commits it.
        fn patient() -> GroupCommit {
            GroupCommit {
                max_members: 1000,
                max_age: Duration::from_secs(600),
                linger: Duration::from_secs(600),
            }
        }

        fn waiting(db: &Db) -> usize {
            match db {
                Db::Sqlite { shared, .. } => shared.waiting.load(Ordering::SeqCst),
                Db::Postgres { .. } => 0,
            }
        }

        /// Until `n` writers are queued for the writer lock.
        async fn until_waiting(db: &Db, n: usize) {
            let deadline = Instant::now() + Duration::from_secs(10);
            while waiting(db) < n {
                assert!(
                    Instant::now() < deadline,
                    "{} writers queued, not {n}",
                    waiting(db)
                );
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }

        /// What a reader sees.
        async fn visible(db: &Db) -> Vec<String> {
            let mut tx = db.read().await.expect("read");
            let rows = tx
                .query("SELECT who FROM gc_rows ORDER BY who", &[])
                .await
                .expect("select");
            tx.commit().await.expect("end read");
            rows.iter().map(|r| r.get("who").expect("who")).collect()
        }

        async fn insert(tx: &mut Tx, who: &str) {
            tx.exec("INSERT INTO gc_rows (who) VALUES ($1)", &[V::from(who)])
                .await
                .expect("insert");
        }

        /// One grouped writer: its row, then its commit.
        fn member(db: &Arc<Db>, who: &str) -> tokio::task::JoinHandle<Result<(), DbError>> {
            let (db, who) = (db.clone(), who.to_owned());
            tokio::spawn(async move {
                let mut tx = db.begin_grouped().await?;
                insert(&mut tx, &who).await;
                tx.commit().await
            })
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn concurrent_grouped_writers_all_land_with_one_commit() {
            let dir = tempfile::tempdir().expect("dir");
            let db = db_with(dir.path(), patient()).await;
            let before = db.commit_stats();
            let mut first = db.begin_grouped().await.expect("begin");
            insert(&mut first, "w00").await;
            let others: Vec<_> = (1..32).map(|i| member(&db, &format!("w{i:02}"))).collect();
            until_waiting(&db, 31).await;
            first.commit().await.expect("first member");
            for o in others {
                o.await.expect("join").expect("member");
            }
            let after = db.commit_stats();
            assert_eq!(after.commits - before.commits, 1, "{after:?}");
            assert_eq!(after.grouped_members - before.grouped_members, 32);
            assert_eq!(visible(&db).await.len(), 32);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn many_grouped_writers_with_the_default_bounds_share_commits() {
            let dir = tempfile::tempdir().expect("dir");
            let db = db_with(dir.path(), GroupCommit::default()).await;
            let before = db.commit_stats().commits;
            let start = Arc::new(tokio::sync::Barrier::new(200));
            let writers: Vec<_> = (0..200)
                .map(|i| {
                    let (db, start) = (db.clone(), start.clone());
                    tokio::spawn(async move {
                        start.wait().await;
                        let mut tx = db.begin_grouped().await?;
                        insert(&mut tx, &format!("w{i:03}")).await;
                        tx.commit().await
                    })
                })
                .collect();
            for w in writers {
                w.await.expect("join").expect("member");
            }
            let commits = db.commit_stats().commits - before;
            assert_eq!(visible(&db).await.len(), 200);
            assert!(commits < 200, "{commits} commits for 200 writers");
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn a_dropped_member_rolls_back_only_its_own_rows() {
            let dir = tempfile::tempdir().expect("dir");
            let db = db_with(dir.path(), patient()).await;
            let before = db.commit_stats().commits;
            let mut first = db.begin_grouped().await.expect("begin");
            insert(&mut first, "kept-1").await;
            let dropped = {
                let db = db.clone();
                tokio::spawn(async move {
                    let mut tx = db.begin_grouped().await.expect("begin");
                    insert(&mut tx, "dropped").await;
                    // An error in the request: the transaction is dropped uncommitted.
                    drop(tx);
                })
            };
            until_waiting(&db, 1).await;
            let last = member(&db, "kept-2");
            until_waiting(&db, 2).await;
            first.commit().await.expect("first member");
            dropped.await.expect("join");
            last.await.expect("join").expect("last member");
            assert_eq!(visible(&db).await, ["kept-1", "kept-2"]);
            assert_eq!(db.commit_stats().commits - before, 1);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn a_failing_commit_fails_every_member_and_stores_none_of_them() {
            let dir = tempfile::tempdir().expect("dir");
            let db = db_with(dir.path(), patient()).await;
            if let Db::Sqlite { writer, .. } = &*db {
                writer
                    .lock()
                    .await
                    .execute_batch("PRAGMA foreign_keys = ON")
                    .expect("foreign keys");
            }
            let mut first = db.begin_grouped().await.expect("begin");
            insert(&mut first, "a").await;
            let second = member(&db, "b");
            until_waiting(&db, 1).await;
            let poison = {
                let db = db.clone();
                tokio::spawn(async move {
                    let mut tx = db.begin_grouped().await?;
                    insert(&mut tx, "c").await;
                    // Checked only at COMMIT: the group's COMMIT fails.
                    tx.exec("INSERT INTO gc_child (id, parent) VALUES (1, 99)", &[])
                        .await?;
                    tx.commit().await
                })
            };
            until_waiting(&db, 2).await;
            let first = first.commit().await;
            let second = second.await.expect("join");
            let poison = poison.await.expect("join");
            assert!(
                first.is_err() && second.is_err() && poison.is_err(),
                "{first:?} {second:?} {poison:?}"
            );
            assert!(visible(&db).await.is_empty());
            assert_eq!(db.commit_stats().failed_groups, 1);
            // The writer goes on.
            member(&db, "after")
                .await
                .expect("join")
                .expect("a later writer");
            assert_eq!(visible(&db).await, ["after"]);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn sqlite_rolling_the_group_back_by_itself_fails_its_released_members() {
            let dir = tempfile::tempdir().expect("dir");
            let db = db_with(dir.path(), patient()).await;
            let mut first = db.begin_grouped().await.expect("begin");
            insert(&mut first, "a").await;
            let broken = {
                let db = db.clone();
                tokio::spawn(async move {
                    let mut tx = db.begin_grouped().await?;
                    insert(&mut tx, "b").await;
                    // What SQLite does by itself after an I/O error or a full disk.
                    tx.batch("ROLLBACK").await?;
                    tx.commit().await
                })
            };
            until_waiting(&db, 1).await;
            let first = first.commit().await;
            let broken = broken.await.expect("join");
            assert!(first.is_err() && broken.is_err(), "{first:?} {broken:?}");
            assert!(visible(&db).await.is_empty());
            member(&db, "after")
                .await
                .expect("join")
                .expect("a later writer");
            assert_eq!(visible(&db).await, ["after"]);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn a_plain_begin_commits_the_open_group_first() {
            let dir = tempfile::tempdir().expect("dir");
            let db = db_with(dir.path(), patient()).await;
            let before = db.commit_stats().commits;
            let mut first = db.begin_grouped().await.expect("begin");
            insert(&mut first, "grouped").await;
            let plain = {
                let db = db.clone();
                tokio::spawn(async move {
                    let mut tx = db.begin().await.expect("plain begin");
                    let seen = visible(&db).await;
                    insert(&mut tx, "plain").await;
                    tx.commit().await.expect("plain commit");
                    seen
                })
            };
            until_waiting(&db, 1).await;
            first.commit().await.expect("member");
            assert_eq!(plain.await.expect("join"), ["grouped"]);
            assert_eq!(visible(&db).await, ["grouped", "plain"]);
            assert_eq!(db.commit_stats().commits - before, 2);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn readers_never_see_a_member_before_its_group_commits() {
            let dir = tempfile::tempdir().expect("dir");
            let db = db_with(dir.path(), patient()).await;
            let mut first = db.begin_grouped().await.expect("begin");
            insert(&mut first, "early").await;
            let (inside_tx, inside) = tokio::sync::oneshot::channel();
            let (go_tx, go) = tokio::sync::oneshot::channel::<()>();
            let second = {
                let db = db.clone();
                tokio::spawn(async move {
                    let mut tx = db.begin_grouped().await?;
                    insert(&mut tx, "late").await;
                    inside_tx.send(()).expect("signal");
                    go.await.expect("go");
                    tx.commit().await
                })
            };
            until_waiting(&db, 1).await;
            let first = {
                let first_commit = tokio::spawn(first.commit());
                // The second member holds the writer: the first's work is released into the
                // open group, not committed.
                inside.await.expect("second member inside");
                assert!(
                    visible(&db).await.is_empty(),
                    "a reader saw an uncommitted member"
                );
                assert!(
                    !first_commit.is_finished(),
                    "acknowledged before its COMMIT"
                );
                go_tx.send(()).expect("go");
                first_commit
            };
            first.await.expect("join").expect("first member");
            second.await.expect("join").expect("second member");
            assert_eq!(visible(&db).await, ["early", "late"]);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn a_group_whose_awaited_writer_never_comes_is_committed_by_its_timer() {
            let dir = tempfile::tempdir().expect("dir");
            let linger = Duration::from_millis(200);
            let db = db_with(
                dir.path(),
                GroupCommit {
                    linger,
                    ..patient()
                },
            )
            .await;
            let started = Instant::now();
            let mut first = db.begin_grouped().await.expect("begin");
            insert(&mut first, "a").await;
            // A writer that was queued and went away without a trace: its request was
            // cancelled between being counted and taking the lock.
            let Db::Sqlite { shared, .. } = &*db else {
                unreachable!()
            };
            shared.waiting.fetch_add(1, Ordering::SeqCst);
            let committed = first.commit().await;
            shared.waiting.fetch_sub(1, Ordering::SeqCst);
            committed.expect("committed by the timer");
            assert!(started.elapsed() >= linger, "committed before the timer");
            assert_eq!(visible(&db).await, ["a"]);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn a_lone_grouped_writer_commits_at_once() {
            let dir = tempfile::tempdir().expect("dir");
            let db = db_with(dir.path(), patient()).await;
            let before = db.commit_stats().commits;
            let started = Instant::now();
            member(&db, "alone").await.expect("join").expect("member");
            assert!(started.elapsed() < Duration::from_secs(5));
            assert_eq!(db.commit_stats().commits - before, 1);
            assert_eq!(visible(&db).await, ["alone"]);
        }
    }
}
