//! Our own tour JSON: a [`TourSnapshot`] serialized as is, checked for the rules the
//! device relies on (unique stop ids and tracking ids, sequence order, sane coordinates, a
//! checklist only on a service stop, with unique item ids).

use std::collections::HashSet;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use lastmile_protocol::tour::{LatLon, StopKindDto, TimeWindowDto, TourSnapshot};

use crate::ImportError;

/// Parses and validates one tour.
pub fn tour_from_json(json: &str) -> Result<TourSnapshot, ImportError> {
    let tour: TourSnapshot = serde_json::from_str(json).map_err(|e| ImportError::Malformed {
        what: "tour JSON",
        detail: e.to_string(),
    })?;
    validate(&tour)?;
    Ok(tour)
}

/// Reads and validates a tour file.
pub fn read_tour(path: &Path) -> Result<TourSnapshot, ImportError> {
    tour_from_json(&crate::read(path)?)
}

/// Serializes a tour in the format [`tour_from_json`] reads.
pub fn tour_to_json(tour: &TourSnapshot) -> String {
    // A TourSnapshot holds only strings, numbers and dates: serializing cannot fail.
    serde_json::to_string_pretty(tour).unwrap_or_default()
}

/// The days a tour may be dated: a device has no use for a tour outside them, and the date
/// arithmetic of [`redate`] stays far from chrono's limits.
pub const FIRST_TOUR_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};
pub const LAST_TOUR_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2199, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

fn check_date(tour_id: &str, date: NaiveDate) -> Result<(), ImportError> {
    if (FIRST_TOUR_DATE..=LAST_TOUR_DATE).contains(&date) {
        return Ok(());
    }
    Err(ImportError::Invalid {
        tour_id: tour_id.to_owned(),
        detail: format!("the date {date} is outside {FIRST_TOUR_DATE}..{LAST_TOUR_DATE}"),
    })
}

/// Moves a tour and every time in it (departure, stop and parcel windows) to `date` by whole
/// days, so times of day stay. Refuses a date (or a time moved) outside
/// [`FIRST_TOUR_DATE`]..[`LAST_TOUR_DATE`], leaving the tour as it was.
pub fn redate(t: &mut TourSnapshot, date: NaiveDate) -> Result<(), ImportError> {
    check_date(&t.tour_id, date)?;
    check_date(&t.tour_id, t.date)?;
    let shift = date - t.date;
    let out_of_range = || ImportError::Invalid {
        tour_id: t.tour_id.clone(),
        detail: format!("a time of the tour moved to {date} is out of range"),
    };
    let mv = |d: DateTime<Utc>| d.checked_add_signed(shift).ok_or_else(out_of_range);
    let mut moved = t.clone();
    moved.date = date;
    moved.departure = t.departure.map(mv).transpose()?;
    let move_window = |w: &mut Option<TimeWindowDto>| -> Result<(), ImportError> {
        if let Some(w) = w {
            w.start = mv(w.start)?;
            w.end = mv(w.end)?;
        }
        Ok(())
    };
    for s in &mut moved.stops {
        move_window(&mut s.time_window)?;
        for p in &mut s.parcels {
            move_window(&mut p.time_window)?;
        }
    }
    *t = moved;
    Ok(())
}

/// The rules every imported tour must meet before a device sees it.
pub fn validate(tour: &TourSnapshot) -> Result<(), ImportError> {
    let bad = |detail: String| ImportError::Invalid {
        tour_id: tour.tour_id.clone(),
        detail,
    };
    if tour.tour_id.trim().is_empty() {
        return Err(bad("the tour id is empty".into()));
    }
    check_date(&tour.tour_id, tour.date)?;
    check_position(&tour.station.position).map_err(|d| bad(format!("station: {d}")))?;
    let mut stop_ids = HashSet::new();
    let mut tracking_ids = HashSet::new();
    let mut last_sequence = 0;
    for stop in &tour.stops {
        if stop.stop_id.trim().is_empty() {
            return Err(bad("a stop has an empty id".into()));
        }
        if !stop_ids.insert(stop.stop_id.as_str()) {
            return Err(bad(format!("stop {} appears twice", stop.stop_id)));
        }
        if stop.sequence <= last_sequence {
            return Err(bad(format!(
                "stop {} has sequence {} after sequence {last_sequence}; stops must be in ascending order",
                stop.stop_id, stop.sequence
            )));
        }
        last_sequence = stop.sequence;
        check_position(&stop.position).map_err(|d| bad(format!("stop {}: {d}", stop.stop_id)))?;
        if let Some(w) = stop.time_window
            && w.end < w.start
        {
            return Err(bad(format!(
                "stop {} has a time window that ends before it starts",
                stop.stop_id
            )));
        }
        if !stop.checklist.is_empty() && stop.kind != StopKindDto::Service {
            return Err(bad(format!(
                "stop {} has a checklist but is not a service stop",
                stop.stop_id
            )));
        }
        let mut item_ids = HashSet::new();
        for item in &stop.checklist {
            if item.item_id.trim().is_empty() || !item_ids.insert(item.item_id.as_str()) {
                return Err(bad(format!(
                    "the checklist of stop {} has an empty or repeated item id {:?}",
                    stop.stop_id, item.item_id
                )));
            }
        }
        for parcel in &stop.parcels {
            if parcel.tracking_id.trim().is_empty() {
                return Err(bad(format!(
                    "a parcel of stop {} has an empty tracking id",
                    stop.stop_id
                )));
            }
            if !tracking_ids.insert(parcel.tracking_id.as_str()) {
                return Err(bad(format!("parcel {} appears twice", parcel.tracking_id)));
            }
        }
    }
    Ok(())
}

fn check_position(p: &LatLon) -> Result<(), String> {
    if !(p.lat.is_finite()
        && p.lon.is_finite()
        && (-90.0..=90.0).contains(&p.lat)
        && (-180.0..=180.0).contains(&p.lon))
    {
        return Err(format!("position ({}, {}) is not on Earth", p.lat, p.lon));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"{
      "tour_id": "T-1", "driver_id": "d-7", "date": "2025-03-04", "departure": null, "cursor": 3,
      "station": {"station_id": "S1", "name": "Nord", "position": {"lat": 52.5, "lon": 13.4}},
      "stops": [
        {"stop_id": "a", "sequence": 1, "kind": "delivery",
         "address": {"street": "Hauptstr.", "house_number": "5", "postcode": "10115", "city": "Berlin", "name": null},
         "position": {"lat": 52.51, "lon": 13.41}, "access_notes": "Hof links", "time_window": null,
         "service_seconds": 60,
         "parcels": [{"tracking_id": "P1", "time_window": null, "dimensions": null,
                      "flags": {"signature_required": true}}]}
      ]
    }"#;

    #[test]
    fn our_own_tour_round_trips() {
        let tour = tour_from_json(SMALL).unwrap();
        assert_eq!(tour.stops[0].parcels[0].tracking_id, "P1");
        assert!(tour.stops[0].parcels[0].flags.signature_required);
        assert_eq!(tour_from_json(&tour_to_json(&tour)).unwrap(), tour);
    }

    #[test]
    fn a_service_stop_brings_its_checklist_and_a_tour_without_one_still_reads() {
        let old = tour_from_json(SMALL).unwrap();
        assert!(
            old.stops[0].checklist.is_empty(),
            "tours before checklists parse"
        );
        let json = SMALL.replace(
            r#""kind": "delivery","#,
            r#""kind": "service", "checklist": [{"item_id": "mount", "label": "Mount the unit"},
                                                {"item_id": "explain", "label": "Explain it"}],"#,
        );
        let tour = tour_from_json(&json).unwrap();
        assert_eq!(tour.stops[0].kind, StopKindDto::Service);
        let ids: Vec<_> = tour.stops[0]
            .checklist
            .iter()
            .map(|i| i.item_id.as_str())
            .collect();
        assert_eq!(ids, ["mount", "explain"]);
        assert_eq!(tour_from_json(&tour_to_json(&tour)).unwrap(), tour);

        let twice = json.replace(r#""item_id": "explain""#, r#""item_id": "mount""#);
        let err = tour_from_json(&twice).unwrap_err().to_string();
        assert!(err.contains("repeated item id"), "{err}");
        let on_delivery = json.replace(r#""kind": "service""#, r#""kind": "delivery""#);
        let err = tour_from_json(&on_delivery).unwrap_err().to_string();
        assert!(err.contains("not a service stop"), "{err}");
    }

    #[test]
    fn broken_json_names_the_problem() {
        let err = tour_from_json(&SMALL[..200]).unwrap_err();
        assert!(matches!(err, ImportError::Malformed { .. }), "{err}");
        assert!(err.to_string().contains("tour JSON"), "{err}");
    }

    #[test]
    fn an_unknown_stop_kind_from_a_newer_planner_is_kept_as_unknown() {
        let tour = tour_from_json(&SMALL.replace("\"delivery\"", "\"drone_drop\"")).unwrap();
        assert_eq!(
            tour.stops[0].kind,
            lastmile_protocol::tour::StopKindDto::Unknown
        );
    }

    #[test]
    fn a_field_of_the_wrong_type_is_refused_with_its_name() {
        let err = tour_from_json(&SMALL.replace(
            "\"service_seconds\": 60",
            "\"service_seconds\": \"a minute\"",
        ))
        .unwrap_err();
        assert!(err.to_string().contains("a minute"), "{err}");
    }

    #[test]
    fn duplicate_tracking_ids_are_refused() {
        let mut tour = tour_from_json(SMALL).unwrap();
        let mut second = tour.stops[0].clone();
        second.stop_id = "b".into();
        second.sequence = 2;
        tour.stops.push(second);
        let err = validate(&tour).unwrap_err();
        assert!(err.to_string().contains("P1 appears twice"), "{err}");
    }

    #[test]
    fn redating_far_away_is_refused_not_a_panic() {
        let mut tour = tour_from_json(SMALL).unwrap();
        tour.departure = Some("2025-03-04T08:00:00Z".parse().unwrap());
        let before = tour.clone();
        for date in [
            NaiveDate::MAX,
            NaiveDate::MIN,
            LAST_TOUR_DATE.succ_opt().unwrap(),
        ] {
            let err = redate(&mut tour, date).unwrap_err();
            assert!(err.to_string().contains("outside"), "{err}");
            assert_eq!(tour, before, "a refused redate leaves the tour alone");
        }
        redate(&mut tour, LAST_TOUR_DATE).unwrap();
        assert_eq!(tour.date, LAST_TOUR_DATE);
        let mut far = before.clone();
        far.date = NaiveDate::from_ymd_opt(250_000, 1, 1).unwrap();
        assert!(validate(&far).is_err());
    }

    #[test]
    fn out_of_order_sequences_are_refused() {
        let mut tour = tour_from_json(SMALL).unwrap();
        let mut second = tour.stops[0].clone();
        second.stop_id = "b".into();
        second.parcels.clear();
        tour.stops.push(second);
        let err = validate(&tour).unwrap_err();
        assert!(err.to_string().contains("ascending"), "{err}");
    }
}
