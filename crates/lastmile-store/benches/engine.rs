//! Engine benchmark (run in release: `cargo bench -p lastmile-store --bench engine`).
//! Prints one JSON object per measure: `name`, `p50_ms`, `p99_ms`, and where a baseline
//! applies `baseline_p50_ms`, `baseline_p99_ms` and `ratio` (p99 / baseline p99).
//!
//! Measures, on tours built from the real Amazon LMRRC routes in `../shared`:
//! - `record_delivery_300kb`: a safe-place delivery with a ~300 KB photo through the store,
//!   against a bare rusqlite transaction doing the same writes (same photo file written by
//!   hash with temp file + fsync + rename + folder fsync, same UPDATE and INSERTs, same
//!   pragmas, no checkpoints at all), interleaved in the same run;
//! - `record_delivery_300kb_queued`: the same with 2,000 events and 300 photos already queued;
//! - `load_overview_250_stops_450_parcels`: the tour-overview read model of a peak-day tour.
//!
//! The engine's store is encrypted as the app's is (SQLCipher, sealed photos; issue 16); the
//! baseline is bare rusqlite on an unkeyed database with plain files. Set
//! `LASTMILE_BENCH_ENCRYPTION=off` to measure the engine unencrypted instead.
//!
//! Set `LASTMILE_BENCH_DIR` to put the databases on a particular disk (default: temp dir).

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use lastmile_domain::DeliveryMethod;
use lastmile_protocol::tour::{ParcelFlagsDto, TourSnapshot};
use lastmile_store::{BlobInput, BlobKind, Delivery, Options, Store, StoreKey};
use rusqlite::{Connection, params};

const ITERATIONS: usize = 1000;
const PHOTO_BYTES: usize = 300 * 1024;

fn main() {
    // `shared/data` beside the checkout (the repository root's parent, or any folder above
    // it, so a nested git worktree finds it too).
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("shared/data/amazon_lmrrc2021_sample"))
        .find(|candidate| candidate.is_dir())
        .expect("the LMRRC sample in shared/data beside the checkout");
    let mut routes = Vec::new();
    for folder in ["train_10", "eval_10", "apply_13_no_travel_times"] {
        routes.extend(
            lastmile_import::lmrrc::read_dir(&root.join(folder))
                .expect("LMRRC sample in ../shared"),
        );
    }
    let base = std::env::var_os("LASTMILE_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let dir = tempfile::tempdir_in(base).expect("bench dir");

    // Enough parcels for 300 queued + 1,000 measured deliveries; flags cleared so every
    // delivery is the same shape (safe place + photo).
    let mut big =
        lastmile_import::lmrrc::peak_day_tour(&routes, 1400, 1400).expect("enough real stops");
    for p in big.stops.iter_mut().flat_map(|s| s.parcels.iter_mut()) {
        p.flags = ParcelFlagsDto::default();
        p.is_return = false;
    }

    record_deliveries("record_delivery_300kb", &dir.path().join("a"), &big, 0);
    record_deliveries(
        "record_delivery_300kb_queued",
        &dir.path().join("b"),
        &big,
        300,
    );

    let peak = lastmile_import::lmrrc::peak_day_tour(&routes, 250, 450).expect("enough real stops");
    load_overview(&dir.path().join("c"), &peak);
}

fn open(dir: &Path) -> Store {
    std::fs::create_dir_all(dir).expect("dir");
    let encrypted = std::env::var("LASTMILE_BENCH_ENCRYPTION").as_deref() != Ok("off");
    let options = Options {
        key: encrypted.then(StoreKey::generate),
        ..Options::default()
    };
    Store::open_with(&dir.join("device.db"), options).expect("open store")
}

/// (stop id, tracking id) of every parcel, in tour order.
fn parcels(tour: &TourSnapshot) -> Vec<(String, String)> {
    tour.stops
        .iter()
        .flat_map(|s| {
            s.parcels
                .iter()
                .map(move |p| (s.stop_id.clone(), p.tracking_id.clone()))
        })
        .collect()
}

fn record_deliveries(name: &str, dir: &Path, tour: &TourSnapshot, queued_photos: usize) {
    let mut store = open(&dir.join("engine"));
    store.apply_snapshot(tour).expect("tour");
    let mut baseline = Baseline::new(&dir.join("baseline"), tour);
    let work = parcels(tour);
    let mut photo = vec![0u8; PHOTO_BYTES];
    for (i, b) in photo.iter_mut().enumerate() {
        *b = (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[1];
    }
    let mut next = 0usize;
    let stamp = |photo: &mut [u8], n: usize| photo[..8].copy_from_slice(&(n as u64).to_le_bytes());

    // Already queued: photos with deliveries, then arrivals up to 2,000 events (both sides).
    if queued_photos > 0 {
        for _ in 0..queued_photos {
            stamp(&mut photo, next);
            let (stop, tracking) = &work[next];
            store
                .deliver(&delivery(stop, tracking, &photo), None)
                .expect("deliver");
            baseline.deliver(stop, tracking, &photo);
            next += 1;
        }
        for i in queued_photos..2000 {
            let stop = &tour.stops[i % tour.stops.len()].stop_id;
            store.arrive(stop, None).expect("arrive");
            baseline.arrive(stop);
        }
        assert_eq!(store.queue_state().expect("queue").pending_events, 2000);
    }

    let mut engine_ms = Vec::with_capacity(ITERATIONS);
    let mut base_ms = Vec::with_capacity(ITERATIONS);
    for _ in 0..ITERATIONS {
        let (stop, tracking) = &work[next];
        stamp(&mut photo, next);
        let d = delivery(stop, tracking, &photo);
        let t = Instant::now();
        store.deliver(&d, None).expect("deliver");
        engine_ms.push(t.elapsed().as_secs_f64() * 1000.0);

        photo[8] ^= 0xff; // a different file for the baseline
        let t = Instant::now();
        baseline.deliver(stop, tracking, &photo);
        base_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        next += 1;
    }
    let (p50, p99, max) = percentiles(&mut engine_ms);
    let (b50, b99, _) = percentiles(&mut base_ms);
    println!(
        "{}",
        serde_json::json!({
            "name": name,
            "encrypted": store.is_encrypted(),
            "iterations": ITERATIONS,
            "queued_events_before": if queued_photos > 0 { 2000 } else { 0 },
            "queued_photos_before": queued_photos,
            "photo_bytes": PHOTO_BYTES,
            "p50_ms": round(p50), "p99_ms": round(p99), "max_ms": round(max),
            "baseline_p50_ms": round(b50), "baseline_p99_ms": round(b99),
            "ratio": round(p99 / b99),
            "target": "p99 <= 1.5 x baseline and <= 3 ms",
        })
    );
}

fn delivery<'a>(stop: &str, tracking: &str, photo: &'a [u8]) -> Delivery<'a> {
    Delivery {
        stop_id: stop.to_owned(),
        tracking_id: tracking.to_owned(),
        method: DeliveryMethod::SafePlace {
            description: "porch".into(),
        },
        card: None,
        id_checked: false,
        blobs: vec![BlobInput {
            kind: BlobKind::Photo,
            bytes: photo,
        }],
    }
}

fn load_overview(dir: &Path, tour: &TourSnapshot) {
    let mut store = open(dir);
    store.apply_snapshot(tour).expect("tour");
    let parcels: usize = tour.stops.iter().map(|s| s.parcels.len()).sum();
    let mut ms = Vec::with_capacity(ITERATIONS);
    for _ in 0..ITERATIONS {
        let t = Instant::now();
        let overview = store
            .tour_overview()
            .expect("overview")
            .expect("tour loaded");
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(overview.stops.len(), tour.stops.len());
    }
    let (p50, p99, max) = percentiles(&mut ms);
    println!(
        "{}",
        serde_json::json!({
            "name": "load_overview_250_stops_450_parcels",
            "iterations": ITERATIONS,
            "stops": tour.stops.len(), "parcels": parcels,
            "p50_ms": round(p50), "p99_ms": round(p99), "max_ms": round(max),
            "target": "p50 <= 2 ms",
        })
    );
}

fn percentiles(v: &mut [f64]) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    (at(0.50), at(0.99), v[v.len() - 1])
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The same writes as a delivery, with bare rusqlite and no engine around them.
struct Baseline {
    conn: Connection,
    blobs: PathBuf,
    seq: i64,
    tour_id: String,
}

impl Baseline {
    fn new(dir: &Path, tour: &TourSnapshot) -> Self {
        // Same schema and tour as the engine (created through the store), then bare SQL.
        std::fs::create_dir_all(dir).expect("baseline dir");
        {
            let mut s = Store::open_with(
                &dir.join("device.db"),
                Options {
                    background_checkpoints: false,
                    ..Options::default()
                },
            )
            .expect("baseline schema");
            s.apply_snapshot(tour).expect("tour");
        }
        let conn = Connection::open(dir.join("device.db")).expect("baseline db");
        conn.pragma_update(None, "journal_mode", "WAL")
            .expect("wal");
        conn.pragma_update(None, "synchronous", "FULL")
            .expect("full");
        conn.pragma_update(None, "wal_autocheckpoint", 0)
            .expect("no checkpoints");
        let blobs = dir.join("blobs");
        std::fs::create_dir_all(&blobs).expect("blob dir");
        Self {
            conn,
            blobs,
            seq: 0,
            tour_id: tour.tour_id.clone(),
        }
    }

    fn write_blob(&self, photo: &[u8]) -> String {
        let hash = lastmile_store::blobs::sha256_hex(photo);
        let tmp = self.blobs.join(format!(".tmp-{hash}"));
        let mut f = File::create(&tmp).expect("tmp");
        f.write_all(photo).expect("write");
        f.sync_all().expect("fsync");
        std::fs::rename(&tmp, self.blobs.join(&hash)).expect("rename");
        File::open(&self.blobs)
            .expect("dir")
            .sync_all()
            .expect("dir fsync");
        hash
    }

    fn deliver(&mut self, stop: &str, tracking: &str, photo: &[u8]) {
        let hash = self.write_blob(photo);
        self.seq += 1;
        let id = uuid::Uuid::now_v7().to_string();
        let envelope = format!(
            r#"{{"event_id":"{id}","device_id":"bench","seq":{},"tour_id":"{}","recorded_at":"2025-01-01T00:00:00Z","position":null,"app_version":"0","body":{{"type":"parcel_delivered","stop_id":"{stop}","tracking_id":"{tracking}","method":{{"to":"safe_place","description":"porch"}},"id_checked":false,"blobs":[{{"sha256":"{hash}","kind":"photo","bytes":{}}}]}}}}"#,
            self.seq,
            self.tour_id,
            photo.len()
        );
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .expect("begin");
        tx.prepare_cached("UPDATE parcel SET state = 'delivered', outcome_summary = 'Safe place: porch', outcome_event_id = ?3 WHERE tour_id = ?1 AND tracking_id = ?2")
            .expect("prepare")
            .execute(params![self.tour_id, tracking, id])
            .expect("update");
        tx.prepare_cached(
            "INSERT INTO blob (sha256, kind, bytes, first_seq) VALUES (?1, 'photo', ?2, ?3)",
        )
        .expect("prepare")
        .execute(params![hash, photo.len() as i64, self.seq])
        .expect("blob");
        tx.prepare_cached("INSERT INTO event (seq, event_id, tour_id, kind, stop_id, tracking_id, recorded_at, envelope) VALUES (?1, ?2, ?3, 'parcel_delivered', ?4, ?5, '2025-01-01T00:00:00Z', ?6)")
            .expect("prepare")
            .execute(params![self.seq, id, self.tour_id, stop, tracking, envelope])
            .expect("event");
        tx.commit().expect("commit");
    }

    fn arrive(&mut self, stop: &str) {
        self.seq += 1;
        let id = uuid::Uuid::now_v7().to_string();
        let envelope =
            format!(r#"{{"event_id":"{id}","body":{{"type":"stop_arrived","stop_id":"{stop}"}}}}"#);
        let tx = self.conn.transaction().expect("begin");
        tx.execute(
            "INSERT INTO event (seq, event_id, tour_id, kind, stop_id, recorded_at, envelope) VALUES (?1, ?2, ?3, 'stop_arrived', ?4, '2025-01-01T00:00:00Z', ?5)",
            params![self.seq, id, self.tour_id, stop, envelope],
        )
        .expect("event");
        tx.commit().expect("commit");
    }
}
