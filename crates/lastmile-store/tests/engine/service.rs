//! Service visits on the device (issue 14): the checklist from the plan, start and finish as
//! events in the outbox, the refusals of the rules (nothing recorded), and the stop done only
//! once the visit is finished, on the tour list, the stop card and the summary.

use lastmile_domain::service::Answer;
use lastmile_protocol::events::{BlobKindDto, EventBody};
use lastmile_protocol::service::ServiceItemDto;
use lastmile_protocol::tour::{StopKindDto, TourSnapshot};
use lastmile_store::StoreError;
use lastmile_store::queries::StopStatus;
use lastmile_store::service::ServiceFinishInput;

use crate::{assert_log_consistent, device_with, real_tour};

/// The real tour with its second stop turned into an installation visit (no parcels) and
/// its third into one with the appliance as its parcel.
fn tour_with_visits() -> TourSnapshot {
    let mut t = real_tour();
    let checklist = vec![
        ServiceItemDto {
            item_id: "mount".into(),
            label: "Mount the unit".into(),
        },
        ServiceItemDto {
            item_id: "connect".into(),
            label: "Connect water and power".into(),
        },
        ServiceItemDto {
            item_id: "explain".into(),
            label: "Explain it to the customer".into(),
        },
    ];
    for i in [1, 2] {
        t.stops[i].kind = StopKindDto::Service;
        t.stops[i].service_seconds = 2700;
        t.stops[i].checklist = checklist.clone();
    }
    t.stops[1].parcels.clear();
    t
}

fn answers(done: &[(&str, Option<bool>)]) -> Vec<Answer> {
    done.iter()
        .map(|(id, d)| Answer {
            item_id: (*id).into(),
            done: *d,
            note: None,
        })
        .collect()
}

const STROKES: &[u8] = b"{\"strokes\": [[[1, 1, 0], [9, 9, 40]]]}";
const PNG: &[u8] = b"\x89PNG signature image";

fn finish_input<'a>(stop_id: &str, answers: Vec<Answer>) -> ServiceFinishInput<'a> {
    ServiceFinishInput {
        stop_id: stop_id.into(),
        answers,
        customer_name: "Ada Weber".into(),
        photo: Some(b"jpeg of the installed unit"),
        signature: Some((STROKES, PNG)),
    }
}

fn status(d: &crate::Device, stop_id: &str) -> StopStatus {
    let overview = d.store.tour_overview().unwrap().unwrap();
    let line = overview
        .stops
        .iter()
        .find(|s| s.stop_id == stop_id)
        .unwrap()
        .status;
    let card = d.store.stop_detail(stop_id).unwrap().unwrap().status;
    assert_eq!(line, card, "tour list vs stop card for {stop_id}");
    line
}

#[test]
fn a_full_visit_is_recorded_as_two_events_and_the_stop_is_done_only_after_the_finish() {
    let mut d = device_with(|_| {});
    let tour = tour_with_visits();
    d.store.apply_snapshot(&tour).unwrap();
    let visit_stop = tour.stops[1].stop_id.clone();
    let visit = d.store.service_visit(&visit_stop).unwrap();
    assert_eq!(visit.planned_seconds, 2700);
    let ids: Vec<_> = visit.checklist.iter().map(|i| i.item_id.as_str()).collect();
    assert_eq!(ids, ["mount", "connect", "explain"]);
    // A visit without parcels is not done by arriving (as a plain stop without parcels is).
    d.store.arrive(&visit_stop, None).unwrap();
    assert_eq!(status(&d, &visit_stop), StopStatus::Arrived);
    let done_before = d.store.end_of_day().unwrap().stops_done;

    let started = d.store.service_start(&visit_stop, None).unwrap();
    assert_eq!(status(&d, &visit_stop), StopStatus::Arrived);
    let mut input = finish_input(
        &visit_stop,
        answers(&[
            ("mount", Some(true)),
            ("connect", Some(false)),
            ("explain", Some(true)),
        ]),
    );
    input.answers[1].note = Some("  no socket near the sink ".into());
    let finished = d.store.service_finish(&input, None).unwrap();
    assert_eq!(finished.seq, started.seq + 1);
    assert_eq!(status(&d, &visit_stop), StopStatus::Done);
    assert_eq!(d.store.end_of_day().unwrap().stops_done, done_before + 1);

    let visit = d.store.service_visit(&visit_stop).unwrap();
    assert_eq!(visit.started_at, Some(started.recorded_at));
    assert_eq!(visit.finished_at, Some(finished.recorded_at));
    assert_eq!(visit.customer_name.as_deref(), Some("Ada Weber"));
    assert_eq!(
        visit.items[1].note.as_deref(),
        Some("no socket near the sink")
    );
    assert!(!visit.items[1].done);

    let events = d.store.pending_events(usize::MAX, usize::MAX).unwrap();
    let last = &events[events.len() - 2..];
    assert!(
        matches!(&last[0].body, EventBody::ServiceStarted { stop_id } if *stop_id == visit_stop)
    );
    let EventBody::ServiceFinished {
        stop_id,
        items,
        customer_name,
        blobs,
    } = &last[1].body
    else {
        panic!("{:?}", last[1].body);
    };
    assert_eq!(stop_id, &visit_stop);
    assert_eq!(customer_name, "Ada Weber");
    assert_eq!(items.len(), 3);
    let kinds: Vec<_> = blobs.iter().map(|b| b.kind).collect();
    assert_eq!(
        kinds,
        [
            BlobKindDto::Photo,
            BlobKindDto::SignatureStrokes,
            BlobKindDto::SignatureImage
        ]
    );
    for b in blobs {
        d.store.blob_files().read_verified(&b.sha256).unwrap();
    }
    assert_log_consistent(&d.store);
}

#[test]
fn refusals_record_nothing_and_name_their_rule() {
    let mut d = device_with(|_| {});
    let tour = tour_with_visits();
    d.store.apply_snapshot(&tour).unwrap();
    let stop = tour.stops[1].stop_id.clone();
    let code = |e: StoreError| match e {
        StoreError::Service(r) => r.code(),
        other => panic!("not a service refusal: {other:?}"),
    };
    let all = || {
        answers(&[
            ("mount", Some(true)),
            ("connect", Some(true)),
            ("explain", Some(true)),
        ])
    };
    let err = d
        .store
        .service_finish(&finish_input(&stop, all()), None)
        .unwrap_err();
    assert_eq!(code(err), "service.not_started");
    let plain = tour.stops[0].stop_id.clone();
    let err = d.store.service_start(&plain, None).unwrap_err();
    assert_eq!(code(err), "service.not_a_service_stop");

    d.store.service_start(&stop, None).unwrap();
    let before = d
        .store
        .pending_events(usize::MAX, usize::MAX)
        .unwrap()
        .len();
    let err = d.store.service_start(&stop, None).unwrap_err();
    assert_eq!(code(err), "service.already_started");
    let unanswered = answers(&[("mount", Some(true)), ("connect", None)]);
    let err = d
        .store
        .service_finish(&finish_input(&stop, unanswered), None)
        .unwrap_err();
    assert_eq!(code(err), "service.item_unanswered");
    let mut unsigned = finish_input(&stop, all());
    unsigned.signature = None;
    let err = d.store.service_finish(&unsigned, None).unwrap_err();
    assert_eq!(code(err), "service.signature_missing");
    let mut nameless = finish_input(&stop, all());
    nameless.customer_name = "  ".into();
    let err = d.store.service_finish(&nameless, None).unwrap_err();
    assert_eq!(code(err), "service.name_missing");
    assert_eq!(
        d.store
            .pending_events(usize::MAX, usize::MAX)
            .unwrap()
            .len(),
        before,
        "a refused action records nothing"
    );
    assert_eq!(status(&d, &stop), StopStatus::Arrived);

    d.store
        .service_finish(&finish_input(&stop, all()), None)
        .unwrap();
    let err = d
        .store
        .service_finish(&finish_input(&stop, all()), None)
        .unwrap_err();
    assert_eq!(code(err), "service.already_finished");
    assert_log_consistent(&d.store);
}

#[test]
fn a_visit_with_a_parcel_needs_both_and_a_plain_stop_without_parcels_still_ends_on_arrival() {
    let mut d = device_with(|_| {});
    let mut tour = tour_with_visits();
    tour.stops[3].parcels.clear();
    d.store.apply_snapshot(&tour).unwrap();
    // A plain stop without parcels: done when the driver is there, as before.
    let plain = tour.stops[3].stop_id.clone();
    d.store.arrive(&plain, None).unwrap();
    assert_eq!(status(&d, &plain), StopStatus::Done);

    let stop = tour.stops[2].stop_id.clone();
    d.store.service_start(&stop, None).unwrap();
    let all = answers(&[
        ("mount", Some(true)),
        ("connect", Some(true)),
        ("explain", Some(true)),
    ]);
    d.store
        .service_finish(&finish_input(&stop, all), None)
        .unwrap();
    assert_eq!(
        status(&d, &stop),
        StopStatus::Arrived,
        "its parcel is still pending"
    );
    assert_eq!(
        d.store.current_stop().unwrap().unwrap().stop.stop_id,
        tour.stops[0].stop_id
    );
}

#[test]
fn a_checklist_with_a_repeated_item_is_refused_with_the_tour() {
    let mut d = device_with(|_| {});
    let mut tour = tour_with_visits();
    tour.stops[1].checklist[2].item_id = "mount".into();
    let err = d.store.apply_snapshot(&tour).unwrap_err();
    assert!(matches!(err, StoreError::InvalidTour(_)), "{err}");
}
