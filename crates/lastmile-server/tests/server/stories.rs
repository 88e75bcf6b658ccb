//! The storage story, run on both backends: access, exactly-once, rejections, tokens,
//! blobs, the change feed, import, hostile input, the OpenAPI document.

use std::io::Write;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use lastmile_protocol::auth::{Role, Session};
use lastmile_protocol::dispatch::{CardView, ImportReport, OutcomeView, TourProgress, TourSummary};
use lastmile_protocol::events::{
    CardMessageDto, CorrectedOutcomeDto, EventBody, FailureReasonDto, NotificationCardDto,
};
use lastmile_protocol::sync::{BatchAck, BlobStatus, ChangesPage};
use lastmile_protocol::tour::{ChangeSet, TourSnapshot};
use serde_json::json;

use crate::both;
use crate::harness::*;

both!(
    access_matrix,
    exactly_once_under_duplicates_and_reordering,
    rejected_event_does_not_block_the_queue,
    token_expiry_refresh_and_reauth_after_36h_offline,
    forged_device_ids_are_refused_without_writes,
    blob_upload_idempotent_resumable_verified,
    change_feed_in_cursor_order_and_removed_stop_conflict,
    hostile_bodies_get_clear_4xx,
    import_own_and_lmrrc_tours,
    device_clock_off_by_a_day_is_kept_as_recorded,
    openapi_document_is_valid_and_complete,
    two_instances_on_one_database_apply_exactly_once,
    a_correction_shows_the_new_outcome_and_keeps_the_original,
    reused_event_ids_and_undo_in_the_same_batch,
    a_big_batch_goes_in_whole_with_its_blobs_and_once,
);

/// A big batch, written in one statement per table on PostgreSQL (`unnest`, issue 18),
/// keeps every rule of the row-by-row way: each event once with its verdict, a twin id and
/// an id of an earlier batch rejected, an unknown stop rejected without blocking the ones
/// behind it, every applied event's blobs asked for, dispatch's list counting each parcel
/// once, and the resend of the whole batch writes nothing.
async fn a_big_batch_goes_in_whole_with_its_blobs_and_once(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let now = app.now();
    let early = event(&d1, 1, "T1", now, delivered("T1-C", "T1-P4", vec![]));
    let ack: BatchAck = app.send(&d1, std::slice::from_ref(&early)).await.ok();
    assert_eq!(ack.acked_seq, 1);
    let stops = [("T1-A", "T1-P1"), ("T1-A", "T1-P2"), ("T1-B", "T1-P3")];
    let mut batch: Vec<_> = (2..=61u64)
        .map(|seq| {
            let (stop, parcel) = stops[seq as usize % stops.len()];
            let photo = photo_ref(&jpeg(100, seq as u8));
            event(&d1, seq, "T1", now, delivered(stop, parcel, vec![photo]))
        })
        .collect();
    batch[10].event_id = batch[9].event_id; // seq 12: a twin of seq 11
    batch[20].event_id = early.event_id; // seq 22: the id of the first batch's event
    batch[30].body = delivered("T1-Z", "T1-P1", vec![]); // seq 32: no such stop
    // Rejected events ask for no blobs.
    let mut wanted: Vec<String> = batch
        .iter()
        .filter(|e| ![12, 22, 32].contains(&e.seq))
        .flat_map(|e| e.body.blob_refs())
        .map(|b| b.sha256)
        .collect();
    wanted.sort();
    let ack: BatchAck = app.send(&d1, &batch).await.ok();
    assert_eq!(ack.acked_seq, 61);
    let codes: Vec<(u64, &str)> = ack
        .rejections
        .iter()
        .map(|r| (r.seq, r.code.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            (12, "duplicate_event_id"),
            (22, "duplicate_event_id"),
            (32, "unknown_stop")
        ]
    );
    assert_eq!(wanted.len(), 57);
    assert_eq!(ack.missing_blobs, wanted, "the applied events' photos");
    assert_eq!(count_events(&app).await, 61);
    // The answer was lost: the device sends the whole batch again.
    let again: BatchAck = app.send(&d1, &batch).await.ok();
    assert_eq!(again.acked_seq, 61);
    assert_eq!(again.rejections.len(), 3);
    assert_eq!(again.missing_blobs, wanted);
    assert_eq!(count_events(&app).await, 61);
    let l1 = app.login("S1", Role::Station, "L1").await;
    let listed: Vec<TourSummary> = app.get("/v1/dispatch/tours", l1.token()).await.ok();
    let t1 = listed.iter().find(|t| t.tour_id == "T1").expect("T1");
    assert_eq!(
        (
            t1.progress.delivered,
            t1.progress.stops_done,
            t1.progress.rejected_events,
            t1.progress.missing_blobs
        ),
        (4, 3, 3, 57)
    );
}

/// The batch's rows are written together (issue 18), yet within one batch an event id used
/// twice is still a duplicate, an id used by an earlier batch too, and an undo sees the
/// delivery it undoes from the same batch.
async fn reused_event_ids_and_undo_in_the_same_batch(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let now = app.now();
    let first = event(&d1, 1, "T1", now, delivered("T1-A", "T1-P1", vec![]));
    let mut twin = event(&d1, 2, "T1", now, delivered("T1-A", "T1-P2", vec![]));
    twin.event_id = first.event_id;
    let undone = event(&d1, 3, "T1", now, delivered("T1-B", "T1-P3", vec![]));
    let undo = event(
        &d1,
        4,
        "T1",
        now,
        EventBody::OutcomeUndone {
            undone_event_id: undone.event_id,
            stop_id: "T1-B".into(),
            tracking_id: "T1-P3".into(),
        },
    );
    let ack: BatchAck = app
        .send(&d1, &[first.clone(), twin, undone, undo])
        .await
        .ok();
    assert_eq!(ack.acked_seq, 4);
    let codes: Vec<(u64, &str)> = ack
        .rejections
        .iter()
        .map(|r| (r.seq, r.code.as_str()))
        .collect();
    assert_eq!(codes, [(2, "duplicate_event_id")]);
    let mut later = event(&d1, 5, "T1", now, delivered("T1-A", "T1-P2", vec![]));
    later.event_id = first.event_id;
    let ack: BatchAck = app.send(&d1, &[later]).await.ok();
    assert_eq!(ack.acked_seq, 5);
    assert_eq!(ack.rejections.len(), 1);
    assert_eq!(ack.rejections[0].code, "duplicate_event_id");
    let outcomes: Vec<OutcomeView> = app
        .get("/v1/dispatch/tours/T1/outcomes", d1.token())
        .await
        .ok();
    let seen: Vec<(u64, bool)> = outcomes.iter().map(|o| (o.seq, o.undone)).collect();
    assert_eq!(seen, [(1, false), (3, true)], "{outcomes:?}");
    assert_eq!(count_events(&app).await, 5);
}

async fn a_correction_shows_the_new_outcome_and_keeps_the_original(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let now = app.now();
    let first = event(&d1, 1, "T1", now, delivered("T1-A", "T1-P1", vec![]));
    let skipped = event(
        &d1,
        2,
        "T1",
        now,
        EventBody::StopSkipped {
            stop_id: "T1-B".into(),
        },
    );
    let to_failed = Some(CorrectedOutcomeDto::Failed {
        reason: FailureReasonDto::NobodyHome,
    });
    let evs = vec![
        first.clone(),
        skipped.clone(),
        event(
            &d1,
            3,
            "T1",
            now,
            EventBody::OutcomeCorrected {
                corrected_event_id: first.event_id,
                note: "tapped delivered by mistake".into(),
                outcome: to_failed.clone(),
            },
        ),
        // A skipped stop is not a parcel's outcome: it cannot become a failed attempt.
        event(
            &d1,
            4,
            "T1",
            now,
            EventBody::OutcomeCorrected {
                corrected_event_id: skipped.event_id,
                note: "wrong stop".into(),
                outcome: to_failed.clone(),
            },
        ),
    ];
    let ack: BatchAck = app.send(&d1, &evs).await.ok();
    assert_eq!(ack.acked_seq, 4);
    let codes: Vec<(u64, &str)> = ack
        .rejections
        .iter()
        .map(|r| (r.seq, r.code.as_str()))
        .collect();
    assert_eq!(codes, [(4, "not_correctable")]);
    let outcomes: Vec<OutcomeView> = app
        .get("/v1/dispatch/tours/T1/outcomes", d1.token())
        .await
        .ok();
    let delivery = outcomes
        .iter()
        .find(|o| o.event_id == first.event_id)
        .expect("the original stays");
    assert!(matches!(
        delivery.kind,
        lastmile_protocol::dispatch::OutcomeKind::Delivered { .. }
    ));
    assert_eq!(delivery.corrected_to, to_failed);
    assert_eq!(delivery.corrections, ["tapped delivered by mistake"]);
}

async fn access_matrix(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let d2 = app.login("S1", Role::Driver, "D2").await;
    let sup = app.login("S1", Role::Supervisor, "SUP1").await;
    let l1 = app.login("S1", Role::Station, "L1").await;
    let l2 = app.login("S2", Role::Station, "L2").await;

    // Own tour snapshot.
    let t: TourSnapshot = app.get("/v1/tour", d1.token()).await.ok();
    assert_eq!(t.tour_id, "T1");
    assert_eq!(t.stops.len(), 3);
    // (who, tour, may see?)
    let matrix = [
        (&d1, "T1", true),
        (&d1, "T2", false),
        (&d1, "T3", false),
        (&d2, "T1", false),
        (&d2, "T2", true),
        (&sup, "T1", true),
        (&sup, "T2", false),
        (&sup, "T3", false),
        (&l1, "T1", true),
        (&l1, "T2", true),
        (&l1, "T3", false),
        (&l2, "T3", true),
        (&l2, "T1", false),
    ];
    for (who, tour, allowed) in matrix {
        for sub in [
            "",
            "/progress",
            "/outcomes",
            "/cards",
            "/missing-blobs",
            "/rejections",
        ] {
            let r = app
                .get(&format!("/v1/dispatch/tours/{tour}{sub}"), who.token())
                .await;
            let expect = if allowed {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(
                r.status, expect,
                "{} on {tour}{sub}: {}",
                who.session.user_id, r.json
            );
        }
        let driver = match tour {
            "T1" => "D1",
            "T2" => "D2",
            _ => "D3",
        };
        let r = app
            .get(&format!("/v1/tour?driver_id={driver}"), who.token())
            .await;
        assert_eq!(
            r.status.is_success(),
            allowed,
            "{} on tour of {driver}: {}",
            who.session.user_id,
            r.json
        );
    }
    // Lists show exactly what each may see.
    let ids = |v: Vec<TourSummary>| v.into_iter().map(|t| t.tour_id).collect::<Vec<_>>();
    assert_eq!(
        ids(app.get("/v1/dispatch/tours", l1.token()).await.ok()),
        ["T1", "T2"]
    );
    assert_eq!(
        ids(app.get("/v1/dispatch/tours", l2.token()).await.ok()),
        ["T3"]
    );
    assert_eq!(
        ids(app.get("/v1/dispatch/tours", sup.token()).await.ok()),
        ["T1"]
    );
    assert_eq!(
        ids(app.get("/v1/dispatch/tours", d2.token()).await.ok()),
        ["T2"]
    );
    // Only the station edits, and only its own station's tours.
    let change = json!({ "changes": [{ "type": "access_notes_changed", "stop_id": "T1-A", "access_notes": "gate 42" }] });
    for who in [&d1, &sup, &l2] {
        let r = app
            .post(
                "/v1/dispatch/tours/T1/changes",
                Some(who.token()),
                change.clone(),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "{} edits T1: {}",
            who.session.user_id,
            r.json
        );
    }
    let _: ChangeSet = app
        .post("/v1/dispatch/tours/T1/changes", Some(l1.token()), change)
        .await
        .ok();
    // The change reaches D1, L1 and SUP1 but not D2 or L2.
    for (who, n) in [(&d1, 1), (&l1, 1), (&sup, 1), (&d2, 0), (&l2, 0)] {
        let page: ChangesPage = app.get("/v1/changes?after=0", who.token()).await.ok();
        assert_eq!(
            page.change_sets.len(),
            n,
            "{} sees the T1 change",
            who.session.user_id
        );
    }
    // Stations record only station events (issue 12: per kind, see station.rs); a driver's
    // event on another driver's tour is refused.
    let ev = event(&l1, 1, "T1", app.now(), delivered("T1-A", "T1-P1", vec![]));
    let ack: BatchAck = app.send(&l1, &[ev]).await.ok();
    assert_eq!(ack.rejections[0].code, "role_cannot_record");
    let ev = event(&d1, 1, "T2", app.now(), delivered("T2-A", "T2-P1", vec![]));
    let ack: BatchAck = app.send(&d1, &[ev]).await.ok();
    assert_eq!(ack.rejections[0].code, "not_your_tour");
    let prog: TourProgress = app
        .get("/v1/dispatch/tours/T2/progress", l1.token())
        .await
        .ok();
    assert_eq!(
        prog.delivered, 0,
        "a foreign driver's event must not count on T2"
    );
    // The supervisor may record on the tour of the driver they ride with.
    let ev = event(&sup, 1, "T1", app.now(), delivered("T1-B", "T1-P3", vec![]));
    let ack: BatchAck = app.send(&sup, &[ev]).await.ok();
    assert!(ack.rejections.is_empty(), "{:?}", ack.rejections);
    // A driver of another station cannot sign in on a device of S1; wrong PINs lock.
    let dev = app.enrol("CODE-S1").await;
    assert_eq!(
        app.sign_in(&dev, Role::Driver, "D3", "D3-pin").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.sign_in(&dev, Role::Station, "D1", "D1-pin")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    for _ in 0..5 {
        assert_eq!(
            app.sign_in(&dev, Role::Driver, "D2", "0000").await.code(),
            "bad_credentials"
        );
    }
    let r = app.sign_in(&dev, Role::Driver, "D2", "D2-pin").await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::TOO_MANY_REQUESTS, "pin_locked")
    );
    // Blob downloads follow the tours: L2 may not fetch a photo of T1.
    let photo = jpeg(100, 1);
    let r = app
        .raw(blob_put_req(
            &sha256(&photo),
            "image/jpeg",
            None,
            photo.clone(),
            d1.token(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let ev = event(
        &d1,
        2,
        "T1",
        app.now(),
        delivered("T1-A", "T1-P1", vec![photo_ref(&photo)]),
    );
    let _: BatchAck = app.send(&d1, &[ev]).await.ok();
    assert_eq!(
        app.get(&format!("/v1/blobs/{}", sha256(&photo)), l1.token())
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&format!("/v1/blobs/{}", sha256(&photo)), l2.token())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&format!("/v1/blobs/{}", sha256(&photo)), d2.token())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

pub fn blob_put_req(
    sha: &str,
    ct: &str,
    range: Option<String>,
    body: Vec<u8>,
    token: &str,
) -> Request<Body> {
    let mut b = Request::builder()
        .method(Method::PUT)
        .uri(format!("/v1/blobs/{sha}"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", ct);
    if let Some(r) = range {
        b = b.header("content-range", r);
    }
    b.body(Body::from(body)).expect("request")
}

async fn exactly_once_under_duplicates_and_reordering(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let now = app.now();
    let evs = [
        event(&d1, 1, "T1", now, delivered("T1-A", "T1-P1", vec![])),
        event(&d1, 2, "T1", now, delivered("T1-A", "T1-P2", vec![])),
        event(&d1, 3, "T1", now, delivered("T1-B", "T1-P3", vec![])),
        event(
            &d1,
            4,
            "T1",
            now,
            EventBody::StopArrived {
                stop_id: "T1-C".into(),
            },
        ),
        event(&d1, 5, "T1", now, delivered("T1-C", "T1-P4", vec![])),
    ];
    // The second batch overtakes the first: nothing of it applies yet.
    let ack: BatchAck = app.send(&d1, &evs[3..]).await.ok();
    assert_eq!(ack.acked_seq, 0);
    let ack: BatchAck = app.send(&d1, &evs[..3]).await.ok();
    assert_eq!(ack.acked_seq, 3);
    // The first batch again (its answer was "lost"), then the second, then everything
    // reversed and duplicated inside one batch.
    assert_eq!(app.send(&d1, &evs[..3]).await.ok::<BatchAck>().acked_seq, 3);
    assert_eq!(app.send(&d1, &evs[3..]).await.ok::<BatchAck>().acked_seq, 5);
    let mut all: Vec<_> = evs.iter().rev().cloned().collect();
    all.extend(evs.iter().cloned());
    assert_eq!(app.send(&d1, &all).await.ok::<BatchAck>().acked_seq, 5);
    let outcomes: Vec<OutcomeView> = app
        .get("/v1/dispatch/tours/T1/outcomes", d1.token())
        .await
        .ok();
    assert_eq!(
        outcomes.len(),
        4,
        "four deliveries, each once: {outcomes:?}"
    );
    let mut seqs: Vec<u64> = outcomes.iter().map(|o| o.seq).collect();
    seqs.sort();
    assert_eq!(seqs, [1, 2, 3, 5]);
    let p: TourProgress = app
        .get("/v1/dispatch/tours/T1/progress", d1.token())
        .await
        .ok();
    assert_eq!((p.delivered, p.stops_done, p.parcels_total), (4, 3, 4));
    // Two different events under one seq are a broken client: refused whole.
    let mut bad = evs[0].clone();
    bad.event_id = uuid::Uuid::now_v7();
    let r = app.send(&d1, &[evs[0].clone(), bad]).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "duplicate_seq")
    );
}

async fn rejected_event_does_not_block_the_queue(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let now = app.now();
    let evs = vec![
        event(&d1, 1, "T1", now, delivered("NOPE", "T1-P1", vec![])),
        // The parcel of stop B attached to stop A: must never be stored as applied.
        event(&d1, 2, "T1", now, delivered("T1-A", "T1-P3", vec![])),
        event(&d1, 3, "T1", now, delivered("T1-A", "T1-P1", vec![])),
    ];
    let ack: BatchAck = app.send(&d1, &evs).await.ok();
    assert_eq!(ack.acked_seq, 3);
    let codes: Vec<(u64, &str)> = ack
        .rejections
        .iter()
        .map(|r| (r.seq, r.code.as_str()))
        .collect();
    assert_eq!(codes, [(1, "unknown_stop"), (2, "parcel_not_at_stop")]);
    // The resend learns the same rejections (the first answer may have been lost).
    let again: BatchAck = app.send(&d1, &evs).await.ok();
    assert_eq!(again.rejections, ack.rejections);
    let outcomes: Vec<OutcomeView> = app
        .get("/v1/dispatch/tours/T1/outcomes", d1.token())
        .await
        .ok();
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].tracking_id.as_deref(), Some("T1-P1"));
    let p: TourProgress = app
        .get("/v1/dispatch/tours/T1/progress", d1.token())
        .await
        .ok();
    assert_eq!(p.rejected_events, 2);
    // A failed attempt with a card shows on the cards view.
    let failed = EventBody::DeliveryFailed {
        stop_id: "T1-B".into(),
        tracking_id: "T1-P3".into(),
        reason: FailureReasonDto::NobodyHome,
        card: Some(NotificationCardDto {
            card_number: "C-77".into(),
            says: CardMessageDto::NextAttempt,
        }),
        blobs: vec![],
    };
    let _: BatchAck = app
        .send(&d1, &[event(&d1, 4, "T1", now, failed)])
        .await
        .ok();
    let cards: Vec<CardView> = app
        .get("/v1/dispatch/tours/T1/cards", d1.token())
        .await
        .ok();
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0].card_number, "C-77");
}

async fn token_expiry_refresh_and_reauth_after_36h_offline(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    assert_eq!(app.get("/v1/tour", d1.token()).await.status, StatusCode::OK);
    app.clock.advance(chrono::Duration::minutes(16));
    let r = app.get("/v1/tour", d1.token()).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "token_expired")
    );
    let s2: Session = app
        .post(
            "/v1/session/refresh",
            None,
            json!({ "refresh_token": d1.session.refresh_token }),
        )
        .await
        .ok();
    assert_eq!(
        app.get("/v1/tour", &s2.access_token).await.status,
        StatusCode::OK
    );
    // The replaced access token is dead; replaying the used refresh token revokes the session.
    app.clock.advance(chrono::Duration::minutes(-16));
    assert_eq!(
        app.get("/v1/tour", d1.token()).await.code(),
        "invalid_token"
    );
    app.clock.advance(chrono::Duration::minutes(16));
    let r = app
        .post(
            "/v1/session/refresh",
            None,
            json!({ "refresh_token": d1.session.refresh_token }),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "refresh_token_reused")
    );
    assert_eq!(
        app.get("/v1/tour", &s2.access_token).await.code(),
        "session_revoked"
    );

    // A new session; the driver works 36 h offline, queueing events.
    let s3: Session = app
        .sign_in(&d1.dev, Role::Driver, "D1", "D1-pin")
        .await
        .ok();
    let login = Login {
        session: s3.clone(),
        ..d1.clone()
    };
    let start = app.now();
    let queued: Vec<_> = (1..=4u64)
        .map(|i| {
            let (stop, parcel) = [
                ("T1-A", "T1-P1"),
                ("T1-A", "T1-P2"),
                ("T1-B", "T1-P3"),
                ("T1-C", "T1-P4"),
            ][i as usize - 1];
            event(
                &login,
                i,
                "T1",
                start + chrono::Duration::hours(i as i64 * 8),
                delivered(stop, parcel, vec![]),
            )
        })
        .collect();
    app.clock.advance(chrono::Duration::hours(36));
    assert_eq!(app.send(&login, &queued).await.code(), "token_expired");
    let r = app
        .post(
            "/v1/session/refresh",
            None,
            json!({ "refresh_token": s3.refresh_token }),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "refresh_expired")
    );
    let s4: Session = app
        .sign_in(&d1.dev, Role::Driver, "D1", "D1-pin")
        .await
        .ok();
    let login = Login {
        session: s4,
        ..d1.clone()
    };
    let ack: BatchAck = app.send(&login, &queued).await.ok();
    assert_eq!(ack.acked_seq, 4);
    let outcomes: Vec<OutcomeView> = app
        .get("/v1/dispatch/tours/T1/outcomes", login.token())
        .await
        .ok();
    assert_eq!(outcomes.len(), 4, "nothing queued offline is lost");
    // Signing out kills the token.
    let r = app
        .call(Method::DELETE, "/v1/session", Some(login.token()), None)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/v1/tour", login.token()).await.code(),
        "session_revoked"
    );
}

async fn forged_device_ids_are_refused_without_writes(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let d2 = app.login("S1", Role::Driver, "D2").await;
    let now = app.now();
    // D2's token, a batch claiming D1's device.
    let ev = event(&d1, 1, "T1", now, delivered("T1-A", "T1-P1", vec![]));
    let batch = json!({ "device_id": d1.device_id, "events": [ev] });
    let r = app.post("/v1/events", Some(d2.token()), batch).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "device_mismatch")
    );
    // Own batch id, but one event smuggles another device id: the whole batch is refused.
    let good = event(&d2, 1, "T2", now, delivered("T2-A", "T2-P1", vec![]));
    let mut forged = event(&d2, 2, "T2", now, delivered("T2-A", "T2-P2", vec![]));
    forged.device_id = d1.device_id.clone();
    let r = app.send(&d2, &[good.clone(), forged]).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "device_mismatch")
    );
    let outcomes: Vec<OutcomeView> = app
        .get("/v1/dispatch/tours/T2/outcomes", d2.token())
        .await
        .ok();
    assert!(outcomes.is_empty(), "no partial write: {outcomes:?}");
    assert_eq!(app.send(&d2, &[good]).await.ok::<BatchAck>().acked_seq, 1);
    // Tokens that were never issued.
    for t in ["lma_00", "", "garbage token"] {
        let r = app.get("/v1/tour", t).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "token {t:?}");
    }
    assert_eq!(
        app.call(Method::GET, "/v1/tour", None, None).await.code(),
        "missing_token"
    );
    // The admin endpoint wants the admin token.
    let r = app
        .post("/v1/admin/seed", Some(d1.token()), json!({}))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "invalid_admin_token")
    );
    // An enrolment code is only good for its uses.
    let r = app
        .post(
            "/v1/devices/enrol",
            None,
            json!({ "enrolment_code": "NOPE", "device_name": "x" }),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "bad_enrolment_code")
    );
}

async fn blob_upload_idempotent_resumable_verified(b: Backend) {
    let app = app_with(b, |c| c.max_blob_bytes = 64 * 1024).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let photo = jpeg(40_000, 7);
    let sha = sha256(&photo);
    // The event arrives before its photo: accepted, and the photo is reported missing.
    let ev = event(
        &d1,
        1,
        "T1",
        app.now(),
        delivered("T1-A", "T1-P1", vec![photo_ref(&photo)]),
    );
    let ack: BatchAck = app.send(&d1, &[ev]).await.ok();
    assert_eq!(
        (ack.acked_seq, ack.missing_blobs.clone()),
        (1, vec![sha.clone()])
    );
    let missing: Vec<serde_json::Value> = app
        .get("/v1/dispatch/tours/T1/missing-blobs", d1.token())
        .await
        .ok();
    assert_eq!(missing.len(), 1);
    // Upload cut after 15,000 bytes; HEAD tells where to resume.
    let r = app
        .raw(blob_put_req(
            &sha,
            "image/jpeg",
            Some(format!("bytes 0-14999/{}", photo.len())),
            photo[..15_000].to_vec(),
            d1.token(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.json["complete"].as_bool().unwrap_or(true));
    let head = app
        .call(
            Method::HEAD,
            &format!("/v1/blobs/{sha}"),
            Some(d1.token()),
            None,
        )
        .await;
    assert_eq!(head.headers["upload-offset"], "15000");
    // Not visible before it is complete.
    assert_eq!(
        app.get(&format!("/v1/blobs/{sha}"), d1.token())
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // A piece beyond the offset is refused; an overlapping piece is fine.
    let r = app
        .raw(blob_put_req(
            &sha,
            "image/jpeg",
            Some(format!("bytes 20000-39999/{}", photo.len())),
            photo[20_000..].to_vec(),
            d1.token(),
        ))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "offset_mismatch")
    );
    let r = app
        .raw(blob_put_req(
            &sha,
            "image/jpeg",
            Some(format!("bytes 10000-39999/{}", photo.len())),
            photo[10_000..].to_vec(),
            d1.token(),
        ))
        .await;
    let status: BlobStatus = r.ok();
    assert!(status.complete);
    assert_eq!(status.received, 40_000);
    let r = app.get(&format!("/v1/blobs/{sha}"), d1.token()).await;
    assert_eq!(r.status, StatusCode::OK);
    // Idempotent: the same PUT again answers complete and changes nothing.
    let status: BlobStatus = app
        .raw(blob_put_req(
            &sha,
            "image/jpeg",
            None,
            photo.clone(),
            d1.token(),
        ))
        .await
        .ok();
    assert!(status.complete);
    let ack: BatchAck = app.send(&d1, &[]).await.ok();
    assert!(
        ack.missing_blobs.is_empty(),
        "the photo arrived: {:?}",
        ack.missing_blobs
    );
    // Wrong hash: refused, discarded, never visible.
    let other = jpeg(1000, 9);
    let wrong = sha256(b"something else");
    let r = app
        .raw(blob_put_req(&wrong, "image/jpeg", None, other, d1.token()))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "hash_mismatch")
    );
    // Nothing of it is left, and no event references it: nothing to tell.
    let st = app
        .get(&format!("/v1/blobs/{wrong}/status"), d1.token())
        .await;
    assert_eq!(
        (st.status, st.code()),
        (StatusCode::FORBIDDEN, "not_your_blob")
    );
    // Oversized, wrong type, bytes that are not what they claim, bad names.
    let big = jpeg(65 * 1024, 1);
    let r = app
        .raw(blob_put_req(
            &sha256(&big),
            "image/jpeg",
            None,
            big,
            d1.token(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.json);
    let r = app
        .raw(blob_put_req(
            &sha,
            "image/jpeg",
            Some("bytes 0-9/999999999".into()),
            photo[..10].to_vec(),
            d1.token(),
        ))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "blob_too_large")
    );
    let st: BlobStatus = app
        .get(&format!("/v1/blobs/{sha}/status"), d1.token())
        .await
        .ok();
    assert!(
        st.complete && st.received == 40_000,
        "a finished blob stays finished whatever is sent"
    );
    let exe = b"MZ\x90\x00 not a photo".to_vec();
    let r = app
        .raw(blob_put_req(
            &sha256(&exe),
            "application/octet-stream",
            None,
            exe.clone(),
            d1.token(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = app
        .raw(blob_put_req(
            &sha256(&exe),
            "image/png",
            None,
            exe,
            d1.token(),
        ))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "content_mismatch")
    );
    let r = app
        .raw(blob_put_req(
            "../../etc/passwd",
            "image/png",
            None,
            vec![1],
            d1.token(),
        ))
        .await;
    assert!(r.status.is_client_error());
    // Strokes as JSON are fine.
    let strokes = br#"[[0,0],[1,1]]"#.to_vec();
    let st: BlobStatus = app
        .raw(blob_put_req(
            &sha256(&strokes),
            "application/json",
            None,
            strokes,
            d1.token(),
        ))
        .await
        .ok();
    assert!(st.complete);
}

async fn change_feed_in_cursor_order_and_removed_stop_conflict(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let l1 = app.login("S1", Role::Station, "L1").await;
    let snap: TourSnapshot = app.get("/v1/tour", d1.token()).await.ok();
    let edits = [
        (
            "T1",
            json!([{ "type": "access_notes_changed", "stop_id": "T1-B", "access_notes": "dog" }]),
        ),
        (
            "T2",
            json!([{ "type": "access_notes_changed", "stop_id": "T2-B", "access_notes": "cat" }]),
        ),
        (
            "T1",
            json!([{ "type": "resequenced", "stop_ids": ["T1-C", "T1-A", "T1-B"] }]),
        ),
        (
            "T1",
            json!([{ "type": "stop_removed", "stop_id": "T1-C" }, { "type": "stop_added", "stop": stop("T1-D", 1, &["T1-P9"]) }]),
        ),
    ];
    let mut cursors = Vec::new();
    for (tour, changes) in edits {
        let cs: ChangeSet = app
            .post(
                &format!("/v1/dispatch/tours/{tour}/changes"),
                Some(l1.token()),
                json!({ "changes": changes }),
            )
            .await
            .ok();
        cursors.push(cs.cursor);
    }
    assert!(
        cursors.windows(2).all(|w| w[0] < w[1]),
        "cursors ascend: {cursors:?}"
    );
    let page: ChangesPage = app
        .get(&format!("/v1/changes?after={}", snap.cursor), d1.token())
        .await
        .ok();
    let got: Vec<u64> = page.change_sets.iter().map(|c| c.cursor).collect();
    assert_eq!(
        got,
        [cursors[0], cursors[2], cursors[3]],
        "D1 sees T1's changes in order, not T2's"
    );
    assert_eq!(page.cursor, cursors[3]);
    let page2: ChangesPage = app
        .get(&format!("/v1/changes?after={}", page.cursor), d1.token())
        .await
        .ok();
    assert!(page2.change_sets.is_empty());
    assert_eq!(page2.cursor, page.cursor);
    let page3: ChangesPage = app
        .get(
            &format!("/v1/changes?after={}&limit=1", snap.cursor),
            d1.token(),
        )
        .await
        .ok();
    assert_eq!(page3.change_sets.len(), 1);
    let now: TourSnapshot = app.get("/v1/tour", d1.token()).await.ok();
    let order: Vec<&str> = now.stops.iter().map(|s| s.stop_id.as_str()).collect();
    assert_eq!(order, ["T1-D", "T1-A", "T1-B"]);
    assert_eq!(now.cursor, cursors[3]);
    // Bad edits change nothing.
    let r = app
        .post(
            "/v1/dispatch/tours/T1/changes",
            Some(l1.token()),
            json!({ "changes": [{ "type": "resequenced", "stop_ids": ["T1-A"] }] }),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "bad_sequence")
    );
    // The offline driver delivered at the removed stop: kept, flagged as a conflict.
    let ev = event(&d1, 1, "T1", app.now(), delivered("T1-C", "T1-P4", vec![]));
    let ack: BatchAck = app.send(&d1, &[ev]).await.ok();
    assert!(ack.rejections.is_empty());
    let outcomes: Vec<OutcomeView> = app
        .get("/v1/dispatch/tours/T1/outcomes", l1.token())
        .await
        .ok();
    assert_eq!(outcomes[0].conflict.as_deref(), Some("stop_removed"));
    let p: TourProgress = app
        .get("/v1/dispatch/tours/T1/progress", l1.token())
        .await
        .ok();
    assert_eq!(p.conflicts, 1);
}

async fn hostile_bodies_get_clear_4xx(b: Backend) {
    let app = app_with(b, |c| c.max_body_bytes = 64 * 1024).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let post_raw = |body: Vec<u8>, ct: &str, gzip: bool| {
        let mut r = Request::builder()
            .method(Method::POST)
            .uri("/v1/events")
            .header("authorization", format!("Bearer {}", d1.token()))
            .header("content-type", ct);
        if gzip {
            r = r.header("content-encoding", "gzip");
        }
        r.body(Body::from(body)).expect("request")
    };
    for (body, ct, status, code) in [
        (
            b"{not json".to_vec(),
            "application/json",
            StatusCode::BAD_REQUEST,
            "malformed_body",
        ),
        (
            b"{\"device_id\": 5}".to_vec(),
            "application/json",
            StatusCode::BAD_REQUEST,
            "malformed_body",
        ),
        (
            b"{}".to_vec(),
            "text/plain",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            vec![b' '; 100 * 1024],
            "application/json",
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
        ),
    ] {
        let r = app.raw(post_raw(body, ct, false)).await;
        assert_eq!((r.status, r.code()), (status, code), "{}", r.json);
    }
    // A gzip bomb: 100 KiB of JSON whitespace that compresses to a few hundred bytes.
    let bomb = gzip(&vec![b' '; 1024 * 1024]);
    let r = app.raw(post_raw(bomb, "application/json", true)).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.json);
    let r = app
        .raw(post_raw(
            b"not gzip at all".to_vec(),
            "application/json",
            true,
        ))
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    // A compressed batch is accepted, and answers come compressed when asked for.
    let ev = event(&d1, 1, "T1", app.now(), delivered("T1-A", "T1-P1", vec![]));
    let body = gzip(
        json!({ "device_id": d1.device_id, "events": [ev] })
            .to_string()
            .as_bytes(),
    );
    let ack: BatchAck = app.raw(post_raw(body, "application/json", true)).await.ok();
    assert_eq!(ack.acked_seq, 1);
    let req = Request::builder()
        .uri("/v1/tour")
        .header("authorization", format!("Bearer {}", d1.token()))
        .header("accept-encoding", "gzip")
        .body(Body::empty())
        .expect("request");
    let resp = lastmile_server::make_router(app.state.clone())
        .oneshot_ok(req)
        .await;
    assert_eq!(
        resp.headers().get("content-encoding").map(|v| v.as_bytes()),
        Some(&b"gzip"[..])
    );
    // Unknown endpoints and methods answer the error body too.
    let r = app.get("/v1/nothing-here", d1.token()).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "no_such_endpoint")
    );
    let r = app
        .call(Method::PATCH, "/v1/events", Some(d1.token()), None)
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
    // Sequence 0 and an oversized batch are refused whole.
    let ev0 = event(&d1, 0, "T1", app.now(), delivered("T1-A", "T1-P2", vec![]));
    assert_eq!(app.send(&d1, &[ev0]).await.code(), "bad_seq");
    let r = app.get("/v1/changes?after=-1", d1.token()).await;
    assert!(r.status.is_client_error());
}

trait OneshotOk {
    async fn oneshot_ok(self, req: Request<Body>) -> axum::response::Response;
}

impl OneshotOk for axum::Router {
    async fn oneshot_ok(self, req: Request<Body>) -> axum::response::Response {
        use tower::ServiceExt;
        self.oneshot(req).await.expect("router answers")
    }
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).expect("gzip");
    enc.finish().expect("gzip")
}

fn shared_data() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/amazon_lmrrc2021_sample/train_10")
}

async fn import_own_and_lmrrc_tours(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let l1 = app.login("S1", Role::Station, "L1").await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let date = app.now().date_naive();
    // Our own JSON.
    let t = tour("OWN-1", "D2", "S1", date);
    let rep: ImportReport = app
        .post(
            "/v1/dispatch/import/own",
            Some(l1.token()),
            serde_json::to_value(&t).expect("json"),
        )
        .await
        .ok();
    assert_eq!(rep.tour_ids, ["OWN-1"]);
    let r = app
        .post(
            "/v1/dispatch/import/own",
            Some(l1.token()),
            serde_json::to_value(&t).expect("json"),
        )
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "tour_exists"));
    let foreign = tour("OWN-2", "D3", "S2", date);
    let r = app
        .post(
            "/v1/dispatch/import/own",
            Some(l1.token()),
            serde_json::to_value(&foreign).expect("json"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .post(
            "/v1/dispatch/import/own",
            Some(d1.token()),
            serde_json::to_value(&t).expect("json"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Amazon LMRRC.
    let dir = shared_data();
    let route_data =
        std::fs::read_to_string(dir.join("route_data.json")).expect("shared/data LMRRC sample");
    let package_data =
        std::fs::read_to_string(dir.join("package_data.json")).expect("package data");
    let req = json!({ "route_data": route_data, "package_data": package_data, "drivers": ["D1", "D2"], "date": date, "limit": 2 });
    let rep: ImportReport = app
        .post("/v1/dispatch/import/lmrrc", Some(l1.token()), req)
        .await
        .ok();
    assert_eq!(rep.tour_ids.len(), 2);
    let snap: TourSnapshot = app
        .get(
            &format!("/v1/dispatch/tours/{}", rep.tour_ids[0]),
            l1.token(),
        )
        .await
        .ok();
    assert!(
        snap.stops.len() > 50,
        "a real route has many stops: {}",
        snap.stops.len()
    );
    assert_eq!(
        (
            snap.station.station_id.as_str(),
            snap.driver_id.as_str(),
            snap.date
        ),
        ("S1", "D1", date)
    );
    let r = app
        .post(
            "/v1/dispatch/import/lmrrc",
            Some(l1.token()),
            json!({ "route_data": "{not json", "package_data": "[]" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

async fn device_clock_off_by_a_day_is_kept_as_recorded(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    for (i, days) in [(1u64, 1i64), (2, -1)] {
        let device_now = app.now() + chrono::Duration::days(days);
        let (stop, parcel) = if i == 1 {
            ("T1-A", "T1-P1")
        } else {
            ("T1-B", "T1-P3")
        };
        let ev = event(&d1, i, "T1", device_now, delivered(stop, parcel, vec![]));
        let req = Request::builder()
            .method(Method::POST)
            .uri("/v1/events")
            .header("authorization", format!("Bearer {}", d1.token()))
            .header("content-type", "application/json")
            .header("x-lastmile-device-time", device_now.to_rfc3339())
            .body(Body::from(
                json!({ "device_id": d1.device_id, "events": [ev] }).to_string(),
            ))
            .expect("request");
        let ack: BatchAck = app.raw(req).await.ok();
        assert_eq!(ack.acked_seq, i);
        app.clock.advance(chrono::Duration::seconds(1));
    }
    let outcomes: Vec<OutcomeView> = app
        .get("/v1/dispatch/tours/T1/outcomes", d1.token())
        .await
        .ok();
    assert_eq!(outcomes.len(), 2);
    // Kept in arrival order, not device time; both clocks and the offset are there.
    assert_eq!(outcomes[0].seq, 1);
    let day = 86_400_000i64;
    assert!(
        (outcomes[0].clock_offset_ms - day).abs() < 5_000,
        "{}",
        outcomes[0].clock_offset_ms
    );
    assert!(
        (outcomes[1].clock_offset_ms + day).abs() < 5_000,
        "{}",
        outcomes[1].clock_offset_ms
    );
    assert!(outcomes[0].recorded_at > outcomes[1].recorded_at);
    assert!(outcomes[0].received_at < outcomes[1].received_at);
    assert!((outcomes[0].recorded_at - outcomes[0].received_at).num_hours() == 24);
}

async fn openapi_document_is_valid_and_complete(b: Backend) {
    let app = app(b).await;
    let doc = app.call(Method::GET, "/v1/openapi.json", None, None).await;
    assert_eq!(doc.status, StatusCode::OK);
    let doc = doc.json;
    assert_eq!(doc["openapi"], "3.1.0");

    // Valid OpenAPI 3.1: the OpenAPI Initiative's JSON Schema of the document.
    let oas: serde_json::Value =
        serde_json::from_str(include_str!("data/oas-3.1-schema.json")).expect("OAS schema");
    let validator = jsonschema::validator_for(&oas).expect("OAS schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid OpenAPI 3.1: {errors:#?}");
    let mut broken = doc.clone();
    broken.as_object_mut().expect("object").remove("info");
    assert!(
        !validator.is_valid(&broken),
        "the validator accepts a document without info"
    );

    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    // Every component schema is itself valid JSON Schema (2020-12, OpenAPI's dialect base).
    for (name, schema) in schemas {
        assert!(
            jsonschema::meta::is_valid(schema),
            "component {name} is not a valid JSON Schema: {schema}"
        );
    }
    let resolve = |s: &serde_json::Value| -> serde_json::Value {
        match s["$ref"].as_str() {
            Some(r) => {
                let name = r.trim_start_matches("#/components/schemas/");
                schemas
                    .get(name)
                    .unwrap_or_else(|| panic!("dangling $ref {r}"))
                    .clone()
            }
            None => s.clone(),
        }
    };
    // A JSON body's schema names its fields (or the variants or items that have them).
    let has_fields = |s: &serde_json::Value| -> bool {
        let s = resolve(s);
        let s = if s["type"] == "array" {
            resolve(&s["items"])
        } else {
            s
        };
        let parts_have_fields = |key: &str| {
            s[key].as_array().is_some_and(|parts| {
                parts
                    .iter()
                    .map(&resolve)
                    .any(|p| p["properties"].is_object() || p["oneOf"].is_array())
            })
        };
        s["properties"].is_object()
            || parts_have_fields("allOf")
            || parts_have_fields("oneOf")
            || parts_have_fields("anyOf")
    };

    let paths = doc["paths"].as_object().expect("paths");
    let mut operations = 0;
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("path item") {
            operations += 1;
            let what = format!("{method} {path}");
            // Routed: the router answers neither 404 nor 405 for a documented operation.
            let url = path
                .replace("{sha256}", &"a".repeat(64))
                .replace("{tour_id}", "T1");
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let r = app.call(m, &url, None, None).await;
            assert_ne!(r.status, StatusCode::NOT_FOUND, "{what} is not routed");
            assert_ne!(
                r.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{what} is not routed"
            );
            // Documented failures: every operation answers errors with an ErrorBody.
            for range in ["4XX", "5XX"] {
                assert_eq!(
                    op["responses"][range]["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{what}: {range} has no ErrorBody"
                );
            }
            if let Some(body) =
                op["requestBody"]["content"]["application/json"]["schema"].as_object()
            {
                let body = serde_json::Value::Object(body.clone());
                let raw_json = path.ends_with("/route") || path.starts_with("/v1/blobs/");
                assert!(
                    raw_json || has_fields(&body),
                    "{what}: request body without fields: {body}"
                );
            }
            for (status, resp) in op["responses"].as_object().expect("responses") {
                if let Some(body) = resp["content"]["application/json"]["schema"].as_object() {
                    let body = serde_json::Value::Object(body.clone());
                    let free_form = path == "/v1/openapi.json" || path.starts_with("/v1/blobs/");
                    assert!(
                        free_form || has_fields(&body),
                        "{what} {status}: response body without fields: {body}"
                    );
                }
            }
        }
    }
    // Spot checks that the handlers' own methods arrived (HEAD and DELETE share paths).
    assert!(
        paths["/v1/blobs/{sha256}"]["head"].is_object(),
        "HEAD blob undocumented"
    );
    assert!(
        paths["/v1/session"]["delete"].is_object(),
        "sign-out undocumented"
    );
    assert!(operations >= 25, "only {operations} operations documented");
    for schema in [
        "EventBatch",
        "BatchAck",
        "TourSnapshot",
        "SignInRequest",
        "Session",
        "ErrorBody",
    ] {
        assert!(schemas.contains_key(schema), "schema {schema} missing");
    }
    let events = &schemas["EventBatch"]["properties"];
    assert!(events["device_id"].is_object() && events["events"].is_object());
}

/// Two server instances on one database (PostgreSQL: two pools; SQLite: two connections to
/// one file) take the same device's batches and dispatch's edits concurrently.
async fn two_instances_on_one_database_apply_exactly_once(b: Backend) {
    let first = app(b).await;
    let second_state = match (&first._dir, b) {
        (Some(dir), Backend::Sqlite) => {
            let config = (*first.state.config).clone();
            lastmile_server::ServerState::open_sqlite_with(dir.path(), config)
                .expect("second instance")
        }
        _ => {
            let url = first
                .state
                .db
                .postgres_url()
                .expect("a postgres url")
                .to_owned();
            let config = (*first.state.config).clone();
            lastmile_server::ServerState::open_postgres(&url, config)
                .await
                .expect("second instance")
        }
    };
    first.seed().await;
    let second = App {
        state: second_state,
        clock: first.clock.clone(),
        _dir: None,
    };
    let d1 = first.login("S1", Role::Driver, "D1").await;
    let l1 = first.login("S1", Role::Station, "L1").await;
    let now = first.now();
    let evs: Vec<_> = (1..=40u64)
        .map(|i| {
            event(
                &d1,
                i,
                "T1",
                now,
                EventBody::StopArrived {
                    stop_id: "T1-A".into(),
                },
            )
        })
        .collect();
    let mut tasks = Vec::new();
    for round in 0..4 {
        for (k, app) in [&first, &second].into_iter().enumerate() {
            let state = app.state.clone();
            let login = d1.clone();
            let chunk: Vec<_> = if (round + k) % 2 == 0 {
                evs.clone()
            } else {
                evs[..20].to_vec()
            };
            let clock = first.clock.clone();
            tasks.push(tokio::spawn(async move {
                let a = App {
                    state,
                    clock,
                    _dir: None,
                };
                a.send(&login, &chunk).await.ok::<BatchAck>().acked_seq
            }));
            let state = app.state.clone();
            let token = l1.session.access_token.clone();
            let clock = first.clock.clone();
            tasks.push(tokio::spawn(async move {
                let a = App { state, clock, _dir: None };
                let body = json!({ "changes": [{ "type": "access_notes_changed", "stop_id": "T1-B", "access_notes": format!("note {round}") }] });
                a.post("/v1/dispatch/tours/T1/changes", Some(&token), body).await.ok::<ChangeSet>().cursor
            }));
        }
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.expect("task"));
    }
    let page: ChangesPage = first.get("/v1/changes?after=0", d1.token()).await.ok();
    let cursors: Vec<u64> = page.change_sets.iter().map(|c| c.cursor).collect();
    assert_eq!(cursors.len(), 8, "every edit on the feed once");
    assert!(cursors.windows(2).all(|w| w[0] < w[1]), "{cursors:?}");
    let ack: BatchAck = second.send(&d1, &evs).await.ok();
    assert_eq!(ack.acked_seq, 40);
    let p: TourProgress = first
        .get("/v1/dispatch/tours/T1/progress", d1.token())
        .await
        .ok();
    assert_eq!(p.rejected_events, 0);
    assert!(results.iter().all(|&r| r > 0));
    let count = count_events(&first).await;
    assert_eq!(count, 40, "each event stored exactly once");
}

async fn count_events(app: &App) -> i64 {
    let mut tx = app.state.db.begin().await.expect("tx");
    tx.one("SELECT COUNT(*) AS n FROM events", &[])
        .await
        .expect("count")
        .expect("row")
        .get("n")
        .expect("int")
}
