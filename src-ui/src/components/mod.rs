//! Reusable pieces of screens.

pub mod dialogs;
pub mod error_box;
pub mod evidence;
pub mod guidance;
// The offline map (issue 17).
pub mod map;
pub mod photo;
// Issue 16: the warning while the keys are kept in files.
pub mod privacy;
pub mod scan;
// Issue 14: the service visit of a service stop.
pub mod service;
pub mod signature;
pub mod status_card;
pub mod sync_bar;
