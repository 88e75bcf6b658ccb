//! The driver loop: executes the [`Engine`]'s instructions with the [`ServerClient`] and an
//! [`Outbox`] (the device store), and feeds the results back. This is the only place where
//! the engine meets IO, and it holds no policy of its own.
//!
//! Order of effects, which the guarantees depend on: an acknowledgement is first committed
//! to the store ([`Outbox::mark_acked`]) and only then reported to the engine; change sets
//! are applied by the store together with their cursor before the engine hears of the new
//! cursor. A crash between the two leaves the engine behind the store, never ahead of it, and
//! a resend is harmless because the server applies each sequence once.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use lastmile_protocol::auth::{RefreshRequest, Role, Session, SignInRequest};
use lastmile_protocol::events::EventEnvelope;
use lastmile_protocol::sync::{ChangesPage, EventBatch, Rejection};
use lastmile_protocol::tour::TourSnapshot;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use crate::engine::{
    Applied, Engine, Failure, Input, Instruction, Millis, OutboxSummary, SyncStatus,
};
use crate::transport::{ServerClient, TransportError};

/// The store as the sync loop needs it. Every method that changes something commits its own
/// transaction before it returns.
pub trait Outbox {
    type Error: std::error::Error + Send + Sync + 'static;

    /// The committed outbox state (pending events and blobs, acknowledged sequence, cursor).
    fn summary(&mut self) -> Result<OutboxSummary, Self::Error>;
    /// Unacknowledged events after `after_seq`, in sequence order, bounded by count and bytes.
    fn pending_events(
        &mut self,
        after_seq: u64,
        max_events: usize,
        max_bytes: usize,
    ) -> Result<Vec<EventEnvelope>, Self::Error>;
    /// Records the rejections and the acknowledged sequence; returns the stored sequence.
    fn mark_acked(&mut self, acked_seq: u64, rejections: &[Rejection]) -> Result<u64, Self::Error>;
    /// The bytes of a pending blob file.
    fn blob_bytes(&mut self, sha256: &str) -> Result<Vec<u8>, Self::Error>;
    fn mark_blob_uploaded(&mut self, sha256: &str) -> Result<(), Self::Error>;
    /// The server lost a blob the store counts as uploaded: queue it for upload again.
    /// Returns false if this device never had it.
    fn mark_blob_missing(&mut self, sha256: &str) -> Result<bool, Self::Error>;
    /// Applies each change set with its cursor (one transaction each); returns the cursor.
    fn apply_changes(&mut self, page: &ChangesPage) -> Result<u64, Self::Error>;
    /// Loads a tour snapshot; returns its cursor.
    fn apply_tour(&mut self, snapshot: &TourSnapshot) -> Result<u64, Self::Error>;
}

/// A store shared with the screens (the simulator's drivers record while the loop syncs).
impl<O: Outbox> Outbox for Arc<Mutex<O>> {
    type Error = O::Error;

    fn summary(&mut self) -> Result<OutboxSummary, Self::Error> {
        lock(self).summary()
    }
    fn pending_events(
        &mut self,
        after: u64,
        max: usize,
        bytes: usize,
    ) -> Result<Vec<EventEnvelope>, Self::Error> {
        lock(self).pending_events(after, max, bytes)
    }
    fn mark_acked(&mut self, acked_seq: u64, rejections: &[Rejection]) -> Result<u64, Self::Error> {
        lock(self).mark_acked(acked_seq, rejections)
    }
    fn blob_bytes(&mut self, sha256: &str) -> Result<Vec<u8>, Self::Error> {
        lock(self).blob_bytes(sha256)
    }
    fn mark_blob_uploaded(&mut self, sha256: &str) -> Result<(), Self::Error> {
        lock(self).mark_blob_uploaded(sha256)
    }
    fn mark_blob_missing(&mut self, sha256: &str) -> Result<bool, Self::Error> {
        lock(self).mark_blob_missing(sha256)
    }
    fn apply_changes(&mut self, page: &ChangesPage) -> Result<u64, Self::Error> {
        lock(self).apply_changes(page)
    }
    fn apply_tour(&mut self, snapshot: &TourSnapshot) -> Result<u64, Self::Error> {
        lock(self).apply_tour(snapshot)
    }
}

fn lock<O>(m: &Mutex<O>) -> std::sync::MutexGuard<'_, O> {
    // A panic while holding the store lock leaves SQLite consistent (transactions roll back).
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Who this device is and who is signed in on it.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub device_id: String,
    pub device_token: String,
    pub role: Role,
    pub user_id: String,
    /// Kept only by the simulator and tests; the app asks the driver when the refresh token
    /// has expired too, and the engine waits (nothing is lost meanwhile).
    pub pin: Option<String>,
}

/// Outside events for a running loop.
#[derive(Debug, Clone)]
pub enum Nudge {
    /// The driver recorded something.
    LocalCommit,
    Connectivity {
        online: bool,
    },
    /// The app came to the foreground.
    Foreground,
    /// A person signed in again (after the status said `needs_sign_in`).
    SignedIn(Session),
    /// Finish the current step and return.
    Shutdown,
}

/// Why [`Runner::sync_until_settled`] stopped early.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("sync did not settle within {0:?}; last status: {1:?}")]
    Timeout(Duration, Box<SyncStatus>),
    #[error("a person must sign in before this device can sync; last status: {0:?}")]
    NeedsSignIn(Box<SyncStatus>),
}

/// The engine, the transport and the store, driven together.
#[derive(Debug)]
pub struct Runner<O: Outbox> {
    engine: Engine,
    client: ServerClient,
    outbox: O,
    creds: Credentials,
    /// The session (refreshed, signed in again, ended), watched by whoever keeps it across
    /// restarts: a refresh token is single-use, so the saved one must follow.
    session: watch::Sender<Option<Session>>,
    origin: Instant,
    status: watch::Sender<SyncStatus>,
    /// Changes pulled per request.
    page_limit: u32,
}

/// What one executed instruction produced.
enum Step {
    Reply(Input),
    Idle(Option<Millis>),
}

impl<O: Outbox> Runner<O> {
    pub fn new(engine: Engine, client: ServerClient, outbox: O, creds: Credentials) -> Self {
        let origin = Instant::now();
        let status = engine.status(Millis(0), Utc::now());
        Self {
            engine,
            client,
            outbox,
            creds,
            session: watch::channel(None).0,
            origin,
            status: watch::channel(status).0,
            page_limit: 500,
        }
    }

    /// Starts with a session that is already signed in (skips the first sign-in).
    pub fn with_session(mut self, session: Session) -> Self {
        self.set_session(Some(session));
        self.engine.start_signed_in();
        self
    }

    /// The session as it changes: refreshed, replaced by a new sign-in, or ended (`None`).
    pub fn sessions(&self) -> watch::Receiver<Option<Session>> {
        self.session.subscribe()
    }

    fn set_session(&mut self, session: Option<Session>) {
        self.session.send_replace(session);
    }

    /// The status the UI shows, updated after every step.
    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.status.subscribe()
    }

    pub fn outbox(&mut self) -> &mut O {
        &mut self.outbox
    }

    pub fn client(&self) -> &ServerClient {
        &self.client
    }

    pub fn into_outbox(self) -> O {
        self.outbox
    }

    fn now(&self) -> Millis {
        Millis(u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX))
    }

    fn publish(&self) {
        self.status
            .send_replace(self.engine.status(self.now(), Utc::now()));
    }

    /// Feeds the store's committed state, then `input`; returns the engine's answer.
    fn feed(&mut self, input: Input) -> Option<Instruction> {
        let now = self.now();
        match self.outbox.summary() {
            Ok(summary) => self.engine.observe_outbox(summary),
            Err(e) => tracing::warn!(error = %e, "cannot read the outbox state"),
        }
        let next = self.engine.handle(now, input);
        self.publish();
        next
    }

    /// Runs until [`Nudge::Shutdown`] (or until every sender is gone).
    pub async fn run(&mut self, mut nudges: mpsc::Receiver<Nudge>) {
        let mut next = self.feed(Input::Started);
        loop {
            let step = match next.take() {
                Some(instruction) => self.execute(instruction).await,
                None => Step::Idle(None),
            };
            let input = match step {
                Step::Reply(input) => input,
                Step::Idle(until) => {
                    let sleep = async {
                        match until {
                            Some(t) => {
                                tokio::time::sleep_until(self.origin + Duration::from_millis(t.0))
                                    .await
                            }
                            None => std::future::pending::<()>().await,
                        }
                    };
                    tokio::select! {
                        nudge = nudges.recv() => match nudge {
                            None | Some(Nudge::Shutdown) => return,
                            Some(n) => self.nudge_input(n),
                        },
                        () = sleep => Input::Tick,
                    }
                }
            };
            next = self.feed(input);
            // Commits that arrived while we were busy: fold them in before the next step.
            while let Ok(n) = nudges.try_recv() {
                if matches!(n, Nudge::Shutdown) {
                    return;
                }
                let input = self.nudge_input(n);
                if let Some(instruction) = self.feed(input) {
                    next = Some(instruction);
                }
            }
        }
    }

    fn nudge_input(&mut self, n: Nudge) -> Input {
        match n {
            Nudge::LocalCommit => Input::LocalCommit,
            Nudge::Connectivity { online } => Input::Connectivity { online },
            Nudge::Foreground | Nudge::Shutdown => Input::Started,
            Nudge::SignedIn(session) => {
                self.set_session(Some(session));
                Input::SignedIn
            }
        }
    }

    /// Syncs until everything recorded is acknowledged, every blob uploaded and the tour is
    /// current — or `limit` passes. For tests, benchmarks and the simulator's final drain.
    pub async fn sync_until_settled(&mut self, limit: Duration) -> Result<(), RunError> {
        let deadline = Instant::now() + limit;
        let mut next = self.feed(Input::Started);
        loop {
            let step = match next.take() {
                Some(instruction) => self.execute(instruction).await,
                None => Step::Idle(None),
            };
            let input = match step {
                Step::Reply(input) => input,
                Step::Idle(until) => {
                    if self.engine.is_settled() {
                        return Ok(());
                    }
                    let Some(until) = until else {
                        return Err(RunError::NeedsSignIn(Box::new(
                            self.status.borrow().clone(),
                        )));
                    };
                    let at = self.origin + Duration::from_millis(until.0);
                    if at > deadline {
                        return Err(RunError::Timeout(
                            limit,
                            Box::new(self.status.borrow().clone()),
                        ));
                    }
                    tokio::time::sleep_until(at).await;
                    Input::Tick
                }
            };
            next = self.feed(input);
        }
    }

    async fn execute(&mut self, instruction: Instruction) -> Step {
        match instruction {
            Instruction::Idle { until } => Step::Idle(until),
            Instruction::Authenticate { op } => Step::Reply(match self.authenticate().await {
                Ok(()) => Input::Authenticated { op },
                Err(e) => Input::Failed {
                    op,
                    failure: e.failure(),
                },
            }),
            Instruction::FetchTour { op } => Step::Reply(match self.fetch_tour().await {
                Ok(snapshot) => Input::TourFetched { op, snapshot },
                Err(e) => Input::Failed {
                    op,
                    failure: e.failure(),
                },
            }),
            Instruction::ApplyTour { snapshot } => Step::Reply(local(
                self.outbox
                    .apply_tour(&snapshot)
                    .map(|cursor| Applied::Tour { cursor }),
            )),
            Instruction::LoadEvents {
                after_seq,
                max_events,
                max_bytes,
            } => Step::Reply(
                match self.outbox.pending_events(after_seq, max_events, max_bytes) {
                    Ok(events) => Input::EventsLoaded { events },
                    Err(e) => Input::LocalFailed {
                        message: e.to_string(),
                    },
                },
            ),
            Instruction::SendBatch { op, batch } => {
                let result = match self.token() {
                    Ok(token) => self.client.post_events(&token, &batch, Utc::now()).await,
                    Err(e) => Err(e),
                };
                Step::Reply(match result {
                    Ok(ack) => Input::BatchAcked { op, ack },
                    Err(e) => {
                        tracing::debug!(error = %e, "batch not acknowledged");
                        Input::Failed {
                            op,
                            failure: e.failure(),
                        }
                    }
                })
            }
            Instruction::ApplyAck {
                acked_seq,
                rejections,
            } => Step::Reply(local(
                self.outbox
                    .mark_acked(acked_seq, &rejections)
                    .map(|acked_seq| Applied::Ack { acked_seq }),
            )),
            Instruction::UploadBlob { op, blob } => {
                let data = match self.outbox.blob_bytes(&blob.sha256) {
                    Ok(data) => data,
                    Err(e) => {
                        // The file is gone or damaged: nothing to retry over the network.
                        return Step::Reply(Input::Failed {
                            op,
                            failure: Failure::Permanent {
                                status: 0,
                                code: format!("local_blob: {e}"),
                            },
                        });
                    }
                };
                let result = match self.token() {
                    Ok(token) => {
                        self.client
                            .upload_blob(&token, &blob.sha256, content_type_of(&data), &data)
                            .await
                    }
                    Err(e) => Err(e),
                };
                Step::Reply(match result {
                    Ok(_) => Input::BlobUploaded {
                        op,
                        sha256: blob.sha256,
                    },
                    Err(e) => Input::Failed {
                        op,
                        failure: e.failure(),
                    },
                })
            }
            Instruction::MarkBlobUploaded { sha256 } => Step::Reply(local(
                self.outbox
                    .mark_blob_uploaded(&sha256)
                    .map(|()| Applied::Blob { sha256 }),
            )),
            Instruction::RequeueBlobs { sha256s } => {
                let mut result = Ok(Applied::Requeued);
                for sha256 in &sha256s {
                    match self.outbox.mark_blob_missing(sha256) {
                        Ok(true) => {
                            tracing::info!(%sha256, "the server lost a blob; sending it again")
                        }
                        Ok(false) => {
                            tracing::warn!(%sha256, "the server misses a blob this device never had")
                        }
                        Err(e) => {
                            result = Err(e);
                            break;
                        }
                    }
                }
                Step::Reply(local(result))
            }
            Instruction::CheckBlobs { op } => {
                let batch = EventBatch {
                    device_id: self.creds.device_id.clone(),
                    events: Vec::new(),
                };
                let result = match self.token() {
                    Ok(token) => self.client.post_events(&token, &batch, Utc::now()).await,
                    Err(e) => Err(e),
                };
                Step::Reply(match result {
                    Ok(ack) => Input::BatchAcked { op, ack },
                    Err(e) => Input::Failed {
                        op,
                        failure: e.failure(),
                    },
                })
            }
            Instruction::PullChanges { op, after } => {
                let result = match self.token() {
                    Ok(token) => {
                        self.client
                            .get_changes(&token, after, self.page_limit)
                            .await
                    }
                    Err(e) => Err(e),
                };
                Step::Reply(match result {
                    Ok(page) => Input::ChangesFetched { op, page },
                    Err(e) => Input::Failed {
                        op,
                        failure: e.failure(),
                    },
                })
            }
            Instruction::ApplyChanges { page } => Step::Reply(local(
                self.outbox
                    .apply_changes(&page)
                    .map(|cursor| Applied::Changes { cursor }),
            )),
        }
    }

    fn token(&self) -> Result<String, TransportError> {
        self.session
            .borrow()
            .as_ref()
            .map(|s| s.access_token.clone())
            .ok_or_else(|| TransportError::Status {
                status: 401,
                code: "missing_token".into(),
                message: "not signed in".into(),
                retry_after_s: None,
            })
    }

    async fn fetch_tour(&self) -> Result<TourSnapshot, TransportError> {
        self.client.fetch_tour(&self.token()?).await
    }

    /// Refresh if we can; else sign in with stored credentials; else report 401 so the
    /// engine waits for a person.
    async fn authenticate(&mut self) -> Result<(), TransportError> {
        let refresh_token = self
            .session
            .borrow()
            .as_ref()
            .map(|s| s.refresh_token.clone());
        if let Some(refresh_token) = refresh_token {
            let request = RefreshRequest {
                refresh_token,
                device_id: Some(self.creds.device_id.clone()),
                device_token: Some(self.creds.device_token.clone()),
            };
            match self.client.refresh(&request).await {
                Ok(fresh) => {
                    self.set_session(Some(fresh));
                    return Ok(());
                }
                Err(e) if e.status() == Some(401) => {
                    tracing::info!(error = %e, "refresh refused; signing in again");
                    self.set_session(None);
                }
                Err(e) => return Err(e),
            }
        }
        let Some(pin) = self.creds.pin.clone() else {
            return Err(TransportError::Status {
                status: 401,
                code: "sign_in_required".into(),
                message: "the session ended; a person must sign in".into(),
                retry_after_s: None,
            });
        };
        let session = self
            .client
            .sign_in(&SignInRequest {
                device_id: self.creds.device_id.clone(),
                device_token: self.creds.device_token.clone(),
                role: self.creds.role,
                user_id: self.creds.user_id.clone(),
                pin,
            })
            .await?;
        self.set_session(Some(session));
        Ok(())
    }
}

fn local<E: std::error::Error>(result: Result<Applied, E>) -> Input {
    match result {
        Ok(applied) => Input::Applied(applied),
        Err(e) => Input::LocalFailed {
            message: e.to_string(),
        },
    }
}

/// The content type the server checks against the first bytes.
pub fn content_type_of(data: &[u8]) -> &'static str {
    if data.starts_with(&[0x89, b'P', b'N', b'G']) {
        "image/png"
    } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else {
        "application/json"
    }
}

#[cfg(feature = "store")]
mod store_outbox {
    //! [`Outbox`] for the real device store.

    use lastmile_protocol::events::EventEnvelope;
    use lastmile_protocol::sync::{ChangesPage, Rejection};
    use lastmile_protocol::tour::TourSnapshot;
    use lastmile_store::{Store, StoreError};

    use super::Outbox;
    use crate::engine::{BlobInfo, OutboxSummary};

    impl Outbox for Store {
        type Error = StoreError;

        fn summary(&mut self) -> Result<OutboxSummary, StoreError> {
            let q = self.queue_state()?;
            let blobs = self
                .pending_blobs()?
                .into_iter()
                .map(|b| BlobInfo {
                    sha256: b.sha256,
                    kind: b.kind,
                    bytes: b.bytes,
                })
                .collect();
            Ok(OutboxSummary {
                last_seq: q.last_seq,
                acked_seq: q.acked_seq,
                oldest_unsent: q.oldest_unsent,
                blobs,
                cursor: self.tour_cursor()?,
                rejected: q.rejected,
            })
        }

        fn pending_events(
            &mut self,
            after_seq: u64,
            max_events: usize,
            max_bytes: usize,
        ) -> Result<Vec<EventEnvelope>, StoreError> {
            let mut events = Store::pending_events(self, max_events, max_bytes)?;
            events.retain(|e| e.seq > after_seq);
            Ok(events)
        }

        fn mark_acked(
            &mut self,
            acked_seq: u64,
            rejections: &[Rejection],
        ) -> Result<u64, StoreError> {
            // Rejections first: a crash in between leaves the ack unmoved, and the resend
            // brings the same rejections back.
            for r in rejections {
                self.record_rejection(r.seq, &r.code, &r.message)?;
            }
            Store::mark_acked(self, acked_seq)
        }

        fn blob_bytes(&mut self, sha256: &str) -> Result<Vec<u8>, StoreError> {
            self.blob_files().read_verified(sha256)
        }

        fn mark_blob_uploaded(&mut self, sha256: &str) -> Result<(), StoreError> {
            Store::mark_blob_uploaded(self, sha256).map(|_| ())
        }

        fn mark_blob_missing(&mut self, sha256: &str) -> Result<bool, StoreError> {
            Store::mark_blob_missing(self, sha256)
        }

        fn apply_changes(&mut self, page: &ChangesPage) -> Result<u64, StoreError> {
            let active = self.active_tour_id()?;
            for set in &page.change_sets {
                // The feed carries every tour of the driver; only the one on the device counts.
                if active.as_deref() == Some(set.tour_id.as_str()) {
                    self.apply_change_set(set)?;
                }
            }
            Ok(self.tour_cursor()?.unwrap_or(0))
        }

        fn apply_tour(&mut self, snapshot: &TourSnapshot) -> Result<u64, StoreError> {
            self.apply_snapshot(snapshot)?;
            Ok(self.tour_cursor()?.unwrap_or(snapshot.cursor))
        }
    }
}
