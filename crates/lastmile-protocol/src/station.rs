//! The station tablet: check-in, vehicles and their inspection, holds, card stacks, load-out
//! and return-to-station scans, discrepancies and the co-signed close-out.
//!
//! The tablet records what happens as events of the day's tour of the driver it is about
//! (`EventEnvelope::tour_id` is that tour; the body names the driver), recorded by the
//! station lead signed in on the tablet. They travel in the same outbox and are applied
//! exactly once like a driver's outcomes ([`crate::events::EventBody`], the station kinds
//! at the end). The reads below are views the server computes from them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::events::BlobRefDto;

/// `GET ?date=` — every driver of the day at the caller's station ([`Board`]).
pub const BOARD: &str = "/v1/station/board";
/// `GET ?date=` — one driver's day ([`DriverDay`]): lead of the station, the driver, or a
/// supervisor who rides with them.
pub const DAY: &str = "/v1/station/days/{driver_id}";
/// The signed-in driver's check-in pass for today's tour (driver and flex roles).
pub const CHECK_IN_PASS: &str = "/v1/station/check-in-pass";
/// `GET` — the station's current inspection template ([`InspectionTemplate`]).
pub const TEMPLATE: &str = "/v1/station/inspection-template";
/// `GET` — the station's vehicles ([`Vehicle`]s).
pub const FLEET: &str = "/v1/station/fleet";
/// `GET` — open defects of one vehicle ([`DefectView`]s), shown at its next inspection.
pub const VEHICLE_DEFECTS: &str = "/v1/station/vehicles/{plate}/defects";
/// `GET ?date=` — the signed close-outs of a driver's day, oldest first ([`CloseOutView`]s;
/// a later one corrects an earlier one).
pub const CLOSE_OUTS: &str = "/v1/station/days/{driver_id}/close-outs";
/// `GET` — the signed-in driver's days with their signed close-outs ([`CloseOutView`]s,
/// newest first).
pub const MY_DAYS: &str = "/v1/station/my-days";
/// `GET` — whose parcel is this (a tour of the lead's station today): [`ParcelOwner`].
pub const PARCEL_OWNER: &str = "/v1/station/parcels/{tracking_id}";
/// `POST` [`CheckInRequest`] — the tablet checks a driver's id and PIN (the same PIN
/// lockout as sign-in) before it records the check-in; no session is made for the driver.
pub const VERIFY_DRIVER: &str = "/v1/station/verify-driver";

/// A signature drawn on the pad: the strokes file (and optionally the picture) by hash, and
/// how many points it has (a blank pad has none and is refused: `blank_signature`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignatureDto {
    pub strokes: BlobRefDto,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<BlobRefDto>,
    pub points: u32,
}

/// Fewer points than this are a blank (or accidental) signature.
pub const MIN_SIGNATURE_POINTS: u32 = 5;

/// Pre-trip at check-in, post-trip at check-out; the same template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InspectionPhase {
    PreTrip,
    PostTrip,
}

/// One checked item of an inspection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectionItemResult {
    pub item_id: String,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<BlobRefDto>,
}

/// How the lead cleared a hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum HoldResolution {
    /// The defect was repaired (its open defects are marked repaired with it).
    Repaired,
    /// The driver was given another vehicle (which needs its own inspection).
    OtherVehicle { plate: String },
}

/// Why a parcel stays at the station.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotLoadedReason {
    MissingAtStation,
    Damaged,
}

/// A range of pre-printed card numbers, `first..=last`: the same letters, then a number of
/// the same width (`K000120` .. `K000139`); a single card is `first == last`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardRange {
    pub first: String,
    pub last: String,
}

/// At most this many cards in one stack.
pub const MAX_STACK: u64 = 500;

/// A card range split into its letters and numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedRange<'a> {
    pub prefix: &'a str,
    pub first: u64,
    pub last: u64,
    pub width: usize,
}

impl CardRange {
    /// Parses the range, or says why it is not one.
    pub fn parse(&self) -> Result<ParsedRange<'_>, String> {
        let split = |s: &str| -> Option<(usize, u64)> {
            let digits = s.bytes().rev().take_while(u8::is_ascii_digit).count();
            if digits == 0 || digits > 12 || !s.is_ascii() {
                return None;
            }
            let at = s.len() - digits;
            if !s[..at].bytes().all(|b| b.is_ascii_alphanumeric()) {
                return None;
            }
            s[at..].parse().ok().map(|n| (at, n))
        };
        let (Some((fa, first)), Some((la, last))) = (split(&self.first), split(&self.last)) else {
            return Err(format!(
                "{}..{} is not a card range: card numbers are letters then digits",
                self.first, self.last
            ));
        };
        if self.first[..fa] != self.last[..la] || self.first.len() != self.last.len() {
            return Err(format!(
                "{} and {} are not of one stack (other letters or another length)",
                self.first, self.last
            ));
        }
        if last < first {
            return Err(format!("{} comes after {}", self.first, self.last));
        }
        if last - first + 1 > MAX_STACK {
            return Err(format!("a stack has at most {MAX_STACK} cards"));
        }
        Ok(ParsedRange {
            prefix: &self.first[..fa],
            first,
            last,
            width: self.first.len() - fa,
        })
    }

    /// Every card number of the range, in order (the range must parse).
    pub fn numbers(&self) -> Vec<String> {
        match self.parse() {
            Ok(r) => (r.first..=r.last)
                .map(|n| format!("{}{n:0w$}", r.prefix, w = r.width))
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    pub fn count(&self) -> u64 {
        self.parse().map_or(0, |r| r.last - r.first + 1)
    }

    pub fn contains(&self, card: &str) -> bool {
        let single = CardRange {
            first: card.to_owned(),
            last: card.to_owned(),
        };
        match (self.parse(), single.parse()) {
            (Ok(r), Ok(c)) => {
                r.prefix == c.prefix
                    && r.width == c.width
                    && r.first <= c.first
                    && c.first <= r.last
            }
            _ => false,
        }
    }
}

/// A vehicle of a station's fleet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Vehicle {
    pub plate: String,
    #[serde(default)]
    pub label: String,
}

/// One item of the checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateItem {
    pub item_id: String,
    /// English label; the app shows its own translation of `station-item-<item_id>` when it
    /// has one.
    pub label: String,
    /// A defect here means the van must not leave: it holds the tour.
    #[serde(default)]
    pub safety: bool,
    /// A photo of this item is asked for (against pencil-whipping).
    #[serde(default)]
    pub photo: bool,
}

/// A station's inspection checklist, versioned: a result names the version it followed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectionTemplate {
    pub template_id: String,
    pub version: u32,
    pub items: Vec<TemplateItem>,
}

impl InspectionTemplate {
    /// The checklist every station starts with.
    pub fn default_template() -> Self {
        let item = |id: &str, label: &str, safety: bool| TemplateItem {
            item_id: id.into(),
            label: label.into(),
            safety,
            photo: false,
        };
        InspectionTemplate {
            template_id: "default".into(),
            version: 1,
            items: vec![
                item("tyres", "Tyres: tread, pressure, damage", true),
                item("lights", "Lights: head, brake, indicators, hazard", true),
                item("brakes", "Brakes", true),
                item("mirrors", "Mirrors", false),
                item("horn", "Horn", false),
                item("wipers", "Windscreen and wipers", false),
                item("leaks", "Fluid leaks", true),
                TemplateItem {
                    photo: true,
                    ..item("body_damage", "Body damage", false)
                },
                item("load_securing", "Load securing", true),
                item("first_aid", "First-aid kit, warning triangle", false),
            ],
        }
    }
}

/// A defect of a vehicle not yet marked repaired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DefectView {
    pub plate: String,
    pub item_id: String,
    pub safety: bool,
    #[serde(default)]
    pub note: Option<String>,
    /// The inspection that found it.
    pub event_id: uuid::Uuid,
    pub found_by: String,
    pub found_at: DateTime<Utc>,
}

/// A tour the server will not release: why and what to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoldView {
    pub hold_id: uuid::Uuid,
    pub tour_id: String,
    pub driver_id: String,
    pub plate: String,
    /// The safety items found defective, with their notes.
    pub defects: Vec<DefectView>,
    pub placed_at: DateTime<Utc>,
}

/// Where a driver is in their day, as the board shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DayState {
    Expected,
    CheckedIn,
    Inspecting,
    Held,
    Loading,
    OnRoad,
    Back,
    Closed,
}

/// One row of the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardRow {
    pub driver_id: String,
    #[serde(default)]
    pub name: Option<String>,
    pub tour_id: String,
    pub state: DayState,
    #[serde(default)]
    pub plate: Option<String>,
    pub parcels_expected: u32,
    pub parcels_loaded: u32,
    pub parcels_not_loaded: u32,
    /// The card stacks issued to the driver (the tablet checks a new stack against them).
    #[serde(default)]
    pub card_stacks: Vec<CardRange>,
    /// SHA-256 (hex) of the driver's check-in pass for this tour, on the board only: the
    /// tablet checks a pass against it while the Wi-Fi is down, and never holds the pass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_in_pass_sha256: Option<String>,
}

/// What a check-in pass starts with (the rest: 32 hex digits only the server can compute).
pub const CHECK_IN_PASS_PREFIX: &str = "LMCI1-";

/// Answer of [`CHECK_IN_PASS`]: the pass the driver's phone shows as a QR code, so the
/// station tablet checks them in by scanning it — also while the station Wi-Fi is down.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckInPass {
    pub tour_id: String,
    pub driver_id: String,
    pub date: NaiveDate,
    pub code: String,
}

/// The driver's check-in code on the phone: the pass and its QR code as a PNG data URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckInCodeUi {
    pub pass: CheckInPass,
    pub qr_png_data_url: String,
}

/// `station_check_in_pass`: a pass typed by a hardware scanner, or a picture of the QR code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum PassInput {
    Typed { code: String },
    Picture { image_b64: String },
}

/// Answer of [`PARCEL_OWNER`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParcelOwner {
    pub tracking_id: String,
    pub tour_id: String,
    pub driver_id: String,
    pub stop_id: String,
}

/// The board of a station's day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Board {
    pub station_id: String,
    pub date: NaiveDate,
    pub rows: Vec<BoardRow>,
    /// The station's fleet and template, so a tablet keeps a copy for when the Wi-Fi drops.
    pub fleet: Vec<Vehicle>,
    pub template: InspectionTemplate,
}

/// A parcel of the tour and where it is in the station's eyes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayParcel {
    pub tracking_id: String,
    pub stop_id: String,
    /// 1-based position of its stop.
    pub stop_sequence: u32,
    pub is_return: bool,
    pub loaded: bool,
    #[serde(default)]
    pub not_loaded: Option<NotLoadedReason>,
    /// The standing outcome on the tour: `delivered`, `failed`, or none.
    #[serde(default)]
    pub outcome: Option<String>,
    pub returned: bool,
}

/// Something that does not add up in the evening and needs an explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Discrepancy {
    /// A tracking id, a return label or a card number.
    pub subject: String,
    /// `parcel_not_back` (neither delivered nor scanned back), `return_not_handed_in`,
    /// `card_missing` (neither used nor returned).
    pub kind: String,
    #[serde(default)]
    pub explanation: Option<String>,
}

/// The day's figures as the close-out shows and signs them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloseOutSummary {
    pub parcels_planned: u32,
    pub parcels_loaded: u32,
    pub parcels_not_loaded: u32,
    pub delivered: u32,
    pub failed: u32,
    pub returns_picked_up: u32,
    pub parcels_back: u32,
    pub cards_issued: u32,
    pub cards_used: u32,
    pub cards_returned: u32,
    pub cards_missing: u32,
    pub discrepancies: u32,
    pub discrepancies_explained: u32,
    pub inspections: u32,
    pub defects_found: u32,
}

/// A signed close-out: immutable; a correction is a later one (`version` + 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloseOutView {
    pub close_out_id: uuid::Uuid,
    pub tour_id: String,
    pub driver_id: String,
    pub station_id: String,
    pub date: NaiveDate,
    pub version: u32,
    /// As the server computed it when the close-out arrived.
    pub summary: CloseOutSummary,
    /// Failed attempts with their card numbers.
    pub failed_cards: Vec<String>,
    pub discrepancies: Vec<Discrepancy>,
    pub driver_signature: SignatureDto,
    pub lead_signature: SignatureDto,
    pub signed_by_lead: String,
    pub signed_at: DateTime<Utc>,
}

/// One driver's day at the station.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DriverDay {
    pub row: BoardRow,
    pub date: NaiveDate,
    #[serde(default)]
    pub checked_in_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub hold: Option<HoldView>,
    /// Pre- and post-trip inspections, oldest first, with their items.
    pub inspections: Vec<InspectionView>,
    pub card_stacks: Vec<CardRange>,
    pub cards_used: Vec<String>,
    pub cards_returned: Vec<String>,
    pub parcels: Vec<DayParcel>,
    /// Return labels picked up on the tour.
    pub returns_picked_up: Vec<String>,
    pub returns_handed_in: Vec<String>,
    pub discrepancies: Vec<Discrepancy>,
    /// The current (latest) close-out, once signed.
    #[serde(default)]
    pub close_out: Option<CloseOutView>,
    pub summary: CloseOutSummary,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectionView {
    pub event_id: uuid::Uuid,
    pub plate: String,
    pub phase: InspectionPhase,
    pub template_id: String,
    pub template_version: u32,
    pub passed: bool,
    pub items: Vec<InspectionItemResult>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// Body of [`VERIFY_DRIVER`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckInRequest {
    pub driver_id: String,
    pub pin: String,
    #[serde(default)]
    pub date: Option<NaiveDate>,
}

// --- UI <-> shell (the tablet's screens and the driver's phone).

/// The board as the tablet shows it: the server's answer, or the last one kept when the
/// Wi-Fi is down, with the tablet's own actions still waiting to be sent counted in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationBoardUi {
    pub board: Board,
    /// The server did not answer: this is the copy kept at `fetched_at`.
    pub offline: bool,
    pub fetched_at: DateTime<Utc>,
    /// The tablet's station events not yet acknowledged by the server.
    pub pending: u32,
}

/// A driver's day as the tablet shows it (see [`StationBoardUi`] for `offline`, `pending`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationDayUi {
    pub day: DriverDay,
    pub offline: bool,
    pub fetched_at: DateTime<Utc>,
    pub pending: u32,
    /// A close-out signed on this tablet that the server has not acknowledged yet.
    pub close_out_pending: bool,
    pub fleet: Vec<Vehicle>,
    pub template: InspectionTemplate,
    /// Open defects of the driver's vehicle (carried over from earlier inspections).
    pub open_defects: Vec<DefectView>,
}

/// `station_check_in`: the driver's id and PIN, checked with the server (no session is kept).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckInArgs {
    pub driver_id: String,
    pub pin: String,
}

/// `station_act`: one action of the tablet on a driver's day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationActArgs {
    pub tour_id: String,
    pub body: crate::events::EventBody,
    /// Photos of inspection items (only with an `InspectionRecorded` body): the shell
    /// stores each as the item's photo file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<ItemPhotoArg>,
}

/// A photo taken of one inspection item, as the screen's base64.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemPhotoArg {
    pub item_id: String,
    pub photo_b64: String,
}

/// `station_close_out`: both signatures from the pad.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloseOutArgs {
    pub tour_id: String,
    pub driver_id: String,
    pub driver_signature: crate::ui::SignatureUi,
    pub lead_signature: crate::ui::SignatureUi,
}

/// What the driver's phone shows of the station: a hold instead of the first stop, and the
/// signed close-outs of their days.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PhoneStationUi {
    #[serde(default)]
    pub hold: Option<HoldView>,
    /// The server refused the tour (`tour_held`): its words, when no hold detail is known.
    #[serde(default)]
    pub held_message: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(a: &str, b: &str) -> CardRange {
        CardRange {
            first: a.into(),
            last: b.into(),
        }
    }

    #[test]
    fn a_card_range_parses_counts_and_contains() {
        let r = range("K000120", "K000139");
        assert_eq!(r.count(), 20);
        assert!(r.contains("K000125"));
        assert!(!r.contains("K000140"));
        assert!(!r.contains("X000125"));
        assert_eq!(r.numbers().first().map(String::as_str), Some("K000120"));
        assert_eq!(r.numbers().last().map(String::as_str), Some("K000139"));
        assert!(range("K1", "K1").parse().is_ok());
        assert!(range("K0009", "K010").parse().is_err(), "other length");
        assert!(range("K20", "K10").parse().is_err(), "backwards");
        assert!(range("A-1", "A-9").parse().is_err(), "not letters");
        assert!(range("K0000", "K9999").parse().is_err(), "too many");
    }

    #[test]
    fn the_default_template_has_safety_items() {
        let t = InspectionTemplate::default_template();
        assert!(t.items.iter().any(|i| i.item_id == "brakes" && i.safety));
        assert!(t.items.iter().any(|i| !i.safety));
        assert_eq!(t.items.len(), 10);
    }
}
