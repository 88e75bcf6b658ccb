//! Benchmark: the herd (issue 18). `LASTMILE_HERD_DEVICES` (default 2,000) simulated devices,
//! each with a day (`LASTMILE_HERD_STOPS` stops, default 25) recorded offline, reconnect at
//! the same moment to one server on SQLite. Prints the simulator's JSON line with the
//! server's peak RSS and CPU time and the load average added; fails if anything was lost.
//!
//! `cargo xtask bench herd --devices 2000`.

#[path = "../tests/support/server.rs"]
mod server;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn load() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(-1.0)
}

/// Peak resident set (VmHWM, MB) and CPU seconds (user + system) of a process.
fn rss_and_cpu(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let hwm_kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0);
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the parenthesised name: utime and stime are the 12th and 13th.
    let ticks: f64 = stat
        .rsplit_once(')')
        .map(|(_, rest)| {
            rest.split_whitespace()
                .skip(11)
                .take(2)
                .filter_map(|t| t.parse::<f64>().ok())
                .sum()
        })
        .unwrap_or(0.0);
    // USER_HZ is 100 on Linux.
    ((hwm_kb / 1024.0).round(), ticks / 100.0)
}

fn main() {
    let devices = env_usize("LASTMILE_HERD_DEVICES", 2000);
    let stops = env_usize("LASTMILE_HERD_STOPS", 25);
    let load_start = load();
    // Sign-in and enrolment limits are per IP; every simulated phone here shares one.
    let server = server::Server::start_with(&[
        "--enrol-per-min-per-ip",
        "1000000",
        "--sign-in-per-min-per-ip",
        "1000000",
    ]);
    let out = server::sim()
        .args([
            "--server",
            &server.url,
            "--admin-token",
            server::ADMIN_TOKEN,
            "--seed",
            "1",
            "--herd",
        ])
        .args(["--devices", &devices.to_string()])
        .args(["--stops", &stops.to_string(), "--settle-s", "900"])
        .arg("--tours")
        .arg(server::lmrrc_dir())
        .output()
        .expect("running lastmile-sim");
    let (rss_mb, cpu_s) = server.pid().map(rss_and_cpu).unwrap_or_default();
    let line = String::from_utf8_lossy(&out.stdout);
    let mut v: serde_json::Value = serde_json::from_str(line.trim()).unwrap_or_else(|e| {
        panic!(
            "lastmile-sim printed no JSON line ({e}): {line}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    v["server_peak_rss_mb"] = rss_mb.into();
    v["server_cpu_s"] = ((cpu_s * 100.0).round() / 100.0).into();
    v["load_start"] = load_start.into();
    v["load_end"] = load().into();
    println!("{v}");
    assert!(
        out.status.success(),
        "herd failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(v["lost"], 0, "events lost");
}
