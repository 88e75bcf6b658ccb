//! The simulation itself: seeding, the simulated drivers, the fault injector, the final
//! check against the server, and the upload benchmark.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::Utc;
use lastmile_domain::{CardMessage, CardNumber, DeliveryMethod, FailureReason, NotificationCard};
use lastmile_protocol::admin::{Seed, SeedEnrolmentCode, SeedStation, SeedUser};
use lastmile_protocol::auth::{EnrolRequest, REFRESH, Role, Session, SignInRequest};
use lastmile_protocol::dispatch::{OutcomeKind, OutcomeView, RejectionView, TourSummary};
use lastmile_protocol::tour::TourSnapshot;
use lastmile_store::{BlobInput, BlobKind, Delivery, FailedAttempt, Store};
use lastmile_sync::engine::{Config, Engine};
use lastmile_sync::runner::{Credentials, Nudge, RunError, Runner};
use lastmile_sync::transport::{FaultInjector, FaultPoint, Link, ServerClient};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::Args;

const PIN: &str = "2468";

/// The one JSON line.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub devices: usize,
    pub seed: u64,
    pub drop_rate: f64,
    pub events_recorded: u64,
    pub events_acked: u64,
    pub events_on_server: u64,
    pub duplicates_on_server: u64,
    pub lost: u64,
    /// Outcomes the server holds on another stop or parcel than the device recorded.
    pub misattached: u64,
    pub rejected: u64,
    pub blobs_recorded: u64,
    pub blobs_on_server: u64,
    pub requests: u64,
    pub p50_ack_ms: u64,
    pub p99_ack_ms: u64,
    /// Devices whose final drain did not finish in time.
    pub unsettled_devices: usize,
    /// Devices that ended signed out (a person would have to sign in again).
    pub signed_out_devices: usize,
    /// Token refreshes the devices sent, and how many of their answers were dropped.
    pub refreshes: u64,
    pub refresh_answers_dropped: u64,
    pub wall_s: f64,
}

/// Drops traffic at a rate, cuts bodies mid-way, cuts the network for stretches, adds
/// latency, and (optionally) slows the link to a bandwidth and a round-trip time.
#[derive(Debug)]
struct Faults {
    rng: Mutex<StdRng>,
    drop_rate: f64,
    offline: AtomicBool,
    latency: Duration,
    link: Option<Link>,
    /// Refresh requests sent, and refresh answers dropped (the retry must get the same pair).
    refreshes: AtomicU64,
    refresh_answers_dropped: AtomicU64,
}

impl FaultInjector for Faults {
    fn drop_here(&self, point: FaultPoint, path: &str) -> bool {
        let refresh = path == REFRESH;
        if refresh && point == FaultPoint::Request {
            self.refreshes.fetch_add(1, Ordering::Relaxed);
        }
        if self.offline.load(Ordering::Relaxed) {
            return true;
        }
        let mut rng = self.rng.lock().unwrap_or_else(|p| p.into_inner());
        let drop = rng.random_bool((self.drop_rate / 2.0).clamp(0.0, 1.0));
        if drop && refresh && point == FaultPoint::Response {
            self.refresh_answers_dropped.fetch_add(1, Ordering::Relaxed);
        }
        drop
    }
    fn cut_body(&self, _path: &str, len: usize) -> Option<usize> {
        // A quarter of the drop rate again for bodies: the link dies mid-upload.
        let mut rng = self.rng.lock().unwrap_or_else(|p| p.into_inner());
        rng.random_bool((self.drop_rate / 4.0).clamp(0.0, 1.0))
            .then(|| rng.random_range(0..len.max(1)))
    }
    fn latency(&self) -> Duration {
        self.latency
    }
    fn link(&self) -> Option<Link> {
        self.link
    }
}

/// Every action a driver recorded, as the check needs it.
#[derive(Debug, Clone)]
struct RecordedOutcome {
    event_id: uuid_str::Id,
    stop_id: String,
    tracking_id: String,
}

mod uuid_str {
    //! Event ids as text, the way the dispatch views carry them.
    pub type Id = String;
}

/// One simulated device: its store, its runner, what its driver did.
struct Device {
    tour: TourSnapshot,
    store: Arc<Mutex<Store>>,
    _dir: tempfile::TempDir,
    outcomes: Vec<RecordedOutcome>,
    blobs: Vec<String>,
    recorded_at: Arc<Mutex<HashMap<u64, Instant>>>,
    ack_ms: Arc<Mutex<Vec<u64>>>,
    /// Refreshes sent and refresh answers dropped.
    refreshes: (u64, u64),
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

async fn wait_for_server(client: &ServerClient) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match client.health().await {
            Ok(_) => return Ok(()),
            Err(e) if Instant::now() > deadline => {
                bail!("server at {} not reachable: {e}", client.base_url())
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// Retries a setup call through server restarts (setup is not under test).
async fn retry<T, F, Fut>(what: &str, mut f: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, lastmile_sync::transport::TransportError>>,
{
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match f().await {
            Ok(v) => return Ok(v),
            Err(e)
                if e.status().is_some_and(|s| (400..500).contains(&s))
                    || Instant::now() > deadline =>
            {
                bail!("{what}: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// The tours of this run: real LMRRC routes cut to `stops`, one per driver, dated today.
fn make_tours(args: &Args, n: usize) -> anyhow::Result<(Vec<TourSnapshot>, SeedStation)> {
    let source = lastmile_import::lmrrc::read_dir(&args.tours)
        .with_context(|| format!("reading LMRRC tours from {}", args.tours.display()))?;
    if source.is_empty() {
        bail!("no tours in {}", args.tours.display());
    }
    let first = &source[0];
    let station = SeedStation {
        station_id: format!("SIM-ST-{}", args.seed),
        name: "Simulated station".into(),
        position: first.station.position,
        // Room for enrolments retried after a lost answer (each attempt may use the code).
        enrolment_codes: vec![SeedEnrolmentCode {
            code: format!("SIM-{}", args.seed),
            max_uses: 2 * n as u32 + 10,
            expires_at: None,
        }],
    };
    let today = Utc::now().date_naive();
    let tours = (0..n)
        .map(|i| {
            let mut t = source[i % source.len()].clone();
            t.tour_id = format!("{}-s{}-d{i}", t.tour_id, args.seed);
            t.driver_id = driver_id(args.seed, i);
            t.date = today;
            t.departure = None;
            t.station.station_id = station.station_id.clone();
            t.station.name = station.name.clone();
            t.stops.truncate(args.stops.max(1));
            for s in &mut t.stops {
                // Windows are from 2018; the simulation is about sync, not punctuality.
                s.time_window = None;
                for p in &mut s.parcels {
                    p.time_window = None;
                }
            }
            t.cursor = 0;
            t
        })
        .collect();
    Ok((tours, station))
}

fn driver_id(seed: u64, i: usize) -> String {
    format!("sim-s{seed}-d{i}")
}

async fn seed(
    client: &ServerClient,
    args: &Args,
    tours: &[TourSnapshot],
    station: SeedStation,
) -> anyhow::Result<()> {
    let mut users: Vec<SeedUser> = tours
        .iter()
        .map(|t| SeedUser {
            user_id: t.driver_id.clone(),
            role: Role::Driver,
            station_id: station.station_id.clone(),
            pin: PIN.into(),
            name: None,
            rides_with: vec![],
        })
        .collect();
    users.push(SeedUser {
        user_id: format!("sim-lead-{}", args.seed),
        role: Role::Station,
        station_id: station.station_id.clone(),
        pin: PIN.into(),
        name: None,
        rides_with: vec![],
    });
    // In chunks: the server hashes every PIN (argon2, slow on purpose) before it answers, so
    // one request for thousands of people would outlast any timeout. The station comes
    // first, alone with the lead; each chunk after it is its own idempotent upsert.
    let first = Seed {
        stations: vec![station],
        users: users.split_off(users.len() - 1),
        ..Seed::default()
    };
    retry("seeding the server", || {
        client.seed(&args.admin_token, &first)
    })
    .await?;
    for (people, tours) in users.chunks(SEED_CHUNK).zip(tours.chunks(SEED_CHUNK)) {
        let chunk = Seed {
            users: people.to_vec(),
            tours: tours.to_vec(),
            ..Seed::default()
        };
        retry("seeding the server", || {
            client.seed(&args.admin_token, &chunk)
        })
        .await?;
    }
    Ok(())
}

/// People (and their tours) per seed request.
const SEED_CHUNK: usize = 100;

async fn enrol_and_sign_in(
    client: &ServerClient,
    args: &Args,
    name: &str,
    role: Role,
    user_id: &str,
) -> anyhow::Result<(Credentials, Session)> {
    let req = EnrolRequest {
        enrolment_code: format!("SIM-{}", args.seed),
        device_name: name.into(),
    };
    let enrolled = retry("enrolling", || client.enrol(&req)).await?;
    // Like the app: the PIN is typed once and not kept; from here on the device lives on
    // its refresh tokens.
    let creds = Credentials {
        device_id: enrolled.device_id.clone(),
        device_token: enrolled.device_token.clone(),
        role,
        user_id: user_id.into(),
        pin: None,
    };
    let req = SignInRequest {
        device_id: creds.device_id.clone(),
        device_token: creds.device_token.clone(),
        role,
        user_id: user_id.into(),
        pin: PIN.into(),
    };
    let session = retry("signing in", || client.sign_in(&req)).await?;
    Ok((creds, session))
}

fn engine_config(seed: u64) -> Config {
    Config {
        backoff_base: Duration::from_millis(100),
        backoff_max: Duration::from_secs(2),
        poll_interval: Duration::from_secs(5),
        commit_delay: Duration::from_millis(50),
        offline_probe: Duration::from_secs(2),
        seed,
        ..Config::default()
    }
}

/// A JPEG-looking photo (the server checks the first bytes) of a quarter to all of
/// `max_kb` KB.
fn photo(rng: &mut StdRng, max_kb: u64) -> Vec<u8> {
    let max = usize::try_from(max_kb.max(1) * 1000).unwrap_or(12_000);
    let len = rng.random_range(max / 4..max.max(2));
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((0..len).map(|_| rng.random::<u8>()));
    bytes
}

/// Runs one driver through the tour: every parcel gets an outcome, events go out as the
/// engine decides.
async fn drive(
    device_no: usize,
    args: Args,
    dev: &mut Device,
    nudges: mpsc::Sender<Nudge>,
    faults: Arc<Faults>,
) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(
        args.seed
            .wrapping_mul(1_000_003)
            .wrapping_add(device_no as u64),
    );
    // The runner downloads the tour; the driver starts once it is on the device.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if lock(&dev.store).active_tour_id()?.is_some() {
            break;
        }
        if Instant::now() > deadline {
            bail!("device {device_no} never received its tour");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let cards: Vec<CardNumber> = (0..200)
        .map(|n| CardNumber::parse(&format!("C{device_no:03}{n:05}")))
        .collect::<Result<_, _>>()?;
    lock(&dev.store).issue_cards(&cards)?;
    let mut next_card = 0usize;
    let stops = dev.tour.stops.clone();
    for stop in &stops {
        if rng.random_bool(args.offline_rate.clamp(0.0, 1.0)) {
            faults.offline.store(true, Ordering::Relaxed);
            nudge(&nudges, Nudge::Connectivity { online: false });
            tokio::time::sleep(Duration::from_millis(args.offline_ms)).await;
            faults.offline.store(false, Ordering::Relaxed);
            nudge(&nudges, Nudge::Connectivity { online: true });
        }
        for parcel in &stop.parcels {
            let roll: f64 = rng.random();
            let photo_bytes = photo(&mut rng, args.photo_kb);
            let strokes = br#"{"strokes":[[0,0],[10,12],[20,5]]}"#.to_vec();
            let result = {
                let mut store = lock(&dev.store);
                if parcel.is_return {
                    store.pick_up_return(
                        &stop.stop_id,
                        &parcel.tracking_id,
                        &[BlobInput {
                            kind: BlobKind::Photo,
                            bytes: &photo_bytes,
                        }],
                        None,
                    )
                } else if roll < 0.8 {
                    let mut blobs = vec![BlobInput {
                        kind: BlobKind::Photo,
                        bytes: &photo_bytes,
                    }];
                    if parcel.flags.signature_required {
                        blobs.push(BlobInput {
                            kind: BlobKind::SignatureStrokes,
                            bytes: &strokes,
                        });
                    }
                    store.deliver(
                        &Delivery {
                            stop_id: stop.stop_id.clone(),
                            tracking_id: parcel.tracking_id.clone(),
                            method: DeliveryMethod::Recipient { name: "Sam".into() },
                            card: None,
                            id_checked: parcel.flags.id_check,
                            blobs,
                        },
                        None,
                    )
                } else {
                    let card = cards.get(next_card).map(|number| NotificationCard {
                        number: number.clone(),
                        says: CardMessage::PickUpAtStation,
                    });
                    next_card += 1;
                    store.fail(
                        &FailedAttempt {
                            stop_id: stop.stop_id.clone(),
                            tracking_id: parcel.tracking_id.clone(),
                            reason: FailureReason::NobodyHome,
                            card,
                            blobs: vec![BlobInput {
                                kind: BlobKind::CardPhoto,
                                bytes: &photo_bytes,
                            }],
                        },
                        None,
                    )
                }
            };
            match result {
                Ok(recorded) => {
                    lock(&dev.recorded_at).insert(recorded.seq, Instant::now());
                    dev.outcomes.push(RecordedOutcome {
                        event_id: recorded.event_id.to_string(),
                        stop_id: stop.stop_id.clone(),
                        tracking_id: parcel.tracking_id.clone(),
                    });
                    dev.blobs
                        .push(lastmile_store::blobs::sha256_hex(&photo_bytes));
                    if parcel.flags.signature_required && !parcel.is_return && roll < 0.8 {
                        dev.blobs.push(lastmile_store::blobs::sha256_hex(&strokes));
                    }
                    nudge(&nudges, Nudge::LocalCommit);
                }
                Err(e) => {
                    tracing::warn!(device = device_no, parcel = %parcel.tracking_id, error = %e, "action refused")
                }
            }
            if args.think_ms > 0 {
                tokio::time::sleep(Duration::from_millis(rng.random_range(0..=args.think_ms)))
                    .await;
            }
        }
    }
    Ok(())
}

fn nudge(tx: &mpsc::Sender<Nudge>, n: Nudge) {
    // A full channel means the loop already has a wake-up pending; nothing is lost (the
    // outbox is the truth, the nudge only says "look now").
    if let Err(e) = tx.try_send(n) {
        tracing::debug!(error = %e, "nudge not delivered");
    }
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub async fn simulate(args: &Args) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let setup = ServerClient::new(args.first_server(), Duration::from_secs(10))?;
    wait_for_server(&setup).await?;
    let (tours, station) = make_tours(args, args.devices)?;
    seed(&setup, args, &tours, station).await?;

    let mut tasks = Vec::new();
    for (i, tour) in tours.into_iter().enumerate() {
        let args = args.clone();
        let setup = setup.clone();
        tasks.push(tokio::spawn(async move {
            run_device(i, args, setup, tour).await
        }));
    }
    let mut devices = Vec::new();
    let mut unsettled = 0;
    let mut signed_out = 0;
    let mut requests = 0;
    for t in tasks {
        let (dev, settled, reqs) = t.await.context("device task panicked")??;
        unsettled += usize::from(settled != Settled::Yes);
        signed_out += usize::from(settled == Settled::SignedOut);
        requests += reqs;
        devices.push(dev);
    }

    // The check: ask the server (as the station) what it holds.
    let (_, lead) = enrol_and_sign_in(
        &setup,
        args,
        "sim-dispatch",
        Role::Station,
        &format!("sim-lead-{}", args.seed),
    )
    .await?;
    let mut summary = Summary {
        devices: devices.len(),
        seed: args.seed,
        drop_rate: args.drop_rate,
        events_recorded: 0,
        events_acked: 0,
        events_on_server: 0,
        duplicates_on_server: 0,
        lost: 0,
        misattached: 0,
        rejected: 0,
        blobs_recorded: 0,
        blobs_on_server: 0,
        requests,
        p50_ack_ms: 0,
        p99_ack_ms: 0,
        unsettled_devices: unsettled,
        signed_out_devices: signed_out,
        refreshes: devices.iter().map(|d| d.refreshes.0).sum(),
        refresh_answers_dropped: devices.iter().map(|d| d.refreshes.1).sum(),
        wall_s: 0.0,
    };
    let mut ack_ms = Vec::new();
    for dev in &devices {
        let q = lock(&dev.store).queue_state()?;
        summary.events_recorded += q.last_seq;
        summary.events_acked += q.acked_seq;
        ack_ms.extend(lock(&dev.ack_ms).iter().copied());
        let base = format!("/v1/dispatch/tours/{}", dev.tour.tour_id);
        let (outcomes_path, rejections_path) =
            (format!("{base}/outcomes"), format!("{base}/rejections"));
        let outcomes: Vec<OutcomeView> = retry("reading outcomes", || {
            setup.get(&lead.access_token, &outcomes_path)
        })
        .await?;
        let rejections: Vec<RejectionView> = retry("reading rejections", || {
            setup.get(&lead.access_token, &rejections_path)
        })
        .await?;
        summary.rejected += rejections.len() as u64;
        let mut seen: HashMap<String, Vec<&OutcomeView>> = HashMap::new();
        for o in &outcomes {
            seen.entry(o.event_id.to_string()).or_default().push(o);
        }
        let mut seqs: HashMap<(String, u64), u64> = HashMap::new();
        for o in &outcomes {
            *seqs.entry((o.device_id.clone(), o.seq)).or_default() += 1;
        }
        summary.duplicates_on_server += seqs.values().map(|n| n - 1).sum::<u64>();
        let rejected: std::collections::HashSet<String> =
            rejections.iter().map(|r| r.event_id.to_string()).collect();
        for rec in &dev.outcomes {
            match seen.get(&rec.event_id) {
                Some(views) => {
                    summary.events_on_server += 1;
                    let wrong = |v: &&OutcomeView| {
                        let parcel = match &v.kind {
                            OutcomeKind::ReturnPickedUp { label } => Some(label.as_str()),
                            _ => v.tracking_id.as_deref(),
                        };
                        v.stop_id != rec.stop_id || parcel != Some(rec.tracking_id.as_str())
                    };
                    if views.iter().any(wrong) {
                        summary.misattached += 1;
                    }
                }
                None if rejected.contains(&rec.event_id) => summary.events_on_server += 1,
                None => summary.lost += 1,
            }
        }
        summary.blobs_recorded += dev.blobs.len() as u64;
        let unique: std::collections::BTreeSet<&String> = dev.blobs.iter().collect();
        for sha in unique {
            let (_, complete) = retry("checking a blob", || {
                setup.blob_offset(&lead.access_token, sha)
            })
            .await?;
            if complete {
                summary.blobs_on_server += dev.blobs.iter().filter(|b| *b == sha).count() as u64;
            }
        }
    }
    // Every recorded event must be acknowledged, whatever the outcome views say.
    summary.lost += summary.events_recorded.saturating_sub(summary.events_acked);
    if summary.blobs_on_server < summary.blobs_recorded {
        summary.lost += summary.blobs_recorded - summary.blobs_on_server;
    }
    ack_ms.sort_unstable();
    summary.p50_ack_ms = percentile(&ack_ms, 0.50);
    summary.p99_ack_ms = percentile(&ack_ms, 0.99);
    summary.wall_s = (started.elapsed().as_secs_f64() * 100.0).round() / 100.0;
    Ok(summary)
}

/// How a device's final drain ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Settled {
    Yes,
    TimedOut,
    /// The session ended: nothing more goes out until a person signs in.
    SignedOut,
}

/// Enrols, drives, drains one device. Returns it, how its drain ended, and its request count.
async fn run_device(
    i: usize,
    args: Args,
    setup: ServerClient,
    tour: TourSnapshot,
) -> anyhow::Result<(Device, Settled, u64)> {
    let (creds, session) = enrol_and_sign_in(
        &setup,
        &args,
        &format!("sim-phone-{i}"),
        Role::Driver,
        &tour.driver_id,
    )
    .await?;
    let dir = tempfile::tempdir()?;
    let mut store = Store::open(&dir.path().join("device.db"))?;
    store.set_device_id(&creds.device_id)?;
    let store = Arc::new(Mutex::new(store));
    let faults = Arc::new(Faults {
        rng: Mutex::new(StdRng::seed_from_u64(args.seed ^ (0x5eed_0000 + i as u64))),
        drop_rate: args.drop_rate,
        offline: AtomicBool::new(false),
        latency: Duration::from_millis(args.latency_ms),
        refreshes: AtomicU64::new(0),
        refresh_answers_dropped: AtomicU64::new(0),
        link: (args.link_bytes_per_s > 0).then(|| Link {
            bytes_per_s: args.link_bytes_per_s,
            rtt: Duration::from_millis(args.link_rtt_ms),
        }),
    });
    // The app's client: 5 s to connect and per read or stalled body, pieces sized to the link.
    let client =
        ServerClient::new(args.server_for(i), Duration::from_secs(5))?.with_faults(faults.clone());
    let engine = Engine::new(engine_config(args.seed.wrapping_add(i as u64)));
    let mut runner = Runner::new(engine, client, store.clone(), creds).with_session(session);
    let mut dev = Device {
        tour,
        store: store.clone(),
        _dir: dir,
        outcomes: Vec::new(),
        blobs: Vec::new(),
        recorded_at: Arc::new(Mutex::new(HashMap::new())),
        ack_ms: Arc::new(Mutex::new(Vec::new())),
        refreshes: (0, 0),
    };

    // Ack latency: from the driver's tap to the moment the store committed the ack.
    let mut status = runner.status();
    let (recorded_at, ack_ms) = (dev.recorded_at.clone(), dev.ack_ms.clone());
    let watcher = tokio::spawn(async move {
        let mut acked = 0;
        while status.changed().await.is_ok() {
            let now_acked = status.borrow().acked_seq;
            if now_acked > acked {
                let now = Instant::now();
                let mut rec = lock(&recorded_at);
                let mut out = lock(&ack_ms);
                for seq in acked + 1..=now_acked {
                    if let Some(t) = rec.remove(&seq) {
                        out.push(now.duration_since(t).as_millis() as u64);
                    }
                }
                acked = now_acked;
            }
        }
    });

    let (tx, rx) = mpsc::channel(64);
    let loop_task = tokio::spawn(async move {
        runner.run(rx).await;
        runner
    });
    let driven = drive(i, args.clone(), &mut dev, tx.clone(), faults.clone()).await;
    nudge(&tx, Nudge::Shutdown);
    let mut runner = loop_task.await.context("sync loop panicked")?;
    driven?;
    faults.offline.store(false, Ordering::Relaxed);
    let settled = match runner
        .sync_until_settled(Duration::from_secs(args.settle_s))
        .await
    {
        Ok(()) => Settled::Yes,
        Err(e) => {
            tracing::error!(device = i, error = %e, "device did not settle");
            match e {
                RunError::NeedsSignIn(_) => Settled::SignedOut,
                RunError::Timeout(..) => Settled::TimedOut,
            }
        }
    };
    let requests = runner.client().stats().requests.load(Ordering::Relaxed);
    dev.refreshes = (
        faults.refreshes.load(Ordering::Relaxed),
        faults.refresh_answers_dropped.load(Ordering::Relaxed),
    );
    drop(runner);
    if tokio::time::timeout(Duration::from_secs(5), watcher)
        .await
        .is_err()
    {
        tracing::warn!(device = i, "ack watcher did not stop");
    }
    Ok((dev, settled, requests))
}

/// One device, `n` events queued offline, then uploaded, acknowledged and purged.
pub async fn bench(args: &Args, n: usize) -> anyhow::Result<serde_json::Value> {
    let setup = ServerClient::new(args.first_server(), Duration::from_secs(30))?;
    wait_for_server(&setup).await?;
    let source = lastmile_import::lmrrc::read_dir(&args.tours)?;
    let stops = source
        .iter()
        .map(|t| t.stops.len())
        .sum::<usize>()
        .min(n.max(1));
    let mut tour = lastmile_import::lmrrc::peak_day_tour(&source, stops, n)
        .context("not enough LMRRC stops for the bench tour")?;
    let (_, station) = make_tours(
        &Args {
            stops: 1,
            ..args.clone()
        },
        1,
    )?;
    tour.tour_id = format!("bench-s{}-{}", args.seed, Utc::now().timestamp_millis());
    tour.driver_id = driver_id(args.seed, 999_999);
    tour.date = Utc::now().date_naive();
    tour.departure = None;
    tour.station.station_id = station.station_id.clone();
    tour.cursor = 0;
    for s in &mut tour.stops {
        s.time_window = None;
        for p in &mut s.parcels {
            p.time_window = None;
            p.is_return = false;
            p.flags = Default::default();
        }
    }
    seed(&setup, args, std::slice::from_ref(&tour), station).await?;
    let (creds, session) =
        enrol_and_sign_in(&setup, args, "bench-phone", Role::Driver, &tour.driver_id).await?;
    let dir = tempfile::tempdir()?;
    let mut store = Store::open(&dir.path().join("device.db"))?;
    store.set_device_id(&creds.device_id)?;
    store.apply_snapshot(&setup.fetch_tour(&session.access_token).await?)?;
    let record_start = Instant::now();
    let mut recorded = 0usize;
    for stop in &tour.stops {
        for parcel in &stop.parcels {
            if recorded == n {
                break;
            }
            store.deliver(
                &Delivery {
                    stop_id: stop.stop_id.clone(),
                    tracking_id: parcel.tracking_id.clone(),
                    method: DeliveryMethod::Recipient { name: "Sam".into() },
                    card: None,
                    id_checked: false,
                    blobs: vec![],
                },
                None,
            )?;
            recorded += 1;
        }
    }
    let record_s = record_start.elapsed().as_secs_f64();
    let client = ServerClient::new(args.first_server(), Duration::from_secs(30))?;
    let mut runner = Runner::new(Engine::new(engine_config(args.seed)), client, store, creds)
        .with_session(session);
    let start = Instant::now();
    runner
        .sync_until_settled(Duration::from_secs(args.settle_s))
        .await?;
    let wall = start.elapsed();
    let q = runner.outbox().queue_state()?;
    if q.pending_events != 0 || q.acked_seq != recorded as u64 {
        bail!(
            "after the upload {} events are pending, {} acknowledged of {recorded}",
            q.pending_events,
            q.acked_seq
        );
    }
    let requests = runner.client().stats().requests.load(Ordering::Relaxed);
    let bytes = runner.client().stats().body_bytes.load(Ordering::Relaxed);
    Ok(serde_json::json!({
        "bench": "upload_queued_events",
        "events": recorded,
        "record_s": (record_s * 1000.0).round() / 1000.0,
        "upload_s": (wall.as_secs_f64() * 1000.0).round() / 1000.0,
        "events_per_s": (recorded as f64 / wall.as_secs_f64()).round(),
        "requests": requests,
        "request_bytes": bytes,
        "bytes_per_event": (bytes as f64 / recorded as f64 * 10.0).round() / 10.0,
        "pending_after": q.pending_events,
    }))
}

/// Devices prepared for the herd at once per process (enrol, sign in, fetch the tour, record
/// the day).
const HERD_SETUP_PARALLEL: usize = 8;

/// Devices one simulator process holds in the herd when `--processes` is 0. Each keeps its
/// store open (the writer's and the checkpointer's connections: five file descriptors) and a
/// connection to its server, and a process may hold 20,000 descriptors here.
const HERD_DEVICES_PER_PROCESS: usize = 2500;

/// The dispatch list's page size for the herd's server-side check (the server's largest).
const LIST_PAGE: usize = 1000;

/// One herd device, its day recorded offline, waiting for the moment it reconnects.
struct HerdDevice {
    // Shared like the simulator's drivers' stores: the runner's future must be `Send`.
    runner: Runner<Arc<Mutex<Store>>>,
    recorded: u64,
    _dir: tempfile::TempDir,
}

/// What one process's share of the herd saw: the line a part prints for its parent
/// (`--herd-part`), or the whole herd's in one process. The times to ack are all kept, so
/// the parent's percentiles are those of every device.
#[derive(Debug, Default, Serialize, Deserialize)]
struct HerdPart {
    ack_ms: Vec<u64>,
    recorded: u64,
    acked: u64,
    /// Recorded but not acknowledged.
    lost: u64,
    unsettled_devices: usize,
    requests: u64,
    answers_429: u64,
    answers_503: u64,
    setup_s: f64,
    drain_s: f64,
    /// CPU seconds (user + system) of the part's process, 0 for the parent's own share.
    cpu_s: f64,
    /// CPU seconds of the process from the release until every device settled.
    drain_cpu_s: f64,
}

async fn herd_device(args: &Args, i: usize, tour: &TourSnapshot) -> anyhow::Result<HerdDevice> {
    // Everything of device i goes to its own server (sign-in's argon2 included).
    let server = args.server_for(i);
    let setup = ServerClient::new(server, Duration::from_secs(120))?;
    let (creds, session) = enrol_and_sign_in(
        &setup,
        args,
        &format!("herd-phone-{i}"),
        Role::Driver,
        &tour.driver_id,
    )
    .await?;
    let dir = tempfile::tempdir()?;
    let mut store = Store::open(&dir.path().join("device.db"))?;
    store.set_device_id(&creds.device_id)?;
    let token = session.access_token.clone();
    let snapshot = retry("fetching the tour", || setup.fetch_tour(&token)).await?;
    store.apply_snapshot(&snapshot)?;
    let mut recorded = 0u64;
    // A signature of its own per device (blobs are named by their hash).
    let strokes = format!(r#"{{"strokes":[[0,0],[10,{i}],[20,5]]}}"#).into_bytes();
    for stop in &snapshot.stops {
        for parcel in stop.parcels.iter().filter(|p| !p.is_return) {
            let blobs = if parcel.flags.signature_required {
                vec![BlobInput {
                    kind: BlobKind::SignatureStrokes,
                    bytes: &strokes,
                }]
            } else {
                vec![]
            };
            store.deliver(
                &Delivery {
                    stop_id: stop.stop_id.clone(),
                    tracking_id: parcel.tracking_id.clone(),
                    method: DeliveryMethod::Recipient { name: "Sam".into() },
                    card: None,
                    id_checked: parcel.flags.id_check,
                    blobs,
                },
                None,
            )?;
            recorded += 1;
        }
    }
    // Its own client (own connections) and its own jitter, as separate phones have.
    let client = ServerClient::new(server, Duration::from_secs(60))?;
    let cfg = Config {
        seed: args.seed.wrapping_mul(1_000_003).wrapping_add(i as u64),
        ..engine_config(args.seed)
    };
    let runner = Runner::new(Engine::new(cfg), client, Arc::new(Mutex::new(store)), creds)
        .with_session(session);
    Ok(HerdDevice {
        runner,
        recorded,
        _dir: dir,
    })
}

/// Prepares the herd devices `indices` (of `tours`), [`HERD_SETUP_PARALLEL`] at a time.
async fn herd_prepare(
    args: &Args,
    tours: Arc<Vec<TourSnapshot>>,
    indices: Vec<usize>,
) -> anyhow::Result<Vec<HerdDevice>> {
    let gate = Arc::new(tokio::sync::Semaphore::new(HERD_SETUP_PARALLEL));
    let mut set = tokio::task::JoinSet::new();
    for i in indices {
        let (args, tours, gate) = (args.clone(), tours.clone(), gate.clone());
        set.spawn(async move {
            let _permit = gate.acquire_owned().await?;
            herd_device(&args, i, &tours[i]).await
        });
    }
    let mut devices = Vec::new();
    while let Some(done) = set.join_next().await {
        devices.push(done??);
    }
    Ok(devices)
}

/// Brings every device back at this moment and waits until each is settled (or `limit`).
async fn herd_release(devices: Vec<HerdDevice>, limit: Duration) -> anyhow::Result<HerdPart> {
    let release = Instant::now();
    let cpu_at_release = own_cpu_s();
    let mut set = tokio::task::JoinSet::new();
    for d in devices {
        // Taken apart by name, so the temp folder (store, WAL, blob files) visibly lives
        // until the device is done: an `async move` that names only `d.runner` and
        // `d.recorded` captures just those fields, and the rest of `d`, the folder, was
        // dropped (deleted) at the release, so no blob file was there to upload.
        let HerdDevice {
            mut runner,
            recorded,
            _dir: dir,
        } = d;
        set.spawn(async move {
            let result = runner.sync_until_settled(limit).await;
            let ack_ms = release.elapsed().as_millis() as u64;
            let acked = lock(runner.outbox()).queue_state().map(|q| q.acked_seq)?;
            let stats = runner.client().stats();
            let counts = (
                stats.requests.load(Ordering::Relaxed),
                stats.answers_429.load(Ordering::Relaxed),
                stats.answers_503.load(Ordering::Relaxed),
            );
            drop(runner);
            drop(dir);
            anyhow::Ok((result.is_ok(), ack_ms, recorded, acked, counts))
        });
    }
    let mut part = HerdPart::default();
    while let Some(done) = set.join_next().await {
        let (settled, ack_ms, rec, acked, (req, a, b)) = done??;
        part.ack_ms.push(ack_ms);
        part.recorded += rec;
        part.acked += acked.min(rec);
        part.lost += rec.saturating_sub(acked);
        part.unsettled_devices += usize::from(!settled);
        part.requests += req;
        part.answers_429 += a;
        part.answers_503 += b;
    }
    part.drain_s = release.elapsed().as_secs_f64();
    part.drain_cpu_s = own_cpu_s() - cpu_at_release;
    Ok(part)
}

/// CPU seconds (user + system) this process has used so far (0 where /proc is missing).
fn own_cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // After the parenthesised name: utime and stime are the 12th and 13th fields.
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
    ticks / 100.0
}

/// The herd: `--devices` drivers seeded in chunks (through the first server), each device
/// with its day recorded while offline on its own server, then all brought back at the same
/// moment. Above [`HERD_DEVICES_PER_PROCESS`] devices (or with `--processes`) the devices
/// live in child processes of this one (`--herd-part I/P`), which prepare their share, say
/// "ready", and are released together by one "go" on their stdin. At the end the last
/// server's dispatch list must show every delivery and no missing blob.
///
/// One JSON line: time to ack (p50, p99, max from the moment of release until the device is
/// settled), requests, 429s and 503s, events recorded, acknowledged and on the server, and
/// `lost` (recorded but not acknowledged, or not on the server, plus blobs still missing).
pub async fn herd(args: &Args) -> anyhow::Result<serde_json::Value> {
    if let Some(part) = &args.herd_part {
        return herd_part(args, part).await;
    }
    let setup = ServerClient::new(args.first_server(), Duration::from_secs(120))?;
    for url in &args.server {
        wait_for_server(&ServerClient::new(url, Duration::from_secs(10))?).await?;
    }
    let n = args.devices.max(1);
    let (tours, station) = make_tours(args, n)?;
    let date = tours[0].date;
    let tour_ids: std::collections::HashSet<String> =
        tours.iter().map(|t| t.tour_id.clone()).collect();
    let started = Instant::now();
    seed(&setup, args, &tours, station).await?;
    let seed_s = started.elapsed().as_secs_f64();
    let processes = match args.processes {
        0 => n.div_ceil(HERD_DEVICES_PER_PROCESS),
        p => p,
    }
    .clamp(1, n);
    let parts = if processes == 1 {
        let prepared = Instant::now();
        let devices = herd_prepare(args, Arc::new(tours), (0..n).collect()).await?;
        let setup_s = prepared.elapsed().as_secs_f64();
        let mut part = herd_release(devices, Duration::from_secs(args.settle_s)).await?;
        part.setup_s = setup_s;
        vec![part]
    } else {
        drop(tours);
        herd_children(processes).await?
    };
    let mut acks: Vec<u64> = parts
        .iter()
        .flat_map(|p| p.ack_ms.iter().copied())
        .collect();
    acks.sort_unstable();
    let sum = |f: fn(&HerdPart) -> u64| parts.iter().map(f).sum::<u64>();
    let max = |f: fn(&HerdPart) -> f64| parts.iter().map(f).fold(0.0, f64::max);
    let recorded = sum(|p| p.recorded);
    let unacked = sum(|p| p.lost);
    let unsettled: usize = parts.iter().map(|p| p.unsettled_devices).sum();

    // The check, as the station through the last server: every delivery is on the dispatch
    // list, whichever server process applied it, and no blob is missing.
    let check = ServerClient::new(
        args.server
            .last()
            .map_or(args.first_server(), String::as_str),
        Duration::from_secs(120),
    )?;
    let (_, lead) = enrol_and_sign_in(
        &check,
        args,
        "herd-dispatch",
        Role::Station,
        &format!("sim-lead-{}", args.seed),
    )
    .await?;
    let (on_server, missing_blobs) =
        dispatch_totals(&check, &lead.access_token, date, &tour_ids).await?;
    let lost = unacked.max(recorded.saturating_sub(on_server)) + missing_blobs;

    let r3 = |x: f64| (x * 1000.0).round() / 1000.0;
    let sim_cpu_s = own_cpu_s() + parts.iter().map(|p| p.cpu_s).sum::<f64>();
    Ok(serde_json::json!({
        "bench": "herd",
        "devices": n,
        "servers": args.server.len(),
        "sim_processes": processes,
        "events_recorded": recorded,
        "events_acked": sum(|p| p.acked),
        "events_on_server": on_server,
        "missing_blobs": missing_blobs,
        "lost": lost,
        "unsettled_devices": unsettled,
        "p50_ack_ms": percentile(&acks, 0.5),
        "p99_ack_ms": percentile(&acks, 0.99),
        "max_ack_ms": acks.last().copied().unwrap_or(0),
        "requests": sum(|p| p.requests),
        "answers_429": sum(|p| p.answers_429),
        "answers_503": sum(|p| p.answers_503),
        "seed_s": r3(seed_s),
        "setup_s": r3(max(|p| p.setup_s)),
        "drain_s": r3(max(|p| p.drain_s)),
        "sim_cpu_s": (sim_cpu_s * 100.0).round() / 100.0,
        "sim_drain_cpu_s": (parts.iter().map(|p| p.drain_cpu_s).sum::<f64>() * 100.0).round() / 100.0,
    }))
}

/// Deliveries and missing blobs of `tours` on the dispatch list of `date`, page by page.
async fn dispatch_totals(
    client: &ServerClient,
    token: &str,
    date: chrono::NaiveDate,
    tours: &std::collections::HashSet<String>,
) -> anyhow::Result<(u64, u64)> {
    let (mut delivered, mut missing) = (0u64, 0u64);
    let mut after: Option<String> = None;
    loop {
        let mut path = format!("/v1/dispatch/tours?date={date}&limit={LIST_PAGE}");
        if let Some(a) = &after {
            path.push_str(&format!("&after={a}"));
        }
        let page: Vec<TourSummary> =
            retry("reading the dispatch list", || client.get(token, &path)).await?;
        for t in page.iter().filter(|t| tours.contains(&t.tour_id)) {
            delivered += u64::from(t.progress.delivered);
            missing += u64::from(t.progress.missing_blobs);
        }
        if page.len() < LIST_PAGE {
            return Ok((delivered, missing));
        }
        after = page.last().map(|t| t.tour_id.clone());
    }
}

/// Runs the herd's devices in `processes` children of this process (the same command line
/// and `--herd-part I/P`), releases them together and answers their parts.
async fn herd_children(processes: usize) -> anyhow::Result<Vec<HerdPart>> {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let exe = std::env::current_exe().context("the simulator's own path")?;
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut children = Vec::with_capacity(processes);
    for part in 0..processes {
        let mut child = tokio::process::Command::new(&exe)
            .args(&argv)
            .arg("--herd-part")
            .arg(format!("{part}/{processes}"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .context("starting a herd part")?;
        let lines = BufReader::new(child.stdout.take().context("a part's stdout")?).lines();
        children.push((child, lines));
    }
    for (part, (_, lines)) in children.iter_mut().enumerate() {
        match lines.next_line().await? {
            Some(line) if line == "ready" => {}
            other => bail!("herd part {part} did not get ready (it said {other:?})"),
        }
    }
    // All at once.
    for (child, _) in &mut children {
        let stdin = child.stdin.as_mut().context("a part's stdin")?;
        stdin.write_all(b"go\n").await?;
        stdin.flush().await?;
    }
    let mut parts = Vec::with_capacity(processes);
    for (part, (mut child, mut lines)) in children.into_iter().enumerate() {
        let line = lines
            .next_line()
            .await?
            .with_context(|| format!("herd part {part} printed no result"))?;
        parts.push(
            serde_json::from_str::<HerdPart>(&line)
                .with_context(|| format!("herd part {part} printed {line:?}"))?,
        );
        child.wait().await?;
    }
    Ok(parts)
}

/// One part of a herd (`--herd-part I/P`): prepares devices I, I + P, …, says "ready" on
/// stdout, waits for "go" on stdin, then brings them back and answers its [`HerdPart`].
async fn herd_part(args: &Args, part: &str) -> anyhow::Result<serde_json::Value> {
    use std::io::Write as _;
    let (me, of) = part
        .split_once('/')
        .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?)))
        .filter(|(me, of)| me < of)
        .with_context(|| format!("--herd-part {part}: expected I/P with I < P"))?;
    let n = args.devices.max(1);
    let (tours, _) = make_tours(args, n)?;
    let prepared = Instant::now();
    let devices = herd_prepare(args, Arc::new(tours), (me..n).step_by(of).collect()).await?;
    let setup_s = prepared.elapsed().as_secs_f64();
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "ready")?;
        out.flush()?;
    }
    // A blocking read on its own thread (tokio's stdin is a feature the workspace leaves off).
    let go = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map(|_| line)
    })
    .await??;
    if go.trim() != "go" {
        bail!("herd part {part}: expected go on stdin, got {go:?}");
    }
    let mut result = herd_release(devices, Duration::from_secs(args.settle_s)).await?;
    result.setup_s = setup_s;
    result.cpu_s = own_cpu_s();
    Ok(serde_json::to_value(&result)?)
}
