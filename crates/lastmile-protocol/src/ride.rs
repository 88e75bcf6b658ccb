//! The supervisor ride-along: checklist templates, ride-along records and their pace view.
//!
//! A supervisor (or trainer) rides with a driver for a day on their own phone. What they
//! record travels as [`EventBody`](crate::events::EventBody) ride-along events in the same
//! outbox and exactly-once pipeline as the driver's (`POST /v1/events`, `tour_id` = the
//! driver's tour). The server folds them into a [`RideAlongRecord`]; the driver reads it on
//! their own phone ([`MINE`]), comments and signs (or declines), and keeps a copy.
//!
//! The checklist is data: a versioned [`ChecklistTemplate`] per station (a default one for
//! every station), in sections ("before departure", "on the road", "at the door"). A grade
//! names the template id and version it was given under; the server refuses an item or a
//! grade that template version does not have.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::events::BlobRefDto;

/// `GET` — the checklist template the signed-in person's station uses now.
pub const TEMPLATE: &str = "/v1/ride-alongs/template";
/// `GET` — the signed-in person's ride-along records, newest first: a driver's records
/// about them, a supervisor's records they wrote ([`RideAlongRecord`]s).
pub const MINE: &str = "/v1/ride-alongs/mine";
/// `GET` — one ride-along record ([`RideAlongRecord`]).
pub const RECORD: &str = "/v1/ride-alongs/{ride_along_id}";
/// `GET ?date=YYYY-MM-DD` — a station lead's view of the station's ride-alongs of a day
/// ([`RideAlongSummary`]s; default: today).
pub const STATION_DAY: &str = "/v1/dispatch/ride-alongs";
/// `POST` a [`ChecklistTemplate`] — a station lead stores a new template (version) for
/// their station; from then on it is the station's current one.
pub const STATION_TEMPLATES: &str = "/v1/dispatch/checklist-templates";
/// `GET` — the pace of a tour's day, with and without the stops a supervisor assisted at
/// ([`PaceView`]).
pub const TOUR_PACE: &str = "/v1/dispatch/tours/{tour_id}/pace";

/// Longest free text of an observation, note, coaching notes or comment (characters).
pub const MAX_TEXT_CHARS: usize = 4000;

/// What an observation is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ObservationCategoryDto {
    Safety,
    CustomerContact,
    ProofQuality,
    Driving,
    Handling,
    Other,
}

impl ObservationCategoryDto {
    pub const ALL: [Self; 6] = [
        Self::Safety,
        Self::CustomerContact,
        Self::ProofQuality,
        Self::Driving,
        Self::Handling,
        Self::Other,
    ];

    /// The wire name (`customer_contact`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Safety => "safety",
            Self::CustomerContact => "customer_contact",
            Self::ProofQuality => "proof_quality",
            Self::Driving => "driving",
            Self::Handling => "handling",
            Self::Other => "other",
        }
    }
}

/// A checklist item's grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GradeDto {
    Trained,
    Proficient,
    NeedsPractice,
    NotObserved,
}

impl GradeDto {
    pub const ALL: [Self; 4] = [
        Self::Trained,
        Self::Proficient,
        Self::NeedsPractice,
        Self::NotObserved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Trained => "trained",
            Self::Proficient => "proficient",
            Self::NeedsPractice => "needs_practice",
            Self::NotObserved => "not_observed",
        }
    }
}

/// How the supervisor helped at a stop (such a stop is kept out of the driver's pace).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AssistDto {
    CarriedParcels,
    TalkedToCustomer,
    Other,
}

impl AssistDto {
    pub const ALL: [Self; 3] = [Self::CarriedParcels, Self::TalkedToCustomer, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CarriedParcels => "carried_parcels",
            Self::TalkedToCustomer => "talked_to_customer",
            Self::Other => "other",
        }
    }
}

/// A graded checklist: data, versioned, per station.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistTemplate {
    pub template_id: String,
    /// 1, 2, ... A stored (id, version) never changes; a change is a new version.
    pub version: u32,
    /// The station it is for; `None` for the default every station falls back to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station_id: Option<String>,
    pub title: String,
    /// The title in other languages, by language code (`de`, `en`, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub titles: BTreeMap<String, String>,
    /// The grades an item may get under this template, in the order a form shows them.
    pub grades: Vec<GradeDto>,
    pub sections: Vec<ChecklistSection>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistSection {
    pub section_id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub titles: BTreeMap<String, String>,
    pub items: Vec<ChecklistItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistItem {
    /// Unique within the template.
    pub item_id: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub texts: BTreeMap<String, String>,
}

/// `text` in language `lang` if the template has it, else the template's own text.
pub fn localized<'a>(text: &'a str, texts: &'a BTreeMap<String, String>, lang: &str) -> &'a str {
    texts.get(lang).map_or(text, String::as_str)
}

impl ChecklistTemplate {
    /// The item with this id, and the section it is in.
    pub fn item(&self, item_id: &str) -> Option<(&ChecklistSection, &ChecklistItem)> {
        self.sections.iter().find_map(|s| {
            s.items
                .iter()
                .find(|i| i.item_id == item_id)
                .map(|i| (s, i))
        })
    }

    /// Every item, in form order.
    pub fn items(&self) -> impl Iterator<Item = &ChecklistItem> {
        self.sections.iter().flat_map(|s| s.items.iter())
    }

    /// What makes a template unusable: no id, version 0, no grades, no items, an item id twice.
    pub fn problem(&self) -> Option<String> {
        if self.template_id.trim().is_empty() || self.template_id.len() > 100 {
            return Some("template_id must be 1..100 characters".into());
        }
        if self.version == 0 {
            return Some("versions start at 1".into());
        }
        if self.grades.is_empty() {
            return Some("a template needs at least one grade".into());
        }
        let mut seen = std::collections::HashSet::new();
        for item in self.items() {
            if item.item_id.trim().is_empty() || item.text.trim().is_empty() {
                return Some("every item needs an id and a text".into());
            }
            if !seen.insert(item.item_id.as_str()) {
                return Some(format!("item {} appears twice", item.item_id));
            }
        }
        if seen.is_empty() {
            return Some("a template needs at least one item".into());
        }
        None
    }
}

/// Where a ride-along record stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RideStatusDto {
    /// Started; the supervisor records.
    Running,
    /// The supervisor signed; the driver has not answered yet.
    AwaitingDriver,
    /// Both signed: final.
    Signed,
    /// The driver declined to sign (with their comment): final.
    Declined,
}

impl RideStatusDto {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::AwaitingDriver => "awaiting_driver",
            Self::Signed => "signed",
            Self::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Running,
            Self::AwaitingDriver,
            Self::Signed,
            Self::Declined,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }

    /// Both answered: the record takes no more changes.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Signed | Self::Declined)
    }
}

/// One line of the station's day view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RideAlongSummary {
    pub ride_along_id: Uuid,
    pub tour_id: String,
    pub tour_date: NaiveDate,
    pub driver_id: String,
    pub supervisor_id: String,
    pub status: RideStatusDto,
    /// The supervisor's device clock when the ride-along started.
    pub started_at: DateTime<Utc>,
    /// The signed record this one amends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amends: Option<Uuid>,
    pub observations: u32,
    pub grades: u32,
    pub assisted_stops: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObservationView {
    pub event_id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_id: Option<String>,
    pub category: ObservationCategoryDto,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<BlobRefDto>,
    pub recorded_at: DateTime<Utc>,
}

/// The standing grade of an item (a later grade of the same item replaces an earlier one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradeView {
    pub item_id: String,
    pub grade: GradeDto,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssistView {
    pub stop_id: String,
    pub what: AssistDto,
    pub recorded_at: DateTime<Utc>,
}

/// A signature on the record: when, and the pad's image and strokes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignatureView {
    pub signed_at: DateTime<Utc>,
    pub blobs: Vec<BlobRefDto>,
}

/// The driver's answer to the supervisor's signed record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DriverAnswerView {
    /// Signed (true) or declined to sign (false).
    pub signed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Present when signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureView>,
    pub answered_at: DateTime<Utc>,
}

/// Stops and parcels per on-road hour.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaceFigures {
    /// Stops where every parcel has an outcome.
    pub stops: u32,
    /// Parcels delivered or attempted.
    pub parcels: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stops_per_hour: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parcels_per_hour: Option<f64>,
}

/// The pace of a tour's day. `driver` is the driver's own pace: the stops a supervisor
/// assisted at (and their parcels) are left out; `with_assisted` counts them, and says so.
/// Both divide by the same on-road hours (first to last outcome the driver recorded).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaceView {
    pub tour_id: String,
    pub on_road_hours: f64,
    pub driver: PaceFigures,
    pub with_assisted: PaceFigures,
    /// Stops where a supervisor assisted (any ride-along of this tour).
    pub assisted_stops: Vec<String>,
}

/// The whole record, as the supervisor, the driver and the station lead read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RideAlongRecord {
    pub summary: RideAlongSummary,
    pub station_id: String,
    pub observations: Vec<ObservationView>,
    pub grades: Vec<GradeView>,
    /// The template version the grades were given under (the station's current one while
    /// nothing is graded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<ChecklistTemplate>,
    pub assisted: Vec<AssistView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coaching_notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervisor_signature: Option<SignatureView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver_answer: Option<DriverAnswerView>,
    /// Later records that amend this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amended_by: Vec<Uuid>,
    pub pace: PaceView,
}

/// What the UI and the shell exchange for the ride-along screens (the `ride_*` commands).
pub mod ui {
    use chrono::{DateTime, NaiveDate, Utc};
    use serde::{Deserialize, Serialize};
    use uuid::Uuid;

    use super::{
        AssistDto, AssistView, ChecklistTemplate, GradeDto, GradeView, ObservationCategoryDto,
        ObservationView, RideAlongRecord, RideStatusDto,
    };
    use crate::ui::SignatureUi;

    /// A driver the supervisor rides with, and their tour of today.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct RideDriverUi {
        pub driver_id: String,
        pub tour_id: String,
        pub date: NaiveDate,
        pub stops_total: u32,
        pub stops_done: u32,
    }

    /// One stop of the followed tour, with the driver's progress as last seen.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct RideStopUi {
        pub stop_id: String,
        pub sequence: u32,
        pub address: String,
        pub parcels: u32,
        pub parcels_done: u32,
        pub finished: bool,
        pub current: bool,
        pub assisted: Option<AssistDto>,
        pub observations: u32,
    }

    /// The supervisor's ride-along as their phone holds it.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct RideUi {
        pub ride_along_id: Uuid,
        pub driver_id: String,
        pub tour_id: String,
        pub status: RideStatusDto,
        pub started_at: DateTime<Utc>,
        pub stops: Vec<RideStopUi>,
        pub stops_done: u32,
        /// When the driver's progress was last fetched (None: not yet).
        pub progress_at: Option<DateTime<Utc>>,
        pub observations: Vec<ObservationView>,
        pub grades: Vec<GradeView>,
        pub assisted: Vec<AssistView>,
        pub template: Option<ChecklistTemplate>,
        pub coaching_notes: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct RideStartArgs {
        pub driver_id: String,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct RideObserveArgs {
        pub stop_id: Option<String>,
        pub category: ObservationCategoryDto,
        pub text: String,
        /// A photo as the camera component gives it (base64 or a data URL).
        pub photo_b64: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct RideGradeArgs {
        pub item_id: String,
        pub grade: GradeDto,
        pub note: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct RideAssistArgs {
        pub stop_id: String,
        pub what: AssistDto,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct RideSignArgs {
        pub coaching_notes: String,
        pub signature: SignatureUi,
    }

    /// A record about the signed-in driver, with the answer this phone recorded (if any).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct MyRecordUi {
        pub record: RideAlongRecord,
        /// Answered on this phone and not yet in the server's record.
        pub my_answer: Option<MyAnswerUi>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct MyAnswerUi {
        pub signed: bool,
        pub comment: Option<String>,
        pub answered_at: DateTime<Utc>,
    }

    /// The driver's records, newest first, and whether a ride-along is running (who rides along).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct MyRecordsUi {
        pub records: Vec<MyRecordUi>,
        pub riding_along: Option<String>,
        /// False when the list is what the phone kept (the server was not reached).
        pub fresh: bool,
    }

    /// The driver answers: `signature` present signs (comment optional), absent declines
    /// (comment required).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct RideAnswerArgs {
        pub ride_along_id: Uuid,
        pub comment: String,
        pub signature: Option<SignatureUi>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct RideExportUi {
        /// The HTML file the shell wrote.
        pub path: String,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_snake_case_and_as_str_agrees() {
        for c in ObservationCategoryDto::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
        for g in GradeDto::ALL {
            assert_eq!(serde_json::to_value(g).unwrap(), g.as_str());
        }
        for a in AssistDto::ALL {
            assert_eq!(serde_json::to_value(a).unwrap(), a.as_str());
        }
        for s in [
            RideStatusDto::Running,
            RideStatusDto::AwaitingDriver,
            RideStatusDto::Signed,
            RideStatusDto::Declined,
        ] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
            assert_eq!(RideStatusDto::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn a_template_finds_its_items_and_names_its_problems() {
        let t: ChecklistTemplate = serde_json::from_value(serde_json::json!({
            "template_id": "t", "version": 1, "title": "T", "grades": ["trained", "not_observed"],
            "sections": [{"section_id": "s", "title": "S",
                "items": [{"item_id": "a", "text": "A", "texts": {"de": "Ä"}}]}]
        }))
        .unwrap();
        assert_eq!(t.problem(), None);
        let (section, item) = t.item("a").unwrap();
        assert_eq!(section.section_id, "s");
        assert_eq!(localized(&item.text, &item.texts, "de"), "Ä");
        assert_eq!(localized(&item.text, &item.texts, "pl"), "A");
        assert!(t.item("b").is_none());
        let mut twice = t.clone();
        let again = twice.sections[0].items[0].clone();
        twice.sections[0].items.push(again);
        assert!(twice.problem().unwrap().contains("twice"));
        let mut v0 = t;
        v0.version = 0;
        assert!(v0.problem().is_some());
    }
}
