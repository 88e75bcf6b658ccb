//! Carrier tracking numbers: normalise what was scanned or typed, recognise the carrier's format
//! and verify its check digit, so a typo in manual entry is refused before it reaches the tour.
//!
//! The format table below is our own code: patterns written for the *normalised* form (no spaces
//! or dashes, upper case), so the plain `regex` crate suffices (the public reference data uses
//! look-around, which `regex` lacks; those constraints are expressed as alternations or as the
//! USPS routing-prefix rule here). The table was checked against every valid and invalid sample
//! number of the public `tracking_number_data` set (MIT); see `tests/tracking.rs`.
//!
//! Our own parcel ids (the tour import's ids, e.g. the Amazon `PackageID` UUIDs) have no check
//! digit. Decision: the tour is the authority for those, so [`classify_entry`] asks the caller's
//! lookup first and only validates carrier formats when the tour does not know the input.
//! [`is_tour_parcel_id`] is a shape check for UIs that want to hint before the lookup.

use std::sync::OnceLock;

use regex::{Captures, Regex};

use crate::checksum::{self, Mod10};

/// A recognised carrier tracking number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackingNumber {
    /// The carrier, e.g. `"UPS"`, `"DHL"`.
    pub courier: &'static str,
    /// The carrier's number type, e.g. `"UPS"`, `"DHL Express"`, `"S10"`.
    pub service: &'static str,
    /// The number without spaces or dashes, upper case: the form to store and compare.
    pub normalized: String,
}

/// Why an entry is not a usable tracking number. All are the caller's input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrackingError {
    /// Nothing left after removing spaces and dashes.
    #[error("the tracking number is empty")]
    Empty,
    /// The input has the shape of a carrier's number but its check digit is wrong: most likely
    /// a typo, so the UI should ask the driver to compare it with the label.
    #[error("the check digit does not match for a {courier} {service} number")]
    CheckDigitMismatch {
        courier: &'static str,
        service: &'static str,
    },
    /// No supported carrier format matches.
    #[error("not a known tracking number format")]
    UnknownFormat,
}

/// What a typed or scanned entry refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A parcel id the tour knows, in the spelling the tour lookup accepted.
    TourParcel(String),
    /// A valid carrier number the tour does not (yet) know.
    Carrier(TrackingNumber),
}

/// Removes whitespace and dashes and upper-cases, the form carriers print in groups.
pub fn normalize(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

/// Validates a carrier tracking number: normalises it, finds the first supported format whose
/// pattern and check digit both match, and returns it.
pub fn validate_tracking(input: &str) -> Result<TrackingNumber, TrackingError> {
    let normalized = normalize(input);
    if normalized.is_empty() {
        return Err(TrackingError::Empty);
    }
    let mut mismatch = None;
    for (format, regex) in table() {
        match format.check(regex, &normalized) {
            Outcome::Valid => {
                return Ok(TrackingNumber {
                    courier: format.courier,
                    service: format.service,
                    normalized,
                });
            }
            Outcome::BadCheck => {
                mismatch.get_or_insert(TrackingError::CheckDigitMismatch {
                    courier: format.courier,
                    service: format.service,
                });
            }
            Outcome::NoMatch => {}
        }
    }
    Err(mismatch.unwrap_or(TrackingError::UnknownFormat))
}

/// Every supported format the input is valid for, in priority order (many bare digit strings
/// fit several carriers; [`validate_tracking`] returns the first of these).
pub fn matching_formats(input: &str) -> Vec<TrackingNumber> {
    let normalized = normalize(input);
    table()
        .iter()
        .filter(|(format, regex)| format.check(regex, &normalized) == Outcome::Valid)
        .map(|(format, _)| TrackingNumber {
            courier: format.courier,
            service: format.service,
            normalized: normalized.clone(),
        })
        .collect()
}

/// Whether `input` has the shape of an id our tour import produces from Amazon `PackageID`s:
/// a UUID (`8-4-4-4-12` hex digits), optionally followed by `-<n>` for the numbered copies the
/// import adds. Ids of our own tour format are free text, so only the tour can confirm those.
pub fn is_tour_parcel_id(input: &str) -> bool {
    let s = input.trim();
    let (uuid, suffix) = match s.get(36..) {
        Some(rest) if !rest.is_empty() => (&s[..36], Some(rest)),
        _ => (s, None),
    };
    let groups: Vec<&str> = uuid.split('-').collect();
    let shape_ok = groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.chars().all(|c| c.is_ascii_hexdigit()));
    let suffix_ok = suffix.is_none_or(|rest| {
        rest.strip_prefix('-')
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    });
    shape_ok && suffix_ok
}

/// Classifies manual entry or a scan: a parcel the tour knows wins (tried as typed, in lower
/// case, and normalised, since UUIDs are lower case and carrier numbers upper case); otherwise
/// the input must be a valid carrier number. Whether a tour parcel belongs to the current stop
/// is the caller's rule, not this crate's.
pub fn classify_entry(
    input: &str,
    tour_has: impl Fn(&str) -> bool,
) -> Result<Entry, TrackingError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(TrackingError::Empty);
    }
    for candidate in [
        trimmed.to_owned(),
        trimmed.to_lowercase(),
        normalize(trimmed),
    ] {
        if tour_has(&candidate) {
            return Ok(Entry::TourParcel(candidate));
        }
    }
    validate_tracking(trimmed).map(Entry::Carrier)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    NoMatch,
    BadCheck,
    Valid,
}

#[derive(Debug, Clone, Copy)]
enum Check {
    None,
    Mod10(Mod10),
    Mod7,
    S10,
    SumProduct(&'static [u32]),
    Luhn,
    Mod3736,
}

/// The optional USPS routing prefix `420` + ZIP (+ ZIP+4) in front of the number proper.
/// `None` in a length list means any remaining length is allowed.
#[derive(Debug, Clone, Copy)]
enum Routing {
    Never,
    Usps {
        after_zip5: Option<&'static [usize]>,
        after_zip9: Option<&'static [usize]>,
    },
}

#[derive(Debug)]
struct Format {
    courier: &'static str,
    service: &'static str,
    /// Matches the whole normalised number; named groups `serial` (what the check digit
    /// protects), `check` and, for S10, `country`.
    pattern: &'static str,
    check: Check,
    /// `(prefix, text)`: prepend `text` to the serial unless it starts with `prefix`.
    prepend: Option<(&'static str, &'static str)>,
    routing: Routing,
}

impl Format {
    fn check(&self, regex: &Regex, normalized: &str) -> Outcome {
        let mut result = Outcome::NoMatch;
        for core in self.cores(normalized) {
            let Some(caps) = regex.captures(core) else {
                continue;
            };
            if self.check_digit_ok(&caps) && self.extra_ok(&caps) {
                return Outcome::Valid;
            }
            result = Outcome::BadCheck;
        }
        result
    }

    /// The candidate numbers proper: the whole input, and for USPS the input without each
    /// routing prefix (`420` + ZIP, `420` + ZIP+4) that the length rules allow.
    fn cores<'a>(&self, s: &'a str) -> Vec<&'a str> {
        let mut cores = vec![s];
        if let Routing::Usps {
            after_zip5,
            after_zip9,
        } = self.routing
        {
            for (prefix_len, lens) in [(12, after_zip9), (8, after_zip5)] {
                if let Some(rest) = strip_routing(s, prefix_len, lens) {
                    cores.push(rest);
                }
            }
        }
        cores
    }

    fn check_digit_ok(&self, caps: &Captures<'_>) -> bool {
        let serial = caps.name("serial").map_or("", |m| m.as_str());
        let serial = match self.prepend {
            Some((prefix, text)) if !serial.starts_with(prefix) => format!("{text}{serial}"),
            _ => serial.to_owned(),
        };
        let check = caps.name("check").and_then(|m| m.as_str().chars().next());
        match (self.check, check) {
            (Check::None, _) => true,
            (_, None) => false,
            (Check::Mod10(params), Some(c)) => checksum::mod10(&serial, c, params),
            (Check::Mod7, Some(c)) => checksum::mod7(&serial, c),
            (Check::S10, Some(c)) => checksum::s10(&serial, c),
            (Check::SumProduct(weights), Some(c)) => {
                checksum::sum_product(&serial, c, weights, 11, 10)
            }
            (Check::Luhn, Some(c)) => checksum::luhn(&serial, c),
            (Check::Mod3736, Some(c)) => checksum::mod_37_36(&serial, c),
        }
    }

    /// S10 numbers end in the issuing country: it must be a UPU member code.
    fn extra_ok(&self, caps: &Captures<'_>) -> bool {
        caps.name("country")
            .is_none_or(|c| UPU_COUNTRIES.split(' ').any(|code| code == c.as_str()))
    }
}

/// `s` without its first `prefix_len` characters when those are `420` and digits and the rest
/// is non-empty and of an allowed length (`None`: any).
fn strip_routing<'a>(s: &'a str, prefix_len: usize, lens: Option<&[usize]>) -> Option<&'a str> {
    let prefix = s.get(..prefix_len)?;
    let rest = s.get(prefix_len..)?;
    let ok = prefix.starts_with("420")
        && prefix.bytes().all(|b| b.is_ascii_digit())
        && !rest.is_empty()
        && lens.is_none_or(|l| l.contains(&rest.len()));
    ok.then_some(rest)
}

/// ISO country codes of the UPU members that issue S10 numbers.
const UPU_COUNTRIES: &str = "AF AL DZ AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI KH CM CA CV CF TD CL CN HK CO KM CG CR HR CU CY CZ CI KP CD DK DJ DM DO EC EG SV GQ ER EE ET FJ FI FR GA GM GE DE GH GB GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ KE KI KR KW KG LA LV LB LS LR LY LI LT LU MG MW MY MV ML MT MR MU MX MD MC MN ME MA MZ MM NA NR NP NL NZ NI NE NG NO OM PK PA PG PY PE PH PL PT QA RO RU RW KN LC VC WS SM ST SA SN RS SC SL SG SK SI SB SO ZA SS ES LK SD SR SZ SE CH SY TJ TZ TH MK TL TG TO TT TN TR TM TV UG UA AE US UY UZ VU VA VE VN YE ZM ZW";

const MOD10_1_2: Check = Check::Mod10(Mod10 {
    evens: 1,
    odds: 2,
    reverse: false,
});
const MOD10_3_1: Check = Check::Mod10(Mod10 {
    evens: 3,
    odds: 1,
    reverse: false,
});
const MOD10_1_3: Check = Check::Mod10(Mod10 {
    evens: 1,
    odds: 3,
    reverse: false,
});
const FEDEX_12: &[u32] = &[3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1];
const FEDEX_13: &[u32] = &[1, 7, 3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1];

const fn f(
    courier: &'static str,
    service: &'static str,
    pattern: &'static str,
    check: Check,
) -> Format {
    Format {
        courier,
        service,
        pattern,
        check,
        prepend: None,
        routing: Routing::Never,
    }
}

/// Supported formats in priority order: formats with a fixed letter prefix and a check digit
/// first (a match is strong evidence), bare digits with a check digit next, formats with no
/// check digit last, and the 14-digit DHL e-commerce number (any 14 digits) at the very end.
fn formats() -> Vec<Format> {
    vec![
        // Letter prefix + check digit.
        f(
            "UPS",
            "UPS",
            r"^1Z(?P<serial>[A-Z0-9]{15})(?P<check>[0-9])$",
            MOD10_1_2,
        ),
        f(
            "S10 International Standard",
            "S10",
            r"^[A-Z]{2}(?P<serial>[0-9]{8})(?P<check>[0-9])(?P<country>[A-Z]{2})$",
            Check::S10,
        ),
        Format {
            prepend: Some(("4", "4")),
            ..f(
                "OnTrac",
                "OnTrac",
                r"^C(?P<serial>[0-9]{13})(?P<check>[0-9])$",
                MOD10_1_2,
            )
        },
        Format {
            prepend: Some(("5", "5")),
            ..f(
                "OnTrac",
                "OnTrac D",
                r"^D(?P<serial>[0-9]{13})(?P<check>[0-9])$",
                MOD10_1_2,
            )
        },
        f(
            "UPS",
            "UPS Waybill",
            r"^[AHJKTV](?P<serial>[0-9]{9})(?P<check>[0-9])$",
            MOD10_1_2,
        ),
        // DPD: ISO 7064 check character, alphanumeric.
        f(
            "DPD",
            "DPD (28)",
            r"^(?P<serial>[0-9]{7}[0-9]{14}[0-9]{3}[0-9]{3})(?P<check>[0-9A-Z])$",
            Check::Mod3736,
        ),
        f(
            "DPD",
            "DPD (14)",
            r"^(?P<serial>[0-9]{14})(?P<check>[0-9A-Z])$",
            Check::Mod3736,
        ),
        // USPS (optional routing prefix 420 + ZIP).
        Format {
            routing: Routing::Usps {
                after_zip5: Some(&[22, 26]),
                after_zip9: Some(&[22]),
            },
            check: Check::Mod10(Mod10 {
                evens: 3,
                odds: 1,
                reverse: true,
            }),
            ..f(
                "USPS",
                "USPS IMpb N",
                r"^(?P<serial>94[0-9]{3}(?:9[0-9]{8}(?:[0-9]{15}|[0-9]{11}|[0-9]{7})|[0-8][0-9]{5}(?:[0-9]{14}|[0-9]{10})))(?P<check>[0-9])$",
                Check::None,
            )
        },
        Format {
            routing: Routing::Usps {
                after_zip5: None,
                after_zip9: Some(&[22]),
            },
            ..f(
                "USPS",
                "USPS IMpb C",
                r"^(?P<serial>(?:92[0-9]{3}9[0-9]{8}(?:[0-9]{11}|[0-9]{7})|93[0-9]{3}[0-8][0-9]{5}(?:[0-9]{14}|[0-9]{10})|95[0-9]{3}(?:9[0-9]{8}(?:[0-9]{11}|[0-9]{7})|[0-8][0-9]{5}(?:[0-9]{14}|[0-9]{10}))))(?P<check>[0-9])$",
                MOD10_3_1,
            )
        },
        Format {
            routing: Routing::Usps {
                after_zip5: None,
                after_zip9: None,
            },
            prepend: Some(("91", "91")),
            ..f(
                "USPS",
                "USPS Legacy",
                r"^(?P<serial>(?:91)?[0-9]{19})(?P<check>[0-9])$",
                MOD10_3_1,
            )
        },
        f(
            "USPS",
            "USPS 20",
            r"^(?P<serial>[0-9]{19})(?P<check>[0-9])$",
            MOD10_3_1,
        ),
        // FedEx.
        f(
            "FedEx",
            "FedEx Ground 96 (22)",
            r"^96[0-9]{2}[0-9]{3}(?P<serial>[0-9]{14})(?P<check>[0-9])$",
            MOD10_1_3,
        ),
        f(
            "FedEx",
            "FedEx Ground GSN",
            r"^96[0-9]{2}[0-9]{5}[0-9]{10}[0-9](?P<serial>[0-9]{13})(?P<check>[0-9])$",
            Check::SumProduct(FEDEX_13),
        ),
        f(
            "FedEx",
            "FedEx Express (34)",
            r"^[0-8][0-9]{14}[0-9]{5}(?P<serial>[0-9]{13})(?P<check>[0-9])$",
            Check::SumProduct(FEDEX_13),
        ),
        f(
            "FedEx",
            "FedEx ASTRA (32)",
            r"^3[0-9]{15}(?P<serial>[0-9]{11})(?P<check>[0-9])[0-9]{4}$",
            Check::SumProduct(FEDEX_12),
        ),
        f(
            "FedEx",
            "FedEx Ground (SSCC-18)",
            r"^[0-9]{2}(?P<serial>[0-9]{15})(?P<check>[0-9])$",
            MOD10_3_1,
        ),
        f(
            "FedEx",
            "FedEx Ground",
            r"^(?P<serial>[0-9]{14})(?P<check>[0-9])$",
            MOD10_1_3,
        ),
        f(
            "FedEx",
            "FedEx Express (12)",
            r"^(?P<serial>[0-9]{11})(?P<check>[0-9])$",
            Check::SumProduct(FEDEX_12),
        ),
        // Other bare digits with a check digit.
        f(
            "Canada Post",
            "Canada Post (16)",
            r"^(?P<serial>[0-9]{15})(?P<check>[0-9])$",
            MOD10_3_1,
        ),
        f(
            "DHL",
            "DHL Express",
            r"^(?P<serial>[0-9]{9,10})(?P<check>[0-9])$",
            Check::Mod7,
        ),
        f(
            "Old Dominion Freight Line",
            "Old Dominion",
            r"^(?P<serial>(?:77[78]|072|780)[0-9]{7})(?P<check>[0-9])$",
            Check::Luhn,
        ),
        f(
            "Old Dominion Freight Line",
            "Old Dominion Guaranteed Shipment",
            r"^(?P<serial>80[0-9]{8})(?P<check>[0-9])$",
            Check::Luhn,
        ),
        f(
            "Purolator",
            "Purolator (12)",
            r"^(?P<serial>[0-5][0-9]{10})(?P<check>[0-9])$",
            Check::Luhn,
        ),
        // Fixed prefixes, no check digit.
        f(
            "Amazon",
            "Amazon Logistics",
            r"^TB[ACM](?P<serial>[0-9]{12})$",
            Check::None,
        ),
        f(
            "Amazon",
            "Amazon International",
            r"^[AFC](?P<serial>[0-9]{10})$",
            Check::None,
        ),
        f(
            "Canpar",
            "Canpar (22)",
            r"^(?P<serial>[CDKLSUXZ][0-9]{21})$",
            Check::None,
        ),
        f(
            "DHL",
            "DHL Express (Piece ID)",
            r"^J[A-Z]{2,3}(?P<serial>[0-9]{9,10})$",
            Check::None,
        ),
        // The reference requires the serial to start with a digit and be 10 to 39 characters.
        f(
            "DHL",
            "DHL E-Commerce",
            r"^(?:GM|LX|RX|UV|CN|SG|TH|IN|HK|MY)(?P<serial>[0-9][0-9A-Z]{9,38})$",
            Check::None,
        ),
        f(
            "GOFO Express",
            "GOFO Express (US)",
            r"^GFUS(?P<serial>[0-9]{14})$",
            Check::None,
        ),
        f(
            "Landmark Global LTN",
            "Landmark Global LTN",
            r"^LTN(?P<serial>[0-9]{8})N1$",
            Check::None,
        ),
        f(
            "LaserShip",
            "LaserShip LX",
            r"^L[AIEHNX][1-3](?P<serial>[0-9]{7})$",
            Check::None,
        ),
        f(
            "LaserShip",
            "LaserShip 1LS7 (15)",
            r"^1LS7[12][0-9]{4}(?P<serial>[0-9]{6})$",
            Check::None,
        ),
        // Printed as `…-1`; normalising removes the dash, so the trailing 1 stays.
        f(
            "LaserShip",
            "LaserShip 1LS7 (18)",
            r"^1LS7[12][0-9]{2}01[1-4](?P<serial>[0-9]{6})1$",
            Check::None,
        ),
        f(
            "LaserShip",
            "LaserShip 1LSCX (15)",
            r"^1LSCX(?P<serial>[0-9A-Z]{10})$",
            Check::None,
        ),
        f(
            "Purolator",
            "Purolator (alpha + 9)",
            r"^(?P<serial>[A-Z]{3}[0-9]{9})$",
            Check::None,
        ),
        f(
            "Spee-Dee Delivery",
            "Spee-Dee (20)",
            r"^SP(?P<serial>[0-9]{18})$",
            Check::None,
        ),
        f(
            "Yodel",
            "Yodel",
            r"^JJ?D(?P<serial>[0-9]{16})$",
            Check::None,
        ),
        f(
            "YunExpress",
            "YunExpress",
            r"^YT(?P<serial>[0-9]{16})$",
            Check::None,
        ),
        f(
            "DHL",
            "DHL E-Commerce (14)",
            r"^(?P<serial>[0-9]{14})$",
            Check::None,
        ),
    ]
}

/// The compiled table. A pattern that fails to compile is dropped rather than panicking at a
/// driver's door; the test `every_format_pattern_compiles` makes sure none does.
fn table() -> &'static [(Format, Regex)] {
    static TABLE: OnceLock<Vec<(Format, Regex)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        formats()
            .into_iter()
            .filter_map(|format| Regex::new(format.pattern).ok().map(|r| (format, r)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    //! Unit tests of the table and the small helpers; the carrier vectors are in tests/tracking.rs.
    use super::*;

    #[test]
    fn every_format_pattern_compiles() {
        assert_eq!(table().len(), formats().len());
    }

    #[test]
    fn normalize_strips_spaces_and_dashes() {
        assert_eq!(normalize(" 1z 5r89-390 "), "1Z5R89390");
    }

    #[test]
    fn typo_is_a_check_digit_mismatch() {
        assert_eq!(
            validate_tracking("1Z5R89390357567128"),
            Err(TrackingError::CheckDigitMismatch {
                courier: "UPS",
                service: "UPS"
            })
        );
        assert_eq!(validate_tracking(" - "), Err(TrackingError::Empty));
        assert_eq!(
            validate_tracking("hello"),
            Err(TrackingError::UnknownFormat)
        );
    }

    #[test]
    fn tour_parcel_id_shape() {
        assert!(is_tour_parcel_id("5541e679-b7bd-4992-b288-e862f6c84ae7"));
        assert!(is_tour_parcel_id("5541e679-b7bd-4992-b288-e862f6c84ae7-3"));
        assert!(!is_tour_parcel_id("5541e679-b7bd-4992-b288-e862f6c84ae7-"));
        assert!(!is_tour_parcel_id("5541e679-b7bd-4992-b288-e862f6c84ae"));
        assert!(!is_tour_parcel_id("5541e679b7bd-4992-b288-e862f6c84ae7x"));
        assert!(!is_tour_parcel_id("1Z5R89390357567127"));
    }

    #[test]
    fn classify_prefers_the_tour() {
        let tour = ["5541e679-b7bd-4992-b288-e862f6c84ae7", "P1"];
        let has = |id: &str| tour.contains(&id);
        assert_eq!(
            classify_entry(" 5541E679-B7BD-4992-B288-E862F6C84AE7 ", has),
            Ok(Entry::TourParcel(
                "5541e679-b7bd-4992-b288-e862f6c84ae7".into()
            ))
        );
        assert_eq!(
            classify_entry("P1", has),
            Ok(Entry::TourParcel("P1".into()))
        );
        assert!(matches!(
            classify_entry("1Z5R89390357567127", has),
            Ok(Entry::Carrier(TrackingNumber { courier: "UPS", .. }))
        ));
        assert_eq!(classify_entry("P2", has), Err(TrackingError::UnknownFormat));
    }
}
