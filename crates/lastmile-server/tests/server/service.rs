//! Service visits (issue 14) on both backends: a driver's start and finish are applied once
//! and shown on dispatch's service-visits view (started, finished, items done / not done,
//! notes, the customer, the proof and whether it arrived); the stop counts as done in the
//! tour's progress only after the finish; finishes that break the rules are rejected.

use axum::http::StatusCode;
use lastmile_protocol::auth::Role;
use lastmile_protocol::dispatch::TourProgress;
use lastmile_protocol::events::{BlobKindDto, BlobRefDto, EventBody};
use lastmile_protocol::service::{ServiceItemDto, ServiceItemResultDto, ServiceVisitView};
use lastmile_protocol::sync::BatchAck;
use lastmile_protocol::tour::StopKindDto;

use crate::both;
use crate::harness::*;
use crate::stories::blob_put_req;

both!(a_service_visit_shows_on_dispatchs_view_and_finishes_its_stop);

fn item(id: &str, done: bool, note: Option<&str>) -> ServiceItemResultDto {
    ServiceItemResultDto {
        item_id: id.into(),
        done,
        note: note.map(str::to_owned),
    }
}

async fn a_service_visit_shows_on_dispatchs_view_and_finishes_its_stop(b: Backend) {
    let app = app(b).await;
    let mut seed = fixture_seed(app.now().date_naive());
    // T1-B becomes an installation visit; T1-C stays a delivery.
    let visit = &mut seed.tours[0].stops[1];
    visit.kind = StopKindDto::Service;
    visit.service_seconds = 2700;
    visit.parcels.clear();
    visit.checklist = ["mount", "connect", "explain"]
        .iter()
        .map(|id| ServiceItemDto {
            item_id: (*id).into(),
            label: format!("Label of {id}"),
        })
        .collect();
    app.seed_with(&seed).await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let l1 = app.login("S1", Role::Station, "L1").await;
    let views = async || -> Vec<ServiceVisitView> {
        app.get("/v1/dispatch/tours/T1/service-visits", l1.token())
            .await
            .ok()
    };
    let planned = views().await;
    assert_eq!(planned.len(), 1);
    assert_eq!(
        (planned[0].stop_id.as_str(), planned[0].status.as_str()),
        ("T1-B", "planned")
    );
    assert_eq!(planned[0].planned_seconds, 2700);
    assert_eq!(planned[0].items.len(), 3);

    let photo = jpeg(200, 3);
    let png = b"\x89PNG\r\n\x1a\n signature of Ada".to_vec();
    let strokes = b"{\"strokes\": []}".to_vec();
    let blob = |data: &[u8], kind| BlobRefDto {
        sha256: sha256(data),
        kind,
        bytes: data.len() as u64,
    };
    let proof = vec![
        blob(&photo, BlobKindDto::Photo),
        blob(&strokes, BlobKindDto::SignatureStrokes),
        blob(&png, BlobKindDto::SignatureImage),
    ];
    let now = app.now();
    let finish = |seq, items: Vec<ServiceItemResultDto>, name: &str, blobs: Vec<BlobRefDto>| {
        event(
            &d1,
            seq,
            "T1",
            now,
            EventBody::ServiceFinished {
                stop_id: "T1-B".into(),
                items,
                customer_name: name.into(),
                blobs,
            },
        )
    };
    let full = vec![
        item("mount", true, None),
        item("connect", false, Some("no socket near the sink")),
        item("explain", true, None),
    ];
    let evs = vec![
        // Before the start: refused.
        finish(1, full.clone(), "Ada Weber", proof.clone()),
        event(
            &d1,
            2,
            "T1",
            now,
            EventBody::ServiceStarted {
                stop_id: "T1-B".into(),
            },
        ),
        // Not a service stop.
        event(
            &d1,
            3,
            "T1",
            now,
            EventBody::ServiceStarted {
                stop_id: "T1-C".into(),
            },
        ),
        // An item missing, no name, no signature.
        finish(4, full[..2].to_vec(), "Ada Weber", proof.clone()),
        finish(5, full.clone(), " ", proof.clone()),
        finish(6, full.clone(), "Ada Weber", proof[..1].to_vec()),
    ];
    let ack: BatchAck = app.send(&d1, &evs).await.ok();
    assert_eq!(ack.acked_seq, 6);
    let codes: Vec<(u64, &str)> = ack
        .rejections
        .iter()
        .map(|r| (r.seq, r.code.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            (1, "not_started"),
            (3, "not_a_service_stop"),
            (4, "checklist_mismatch"),
            (5, "blank_name"),
            (6, "blank_signature")
        ]
    );
    let started = views().await;
    assert_eq!(started[0].status, "started");
    assert_eq!(started[0].started_at, Some(now));
    let progress: TourProgress = app
        .get("/v1/dispatch/tours/T1/progress", l1.token())
        .await
        .ok();
    assert_eq!(progress.stops_done, 0, "a started visit is not done");

    // The finish, sent twice (a resend), then once more as a new event: applied once.
    let done = finish(7, full.clone(), "Ada Weber", proof.clone());
    let ack: BatchAck = app.send(&d1, &[done.clone(), done]).await.ok();
    assert_eq!((ack.acked_seq, ack.rejections.len()), (7, 0));
    let again = finish(8, full.clone(), "Ada Weber", proof.clone());
    let ack: BatchAck = app.send(&d1, &[again]).await.ok();
    assert_eq!(ack.rejections[0].code, "already_finished");

    let finished = views().await;
    let v = &finished[0];
    assert_eq!(v.status, "finished");
    assert_eq!(v.finished_at, Some(now));
    assert_eq!(v.customer_name.as_deref(), Some("Ada Weber"));
    let answers: Vec<(&str, Option<bool>, Option<&str>)> = v
        .items
        .iter()
        .map(|i| (i.item_id.as_str(), i.done, i.note.as_deref()))
        .collect();
    assert_eq!(
        answers,
        [
            ("mount", Some(true), None),
            ("connect", Some(false), Some("no socket near the sink")),
            ("explain", Some(true), None)
        ]
    );
    assert_eq!(v.items[1].label, "Label of connect");
    assert_eq!(v.proof, proof);
    assert!(!v.proof_received, "no file uploaded yet");
    for (data, mime) in [
        (&photo, "image/jpeg"),
        (&strokes, "application/json"),
        (&png, "image/png"),
    ] {
        let r = app
            .raw(blob_put_req(
                &sha256(data),
                mime,
                None,
                data.clone(),
                d1.token(),
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    }
    assert!(views().await[0].proof_received);
    let progress: TourProgress = app
        .get("/v1/dispatch/tours/T1/progress", l1.token())
        .await
        .ok();
    assert_eq!(progress.stops_done, 1, "the finished visit's stop is done");
    // The driver sees their own tour's visits; another station's lead does not.
    let _: Vec<ServiceVisitView> = app
        .get("/v1/dispatch/tours/T1/service-visits", d1.token())
        .await
        .ok();
    let l2 = app.login("S2", Role::Station, "L2").await;
    assert_eq!(
        app.get("/v1/dispatch/tours/T1/service-visits", l2.token())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
