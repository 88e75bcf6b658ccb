//! App benchmark (run through `cargo xtask bench app`, which builds the release app first).
//! Prints one JSON object per measure: `name`, `p50_ms`, `p95_ms`, `runs`, `target_ms`,
//! `measured` (what exactly), and extra numbers where they explain the time.
//!
//! Everything is real: the release app (`tauri/custom-protocol`, UI embedded) under a private
//! Xvfb through tauri-driver + WebKitWebDriver, a real `lastmile-server`, and a device that
//! signed in through the UI and downloaded today's peak-day tour of 250 stops / 450 parcels
//! built from the Amazon LMRRC routes in `../shared/data/amazon_lmrrc2021_sample`.
//!
//! - `cold_start_to_tour_screen`: from just before the WebDriver session that spawns a new app
//!   process is requested to the first paint that shows the tour screen, as the UI itself
//!   records it (`src-ui/src/perf.rs`, `Date.now()` after the paint); each run on a fresh copy
//!   of the prepared data folder, after one unmeasured warm-up start (warm page cache).
//! - `cold_start_webdriver_observed`: the same start as WebDriver sees it (polling every 10 ms).
//! - `cold_start_direct`: the app process spawned directly, as a tap on its icon does (no
//!   tauri-driver/WebKitWebDriver in between, no automation mode), to the same mark, which
//!   the UI also reports to the shell's log.
//! - `tap_to_delivered_dom` / `tap_to_delivered_paint`: in the page, `performance.now()` from
//!   the click on "confirm delivery" to the parcel showing `data-state=delivered`
//!   (MutationObserver), and to the paint after it.
//!
//! - `cold_start_map`: the offline map's cost at start. A second device signed in on the demo
//!   tour (40 stops north of Bayreuth) whose station serves the north-Bayreuth archive (built
//!   by `cargo xtask bench app`, path in `LASTMILE_BENCH_MAP_ARCHIVE`), so the map draws real
//!   tiles; then interleaved direct starts of the same data folder with the map and without it
//!   (`LASTMILE_MAP=off`: the shell reports the map off and the screens leave it out), each to
//!   the tour screen painted (`tour_ready`), and with the map also to its first drawn frame
//!   (`map_drawn`, MapLibre idle with the tiles on screen). Medians, their ratio, load average.
//!
//! - `app_memory_after_day`: after the deliveries (by default all 450, a whole day), with the
//!   app still open, PSS summed over the app process and every process it started (WebKit's
//!   web and network processes), from `/proc/PID/smaps_rollup`; each process listed.
//!
//! Environment: `LASTMILE_BENCH_COLD_RUNS` (default 12), `LASTMILE_BENCH_TAPS` (default 450),
//! `LASTMILE_BENCH_MAP_ONLY=1` (only `cold_start_map`).

use std::ffi::OsStr;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use fantoccini::{Client, Locator};
use lastmile_protocol::tour::{ParcelFlagsDto, StopKindDto, TourSnapshot};
use lastmile_tests::bench::{self, AppDriver, epoch_ms, percentile, round};
use lastmile_tests::process::ServerProc;
use lastmile_tests::ui::timed;
use serde_json::{Value, json};

const STOPS: usize = 250;
const PARCELS: usize = 450;
const WAIT: Duration = Duration::from_secs(30);
/// The enrolment code both seeded servers issue and the sign-in screen types (`prepare`).
const ENROLMENT_CODE: &str = "CODE-BENCH";
/// What the app shows once a signed-in driver's tour is on screen (stop or overview).
const TOUR_SCREEN: &str = "[data-testid=stop], [data-testid=tour-summary]";

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let cold_runs = env_count("LASTMILE_BENCH_COLD_RUNS", 12).max(1);
    // A whole day by default: every parcel of the tour delivered, then the memory read.
    let taps = env_count("LASTMILE_BENCH_TAPS", PARCELS).clamp(1, PARCELS);
    let work = tempfile::tempdir()?;
    let log_dir = lastmile_tests::artifacts_dir("bench_app");

    // A copy of the release app: another build into the same target folder cannot swap it
    // under the benchmark, and its processes are told apart from any other app's.
    let built = lastmile_tests::binary("lastmile-app")?;
    let app = work.path().join("lastmile-app");
    std::fs::copy(&built, &app).with_context(|| format!("copying {}", built.display()))?;
    let app = app.canonicalize()?;

    let tour = peak_tour()?;
    let seed_file = work.path().join("seed.json");
    std::fs::write(
        &seed_file,
        serde_json::to_vec(&lastmile_tests::station_seed(
            &tour,
            ENROLMENT_CODE,
            &[("D1", "driver", "1234")],
        ))?,
    )?;
    let server_dir = work.path().join("server");
    ServerProc::seed(&server_dir, &seed_file)?;
    let server = ServerProc::start(&server_dir, &log_dir.join("server.log"))?;

    let device = work.path().join("device");
    let keys = lastmile_tests::ui::key_dir_of(&device);
    let webview_home = work.path().join("webview");
    let app_log = log_dir.join("app.log");
    let (data, cache, config) = (
        webview_home.join("data"),
        webview_home.join("cache"),
        webview_home.join("config"),
    );
    let app_env = [
        ("LASTMILE_DATA_DIR", device.as_os_str()),
        // File-key mode (issue 16); the key folder outlives every refill of the data folder.
        ("LASTMILE_KEY_DIR", keys.as_os_str()),
        ("LASTMILE_SERVER_URL", OsStr::new(&server.url)),
        // The shell logs when its state (SQLite, credentials) is open, and the UI's marks.
        ("LASTMILE_LOG", OsStr::new("info")),
        // The webview's own folders, away from the user's and other test runs'.
        ("XDG_DATA_HOME", data.as_os_str()),
        ("XDG_CACHE_HOME", cache.as_os_str()),
        ("XDG_CONFIG_HOME", config.as_os_str()),
    ];
    if std::env::var_os("LASTMILE_BENCH_MAP_ONLY").is_some_and(|v| v == "1") {
        drop(server);
        return map_cost(&app, work.path(), &log_dir, cold_runs).await;
    }
    let driver = AppDriver::start(&app, &app_env, &app_log)?;

    eprintln!("bench app: signing in and downloading the {STOPS}-stop tour through the UI");
    let prepared = work.path().join("prepared");
    prepare(&driver, &device, &prepared, STOPS, false).await?;

    eprintln!("bench app: {cold_runs} cold starts (+1 warm-up)");
    let mut starts = Vec::new();
    for run in 0..=cold_runs {
        refill(&device, &prepared)?;
        let start = cold_start(&driver, &app_log)
            .await
            .with_context(|| format!("cold start {run}"))?;
        if run > 0 {
            eprintln!(
                "  start {run}: tour screen painted {:.0} ms, WebDriver saw it {:.0} ms",
                start.ui_ms, start.webdriver_ms
            );
            starts.push(start);
        }
    }
    report_starts(&starts);

    eprintln!("bench app: {cold_runs} cold starts without WebDriver (+1 warm-up)");
    let mut direct = Vec::new();
    for run in 0..=cold_runs {
        refill(&device, &prepared)?;
        let log = log_dir.join(format!("direct-{run}.log"));
        let ms = direct_start(&app, driver.display(), &app_env, &log)
            .await
            .with_context(|| format!("direct start {run}"))?;
        if run > 0 {
            eprintln!("  start {run}: tour screen painted {ms:.0} ms after the exec");
            direct.push(ms);
        }
    }
    report_direct(&direct);

    eprintln!("bench app: {taps} deliveries");
    refill(&device, &prepared)?;
    let (dom, paint, memory) = deliveries(&driver, &app, taps, &log_dir).await?;
    report_taps(&dom, &paint);
    report_memory(&memory, taps);
    drop(driver);
    drop(server);
    map_cost(&app, work.path(), &log_dir, cold_runs).await
}

/// The 1-minute load average, as `uptime` shows it.
fn load() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(-1.0)
}

/// `cold_start_map` (see the module's comment): the demo tour and its station's archive on a
/// server of its own, a device signed in on it, then `runs` (+1 warm-up) pairs of direct
/// starts with and without the map, the order within a pair alternating.
async fn map_cost(app: &Path, work: &Path, log_dir: &Path, runs: usize) -> anyhow::Result<()> {
    let archive = std::env::var_os("LASTMILE_BENCH_MAP_ARCHIVE")
        .map(std::path::PathBuf::from)
        .context("LASTMILE_BENCH_MAP_ARCHIVE is not set: run `cargo xtask bench app`, which builds the map archive")?;
    let root = work.join("map");
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/demo/north-bayreuth-tour.json");
    let mut tour = lastmile_import::own::read_tour(&path)?;
    tour.driver_id = "D1".into();
    tour.date = chrono::Utc::now().date_naive();
    let stops = tour.stops.len();
    let maps = root.join("maps");
    std::fs::create_dir_all(&maps)?;
    std::fs::copy(
        &archive,
        maps.join(format!("{}.mbtiles", tour.station.station_id)),
    )
    .with_context(|| format!("copying {}", archive.display()))?;
    let seed_file = root.join("seed.json");
    std::fs::write(
        &seed_file,
        serde_json::to_vec(&lastmile_tests::station_seed(
            &tour,
            ENROLMENT_CODE,
            &[("D1", "driver", "1234")],
        ))?,
    )?;
    let server_dir = root.join("server");
    ServerProc::seed(&server_dir, &seed_file)?;
    let server = ServerProc::start_with(
        &server_dir,
        &log_dir.join("map-server.log"),
        "127.0.0.1:0",
        &[("LASTMILE_MAP_DIR".into(), maps.display().to_string())],
    )?;
    let device = root.join("device");
    let keys = lastmile_tests::ui::key_dir_of(&device);
    let webview = root.join("webview");
    let (data, cache, config) = (
        webview.join("data"),
        webview.join("cache"),
        webview.join("config"),
    );
    let with_map = [
        ("LASTMILE_DATA_DIR", device.as_os_str()),
        ("LASTMILE_KEY_DIR", keys.as_os_str()),
        ("LASTMILE_SERVER_URL", OsStr::new(&server.url)),
        ("LASTMILE_LOG", OsStr::new("info")),
        ("XDG_DATA_HOME", data.as_os_str()),
        ("XDG_CACHE_HOME", cache.as_os_str()),
        ("XDG_CONFIG_HOME", config.as_os_str()),
    ];
    let mut without_map = with_map.to_vec();
    without_map.push(("LASTMILE_MAP", OsStr::new("off")));

    eprintln!("bench app: signing in on the {stops}-stop demo tour and downloading its map");
    let prepared = root.join("prepared");
    let display = {
        let driver = AppDriver::start(app, &with_map, &log_dir.join("map-app.log"))?;
        prepare(&driver, &device, &prepared, stops, true).await?;
        // A display of its own for the direct starts, as for the other measures.
        drop(driver);
        lastmile_tests::process::Xvfb::start()?
    };
    anyhow::ensure!(
        prepared.join("map/map.mbtiles").is_file(),
        "the device did not keep the map archive"
    );

    eprintln!("bench app: {runs} pairs of starts with and without the map (+1 warm-up pair)");
    let (mut with_tour, mut with_drawn, mut without_tour) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..=runs {
        for map_first in [run % 2 == 0, run % 2 != 0] {
            refill(&device, &prepared)?;
            if map_first {
                let log = log_dir.join(format!("map-with-{run}.log"));
                let marks = direct_marks(
                    app,
                    display.display(),
                    &with_map,
                    &log,
                    &["tour_ready", "map_drawn"],
                )
                .await
                .with_context(|| format!("start {run} with the map"))?;
                if run > 0 {
                    eprintln!(
                        "  start {run} with the map: tour screen {:.0} ms, map drawn {:.0} ms",
                        marks[0], marks[1]
                    );
                    with_tour.push(marks[0]);
                    with_drawn.push(marks[1]);
                }
            } else {
                let log = log_dir.join(format!("map-without-{run}.log"));
                let marks =
                    direct_marks(app, display.display(), &without_map, &log, &["tour_ready"])
                        .await
                        .with_context(|| format!("start {run} without the map"))?;
                if run > 0 {
                    eprintln!(
                        "  start {run} without the map: tour screen {:.0} ms",
                        marks[0]
                    );
                    without_tour.push(marks[0]);
                }
            }
        }
    }
    let (with_p50, without_p50) = (
        percentile(&with_tour, 50.0),
        percentile(&without_tour, 50.0),
    );
    println!(
        "{}",
        json!({
            "name": "cold_start_map",
            "with_map_p50_ms": round(with_p50),
            "without_map_p50_ms": round(without_p50),
            "ratio_with_without": (with_p50 / without_p50 * 1000.0).round() / 1000.0,
            "with_map_drawn_p50_ms": round(percentile(&with_drawn, 50.0)),
            "with_map_p95_ms": round(percentile(&with_tour, 95.0)),
            "without_map_p95_ms": round(percentile(&without_tour, 95.0)),
            "runs": with_tour.len(),
            "load_average_1m": load(),
            "measured": format!("release app spawned directly (as a tap on its icon) on a fresh \
                copy of a signed-in device's data folder ({stops}-stop demo tour, the station's \
                north-Bayreuth archive downloaded), warm page cache (one unmeasured pair first), \
                interleaved with/without pairs; without = LASTMILE_MAP=off on the same folder; \
                to the UI's tour_ready mark (tour screen painted) and, with the map, to map_drawn \
                (MapLibre's first idle frame with the archive's tiles)"),
        })
    );
    drop(display);
    drop(server);
    Ok(())
}

/// Today's peak-day tour for driver D1: every parcel deliverable to its recipient by name
/// (no signature, ID check or return), so every tap records a delivery of the same shape.
fn peak_tour() -> anyhow::Result<TourSnapshot> {
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/amazon_lmrrc2021_sample");
    let mut routes = Vec::new();
    for folder in ["train_10", "eval_10", "apply_13_no_travel_times"] {
        let dir = root.join(folder);
        routes.extend(
            lastmile_import::lmrrc::read_dir(&dir)
                .with_context(|| format!("reading {}", dir.display()))?,
        );
    }
    // A few real drop-offs lose their only parcel to another stop (one package listed twice);
    // a stop with nothing to hand over cannot be completed by a delivery, so it is left out.
    for route in &mut routes {
        route.stops.retain(|s| !s.parcels.is_empty());
    }
    let mut tour = lastmile_import::lmrrc::peak_day_tour(&routes, STOPS, PARCELS)
        .context("not enough real LMRRC stops for the peak-day tour")?;
    tour.driver_id = "D1".into();
    tour.date = chrono::Utc::now().date_naive();
    for stop in &mut tour.stops {
        stop.kind = StopKindDto::Delivery;
        for p in &mut stop.parcels {
            p.is_return = false;
            p.flags = ParcelFlagsDto::default();
        }
    }
    let parcels: usize = tour.stops.iter().map(|s| s.parcels.len()).sum();
    anyhow::ensure!(tour.stops.len() == STOPS && parcels == PARCELS);
    Ok(tour)
}

/// Empties the app's data folder and puts a copy of `prepared` in it. The device's own
/// `credentials.json` is kept, as a phone keeps it: the app saves each session it gets, and
/// the server revokes a session whose spent refresh token comes back.
fn refill(device: &Path, prepared: &Path) -> anyhow::Result<()> {
    let credentials = std::fs::read(device.join("credentials.json")).ok();
    if device.exists() {
        std::fs::remove_dir_all(device)?;
    }
    bench::copy_dir(prepared, device)?;
    if let Some(bytes) = credentials {
        std::fs::write(device.join("credentials.json"), bytes)?;
    }
    Ok(())
}

/// Signs D1 in on a new device through the UI, downloads the tour, and keeps the data folder
/// as the app left it when its process ended.
/// `stops`: the tour's size; `map`: wait until the station's map is downloaded and drawn.
async fn prepare(
    driver: &AppDriver,
    device: &Path,
    prepared: &Path,
    stops: usize,
    map: bool,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(device)?;
    let c = driver.session().await?;
    let result = async {
        fill(&c, "[data-testid=driver-id]", "D1").await?;
        fill(&c, "[data-testid=pin]", "1234").await?;
        fill(&c, "[data-testid=enrolment-code]", ENROLMENT_CODE).await?;
        click(&c, "[data-testid=sign-in]").await?;
        wait(
            &c,
            "[data-testid=download-tour], [data-testid=tour-progress]",
        )
        .await?;
        if !c
            .find_all(Locator::Css("[data-testid=download-tour]"))
            .await?
            .is_empty()
        {
            click(&c, "[data-testid=download-tour]").await?;
        }
        let progress = wait(&c, "[data-testid=tour-progress]").await?;
        let total = progress.attr("data-total").await?;
        anyhow::ensure!(
            total.as_deref() == Some(&stops.to_string()),
            "the app shows a tour of {total:?} stops, not {stops}"
        );
        if map {
            wait(&c, "[data-testid=map-canvas][data-map-ready=true]").await?;
        }
        Ok(())
    }
    .await;
    driver.end(c).await?;
    result?;
    bench::copy_dir(device, prepared)
}

#[derive(Debug)]
struct Start {
    /// Spawn to the UI's own `tour_ready` mark.
    ui_ms: f64,
    /// Spawn to WebDriver finding the tour screen.
    webdriver_ms: f64,
    /// Spawn to the WebDriver session being ready (WebKitWebDriver has the page).
    session_ms: f64,
    /// Spawn to the shell's "device state opened" log line (exec, Tauri set-up, SQLite open
    /// and migrations, saved sign-in read).
    to_state_ms: f64,
    /// Spawn to the shell's first log line, "shell started" (exec, dynamic linking; through
    /// WebDriver also tauri-driver and WebKitWebDriver launching the app).
    to_main_ms: f64,
    /// "shell started" to "setup started": Tauri, GTK, the window and its webview made.
    main_to_setup_ms: f64,
    /// "setup started" to "device state opened": keys, store open, saved sign-in.
    setup_to_state_ms: f64,
    /// That line to the page's time origin (window, WebKit web process, navigation).
    state_to_page_ms: f64,
    /// Page origin to the wasm start function (HTML, JS, wasm fetch + compile).
    to_ui_start_ms: f64,
    /// UI start to the tour screen painted (first IPC calls, SQLite, render).
    to_tour_ms: f64,
}

/// Starts the app process itself, as a tap on its icon does (no WebDriver in between), and
/// returns the milliseconds from just before the spawn to the UI's `tour_ready` mark, which
/// the shell logs (`ui mark tour_ready at epoch_ms=…`). The app is killed after.
async fn direct_start(
    app: &Path,
    display: &str,
    env: &[(&str, &OsStr)],
    log: &Path,
) -> anyhow::Result<f64> {
    Ok(direct_marks(app, display, env, log, &["tour_ready"]).await?[0])
}

/// Like [`direct_start`], to each of the marks `names` (in that order), once all are logged.
async fn direct_marks(
    app: &Path,
    display: &str,
    env: &[(&str, &OsStr)],
    log: &Path,
    names: &[&str],
) -> anyhow::Result<Vec<f64>> {
    let mut cmd = std::process::Command::new(app);
    cmd.env("DISPLAY", display)
        .envs(env.iter().map(|(k, v)| (k, v)));
    let spawn_epoch = epoch_ms();
    let _app = lastmile_tests::process::Proc::spawn("lastmile-app", cmd, Some(log))?;
    let deadline = Instant::now() + WAIT;
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let marks: Vec<Option<f64>> = names
            .iter()
            .map(|name| {
                let key = format!("ui mark {name} at epoch_ms=");
                let at = text.lines().find_map(|l| l.split(key.as_str()).nth(1))?;
                at.trim()
                    .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .next()?
                    .parse::<f64>()
                    .ok()
            })
            .collect();
        if marks.iter().all(Option::is_some) {
            return Ok(marks
                .into_iter()
                .flatten()
                .map(|at| at - spawn_epoch)
                .collect());
        }
        if Instant::now() > deadline {
            bail!("not every mark of {names:?} in the app's log after {WAIT:?}:\n{text}");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn report_direct(ms: &[f64]) {
    println!(
        "{}",
        json!({
            "name": "cold_start_direct",
            "p50_ms": round(percentile(ms, 50.0)),
            "p95_ms": round(percentile(ms, 95.0)),
            "runs": ms.len(),
            "target_ms": 1000,
            "measured": "the app process spawned directly (as a tap on its icon does, no WebDriver) \
                         to the tour screen painted, as the UI reports it to the shell's log",
        })
    );
}

async fn cold_start(driver: &AppDriver, app_log: &Path) -> anyhow::Result<Start> {
    let log_from = std::fs::metadata(app_log).map(|m| m.len()).unwrap_or(0);
    let spawn_epoch = epoch_ms();
    let spawned = Instant::now();
    let c = driver.session().await?;
    let session_ms = spawned.elapsed().as_secs_f64() * 1000.0;
    let result = async {
        let deadline = Instant::now() + WAIT;
        let webdriver_ms = loop {
            if c.find(Locator::Css(TOUR_SCREEN)).await.is_ok() {
                break spawned.elapsed().as_secs_f64() * 1000.0;
            }
            if Instant::now() > deadline {
                bail!("no tour screen after {WAIT:?}");
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        };
        // The mark lands one paint after the screen is in the page.
        let marks = loop {
            let marks = timed(
                "read perf marks",
                c.execute("return window.__lastmile_perf || null;", vec![]),
            )
            .await??;
            if marks.pointer("/tour_ready/epoch_ms").is_some() {
                break marks;
            }
            if Instant::now() > deadline {
                bail!("the UI never marked tour_ready (perf marks: {marks})");
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        };
        let num = |path: &str| {
            marks
                .pointer(path)
                .and_then(Value::as_f64)
                .with_context(|| format!("perf mark {path} missing in {marks}"))
        };
        let origin = num("/time_origin_ms")?;
        let ui_start = num("/ui_start/epoch_ms")?;
        let ready = num("/tour_ready/epoch_ms")?;
        let state = logged_at(app_log, log_from, "device state opened")?;
        let main = logged_at(app_log, log_from, "shell started")?;
        let setup = logged_at(app_log, log_from, "setup started")?;
        Ok(Start {
            ui_ms: ready - spawn_epoch,
            webdriver_ms,
            session_ms,
            to_state_ms: state - spawn_epoch,
            to_main_ms: main - spawn_epoch,
            main_to_setup_ms: setup - main,
            setup_to_state_ms: state - setup,
            state_to_page_ms: origin - state,
            to_ui_start_ms: ui_start - origin,
            to_tour_ms: ready - ui_start,
        })
    }
    .await;
    driver.end(c).await?;
    result
}

/// When the app started after byte `from` of its log logged `what` (epoch ms), read from the
/// line's RFC 3339 timestamp.
fn logged_at(log: &Path, from: u64, what: &str) -> anyhow::Result<f64> {
    let text = std::fs::read(log).with_context(|| format!("reading {}", log.display()))?;
    let text = String::from_utf8_lossy(text.get(from as usize..).unwrap_or_default());
    let line = text
        .lines()
        .find(|l| l.contains(what))
        .with_context(|| format!("the app did not log {what:?}"))?;
    // The first word, without the terminal colour codes around it.
    let mut plain = String::new();
    let mut chars = line.chars();
    while let Some(ch) = chars.next() {
        if ch == '\u{1b}' {
            chars.by_ref().find(|c| c.is_ascii_alphabetic());
        } else if ch.is_whitespace() && !plain.is_empty() {
            break;
        } else if !ch.is_whitespace() {
            plain.push(ch);
        }
    }
    let at = chrono::DateTime::parse_from_rfc3339(&plain)
        .with_context(|| format!("no timestamp at the start of {line:?}"))?;
    Ok(at.timestamp_micros() as f64 / 1000.0)
}

fn report_starts(starts: &[Start]) {
    let col = |f: fn(&Start) -> f64| starts.iter().map(f).collect::<Vec<_>>();
    let p50 = |v: &[f64]| round(percentile(v, 50.0));
    let p95 = |v: &[f64]| round(percentile(v, 95.0));
    let ui = col(|s| s.ui_ms);
    let wd = col(|s| s.webdriver_ms);
    println!(
        "{}",
        json!({
            "name": "cold_start_to_tour_screen",
            "p50_ms": p50(&ui),
            "p95_ms": p95(&ui),
            "runs": starts.len(),
            "target_ms": 1000,
            "measured": format!("release app, new process per run on a fresh copy of a signed-in \
                device's data folder ({STOPS} stops / {PARCELS} parcels), warm page cache (one \
                unmeasured start before); from just before the WebDriver session that spawns the \
                app is requested to the UI's own Date.now() after the first paint of the tour \
                screen"),
            "breakdown_p50_ms": {
                "spawn_to_shell_state_opened": p50(&col(|s| s.to_state_ms)),
                "of_which_spawn_to_shell_main": p50(&col(|s| s.to_main_ms)),
                "of_which_shell_main_to_setup": p50(&col(|s| s.main_to_setup_ms)),
                "of_which_setup_to_state_opened": p50(&col(|s| s.setup_to_state_ms)),
                "shell_state_opened_to_page_origin": p50(&col(|s| s.state_to_page_ms)),
                "page_origin_to_wasm_start": p50(&col(|s| s.to_ui_start_ms)),
                "wasm_start_to_tour_painted": p50(&col(|s| s.to_tour_ms)),
                "webdriver_session_ready": p50(&col(|s| s.session_ms)),
            },
        })
    );
    println!(
        "{}",
        json!({
            "name": "cold_start_webdriver_observed",
            "p50_ms": p50(&wd),
            "p95_ms": p95(&wd),
            "runs": starts.len(),
            "target_ms": 1000,
            "measured": "the same starts: until WebDriver (polling every 10 ms after the session \
                is ready) finds the tour screen",
        })
    );
}

/// Records `taps` deliveries stop after stop; each timed inside the page from the click on
/// "confirm" to the parcel showing `data-state=delivered`, and to the paint after that. Then
/// reads the memory of the app's process tree, with the session (so the app) still open.
async fn deliveries(
    driver: &AppDriver,
    app: &Path,
    taps: usize,
    log_dir: &Path,
) -> anyhow::Result<(Vec<f64>, Vec<f64>, Vec<bench::ProcMemory>)> {
    let c = driver.session().await?;
    let result = async {
        timed("resize", c.set_window_rect(0, 0, 360, 800)).await??;
        wait(&c, "[data-testid=stop]").await?;
        let mut dom = Vec::with_capacity(taps);
        let mut paint = Vec::with_capacity(taps);
        while dom.len() < taps {
            let pending = "[data-testid=parcel][data-state=pending]";
            if c.find_all(Locator::Css(pending)).await?.is_empty() {
                click(&c, "[data-testid=next-stop]").await?;
                wait(&c, pending).await?;
            }
            let parcel = wait(&c, pending).await?;
            let tracking = parcel
                .attr("data-tracking-id")
                .await?
                .context("parcel without tracking id")?;
            click(
                &c,
                &format!("{pending}[data-tracking-id='{tracking}'] [data-testid=deliver]"),
            )
            .await?;
            wait(&c, "[data-testid=deliver-dialog]").await?;
            click(&c, "[data-testid=method-recipient]").await?;
            fill(&c, "[data-testid=recipient-name]", "Erika Mustermann").await?;
            let answer = timed(
                "timed confirm",
                c.execute_async(TAP_SCRIPT, vec![json!(tracking)]),
            )
            .await??;
            match (answer["dom_ms"].as_f64(), answer["paint_ms"].as_f64()) {
                (Some(d), Some(p)) => {
                    dom.push(d);
                    paint.push(p);
                    if dom.len() % 10 == 0 {
                        eprintln!("  {} deliveries, last {d:.1} ms", dom.len());
                    }
                }
                _ => bail!("delivery of {tracking} not shown: {answer}"),
            }
            // The dialog closed and the outcome is on screen.
            anyhow::ensure!(
                c.find_all(Locator::Css("[data-testid=deliver-dialog]"))
                    .await?
                    .is_empty(),
                "the delivery dialog is still open after {tracking} was delivered"
            );
        }
        // What the app holds at the end of the day: let the last write and its sync settle.
        tokio::time::sleep(Duration::from_secs(2)).await;
        let pids = bench::running(app);
        anyhow::ensure!(pids.len() == 1, "expected one app process, found {pids:?}");
        Ok((dom, paint, bench::tree_memory(pids[0])))
    }
    .await;
    if result.is_err()
        && let Ok(Ok(png)) = timed("screenshot", c.screenshot()).await
    {
        std::fs::write(log_dir.join("deliveries-failure.png"), png).ok();
    }
    driver.end(c).await?;
    result
}

/// Clicks "confirm delivery" and answers `{dom_ms, paint_ms}` once the parcel shows
/// `data-state=delivered` (and the frame after), or `{error}` after 10 s.
const TAP_SCRIPT: &str = r#"
const tracking = arguments[0];
const done = arguments[arguments.length - 1];
const shown = `[data-testid=parcel][data-tracking-id="${tracking}"][data-state="delivered"]`;
const button = document.querySelector('[data-testid=confirm-deliver]');
if (!button) { done({ error: 'no confirm button' }); return; }
let finished = false;
const observer = new MutationObserver(() => {
  if (finished || !document.querySelector(shown)) return;
  finished = true;
  const dom_ms = performance.now() - t0;
  observer.disconnect();
  requestAnimationFrame(() => setTimeout(() => done({ dom_ms, paint_ms: performance.now() - t0 }), 0));
});
observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
setTimeout(() => { if (!finished) { finished = true; observer.disconnect(); done({ error: 'timeout' }); } }, 10000);
const t0 = performance.now();
button.click();
"#;

fn report_taps(dom: &[f64], paint: &[f64]) {
    for (name, samples, what) in [
        (
            "tap_to_delivered_dom",
            dom,
            "in the page: performance.now() from the click on confirm-deliver to the parcel's \
             element showing data-state=delivered (MutationObserver)",
        ),
        (
            "tap_to_delivered_paint",
            paint,
            "the same, to the first paint after the parcel shows delivered",
        ),
    ] {
        println!(
            "{}",
            json!({
                "name": name,
                "p50_ms": round(percentile(samples, 50.0)),
                "p95_ms": round(percentile(samples, 95.0)),
                "max_ms": round(percentile(samples, 100.0)),
                "runs": samples.len(),
                "target_ms": 100,
                "target": "p95",
                "measured": format!("{what}; release app, {STOPS}-stop / {PARCELS}-parcel tour, \
                    window 360x800, one SQLite transaction (synchronous=FULL) per delivery"),
            })
        );
    }
}

/// `app_memory_after_day`: PSS summed over the app and the processes it started (WebKit's
/// web and network processes), after `taps` deliveries.
fn report_memory(memory: &[bench::ProcMemory], taps: usize) {
    let mb = |kb: u64| (kb as f64 / 102.4).round() / 10.0;
    let pss: u64 = memory.iter().map(|p| p.pss_kb).sum();
    let rss: u64 = memory.iter().map(|p| p.rss_kb).sum();
    let processes: Vec<_> = memory
        .iter()
        .map(|p| json!({"name": p.name, "pss_mb": mb(p.pss_kb), "rss_mb": mb(p.rss_kb)}))
        .collect();
    println!(
        "{}",
        json!({
            "name": "app_memory_after_day",
            "pss_mb": mb(pss),
            "rss_mb": mb(rss),
            "target_pss_mb": 200,
            "deliveries": taps,
            "processes": processes,
            "measured": format!("PSS (/proc/PID/smaps_rollup) summed over the release app and \
                every process under it, after {taps} of the {PARCELS} deliveries of the \
                {STOPS}-stop tour through the UI, the app still open; RSS summed for \
                comparison (it counts shared pages once per process)"),
            "load": load(),
        })
    );
}

async fn wait(c: &Client, css: &str) -> anyhow::Result<fantoccini::elements::Element> {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(Ok(found)) = tokio::time::timeout(WAIT, c.find(Locator::Css(css))).await {
            return Ok(found);
        }
        if Instant::now() > deadline {
            bail!("no element `{css}` after {WAIT:?}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn click(c: &Client, css: &str) -> anyhow::Result<()> {
    let el = wait(c, css).await?;
    timed(&format!("click {css}"), el.click())
        .await?
        .with_context(|| format!("clicking {css}"))
}

async fn fill(c: &Client, css: &str, text: &str) -> anyhow::Result<()> {
    let el = wait(c, css).await?;
    timed("clear", el.clear()).await??;
    timed("send keys", el.send_keys(text))
        .await?
        .with_context(|| format!("typing into {css}"))
}
