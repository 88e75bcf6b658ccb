//! The Amazon Last Mile Routing Research Challenge 2021 format (`route_data.json`,
//! `package_data.json`, optionally `actual_sequences.json`) read into tour snapshots.
//!
//! Amazon's data has no street addresses, recipients or parcel restrictions. So that the
//! screens and the delivery rules see realistic input, this module synthesizes a readable
//! address from the stop and zone ids and gives some parcels flags, some stops access notes
//! and a few parcels the role of a return — all derived from a stable hash of the ids, so
//! the same file always gives the same tour. Coordinates, time windows, dimensions and
//! service times are Amazon's.
//!
//! The data is CC BY-NC 4.0: tests read it from `../shared`, it is never copied into the repo.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use lastmile_protocol::tour::{
    AddressDto, DimensionsDto, LatLon, ParcelDto, ParcelFlagsDto, StationDto, StopDto, StopKindDto,
    TimeWindowDto, TourSnapshot,
};
use serde::Deserialize;

use crate::{ImportError, stable_hash};

#[derive(Deserialize)]
struct RawRoute {
    station_code: String,
    #[serde(rename = "date_YYYY_MM_DD")]
    date: String,
    departure_time_utc: Option<String>,
    stops: BTreeMap<String, RawStop>,
}

#[derive(Deserialize)]
struct RawStop {
    lat: f64,
    lng: f64,
    #[serde(rename = "type")]
    kind: String,
    zone_id: Option<String>,
}

#[derive(Deserialize)]
struct RawPackage {
    time_window: Option<RawWindow>,
    planned_service_time_seconds: Option<f64>,
    dimensions: Option<RawDimensions>,
}

#[derive(Deserialize)]
struct RawWindow {
    start_time_utc: Option<String>,
    end_time_utc: Option<String>,
}

#[derive(Deserialize)]
struct RawDimensions {
    depth_cm: Option<f64>,
    height_cm: Option<f64>,
    width_cm: Option<f64>,
}

type RawPackages = BTreeMap<String, BTreeMap<String, BTreeMap<String, RawPackage>>>;
type RawSequences = BTreeMap<String, RawActual>;

#[derive(Deserialize)]
struct RawActual {
    actual: BTreeMap<String, u32>,
}

/// All routes of a `route_data.json` / `package_data.json` pair, in route-id order. Stops are
/// ordered by planning zone, then stop id (the files carry no sequence).
pub fn tours_from_json(
    route_data: &str,
    package_data: &str,
) -> Result<Vec<TourSnapshot>, ImportError> {
    build(route_data, package_data, None)
}

/// Like [`tours_from_json`], with stops in the order the driver really drove them
/// (`actual_sequences.json`).
pub fn tours_from_json_with_sequences(
    route_data: &str,
    package_data: &str,
    actual_sequences: &str,
) -> Result<Vec<TourSnapshot>, ImportError> {
    build(route_data, package_data, Some(actual_sequences))
}

/// Reads every route of one LMRRC folder (e.g. `train_10/`): the files whose names end in
/// `route_data.json`, `package_data.json` and, if present, `actual_sequences.json`.
pub fn read_dir(dir: &Path) -> Result<Vec<TourSnapshot>, ImportError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ImportError::Io {
        path: dir.to_owned(),
        source,
    })?;
    let (mut routes, mut packages, mut sequences) = (None, None, None);
    for entry in entries {
        let path = entry
            .map_err(|source| ImportError::Io {
                path: dir.to_owned(),
                source,
            })?
            .path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if name.ends_with("route_data.json") {
            routes = Some(path);
        } else if name.ends_with("package_data.json") {
            packages = Some(path);
        } else if name.ends_with("actual_sequences.json") && !name.contains("invalid") {
            sequences = Some(path);
        }
    }
    let missing = |what: &str| ImportError::Io {
        path: dir.to_owned(),
        source: std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("no *{what} in this folder"),
        ),
    };
    let routes = crate::read(&routes.ok_or_else(|| missing("route_data.json"))?)?;
    let packages = crate::read(&packages.ok_or_else(|| missing("package_data.json"))?)?;
    match sequences {
        Some(path) => tours_from_json_with_sequences(&routes, &packages, &crate::read(&path)?),
        None => tours_from_json(&routes, &packages),
    }
}

/// A peak-day tour of exactly `stops` stops and `parcels` parcels, made by joining real
/// routes end to end (stop ids get a route prefix) and then spreading or trimming parcels.
/// Used by tests and benchmarks; returns `None` when `tours` has fewer stops than asked or
/// no parcels to copy from.
pub fn peak_day_tour(tours: &[TourSnapshot], stops: usize, parcels: usize) -> Option<TourSnapshot> {
    let first = tours.first()?;
    let mut joined: Vec<StopDto> = Vec::with_capacity(stops);
    'outer: for (index, tour) in tours.iter().enumerate() {
        for stop in &tour.stops {
            if joined.len() == stops {
                break 'outer;
            }
            let mut stop = stop.clone();
            stop.stop_id = format!("r{index}-{}", stop.stop_id);
            stop.sequence = joined.len() as u32 + 1;
            joined.push(stop);
        }
    }
    if joined.len() < stops {
        return None;
    }
    let mut count: usize = joined.iter().map(|s| s.parcels.len()).sum();
    // Trim from the stops with the most parcels, so every stop keeps at least one.
    while count > parcels {
        let fullest = joined.iter_mut().max_by_key(|s| s.parcels.len())?;
        if fullest.parcels.len() <= 1 {
            break;
        }
        fullest.parcels.pop();
        count -= 1;
    }
    // Add copies (with fresh tracking ids) round-robin over the stops that have parcels.
    let mut round = 0usize;
    while count < parcels {
        let index = round % joined.len();
        round += 1;
        let stop = &mut joined[index];
        let Some(template) = stop.parcels.first().cloned() else {
            if round > joined.len() * 2 && count == 0 {
                return None;
            }
            continue;
        };
        let mut copy = template;
        copy.tracking_id = format!("{}-{}", copy.tracking_id, round);
        stop.parcels.push(copy);
        count += 1;
    }
    Some(TourSnapshot {
        tour_id: format!("peak-{}", first.tour_id),
        station: first.station.clone(),
        driver_id: first.driver_id.clone(),
        date: first.date,
        departure: first.departure,
        stops: joined,
        cursor: 0,
        card_stacks: Vec::new(),
    })
}

fn build(
    route_data: &str,
    package_data: &str,
    sequences: Option<&str>,
) -> Result<Vec<TourSnapshot>, ImportError> {
    let routes: BTreeMap<String, RawRoute> = serde_json::from_str(&nan_to_null(route_data))
        .map_err(|e| ImportError::Malformed {
            what: "LMRRC route_data.json",
            detail: e.to_string(),
        })?;
    let mut packages: RawPackages =
        serde_json::from_str(&nan_to_null(package_data)).map_err(|e| ImportError::Malformed {
            what: "LMRRC package_data.json",
            detail: e.to_string(),
        })?;
    let sequences: RawSequences = match sequences {
        Some(s) => serde_json::from_str(&nan_to_null(s)).map_err(|e| ImportError::Malformed {
            what: "LMRRC actual_sequences.json",
            detail: e.to_string(),
        })?,
        None => BTreeMap::new(),
    };
    routes
        .into_iter()
        .map(|(route_id, route)| {
            let route_packages = packages.remove(&route_id).unwrap_or_default();
            let order = sequences.get(&route_id).map(|s| &s.actual);
            let tour = build_route(route_id, route, route_packages, order)?;
            // The same rules as our own tour JSON (coordinates on Earth, dates in range,
            // windows that end after they start): found by fuzzing, #16.
            crate::own::validate(&tour)?;
            Ok(tour)
        })
        .collect()
}

fn build_route(
    route_id: String,
    route: RawRoute,
    mut packages: BTreeMap<String, BTreeMap<String, RawPackage>>,
    order: Option<&BTreeMap<String, u32>>,
) -> Result<TourSnapshot, ImportError> {
    let bad = |detail: String| ImportError::Invalid {
        tour_id: route_id.clone(),
        detail,
    };
    let date = NaiveDate::parse_from_str(&route.date, "%Y-%m-%d")
        .map_err(|e| bad(format!("date {:?}: {e}", route.date)))?;
    let departure = match &route.departure_time_utc {
        Some(t) => {
            let time = NaiveTime::parse_from_str(t, "%H:%M:%S")
                .map_err(|e| bad(format!("departure time {t:?}: {e}")))?;
            Some(date.and_time(time).and_utc())
        }
        None => None,
    };
    let mut station = None;
    let mut drop_offs = Vec::new();
    for (stop_id, stop) in route.stops {
        if !(stop.lat.is_finite() && stop.lng.is_finite()) {
            return Err(bad(format!("stop {stop_id} has no coordinates")));
        }
        match stop.kind.as_str() {
            "Station" if station.is_some() => return Err(bad("the route has two stations".into())),
            "Station" => {
                // Amazon lists the station in package_data with no packages.
                if packages.remove(&stop_id).is_some_and(|p| !p.is_empty()) {
                    return Err(bad(format!(
                        "the station {stop_id} has packages to deliver"
                    )));
                }
                station = Some(LatLon {
                    lat: stop.lat,
                    lon: stop.lng,
                });
            }
            "Dropoff" => drop_offs.push((stop_id, stop)),
            other => return Err(bad(format!("stop {stop_id} has unknown type {other:?}"))),
        }
    }
    let station_position = station.ok_or_else(|| bad("the route has no station stop".into()))?;
    if let Some(unknown) = packages
        .keys()
        .find(|id| !drop_offs.iter().any(|(s, _)| s == *id))
    {
        return Err(bad(format!(
            "packages for stop {unknown}, which the route does not have"
        )));
    }
    match order {
        Some(rank) => {
            drop_offs.sort_by_key(|(id, _)| (rank.get(id).copied().unwrap_or(u32::MAX), id.clone()))
        }
        None => drop_offs.sort_by(|(a, sa), (b, sb)| (&sa.zone_id, a).cmp(&(&sb.zone_id, b))),
    }
    let city = city_of(&route.station_code);
    let mut stops = Vec::with_capacity(drop_offs.len());
    // A few real routes list one package at two stops. A parcel can only be in one place and
    // our scan check needs tracking ids unique per tour, so the first stop in tour order keeps it.
    let mut seen = std::collections::HashSet::new();
    for (index, (stop_id, stop)) in drop_offs.into_iter().enumerate() {
        let key = format!("{route_id}/{stop_id}");
        let h = stable_hash(&key);
        let zone = stop.zone_id.clone().unwrap_or_else(|| "Z-0".into());
        let mut parcels = Vec::new();
        let mut service = 0.0;
        for (package_id, package) in packages.remove(&stop_id).unwrap_or_default() {
            if !seen.insert(package_id.clone()) {
                continue;
            }
            service += package.planned_service_time_seconds.unwrap_or(0.0).max(0.0);
            parcels.push(parcel(&route_id, &package_id, package)?);
        }
        let kind = if !parcels.is_empty() && parcels.iter().all(|p| p.is_return) {
            StopKindDto::Pickup
        } else if h % 40 == 7 {
            StopKindDto::ParcelShop
        } else {
            StopKindDto::Delivery
        };
        let window = stop_window(&parcels);
        stops.push(StopDto {
            stop_id,
            sequence: index as u32 + 1,
            kind,
            address: address(h, &zone, city, kind),
            position: LatLon {
                lat: stop.lat,
                lon: stop.lng,
            },
            access_notes: access_note(h),
            time_window: window,
            service_seconds: service.round() as u32,
            parcels,
            route: None,
            checklist: Vec::new(),
        });
    }
    Ok(TourSnapshot {
        tour_id: route_id,
        station: StationDto {
            station_id: route.station_code.clone(),
            name: format!("{} ({city})", route.station_code),
            position: station_position,
        },
        driver_id: "unassigned".into(),
        date,
        departure,
        stops,
        cursor: 0,
        card_stacks: Vec::new(),
    })
}

fn parcel(route_id: &str, package_id: &str, raw: RawPackage) -> Result<ParcelDto, ImportError> {
    let tracking_id = package_id
        .strip_prefix("PackageID_")
        .unwrap_or(package_id)
        .to_owned();
    let time_window = match raw.time_window {
        Some(RawWindow {
            start_time_utc: Some(start),
            end_time_utc: Some(end),
        }) => {
            let parse = |s: &str| {
                parse_utc(s).ok_or_else(|| ImportError::Invalid {
                    tour_id: route_id.to_owned(),
                    detail: format!("package {package_id} has an unreadable time {s:?}"),
                })
            };
            Some(TimeWindowDto {
                start: parse(&start)?,
                end: parse(&end)?,
            })
        }
        _ => None,
    };
    let dimensions = raw
        .dimensions
        .and_then(|d| match (d.depth_cm, d.height_cm, d.width_cm) {
            (Some(depth), Some(height), Some(width)) => Some(DimensionsDto {
                depth_cm: depth as f32,
                height_cm: height as f32,
                width_cm: width as f32,
            }),
            _ => None,
        });
    // Deterministic restrictions at roughly real-world rates, so every rule has cases.
    let h = stable_hash(&tracking_id) % 100;
    let flags = ParcelFlagsDto {
        signature_required: h < 8,
        no_neighbour: (8..14).contains(&h),
        id_check: (14..16).contains(&h),
    };
    Ok(ParcelDto {
        tracking_id,
        time_window,
        dimensions,
        flags,
        is_return: (96..100).contains(&h),
    })
}

/// The window in which every timed parcel of the stop can be handed over, or the earliest
/// ending one when they do not overlap.
fn stop_window(parcels: &[ParcelDto]) -> Option<TimeWindowDto> {
    let windows: Vec<TimeWindowDto> = parcels.iter().filter_map(|p| p.time_window).collect();
    let start = windows.iter().map(|w| w.start).max()?;
    let end = windows.iter().map(|w| w.end).min()?;
    if start <= end {
        Some(TimeWindowDto { start, end })
    } else {
        windows.into_iter().min_by_key(|w| w.end)
    }
}

fn parse_utc(s: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|t| t.and_utc())
}

fn city_of(station_code: &str) -> &'static str {
    match station_code.get(..3) {
        Some("DLA") => "Los Angeles",
        Some("DSE") => "Seattle",
        Some("DCH") => "Chicago",
        Some("DBO") => "Boston",
        Some("DAU") => "Austin",
        _ => "Unknown city",
    }
}

const STREETS: &[&str] = &[
    "Maple",
    "Oak",
    "Cedar",
    "Pine",
    "Elm",
    "Willow",
    "Lake",
    "Hill",
    "Park",
    "Washington",
    "Lincoln",
    "Jefferson",
    "Madison",
    "Franklin",
    "Sunset",
    "River",
    "Spring",
    "Church",
    "Mill",
    "Highland",
];
const SUFFIXES: &[&str] = &[
    "Street",
    "Avenue",
    "Road",
    "Lane",
    "Drive",
    "Court",
    "Place",
    "Boulevard",
];
const NOTES: &[&str] = &[
    "Gate code 4711",
    "Dog in the yard, ring twice",
    "Use the back door",
    "Leave with the concierge desk if closed",
    "Buzzer broken, call recipient",
];

/// A readable, stable address: the street comes from the planning zone (stops in one zone
/// share a few streets, as in a real neighbourhood), the house number from the stop.
fn address(h: u64, zone: &str, city: &str, kind: StopKindDto) -> AddressDto {
    let zh = stable_hash(zone);
    let street = format!(
        "{} {}",
        STREETS[((zh + (h % 3)) % STREETS.len() as u64) as usize],
        SUFFIXES[((zh >> 8) % SUFFIXES.len() as u64) as usize]
    );
    let name = (kind == StopKindDto::ParcelShop).then(|| format!("Parcel shop {zone}"));
    AddressDto {
        street,
        house_number: ((h >> 16) % 998 + 1).to_string(),
        postcode: format!("{:05}", 10_000 + (zh % 89_999)),
        city: city.to_owned(),
        name,
    }
}

fn access_note(h: u64) -> Option<String> {
    let pick = (h >> 24) % 100;
    (pick < 10).then(|| NOTES[(pick % NOTES.len() as u64) as usize].to_owned())
}

/// Amazon's files contain bare `NaN` tokens, which strict JSON (and serde_json) refuses.
/// Replaces those outside strings with `null`; strings are copied untouched.
fn nan_to_null(json: &str) -> std::borrow::Cow<'_, str> {
    if !json.contains("NaN") {
        return json.into();
    }
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = json;
    while let Some(c) = rest.chars().next() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else if rest.starts_with("NaN") {
            out.push_str("null");
            rest = &rest[3..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out.into()
}

/// Index of stop id -> position for callers that need to look stops up quickly.
pub fn stop_index(tour: &TourSnapshot) -> HashMap<&str, usize> {
    tour.stops
        .iter()
        .enumerate()
        .map(|(i, s)| (s.stop_id.as_str(), i))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn sample(folder: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data/amazon_lmrrc2021_sample")
            .join(folder)
    }

    #[test]
    fn every_sample_folder_imports_with_real_sizes() {
        for folder in ["train_10", "eval_10", "apply_13_no_travel_times"] {
            let tours = read_dir(&sample(folder)).unwrap();
            assert!(tours.len() >= 10, "{folder}: {} tours", tours.len());
            for tour in &tours {
                let parcels: usize = tour.stops.iter().map(|s| s.parcels.len()).sum();
                assert!(
                    (50..=200).contains(&tour.stops.len()),
                    "{folder} {}: {} stops",
                    tour.tour_id,
                    tour.stops.len()
                );
                assert!(
                    (150..=300).contains(&parcels),
                    "{folder} {}: {parcels} parcels",
                    tour.tour_id
                );
                crate::own::validate(tour).unwrap();
            }
        }
    }

    #[test]
    fn first_training_route_reads_as_amazon_recorded_it() {
        let tours = read_dir(&sample("train_10")).unwrap();
        let tour = &tours[0];
        assert_eq!(tour.tour_id, "RouteID_00143bdd-0a6b-49ec-bb35-36593d303e77");
        assert_eq!(tour.station.station_id, "DLA3");
        assert_eq!(
            tour.departure.unwrap().to_rfc3339(),
            "2018-07-27T16:02:10+00:00"
        );
        let stop = tour.stops.iter().find(|s| s.stop_id == "AD").unwrap();
        assert_eq!(
            (stop.position.lat, stop.position.lon),
            (34.099611, -118.283062)
        );
        let parcel = stop
            .parcels
            .iter()
            .find(|p| p.tracking_id == "5541e679-b7bd-4992-b288-e862f6c84ae7")
            .unwrap();
        let window = parcel.time_window.unwrap();
        assert_eq!(window.start.to_rfc3339(), "2018-07-27T16:00:00+00:00");
        assert_eq!(window.end.to_rfc3339(), "2018-07-28T00:00:00+00:00");
        assert_eq!(parcel.dimensions.unwrap().height_cm, 12.7);
        assert_eq!(stop.service_seconds, 178, "three parcels of 59.3 s");
        // stops follow the order the driver drove (actual_sequences.json)
        assert!(tour.stops.windows(2).all(|w| w[0].sequence < w[1].sequence));
    }

    #[test]
    fn synthesized_fields_are_stable_and_exercise_every_rule() {
        let a = read_dir(&sample("apply_13_no_travel_times")).unwrap();
        let b = read_dir(&sample("apply_13_no_travel_times")).unwrap();
        assert_eq!(a, b);
        let parcels: Vec<&ParcelDto> = a
            .iter()
            .flat_map(|t| &t.stops)
            .flat_map(|s| &s.parcels)
            .collect();
        let share = |f: &dyn Fn(&ParcelDto) -> bool| {
            parcels.iter().filter(|p| f(p)).count() * 100 / parcels.len()
        };
        assert!((4..=12).contains(&share(&|p| p.flags.signature_required)));
        assert!((3..=9).contains(&share(&|p| p.flags.no_neighbour)));
        assert!((1..=4).contains(&share(&|p| p.flags.id_check)));
        assert!((2..=6).contains(&share(&|p| p.is_return)));
        let stops: Vec<&StopDto> = a.iter().flat_map(|t| &t.stops).collect();
        assert!(stops.iter().any(|s| s.kind == StopKindDto::ParcelShop));
        assert!(stops.iter().any(|s| s.access_notes.is_some()));
        let first = &a[0].stops[0].address;
        assert!(
            !first.street.is_empty() && !first.house_number.is_empty(),
            "{first:?}"
        );
    }

    #[test]
    fn a_peak_day_has_exactly_the_asked_size() {
        let tours = read_dir(&sample("train_10")).unwrap();
        let peak = peak_day_tour(&tours, 250, 450).unwrap();
        assert_eq!(peak.stops.len(), 250);
        assert_eq!(
            peak.stops.iter().map(|s| s.parcels.len()).sum::<usize>(),
            450
        );
        crate::own::validate(&peak).unwrap();
    }

    #[test]
    fn nan_is_replaced_only_outside_strings() {
        expect_test::expect![[r#"{"a": null, "b": "NaN", "c": [null, "x\"NaN"]}"#]].assert_eq(
            &nan_to_null(r#"{"a": NaN, "b": "NaN", "c": [NaN, "x\"NaN"]}"#),
        );
    }

    #[test]
    fn malformed_files_give_clear_errors() {
        let routes = r#"{"R1": {"station_code": "DLA1", "date_YYYY_MM_DD": "2018-07-27", "departure_time_utc": "08:00:00",
            "stops": {"AA": {"lat": 34.0, "lng": -118.0, "type": "Station", "zone_id": NaN},
                      "AB": {"lat": 34.1, "lng": -118.1, "type": "Dropoff", "zone_id": "A-1.1A"}}}}"#;
        let packages = r#"{"R1": {"AB": {"PackageID_x": {"time_window": {"start_time_utc": NaN, "end_time_utc": NaN},
            "planned_service_time_seconds": 30, "dimensions": {"depth_cm": 1, "height_cm": 2, "width_cm": 3}}}}}"#;
        let tours = tours_from_json(routes, packages).unwrap();
        assert_eq!(tours[0].stops.len(), 1);
        // the same package listed at a second stop stays with the first one only
        let twice = routes.replace(
            r#""AB": {"lat""#,
            r#""AC": {"lat": 34.2, "lng": -118.2, "type": "Dropoff", "zone_id": "A-1.1B"}, "AB": {"lat""#,
        );
        let at_both = packages.replace(
            r#"{"R1": {"AB": {"#,
            r#"{"R1": {"AC": {"PackageID_x": {}}, "AB": {"#,
        );
        let tours = tours_from_json(&twice, &at_both).unwrap();
        let holders: Vec<&str> = tours[0]
            .stops
            .iter()
            .filter(|s| !s.parcels.is_empty())
            .map(|s| s.stop_id.as_str())
            .collect();
        assert_eq!(holders, ["AB"]);

        let check = |routes: &str, packages: &str, needle: &str| {
            let err = tours_from_json(routes, packages).unwrap_err().to_string();
            assert!(err.contains(needle), "expected {needle:?} in {err:?}");
        };
        check("[1, 2", packages, "route_data.json");
        check(routes, "{\"R1\": 5}", "package_data.json");
        check(
            &routes.replace("\"Dropoff\"", "\"Helipad\""),
            packages,
            "unknown type \"Helipad\"",
        );
        check(
            &routes.replace("\"Station\"", "\"Dropoff\""),
            packages,
            "no station",
        );
        check(routes, &packages.replace("\"AB\"", "\"ZZ\""), "stop ZZ");
        check(
            &routes.replace("2018-07-27", "27.07.2018"),
            packages,
            "date",
        );
    }
}
