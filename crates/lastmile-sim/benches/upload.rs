//! Benchmark: 10,000 events queued on one device (real store, SQLite FULL), uploaded,
//! acknowledged and purged over loopback against the real server binary. Prints the
//! simulator's JSON line: time, requests, request bytes per event (target <= 130 B).
//!
//! `CARGO_TARGET_DIR=... cargo bench -p lastmile-sim` (events: `LASTMILE_BENCH_EVENTS`).

#[path = "../tests/support/server.rs"]
mod server;

fn main() {
    let events = std::env::var("LASTMILE_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000usize);
    let server = server::Server::start();
    let out = server::sim()
        .args([
            "--server",
            &server.url,
            "--admin-token",
            server::ADMIN_TOKEN,
            "--seed",
            "1",
        ])
        .args(["--bench-events", &events.to_string(), "--settle-s", "600"])
        .arg("--tours")
        .arg(server::lmrrc_dir())
        .output()
        .expect("running lastmile-sim");
    let line = String::from_utf8_lossy(&out.stdout);
    print!("{line}");
    assert!(
        out.status.success(),
        "bench failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(line.trim()).expect("one JSON line");
    let per_event = v["bytes_per_event"].as_f64().unwrap_or(f64::MAX);
    assert!(
        per_event <= 130.0,
        "{per_event} B per event is over the 130 B target"
    );
}
