//! Reusable pieces of screens.

pub mod dialogs;
pub mod error_box;
pub mod status_card;
pub mod sync_bar;
