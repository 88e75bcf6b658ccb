//! The one error type of the HTTP API, classified by who is at fault, and its mapping to a
//! status code and the protocol's [`ErrorBody`] — in one place.
//!
//! Caller faults carry a stable `code` and a message meant for developers. Server faults
//! log their detail and answer a generic message: internals never reach the client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lastmile_protocol::api::ErrorBody;

use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed or breaks a rule (the caller's fault).
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    /// No, expired, revoked or replayed credentials (the caller must sign in again).
    #[error("{message}")]
    Unauthorized { code: &'static str, message: String },
    /// Valid credentials, but this resource is not theirs.
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    #[error("{message}")]
    NotFound { code: &'static str, message: String },
    /// The request clashes with the current state (e.g. an upload offset that does not match).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("{message}")]
    TooLarge { code: &'static str, message: String },
    #[error("{message}")]
    UnsupportedMediaType { code: &'static str, message: String },
    /// Well-formed but wrong content (e.g. bytes that do not match their hash).
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    /// Too many wrong PINs, or too many requests: retry after `retry_after_s` seconds
    /// (sent as `Retry-After`).
    #[error("{message}")]
    RateLimited {
        code: &'static str,
        message: String,
        retry_after_s: u64,
    },
    /// The server sheds load or a body stopped arriving (`status` is 503 or 408).
    #[error("{message}")]
    Unavailable {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
    /// Storage failed (the server's fault; the client retries later).
    #[error(transparent)]
    Db(#[from] DbError),
    /// Anything else that is the server's fault.
    #[error("internal: {0}")]
    Internal(String),
}

macro_rules! ctor {
    ($name:ident, $variant:ident) => {
        pub fn $name(code: &'static str, message: impl Into<String>) -> Self {
            ApiError::$variant {
                code,
                message: message.into(),
            }
        }
    };
}

impl ApiError {
    ctor!(bad_request, BadRequest);
    ctor!(unauthorized, Unauthorized);
    ctor!(forbidden, Forbidden);
    ctor!(not_found, NotFound);
    ctor!(conflict, Conflict);
    ctor!(too_large, TooLarge);
    ctor!(unsupported, UnsupportedMediaType);
    ctor!(unprocessable, Unprocessable);

    pub fn rate_limited(
        code: &'static str,
        message: impl Into<String>,
        retry_after_s: u64,
    ) -> Self {
        ApiError::RateLimited {
            code,
            message: message.into(),
            retry_after_s,
        }
    }

    /// `503` with `code`: the server is too busy for this request now; retry.
    pub fn busy(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::Unavailable {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code,
            message: message.into(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable { status, .. } => *status,
            ApiError::Db(e) if e.is_disk_full() => StatusCode::INSUFFICIENT_STORAGE,
            ApiError::Db(e) if e.is_retryable() || e.is_unavailable() => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::Db(_) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn body(&self) -> ErrorBody {
        let (code, message) = match self {
            ApiError::BadRequest { code, message }
            | ApiError::Unauthorized { code, message }
            | ApiError::Forbidden { code, message }
            | ApiError::NotFound { code, message }
            | ApiError::Conflict { code, message }
            | ApiError::TooLarge { code, message }
            | ApiError::UnsupportedMediaType { code, message }
            | ApiError::Unprocessable { code, message }
            | ApiError::RateLimited { code, message, .. }
            | ApiError::Unavailable { code, message, .. } => (*code, message.clone()),
            ApiError::Db(e) if e.is_disk_full() => (
                "storage_full",
                "the server's storage is full; nothing was stored, keep the data and retry later"
                    .to_owned(),
            ),
            ApiError::Db(e) if e.is_retryable() => ("busy", "the server is busy; retry".to_owned()),
            ApiError::Db(e) if e.is_unavailable() => (
                "database_unavailable",
                "the server's database is unavailable; retry later".to_owned(),
            ),
            ApiError::Db(_) | ApiError::Internal(_) => {
                ("internal", "internal server error; retry later".to_owned())
            }
        };
        ErrorBody {
            code: code.to_owned(),
            message,
        }
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        // Only our own stored JSON is parsed with `?`; request bodies go through `ApiJson`.
        ApiError::Internal(format!("stored json: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::debug!(error = %self, "request refused");
        }
        let retry_after = match &self {
            ApiError::RateLimited { retry_after_s, .. } => Some(*retry_after_s),
            ApiError::Unavailable { .. } => Some(1),
            ApiError::Db(e) if e.is_retryable() => Some(1),
            _ => None,
        };
        let mut resp = (status, axum::Json(self.body())).into_response();
        if let Some(secs) = retry_after {
            resp.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(secs),
            );
        }
        resp
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
