//! Integration tests of the device engine on real SQLite files in temp folders, with tours
//! built from the real Amazon LMRRC routes in `../shared` (never copied into the repo).

mod actions;
mod bad_input;
mod crash;
mod current_stop;
mod disk_full;
mod evidence;
mod identity;
mod migrations;
mod power_cut;
mod privacy;
mod retention;
mod ride;
mod service;
mod station;
mod tours;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::DateTime;
use lastmile_domain::{CardNumber, Fix, ManualClock, Position};
use lastmile_protocol::tour::TourSnapshot;
use lastmile_store::{Options, Store, StoreKey};

/// A file or folder of the shared data: `shared/data/<relative>` beside the checkout
/// (`../shared` of the repository root, or of any folder above it, so a git worktree nested
/// deeper finds it too).
pub fn shared_data(relative: &str) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let wanted = Path::new("shared/data").join(relative);
    manifest
        .ancestors()
        .map(|dir| dir.join(&wanted))
        .find(|candidate| candidate.exists())
        .unwrap_or_else(|| {
            panic!(
                "{} is not in any folder above {}",
                wanted.display(),
                manifest.display()
            )
        })
}

/// A folder of the LMRRC sample in the shared data.
pub fn lmrrc(folder: &str) -> PathBuf {
    shared_data("amazon_lmrrc2021_sample").join(folder)
}

/// The first real training route (DLA3, 2018-07-27).
pub fn real_tour() -> TourSnapshot {
    lastmile_import::lmrrc::read_dir(&lmrrc("train_10"))
        .unwrap()
        .remove(0)
}

pub struct Device {
    pub store: Store,
    pub clock: Arc<ManualClock>,
    pub path: PathBuf,
    pub _dir: tempfile::TempDir,
}

pub fn device_with(options: impl FnOnce(&mut Options)) -> Device {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("device.db");
    let clock = Arc::new(ManualClock::new(
        DateTime::parse_from_rfc3339("2018-07-27T17:00:00Z")
            .unwrap()
            .into(),
    ));
    let mut o = Options {
        clock: clock.clone(),
        app_version: "9.9.9-test".into(),
        key: Some(test_key()),
        ..Options::default()
    };
    options(&mut o);
    let store = Store::open_with(&path, o).unwrap();
    Device {
        store,
        clock,
        path,
        _dir: dir,
    }
}

/// A device with the real tour loaded and cards DE000100.. issued.
pub fn device() -> Device {
    let mut d = device_with(|_| {});
    d.store.apply_snapshot(&real_tour()).unwrap();
    d.store
        .issue_cards(&CardNumber::stack("DE000100", 50).unwrap())
        .unwrap();
    d
}

pub fn at(p: Position) -> Option<Fix> {
    Some(Fix {
        position: p,
        accuracy_m: Some(8.0),
    })
}

/// The key the test stores are encrypted with (the app's comes from the platform keystore).
pub fn test_key() -> StoreKey {
    StoreKey::from_hex(&"5a".repeat(32)).unwrap()
}

/// How the tests open a store: encrypted with [`test_key`], like the app's.
pub fn keyed() -> Options {
    Options {
        key: Some(test_key()),
        ..Options::default()
    }
}

pub fn reopen(path: &Path) -> Store {
    Store::open_with(path, keyed()).unwrap()
}

/// A raw SQLite connection to a test store, keyed.
pub fn raw_connection(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "key", format!("x'{}'", test_key().to_hex()))
        .unwrap();
    conn
}

/// Every guarantee the store makes about its log, checked from the outside.
pub fn assert_log_consistent(store: &Store) {
    let events = store.pending_events(usize::MAX, usize::MAX).unwrap();
    for (i, e) in events.iter().enumerate() {
        assert_eq!(
            e.seq,
            i as u64 + 1 + store.acked_seq().unwrap(),
            "sequence gap before {}",
            e.seq
        );
        for blob in blob_refs(&e.body) {
            store
                .blob_files()
                .read_verified(&blob.sha256)
                .unwrap_or_else(|err| {
                    panic!("event {} references a missing/bad blob: {err}", e.seq)
                });
        }
    }
    let diffs = store.verify_replay().unwrap();
    assert!(
        diffs.is_empty(),
        "tables differ from a replay of the events: {diffs:#?}"
    );
}

pub fn blob_refs(
    body: &lastmile_protocol::events::EventBody,
) -> Vec<lastmile_protocol::events::BlobRefDto> {
    use lastmile_protocol::events::EventBody::*;
    match body {
        ParcelDelivered { blobs, .. }
        | DeliveryFailed { blobs, .. }
        | ReturnPickedUp { blobs, .. }
        | ServiceFinished { blobs, .. } => blobs.clone(),
        RideObservation { photo, .. } => photo.iter().cloned().collect(),
        RideSupervisorSigned { signature, .. } | RideDriverSigned { signature, .. } => {
            signature.clone()
        }
        _ => vec![],
    }
}
