//! Access and robustness of the server (issue #10), on both backends, in process: PIN
//! lockouts that a foreign device cannot cause, time and lead unlocks, random and expiring
//! enrolment codes, parallel wrong PINs, dropped transactions, tours owned by a station,
//! edits that would break a tour, events dated far from the server's clock, parameter
//! errors as error bodies, and the session purge.

use axum::http::StatusCode;
use lastmile_protocol::admin::{Seed, SeedEnrolmentCode, SeedReport, SeedStation};
use lastmile_protocol::auth::{EnrolResponse, Role, Session};
use lastmile_protocol::dispatch::{OutcomeView, RejectionView, UnlockReport};
use lastmile_protocol::events::EventBody;
use lastmile_protocol::sync::{BatchAck, ChangesPage};
use lastmile_protocol::tour::{LatLon, TourSnapshot};
use serde_json::json;

use crate::both;
use crate::harness::*;

both!(
    a_foreign_device_learns_nothing_and_locks_nobody,
    lockouts_end_with_time_doubling_or_by_the_station_lead,
    enrolment_codes_are_random_and_expire,
    parallel_wrong_pins_do_not_pass_the_limit,
    a_dropped_transaction_frees_its_row_locks_at_once,
    tours_belong_to_their_station,
    edits_that_would_break_a_tour_are_refused,
    events_dated_far_from_the_server_clock_are_flagged,
    parameter_errors_answer_the_error_body,
    expired_sessions_are_purged,
);

fn retry_after(r: &Resp) -> u64 {
    r.headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("a Retry-After header: {:?}", r.headers))
}

async fn a_foreign_device_learns_nothing_and_locks_nobody(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    // A device of S2 tries S1's driver: right and wrong PINs get the same answer, and
    // nothing counts against D1.
    let foreign = app.enrol("CODE-S2").await;
    for pin in [
        "0000", "1111", "D1-pin", "2222", "3333", "4444", "5555", "D1-pin",
    ] {
        let r = app.sign_in(&foreign, Role::Driver, "D1", pin).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::FORBIDDEN, "wrong_station"),
            "PIN {pin}: {}",
            r.json
        );
    }
    let home = app.enrol("CODE-S1").await;
    let r = app.sign_in(&home, Role::Driver, "D1", "D1-pin").await;
    assert_eq!(r.status, StatusCode::OK, "D1 is not locked: {}", r.json);
}

async fn lockouts_end_with_time_doubling_or_by_the_station_lead(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let dev = app.enrol("CODE-S1").await;
    // Each round of wrong PINs on a device of its own (ten on one device lock the device).
    let wrong_five = || async {
        let dev = app.enrol("CODE-S1").await;
        for _ in 0..5 {
            let r = app.sign_in(&dev, Role::Driver, "D2", "0000").await;
            assert_eq!(r.code(), "bad_credentials", "{}", r.json);
        }
    };
    wrong_five().await;
    let r = app.sign_in(&dev, Role::Driver, "D2", "D2-pin").await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::TOO_MANY_REQUESTS, "pin_locked"),
        "{}",
        r.json
    );
    assert_eq!(retry_after(&r), 60, "the first lockout is a minute");
    // Time unlocks.
    app.clock.advance(chrono::Duration::seconds(61));
    let _: Session = app.sign_in(&dev, Role::Driver, "D2", "D2-pin").await.ok();
    // Two lockouts in a row: the second is twice as long.
    wrong_five().await;
    app.clock.advance(chrono::Duration::seconds(61));
    wrong_five().await;
    let r = app.sign_in(&dev, Role::Driver, "D2", "D2-pin").await;
    assert_eq!(r.code(), "pin_locked", "{}", r.json);
    assert_eq!(retry_after(&r), 120);
    app.clock.advance(chrono::Duration::seconds(61));
    let r = app.sign_in(&dev, Role::Driver, "D2", "D2-pin").await;
    assert_eq!(r.code(), "pin_locked", "still locked after a minute");
    // The lead of the driver's own station unlocks; nobody else can.
    let l1 = app.login("S1", Role::Station, "L1").await;
    let l2 = app.login("S2", Role::Station, "L2").await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let unlock = "/v1/dispatch/people/D2/unlock";
    let r = app.post(unlock, Some(l2.token()), json!({})).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "unknown_person"),
        "{}",
        r.json
    );
    let r = app.post(unlock, Some(d1.token()), json!({})).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "dispatch_only")
    );
    let report: UnlockReport = app.post(unlock, Some(l1.token()), json!({})).await.ok();
    assert_eq!(report.roles, [Role::Driver]);
    let _: Session = app.sign_in(&dev, Role::Driver, "D2", "D2-pin").await.ok();

    // A device guessing people is locked itself after ten misses, whoever they were for.
    let guesser = app.enrol("CODE-S1").await;
    for i in 0..10 {
        let r = app
            .sign_in(&guesser, Role::Driver, &format!("X{i}"), "0000")
            .await;
        assert_eq!(r.code(), "bad_credentials", "{}", r.json);
    }
    let r = app.sign_in(&guesser, Role::Driver, "D1", "D1-pin").await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::TOO_MANY_REQUESTS, "device_locked"),
        "{}",
        r.json
    );
    assert_eq!(retry_after(&r), 60);
    // ... which did not lock D1 anywhere else.
    let _: Session = app.sign_in(&dev, Role::Driver, "D1", "D1-pin").await.ok();
}

fn station_with_codes(id: &str, codes: Vec<SeedEnrolmentCode>) -> Seed {
    Seed {
        stations: vec![SeedStation {
            station_id: id.into(),
            name: format!("Station {id}"),
            position: LatLon {
                lat: 52.5,
                lon: 13.4,
            },
            enrolment_codes: codes,
        }],
        ..Seed::default()
    }
}

async fn enrolment_codes_are_random_and_expire(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let in_an_hour = app.now() + chrono::Duration::hours(1);
    let seed = station_with_codes(
        "S3",
        vec![
            SeedEnrolmentCode {
                code: String::new(),
                max_uses: 5,
                expires_at: None,
            },
            SeedEnrolmentCode {
                code: String::new(),
                max_uses: 5,
                expires_at: None,
            },
            SeedEnrolmentCode {
                code: "S3-TODAY".into(),
                max_uses: 5,
                expires_at: Some(in_an_hour),
            },
        ],
    );
    let report: SeedReport = app
        .post(
            "/v1/admin/seed",
            Some("admin-secret"),
            serde_json::to_value(&seed).expect("json"),
        )
        .await
        .ok();
    let codes: Vec<&str> = report
        .generated_codes
        .iter()
        .map(|c| c.code.as_str())
        .collect();
    assert_eq!(codes.len(), 2, "{report:?}");
    assert_ne!(codes[0], codes[1]);
    for code in &codes {
        let groups: Vec<&str> = code.split('-').collect();
        assert_eq!(groups.len(), 4, "{code}");
        assert!(
            groups.iter().all(|g| g.len() == 4
                && g.bytes()
                    .all(|c| b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789".contains(&c))),
            "{code}"
        );
    }
    let week = report.generated_codes[0].expires_at - app.now();
    assert!(
        (week - chrono::Duration::days(7)).num_seconds().abs() < 5,
        "{week}"
    );
    let dev: EnrolResponse = app.enrol(codes[0]).await;
    assert_eq!(dev.station_id, "S3");
    let _: EnrolResponse = app.enrol("S3-TODAY").await;
    app.clock.advance(chrono::Duration::hours(2));
    let enrol = |code: String| {
        app.post(
            "/v1/devices/enrol",
            None,
            json!({ "enrolment_code": code, "device_name": "x" }),
        )
    };
    let r = enrol("S3-TODAY".into()).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "enrolment_code_expired"),
        "{}",
        r.json
    );
    let _: EnrolResponse = app.enrol(codes[1]).await;
    app.clock.advance(chrono::Duration::days(7));
    let r = enrol(codes[1].to_owned()).await;
    assert_eq!(r.code(), "enrolment_code_expired", "{}", r.json);
    // Codes given without an expiry (the demo's, the tests') stay good.
    let _: EnrolResponse = app.enrol("CODE-S1").await;
}

async fn parallel_wrong_pins_do_not_pass_the_limit(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let mut devices = Vec::new();
    for _ in 0..16 {
        devices.push(app.enrol("CODE-S1").await);
    }
    let state = app.state.clone();
    let clock = app.clock.clone();
    let tasks: Vec<_> = devices
        .into_iter()
        .map(|dev| {
            let app = App {
                state: state.clone(),
                clock: clock.clone(),
                _dir: None,
            };
            tokio::spawn(async move {
                let r = app.sign_in(&dev, Role::Driver, "D2", "0000").await;
                r.code().to_owned()
            })
        })
        .collect();
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.expect("task"));
    }
    let tried = codes.iter().filter(|c| *c == "bad_credentials").count();
    let locked = codes.iter().filter(|c| *c == "pin_locked").count();
    assert_eq!(
        (tried, locked),
        (5, 11),
        "five PINs tried, then locked: {codes:?}"
    );
}

/// Enrolment locks the code's row, then refuses a used-up code: the transaction ends
/// without commit. Its lock must not outlive the request.
async fn a_dropped_transaction_frees_its_row_locks_at_once(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    app.seed_with(&station_with_codes(
        "S1",
        vec![SeedEnrolmentCode {
            code: "ONCE".into(),
            max_uses: 1,
            expires_at: None,
        }],
    ))
    .await;
    let _: EnrolResponse = app.enrol("ONCE").await;
    let r = app
        .post(
            "/v1/devices/enrol",
            None,
            json!({ "enrolment_code": "ONCE", "device_name": "x" }),
        )
        .await;
    assert_eq!(r.code(), "enrolment_code_used");
    // Another connection (another server instance) writes that row.
    match b {
        Backend::Postgres => {
            let url = app.state.db.postgres_url().expect("url").to_owned();
            let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .expect("connect");
            tokio::spawn(conn);
            client
                .batch_execute("SET lock_timeout = '3s'")
                .await
                .expect("set");
            let started = std::time::Instant::now();
            client
                .execute(
                    "UPDATE enrolment_codes SET uses_left = 2 WHERE code = 'ONCE'",
                    &[],
                )
                .await
                .expect("the row is not locked by the refused enrolment");
            assert!(started.elapsed() < std::time::Duration::from_secs(2));
            // Every pooled session has the timeouts that end such locks anyway.
            let mut tx = app.state.db.begin().await.expect("tx");
            let lock = tx.one("SHOW lock_timeout", &[]).await.expect("show");
            let idle = tx
                .one("SHOW idle_in_transaction_session_timeout", &[])
                .await
                .expect("show");
            let lock: String = lock.expect("row").get("lock_timeout").expect("text");
            let idle: String = idle
                .expect("row")
                .get("idle_in_transaction_session_timeout")
                .expect("text");
            assert_eq!((lock.as_str(), idle.as_str()), ("15s", "30s"));
        }
        Backend::Sqlite => {
            let dir = app._dir.as_ref().expect("dir");
            let conn = rusqlite::Connection::open(dir.path().join("server.db")).expect("open");
            conn.busy_timeout(std::time::Duration::from_secs(3))
                .expect("busy timeout");
            conn.execute(
                "UPDATE enrolment_codes SET uses_left = 2 WHERE code = 'ONCE'",
                [],
            )
            .expect("the database is not locked by the refused enrolment");
        }
    }
    let _: EnrolResponse = app.enrol("ONCE").await;
}

async fn tours_belong_to_their_station(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let l2 = app.login("S2", Role::Station, "L2").await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let date = app.now().date_naive();
    // S2's lead makes a tour for S1's driver, dated after T1: refused.
    let mut squat = tour("S2-FOR-D1", "D1", "S2", date);
    squat.stops.truncate(1);
    let r = app
        .post(
            "/v1/dispatch/import/own",
            Some(l2.token()),
            serde_json::to_value(&squat).expect("json"),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "driver_not_at_station"),
        "{}",
        r.json
    );
    // ... and cannot take S1's tour id.
    let mut reuse = tour("T1", "D3", "S2", date);
    reuse.stops.truncate(1);
    for s in &mut reuse.stops {
        s.stop_id = format!("X-{}", s.stop_id);
        for p in &mut s.parcels {
            p.tracking_id = format!("X-{}", p.tracking_id);
        }
    }
    let r = app
        .post(
            "/v1/dispatch/import/own",
            Some(l2.token()),
            serde_json::to_value(&reuse).expect("json"),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "tour_id_taken"),
        "{}",
        r.json
    );
    // A tour of another station under D1's id (put there by the admin) changes nothing
    // for D1: their own tour, their own feed.
    let mut admin_seeded = Seed {
        tours: vec![squat],
        ..Seed::default()
    };
    admin_seeded.tours[0].tour_id = "S2-ADMIN".into();
    app.seed_with(&admin_seeded).await;
    let l2_edit = json!({ "changes": [{ "type": "access_notes_changed", "stop_id": "S2-FOR-D1-A", "access_notes": "x" }] });
    let _: serde_json::Value = app
        .post(
            "/v1/dispatch/tours/S2-ADMIN/changes",
            Some(l2.token()),
            l2_edit,
        )
        .await
        .ok();
    let t: TourSnapshot = app.get("/v1/tour", d1.token()).await.ok();
    assert_eq!(t.tour_id, "T1");
    let page: ChangesPage = app.get("/v1/changes?after=0", d1.token()).await.ok();
    assert!(
        page.change_sets.iter().all(|c| c.tour_id == "T1"),
        "{:?}",
        page.change_sets
    );
    let ids: Vec<String> = app
        .get("/v1/dispatch/tours", d1.token())
        .await
        .ok::<Vec<lastmile_protocol::dispatch::TourSummary>>()
        .into_iter()
        .map(|t| t.tour_id)
        .collect();
    assert_eq!(ids, ["T1"]);
}

async fn edits_that_would_break_a_tour_are_refused(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let l1 = app.login("S1", Role::Station, "L1").await;
    let before: TourSnapshot = app.get("/v1/dispatch/tours/T1", l1.token()).await.ok();
    let edit = |changes: serde_json::Value| {
        app.post(
            "/v1/dispatch/tours/T1/changes",
            Some(l1.token()),
            json!({ "changes": changes }),
        )
    };
    // A new stop with a parcel the tour has already.
    let r = edit(json!([{ "type": "stop_added", "stop": stop("T1-D", 4, &["T1-P1"]) }])).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "parcel_exists"),
        "{}",
        r.json
    );
    // Twice the same new parcel in one new stop.
    let r =
        edit(json!([{ "type": "stop_added", "stop": stop("T1-D", 4, &["T1-P8", "T1-P8"]) }])).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "edit_breaks_tour"),
        "{}",
        r.json
    );
    // A stop moved off the Earth.
    let r = edit(json!([{ "type": "address_corrected", "stop_id": "T1-A",
        "address": before.stops[0].address, "position": { "lat": 95.0, "lon": 13.4 } }]))
    .await;
    assert_eq!(r.code(), "edit_breaks_tour", "{}", r.json);
    let after: TourSnapshot = app.get("/v1/dispatch/tours/T1", l1.token()).await.ok();
    assert_eq!(after, before, "refused edits change nothing");
}

async fn events_dated_far_from_the_server_clock_are_flagged(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let l1 = app.login("S1", Role::Station, "L1").await;
    let now = app.now();
    let delivery = event(&d1, 1, "T1", now, delivered("T1-A", "T1-P1", vec![]));
    let year_2099 = "2099-06-01T12:00:00Z".parse().expect("time");
    let future = event(&d1, 2, "T1", year_2099, delivered("T1-B", "T1-P3", vec![]));
    let undo = event(
        &d1,
        3,
        "T1",
        year_2099,
        EventBody::OutcomeUndone {
            stop_id: "T1-A".into(),
            tracking_id: "T1-P1".into(),
            undone_event_id: delivery.event_id,
        },
    );
    let batch = json!({ "device_id": d1.device_id, "events": [delivery, future, undo] });
    let req = axum::http::Request::builder()
        .method("POST")
        .uri("/v1/events")
        .header("authorization", format!("Bearer {}", d1.token()))
        .header("content-type", "application/json")
        .header("x-lastmile-device-time", now.to_rfc3339())
        .body(axum::body::Body::from(batch.to_string()))
        .expect("request");
    let ack: BatchAck = app.raw(req).await.ok();
    assert_eq!(ack.acked_seq, 3);
    let codes: Vec<(u64, &str)> = ack
        .rejections
        .iter()
        .map(|r| (r.seq, r.code.as_str()))
        .collect();
    assert_eq!(codes, [(3, "clock_skew")], "the 2099 undo is not applied");
    let outcomes: Vec<OutcomeView> = app
        .get("/v1/dispatch/tours/T1/outcomes", l1.token())
        .await
        .ok();
    let flag = |seq: u64| {
        outcomes
            .iter()
            .find(|o| o.seq == seq)
            .unwrap_or_else(|| panic!("outcome {seq}: {outcomes:?}"))
            .conflict
            .clone()
    };
    assert_eq!(flag(1), None);
    assert!(
        outcomes.iter().all(|o| !o.undone),
        "the delivery stands: {outcomes:?}"
    );
    assert_eq!(
        flag(2).as_deref(),
        Some("clock_skew"),
        "kept as recorded, flagged"
    );
    let kept = outcomes.iter().find(|o| o.seq == 2).expect("seq 2");
    assert_eq!(kept.recorded_at, year_2099);
    let rejected: Vec<RejectionView> = app
        .get("/v1/dispatch/tours/T1/rejections", l1.token())
        .await
        .ok();
    assert_eq!(rejected.len(), 1, "{rejected:?}");
}

async fn parameter_errors_answer_the_error_body(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    for path in [
        "/v1/changes?after=-1",
        "/v1/changes?limit=lots",
        "/v1/tour?date=yesterday",
    ] {
        let r = app.get(path, d1.token()).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::BAD_REQUEST, "bad_query"),
            "{path}: {:?}",
            r.json
        );
        assert_eq!(r.headers["content-type"], "application/json", "{path}");
        assert!(!r.json["message"].as_str().unwrap_or("").is_empty());
    }
}

async fn expired_sessions_are_purged(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let _ = app.login("S1", Role::Driver, "D2").await;
    let count = || async {
        let mut tx = app.state.db.begin().await.expect("tx");
        tx.one("SELECT COUNT(*) AS n FROM sessions", &[])
            .await
            .expect("count")
            .expect("row")
            .get::<i64>("n")
            .expect("int")
    };
    assert_eq!(count().await, 2);
    app.clock.advance(chrono::Duration::hours(15));
    let _: Session = app
        .sign_in(&d1.dev, Role::Driver, "D1", "D1-pin")
        .await
        .ok();
    assert_eq!(count().await, 1, "the two expired sessions are gone");
    // The reuse check of a refresh token looks the previous hash up by index.
    let mut tx = app.state.db.begin().await.expect("tx");
    let sql = match b {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sessions'"
        }
        Backend::Postgres => {
            "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'sessions'"
        }
    };
    let names: Vec<String> = tx
        .query(sql, &[])
        .await
        .expect("indexes")
        .iter()
        .map(|r| r.get("name").expect("name"))
        .collect();
    assert!(
        names.iter().any(|n| n == "sessions_prev_refresh"),
        "{names:?}"
    );
}

// ---- Supervisor ride-along (issue #13): every forbidden pair of the ride-along records.

both!(ride_along_access_matrix);

async fn ride_along_access_matrix(b: Backend) {
    use lastmile_protocol::admin::SeedUser;
    use lastmile_protocol::ride::{PaceView, RideAlongRecord, RideAlongSummary};

    use crate::ride::{Seq, signature};

    let app = app(b).await;
    app.seed().await;
    // SUP2 rides with D2 only; SUP3 rides with D1 as well (but did not write the record);
    // SUP4 is at S2 with D3.
    let sup = |id: &str, station: &str, rides_with: &[&str]| SeedUser {
        user_id: id.into(),
        role: Role::Supervisor,
        station_id: station.into(),
        pin: format!("{id}-pin"),
        name: None,
        rides_with: rides_with.iter().map(|s| s.to_string()).collect(),
    };
    app.seed_with(&Seed {
        users: vec![
            sup("SUP2", "S1", &["D2"]),
            sup("SUP3", "S1", &["D1"]),
            sup("SUP4", "S2", &["D3"]),
        ],
        ..Seed::default()
    })
    .await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let d2 = app.login("S1", Role::Driver, "D2").await;
    let d3 = app.login("S2", Role::Driver, "D3").await;
    let sup1 = app.login("S1", Role::Supervisor, "SUP1").await;
    let sup2 = app.login("S1", Role::Supervisor, "SUP2").await;
    let sup3 = app.login("S1", Role::Supervisor, "SUP3").await;
    let sup4 = app.login("S2", Role::Supervisor, "SUP4").await;
    let l1 = app.login("S1", Role::Station, "L1").await;
    let l2 = app.login("S2", Role::Station, "L2").await;
    let now = app.now();
    let ride = uuid::Uuid::now_v7();
    let mut s1 = Seq::new(&app, &sup1, "T1");
    let start = EventBody::RideAlongStarted {
        ride_along_id: ride,
        supervisor_id: "SUP1".into(),
        driver_id: "D1".into(),
    };
    assert_eq!(s1.send(now, start).await, None);

    // Reading the record and the pace: (who, may read?)
    let readers = [
        (&sup1, true),
        (&d1, true),
        (&l1, true),
        (&sup2, false),
        (&sup3, false),
        (&sup4, false),
        (&d2, false),
        (&d3, false),
        (&l2, false),
    ];
    for (who, allowed) in readers {
        let r = app
            .get(&format!("/v1/ride-alongs/{ride}"), who.token())
            .await;
        let want = if allowed {
            (StatusCode::OK, "")
        } else {
            (StatusCode::FORBIDDEN, "not_your_record")
        };
        assert_eq!(
            (r.status, r.code()),
            want,
            "{} reads the record: {}",
            who.session.user_id,
            r.json
        );
        let mine: Vec<RideAlongRecord> = match who.session.role {
            Role::Station => Vec::new(),
            _ => app.get("/v1/ride-alongs/mine", who.token()).await.ok(),
        };
        let lists_it = mine.iter().any(|m| m.summary.ride_along_id == ride);
        assert_eq!(
            lists_it,
            allowed && who.session.role != Role::Station,
            "{}'s own records",
            who.session.user_id
        );
    }
    // The pace follows the tour: the tour's driver, its station, supervisors riding with D1.
    for (who, allowed) in [
        (&d1, true),
        (&l1, true),
        (&sup1, true),
        (&sup3, true),
        (&d2, false),
        (&sup2, false),
        (&sup4, false),
        (&l2, false),
    ] {
        let r = app.get("/v1/dispatch/tours/T1/pace", who.token()).await;
        assert_eq!(
            r.status.is_success(),
            allowed,
            "{} on T1's pace: {}",
            who.session.user_id,
            r.json
        );
        if allowed {
            let _: PaceView = r.ok();
        }
    }
    // The station's day view: its own lead only.
    let day: Vec<RideAlongSummary> = app.get("/v1/dispatch/ride-alongs", l1.token()).await.ok();
    assert_eq!(day.len(), 1);
    let day: Vec<RideAlongSummary> = app.get("/v1/dispatch/ride-alongs", l2.token()).await.ok();
    assert!(day.is_empty(), "L2 sees nothing of S1: {day:?}");
    for who in [&sup1, &d1] {
        let r = app.get("/v1/dispatch/ride-alongs", who.token()).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::FORBIDDEN, "dispatch_only")
        );
    }
    let r = app.get("/v1/ride-alongs/mine", l1.token()).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "dispatch_only")
    );

    // Writing: every forbidden pair is refused with its code.
    let obs = EventBody::RideObservation {
        ride_along_id: ride,
        stop_id: None,
        category: lastmile_protocol::ride::ObservationCategoryDto::Other,
        text: "x".into(),
        photo: None,
    };
    let writes = [
        // A supervisor not riding with D1, on D1's tour.
        (&sup2, "T1", obs.clone(), "not_riding_with"),
        (&sup4, "T1", obs.clone(), "not_riding_with"),
        // A supervisor riding with D1 on somebody else's record.
        (&sup3, "T1", obs.clone(), "not_your_record"),
        // A supervisor on their own tour's... record that is not theirs.
        (&sup2, "T2", obs.clone(), "not_your_record"),
        // Drivers do not write the supervisor's entries.
        (&d1, "T1", obs.clone(), "supervisor_only"),
    ];
    for (who, tour, body, code) in writes {
        let mut s = Seq::new(&app, who, tour);
        assert_eq!(
            s.send(now, body).await.as_deref(),
            Some(code),
            "{} writes on {tour}",
            who.session.user_id
        );
    }
    assert_eq!(
        s1.send(
            now,
            EventBody::RideSupervisorSigned {
                ride_along_id: ride,
                coaching_notes: String::new(),
                signature: signature(1),
            }
        )
        .await,
        None
    );
    let answer = EventBody::RideDriverSigned {
        ride_along_id: ride,
        comment: Some("not mine".into()),
        signature: signature(2),
    };
    for (who, tour, code) in [
        (&d2, "T1", "not_your_record"),
        (&d2, "T2", "not_your_record"),
        (&d3, "T3", "not_your_record"),
        (&sup1, "T1", "driver_only"),
        (&sup3, "T1", "driver_only"),
    ] {
        let mut s = Seq::new(&app, who, tour);
        assert_eq!(
            s.send(now, answer.clone()).await.as_deref(),
            Some(code),
            "{} answers on {tour}",
            who.session.user_id
        );
    }
    // Station sessions record no ride-along event: refused, and nothing recorded.
    let ev = event(&l1, 1, "T1", now, answer.clone());
    let ack: BatchAck = app.send(&l1, &[ev]).await.ok();
    assert_eq!(ack.rejections.len(), 1);
    assert_eq!(ack.rejections[0].code, "role_cannot_record");
    let r: RideAlongRecord = app
        .get(&format!("/v1/ride-alongs/{ride}"), d1.token())
        .await
        .ok();
    assert!(
        r.observations.is_empty() && r.driver_answer.is_none(),
        "{r:?}"
    );
}
