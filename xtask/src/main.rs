//! `cargo xtask <command>`: the developer commands of Lastmile.
//!
//! Every command that needs tools installs them first through [`setup`], idempotently, so the
//! README's two commands (`cargo xtask demo`, `cargo xtask test`) work on a fresh machine.

mod bench;
mod boundaries;
mod build;
mod demo;
mod fuzz;
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
  bench herd [--devices N]  N devices (2,000) with a day recorded offline reconnect at once
  bench offers       blocks lottery vs bots: 1,000 flex drivers, 100 rounds, vs first come first served
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

/// The whole CI pipeline, in the order that fails fastest.
fn test() -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    setup::run()?;
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
    util::step(
        "cargo test",
        util::cargo(&["test", "--workspace", "--no-fail-fast"]),
    )?;
    bench::small()?;
    // Every fuzz target briefly from its seed corpus (9 targets: about 2 min).
    fuzz::run(FUZZ_SECONDS_IN_TEST, &fuzz::targets()?)?;
    eprintln!(
        "xtask test: all green in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
