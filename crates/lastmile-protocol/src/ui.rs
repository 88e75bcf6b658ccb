//! Types between the Leptos UI and the Tauri shell (the `invoke` boundary).

use serde::{Deserialize, Serialize};

/// The one error type the UI ever sees. `code` is stable and translated by the UI;
/// `message` is English detail for logs and support, never the primary text on screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UiError {
    pub code: String,
    pub message: String,
}

/// What the shell knows about itself and its local store (answer of `app_status`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppStatus {
    pub app_version: String,
    /// Random id of this installation, created with the local database.
    pub install_id: String,
    pub schema_version: u32,
    /// The sync server this device talks to, if configured.
    pub server_url: Option<String>,
}

/// Answer of `check_server`: did the device reach its sync server just now?
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ServerReach {
    Connected {
        server_version: String,
        backend: String,
        clock_offset_ms: i64,
    },
    Unreachable {
        reason: String,
    },
    NotConfigured,
}
