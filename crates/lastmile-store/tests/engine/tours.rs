//! Tours in: snapshots and dispatch change sets, applied atomically with their cursor;
//! clashes with recorded outcomes keep the outcome and show a conflict.

use lastmile_domain::{DeliveryMethod, ParcelState};
use lastmile_protocol::tour::{AddressDto, ChangeSet, TourChange};
use lastmile_store::tour::Applied;
use lastmile_store::{BlobInput, BlobKind, Delivery, StoreError};

use crate::{assert_log_consistent, device, real_tour};

fn deliver_first_parcel(d: &mut crate::Device) -> (String, String) {
    let stop = d.store.current_stop().unwrap().unwrap();
    let p = stop
        .parcels
        .iter()
        .find(|p| !p.parcel.is_return && p.parcel.flags == Default::default())
        .unwrap();
    let photo = vec![7u8; 1000];
    d.store
        .deliver(
            &Delivery {
                stop_id: stop.stop.stop_id.clone(),
                tracking_id: p.parcel.tracking_id.clone(),
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
    (stop.stop.stop_id.clone(), p.parcel.tracking_id.clone())
}

#[test]
fn dispatch_changes_apply_with_their_cursor_and_clashes_keep_the_drivers_outcome() {
    let mut d = device();
    let tour = real_tour();
    let (done_stop, tracking) = deliver_first_parcel(&mut d);
    let ids: Vec<String> = tour.stops.iter().map(|s| s.stop_id.clone()).collect();
    let last = ids.last().unwrap().clone();
    let mut added = tour.stops[5].clone();
    added.stop_id = "NEW1".into();
    added.sequence = 2;
    for (i, p) in added.parcels.iter_mut().enumerate() {
        p.tracking_id = format!("NEW-PARCEL-{i}");
    }
    let mut reversed = ids.clone();
    reversed.reverse();
    let set = ChangeSet {
        tour_id: tour.tour_id.clone(),
        cursor: 7,
        changes: vec![
            TourChange::StopRemoved {
                stop_id: done_stop.clone(),
            },
            TourChange::StopRemoved {
                stop_id: ids[3].clone(),
            },
            TourChange::Resequenced { stop_ids: reversed },
            TourChange::StopAdded { stop: added },
            TourChange::AccessNotesChanged {
                stop_id: last.clone(),
                access_notes: Some("Dog!".into()),
            },
            TourChange::AddressCorrected {
                stop_id: done_stop.clone(),
                address: AddressDto {
                    street: "Elm Street".into(),
                    house_number: "12a".into(),
                    postcode: "90026".into(),
                    city: "Los Angeles".into(),
                    name: None,
                },
                position: None,
            },
        ],
    };
    assert_eq!(
        d.store.apply_change_set(&set).unwrap(),
        Applied::Applied {
            cursor: 7,
            conflicts: 2
        }
    );
    assert_eq!(d.store.tour_cursor().unwrap(), Some(7));

    let overview = d.store.tour_overview().unwrap().unwrap();
    let order: Vec<&str> = overview.stops.iter().map(|s| s.stop_id.as_str()).collect();
    assert_eq!(order[0], last, "re-sequenced: last stop first");
    assert_eq!(order[1], "NEW1", "added stop at its sequence");
    assert!(
        order.contains(&done_stop.as_str()),
        "removal clashed with a delivery: the stop stays"
    );
    assert!(
        !order.contains(&ids[3].as_str()),
        "an untouched stop is removed"
    );
    assert_eq!(
        d.store.parcel(&tracking).unwrap().unwrap().state,
        ParcelState::Delivered
    );
    let conflicts = d.store.conflicts().unwrap();
    assert_eq!(conflicts.len(), 2);
    assert!(
        conflicts
            .iter()
            .all(|c| c.stop_id.as_deref() == Some(done_stop.as_str())),
        "{conflicts:?}"
    );
    assert!(
        conflicts
            .iter()
            .any(|c| c.message.contains("Elm Street 12a")),
        "{conflicts:?}"
    );
    let detail = d.store.stop_detail(&last).unwrap().unwrap();
    assert_eq!(detail.stop.access_notes.as_deref(), Some("Dog!"));

    // a resend of the same change set changes nothing
    assert_eq!(
        d.store.apply_change_set(&set).unwrap(),
        Applied::AlreadyApplied { cursor: 7 }
    );
    assert_eq!(d.store.conflicts().unwrap().len(), 2);
    assert_log_consistent(&d.store);
}

#[test]
fn a_change_type_from_a_newer_server_is_refused_whole_and_the_cursor_stays() {
    let mut d = device();
    let tour = real_tour();
    let json = format!(
        r#"{{"tour_id": "{}", "cursor": 3, "changes": [
            {{"type": "access_notes_changed", "stop_id": "{}", "access_notes": "new"}},
            {{"type": "drone_landing_zone_set", "stop_id": "x", "zone": 4}}]}}"#,
        tour.tour_id, tour.stops[0].stop_id
    );
    let set: ChangeSet = serde_json::from_str(&json).unwrap();
    let err = d.store.apply_change_set(&set).unwrap_err();
    assert!(matches!(err, StoreError::NewerServer { .. }), "{err}");
    assert!(err.to_string().contains("update the app"), "{err}");
    assert_eq!(d.store.tour_cursor().unwrap(), Some(0));
    assert_eq!(
        d.store
            .stop_detail(&tour.stops[0].stop_id)
            .unwrap()
            .unwrap()
            .stop
            .access_notes,
        tour.stops[0].access_notes
    );

    let other = ChangeSet {
        tour_id: "someone-elses-tour".into(),
        cursor: 9,
        changes: vec![],
    };
    assert!(matches!(
        d.store.apply_change_set(&other),
        Err(StoreError::WrongTour { .. })
    ));
}

#[test]
fn an_unknown_stop_kind_from_a_newer_server_still_shows_the_stop() {
    let mut d = crate::device_with(|_| {});
    let tour = real_tour();
    let json =
        lastmile_import::own::tour_to_json(&tour).replacen("\"delivery\"", "\"cargo_bike_hub\"", 1);
    let parsed: lastmile_protocol::tour::TourSnapshot = serde_json::from_str(&json).unwrap();
    d.store.apply_snapshot(&parsed).unwrap();
    let overview = d.store.tour_overview().unwrap().unwrap();
    assert_eq!(overview.stops.len(), tour.stops.len());
    assert!(
        overview
            .stops
            .iter()
            .any(|s| s.kind == lastmile_domain::StopKind::Other)
    );
}

#[test]
fn reloading_a_snapshot_keeps_outcomes_and_flags_dropped_parcels_as_conflicts() {
    let mut d = device();
    let (stop, tracking) = deliver_first_parcel(&mut d);
    let mut newer = real_tour();
    newer.cursor = 12;
    newer.stops.retain(|s| s.stop_id != stop);
    assert_eq!(d.store.apply_snapshot(&newer).unwrap(), 1, "one conflict");
    assert_eq!(
        d.store.parcel(&tracking).unwrap().unwrap().state,
        ParcelState::Delivered
    );
    assert_eq!(d.store.tour_cursor().unwrap(), Some(12));
    let overview = d.store.tour_overview().unwrap().unwrap();
    assert_eq!(overview.stops.len(), newer.stops.len() + 1);
    assert_log_consistent(&d.store);
}

#[test]
fn the_overview_of_a_real_tour_matches_the_import() {
    let d = device();
    let tour = real_tour();
    let overview = d.store.tour_overview().unwrap().unwrap();
    assert_eq!(overview.stops.len(), tour.stops.len());
    let parcels: usize = tour.stops.iter().map(|s| s.parcels.len()).sum();
    assert_eq!(overview.progress.parcels_total as usize, parcels);
    assert_eq!(overview.progress.parcels_open as usize, parcels);
    assert_eq!(
        overview.current_stop_id.as_deref(),
        Some(tour.stops[0].stop_id.as_str())
    );
    assert_eq!(overview.stops[0].address_line, {
        let a = &tour.stops[0].address;
        format!("{} {}, {} {}", a.street, a.house_number, a.postcode, a.city)
    });
}
