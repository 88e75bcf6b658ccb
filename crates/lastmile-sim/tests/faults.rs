//! Faults of the server's side, each with nothing lost and nothing duplicated:
//! - PostgreSQL restarted under the running simulator;
//! - two server processes on one PostgreSQL behind a load balancer, one SIGKILLed mid-run;
//! - the server's disk filling up: it refuses with `507 storage_full`, the device keeps its
//!   events and photos and sends them once there is room again.
//!
//! PostgreSQL runs from the distribution's binaries (`initdb`/`pg_ctl`, as the `postgres`
//! user when we are root); the disk is a small tmpfs (needs root to mount).

mod support;

use std::io::{BufRead, BufReader, Read};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use lastmile_domain::DeliveryMethod;
use lastmile_protocol::admin::{Seed, SeedEnrolmentCode, SeedStation, SeedUser};
use lastmile_protocol::auth::{EnrolRequest, Role, Session, SignInRequest};
use lastmile_protocol::dispatch::OutcomeView;
use lastmile_protocol::sync::EventBatch;
use lastmile_store::{BlobInput, BlobKind, Delivery, Store};
use lastmile_sync::engine::{Config, Engine};
use lastmile_sync::runner::{Credentials, Runner};
use lastmile_sync::transport::{ServerClient, TransportError};
use support::server::{ADMIN_TOKEN, free_port, lmrrc_dir, server_binary, sim};

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A PostgreSQL cluster of this test's own, so it can be restarted (`pg_ctl`).
struct Pg {
    bin: PathBuf,
    _dir: tempfile::TempDir,
    data: PathBuf,
    log: PathBuf,
    port: u16,
    root: bool,
}

impl Pg {
    fn start() -> Self {
        let bin = ["17", "16", "15", "14", "13"]
            .iter()
            .map(|v| PathBuf::from(format!("/usr/lib/postgresql/{v}/bin")))
            .find(|d| d.join("pg_ctl").exists())
            .expect("PostgreSQL server binaries (apt-get install postgresql)");
        let root = is_root();
        let dir = tempfile::tempdir().unwrap();
        if root {
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path()));
        }
        let data = dir.path().join("data");
        let pg = Self {
            bin,
            log: dir.path().join("log"),
            _dir: dir,
            data,
            port: free_port(),
            root,
        };
        run(pg.cmd("initdb").arg("-D").arg(&pg.data).args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
        ]));
        pg.ctl("start");
        pg
    }

    fn cmd(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    /// `pg_ctl start` or `restart` (fast shutdown: open connections are cut).
    fn ctl(&self, action: &str) {
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=100",
            self.port,
            self.data.parent().unwrap().display()
        );
        run(self
            .cmd("pg_ctl")
            .args([action, "-w", "-t", "60"])
            .args(if action == "start" {
                &[][..]
            } else {
                &["-m", "fast"][..]
            })
            .arg("-D")
            .arg(&self.data)
            .arg("-l")
            .arg(&self.log)
            .args(["-o", &opts]));
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        let status = self
            .cmd("pg_ctl")
            .args(["stop", "-m", "immediate", "-D"])
            .arg(&self.data)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if let Err(e) = status {
            eprintln!("stopping postgres: {e}");
        }
    }
}

/// A `lastmile-server` process; SIGKILLed on drop.
struct ServerProc {
    child: Option<Child>,
    url: String,
    _data: tempfile::TempDir,
}

impl ServerProc {
    fn start(port: u16, data_dir: &Path, database_url: Option<&str>) -> Self {
        let data = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(server_binary());
        cmd.args(["--listen", &format!("127.0.0.1:{port}")])
            .args(["--admin-token", ADMIN_TOKEN])
            .arg("--data-dir")
            .arg(data_dir)
            .env("LASTMILE_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(url) = database_url {
            cmd.args(["--database-url", url]);
        }
        let mut child = cmd.spawn().expect("starting lastmile-server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the server's first line");
        assert!(line.starts_with("listening on"), "server said {line:?}");
        Self {
            child: Some(child),
            url: format!("http://127.0.0.1:{port}"),
            _data: data,
        }
    }

    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().expect("SIGKILL the server");
            c.wait().expect("reaping the server");
        }
    }
}

impl Drop for ServerProc {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A TCP load balancer on a loopback port: each connection goes to the next backend in turn,
/// or to the other one when that one does not accept (as a health-checking proxy would).
struct Balancer {
    url: String,
    stop: Arc<AtomicBool>,
}

impl Balancer {
    fn start(backends: Vec<String>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let next = AtomicUsize::new(0);
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stopped.load(Ordering::Relaxed) {
                    return;
                }
                let Ok(client) = conn else { continue };
                let first = next.fetch_add(1, Ordering::Relaxed);
                let upstream = (0..backends.len()).find_map(|i| {
                    let addr = &backends[(first + i) % backends.len()];
                    TcpStream::connect_timeout(&addr.parse().unwrap(), Duration::from_secs(1)).ok()
                });
                let Some(upstream) = upstream else { continue };
                pipe(client, upstream);
            }
        });
        Self { url, stop }
    }
}

impl Drop for Balancer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wake the accept loop so it sees the flag.
        if let Err(e) = TcpStream::connect(self.url.trim_start_matches("http://")) {
            eprintln!("waking the balancer: {e}");
        }
    }
}

/// Copies both ways until either side closes.
fn pipe(a: TcpStream, b: TcpStream) {
    let (mut a2, mut b2) = (a.try_clone().unwrap(), b.try_clone().unwrap());
    let (mut a, mut b) = (a, b);
    // A side that went away (a killed server above all) closes the other.
    std::thread::spawn(move || {
        let copied = std::io::copy(&mut a, &mut b);
        if b.shutdown(std::net::Shutdown::Both).is_err() || copied.is_err() {
            // already closed
        }
    });
    std::thread::spawn(move || {
        let copied = std::io::copy(&mut b2, &mut a2);
        if a2.shutdown(std::net::Shutdown::Both).is_err() || copied.is_err() {
            // already closed
        }
    });
}

/// Runs the simulator against `url`; `during` runs while it does (after `after`). Returns
/// its summary line, asserting a clean exit.
fn simulate(
    url: &str,
    devices: usize,
    seed: u64,
    after: Duration,
    during: impl FnOnce(),
) -> serde_json::Value {
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut child = sim()
        .args(["--server", url, "--admin-token", ADMIN_TOKEN])
        .args([
            "--devices",
            &devices.to_string(),
            "--seed",
            &seed.to_string(),
        ])
        .args(["--drop-rate", "0.1", "--stops", "8", "--settle-s", "120"])
        .arg("--tours")
        .arg(lmrrc_dir())
        .stdout(Stdio::piped())
        .stderr(log.reopen().unwrap())
        .spawn()
        .expect("starting lastmile-sim");
    std::thread::sleep(after);
    during();
    let deadline = Instant::now() + Duration::from_secs(300);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the simulator did not finish in time");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let stderr = std::fs::read_to_string(log.path()).unwrap_or_default();
    let tail: Vec<&str> = stderr.lines().rev().take(20).collect();
    let summary: serde_json::Value = serde_json::from_str(out.lines().last().unwrap_or(""))
        .unwrap_or_else(|e| panic!("summary {out:?}: {e}; stderr, newest first: {tail:#?}"));
    eprintln!("{summary}");
    assert!(
        status.success(),
        "simulator failed ({status}): {summary}; {tail:#?}"
    );
    summary
}

fn clean(s: &serde_json::Value) {
    let n = |k: &str| {
        s[k].as_u64()
            .unwrap_or_else(|| panic!("{k} missing in {s}"))
    };
    assert!(n("events_recorded") >= 20, "{s}");
    assert_eq!(n("events_recorded"), n("events_on_server"), "{s}");
    assert_eq!(n("events_recorded"), n("events_acked"), "{s}");
    assert_eq!(n("lost"), 0, "{s}");
    assert_eq!(n("duplicates_on_server"), 0, "{s}");
    assert_eq!(n("misattached"), 0, "{s}");
    assert_eq!(n("blobs_recorded"), n("blobs_on_server"), "{s}");
}

#[test]
fn postgres_restarted_under_the_simulator_loses_and_duplicates_nothing() {
    let pg = Pg::start();
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProc::start(free_port(), dir.path(), Some(&pg.url()));
    let summary = simulate(&server.url, 6, 41, Duration::from_millis(2500), || {
        pg.ctl("restart");
    });
    clean(&summary);
}

#[test]
fn two_server_processes_on_one_postgres_one_sigkilled_mid_run_lose_nothing() {
    let pg = Pg::start();
    let dir = tempfile::tempdir().unwrap();
    let (pa, pb) = (free_port(), free_port());
    let mut a = ServerProc::start(pa, dir.path(), Some(&pg.url()));
    let b = ServerProc::start(pb, dir.path(), Some(&pg.url()));
    let lb = Balancer::start(vec![format!("127.0.0.1:{pa}"), format!("127.0.0.1:{pb}")]);
    let summary = simulate(&lb.url, 6, 42, Duration::from_millis(2500), || a.kill());
    clean(&summary);
    drop(b);
}

/// A tmpfs of `bytes` mounted at `dir/mnt`; unmounted on drop.
struct SmallDisk {
    mnt: PathBuf,
}

impl SmallDisk {
    fn mount(dir: &Path, bytes: u64) -> Self {
        assert!(
            is_root(),
            "the disk-full test mounts a small tmpfs and needs root"
        );
        let mnt = dir.join("mnt");
        std::fs::create_dir_all(&mnt).unwrap();
        run(Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}")])
            .arg("tmpfs")
            .arg(&mnt));
        Self { mnt }
    }

    /// Fills what is left with a ballast file.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let path = self.mnt.join("ballast");
        let mut f = std::fs::File::create(&path).unwrap();
        let chunk = vec![0xA5u8; 64 * 1024];
        loop {
            match f.write(&chunk) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::StorageFull => break,
                Err(e) => panic!("filling the disk: {e}"),
            }
        }
        // The last partial pages, byte by byte in small pieces.
        while f.write(&chunk[..512]).is_ok_and(|n| n > 0) {}
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        if let Err(e) = Command::new("umount").arg("-l").arg(&self.mnt).status() {
            eprintln!("umount {}: {e}", self.mnt.display());
        }
    }
}

/// A fake JPEG of `len` bytes (the server checks the magic bytes).
fn photo(len: usize, seed: u8) -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0];
    let mut x = u32::from(seed) + 1;
    v.extend((4..len).map(|_| {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (x >> 16) as u8
    }));
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_servers_disk_filling_up_is_refused_with_507_and_everything_arrives_later() {
    let dir = tempfile::tempdir().unwrap();
    let disk = SmallDisk::mount(dir.path(), 40 << 20);
    let server = ServerProc::start(free_port(), &disk.mnt, None);
    let client = ServerClient::new(&server.url, Duration::from_secs(10)).unwrap();

    let mut tour = lastmile_import::lmrrc::read_dir(&lmrrc_dir())
        .unwrap()
        .remove(0);
    tour.stops.truncate(12);
    tour.date = chrono::Utc::now().date_naive();
    // Plain parcels: a photo at a safe place is proof enough for each.
    for stop in &mut tour.stops {
        for parcel in &mut stop.parcels {
            parcel.flags = Default::default();
        }
    }
    let station = &tour.station;
    let user = |id: &str, role| SeedUser {
        user_id: id.into(),
        role,
        station_id: station.station_id.clone(),
        pin: "1234".into(),
        name: None,
        rides_with: vec![],
    };
    let seed = Seed {
        stations: vec![SeedStation {
            station_id: station.station_id.clone(),
            name: station.name.clone(),
            position: station.position,
            enrolment_codes: vec![SeedEnrolmentCode {
                code: "CODE-FULL".into(),
                max_uses: 10,
                expires_at: None,
            }],
        }],
        users: vec![
            user(&tour.driver_id, Role::Driver),
            user("L1", Role::Station),
        ],
        tours: vec![tour.clone()],
        ..Seed::default()
    };
    client.seed(ADMIN_TOKEN, &seed).await.unwrap();
    let sign_in = |role, user_id: &str| {
        let client = client.clone();
        let user_id = user_id.to_owned();
        async move {
            let dev = client
                .enrol(&EnrolRequest {
                    enrolment_code: "CODE-FULL".into(),
                    device_name: "phone".into(),
                })
                .await
                .unwrap();
            let session: Session = client
                .sign_in(&SignInRequest {
                    device_id: dev.device_id.clone(),
                    device_token: dev.device_token.clone(),
                    role,
                    user_id: user_id.clone(),
                    pin: "1234".into(),
                })
                .await
                .unwrap();
            (dev, session, user_id)
        }
    };
    let (dev, session, driver) = sign_in(Role::Driver, &tour.driver_id).await;
    let phone = tempfile::tempdir().unwrap();
    let store = Arc::new(std::sync::Mutex::new(
        Store::open(&phone.path().join("device.db")).unwrap(),
    ));
    let snapshot = client.fetch_tour(&session.access_token).await.unwrap();
    {
        let mut s = store.lock().unwrap();
        s.set_device_id(&dev.device_id).unwrap();
        s.apply_snapshot(&snapshot).unwrap();
    }
    let creds = Credentials {
        device_id: dev.device_id.clone(),
        device_token: dev.device_token.clone(),
        role: Role::Driver,
        user_id: driver,
        pin: Some("1234".into()),
    };
    let mut runner = Runner::new(
        Engine::new(Config {
            seed: 3,
            ..Config::default()
        }),
        client.clone(),
        store.clone(),
        creds,
    )
    .with_session(session.clone());
    let deliver = |stops: std::ops::Range<usize>, photo_bytes: usize| {
        let mut s = store.lock().unwrap();
        for i in stops {
            let stop = &tour.stops[i];
            let parcel = &stop.parcels[0];
            let picture = photo(photo_bytes, i as u8);
            s.deliver(
                &Delivery {
                    stop_id: stop.stop_id.clone(),
                    tracking_id: parcel.tracking_id.clone(),
                    method: DeliveryMethod::SafePlace {
                        description: "porch".into(),
                    },
                    card: None,
                    id_checked: true,
                    blobs: vec![BlobInput {
                        kind: BlobKind::Photo,
                        bytes: &picture,
                    }],
                },
                None,
            )
            .unwrap();
        }
    };
    deliver(0..2, 20_000);
    runner
        .sync_until_settled(Duration::from_secs(30))
        .await
        .unwrap();

    // The disk fills up; the driver goes on with large photos.
    let ballast = disk.fill();
    deliver(2..10, 2_000_000);
    let pending = store.lock().unwrap().pending_blobs().unwrap();
    let big = &pending[0];
    let bytes = std::fs::read(&big.path).unwrap();
    let refused = client
        .upload_blob(&session.access_token, &big.sha256, "image/jpeg", &bytes)
        .await
        .expect_err("a full disk cannot take a 2 MB photo");
    match &refused {
        TransportError::Status { status, code, .. } => {
            assert_eq!((*status, code.as_str()), (507, "storage_full"), "{refused}");
        }
        other => panic!("expected 507 storage_full, got {other}"),
    }
    let events = store
        .lock()
        .unwrap()
        .pending_events(100, usize::MAX)
        .unwrap();
    let batch = EventBatch {
        device_id: dev.device_id.clone(),
        events,
    };
    match client
        .post_events(&session.access_token, &batch, chrono::Utc::now())
        .await
    {
        // The events may still fit where the database had room; photos do not.
        Ok(ack) => assert!(ack.acked_seq >= 2),
        Err(TransportError::Status { status, code, .. }) => {
            assert_eq!((status, code.as_str()), (507, "storage_full"));
        }
        Err(e) => panic!("expected 507 storage_full or an ack, got {e}"),
    }
    assert!(
        runner
            .sync_until_settled(Duration::from_secs(4))
            .await
            .is_err(),
        "nothing settles while the server's disk is full"
    );
    let q = store.lock().unwrap().queue_state().unwrap();
    assert_eq!(q.last_seq, 10, "the device keeps everything");
    assert!(q.pending_blobs >= 1, "{q:?}");

    // Room again: everything arrives, once.
    std::fs::remove_file(ballast).unwrap();
    runner
        .sync_until_settled(Duration::from_secs(60))
        .await
        .unwrap();
    let (_, lead, _) = sign_in(Role::Station, "L1").await;
    let outcomes: Vec<OutcomeView> = client
        .get(
            &lead.access_token,
            &format!("/v1/dispatch/tours/{}/outcomes", tour.tour_id),
        )
        .await
        .unwrap();
    let mut seqs: Vec<u64> = outcomes.iter().map(|o| o.seq).collect();
    seqs.sort_unstable();
    assert_eq!(
        seqs,
        (1..=10).collect::<Vec<u64>>(),
        "every event exactly once"
    );
    let recorded = store.lock().unwrap().queue_state().unwrap();
    assert_eq!((recorded.pending_events, recorded.pending_blobs), (0, 0));
    for i in 0..10u8 {
        let hash =
            lastmile_store::blobs::sha256_hex(&photo(if i < 2 { 20_000 } else { 2_000_000 }, i));
        let (_, complete) = client.blob_offset(&lead.access_token, &hash).await.unwrap();
        assert!(complete, "photo {i} is on the server");
    }
}
