//! The one error type commands return; it crosses to the UI as `UiError {code, message}`.
//! Codes are stable and translated by the UI; details go to the log.

use lastmile_domain::{CardError, RuleViolation};
use lastmile_protocol::ui::UiError;
use lastmile_store::StoreError;
use lastmile_sync::transport::TransportError;

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The local database could not be opened at start-up; the reason is kept.
    #[error("the local database is not available: {0}")]
    StoreUnavailable(String),
    #[error(transparent)]
    Server(#[from] TransportError),
    /// No sync server is configured for this installation.
    #[error("no sync server is configured (LASTMILE_SERVER_URL)")]
    NoServer,
    /// The device is new and nobody gave an enrolment code.
    #[error("this device is not enrolled yet and no enrolment code was given")]
    EnrolmentCodeMissing,
    /// The action needs a signed-in driver.
    #[error("nobody is signed in on this device")]
    NotSignedIn,
    /// Input the screen should have checked (bad card number, unknown event id, ...).
    #[error("{0}")]
    Input(String),
    /// The credentials file in the data folder could not be read or written.
    #[error("cannot keep the sign-in on this device: {0}")]
    Credentials(String),
    /// A picture the driver chose could not be used as a photo.
    #[error("the photo cannot be used: {0}")]
    Photo(String),
    /// A picture the driver chose to scan held no usable barcode.
    #[error(transparent)]
    Scan(#[from] lastmile_scan::ScanError),
    /// A scanned or typed number is not a tracking number.
    #[error(transparent)]
    Tracking(#[from] lastmile_scan::TrackingError),
    /// The system could not open a maps app.
    #[error("no maps app could be opened: {0}")]
    Navigate(String),
    /// The display settings file in the data folder could not be written.
    #[error("cannot keep the display settings on this device: {0}")]
    Settings(String),
    /// The station tablet refused an action (`code` is `station.<what>`); `detail` names
    /// what it is about (a plate, a driver, a tracking id), for the translated message.
    #[error("{detail}")]
    Station { code: &'static str, detail: String },
    /// The evidence bundle could not be made or written (`code` is `evidence.<what>`).
    #[error("{detail}")]
    Evidence { code: &'static str, detail: String },
}

impl From<CardError> for CommandError {
    fn from(e: CardError) -> Self {
        CommandError::Store(StoreError::Rule(RuleViolation::Card(e)))
    }
}

fn rule_code(v: &RuleViolation) -> &'static str {
    match v {
        RuleViolation::WrongStop { .. } => "rule.wrong_stop",
        RuleViolation::UnknownParcel(_) => "rule.unknown_parcel",
        RuleViolation::UnknownStop(_) => "rule.unknown_stop",
        RuleViolation::MethodNotAllowed { .. } => "rule.method_not_allowed",
        RuleViolation::NameMissing => "rule.name_missing",
        RuleViolation::HouseNumberMissing => "rule.house_number_missing",
        RuleViolation::ShopMissing => "rule.shop_missing",
        RuleViolation::LockerMissing => "rule.locker_missing",
        RuleViolation::SignatureRequired => "rule.signature_required",
        RuleViolation::IdCheckRequired => "rule.id_check_required",
        RuleViolation::PhotoRequired => "rule.photo_required",
        RuleViolation::CardRequired(_) => "rule.card_required",
        RuleViolation::CardContradicts(_) => "rule.card_contradicts",
        RuleViolation::IsReturn => "rule.is_return",
        RuleViolation::NotAReturn(_) => "rule.not_a_return",
        RuleViolation::AlreadyDelivered => "rule.already_delivered",
        RuleViolation::AlreadyPickedUp => "rule.already_picked_up",
        RuleViolation::Card(CardError::Malformed(_)) => "card.malformed",
        RuleViolation::Card(CardError::NotIssued(_)) => "card.not_issued",
        RuleViolation::Card(CardError::AlreadyUsed(_)) => "card.already_used",
        RuleViolation::UndoWindowPassed => "rule.undo_window_passed",
        RuleViolation::NotUndoable => "rule.not_undoable",
        RuleViolation::NotCorrectable => "rule.not_correctable",
        RuleViolation::CorrectionReasonMissing => "rule.correction_reason_missing",
    }
}

impl CommandError {
    pub(crate) fn code(&self) -> &'static str {
        match self {
            CommandError::Store(StoreError::Rule(v)) => rule_code(v),
            CommandError::Store(StoreError::NoTour) => "tour.none",
            CommandError::Store(StoreError::InvalidTour(_)) => "tour.invalid",
            CommandError::Store(StoreError::NewerServer { .. }) => "app.update_needed",
            CommandError::Store(StoreError::StorageFull) => "store.full",
            CommandError::Store(StoreError::SchemaTooNew { .. }) => "store.schema_too_new",
            CommandError::Store(StoreError::Corrupt { .. }) => "store.corrupt",
            CommandError::Store(StoreError::RideRefused { code, .. }) => code,
            CommandError::Store(StoreError::NotYours(_)) => "evidence.not_yours",
            CommandError::Store(StoreError::Service(refusal)) => refusal.code(),
            CommandError::Store(_) => "store.failed",
            CommandError::StoreUnavailable(_) => "store.unavailable",
            // TLS: the server's certificate is not signed by a CA this device trusts (or is
            // for another name, or expired).
            CommandError::Server(TransportError::Unreachable(detail))
                if detail.contains("invalid peer certificate") =>
            {
                "server.untrusted"
            }
            CommandError::Server(TransportError::Unreachable(_)) => "server.unreachable",
            CommandError::Server(TransportError::Status { code, .. }) => match code.as_str() {
                "bad_credentials" => "auth.bad_credentials",
                "bad_enrolment_code" => "auth.bad_enrolment_code",
                "no_tour" => "tour.not_found",
                "tour_held" => "station.tour_held",
                "no_tour_today" => "station.no_tour_today",
                "wrong_station" => "station.wrong_station",
                "pin_locked" => "station.pin_locked",
                "token_expired" | "invalid_token" => "auth.expired",
                _ => "server.error",
            },
            CommandError::Server(_) => "server.error",
            CommandError::NoServer => "server.not_configured",
            CommandError::EnrolmentCodeMissing => "auth.enrolment_code_missing",
            CommandError::NotSignedIn => "auth.not_signed_in",
            CommandError::Input(_) => "input.invalid",
            CommandError::Credentials(_) => "store.failed",
            CommandError::Photo(_) => "photo.unusable",
            CommandError::Scan(lastmile_scan::ScanError::NothingFound) => "scan.nothing_found",
            CommandError::Scan(_) => "scan.unreadable",
            CommandError::Tracking(lastmile_scan::TrackingError::Empty) => "tracking.empty",
            CommandError::Tracking(lastmile_scan::TrackingError::CheckDigitMismatch { .. }) => {
                "tracking.check_digit"
            }
            CommandError::Tracking(lastmile_scan::TrackingError::UnknownFormat) => {
                "tracking.unknown_format"
            }
            CommandError::Navigate(_) => "navigate.failed",
            CommandError::Settings(_) => "store.failed",
            CommandError::Station { code, .. } => code,
            CommandError::Evidence { code, .. } => code,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_certificate_no_trusted_ca_signed_is_its_own_error() {
        let tls = CommandError::Server(TransportError::Unreachable(
            "error sending request: client error (Connect): invalid peer certificate: UnknownIssuer"
                .into(),
        ));
        assert_eq!(tls.code(), "server.untrusted");
        let refused = CommandError::Server(TransportError::Unreachable(
            "error sending request: connection refused".into(),
        ));
        assert_eq!(refused.code(), "server.unreachable");
    }
}
