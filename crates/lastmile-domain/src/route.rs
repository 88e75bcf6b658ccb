//! Following a route leg: which maneuver comes next from where the driver is, and a position
//! moved along a path (for the simulated location provider on desktop and in tests).

use crate::geofence::distance_m;
use crate::model::Position;

/// Within this distance of a maneuver's point the driver is doing it now.
pub const AT_MANEUVER_M: f64 = 25.0;

/// The maneuver to show highlighted: the one the driver is at, or the one ahead on the segment
/// the driver is on. `maneuvers` are the maneuvers' locations in order; `None` when empty.
///
/// The driver is taken to be on the segment `i → i+1` of the nearest maneuver `i` whenever
/// `i+1` is closer to them than to `i` itself, i.e. they have left `i` behind.
pub fn next_maneuver(here: Position, maneuvers: &[Position]) -> Option<usize> {
    let (nearest, d) = maneuvers
        .iter()
        .map(|m| distance_m(here, *m))
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    if d <= AT_MANEUVER_M {
        return Some(nearest);
    }
    match maneuvers.get(nearest + 1) {
        Some(next) if distance_m(here, *next) < distance_m(maneuvers[nearest], *next) => {
            Some(nearest + 1)
        }
        _ => Some(nearest),
    }
}

/// `from` moved `metres` along `path` (straight segments through its points in order);
/// returns the new position and how many points of `path` were reached.
pub fn advance(from: Position, path: &[Position], metres: f64) -> (Position, usize) {
    let mut at = from;
    let mut left = metres.max(0.0);
    for (i, point) in path.iter().enumerate() {
        let d = distance_m(at, *point);
        if d > left {
            let f = left / d;
            let moved = Position {
                lat: at.lat + (point.lat - at.lat) * f,
                lon: at.lon + (point.lon - at.lon) * f,
            };
            return (moved, i);
        }
        left -= d;
        at = *point;
    }
    (at, path.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lat: f64, lon: f64) -> Position {
        Position { lat, lon }
    }

    // Three maneuvers about 1.1 km apart on a line north.
    fn line() -> Vec<Position> {
        vec![p(50.0, 11.5), p(50.01, 11.5), p(50.02, 11.5)]
    }

    #[test]
    fn at_the_start_the_first_maneuver_is_next() {
        assert_eq!(next_maneuver(p(50.0, 11.5), &line()), Some(0));
    }

    #[test]
    fn past_a_maneuver_the_following_one_is_next() {
        // 300 m past the first, heading to the second.
        assert_eq!(next_maneuver(p(50.0027, 11.5), &line()), Some(1));
        // 300 m before the second: still the second.
        assert_eq!(next_maneuver(p(50.0073, 11.5), &line()), Some(1));
        // Past the second.
        assert_eq!(next_maneuver(p(50.013, 11.5), &line()), Some(2));
    }

    #[test]
    fn before_the_start_the_first_is_next_and_an_empty_route_has_none() {
        assert_eq!(next_maneuver(p(49.99, 11.5), &line()), Some(0));
        assert_eq!(next_maneuver(p(50.0, 11.5), &[]), None);
    }

    #[test]
    fn advancing_moves_along_the_path_and_stops_at_its_end() {
        let path = line();
        let (half, reached) = advance(p(50.0, 11.5), &path[1..], 556.0);
        assert_eq!(reached, 0);
        assert!((distance_m(half, p(50.005, 11.5))).abs() < 5.0, "{half:?}");
        let (second, reached) = advance(p(50.0, 11.5), &path[1..], 1300.0);
        assert_eq!(reached, 1, "passed the first point");
        assert!(second.lat > 50.01 && second.lat < 50.02);
        let (end, reached) = advance(p(50.0, 11.5), &path[1..], 1e9);
        assert_eq!((end, reached), (p(50.02, 11.5), 2));
    }
}
