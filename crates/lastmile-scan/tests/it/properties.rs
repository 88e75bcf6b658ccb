//! Property tests of the scanner's parsers (issue 16): tracking numbers keep their meaning
//! however they are grouped or cased, and any bytes or pixels given to the barcode decoder
//! give an answer, never a crash.

use lastmile_scan::barcode::{ScanError, decode_image, decode_luma};
use lastmile_scan::{matching_formats, normalize, validate_tracking};
use proptest::prelude::*;

/// Valid numbers of several carriers (UPS, S10, DHL Express: the demo tour's).
const VALID: &[&str] = &[
    "1ZKMXBPS0160500018",
    "RR429100023DE",
    "6810020324",
    "7463200334",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn normalising_is_idempotent(s in "\\PC{0,30}") {
        let once = normalize(&s);
        prop_assert_eq!(normalize(&once), once.clone());
        prop_assert!(!once.chars().any(|c| c.is_whitespace() || c == '-'));
    }

    #[test]
    fn grouping_and_case_do_not_change_a_valid_number(
        which in 0..VALID.len(),
        cuts in proptest::collection::vec((0usize..20, prop_oneof![Just(" "), Just("-"), Just("\t"), Just("  ")]), 0..4),
        lower in any::<bool>(),
    ) {
        let number = VALID[which];
        let want = validate_tracking(number).expect("a valid sample");
        let mut typed: String = if lower { number.to_lowercase() } else { number.to_owned() };
        for (at, sep) in cuts {
            let at = at.min(typed.len());
            typed.insert_str(at, sep);
        }
        prop_assert_eq!(validate_tracking(&typed), Ok(want.clone()));
        let formats = matching_formats(&typed);
        prop_assert_eq!(formats.first(), Some(&want));
    }

    #[test]
    fn validation_agrees_with_the_matching_formats(s in "[0-9A-Z -]{0,24}") {
        let formats = matching_formats(&s);
        match validate_tracking(&s) {
            Ok(t) => prop_assert_eq!(formats.first(), Some(&t)),
            Err(_) => prop_assert!(formats.is_empty()),
        }
    }
}

proptest! {
    // Decoding runs the whole ladder of passes: fewer cases.
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn any_bytes_are_an_image_error_or_a_scan(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        if let Ok(found) = decode_image(&bytes) {
            prop_assert!(!found.is_empty());
        }
    }

    #[test]
    fn any_pixels_are_nothing_found_or_a_scan(w in 1u32..12, h in 1u32..12, seed in any::<u64>()) {
        let mut x = seed | 1;
        let image = image::GrayImage::from_fn(w, h, |_, _| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            image::Luma([(x % 256) as u8])
        });
        match decode_luma(&image) {
            Ok(found) => prop_assert!(!found.is_empty()),
            Err(e) => prop_assert!(matches!(e, ScanError::NothingFound), "{e}"),
        }
    }
}
