//! Retention and the audit trail (issue 16). Three days of a driver's work with a real device
//! (store, sync engine, transport) against the server on a loopback port, both clocks moved by
//! hand: what is left on the phone and on the server after each day. And who read a driver's
//! proof and day, as the station lead sees it.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use lastmile_domain::DeliveryMethod;
use lastmile_protocol::admin::Seed;
use lastmile_protocol::audit::{AuditEntry, AuditRead};
use lastmile_protocol::auth::Role;
use lastmile_store::{BlobInput, BlobKind, Delivery, Options, Retention, Store};
use lastmile_sync::engine::{Config, Engine};
use lastmile_sync::runner::{Credentials, Runner};
use lastmile_sync::transport::ServerClient;

use crate::both;
use crate::harness::*;
use crate::route_legs::{Live, live};

both!(
    three_days_of_proof_leave_the_phone_after_the_next_day_and_the_server_after_its_retention,
    reads_of_a_drivers_proof_and_day_by_others_are_logged_for_the_station_lead,
);

/// D1's phone: a plaintext store (so the test reads its rows) that keeps one day of grace.
struct Phone {
    store: Option<Store>,
    clock: Arc<lastmile_domain::ManualClock>,
    path: PathBuf,
    login: Login,
    _dir: tempfile::TempDir,
}

impl Phone {
    fn open(path: &std::path::Path, clock: Arc<lastmile_domain::ManualClock>) -> Store {
        Store::open_with(
            path,
            Options {
                clock,
                retention: Some(Retention::default()),
                ..Options::default()
            },
        )
        .expect("device store")
    }

    fn store(&mut self) -> &mut Store {
        self.store.as_mut().expect("store")
    }

    /// Delivers the first parcel of `stop` to a named recipient with a photo; returns the
    /// photo's hash.
    fn deliver(&mut self, stop: &str, parcel: &str, name: &str, fill: u8) -> String {
        let photo = jpeg(5000, fill);
        self.store()
            .deliver(
                &Delivery {
                    stop_id: stop.into(),
                    tracking_id: parcel.into(),
                    method: DeliveryMethod::Recipient { name: name.into() },
                    card: None,
                    id_checked: false,
                    blobs: vec![BlobInput {
                        kind: BlobKind::Photo,
                        bytes: &photo,
                    }],
                },
                None,
            )
            .expect("delivered");
        sha256(&photo)
    }

    async fn sync(&mut self, live: &Live) {
        let client = ServerClient::new(&live.url, Duration::from_secs(5)).expect("client");
        let creds = Credentials {
            device_id: self.login.device_id.clone(),
            device_token: self.login.dev.device_token.clone(),
            role: Role::Driver,
            user_id: self.login.session.user_id.clone(),
            pin: None,
        };
        let engine = Engine::new(Config {
            backoff_base: Duration::from_millis(50),
            backoff_max: Duration::from_millis(400),
            poll_interval: Duration::from_secs(600),
            commit_delay: Duration::from_millis(10),
            ..Config::default()
        });
        let store = self.store.take().expect("store");
        let mut runner =
            Runner::new(engine, client, store, creds).with_session(self.login.session.clone());
        runner
            .sync_until_settled(Duration::from_secs(30))
            .await
            .expect("everything sent");
        if let Some(s) = runner.sessions().borrow().clone() {
            self.login.session = s;
        }
        self.store = Some(runner.into_outbox());
    }

    /// The tour ids on the phone and whether each photo file is still there.
    fn left(&self, photos: &[String]) -> (Vec<String>, Vec<bool>) {
        let conn = rusqlite::Connection::open(&self.path).expect("raw store");
        let tours = conn
            .prepare("SELECT tour_id FROM tour ORDER BY date")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<Vec<String>, _>>()
            .unwrap();
        let dir = self.store.as_ref().expect("store").blob_dir().to_owned();
        (tours, photos.iter().map(|h| dir.join(h).exists()).collect())
    }
}

/// What the server holds of a day's delivery: the photo's bytes (status of the lead's read),
/// the recipient's name in the stored event, and the outcome in dispatch's view.
async fn on_server(
    app: &App,
    lead: &Login,
    tour: &str,
    photo: &str,
    name: &str,
) -> (StatusCode, bool, usize) {
    let blob = app.get(&format!("/v1/blobs/{photo}"), lead.token()).await;
    let mut tx = app.state.db.begin().await.expect("begin");
    let rows = tx
        .query(
            "SELECT body_json FROM events WHERE tour_id = $1",
            &[lastmile_server::db::V::from(tour)],
        )
        .await
        .expect("events");
    tx.commit().await.expect("commit");
    let named = rows
        .iter()
        .any(|r| r.get::<String>("body_json").expect("json").contains(name));
    let outcomes = app
        .get(&format!("/v1/dispatch/tours/{tour}/outcomes"), lead.token())
        .await
        .ok::<Vec<serde_json::Value>>()
        .len();
    (blob.status, named, outcomes)
}

/// Moves both clocks to `at`.
fn set_clocks(app: &App, phone: &Phone, at: DateTime<Utc>) {
    app.clock.advance(at - app.now());
    phone.clock.set(at);
}

async fn three_days_of_proof_leave_the_phone_after_the_next_day_and_the_server_after_its_retention(
    b: Backend,
) {
    let app = app_with(b, |c| {
        c.proof_retention = Duration::from_secs(2 * 24 * 3600);
        // One sign-in for the whole simulation.
        c.access_ttl = Duration::from_secs(30 * 24 * 3600);
        c.refresh_ttl = Duration::from_secs(30 * 24 * 3600);
    })
    .await;
    let first_day: NaiveDate = app.now().date_naive() + chrono::Days::new(1);
    let at = |day: u64, hour: u32| {
        (first_day + chrono::Days::new(day - 1))
            .and_hms_opt(hour, 0, 0)
            .unwrap()
            .and_utc()
    };
    app.clock.advance(at(1, 10) - app.now());
    app.seed().await;
    let live = live(&app).await;
    let lead = app.login("S1", Role::Station, "L1").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("device.db");
    let clock = Arc::new(lastmile_domain::ManualClock::new(at(1, 10)));
    let login = app.login("S1", Role::Driver, "D1").await;
    let mut store = Phone::open(&path, clock.clone());
    store.set_device_id(&login.device_id).expect("device id");
    let mut phone = Phone {
        store: Some(store),
        clock,
        path,
        login,
        _dir: dir,
    };

    let mut tours = Vec::new();
    let mut photos = Vec::new();
    let names = [
        "Recipient Day-One",
        "Recipient Day-Two",
        "Recipient Day-Three",
    ];
    for day in 1..=3u64 {
        set_clocks(&app, &phone, at(day, 10));
        let tour_id = if day == 1 {
            "T1".to_owned()
        } else {
            format!("T1-d{day}")
        };
        if day > 1 {
            app.seed_with(&Seed {
                tours: vec![tour(&tour_id, "D1", "S1", at(day, 10).date_naive())],
                ..Seed::default()
            })
            .await;
        }
        let client = ServerClient::new(&live.url, Duration::from_secs(5)).expect("client");
        let snapshot = client
            .fetch_tour(phone.login.token())
            .await
            .expect("today's tour");
        assert_eq!(snapshot.tour_id, tour_id);
        phone
            .store()
            .apply_snapshot(&snapshot)
            .expect("tour on the phone");
        photos.push(phone.deliver(
            &format!("{tour_id}-A"),
            &format!("{tour_id}-P1"),
            names[day as usize - 1],
            day as u8,
        ));
        tours.push(tour_id);
        phone.sync(&live).await;
        assert_eq!(phone.store().queue_state().unwrap().pending_blobs, 0);
        lastmile_server::retention::purge(&app.state)
            .await
            .expect("server purge");

        let (on_phone, files) = phone.left(&photos);
        match day {
            // Day 1 and 2: everything is on the phone (the grace runs to the end of the
            // next day) and on the server.
            1 | 2 => {
                assert_eq!(on_phone, tours, "day {day}");
                assert!(files.iter().all(|f| *f), "day {day}: {files:?}");
            }
            // Day 3: day 1 has left the phone, day 2 and 3 are there.
            _ => {
                assert_eq!(on_phone, tours[1..], "day 3");
                assert_eq!(files, [false, true, true], "day 3");
            }
        }
        for (i, tour) in tours.iter().enumerate() {
            let (blob, named, outcomes) = on_server(&app, &lead, tour, &photos[i], names[i]).await;
            assert_eq!(outcomes, 1, "the outcome always stays (day {day}, {tour})");
            // The server keeps proof two days: on day 3 at 10:00, day 1's (received at
            // 10:00 on day 1) is just on the edge and stays.
            assert_eq!(blob, StatusCode::OK, "day {day}, {tour}");
            assert!(named, "day {day}, {tour}");
        }
    }

    // Day 4, noon: the phone starts again (the purge runs at start) with no sync.
    set_clocks(&app, &phone, at(4, 12));
    drop(phone.store.take());
    phone.store = Some(Phone::open(&phone.path, phone.clock.clone()));
    let (on_phone, files) = phone.left(&photos);
    assert_eq!(
        on_phone,
        tours[2..],
        "day 4: only day 3 is left on the phone"
    );
    assert_eq!(files, [false, false, true]);
    // The server's retention (two days) has passed for day 1 and day 2's records.
    let purged = lastmile_server::retention::purge(&app.state)
        .await
        .expect("purge");
    assert_eq!((purged.blobs, purged.events), (2, 2), "{purged:?}");
    for (i, tour) in tours.iter().enumerate() {
        let (blob, named, outcomes) = on_server(&app, &lead, tour, &photos[i], names[i]).await;
        assert_eq!(outcomes, 1, "the outcome stays for the audit ({tour})");
        if i < 2 {
            assert_eq!(blob, StatusCode::NOT_FOUND, "{tour}");
            assert!(!named, "the recipient's name is gone ({tour})");
        } else {
            assert_eq!(blob, StatusCode::OK);
            assert!(named);
        }
    }
    let gone = app
        .get(&format!("/v1/blobs/{}", photos[0]), lead.token())
        .await;
    assert_eq!(gone.code(), "blob_purged");
    // The hash, the size and the event that named the photo stay; it is not missing.
    let missing = app
        .get("/v1/dispatch/tours/T1/missing-blobs", lead.token())
        .await
        .ok::<Vec<serde_json::Value>>();
    assert!(missing.is_empty(), "{missing:?}");
    let mut tx = app.state.db.begin().await.expect("begin");
    let kept = tx
        .one(
            "SELECT count(*) AS n FROM event_blobs eb JOIN purged_blobs pb ON pb.sha256 = eb.sha256",
            &[],
        )
        .await
        .expect("query")
        .expect("row")
        .get::<i64>("n")
        .expect("n");
    tx.commit().await.expect("commit");
    assert_eq!(kept, 2);
    // Day 1's tour plan is past the retention too; a second run finds nothing new.
    let again = lastmile_server::retention::purge(&app.state)
        .await
        .expect("purge");
    assert_eq!(again, lastmile_server::retention::Purged::default());
}

async fn reads_of_a_drivers_proof_and_day_by_others_are_logged_for_the_station_lead(b: Backend) {
    let app = app(b).await;
    let mut seed = fixture_seed(app.now().date_naive());
    // A second station-role account: dispatch at S1.
    seed.users.push(lastmile_protocol::admin::SeedUser {
        user_id: "DISP1".into(),
        role: Role::Station,
        station_id: "S1".into(),
        pin: "DISP1-pin".into(),
        name: None,
        rides_with: Vec::new(),
    });
    app.seed_with(&seed).await;
    let driver = app.login("S1", Role::Driver, "D1").await;
    let photo = jpeg(4000, 9);
    let ev = event(
        &driver,
        1,
        "T1",
        app.now(),
        delivered("T1-A", "T1-P1", vec![photo_ref(&photo)]),
    );
    assert_eq!(app.send(&driver, &[ev]).await.status, StatusCode::OK);
    let sha = sha256(&photo);
    let put = crate::stories::blob_put_req(&sha, "image/jpeg", None, photo.clone(), driver.token());
    assert!(app.raw(put).await.status.is_success());
    let blob = format!("/v1/blobs/{sha}");

    // The driver's own reads are not logged.
    assert_eq!(app.get(&blob, driver.token()).await.status, StatusCode::OK);
    assert_eq!(
        app.get("/v1/station/days/D1", driver.token()).await.status,
        StatusCode::OK
    );
    // The lead, dispatch and the supervisor who rides with D1 read D1's proof and day.
    let lead = app.login("S1", Role::Station, "L1").await;
    let dispatch = app.login("S1", Role::Station, "DISP1").await;
    let supervisor = app.login("S1", Role::Supervisor, "SUP1").await;
    assert_eq!(app.get(&blob, lead.token()).await.status, StatusCode::OK);
    assert_eq!(
        app.get("/v1/station/days/D1", lead.token()).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&blob, dispatch.token()).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/v1/dispatch/tours/T1/outcomes", dispatch.token())
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&blob, supervisor.token()).await.status,
        StatusCode::OK
    );
    // A refused read is no read.
    let other = app.login("S2", Role::Station, "L2").await;
    assert_eq!(
        app.get(&blob, other.token()).await.status,
        StatusCode::FORBIDDEN
    );

    let log: Vec<AuditEntry> = app.get("/v1/station/audit", lead.token()).await.ok();
    let seen: Vec<(&str, Role, AuditRead, &str)> = log
        .iter()
        .map(|e| (e.actor_id.as_str(), e.actor_role, e.what, e.target.as_str()))
        .collect();
    let today = app.now().date_naive().to_string();
    assert_eq!(
        seen,
        [
            ("SUP1", Role::Supervisor, AuditRead::Proof, sha.as_str()),
            ("DISP1", Role::Station, AuditRead::Tour, "T1"),
            ("DISP1", Role::Station, AuditRead::Proof, sha.as_str()),
            ("L1", Role::Station, AuditRead::Day, today.as_str()),
            ("L1", Role::Station, AuditRead::Proof, sha.as_str()),
        ],
        "newest first, the driver's own reads absent"
    );
    assert!(log.iter().all(|e| e.driver_id == "D1" && e.at.timestamp_millis() == app.now().timestamp_millis()));
    // One driver's entries; the other station's lead sees none of them.
    let only: Vec<AuditEntry> = app
        .get("/v1/station/audit?driver_id=D2", lead.token())
        .await
        .ok();
    assert!(only.is_empty());
    let theirs: Vec<AuditEntry> = app.get("/v1/station/audit", other.token()).await.ok();
    assert!(theirs.is_empty());
    // Neither the driver nor the supervisor reads the log.
    for who in [&driver, &supervisor] {
        let r = app.get("/v1/station/audit", who.token()).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::FORBIDDEN, "not_station_lead")
        );
    }
}
