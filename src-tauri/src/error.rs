//! The one error type commands return; it crosses to the UI as `UiError {code, message}`.
//! Codes are stable and translated by the UI; details go to the log.

use lastmile_protocol::ui::UiError;

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Store(#[from] lastmile_store::StoreError),
    /// The local database could not be opened at start-up; the reason is kept.
    #[error("the local database is not available: {0}")]
    StoreUnavailable(String),
}

impl CommandError {
    fn code(&self) -> &'static str {
        match self {
            CommandError::Store(lastmile_store::StoreError::SchemaTooNew { .. }) => {
                "store.schema_too_new"
            }
            CommandError::Store(lastmile_store::StoreError::Corrupt { .. }) => "store.corrupt",
            CommandError::Store(_) => "store.failed",
            CommandError::StoreUnavailable(_) => "store.unavailable",
        }
    }
}

impl serde::Serialize for CommandError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        tracing::warn!(error = %self, "command failed");
        UiError {
            code: self.code().to_owned(),
            message: self.to_string(),
        }
        .serialize(serializer)
    }
}
