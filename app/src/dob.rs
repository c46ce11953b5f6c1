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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DobProblem {
    DigitsOnly(String),
    /// Month, day, year (as US forms ask): the date it can only mean, in our order.
    YearFirst(String),
    NotEightDigits,
    NoSuchDate,
    InFuture,
    Before1900,
}

impl DobProblem {
    /// What the patient reads, in `lang`.
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::t;
        match self {
            DobProblem::DigitsOnly(like) => t::dob_digits_only(lang, like),
            DobProblem::YearFirst(like) => t::dob_year_first(lang, like),
            DobProblem::NotEightDigits => t::dob_not_eight_digits(lang).into(),
            DobProblem::NoSuchDate => t::dob_no_such_date(lang).into(),
            DobProblem::InFuture => t::dob_in_future(lang).into(),
            DobProblem::Before1900 => t::dob_before_1900(lang).into(),
        }
    }
}

crate::error::english_display!(DobProblem);

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '/' | '.')
}

/// The date as `YYYYMMDD` when its parts read as a real date only in that order.
fn real_date(year: u16, month: u8, day: u8) -> Option<String> {
    let d = DateOfBirth::try_from(Ymd { year, month, day }).ok()?;
    Some(d.compact())
}

/// The parts of `s` between separators, when there are three, all digits.
fn three_parts(s: &str) -> Option<[&str; 3]> {
    let parts: Vec<&str> = s.split(is_separator).filter(|p| !p.is_empty()).collect();
    let all_digits = parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()));
    (all_digits && parts.len() == 3).then(|| [parts[0], parts[1], parts[2]])
}

/// `MM/DD/YYYY` (or `M/D/YYYY`, or `MMDDYYYY`) that is a real date that way
/// and not as `YYYYMMDD`: the date it means, in our order.
fn month_first(s: &str) -> Option<String> {
    let (m, d, y) = match three_parts(s) {
        Some([m, d, y]) if m.len() <= 2 && d.len() <= 2 && y.len() == 4 => (m, d, y),
        Some(_) => return None,
        None if s.len() == 8 && s.chars().all(|c| c.is_ascii_digit()) => (&s[0..2], &s[2..4], &s[4..8]),
        None => return None,
    };
    let year_first = s.chars().filter(char::is_ascii_digit).collect::<String>();
    let reads_year_first = year_first.len() == 8
        && real_date(year_first[0..4].parse().ok()?, year_first[4..6].parse().ok()?, year_first[6..8].parse().ok()?).is_some();
    if reads_year_first {
        return None;
    }
    real_date(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// `YYYY-M-D` with one-digit parts: the digits with the month and day padded.
fn year_first_padded(s: &str) -> Option<String> {
    match three_parts(s)? {
        [y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => Some(format!("{y}{m:0>2}{d:0>2}")),
        _ => None,
    }
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
        if let Some(date) = month_first(s) {
            return Err(DobProblem::YearFirst(date));
        }
        let digits: String = s.chars().filter(|c| !is_separator(*c)).collect();
        let all_digits = !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit());
        if s.chars().any(is_separator) && all_digits {
            return Err(DobProblem::DigitsOnly(year_first_padded(s).unwrap_or(digits)));
        }
        let dob = DateOfBirth::from_compact(s)?;
        if dob.0 > today {
            return Err(DobProblem::InFuture);
        }
        Ok(dob)
    }

    /// A date as stored (`YYYYMMDD`, written only from a parsed one): the
    /// calendar's checks, but not today's (a stored date was past when stored).
    pub fn from_compact(stored: &str) -> Result<Self, DobProblem> {
        if stored.len() != 8 || !stored.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DobProblem::NotEightDigits);
        }
        let num = |r: std::ops::Range<usize>| stored[r].parse::<u16>().unwrap_or(0);
        DateOfBirth::try_from(Ymd { year: num(0..4), month: num(4..6) as u8, day: num(6..8) as u8 })
    }

    pub fn ymd(&self) -> Ymd {
        self.0
    }

    /// The canonical `YYYYMMDD` form, as stored.
    pub fn compact(&self) -> String {
        format!("{:04}{:02}{:02}", self.0.year, self.0.month, self.0.day)
    }
}

// A stored date of birth (`YYYYMMDD`) decodes through `from_compact`.
#[cfg(feature = "ssr")]
decodes_through_parser!(DateOfBirth, DateOfBirth::from_compact, "date of birth");

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
        assert_eq!(parse("1985.3.12"), Err(DobProblem::DigitsOnly("19850312".into())));
        assert_eq!(
            DobProblem::DigitsOnly("19850312".into()).to_string(),
            "Use digits only, like 19850312."
        );
    }

    #[test]
    fn month_day_year_is_turned_around_when_it_can_only_mean_that() {
        for s in ["03/12/1985", "3/12/1985", "03-12-1985", "03121985", "12/31/1985"] {
            let expected = if s.starts_with("12/31") { "19851231" } else { "19850312" };
            assert_eq!(parse(s), Err(DobProblem::YearFirst(expected.into())), "{s:?}");
        }
        assert_eq!(DobProblem::YearFirst("19850312".into()).to_string(), "Use year, month, day: 19850312.");
        // Digits that make a real date as YYYYMMDD are taken that way.
        assert_eq!(parse("19850312"), Ok("19850312".into()));
        assert_eq!(parse("20101112"), Ok("20101112".into()));
        // Not a date either way: the usual messages.
        assert_eq!(parse("13/45/1985"), Err(DobProblem::DigitsOnly("13451985".into())));
        assert_eq!(parse("99999999"), Err(DobProblem::NoSuchDate));
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
    fn a_stored_date_is_read_back_without_a_clock_and_nothing_else_is() {
        let today = Ymd { year: 1950, month: 1, day: 1 };
        let d = DateOfBirth::from_compact("20260229");
        assert_eq!(d, Err(DobProblem::NoSuchDate));
        // Stored when it was past: today's date plays no part in reading it back.
        let d = DateOfBirth::from_compact("20240229").unwrap();
        assert_eq!(d.compact(), "20240229");
        assert!(DateOfBirth::parse("20240229", today).is_err());
        for s in ["2024-02-29", "2024022", " 20240229", "18991231"] {
            assert!(DateOfBirth::from_compact(s).is_err(), "{s:?}");
        }
    }

    #[test]
    fn future_and_pre_1900_dates_are_refused() {
        assert_eq!(parse("20261126"), Err(DobProblem::InFuture));
        assert_eq!(parse("18991231"), Err(DobProblem::Before1900));
    }
}
