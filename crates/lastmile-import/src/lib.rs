//! Turns planned tours from outside into [`TourSnapshot`]s, the form the device and the
//! server both understand.
//!
//! Two sources: our own tour JSON ([`own`]) and the Amazon Last Mile Routing Research
//! Challenge 2021 format ([`lmrrc`]), which gives us real routes to test and benchmark
//! with. Everything here is a pure function over `&str`; the `read_*` helpers only add file
//! reading on top.

pub mod lmrrc;
pub mod osm_addresses;
pub mod own;
pub mod route;

use std::path::PathBuf;

pub use lastmile_protocol::tour::TourSnapshot;

/// Why a tour could not be imported, classified by who has to fix it.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is not JSON, or not the shape its format defines (whoever made the file).
    #[error("the {what} is not valid: {detail}")]
    Malformed { what: &'static str, detail: String },
    /// The file parses but its content breaks a rule of a tour (whoever made the file).
    #[error("tour {tour_id} is not usable: {detail}")]
    Invalid { tour_id: String, detail: String },
    /// A file could not be read (the caller's path or the local disk).
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

pub(crate) fn read(path: &std::path::Path) -> Result<String, ImportError> {
    std::fs::read_to_string(path).map_err(|source| ImportError::Io {
        path: path.to_owned(),
        source,
    })
}

/// FNV-1a: a tiny stable hash, so synthesized addresses and flags are the same on every
/// machine and in every release (std's `DefaultHasher` promises neither).
pub(crate) fn stable_hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}
