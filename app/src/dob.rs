//! Date of birth as typed by a patient, `YYYYMMDD` (SPEC §2.2). The one
//! parser that both the browser (live messages) and the server run.

use serde::{Deserialize, Serialize};

/// A calendar date (proleptic Gregorian), used for "today" and for a parsed DOB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Ymd {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "Ymd")]
pub struct DateOfBirth(Ymd);

/// Deserializing checks what can be checked without a clock: a real
/// calendar date, not before 1900 ([`DateOfBirth::parse`] also refuses the future).
impl TryFrom<Ymd> for DateOfBirth {
    type Error = DobProblem;

    fn try_from(d: Ymd) -> Result<Self, Self::Error> {
        if d.month == 0 || d.month > 12 || d.day == 0 || d.day > days_in_month(d.year, d.month) {
            return Err(DobProblem::NoSuchDate);
        }
        if d.year < 1900 {
            return Err(DobProblem::Before1900);
        }
        Ok(DateOfBirth(d))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum DobProblem {
    #[error("Use digits only, like {0}.")]
    DigitsOnly(String),
    #[error("Enter your date of birth as 8 digits: YYYYMMDD.")]
    NotEightDigits,
    #[error("There is no such date.")]
    NoSuchDate,
    #[error("Date of birth can't be in the future.")]
    InFuture,
    #[error("Date of birth can't be before 1900.")]
    Before1900,
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '/' | '.')
}

pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 0,
    }
}

impl DateOfBirth {
    /// Parses `raw` as of `today`. Surrounding whitespace is ignored.
    pub fn parse(raw: &str, today: Ymd) -> Result<Self, DobProblem> {
        let s = raw.trim();
        let digits: String = s.chars().filter(|c| !is_separator(*c)).collect();
        let all_digits = !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit());
        if s.chars().any(is_separator) && all_digits {
            return Err(DobProblem::DigitsOnly(digits));
        }
        if s.len() != 8 || !s.chars().all(|c| c.is_ascii_digit()) {
            return Err(DobProblem::NotEightDigits);
        }
        let num = |r: std::ops::Range<usize>| s[r].parse::<u16>().unwrap_or(0);
        let (year, month, day) = (num(0..4), num(4..6) as u8, num(6..8) as u8);
        let dob = DateOfBirth::try_from(Ymd { year, month, day })?;
        if dob.0 > today {
            return Err(DobProblem::InFuture);
        }
        Ok(dob)
    }

    pub fn ymd(&self) -> Ymd {
        self.0
    }

    /// The canonical `YYYYMMDD` form, as stored.
    pub fn compact(&self) -> String {
        format!("{:04}{:02}{:02}", self.0.year, self.0.month, self.0.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Ymd = Ymd { year: 2026, month: 11, day: 25 };

    fn parse(s: &str) -> Result<String, DobProblem> {
        DateOfBirth::parse(s, TODAY).map(|d| d.compact())
    }

    #[test]
    fn eight_digit_dates_parse() {
        assert_eq!(parse("19850312"), Ok("19850312".into()));
        assert_eq!(parse(" 19000101 "), Ok("19000101".into()));
        assert_eq!(parse("20261125"), Ok("20261125".into()));
    }

    #[test]
    fn separators_get_the_digits_only_message_with_the_corrected_form() {
        assert_eq!(parse("1985-03-12"), Err(DobProblem::DigitsOnly("19850312".into())));
        assert_eq!(parse("1985/03/12"), Err(DobProblem::DigitsOnly("19850312".into())));
        assert_eq!(parse("1985.3.12"), Err(DobProblem::DigitsOnly("1985312".into())));
        assert_eq!(
            DobProblem::DigitsOnly("19850312".into()).to_string(),
            "Use digits only, like 19850312."
        );
    }

    #[test]
    fn other_shapes_ask_for_eight_digits() {
        for s in ["", "1985031", "198503123", "March 12", "1985-03-1x", "１９８５０３１２"] {
            assert_eq!(parse(s), Err(DobProblem::NotEightDigits), "{s:?}");
        }
    }

    #[test]
    fn leap_years_follow_the_gregorian_rules() {
        assert!(parse("20000229").is_ok());
        assert!(parse("20240229").is_ok());
        assert_eq!(parse("19000229"), Err(DobProblem::NoSuchDate));
        assert_eq!(parse("20230229"), Err(DobProblem::NoSuchDate));
        assert_eq!(parse("19850431"), Err(DobProblem::NoSuchDate));
        assert_eq!(parse("19851301"), Err(DobProblem::NoSuchDate));
        assert_eq!(parse("19850100"), Err(DobProblem::NoSuchDate));
    }

    #[test]
    fn future_and_pre_1900_dates_are_refused() {
        assert_eq!(parse("20261126"), Err(DobProblem::InFuture));
        assert_eq!(parse("18991231"), Err(DobProblem::Before1900));
    }
}
