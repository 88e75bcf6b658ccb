//! Tauri commands: each takes the shared state, calls one core function and maps its error.
// `#[tauri::command]` expands to a `let _ = …` on the command's result, which this lint flags.
#![allow(clippy::let_underscore_must_use)]

use lastmile_protocol::ui::{AppStatus, ServerReach};
use tauri::State;

use crate::AppState;
use crate::error::CommandError;

/// Facts about this installation and its local database.
#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Result<AppStatus, CommandError> {
    let store = state
        .store
        .as_ref()
        .map_err(|e| CommandError::StoreUnavailable(e.clone()))?
        .lock()
        .await;
    Ok(AppStatus {
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        install_id: store.install_id()?,
        schema_version: store.schema_version()?,
        server_url: state.server.as_ref().map(|s| s.base_url().to_owned()),
    })
}

/// Asks the sync server for its health right now.
#[tauri::command]
pub async fn check_server(state: State<'_, AppState>) -> Result<ServerReach, CommandError> {
    let Some(server) = &state.server else {
        return Ok(ServerReach::NotConfigured);
    };
    let sent = chrono::Utc::now();
    Ok(match server.health().await {
        Ok(health) => {
            let received = chrono::Utc::now();
            let midpoint = sent + (received - sent) / 2;
            ServerReach::Connected {
                server_version: health.version,
                backend: health.backend,
                clock_offset_ms: (health.server_time - midpoint).num_milliseconds(),
            }
        }
        Err(e) => ServerReach::Unreachable {
            reason: e.to_string(),
        },
    })
}
