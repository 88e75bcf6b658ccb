//! Every real router response in `../shared/data/osrm_valhalla_route_fixtures`, plus broken
//! ones made from them.

use std::path::{Path, PathBuf};

use super::*;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/osrm_valhalla_route_fixtures")
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(name)).unwrap()
}

/// What each fixture must give: maneuvers per leg, or an error naming what is missing.
enum Expect {
    Legs(&'static [usize]),
    /// Maneuvers per leg of a response whose maneuvers leave out part of the leg: they add up
    /// to the leg's distance and time less `missing_m` and `missing_s`.
    LegsWithGap {
        counts: &'static [usize],
        missing_m: f64,
        missing_s: f64,
    },
    Refused(&'static str),
}

const EXPECTED: &[(&str, Expect)] = &[
    ("osrm_native/portugal_to_korea.json", Expect::Legs(&[422])),
    (
        "osrm_native/standard_osrm_polyline6_response.json",
        Expect::Refused("`routes[0].legs[0].steps` is empty"),
    ),
    (
        "valhalla_native/optimized_route.json",
        Expect::Refused("`trip.legs[0].maneuvers` is missing"),
    ),
    // Valhalla's documentation example: its maneuvers cover shape points 0–18 and 26, the
    // turn into Palisadenstraße on points 18–26 (62 m, 17.9 s in trace_route.json, the same
    // drive) was left out of the example.
    (
        "valhalla_native/route.json",
        Expect::LegsWithGap {
            counts: &[3],
            missing_m: 63.0,
            missing_s: 17.857,
        },
    ),
    ("valhalla_native/trace_route.json", Expect::Legs(&[4])),
    (
        "valhalla_osrm_compatible/valhalla_extended_osrm_response.json",
        Expect::Legs(&[8]),
    ),
    (
        "valhalla_osrm_compatible/valhalla_osrm_response.json",
        Expect::Legs(&[23]),
    ),
    (
        "valhalla_osrm_compatible/valhalla_osrm_response_via_ways.json",
        Expect::Legs(&[2]),
    ),
    (
        "valhalla_osrm_compatible/valhalla_osrm_response_with_exit_info.json",
        Expect::Legs(&[4]),
    ),
    (
        "valhalla_osrm_compatible/valhalla_osrm_with_roundabouts.json",
        Expect::Legs(&[8, 4]),
    ),
    (
        "valhalla_osrm_compatible/valhalla_self_intersecting_osrm_response.json",
        Expect::Legs(&[4]),
    ),
];

/// Every `.json` below the fixtures folder, relative to it.
fn all_fixture_files() -> Vec<String> {
    let mut files = Vec::new();
    for dir in std::fs::read_dir(fixtures()).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|e| e == "json") {
                files.push(
                    f.strip_prefix(fixtures())
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    files.sort();
    files
}

/// A latitude/longitude box; `contains` allows the last decimal of a 5-place polyline.
#[derive(Debug)]
struct Bounds {
    min: LatLon,
    max: LatLon,
}

impl Bounds {
    fn of(points: impl IntoIterator<Item = LatLon>) -> Self {
        let mut b = Bounds {
            min: LatLon {
                lat: f64::INFINITY,
                lon: f64::INFINITY,
            },
            max: LatLon {
                lat: f64::NEG_INFINITY,
                lon: f64::NEG_INFINITY,
            },
        };
        for p in points {
            b.min.lat = b.min.lat.min(p.lat);
            b.min.lon = b.min.lon.min(p.lon);
            b.max.lat = b.max.lat.max(p.lat);
            b.max.lon = b.max.lon.max(p.lon);
        }
        b
    }

    fn contains(&self, p: LatLon) -> bool {
        const EPS: f64 = 1.1e-5;
        p.lat >= self.min.lat - EPS
            && p.lat <= self.max.lat + EPS
            && p.lon >= self.min.lon - EPS
            && p.lon <= self.max.lon + EPS
    }
}

/// The bounds each leg's maneuvers must lie in, taken from the response itself: Valhalla's
/// leg summary box; for OSRM the box around the leg's step geometries (polyline5 in stock
/// OSRM, polyline6 from Valhalla).
fn leg_bounds(name: &str, json: &str) -> Vec<Bounds> {
    let v: Value = serde_json::from_str(json).unwrap();
    if let Some(trip) = v.get("trip") {
        return trip["legs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|leg| {
                let s = &leg["summary"];
                let f = |k: &str| s[k].as_f64().unwrap();
                Bounds {
                    min: LatLon {
                        lat: f("min_lat"),
                        lon: f("min_lon"),
                    },
                    max: LatLon {
                        lat: f("max_lat"),
                        lon: f("max_lon"),
                    },
                }
            })
            .collect();
    }
    let precision = if name.starts_with("osrm_native/") {
        5
    } else {
        6
    };
    v["routes"][0]["legs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|leg| {
            let points = leg["steps"].as_array().unwrap().iter().flat_map(|step| {
                decode_polyline(step["geometry"].as_str().unwrap(), precision).unwrap()
            });
            Bounds::of(points)
        })
        .collect()
}

#[test]
fn every_fixture_is_read_or_refused_with_the_missing_field_named() {
    let files = all_fixture_files();
    let expected: Vec<&str> = EXPECTED.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        files, expected,
        "the fixture folder changed: say what each new file must give"
    );
    for (name, expect) in EXPECTED {
        let json = fixture(name);
        let result = legs_from_json(&json);
        match expect {
            Expect::Refused(what) => {
                let err = result.expect_err(name).to_string();
                assert!(err.contains(what), "{name}: {err}");
            }
            Expect::Legs(counts) => {
                check_legs(name, &json, result, counts, (0.0, 0.0));
            }
            Expect::LegsWithGap {
                counts,
                missing_m,
                missing_s,
            } => {
                check_legs(name, &json, result, counts, (*missing_m, *missing_s));
            }
        }
    }
}

fn check_legs(
    name: &str,
    json: &str,
    result: Result<Vec<RouteLegDto>, ImportError>,
    counts: &[usize],
    gap: (f64, f64),
) {
    let legs = result.unwrap_or_else(|e| panic!("{name}: {e}"));
    let got: Vec<usize> = legs.iter().map(|l| l.maneuvers.len()).collect();
    assert_eq!(got, counts, "{name}: maneuvers per leg");
    for (i, (leg, bounds)) in legs.iter().zip(leg_bounds(name, json)).enumerate() {
        check_leg(&format!("{name} leg {i}"), leg, &bounds, gap);
    }
}

fn check_leg(what: &str, leg: &RouteLegDto, bounds: &Bounds, (gap_m, gap_s): (f64, f64)) {
    let first = leg.maneuvers.first().unwrap();
    let last = leg.maneuvers.last().unwrap();
    assert_eq!(first.kind, "depart", "{what}");
    assert_eq!(last.kind, "arrive", "{what}");
    let sum: f64 = leg.maneuvers.iter().map(|m| m.distance_m).sum::<f64>() + gap_m;
    // Routers round each maneuver's length (Valhalla to 1 m in km units, OSRM to 0.1 m).
    let tolerance = 1.0 + leg.maneuvers.len() as f64 * 0.5 + leg.distance_m * 0.001;
    assert!(
        (sum - leg.distance_m).abs() <= tolerance,
        "{what}: maneuvers add up to {sum} m, the leg is {} m",
        leg.distance_m
    );
    let time: f64 = leg.maneuvers.iter().map(|m| m.duration_s).sum::<f64>() + gap_s;
    assert!(
        (time - leg.duration_s).abs() <= 1.0 + leg.duration_s * 0.001,
        "{what}: maneuvers take {time} s, the leg {} s",
        leg.duration_s
    );
    assert!(leg.distance_m > 0.0 && leg.duration_s > 0.0, "{what}");
    // The path along the roads: inside the same box, from the first maneuver to the last.
    assert!(leg.shape.len() >= 2, "{what}: the leg keeps its path");
    for p in &leg.shape {
        assert!(
            bounds.contains(*p),
            "{what}: path point {p:?} is outside {bounds:?}"
        );
    }
    let near = |a: LatLon, b: LatLon| (a.lat - b.lat).abs() < 1e-4 && (a.lon - b.lon).abs() < 1e-4;
    assert!(
        near(leg.shape[0], first.location),
        "{what}: the path starts at the departure"
    );
    assert!(
        near(*leg.shape.last().unwrap(), last.location),
        "{what}: the path ends at the arrival"
    );
    assert!(
        leg.shape.len() >= leg.maneuvers.len(),
        "{what}: the path has at least a point per maneuver"
    );
    for (i, m) in leg.maneuvers.iter().enumerate() {
        assert!(
            bounds.contains(m.location),
            "{what} maneuver {i} at {:?} is outside {bounds:?}",
            m.location
        );
        let words = std::iter::once(m.kind.as_str()).chain(m.modifier.as_deref());
        for w in words {
            assert!(
                !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{what} maneuver {i}: {w:?} is not snake_case"
            );
        }
    }
}

#[test]
fn valhalla_native_maneuvers_sit_on_their_shape_points() {
    let legs = legs_from_json(&fixture("valhalla_native/route.json")).unwrap();
    let m = &legs[0].maneuvers;
    // Start on Karl-Marx-Allee at the first shape point, turn right into Lebuser Straße.
    assert_eq!(
        m[0].location,
        LatLon {
            lat: 52.517974,
            lon: 13.433305
        }
    );
    assert_eq!(m[0].street.as_deref(), Some("Karl-Marx-Allee/B 1/B 5"));
    assert_eq!(
        (m[1].kind.as_str(), m[1].modifier.as_deref()),
        ("turn", Some("right"))
    );
    assert_eq!(m[1].street.as_deref(), Some("Lebuser Straße"));
    assert_eq!(
        m[1].instruction.as_deref(),
        Some("Turn right onto Lebuser Straße.")
    );
    assert!(
        (m[1].distance_m - 204.0).abs() < 1e-9,
        "{}",
        m[1].distance_m
    );
    assert!((legs[0].distance_m - 292.0).abs() < 1e-9);
    assert_eq!(m[2].kind, "arrive");
    assert_eq!(m[2].street, None);
}

#[test]
fn osrm_words_become_snake_case_and_roundabouts_keep_their_instruction() {
    let legs = legs_from_json(&fixture(
        "valhalla_osrm_compatible/valhalla_osrm_with_roundabouts.json",
    ))
    .unwrap();
    let kinds: Vec<(&str, Option<&str>)> = legs
        .iter()
        .flat_map(|l| &l.maneuvers)
        .map(|m| (m.kind.as_str(), m.modifier.as_deref()))
        .collect();
    assert!(
        kinds.contains(&("exit_roundabout", Some("slight_left"))),
        "{kinds:?}"
    );
    assert!(kinds.contains(&("turn", Some("slight_right"))), "{kinds:?}");
    let roundabout = legs[1]
        .maneuvers
        .iter()
        .find(|m| m.kind == "roundabout")
        .unwrap();
    assert_eq!(
        roundabout.instruction.as_deref(),
        Some("Enter the roundabout and take the 4th exit onto Gerald Road.")
    );
    assert_eq!(
        roundabout.exit,
        Some(4),
        "the exit number, for a localised text"
    );
    assert_eq!(
        roundabout.location,
        LatLon {
            lat: 53.496969,
            lon: -2.276938
        }
    );

    // Stock OSRM has no instruction text and names streets in the local script.
    let korea = legs_from_json(&fixture("osrm_native/portugal_to_korea.json")).unwrap();
    let m = &korea[0].maneuvers;
    assert_eq!(m[1].street.as_deref(), Some("인삼로"));
    assert_eq!(m[1].instruction, None);
    assert!(m.iter().any(|m| m.kind == "new_name"));
    assert!(m.iter().any(|m| m.kind == "off_ramp"));
}

#[test]
fn the_reference_polyline_decodes() {
    // The worked example of the encoded polyline format, precision 5.
    let points = decode_polyline("_p~iF~ps|U_ulLnnqC_mqNvxq`@", 5).unwrap();
    assert_eq!(
        points,
        vec![
            LatLon {
                lat: 38.5,
                lon: -120.2
            },
            LatLon {
                lat: 40.7,
                lon: -120.95
            },
            LatLon {
                lat: 43.252,
                lon: -126.453
            },
        ]
    );
    assert_eq!(decode_polyline("", 6).unwrap(), vec![]);
}

#[test]
fn broken_polylines_are_refused_with_the_reason() {
    let err = decode_polyline("_p~iF~ps|U_ulL", 5)
        .unwrap_err()
        .to_string();
    assert!(err.contains("without its longitude"), "{err}");
    let err = decode_polyline("_p~i", 5).unwrap_err().to_string();
    assert!(err.contains("middle of a number"), "{err}");
    let err = decode_polyline("_p~iF ps|U", 5).unwrap_err().to_string();
    assert!(err.contains("outside the encoding at byte 5"), "{err}");
}

fn refused(json: &str) -> String {
    let err = legs_from_json(json).unwrap_err();
    assert!(
        matches!(
            err,
            ImportError::Malformed {
                what: "route response",
                ..
            }
        ),
        "{err}"
    );
    err.to_string()
}

#[test]
fn malformed_and_unsupported_responses_name_what_is_missing() {
    assert!(refused("{\"routes\": [").contains("EOF"));
    assert!(refused("[1, 2]").contains("not a JSON object"));
    assert!(refused("{\"paths\": []}").contains("neither `routes` (OSRM format) nor `trip`"));
    assert!(
        refused(r#"{"code": "NoRoute", "message": "Impossible route between points"}"#)
            .contains("`code: NoRoute` instead of Ok: Impossible route")
    );
    assert!(
        refused(
            r#"{"error_code": 171, "error": "No suitable edges near location", "status_code": 400}"#
        )
        .contains("No suitable edges near location")
    );
    assert!(refused(r#"{"code": "Ok", "routes": []}"#).contains("`routes` is empty"));

    let real = fixture("valhalla_osrm_compatible/valhalla_osrm_response_via_ways.json");
    let mut v: Value = serde_json::from_str(&real).unwrap();
    v["routes"][0]["legs"][0]["steps"][1]["maneuver"]
        .as_object_mut()
        .unwrap()
        .remove("location");
    assert!(
        refused(&v.to_string())
            .contains("`routes[0].legs[0].steps[1].maneuver.location` is missing"),
        "{}",
        refused(&v.to_string())
    );
    v["routes"][0]["legs"][0]["steps"][1]["maneuver"]["location"] = serde_json::json!([200.0, 1.0]);
    assert!(refused(&v.to_string()).contains("not a [longitude, latitude] pair on Earth"));
    v["routes"][0]["legs"][0]["steps"][1]["maneuver"]["location"] = serde_json::json!([1.0, 2.0]);
    v["routes"][0]["legs"][0]["steps"][0]["distance"] = serde_json::json!("far");
    assert!(
        refused(&v.to_string()).contains("`routes[0].legs[0].steps[0].distance` is not a number")
    );

    let real = fixture("valhalla_native/route.json");
    let mut v: Value = serde_json::from_str(&real).unwrap();
    v["trip"]["legs"][0]["maneuvers"][2]["begin_shape_index"] = serde_json::json!(99);
    assert!(refused(&v.to_string()).contains(
        "`trip.legs[0].maneuvers[2].begin_shape_index` is 99, but the leg's shape has 27 points"
    ));
    v["trip"]["legs"][0]["shape"] = serde_json::json!("kdmdcBq|{rXY");
    assert!(refused(&v.to_string()).contains("`trip.legs[0].shape`: the polyline ends"));
    v["trip"]["units"] = serde_json::json!("furlongs");
    assert!(refused(&v.to_string()).contains("`trip.units` is \"furlongs\""));
}

#[test]
fn reading_a_missing_file_names_it() {
    let err = read_legs(Path::new("/nonexistent/route.json")).unwrap_err();
    assert!(matches!(err, ImportError::Io { .. }), "{err}");
    assert!(err.to_string().contains("/nonexistent/route.json"), "{err}");
}
