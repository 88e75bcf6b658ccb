//! The station tablet on the device (issue 12): station events in the same outbox, the
//! phone's hold and card stacks from the server, a parcel the station kept leaving the tour,
//! and the tablet's copies of the server's answers.

use lastmile_protocol::events::{EventBody, Person, Role};
use lastmile_protocol::station::{CardRange, HoldView};
use lastmile_protocol::tour::{ChangeSet, TourChange};

use crate::*;

fn range(first: &str, last: &str) -> CardRange {
    CardRange {
        first: first.into(),
        last: last.into(),
    }
}

#[test]
fn station_events_queue_in_the_outbox_for_the_drivers_tour_with_the_lead_named() {
    let mut d = device_with(|_| {});
    d.store
        .set_person(Some(&Person {
            user_id: "L1".into(),
            role: Role::Station,
        }))
        .unwrap();
    let first = d
        .store
        .record_station("T1", &[], |_| EventBody::DriverCheckedIn {
            driver_id: "D1".into(),
            pass: None,
        })
        .unwrap();
    let second = d
        .store
        .record_station("T2", &[], |_| EventBody::ParcelLoaded {
            driver_id: "D2".into(),
            tracking_id: "T2-P1".into(),
        })
        .unwrap();
    assert_eq!((first.seq, second.seq), (1, 2), "one gap-free sequence");
    let pending = d.store.pending_events(10, usize::MAX).unwrap();
    assert_eq!(
        pending
            .iter()
            .map(|e| (
                e.tour_id.as_str(),
                e.recorded_by.as_ref().map(|p| p.user_id.as_str())
            ))
            .collect::<Vec<_>>(),
        [("T1", Some("L1")), ("T2", Some("L1"))]
    );
    assert_eq!(d.store.pending_station_events("T2").unwrap().len(), 1);
    // Acknowledged events are no longer pending; a reopened store keeps the rest.
    d.store.mark_acked(1).unwrap();
    let store = reopen(&d.path);
    assert_eq!(store.pending_station_events("T1").unwrap(), []);
    assert_eq!(store.pending_station_events("T2").unwrap().len(), 1);
    // A driver's outcome cannot be recorded as a station event.
    let mut store = store;
    assert!(
        store
            .record_station("T1", &[], |_| EventBody::StopSkipped {
                stop_id: "A".into()
            })
            .is_err()
    );
}

#[test]
fn the_phone_gets_its_hold_card_stacks_and_loses_a_parcel_not_loaded_by_sync() {
    let mut d = device_with(|_| {});
    let mut tour = real_tour();
    tour.card_stacks = vec![range("K000100", "K000104")];
    d.store.apply_snapshot(&tour).unwrap();
    assert_eq!(
        d.store.unused_cards(100).unwrap().len(),
        5,
        "stacks in the snapshot"
    );
    let hold = HoldView {
        hold_id: uuid::Uuid::now_v7(),
        tour_id: tour.tour_id.clone(),
        driver_id: tour.driver_id.clone(),
        plate: "B-LM 101".into(),
        defects: vec![],
        placed_at: chrono::Utc::now(),
    };
    let stop = &tour.stops[0];
    let parcel = stop.parcels[0].tracking_id.clone();
    let set = |cursor: u64, changes: Vec<TourChange>| ChangeSet {
        tour_id: tour.tour_id.clone(),
        cursor: tour.cursor + cursor,
        changes,
    };
    d.store
        .apply_change_set(&set(
            1,
            vec![TourChange::HoldChanged {
                hold: Some(hold.clone()),
            }],
        ))
        .unwrap();
    assert_eq!(d.store.tour_hold().unwrap(), Some(hold));
    d.store
        .apply_change_set(&set(
            2,
            vec![
                TourChange::HoldChanged { hold: None },
                TourChange::CardStackIssued {
                    range: range("K000105", "K000109"),
                },
                TourChange::ParcelRemoved {
                    stop_id: stop.stop_id.clone(),
                    tracking_id: parcel.clone(),
                },
            ],
        ))
        .unwrap();
    assert_eq!(d.store.tour_hold().unwrap(), None);
    assert_eq!(d.store.unused_cards(100).unwrap().len(), 10);
    assert!(
        d.store.parcel(&parcel).unwrap().is_none(),
        "the parcel left the tour"
    );
    assert_log_consistent(&d.store);
}

#[test]
fn the_tablet_keeps_the_servers_answers_for_when_the_wifi_drops() {
    let mut d = device_with(|_| {});
    assert_eq!(d.store.cache_get::<Vec<String>>("board").unwrap(), None);
    d.store
        .cache_put("board", &vec!["D1".to_owned(), "D2".to_owned()])
        .unwrap();
    let store = reopen(&d.path);
    let cached = store.cache_get::<Vec<String>>("board").unwrap().unwrap();
    assert_eq!(cached.value, ["D1", "D2"]);
}
