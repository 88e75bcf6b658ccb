//! The enrolment kept with the outbox, the stream key, and the person on every event.

use lastmile_domain::{DeliveryMethod, ParcelState};
use lastmile_protocol::events::{Person, Role};
use lastmile_store::{Delivery, Identity, StoreError};

use crate::{device, reopen};

/// The next open parcel of the current stop, delivered to the recipient.
fn delivery(store: &lastmile_store::Store) -> Delivery<'static> {
    let stop = store.current_stop().unwrap().unwrap();
    let parcel = stop
        .parcels
        .iter()
        .find(|p| p.state == ParcelState::Pending)
        .unwrap();
    Delivery {
        stop_id: stop.stop.stop_id.clone(),
        tracking_id: parcel.parcel.tracking_id.clone(),
        method: DeliveryMethod::Recipient { name: "Ada".into() },
        card: None,
        id_checked: false,
        blobs: vec![],
    }
}

#[test]
fn the_enrolment_survives_in_the_store_and_cannot_change_under_queued_events() {
    let mut d = device();
    let key = d.store.stream_key().unwrap();
    assert_eq!(key.len(), 64);
    assert!(
        !d.store.needs_rebind().unwrap(),
        "never enrolled: nothing to re-bind"
    );
    let first = Identity {
        device_id: "dev-1".into(),
        device_token: "lmd_1".into(),
    };
    d.store.save_identity(&first).unwrap();
    let rec = d.store.deliver(&delivery(&d.store), None).unwrap();
    assert_eq!(rec.seq, 1);
    let second = Identity {
        device_id: "dev-2".into(),
        device_token: "lmd_2".into(),
    };
    let err = d.store.save_identity(&second).unwrap_err();
    assert!(
        matches!(err, StoreError::StreamInUse { events: 1, .. }),
        "{err}"
    );
    // A new token for the same id (a re-bind) is kept.
    let rebound = Identity {
        device_id: "dev-1".into(),
        device_token: "lmd_3".into(),
    };
    d.store.save_identity(&rebound).unwrap();
    drop(d.store);
    let store = reopen(&d.path);
    assert_eq!(store.identity().unwrap(), Some(rebound));
    assert_eq!(store.device_id(), "dev-1");
    assert_eq!(
        store.stream_key().unwrap(),
        key,
        "the stream key is for the life of the database"
    );
    assert!(!store.needs_rebind().unwrap());
}

#[test]
fn events_name_the_person_signed_in_and_the_queue_tells_whose_they_are() {
    let mut d = device();
    d.store.set_device_id("dev-1").unwrap();
    let d1 = Person {
        user_id: "D1".into(),
        role: Role::Driver,
    };
    d.store.set_person(Some(&d1)).unwrap();
    d.store.deliver(&delivery(&d.store), None).unwrap();
    drop(d.store);
    let mut store = reopen(&d.path);
    assert_eq!(store.person(), Some(&d1), "kept across restarts");
    let d2 = Person {
        user_id: "D2".into(),
        role: Role::Driver,
    };
    store.set_person(Some(&d2)).unwrap();
    let next = delivery(&store);
    store.deliver(&next, None).unwrap();
    let events = store.pending_events(10, usize::MAX).unwrap();
    let by: Vec<Option<&str>> = events
        .iter()
        .map(|e| e.recorded_by.as_ref().map(|p| p.user_id.as_str()))
        .collect();
    assert_eq!(by, [Some("D1"), Some("D2")]);
    let others = store.pending_of_others("D2").unwrap();
    assert_eq!(others.len(), 1);
    assert_eq!((others[0].user_id.as_str(), others[0].events), ("D1", 1));
    store.mark_acked(1).unwrap();
    assert!(
        store.pending_of_others("D2").unwrap().is_empty(),
        "sent: nothing to tell"
    );
    // The token lost while events wait under the enrolled id: the next enrolment re-binds.
    assert!(store.needs_rebind().unwrap());
}
