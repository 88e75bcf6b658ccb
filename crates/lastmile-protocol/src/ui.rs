//! Types between the Leptos UI and the Tauri shell (the `invoke` boundary).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::auth::Role;

pub use crate::events::{CardMessageDto, FailureReasonDto};
pub use crate::tour::{ManeuverDto, RouteLegDto};

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
    /// Test and demo mode: the store key and the tokens are kept in files
    /// (`LASTMILE_KEY_DIR`), not in the platform keystore; the UI shows a warning.
    #[serde(default)]
    pub keys_in_files: bool,
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

/// Arguments of `sign_in`: who signs in on this device, and so which mode the app runs in
/// (a driver's day, the station tablet or the supervisor's ride-along). The enrolment code is
/// needed only the first time (a new device); the shell falls back to
/// `LASTMILE_ENROLMENT_CODE`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignInArgs {
    #[serde(default = "driver_role")]
    pub role: Role,
    /// Driver id, station lead id or supervisor id.
    #[serde(alias = "driver_id")]
    pub user_id: String,
    pub pin: String,
    pub enrolment_code: Option<String>,
}

fn driver_role() -> Role {
    Role::Driver
}

/// Who is signed in on this device (answer of `sign_in` and `session_state`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionState {
    pub signed_in: bool,
    /// The mode the app runs in; `None` before anyone signed in on this device.
    pub role: Option<Role>,
    /// The person signed in last (kept after a sign-out request so the field is prefilled).
    pub user_id: Option<String>,
    pub device_id: Option<String>,
    /// A tour is stored on the device (the day works offline from here on).
    pub has_tour: bool,
    /// The enrolment code is preset by the installation (the sign-in screen hides the field).
    pub enrolment_preset: bool,
}

/// A stop's state in the driver's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopState {
    Open,
    Arrived,
    Done,
    Failed,
    Skipped,
}

/// One line of the tour overview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopLine {
    pub stop_id: String,
    pub sequence: u32,
    pub address: String,
    pub name: Option<String>,
    pub state: StopState,
    pub parcels: u32,
    pub open_parcels: u32,
    pub time_window: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// Answer of `tour_overview`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TourView {
    pub tour_id: String,
    pub station_name: String,
    pub date: String,
    pub stops: Vec<StopLine>,
    pub stops_total: u32,
    pub stops_done: u32,
    pub parcels_total: u32,
    pub parcels_open: u32,
    pub current_stop_id: Option<String>,
}

/// Where a parcel stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParcelStateUi {
    Pending,
    Delivered,
    Failed,
    PickedUp,
}

/// How a parcel may be handed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MethodUi {
    Recipient,
    Neighbour,
    SafePlace,
    ParcelShop,
    Locker,
}

/// One parcel on the current stop card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParcelLine {
    pub tracking_id: String,
    pub state: ParcelStateUi,
    pub is_return: bool,
    pub signature_required: bool,
    pub id_check: bool,
    pub allowed_methods: Vec<MethodUi>,
    /// What was recorded, in the store's words ("Recipient: Sam").
    pub outcome_summary: Option<String>,
    /// The event of that outcome: what a correction names.
    #[serde(default)]
    pub outcome_event_id: Option<String>,
}

/// Answer of `current_stop` / `stop_detail`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopView {
    pub stop_id: String,
    pub sequence: u32,
    pub address: String,
    pub name: Option<String>,
    pub access_notes: Option<String>,
    pub time_window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    pub lat: f64,
    pub lon: f64,
    pub state: StopState,
    pub parcels: Vec<ParcelLine>,
    /// The route leg to this stop, when the server supplied one.
    pub route: Option<RouteLegDto>,
    /// Stops planned before this one that are still open (the driver is out of order).
    pub open_before: u32,
    /// `delivery`, `pickup`, `parcel_shop`, `service` or `other` (badge on the stop card).
    #[serde(default)]
    pub kind: String,
    /// The planned time at the stop in seconds (a service visit's planned duration).
    #[serde(default)]
    pub service_seconds: u32,
}

/// A photo as the screen picked it: the file's bytes, base64 (the shell downscales it).
pub type PhotoB64 = String;

/// A signature from the pad: the strokes as drawn and the pad's image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignatureUi {
    /// Strokes of points `[x, y, ms since the first point]` in pad pixels.
    pub strokes: Vec<Vec<[f32; 3]>>,
    pub width: u32,
    pub height: u32,
    /// The pad as a PNG, base64.
    pub png_b64: String,
}

/// Arguments of `deliver`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliverArgs {
    pub stop_id: String,
    pub tracking_id: String,
    pub method: MethodUi,
    /// Recipient's or neighbour's name.
    pub name: String,
    /// Neighbour's house number.
    pub house_number: Option<String>,
    /// Where the parcel was left (safe place), the parcel shop's id or the locker's id.
    #[serde(default)]
    pub place: Option<String>,
    /// The parcel shop's name on the street (optional).
    #[serde(default)]
    pub shop_name: Option<String>,
    /// The locker's compartment.
    #[serde(default)]
    pub compartment: Option<String>,
    /// The code the locker showed for the compartment (optional).
    #[serde(default)]
    pub pickup_code: Option<String>,
    #[serde(default)]
    pub photo: Option<PhotoB64>,
    #[serde(default)]
    pub signature: Option<SignatureUi>,
    /// The driver confirmed identity / age.
    #[serde(default)]
    pub id_checked: bool,
    /// The card left for the recipient when a neighbour took the parcel (it says which door).
    #[serde(default)]
    pub card_number: Option<String>,
}

/// Arguments of `pick_up`: a return handed over at a stop (planned, or by its label).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PickupArgs {
    pub stop_id: String,
    pub label: String,
    #[serde(default)]
    pub photo: Option<PhotoB64>,
}

/// What a scanned or typed number means at the stop on screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ScanUi {
    /// A parcel of this stop.
    ThisStop { tracking_id: String },
    /// A parcel of another stop: refused here, naming that stop.
    OtherStop {
        tracking_id: String,
        stop_id: String,
        sequence: u32,
        address: String,
    },
    /// A valid carrier number the tour does not know (e.g. an unplanned return).
    NotOnTour {
        tracking_id: String,
        courier: String,
    },
}

/// Arguments of `scan_image` / `check_entry`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanArgs {
    pub stop_id: String,
    /// `scan_image`: the picture, base64; `check_entry`: the typed text.
    pub input: String,
}

/// Where the device is, from the platform or the simulated provider.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FixUi {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: Option<f64>,
}

/// Distance, direction and ETA from the device's position (answer of `guidance`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuidanceUi {
    pub stop_id: String,
    pub position: FixUi,
    /// `gps` (the platform) or `simulated`.
    pub source: String,
    pub distance_m: f64,
    /// Compass bearing to the stop, degrees from north.
    pub bearing_deg: f64,
    pub inside_geofence: bool,
    pub eta_stop: DateTime<Utc>,
    pub eta_tour_end: DateTime<Utc>,
    /// What `eta_stop` comes from: `road` (the stop's route leg from dispatch: the router's
    /// distances and durations for what is left of it) or `straight` (the straight line at a
    /// fixed speed, for a stop without a leg).
    #[serde(default)]
    pub eta_source: String,
    /// Metres left by road, with `road`.
    #[serde(default)]
    pub road_m: Option<f64>,
    /// The maneuver to do next on the stop's route, when it has one.
    pub next_maneuver: Option<usize>,
}

/// Arguments of `fail`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailArgs {
    pub stop_id: String,
    pub tracking_id: String,
    pub reason: FailureReasonDto,
    pub card_number: Option<String>,
    /// What the card says; the same wire type the event carries.
    pub card_says: Option<CardMessageDto>,
    /// The card in the mailbox.
    #[serde(default)]
    pub card_photo: Option<PhotoB64>,
}

/// Arguments of `correct_outcome`: what the parcel's outcome is instead, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrectArgs {
    /// The outcome corrected (`ParcelLine::outcome_event_id`).
    pub event_id: String,
    pub to: CorrectionUi,
    /// Why: required.
    pub note: String,
}

/// The outcome a correction chooses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum CorrectionUi {
    /// Delivered after all, or by another method than recorded: the same fields as
    /// [`DeliverArgs`] without the proof (it cannot be taken afterwards).
    Delivered {
        method: MethodUi,
        #[serde(default)]
        name: String,
        #[serde(default)]
        house_number: Option<String>,
        #[serde(default)]
        place: Option<String>,
        /// A locker's compartment.
        #[serde(default)]
        compartment: Option<String>,
    },
    /// Not delivered after all, for this reason.
    Failed { reason: FailureReasonDto },
}

/// Answer of an action: what to offer for undo, and warnings to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedUi {
    pub event_id: String,
    pub recorded_at: DateTime<Utc>,
    /// Stable warning codes the UI translates (`far_from_stop`, `out_of_order`, `outside_time_window`).
    pub warnings: Vec<String>,
}

/// Answer of `sync_status`: what the always-visible status bar shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncView {
    /// The sync loop runs (someone signed in on an enrolled device).
    pub running: bool,
    pub pending_events: u64,
    pub pending_blobs: u64,
    pub pending_blob_bytes: u64,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_error: Option<UiError>,
    pub online: bool,
    pub needs_sign_in: bool,
    pub acked_seq: u64,
    /// Moves when dispatch's edits to the tour arrived: the screens reload.
    #[serde(default)]
    pub tour_cursor: Option<u64>,
    /// Work recorded on this device by someone other than the driver signed in, still being
    /// sent (a shared handheld): shown so the next driver knows it is not lost.
    #[serde(default)]
    pub others_pending: Vec<OthersPendingUi>,
    /// Events the server refused (each kept in the outbox; dispatch sees the reason).
    #[serde(default)]
    pub rejected_events: u64,
    /// Age of the oldest thing still waiting to be sent, by the device clock.
    #[serde(default)]
    pub oldest_unsent_age_s: Option<u64>,
}

/// One line of "what is waiting" (answer of `waiting_items`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingItemUi {
    /// The event's kind (`parcel_delivered`, …) or the file's (`photo`, …).
    pub kind: String,
    pub stop_id: Option<String>,
    /// The stop's number in the tour, when the stop is on it.
    pub sequence: Option<u32>,
    pub bytes: u64,
    pub age_s: u64,
}

/// One previous driver's queued events on this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OthersPendingUi {
    pub driver_id: String,
    pub events: u64,
}

/// Answer of `end_of_day`: the end-of-tour summary the driver takes to the station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaySummaryUi {
    pub stops_total: u32,
    pub stops_done: u32,
    pub delivered: u32,
    pub failed: u32,
    /// Not delivered and not attempted: goes back to the station.
    pub not_attempted: u32,
    pub cards_used: u32,
    pub cards_unused: u32,
    pub returns_on_board: u32,
    /// Dispatch changes that clashed with recorded outcomes (to explain at the station).
    pub conflicts: u32,
}

/// A change of dispatch's that clashed with an outcome the driver had recorded (answer of
/// `conflicts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictUi {
    pub id: i64,
    pub stop_id: Option<String>,
    pub tracking_id: Option<String>,
    /// `parcel_dropped`, `parcel_moved`, `stop_removed`, `address_corrected`, `not_loaded`,
    /// or `other` (then `message` says it, in English).
    pub kind: String,
    /// The new stop (`parcel_moved`) or the new address (`address_corrected`).
    pub detail: Option<String>,
    pub message: String,
    pub address: Option<String>,
    /// What the driver recorded there, one line per parcel.
    pub recorded: Vec<String>,
    pub acknowledged: bool,
}

/// The tracking numbers of one stop's parcels (answer of `tour_parcels`, for the search).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StopParcelsUi {
    pub stop_id: String,
    pub tracking_ids: Vec<String>,
}

/// The languages the UI speaks (`UiSettings::lang`), as BCP 47 codes.
pub const UI_LANGS: [&str; 7] = ["de", "en", "pl", "ro", "tr", "uk", "ar"];

/// The driver's display settings, kept on the device across restarts (answer of
/// `ui_settings`, argument of `save_ui_settings`). Missing fields take their defaults, so
/// a settings file from an older app still loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UiSettings {
    /// Language code, one of [`UI_LANGS`].
    pub lang: String,
    /// The high-contrast theme for sunlight.
    pub high_contrast: bool,
    /// Glove mode: every target at least 56x56 CSS px (48 otherwise).
    pub gloves: bool,
}

impl Default for UiSettings {
    fn default() -> Self {
        Self {
            lang: "en".to_owned(),
            high_contrast: false,
            gloves: false,
        }
    }
}

/// Answer of `evidence_days`: the days on this device the signed-in driver can export, the
/// device key's fingerprint (to compare with a bundle's) and the folder offered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceUi {
    pub days: Vec<EvidenceDayUi>,
    pub fingerprint: String,
    pub folder: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceDayUi {
    pub tour_id: String,
    pub date: chrono::NaiveDate,
    pub events: u32,
}

/// Answer of `evidence_export`: where the bundle went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceExportUi {
    pub path: String,
    /// Files besides the manifest and its signature.
    pub files: u32,
    pub bytes: u64,
    pub fingerprint: String,
}

// ---- The offline map (issue 17) ----

/// Where the device's copy of the station's offline map stands (answer of `map_status`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapStatusUi {
    /// `none` (never downloaded), `downloading`, `ready`, or `failed` (the last try; a copy
    /// downloaded earlier stays `ready` until a new one is complete).
    pub state: String,
    /// Bytes on the device of the download under way (or of the archive, when ready).
    pub done: u64,
    /// The archive's size, when known.
    pub total: u64,
    /// The archive's bounds `[west, south, east, north]`, when ready.
    pub bounds: Option<[f64; 4]>,
    /// Why the last download failed (an error code), if it did.
    pub error: Option<String>,
}

/// One stop on the tour map (answer of `map_pins`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapPinUi {
    pub stop_id: String,
    pub sequence: u32,
    pub lat: f64,
    pub lon: f64,
    pub state: StopState,
    pub parcels: u32,
    pub current: bool,
}
