//! Encryption at rest (issue 16): the database, its WAL and the proof files of a keyed store
//! show nothing of what was recorded, and a plaintext store of an older app becomes one on
//! its first keyed open without losing an event or a file.

use std::path::Path;

use lastmile_domain::DeliveryMethod;
use lastmile_store::{BlobInput, BlobKind, Delivery, Store, StoreError};

use crate::{assert_log_consistent, device_with, real_tour};

/// A JPEG's start-of-image marker (looked for at the start of a file: three bytes turn up by
/// chance in a megabyte of ciphertext) and its JFIF header (looked for anywhere).
const JPEG_START: &[u8] = &[0xFF, 0xD8, 0xFF];
const JFIF: &[u8] = b"JFIF\0";
const PNG_HEADER: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// A "photo" that starts like a JPEG file and a "signature" that starts like a PNG file.
fn proof(i: usize) -> (Vec<u8>, Vec<u8>) {
    let mut photo = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0];
    photo.extend((0..40_000).map(|n: usize| (n.wrapping_mul(7) ^ i) as u8));
    let mut signature = PNG_HEADER.to_vec();
    signature.extend(format!("strokes of signature {i}").bytes());
    (photo, signature)
}

/// Records a delivery to a named recipient with a photo and a signature at each of the
/// first `n` open parcels without flags; returns (tracking id, recipient name) of each.
pub fn record_day(store: &mut Store, n: usize) -> Vec<(String, String)> {
    let mut done = Vec::new();
    let overview = store.tour_overview().unwrap().unwrap();
    'stops: for stop in &overview.stops {
        let detail = store.stop_detail(&stop.stop_id).unwrap().unwrap();
        for p in detail.parcels.iter().filter(|p| {
            p.parcel.flags == Default::default() && !p.parcel.is_return && p.state.is_open()
        }) {
            let i = done.len();
            let name = format!("Recipient Zelinski-{i}");
            let (photo, signature) = proof(i);
            store
                .deliver(
                    &Delivery {
                        stop_id: stop.stop_id.clone(),
                        tracking_id: p.parcel.tracking_id.clone(),
                        method: DeliveryMethod::Recipient { name: name.clone() },
                        card: None,
                        id_checked: false,
                        blobs: vec![
                            BlobInput {
                                kind: BlobKind::Photo,
                                bytes: &photo,
                            },
                            BlobInput {
                                kind: BlobKind::SignatureImage,
                                bytes: &signature,
                            },
                        ],
                    },
                    None,
                )
                .unwrap();
            done.push((p.parcel.tracking_id.clone(), name));
            if done.len() == n {
                break 'stops;
            }
        }
    }
    assert_eq!(done.len(), n, "the tour has {n} plain parcels");
    done
}

/// Every file of the store: the database, its side files, the blob folder.
fn store_files(db: &Path, blob_dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let path = format!("{}{suffix}", db.display());
        if let Ok(bytes) = std::fs::read(&path) {
            files.push((path, bytes));
        }
    }
    for entry in std::fs::read_dir(blob_dir).unwrap().flatten() {
        files.push((
            entry.path().display().to_string(),
            std::fs::read(entry.path()).unwrap(),
        ));
    }
    files
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// What a finder of the phone could read: (file, what was found in it).
fn readable(files: &[(String, Vec<u8>)], day: &[(String, String)]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (path, bytes) in files {
        for (tracking, name) in day {
            for secret in [tracking, name] {
                if contains(bytes, secret.as_bytes()) {
                    found.push((path.clone(), secret.clone()));
                }
            }
        }
        for (what, header) in [("JFIF header", JFIF), ("PNG header", PNG_HEADER)] {
            if contains(bytes, header) {
                found.push((path.clone(), what.to_owned()));
            }
        }
        if bytes.starts_with(JPEG_START) {
            found.push((path.clone(), "JPEG start".to_owned()));
        }
    }
    found
}

#[test]
fn a_keyed_store_shows_no_name_tracking_number_or_picture_in_its_files() {
    let mut d = device_with(|_| {});
    d.store.apply_snapshot(&real_tour()).unwrap();
    let day = record_day(&mut d.store, 12);
    assert!(d.store.is_encrypted());
    let wal = std::fs::metadata(format!("{}-wal", d.path.display())).unwrap();
    assert!(
        wal.len() > 0,
        "the WAL holds the day while the store is open"
    );
    let blob_dir = d.store.blob_dir().to_owned();
    let open = store_files(&d.path, &blob_dir);
    assert!(open.len() >= 2 + 2 * 12, "{} files", open.len());
    assert_eq!(readable(&open, &day), vec![], "while the store is open");
    drop(d.store);
    assert_eq!(
        readable(&store_files(&d.path, &blob_dir), &day),
        vec![],
        "after it closed"
    );
}

#[test]
fn a_plaintext_store_with_a_full_outbox_is_encrypted_at_its_first_keyed_open_and_loses_nothing() {
    let mut d = device_with(|o| o.key = None);
    d.store.apply_snapshot(&real_tour()).unwrap();
    let day = record_day(&mut d.store, 20);
    assert!(!d.store.is_encrypted());
    let blob_dir = d.store.blob_dir().to_owned();
    let events = d.store.pending_events(usize::MAX, usize::MAX).unwrap();
    let queue = d.store.queue_state().unwrap();
    let blobs: Vec<(String, Vec<u8>)> = d
        .store
        .pending_blobs()
        .unwrap()
        .into_iter()
        .map(|b| {
            let bytes = d.store.blob_files().read_verified(&b.sha256).unwrap();
            (b.sha256, bytes)
        })
        .collect();
    assert_eq!((events.len(), blobs.len()), (20, 40));
    let overview = format!("{:?}", d.store.tour_overview().unwrap());
    drop(d.store);
    // The older app's files show everything (what the test below proves gone).
    assert!(!readable(&store_files(&d.path, &blob_dir), &day).is_empty());
    // A copy a crash interrupted, left beside the store.
    std::fs::write(format!("{}.encrypting", d.path.display()), b"half a copy").unwrap();

    let mut store = crate::reopen(&d.path);
    assert!(store.is_encrypted());
    assert!(!Path::new(&format!("{}.encrypting", d.path.display())).exists());
    let again = store.pending_events(usize::MAX, usize::MAX).unwrap();
    assert_eq!(
        serde_json::to_value(&again).unwrap(),
        serde_json::to_value(&events).unwrap(),
        "every queued event, byte for byte"
    );
    assert_eq!(store.queue_state().unwrap(), queue);
    assert_eq!(format!("{:?}", store.tour_overview().unwrap()), overview);
    for (sha, bytes) in &blobs {
        assert_eq!(&store.blob_files().read_verified(sha).unwrap(), bytes);
    }
    assert_log_consistent(&store);
    assert_eq!(readable(&store_files(&d.path, &blob_dir), &day), vec![]);

    // Recording goes on, and the store opens again (once, no second migration).
    record_day(&mut store, 1);
    drop(store);
    let store = crate::reopen(&d.path);
    assert_eq!(store.queue_state().unwrap().pending_events, 21);
    assert_log_consistent(&store);
    drop(store);

    // Without its key the store does not open, and its file is left as it was.
    let before = std::fs::read(&d.path).unwrap();
    let err = Store::open(&d.path).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert_eq!(std::fs::read(&d.path).unwrap(), before);
}
