//! Blocks of work for independent (flex) drivers, offered in rounds and shared out by the
//! seeded, verifiable lottery of `lastmile-offers` (issue 15). A station lead publishes
//! blocks with a round ([`PUBLISH`]); flex drivers read the offers ([`OFFERS`], the same list
//! for every driver at a moment), put a ranked request during the window ([`REQUEST`]); at
//! the close the server draws and publishes seed and anonymised input ([`DRAW`]); the
//! winners confirm or release ([`CONFIRM`], [`RELEASE`]); worked blocks are earnings
//! ([`EARNINGS`]).

use chrono::{DateTime, NaiveDate, Utc};
pub use lastmile_offers::{Allocation, Award, Caps, DrawInput, Entrant, Interval};
use serde::{Deserialize, Serialize};

/// `POST` (station lead) — publish blocks and the round that offers them.
pub const PUBLISH: &str = "/v1/offers/blocks";
/// `GET` — the station's rounds (upcoming, open, recently closed) with their blocks.
pub const OFFERS: &str = "/v1/offers";
/// `POST` (flex) — the caller's ranked request in an open round (replaces the previous one).
pub const REQUEST: &str = "/v1/offers/rounds/{round_id}/request";
/// `POST` (station lead) — close an open round now (instead of at its published time).
pub const CLOSE: &str = "/v1/offers/rounds/{round_id}/close";
/// `GET` — a closed round's draw: seed, anonymised input, allocation.
pub const DRAW: &str = "/v1/offers/rounds/{round_id}/draw";
/// `GET` (flex) — the caller's requests, results and won blocks.
pub const MINE: &str = "/v1/offers/mine";
/// `POST` (flex) — confirm a won block.
pub const CONFIRM: &str = "/v1/offers/awards/{block_id}/confirm";
/// `POST` (flex) — give a won or confirmed block back (it goes to a second round).
pub const RELEASE: &str = "/v1/offers/awards/{block_id}/release";
/// `GET` (flex) — the blocks worked in a week, with pay, hours, stops and parcels.
pub const EARNINGS: &str = "/v1/offers/earnings";

pub fn request_path(round_id: &str) -> String {
    REQUEST.replace("{round_id}", round_id)
}
pub fn close_path(round_id: &str) -> String {
    CLOSE.replace("{round_id}", round_id)
}
pub fn draw_path(round_id: &str) -> String {
    DRAW.replace("{round_id}", round_id)
}
pub fn confirm_path(block_id: &str) -> String {
    CONFIRM.replace("{block_id}", block_id)
}
pub fn release_path(block_id: &str) -> String {
    RELEASE.replace("{block_id}", block_id)
}

/// A block as the lead publishes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewBlock {
    pub block_id: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Pay for the whole block, in cents.
    pub pay_cents: i64,
    /// How many drivers the block needs.
    pub drivers: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualification: Option<String>,
}

/// Body of [`PUBLISH`]: the blocks and the round that offers them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishRequest {
    pub blocks: Vec<NewBlock>,
    /// When the round opens (requests are taken from then on).
    pub opens_at: DateTime<Utc>,
    /// How long the round stays open, in minutes (1 to 1440).
    pub window_minutes: u32,
    /// How long a winner has to confirm, in hours after the close (1 to 72).
    pub confirm_hours: u32,
}

/// A block on offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlockView {
    pub block_id: String,
    pub station_id: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub pay_cents: i64,
    /// Places offered in this round.
    pub places: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualification: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoundState {
    Upcoming,
    Open,
    Closed,
}

/// A round: when it takes requests, the commitment to its seed, its blocks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundView {
    pub round_id: String,
    pub station_id: String,
    /// 1 for a first round; 2 and more for the rounds of released or unconfirmed blocks.
    pub number: u32,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub state: RoundState,
    /// SHA-256 of the round's seed, hex: published when the round is published.
    pub commitment: String,
    pub blocks: Vec<BlockView>,
}

/// Answer of [`OFFERS`]: the same for every driver of the station at the same moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OffersView {
    pub now: DateTime<Utc>,
    pub rounds: Vec<RoundView>,
}

/// Body of [`REQUEST`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferRequest {
    /// Block ids of the round, most wanted first.
    pub ranking: Vec<String>,
    /// When the driver can work; empty: any time.
    #[serde(default)]
    pub availability: Vec<Interval>,
}

/// The request the server holds for the caller in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestReceipt {
    pub round_id: String,
    pub ranking: Vec<String>,
    pub availability: Vec<Interval>,
    pub closes_at: DateTime<Utc>,
}

/// Answer of [`DRAW`]: everything needed to recompute and check the allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DrawView {
    pub round_id: String,
    /// The commitment published with the round: SHA-256 of `input.seed`.
    pub commitment: String,
    pub input: DrawInput,
    pub allocation: Allocation,
    /// The caller's pseudonym in the input, if they requested in this round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub your_pseudonym: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AwardStatus {
    /// Won, waiting for the driver's confirmation until `confirm_by`.
    Won,
    Confirmed,
    Released,
    /// Not confirmed in time (offered again).
    Expired,
}

/// A block the caller won.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwardView {
    pub round_id: String,
    pub block: BlockView,
    pub status: AwardStatus,
    pub confirm_by: DateTime<Utc>,
}

/// The caller's result of one closed round they requested in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundResult {
    pub round_id: String,
    pub pseudonym: String,
    /// Block ids won in the draw (whatever happened to them after).
    pub won: Vec<String>,
}

/// Answer of [`MINE`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyOffers {
    /// Requests in rounds still open.
    pub requests: Vec<RequestReceipt>,
    /// Results of closed rounds, newest first.
    pub results: Vec<RoundResult>,
    /// Won blocks, by start.
    pub awards: Vec<AwardView>,
    /// The fairness credit the next draw gives the caller.
    pub credit: u32,
}

/// A worked block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EarnedBlock {
    pub block_id: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub hours: f64,
    pub pay_cents: i64,
    /// Stops with a delivery or a failed attempt recorded in the block's time.
    pub stops: u32,
    /// Parcels delivered or attempted in the block's time.
    pub parcels: u32,
}

/// Answer of [`EARNINGS`]: the confirmed blocks of one week (Monday to Sunday) that ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Earnings {
    pub week_start: NaiveDate,
    pub blocks: Vec<EarnedBlock>,
    pub total_pay_cents: i64,
    pub total_hours: f64,
}

/// `PUT` (station lead) — a flex driver's qualifications (what blocks with a
/// `qualification` need).
pub const QUALIFICATIONS: &str = "/v1/offers/drivers/{user_id}/qualifications";

pub fn qualifications_path(user_id: &str) -> String {
    QUALIFICATIONS.replace("{user_id}", user_id)
}

/// Body and answer of [`QUALIFICATIONS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Qualifications {
    pub qualifications: Vec<String>,
}

/// UI <-> shell types of the flex driver's screens (`offers_*` commands).
pub mod ui {
    use serde::{Deserialize, Serialize};

    use super::{Earnings, MyOffers, OffersView};

    /// Whether the phone's recomputation of a round's draw matches what the server published.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum DrawCheck {
        /// The seed hashes to the commitment and the allocation recomputes exactly.
        Verified,
        /// It does not: the app says so loudly.
        Mismatch,
        /// The draw could not be fetched (offline).
        Unchecked,
    }

    /// A closed round the driver requested in, checked on the phone.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct RoundCheckUi {
        pub round_id: String,
        pub check: DrawCheck,
    }

    /// Everything the Offers screen shows.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct OffersUi {
        pub offers: OffersView,
        pub mine: MyOffers,
        pub checks: Vec<RoundCheckUi>,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct OfferRequestArgs {
        pub round_id: String,
        pub ranking: Vec<String>,
    }

    /// The week's earnings and where the export was written (after an export).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct EarningsUi {
        pub earnings: Earnings,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct EarningsExportUi {
        pub csv_path: String,
        pub html_path: String,
    }
}
