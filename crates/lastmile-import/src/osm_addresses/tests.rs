//! The demo tour over the real north-Bayreuth extract in `../shared/data`.

use std::path::PathBuf;

use lastmile_scan::tracking::{TrackingError, validate_tracking};

use super::*;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn extract_csv() -> String {
    std::fs::read_to_string(
        workspace().join("../shared/data/osm_north_bayreuth_graphhopper/addresses.csv"),
    )
    .unwrap()
}

fn demo() -> TourSnapshot {
    demo_tour(
        &addresses_from_csv(&extract_csv()).unwrap(),
        &DemoTourSpec::default(),
    )
    .unwrap()
}

fn parcels(t: &TourSnapshot) -> impl Iterator<Item = &ParcelDto> {
    t.stops.iter().flat_map(|s| &s.parcels)
}

#[test]
fn the_committed_demo_tour_is_what_the_generator_makes_today() {
    let committed =
        std::fs::read_to_string(workspace().join("assets/demo/north-bayreuth-tour.json"))
            .expect("assets/demo/north-bayreuth-tour.json (run `cargo xtask gen-demo-tour`)");
    let fresh = demo_tour_file(&extract_csv()).unwrap();
    assert!(
        committed == fresh,
        "assets/demo/north-bayreuth-tour.json is stale: run `cargo xtask gen-demo-tour` and commit it"
    );
    // And it is a tour the server and the device accept.
    assert_eq!(crate::own::tour_from_json(&committed).unwrap(), demo());
}

#[test]
fn the_extract_reads_completely() {
    let all = addresses_from_csv(&extract_csv()).unwrap();
    assert_eq!(all.len(), 800);
    assert_eq!(all.iter().filter(|a| a.is_complete()).count(), 797);
    let first = &all[0];
    assert_eq!(
        (
            first.street.as_str(),
            first.house_number.as_str(),
            first.postcode.as_str(),
            first.city.as_str(),
            first.name.as_deref()
        ),
        (
            "Hauptstraße",
            "2",
            "95500",
            "Heinersreuth",
            Some("Landgasthof Moreth")
        )
    );
    assert_eq!(
        first.position,
        LatLon {
            lat: 49.9872438,
            lon: 11.5106607
        }
    );
}

#[test]
fn every_stop_is_a_real_address_of_the_extract() {
    let all = addresses_from_csv(&extract_csv()).unwrap();
    let tour = demo();
    assert_eq!(tour.stops.len(), 40);
    for s in &tour.stops {
        let a = &s.address;
        assert!(
            all.iter().any(|o| o.street == a.street
                && o.house_number == a.house_number
                && o.postcode == a.postcode
                && o.city == a.city
                && o.name == a.name
                && o.position == s.position),
            "stop {} is not in the extract: {a:?}",
            s.stop_id
        );
        assert!(a.postcode.len() == 5 && a.postcode.chars().all(|c| c.is_ascii_digit()));
        assert!(s.route.is_none(), "no made-up routes");
        assert!((1..=3).contains(&s.parcels.len()), "stop {}", s.stop_id);
    }
    // Real distances between real places: the whole loop stays in the Bayreuth area.
    for s in &tour.stops {
        assert!(haversine_km(tour.station.position, s.position) < 15.0);
    }
}

#[test]
fn stops_follow_the_nearest_neighbour_walk_from_the_station() {
    let tour = demo();
    let mut here = tour.station.position;
    for (i, s) in tour.stops.iter().enumerate() {
        let d = haversine_km(here, s.position);
        for later in &tour.stops[i..] {
            assert!(
                d <= haversine_km(here, later.position),
                "stop {} is not the nearest one left",
                s.stop_id
            );
        }
        assert_eq!(s.sequence as usize, i + 1);
        here = s.position;
    }
}

#[test]
fn every_tracking_number_passes_its_carriers_check_digit() {
    let tour = demo();
    let mut carriers = std::collections::BTreeSet::new();
    for p in parcels(&tour) {
        let n =
            validate_tracking(&p.tracking_id).unwrap_or_else(|e| panic!("{}: {e}", p.tracking_id));
        carriers.insert(n.courier);
        // One wrong last character (the check character in every format but S10, where
        // the country follows it) must be caught.
        let mut typo: Vec<char> = p.tracking_id.chars().collect();
        let at = if p.tracking_id.starts_with("RR") {
            typo.len() - 3
        } else {
            typo.len() - 1
        };
        typo[at] = if typo[at] == '1' { '2' } else { '1' };
        let typo: String = typo.into_iter().collect();
        assert!(
            !matches!(validate_tracking(&typo), Ok(t) if t.courier == n.courier && t.service == n.service),
            "{typo} (typo of {}) still passes as {} {}",
            p.tracking_id,
            n.courier,
            n.service
        );
    }
    assert_eq!(
        carriers.into_iter().collect::<Vec<_>>(),
        ["DHL", "DPD", "S10 International Standard", "UPS"]
    );
    let sample = validate_tracking(&tracking_number(
        TrackingKind::Dpd28,
        7,
        "95463",
        &mut || 42,
    ))
    .unwrap();
    assert_eq!((sample.courier, sample.service), ("DPD", "DPD (28)"));
    assert!(sample.normalized.starts_with("0095463"));
    let good = tracking_number(TrackingKind::Dpd28, 7, "95463", &mut || 42);
    let last = good.chars().last().unwrap();
    let wrong = format!("{}{}", &good[..27], if last == 'A' { 'B' } else { 'A' });
    assert_eq!(
        validate_tracking(&wrong),
        Err(TrackingError::CheckDigitMismatch {
            courier: "DPD",
            service: "DPD (28)"
        }),
        "the scanner really checks DPD numbers"
    );
}

#[test]
fn the_day_has_what_a_real_one_has() {
    let tour = demo();
    let count = |f: &dyn Fn(&StopDto) -> bool| tour.stops.iter().filter(|s| f(s)).count();
    assert_eq!(count(&|s| s.kind == StopKindDto::ParcelShop), 1);
    let shop = tour
        .stops
        .iter()
        .find(|s| s.kind == StopKindDto::ParcelShop)
        .unwrap();
    assert!(shop.address.name.is_some());
    // One service visit (an installation) with its checklist; no other stop has one.
    assert_eq!(count(&|s| s.kind == StopKindDto::Service), 1);
    assert_eq!(count(&|s| !s.checklist.is_empty()), 1);
    let visit = tour
        .stops
        .iter()
        .find(|s| s.kind == StopKindDto::Service)
        .unwrap();
    assert!((3..=4).contains(&visit.checklist.len()));
    assert!(visit.service_seconds >= 30 * 60, "a visit takes a while");
    let pickups = count(&|s| s.kind == StopKindDto::Pickup);
    assert!((2..=3).contains(&pickups), "{pickups} pickups");
    for s in &tour.stops {
        assert_eq!(
            s.parcels.iter().all(|p| p.is_return),
            s.kind == StopKindDto::Pickup,
            "returns are exactly the pickups' parcels ({})",
            s.stop_id
        );
    }
    let windows = count(&|s| s.time_window.is_some());
    assert!((4..=10).contains(&windows), "{windows} windows");
    for w in tour.stops.iter().filter_map(|s| s.time_window) {
        assert!(w.end - w.start >= Duration::hours(2));
        assert!(w.end > tour.departure.unwrap(), "a window after departure");
    }
    let id_checks = parcels(&tour).filter(|p| p.flags.id_check).count();
    assert!((1..=2).contains(&id_checks), "{id_checks} ID checks");
    assert!(
        parcels(&tour)
            .filter(|p| p.flags.id_check)
            .all(|p| p.flags.signature_required && p.flags.no_neighbour)
    );
    let signatures = parcels(&tour)
        .filter(|p| p.flags.signature_required)
        .count();
    assert!(signatures >= 4, "{signatures} signatures");
    let no_neighbour = parcels(&tour).filter(|p| p.flags.no_neighbour).count();
    assert!(no_neighbour >= 3, "{no_neighbour} no-neighbour");
    let notes: Vec<&str> = tour
        .stops
        .iter()
        .filter_map(|s| s.access_notes.as_deref())
        .collect();
    assert!(notes.len() >= 4, "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("Hund")), "{notes:?}");
    let total = parcels(&tour).count();
    assert!((50..=90).contains(&total), "{total} parcels");
}

#[test]
fn the_seed_decides_the_tour() {
    let all = addresses_from_csv(&extract_csv()).unwrap();
    let spec = DemoTourSpec::default();
    assert_eq!(
        demo_tour(&all, &spec).unwrap(),
        demo_tour(&all, &spec).unwrap()
    );
    let other = demo_tour(
        &all,
        &DemoTourSpec {
            seed: 7,
            ..spec.clone()
        },
    )
    .unwrap();
    assert_ne!(other.stops[0].address, demo().stops[0].address);
    let err = demo_tour(&all[..30], &DemoTourSpec { stops: 40, ..spec }).unwrap_err();
    assert!(
        err.to_string()
            .contains("only 26 distinct complete addresses"),
        "{err}"
    );
}

#[test]
fn moving_the_tour_to_another_day_keeps_the_times_of_day() {
    let tour = demo();
    let day = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
    let moved = moved_to(&tour, day).unwrap();
    assert_eq!(moved.date, day);
    assert_eq!(moved.tour_id, "demo-north-bayreuth-2026-03-05");
    assert_eq!(moved.departure.unwrap().date_naive(), day);
    assert_eq!(
        moved.departure.unwrap().time(),
        tour.departure.unwrap().time()
    );
    let (a, b) = tour
        .stops
        .iter()
        .zip(&moved.stops)
        .find(|(a, _)| a.time_window.is_some())
        .unwrap();
    assert_eq!(
        b.time_window.unwrap().start.time(),
        a.time_window.unwrap().start.time()
    );
    assert_eq!(b.time_window.unwrap().start.date_naive(), day);
}

#[test]
fn csv_quoting_and_bad_rows() {
    let header = "osm_id,street,housenumber,postcode,city,country,name,lat,lon\n";
    let ok = format!(
        "{header}a1,\"Am Bach, hinten\",3a,95463,Bindlach,DE,\"Café \"\"Zur Post\"\"\",49.98,11.6\n"
    );
    let rows = addresses_from_csv(&ok).unwrap();
    assert_eq!(rows[0].street, "Am Bach, hinten");
    assert_eq!(rows[0].name.as_deref(), Some("Café \"Zur Post\""));

    let bad_lat = format!("{header}a1,Weg,1,95463,Bindlach,DE,,north,11.6\n");
    let err = addresses_from_csv(&bad_lat).unwrap_err().to_string();
    assert!(err.contains("line 2: `north` is not a valid lat"), "{err}");
    let short = format!("{header}a1,Weg,1,95463\n");
    let err = addresses_from_csv(&short).unwrap_err().to_string();
    assert!(err.contains("line 2 has 4 fields, the header 9"), "{err}");
    let err = addresses_from_csv("osm_id,street\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("no `housenumber` column"), "{err}");
    let err = addresses_from_csv(&format!("{header}a1,\"open,1,2\n"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("not closed"), "{err}");
    assert!(
        addresses_from_csv("")
            .unwrap_err()
            .to_string()
            .contains("empty")
    );
}
