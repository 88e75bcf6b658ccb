//! `cargo xtask bench …`: benchmarks in release mode, one JSON line per measure, and the
//! small-size run of each that `cargo xtask test` does so they cannot rot.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::{setup, util};

/// The npm packages `bench sync-peer` compares against, at exact versions.
const PEER_PACKAGES: &[(&str, &str)] = &[("pouchdb", "9.0.0"), ("pouchdb-server", "4.2.0")];

pub fn run(args: &[&str]) -> anyhow::Result<()> {
    let (what, cmd): (&str, &[&str]) = match args.first() {
        Some(&"engine") => (
            "device engine",
            &["bench", "-p", "lastmile-store", "--bench", "engine"],
        ),
        Some(&"ingest") => (
            "server ingest (SQLite and PostgreSQL)",
            &["bench", "-p", "lastmile-server", "--bench", "ingest"],
        ),
        Some(&"upload") => (
            "10,000 queued events device -> server",
            &["bench", "-p", "lastmile-sim", "--bench", "upload"],
        ),
        Some(&"sync-peer") => (
            "Lastmile vs PouchDB -> pouchdb-server, 10,000 events, 3 interleaved runs",
            &["bench", "-p", "lastmile-sim", "--bench", "sync_peer"],
        ),
        Some(&"herd") => (
            "the herd: N devices with a day recorded offline reconnect at once (SQLite, or k servers on one PostgreSQL)",
            &["bench", "-p", "lastmile-sim", "--bench", "herd"],
        ),
        Some(&"offers") => (
            "blocks lottery vs bots and first come, first served",
            &["bench", "-p", "lastmile-sim", "--bench", "offers"],
        ),
        Some(&"dispatch") => (
            "GET /v1/dispatch/tours at a long history, quiet and beside a writer",
            &["bench", "-p", "lastmile-server", "--bench", "dispatch"],
        ),
        Some(&"signin") => (
            "GET /v1/tour quiet and while six people sign in (SQLite)",
            &["bench", "-p", "lastmile-server", "--bench", "signin"],
        ),
        Some(&"app") => return app(),
        _ => bail!(
            "usage: cargo xtask bench engine|ingest|upload|sync-peer|herd [--devices N] [--postgres [--servers K]]|offers|dispatch [--events N]|signin|app"
        ),
    };
    // Only the Debian packages (PostgreSQL among them): the wasm, WebDriver and fuzzing tools
    // of `setup` serve no benchmark here (`app` builds the UI, which sets those up itself).
    setup::debian_packages()?;
    let mut cmd = util::cargo(cmd);
    if args.first() == Some(&"sync-peer") {
        cmd.env("LASTMILE_PEER_MODULES", peer_modules()?);
    }
    if matches!(args.first(), Some(&"upload" | &"sync-peer" | &"herd")) {
        cmd.env("LASTMILE_SERVER_BIN", release_server()?);
    }
    if let Some(n) = flag(args, "--devices") {
        cmd.env("LASTMILE_HERD_DEVICES", n);
    }
    if args.contains(&"--postgres") {
        cmd.env("LASTMILE_HERD_BACKEND", "postgres");
    }
    if let Some(k) = flag(args, "--servers") {
        if !args.contains(&"--postgres") && k != "1" {
            bail!("bench herd --servers {k}: several servers share one database, add --postgres");
        }
        cmd.env("LASTMILE_HERD_SERVERS", k);
    }
    if let Some(n) = flag(args, "--events") {
        cmd.env("LASTMILE_BENCH_EVENTS", n);
    }
    util::step(&format!("bench {what}"), cmd)
}

/// The release server for the simulator's benchmarks, built alone: without it their server
/// launcher (`crates/lastmile-sim/tests/support/server.rs`) builds the whole workspace in
/// release, the app and the UI included.
fn release_server() -> anyhow::Result<PathBuf> {
    util::step(
        "build the release server",
        util::cargo(&[
            "build",
            "--release",
            "-p",
            "lastmile-server",
            "--bin",
            "lastmile-server",
        ]),
    )?;
    Ok(util::target_dir().join("release/lastmile-server"))
}

/// The value after `name` in `args`.
fn flag<'a>(args: &[&'a str], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| *a == name)
        .and_then(|i| args.get(i + 1).copied())
}

/// `target/sync-peer/node_modules` with PouchDB and pouchdb-server installed from the npm
/// registry (nothing vendored); installed once, again only when a version changes.
pub fn peer_modules() -> anyhow::Result<PathBuf> {
    setup::node_and_npm()?;
    let dir = util::target_dir().join("sync-peer");
    let modules = dir.join("node_modules");
    let installed = |name: &str, version: &str| {
        std::fs::read_to_string(modules.join(name).join("package.json"))
            .ok()
            .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
            .is_some_and(|v| v["version"] == version)
    };
    if PEER_PACKAGES.iter().all(|(n, v)| installed(n, v)) {
        return Ok(modules);
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let deps: serde_json::Map<String, serde_json::Value> = PEER_PACKAGES
        .iter()
        .map(|(n, v)| (n.to_string(), serde_json::Value::from(*v)))
        .collect();
    let manifest = serde_json::json!({"name": "lastmile-sync-peer-bench", "private": true, "dependencies": deps});
    std::fs::write(dir.join("package.json"), manifest.to_string())?;
    let mut npm = Command::new("npm");
    npm.args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&dir);
    util::step("npm install pouchdb pouchdb-server (target/sync-peer)", npm)?;
    Ok(modules)
}

/// The app benchmark needs the release app (UI embedded through the custom protocol) and the
/// release server next to the benchmark binary, in `target/release`.
fn app() -> anyhow::Result<()> {
    crate::build::ui(true)?;
    util::step(
        "build the release app and server",
        util::cargo(&[
            "build",
            "--release",
            "-p",
            "lastmile-server",
            "-p",
            "lastmile-app",
            "--features",
            "lastmile-app/custom-protocol",
        ]),
    )?;
    // The station's offline map for `cold_start_map`: the north-Bayreuth archive, the demo
    // tour's area, so the map draws real tiles.
    let map = util::target_dir().join("bench-app/north-bayreuth.mbtiles");
    std::fs::create_dir_all(map.parent().context("the archive's folder")?)?;
    crate::tiles::build(&crate::tiles::extract_path("north-bayreuth"), &map)?;
    let mut bench = util::cargo(&["bench", "-p", "lastmile-tests", "--bench", "app"]);
    bench.env("LASTMILE_BENCH_MAP_ARCHIVE", &map);
    util::step(
        "bench app (cold start, with and without the map, tap to delivered)",
        bench,
    )
}

/// The benchmarks `cargo xtask test` runs once at a small size.
pub const SMALL: [&str; 6] = [
    "upload",
    "sync_peer",
    "herd",
    "ingest",
    "dispatch",
    "signin",
];

/// The variants of a benchmark of [`SMALL`] that `cargo xtask test` runs besides the plain
/// one, each as more environment: the herd also on three server processes sharing one
/// PostgreSQL (the fleet's deployment), with its devices in two simulator processes, so
/// neither path rots.
pub fn small_variants(bench: &str) -> &'static [&'static [(&'static str, &'static str)]] {
    match bench {
        "herd" => &[&[
            ("LASTMILE_HERD_BACKEND", "postgres"),
            ("LASTMILE_HERD_SERVERS", "3"),
            ("LASTMILE_HERD_PROCESSES", "2"),
        ]],
        _ => &[],
    }
}

/// The environment that makes a benchmark of [`SMALL`] run once at a small size.
pub fn small_env(cmd: &mut Command, peer_modules: &Path) {
    cmd.env("LASTMILE_PEER_MODULES", peer_modules)
        .env("LASTMILE_BENCH_EVENTS", "300")
        .env("LASTMILE_BENCH_REQUESTS", "30")
        .env("LASTMILE_BENCH_RUNS", "1")
        .env("LASTMILE_HERD_DEVICES", "20")
        .env("LASTMILE_HERD_STOPS", "5");
}
