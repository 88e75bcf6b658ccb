//! The planned tour: a station, stops in order, and the parcels of each stop. These are
//! plan facts that dispatch owns; what the driver did lives in [`crate::outcome`].

use chrono::{DateTime, NaiveDate, Utc};

/// WGS 84 position in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Position {
    pub lat: f64,
    pub lon: f64,
}

/// A position fix from the device, with its accuracy radius when the OS reports one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fix {
    pub position: Position,
    pub accuracy_m: Option<f32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Station {
    pub station_id: String,
    pub name: String,
    pub position: Position,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StopKind {
    Delivery,
    /// Collecting returns.
    Pickup,
    /// A locker or parcel shop.
    ParcelShop,
    /// A visit with a planned duration (installation, service call).
    Service,
    /// A kind a newer server knows and this app does not: shown as a plain stop.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    pub name: Option<String>,
}

impl Address {
    /// The one-line form on the stop card: "Maple Street 12, 10115 Berlin".
    pub fn one_line(&self) -> String {
        format!(
            "{} {}, {} {}",
            self.street, self.house_number, self.postcode, self.city
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeWindow {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl TimeWindow {
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.start <= t && t <= self.end
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dimensions {
    pub depth_cm: f32,
    pub height_cm: f32,
    pub width_cm: f32,
}

/// Handling restrictions that limit how a parcel may be delivered (see [`crate::outcome`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ParcelFlags {
    pub no_neighbour: bool,
    pub signature_required: bool,
    /// Identity / minimum-age check: handed over in person only.
    pub id_check: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parcel {
    pub tracking_id: String,
    pub time_window: Option<TimeWindow>,
    pub dimensions: Option<Dimensions>,
    pub flags: ParcelFlags,
    /// Collected from the customer rather than delivered.
    pub is_return: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stop {
    pub stop_id: String,
    /// Planned position in the tour, 1-based.
    pub sequence: u32,
    pub kind: StopKind,
    pub address: Address,
    pub position: Position,
    pub access_notes: Option<String>,
    pub time_window: Option<TimeWindow>,
    pub service_seconds: u32,
    pub parcels: Vec<Parcel>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tour {
    pub tour_id: String,
    pub station: Station,
    pub driver_id: String,
    pub date: NaiveDate,
    pub departure: Option<DateTime<Utc>>,
    /// In planned order.
    pub stops: Vec<Stop>,
}

impl Tour {
    /// The stop a tracking id belongs to, so a scan at the wrong door can name the right one.
    pub fn stop_of(&self, tracking_id: &str) -> Option<&Stop> {
        self.stops
            .iter()
            .find(|s| s.parcels.iter().any(|p| p.tracking_id == tracking_id))
    }
}
