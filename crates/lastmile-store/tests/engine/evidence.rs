//! The driver's record of a day for the evidence bundle: their events and proof, breaks from
//! the gaps between actions, and nothing of another person on the same handheld.

use chrono::Duration;
use lastmile_domain::DeliveryMethod;
use lastmile_protocol::auth::Role;
use lastmile_protocol::events::{EventBody, Person};
use lastmile_store::{BlobInput, BlobKind, Delivery, StoreError};
use sha2::{Digest, Sha256};

use crate::device;

fn person(user_id: &str) -> Person {
    Person {
        user_id: user_id.into(),
        role: Role::Driver,
    }
}

#[test]
fn the_record_holds_the_drivers_events_and_proof_and_no_one_elses() {
    let mut d = device();
    let tour = d.store.tour_overview().unwrap().unwrap();
    let driver = crate::real_tour().driver_id;
    let first = d.store.current_stop().unwrap().unwrap();
    let tracking = first.parcels[0].parcel.tracking_id.clone();
    let photo = b"\xFF\xD8\xFF a photo of the porch".to_vec();

    d.store.set_person(Some(&person(&driver))).unwrap();
    d.store.arrive(&first.stop.stop_id, None).unwrap();
    d.clock.advance(Duration::minutes(3));
    d.store
        .deliver(
            &Delivery {
                stop_id: first.stop.stop_id.clone(),
                tracking_id: tracking.clone(),
                method: DeliveryMethod::SafePlace {
                    description: "porch".into(),
                },
                card: None,
                id_checked: false,
                blobs: vec![BlobInput {
                    kind: BlobKind::Photo,
                    bytes: &photo,
                }],
            },
            None,
        )
        .unwrap();
    // A colleague borrows the handheld during a 40-minute break and records something.
    d.clock.advance(Duration::minutes(20));
    d.store.set_person(Some(&person("SOMEONE-ELSE"))).unwrap();
    let second = &tour.stops[1].stop_id;
    d.store.arrive(second, None).unwrap();
    assert!(
        d.store.exportable_days().unwrap().is_empty(),
        "the colleague drove no tour here"
    );
    assert!(matches!(
        d.store.day_record(&tour.tour_id),
        Err(StoreError::NotYours(_))
    ));
    d.clock.advance(Duration::minutes(20));
    d.store.set_person(Some(&person(&driver))).unwrap();
    d.store.skip_stop(second, None).unwrap();

    let days = d.store.exportable_days().unwrap();
    assert_eq!(days.len(), 1);
    assert_eq!(days[0].tour_id, tour.tour_id);
    let (record, proofs) = d.store.day_record(&tour.tour_id).unwrap();
    let kinds: Vec<&str> = record
        .events
        .iter()
        .map(|e| e.envelope.body.kind())
        .collect();
    assert_eq!(kinds, ["stop_arrived", "parcel_delivered", "stop_skipped"]);
    assert!(record.events.iter().all(|e| {
        e.envelope.recorded_by.as_ref().map(|p| p.user_id.as_str()) == Some(driver.as_str())
    }));
    let EventBody::ParcelDelivered { tracking_id, .. } = &record.events[1].envelope.body else {
        panic!("the delivery is the second event");
    };
    assert_eq!(tracking_id, &tracking);
    // The photo, decrypted and under its plaintext SHA-256.
    assert_eq!(proofs.len(), 1);
    assert_eq!(proofs[0].bytes, photo);
    assert_eq!(proofs[0].file.sha256, hex::encode(Sha256::digest(&photo)));
    assert_eq!(record.events[1].proof, vec![proofs[0].file.clone()]);
    // The 40 minutes between the delivery and the skip show as a break.
    assert_eq!(record.work.breaks.len(), 1);
    assert_eq!(record.work.breaks[0].minutes, 40);
    let arrived = record
        .stops
        .iter()
        .find(|s| s.stop_id == first.stop.stop_id)
        .unwrap();
    assert!(arrived.arrived_at.is_some());
    assert_eq!(arrived.parcels[0].state, "delivered");
}
