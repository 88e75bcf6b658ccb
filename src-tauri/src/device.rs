//! Who this device is and who is signed in on it, and the background sync loop that runs
//! while someone is signed in. `credentials.json` beside the database holds the device id,
//! the person and the mode; the secrets (the device token and the session's tokens) are in
//! the keystore ([`crate::keystore`], entry `credentials`). A file of an older app that still
//! holds them is rewritten without them on the first start ([`Saved::load`]).
//!
//! The enrolment (device id and token) is kept twice: in the store, in one transaction with
//! the device id its outbox is recorded under (the copy that counts), and in
//! `credentials.json` (written with temp file, fsync, rename and a folder fsync). At start-up
//! [`reconcile`] restores a lost or stale `credentials.json` from the store. If the store has
//! no token either while events wait under its device id, the next sign-in enrols again and
//! re-binds: the server hands the new enrolment the old id's stream once the device proves it
//! with the stream key kept in the store ([`sign_in`]).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use lastmile_protocol::auth::{
    EnrolRequest, RebindRequest, Role, Session, SignInRequest, StreamKeyRequest,
};
use lastmile_protocol::events::Person;
use lastmile_store::{Identity, Store};
use lastmile_sync::engine::{Config, Engine, SyncStatus};
use lastmile_sync::runner::{Credentials, Nudge, Runner};
use lastmile_sync::transport::ServerClient;
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, watch};

use crate::error::CommandError;
use crate::keystore::Keystore;

/// The keystore entry with the device token and the session.
const SECRETS: &str = "credentials";

/// What survives a restart: the enrolment and the last session. The tokens are read from
/// older files but never written to the file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Saved {
    pub device_id: Option<String>,
    #[serde(default, skip_serializing)]
    pub device_token: Option<String>,
    /// The person who signed in last (a driver, a station lead or a supervisor).
    #[serde(alias = "driver_id")]
    pub user_id: Option<String>,
    /// Their role, which is the app's mode; files of older apps (drivers only) have none.
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default, skip_serializing)]
    pub session: Option<Session>,
}

/// What the keystore keeps for [`Saved`].
#[derive(Serialize, Deserialize)]
struct Secrets {
    device_token: Option<String>,
    session: Option<Session>,
}

impl Saved {
    fn path(dir: &Path) -> PathBuf {
        dir.join("credentials.json")
    }

    /// Reads the saved credentials (the file, and the tokens from the keystore); a missing
    /// file means a new device. A file of an older app with the tokens in it has them moved
    /// to the keystore and is rewritten without them.
    pub fn load(dir: &Path, keystore: &Keystore) -> Result<Self, CommandError> {
        let mut saved: Self = match std::fs::read(Self::path(dir)) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| CommandError::Credentials(e.to_string()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Self::default(),
            Err(e) => return Err(CommandError::Credentials(e.to_string())),
        };
        if saved.device_token.is_some() || saved.session.is_some() {
            saved.save(dir, keystore)?;
            tracing::info!("moved the device's tokens from credentials.json to the keystore");
            return Ok(saved);
        }
        if let Some(json) = keystore.get(SECRETS).map_err(credentials_error)? {
            let secrets: Secrets = serde_json::from_str(&json)
                .map_err(|e| CommandError::Credentials(format!("keystore entry: {e}")))?;
            saved.device_token = secrets.device_token;
            saved.session = secrets.session;
        }
        Ok(saved)
    }

    /// Keeps the tokens in the keystore, then writes the file atomically and durably (temp
    /// file, fsync, rename, folder fsync): a crash or a power cut leaves the old file or the
    /// new one, never half a file or none.
    pub fn save(&self, dir: &Path, keystore: &Keystore) -> Result<(), CommandError> {
        use std::io::Write;
        if self.device_token.is_none() && self.session.is_none() {
            keystore.delete(SECRETS).map_err(credentials_error)?;
        } else {
            let secrets = serde_json::to_string(&Secrets {
                device_token: self.device_token.clone(),
                session: self.session.clone(),
            })
            .map_err(|e| CommandError::Credentials(e.to_string()))?;
            keystore.set(SECRETS, &secrets).map_err(credentials_error)?;
        }
        let bytes = serde_json::to_vec_pretty(self)
            .map_err(|e| CommandError::Credentials(e.to_string()))?;
        let tmp = dir.join("credentials.json.tmp");
        let write = || -> std::io::Result<()> {
            let mut file = std::fs::File::create(&tmp)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            std::fs::rename(&tmp, Self::path(dir))?;
            std::fs::File::open(dir)?.sync_all()
        };
        write().map_err(|e| CommandError::Credentials(e.to_string()))
    }

    /// The role of the person signed in last (older apps knew only drivers).
    pub fn role(&self) -> Role {
        self.role.unwrap_or(Role::Driver)
    }

    /// The runner's credentials, when the device is enrolled and someone signed in.
    pub fn credentials(&self) -> Option<(Credentials, Session)> {
        Some((
            Credentials {
                device_id: self.device_id.clone()?,
                device_token: self.device_token.clone()?,
                role: self.role(),
                user_id: self.user_id.clone()?,
                pin: None,
            },
            self.session.clone()?,
        ))
    }
}

fn credentials_error(e: crate::keystore::KeystoreError) -> CommandError {
    CommandError::Credentials(e.to_string())
}

/// Brings `credentials.json` (`saved`) and the store's copy of the enrolment together;
/// true when `saved` changed and must be written. The store's copy wins: it is written in
/// the same database as the events it identifies.
pub fn reconcile(saved: &mut Saved, store: &mut Store) -> Result<bool, CommandError> {
    let kept = store.identity()?;
    let in_file = match (&saved.device_id, &saved.device_token) {
        (Some(id), Some(token)) => Some(Identity {
            device_id: id.clone(),
            device_token: token.clone(),
        }),
        _ => None,
    };
    match (kept, in_file) {
        (Some(kept), Some(file)) if kept == file => Ok(false),
        (Some(kept), _) => {
            tracing::warn!(device = %kept.device_id, "credentials.json lost or stale; restored from the store");
            if saved.device_id.as_deref() != Some(kept.device_id.as_str()) {
                // A session of another device id is no use to this one.
                saved.session = None;
            }
            saved.device_id = Some(kept.device_id);
            saved.device_token = Some(kept.device_token);
            Ok(true)
        }
        // Enrolled by an older app: keep a copy with the outbox from now on.
        (None, Some(file)) => match store.save_identity(&file) {
            Ok(()) => Ok(false),
            Err(lastmile_store::StoreError::StreamInUse { device_id, events }) => {
                // An older app enrolled again after losing the file; its events wait under
                // the first id. Forget the second enrolment: the next sign-in re-binds.
                tracing::error!(%device_id, events, "the saved enrolment is not the outbox's; signing in re-binds");
                saved.device_id = None;
                saved.device_token = None;
                saved.session = None;
                Ok(true)
            }
            Err(e) => Err(e.into()),
        },
        (None, None) => Ok(false),
    }
}

/// Enrols the device when it has no enrolment (re-binding to the stream its queued events
/// carry, when there is one), registers the stream key once, then signs the driver in and
/// makes them the person every event names, updating `saved` as it goes (an enrolment is
/// kept even when the PIN was wrong). `role` is the mode the app runs in from here on.
pub async fn sign_in(
    server: &ServerClient,
    store: &Arc<Mutex<Store>>,
    saved: &mut Saved,
    role: Role,
    user_id: &str,
    pin: &str,
    enrolment_code: Option<String>,
) -> Result<(), CommandError> {
    let (device_id, device_token) = match (&saved.device_id, &saved.device_token) {
        (Some(id), Some(token)) => (id.clone(), token.clone()),
        _ => {
            let code = enrolment_code.ok_or(CommandError::EnrolmentCodeMissing)?;
            let enrolled = server
                .enrol(&EnrolRequest {
                    enrolment_code: code,
                    device_name: device_name(),
                })
                .await?;
            let mut identity = Identity {
                device_id: enrolled.device_id,
                device_token: enrolled.device_token,
            };
            let rebind = {
                let s = lock(store);
                if s.needs_rebind()? {
                    Some((s.device_id().to_owned(), s.stream_key()?))
                } else {
                    None
                }
            };
            if let Some((old_device_id, stream_key)) = rebind {
                let bound = server
                    .rebind(&RebindRequest {
                        device_id: identity.device_id.clone(),
                        device_token: identity.device_token.clone(),
                        old_device_id,
                        stream_key,
                    })
                    .await?;
                tracing::info!(device = %bound.device_id, "re-bound to the queued events' device id");
                identity.device_id = bound.device_id;
            }
            lock(store).save_identity(&identity)?;
            (identity.device_id, identity.device_token)
        }
    };
    saved.device_id = Some(device_id.clone());
    saved.device_token = Some(device_token.clone());
    register_stream_key(server, store, &device_id, &device_token).await;
    let session = server
        .sign_in(&SignInRequest {
            device_id,
            device_token,
            role,
            user_id: user_id.to_owned(),
            pin: pin.to_owned(),
        })
        .await?;
    lock(store).set_person(Some(&Person {
        user_id: session.user_id.clone(),
        role: session.role,
    }))?;
    saved.user_id = Some(user_id.to_owned());
    saved.role = Some(role);
    saved.session = Some(session);
    Ok(())
}

/// Gives the server the hash of the store's stream key, once per device id, so the queued
/// events can be re-bound should the credentials be lost. A failure is logged and retried at
/// the next sign-in (an older server without the endpoint answers 404).
async fn register_stream_key(
    server: &ServerClient,
    store: &Arc<Mutex<Store>>,
    device_id: &str,
    device_token: &str,
) {
    let hash = {
        let s = lock(store);
        match (s.stream_key_registered(), s.stream_key_hash()) {
            (Ok(false), Ok(hash)) => hash,
            (Ok(true), _) => return,
            (Err(e), _) | (_, Err(e)) => {
                tracing::warn!("cannot read the stream key: {e}");
                return;
            }
        }
    };
    let req = StreamKeyRequest {
        device_id: device_id.to_owned(),
        device_token: device_token.to_owned(),
        stream_key_hash: hash,
    };
    match server.register_stream_key(&req).await {
        Ok(()) => {
            if let Err(e) = lock(store).mark_stream_key_registered() {
                tracing::warn!("cannot note the registered stream key: {e}");
            }
        }
        Err(e) => tracing::warn!("stream key not registered (retried at the next sign-in): {e}"),
    }
}

fn device_name() -> String {
    format!("lastmile-{}", std::env::consts::OS)
}

/// Locks the store; a panic while it was held leaves SQLite consistent (transactions roll back).
pub fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|p| p.into_inner())
}

/// The running sync loop: nudge it, read its status and its current session.
#[derive(Debug)]
pub struct SyncHandle {
    nudges: mpsc::Sender<Nudge>,
    pub status: watch::Receiver<SyncStatus>,
    session: watch::Receiver<Option<Session>>,
}

/// Where the sync loop keeps the session it refreshes: `credentials.json` in `dir` and the
/// keystore, through the app's copy of it.
#[derive(Debug, Clone)]
pub struct SavedAt {
    pub saved: Arc<tokio::sync::Mutex<Saved>>,
    pub dir: PathBuf,
    pub keystore: Keystore,
}

impl SyncHandle {
    /// Starts the loop as a background task on Tauri's async runtime (desktop and mobile),
    /// and a second task that writes every session the loop gets to `keep`.
    pub fn start(
        server: ServerClient,
        store: Arc<Mutex<Store>>,
        creds: Credentials,
        session: Session,
        keep: SavedAt,
    ) -> Self {
        let engine = Engine::new(Config {
            seed: rand_seed(),
            fetches_tour: matches!(creds.role, Role::Driver | Role::Flex),
            ..Config::default()
        });
        let mut runner = Runner::new(engine, server, store, creds).with_session(session.clone());
        let status = runner.status();
        let sessions = runner.sessions();
        let (nudges, rx) = mpsc::channel(64);
        // Subscribed before the loop runs: the refresh it starts with is seen, however soon.
        let watcher = keep_sessions(session, sessions.clone(), keep);
        tauri::async_runtime::spawn(async move { runner.run(rx).await });
        tauri::async_runtime::spawn(watcher);
        Self {
            nudges,
            status,
            session: sessions,
        }
    }

    /// The session the loop holds now (a refresh replaces the access token the saved
    /// sign-in had; the server refuses the old one).
    pub fn session(&self) -> Option<Session> {
        self.session.borrow().clone()
    }

    /// Tells the loop something happened; a full channel means it has plenty to do already.
    pub fn nudge(&self, n: Nudge) {
        if let Err(e) = self.nudges.try_send(n) {
            tracing::debug!("sync nudge not delivered: {e}");
        }
    }
}

/// Saves each new session the loop gets. Refresh tokens are single-use and the loop
/// refreshes at every start: without this, the app reopened a second time would present a
/// spent token, the server would revoke the session, and the driver would have to sign in
/// again mid-tour. A session the server ended is not saved as "signed out": the driver keeps
/// the tour on screen and working offline, and the sync bar asks for a sign-in to send. A
/// session replaced meanwhile by a sign-in (another loop's) is left alone. Ends with the loop.
async fn keep_sessions(
    started_with: Session,
    mut sessions: watch::Receiver<Option<Session>>,
    keep: SavedAt,
) {
    let mut last = Some(started_with);
    while sessions.changed().await.is_ok() {
        let next = sessions.borrow_and_update().clone();
        if next == last || next.is_none() {
            continue;
        }
        let mut saved = keep.saved.lock().await;
        if saved.session == last {
            let mut updated = saved.clone();
            updated.session = next.clone();
            match updated.save(&keep.dir, &keep.keystore) {
                Ok(()) => *saved = updated,
                Err(e) => tracing::error!("cannot save the refreshed session: {e}"),
            }
        }
        last = next;
    }
}

fn rand_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1)
}

#[cfg(test)]
#[path = "device_tests.rs"]
pub(crate) mod tests;
