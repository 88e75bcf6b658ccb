//! The station lead's audit trail (issue 16): who read which driver's proof or day, as the
//! server logged it. Online only: the log is the server's, and no copy of it is kept on the
//! tablet.
// `#[tauri::command]` expands to a `let _ = …` on the command's result, which this lint flags.
#![allow(clippy::let_underscore_must_use)]

use lastmile_protocol::audit::{AUDIT, AuditEntry};
use tauri::State;

use crate::AppState;
use crate::error::CommandError;

/// The newest 200 reads of the lead's station.
#[tauri::command]
pub async fn station_audit(state: State<'_, AppState>) -> Result<Vec<AuditEntry>, CommandError> {
    let server = state.server.as_ref().ok_or(CommandError::NoServer)?;
    let token = crate::station::token(&state).await?;
    Ok(server
        .get::<Vec<AuditEntry>>(&token, &format!("{AUDIT}?limit=200"))
        .await?)
}
