//! Where the device is. The platform's geolocation (reported by the screen through
//! `report_position`) wins while it is fresh; otherwise, on desktop and in tests, a simulated
//! provider drives from the station along each current stop's route (or straight to it) at a
//! set speed, so guidance, geofence warnings and maneuvers behave as on the road.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use lastmile_domain::route::{advance, next_maneuver};
use lastmile_domain::{Fix, Position};
use lastmile_store::Store;

/// A platform fix older than this no longer counts.
const FRESH: Duration = Duration::from_secs(30);
/// Accuracy reported for simulated fixes.
const SIMULATED_ACCURACY_M: f32 = 5.0;

/// Where a fix came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Platform,
    Simulated,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Platform => "gps",
            Source::Simulated => "simulated",
        }
    }
}

#[derive(Debug)]
struct Simulation {
    speed_ms: f64,
    at: Option<Position>,
    target: Option<String>,
    /// The route of `target` the path was made from (its points), to notice a new one.
    route: Option<Vec<Position>>,
    path: Vec<Position>,
    last: Instant,
}

/// The device's position provider, shared by the commands.
#[derive(Debug)]
pub struct Positioning {
    reported: Mutex<Option<(Fix, Instant)>>,
    /// The maneuver last highlighted, and for which stop.
    highlighted: Mutex<Option<(String, usize)>>,
    simulation: Option<Mutex<Simulation>>,
}

impl Positioning {
    /// Positions from the platform, or (`PositionMode::Simulated`) a simulated drive at
    /// `speed_kmh` while the platform delivers none.
    pub fn new(mode: crate::config::PositionMode, speed_kmh: f64) -> Self {
        Self {
            reported: Mutex::new(None),
            highlighted: Mutex::new(None),
            simulation: (mode == crate::config::PositionMode::Simulated).then(|| {
                Mutex::new(Simulation {
                    speed_ms: speed_kmh / 3.6,
                    at: None,
                    target: None,
                    route: None,
                    path: vec![],
                    last: Instant::now(),
                })
            }),
        }
    }

    /// A fix from the platform's geolocation.
    pub fn report(&self, fix: Fix) {
        *self.reported.lock().unwrap_or_else(|p| p.into_inner()) = Some((fix, Instant::now()));
    }

    /// The maneuver to highlight on the way to `stop_id`: `computed` (the nearest one ahead),
    /// but never one before what was highlighted already on the way to the same stop — a
    /// road that passes near an earlier turn must not send the highlight back.
    pub fn forward_only(&self, stop_id: &str, computed: Option<usize>) -> Option<usize> {
        let mut last = self.highlighted.lock().unwrap_or_else(|p| p.into_inner());
        let shown = match (&*last, computed) {
            (Some((id, before)), Some(now)) if id == stop_id => now.max(*before),
            (_, computed) => computed?,
        };
        *last = Some((stop_id.to_owned(), shown));
        Some(shown)
    }

    /// The best fix now: a fresh platform fix, else the simulation advanced to now.
    pub fn fix(&self, store: &Store) -> Option<(Fix, Source)> {
        let reported = *self.reported.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((fix, at)) = reported
            && at.elapsed() < FRESH
        {
            return Some((fix, Source::Platform));
        }
        let mut sim = self
            .simulation
            .as_ref()?
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        sim.step(store).map(|position| {
            (
                Fix {
                    position,
                    accuracy_m: Some(SIMULATED_ACCURACY_M),
                },
                Source::Simulated,
            )
        })
    }
}

impl Simulation {
    fn step(&mut self, store: &Store) -> Option<Position> {
        let now = Instant::now();
        let elapsed = now.duration_since(self.last).as_secs_f64();
        self.last = now;
        let Some(at) = self.at else {
            // The drive starts at the station when the first fix is asked for.
            let station = store.tour_overview().ok()??.station_position;
            self.at = Some(station);
            return Some(station);
        };
        let current = store.current_stop().ok().flatten();
        let target = current.as_ref().map(|d| d.stop.stop_id.clone());
        let route = current.as_ref().and_then(crate::convert::route_points);
        if target != self.target {
            // A new stop: from here along its route (when it has one), then to the door.
            self.path = route.clone().unwrap_or_default();
            self.path.extend(current.map(|d| d.stop.position));
        } else if route != self.route
            && let (Some(points), Some(d)) = (&route, &current)
        {
            // Dispatch sent a route for the stop on the way: join it where it is nearest.
            let from = next_maneuver(at, points).unwrap_or(0);
            self.path = points[from..].to_vec();
            self.path.push(d.stop.position);
        }
        self.target = target;
        self.route = route;
        let (moved, reached) = advance(at, &self.path, self.speed_ms * elapsed);
        self.path.drain(..reached.min(self.path.len()));
        self.at = Some(moved);
        Some(moved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_highlight_moves_forward_only_per_stop() {
        let p = Positioning {
            reported: Mutex::new(None),
            highlighted: Mutex::new(None),
            simulation: None,
        };
        assert_eq!(p.forward_only("S1", Some(2)), Some(2));
        assert_eq!(p.forward_only("S1", Some(3)), Some(3));
        // Passing near maneuver 2 again: still 3.
        assert_eq!(p.forward_only("S1", Some(2)), Some(3));
        // No route (any more): nothing to highlight.
        assert_eq!(p.forward_only("S1", None), None);
        assert_eq!(p.forward_only("S1", Some(1)), Some(3));
        // Another stop starts afresh.
        assert_eq!(p.forward_only("S2", Some(0)), Some(0));
        assert_eq!(p.forward_only("S1", Some(1)), Some(1));
    }
}
