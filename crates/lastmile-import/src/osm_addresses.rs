//! A demo tour built from real German addresses: the OpenStreetMap address extract north of
//! Bayreuth (`addresses.csv` beside `north-bayreuth.osm.gz` in the shared data; © OpenStreetMap
//! contributors, ODbL 1.0).
//!
//! [`addresses_from_csv`] reads the extract; [`demo_tour`] picks stops from it with a seeded
//! generator of our own (so the tour is the same on every machine and in every release),
//! orders them by a nearest-neighbour walk from the station and gives each stop what a real
//! day has: 1–3 parcels with tracking numbers that pass their carriers' check digits, some
//! time windows, signatures, ID checks, no-neighbour flags, returns to pick up, a parcel shop
//! and access notes in German. Positions and addresses are OSM's; everything else is made up
//! and says so in `assets/demo/ATTRIBUTION.md`. No route legs: there is no real router answer
//! for these streets, and a made-up one would mislead a driver.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use lastmile_protocol::service::ServiceItemDto;
use lastmile_protocol::tour::{
    AddressDto, DimensionsDto, LatLon, ParcelDto, ParcelFlagsDto, StationDto, StopDto, StopKindDto,
    TimeWindowDto, TourSnapshot,
};

use crate::ImportError;

mod ids;

use ids::{TrackingKind, tracking_number};

/// One address object of the extract (a node, or a building by the centroid of its outline).
#[derive(Debug, Clone, PartialEq)]
pub struct OsmAddress {
    /// `n<id>` for a node, `a<id>` for an area.
    pub osm_id: String,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    /// Business or building name, when OSM has one.
    pub name: Option<String>,
    pub position: LatLon,
}

impl OsmAddress {
    /// Whether a driver could find it from the label alone: street, number, postcode, city.
    pub fn is_complete(&self) -> bool {
        [&self.street, &self.house_number, &self.postcode, &self.city]
            .iter()
            .all(|s| !s.trim().is_empty())
    }
}

const COLUMNS: [&str; 9] = [
    "osm_id",
    "street",
    "housenumber",
    "postcode",
    "city",
    "country",
    "name",
    "lat",
    "lon",
];

/// Reads `addresses.csv` (header `osm_id,street,housenumber,postcode,city,country,name,lat,lon`,
/// RFC 4180 quoting). Rows with a bad position are refused with their line number.
pub fn addresses_from_csv(csv: &str) -> Result<Vec<OsmAddress>, ImportError> {
    let bad = |detail: String| ImportError::Malformed {
        what: "OSM address CSV",
        detail,
    };
    let mut lines = csv
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines
        .next()
        .ok_or_else(|| bad("the file is empty".into()))?;
    let header = split_csv_line(header).map_err(|e| bad(format!("line 1: {e}")))?;
    let index = |name: &str| {
        header
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| bad(format!("the header has no `{name}` column")))
    };
    let idx: Vec<usize> = COLUMNS.iter().map(|c| index(c)).collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for (n, line) in lines {
        let line_no = n + 1;
        let fields = split_csv_line(line).map_err(|e| bad(format!("line {line_no}: {e}")))?;
        let get = |i: usize| fields.get(idx[i]).map_or("", |s| s.trim());
        if fields.len() != header.len() {
            return Err(bad(format!(
                "line {line_no} has {} fields, the header {}",
                fields.len(),
                header.len()
            )));
        }
        let coord = |i: usize, range: std::ops::RangeInclusive<f64>| {
            get(i)
                .parse::<f64>()
                .ok()
                .filter(|v| range.contains(v))
                .ok_or_else(|| {
                    bad(format!(
                        "line {line_no}: `{}` is not a valid {}",
                        get(i),
                        COLUMNS[i]
                    ))
                })
        };
        out.push(OsmAddress {
            osm_id: get(0).to_owned(),
            street: get(1).to_owned(),
            house_number: get(2).to_owned(),
            postcode: get(3).to_owned(),
            city: get(4).to_owned(),
            name: Some(get(6).to_owned()).filter(|s| !s.is_empty()),
            position: LatLon {
                lat: coord(7, -90.0..=90.0)?,
                lon: coord(8, -180.0..=180.0)?,
            },
        });
    }
    Ok(out)
}

/// Reads an address CSV file (see [`addresses_from_csv`]).
pub fn read_addresses(path: &std::path::Path) -> Result<Vec<OsmAddress>, ImportError> {
    addresses_from_csv(&crate::read(path)?)
}

/// One CSV record on one line: commas separate, double quotes quote, `""` is a quote.
fn split_csv_line(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed".into());
    }
    fields.push(field);
    Ok(fields)
}

/// What the demo tour is: who drives it, from where, when, and how many stops.
#[derive(Debug, Clone)]
pub struct DemoTourSpec {
    pub tour_id: String,
    pub driver_id: String,
    pub station: StationDto,
    pub date: NaiveDate,
    /// Departure from the station, local time.
    pub departure: NaiveTime,
    /// The local time zone's offset from UTC on `date`, in hours (Bavaria: +2 in summer).
    pub utc_offset_hours: i32,
    pub stops: usize,
    pub seed: u64,
}

/// The demo driver's id: the seed `cargo xtask demo` loads and the app signs in with.
pub const DEMO_DRIVER_ID: &str = "demo-driver";
/// The demo station's id.
pub const DEMO_STATION_ID: &str = "BT-NORD";

impl Default for DemoTourSpec {
    /// The committed demo: 40 stops from a depot on the northern edge of Bayreuth, on a
    /// summer Tuesday (CEST), leaving at 08:00.
    fn default() -> Self {
        Self {
            tour_id: "demo-north-bayreuth".into(),
            driver_id: DEMO_DRIVER_ID.into(),
            station: StationDto {
                station_id: DEMO_STATION_ID.into(),
                name: "Zustellbasis Bayreuth-Nord (Demo)".into(),
                position: LatLon {
                    lat: 49.9655,
                    lon: 11.5905,
                },
            },
            date: NaiveDate::from_ymd_opt(2025, 9, 16).unwrap_or_default(),
            departure: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
            utc_offset_hours: 2,
            stops: 40,
            seed: 20_250_916,
        }
    }
}

/// German access notes a dispatcher or recipient might leave.
/// The demo's service visit: installing a washing machine delivered with it.
const INSTALLATION_CHECKLIST: &[(&str, &str)] = &[
    ("setup", "Gerät aufstellen und ausrichten"),
    ("connect", "Wasser- und Stromanschluss herstellen"),
    ("test_run", "Probelauf durchführen"),
    ("handover", "Kunden einweisen, Verpackung mitnehmen"),
];

const ACCESS_NOTES: &[&str] = &[
    "Hintereingang benutzen, vorne ist die Klingel defekt.",
    "Hund im Garten – bitte klingeln und am Tor warten.",
    "Tor-Code 4711, Pakete in die Garage links.",
    "Anlieferung über den Hof, Büro im 1. OG.",
    "Bitte nicht vor 9 Uhr klingeln (Schichtarbeit).",
    "Paketbox neben der Haustür, Code steht auf dem Etikett.",
    "Zufahrt über den Feldweg hinter der Scheune.",
];

/// Builds the demo tour from `addresses` (the complete ones) as `spec` says.
pub fn demo_tour(
    addresses: &[OsmAddress],
    spec: &DemoTourSpec,
) -> Result<TourSnapshot, ImportError> {
    let invalid = |detail: String| ImportError::Invalid {
        tour_id: spec.tour_id.clone(),
        detail,
    };
    let mut rng = SplitMix64(spec.seed);
    let mut candidates: Vec<&OsmAddress> = addresses.iter().filter(|a| a.is_complete()).collect();
    // Fisher–Yates with our own generator, then the first distinct addresses.
    for i in (1..candidates.len()).rev() {
        candidates.swap(i, rng.below(i as u64 + 1) as usize);
    }
    // The parcel shop is a named place (a business in OSM); the rest are the first distinct
    // addresses of the shuffle.
    let shop_address = candidates
        .iter()
        .copied()
        .find(|a| a.name.is_some())
        .ok_or_else(|| invalid("no named address for the parcel shop".into()))?;
    let mut seen = std::collections::HashSet::new();
    let mut picked: Vec<&OsmAddress> = std::iter::once(shop_address)
        .chain(candidates)
        .filter(|a| seen.insert((a.street.as_str(), a.house_number.as_str(), a.city.as_str())))
        .take(spec.stops)
        .collect();
    if picked.len() < spec.stops {
        return Err(invalid(format!(
            "{} stops wanted, but only {} distinct complete addresses are available",
            spec.stops,
            picked.len()
        )));
    }
    picked = nearest_neighbour_order(spec.station.position, picked);

    // Which stops get what, decided up front so the numbers are exact.
    let n = picked.len();
    let shop = picked
        .iter()
        .position(|a| std::ptr::eq(*a, shop_address))
        .unwrap_or_default();
    let mut others: Vec<usize> = (0..n).filter(|&i| i != shop).collect();
    let mut take = |k: usize, rng: &mut SplitMix64| -> Vec<usize> {
        (0..k.min(others.len()))
            .map(|_| others.swap_remove(rng.below(others.len() as u64) as usize))
            .collect()
    };
    let pickups = take(3.min(n / 10 + 1), &mut rng);
    let id_checks = take(2, &mut rng);
    let windows = take(n / 6, &mut rng);
    let notes = take(ACCESS_NOTES.len().min(n / 5), &mut rng);
    // One service visit (an installation), at the last address nothing else was picked for;
    // chosen without the generator so every other stop stays as it was.
    let service = others.iter().copied().max();

    let offset = Duration::hours(i64::from(spec.utc_offset_hours));
    let local =
        |t: NaiveTime| -> DateTime<Utc> { Utc.from_utc_datetime(&spec.date.and_time(t)) - offset };
    let departure = local(spec.departure);
    let mut clock = departure;
    let mut previous = spec.station.position;
    let mut stops = Vec::with_capacity(n);
    let mut serial = 0u64;
    for (i, address) in picked.iter().enumerate() {
        // A rough plan: 1.3 × straight-line distance at 35 km/h, plus the service time.
        let km = haversine_km(previous, address.position);
        clock += Duration::seconds((km * 1.3 / 35.0 * 3600.0).round() as i64);
        previous = address.position;
        let kind = if i == shop {
            StopKindDto::ParcelShop
        } else if service == Some(i) {
            StopKindDto::Service
        } else if pickups.contains(&i) {
            StopKindDto::Pickup
        } else {
            StopKindDto::Delivery
        };
        let parcel_count = match kind {
            StopKindDto::ParcelShop => 3,
            StopKindDto::Pickup => 1,
            _ => match rng.below(10) {
                0..=5 => 1,
                6..=8 => 2,
                _ => 3,
            },
        };
        let time_window = windows.contains(&i).then(|| {
            // Two or three hours around the planned arrival, starting on the hour.
            let start = clock - Duration::minutes(30);
            let start = start
                - Duration::minutes(i64::from(chrono::Timelike::minute(&start)))
                - Duration::seconds(i64::from(chrono::Timelike::second(&start)));
            TimeWindowDto {
                start,
                end: start + Duration::hours(2 + rng.below(2) as i64),
            }
        });
        let mut parcels = Vec::with_capacity(parcel_count);
        for p in 0..parcel_count {
            serial += 1;
            let carrier = TrackingKind::ALL[rng.below(TrackingKind::ALL.len() as u64) as usize];
            let id_check = p == 0 && id_checks.contains(&i);
            let roll = rng.below(100);
            parcels.push(ParcelDto {
                tracking_id: tracking_number(carrier, serial, &address.postcode, &mut || {
                    rng.next()
                }),
                time_window: None,
                dimensions: Some(DimensionsDto {
                    depth_cm: (15 + rng.below(46)) as f32,
                    height_cm: (5 + rng.below(36)) as f32,
                    width_cm: (10 + rng.below(31)) as f32,
                }),
                flags: ParcelFlagsDto {
                    no_neighbour: kind == StopKindDto::Delivery && (id_check || roll < 12),
                    signature_required: kind != StopKindDto::Pickup
                        && (id_check || (12..30).contains(&roll)),
                    id_check,
                },
                is_return: kind == StopKindDto::Pickup,
            });
        }
        let service_seconds = match kind {
            StopKindDto::ParcelShop => 240,
            StopKindDto::Pickup => 120,
            StopKindDto::Service => 45 * 60,
            _ => 60 + 30 * (parcel_count as u32 - 1),
        };
        clock += Duration::seconds(i64::from(service_seconds));
        let access_notes = if i == shop {
            Some("Paketshop: Abgabe an der Kasse, Sendungen einzeln scannen lassen.".to_owned())
        } else {
            notes
                .iter()
                .position(|&s| s == i)
                .map(|k| ACCESS_NOTES[k].to_owned())
        };
        stops.push(StopDto {
            stop_id: format!("{}-{:03}", spec.station.station_id, i + 1),
            sequence: i as u32 + 1,
            kind,
            address: AddressDto {
                street: address.street.clone(),
                house_number: address.house_number.clone(),
                postcode: address.postcode.clone(),
                city: address.city.clone(),
                name: address.name.clone(),
            },
            position: address.position,
            access_notes,
            time_window,
            service_seconds,
            parcels,
            route: None,
            checklist: if kind == StopKindDto::Service {
                INSTALLATION_CHECKLIST
                    .iter()
                    .map(|(id, label)| ServiceItemDto {
                        item_id: (*id).to_owned(),
                        label: (*label).to_owned(),
                    })
                    .collect()
            } else {
                Vec::new()
            },
        });
    }
    let tour = TourSnapshot {
        tour_id: spec.tour_id.clone(),
        station: spec.station.clone(),
        driver_id: spec.driver_id.clone(),
        date: spec.date,
        departure: Some(departure),
        stops,
        cursor: 0,
        card_stacks: Vec::new(),
    };
    crate::own::validate(&tour)?;
    Ok(tour)
}

/// The committed demo tour's file content (`assets/demo/north-bayreuth-tour.json`), built
/// from the text of `addresses.csv`.
pub fn demo_tour_file(addresses_csv: &str) -> Result<String, ImportError> {
    let tour = demo_tour(
        &addresses_from_csv(addresses_csv)?,
        &DemoTourSpec::default(),
    )?;
    Ok(crate::own::tour_to_json(&tour) + "\n")
}

/// The same tour on another day: every time moves by whole days, so times of day stay (in
/// UTC), and the tour id names the day, so each day's seed adds a new tour.
pub fn moved_to(tour: &TourSnapshot, date: NaiveDate) -> Result<TourSnapshot, ImportError> {
    let mut t = tour.clone();
    t.tour_id = format!("{}-{date}", tour.tour_id);
    crate::own::redate(&mut t, date)?;
    Ok(t)
}

/// Greedy tour: from `start`, always the closest address not visited yet (ties: input order).
fn nearest_neighbour_order(start: LatLon, mut left: Vec<&OsmAddress>) -> Vec<&OsmAddress> {
    let mut order = Vec::with_capacity(left.len());
    let mut here = start;
    while !left.is_empty() {
        let (best, _) = left
            .iter()
            .enumerate()
            .fold((0, f64::INFINITY), |acc, (i, a)| {
                let d = haversine_km(here, a.position);
                if d < acc.1 { (i, d) } else { acc }
            });
        let next = left.remove(best);
        here = next.position;
        order.push(next);
    }
    order
}

/// Great-circle distance in kilometres.
pub fn haversine_km(a: LatLon, b: LatLon) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0088;
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = la2 - la1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().asin()
}

/// SplitMix64: a tiny generator whose output is fixed by its published constants, so the demo
/// tour is the same everywhere (the `rand` crate does not promise stable streams across versions).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform enough in `0..n` for a demo (n is small; the modulo bias is negligible).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

#[cfg(test)]
mod tests;
