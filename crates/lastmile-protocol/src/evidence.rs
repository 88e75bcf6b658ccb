//! The driver's own record of a day, as the evidence bundle carries it (`day.json`): what the
//! device recorded, event by event, with the stops it belongs to. It is the driver's copy in a
//! dispute about a parcel or about working time, so it holds facts only (times, positions,
//! outcomes, cards, corrections, proof by hash), never a judgement.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::events::{EventEnvelope, Person};
use crate::tour::LatLon;

/// The format's name and version, first in `day.json` and the manifest.
pub const DAY_FORMAT: &str = "lastmile-day/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayRecord {
    pub format: String,
    pub exported_at: DateTime<Utc>,
    pub device_id: String,
    /// Who was signed in when the bundle was exported.
    pub exported_by: Option<Person>,
    pub tour_id: String,
    pub date: NaiveDate,
    pub station_name: String,
    pub work: WorkTime,
    pub stops: Vec<StopRecord>,
    /// Every event of the tour in the device's order, undone ones included (marked).
    pub events: Vec<EventRecord>,
}

/// The working day as the events show it: the first and the last action, and the gaps
/// between actions long enough to be a break.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkTime {
    pub first_action_at: Option<DateTime<Utc>>,
    pub last_action_at: Option<DateTime<Utc>>,
    pub breaks: Vec<Gap>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopRecord {
    pub stop_id: String,
    pub sequence: u32,
    pub kind: String,
    pub address: String,
    pub planned_at: LatLon,
    pub arrived_at: Option<DateTime<Utc>>,
    pub skipped: bool,
    pub parcels: Vec<ParcelRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParcelRecord {
    pub tracking_id: String,
    /// pending | delivered | failed | picked_up, after every outcome and correction.
    pub state: String,
    /// The latest outcome in words, as the driver's screens show it.
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    /// The event exactly as the device sends it (time, position, who, what).
    pub envelope: EventEnvelope,
    /// The event id of the undo that compensated this event, if any.
    pub undone_by: Option<String>,
    /// The proof files of this event in the bundle (`proof/<sha256>.<ext>`).
    pub proof: Vec<ProofFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofFile {
    pub sha256: String,
    /// photo | signature_image | signature_strokes
    pub kind: String,
    pub path: String,
}
