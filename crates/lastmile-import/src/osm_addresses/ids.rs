//! Tracking numbers for the demo's parcels, in real carrier formats with correct check
//! characters, so scanning or typing them in the app exercises the same validation a real
//! label does. Written from the carriers' published rules (see the shared
//! `tracking_number_formats/CHECKSUM_ALGORITHMS.md`); the tests check every number against
//! `lastmile-scan`, an implementation written separately.

/// The formats the demo uses: the carriers a German delivery base sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TrackingKind {
    /// DPD's 28-character label number: destination postcode, parcel number, service 101
    /// (normal parcel), country 276 (Germany), ISO 7064 MOD 37,36 check character.
    Dpd28,
    /// DHL Express waybill: 9 digits and their remainder modulo 7.
    DhlExpress,
    /// UPS `1Z`: shipper, service, package number, UPS mod 10.
    Ups,
    /// UPU S10 registered item from Deutsche Post: `RR`, 8 digits, check digit, `DE`.
    S10,
}

impl TrackingKind {
    pub(crate) const ALL: [Self; 4] = [Self::Dpd28, Self::DhlExpress, Self::Ups, Self::S10];
}

/// A number of `kind` for the demo parcel `serial` going to `postcode`; `random` supplies the
/// digits that make numbers look unlike each other.
pub(crate) fn tracking_number(
    kind: TrackingKind,
    serial: u64,
    postcode: &str,
    random: &mut impl FnMut() -> u64,
) -> String {
    match kind {
        TrackingKind::Dpd28 => {
            let zip: String = postcode
                .chars()
                .filter(char::is_ascii_digit)
                .take(5)
                .collect();
            let body = format!(
                "00{zip:0>5}{:010}{serial:04}101276",
                random() % 10_000_000_000
            );
            let check = mod_37_36_check(&body);
            format!("{body}{check}")
        }
        TrackingKind::DhlExpress => {
            // Nine digits with a leading non-zero, so the number keeps its length.
            let body = 100_000_000 + (random() % 800_000_000 / 1000) * 1000 + serial % 1000;
            format!("{body}{}", body % 7)
        }
        TrackingKind::Ups => {
            const SHIPPER_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPRSTUVWXY";
            let shipper: String = (0..6)
                .map(|_| {
                    char::from(SHIPPER_CHARS[(random() % SHIPPER_CHARS.len() as u64) as usize])
                })
                .collect();
            let body = format!("{shipper}01{:03}{serial:04}", random() % 1000);
            format!("1Z{body}{}", ups_mod10_check(&body))
        }
        TrackingKind::S10 => {
            let digits = format!("{:04}{serial:04}", random() % 10_000);
            format!("RR{digits}{}DE", s10_check(&digits))
        }
    }
}

/// ISO 7064 MOD 37,36: the character that completes `body` (digits and capital letters).
fn mod_37_36_check(body: &str) -> char {
    const M: u32 = 36;
    let mut cd = M;
    for c in body.chars() {
        cd += c.to_digit(36).unwrap_or(0);
        if cd > M {
            cd -= M;
        }
        cd *= 2;
        if cd > M {
            cd -= M + 1;
        }
    }
    let value = (M + 1 - cd) % M;
    std::char::from_digit(value, 36)
        .unwrap_or('0')
        .to_ascii_uppercase()
}

/// UPS: digits as they are, letters as `(ASCII - 3) mod 10`, odd positions doubled; the check
/// digit brings the sum to a multiple of ten.
fn ups_mod10_check(body: &str) -> u32 {
    let total: u32 = body
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let v = c.to_digit(10).unwrap_or((u32::from(c) - 3) % 10);
            if i % 2 == 1 { v * 2 } else { v }
        })
        .sum();
    (10 - total % 10) % 10
}

/// UPU S10: weights 8 6 4 2 3 5 9 7 modulo 11; 10 becomes 0 and 11 becomes 5.
fn s10_check(digits: &str) -> u32 {
    const WEIGHTS: [u32; 8] = [8, 6, 4, 2, 3, 5, 9, 7];
    let sum: u32 = digits
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    match 11 - sum % 11 {
        10 => 0,
        11 => 5,
        d => d,
    }
}
