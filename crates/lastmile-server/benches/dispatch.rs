//! `GET /v1/dispatch/tours?date=` at a station with a long history (issue 18): N events
//! (default 1,000,000; `LASTMILE_BENCH_EVENTS`) over tours of 10 drivers a day, 200 stops
//! and 400 events a tour (arrived, delivered with a photo; 1 % of the photos never arrive),
//! then the list of one day timed over loopback HTTP against the server
//! (`lastmile_server::serve`, in process like `bench ingest`), sequential requests, on a
//! quiet server and while a concurrent writer uploads batches of 100 events (the reads must
//! not wait for it). One JSON line with p50/p99 of both and the load average.
//!
//! Seeding: tours through `seed::apply`, the events (and their photos) written straight
//! into the SQLite file in one transaction (a million HTTP uploads would take most of an
//! hour here), then the projection rebuilt by `progress::rebuild`, the upgrade's back-fill.
//! Up to 200,000 events the old list (every tour refolded, `views::refold_tours`) is timed
//! once too, as "before".
//!
//! `cargo xtask bench dispatch [--events N]`; with `LASTMILE_BENCH_EVENTS` set, `cargo test
//! --bench dispatch` runs it too, as `cargo xtask test` does at a small size.

use std::time::Instant;

use lastmile_protocol::admin::Seed;
use lastmile_protocol::auth::Role;
use lastmile_protocol::dispatch::TourSummary;
use lastmile_protocol::events::{BlobKindDto, BlobRefDto, EventBody, EventEnvelope};
use lastmile_protocol::sync::BatchAck;
use lastmile_server::ServerState;
use lastmile_server::auth::Principal;
use serde_json::json;

mod common;

const DRIVERS: usize = 10;
const STOPS: u32 = 200;
/// Per stop: arrived, delivered.
const EVENTS_PER_TOUR: u64 = 2 * STOPS as u64;
const REQUESTS: usize = 200;
const WRITER_BATCH: u64 = 100;
/// The old refold is timed up to this many events (beyond, it takes minutes).
const REFOLD_UP_TO: u64 = 200_000;

/// Tours for `days` days back from `today` (10 a day), their drivers and the lead `L`.
fn seed(today: chrono::NaiveDate, days: u64) -> Seed {
    let mut tours = Vec::new();
    for day in 0..days {
        let date = today - chrono::Days::new(day);
        for d in 0..DRIVERS {
            let tour_id = format!("T{date}-{d}");
            tours.push(common::plan(&tour_id, &format!("D{d}"), date, STOPS, |i| {
                format!("{tour_id}-P{i}")
            }));
        }
    }
    let drivers: Vec<String> = (0..DRIVERS).map(|d| format!("D{d}")).collect();
    let mut users: Vec<(&str, Role)> = drivers.iter().map(|d| (d.as_str(), Role::Driver)).collect();
    users.push(("L", Role::Station));
    common::seed(&users, tours)
}

/// Writes the history straight into the database file, the rows `events::apply_batch`
/// writes: per stop an arrival and a delivery with a photo (whose bytes arrived, but for
/// every 100th), `total` events at most, in one transaction.
fn fill(db_path: &std::path::Path, seed: &Seed, total: u64) -> anyhow::Result<u64> {
    let mut conn = rusqlite::Connection::open(db_path)?;
    conn.pragma_update(None, "busy_timeout", 5000)?;
    let tx = conn.transaction()?;
    let mut written = 0u64;
    {
        let mut event = tx.prepare(
            "INSERT INTO events (event_id, device_id, seq, tour_id, kind, stop_id, tracking_id, status, reject_code,
               reject_message, conflict, recorded_at, recorded_at_text, received_at, clock_offset_ms, body_json, recorded_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'applied', NULL, NULL, NULL, ?8, ?9, ?10, 0, ?11, ?12)",
        )?;
        let mut event_blob = tx.prepare(
            "INSERT INTO event_blobs (sha256, event_id, device_id, tour_id, kind, bytes) VALUES (?1, ?2, ?3, ?4, '\"photo\"', 4)",
        )?;
        let mut blob = tx.prepare(
            "INSERT INTO blobs (sha256, content_type, size, data, uploaded_by, completed_at) VALUES (?1, 'image/jpeg', 4, x'FFD8FFE0', ?2, ?3)",
        )?;
        'tours: for t in &seed.tours {
            let device = format!("seed-{}", t.driver_id);
            let at = t.date.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc();
            for (i, stop) in t.stops.iter().enumerate() {
                let parcel = &stop.parcels[0].tracking_id;
                let photo = format!("{:064x}", written + 1);
                let photo_ref = BlobRefDto {
                    sha256: photo.clone(),
                    kind: BlobKindDto::Photo,
                    bytes: 4,
                };
                let place = (stop.stop_id.clone(), parcel.clone());
                let delivery = common::delivery(&device, 0, &t.tour_id, place, at, vec![photo_ref]);
                for body in [
                    EventBody::StopArrived {
                        stop_id: stop.stop_id.clone(),
                    },
                    delivery.body,
                ] {
                    if written == total {
                        break 'tours;
                    }
                    written += 1;
                    let recorded_at = at + chrono::Duration::seconds(i as i64 * 60);
                    let ms = recorded_at.timestamp_millis();
                    let delivered = matches!(body, EventBody::ParcelDelivered { .. });
                    let ev = EventEnvelope {
                        event_id: uuid::Uuid::now_v7(),
                        device_id: device.clone(),
                        seq: written,
                        tour_id: t.tour_id.clone(),
                        recorded_at,
                        position: None,
                        app_version: "bench".into(),
                        recorded_by: None,
                        body,
                    };
                    let id = ev.event_id.to_string();
                    event.execute(rusqlite::params![
                        id,
                        ev.device_id,
                        ev.seq as i64,
                        ev.tour_id,
                        ev.body.kind(),
                        stop.stop_id,
                        delivered.then_some(parcel),
                        ms,
                        recorded_at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                        ms,
                        serde_json::to_string(&ev)?,
                        t.driver_id,
                    ])?;
                    if delivered {
                        event_blob.execute(rusqlite::params![
                            photo,
                            id,
                            ev.device_id,
                            ev.tour_id
                        ])?;
                        if !written.is_multiple_of(100) {
                            blob.execute(rusqlite::params![photo, ev.device_id, ms])?;
                        }
                    }
                }
            }
        }
    }
    tx.commit()?;
    Ok(written)
}

async fn list_latencies(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    expect: usize,
) -> anyhow::Result<Vec<f64>> {
    common::timed_gets(http, url, token, REQUESTS, |tours: &Vec<TourSummary>| {
        anyhow::ensure!(tours.len() == expect, "{} tours listed", tours.len());
        Ok(())
    })
    .await
}

/// The writer beside the reads: batches of deliveries onto today's tour of D0 until told.
async fn writer(
    http: reqwest::Client,
    url: String,
    device: String,
    token: String,
    tour_id: String,
    mut done: tokio::sync::oneshot::Receiver<()>,
) -> anyhow::Result<Vec<f64>> {
    let mut seq = 0u64;
    let mut batch_ms = Vec::new();
    while done.try_recv().is_err() {
        let events: Vec<EventEnvelope> = (0..WRITER_BATCH)
            .map(|_| {
                seq += 1;
                let i = seq % u64::from(STOPS) + 1;
                let place = (format!("S{i}"), format!("{tour_id}-P{i}"));
                common::delivery(&device, seq, &tour_id, place, chrono::Utc::now(), vec![])
            })
            .collect();
        let t = Instant::now();
        let ack: BatchAck = http
            .post(format!("{url}/v1/events"))
            .bearer_auth(&token)
            .json(&json!({ "device_id": device, "events": events }))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        batch_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(ack.acked_seq == seq, "writer acked {}", ack.acked_seq);
    }
    Ok(batch_ms)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    if !common::should_run("LASTMILE_BENCH_EVENTS") {
        return Ok(());
    }
    let load_start = common::load();
    let wanted: u64 = common::env_or("LASTMILE_BENCH_EVENTS", 1_000_000);
    let today = chrono::Utc::now().date_naive();
    let days = wanted.div_ceil(EVENTS_PER_TOUR * DRIVERS as u64).max(1);
    let dir = tempfile::tempdir()?;
    let t = Instant::now();
    let state = ServerState::open_sqlite(dir.path())?;
    let seed = seed(today, days);
    lastmile_server::seed::apply(&state, &seed)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let events = fill(&dir.path().join("server.db"), &seed, wanted)?;
    let seed_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let projected = lastmile_server::progress::rebuild(&state.db)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let rebuild_s = t.elapsed().as_secs_f64();
    let refold_ms = if events <= REFOLD_UP_TO {
        let lead = Principal {
            session_id: String::new(),
            device_id: String::new(),
            user_id: "L".into(),
            role: Role::Station,
            station_id: "B1".into(),
        };
        let t = Instant::now();
        let all = lastmile_server::views::refold_tours(&state, &lead)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        anyhow::ensure!(all.len() == seed.tours.len(), "refold listed {}", all.len());
        json!((t.elapsed().as_secs_f64() * 1000.0).round())
    } else {
        json!(null)
    };

    let server = common::start(state).await?;
    let url = server.url.clone();
    let http = reqwest::Client::new();
    let (_, lead_token) = common::device_with(&http, &url, Role::Station, "L").await?;
    let (writer_device, writer_token) =
        common::device_with(&http, &url, Role::Driver, "D0").await?;
    let list = format!("{url}/v1/dispatch/tours?date={today}");
    let quiet = list_latencies(&http, &list, &lead_token, DRIVERS).await?;
    let (done_tx, done_rx) = tokio::sync::oneshot::channel::<()>();
    let writing = tokio::spawn(writer(
        http.clone(),
        url.clone(),
        writer_device,
        writer_token,
        format!("T{today}-0"),
        done_rx,
    ));
    let busy = list_latencies(&http, &list, &lead_token, DRIVERS).await?;
    if done_tx.send(()).is_err() {
        eprintln!("the writer stopped early");
    }
    let batch_ms = writing.await??;
    let writer_batches = batch_ms.len();
    server.stop().await?;
    println!(
        "{}",
        json!({
            "bench": "dispatch_tours",
            "events": events,
            "tours": seed.tours.len(),
            "tours_listed_per_request": DRIVERS,
            "seed_s": (seed_s * 10.0).round() / 10.0,
            "rebuild_s": (rebuild_s * 10.0).round() / 10.0,
            "tours_filled": projected,
            "before_refold_all_tours_ms": refold_ms,
            "quiet": common::percentiles(quiet),
            "with_writer": common::percentiles(busy),
            "writer_batches_during": writer_batches,
            "writer_batch": if writer_batches > 0 { common::percentiles(batch_ms) } else { json!(null) },
            "load_start": load_start,
            "load_end": common::load(),
        })
    );
    Ok(())
}
