//! Service visits (issue 14): a scheduled job at a customer's home (an installation, a
//! cleaning visit, a repair). The plan carries the visit's checklist on its stop
//! ([`crate::tour::StopDto::checklist`], the planned duration in `service_seconds`); the
//! driver records the start and the finish ([`crate::events::EventBody::ServiceStarted`],
//! [`crate::events::EventBody::ServiceFinished`]); dispatch reads the visits of a tour
//! ([`TOUR_SERVICE_VISITS`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::events::BlobRefDto;

/// `GET` — the service visits of a tour ([`ServiceVisitView`]s, one per service stop).
pub const TOUR_SERVICE_VISITS: &str = "/v1/dispatch/tours/{tour_id}/service-visits";

/// One item of a service stop's checklist, as planned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceItemDto {
    pub item_id: String,
    pub label: String,
}

/// One checklist item as the driver answered it at the finish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceItemResultDto {
    pub item_id: String,
    pub done: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A service visit as dispatch sees it (folded from the tour's applied events).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceVisitView {
    pub stop_id: String,
    pub sequence: u32,
    /// The planned duration in seconds.
    pub planned_seconds: u32,
    /// `planned`, `started` or `finished`.
    pub status: String,
    /// Device time of the start and the finish.
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub customer_name: Option<String>,
    /// The checklist with the answers (items the plan has; unanswered while not finished).
    pub items: Vec<ServiceItemView>,
    /// The finish's photo and signature files.
    pub proof: Vec<BlobRefDto>,
    /// Every proof file has arrived on the server.
    pub proof_received: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceItemView {
    pub item_id: String,
    pub label: String,
    /// `None` until the visit is finished.
    pub done: Option<bool>,
    pub note: Option<String>,
}

/// Types between the service panel and the shell.
pub mod ui {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Serialize};

    use crate::ui::{PhotoB64, SignatureUi};

    /// Answer of `service_visit`: the stop's checklist and what is recorded of the visit.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ServiceVisitUi {
        pub stop_id: String,
        pub planned_seconds: u32,
        pub started_at: Option<DateTime<Utc>>,
        pub finished_at: Option<DateTime<Utc>>,
        pub customer_name: Option<String>,
        pub items: Vec<ServiceItemUi>,
        /// The event of the finish (what undo names), while the visit is finished.
        pub finished_event_id: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct ServiceItemUi {
        pub item_id: String,
        pub label: String,
        /// As recorded at the finish.
        pub done: Option<bool>,
        pub note: Option<String>,
    }

    /// One item as the driver answered it on the panel (`done: None` = not answered yet).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct ServiceAnswerUi {
        pub item_id: String,
        pub done: Option<bool>,
        #[serde(default)]
        pub note: Option<String>,
    }

    /// Arguments of `service_finish`.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ServiceFinishArgs {
        pub stop_id: String,
        pub items: Vec<ServiceAnswerUi>,
        pub customer_name: String,
        #[serde(default)]
        pub signature: Option<SignatureUi>,
        #[serde(default)]
        pub photo: Option<PhotoB64>,
    }
}
