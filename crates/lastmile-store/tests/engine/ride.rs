//! The supervisor's and the driver's ride-along records on the device: one transaction per
//! action with its event in the common outbox, kept across restarts, refused locally when
//! blank or after signing (nothing recorded), the driver's progress followed from the kept
//! outcomes, and the driver's answer on the record's tour.

use lastmile_protocol::dispatch::{OutcomeKind, OutcomeView};
use lastmile_protocol::events::{DeliveryMethodDto, EventBody};
use lastmile_protocol::ride::{
    AssistDto, ChecklistTemplate, GradeDto, ObservationCategoryDto, PaceView, RideAlongRecord,
    RideAlongSummary, RideStatusDto,
};
use lastmile_store::{BlobInput, BlobKind, StoreError};

use crate::*;

fn template() -> ChecklistTemplate {
    serde_json::from_value(serde_json::json!({
        "template_id": "default", "version": 1, "title": "Ride-along checklist",
        "grades": ["trained", "proficient", "needs_practice", "not_observed"],
        "sections": [{"section_id": "on_the_road", "title": "On the road",
            "items": [{"item_id": "seat_belt", "text": "Seat belt worn"},
                      {"item_id": "parking", "text": "Parks safely"}]}]
    }))
    .unwrap()
}

fn png() -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    v.extend_from_slice(&[7; 64]);
    v
}

fn code(e: StoreError) -> &'static str {
    match e {
        StoreError::RideRefused { code, .. } => code,
        other => panic!("expected a ride-along refusal, got {other:?}"),
    }
}

#[test]
fn the_supervisors_records_go_through_the_outbox_and_survive_a_restart() {
    let mut d = device();
    let tour = real_tour();
    let stops: Vec<String> = tour.stops.iter().map(|s| s.stop_id.clone()).collect();
    let s = &mut d.store;
    s.ride_save_template(&template()).unwrap();
    let (ride, started) = s.ride_start("SUP1", None).unwrap();
    let picture = vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
    s.ride_observe(
        ride,
        Some(&stops[0]),
        ObservationCategoryDto::Safety,
        "  Hazard lights on  ",
        Some(&picture),
        None,
    )
    .unwrap();
    s.ride_observe(
        ride,
        None,
        ObservationCategoryDto::Driving,
        "Calm driving",
        None,
        None,
    )
    .unwrap();
    let t = template();
    s.ride_grade(ride, &t, "seat_belt", GradeDto::Proficient, None, None)
        .unwrap();
    s.ride_grade(
        ride,
        &t,
        "seat_belt",
        GradeDto::Trained,
        Some("always"),
        None,
    )
    .unwrap();
    s.ride_assist(ride, &stops[1], AssistDto::CarriedParcels, None)
        .unwrap();

    // Refused before recording: nothing reaches the outbox.
    let before = s.queue_state().unwrap().pending_events;
    for err in [
        s.ride_observe(ride, None, ObservationCategoryDto::Other, "  ", None, None)
            .unwrap_err(),
        s.ride_grade(ride, &t, "juggling", GradeDto::Trained, None, None)
            .unwrap_err(),
        s.ride_sign(ride, "notes", &[], None).unwrap_err(),
    ] {
        assert!(matches!(
            code(err),
            "ride.blank_text" | "ride.unknown_item" | "ride.blank_signature"
        ));
    }
    let mut narrow = template();
    narrow.grades = vec![GradeDto::Trained];
    assert_eq!(
        code(
            s.ride_grade(
                ride,
                &narrow,
                "parking",
                GradeDto::NeedsPractice,
                None,
                None
            )
            .unwrap_err()
        ),
        "ride.grade_not_in_template"
    );
    assert!(matches!(
        s.ride_assist(ride, "no-such-stop", AssistDto::Other, None),
        Err(StoreError::Rule(_))
    ));
    assert_eq!(s.queue_state().unwrap().pending_events, before);

    let sig = png();
    let strokes = br#"{"strokes":[[[1,2],[3,4]]]}"#;
    s.ride_sign(
        ride,
        "Keep the hazard lights habit",
        &[
            BlobInput {
                kind: BlobKind::SignatureImage,
                bytes: &sig,
            },
            BlobInput {
                kind: BlobKind::SignatureStrokes,
                bytes: strokes,
            },
        ],
        None,
    )
    .unwrap();
    assert_eq!(
        code(
            s.ride_observe(
                ride,
                None,
                ObservationCategoryDto::Other,
                "late",
                None,
                None
            )
            .unwrap_err()
        ),
        "ride.signed"
    );
    assert_log_consistent(s);

    // Every action is one event of the common outbox, in order, on the driver's tour.
    let events = s.pending_events(usize::MAX, usize::MAX).unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.body.kind()).collect();
    assert_eq!(
        kinds,
        [
            "ride_along_started",
            "ride_observation",
            "ride_observation",
            "ride_checklist_graded",
            "ride_checklist_graded",
            "ride_stop_assisted",
            "ride_supervisor_signed"
        ]
    );
    assert!(events.iter().all(|e| e.tour_id == tour.tour_id));
    assert_eq!(events[0].seq, started.seq);
    assert_eq!(
        events[0].body,
        EventBody::RideAlongStarted {
            ride_along_id: ride,
            supervisor_id: "SUP1".into(),
            driver_id: tour.driver_id.clone(),
        }
    );
    match &events[1].body {
        EventBody::RideObservation { text, photo, .. } => {
            assert_eq!(text, "Hazard lights on");
            assert_eq!(photo.as_ref().map(|p| p.bytes), Some(picture.len() as u64));
        }
        other => panic!("{other:?}"),
    }
    let pending_blobs = s.pending_blobs().unwrap();
    assert_eq!(pending_blobs.len(), 3, "photo, signature image and strokes");

    // Kept across a restart.
    let held = s.ride_local(ride).unwrap();
    let path = d.path.clone();
    drop(d.store);
    let store = reopen(&path);
    let again = store.ride_current().unwrap().expect("the ride-along");
    assert_eq!(again, held);
    assert_eq!(again.status, RideStatusDto::AwaitingDriver);
    assert_eq!(again.observations.len(), 2);
    assert_eq!(again.grades.len(), 1, "one standing grade per item");
    assert_eq!(again.grades[0].grade, GradeDto::Trained);
    assert_eq!(again.assisted[0].stop_id, stops[1]);
    assert_eq!(
        again.coaching_notes.as_deref(),
        Some("Keep the hazard lights habit")
    );
    assert_eq!(store.ride_template().unwrap(), Some(template()));
}

#[test]
fn the_followed_tour_marks_the_current_stop_from_the_drivers_outcomes() {
    let mut d = device();
    let tour = real_tour();
    let first = &tour.stops[0];
    let s = &mut d.store;
    let (ride, _) = s.ride_start("SUP1", None).unwrap();
    let follow = s.ride_follow(Some(ride)).unwrap();
    assert_eq!(follow.len(), tour.stops.len());
    assert!(follow[0].current && !follow[0].finished);
    // The server says the driver delivered every parcel of the first stop.
    let outcomes: Vec<OutcomeView> = first
        .parcels
        .iter()
        .filter(|p| !p.is_return)
        .enumerate()
        .map(|(i, p)| OutcomeView {
            event_id: uuid::Uuid::now_v7(),
            device_id: "driver-phone".into(),
            seq: i as u64 + 1,
            stop_id: first.stop_id.clone(),
            tracking_id: Some(p.tracking_id.clone()),
            kind: OutcomeKind::Delivered {
                method: DeliveryMethodDto::Recipient { name: "X".into() },
            },
            recorded_at: chrono::Utc::now(),
            received_at: chrono::Utc::now(),
            clock_offset_ms: 0,
            undone: false,
            conflict: None,
            corrections: vec![],
            corrected_to: None,
        })
        .collect();
    s.ride_save_outcomes(&tour.tour_id, &outcomes).unwrap();
    s.ride_assist(ride, &first.stop_id, AssistDto::TalkedToCustomer, None)
        .unwrap();
    let follow = s.ride_follow(Some(ride)).unwrap();
    assert!(follow[0].finished && !follow[0].current);
    assert_eq!(follow[0].assisted, Some(AssistDto::TalkedToCustomer));
    assert!(follow[1].current, "the next stop is the current one");
    assert_eq!(follow.iter().filter(|f| f.current).count(), 1);
}

fn awaiting(tour_id: &str, status: RideStatusDto) -> RideAlongRecord {
    let id = uuid::Uuid::now_v7();
    RideAlongRecord {
        summary: RideAlongSummary {
            ride_along_id: id,
            tour_id: tour_id.into(),
            tour_date: chrono::NaiveDate::from_ymd_opt(2018, 7, 27).unwrap(),
            driver_id: "D1".into(),
            supervisor_id: "SUP1".into(),
            status,
            started_at: chrono::Utc::now(),
            amends: None,
            observations: 0,
            grades: 0,
            assisted_stops: 0,
        },
        station_id: "S1".into(),
        observations: vec![],
        grades: vec![],
        template: None,
        assisted: vec![],
        coaching_notes: None,
        supervisor_signature: None,
        driver_answer: None,
        amended_by: vec![],
        pace: PaceView::default(),
    }
}

#[test]
fn the_driver_answers_a_signed_record_once_on_its_tour() {
    let mut d = device();
    let s = &mut d.store;
    let signed = awaiting("OLD-TOUR", RideStatusDto::AwaitingDriver);
    let running = awaiting("OLD-TOUR", RideStatusDto::Running);
    s.ride_save_records(&[signed.clone(), running.clone()])
        .unwrap();
    assert_eq!(s.ride_records().unwrap().len(), 2);
    let id = signed.summary.ride_along_id;
    assert_eq!(
        code(
            s.ride_answer(running.summary.ride_along_id, None, "x", None)
                .unwrap_err()
        ),
        "ride.supervisor_not_signed"
    );
    assert_eq!(
        code(s.ride_answer(id, None, "   ", None).unwrap_err()),
        "ride.blank_text",
        "declining needs a comment"
    );
    assert_eq!(
        code(s.ride_answer(id, Some(&[]), "ok", None).unwrap_err()),
        "ride.blank_signature"
    );
    let sig = png();
    let rec = s
        .ride_answer(
            id,
            Some(&[BlobInput {
                kind: BlobKind::SignatureImage,
                bytes: &sig,
            }]),
            "I disagree with item 7",
            None,
        )
        .unwrap();
    let events = s.pending_events(usize::MAX, usize::MAX).unwrap();
    let ev = events.iter().find(|e| e.seq == rec.seq).unwrap();
    assert_eq!(
        ev.tour_id, "OLD-TOUR",
        "the record's tour, not the active one"
    );
    assert!(matches!(
        &ev.body,
        EventBody::RideDriverSigned { comment: Some(c), signature, .. }
            if c == "I disagree with item 7" && signature.len() == 1
    ));
    let answer = s.ride_answer_of(id).unwrap().expect("kept");
    assert!(answer.signed);
    assert_eq!(
        code(s.ride_answer(id, None, "again", None).unwrap_err()),
        "ride.answered"
    );
    assert_log_consistent(s);
}
