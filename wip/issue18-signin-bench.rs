//! Sign-in under load: how much six people signing in at once (argon2 on each PIN) slow
//! everyone else. `GET /v1/tour` (a 250-stop tour) is timed one request after the other on a
//! quiet server, then while six clients sign in back to back without pause, then quiet again;
//! the server runs on SQLite over loopback HTTP, with the sign-in rate limits lifted so the
//! six keep the PIN hashing busy the whole time. Prints one JSON line: the p50 and p99 of
//! both, their ratio (loaded p50 / quiet p50, the median of the quiet runs before and after;
//! issue 18's goal is at most 2), the sign-ins done, their p50 and the load average.
//!
//! `cargo xtask bench signin` (`LASTMILE_BENCH_REQUESTS`: fewer tour requests a phase; with
//! it set, `cargo test --bench signin` runs it too, as `cargo xtask test` does at a small size).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use lastmile_protocol::admin::{Seed, SeedEnrolmentCode, SeedStation, SeedUser};
use lastmile_protocol::auth::{EnrolResponse, Role, Session};
use lastmile_protocol::tour::{
    AddressDto, LatLon, ParcelDto, StationDto, StopDto, StopKindDto, TourSnapshot,
};
use lastmile_server::limits::RateLimits;
use lastmile_server::{ServerConfig, ServerState};
use serde_json::json;

/// People signing in at once, as in the issue.
const SIGNERS: usize = 6;

fn requests() -> usize {
    std::env::var("LASTMILE_BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

fn position() -> LatLon {
    LatLon {
        lat: 52.5,
        lon: 13.4,
    }
}

fn seed() -> Seed {
    let stops = (1..=250u32)
        .map(|i| StopDto {
            stop_id: format!("S{i}"),
            sequence: i,
            kind: StopKindDto::Delivery,
            address: AddressDto {
                street: "Weg".into(),
                house_number: i.to_string(),
                postcode: "1".into(),
                city: "X".into(),
                name: None,
            },
            position: position(),
            access_notes: None,
            time_window: None,
            service_seconds: 60,
            parcels: vec![ParcelDto {
                tracking_id: format!("P{i}"),
                time_window: None,
                dimensions: None,
                flags: Default::default(),
                is_return: false,
            }],
            route: None,
            checklist: Vec::new(),
        })
        .collect();
    let user = |id: String| SeedUser {
        user_id: id,
        role: Role::Driver,
        station_id: "B1".into(),
        pin: "1234".into(),
        name: None,
        rides_with: vec![],
    };
    Seed {
        stations: vec![SeedStation {
            station_id: "B1".into(),
            name: "Bench".into(),
            position: position(),
            enrolment_codes: vec![SeedEnrolmentCode {
                code: "BENCH".into(),
                max_uses: 1000,
                expires_at: None,
            }],
        }],
        users: std::iter::once("D".to_owned())
            .chain((1..=SIGNERS).map(|i| format!("P{i}")))
            .map(user)
            .collect(),
        tours: vec![TourSnapshot {
            tour_id: "BT".into(),
            station: StationDto {
                station_id: "B1".into(),
                name: "Bench".into(),
                position: position(),
            },
            driver_id: "D".into(),
            date: chrono::Utc::now().date_naive(),
            departure: None,
            stops,
            cursor: 0,
            card_stacks: Vec::new(),
        }],
        ..Seed::default()
    }
}

async fn enrol(http: &reqwest::Client, url: &str) -> anyhow::Result<EnrolResponse> {
    Ok(http
        .post(format!("{url}/v1/devices/enrol"))
        .json(&json!({ "enrolment_code": "BENCH", "device_name": "bench" }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?)
}

async fn sign_in(
    http: &reqwest::Client,
    url: &str,
    dev: &EnrolResponse,
    user: &str,
) -> anyhow::Result<Session> {
    Ok(http
        .post(format!("{url}/v1/session"))
        .json(&json!({ "device_id": dev.device_id, "device_token": dev.device_token, "role": "driver", "user_id": user, "pin": "1234" }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?)
}

/// `n` tour requests one after the other: their latencies in ms, sorted.
async fn tours(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    n: usize,
) -> anyhow::Result<Vec<f64>> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let tour: TourSnapshot = http
            .get(format!("{url}/v1/tour"))
            .bearer_auth(token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        out.push(t.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(tour.stops.len() == 250, "{} stops", tour.stops.len());
    }
    out.sort_by(f64::total_cmp);
    Ok(out)
}

/// The `q` quantile of sorted `v`, rounded to 0.01.
fn quantile(v: &[f64], q: f64) -> f64 {
    let x = v
        .get(((v.len().max(1) - 1) as f64 * q).round() as usize)
        .copied()
        .unwrap_or(f64::NAN);
    (x * 100.0).round() / 100.0
}

/// The 1-minute load average (the machine is shared; every number comes with it).
fn load() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(-1.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs it only at a size asked for.
    if !std::env::args().any(|a| a == "--bench")
        && std::env::var_os("LASTMILE_BENCH_REQUESTS").is_none()
    {
        return Ok(());
    }
    let load_start = load();
    let n = requests();
    let dir = tempfile::tempdir()?;
    let config = ServerConfig {
        rates: RateLimits {
            sign_in_per_ip: 1_000_000,
            sign_in_per_device: 1_000_000,
            ..RateLimits::default()
        },
        ..ServerConfig::default()
    };
    let state = ServerState::open_sqlite_with(dir.path(), config)?;
    lastmile_server::seed::apply(&state, &seed())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(lastmile_server::serve(listener, state, async {
        if stop_rx.await.is_err() {
            eprintln!("bench ended without stopping the server");
        }
    }));
    let http = reqwest::Client::new();
    let driver = enrol(&http, &url).await?;
    let token = sign_in(&http, &url, &driver, "D").await?.access_token;
    let mut signers = Vec::new();
    for i in 1..=SIGNERS {
        signers.push((enrol(&http, &url).await?, format!("P{i}")));
    }
    // Warm up connections and caches.
    tours(&http, &url, &token, 10.min(n)).await?;

    let quiet_before = tours(&http, &url, &token, n).await?;
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for (dev, user) in signers {
        let (http, url, stop) = (reqwest::Client::new(), url.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut took = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                sign_in(&http, &url, &dev, &user).await?;
                took.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            anyhow::Ok(took)
        }));
    }
    // Let all six be hashing before the first timed request.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let loaded = tours(&http, &url, &token, n).await?;
    stop.store(true, Ordering::Relaxed);
    let mut sign_ins = Vec::new();
    for t in tasks {
        sign_ins.extend(t.await??);
    }
    sign_ins.sort_by(f64::total_cmp);
    let quiet_after = tours(&http, &url, &token, n).await?;

    let mut quiet: Vec<f64> = quiet_before.iter().chain(&quiet_after).copied().collect();
    quiet.sort_by(f64::total_cmp);
    let ratio = quantile(&loaded, 0.5) / quantile(&quiet, 0.5);
    println!(
        "{}",
        json!({
            "bench": "signin_under_load",
            "backend": "sqlite",
            "tour_requests_per_phase": n,
            "signers": SIGNERS,
            "quiet_tour_p50_ms": quantile(&quiet, 0.5),
            "quiet_tour_p99_ms": quantile(&quiet, 0.99),
            "loaded_tour_p50_ms": quantile(&loaded, 0.5),
            "loaded_tour_p99_ms": quantile(&loaded, 0.99),
            "ratio_p50_loaded_over_quiet": (ratio * 100.0).round() / 100.0,
            "sign_ins": sign_ins.len(),
            "sign_in_p50_ms": quantile(&sign_ins, 0.5),
            "load_start": load_start,
            "load_end": load(),
        })
    );
    if stop_tx.send(()).is_err() {
        eprintln!("server already stopped");
    }
    server.await??;
    Ok(())
}
