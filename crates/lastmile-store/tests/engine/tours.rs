//! Tours in: snapshots and dispatch change sets, applied atomically with their cursor;
//! clashes with recorded outcomes keep the outcome and show a conflict.

use lastmile_domain::{DeliveryMethod, ParcelState};
use lastmile_protocol::tour::{
    AddressDto, ChangeSet, LatLon, ManeuverDto, RouteLegDto, TourChange,
};
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
    // Each says what dispatch changed and what the driver recorded there.
    let mut kinds: Vec<(&str, Option<&str>)> = conflicts
        .iter()
        .map(|c| (c.kind.as_str(), c.detail.as_deref()))
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            ("address_corrected", Some("Elm Street 12a")),
            ("stop_removed", None)
        ]
    );
    let delivered = d.store.parcel(&tracking).unwrap().unwrap();
    for c in &conflicts {
        assert_eq!(
            c.recorded,
            [format!(
                "{tracking}: {}",
                delivered.outcome_summary.clone().unwrap()
            )],
            "{c:?}"
        );
        assert!(!c.acknowledged);
    }
    // Acknowledged, a conflict stays listed (last) but no longer counts as open.
    d.store.acknowledge_conflict(conflicts[0].id).unwrap();
    let after = d.store.conflicts().unwrap();
    assert_eq!(after.len(), 2);
    assert_eq!(
        (after[0].acknowledged, after[1].id, after[1].acknowledged),
        (false, conflicts[0].id, true)
    );
    assert_eq!(d.store.tour_overview().unwrap().unwrap().open_conflicts, 1);
    assert_eq!(d.store.end_of_day().unwrap().conflicts, 1);
    d.store.acknowledge_conflict(after[0].id).unwrap();
    assert_eq!(d.store.end_of_day().unwrap().conflicts, 0);
    assert!(d.store.acknowledge_conflict(9_999).is_err());
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

/// A route leg from a real router response (Valhalla in OSRM format, from the shared route
/// fixtures): every step of the first leg as a maneuver.
fn real_leg(file: &str, leg: usize) -> RouteLegDto {
    let path = crate::shared_data(&format!(
        "osrm_valhalla_route_fixtures/valhalla_osrm_compatible/{file}"
    ));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let leg = &json["routes"][0]["legs"][leg];
    let text = |v: &serde_json::Value| v.as_str().filter(|s| !s.is_empty()).map(str::to_owned);
    RouteLegDto {
        distance_m: leg["distance"].as_f64().unwrap(),
        duration_s: leg["duration"].as_f64().unwrap(),
        maneuvers: leg["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let m = &s["maneuver"];
                ManeuverDto {
                    location: LatLon {
                        lat: m["location"][1].as_f64().unwrap(),
                        lon: m["location"][0].as_f64().unwrap(),
                    },
                    kind: m["type"].as_str().unwrap().replace(' ', "_"),
                    modifier: text(&m["modifier"]).map(|x| x.replace(' ', "_")),
                    street: text(&s["name"]),
                    instruction: text(&m["instruction"]),
                    exit: m["exit"].as_u64().map(|n| n as u32),
                    distance_m: s["distance"].as_f64().unwrap(),
                    duration_s: s["duration"].as_f64().unwrap(),
                }
            })
            .collect(),
        shape: vec![],
    }
}

#[test]
fn route_legs_round_trip_through_snapshots_and_change_sets() {
    let with_exits = real_leg("valhalla_osrm_response_with_exit_info.json", 0);
    let roundabouts = real_leg("valhalla_osrm_with_roundabouts.json", 0);
    let plain = real_leg("valhalla_osrm_response.json", 0);
    assert!(with_exits.maneuvers.len() > 2 && roundabouts.maneuvers.len() > 2);
    assert!(
        roundabouts
            .maneuvers
            .iter()
            .any(|m| m.kind.contains("roundabout") || m.kind.contains("rotary")),
        "{:?}",
        roundabouts
            .maneuvers
            .iter()
            .map(|m| &m.kind)
            .collect::<Vec<_>>()
    );

    let mut tour = real_tour();
    tour.stops[0].route = Some(with_exits.clone());
    tour.stops[1].route = Some(roundabouts.clone());
    tour.stops[2].route = Some(plain.clone());
    let ids: Vec<String> = tour.stops.iter().map(|s| s.stop_id.clone()).collect();
    let mut d = crate::device_with(|_| {});
    d.store.apply_snapshot(&tour).unwrap();
    let route = |d: &crate::Device, id: &str| d.store.stop_detail(id).unwrap().unwrap().route;
    assert_eq!(route(&d, &ids[0]), Some(with_exits.clone()), "round trip");
    assert_eq!(route(&d, &ids[1]), Some(roundabouts.clone()));
    assert_eq!(route(&d, &ids[3]), None, "a stop without a route has none");
    assert_eq!(
        d.store.current_stop().unwrap().unwrap().route,
        Some(with_exits.clone()),
        "the stop screen shows it"
    );

    // Dispatch re-sequences (routes stay with their stops), moves stop 1 (its old route led
    // to the old door: dropped), corrects stop 2's address only (kept), and re-sends stop 3
    // with a new route (replaced) and adds a stop with its own route.
    let mut resent = tour.stops[3].clone();
    resent.route = Some(with_exits.clone());
    let mut added = tour.stops[4].clone();
    added.stop_id = "NEW-ROUTED".into();
    added.sequence = 2;
    added.parcels.clear();
    added.route = Some(plain.clone());
    let moved_to = LatLon {
        lat: tour.stops[1].position.lat + 0.001,
        lon: tour.stops[1].position.lon,
    };
    let address = |s: &lastmile_protocol::tour::StopDto| AddressDto {
        street: format!("{} (corrected)", s.address.street),
        ..s.address.clone()
    };
    let mut order = ids.clone();
    order.swap(0, 2);
    let set = ChangeSet {
        tour_id: tour.tour_id.clone(),
        cursor: 3,
        changes: vec![
            TourChange::Resequenced { stop_ids: order },
            TourChange::AddressCorrected {
                stop_id: ids[1].clone(),
                address: address(&tour.stops[1]),
                position: Some(moved_to),
            },
            TourChange::AddressCorrected {
                stop_id: ids[2].clone(),
                address: address(&tour.stops[2]),
                position: Some(tour.stops[2].position),
            },
            TourChange::StopAdded { stop: resent },
            TourChange::StopAdded { stop: added },
        ],
    };
    d.store.apply_change_set(&set).unwrap();
    assert_eq!(
        route(&d, &ids[0]),
        Some(with_exits.clone()),
        "re-sequenced: kept"
    );
    assert_eq!(route(&d, &ids[1]), None, "moved: the old leg is dropped");
    assert_eq!(
        route(&d, &ids[2]),
        Some(plain.clone()),
        "same position: kept"
    );
    assert_eq!(
        route(&d, &ids[3]),
        Some(with_exits.clone()),
        "re-sent: replaced"
    );
    assert_eq!(
        route(&d, "NEW-ROUTED"),
        Some(plain.clone()),
        "added with its route"
    );

    // A later snapshot is the plan: it sets or clears every route; restarts keep them.
    let mut newer = tour.clone();
    newer.cursor = 9;
    newer.stops[0].route = None;
    newer.stops[5].route = Some(roundabouts.clone());
    d.store.apply_snapshot(&newer).unwrap();
    let path = d.path.clone();
    drop(d.store);
    let store = crate::reopen(&path);
    let route = |id: &str| store.stop_detail(id).unwrap().unwrap().route;
    assert_eq!(route(&ids[0]), None);
    assert_eq!(route(&ids[1]), Some(roundabouts.clone()));
    assert_eq!(route(&ids[5]), Some(roundabouts));
}

#[test]
fn a_route_with_numbers_that_are_not_numbers_is_refused_and_nothing_changes() {
    let mut d = device();
    let mut tour = real_tour();
    let mut leg = real_leg("valhalla_osrm_response.json", 0);
    leg.maneuvers[1].distance_m = f64::NAN;
    tour.stops[0].route = Some(leg.clone());
    let err = d.store.apply_snapshot(&tour).unwrap_err();
    assert!(matches!(err, StoreError::InvalidTour(_)), "{err}");
    assert!(err.to_string().contains("route"), "{err}");
    let mut added = tour.stops[4].clone();
    added.stop_id = "NEW-BAD-ROUTE".into();
    added.parcels.clear();
    leg.maneuvers[1].distance_m = 10.0;
    leg.maneuvers[0].location.lat = f64::INFINITY;
    added.route = Some(leg);
    let set = ChangeSet {
        tour_id: tour.tour_id.clone(),
        cursor: 5,
        changes: vec![TourChange::StopAdded { stop: added }],
    };
    let err = d.store.apply_change_set(&set).unwrap_err();
    assert!(matches!(err, StoreError::InvalidTour(_)), "{err}");
    assert_eq!(d.store.tour_cursor().unwrap(), Some(0), "cursor unchanged");
    assert!(d.store.stop_detail("NEW-BAD-ROUTE").unwrap().is_none());
    assert_eq!(
        d.store
            .stop_detail(&tour.stops[0].stop_id)
            .unwrap()
            .unwrap()
            .route,
        None
    );
}

#[test]
fn a_route_change_replaces_or_clears_a_stops_route_and_survives_restarts() {
    let roundabouts = real_leg("valhalla_osrm_with_roundabouts.json", 0);
    let second = real_leg("valhalla_osrm_with_roundabouts.json", 1);
    let with_exits = real_leg("valhalla_osrm_response_with_exit_info.json", 0);
    let mut d = device();
    let tour = real_tour();
    let ids: Vec<String> = tour.stops.iter().map(|s| s.stop_id.clone()).collect();
    let route =
        |store: &lastmile_store::Store, id: &str| store.stop_detail(id).unwrap().unwrap().route;
    assert_eq!(
        route(&d.store, &ids[0]),
        None,
        "the tour came without routes"
    );

    let set = ChangeSet {
        tour_id: tour.tour_id.clone(),
        cursor: 4,
        changes: vec![
            TourChange::RouteChanged {
                stop_id: ids[0].clone(),
                route: Some(roundabouts.clone()),
            },
            TourChange::RouteChanged {
                stop_id: ids[1].clone(),
                route: Some(second.clone()),
            },
            // A stop this device does not have: nothing happens to it, the rest applies.
            TourChange::RouteChanged {
                stop_id: "NOT-ON-THIS-DEVICE".into(),
                route: Some(with_exits.clone()),
            },
        ],
    };
    assert_eq!(
        d.store.apply_change_set(&set).unwrap(),
        Applied::Applied {
            cursor: 4,
            conflicts: 0
        }
    );
    assert_eq!(route(&d.store, &ids[0]), Some(roundabouts.clone()));
    assert_eq!(route(&d.store, &ids[1]), Some(second.clone()));
    assert_eq!(route(&d.store, &ids[2]), None, "other stops keep none");
    assert!(d.store.stop_detail("NOT-ON-THIS-DEVICE").unwrap().is_none());
    assert_eq!(
        d.store.current_stop().unwrap().unwrap().route,
        Some(roundabouts.clone()),
        "the stop screen shows the new leg"
    );

    let path = d.path.clone();
    drop(d.store);
    let mut store = crate::reopen(&path);
    assert_eq!(store.tour_cursor().unwrap(), Some(4));
    assert_eq!(route(&store, &ids[0]), Some(roundabouts.clone()), "restart");
    assert_eq!(route(&store, &ids[1]), Some(second.clone()), "restart");

    // `None` clears one stop's leg; another stop's leg is replaced.
    let set = ChangeSet {
        tour_id: tour.tour_id.clone(),
        cursor: 5,
        changes: vec![
            TourChange::RouteChanged {
                stop_id: ids[0].clone(),
                route: None,
            },
            TourChange::RouteChanged {
                stop_id: ids[1].clone(),
                route: Some(with_exits.clone()),
            },
        ],
    };
    store.apply_change_set(&set).unwrap();
    assert_eq!(route(&store, &ids[0]), None, "cleared");
    assert_eq!(route(&store, &ids[1]), Some(with_exits.clone()), "replaced");

    // A leg with a number that is not a number refuses the whole set; the cursor stays.
    let mut broken = second.clone();
    broken.duration_s = f64::NAN;
    let set = ChangeSet {
        tour_id: tour.tour_id.clone(),
        cursor: 6,
        changes: vec![
            TourChange::RouteChanged {
                stop_id: ids[2].clone(),
                route: Some(second.clone()),
            },
            TourChange::RouteChanged {
                stop_id: ids[3].clone(),
                route: Some(broken),
            },
        ],
    };
    let err = store.apply_change_set(&set).unwrap_err();
    assert!(matches!(err, StoreError::InvalidTour(_)), "{err}");
    assert_eq!(store.tour_cursor().unwrap(), Some(5));
    assert_eq!(route(&store, &ids[2]), None, "nothing of the set applied");

    drop(store);
    let store = crate::reopen(&path);
    assert_eq!(store.tour_cursor().unwrap(), Some(5));
    assert_eq!(route(&store, &ids[0]), None, "the clear survives a restart");
    assert_eq!(route(&store, &ids[1]), Some(with_exits));
    assert_log_consistent(&store);
}
