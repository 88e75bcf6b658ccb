//! Scanning for the driver's app: what a scan or a typed number means.
//!
//! Two independent pieces, both pure (no IO, no clock, no database):
//! - [`barcode`]: decode barcodes from an image's bytes ([`decode_image`]), used on desktop for a
//!   webcam frame or a chosen photo (mobile uses the platform scanner plugin).
//! - [`tracking`]: validate a carrier tracking number with the carrier's check digit
//!   ([`validate_tracking`]), and classify manual entry against the tour ([`classify_entry`]).
//! - [`qr`]: draw a QR code the app shows (the driver's check-in pass).
//!
//! The crate knows nothing of tours or parcels beyond a lookup closure, so the shell and the UI
//! can both call it.

pub mod barcode;
pub mod checksum;
pub mod qr;
pub mod tracking;

pub use barcode::{Decoded, ScanError, Symbology, decode_image, decode_luma};
pub use qr::{QrError, qr_image};
pub use tracking::{
    Entry, TrackingError, TrackingNumber, classify_entry, is_tour_parcel_id, matching_formats,
    normalize, validate_tracking,
};
