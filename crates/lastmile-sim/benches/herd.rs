//! Benchmark: the herd (issue 18). `LASTMILE_HERD_DEVICES` (default 2,000) simulated devices,
//! each with a day (`LASTMILE_HERD_STOPS` stops, default 25) recorded offline, reconnect at
//! the same moment: to one server on SQLite, or (`LASTMILE_HERD_BACKEND=postgres`) to
//! `LASTMILE_HERD_SERVERS` server processes (default 1) on one throwaway PostgreSQL
//! (`fsync` on), the devices spread over them round robin as phones behind a load balancer.
//! `LASTMILE_HERD_PROCESSES` sets the simulator's `--processes` (default 0: one process per
//! 2,500 devices).
//!
//! Prints the simulator's JSON line with the backend, every server's peak RSS and CPU time
//! (and their sum and max), PostgreSQL's CPU time, the CPU each spent in the drain (from the
//! release until every device settled; sampled, so seeding's and sign-in's argon2 are not in
//! it) and the load average added; fails if anything was lost or a device did not settle.
//!
//! `cargo xtask bench herd --devices 2000 [--postgres --servers 3]`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

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

/// `/proc/PID/stat`'s fields after the parenthesised name (state is the first).
fn stat_fields(pid: u32) -> Vec<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Clock ticks in `fields` at these positions (USER_HZ is 100 on Linux), in seconds.
fn seconds(fields: &[String], at: &[usize]) -> f64 {
    at.iter()
        .filter_map(|&i| fields.get(i)?.parse::<f64>().ok())
        .sum::<f64>()
        / 100.0
}

/// utime and stime; cutime and cstime (of the children it has reaped) follow them.
const OWN_CPU: [usize; 2] = [11, 12];
const REAPED_CPU: [usize; 2] = [13, 14];

/// Peak resident set (VmHWM, MB) and CPU seconds (user + system) of a process.
fn rss_and_cpu(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let hwm_kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0);
    (
        (hwm_kb / 1024.0).round(),
        seconds(&stat_fields(pid), &OWN_CPU),
    )
}

/// CPU seconds of a PostgreSQL cluster: the postmaster's own and its reaped backends', plus
/// those of its children still running (backends, checkpointer, WAL writer, …).
fn postgres_cpu(data_dir: &std::path::Path) -> f64 {
    let Some(postmaster) = std::fs::read_to_string(data_dir.join("postmaster.pid"))
        .ok()
        .and_then(|s| s.lines().next()?.trim().parse::<u32>().ok())
    else {
        return -1.0;
    };
    let own = stat_fields(postmaster);
    let mut cpu = seconds(&own, &OWN_CPU) + seconds(&own, &REAPED_CPU);
    let pids = std::fs::read_dir("/proc").into_iter().flatten().flatten();
    for pid in pids.filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok()) {
        let fields = stat_fields(pid);
        // The parent's pid is the field after the state.
        if fields.get(1).and_then(|p| p.parse::<u32>().ok()) == Some(postmaster) {
            cpu += seconds(&fields, &OWN_CPU);
        }
    }
    cpu
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One reading of the servers' CPU seconds and PostgreSQL's (0 on SQLite).
struct Sample {
    at: Instant,
    servers: Vec<f64>,
    postgres: f64,
}

fn main() {
    let devices = env_usize("LASTMILE_HERD_DEVICES", 2000);
    let stops = env_usize("LASTMILE_HERD_STOPS", 25);
    let servers = env_usize("LASTMILE_HERD_SERVERS", 1).max(1);
    let processes = env_usize("LASTMILE_HERD_PROCESSES", 0);
    let backend = std::env::var("LASTMILE_HERD_BACKEND").unwrap_or_else(|_| "sqlite".into());
    assert!(
        backend == "sqlite" || backend == "postgres",
        "LASTMILE_HERD_BACKEND is sqlite or postgres, not {backend:?}"
    );
    assert!(
        servers == 1 || backend == "postgres",
        "{servers} servers need one shared database: LASTMILE_HERD_BACKEND=postgres"
    );
    let load_start = load();
    // Durable like production (the tests' cluster runs without fsync); kept until the end.
    let pg = (backend == "postgres").then(|| {
        lastmile_server::testing::PgCluster::start(true)
            .unwrap_or_else(|e| panic!("cannot start the throwaway PostgreSQL: {e:#}"))
    });
    let mut extra = vec![
        // Sign-in and enrolment limits are per IP; every simulated phone here shares one.
        "--enrol-per-min-per-ip".to_owned(),
        "1000000".to_owned(),
        "--sign-in-per-min-per-ip".to_owned(),
        "1000000".to_owned(),
        // So is the connection cap: phones on distinct addresses each get the server's whole
        // connection budget (768), not a 128-connection share of one address.
        "--max-connections-per-ip".to_owned(),
        "768".to_owned(),
    ];
    if let Some(pg) = &pg {
        let url = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(pg.new_database())
            .expect("a fresh PostgreSQL database");
        extra.extend(["--database-url".to_owned(), url]);
    }
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
    // Started together, as a deployment's instances are: their migrations meet at the
    // advisory lock.
    let servers: Vec<server::Server> = std::thread::scope(|s| {
        let starting: Vec<_> = (0..servers)
            .map(|_| s.spawn(|| server::Server::start_with(&extra)))
            .collect();
        starting
            .into_iter()
            .map(|h| h.join().expect("starting a server"))
            .collect()
    });
    let mut sim = server::sim();
    for s in &servers {
        sim.args(["--server", &s.url]);
    }
    sim.args([
        "--admin-token",
        server::ADMIN_TOKEN,
        "--seed",
        "1",
        "--herd",
    ])
    .args(["--devices", &devices.to_string()])
    .args(["--processes", &processes.to_string()])
    .args(["--stops", &stops.to_string(), "--settle-s", "900"])
    .arg("--tours")
    .arg(server::lmrrc_dir());

    let pids: Vec<u32> = servers.iter().filter_map(server::Server::pid).collect();
    let pg_data = pg.as_ref().and_then(|pg| pg.dir()).map(|d| d.join("data"));
    let sample = || Sample {
        at: Instant::now(),
        servers: pids.iter().map(|&p| rss_and_cpu(p).1).collect(),
        postgres: pg_data.as_deref().map_or(0.0, postgres_cpu),
    };
    let done = AtomicBool::new(false);
    let (out, samples) = std::thread::scope(|s| {
        let sampler = s.spawn(|| {
            let mut samples = vec![sample()];
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(250));
                samples.push(sample());
            }
            samples
        });
        let out = sim.output();
        done.store(true, Ordering::Relaxed);
        (out, sampler.join().expect("the CPU sampler"))
    });
    let out = out.expect("running lastmile-sim");
    let end = sample();
    let rss: Vec<f64> = pids.iter().map(|&p| rss_and_cpu(p).0).collect();
    let line = String::from_utf8_lossy(&out.stdout);
    let mut v: serde_json::Value = serde_json::from_str(line.trim()).unwrap_or_else(|e| {
        panic!(
            "lastmile-sim printed no JSON line ({e}): {line}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    // The last reading before the release (the drain's start, `drain_s` before the end; the
    // server-side check after it is a few requests).
    let drain_s = v["drain_s"].as_f64().unwrap_or(0.0);
    let release = end.at.checked_sub(Duration::from_secs_f64(drain_s));
    let before = samples
        .iter()
        .rev()
        .find(|s| release.is_some_and(|r| s.at <= r))
        .unwrap_or(&samples[0]);
    let cpu: Vec<f64> = end.servers.iter().copied().map(round2).collect();
    let drain_cpu: Vec<f64> = end
        .servers
        .iter()
        .zip(&before.servers)
        .map(|(e, b)| round2(e - b))
        .collect();
    let max = |xs: &[f64]| xs.iter().copied().fold(0.0, f64::max);
    v["backend"] = backend.into();
    v["server_peak_rss_mb"] = rss.clone().into();
    v["server_peak_rss_mb_sum"] = rss.iter().sum::<f64>().into();
    v["server_peak_rss_mb_max"] = max(&rss).into();
    v["server_cpu_s"] = cpu.clone().into();
    v["server_cpu_s_sum"] = round2(cpu.iter().sum()).into();
    v["server_cpu_s_max"] = max(&cpu).into();
    v["server_drain_cpu_s"] = drain_cpu.clone().into();
    v["server_drain_cpu_s_sum"] = round2(drain_cpu.iter().sum()).into();
    if pg.is_some() {
        v["postgres_cpu_s"] = round2(end.postgres).into();
        v["postgres_drain_cpu_s"] = round2(end.postgres - before.postgres).into();
    }
    v["load_start"] = load_start.into();
    v["load_end"] = load().into();
    println!("{v}");
    assert!(
        out.status.success(),
        "herd failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(v["lost"], 0, "events lost");
    assert_eq!(v["unsettled_devices"], 0, "devices not settled");
}
