//! Bad input: malformed tours, a full disk, a corrupt database file. Each gives a clear
//! error and loses no recorded event.

use lastmile_domain::{CardMessage, CardNumber, DeliveryMethod, FailureReason, NotificationCard};
use lastmile_store::{BlobInput, BlobKind, Delivery, FailedAttempt, Store, StoreError};

use crate::{assert_log_consistent, device, device_with, real_tour};

#[test]
fn malformed_tour_files_are_refused_with_the_reason_and_the_store_is_untouched() {
    let mut d = device();
    let json = lastmile_import::own::tour_to_json(&real_tour());
    let cut = lastmile_import::own::tour_from_json(&json[..json.len() / 2]).unwrap_err();
    assert!(cut.to_string().contains("not valid"), "{cut}");
    let mut twice = real_tour();
    let dup = twice.stops[0].clone();
    twice.stops.push(dup);
    let err = d.store.apply_snapshot(&twice).unwrap_err();
    assert!(matches!(err, StoreError::InvalidTour(_)), "{err}");
    assert!(err.to_string().contains("appears twice"), "{err}");
    assert_eq!(
        d.store.tour_overview().unwrap().unwrap().stops.len(),
        real_tour().stops.len()
    );
}

#[test]
fn a_full_disk_refuses_the_next_action_clearly_and_keeps_every_recorded_one() {
    let mut d = device_with(|o| o.max_db_bytes = Some(600 * 1024));
    let tour = real_tour();
    d.store.apply_snapshot(&tour).unwrap();
    d.store
        .issue_cards(&CardNumber::stack("DE100000", 2000).unwrap())
        .unwrap();
    let parcels: Vec<(String, String)> = tour
        .stops
        .iter()
        .flat_map(|s| {
            s.parcels
                .iter()
                .filter(|p| !p.is_return)
                .map(move |p| (s.stop_id.clone(), p.tracking_id.clone()))
        })
        .collect();
    let mut recorded = Vec::new();
    let mut full = None;
    // Failed attempts can repeat on one parcel, so the log grows until the cap is hit.
    'outer: for round in 0..100 {
        for (i, (stop, tracking)) in parcels.iter().enumerate() {
            let card = CardNumber::parse(&format!(
                "DE{:06}",
                100_000 + (round * parcels.len() + i) % 2000
            ))
            .unwrap();
            let attempt = FailedAttempt {
                stop_id: stop.clone(),
                tracking_id: tracking.clone(),
                reason: FailureReason::Damaged,
                card: Some(NotificationCard {
                    number: card,
                    says: CardMessage::PickUpAtStation,
                }),
                blobs: vec![],
            };
            let mut attempt = attempt;
            if (round * parcels.len() + i) >= 2000 {
                attempt.card = None;
            }
            match d.store.fail(&attempt, None) {
                Ok(r) => recorded.push(r.event_id),
                Err(e) => {
                    full = Some(e);
                    break 'outer;
                }
            }
        }
    }
    let err = full.expect("the size cap was never reached");
    assert!(matches!(err, StoreError::StorageFull), "{err:?}");
    assert!(err.to_string().contains("nothing recorded was lost"));
    assert!(
        recorded.len() > 100,
        "{} events before full",
        recorded.len()
    );
    // A photo still fits on the disk, but its event no longer fits in the database: the
    // file written for it is removed again, not left behind unreferenced.
    let plain = tour
        .stops
        .iter()
        .flat_map(|s| s.parcels.iter().map(move |p| (s, p)))
        .find(|(_, p)| p.flags == Default::default() && !p.is_return)
        .unwrap();
    let photo: Vec<u8> = (0..300 * 1024u32).map(|i| (i % 251) as u8).collect();
    let err = d
        .store
        .deliver(
            &Delivery {
                stop_id: plain.0.stop_id.clone(),
                tracking_id: plain.1.tracking_id.clone(),
                // Larger than any failed attempt above, so it cannot slip into the last
                // partly used page whatever the schema's size.
                method: DeliveryMethod::SafePlace {
                    description: "on the porch, behind the bench ".repeat(200),
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
        .unwrap_err();
    assert!(matches!(err, StoreError::StorageFull), "{err:?}");
    assert_eq!(
        std::fs::read_dir(d.store.blob_dir()).unwrap().count(),
        0,
        "no proof file left for the action that was not recorded"
    );
    assert_eq!(d.store.queue_state().unwrap().pending_blobs, 0);
    assert_log_consistent(&d.store);
    drop(d.store);

    // more space: everything is there and recording goes on
    let mut store = crate::reopen(&d.path);
    let events = store.pending_events(usize::MAX, usize::MAX).unwrap();
    assert_eq!(
        events.iter().map(|e| e.event_id).collect::<Vec<_>>(),
        recorded
    );
    let (stop, tracking) = &parcels[0];
    let again = FailedAttempt {
        stop_id: stop.clone(),
        tracking_id: tracking.clone(),
        reason: FailureReason::Refused,
        card: None,
        blobs: vec![],
    };
    assert_eq!(
        store.fail(&again, None).unwrap().seq,
        recorded.len() as u64 + 1
    );
    assert_log_consistent(&store);
}

#[test]
fn a_corrupt_database_is_reported_and_left_in_place_for_recovery() {
    let d = device();
    let path = d.path.clone();
    let mut store = d.store;
    let stop = store.current_stop().unwrap().unwrap();
    let tracking = stop
        .parcels
        .iter()
        .find(|p| !p.parcel.is_return)
        .unwrap()
        .parcel
        .tracking_id
        .clone();
    store
        .fail(
            &FailedAttempt {
                stop_id: stop.stop.stop_id.clone(),
                tracking_id: tracking,
                reason: FailureReason::Refused,
                card: None,
                blobs: vec![],
            },
            None,
        )
        .unwrap();
    drop(store);
    // scribble over the middle of the file (past the header), as a failing flash chip would
    let mut bytes = std::fs::read(&path).unwrap();
    let len = bytes.len();
    assert!(len > 64 * 1024, "{len}");
    for b in &mut bytes[len / 3..len / 3 + 16 * 1024] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let err = Store::open_with(&path, crate::keyed()).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("damaged"), "{err}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "the damaged file is not overwritten or deleted"
    );
}

#[test]
fn a_database_from_a_newer_app_is_refused_not_downgraded() {
    let d = device();
    let path = d.path.clone();
    drop(d.store);
    let conn = crate::raw_connection(&path);
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = Store::open_with(&path, crate::keyed()).unwrap_err();
    assert!(
        matches!(err, StoreError::SchemaTooNew { found: 99, .. }),
        "{err}"
    );
}
