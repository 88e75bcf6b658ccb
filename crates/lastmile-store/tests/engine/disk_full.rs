//! A full disk for real: the store (database and blob folder) on a tiny tmpfs, filled with
//! deliveries that carry ~300 KB photos until the disk refuses more. Both places a write can
//! fail are driven: the photo file, and SQLite itself. Whatever returned Ok survives, exactly
//! once; nothing half-written is left behind; after space is freed recording goes on.
//!
//! Mounting needs root (as in CI here) or unprivileged user namespaces: without root the
//! test re-runs itself under `unshare --user --map-root-user --mount`. If neither works it
//! fails and says how to run it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use chrono::DateTime;
use lastmile_domain::{CardNumber, DeliveryMethod, FailureReason, ManualClock, MethodKind};
use lastmile_store::{BlobInput, BlobKind, Delivery, FailedAttempt, Options, Store, StoreError};
use rand::{Rng, SeedableRng};

use crate::{assert_log_consistent, real_tour};

const MOUNT_BYTES: u64 = 4 * 1024 * 1024;
const BALLAST_BYTES: usize = 1024 * 1024;
const PHOTO_BYTES: usize = 300 * 1024;
/// Set in the copy of this test that runs inside a private user + mount namespace.
const IN_NAMESPACE: &str = "LASTMILE_DISK_FULL_IN_NAMESPACE";
const TEST_NAME: &str =
    "disk_full::a_real_full_disk_refuses_photos_and_database_writes_clearly_and_loses_nothing";

/// A tmpfs mounted for the life of the value; unmounted on drop (lazily if still busy).
struct TmpfsMount {
    at: PathBuf,
}

impl TmpfsMount {
    fn new(at: &Path, bytes: u64) -> Result<Self, String> {
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes},mode=0700")])
            .arg("tmpfs")
            .arg(at)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if out.status.success() {
            Ok(Self { at: at.to_owned() })
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
        }
    }
}

impl Drop for TmpfsMount {
    fn drop(&mut self) {
        let ok = Command::new("umount")
            .arg(&self.at)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            match Command::new("umount").arg("-l").arg(&self.at).status() {
                Ok(s) if s.success() => {}
                other => eprintln!("cannot unmount {}: {other:?}", self.at.display()),
            }
        }
    }
}

/// Bytes free on the filesystem holding `path`, as `df` reports them.
fn available(path: &Path) -> u64 {
    let out = Command::new("df")
        .args(["-B1", "--output=avail"])
        .arg(path)
        .output()
        .expect("df");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("df output: {}", String::from_utf8_lossy(&out.stdout)))
}

/// Files in the blob folder: (finished blobs, temp files).
fn blob_files(dir: &Path) -> (Vec<String>, Vec<String>) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.into_iter().partition(|n| !n.starts_with(".tmp-"))
}

fn photo(rng: &mut rand::rngs::StdRng) -> Vec<u8> {
    (0..PHOTO_BYTES).map(|_| rng.random()).collect()
}

fn safe_place<'a>(stop: &str, tracking: &str, photo: &'a [u8]) -> Delivery<'a> {
    Delivery {
        stop_id: stop.to_owned(),
        tracking_id: tracking.to_owned(),
        method: DeliveryMethod::SafePlace {
            description: "behind the bins".into(),
        },
        card: None,
        id_checked: false,
        blobs: vec![BlobInput {
            kind: BlobKind::Photo,
            bytes: photo,
        }],
    }
}

fn is_storage_full(err: &StoreError) -> bool {
    matches!(err, StoreError::StorageFull)
        && err.to_string().contains("free space")
        && err.to_string().contains("nothing recorded was lost")
}

#[test]
fn a_real_full_disk_refuses_photos_and_database_writes_clearly_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mount_point = dir.path().join("mnt");
    std::fs::create_dir(&mount_point).unwrap();
    let mount = match TmpfsMount::new(&mount_point, MOUNT_BYTES) {
        Ok(m) => m,
        Err(why) if std::env::var_os(IN_NAMESPACE).is_none() => {
            // Not root: run this very test again in a user namespace where we are.
            let status = Command::new("unshare")
                .args(["--user", "--map-root-user", "--mount"])
                .arg(std::env::current_exe().unwrap())
                .args(["--exact", TEST_NAME, "--nocapture", "--test-threads=1"])
                .env(IN_NAMESPACE, "1")
                .status();
            match status {
                Ok(s) if s.success() => return,
                other => panic!(
                    "this test needs a real small filesystem: mounting tmpfs failed ({why}) and \
                     re-running under `unshare --user --map-root-user --mount` failed ({other:?}). \
                     Run it as root (`sudo -E cargo test -p lastmile-store --test engine disk_full`) \
                     or enable unprivileged user namespaces (`sysctl -w kernel.unprivileged_userns_clone=1`)."
                ),
            }
        }
        Err(why) => panic!("cannot mount tmpfs even inside a user namespace: {why}"),
    };

    // A planted file stands for the driver's other data; removing it later frees space.
    let ballast = mount_point.join("ballast");
    std::fs::write(&ballast, vec![0x5Au8; BALLAST_BYTES]).unwrap();

    let db = mount_point.join("device.db");
    let clock = Arc::new(ManualClock::new(
        DateTime::parse_from_rfc3339("2018-07-27T17:00:00Z")
            .unwrap()
            .into(),
    ));
    let options = Options {
        clock: clock.clone(),
        app_version: "9.9.9-test".into(),
        key: Some(crate::test_key()),
        ..Options::default()
    };
    let mut store = Store::open_with(&db, options.clone()).unwrap();
    let tour = real_tour();
    store.apply_snapshot(&tour).unwrap();
    store
        .issue_cards(&CardNumber::stack("DE000100", 50).unwrap())
        .unwrap();
    let blob_dir = store.blob_dir().to_owned();

    // Every parcel a safe-place delivery with a photo may go to.
    let mut targets = Vec::new();
    for stop in &store.tour_overview().unwrap().unwrap().stops {
        for p in store.stop_detail(&stop.stop_id).unwrap().unwrap().parcels {
            if p.allowed_methods.contains(&MethodKind::SafePlace) {
                targets.push((stop.stop_id.clone(), p.parcel.tracking_id.clone()));
            }
        }
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut recorded = Vec::new();
    let mut photo_bytes_recorded = 0u64;
    let mut next = 0;

    // 1. Photos while both the photo and the database have room...
    while available(&mount_point) > PHOTO_BYTES as u64 + 256 * 1024 {
        let (stop, tracking) = &targets[next];
        let bytes = photo(&mut rng);
        let r = store
            .deliver(&safe_place(stop, tracking, &bytes), None)
            .unwrap();
        recorded.push(r.event_id);
        photo_bytes_recorded += bytes.len() as u64;
        next += 1;
    }
    assert!(recorded.len() >= 3, "only {} photos fitted", recorded.len());
    // ...then the disk fills up (another app's file) until a photo no longer fits but the
    // database still has room: the photo file is what fails.
    let filler = mount_point.join("filler");
    let free = available(&mount_point);
    std::fs::write(
        &filler,
        vec![0xA5u8; (free - PHOTO_BYTES as u64 / 2) as usize],
    )
    .unwrap();
    let free = available(&mount_point);
    assert!(
        (64 * 1024..PHOTO_BYTES as u64).contains(&free),
        "{free} bytes free"
    );
    let (stop, tracking) = &targets[next];
    let photo_error = store
        .deliver(&safe_place(stop, tracking, &photo(&mut rng)), None)
        .unwrap_err();
    assert!(is_storage_full(&photo_error), "{photo_error:?}");
    let (files, temps) = blob_files(&blob_dir);
    assert!(temps.is_empty(), "half-written temp files left: {temps:?}");
    assert_eq!(
        files.len(),
        recorded.len(),
        "one file per recorded photo, none for the refused one"
    );
    assert_eq!(
        store.parcel(tracking).unwrap().unwrap().state,
        lastmile_domain::ParcelState::Pending
    );
    let no_photo = |i: usize, reason: FailureReason| FailedAttempt {
        stop_id: targets[i].0.clone(),
        tracking_id: targets[i].1.clone(),
        reason,
        card: None,
        blobs: vec![],
    };
    // The database did have room: the same parcel without a photo is recorded.
    recorded.push(
        store
            .fail(&no_photo(next, FailureReason::Damaged), None)
            .unwrap()
            .event_id,
    );

    // 2. No photo at all: failed attempts (repeatable on one parcel) until SQLite itself
    //    cannot grow its log any more.
    let sqlite_error = loop {
        let attempt = no_photo(next + recorded.len() % 5, FailureReason::Damaged);
        match store.fail(&attempt, None) {
            Ok(r) => recorded.push(r.event_id),
            Err(e) => break e,
        }
        assert!(recorded.len() < 200_000, "SQLite never ran out of space");
    };
    assert!(is_storage_full(&sqlite_error), "{sqlite_error:?}");

    // 3. A small signature while the database is full: refused, and its file (if it could
    //    be written at all) does not stay behind unreferenced.
    let signature = b"M 3 3 L 40 12 L 80 3".repeat(20);
    let (stop, tracking) = &targets[next];
    let signed = Delivery {
        method: DeliveryMethod::Recipient {
            name: "A. Kim".into(),
        },
        blobs: vec![BlobInput {
            kind: BlobKind::SignatureStrokes,
            bytes: &signature,
        }],
        ..safe_place(stop, tracking, &[])
    };
    let err = store.deliver(&signed, None).unwrap_err();
    assert!(is_storage_full(&err), "{err:?}");
    let (files_after, temps) = blob_files(&blob_dir);
    assert!(temps.is_empty(), "half-written temp files left: {temps:?}");
    assert_eq!(files_after, files, "no file is left for a refused action");
    assert_log_consistent(&store);

    // 4. Restart while the disk is still full: everything that returned Ok is there, once.
    drop(store);
    let store = Store::open_with(&db, options.clone()).unwrap();
    let events = store.pending_events(usize::MAX, usize::MAX).unwrap();
    assert_eq!(
        events.iter().map(|e| e.event_id).collect::<Vec<_>>(),
        recorded,
        "exactly the actions that returned Ok, in order"
    );
    assert_log_consistent(&store);
    let queue = store.queue_state().unwrap();
    assert_eq!(queue.last_seq, recorded.len() as u64);
    assert_eq!(queue.pending_blob_bytes, photo_bytes_recorded);
    let pending: Vec<String> = store
        .pending_blobs()
        .unwrap()
        .into_iter()
        .map(|b| b.sha256)
        .collect();
    let mut pending_sorted = pending.clone();
    pending_sorted.sort();
    assert_eq!(
        pending_sorted,
        blob_files(&blob_dir).0,
        "pending blobs are exactly the files on disk"
    );

    // 5. The driver frees space: recording goes on where it stopped.
    drop(store);
    std::fs::remove_file(&ballast).unwrap();
    std::fs::remove_file(&filler).unwrap();
    let mut store = Store::open_with(&db, options).unwrap();
    let bytes = photo(&mut rng);
    let rec = store
        .deliver(&safe_place(stop, tracking, &bytes), None)
        .unwrap();
    assert_eq!(rec.seq, recorded.len() as u64 + 1);
    let after = store
        .fail(&no_photo(next + 1, FailureReason::Refused), None)
        .unwrap();
    assert_eq!(after.seq, rec.seq + 1);
    assert_eq!(
        store.queue_state().unwrap().pending_blob_bytes,
        photo_bytes_recorded + PHOTO_BYTES as u64
    );
    assert_log_consistent(&store);
    drop(store);
    drop(mount);
}
