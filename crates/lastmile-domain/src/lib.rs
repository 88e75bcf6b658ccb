//! The pure model of a delivery tour and the rules that govern it.
//!
//! No IO of any kind lives here (no files, SQLite, network, clocks): time comes in through
//! [`Clock`] values chosen by the caller, so every rule is testable and the crate builds for
//! wasm32 as well as for the device and the server.
//!
//! Map: [`model`] (station, tour, stop, parcel), [`outcome`] (what happened to a parcel and the
//! rules that decide which delivery methods a parcel allows), [`cards`] (the notification-card
//! ledger), [`geofence`] (distance and bearing to a stop), [`progress`] (progress and ETA),
//! [`undo`] (the undo window), [`service`] (the rules of a service visit), [`clock`].

pub mod cards;
pub mod clock;
pub mod geofence;
pub mod model;
pub mod outcome;
pub mod progress;
pub mod route;
pub mod service;
pub mod undo;

pub use cards::{CardError, CardNumber};
pub use clock::{Clock, ManualClock};
pub use geofence::{Geofence, bearing_deg, distance_m};
pub use model::{
    Address, Dimensions, Fix, Parcel, ParcelFlags, Position, Station, Stop, StopKind, TimeWindow,
    Tour,
};
pub use outcome::{
    CardMessage, DeliveryMethod, Evidence, FailureReason, MethodKind, NotificationCard, Outcome,
    ParcelState, RuleViolation,
};
pub use progress::{Eta, Progress};
