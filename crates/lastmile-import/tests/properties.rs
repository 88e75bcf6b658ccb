//! Property tests of the import parsers' invariants (issue 16): a valid tour survives our own
//! JSON unchanged, a broken rule is refused, an encoded polyline decodes to its points, an
//! OSRM response gives one maneuver per step at the step's place, and every tour the LMRRC
//! import makes passes the import rules.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use lastmile_import::{lmrrc, own, route};
use lastmile_protocol::tour::{
    AddressDto, DimensionsDto, LatLon, ParcelDto, ParcelFlagsDto, StationDto, StopDto, StopKindDto,
    TimeWindowDto, TourSnapshot,
};
use proptest::prelude::*;

fn position() -> impl Strategy<Value = LatLon> {
    (-90.0f64..=90.0, -180.0f64..=180.0).prop_map(|(lat, lon)| LatLon { lat, lon })
}

fn time() -> impl Strategy<Value = DateTime<Utc>> {
    // 2000-01-01 .. 2199-12-31, to the millisecond.
    (946_684_800_000i64..7_258_031_999_000).prop_map(|ms| {
        Utc.timestamp_millis_opt(ms)
            .single()
            .expect("in chrono's range")
    })
}

fn window() -> impl Strategy<Value = Option<TimeWindowDto>> {
    proptest::option::of(
        (time(), 0i64..86_400).prop_map(|(start, len)| TimeWindowDto {
            start,
            end: start + chrono::Duration::seconds(len),
        }),
    )
}

fn text() -> impl Strategy<Value = String> {
    // Any Unicode, quotes and control characters included.
    "\\PC{0,12}|[\"\\\\\u{0}-\u{1f}]{0,4}"
}

fn parcel(id: usize) -> impl Strategy<Value = ParcelDto> {
    (
        window(),
        proptest::option::of((0.0f32..200.0, 0.0f32..200.0, 0.0f32..200.0)),
        any::<(bool, bool, bool, bool)>(),
    )
        .prop_map(move |(time_window, dims, (a, b, c, is_return))| ParcelDto {
            tracking_id: format!("P{id}"),
            time_window,
            dimensions: dims.map(|(depth_cm, height_cm, width_cm)| DimensionsDto {
                depth_cm,
                height_cm,
                width_cm,
            }),
            flags: ParcelFlagsDto {
                no_neighbour: a,
                signature_required: b,
                id_check: c,
            },
            is_return,
        })
}

fn stop(index: usize, sequence: u32) -> impl Strategy<Value = StopDto> {
    (
        (text(), text(), text(), text(), proptest::option::of(text())),
        position(),
        proptest::option::of(text()),
        window(),
        0u32..3600,
        proptest::collection::vec(0usize..1, 0..3),
        prop_oneof![
            Just(StopKindDto::Delivery),
            Just(StopKindDto::Pickup),
            Just(StopKindDto::ParcelShop),
            Just(StopKindDto::Service),
        ],
    )
        .prop_flat_map(
            move |(address, position, access_notes, time_window, service_seconds, n, kind)| {
                let parcels: Vec<_> = (0..n.len()).map(|p| parcel(index * 10 + p)).collect();
                (
                    Just((
                        address,
                        position,
                        access_notes,
                        time_window,
                        service_seconds,
                        kind,
                    )),
                    parcels,
                )
            },
        )
        .prop_map(
            move |(
                (address, position, access_notes, time_window, service_seconds, kind),
                parcels,
            )| {
                let (street, house_number, postcode, city, name) = address;
                StopDto {
                    stop_id: format!("S{index}"),
                    sequence,
                    kind,
                    address: AddressDto {
                        street,
                        house_number,
                        postcode,
                        city,
                        name,
                    },
                    position,
                    access_notes,
                    time_window,
                    service_seconds,
                    parcels,
                    route: None,
                    checklist: Vec::new(),
                }
            },
        )
}

fn tour() -> impl Strategy<Value = TourSnapshot> {
    (
        proptest::collection::vec(1u32..5, 0..6),
        position(),
        text(),
        (0i64..73_000, proptest::option::of(time()), any::<u64>()),
    )
        .prop_flat_map(|(gaps, station_position, name, (day, departure, cursor))| {
            let mut sequence = 0;
            let stops: Vec<_> = gaps
                .iter()
                .enumerate()
                .map(|(i, gap)| {
                    sequence += gap;
                    stop(i, sequence)
                })
                .collect();
            (
                stops,
                Just((station_position, name, day, departure, cursor)),
            )
        })
        .prop_map(
            |(stops, (position, name, day, departure, cursor))| TourSnapshot {
                tour_id: "T1".into(),
                station: StationDto {
                    station_id: "ST".into(),
                    name,
                    position,
                },
                driver_id: "D1".into(),
                date: NaiveDate::from_ymd_opt(2000, 1, 1).expect("date")
                    + chrono::Days::new(day as u64),
                departure,
                stops,
                cursor,
                card_stacks: Vec::new(),
            },
        )
}

/// Google's polyline encoding of whole units (the inverse of `decode_polyline`).
fn encode(points: &[(i64, i64)]) -> String {
    let mut out = String::new();
    let (mut last_lat, mut last_lon) = (0i64, 0i64);
    for &(lat, lon) in points {
        for delta in [lat - last_lat, lon - last_lon] {
            let mut v = if delta < 0 { !(delta << 1) } else { delta << 1 } as u64;
            while v >= 0x20 {
                out.push(char::from(((0x20 | (v & 0x1f)) + 63) as u8));
                v >>= 5;
            }
            out.push(char::from((v + 63) as u8));
        }
        (last_lat, last_lon) = (lat, lon);
    }
    out
}

/// Found by `a_valid_tour_round_trips_through_our_json`: serde_json's default float parser
/// is not correctly rounded, so a coordinate read back from the JSON we wrote moved by one
/// unit in the last place (9.698953680338175 became …176). The workspace enables serde_json's
/// `float_roundtrip`.
#[test]
fn a_coordinate_survives_our_json_to_the_last_bit() {
    let lon = 9.698953680338175;
    let json = serde_json::to_string(&LatLon { lat: 0.0, lon }).expect("json");
    let back: LatLon = serde_json::from_str(&json).expect("reads");
    assert_eq!(back.lon.to_bits(), lon.to_bits(), "{json}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn a_valid_tour_round_trips_through_our_json(t in tour()) {
        own::validate(&t).expect("the generated tour is valid");
        let again = own::tour_from_json(&own::tour_to_json(&t)).expect("reads back");
        prop_assert_eq!(again, t);
    }

    #[test]
    fn a_tour_with_a_stop_twice_is_refused(mut t in tour()) {
        prop_assume!(t.stops.len() >= 2);
        t.stops[1].stop_id = t.stops[0].stop_id.clone();
        prop_assert!(own::tour_from_json(&own::tour_to_json(&t)).is_err());
    }

    #[test]
    fn a_tour_with_a_parcel_twice_or_out_of_order_is_refused(mut t in tour()) {
        let ids: Vec<(usize, usize)> = t.stops.iter().enumerate()
            .flat_map(|(s, stop)| (0..stop.parcels.len()).map(move |p| (s, p))).collect();
        prop_assume!(ids.len() >= 2 || t.stops.len() >= 2);
        if ids.len() >= 2 {
            let (s0, p0) = ids[0];
            let (s1, p1) = ids[1];
            t.stops[s1].parcels[p1].tracking_id = t.stops[s0].parcels[p0].tracking_id.clone();
        } else {
            t.stops[1].sequence = t.stops[0].sequence;
        }
        prop_assert!(own::tour_from_json(&own::tour_to_json(&t)).is_err());
    }

    #[test]
    fn a_polyline_decodes_to_its_points(
        precision in 5u32..=6,
        points in proptest::collection::vec((-90_000_000i64..=90_000_000, -180_000_000i64..=180_000_000), 0..20),
    ) {
        let scale = 10i64.pow(6 - precision);
        let points: Vec<(i64, i64)> = points.iter().map(|(a, b)| (a / scale, b / scale)).collect();
        let decoded = route::decode_polyline(&encode(&points), precision).expect("decodes");
        let factor = 10f64.powi(precision as i32);
        let want: Vec<LatLon> = points.iter()
            .map(|&(lat, lon)| LatLon { lat: lat as f64 / factor, lon: lon as f64 / factor })
            .collect();
        prop_assert_eq!(decoded, want);
    }

    #[test]
    fn a_truncated_polyline_never_panics(s in "[?-~]{0,40}", precision in 0u32..10) {
        if let Ok(points) = route::decode_polyline(&s, precision) {
            prop_assert!(points.iter().all(|p| p.lat.is_finite() && p.lon.is_finite()));
        }
    }

    #[test]
    fn an_osrm_response_gives_one_maneuver_per_step(
        steps in proptest::collection::vec(
            (position(), 0.0f64..10_000.0, 0.0f64..3_600.0, "[a-z]{1,8}( [a-z]{1,8})?", "\\PC{0,10}"),
            1..8),
    ) {
        let json_steps: Vec<serde_json::Value> = steps.iter().map(|(p, d, t, kind, name)| serde_json::json!({
            "distance": d, "duration": t, "name": name,
            "maneuver": {"location": [p.lon, p.lat], "type": kind},
        })).collect();
        let response = serde_json::json!({"code": "Ok", "routes": [{"legs": [
            {"distance": 1.0, "duration": 2.0, "steps": json_steps}]}]});
        let legs = route::legs_from_json(&response.to_string()).expect("reads");
        prop_assert_eq!(legs.len(), 1);
        prop_assert_eq!(legs[0].maneuvers.len(), steps.len());
        for (m, (p, d, _, kind, _)) in legs[0].maneuvers.iter().zip(&steps) {
            prop_assert_eq!(m.location, *p);
            prop_assert_eq!(m.distance_m, *d);
            prop_assert_eq!(&m.kind, &kind.replace(' ', "_"));
        }
    }

    #[test]
    fn every_lmrrc_tour_passes_the_import_rules(
        stops in proptest::collection::vec((-90.0f64..=90.0, -180.0f64..=180.0, "[A-Z][a-z]", "[A-C]-[0-9]\\.[0-9][A-D]"), 1..8),
        packages in proptest::collection::vec((0usize..8, "[a-f0-9]{6}", 0.0f64..600.0), 0..10),
    ) {
        let mut route_stops = serde_json::Map::new();
        route_stops.insert("ST".into(), serde_json::json!({"lat": 34.0, "lng": -118.0, "type": "Station", "zone_id": null}));
        for (lat, lng, id, zone) in &stops {
            route_stops.insert(id.clone(), serde_json::json!({"lat": lat, "lng": lng, "type": "Dropoff", "zone_id": zone}));
        }
        let ids: Vec<&String> = route_stops.keys().filter(|k| *k != "ST").collect();
        let mut pkgs = serde_json::Map::new();
        for (stop, id, service) in &packages {
            let at = ids[stop % ids.len()].clone();
            let entry = pkgs.entry(at).or_insert_with(|| serde_json::json!({}));
            entry[format!("PackageID_{id}")] = serde_json::json!({
                "time_window": {"start_time_utc": null, "end_time_utc": null},
                "planned_service_time_seconds": service,
                "dimensions": {"depth_cm": 1.0, "height_cm": 2.0, "width_cm": 3.0}});
        }
        let routes = serde_json::json!({"R1": {"station_code": "DLA1", "date_YYYY_MM_DD": "2018-07-27",
            "departure_time_utc": "08:00:00", "stops": route_stops}});
        let packages = serde_json::json!({"R1": pkgs});
        let tours = lmrrc::tours_from_json(&routes.to_string(), &packages.to_string()).expect("imports");
        prop_assert_eq!(tours.len(), 1);
        for t in &tours {
            prop_assert!(own::validate(t).is_ok(), "{:?}", own::validate(t));
            let again = own::tour_from_json(&own::tour_to_json(t)).expect("reads back");
            prop_assert_eq!(&again, t);
        }
    }
}
