//! Driver actions: one transaction each, state and outbox together, rules enforced.

use chrono::Duration;
use lastmile_domain::{
    CardError, CardMessage, CardNumber, DeliveryMethod, FailureReason, NotificationCard, Outcome,
    ParcelState, RuleViolation,
};
use lastmile_protocol::events::EventBody;
use lastmile_store::queries::StopStatus;
use lastmile_store::{BlobInput, BlobKind, Delivery, FailedAttempt, StoreError, Warning};

use crate::{assert_log_consistent, at, device};

fn photo(seed: u8) -> Vec<u8> {
    (0..300 * 1024)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

fn safe_place<'a>(stop: &str, tracking: &str, photo: &'a [u8]) -> Delivery<'a> {
    Delivery {
        stop_id: stop.into(),
        tracking_id: tracking.into(),
        method: DeliveryMethod::SafePlace {
            description: "behind the gate".into(),
        },
        card: None,
        id_checked: false,
        blobs: vec![BlobInput {
            kind: BlobKind::Photo,
            bytes: photo,
        }],
    }
}

/// The first stop whose parcels are all plain (no flags, no returns), and one of its parcels.
fn plain_parcel(d: &crate::Device) -> (String, String, lastmile_domain::Position) {
    let overview = d.store.tour_overview().unwrap().unwrap();
    for s in &overview.stops {
        let detail = d.store.stop_detail(&s.stop_id).unwrap().unwrap();
        if let Some(p) = detail
            .parcels
            .iter()
            .find(|p| p.parcel.flags == Default::default() && !p.parcel.is_return)
        {
            return (s.stop_id.clone(), p.parcel.tracking_id.clone(), s.position);
        }
    }
    panic!("no plain parcel")
}

#[test]
fn a_delivery_updates_the_screen_state_and_queues_one_event_with_its_photo() {
    let mut d = device();
    let (stop, tracking, pos) = plain_parcel(&d);
    let bytes = photo(1);
    let rec = d
        .store
        .deliver(&safe_place(&stop, &tracking, &bytes), at(pos))
        .unwrap();
    assert_eq!(rec.seq, 1);

    let view = d.store.parcel(&tracking).unwrap().unwrap();
    assert_eq!(view.state, ParcelState::Delivered);
    assert_eq!(
        view.outcome_summary.as_deref(),
        Some("Safe place: behind the gate")
    );

    let queue = d.store.queue_state().unwrap();
    assert_eq!(
        (
            queue.pending_events,
            queue.pending_blobs,
            queue.pending_blob_bytes
        ),
        (1, 1, 300 * 1024)
    );
    assert_eq!(queue.oldest_unsent, Some(d.clock.now_utc()));

    let events = d.store.pending_events(100, 1 << 20).unwrap();
    let e = &events[0];
    assert_eq!(
        (e.seq, e.event_id, e.device_id.as_str()),
        (1, rec.event_id, d.store.device_id())
    );
    assert_eq!(e.event_id.get_version_num(), 7);
    assert_eq!(e.app_version, "9.9.9-test");
    assert_eq!(e.position.unwrap().accuracy_m, Some(8.0));
    let EventBody::ParcelDelivered { blobs, .. } = &e.body else {
        panic!("{:?}", e.body)
    };
    assert_eq!(blobs[0].sha256, lastmile_store::blobs::sha256_hex(&bytes));
    assert!(d.store.pending_blobs().unwrap()[0].path.exists());

    // The list the driver opens from the sync bar: the event, then its photo.
    let waiting = d.store.waiting().unwrap();
    let listed: Vec<(&str, Option<&str>, bool)> = waiting
        .iter()
        .map(|w| {
            (
                w.kind.as_str(),
                w.stop_id.as_deref(),
                w.recorded_at == d.clock.now_utc(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            ("parcel_delivered", Some(stop.as_str()), true),
            ("photo", Some(stop.as_str()), true)
        ]
    );
    assert_eq!(waiting[1].bytes, 300 * 1024);
    assert!(waiting[0].bytes > 100, "the event's JSON as sent");

    d.store.mark_blob_uploaded(&blobs[0].sha256).unwrap();
    d.store.mark_acked(1).unwrap();
    assert_eq!(
        d.store.waiting().unwrap(),
        vec![],
        "nothing waits once sent"
    );
    let queue = d.store.queue_state().unwrap();
    assert_eq!(
        (
            queue.pending_events,
            queue.pending_blob_bytes,
            queue.oldest_unsent
        ),
        (0, 0, None)
    );
    assert_log_consistent(&d.store);
}

trait NowUtc {
    fn now_utc(&self) -> chrono::DateTime<chrono::Utc>;
}
impl NowUtc for lastmile_domain::ManualClock {
    fn now_utc(&self) -> chrono::DateTime<chrono::Utc> {
        lastmile_domain::Clock::now(self)
    }
}

#[test]
fn a_parcel_scanned_at_the_wrong_stop_is_refused_naming_its_stop_and_nothing_is_recorded() {
    let mut d = device();
    let (stop, tracking, _) = plain_parcel(&d);
    let other = d
        .store
        .tour_overview()
        .unwrap()
        .unwrap()
        .stops
        .iter()
        .find(|s| s.stop_id != stop)
        .unwrap()
        .stop_id
        .clone();
    let bytes = photo(2);
    let err = d
        .store
        .deliver(&safe_place(&other, &tracking, &bytes), None)
        .unwrap_err();
    assert!(
        err.to_string().contains(&format!("belongs to stop {stop}")),
        "{err}"
    );
    assert_eq!(d.store.queue_state().unwrap().pending_events, 0);
    assert_eq!(
        d.store.pending_blobs().unwrap().len(),
        0,
        "no file tracked for a refused action"
    );
    // a refused action does not consume a sequence number
    assert_eq!(
        d.store
            .deliver(&safe_place(&stop, &tracking, &bytes), None)
            .unwrap()
            .seq,
        1
    );
}

#[test]
fn card_numbers_must_come_from_the_stack_and_are_never_used_twice() {
    let mut d = device();
    let overview = d.store.tour_overview().unwrap().unwrap();
    let plain: Vec<(String, String)> = overview
        .stops
        .iter()
        .flat_map(|s| d.store.stop_detail(&s.stop_id).unwrap().unwrap().parcels)
        .filter(|p| !p.parcel.is_return)
        .map(|p| (p.stop_id, p.parcel.tracking_id))
        .take(3)
        .collect();
    let fail = |i: usize, card: &str| FailedAttempt {
        stop_id: plain[i].0.clone(),
        tracking_id: plain[i].1.clone(),
        reason: FailureReason::NobodyHome,
        card: Some(NotificationCard {
            number: CardNumber::parse(card).unwrap(),
            says: CardMessage::PickUpAtStation,
        }),
        blobs: vec![],
    };
    let err = d.store.fail(&fail(0, "XX999999"), None).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Rule(RuleViolation::Card(CardError::NotIssued(_)))
        ),
        "{err}"
    );
    let first = d.store.fail(&fail(0, "DE-000100"), None).unwrap();
    // The tour list knows the stop has a failed parcel (it shows the stop as failed).
    let failed_on_list = |d: &crate::Device| {
        d.store
            .tour_overview()
            .unwrap()
            .unwrap()
            .stops
            .into_iter()
            .find(|s| s.stop_id == plain[0].0)
            .unwrap()
            .failed_parcels
    };
    assert_eq!(failed_on_list(&d), 1);
    let err = d.store.fail(&fail(1, "DE000100"), None).unwrap_err();
    assert_eq!(err.to_string(), "card DE000100 was already used");
    // undoing the attempt does not free the card: the slip may already be in a mailbox
    d.store.undo(first.event_id, None).unwrap();
    assert_eq!(failed_on_list(&d), 0, "the undone attempt no longer counts");
    assert!(d.store.fail(&fail(2, "DE000100"), None).is_err());
    let summary = d.store.end_of_day().unwrap();
    assert_eq!(
        (summary.cards_used, summary.cards_unused, summary.failed),
        (1, 49, 0)
    );
    // a failed attempt without a card where one is required
    let mut no_card = fail(1, "DE000101");
    no_card.card = None;
    assert!(matches!(
        d.store.fail(&no_card, None),
        Err(StoreError::Rule(RuleViolation::CardRequired(_)))
    ));
    assert_log_consistent(&d.store);
}

#[test]
fn undo_within_the_window_compensates_and_after_it_only_a_correction_is_possible() {
    let mut d = device();
    let (stop, tracking, _) = plain_parcel(&d);
    let bytes = photo(3);
    let rec = d
        .store
        .deliver(&safe_place(&stop, &tracking, &bytes), None)
        .unwrap();
    d.clock.advance(Duration::seconds(60));
    let undo = d.store.undo(rec.event_id, None).unwrap();
    assert_eq!(
        d.store.parcel(&tracking).unwrap().unwrap().state,
        ParcelState::Pending
    );
    assert!(
        d.store.undo(rec.event_id, None).is_err(),
        "an event is undone once"
    );

    let again = d
        .store
        .deliver(&safe_place(&stop, &tracking, &bytes), None)
        .unwrap();
    d.clock.advance(Duration::seconds(121));
    assert!(matches!(
        d.store.undo(again.event_id, None),
        Err(StoreError::Rule(RuleViolation::UndoWindowPassed))
    ));
    let fix = d
        .store
        .correct(again.event_id, "left at back door, not front", None, None)
        .unwrap();
    assert_eq!(
        d.store.parcel(&tracking).unwrap().unwrap().state,
        ParcelState::Delivered
    );

    let kinds: Vec<String> = d
        .store
        .pending_events(100, usize::MAX)
        .unwrap()
        .iter()
        .map(|e| {
            serde_json::to_value(&e.body).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "parcel_delivered",
            "outcome_undone",
            "parcel_delivered",
            "outcome_corrected"
        ]
    );
    assert_eq!((undo.seq, fix.seq), (2, 4));
    assert_log_consistent(&d.store);
}

#[test]
fn flags_are_enforced_and_far_away_outcomes_warn_but_are_recorded() {
    let mut d = device();
    let overview = d.store.tour_overview().unwrap().unwrap();
    let signed = overview
        .stops
        .iter()
        .flat_map(|s| d.store.stop_detail(&s.stop_id).unwrap().unwrap().parcels)
        .find(|p| {
            p.parcel.flags.signature_required && !p.parcel.flags.id_check && !p.parcel.is_return
        })
        .expect("the import flags some parcels signature-required");
    let bytes = photo(4);
    let err = d
        .store
        .deliver(
            &safe_place(&signed.stop_id, &signed.parcel.tracking_id, &bytes),
            None,
        )
        .unwrap_err();
    assert!(err.to_string().contains("signature"), "{err}");

    let signature = b"M 10 10 L 20 20".to_vec();
    let to_recipient = Delivery {
        stop_id: signed.stop_id.clone(),
        tracking_id: signed.parcel.tracking_id.clone(),
        method: DeliveryMethod::Recipient {
            name: "A. Kim".into(),
        },
        card: None,
        id_checked: false,
        blobs: vec![BlobInput {
            kind: BlobKind::SignatureStrokes,
            bytes: &signature,
        }],
    };
    let station = overview.station_position;
    let rec = d.store.deliver(&to_recipient, crate::at(station)).unwrap();
    assert!(
        rec.warnings
            .iter()
            .any(|w| matches!(w, Warning::FarFromStop { distance_m, .. } if *distance_m > 500.0)),
        "{:?}",
        rec.warnings
    );
    assert_eq!(
        d.store
            .parcel(&signed.parcel.tracking_id)
            .unwrap()
            .unwrap()
            .state,
        ParcelState::Delivered
    );
    assert_log_consistent(&d.store);
}

#[test]
fn a_stop_can_be_skipped_and_revisited_and_the_day_summary_adds_up() {
    let mut d = device();
    let overview = d.store.tour_overview().unwrap().unwrap();
    let first = overview.current_stop_id.clone().unwrap();
    d.store.skip_stop(&first, None).unwrap();
    let next = d.store.current_stop().unwrap().unwrap();
    assert_ne!(next.stop.stop_id, first);
    assert_eq!(
        d.store.stop_detail(&first).unwrap().unwrap().status,
        StopStatus::Skipped
    );
    d.store
        .arrive(&first, at(overview.stops[0].position))
        .unwrap();
    assert_eq!(
        d.store.current_stop().unwrap().unwrap().stop.stop_id,
        first,
        "revisited stop is current again"
    );

    // finish the first stop: deliver or pick up everything there
    let detail = d.store.stop_detail(&first).unwrap().unwrap();
    let bytes = photo(5);
    for p in &detail.parcels {
        if p.parcel.is_return {
            d.store
                .pick_up_return(&first, &p.parcel.tracking_id, &[], None)
                .unwrap();
        } else {
            let method = DeliveryMethod::Recipient { name: "Lee".into() };
            let sig = [BlobInput {
                kind: BlobKind::SignatureImage,
                bytes: &bytes,
            }];
            let d2 = Delivery {
                stop_id: first.clone(),
                tracking_id: p.parcel.tracking_id.clone(),
                method,
                card: None,
                id_checked: true,
                blobs: sig.to_vec(),
            };
            d.store.deliver(&d2, None).unwrap();
        }
    }
    d.store
        .pick_up_return(&first, "RETURN-LABEL-1", &[], None)
        .unwrap();
    assert!(
        d.store
            .pick_up_return(&first, "RETURN-LABEL-1", &[], None)
            .is_err(),
        "picked up once"
    );
    assert_eq!(
        d.store.stop_detail(&first).unwrap().unwrap().status,
        StopStatus::Done
    );
    let s = d.store.end_of_day().unwrap();
    let returns = detail.parcels.iter().filter(|p| p.parcel.is_return).count() as u32;
    assert_eq!(s.delivered, detail.parcels.len() as u32 - returns);
    assert_eq!(s.returns_on_board, returns + 1);
    assert_eq!(s.stops_done, 1);
    assert_eq!(s.stops_total, overview.stops.len() as u32);
    let non_returns = overview
        .stops
        .iter()
        .flat_map(|x| d.store.stop_detail(&x.stop_id).unwrap().unwrap().parcels)
        .filter(|p| !p.parcel.is_return)
        .count() as u32;
    assert_eq!(s.not_attempted, non_returns - s.delivered);
    let g = d
        .store
        .guidance(at(overview.station_position).unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(
        g.stop_id,
        d.store.current_stop().unwrap().unwrap().stop.stop_id
    );
    assert!(g.eta.tour_end > g.eta.next_stop.unwrap());
    assert_log_consistent(&d.store);
}

#[test]
fn a_delivery_with_a_blank_name_is_refused_and_nothing_is_recorded() {
    let mut d = device();
    let (stop, tracking, _) = plain_parcel(&d);
    let signature = b"M 1 1 L 9 9".to_vec();
    let with = |method: DeliveryMethod| Delivery {
        stop_id: stop.clone(),
        tracking_id: tracking.clone(),
        method,
        card: None,
        id_checked: true,
        blobs: vec![BlobInput {
            kind: BlobKind::SignatureStrokes,
            bytes: &signature,
        }],
    };
    let refused = [
        (
            DeliveryMethod::Recipient { name: "".into() },
            RuleViolation::NameMissing,
        ),
        (
            DeliveryMethod::Recipient {
                name: " \u{00A0}\t".into(),
            },
            RuleViolation::NameMissing,
        ),
        (
            DeliveryMethod::Neighbour {
                name: "  ".into(),
                house_number: "7".into(),
            },
            RuleViolation::NameMissing,
        ),
        (
            DeliveryMethod::Neighbour {
                name: "Bo".into(),
                house_number: " ".into(),
            },
            RuleViolation::HouseNumberMissing,
        ),
    ];
    for (method, why) in refused {
        let err = d.store.deliver(&with(method.clone()), None).unwrap_err();
        assert!(
            matches!(&err, StoreError::Rule(v) if *v == why),
            "{method:?}: {err:?}"
        );
    }
    let err = d
        .store
        .deliver(&with(DeliveryMethod::Recipient { name: "".into() }), None)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "enter the name of the person who took the parcel"
    );
    let view = d.store.parcel(&tracking).unwrap().unwrap();
    assert_eq!(
        (view.state, view.outcome_summary),
        (ParcelState::Pending, None)
    );
    let queue = d.store.queue_state().unwrap();
    assert_eq!((queue.pending_events, queue.pending_blobs), (0, 0));
    let files = std::fs::read_dir(d.store.blob_dir()).unwrap().count();
    assert_eq!(files, 0, "no proof file is kept for a refused delivery");

    // with the name typed, the same delivery goes through as event 1
    let rec = d
        .store
        .deliver(
            &with(DeliveryMethod::Recipient {
                name: "A. Kim".into(),
            }),
            None,
        )
        .unwrap();
    assert_eq!(rec.seq, 1);
    assert_eq!(
        d.store
            .parcel(&tracking)
            .unwrap()
            .unwrap()
            .outcome_summary
            .as_deref(),
        Some("Recipient A. Kim")
    );
    assert_log_consistent(&d.store);
}

#[test]
fn a_correction_shows_on_the_parcel_instead_of_the_original_outcome() {
    let mut d = device();
    let (stop, tracking, _) = plain_parcel(&d);
    let bytes = photo(6);
    let rec = d
        .store
        .deliver(&safe_place(&stop, &tracking, &bytes), None)
        .unwrap();
    d.clock.advance(Duration::seconds(600));
    d.store
        .correct(
            rec.event_id,
            "left at the back door, not the front",
            None,
            None,
        )
        .unwrap();
    let view = d.store.parcel(&tracking).unwrap().unwrap();
    assert_eq!(
        (view.state, view.outcome_summary.as_deref()),
        (
            ParcelState::Delivered,
            Some("Corrected: left at the back door, not the front")
        )
    );
    assert_eq!(
        view.outcome_event_id.as_deref(),
        Some(rec.event_id.to_string().as_str()),
        "the outcome it corrects"
    );
    let on_card = d.store.stop_detail(&stop).unwrap().unwrap();
    let line = on_card
        .parcels
        .iter()
        .find(|p| p.parcel.tracking_id == tracking)
        .unwrap();
    assert_eq!(line.outcome_summary, view.outcome_summary, "stop card too");
    // a second correction replaces the first
    d.store
        .correct(
            rec.event_id,
            "handed to the recipient at the gate",
            None,
            None,
        )
        .unwrap();
    assert_eq!(
        d.store
            .parcel(&tracking)
            .unwrap()
            .unwrap()
            .outcome_summary
            .as_deref(),
        Some("Corrected: handed to the recipient at the gate")
    );
    assert_log_consistent(&d.store);

    // A correction of an attempt that a later outcome superseded leaves the later one shown.
    let overview = d.store.tour_overview().unwrap().unwrap();
    let other = overview
        .stops
        .iter()
        .flat_map(|s| d.store.stop_detail(&s.stop_id).unwrap().unwrap().parcels)
        .find(|p| p.state.is_open() && !p.parcel.is_return && p.parcel.flags == Default::default())
        .expect("a second plain parcel");
    let failed = d
        .store
        .fail(
            &FailedAttempt {
                stop_id: other.stop_id.clone(),
                tracking_id: other.parcel.tracking_id.clone(),
                reason: FailureReason::Refused,
                card: None,
                blobs: vec![],
            },
            None,
        )
        .unwrap();
    let later = d
        .store
        .deliver(
            &safe_place(&other.stop_id, &other.parcel.tracking_id, &bytes),
            None,
        )
        .unwrap();
    d.store
        .correct(failed.event_id, "it was damaged, not refused", None, None)
        .unwrap();
    let view = d.store.parcel(&other.parcel.tracking_id).unwrap().unwrap();
    assert_eq!(
        (view.state, view.outcome_summary.as_deref(), view.attempts),
        (
            ParcelState::Delivered,
            Some("Safe place: behind the gate"),
            1
        )
    );
    assert_eq!(view.outcome_event_id, Some(later.event_id.to_string()));

    // After a restart the screens still show the correction.
    let path = d.path.clone();
    drop(d.store);
    let store = crate::reopen(&path);
    assert_eq!(
        store
            .parcel(&tracking)
            .unwrap()
            .unwrap()
            .outcome_summary
            .as_deref(),
        Some("Corrected: handed to the recipient at the gate")
    );
    assert_log_consistent(&store);
}

#[test]
fn a_correction_to_another_outcome_replaces_it_on_every_screen_and_keeps_the_original() {
    let mut d = device();
    let (stop, tracking, _) = plain_parcel(&d);
    let bytes = photo(7);
    let delivered = d
        .store
        .deliver(&safe_place(&stop, &tracking, &bytes), None)
        .unwrap();
    // Long after the undo window: undo is refused, a correction is the way.
    d.clock.advance(Duration::seconds(3600));
    assert!(matches!(
        d.store.undo(delivered.event_id, None),
        Err(StoreError::Rule(RuleViolation::UndoWindowPassed))
    ));
    let nobody_home = Outcome::Failed {
        reason: FailureReason::NobodyHome,
        card: None,
    };
    // A reason is required.
    assert!(matches!(
        d.store
            .correct(delivered.event_id, "  ", Some(&nobody_home), None),
        Err(StoreError::Rule(RuleViolation::CorrectionReasonMissing))
    ));
    let fix = d
        .store
        .correct(
            delivered.event_id,
            "tapped delivered by mistake, it is still in the van",
            Some(&nobody_home),
            None,
        )
        .unwrap();
    let view = d.store.parcel(&tracking).unwrap().unwrap();
    assert_eq!(
        (view.state, view.attempts, view.outcome_summary.as_deref()),
        (
            ParcelState::Failed,
            1,
            Some("Nobody home (corrected: tapped delivered by mistake, it is still in the van)")
        )
    );
    // The original stays in history, and the correction is its own event after it.
    let events = d.store.pending_events(usize::MAX, usize::MAX).unwrap();
    assert!(
        events.iter().any(|e| e.event_id == delivered.event_id
            && matches!(e.body, EventBody::ParcelDelivered { .. }))
    );
    let sent = events.iter().find(|e| e.event_id == fix.event_id).unwrap();
    assert!(matches!(
        &sent.body,
        EventBody::OutcomeCorrected { corrected_event_id, outcome: Some(_), .. }
            if *corrected_event_id == delivered.event_id
    ));
    // Failed now, so the parcel can be delivered at a later attempt, as after any failure.
    let later = d
        .store
        .deliver(&safe_place(&stop, &tracking, &bytes), None)
        .unwrap();
    // Only the latest outcome can be corrected to another one.
    assert!(matches!(
        d.store
            .correct(delivered.event_id, "again", Some(&nobody_home), None),
        Err(StoreError::Rule(RuleViolation::NotCorrectable))
    ));
    // A method the parcel does not allow is refused as for a delivery; a name is needed.
    let (id_stop, id_parcel) = {
        let overview = d.store.tour_overview().unwrap().unwrap();
        overview
            .stops
            .iter()
            .flat_map(|s| d.store.stop_detail(&s.stop_id).unwrap().unwrap().parcels)
            .find(|p| p.state.is_open() && p.parcel.flags.id_check && !p.parcel.is_return)
            .map(|p| (p.stop_id, p.parcel.tracking_id))
            .expect("a parcel with an ID check on the real tour")
    };
    let failed = d
        .store
        .fail(
            &FailedAttempt {
                stop_id: id_stop,
                tracking_id: id_parcel.clone(),
                reason: FailureReason::Refused,
                card: None,
                blobs: vec![],
            },
            None,
        )
        .unwrap();
    let to_neighbour = Outcome::Delivered {
        method: DeliveryMethod::Neighbour {
            name: "B. Park".into(),
            house_number: "12".into(),
        },
        card: None,
    };
    assert!(matches!(
        d.store.correct(
            failed.event_id,
            "neighbour took it",
            Some(&to_neighbour),
            None
        ),
        Err(StoreError::Rule(RuleViolation::MethodNotAllowed { .. }))
    ));
    let unnamed = Outcome::Delivered {
        method: DeliveryMethod::Recipient { name: " ".into() },
        card: None,
    };
    assert!(matches!(
        d.store.correct(
            failed.event_id,
            "handed over after all",
            Some(&unnamed),
            None
        ),
        Err(StoreError::Rule(RuleViolation::NameMissing))
    ));
    let to_recipient = Outcome::Delivered {
        method: DeliveryMethod::Recipient {
            name: "C. Diaz".into(),
        },
        card: None,
    };
    d.store
        .correct(
            failed.event_id,
            "she came back and showed her ID",
            Some(&to_recipient),
            None,
        )
        .unwrap();
    let view = d.store.parcel(&id_parcel).unwrap().unwrap();
    assert_eq!(
        (view.state, view.attempts, view.outcome_summary.as_deref()),
        (
            ParcelState::Delivered,
            0,
            Some("Recipient C. Diaz (corrected: she came back and showed her ID)")
        )
    );
    assert_eq!(
        d.store.parcel(&tracking).unwrap().unwrap().outcome_event_id,
        Some(later.event_id.to_string())
    );
    // The tables are the replay of the log, and stay so after a restart.
    assert_log_consistent(&d.store);
    let path = d.path.clone();
    drop(d.store);
    let store = crate::reopen(&path);
    assert_eq!(
        store.parcel(&id_parcel).unwrap().unwrap().state,
        ParcelState::Delivered
    );
    assert_log_consistent(&store);
}
