//! The tour overview's rules, kept pure so they are unit-tested natively: finding stops by
//! address or tracking number, and the time-window warnings on stop lines.
//!
//! Address search is German-friendly: "strasse" finds "Straße", "muller" and "mueller" find
//! "Müller", "str." finds "Straße"; every word typed must appear in the address. Tracking
//! numbers match ignoring case, spaces and dashes, as read off a label; a part of at least
//! [`MIN_TRACKING_PART`] characters is enough, so the last digits find the parcel.

use chrono::{DateTime, Duration, Utc};
use lastmile_protocol::ui::StopState;

/// The shortest part of a tracking number that counts as a match (shorter input would hit
/// house numbers and postcodes by accident).
pub const MIN_TRACKING_PART: usize = 4;

/// An open stop whose window ends within this time is flagged "soon".
pub const SOON: Duration = Duration::minutes(30);

/// Why a stop is in the search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hit {
    /// Everything (the search box is empty).
    All,
    Address,
    /// One of its parcels, by tracking number.
    Tracking(String),
}

/// The two spellings of German text a driver may type: umlauts written out (`ae`) and
/// umlauts dropped (`a`); both lower case, `ß` as `ss`, `str.` as `strasse`, other Latin
/// accents removed, punctuation as spaces.
fn spellings(text: &str) -> [String; 2] {
    let mut out = [
        String::with_capacity(text.len()),
        String::with_capacity(text.len()),
    ];
    for c in text.chars().flat_map(char::to_lowercase) {
        let (written_out, dropped): (&str, &str) = match c {
            'ä' => ("ae", "a"),
            'ö' => ("oe", "o"),
            'ü' => ("ue", "u"),
            'ß' => ("ss", "ss"),
            'à' | 'á' | 'â' | 'å' => ("a", "a"),
            'è' | 'é' | 'ê' | 'ë' => ("e", "e"),
            'ì' | 'í' | 'î' | 'ï' => ("i", "i"),
            'ò' | 'ó' | 'ô' => ("o", "o"),
            'ù' | 'ú' | 'û' => ("u", "u"),
            'ç' => ("c", "c"),
            '.' => (".", "."),
            c if c.is_alphanumeric() => {
                out[0].push(c);
                out[1].push(c);
                continue;
            }
            _ => (" ", " "),
        };
        out[0].push_str(written_out);
        out[1].push_str(dropped);
    }
    out.map(|s| {
        s.split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| {
                // "Hauptstr." is how street signs and labels abbreviate "Hauptstraße".
                let w = w.trim_end_matches('.');
                match w.strip_suffix("str") {
                    Some(stem) if w.len() > 3 || stem.is_empty() => format!("{stem}strasse"),
                    _ => w.to_owned(),
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// Letters and digits only, upper case: how tracking numbers compare.
fn tracking_key(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Whether every word of `query` appears in `address` (in one of the two spellings).
pub fn address_matches(query: &str, address: &str) -> bool {
    let q = spellings(query);
    let a = spellings(address);
    q.iter()
        .zip(&a)
        .any(|(q, a)| q.split(' ').all(|word| a.contains(word)))
}

/// The first of `tracking_ids` that `query` matches, ignoring case, spaces and dashes.
pub fn tracking_match<'a>(query: &str, tracking_ids: &'a [String]) -> Option<&'a String> {
    let q = tracking_key(query);
    if q.len() < MIN_TRACKING_PART {
        return None;
    }
    tracking_ids.iter().find(|id| tracking_key(id).contains(&q))
}

/// Why a stop with `address` (and `name`) and these parcels matches `query`, if it does.
pub fn stop_hit(
    query: &str,
    address: &str,
    name: Option<&str>,
    tracking_ids: &[String],
) -> Option<Hit> {
    if query.trim().is_empty() {
        return Some(Hit::All);
    }
    if let Some(id) = tracking_match(query, tracking_ids) {
        return Some(Hit::Tracking(id.clone()));
    }
    let haystack = match name {
        Some(n) => format!("{address} {n}"),
        None => address.to_owned(),
    };
    address_matches(query, &haystack).then_some(Hit::Address)
}

/// A warning on a stop line about its time window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowWarning {
    /// Still open, and the window ends within [`SOON`].
    Soon,
    /// Still open, and the window has ended.
    Missed,
}

impl WindowWarning {
    /// Catalog key of the warning's text.
    pub fn key(self) -> &'static str {
        match self {
            WindowWarning::Soon => "window-soon",
            WindowWarning::Missed => "window-missed",
        }
    }

    /// The `data-kind` attribute and CSS class (`soon`, `missed`).
    pub fn attr(self) -> &'static str {
        match self {
            WindowWarning::Soon => "soon",
            WindowWarning::Missed => "missed",
        }
    }
}

/// The warning for a stop in `state` with `window` at `now`; only open stops warn.
pub fn window_warning(
    now: DateTime<Utc>,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    state: StopState,
) -> Option<WindowWarning> {
    let (_, end) = window?;
    if !matches!(state, StopState::Open | StopState::Arrived) {
        return None;
    }
    if end <= now {
        Some(WindowWarning::Missed)
    } else if end - now <= SOON {
        Some(WindowWarning::Soon)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_addresses_are_found_however_they_are_typed() {
        let address = "Bayreuther Straße 12a, 95463 Bindlach";
        for query in [
            "strasse",
            "Straße",
            "STRASSE",
            "bayreuther str.",
            "Bayreuther Str",
            "bayreuther strasse 12a",
            "bindlach bayreuther",
            "12a",
            "95463",
        ] {
            assert!(
                address_matches(query, address),
                "{query:?} finds {address:?}"
            );
        }
        for query in ["bamberger", "strasse 13", "bayreuther weg"] {
            assert!(
                !address_matches(query, address),
                "{query:?} must not find {address:?}"
            );
        }
    }

    #[test]
    fn umlauts_written_out_or_dropped() {
        let address = "Müllerstraße 3, 95445 Bayreuth";
        for query in ["müller", "mueller", "muller", "MÜLLERSTR."] {
            assert!(address_matches(query, address), "{query:?}");
        }
        let written_out = "Mueller Weg 3";
        assert!(address_matches("Müller", written_out));
        assert!(address_matches("mueller", written_out));
        assert!(address_matches("Bergstr. 5", "Bergstraße 5, Bindlach"));
        assert!(address_matches("Bergstraße", "Bergstr. 5, Bindlach"));
    }

    #[test]
    fn a_street_called_str_is_not_rewritten_inside_other_words() {
        assert!(!address_matches("strand", "Bergstraße 5"));
        assert!(address_matches("strand", "Am Strand 1"));
    }

    #[test]
    fn tracking_numbers_ignore_case_spaces_and_dashes() {
        let ids = vec![
            "TBA123456789000".to_owned(),
            "1Z999AA10123456784".to_owned(),
        ];
        let hit = |q: &str| tracking_match(q, &ids).cloned();
        assert_eq!(hit("tba123456789000").as_deref(), Some("TBA123456789000"));
        assert_eq!(
            hit(" 1z 999 aa1 012 3456 784 ").as_deref(),
            Some("1Z999AA10123456784")
        );
        assert_eq!(hit("1Z-999-AA1").as_deref(), Some("1Z999AA10123456784"));
        assert_eq!(hit("6784").as_deref(), Some("1Z999AA10123456784"));
        assert_eq!(
            hit("784"),
            None,
            "too short to be meant as a tracking number"
        );
        assert_eq!(hit("TBA999"), None);
    }

    #[test]
    fn a_stop_is_hit_by_address_name_or_parcel() {
        let ids = vec!["TBA555000111".to_owned()];
        let hit = |q: &str| {
            stop_hit(
                q,
                "Hauptstraße 2, 95500 Heinersreuth",
                Some("Landgasthof Moreth"),
                &ids,
            )
        };
        assert_eq!(hit(""), Some(Hit::All));
        assert_eq!(hit("   "), Some(Hit::All));
        assert_eq!(hit("hauptstrasse 2"), Some(Hit::Address));
        assert_eq!(hit("landgasthof"), Some(Hit::Address));
        assert_eq!(
            hit("tba 555 000 111"),
            Some(Hit::Tracking("TBA555000111".into()))
        );
        assert_eq!(hit("nowhere"), None);
    }

    fn t(minutes_from_now: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + Duration::minutes(minutes_from_now)
    }

    #[test]
    fn open_stops_warn_when_their_window_ends_soon_or_has_passed() {
        let now = t(0);
        let check = |start, end, state, expect| {
            assert_eq!(
                window_warning(now, Some((t(start), t(end))), state),
                expect,
                "window {start}..{end} min, {state:?}"
            );
        };
        check(-120, -60, StopState::Open, Some(WindowWarning::Missed));
        check(-120, 0, StopState::Open, Some(WindowWarning::Missed));
        check(-60, 20, StopState::Open, Some(WindowWarning::Soon));
        check(-60, 30, StopState::Arrived, Some(WindowWarning::Soon));
        check(-60, 31, StopState::Open, None);
        check(60, 180, StopState::Open, None);
        check(-120, -60, StopState::Done, None);
        check(-60, 20, StopState::Failed, None);
        check(-120, -60, StopState::Skipped, None);
        assert_eq!(window_warning(now, None, StopState::Open), None);
    }
}
