//! Dates, times and distances as a driver reads them in their language: `22.11.2026` /
//! `22 Nov 2026` / `22/11/2026`, 24-hour times in the device's local time, `850 m` /
//! `1,2 km` / `1.2 km` / `1,2 км` / `1.2 كم`. Digits are Western Arabic in every language
//! (also in Arabic, as on the parcels' labels); the Arabic UI shows them left to right.
//!
//! The formatting itself is pure (and unit-tested natively); only [`local_offset`] and [`now`]
//! ask the platform (the webview's `Date` on wasm32, the system clock natively).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Offset, Timelike, Utc};

use crate::i18n::Lang;

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A calendar date: `22.11.2026` (de, pl, ro, tr, uk), `22 Nov 2026` (en), `22/11/2026` (ar).
pub fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::De | Lang::Pl | Lang::Ro | Lang::Tr | Lang::Uk => {
            format!("{:02}.{:02}.{}", d.day(), d.month(), d.year())
        }
        Lang::Ar => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
        Lang::En => format!(
            "{} {} {}",
            d.day(),
            MONTHS_EN[d.month0() as usize],
            d.year()
        ),
    }
}

/// A tour date as the shell sends it (`2026-11-22`); text that is not such a date is shown
/// as it came, so nothing the server sent disappears from the screen.
pub fn date_str(iso: &str, lang: Lang) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").map_or_else(|_| iso.to_owned(), |d| date(d, lang))
}

/// A time of day in the device's local time, 24-hour clock (`14:05`) in both languages.
pub fn time(t: DateTime<Utc>, lang: Lang) -> String {
    time_at(t, local_offset(t), lang)
}

/// [`time`] in a given UTC offset (the pure part).
pub fn time_at(t: DateTime<Utc>, offset: FixedOffset, _lang: Lang) -> String {
    let local = t.with_timezone(&offset);
    format!("{:02}:{:02}", local.hour(), local.minute())
}

/// A time window in local time: `10:00–12:00`.
pub fn window(start: DateTime<Utc>, end: DateTime<Utc>, lang: Lang) -> String {
    format!("{}–{}", time(start, lang), time(end, lang))
}

/// A distance in metres: whole metres under 100 m, tens of metres under 1 km, one decimal
/// under 10 km, whole kilometres above (`850 m`, `1,2 km` in German, `1.2 km` in English).
/// A value that is not a distance (negative, NaN) shows as a dash rather than a wrong number.
pub fn distance(metres: f64, lang: Lang) -> String {
    if !metres.is_finite() || metres < 0.0 {
        return "–".to_owned();
    }
    let shown = if metres < 100.0 {
        metres.round()
    } else {
        (metres / 10.0).round() * 10.0
    };
    let (m, km) = match lang {
        Lang::Uk => ("м", "км"),
        Lang::Ar => ("م", "كم"),
        _ => ("m", "km"),
    };
    if shown < 1000.0 {
        return format!("{shown:.0} {m}");
    }
    let tenths = (metres / 100.0).round();
    if tenths < 100.0 {
        let text = format!("{:.1}", tenths / 10.0);
        return match lang {
            Lang::En | Lang::Ar => format!("{text} {km}"),
            _ => format!("{} {km}", text.replace('.', ",")),
        };
    }
    format!("{:.0} {km}", (metres / 1000.0).round())
}

/// The device's UTC offset at instant `t` (daylight saving time included).
#[cfg(target_arch = "wasm32")]
pub fn local_offset(t: DateTime<Utc>) -> FixedOffset {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t.timestamp_millis() as f64));
    // getTimezoneOffset() is UTC minus local time, in minutes.
    let east_seconds = -(d.get_timezone_offset() as i32) * 60;
    FixedOffset::east_opt(east_seconds).unwrap_or_else(|| Utc.fix())
}

/// The device's UTC offset at instant `t` (daylight saving time included).
#[cfg(not(target_arch = "wasm32"))]
pub fn local_offset(t: DateTime<Utc>) -> FixedOffset {
    t.with_timezone(&chrono::Local).offset().fix()
}

/// The current time (the webview's clock on wasm32, where chrono cannot read one).
#[cfg(target_arch = "wasm32")]
pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// The current time.
#[cfg(not(target_arch = "wasm32"))]
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// A size in whole bytes, kilobytes or megabytes (`420 B`, `300 KB`, `5 MB`), rounded up.
pub fn bytes(n: u64) -> String {
    const KB: u64 = 1024;
    match n {
        0..KB => format!("{n} B"),
        KB..1_048_576 => format!("{} KB", n.div_ceil(KB)),
        _ => format!("{} MB", n.div_ceil(KB * KB)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_round_up_to_whole_units() {
        assert_eq!(bytes(420), "420 B");
        assert_eq!(bytes(1024), "1 KB");
        assert_eq!(bytes(300 * 1024 + 1), "301 KB");
        assert_eq!(bytes(5 * 1024 * 1024), "5 MB");
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn dates_in_both_languages() {
        let check = |y, m, d, de: &str, en: &str| {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(date(day, Lang::De), de);
            assert_eq!(date(day, Lang::En), en);
        };
        check(2026, 11, 22, "22.11.2026", "22 Nov 2026");
        check(2026, 1, 5, "05.01.2026", "5 Jan 2026");
        check(2024, 2, 29, "29.02.2024", "29 Feb 2024");
        check(2025, 12, 31, "31.12.2025", "31 Dec 2025");
    }

    #[test]
    fn tour_dates_from_the_shell() {
        assert_eq!(date_str("2026-11-22", Lang::De), "22.11.2026");
        assert_eq!(date_str("2026-11-22", Lang::En), "22 Nov 2026");
        assert_eq!(date_str("tomorrow", Lang::En), "tomorrow");
    }

    #[test]
    fn times_are_24_hour_in_the_given_offset() {
        let berlin_winter = FixedOffset::east_opt(3600).unwrap();
        let berlin_summer = FixedOffset::east_opt(7200).unwrap();
        let t = utc("2026-11-22T13:05:00Z");
        assert_eq!(time_at(t, berlin_winter, Lang::De), "14:05");
        assert_eq!(time_at(t, berlin_winter, Lang::En), "14:05");
        assert_eq!(
            time_at(utc("2026-07-01T22:30:00Z"), berlin_summer, Lang::De),
            "00:30"
        );
        let new_york = FixedOffset::west_opt(5 * 3600).unwrap();
        assert_eq!(time_at(t, new_york, Lang::En), "08:05");
    }

    #[test]
    fn local_time_follows_the_device_offset() {
        let t = utc("2026-11-22T13:05:00Z");
        assert_eq!(time(t, Lang::De), time_at(t, local_offset(t), Lang::De));
    }

    #[test]
    fn distances_in_both_languages() {
        let check = |m: f64, de: &str, en: &str| {
            assert_eq!(distance(m, Lang::De), de, "{m} m in German");
            assert_eq!(distance(m, Lang::En), en, "{m} m in English");
        };
        check(0.0, "0 m", "0 m");
        check(42.4, "42 m", "42 m");
        check(99.4, "99 m", "99 m");
        check(853.0, "850 m", "850 m");
        check(994.0, "990 m", "990 m");
        check(996.0, "1,0 km", "1.0 km");
        check(1200.0, "1,2 km", "1.2 km");
        check(1249.0, "1,2 km", "1.2 km");
        check(9_949.0, "9,9 km", "9.9 km");
        check(9_960.0, "10 km", "10 km");
        check(23_456.0, "23 km", "23 km");
    }

    #[test]
    fn dates_and_distances_in_the_other_languages() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        for lang in [Lang::Pl, Lang::Ro, Lang::Tr, Lang::Uk] {
            assert_eq!(date(day, lang), "05.01.2026", "{lang:?}");
        }
        assert_eq!(date(day, Lang::Ar), "05/01/2026");
        assert_eq!(distance(1200.0, Lang::Pl), "1,2 km");
        assert_eq!(distance(1200.0, Lang::Tr), "1,2 km");
        assert_eq!(distance(1200.0, Lang::Uk), "1,2 км");
        assert_eq!(distance(853.0, Lang::Uk), "850 м");
        assert_eq!(distance(1200.0, Lang::Ar), "1.2 كم");
        assert_eq!(distance(23_456.0, Lang::Ar), "23 كم");
    }

    #[test]
    fn nonsense_distances_show_a_dash() {
        assert_eq!(distance(f64::NAN, Lang::De), "–");
        assert_eq!(distance(-5.0, Lang::En), "–");
        assert_eq!(distance(f64::INFINITY, Lang::En), "–");
    }
}
