//! Who this device is and who is signed in on it, kept in `credentials.json` beside the
//! database, and the background sync loop that runs while someone is signed in.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use lastmile_protocol::auth::{EnrolRequest, Role, Session, SignInRequest};
use lastmile_store::Store;
use lastmile_sync::engine::{Config, Engine, SyncStatus};
use lastmile_sync::runner::{Credentials, Nudge, Runner};
use lastmile_sync::transport::ServerClient;
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, watch};

use crate::error::CommandError;

/// What survives a restart: the enrolment and the last session.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Saved {
    pub device_id: Option<String>,
    pub device_token: Option<String>,
    pub driver_id: Option<String>,
    pub session: Option<Session>,
}

impl Saved {
    fn path(dir: &Path) -> PathBuf {
        dir.join("credentials.json")
    }

    /// Reads the saved credentials; a missing file means a new device.
    pub fn load(dir: &Path) -> Result<Self, CommandError> {
        match std::fs::read(Self::path(dir)) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes).map_err(|e| CommandError::Credentials(e.to_string()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(CommandError::Credentials(e.to_string())),
        }
    }

    /// Writes atomically (temp file + rename), so a crash never leaves half a file.
    pub fn save(&self, dir: &Path) -> Result<(), CommandError> {
        let bytes = serde_json::to_vec_pretty(self)
            .map_err(|e| CommandError::Credentials(e.to_string()))?;
        let tmp = dir.join("credentials.json.tmp");
        std::fs::write(&tmp, bytes).map_err(|e| CommandError::Credentials(e.to_string()))?;
        std::fs::rename(&tmp, Self::path(dir)).map_err(|e| CommandError::Credentials(e.to_string()))
    }

    /// The runner's credentials, when the device is enrolled and a driver signed in.
    pub fn credentials(&self) -> Option<(Credentials, Session)> {
        Some((
            Credentials {
                device_id: self.device_id.clone()?,
                device_token: self.device_token.clone()?,
                role: Role::Driver,
                user_id: self.driver_id.clone()?,
                pin: None,
            },
            self.session.clone()?,
        ))
    }
}

/// Enrols the device when it is new, then signs the driver in, updating `saved` as it goes
/// (an enrolment is kept even when the PIN was wrong).
pub async fn sign_in(
    server: &ServerClient,
    store: &Arc<Mutex<Store>>,
    saved: &mut Saved,
    driver_id: &str,
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
            lock(store).set_device_id(&enrolled.device_id)?;
            (enrolled.device_id, enrolled.device_token)
        }
    };
    saved.device_id = Some(device_id.clone());
    saved.device_token = Some(device_token.clone());
    let session = server
        .sign_in(&SignInRequest {
            device_id,
            device_token,
            role: Role::Driver,
            user_id: driver_id.to_owned(),
            pin: pin.to_owned(),
        })
        .await?;
    saved.driver_id = Some(driver_id.to_owned());
    saved.session = Some(session);
    Ok(())
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

/// Where the sync loop keeps the session it refreshes: `credentials.json` in `dir`, through
/// the app's copy of it.
#[derive(Debug, Clone)]
pub struct SavedAt {
    pub saved: Arc<tokio::sync::Mutex<Saved>>,
    pub dir: PathBuf,
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
            match updated.save(&keep.dir) {
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

/// Issues the day's card stack unless the driver still holds unused cards.
pub fn ensure_card_stack(
    store: &mut Store,
    driver_id: &str,
    date: chrono::NaiveDate,
) -> Result<(), CommandError> {
    if store.unused_cards(1)?.is_empty() {
        store.issue_cards(&card_stack(driver_id, date)?)?;
    }
    Ok(())
}

/// The notification-card stack for a driver's day. Until the station's check-in screen issues
/// real stacks, the device issues itself 20 numbers derived from driver and date
/// (`<driver><yyyymmdd><nn>`, letters and digits only), so the station can still reconcile them.
pub fn card_stack(
    driver_id: &str,
    date: chrono::NaiveDate,
) -> Result<Vec<lastmile_domain::CardNumber>, CommandError> {
    let driver: String = driver_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    (1..=20)
        .map(|n| {
            lastmile_domain::CardNumber::parse(&format!("K{driver}{}{n:02}", date.format("%Y%m%d")))
                .map_err(CommandError::from)
        })
        .collect()
}
