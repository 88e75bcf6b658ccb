//! Route legs from a router's response: the maneuvers a driver follows from one stop to the
//! next, as [`RouteLegDto`]s.
//!
//! Two wire formats are read, detected by their top-level key:
//! - OSRM's `routes[0].legs[].steps[]` (stock OSRM, and Valhalla's `format=osrm` output with
//!   its Mapbox extensions): each step carries its maneuver's location directly.
//! - Valhalla's native `trip.legs[].maneuvers[]`: maneuvers carry only an index into the
//!   leg's `shape`, an encoded polyline with 6 decimal places, so the shape is decoded here
//!   ([`decode_polyline`]) to place each maneuver.
//!
//! Each leg also keeps its path along the roads (`shape`: Valhalla's decoded `shape`, OSRM's
//! steps' `geometry` joined), which the map draws as the route leg.
//!
//! Maneuver kinds and modifiers are normalised to snake_case in OSRM's vocabulary (`depart`,
//! `turn`, `new_name`, `roundabout`, `arrive`; `slight_left`, `uturn`, ...), so the UI knows
//! one set of words whichever router the server runs. A response without turn-by-turn
//! detail (OSRM without `steps=true`, Valhalla without directions) is refused with the
//! missing field named: a leg with no maneuvers guides nobody.

use lastmile_protocol::tour::{LatLon, ManeuverDto, RouteLegDto};
use serde_json::Value;

use crate::ImportError;

/// Reads every leg of the first route in an OSRM or Valhalla response.
pub fn legs_from_json(json: &str) -> Result<Vec<RouteLegDto>, ImportError> {
    let root: Value = serde_json::from_str(json).map_err(|e| malformed(e.to_string()))?;
    if !root.is_object() {
        return Err(malformed("the response is not a JSON object".into()));
    }
    if let Some(trip) = root.get("trip") {
        return valhalla_legs(&At::new(trip, "trip"));
    }
    if root.get("routes").is_some() || root.get("code").is_some() {
        return osrm_legs(&At::new(&root, ""));
    }
    if let Some(error) = root.get("error") {
        // Valhalla's error answer: {"error_code": 171, "error": "No suitable edges ...", ...}
        return Err(malformed(format!(
            "the router answered with an error: {}",
            error.as_str().unwrap_or("(no text)")
        )));
    }
    Err(malformed(
        "neither `routes` (OSRM format) nor `trip` (Valhalla format) is present".into(),
    ))
}

/// Reads a route response file (see [`legs_from_json`]).
pub fn read_legs(path: &std::path::Path) -> Result<Vec<RouteLegDto>, ImportError> {
    legs_from_json(&crate::read(path)?)
}

/// Decodes an encoded polyline (Google's algorithm) with `precision` decimal places: 5 for
/// stock OSRM, 6 for Valhalla and OSRM's `polyline6`.
pub fn decode_polyline(encoded: &str, precision: u32) -> Result<Vec<LatLon>, ImportError> {
    let factor = 10f64.powi(i32::try_from(precision).unwrap_or(i32::MAX));
    let bytes = encoded.as_bytes();
    let mut points = Vec::new();
    let (mut lat, mut lon) = (0i64, 0i64);
    let mut i = 0;
    while i < bytes.len() {
        let too_far = || {
            malformed(format!(
                "the polyline's point {} is beyond any coordinate",
                points.len()
            ))
        };
        lat = lat
            .checked_add(next_delta(bytes, &mut i)?)
            .ok_or_else(too_far)?;
        if i >= bytes.len() {
            return Err(malformed(format!(
                "the polyline ends after a latitude, without its longitude (point {})",
                points.len()
            )));
        }
        lon = lon
            .checked_add(next_delta(bytes, &mut i)?)
            .ok_or_else(too_far)?;
        points.push(LatLon {
            lat: lat as f64 / factor,
            lon: lon as f64 / factor,
        });
    }
    Ok(points)
}

/// One zig-zag encoded, 5-bit-chunked signed number starting at `bytes[*i]`.
fn next_delta(bytes: &[u8], i: &mut usize) -> Result<i64, ImportError> {
    let mut result: i64 = 0;
    let mut shift = 0;
    loop {
        let Some(&b) = bytes.get(*i) else {
            return Err(malformed(
                "the polyline ends in the middle of a number".into(),
            ));
        };
        if !(63..=126).contains(&b) {
            return Err(malformed(format!(
                "the polyline has a character outside the encoding at byte {}: {:?}",
                *i, b as char
            )));
        }
        if shift > 60 {
            return Err(malformed(format!(
                "the polyline has a number too long to be a coordinate at byte {}",
                *i
            )));
        }
        *i += 1;
        let chunk = i64::from(b - 63);
        result |= (chunk & 0x1f) << shift;
        shift += 5;
        if chunk < 0x20 {
            break;
        }
    }
    Ok(if result & 1 == 1 {
        !(result >> 1)
    } else {
        result >> 1
    })
}

fn osrm_legs(root: &At<'_>) -> Result<Vec<RouteLegDto>, ImportError> {
    if let Some(code) = root.opt("code").and_then(Value::as_str)
        && code != "Ok"
    {
        let message = root.opt("message").and_then(Value::as_str).unwrap_or("");
        return Err(malformed(format!(
            "the router answered `code: {code}` instead of Ok: {message}"
        )));
    }
    let routes = root.field("routes")?.array()?;
    let route = routes
        .first()
        .ok_or_else(|| malformed("`routes` is empty: the router found no route".into()))?;
    let legs = route.field("legs")?.array()?;
    if legs.is_empty() {
        return Err(malformed(format!("`{}` is empty", route.join("legs"))));
    }
    legs.iter().map(osrm_leg).collect()
}

fn osrm_leg(leg: &At<'_>) -> Result<RouteLegDto, ImportError> {
    let steps = leg.field("steps")?.array()?;
    if steps.is_empty() {
        return Err(malformed(format!(
            "`{}` is empty: the route has no turn-by-turn steps (ask OSRM with `steps=true`)",
            leg.join("steps")
        )));
    }
    let maneuvers = steps
        .iter()
        .map(|step| {
            let m = step.field("maneuver")?;
            let location = m.field("location")?.lon_lat()?;
            let street = non_empty(step.opt("name"))
                .or_else(|| non_empty(step.opt("ref")))
                .map(str::to_owned);
            let instruction = non_empty(m.opt("instruction"))
                .or_else(|| banner_text(step))
                .map(str::to_owned);
            Ok(ManeuverDto {
                location,
                kind: kind_of(&m.field("type")?)?,
                modifier: non_empty(m.opt("modifier"))
                    .map(snake_case)
                    .filter(|s| !s.is_empty()),
                street,
                instruction,
                exit: exit_number(m.opt("exit")),
                distance_m: step.field("distance")?.number()?,
                duration_s: step.field("duration")?.number()?,
            })
        })
        .collect::<Result<Vec<_>, ImportError>>()?;
    let shape = osrm_shape(&steps, &maneuvers);
    Ok(RouteLegDto {
        distance_m: leg.field("distance")?.number()?,
        duration_s: leg.field("duration")?.number()?,
        maneuvers,
        shape,
    })
}

/// The leg's path from its steps' `geometry`: an encoded polyline (5 decimals for stock
/// OSRM, 6 for `polyline6` and Valhalla; the response does not say which, so it is the
/// precision whose line starts at the step's maneuver) or GeoJSON `coordinates`. The path
/// is optional: a step without a usable geometry leaves the leg without one (the map then
/// joins the maneuvers), and never fails the import.
fn osrm_shape(steps: &[At<'_>], maneuvers: &[ManeuverDto]) -> Vec<LatLon> {
    let near =
        |a: &LatLon, b: &LatLon| (a.lat - b.lat).abs() < 0.01 && (a.lon - b.lon).abs() < 0.01;
    let mut shape: Vec<LatLon> = Vec::new();
    for (step, maneuver) in steps.iter().zip(maneuvers) {
        let points = match step.opt("geometry") {
            Some(Value::String(line)) => [6, 5].into_iter().find_map(|precision| {
                decode_polyline(line, precision)
                    .ok()
                    .filter(|p| p.first().is_some_and(|f| near(f, &maneuver.location)))
            }),
            Some(Value::Object(o)) => o.get("coordinates").and_then(Value::as_array).map(|c| {
                c.iter()
                    .filter_map(|p| {
                        let p = p.as_array()?;
                        Some(LatLon {
                            lon: p.first()?.as_f64()?,
                            lat: p.get(1)?.as_f64()?,
                        })
                    })
                    .collect()
            }),
            _ => None,
        };
        let Some(points) = points.filter(|p| {
            p.iter()
                .all(|q| (-90.0..=90.0).contains(&q.lat) && (-180.0..=180.0).contains(&q.lon))
        }) else {
            return Vec::new();
        };
        for p in points {
            if shape.last() != Some(&p) {
                shape.push(p);
            }
        }
    }
    if shape.len() < 2 { Vec::new() } else { shape }
}

/// A roundabout exit number as routers give it (OSRM `maneuver.exit`, Valhalla
/// `roundabout_exit_count`); anything but a small positive whole number is no exit number.
fn exit_number(v: Option<&Value>) -> Option<u32> {
    v.and_then(Value::as_u64)
        .filter(|n| (1..=32).contains(n))
        .and_then(|n| u32::try_from(n).ok())
}

/// The Mapbox extension's banner text, when a Valhalla `format=osrm` step has no instruction.
fn banner_text<'a>(step: &At<'a>) -> Option<&'a str> {
    let banner = step.opt("bannerInstructions")?.as_array()?.first()?;
    non_empty(banner.get("primary")?.get("text"))
}

fn valhalla_legs(trip: &At<'_>) -> Result<Vec<RouteLegDto>, ImportError> {
    if let Some(status) = trip.opt("status").and_then(Value::as_i64)
        && status != 0
    {
        let message = trip
            .opt("status_message")
            .and_then(Value::as_str)
            .unwrap_or("");
        return Err(malformed(format!(
            "the router answered `status: {status}`: {message}"
        )));
    }
    let metres_per_unit = match trip.opt("units").and_then(Value::as_str) {
        None | Some("kilometers" | "km") => 1000.0,
        Some("miles" | "mi") => 1609.344,
        Some(other) => {
            return Err(malformed(format!(
                "`trip.units` is {other:?}; only kilometers and miles are known"
            )));
        }
    };
    let legs = trip.field("legs")?.array()?;
    if legs.is_empty() {
        return Err(malformed("`trip.legs` is empty".into()));
    }
    legs.iter()
        .map(|leg| valhalla_leg(leg, metres_per_unit))
        .collect()
}

fn valhalla_leg(leg: &At<'_>, metres_per_unit: f64) -> Result<RouteLegDto, ImportError> {
    let Some(list) = leg.opt("maneuvers") else {
        return Err(malformed(format!(
            "`{}` is missing: the route was asked for without directions (Valhalla leaves them out then)",
            leg.join("maneuvers")
        )));
    };
    let list = At::new(list, leg.join("maneuvers")).array()?;
    if list.is_empty() {
        return Err(malformed(format!("`{}` is empty", leg.join("maneuvers"))));
    }
    let shape_at = leg.field("shape")?;
    let shape = decode_polyline(shape_at.str()?, 6).map_err(|e| match e {
        ImportError::Malformed { detail, .. } => {
            malformed(format!("`{}`: {detail}", shape_at.path))
        }
        other => other,
    })?;
    // A shape that wanders off Earth places maneuvers nowhere (found by fuzzing, #16).
    if let Some(i) = shape
        .iter()
        .position(|p| !((-90.0..=90.0).contains(&p.lat) && (-180.0..=180.0).contains(&p.lon)))
    {
        return Err(malformed(format!(
            "`{}`: point {i} is not on Earth",
            shape_at.path
        )));
    }
    let maneuvers = list
        .iter()
        .map(|m| {
            let index_at = m.field("begin_shape_index")?;
            let index = index_at.number()?;
            let location = usize::try_from(index as i64)
                .ok()
                .and_then(|i| shape.get(i))
                .copied()
                .ok_or_else(|| {
                    malformed(format!(
                        "`{}` is {index}, but the leg's shape has {} points",
                        index_at.path,
                        shape.len()
                    ))
                })?;
            let type_at = m.field("type")?;
            let code = type_at.number()?;
            let (kind, modifier) = valhalla_kind(code as i64);
            let street = m
                .opt("street_names")
                .and_then(Value::as_array)
                .map(|names| {
                    names
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join("/")
                })
                .filter(|s| !s.is_empty());
            Ok(ManeuverDto {
                location,
                kind: kind.to_owned(),
                modifier: modifier.map(str::to_owned),
                street,
                instruction: non_empty(m.opt("instruction")).map(str::to_owned),
                exit: exit_number(m.opt("roundabout_exit_count")),
                distance_m: m.field("length")?.number()? * metres_per_unit,
                duration_s: m.field("time")?.number()?,
            })
        })
        .collect::<Result<Vec<_>, ImportError>>()?;
    let summary = leg.field("summary")?;
    Ok(RouteLegDto {
        distance_m: summary.field("length")?.number()? * metres_per_unit,
        duration_s: summary.field("time")?.number()?,
        maneuvers,
        shape,
    })
}

/// Valhalla's numeric maneuver type (its `DirectionsLeg_Maneuver_Type`) in OSRM's words.
fn valhalla_kind(code: i64) -> (&'static str, Option<&'static str>) {
    match code {
        1 => ("depart", None),
        2 => ("depart", Some("right")),
        3 => ("depart", Some("left")),
        4 => ("arrive", None),
        5 => ("arrive", Some("right")),
        6 => ("arrive", Some("left")),
        7 => ("new_name", Some("straight")),
        8 => ("continue", Some("straight")),
        9 => ("turn", Some("slight_right")),
        10 => ("turn", Some("right")),
        11 => ("turn", Some("sharp_right")),
        12 | 13 => ("turn", Some("uturn")),
        14 => ("turn", Some("sharp_left")),
        15 => ("turn", Some("left")),
        16 => ("turn", Some("slight_left")),
        17 => ("on_ramp", Some("straight")),
        18 => ("on_ramp", Some("right")),
        19 => ("on_ramp", Some("left")),
        20 => ("off_ramp", Some("right")),
        21 => ("off_ramp", Some("left")),
        22 => ("fork", Some("straight")),
        23 => ("fork", Some("right")),
        24 => ("fork", Some("left")),
        25 => ("merge", Some("straight")),
        26 => ("roundabout", None),
        27 => ("exit_roundabout", None),
        28 => ("ferry_enter", None),
        29 => ("ferry_exit", None),
        30..=36 => ("transit", None),
        37 => ("merge", Some("right")),
        38 => ("merge", Some("left")),
        39 => ("elevator", None),
        40 => ("steps", None),
        41 => ("escalator", None),
        42 => ("building_enter", None),
        43 => ("building_exit", None),
        // 0 is "none"; anything else is from a newer Valhalla. The instruction text still
        // tells the driver what to do.
        _ => ("unknown", None),
    }
}

/// `"slight left"` → `"slight_left"`, `"end of road"` → `"end_of_road"`.
/// A maneuver's kind in snake_case; one without a letter or digit is refused (the UI
/// names every maneuver by its kind; found by fuzzing, #16).
fn kind_of(field: &At<'_>) -> Result<String, ImportError> {
    let kind = snake_case(field.str()?);
    if kind.is_empty() {
        return Err(malformed(format!(
            "`{}` names no maneuver kind",
            field.path
        )));
    }
    Ok(kind)
}

fn snake_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_owned()
}

fn non_empty(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn malformed(detail: String) -> ImportError {
    ImportError::Malformed {
        what: "route response",
        detail,
    }
}

/// A JSON value with the path that led to it, so every error names the field it lacks.
struct At<'a> {
    value: &'a Value,
    path: String,
}

impl<'a> At<'a> {
    fn new(value: &'a Value, path: impl Into<String>) -> Self {
        Self {
            value,
            path: path.into(),
        }
    }

    fn join(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn opt(&self, key: &str) -> Option<&'a Value> {
        self.value.get(key).filter(|v| !v.is_null())
    }

    fn field(&self, key: &str) -> Result<At<'a>, ImportError> {
        self.opt(key)
            .map(|v| At::new(v, self.join(key)))
            .ok_or_else(|| malformed(format!("`{}` is missing", self.join(key))))
    }

    fn array(&self) -> Result<Vec<At<'a>>, ImportError> {
        let items = self
            .value
            .as_array()
            .ok_or_else(|| malformed(format!("`{}` is not a list", self.path)))?;
        Ok(items
            .iter()
            .enumerate()
            .map(|(i, v)| At::new(v, format!("{}[{i}]", self.path)))
            .collect())
    }

    fn str(&self) -> Result<&'a str, ImportError> {
        self.value
            .as_str()
            .ok_or_else(|| malformed(format!("`{}` is not a string", self.path)))
    }

    fn number(&self) -> Result<f64, ImportError> {
        self.value
            .as_f64()
            .filter(|n| n.is_finite())
            .ok_or_else(|| malformed(format!("`{}` is not a number", self.path)))
    }

    /// OSRM's `[lon, lat]` pair.
    fn lon_lat(&self) -> Result<LatLon, ImportError> {
        let bad = || {
            malformed(format!(
                "`{}` is not a [longitude, latitude] pair on Earth",
                self.path
            ))
        };
        let pair = self.value.as_array().ok_or_else(bad)?;
        let [lon, lat] = pair.as_slice() else {
            return Err(bad());
        };
        let (lon, lat) = (lon.as_f64().ok_or_else(bad)?, lat.as_f64().ok_or_else(bad)?);
        if !((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)) {
            return Err(bad());
        }
        Ok(LatLon { lat, lon })
    }
}

#[cfg(test)]
mod tests;
