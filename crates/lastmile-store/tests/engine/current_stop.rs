//! The current stop (first stop in planned order that still needs the driver) as the stop
//! screen, the tour list and the guidance see it, through skips, out-of-order arrivals, a
//! stop without parcels, revisits and the end of the tour.

use lastmile_domain::{DeliveryMethod, Fix};
use lastmile_protocol::tour::StopKindDto;
use lastmile_store::queries::StopStatus;
use lastmile_store::{BlobInput, BlobKind, Delivery, Warning};

use crate::{assert_log_consistent, at, device_with, real_tour};

/// The current stop as all three read models give it; they must agree.
fn current(d: &crate::Device) -> Option<String> {
    let detail = d.store.current_stop().unwrap().map(|s| s.stop.stop_id);
    let overview = d.store.tour_overview().unwrap().unwrap();
    let fix = Fix {
        position: overview.station_position,
        accuracy_m: None,
    };
    let guided = d.store.guidance(fix).unwrap().map(|g| g.stop_id);
    assert_eq!(detail, overview.current_stop_id, "stop screen vs tour list");
    assert_eq!(detail, guided, "stop screen vs guidance");
    // The one-query read models agree with the tour list and the stop cards.
    let by_stop = d.store.tracking_ids_by_stop().unwrap();
    assert_eq!(by_stop.len(), overview.stops.len());
    for (i, line) in overview.stops.iter().enumerate() {
        let open_before = overview.stops[..i]
            .iter()
            .filter(|s| matches!(s.status, StopStatus::Open | StopStatus::Arrived))
            .count() as u32;
        assert_eq!(
            d.store.open_stops_before(&line.stop_id).unwrap(),
            open_before,
            "open stops before {}",
            line.stop_id
        );
        let card = d.store.stop_detail(&line.stop_id).unwrap().unwrap();
        let failed = card
            .parcels
            .iter()
            .filter(|p| p.state == lastmile_domain::ParcelState::Failed)
            .count() as u32;
        assert_eq!(
            line.failed_parcels, failed,
            "failed parcels of {}",
            line.stop_id
        );
        let mut ids: Vec<String> = card
            .parcels
            .into_iter()
            .map(|p| p.parcel.tracking_id)
            .collect();
        ids.sort();
        assert_eq!(by_stop[i], (line.stop_id.clone(), ids));
    }
    detail
}

fn finish(d: &mut crate::Device, stop_id: &str) {
    let signature = b"M 0 0 L 5 5".to_vec();
    for p in d.store.stop_detail(stop_id).unwrap().unwrap().parcels {
        if p.parcel.is_return {
            d.store
                .pick_up_return(stop_id, &p.parcel.tracking_id, &[], None)
                .unwrap();
        } else {
            let delivery = Delivery {
                stop_id: stop_id.to_owned(),
                tracking_id: p.parcel.tracking_id.clone(),
                method: DeliveryMethod::Recipient { name: "Ng".into() },
                card: None,
                id_checked: true,
                blobs: vec![BlobInput {
                    kind: BlobKind::SignatureStrokes,
                    bytes: &signature,
                }],
            };
            d.store.deliver(&delivery, None).unwrap();
        }
    }
}

#[test]
fn the_current_stop_follows_skips_arrivals_empty_stops_revisits_and_the_end_of_the_tour() {
    let mut tour = real_tour();
    tour.stops.truncate(4);
    for (i, s) in tour.stops.iter_mut().enumerate() {
        s.sequence = i as u32 + 1;
    }
    // the third stop has no parcels (all moved elsewhere): done once the driver arrives (a
    // service visit is done only when it is finished: `service.rs`)
    tour.stops[2].kind = StopKindDto::Delivery;
    tour.stops[2].parcels.clear();
    let ids: Vec<String> = tour.stops.iter().map(|s| s.stop_id.clone()).collect();
    assert!(!tour.stops[1].parcels.is_empty() && !tour.stops[3].parcels.is_empty());
    let mut d = device_with(|_| {});
    d.store.apply_snapshot(&tour).unwrap();
    let status =
        |d: &crate::Device, i: usize| d.store.stop_detail(&ids[i]).unwrap().unwrap().status;

    assert_eq!(current(&d).as_deref(), Some(ids[0].as_str()));

    d.store.skip_stop(&ids[0], None).unwrap();
    assert_eq!(current(&d).as_deref(), Some(ids[1].as_str()), "skipped");

    // arriving elsewhere first warns and does not move the plan on
    let rec = d.store.arrive(&ids[3], at(tour_pos(&tour, 3))).unwrap();
    assert!(
        rec.warnings.contains(&Warning::OutOfOrder {
            planned_stop: ids[1].clone()
        }),
        "{:?}",
        rec.warnings
    );
    assert_eq!(current(&d).as_deref(), Some(ids[1].as_str()));

    // arrived with parcels still open: still the current stop
    d.store.arrive(&ids[1], at(tour_pos(&tour, 1))).unwrap();
    assert_eq!(status(&d, 1), StopStatus::Arrived);
    assert_eq!(current(&d).as_deref(), Some(ids[1].as_str()), "arrived");

    finish(&mut d, &ids[1]);
    assert_eq!(status(&d, 1), StopStatus::Done);
    assert_eq!(
        current(&d).as_deref(),
        Some(ids[2].as_str()),
        "empty stop, not arrived"
    );

    d.store.arrive(&ids[2], None).unwrap();
    assert_eq!(
        status(&d, 2),
        StopStatus::Done,
        "a stop without parcels is done on arrival"
    );
    assert_eq!(
        current(&d).as_deref(),
        Some(ids[3].as_str()),
        "arrived earlier, parcels open"
    );

    finish(&mut d, &ids[3]);
    assert_eq!(current(&d), None, "only the skipped stop is left");
    assert_eq!(status(&d, 0), StopStatus::Skipped);

    // revisiting the skipped stop makes it current again; finishing it ends the tour
    d.store.arrive(&ids[0], None).unwrap();
    assert_eq!(current(&d).as_deref(), Some(ids[0].as_str()), "revisited");
    finish(&mut d, &ids[0]);
    assert_eq!(current(&d), None, "all done");
    let overview = d.store.tour_overview().unwrap().unwrap();
    assert_eq!(
        (overview.progress.stops_done, overview.progress.parcels_open),
        (4, 0)
    );
    assert_log_consistent(&d.store);
}

fn tour_pos(tour: &lastmile_protocol::tour::TourSnapshot, i: usize) -> lastmile_domain::Position {
    let p = tour.stops[i].position;
    lastmile_domain::Position {
        lat: p.lat,
        lon: p.lon,
    }
}
