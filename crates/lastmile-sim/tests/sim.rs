//! The fleet simulator against the real server binary over loopback: 20 devices, 20 %
//! dropped requests and answers, the server SIGKILLed and restarted under them. Nothing may
//! be lost, duplicated or attached to the wrong stop or parcel. And the hard day on both
//! backends: devices that keep no PIN on short-lived access tokens, a slow link (8 KB/s,
//! 1.5 s round trips) that also cuts uploads, 20 % drops, two SIGKILLs: every photo arrives.

mod support;

use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

use support::server::{ADMIN_TOKEN, Server, lmrrc_dir, sim};

fn run_sim(
    server: &mut Server,
    devices: usize,
    drop_rate: f64,
    seed: u64,
    kill_after: Option<Duration>,
) -> serde_json::Value {
    run_sim_with(
        server,
        devices,
        drop_rate,
        seed,
        kill_after.as_slice(),
        &["--stops", "8"],
    )
}

/// Runs the simulator; SIGKILLs and restarts the server at each of `kills` (from the start).
fn run_sim_with(
    server: &mut Server,
    devices: usize,
    drop_rate: f64,
    seed: u64,
    kills: &[Duration],
    extra: &[&str],
) -> serde_json::Value {
    let log = tempfile::NamedTempFile::new().expect("log file");
    let started = Instant::now();
    let mut child = sim()
        .args(["--server", &server.url, "--admin-token", ADMIN_TOKEN])
        .args([
            "--devices",
            &devices.to_string(),
            "--seed",
            &seed.to_string(),
        ])
        .args(["--drop-rate", &drop_rate.to_string(), "--settle-s", "120"])
        .args(extra)
        .arg("--tours")
        .arg(lmrrc_dir())
        .stdout(Stdio::piped())
        .stderr(log.reopen().expect("log file"))
        .spawn()
        .expect("starting lastmile-sim");
    for at in kills {
        std::thread::sleep(at.saturating_sub(started.elapsed()));
        server.kill();
        std::thread::sleep(Duration::from_millis(700));
        server.restart();
    }
    let deadline = Instant::now() + Duration::from_secs(400);
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for the simulator") {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().expect("kill a hung simulator");
            panic!("the simulator did not finish in time");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut out = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut out)
        .expect("reading the summary");
    let line = out.lines().last().unwrap_or_default();
    let stderr = std::fs::read_to_string(log.path()).unwrap_or_default();
    let tail: String = stderr.lines().rev().take(20).collect::<Vec<_>>().join("\n");
    let summary: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| {
        panic!("summary {out:?}: {e}; stderr (last lines, newest first):\n{tail}")
    });
    eprintln!("{summary}");
    assert!(
        status.success(),
        "simulator failed ({status}): {summary}; stderr (last lines, newest first):\n{tail}"
    );
    summary
}

fn n(v: &serde_json::Value, key: &str) -> u64 {
    v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
}

#[test]
fn twenty_devices_with_a_fifth_of_traffic_dropped_and_the_server_killed_lose_nothing() {
    let mut server = Server::start();
    let s = run_sim(&mut server, 20, 0.2, 20, Some(Duration::from_millis(1500)));
    assert_eq!(n(&s, "devices"), 20);
    assert!(n(&s, "events_recorded") >= 100, "{s}");
    assert_eq!(n(&s, "events_recorded"), n(&s, "events_acked"), "{s}");
    assert_eq!(n(&s, "events_recorded"), n(&s, "events_on_server"), "{s}");
    assert_eq!(n(&s, "duplicates_on_server"), 0, "{s}");
    assert_eq!(n(&s, "lost"), 0, "{s}");
    assert_eq!(n(&s, "misattached"), 0, "{s}");
    assert!(n(&s, "blobs_recorded") > 0);
    assert_eq!(n(&s, "blobs_recorded"), n(&s, "blobs_on_server"), "{s}");
}

#[test]
fn a_rerun_with_the_same_seed_against_the_same_server_still_checks_clean() {
    // Seeding is an upsert and enrolment codes are reset: a second run adds new devices and
    // finds exactly its own events.
    let mut server = Server::start();
    let first = run_sim(&mut server, 2, 0.0, 3, None);
    let second = run_sim(&mut server, 2, 0.0, 3, None);
    assert_eq!(n(&first, "lost") + n(&second, "lost"), 0);
    assert_eq!(
        n(&second, "events_recorded"),
        n(&second, "events_on_server")
    );
}

/// The "done when": devices that keep no PIN (access tokens live 10 s, so they
/// refresh again and again, through lost answers), 20 % of requests and answers dropped, uploads cut mid-way,
/// a slow link of 8 KB/s with 1.5 s round trips, and the server SIGKILLed twice.
fn a_hard_day(extra_server_args: &[&str], seed: u64) {
    let mut args = vec!["--access-ttl-secs", "10"];
    args.extend_from_slice(extra_server_args);
    let mut server = Server::start_with(&args);
    let s = run_sim_with(
        &mut server,
        3,
        0.2,
        seed,
        &[Duration::from_secs(4), Duration::from_secs(14)],
        &[
            "--stops",
            "3",
            "--link-bytes-per-s",
            "8000",
            "--link-rtt-ms",
            "1500",
            "--photo-kb",
            "16",
            "--offline-rate",
            "0",
        ],
    );
    assert_eq!(n(&s, "devices"), 3);
    assert!(n(&s, "events_recorded") >= 6, "{s}");
    assert_eq!(n(&s, "events_recorded"), n(&s, "events_acked"), "{s}");
    assert_eq!(n(&s, "events_recorded"), n(&s, "events_on_server"), "{s}");
    assert_eq!(n(&s, "duplicates_on_server"), 0, "{s}");
    assert_eq!(n(&s, "lost"), 0, "{s}");
    assert_eq!(n(&s, "misattached"), 0, "{s}");
    assert_eq!(n(&s, "signed_out_devices"), 0, "{s}");
    assert!(
        n(&s, "refreshes") >= 3,
        "the devices lived on refresh tokens: {s}"
    );
    assert_eq!(n(&s, "unsettled_devices"), 0, "{s}");
    assert!(n(&s, "blobs_recorded") > 0, "{s}");
    assert_eq!(n(&s, "blobs_recorded"), n(&s, "blobs_on_server"), "{s}");
}

#[test]
fn a_hard_day_on_sqlite_loses_no_event_and_no_photo() {
    a_hard_day(&[], 44);
}

#[test]
fn a_hard_day_on_postgres_loses_no_event_and_no_photo() {
    let url = support::server::postgres_database();
    a_hard_day(&["--database-url", &url], 42);
}

/// The herd at a small size (issue 18): every device has its day recorded offline and all
/// reconnect at the same moment; everything is acknowledged, nothing lost.
#[test]
fn a_small_herd_reconnecting_at_once_loses_nothing() {
    let server = Server::start();
    let v = small_herd(&[&server], &[]);
    assert_eq!(n(&v, "devices"), 12, "{v}");
}

/// A herd of 12 devices with 3 stops each over `servers` (device i on server i mod k), with
/// `extra` arguments; checks that every recorded event is acknowledged and on the server and
/// no blob is missing there, and returns the simulator's JSON line.
fn small_herd(servers: &[&Server], extra: &[&str]) -> serde_json::Value {
    let mut cmd = sim();
    for s in servers {
        cmd.args(["--server", &s.url]);
    }
    let out = cmd
        .args(["--admin-token", ADMIN_TOKEN, "--herd"])
        .args(extra)
        .args(["--devices", "12", "--stops", "3", "--settle-s", "120"])
        .arg("--tours")
        .arg(lmrrc_dir())
        .output()
        .expect("running lastmile-sim");
    assert!(
        out.status.success(),
        "herd failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("lastmile-sim prints one JSON line");
    assert_eq!(n(&v, "lost"), 0, "{v}");
    assert!(n(&v, "events_recorded") > 0, "{v}");
    assert_eq!(n(&v, "events_acked"), n(&v, "events_recorded"), "{v}");
    assert_eq!(n(&v, "events_on_server"), n(&v, "events_recorded"), "{v}");
    assert_eq!(n(&v, "missing_blobs"), 0, "{v}");
    v
}

/// The herd on three server processes sharing one PostgreSQL (the fleet's deployment), its
/// devices spread over them and over two simulator processes released together: nothing
/// lost, and the dispatch list of the last server shows every delivery the others applied.
#[test]
fn a_small_herd_over_three_servers_on_one_postgres_loses_nothing() {
    let url = support::server::postgres_database();
    let servers: Vec<Server> = (0..3)
        .map(|_| Server::start_with(&["--database-url", &url]))
        .collect();
    let v = small_herd(&servers.iter().collect::<Vec<_>>(), &["--processes", "2"]);
    assert_eq!(n(&v, "servers"), 3, "{v}");
    assert_eq!(n(&v, "sim_processes"), 2, "{v}");
}
