//! Sign-in under load: how much six people signing in at once (argon2 on each PIN) slow
//! everyone else. `GET /v1/tour` (a 250-stop tour) is timed one request after the other on a
//! quiet server, then while six clients sign in back to back without pause, then quiet again;
//! the server runs on SQLite over loopback HTTP, with the sign-in rate limits lifted so the
//! six keep the PIN hashing busy the whole time. Prints one JSON line: the tour request's
//! p50/p99 quiet (before and after together) and loaded, their p50 ratio (issue 18's goal is
//! at most 2), the sign-ins done with their p50, and the load average.
//!
//! `cargo xtask bench signin` (`LASTMILE_BENCH_REQUESTS`: tour requests a phase, default 300;
//! with it set, `cargo test --bench signin` runs it too, as `cargo xtask test` does at a small
//! size).

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use lastmile_protocol::auth::Role;
use lastmile_protocol::tour::TourSnapshot;
use lastmile_server::limits::RateLimits;
use lastmile_server::{ServerConfig, ServerState};
use serde_json::json;

/// People signing in at once, as in the issue.
const SIGNERS: usize = 6;
const STOPS: u32 = 250;

/// `n` tour requests one after the other: their latencies in ms.
async fn tours(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    n: usize,
) -> anyhow::Result<Vec<f64>> {
    let url = format!("{url}/v1/tour");
    common::timed_gets(http, &url, token, n, |tour: &TourSnapshot| {
        anyhow::ensure!(
            tour.stops.len() == STOPS as usize,
            "{} stops",
            tour.stops.len()
        );
        Ok(())
    })
    .await
}

fn p50(v: &serde_json::Value) -> f64 {
    v["p50_ms"].as_f64().unwrap_or(f64::NAN)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    if !common::should_run("LASTMILE_BENCH_REQUESTS") {
        return Ok(());
    }
    let load_start = common::load();
    let n: usize = common::env_or("LASTMILE_BENCH_REQUESTS", 300);
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
    let signers: Vec<String> = (1..=SIGNERS).map(|i| format!("P{i}")).collect();
    let users: Vec<(&str, Role)> = std::iter::once("D")
        .chain(signers.iter().map(String::as_str))
        .map(|u| (u, Role::Driver))
        .collect();
    let today = chrono::Utc::now().date_naive();
    let tour = common::plan("T-D", "D", today, STOPS, |i| format!("P{i}"));
    lastmile_server::seed::apply(&state, &common::seed(&users, vec![tour]))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let server = common::start(state).await?;
    let url = server.url.clone();
    let http = reqwest::Client::new();
    let (_, token) = common::device_with(&http, &url, Role::Driver, "D").await?;
    let mut devices = Vec::new();
    for user in signers {
        devices.push((common::enrol(&http, &url).await?, user));
    }
    // Warm up connections and caches.
    tours(&http, &url, &token, 10.min(n)).await?;

    let quiet_before = tours(&http, &url, &token, n).await?;
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for (dev, user) in devices {
        let (http, url, stop) = (reqwest::Client::new(), url.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut took = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                common::sign_in(&http, &url, &dev, Role::Driver, &user).await?;
                took.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            anyhow::Ok(took)
        }));
    }
    // Let all six be hashing before the first timed request.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let loaded = common::percentiles(tours(&http, &url, &token, n).await?);
    stop.store(true, Ordering::Relaxed);
    let mut sign_ins = Vec::new();
    for t in tasks {
        sign_ins.extend(t.await??);
    }
    anyhow::ensure!(
        !sign_ins.is_empty(),
        "no sign-in finished while the tour was timed"
    );
    let mut quiet = quiet_before;
    quiet.extend(tours(&http, &url, &token, n).await?);
    let quiet = common::percentiles(quiet);
    let ratio = p50(&loaded) / p50(&quiet);
    println!(
        "{}",
        json!({
            "bench": "signin_under_load",
            "backend": "sqlite",
            "signers": SIGNERS,
            "tour_quiet": quiet,
            "tour_loaded": loaded,
            "ratio_p50_loaded_over_quiet": (ratio * 100.0).round() / 100.0,
            "target_ratio": 2,
            "sign_ins": common::percentiles(sign_ins),
            "load_start": load_start,
            "load_end": common::load(),
        })
    );
    server.stop().await
}
