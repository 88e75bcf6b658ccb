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

/// One maneuver of a leg as the ETA needs it: where it is, and the distance and time the
/// router gives for the drive after it, up to the next maneuver.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LegStep {
    pub at: Position,
    pub distance_m: f64,
    pub duration_s: f64,
}

/// What is left of a route leg from where the driver is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LegLeft {
    /// The maneuver to show highlighted ([`next_maneuver`]).
    pub next: usize,
    pub metres: f64,
    pub seconds: f64,
}

/// What is left of a route leg from `here`, by the router's figures. The way to the next
/// maneuver ([`next_maneuver`]) is the straight line at the speed the router gives for the
/// step before it (or the next step's, at the start); from there the router's own distances
/// and durations. `None` for a leg without maneuvers.
pub fn remaining_on_leg(here: Position, steps: &[LegStep]) -> Option<LegLeft> {
    let points: Vec<Position> = steps.iter().map(|s| s.at).collect();
    let next = next_maneuver(here, &points)?;
    let to_next = if next > 0 || distance_m(here, points[0]) > AT_MANEUVER_M {
        distance_m(here, points[next])
    } else {
        0.0
    };
    // Speed of the step being driven: the one that leads to `next`.
    let driving = if next > 0 {
        &steps[next - 1]
    } else {
        &steps[0]
    };
    let speed = if driving.duration_s > 0.0 && driving.distance_m > 0.0 {
        driving.distance_m / driving.duration_s
    } else {
        crate::progress::DEFAULT_SPEED_KMH / 3.6
    };
    let rest = &steps[next..];
    Some(LegLeft {
        next,
        metres: to_next + rest.iter().map(|s| s.distance_m).sum::<f64>(),
        seconds: to_next / speed + rest.iter().map(|s| s.duration_s).sum::<f64>(),
    })
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

    /// The line as a leg: 1,000 m in 100 s, then 1,000 m in 200 s, then the arrival.
    fn leg() -> Vec<LegStep> {
        let l = line();
        vec![
            LegStep {
                at: l[0],
                distance_m: 1000.0,
                duration_s: 100.0,
            },
            LegStep {
                at: l[1],
                distance_m: 1000.0,
                duration_s: 200.0,
            },
            LegStep {
                at: l[2],
                distance_m: 0.0,
                duration_s: 0.0,
            },
        ]
    }

    #[test]
    fn at_the_start_of_a_leg_all_of_it_is_left() {
        assert_eq!(
            remaining_on_leg(p(50.0, 11.5), &leg()),
            Some(LegLeft {
                next: 0,
                metres: 2000.0,
                seconds: 300.0
            })
        );
    }

    #[test]
    fn halfway_along_the_first_step_the_rest_of_it_goes_at_its_speed() {
        // About 556 m before the second maneuver, on the 10 m/s step.
        let left = remaining_on_leg(p(50.005, 11.5), &leg()).unwrap();
        let (m, s) = (left.metres, left.seconds);
        assert_eq!(left.next, 1);
        let to_second = distance_m(p(50.005, 11.5), line()[1]);
        assert!((m - (to_second + 1000.0)).abs() < 1e-6, "{m}");
        assert!((s - (to_second / 10.0 + 200.0)).abs() < 1e-6, "{s}");
    }

    #[test]
    fn at_the_arrival_nothing_is_left_and_an_empty_leg_says_nothing() {
        let left = remaining_on_leg(p(50.02, 11.5), &leg()).unwrap();
        let (m, s) = (left.metres, left.seconds);
        assert_eq!(left.next, 2);
        assert!(m < 1.0 && s < 1.0, "{m} {s}");
        assert_eq!(remaining_on_leg(p(50.0, 11.5), &[]), None);
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
