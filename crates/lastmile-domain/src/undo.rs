//! The undo window: shortly after an action the driver may take it back (a compensating
//! event); after that, only a correction note can be added. History is never edited.

use chrono::{DateTime, Duration, Utc};

/// How long after recording an outcome the driver may undo it.
pub const UNDO_WINDOW: Duration = Duration::seconds(120);

/// Whether an action recorded at `recorded_at` may still be undone at `now`. A device clock
/// that jumped backwards (now before recorded_at) still allows undo: the driver just acted.
pub fn can_undo(recorded_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - recorded_at <= UNDO_WINDOW
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_is_possible_for_two_minutes_only() {
        let t = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        assert!(can_undo(t, t + Duration::seconds(119)));
        assert!(can_undo(t, t + Duration::seconds(120)));
        assert!(!can_undo(t, t + Duration::seconds(121)));
        assert!(can_undo(t, t - Duration::seconds(30)), "clock jumped back");
    }
}
