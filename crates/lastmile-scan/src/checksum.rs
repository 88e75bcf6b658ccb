//! Check-digit algorithms used by parcel carriers, written from their published descriptions.
//!
//! Each function takes the *sequence* the carrier protects (already stripped of prefixes the
//! carrier excludes) and the check character printed after it, and says whether they agree.
//! The variants follow the behaviour of the `tracking_number` reference implementation, which is
//! what the carriers' public sample numbers were checked against; where that differs from a
//! textbook algorithm (letters in the UPS mod 10, the products not digit-summed) the comment says so.
//! All functions are total: a non-digit where a digit is required makes them return `false`.

/// Parameters of the weighted mod 10 used by UPS, USPS, FedEx Ground, OnTrac and Canada Post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mod10 {
    /// Multiplier for characters at even 0-based positions (1 = unweighted).
    pub evens: u32,
    /// Multiplier for characters at odd 0-based positions.
    pub odds: u32,
    /// Count positions from the right (USPS IMpb) instead of the left.
    pub reverse: bool,
}

/// Weighted mod 10. Letters (UPS "1Z" serials) count as `(ASCII - 3) mod 10`, the UPS rule.
/// Products are added as they are, not digit-summed (that would be Luhn).
pub fn mod10(sequence: &str, check: char, params: Mod10) -> bool {
    let Some(check) = check.to_digit(10) else {
        return false;
    };
    let values: Option<Vec<u32>> = sequence.chars().map(mod10_value).collect();
    let Some(mut values) = values else {
        return false;
    };
    if params.reverse {
        values.reverse();
    }
    let total: u32 = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v * if i % 2 == 1 {
                params.odds
            } else {
                params.evens
            }
        })
        .sum();
    (10 - total % 10) % 10 == check
}

fn mod10_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        'A'..='Z' => Some((u32::from(c) - 3) % 10),
        _ => None,
    }
}

/// DHL Express: the sequence read as a number, modulo 7, is the check digit.
pub fn mod7(sequence: &str, check: char) -> bool {
    let Some(check) = check.to_digit(10) else {
        return false;
    };
    // Folding digit by digit avoids overflow for any length.
    let mut rest = 0u32;
    for c in sequence.chars() {
        let Some(d) = c.to_digit(10) else {
            return false;
        };
        rest = (rest * 10 + d) % 7;
    }
    rest == check
}

/// UPU S10 (international postal items, e.g. `RB123456785DE`): weights 8 6 4 2 3 5 9 7 over the
/// eight serial digits, modulo 11; remainder 0 gives 5 and remainder 1 gives 0.
pub fn s10(serial: &str, check: char) -> bool {
    const WEIGHTS: [u32; 8] = [8, 6, 4, 2, 3, 5, 9, 7];
    let Some(check) = check.to_digit(10) else {
        return false;
    };
    let digits: Option<Vec<u32>> = serial.chars().map(|c| c.to_digit(10)).collect();
    let Some(digits) = digits.filter(|d| d.len() == WEIGHTS.len()) else {
        return false;
    };
    let total: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    let expected = match total % 11 {
        0 => 5,
        1 => 0,
        r => 11 - r,
    };
    expected == check
}

/// FedEx Express: sum of digit × weight, then `% modulo1 % modulo2` is the check digit.
/// Weights apply from the left; digits beyond the weights are ignored, as in the reference.
pub fn sum_product(
    sequence: &str,
    check: char,
    weights: &[u32],
    modulo1: u32,
    modulo2: u32,
) -> bool {
    let Some(check) = check.to_digit(10) else {
        return false;
    };
    let mut total = 0u32;
    for (c, w) in sequence.chars().zip(weights) {
        let Some(d) = c.to_digit(10) else {
            return false;
        };
        total += d * w;
    }
    total % modulo1 % modulo2 == check
}

/// Luhn (Old Dominion, Purolator): with the check digit appended, doubling every second digit
/// from the right and summing the digits of the products gives a multiple of 10.
pub fn luhn(sequence: &str, check: char) -> bool {
    let Some(check) = check.to_digit(10) else {
        return false;
    };
    let mut total = check;
    for (i, c) in sequence.chars().rev().enumerate() {
        let Some(d) = c.to_digit(10) else {
            return false;
        };
        total += if i % 2 == 0 {
            let doubled = d * 2;
            if doubled > 9 { doubled - 9 } else { doubled }
        } else {
            d
        };
    }
    total % 10 == 0
}

/// ISO 7064 MOD 37,36 hybrid (DPD parcel label specification): alphanumeric check character.
pub fn mod_37_36(sequence: &str, check: char) -> bool {
    const MOD: u32 = 36;
    let mut cd = MOD;
    for c in sequence.chars() {
        let Some(value) = c.to_digit(36) else {
            return false;
        };
        cd += value;
        if cd > MOD {
            cd -= MOD;
        }
        cd *= 2;
        if cd > MOD {
            cd -= MOD + 1;
        }
    }
    let mut cd = MOD + 1 - cd;
    if cd == MOD {
        cd = 0;
    }
    std::char::from_digit(cd, 36).map(|c| c.to_ascii_uppercase()) == Some(check)
}

#[cfg(test)]
mod tests {
    //! Hand-checked examples per algorithm; the carrier vectors live in tests/tracking.rs.
    use super::*;

    const UPS: Mod10 = Mod10 {
        evens: 1,
        odds: 2,
        reverse: false,
    };

    #[test]
    fn mod10_ups_with_letters() {
        assert!(mod10("5R8939035756712", '7', UPS));
        assert!(!mod10("5R8939035756712", '8', UPS));
        assert!(!mod10("5R89-9035756712", '7', UPS));
    }

    #[test]
    fn mod7_dhl_express() {
        assert!(mod7("331881002", '5'));
        assert!(!mod7("331881002", '4'));
        assert!(!mod7("33188100x", '5'));
    }

    #[test]
    fn s10_examples() {
        assert!(s10("12345678", '5'));
        assert!(!s10("12345678", '6'));
        assert!(!s10("1234567", '5'));
    }

    #[test]
    fn luhn_classic_example() {
        // The textbook Luhn example 79927398713.
        assert!(luhn("7992739871", '3'));
        assert!(!luhn("7992739871", '4'));
    }

    #[test]
    fn mod_37_36_dpd() {
        assert!(mod_37_36("008182709980000020033350276", 'C'));
        assert!(!mod_37_36("008182709980000020033350276", 'A'));
    }

    #[test]
    fn sum_product_fedex() {
        let w = [3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1];
        assert!(sum_product("98657878885", '5', &w, 11, 10));
        assert!(!sum_product("99657878885", '5', &w, 11, 10));
    }
}
