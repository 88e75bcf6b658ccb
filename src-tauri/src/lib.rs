//! The Tauri shell. It owns the device's store and sync client and exposes thin commands to
//! the UI; all rules live in the core crates. Desktop and mobile share this entry point.

// The station lead's audit trail (issue 16).
mod audit;
mod commands;
mod config;
mod convert;
mod demo;
mod device;
mod error;
// Issue 16: the store key and the tokens in the platform keystore.
mod keystore;
// Issue 14: the driver's evidence bundle.
mod evidence;
// The offline map (issue 17).
mod map;
mod overview;
mod position;
mod proof;
// Supervisor ride-along.
mod ride;
mod scan;
// Service visits (issue 14).
mod service;
// Station tablet (issue 12).
mod station;
// Blocks for flex drivers (issue 15).
mod offers;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lastmile_store::{Options, Store};
use lastmile_sync::transport::ServerClient;
use tauri::Manager;

/// State shared by all commands.
pub struct AppState {
    /// One writer connection; commands take it for the length of one driver action. When the
    /// database cannot be opened (corrupt, newer schema, full disk) the app still starts and
    /// every command reports why, so the driver sees what happened instead of a crash.
    /// Shared with the background sync loop; every lock is held for one short SQLite call.
    pub store: Result<Arc<Mutex<Store>>, String>,
    /// The sync server, when one is configured.
    pub server: Option<ServerClient>,
    /// The data folder (credentials live beside the database).
    pub data_dir: PathBuf,
    /// Where the store key and the tokens are kept (the platform's keystore, or files in
    /// test and demo mode).
    pub keystore: keystore::Keystore,
    /// The enrolment and session as saved in the data folder.
    /// Shared with the sync loop, which writes refreshed sessions back.
    pub saved: Arc<tokio::sync::Mutex<device::Saved>>,
    /// The background sync loop, once someone signed in on an enrolled device.
    pub sync: tokio::sync::Mutex<Option<device::SyncHandle>>,
    /// Where the device is (platform geolocation, or the simulated provider on desktop).
    pub position: position::Positioning,
    /// What the environment said at start-up.
    pub config: config::AppConfig,
}

impl AppState {
    /// Where a sync loop writes the sessions it refreshes.
    pub fn saved_at(&self) -> device::SavedAt {
        device::SavedAt {
            saved: self.saved.clone(),
            dir: self.data_dir.clone(),
            keystore: self.keystore.clone(),
        }
    }
}

/// Where the device keeps its data: `LASTMILE_DATA_DIR` if set (tests, demo), otherwise the
/// platform's app-data folder (on Android/iOS the app sandbox).
fn data_dir<R: tauri::Runtime>(
    app: &tauri::App<R>,
    config: &config::AppConfig,
) -> Result<PathBuf, Box<dyn std::error::Error>> {
    if let Some(dir) = &config.data_dir {
        return Ok(dir.clone());
    }
    Ok(app.path().app_data_dir()?)
}

/// Opens the store encrypted with the key from the keystore (made on first use; a plaintext
/// store of an older app is encrypted on this open). No keystore, no store: the app then
/// refuses every action and says why.
fn open_store(
    db: &std::path::Path,
    keys: Result<&keystore::Keystore, &keystore::KeystoreError>,
    retention: lastmile_store::Retention,
) -> Result<Store, String> {
    let keys = keys.map_err(|e| e.to_string())?;
    let encrypted_exists = std::fs::metadata(db).is_ok_and(|m| m.len() > 0)
        && !lastmile_store::keys::is_plain_database(db).map_err(|e| e.to_string())?;
    let key = keys
        .store_key(encrypted_exists)
        .map_err(|e| e.to_string())?;
    Store::open_with(
        db,
        Options {
            key: Some(key),
            // Acknowledged proof and past tours leave the device (at open, after each ack).
            retention: Some(retention),
            ..Options::default()
        },
    )
    .map_err(|e| e.to_string())
}

/// The client, also trusting the CAs of `LASTMILE_DEV_CA_FILE` when it is set (development
/// and tests); a file that cannot be read or holds no certificate stops the start.
fn trusting(
    client: ServerClient,
    ca_file: Option<&std::path::Path>,
) -> Result<ServerClient, String> {
    let Some(path) = ca_file else {
        return Ok(client);
    };
    let pem =
        std::fs::read(path).map_err(|e| format!("LASTMILE_DEV_CA_FILE {}: {e}", path.display()))?;
    tracing::warn!(file = %path.display(), "LASTMILE_DEV_CA_FILE is set: trusting its CA besides the built-in roots (development and tests only)");
    client
        .with_extra_roots(&pem)
        .map_err(|e| format!("LASTMILE_DEV_CA_FILE {}: {e}", path.display()))
}

fn open_state<R: tauri::Runtime>(
    app: &tauri::App<R>,
    config: config::AppConfig,
) -> Result<AppState, Box<dyn std::error::Error>> {
    let dir = data_dir(app, &config)?;
    std::fs::create_dir_all(&dir)?;
    let keys = keystore::Keystore::for_data_dir(&dir, config.key_dir.as_deref());
    if let Ok(k) = &keys
        && k.is_file_mode()
    {
        tracing::warn!("LASTMILE_KEY_DIR is set: the keys are in files (tests and demo only)");
    }
    let retention = lastmile_store::Retention {
        grace_days: config.retention_grace_days,
    };
    let store = open_store(&dir.join("device.db"), keys.as_ref(), retention)
        .map(|s| Arc::new(Mutex::new(s)))
        .map_err(|e| {
            tracing::error!("cannot open the local database: {e}");
            e
        });
    // Without a keystore nothing is kept; the store's error says why on every screen.
    let keys = keys.unwrap_or_else(|_| keystore::Keystore::Platform {
        scope: String::new(),
    });
    // Plain HTTP only to this machine (or with the development flag): tokens and proof
    // cross this link.
    config.check_server_url()?;
    let server = match &config.server_url {
        Some(url) => Some(trusting(
            ServerClient::new(url, Duration::from_secs(5))?,
            config.dev_ca_file.as_deref(),
        )?),
        None => None,
    };
    tracing::info!(data_dir = %dir.display(), server = ?server.as_ref().map(|s| s.base_url()), "device state opened");
    let mut saved = device::Saved::load(&dir, &keys).unwrap_or_else(|e| {
        tracing::error!("cannot read the saved sign-in, the driver signs in again: {e}");
        device::Saved::default()
    });
    // The enrolment kept with the outbox restores a lost credentials.json.
    if let Ok(store) = &store {
        match device::reconcile(&mut saved, &mut device::lock(store)) {
            Ok(true) => {
                if let Err(e) = saved.save(&dir, &keys) {
                    tracing::error!("cannot write the restored credentials: {e}");
                }
            }
            Ok(false) => {}
            Err(e) => tracing::error!("cannot reconcile the saved enrolment with the store: {e}"),
        }
    }
    let credentials = saved.credentials();
    let keep = device::SavedAt {
        saved: Arc::new(tokio::sync::Mutex::new(saved)),
        dir,
        keystore: keys,
    };
    // Signed in before: sync starts right away, before any screen asks.
    let sync = match (&server, &store, credentials) {
        (Some(server), Ok(store), Some((creds, session))) => Some(device::SyncHandle::start(
            server.clone(),
            store.clone(),
            creds,
            session,
            keep.clone(),
        )),
        _ => None,
    };
    Ok(AppState {
        store,
        server,
        data_dir: keep.dir,
        keystore: keep.keystore,
        saved: keep.saved,
        sync: tokio::sync::Mutex::new(sync),
        position: position::Positioning::new(config.position, config.sim_speed_kmh),
        config,
    })
}

/// Registers state and commands on `builder`; separate from [`run`] so tests can drive it.
pub fn build_app<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            tracing::info!("setup started");
            let state = open_state(app, config::AppConfig::from_env())?;
            // Only with LASTMILE_DEMO_DRIVER/_PIN set: done before the UI can ask who is in.
            demo::sign_in_from_env(&state);
            app.manage(state);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::check_server,
            commands::session_state,
            commands::sign_in,
            commands::download_tour,
            commands::tour_overview,
            commands::current_stop,
            commands::stop_detail,
            commands::unused_cards,
            commands::deliver,
            commands::fail,
            commands::pick_up,
            commands::arrive,
            commands::skip_stop,
            commands::scan_image,
            commands::check_entry,
            commands::report_position,
            commands::guidance,
            commands::perf_mark,
            commands::navigate,
            commands::undo,
            commands::correct_outcome,
            commands::sync_status,
            commands::sync_now,
            evidence::evidence_days,
            evidence::evidence_export,
            commands::waiting_items,
            overview::end_of_day,
            overview::conflicts,
            overview::acknowledge_conflict,
            overview::tour_parcels,
            overview::ui_settings,
            overview::save_ui_settings,
            // Station tablet (issue 12).
            station::station_board,
            station::station_day,
            station::station_check_in,
            station::station_check_in_pass,
            station::station_act,
            station::station_close_out,
            station::phone_station,
            station::phone_check_in_code,
            station::my_days,
            audit::station_audit,
            // Supervisor ride-along.
            service::service_visit,
            service::service_start,
            service::service_finish,
            ride::ride_drivers,
            ride::ride_start,
            ride::ride_current,
            ride::ride_refresh,
            ride::ride_observe,
            ride::ride_grade,
            ride::ride_assist,
            ride::ride_sign,
            ride::ride_mine,
            ride::ride_answer,
            ride::ride_export,
            // Blocks for flex drivers (issue 15).
            offers::offers_load,
            offers::offers_request,
            offers::offers_confirm,
            offers::offers_release,
            offers::offers_earnings,
            offers::offers_export,
            // The offline map (issue 17).
            map::map_status,
            map::map_fetch,
            map::map_tile,
            map::map_pins
        ])
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("LASTMILE_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    // `bench app` splits the start at these lines (exec → here → setup → state opened).
    tracing::info!("shell started");
    if let Err(e) = build_app(tauri::Builder::default()).run(tauri::generate_context!()) {
        tracing::error!("Lastmile could not start: {e}");
        std::process::exit(1);
    }
}
