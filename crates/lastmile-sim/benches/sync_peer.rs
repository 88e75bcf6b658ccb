//! Benchmark: Lastmile's sync side by side with PouchDB → pouchdb-server (issue 18).
//!
//! Interleaved `LASTMILE_BENCH_RUNS` times (default 3): (a) PouchDB (LevelDB) writes
//! `LASTMILE_BENCH_EVENTS` (default 10,000) delivery-like documents one `put` at a time and
//! pushes them to a fresh pouchdb-server over loopback (`sync_peer/pouch.js`); (b) one
//! Lastmile device records as many deliveries (real store, SQLite FULL) and uploads them,
//! acknowledged and purged, to a fresh `lastmile-server` (`lastmile-sim --bench-events`).
//! Prints one JSON line with both medians, the ratio PouchDB push / Lastmile upload and the
//! load average at start and end (the machine is shared).
//!
//! `LASTMILE_PEER_MODULES` names the `node_modules` folder with `pouchdb` and `pouchdb-server`;
//! `cargo xtask bench sync-peer` installs them from npm into `target/sync-peer/` and sets it.

#[path = "../tests/support/server.rs"]
mod server;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The 1-minute load average, as `uptime` shows it.
fn load() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(-1.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// A pouchdb-server process; killed on drop.
struct PouchServer(Child);

impl Drop for PouchServer {
    fn drop(&mut self) {
        if let Err(e) = self.0.kill().and_then(|()| self.0.wait().map(drop)) {
            eprintln!("stopping pouchdb-server: {e}");
        }
    }
}

fn pouch_run(modules: &Path, events: usize) -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let srv = dir.path().join("server");
    std::fs::create_dir_all(&srv).expect("server dir");
    let port = server::free_port();
    let _server = PouchServer(
        Command::new("node")
            .arg(modules.join("pouchdb-server/bin/pouchdb-server"))
            .args(["--port", &port.to_string(), "--host", "127.0.0.1", "-n"])
            .arg("--dir")
            .arg(&srv)
            .arg("--config")
            .arg(srv.join("config.json"))
            .current_dir(&srv)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting pouchdb-server (node)"),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "pouchdb-server did not listen");
        std::thread::sleep(Duration::from_millis(100));
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/sync_peer/pouch.js");
    let out = Command::new("node")
        .arg(script)
        .arg(modules)
        .arg(format!("http://127.0.0.1:{port}"))
        .arg(dir.path())
        .arg(events.to_string())
        .output()
        .expect("running pouch.js");
    assert!(
        out.status.success(),
        "pouch.js failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("pouch.js prints one JSON line")
}

fn lastmile_run(events: usize) -> Value {
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
    assert!(
        out.status.success(),
        "lastmile-sim failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("lastmile-sim prints one JSON line")
}

fn main() {
    let events = env_usize("LASTMILE_BENCH_EVENTS", 10_000);
    let runs = env_usize("LASTMILE_BENCH_RUNS", 3).max(1);
    let modules = PathBuf::from(
        std::env::var_os("LASTMILE_PEER_MODULES")
            .expect("LASTMILE_PEER_MODULES: the node_modules folder with pouchdb and pouchdb-server (cargo xtask bench sync-peer sets it)"),
    );
    let load_start = load();
    let (mut push, mut write, mut upload, mut record, mut bytes) =
        (vec![], vec![], vec![], vec![], vec![]);
    for run in 0..runs {
        let p = pouch_run(&modules, events);
        let o = lastmile_run(events);
        eprintln!("run {}: pouchdb {p} | lastmile {o}", run + 1);
        push.push(p["push_s"].as_f64().expect("push_s"));
        write.push(p["write_s"].as_f64().expect("write_s"));
        upload.push(o["upload_s"].as_f64().expect("upload_s"));
        record.push(o["record_s"].as_f64().expect("record_s"));
        bytes.push(o["bytes_per_event"].as_f64().expect("bytes_per_event"));
    }
    let (push_m, upload_m) = (median(push), median(upload));
    let per_event = median(bytes);
    println!(
        "{}",
        serde_json::json!({
            "bench": "sync_peer",
            "events": events,
            "runs": runs,
            "pouchdb_push_s": round3(push_m),
            "pouchdb_write_s": round3(median(write)),
            "lastmile_upload_s": round3(upload_m),
            "lastmile_record_s": round3(median(record)),
            "lastmile_bytes_per_event": per_event,
            "ratio_push_over_upload": (push_m / upload_m * 10.0).round() / 10.0,
            "load_start": load_start,
            "load_end": load(),
        })
    );
    // The budget is per event of a full run; a small run (CI) carries each request's fixed
    // bytes over few events.
    assert!(
        events < 10_000 || per_event <= 40.0,
        "{per_event} B per event is over the 40 B budget"
    );
}
