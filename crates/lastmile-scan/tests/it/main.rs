//! The crate's one integration-test binary: real barcode photos and the carriers' public
//! tracking-number vectors, both read from `../shared/data` at test time (never copied here).

mod barcodes;
mod properties;
mod tracking;

use std::path::PathBuf;

/// `../shared/data/<name>` relative to the workspace root.
pub fn shared_data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(name)
}
