//! The app's identity paths against the real server binary, with the real store and the real
//! sync engine: credentials lost with events queued, the identity lost altogether (re-bind),
//! and a second driver on the same handheld.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lastmile_domain::DeliveryMethod;
use lastmile_protocol::auth::{EnrolRequest, Role, SignInRequest};
use lastmile_protocol::dispatch::{OutcomeView, RejectionView};
use lastmile_protocol::tour::{
    AddressDto, LatLon, ParcelDto, StationDto, StopDto, StopKindDto, TourSnapshot,
};
use lastmile_store::{Delivery, Store};
use lastmile_sync::engine::{Config, Engine};
use lastmile_sync::runner::Runner;
use lastmile_sync::transport::ServerClient;
use lastmile_tests::process::ServerProc;

use super::{Saved, lock, reconcile, sign_in};
use crate::keystore::Keystore;

/// A data folder and, apart from it, the folder of the file-mode keys (as the demo and the E2E
/// tests run the app); both go with the value.
struct Dirs {
    _root: tempfile::TempDir,
    data: std::path::PathBuf,
}

impl Dirs {
    fn path(&self) -> &Path {
        &self.data
    }
}

fn dirs() -> Dirs {
    let root = tempfile::tempdir().expect("temp dir");
    let data = root.path().join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    Dirs { _root: root, data }
}

/// The keystore of the data folder `dir` made by [`dirs`].
fn keys(dir: &Path) -> Keystore {
    Keystore::for_data_dir(dir, Some(&dir.with_file_name("keys"))).expect("file keystore")
}

/// The store in `dir` as the app opens it: encrypted with the key from its keystore.
fn open_store(dir: &Path) -> Store {
    let db = dir.join("device.db");
    crate::open_store(&db, Ok(&keys(dir)), lastmile_store::Retention::default()).expect("store")
}

/// A raw connection to the app's encrypted database, keyed as the app keys it.
fn raw_db(dir: &Path) -> rusqlite::Connection {
    let key = keys(dir).store_key(true).expect("store key");
    let db = rusqlite::Connection::open(dir.join("device.db")).expect("db");
    db.pragma_update(None, "key", format!("x'{}'", key.to_hex()))
        .expect("key");
    db
}

const CODE: &str = "CODE-IDENTITY";

/// Also the map's resume test's tour (`map_tests.rs`).
pub(crate) fn tour(tour_id: &str, driver: &str, stops: usize) -> TourSnapshot {
    TourSnapshot {
        tour_id: tour_id.into(),
        station: StationDto {
            station_id: "S1".into(),
            name: "Station S1".into(),
            position: LatLon {
                lat: 52.5,
                lon: 13.4,
            },
        },
        driver_id: driver.into(),
        date: chrono::Utc::now().date_naive(),
        departure: None,
        stops: (1..=stops)
            .map(|i| StopDto {
                stop_id: format!("{tour_id}-S{i}"),
                sequence: i as u32,
                kind: StopKindDto::Delivery,
                address: AddressDto {
                    street: "Hauptstraße".into(),
                    house_number: i.to_string(),
                    postcode: "10115".into(),
                    city: "Berlin".into(),
                    name: None,
                },
                position: LatLon {
                    lat: 52.5 + i as f64 * 0.001,
                    lon: 13.4,
                },
                access_notes: None,
                time_window: None,
                service_seconds: 60,
                parcels: vec![ParcelDto {
                    tracking_id: format!("{tour_id}-P{i}"),
                    time_window: None,
                    dimensions: None,
                    flags: Default::default(),
                    is_return: false,
                }],
                route: None,
                checklist: Vec::new(),
            })
            .collect(),
        cursor: 0,
        card_stacks: Vec::new(),
    }
}

/// A seeded server process: station S1 with drivers D1 (tour TA) and D2 (tour TB), lead L1.
struct World {
    _dir: tempfile::TempDir,
    _server: ServerProc,
    client: ServerClient,
}

fn world() -> World {
    let dir = tempfile::tempdir().expect("temp dir");
    let users = [
        ("D1", "driver", "1111"),
        ("D2", "driver", "2222"),
        ("L1", "station", "9999"),
    ];
    for t in [tour("TA", "D1", 8), tour("TB", "D2", 3)] {
        let seed = lastmile_tests::station_seed(&t, CODE, &users);
        let file = dir.path().join(format!("seed-{}.json", t.tour_id));
        std::fs::write(&file, seed.to_string()).expect("seed file");
        ServerProc::seed(&dir.path().join("server"), &file).expect("seeding");
    }
    let server = ServerProc::start(&dir.path().join("server"), &dir.path().join("server.log"))
        .expect("server");
    let client = ServerClient::new(&server.url, Duration::from_secs(5)).expect("client");
    World {
        _dir: dir,
        _server: server,
        client,
    }
}

/// The app starting on `dir`: the store, `credentials.json`, reconciled as `open_state` does.
fn open_app(dir: &Path) -> (Arc<Mutex<Store>>, Saved) {
    let store = Arc::new(Mutex::new(open_store(dir)));
    let mut saved = Saved::load(dir, &keys(dir)).expect("credentials");
    if reconcile(&mut saved, &mut lock(&store)).expect("reconcile") {
        saved.save(dir, &keys(dir)).expect("save");
    }
    (store, saved)
}

/// The sign-in screen: the driver's id and PIN (and the code, which a new device needs).
async fn sign_in_screen(
    w: &World,
    dir: &Path,
    store: &Arc<Mutex<Store>>,
    saved: &mut Saved,
    driver: &str,
    pin: &str,
) {
    sign_in(
        &w.client,
        store,
        saved,
        Role::Driver,
        driver,
        pin,
        Some(CODE.into()),
    )
    .await
    .expect("sign-in");
    saved.save(dir, &keys(dir)).expect("save credentials");
}

async fn download(w: &World, store: &Arc<Mutex<Store>>, saved: &Saved) {
    let token = &saved.session.as_ref().expect("session").access_token;
    let snapshot = w.client.fetch_tour(token).await.expect("tour");
    lock(store).apply_snapshot(&snapshot).expect("apply tour");
}

fn deliver(store: &Arc<Mutex<Store>>, tour: &str, stops: std::ops::RangeInclusive<usize>) {
    for i in stops {
        lock(store)
            .deliver(
                &Delivery {
                    stop_id: format!("{tour}-S{i}"),
                    tracking_id: format!("{tour}-P{i}"),
                    method: DeliveryMethod::Recipient {
                        name: format!("Recipient {i}"),
                    },
                    card: None,
                    id_checked: false,
                    blobs: vec![],
                },
                None,
            )
            .expect("delivered");
    }
}

/// The background sync loop with the saved session, run until everything is sent.
async fn sync(w: &World, store: &Arc<Mutex<Store>>, saved: &Saved) {
    let (creds, session) = saved.credentials().expect("signed in");
    let engine = Engine::new(Config {
        seed: 7,
        ..Config::default()
    });
    let mut runner =
        Runner::new(engine, w.client.clone(), store.clone(), creds).with_session(session);
    runner
        .sync_until_settled(Duration::from_secs(30))
        .await
        .expect("sync settles");
}

/// The station lead's view: the outcomes and rejections of `tour_id`.
async fn on_server(w: &World, tour_id: &str) -> (Vec<OutcomeView>, Vec<RejectionView>) {
    let dev = w
        .client
        .enrol(&EnrolRequest {
            enrolment_code: CODE.into(),
            device_name: "station tablet".into(),
        })
        .await
        .expect("enrol tablet");
    let lead = w
        .client
        .sign_in(&SignInRequest {
            device_id: dev.device_id,
            device_token: dev.device_token,
            role: Role::Station,
            user_id: "L1".into(),
            pin: "9999".into(),
        })
        .await
        .expect("lead signs in");
    let base = format!("/v1/dispatch/tours/{tour_id}");
    let outcomes = w
        .client
        .get(&lead.access_token, &format!("{base}/outcomes"))
        .await
        .expect("outcomes");
    let rejections = w
        .client
        .get(&lead.access_token, &format!("{base}/rejections"))
        .await
        .expect("rejections");
    (outcomes, rejections)
}

/// Every seq 1..=n of `device_id` exactly once, nothing refused.
fn exactly_once(outcomes: &[OutcomeView], rejections: &[RejectionView], device_id: &str, n: u64) {
    let mut seqs: Vec<(String, u64)> = outcomes
        .iter()
        .map(|o| (o.device_id.clone(), o.seq))
        .collect();
    seqs.sort();
    let expected: Vec<(String, u64)> = (1..=n).map(|s| (device_id.to_owned(), s)).collect();
    assert_eq!(seqs, expected, "every event on the server exactly once");
    assert!(rejections.is_empty(), "nothing refused: {rejections:?}");
}

/// Records 3 events and syncs them, then 5 more that stay queued; closes the app.
async fn day_with_a_queue(w: &World, dir: &Path) -> String {
    let (store, mut saved) = open_app(dir);
    sign_in_screen(w, dir, &store, &mut saved, "D1", "1111").await;
    download(w, &store, &saved).await;
    deliver(&store, "TA", 1..=3);
    sync(w, &store, &saved).await;
    deliver(&store, "TA", 4..=8);
    let q = lock(&store).queue_state().expect("queue");
    assert_eq!((q.acked_seq, q.pending_events), (3, 5));
    saved.device_id.clone().expect("enrolled")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_json_lost_with_events_queued_every_event_reaches_the_server_once() {
    let w = world();
    let dir = dirs();
    let device_id = day_with_a_queue(&w, dir.path()).await;
    std::fs::remove_file(dir.path().join("credentials.json")).expect("lose credentials.json");

    // The app starts again and the driver signs in again: no second enrolment.
    let (store, mut saved) = open_app(dir.path());
    assert_eq!(
        saved.device_id.as_deref(),
        Some(device_id.as_str()),
        "restored"
    );
    assert!(dir.path().join("credentials.json").exists(), "written back");
    sign_in_screen(&w, dir.path(), &store, &mut saved, "D1", "1111").await;
    assert_eq!(saved.device_id.as_deref(), Some(device_id.as_str()));
    sync(&w, &store, &saved).await;
    let (outcomes, rejections) = on_server(&w, "TA").await;
    exactly_once(&outcomes, &rejections, &device_id, 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_lost_altogether_a_new_enrolment_re_binds_and_every_event_arrives_once() {
    let w = world();
    let dir = dirs();
    let device_id = day_with_a_queue(&w, dir.path()).await;
    // Both copies of the token are gone; the outbox and its stream key are not.
    std::fs::remove_file(dir.path().join("credentials.json")).expect("lose credentials.json");
    let db = raw_db(dir.path());
    db.execute("DELETE FROM identity", [])
        .expect("lose the kept token");
    drop(db);

    let (store, mut saved) = open_app(dir.path());
    assert_eq!(saved.device_id, None, "nothing to restore");
    assert!(lock(&store).needs_rebind().expect("store"));
    sign_in_screen(&w, dir.path(), &store, &mut saved, "D1", "1111").await;
    assert_eq!(
        saved.device_id.as_deref(),
        Some(device_id.as_str()),
        "the new enrolment took over the old stream"
    );
    assert!(!lock(&store).needs_rebind().expect("store"));
    sync(&w, &store, &saved).await;
    let (outcomes, rejections) = on_server(&w, "TA").await;
    exactly_once(&outcomes, &rejections, &device_id, 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_driver_on_the_handheld_sends_the_first_drivers_queued_work_as_theirs() {
    let w = world();
    let dir = dirs();
    let (store, mut saved) = open_app(dir.path());
    sign_in_screen(&w, dir.path(), &store, &mut saved, "D1", "1111").await;
    download(&w, &store, &saved).await;
    deliver(&store, "TA", 1..=4); // offline: nothing sent
    // D1 hands the device to D2, who signs in and downloads their own tour.
    sign_in_screen(&w, dir.path(), &store, &mut saved, "D2", "2222").await;
    let others = lock(&store).pending_of_others("D2").expect("queue");
    assert_eq!(
        others
            .iter()
            .map(|o| (o.user_id.as_str(), o.events))
            .collect::<Vec<_>>(),
        [("D1", 4)],
        "D2 is told D1's work is still being sent"
    );
    download(&w, &store, &saved).await;
    deliver(&store, "TB", 1..=2);
    sync(&w, &store, &saved).await;
    let device_id = saved.device_id.clone().expect("enrolled");
    let (ta, ta_rejected) = on_server(&w, "TA").await;
    assert!(
        ta_rejected.is_empty(),
        "D1's work is not refused: {ta_rejected:?}"
    );
    assert_eq!(ta.len(), 4, "{ta:?}");
    let (tb, tb_rejected) = on_server(&w, "TB").await;
    let mut all = ta;
    all.extend(tb);
    exactly_once(&all, &tb_rejected, &device_id, 6);
    assert!(
        lock(&store)
            .pending_of_others("D2")
            .expect("queue")
            .is_empty()
    );
}

/// Writes `credentials.json` as an older app left it (enrolment only in the file, token
/// and all).
fn older_apps_file(dir: &Path, device_id: &str) {
    std::fs::write(
        dir.join("credentials.json"),
        serde_json::json!({"device_id": device_id, "device_token": format!("lmd_{device_id}")})
            .to_string(),
    )
    .expect("write");
}

#[test]
fn an_older_apps_enrolment_is_kept_with_the_outbox_at_the_first_start() {
    let dir = dirs();
    open_store(dir.path())
        .set_device_id("dev-old")
        .expect("older app's enrolment");
    older_apps_file(dir.path(), "dev-old");
    let (store, saved) = open_app(dir.path());
    assert_eq!(saved.device_id.as_deref(), Some("dev-old"));
    let kept = lock(&store).identity().expect("store").expect("mirrored");
    assert_eq!(
        (kept.device_id.as_str(), kept.device_token.as_str()),
        ("dev-old", "lmd_dev-old")
    );
}

#[test]
fn an_older_apps_second_enrolment_over_queued_events_gives_way_to_a_re_bind() {
    let dir = dirs();
    {
        let store = Arc::new(Mutex::new(open_store(dir.path())));
        let mut s = lock(&store);
        s.set_device_id("dev-old").expect("first enrolment");
        s.apply_snapshot(&tour("TA", "D1", 2)).expect("tour");
        drop(s);
        deliver(&store, "TA", 1..=2);
    }
    // The older app lost the file, enrolled again and saved the second id.
    older_apps_file(dir.path(), "dev-second");
    let (store, saved) = open_app(dir.path());
    assert_eq!(
        saved.device_id, None,
        "the second enrolment cannot send these events"
    );
    assert!(lock(&store).needs_rebind().expect("store"));
    assert_eq!(
        lock(&store).device_id(),
        "dev-old",
        "the events keep their stream"
    );
}

#[test]
fn an_older_apps_credentials_file_reads_as_a_driver_signed_in() {
    let dir = dirs();
    std::fs::write(
        dir.path().join("credentials.json"),
        r#"{"device_id":"dev-1","device_token":"lmd_1","driver_id":"D7","session":null}"#,
    )
    .expect("write");
    let saved = Saved::load(dir.path(), &keys(dir.path())).expect("load");
    assert_eq!(saved.user_id.as_deref(), Some("D7"));
    assert_eq!(saved.role(), Role::Driver);
    let mut station = saved.clone();
    station.role = Some(Role::Station);
    station.save(dir.path(), &keys(dir.path())).expect("save");
    assert_eq!(
        Saved::load(dir.path(), &keys(dir.path()))
            .expect("reload")
            .role(),
        Role::Station,
        "the mode survives a restart"
    );
}

#[test]
fn an_older_apps_tokens_move_from_credentials_json_to_the_keystore() {
    let dir = dirs();
    let session = serde_json::json!({
        "access_token": "lma_old_access", "expires_at": "2026-12-01T12:00:00Z",
        "refresh_token": "lmr_old_refresh", "role": "driver", "user_id": "D7"
    });
    std::fs::write(
        dir.path().join("credentials.json"),
        serde_json::json!({"device_id": "dev-1", "device_token": "lmd_old_token",
                           "user_id": "D7", "role": "driver", "session": session})
        .to_string(),
    )
    .expect("write");
    let saved = Saved::load(dir.path(), &keys(dir.path())).expect("load");
    let tokens = |s: &Saved| {
        (
            s.device_token.clone(),
            s.session.as_ref().map(|s| s.refresh_token.clone()),
        )
    };
    let expected = (
        Some("lmd_old_token".to_owned()),
        Some("lmr_old_refresh".to_owned()),
    );
    assert_eq!(tokens(&saved), expected, "signed in as before");
    let file = std::fs::read_to_string(dir.path().join("credentials.json")).expect("file");
    for token in ["lmd_old_token", "lma_old_access", "lmr_old_refresh"] {
        assert!(
            !file.contains(token),
            "{token} still in credentials.json: {file}"
        );
    }
    assert!(file.contains("dev-1") && file.contains("D7"), "{file}");
    let again = Saved::load(dir.path(), &keys(dir.path())).expect("reload");
    assert_eq!(tokens(&again), expected, "read back from the keystore");
    assert_eq!(
        again.credentials().map(|(c, _)| c.device_id),
        Some("dev-1".into())
    );
}

/// Issue 16's "done when": a day recorded with names, signatures and photos, part of it sent,
/// part queued; then the device's files are read raw, while the app runs and after it closed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recorded_day_leaves_no_name_tracking_number_picture_or_token_in_the_devices_files() {
    use lastmile_store::{BlobInput, BlobKind};
    let w = world();
    let dir = dirs();
    let (store, mut saved) = open_app(dir.path());
    sign_in_screen(&w, dir.path(), &store, &mut saved, "D1", "1111").await;
    download(&w, &store, &saved).await;
    let mut day = Vec::new();
    for i in 1..=8 {
        if i == 4 {
            sync(&w, &store, &saved).await;
        }
        let name = format!("Ilse Nowakowska-{i}");
        let tracking = format!("TA-P{i}");
        let picture =
            image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8, y as u8, i as u8]));
        let mut png = std::io::Cursor::new(Vec::new());
        picture
            .write_to(&mut png, image::ImageFormat::Png)
            .expect("png");
        let png = png.into_inner();
        let photo = crate::proof::photo_jpeg(&png).expect("jpeg");
        assert!(photo.starts_with(&[0xFF, 0xD8, 0xFF]) && png.starts_with(PNG));
        let strokes = format!("{{\"signed_by\":\"{name}\",\"strokes\":[[[1,2,0],[3,4,5]]]}}");
        lock(&store)
            .deliver(
                &Delivery {
                    stop_id: format!("TA-S{i}"),
                    tracking_id: tracking.clone(),
                    method: DeliveryMethod::Recipient { name: name.clone() },
                    card: None,
                    id_checked: false,
                    blobs: vec![
                        BlobInput {
                            kind: BlobKind::Photo,
                            bytes: &photo,
                        },
                        BlobInput {
                            kind: BlobKind::SignatureImage,
                            bytes: &png,
                        },
                        BlobInput {
                            kind: BlobKind::SignatureStrokes,
                            bytes: strokes.as_bytes(),
                        },
                    ],
                },
                None,
            )
            .expect("delivered");
        day.push(name);
        day.push(tracking);
    }
    let q = lock(&store).queue_state().expect("queue");
    assert_eq!(
        (q.acked_seq, q.pending_events),
        (3, 5),
        "part sent, part queued"
    );
    let session = saved.session.clone().expect("session");
    let tokens = [
        saved.device_token.clone().expect("device token"),
        session.access_token,
        session.refresh_token,
    ];

    let check = |when: &str| {
        let files = files_under(dir.path());
        let names: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
        assert!(
            names.iter().any(|n| n.ends_with("device.db"))
                && names.iter().any(|n| n.ends_with("credentials.json"))
                && names.iter().filter(|n| n.contains(".blobs/")).count() >= 24,
            "{when}: {names:#?}"
        );
        let mut found = Vec::new();
        for (path, bytes) in &files {
            let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
            for text in &day {
                if has(text.as_bytes()) {
                    found.push(format!("{path}: {text}"));
                }
            }
            if has(b"JFIF\0") || bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
                found.push(format!("{path}: JPEG"));
            }
            if has(PNG) {
                found.push(format!("{path}: PNG"));
            }
            if path.ends_with("credentials.json") {
                for token in &tokens {
                    if has(token.as_bytes()) {
                        found.push(format!("{path}: a token"));
                    }
                }
            }
        }
        assert_eq!(
            found,
            Vec::<String>::new(),
            "{when}: readable in the raw files"
        );
    };
    assert!(
        std::fs::metadata(dir.path().join("device.db-wal")).is_ok_and(|m| m.len() > 0),
        "the WAL holds part of the day"
    );
    check("while the app runs");
    drop(store);
    check("after the app closed");
}

const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// Every file under `dir` (recursively) with its bytes.
fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path.display().to_string(), bytes));
        }
    }
    out
}
