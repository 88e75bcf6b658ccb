//! Distance and direction from the driver to a stop, and the geofence warning: recording an
//! outcome far from the stop's coordinates warns (never blocks), because addresses and GPS
//! are both sometimes wrong.

use geo::{Bearing, Distance, Haversine, Point};

use crate::model::{Fix, Position};

/// Beyond this many metres (plus the fix's accuracy) from the stop the UI warns.
pub const GEOFENCE_RADIUS_M: f64 = 150.0;

fn point(p: Position) -> Point<f64> {
    Point::new(p.lon, p.lat)
}

/// Great-circle distance in metres.
pub fn distance_m(from: Position, to: Position) -> f64 {
    Haversine.distance(point(from), point(to))
}

/// Initial bearing from `from` to `to` in degrees: 0 = north, 90 = east, in `[0, 360)`.
pub fn bearing_deg(from: Position, to: Position) -> f64 {
    Haversine.bearing(point(from), point(to)).rem_euclid(360.0)
}

/// Where the driver stands relative to a stop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geofence {
    pub distance_m: f64,
    pub bearing_deg: f64,
    /// Within [`GEOFENCE_RADIUS_M`] plus the fix's accuracy: no warning.
    pub inside: bool,
}

impl Geofence {
    pub fn check(fix: Fix, stop: Position) -> Self {
        let distance = distance_m(fix.position, stop);
        let slack = f64::from(fix.accuracy_m.unwrap_or(0.0)).clamp(0.0, 500.0);
        Self {
            distance_m: distance,
            bearing_deg: bearing_deg(fix.position, stop),
            inside: distance <= GEOFENCE_RADIUS_M + slack,
        }
    }

    /// Eight-point compass direction for the stop card ("NE").
    pub fn compass(&self) -> &'static str {
        const POINTS: [&str; 8] = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"];
        POINTS[((self.bearing_deg + 22.5).rem_euclid(360.0) / 45.0) as usize % 8]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BRANDENBURG_GATE: Position = Position {
        lat: 52.516275,
        lon: 13.377704,
    };
    const REICHSTAG: Position = Position {
        lat: 52.518620,
        lon: 13.376187,
    };

    #[test]
    fn distance_and_bearing_between_two_landmarks() {
        let d = distance_m(BRANDENBURG_GATE, REICHSTAG);
        assert!((270.0..300.0).contains(&d), "{d}");
        let fence = Geofence::check(
            Fix {
                position: BRANDENBURG_GATE,
                accuracy_m: None,
            },
            REICHSTAG,
        );
        assert_eq!(fence.compass(), "N", "{fence:?}");
        assert!(!fence.inside);
    }

    #[test]
    fn a_poor_fix_widens_the_fence() {
        let fix = Fix {
            position: BRANDENBURG_GATE,
            accuracy_m: Some(200.0),
        };
        assert!(Geofence::check(fix, REICHSTAG).inside);
        assert!(
            Geofence::check(
                Fix {
                    position: REICHSTAG,
                    accuracy_m: None
                },
                REICHSTAG
            )
            .inside
        );
    }

    #[test]
    fn bearing_is_always_between_0_and_360() {
        let west = bearing_deg(
            REICHSTAG,
            Position {
                lat: 52.5186,
                lon: 13.30,
            },
        );
        assert!((265.0..275.0).contains(&west), "{west}");
    }
}
