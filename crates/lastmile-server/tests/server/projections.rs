//! The dispatch list read from its projection (issue 18): it equals the old refold of every
//! tour's events after random sequences of outcomes, undos, corrections, rejected events,
//! resent batches, arriving blobs and dispatch edits; it filters by day and pages; a
//! database from before the projection is filled in on upgrade; and on SQLite a read waits
//! for no write transaction.

use axum::http::StatusCode;
use lastmile_protocol::auth::Role;
use lastmile_protocol::dispatch::{TourProgress, TourSummary};
use lastmile_protocol::events::{CorrectedOutcomeDto, EventBody, EventEnvelope, FailureReasonDto};
use lastmile_server::auth::Principal;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

use crate::both;
use crate::harness::*;
use crate::stories::blob_put_req;

both!(
    the_list_equals_the_refold_of_every_event,
    the_list_filters_by_day_and_pages,
    an_upgrade_from_schema_8_fills_in_the_list
);

fn lead(station: &str, user: &str) -> Principal {
    Principal {
        session_id: String::new(),
        device_id: String::new(),
        user_id: user.into(),
        role: Role::Station,
        station_id: station.into(),
    }
}

/// The list as the lead L1 sees it, and as the refold oracle computes it.
async fn list_and_oracle(app: &App, l1: &Login) -> (Vec<TourSummary>, Vec<TourSummary>) {
    let listed: Vec<TourSummary> = app.get("/v1/dispatch/tours", l1.token()).await.ok();
    let oracle = lastmile_server::views::refold_tours(&app.state, &lead("S1", "L1"))
        .await
        .expect("refold");
    (listed, oracle)
}

/// A driver's device, its next sequence number, the outcomes it recorded and the stops and
/// parcels it may name (also those dispatch added or removed since).
struct Driver {
    login: Login,
    tour: &'static str,
    seq: u64,
    outcomes: Vec<EventEnvelope>,
    last_batch: Vec<EventEnvelope>,
    parcels: Vec<(String, String)>,
}

fn random_body(rng: &mut StdRng, d: &Driver, photos: &mut Vec<Vec<u8>>) -> EventBody {
    let (stop, parcel) = d.parcels[rng.random_range(0..d.parcels.len())].clone();
    match rng.random_range(0..11) {
        0 | 1 => {
            let blobs = if rng.random_bool(0.3) {
                let data = jpeg(64, rng.random());
                let r = photo_ref(&data);
                photos.push(data);
                vec![r]
            } else {
                vec![]
            };
            delivered(&stop, &parcel, blobs)
        }
        2 | 3 => EventBody::DeliveryFailed {
            stop_id: stop,
            tracking_id: parcel,
            reason: FailureReasonDto::NobodyHome,
            card: None,
            blobs: vec![],
        },
        4 => EventBody::StopSkipped { stop_id: stop },
        5 => EventBody::ReturnPickedUp {
            stop_id: stop,
            label: "R-1".into(),
            blobs: vec![],
        },
        6 | 7 if !d.outcomes.is_empty() => {
            let o = &d.outcomes[rng.random_range(0..d.outcomes.len())];
            let (stop_id, tracking_id) = match &o.body {
                EventBody::ParcelDelivered {
                    stop_id,
                    tracking_id,
                    ..
                }
                | EventBody::DeliveryFailed {
                    stop_id,
                    tracking_id,
                    ..
                } => (stop_id.clone(), tracking_id.clone()),
                // The server checks an undo's parcel against its stop: one of that stop.
                EventBody::StopSkipped { stop_id } | EventBody::ReturnPickedUp { stop_id, .. } => {
                    let parcel = d.parcels.iter().find(|(s, _)| s == stop_id);
                    (
                        stop_id.clone(),
                        parcel.map(|(_, p)| p.clone()).unwrap_or_default(),
                    )
                }
                _ => (stop, parcel),
            };
            EventBody::OutcomeUndone {
                undone_event_id: o.event_id,
                stop_id,
                tracking_id,
            }
        }
        8 if !d.outcomes.is_empty() => EventBody::OutcomeCorrected {
            corrected_event_id: d.outcomes[rng.random_range(0..d.outcomes.len())].event_id,
            note: "was the neighbour".into(),
            outcome: rng.random_bool(0.5).then_some(CorrectedOutcomeDto::Failed {
                reason: FailureReasonDto::Refused,
            }),
        },
        // A stop the tour does not have: recorded as rejected.
        9 => delivered(&format!("{}-Z", d.tour), &parcel, vec![]),
        _ => EventBody::StopArrived { stop_id: stop },
    }
}

/// A dispatch edit of the driver's tour: a new stop with a new parcel, or a stop removed
/// (outcomes may still arrive for it, flagged). An edit the import rules refuse is fine.
async fn random_edit(app: &App, l1: &Login, rng: &mut StdRng, d: &mut Driver, step: usize) {
    let changes = if rng.random_bool(0.6) {
        let (stop_id, parcel) = (format!("{}-N{step}", d.tour), format!("{}-Q{step}", d.tour));
        d.parcels.push((stop_id.clone(), parcel.clone()));
        json!([{ "type": "stop_added", "stop": stop(&stop_id, 10 + step as u32, &[&parcel]) }])
    } else {
        let (stop_id, _) = &d.parcels[rng.random_range(0..d.parcels.len())];
        json!([{ "type": "stop_removed", "stop_id": stop_id }])
    };
    let r = app
        .post(
            &format!("/v1/dispatch/tours/{}/changes", d.tour),
            Some(l1.token()),
            json!({ "changes": changes }),
        )
        .await;
    assert!(
        r.status == StatusCode::OK || r.status.is_client_error(),
        "step {step}: edit: {} {}",
        r.status,
        r.json
    );
}

/// Random sequences (seed printed, `LASTMILE_PROJ_SEED` replays one), the list compared
/// with the refold after every step: every path that changes what the list shows must
/// move the projection, exactly once.
async fn the_list_equals_the_refold_of_every_event(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let l1 = app.login("S1", Role::Station, "L1").await;
    let mut drivers = Vec::new();
    for (user, tour) in [("D1", "T1"), ("D2", "T2")] {
        let parcels = [("A", "P1"), ("A", "P2"), ("B", "P3"), ("C", "P4")]
            .iter()
            .map(|(s, p)| (format!("{tour}-{s}"), format!("{tour}-{p}")))
            .collect();
        drivers.push(Driver {
            login: app.login("S1", Role::Driver, user).await,
            tour,
            seq: 1,
            outcomes: Vec::new(),
            last_batch: Vec::new(),
            parcels,
        });
    }
    let seed: u64 = std::env::var("LASTMILE_PROJ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    eprintln!("the_list_equals_the_refold_of_every_event seed {seed} (LASTMILE_PROJ_SEED)");
    let mut rng = StdRng::seed_from_u64(seed);
    let mut photos: Vec<Vec<u8>> = Vec::new();
    let (listed, oracle) = list_and_oracle(&app, &l1).await;
    assert_eq!(listed, oracle, "before any event (seed {seed})");
    for step in 0..60 {
        let d = &mut drivers[rng.random_range(0..2)];
        if rng.random_bool(0.1) {
            random_edit(&app, &l1, &mut rng, d, step).await;
        }
        // Events a few milliseconds apart, sometimes in the same one (the fold's order).
        if rng.random_bool(0.5) {
            app.clock.advance(chrono::Duration::milliseconds(3));
        }
        let now = app.now();
        let batch: Vec<EventEnvelope> = if !d.last_batch.is_empty() && rng.random_bool(0.15) {
            // A resend (the ack was lost): nothing may count twice.
            d.last_batch.clone()
        } else {
            (0..rng.random_range(1..6))
                .map(|_| {
                    let body = random_body(&mut rng, d, &mut photos);
                    let ev = event(&d.login, d.seq, d.tour, now, body);
                    d.seq += 1;
                    if matches!(
                        ev.body,
                        EventBody::ParcelDelivered { .. }
                            | EventBody::DeliveryFailed { .. }
                            | EventBody::StopSkipped { .. }
                            | EventBody::ReturnPickedUp { .. }
                    ) {
                        d.outcomes.push(ev.clone());
                    }
                    ev
                })
                .collect()
        };
        let r = app.send(&d.login, &batch).await;
        assert_eq!(r.status, StatusCode::OK, "step {step}: {}", r.json);
        d.last_batch = batch;
        if !photos.is_empty() && rng.random_bool(0.3) {
            let data = photos.swap_remove(rng.random_range(0..photos.len()));
            let token = d.login.token().to_owned();
            let r = app
                .raw(blob_put_req(
                    &sha256(&data),
                    "image/jpeg",
                    None,
                    data,
                    &token,
                ))
                .await;
            assert!(r.status.is_success(), "step {step}: blob: {}", r.json);
        }
        let (listed, oracle) = list_and_oracle(&app, &l1).await;
        assert_eq!(listed, oracle, "step {step} (seed {seed})");
    }
    // The sequence did move the numbers (else the comparison proved little).
    let (listed, _) = list_and_oracle(&app, &l1).await;
    let moved: u32 = listed
        .iter()
        .map(|t| t.progress.delivered + t.progress.failed + t.progress.rejected_events)
        .sum();
    assert!(moved > 0, "seed {seed}: nothing counted: {listed:?}");
    // And the operator's rebuild from the events gives the same list.
    let filled = lastmile_server::progress::rebuild(&app.state.db)
        .await
        .expect("rebuild");
    assert_eq!(filled, 3, "every tour of the fixture filled in again");
    let (rebuilt, _) = list_and_oracle(&app, &l1).await;
    assert_eq!(rebuilt, listed, "seed {seed}: the rebuild differs");
}

fn ids(tours: &[TourSummary]) -> Vec<String> {
    tours.iter().map(|t| t.tour_id.clone()).collect()
}

async fn the_list_filters_by_day_and_pages(b: Backend) {
    let app = app(b).await;
    let today = app.now().date_naive();
    let yesterday = today.pred_opt().expect("date");
    let mut seed = fixture_seed(today);
    seed.tours.push(tour("T4", "D1", "S1", yesterday));
    seed.tours.push(tour("T5", "D2", "S1", yesterday));
    app.seed_with(&seed).await;
    let l1 = app.login("S1", Role::Station, "L1").await;
    let all: Vec<TourSummary> = app.get("/v1/dispatch/tours", l1.token()).await.ok();
    assert_eq!(ids(&all), ["T1", "T2", "T4", "T5"], "newest day first");
    let day: Vec<TourSummary> = app
        .get(&format!("/v1/dispatch/tours?date={yesterday}"), l1.token())
        .await
        .ok();
    assert_eq!(ids(&day), ["T4", "T5"]);
    assert!(day.iter().all(|t| t.date == yesterday));
    // Page by page, one at a time, across the day boundary.
    let mut paged = Vec::new();
    let mut after = String::new();
    loop {
        let q = if after.is_empty() {
            "/v1/dispatch/tours?limit=1".to_owned()
        } else {
            format!("/v1/dispatch/tours?limit=1&after={after}")
        };
        let page: Vec<TourSummary> = app.get(&q, l1.token()).await.ok();
        let Some(last) = page.last() else { break };
        assert_eq!(page.len(), 1);
        after = last.tour_id.clone();
        paged.push(after.clone());
        assert!(paged.len() <= 4, "paging does not end: {paged:?}");
    }
    assert_eq!(paged, ["T1", "T2", "T4", "T5"]);
    let two: Vec<TourSummary> = app
        .get(
            &format!("/v1/dispatch/tours?date={yesterday}&limit=2&after=T4"),
            l1.token(),
        )
        .await
        .ok();
    assert_eq!(ids(&two), ["T5"], "a day's second page");
    // A driver: their own tours only, also filtered.
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let mine: Vec<TourSummary> = app
        .get(&format!("/v1/dispatch/tours?date={today}"), d1.token())
        .await
        .ok();
    assert_eq!(ids(&mine), ["T1"]);
    // Bad input gets a clear error.
    let r = app
        .get("/v1/dispatch/tours?date=yesterday", l1.token())
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.json);
}

/// A database written before migration 009 (its tables dropped, the schema version set
/// back to 8): opening it back-fills the projection, and the list shows what the refold
/// showed before, undone outcome and rejected event included.
async fn an_upgrade_from_schema_8_fills_in_the_list(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let l1 = app.login("S1", Role::Station, "L1").await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let now = app.now();
    let first = event(&d1, 1, "T1", now, delivered("T1-A", "T1-P1", vec![]));
    let events = [
        first.clone(),
        event(&d1, 2, "T1", now, delivered("T1-A", "T1-P2", vec![])),
        event(
            &d1,
            3,
            "T1",
            now,
            EventBody::StopSkipped {
                stop_id: "T1-C".into(),
            },
        ),
        event(
            &d1,
            4,
            "T1",
            now,
            EventBody::OutcomeUndone {
                undone_event_id: first.event_id,
                stop_id: "T1-A".into(),
                tracking_id: "T1-P1".into(),
            },
        ),
        event(&d1, 5, "T1", now, delivered("T1-Z", "T1-P1", vec![])),
    ];
    let r = app.send(&d1, &events).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let before = lastmile_server::views::refold_tours(&app.state, &lead("S1", "L1"))
        .await
        .expect("refold");
    let t1 = before.iter().find(|t| t.tour_id == "T1").expect("T1");
    assert_eq!(
        (
            t1.progress.delivered,
            t1.progress.stops_done,
            t1.progress.rejected_events
        ),
        (1, 1, 1),
        "P1 undone, C skipped, one rejected"
    );
    let mut tx = app.state.db.begin().await.expect("begin");
    for table in ["tour_progress", "tour_services_done", "tour_outcomes"] {
        tx.exec(&format!("DROP TABLE {table}"), &[])
            .await
            .expect("drop");
    }
    tx.exec(
        "UPDATE server_meta SET value = '8' WHERE key = 'schema_version'",
        &[],
    )
    .await
    .expect("version");
    tx.commit().await.expect("commit");
    let config = || lastmile_server::ServerConfig {
        clock: app.clock.clone(),
        ..Default::default()
    };
    let reopened = match b {
        Backend::Sqlite => {
            let dir = app._dir.as_ref().expect("dir").path();
            lastmile_server::ServerState::open_sqlite_with(dir, config()).expect("reopen")
        }
        Backend::Postgres => {
            let url = app.state.db.postgres_url().expect("url").to_owned();
            lastmile_server::ServerState::open_postgres(&url, config())
                .await
                .expect("reopen")
        }
    };
    let upgraded = App {
        state: reopened,
        clock: app.clock.clone(),
        _dir: None,
    };
    let listed: Vec<TourSummary> = upgraded.get("/v1/dispatch/tours", l1.token()).await.ok();
    assert_eq!(listed, before);
    // And it keeps counting from there: the undone parcel delivered again.
    let r = upgraded
        .send(
            &d1,
            &[event(&d1, 6, "T1", now, delivered("T1-A", "T1-P1", vec![]))],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let listed: Vec<TourSummary> = upgraded.get("/v1/dispatch/tours", l1.token()).await.ok();
    let t1 = listed.iter().find(|t| t.tour_id == "T1").expect("T1");
    assert_eq!((t1.progress.delivered, t1.progress.stops_done), (2, 2));
    let progress: TourProgress = upgraded
        .get("/v1/dispatch/tours/T1/progress", l1.token())
        .await
        .ok();
    assert_eq!(
        progress, t1.progress,
        "the list and the tour's own view agree"
    );
}

/// On SQLite the list runs on a reader connection: it answers while a write transaction
/// holds the writer (before, it queued behind it) and shows the last commit. Not a timing
/// test: on the writer this read would never answer, the timeout turns that into a failure.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sqlite_the_list_does_not_wait_for_an_open_write() {
    let app = app(Backend::Sqlite).await;
    app.seed().await;
    let l1 = app.login("S1", Role::Station, "L1").await;
    let before: Vec<TourSummary> = app.get("/v1/dispatch/tours", l1.token()).await.ok();
    let mut writer = app.state.db.begin().await.expect("the writer");
    writer
        .exec("DELETE FROM tour_progress", &[])
        .await
        .expect("uncommitted write");
    let during = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        app.get("/v1/dispatch/tours", l1.token()),
    )
    .await
    .expect("the list waited for the open write transaction");
    assert_eq!(during.ok::<Vec<TourSummary>>(), before);
    drop(writer);
}
