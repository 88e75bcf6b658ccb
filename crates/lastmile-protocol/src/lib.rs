//! Wire types shared by the UI, the Tauri shell, the device engine and the sync server.
//!
//! Everything here is a plain serde DTO. Domain types never derive `Serialize`; they are
//! converted to and from these types by hand, so the wire format changes only on purpose.
//! Paths are versioned (`/v1/...`); a breaking change gets a new module and a new prefix.

pub mod admin;
pub mod api;
pub mod auth;
pub mod dispatch;
pub mod events;
pub mod evidence;
pub mod sync;
pub mod tour;
pub mod ui;
// Station tablet (issue 12).
pub mod station;
// Supervisor ride-along.
pub mod ride;

/// Version of the device <-> server API; also the path prefix (`/v1`).
pub const API_VERSION: &str = "v1";
// Blocks for independent (flex) drivers (issue 15).
pub mod offers;
// Retention and the audit trail (issue 16).
pub mod audit;
// Service visits (issue 14).
pub mod service;
