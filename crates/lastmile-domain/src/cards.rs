//! Notification cards: numbered slips from a stack issued at check-in. The station reconciles
//! every number, so a number must come from the driver's stack and is never used twice.

/// A normalized card number: what the driver typed or scanned, without spaces or dashes,
/// upper case. Printed cards carry 6 to 20 letters and digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CardNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error("{0:?} is not a card number (6 to 20 letters and digits)")]
    Malformed(String),
    #[error("card {0} is not from the stack issued to this driver")]
    NotIssued(String),
    #[error("card {0} was already used")]
    AlreadyUsed(String),
}

impl CardNumber {
    pub fn parse(input: &str) -> Result<Self, CardError> {
        let normalized: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if !(6..=20).contains(&normalized.len())
            || !normalized.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Err(CardError::Malformed(input.to_owned()));
        }
        Ok(Self(normalized))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The numbers of a printed stack from `first` to `last` (both included), keeping the
    /// width and any letter prefix of `first`: `stack("DE000100", 3)` = DE000100..DE000102.
    pub fn stack(first: &str, count: u32) -> Result<Vec<CardNumber>, CardError> {
        let first = Self::parse(first)?;
        let digits_at = first.0.len()
            - first
                .0
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_digit())
                .count();
        let (prefix, digits) = first.0.split_at(digits_at);
        let start: u64 = digits
            .parse()
            .map_err(|_| CardError::Malformed(first.0.clone()))?;
        (0..u64::from(count))
            .map(|i| {
                Self::parse(&format!(
                    "{prefix}{:0width$}",
                    start + i,
                    width = digits.len()
                ))
            })
            .collect()
    }
}

impl std::fmt::Display for CardNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers_are_normalized() {
        assert_eq!(
            CardNumber::parse(" de-0001 23 ").unwrap().as_str(),
            "DE000123"
        );
        assert!(matches!(
            CardNumber::parse("12"),
            Err(CardError::Malformed(_))
        ));
        assert!(matches!(
            CardNumber::parse("DE00#123"),
            Err(CardError::Malformed(_))
        ));
    }

    #[test]
    fn a_stack_counts_up_keeping_prefix_and_width() {
        let stack = CardNumber::stack("DE000998", 3).unwrap();
        let shown: Vec<&str> = stack.iter().map(CardNumber::as_str).collect();
        assert_eq!(shown, ["DE000998", "DE000999", "DE001000"]);
    }
}
