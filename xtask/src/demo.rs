//! `cargo xtask demo`: the sync server on an embedded SQLite database in `.lastmile/demo/`,
//! seeded with the demo station, a demo driver and today's copy of the demo tour (real
//! addresses north of Bayreuth, `assets/demo/`), and the app connected to it, which signs the
//! demo driver in by itself. Without a display it says so and runs the headless fleet
//! simulation instead: simulated drivers with real device stores deliver real LMRRC tours
//! through dropped requests against the same server, and the server is checked at the end.
//!
//! `cargo xtask gen-demo-tour` regenerates the committed demo tour from the OSM extract.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};
use lastmile_import::osm_addresses as demo;
use lastmile_protocol::admin::{Seed, SeedEnrolmentCode, SeedStation, SeedUser};
use lastmile_protocol::auth::Role;

use crate::util;

pub fn run(station: bool) -> anyhow::Result<()> {
    crate::build::all(false)?;
    let root = util::root();
    let demo_dir = root.join(".lastmile/demo");
    seed_demo_driver(&root, &demo_dir)?;
    let server = Server::start(
        &util::target_dir().join("debug/lastmile-server"),
        &demo_dir.join("server"),
        DEMO_ADMIN_TOKEN,
    )?;
    eprintln!(
        "sync server: {} (data in {})",
        server.url,
        demo_dir.join("server").display()
    );

    match display_problem() {
        None => {
            eprintln!("opening the app (close its window to stop the demo)…");
            eprintln!(
                "signing in demo driver {DEMO_DRIVER_PIN_HINT} at station {}",
                demo::DEMO_STATION_ID
            );
            // The station tablet (#12): a second app with its own data folder; the lead signs
            // in on it (mode Station, `demo-lead`, PIN 1357) and the demo driver is expected.
            let mut tablet = if station {
                eprintln!(
                    "opening the station tablet: choose Station, {DEMO_LEAD} (PIN {DEMO_LEAD_PIN})"
                );
                Some(
                    Command::new(util::target_dir().join("debug/lastmile-app"))
                        .env("LASTMILE_SERVER_URL", &server.url)
                        .env("LASTMILE_DATA_DIR", demo_dir.join("tablet"))
                        .env("LASTMILE_KEY_DIR", demo_dir.join("tablet-keys"))
                        .env("LASTMILE_ENROLMENT_CODE", DEMO_ENROLMENT_CODE)
                        .spawn()
                        .context("starting the station tablet")?,
                )
            } else {
                None
            };
            let status = Command::new(util::target_dir().join("debug/lastmile-app"))
                .env("LASTMILE_SERVER_URL", &server.url)
                .env("LASTMILE_DATA_DIR", demo_dir.join("device"))
                // The demo runs in file-key mode (the UI says so): a desktop without a
                // Secret Service still opens it.
                .env("LASTMILE_KEY_DIR", demo_dir.join("device-keys"))
                .env("LASTMILE_ENROLMENT_CODE", DEMO_ENROLMENT_CODE)
                .env("LASTMILE_DEMO_DRIVER", demo::DEMO_DRIVER_ID)
                .env("LASTMILE_DEMO_PIN", DEMO_PIN)
                .status()
                .context("starting the app")?;
            if let Some(tablet) = tablet.as_mut()
                && let Err(e) = tablet.kill().and_then(|()| tablet.wait().map(drop))
            {
                eprintln!("the station tablet did not close: {e}");
            }
            if !status.success() {
                bail!("the app exited with {status}");
            }
            Ok(())
        }
        Some(problem) => {
            eprintln!("No display: {problem}. The app window cannot open here.");
            eprintln!(
                "Running the headless driver-day simulation instead (to see the app: run this under a desktop, or `xvfb-run -a cargo xtask demo`)."
            );
            let health = http_get(&server.url, "/v1/health")?;
            eprintln!("sync server healthy: {}", health.trim());
            simulate(&root, &server.url)
        }
    }
}

/// Admin token of the demo server (loopback only, demo data only).
const DEMO_ADMIN_TOKEN: &str = "lastmile-demo-admin";
/// The demo driver's PIN and the station's enrolment code (demo data only).
const DEMO_PIN: &str = "2468";
const DEMO_ENROLMENT_CODE: &str = "DEMO-BAYREUTH";
/// The demo station lead, who signs in on the station tablet window (`--station`).
const DEMO_LEAD: &str = "demo-lead";
const DEMO_LEAD_PIN: &str = "1357";
const DEMO_DRIVER_PIN_HINT: &str = "`demo-driver` (PIN 2468)";

/// The committed demo tour, relative to the workspace root.
const DEMO_TOUR: &str = "assets/demo/north-bayreuth-tour.json";
/// The OSM address extract it is made from, relative to the workspace root.
const ADDRESSES: &str = "../shared/data/osm_north_bayreuth_graphhopper/addresses.csv";

/// `cargo xtask gen-demo-tour`: writes the demo tour from the OSM extract (deterministic, so
/// re-running it changes nothing unless the generator or the extract changed).
pub fn gen_tour() -> anyhow::Result<()> {
    let root = util::root();
    let csv_path = root.join(ADDRESSES);
    let csv = std::fs::read_to_string(&csv_path).with_context(|| {
        format!(
            "reading the OSM address extract {} (the shared data folder beside the project)",
            csv_path.display()
        )
    })?;
    let json = demo::demo_tour_file(&csv)?;
    let out = root.join(DEMO_TOUR);
    std::fs::create_dir_all(out.parent().context("asset folder")?)?;
    let unchanged = std::fs::read_to_string(&out).is_ok_and(|old| old == json);
    std::fs::write(&out, &json).with_context(|| format!("writing {}", out.display()))?;
    eprintln!(
        "{} {} ({} bytes)",
        if unchanged { "unchanged:" } else { "wrote" },
        out.display(),
        json.len()
    );
    Ok(())
}

/// Seeds the demo server's database (before it starts) with the demo station and its
/// enrolment code, the demo driver, and the demo tour moved to today. Idempotent: a second
/// run on the same day changes nothing the driver did.
fn seed_demo_driver(root: &Path, demo_dir: &Path) -> anyhow::Result<()> {
    let tour_path = root.join(DEMO_TOUR);
    let tour = lastmile_import::own::read_tour(&tour_path)
        .with_context(|| format!("reading the demo tour {}", tour_path.display()))?;
    let mut tour = demo::moved_to(&tour, chrono::Local::now().date_naive())?;
    // The station's notification cards for the demo driver (#12).
    if tour.card_stacks.is_empty() {
        tour.card_stacks
            .push(lastmile_protocol::station::CardRange {
                first: "K000001".into(),
                last: "K000020".into(),
            });
    }
    let station_id = tour.station.station_id.clone();
    let seed = Seed {
        stations: vec![SeedStation {
            station_id: tour.station.station_id.clone(),
            name: tour.station.name.clone(),
            position: tour.station.position,
            enrolment_codes: vec![SeedEnrolmentCode {
                code: DEMO_ENROLMENT_CODE.into(),
                max_uses: 1000,
                expires_at: None,
            }],
        }],
        users: vec![
            SeedUser {
                user_id: tour.driver_id.clone(),
                role: Role::Driver,
                station_id: tour.station.station_id.clone(),
                pin: DEMO_PIN.into(),
                name: Some("Demo-Fahrer".into()),
                rides_with: vec![],
            },
            SeedUser {
                user_id: DEMO_LEAD.into(),
                role: Role::Station,
                station_id: station_id.clone(),
                pin: DEMO_LEAD_PIN.into(),
                name: Some("Demo-Stationsleitung".into()),
                rides_with: vec![],
            },
        ],
        tours: vec![tour],
        vehicles: ["BT-LM 101", "BT-LM 102", "BT-LM 103"]
            .into_iter()
            .map(|plate| lastmile_protocol::admin::SeedVehicle {
                station_id: station_id.clone(),
                plate: plate.into(),
                label: "E-Transporter".into(),
            })
            .collect(),
        ..Seed::default()
    };
    let server_dir = demo_dir.join("server");
    std::fs::create_dir_all(&server_dir)?;
    let seed_file = demo_dir.join("seed.json");
    std::fs::write(&seed_file, serde_json::to_vec_pretty(&seed)?)?;
    let mut cmd = Command::new(util::target_dir().join("debug/lastmile-server"));
    cmd.arg("seed")
        .arg("--data-dir")
        .arg(&server_dir)
        .arg("--file")
        .arg(&seed_file);
    util::step("seed the demo station, driver and tour", cmd)
}

/// Runs `lastmile-sim` with a few drivers on real LMRRC tours and 10 % dropped requests.
fn simulate(root: &Path, url: &str) -> anyhow::Result<()> {
    let tours = root.join("../shared/data/amazon_lmrrc2021_sample/train_10");
    if !tours.is_dir() {
        bail!(
            "the real tours are missing: expected {} (the shared data folder beside the project)",
            tours.display()
        );
    }
    let status = Command::new(util::target_dir().join("debug/lastmile-sim"))
        .args(["--server", url, "--admin-token", DEMO_ADMIN_TOKEN])
        .args([
            "--devices",
            "4",
            "--seed",
            "1",
            "--drop-rate",
            "0.1",
            "--stops",
            "15",
            "--tours",
        ])
        .arg(&tours)
        .status()
        .context("starting lastmile-sim")?;
    if !status.success() {
        bail!("the simulation found a problem (exit {status}); its summary line is above");
    }
    eprintln!(
        "headless demo passed: every recorded event and photo reached the server exactly once"
    );
    Ok(())
}

/// Why no window can open here, or `None` when a display looks usable.
fn display_problem() -> Option<String> {
    if std::env::var_os("WAYLAND_DISPLAY").is_some() {
        return None;
    }
    let Some(display) = std::env::var("DISPLAY").ok().filter(|d| !d.is_empty()) else {
        return Some("DISPLAY is not set".into());
    };
    // A local X display ":N" has its socket in /tmp/.X11-unix; remote ones we cannot check.
    if let Some(number) = display.strip_prefix(':') {
        let number = number.split('.').next().unwrap_or(number);
        let socket = Path::new("/tmp/.X11-unix").join(format!("X{number}"));
        if !socket.exists() {
            return Some(format!(
                "DISPLAY={display} but no X server listens at {}",
                socket.display()
            ));
        }
    }
    None
}

/// The server process; killed when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(binary: &Path, data_dir: &Path, admin_token: &str) -> anyhow::Result<Self> {
        let mut child = Command::new(binary)
            .args([
                "--listen",
                "127.0.0.1:0",
                "--admin-token",
                admin_token,
                "--data-dir",
            ])
            .arg(data_dir)
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let stdout = child.stdout.take().context("server stdout")?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let read = BufReader::new(stdout).read_line(&mut line);
            // The receiver may have given up already; nothing else to tell then.
            tx.send(read.map(|_| line)).ok();
        });
        let line = match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(Ok(line)) => line,
            other => {
                child.kill().ok();
                bail!("the sync server did not start: {other:?} (see its log above)");
            }
        };
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .context("unexpected first line from server")?
            .to_owned();
        Ok(Self { child, url })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Err(e) = self.child.kill() {
            eprintln!("stopping the sync server: {e}");
        }
        self.child.wait().ok();
    }
}

/// A minimal HTTP/1.1 GET, so xtask needs no HTTP client crate.
fn http_get(base: &str, path: &str) -> anyhow::Result<String> {
    let host = base.strip_prefix("http://").context("http URL expected")?;
    let mut stream = TcpStream::connect(host).with_context(|| format!("connecting to {host}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let (head, body) = response
        .split_once("\r\n\r\n")
        .context("malformed HTTP answer")?;
    if !head.starts_with("HTTP/1.1 200") {
        bail!("GET {path}: {}", head.lines().next().unwrap_or_default());
    }
    Ok(body.to_owned())
}
