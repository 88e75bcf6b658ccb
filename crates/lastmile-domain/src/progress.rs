//! Progress through the tour and a simple ETA: straight-line distance along the remaining
//! stops, stretched by a road factor, at an average speed, plus each stop's planned service time.

use chrono::{DateTime, Duration, Utc};

use crate::geofence::distance_m;
use crate::model::Position;

/// Roads are longer than straight lines; 1.3 is the usual urban detour factor.
pub const ROAD_FACTOR: f64 = 1.3;
/// Average driving speed between stops when nothing better is known (urban delivery).
pub const DEFAULT_SPEED_KMH: f64 = 25.0;

/// Counts for the progress bar and the end-of-day summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub stops_total: u32,
    pub stops_done: u32,
    pub parcels_total: u32,
    pub parcels_open: u32,
}

impl Progress {
    /// Share of stops done, 0..=100.
    pub fn percent(&self) -> u32 {
        (self.stops_done * 100)
            .checked_div(self.stops_total)
            .unwrap_or(100)
    }
}

/// Estimated arrival at the next stop and at the end of the tour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Eta {
    pub next_stop: Option<DateTime<Utc>>,
    pub tour_end: DateTime<Utc>,
    /// Remaining driving distance estimate (road metres).
    pub remaining_m: f64,
}

/// ETA from `here` at `now` through `remaining` (position, planned service seconds) in order,
/// then back to `station`.
pub fn eta(
    now: DateTime<Utc>,
    here: Position,
    remaining: &[(Position, u32)],
    station: Position,
    speed_kmh: f64,
) -> Eta {
    let speed_ms = (speed_kmh.max(1.0)) / 3.6;
    let mut at = here;
    let mut t = now;
    let mut metres = 0.0;
    let mut next_stop = None;
    for (position, service) in remaining {
        let leg = distance_m(at, *position) * ROAD_FACTOR;
        metres += leg;
        t += Duration::milliseconds((leg / speed_ms * 1000.0) as i64);
        next_stop.get_or_insert(t);
        t += Duration::seconds(i64::from(*service));
        at = *position;
    }
    let home = distance_m(at, station) * ROAD_FACTOR;
    metres += home;
    t += Duration::milliseconds((home / speed_ms * 1000.0) as i64);
    Eta {
        next_stop,
        tour_end: t,
        remaining_m: metres,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eta_adds_driving_and_service_time() {
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let station = Position {
            lat: 52.50,
            lon: 13.40,
        };
        // ~1.11 km north per 0.01 degree of latitude
        let a = Position {
            lat: 52.51,
            lon: 13.40,
        };
        let b = Position {
            lat: 52.52,
            lon: 13.40,
        };
        let e = eta(now, station, &[(a, 60), (b, 120)], station, 25.0);
        let to_a = (e.next_stop.unwrap() - now).num_seconds();
        assert!(
            (200..215).contains(&to_a),
            "{to_a} s for 1.45 road-km at 25 km/h"
        );
        let total = (e.tour_end - now).num_seconds();
        // 4 legs of ~1.45 km (a, b, back 2 legs' worth) + 180 s service
        assert!((1000..1040).contains(&total), "{total}");
        assert!(
            (5700.0..5850.0).contains(&e.remaining_m),
            "{}",
            e.remaining_m
        );
    }

    #[test]
    fn progress_in_percent() {
        let p = Progress {
            stops_total: 200,
            stops_done: 50,
            parcels_total: 300,
            parcels_open: 220,
        };
        assert_eq!(p.percent(), 25);
        assert_eq!(Progress::default().percent(), 100);
    }
}
