//! Fuzz targets for every parser of untrusted input, each asserting the parser's invariants
//! (not only "no panic"): what a parser accepts must serialise and read back to the same value,
//! and what it returns must meet the rules its callers rely on.
//!
//! The same functions run in two ways: under AFL++ (`cargo xtask fuzz`, the binary built by
//! `cargo afl build` with `--cfg fuzzing`) and in plain `cargo test`, which replays the seed
//! corpora (`corpus/<target>/`) and every minimised crash (`crashes/<target>/`).

use lastmile_import::{lmrrc, own, route};
use lastmile_protocol::admin::Seed;
use lastmile_protocol::sync::{EventBatch, content_range, parse_content_range};
use lastmile_protocol::tour::{LatLon, RouteLegDto};
use lastmile_scan::{barcode, tracking};

/// One fuzz target: a name (the folder of its corpus and crashes) and the function AFL++
/// feeds. The function panics when an invariant does not hold.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub name: &'static str,
    pub run: fn(&[u8]),
}

/// Every target, in the order `cargo xtask fuzz` runs them.
pub const TARGETS: &[Target] = &[
    Target {
        name: "tour_json",
        run: tour_json,
    },
    Target {
        name: "lmrrc",
        run: lmrrc,
    },
    Target {
        name: "route",
        run: route_legs,
    },
    Target {
        name: "polyline",
        run: polyline,
    },
    Target {
        name: "barcode",
        run: barcode_image,
    },
    Target {
        name: "tracking",
        run: tracking_number,
    },
    Target {
        name: "events",
        run: event_batch,
    },
    Target {
        name: "content_range",
        run: content_range_header,
    },
    Target {
        name: "seed",
        run: seed_file,
    },
];

/// The target called `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// Our own tour JSON (`POST /v1/tours`, `lastmile_import::own`): a tour that is accepted
/// passes the import rules, and writing it out and reading it back gives the same tour.
pub fn tour_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(tour) = own::tour_from_json(text) else {
        return;
    };
    let again = own::tour_from_json(&own::tour_to_json(&tour))
        .unwrap_or_else(|e| panic!("an accepted tour does not read back: {e}"));
    assert_eq!(again, tour, "the tour changed on its way through JSON");
}

/// The LMRRC import (`POST /v1/tours/lmrrc`): the input is `route_data`, NUL,
/// `package_data`, and optionally NUL, `actual_sequences`. Every tour it makes passes the
/// import rules a device relies on and round-trips through our own tour JSON.
pub fn lmrrc(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(3, '\0');
    let routes = parts.next().unwrap_or_default();
    let packages = parts.next().unwrap_or_default();
    let tours = match parts.next() {
        Some(sequences) => lmrrc::tours_from_json_with_sequences(routes, packages, sequences),
        None => lmrrc::tours_from_json(routes, packages),
    };
    for tour in tours.into_iter().flatten() {
        if let Err(e) = own::validate(&tour) {
            panic!("an LMRRC tour breaks the import rules: {e}");
        }
        let again = own::tour_from_json(&own::tour_to_json(&tour))
            .unwrap_or_else(|e| panic!("an LMRRC tour does not read back: {e}"));
        assert_eq!(
            again, tour,
            "the LMRRC tour changed on its way through JSON"
        );
    }
}

fn finite(p: &LatLon) -> bool {
    p.lat.is_finite() && p.lon.is_finite()
}

fn on_earth(p: &LatLon) -> bool {
    (-90.0..=90.0).contains(&p.lat) && (-180.0..=180.0).contains(&p.lon)
}

/// OSRM and Valhalla responses (`PUT /v1/tours/{id}/route`): every leg guides (at least one
/// maneuver), every maneuver is on Earth, every number is finite, and the legs round-trip through their wire JSON.
pub fn route_legs(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(legs) = route::legs_from_json(text) else {
        return;
    };
    for leg in &legs {
        assert!(!leg.maneuvers.is_empty(), "a leg without maneuvers");
        assert!(leg.distance_m.is_finite() && leg.duration_s.is_finite());
        for m in &leg.maneuvers {
            assert!(on_earth(&m.location), "a maneuver at {:?}", m.location);
            assert!(!m.kind.is_empty(), "a maneuver without a kind");
            assert_ne!(m.modifier.as_deref(), Some(""), "an empty modifier");
        }
    }
    let json = serde_json::to_string(&legs).expect("legs serialise");
    let again: Vec<RouteLegDto> = serde_json::from_str(&json).expect("legs read back");
    assert_eq!(again, legs, "the legs changed on their way through JSON");
}

/// Encoded polylines (Valhalla's shapes): the first byte picks the precision (5 or 6), the
/// rest is the polyline. Every decoded point is finite.
pub fn polyline(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let precision = 5 + u32::from(first & 1);
    if let Ok(points) = route::decode_polyline(text, precision) {
        assert!(
            points.len() * 2 <= text.len(),
            "more points than characters"
        );
        assert!(points.iter().all(finite), "a point that is not finite");
    }
}

/// Barcode images (the scanner, `lastmile_scan::barcode`): a success names at least one
/// symbol, and no symbol twice.
pub fn barcode_image(data: &[u8]) {
    if let Ok(found) = barcode::decode_image(data) {
        assert!(!found.is_empty(), "Ok without a symbol");
        for (i, a) in found.iter().enumerate() {
            assert!(!found[..i].contains(a), "{a:?} found twice");
        }
    }
}

/// Tracking numbers as typed or scanned: normalising is idempotent, a valid number is valid
/// in its normalised form with the same carrier, and `validate_tracking` returns the first of
/// `matching_formats`.
pub fn tracking_number(data: &[u8]) {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let normalized = tracking::normalize(input);
    assert_eq!(
        tracking::normalize(&normalized),
        normalized,
        "normalize is not idempotent"
    );
    assert!(!normalized.chars().any(|c| c.is_whitespace() || c == '-'));
    let formats = tracking::matching_formats(input);
    match tracking::validate_tracking(input) {
        Ok(t) => {
            assert_eq!(t.normalized, normalized);
            assert_eq!(
                formats.first(),
                Some(&t),
                "validate and matching_formats disagree"
            );
            assert_eq!(tracking::validate_tracking(&t.normalized), Ok(t.clone()));
        }
        Err(tracking::TrackingError::Empty) => assert!(normalized.is_empty()),
        Err(_) => assert!(formats.is_empty(), "refused, yet {formats:?} match"),
    }
}

/// Event batches as the server decodes them (`POST /v1/events`: `serde_json::from_slice`
/// into [`EventBatch`]): a batch that decodes encodes and decodes to the same batch.
pub fn event_batch(data: &[u8]) {
    let Ok(batch) = serde_json::from_slice::<EventBatch>(data) else {
        return;
    };
    let json = serde_json::to_vec(&batch).expect("a batch serialises");
    let again: EventBatch = serde_json::from_slice(&json).expect("a batch reads back");
    assert_eq!(again, batch, "the batch changed on its way through JSON");
}

/// The `Content-Range` header of blob uploads (`PUT /v1/blobs/{sha256}`): what parses
/// formats to a header that parses to the same range.
pub fn content_range_header(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some((start, end, total)) = parse_content_range(text) {
        let header = content_range(start, end, total);
        assert_eq!(
            parse_content_range(&header),
            Some((start, end, total)),
            "{header}"
        );
    }
}

/// The seed file (`lastmile-server seed --file`, `POST /v1/admin/seed`): a seed that reads
/// writes out and reads back the same, and every tour in it that passes the import rules
/// still does after the trip.
pub fn seed_file(data: &[u8]) {
    let Ok(seed) = serde_json::from_slice::<Seed>(data) else {
        return;
    };
    let json = serde_json::to_vec(&seed).expect("a seed serialises");
    let again: Seed = serde_json::from_slice(&json).expect("a seed reads back");
    assert_eq!(again, seed, "the seed changed on its way through JSON");
    for (a, b) in seed.tours.iter().zip(&again.tours) {
        assert_eq!(own::validate(a).is_ok(), own::validate(b).is_ok());
    }
}
