//! The sans-IO sync engine: a state machine that decides *what* to send and *when*, and
//! never does any IO itself.
//!
//! The caller (the app shell's runner, the fleet simulator, a test) feeds [`Input`]s — a
//! local commit happened, connectivity changed, the app started, time passed, the server
//! answered — into [`Engine::handle`] and gets back the next [`Instruction`]: authenticate,
//! load events from the outbox, send this batch, apply this acknowledgement, upload this blob,
//! pull changes after this cursor, or sleep until a moment. It executes the instruction and
//! feeds the result back. Exactly one instruction is outstanding at a time, which keeps the
//! engine simple and every trace deterministic.
//!
//! Invariants (each guarded by a test in this module):
//! - Sync state (acknowledged sequence, change-feed cursor, uploaded blobs) advances only
//!   when the caller reports that the local transaction applying it has committed
//!   ([`Input::Applied`]). A server answer alone never moves it.
//! - A rejected event never blocks the queue: the server acknowledges past it, and the
//!   rejection travels to the store with the acknowledgement.
//! - Blobs upload only when no event is pending, so a blob always follows the event that
//!   references it (the server accepts events before their photos, not the reverse).
//! - A blob the server reports missing ([`BatchAck::missing_blobs`]) that the store counts as
//!   uploaded (the server lost it: a restore, a failover) is queued again in the store and
//!   uploaded again; once per run, so a blob the device no longer has cannot loop. An idle
//!   engine asks on its poll timer (an empty batch) so a loss is found without new events.
//! - Replies that do not belong to the outstanding instruction (late, duplicated) are ignored.
//! - Transient failures back off exponentially with jitter, bounded by
//!   [`Config::backoff_max`]; the jitter comes from a seeded RNG so traces are reproducible.
//! - Time is monotonic milliseconds chosen by the caller ([`Millis`]); device wall-clock
//!   time is used only to show ages in [`SyncStatus`].

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, Utc};
use lastmile_protocol::events::{EventBody, EventEnvelope};
use lastmile_protocol::sync::{BatchAck, ChangesPage, EventBatch, Rejection};
use lastmile_protocol::tour::TourSnapshot;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;

/// Monotonic time in milliseconds since an origin the caller picks (the runner's start).
/// Never derived from the device's wall clock, which drivers and networks change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Millis(pub u64);

impl Millis {
    pub fn after(self, d: Duration) -> Millis {
        Millis(
            self.0
                .saturating_add(u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        )
    }
    pub fn since(self, earlier: Millis) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0))
    }
}

/// Identifies one network instruction; its reply must carry the same id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct OpId(pub u64);

/// Tunables. `Config::default()` is what the app uses.
#[derive(Debug, Clone)]
pub struct Config {
    /// Most events in one batch.
    pub max_batch_events: usize,
    /// Most bytes of event JSON (before compression) in one batch; a single larger event
    /// still goes alone, so it cannot jam the queue.
    pub max_batch_bytes: usize,
    /// First retry delay after a transient failure.
    pub backoff_base: Duration,
    /// Upper bound of any retry delay.
    pub backoff_max: Duration,
    /// How often an idle engine syncs anyway (pull tour changes, retry skipped blobs).
    pub poll_interval: Duration,
    /// Local commits within this delay share one upload (a driver taps several parcels).
    pub commit_delay: Duration,
    /// While the OS reports no network, probe this often anyway (OS reports are unreliable).
    pub offline_probe: Duration,
    /// Seed of the jitter RNG (tests and the simulator pass theirs; the app any value).
    pub seed: u64,
    /// The person signed in has a tour of their own to fetch (a driver). A station tablet or a
    /// supervisor's phone only sends what it records: asking for "my tour" would be refused.
    pub fetches_tour: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            max_batch_events: 1000,
            max_batch_bytes: 1024 * 1024,
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(300),
            poll_interval: Duration::from_secs(60),
            commit_delay: Duration::from_millis(200),
            offline_probe: Duration::from_secs(120),
            seed: 0x1a57_0011e,
            fetches_tour: true,
        }
    }
}

/// The longest `Retry-After` the engine takes from a server (a wrong header must not park the
/// queue for days).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// A blob file the store still has to upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlobInfo {
    pub sha256: String,
    /// Blob kind as the store names it (`photo`, `signature_strokes`, ...).
    pub kind: String,
    pub bytes: u64,
}

/// The outbox as committed in the store; the caller reads it after every local commit and
/// after every apply.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct OutboxSummary {
    /// Highest sequence recorded on the device.
    pub last_seq: u64,
    /// Highest sequence the store has recorded as acknowledged.
    pub acked_seq: u64,
    /// Device time of the oldest unacknowledged event.
    pub oldest_unsent: Option<DateTime<Utc>>,
    /// Blobs not yet uploaded, oldest first.
    pub blobs: Vec<BlobInfo>,
    /// Change-feed cursor of the active tour; `None` while no tour is loaded.
    pub cursor: Option<u64>,
    /// Events the server refused (kept, reported, skipped).
    pub rejected: u64,
}

/// How a request failed, as far as the engine cares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Failure {
    /// No answer: refused, DNS, timeout, cut connection. Retry with backoff.
    Unreachable { detail: String },
    /// 401: the access token expired or was revoked. Re-authenticate, then resend.
    Unauthorized { code: String },
    /// 4xx other than 401/408/429: this request will never succeed as it is.
    Permanent { status: u16, code: String },
    /// 5xx, 408, 429 or an unreadable answer: the server may succeed later, not before its
    /// `Retry-After` if it gave one (a server shedding load).
    Transient {
        status: u16,
        code: String,
        retry_after: Option<Duration>,
    },
}

impl Failure {
    fn code(&self) -> String {
        match self {
            Failure::Unreachable { .. } => "unreachable".to_owned(),
            Failure::Unauthorized { code }
            | Failure::Permanent { code, .. }
            | Failure::Transient { code, .. } => code.clone(),
        }
    }
    fn message(&self) -> String {
        match self {
            Failure::Unreachable { detail } => format!("server not reachable: {detail}"),
            Failure::Unauthorized { code } => format!("not signed in ({code})"),
            Failure::Permanent { status, code } => {
                format!("refused by the server ({status} {code})")
            }
            Failure::Transient { status, code, .. } => format!("server trouble ({status} {code})"),
        }
    }
}

/// What the caller committed locally for an `Apply*`/`Mark*` instruction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Applied {
    /// The store now holds `acked_seq` (and the rejections) durably.
    Ack { acked_seq: u64 },
    /// The store marked the blob uploaded.
    Blob { sha256: String },
    /// The store queued these blobs for upload again.
    Requeued,
    /// The store applied the change sets; its tour cursor is now `cursor`.
    Changes { cursor: u64 },
    /// The store loaded the tour snapshot at `cursor`.
    Tour { cursor: u64 },
}

/// Everything that can happen to the engine.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// The app started or came to the foreground: sync now, forget backoff and anything
    /// outstanding.
    Started,
    /// The driver recorded something (the caller also sends the new [`Input::Outbox`]).
    LocalCommit,
    /// The OS reports network up or down.
    Connectivity { online: bool },
    /// Time passed (the wait the engine asked for is over, or the caller just looks).
    Tick,
    /// The committed outbox state, read from the store.
    Outbox(OutboxSummary),
    /// A person signed in on the device (after the engine reported that it needs one).
    SignedIn,
    /// Reply to [`Instruction::Authenticate`].
    Authenticated { op: OpId },
    /// Reply to [`Instruction::LoadEvents`]: pending events in sequence order.
    EventsLoaded { events: Vec<EventEnvelope> },
    /// Reply to [`Instruction::SendBatch`] and [`Instruction::CheckBlobs`].
    BatchAcked { op: OpId, ack: BatchAck },
    /// Reply to [`Instruction::UploadBlob`]: the server has the whole blob.
    BlobUploaded { op: OpId, sha256: String },
    /// Reply to [`Instruction::PullChanges`].
    ChangesFetched { op: OpId, page: ChangesPage },
    /// Reply to [`Instruction::FetchTour`].
    TourFetched { op: OpId, snapshot: TourSnapshot },
    /// Any network instruction failed.
    Failed { op: OpId, failure: Failure },
    /// Reply to an `Apply*`/`Mark*` instruction: the local transaction committed.
    Applied(Applied),
    /// Reply to an `Apply*`/`Mark*`/`LoadEvents` instruction: the local store failed.
    LocalFailed { message: String },
}

/// What the caller must do next.
#[derive(Debug, Clone, PartialEq)]
pub enum Instruction {
    /// Get a valid access token (refresh, or sign in with stored credentials); reply
    /// [`Input::Authenticated`] or [`Input::Failed`] (401 = a person must sign in).
    Authenticate { op: OpId },
    /// Download today's tour; reply [`Input::TourFetched`].
    FetchTour { op: OpId },
    /// Load the snapshot into the store (one transaction with its cursor); reply
    /// [`Input::Applied`] with [`Applied::Tour`].
    ApplyTour { snapshot: TourSnapshot },
    /// Read unacknowledged events after `after_seq` from the store (at most `max_events`,
    /// about `max_bytes` of JSON); reply [`Input::EventsLoaded`].
    LoadEvents {
        after_seq: u64,
        max_events: usize,
        max_bytes: usize,
    },
    /// `POST /v1/events`; reply [`Input::BatchAcked`].
    SendBatch { op: OpId, batch: EventBatch },
    /// Record the rejections, then the acknowledged sequence, in the store; reply
    /// [`Applied::Ack`].
    ApplyAck {
        acked_seq: u64,
        rejections: Vec<Rejection>,
    },
    /// Upload the blob (resuming what the server has); reply [`Input::BlobUploaded`].
    UploadBlob { op: OpId, blob: BlobInfo },
    /// Mark the blob uploaded in the store; reply [`Applied::Blob`].
    MarkBlobUploaded { sha256: String },
    /// The server lacks these blobs that the store counts as uploaded: queue them for upload
    /// again (those the device still has); reply [`Applied::Requeued`].
    RequeueBlobs { sha256s: Vec<String> },
    /// `POST /v1/events` with no events (this device's id): only to learn which blobs the
    /// server misses; reply [`Input::BatchAcked`].
    CheckBlobs { op: OpId },
    /// `GET /v1/changes?after=`; reply [`Input::ChangesFetched`].
    PullChanges { op: OpId, after: u64 },
    /// Apply the change sets, each with its cursor, in one transaction each; reply
    /// [`Applied::Changes`].
    ApplyChanges { page: ChangesPage },
    /// Nothing to do now; feed [`Input::Tick`] at `until` (or earlier on any other input).
    /// `None`: wait for an outside input (e.g. a sign-in).
    Idle { until: Option<Millis> },
}

/// What the UI shows about sync.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyncStatus {
    pub pending_events: u64,
    pub pending_blobs: u64,
    pub pending_blob_bytes: u64,
    /// Age of the oldest unacknowledged event, by the device clock.
    pub oldest_unsent_age_s: Option<u64>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_error: Option<SyncError>,
    /// The device has a connection and the server answered the last request: when false
    /// the screens say "offline", and everything recorded waits on the device.
    pub online: bool,
    /// Nothing can be sent until a person signs in again (nothing is lost meanwhile).
    pub needs_sign_in: bool,
    /// When the next attempt starts, if one is scheduled.
    pub next_attempt_in_ms: Option<u64>,
    pub acked_seq: u64,
    pub rejected_events: u64,
    /// Transient failures in a row (drives the backoff).
    pub consecutive_failures: u32,
    /// Change-feed cursor of the tour on the device: when it moves, dispatch's edits (new
    /// order, corrected addresses, route legs) arrived and the screens reload.
    pub tour_cursor: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyncError {
    /// Stable code the UI translates (`unreachable`, `token_expired`, ...).
    pub code: String,
    pub message: String,
    pub at: DateTime<Utc>,
}

/// The outstanding instruction.
#[derive(Debug, Clone, PartialEq)]
enum Busy {
    Auth(OpId),
    FetchTour(OpId),
    ApplyTour,
    LoadEvents,
    Send { op: OpId, first: u64, last: u64 },
    ApplyAck { target: u64 },
    Blob { op: OpId, sha256: String },
    MarkBlob { sha256: String },
    Requeue { sha256s: Vec<String> },
    Check { op: OpId },
    Pull { op: OpId, after: u64 },
    ApplyChanges { page_cursor: u64 },
}

impl Busy {
    fn op(&self) -> Option<OpId> {
        match self {
            Busy::Auth(op)
            | Busy::FetchTour(op)
            | Busy::Send { op, .. }
            | Busy::Blob { op, .. }
            | Busy::Check { op }
            | Busy::Pull { op, .. } => Some(*op),
            _ => None,
        }
    }
}

/// An error as recorded at monotonic time; turned into wall time for the UI.
#[derive(Debug, Clone)]
struct ErrorAt {
    code: String,
    message: String,
    at: Millis,
}

/// The sync state machine. See the module documentation.
#[derive(Debug)]
pub struct Engine {
    cfg: Config,
    rng: StdRng,
    next_op: u64,

    // --- committed state, as the store reported it -------------------------------------
    /// Invariant: only raised by [`Applied::Ack`] or a store summary, never by a server answer.
    acked_seq: u64,
    last_seq: u64,
    /// Invariant: only set by [`Applied::Tour`]/[`Applied::Changes`] or a store summary.
    cursor: Option<u64>,
    blobs: Vec<BlobInfo>,
    summary: OutboxSummary,

    // --- this run -------------------------------------------------------------------------
    /// Where the next pull starts: the committed cursor, or further when the server's page
    /// moved past change sets the store did not need (another tour of the driver).
    pull_after: u64,
    authed: bool,
    needs_sign_in: bool,
    /// Re-authentications in a row without a successful request in between.
    auth_loops: u32,
    online: bool,
    /// The server answered the last request (a refused connection or timeout clears it).
    server_answered: bool,
    busy: Option<Busy>,
    /// When the next cycle starts; `None` = only on an outside input.
    due: Option<Millis>,
    failures: u32,
    want_pull: bool,
    /// When the poll timer asks for a pull (set when a cycle completes).
    poll_at: Option<Millis>,
    want_tour: bool,
    /// Blobs the server refused for good in this run (retried after the next start).
    skipped_blobs: HashSet<String>,
    /// Blobs the server reported missing that the store counts as uploaded: to queue again.
    lost_blobs: Vec<String>,
    /// Blobs already queued again in this run (never twice, so nothing loops).
    requeued_blobs: HashSet<String>,
    /// The poll timer asks the server which blobs it misses (no batch told us this cycle).
    want_check: bool,
    /// Shrinks when the server says a batch is too large.
    batch_events: usize,
    /// Events the server refused as too large even alone: each is sent as its stand-in
    /// ([`stand_in`]) so the ones behind it go on; the original stays in the outbox.
    parked: HashSet<u64>,
    last_success: Option<Millis>,
    last_error: Option<ErrorAt>,
}

impl Engine {
    pub fn new(cfg: Config) -> Self {
        Self {
            rng: StdRng::seed_from_u64(cfg.seed),
            batch_events: cfg.max_batch_events.max(1),
            parked: HashSet::new(),
            cfg,
            next_op: 0,
            acked_seq: 0,
            last_seq: 0,
            cursor: None,
            blobs: Vec::new(),
            summary: OutboxSummary::default(),
            pull_after: 0,
            authed: false,
            needs_sign_in: false,
            auth_loops: 0,
            online: true,
            server_answered: true,
            busy: None,
            due: None,
            failures: 0,
            want_pull: false,
            poll_at: None,
            want_tour: false,
            skipped_blobs: HashSet::new(),
            lost_blobs: Vec::new(),
            requeued_blobs: HashSet::new(),
            want_check: false,
            last_success: None,
            last_error: None,
        }
    }

    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// The acknowledged sequence the engine has seen committed.
    pub fn acked_seq(&self) -> u64 {
        self.acked_seq
    }

    /// The committed change-feed cursor.
    pub fn cursor(&self) -> Option<u64> {
        self.cursor
    }

    /// True when nothing is outstanding, nothing is pending, and no attempt failed since the
    /// last success: everything recorded has reached the server.
    pub fn is_settled(&self) -> bool {
        self.busy.is_none()
            && self.last_seq <= self.acked_seq
            && self
                .blobs
                .iter()
                .all(|b| self.skipped_blobs.contains(&b.sha256))
            && self.failures == 0
            && !self.want_pull
            && !self.want_check
            && self.lost_blobs.is_empty()
    }

    /// Feeds one input; returns the next instruction, or `None` when an instruction is still
    /// outstanding and this input changed nothing about it.
    pub fn handle(&mut self, now: Millis, input: Input) -> Option<Instruction> {
        if let Some(instruction) = self.absorb(now, input) {
            return Some(instruction);
        }
        if self.busy.is_some() {
            return None;
        }
        Some(self.next(now))
    }

    /// Starts with a session already in hand: its access token is used first, and only a 401
    /// re-authenticates. (Refreshing at every start would spend a refresh token per start and
    /// replace an access token the app may be using that moment, e.g. to download the tour.)
    pub fn start_signed_in(&mut self) {
        self.authed = true;
    }

    /// What the UI shows. `wall_now` is the device clock, used only for ages and times.
    pub fn status(&self, now: Millis, wall_now: DateTime<Utc>) -> SyncStatus {
        let wall_of = |at: Millis| {
            wall_now
                - chrono::Duration::from_std(now.since(at))
                    .unwrap_or_else(|_| chrono::Duration::zero())
        };
        let pending_blobs: Vec<&BlobInfo> = self.blobs.iter().collect();
        SyncStatus {
            pending_events: self.last_seq.saturating_sub(self.acked_seq),
            pending_blobs: pending_blobs.len() as u64,
            pending_blob_bytes: pending_blobs.iter().map(|b| b.bytes).sum(),
            oldest_unsent_age_s: self
                .summary
                .oldest_unsent
                .filter(|_| self.last_seq > self.acked_seq)
                .map(|t| (wall_now - t).num_seconds().max(0) as u64),
            last_success_at: self.last_success.map(wall_of),
            // An error older than the last success is history, not the state of things.
            last_error: self
                .last_error
                .as_ref()
                .filter(|e| self.last_success.is_none_or(|ok| e.at > ok))
                .map(|e| SyncError {
                    code: e.code.clone(),
                    message: e.message.clone(),
                    at: wall_of(e.at),
                }),
            online: self.online && self.server_answered,
            needs_sign_in: self.needs_sign_in,
            next_attempt_in_ms: if self.busy.is_some() {
                Some(0)
            } else {
                self.due.map(|d| d.0.saturating_sub(now.0))
            },
            acked_seq: self.acked_seq,
            rejected_events: self.summary.rejected,
            consecutive_failures: self.failures,
            tour_cursor: self.summary.cursor,
        }
    }

    fn op(&mut self) -> OpId {
        self.next_op += 1;
        OpId(self.next_op)
    }

    /// Sooner of the current plan and `at`.
    fn due_by(&mut self, at: Millis) {
        self.due = Some(self.due.map_or(at, |d| d.min(at)));
    }

    /// Applies an input to the state; returns an instruction when a reply leads straight to
    /// the next step of the same exchange (events loaded → send them, ack → apply it, ...).
    fn absorb(&mut self, now: Millis, input: Input) -> Option<Instruction> {
        match input {
            Input::Started => {
                // A (re)start abandons whatever was outstanding: its reply, if it ever comes,
                // is ignored as late, and the store's summary says what did commit.
                self.busy = None;
                self.failures = 0;
                self.want_pull = true;
                self.want_tour = self.cfg.fetches_tour;
                self.skipped_blobs.clear();
                self.requeued_blobs.clear();
                self.batch_events = self.cfg.max_batch_events.max(1);
                self.due = Some(now);
                None
            }
            Input::LocalCommit => {
                // In backoff the schedule stays: a tap must not defeat the backoff.
                if self.online && self.failures == 0 {
                    self.due_by(now.after(self.cfg.commit_delay));
                }
                None
            }
            Input::Connectivity { online } => {
                self.online = online;
                if online {
                    self.failures = 0;
                    self.want_pull = true;
                    self.due = Some(now);
                } else if self.busy.is_none() {
                    self.due = Some(now.after(self.cfg.offline_probe));
                }
                None
            }
            Input::Tick => None,
            Input::Outbox(summary) => {
                self.absorb_summary(summary);
                None
            }
            Input::SignedIn => {
                self.needs_sign_in = false;
                self.authed = true;
                self.auth_loops = 0;
                self.failures = 0;
                self.due = Some(now);
                None
            }
            Input::Authenticated { op } => {
                if self.busy == Some(Busy::Auth(op)) {
                    self.busy = None;
                    self.authed = true;
                    self.server_answered = true;
                    self.needs_sign_in = false;
                    self.due = Some(now);
                }
                None
            }
            Input::EventsLoaded { events } => {
                if self.busy != Some(Busy::LoadEvents) {
                    return None;
                }
                self.busy = None;
                let batch = self.cut_batch(events);
                let (Some(first), Some(last)) =
                    (batch.first().map(|e| e.seq), batch.last().map(|e| e.seq))
                else {
                    // The store has nothing after the acknowledged sequence after all.
                    self.last_seq = self.acked_seq;
                    self.due = Some(now);
                    return None;
                };
                let op = self.op();
                self.busy = Some(Busy::Send { op, first, last });
                let device_id = batch
                    .first()
                    .map(|e| e.device_id.clone())
                    .unwrap_or_default();
                Some(Instruction::SendBatch {
                    op,
                    batch: EventBatch {
                        device_id,
                        events: batch,
                    },
                })
            }
            Input::BatchAcked { op, mut ack } => {
                if self.busy == Some(Busy::Check { op }) {
                    self.busy = None;
                    self.succeeded(now);
                    self.note_missing(ack.missing_blobs);
                    self.due = Some(now);
                    return None;
                }
                let Some(Busy::Send {
                    op: sent,
                    first,
                    last,
                }) = self.busy.clone()
                else {
                    return None;
                };
                if sent != op {
                    return None;
                }
                self.busy = None;
                self.succeeded(now);
                self.note_missing(std::mem::take(&mut ack.missing_blobs));
                if ack.acked_seq > self.acked_seq {
                    let rejections: Vec<Rejection> = ack
                        .rejections
                        .into_iter()
                        .filter(|r| r.seq > self.acked_seq && r.seq <= ack.acked_seq)
                        .collect();
                    self.busy = Some(Busy::ApplyAck {
                        target: ack.acked_seq,
                    });
                    return Some(Instruction::ApplyAck {
                        acked_seq: ack.acked_seq,
                        rejections,
                    });
                }
                // The server applied nothing of a batch that starts right after what it
                // acknowledged: it cannot be a gap on our side. Do not spin on it.
                let code = if ack.acked_seq + 1 < first {
                    "server_behind"
                } else {
                    "no_progress"
                };
                self.fail_with(
                    now,
                    code,
                    format!(
                        "sent events {first}..={last}, server acknowledged only up to {}",
                        ack.acked_seq
                    ),
                );
                None
            }
            Input::BlobUploaded { op, sha256 } => {
                let Some(Busy::Blob {
                    op: sent,
                    sha256: want,
                }) = self.busy.clone()
                else {
                    return None;
                };
                if sent != op || want != sha256 {
                    return None;
                }
                self.succeeded(now);
                self.busy = Some(Busy::MarkBlob {
                    sha256: sha256.clone(),
                });
                Some(Instruction::MarkBlobUploaded { sha256 })
            }
            Input::ChangesFetched { op, page } => {
                let Some(Busy::Pull { op: sent, after }) = self.busy.clone() else {
                    return None;
                };
                if sent != op {
                    return None;
                }
                self.busy = None;
                self.succeeded(now);
                if page.change_sets.is_empty() || page.cursor <= after {
                    self.want_pull = false;
                    self.pull_after = self.pull_after.max(page.cursor);
                    self.due = Some(now);
                    return None;
                }
                self.busy = Some(Busy::ApplyChanges {
                    page_cursor: page.cursor,
                });
                Some(Instruction::ApplyChanges { page })
            }
            Input::TourFetched { op, snapshot } => {
                if self.busy != Some(Busy::FetchTour(op)) {
                    return None;
                }
                self.succeeded(now);
                self.busy = Some(Busy::ApplyTour);
                Some(Instruction::ApplyTour { snapshot })
            }
            Input::Failed { op, failure } => {
                if self.busy.as_ref().and_then(Busy::op) != Some(op) {
                    return None;
                }
                let busy = self.busy.take();
                self.absorb_failure(now, busy, failure);
                None
            }
            Input::Applied(applied) => {
                self.absorb_applied(now, applied);
                None
            }
            Input::LocalFailed { message } => {
                let local = matches!(
                    self.busy,
                    Some(
                        Busy::LoadEvents
                            | Busy::ApplyAck { .. }
                            | Busy::MarkBlob { .. }
                            | Busy::Requeue { .. }
                            | Busy::ApplyChanges { .. }
                            | Busy::ApplyTour
                    )
                );
                if !local {
                    return None;
                }
                if let Some(Busy::Requeue { sha256s }) = self.busy.take() {
                    // Not queued after all: ask the store again after the backoff.
                    for sha256 in sha256s {
                        self.requeued_blobs.remove(&sha256);
                        self.lost_blobs.push(sha256);
                    }
                }
                self.fail_with(now, "local_store", message);
                None
            }
        }
    }

    /// Takes in the store's committed outbox state without starting anything (the caller
    /// follows with the input that prompted the read). [`Input::Outbox`] does the same and
    /// then answers with the next instruction.
    pub fn observe_outbox(&mut self, summary: OutboxSummary) {
        self.absorb_summary(summary);
    }

    fn absorb_summary(&mut self, s: OutboxSummary) {
        // The store is the truth about what committed; the engine's own view only moves
        // forward with it (a stale summary read before an apply must not move it back).
        self.acked_seq = self.acked_seq.max(s.acked_seq);
        self.last_seq = s.last_seq.max(self.acked_seq);
        if let Some(c) = s.cursor {
            self.cursor = Some(self.cursor.map_or(c, |old| old.max(c)));
            self.pull_after = self.pull_after.max(c);
        }
        self.blobs = s.blobs.clone();
        self.summary = s;
    }

    fn absorb_applied(&mut self, now: Millis, applied: Applied) {
        match (self.busy.clone(), applied) {
            (Some(Busy::ApplyAck { target }), Applied::Ack { acked_seq }) => {
                self.busy = None;
                self.acked_seq = self.acked_seq.max(acked_seq.min(target));
                self.last_seq = self.last_seq.max(self.acked_seq);
                self.due = Some(now);
            }
            (Some(Busy::Requeue { .. }), Applied::Requeued) => {
                self.busy = None;
                self.due = Some(now);
            }
            (Some(Busy::MarkBlob { sha256: want }), Applied::Blob { sha256 }) if want == sha256 => {
                self.busy = None;
                self.blobs.retain(|b| b.sha256 != sha256);
                self.due = Some(now);
            }
            (Some(Busy::ApplyChanges { page_cursor }), Applied::Changes { cursor }) => {
                self.busy = None;
                let before = self.cursor.unwrap_or(0);
                self.cursor = Some(before.max(cursor));
                // Change sets of other tours are skipped by the store; the page still moved.
                self.pull_after = self.pull_after.max(page_cursor).max(cursor);
                self.due = Some(now);
            }
            (Some(Busy::ApplyTour), Applied::Tour { cursor }) => {
                self.busy = None;
                self.want_tour = false;
                self.cursor = Some(cursor);
                self.pull_after = cursor;
                self.due = Some(now);
            }
            // Not the outstanding apply: a confused caller; ignore rather than advance.
            _ => {}
        }
    }

    fn absorb_failure(&mut self, now: Millis, busy: Option<Busy>, failure: Failure) {
        self.server_answered = !matches!(failure, Failure::Unreachable { .. });
        match (&busy, &failure) {
            (Some(Busy::Auth(_)), Failure::Unauthorized { .. } | Failure::Permanent { .. }) => {
                // Refresh and stored credentials are exhausted: a person must sign in. The
                // queue waits, intact; nothing is retried until then.
                self.needs_sign_in = true;
                self.authed = false;
                self.due = None;
                self.record_error(
                    now,
                    failure.code(),
                    "sign in again to send what this device recorded".to_owned(),
                );
            }
            (_, Failure::Unauthorized { code }) => {
                self.authed = false;
                self.auth_loops += 1;
                if self.auth_loops > 3 {
                    // Fresh tokens keep being refused: treat the server as broken for now.
                    self.auth_loops = 0;
                    self.fail_with(now, code, failure.message());
                } else {
                    self.record_error(now, code.clone(), failure.message());
                    self.due = Some(now);
                }
            }
            (Some(Busy::Send { first, last, .. }), Failure::Permanent { status: 413, .. })
                if first == last && !self.parked.contains(first) =>
            {
                // One event alone is too large: retrying would fail forever and hold up every
                // event behind it. Send its stand-in instead; the original stays on the device.
                // The batches had shrunk because of it: back to full size.
                self.parked.insert(*first);
                self.batch_events = self.cfg.max_batch_events.max(1);
                self.record_error(
                    now,
                    "event_too_large".to_owned(),
                    format!(
                        "event {first} is too large to send ({}); it is kept on this device",
                        failure.message()
                    ),
                );
                self.due = Some(now);
            }
            (Some(Busy::Send { .. }), Failure::Permanent { status: 413, .. })
                if self.batch_events > 1 =>
            {
                self.batch_events = (self.batch_events / 2).max(1);
                self.record_error(now, failure.code(), failure.message());
                self.due = Some(now);
            }
            (Some(Busy::Blob { sha256, .. }), Failure::Permanent { .. }) => {
                // This blob will not go as it is; the others must not wait behind it.
                self.skipped_blobs.insert(sha256.clone());
                self.record_error(
                    now,
                    failure.code(),
                    format!("photo {sha256}: {}", failure.message()),
                );
                self.due = Some(now);
            }
            (Some(Busy::Check { .. }), Failure::Permanent { .. }) => {
                self.want_check = false;
                self.record_error(now, failure.code(), failure.message());
                self.due = Some(now);
            }
            (Some(Busy::Pull { .. }), Failure::Permanent { .. }) => {
                self.want_pull = false;
                self.record_error(now, failure.code(), failure.message());
                self.due = Some(now);
            }
            (Some(Busy::FetchTour(_)), Failure::Permanent { .. }) => {
                // No tour for this driver today (404) or not allowed: ask again next start.
                self.want_tour = false;
                self.record_error(now, failure.code(), failure.message());
                self.due = Some(now);
            }
            (_, Failure::Transient { retry_after, .. }) => {
                self.fail_after(now, &failure.code(), failure.message(), *retry_after)
            }
            _ => self.fail_with(now, &failure.code(), failure.message()),
        }
    }

    /// Takes in a server's list of missing blobs: those the store counts as uploaded (not
    /// pending) and not yet queued again in this run are to be queued again. Any batch answer
    /// also answers the poll timer's question.
    fn note_missing(&mut self, missing: Vec<String>) {
        self.want_check = false;
        for sha256 in missing {
            if !self.blobs.iter().any(|b| b.sha256 == sha256)
                && !self.requeued_blobs.contains(&sha256)
                && !self.lost_blobs.contains(&sha256)
            {
                self.lost_blobs.push(sha256);
            }
        }
    }

    fn succeeded(&mut self, now: Millis) {
        self.last_success = Some(now);
        self.server_answered = true;
        self.failures = 0;
        self.auth_loops = 0;
    }

    fn record_error(&mut self, now: Millis, code: String, message: String) {
        self.last_error = Some(ErrorAt {
            code,
            message,
            at: now,
        });
    }

    /// A transient failure: back off, then start a new cycle.
    fn fail_with(&mut self, now: Millis, code: &str, message: String) {
        self.fail_after(now, code, message, None);
    }

    /// A transient failure with the server's `Retry-After`: wait at least that long, plus up
    /// to half of it again at random, so a herd told the same delay does not come back in the
    /// same instant (and at least the usual backoff).
    fn fail_after(
        &mut self,
        now: Millis,
        code: &str,
        message: String,
        retry_after: Option<Duration>,
    ) {
        self.busy = None;
        self.record_error(now, code.to_owned(), message);
        self.failures = self.failures.saturating_add(1);
        let mut delay = self.backoff_delay(self.failures);
        if let Some(after) = retry_after.filter(|d| !d.is_zero()) {
            let after = after.min(MAX_RETRY_AFTER);
            let ms = after.as_millis() as u64;
            let told = Duration::from_millis(ms + self.rng.random_range(0..=ms / 2));
            delay = delay.max(told);
        }
        self.due = Some(now.after(delay));
    }

    /// Delay after `failures` transient failures in a row: exponential from
    /// `backoff_base`, capped at `backoff_max`, with "equal jitter" — uniform in
    /// `[d/2, d]` — so a fleet that lost the server together does not return together.
    pub fn backoff_delay(&mut self, failures: u32) -> Duration {
        let base = self.cfg.backoff_base.as_millis() as u64;
        let cap = (self.cfg.backoff_max.as_millis() as u64).max(1);
        let exp = failures.saturating_sub(1).min(40);
        let d = base.saturating_mul(1u64 << exp).clamp(1, cap);
        Duration::from_millis(self.rng.random_range(d / 2..=d))
    }

    /// The events of the next batch: at most `batch_events`, at most `max_batch_bytes` of
    /// JSON (but always one), contiguous from the acknowledged sequence.
    fn cut_batch(&self, events: Vec<EventEnvelope>) -> Vec<EventEnvelope> {
        let mut out = Vec::new();
        let mut bytes = 0usize;
        let mut expect = self.acked_seq + 1;
        for e in events {
            if e.seq < expect {
                continue; // already acknowledged (a stale read)
            }
            if e.seq != expect || out.len() >= self.batch_events {
                break;
            }
            let size = serde_json::to_vec(&e).map(|v| v.len()).unwrap_or(0) + 1;
            if !out.is_empty() && bytes + size > self.cfg.max_batch_bytes {
                break;
            }
            bytes += size;
            expect += 1;
            out.push(if self.parked.contains(&e.seq) {
                stand_in(&e)
            } else {
                e
            });
        }
        out
    }

    /// Idle: start the next step of a cycle when it is due, or say how long to wait.
    fn next(&mut self, now: Millis) -> Instruction {
        if self.needs_sign_in {
            return Instruction::Idle { until: None };
        }
        match self.due {
            Some(due) if due <= now => {}
            until => return Instruction::Idle { until },
        }
        if self.poll_at.is_some_and(|p| p <= now) {
            self.poll_at = None;
            self.want_pull = true;
            self.want_check = true;
        }
        if !self.authed {
            let op = self.op();
            self.busy = Some(Busy::Auth(op));
            return Instruction::Authenticate { op };
        }
        if self.cursor.is_none() && self.want_tour {
            let op = self.op();
            self.busy = Some(Busy::FetchTour(op));
            return Instruction::FetchTour { op };
        }
        if self.last_seq > self.acked_seq {
            self.busy = Some(Busy::LoadEvents);
            return Instruction::LoadEvents {
                after_seq: self.acked_seq,
                max_events: self.batch_events,
                max_bytes: self.cfg.max_batch_bytes,
            };
        }
        if !self.lost_blobs.is_empty() {
            let sha256s = std::mem::take(&mut self.lost_blobs);
            self.requeued_blobs.extend(sha256s.iter().cloned());
            self.busy = Some(Busy::Requeue {
                sha256s: sha256s.clone(),
            });
            return Instruction::RequeueBlobs { sha256s };
        }
        if let Some(blob) = self
            .blobs
            .iter()
            .find(|b| !self.skipped_blobs.contains(&b.sha256))
            .cloned()
        {
            let op = self.op();
            self.busy = Some(Busy::Blob {
                op,
                sha256: blob.sha256.clone(),
            });
            return Instruction::UploadBlob { op, blob };
        }
        if self.want_check {
            let op = self.op();
            self.busy = Some(Busy::Check { op });
            return Instruction::CheckBlobs { op };
        }
        if self.want_pull
            && let Some(cursor) = self.cursor
        {
            let op = self.op();
            let after = cursor.max(self.pull_after);
            self.busy = Some(Busy::Pull { op, after });
            return Instruction::PullChanges { op, after };
        }
        // Cycle complete: everything is sent. Come back on the poll timer (which pulls).
        self.want_pull = false;
        let until = now.after(if self.online {
            self.cfg.poll_interval
        } else {
            self.cfg.offline_probe
        });
        self.due = Some(until);
        self.poll_at = Some(until);
        Instruction::Idle { until: Some(until) }
    }
}

/// The stand-in sent for an event the server refused as too large even alone: the same id,
/// sequence, tour, time and person, the body replaced by its type and size.
fn stand_in(e: &EventEnvelope) -> EventEnvelope {
    let json = serde_json::to_value(&e.body).unwrap_or_default();
    let bytes = serde_json::to_vec(&json).map(|v| v.len()).unwrap_or(0) as u64;
    EventEnvelope {
        body: EventBody::TooLarge {
            original_type: json["type"].as_str().unwrap_or_default().to_owned(),
            bytes,
        },
        ..e.clone()
    }
}

#[cfg(test)]
mod tests;
