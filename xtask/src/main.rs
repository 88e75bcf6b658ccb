//! `cargo xtask <command>`: the developer commands of Lastmile.
//!
//! Every command that needs tools installs them first through [`setup`], idempotently, so the
//! README's two commands (`cargo xtask demo`, `cargo xtask test`) work on a fresh machine.

mod bench;
mod boundaries;
mod build;
mod demo;
mod fuzz;
mod lanes;
mod setup;
mod tiles;
mod util;

use anyhow::bail;

const USAGE: &str = "\
usage: cargo xtask <command>

  setup              install what building and testing need (Debian packages, wasm target,
                     tauri-driver, wasm-bindgen-cli); fast when already done
  demo [--station]   run the sync server and open the app against it, signed in as a demo driver
                     (--station: a second window as the station tablet, lead demo-lead PIN 1357)
                     with a tour in north Bayreuth (headless: a simulated check)
  gen-demo-tour      regenerate assets/demo/north-bayreuth-tour.json from the OSM address extract
  tiles EXTRACT OUT  vector tiles of an OSM extract (monaco, liechtenstein, baltimore,
                     north-bayreuth or a file) into one MBTiles archive, the offline map
  test               everything CI runs: fmt, clippy, boundaries, unit, integration and E2E tests
  build-ui           build the Leptos UI into target/ui-dist
  build-app          build the UI, the server and the app (debug; --release for release)
  fuzz [--seconds N] [TARGET...]
                     the AFL++ fuzz targets of crates/lastmile-fuzz, N seconds each (default 60)
  check-boundaries   fail if a crate depends on something ARCHITECTURE.md forbids
  bench engine       device engine: record a delivery vs bare rusqlite, load a tour (JSON lines)
  bench ingest       server ingest in events/s on SQLite and PostgreSQL
  bench upload       10,000 queued events uploaded, acknowledged and purged over loopback
  bench sync-peer    the same 10,000 events through PouchDB -> pouchdb-server and Lastmile, side
                     by side (npm packages installed into target/sync-peer), medians and ratio
  bench herd [--devices N] [--postgres [--servers K]]
                     N devices (2,000) with a day recorded offline reconnect at once, to one
                     server on SQLite or to K server processes (1) on one PostgreSQL
  bench offers       blocks lottery vs bots: 1,000 flex drivers, 100 rounds, vs first come first served
  bench dispatch [--events N]  the dispatch list at N events of history (1,000,000), quiet and beside a writer
  bench signin       GET /v1/tour quiet and while six people sign in
  bench app          release app under Xvfb: cold start to the tour screen, tap to delivered
";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = || args.iter().skip(1).map(String::as_str).collect::<Vec<_>>();
    match args.first().map(String::as_str) {
        Some("setup") => setup::run(),
        Some("build-ui") => build::ui(rest().contains(&"--release")),
        Some("build-app") => build::all(rest().contains(&"--release")),
        Some("demo") => demo::run(args.iter().any(|a| a == "--station")),
        Some("gen-demo-tour") => demo::gen_tour(),
        Some("tiles") => tiles::run(&rest()),
        Some("test") => test(),
        Some("check-boundaries") => boundaries::check(),
        Some("fuzz") => fuzz::command(&rest()),
        Some("bench") => bench::run(&rest()),
        Some("help" | "--help" | "-h") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => bail!("unknown command `{other}`\n\n{USAGE}"),
    }
}

/// Seconds each fuzz target runs in `cargo xtask test`.
const FUZZ_SECONDS_IN_TEST: u64 = 10;

/// The whole CI pipeline, in the order that fails fastest: checks and builds one after
/// another (each uses both cores), then the tests, the small benchmarks and the fuzz targets
/// in two lanes side by side ([`lanes`]).
fn test() -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    setup::run()?;
    // The sync-peer benchmark's npm packages: network, not CPU, so fetched while clippy runs.
    let peer = std::thread::spawn(bench::peer_modules);
    util::step(
        "cargo fmt --check",
        util::cargo(&["fmt", "--all", "--check"]),
    )?;
    boundaries::check()?;
    // The shell's build script embeds the UI, so the UI comes first.
    build::ui(false)?;
    util::step(
        "clippy (warnings denied)",
        util::cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    util::step(
        "clippy for the wasm UI",
        util::cargo(&[
            "clippy",
            "-p",
            "lastmile-ui",
            "-p",
            "lastmile-domain",
            "-p",
            "lastmile-protocol",
            "-p",
            "lastmile-offers",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    // E2E tests start the binaries; build them before the test run. With the tests selected
    // too, cargo unifies the dependencies' features as `cargo test --workspace` does, so the
    // test run reuses every library built here (`build -p` alone chose other features and
    // compiled tauri, gtk, tokio, rusqlite… a second time).
    util::step(
        "build binaries and tests",
        util::cargo(&["build", "--workspace", "--bins", "--tests"]),
    )?;
    // The test executables (also what `cargo test` builds beyond the step above: the test
    // harnesses of libraries, the benchmarks in the test profile). The lanes run them
    // directly, so none compiles or waits on cargo's lock of the target folder, and every
    // test target is in one of them.
    let mut args = vec!["--workspace", "--lib", "--bins", "--tests"];
    for b in bench::SMALL {
        args.extend(["--bench", b]);
    }
    let exes = util::build_tests("build the test harnesses and benchmarks", &args)?;
    let peer = peer
        .join()
        .map_err(|_| anyhow::anyhow!("installing the sync-peer packages panicked"))??;
    lanes::run(test_lanes(exes, &peer)?)?;
    eprintln!(
        "xtask test: all green in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The integration tests that mostly wait (the simulator's faults and days): a lane of their
/// own, apart from the E2E tests; every other test executable runs in the third lane.
const SLOW_WAITING: [&str; 2] = ["faults", "sim"];

fn test_lanes(
    exes: Vec<util::TestExe>,
    peer: &std::path::Path,
) -> anyhow::Result<Vec<lanes::Lane>> {
    // Two lanes: the E2E tests first and then the rest (their CPU-heavy server, engine and
    // fuzz work would slow the webview past the E2E waits), beside the simulator's tests
    // that mostly wait, and the small benchmarks after them.
    let mut e2e = lanes::Lane::new("e2e");
    let mut sim = lanes::Lane::new("sim");
    let mut rest = lanes::Lane::new("e2e-then-rest");
    let mut benches = Vec::new();
    for exe in exes {
        let what = format!("{} {}", exe.kind, exe.name);
        match (exe.kind.as_str(), exe.name.as_str()) {
            ("test", "e2e") => e2e = e2e.then(what, exe.command()),
            ("test", name) if SLOW_WAITING.contains(&name) => sim = sim.then(what, exe.command()),
            ("bench", _) => benches.push(exe),
            _ => rest = rest.then(what, exe.command()),
        }
    }
    for exe in benches {
        let mut cmd = exe.command();
        bench::small_env(&mut cmd, peer);
        sim = sim.then(format!("bench {} once at a small size", exe.name), cmd);
        for variant in bench::small_variants(&exe.name) {
            let mut cmd = exe.command();
            bench::small_env(&mut cmd, peer);
            cmd.envs(variant.iter().copied());
            let env: Vec<String> = variant.iter().map(|(k, v)| format!("{k}={v}")).collect();
            sim = sim.then(
                format!("bench {} once at a small size, {}", exe.name, env.join(" ")),
                cmd,
            );
        }
    }
    // Doc tests are compiled when run (rustdoc), so cargo runs them.
    rest = rest.then(
        "doc tests",
        util::cargo(&["test", "--workspace", "--no-fail-fast", "--doc"]),
    );
    // Every fuzz target briefly from its seed corpus (9 targets: about 2 min, plus the
    // instrumented build in its own target folder).
    // The workspace build's xtask (the build step replaced the one `cargo xtask` started).
    let mut fuzz = std::process::Command::new(util::target_dir().join("debug/xtask"));
    fuzz.args(["fuzz", "--seconds", &FUZZ_SECONDS_IN_TEST.to_string()])
        .current_dir(util::root());
    rest = rest.then("fuzz targets", fuzz);
    e2e.steps.append(&mut rest.steps);
    Ok(vec![e2e, sim])
}
