//! Family and caregivers (SPEC §2.7): what someone given access to a chart
//! is to its patient, the age rules that go with it, and what `/`,
//! `/charts/{id}` and the "Family and caregivers" settings section show.

use serde::{Deserialize, Serialize};

use crate::dob::Ymd;
use crate::i18n::{t, Lang};
use crate::ids::PatientId;

/// What a family member or caregiver is to the chart's patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Relation {
    Parent,
    Spouse,
    AdultChild,
    Caregiver,
    Other,
}

/// A minor's chart may be seen by a parent or guardian until this birthday.
pub const ADULT_AGE: u16 = 18;
/// Under this age a patient gets no account of their own (SPEC §2.7).
pub const OWN_ACCOUNT_AGE: u16 = 13;

impl Relation {
    pub const ALL: [Relation; 5] = [Relation::Parent, Relation::Spouse, Relation::AdultChild, Relation::Caregiver, Relation::Other];

    /// The word a form or the command line gives (`adult-child`, …).
    pub fn word(self) -> &'static str {
        match self {
            Relation::Parent => "parent",
            Relation::Spouse => "spouse",
            Relation::AdultChild => "adult-child",
            Relation::Caregiver => "caregiver",
            Relation::Other => "other",
        }
    }

    pub fn parse(word: &str) -> Option<Relation> {
        let w = word.trim().to_ascii_lowercase().replace('_', "-");
        Relation::ALL.into_iter().find(|r| r.word() == w)
    }

    /// "Parent or guardian", as lists and staff read it.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Relation::Parent => t::rel_parent(lang),
            Relation::Spouse => t::rel_spouse(lang),
            Relation::AdultChild => t::rel_adult_child(lang),
            Relation::Caregiver => t::rel_caregiver(lang),
            Relation::Other => t::rel_other(lang),
        }
    }

    /// What the chart is to the one who was given it: "your child".
    pub fn to_you(self, lang: Lang) -> &'static str {
        match self {
            Relation::Parent => t::to_you_parent(lang),
            Relation::Spouse => t::to_you_spouse(lang),
            Relation::AdultChild => t::to_you_adult_child(lang),
            Relation::Caregiver => t::to_you_caregiver(lang),
            Relation::Other => t::to_you_other(lang),
        }
    }

    /// The relationships a chart of a patient born `dob` can be given as
    /// on `today`: "Parent or guardian" only while the patient is under 18.
    pub fn offered(dob: Ymd, today: Ymd) -> Vec<Relation> {
        Relation::offered_at(age_on(dob, today))
    }

    /// The relationships a chart of a patient aged `age` can be given as.
    pub fn offered_at(age: u16) -> Vec<Relation> {
        Relation::ALL.into_iter().filter(|r| age < ADULT_AGE || *r != Relation::Parent).collect()
    }
}

impl TryFrom<String> for Relation {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Relation::parse(&s).ok_or(s)
    }
}

impl From<Relation> for String {
    fn from(r: Relation) -> String {
        r.word().to_string()
    }
}

/// Whole years from `dob` to `today` (a February 29 birthday comes on March 1 in other years).
pub fn age_on(dob: Ymd, today: Ymd) -> u16 {
    let years = today.year.saturating_sub(dob.year);
    if (today.month, today.day) < (dob.month, dob.day) { years.saturating_sub(1) } else { years }
}

/// The day someone born `dob` turns `age`: March 1 for a February 29 birthday in a common year.
pub fn birthday(dob: Ymd, age: u16) -> Ymd {
    let year = dob.year + age;
    let days = crate::dob::days_in_month(year, dob.month);
    if dob.day > days { Ymd { year, month: dob.month + 1, day: 1 } } else { Ymd { year, ..dob } }
}

/// A chart an account can see, as `/` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartItem {
    pub id: PatientId,
    pub full_name: String,
    /// `None` for the account's own chart.
    pub relation: Option<Relation>,
}

/// A chart whose sharing ended because its patient turned 18.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndedItem {
    pub first_name: String,
}

/// `/` of a signed-in account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeView {
    pub first_name: String,
    pub idle_timeout_secs: u32,
    pub charts: Vec<ChartItem>,
    pub ended: Vec<EndedItem>,
}

/// `/charts/{id}`: whose records these are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartPage {
    pub full_name: String,
    pub relation: Option<Relation>,
    /// The practice's name and phone, when configured.
    pub contact: Option<(String, String)>,
    pub idle_timeout_secs: u32,
}

/// Which entry of "People who can see your records" a "Remove" means: a
/// live grant, or an invitation not taken up yet. A form carries it as
/// `g12` / `i7`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum PersonKey {
    Grant(i64),
    Invitation(i64),
}

impl PersonKey {
    pub fn parse(s: &str) -> Option<PersonKey> {
        let s = s.trim();
        let (kind, id) = (s.get(..1)?, s.get(1..)?);
        let id: i64 = id.parse().ok().filter(|n| *n > 0)?;
        match kind {
            "g" => Some(PersonKey::Grant(id)),
            "i" => Some(PersonKey::Invitation(id)),
            _ => None,
        }
    }
}

impl TryFrom<String> for PersonKey {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        PersonKey::parse(&s).ok_or(s)
    }
}

impl From<PersonKey> for String {
    fn from(k: PersonKey) -> String {
        match k {
            PersonKey::Grant(id) => format!("g{id}"),
            PersonKey::Invitation(id) => format!("i{id}"),
        }
    }
}

/// Where someone's access to a chart stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccessStatus {
    /// Invited; no account took the invitation up yet.
    Invited,
    Active,
}

impl AccessStatus {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            AccessStatus::Invited => t::status_invited(lang),
            AccessStatus::Active => t::status_active(lang),
        }
    }
}

/// One of "People who can see your records".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonItem {
    pub key: PersonKey,
    pub name: String,
    pub relation: Relation,
    pub status: AccessStatus,
}

/// The "Family and caregivers" section of `/settings`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilySettings {
    /// Whether the account has a chart of its own (the section's first half).
    pub own_chart: bool,
    /// The relationships the patient may invite as; empty for a minor, who
    /// asks the practice instead.
    pub offered: Vec<Relation>,
    pub people: Vec<PersonItem>,
    /// Someone else's charts this account sees (each with "Stop seeing").
    pub seeing: Vec<ChartItem>,
    /// Shown once after "Invite".
    pub code_to_give: Option<CodeToGive>,
}

/// The access code a patient's invitation needs, shown to the patient once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeToGive {
    pub name: String,
    pub code: String,
    /// How many days the invitation and its code work.
    pub days: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(year: u16, month: u8, day: u8) -> Ymd {
        Ymd { year, month, day }
    }

    #[test]
    fn words_round_trip_and_parse_loosely() {
        for r in Relation::ALL {
            assert_eq!(Relation::parse(r.word()), Some(r));
        }
        assert_eq!(Relation::parse("Adult_Child"), Some(Relation::AdultChild));
        assert_eq!(Relation::parse("self"), None);
        assert_eq!(Relation::parse(""), None);
    }

    #[test]
    fn age_turns_on_the_birthday_itself() {
        assert_eq!(age_on(ymd(2008, 12, 14), ymd(2026, 12, 13)), 17);
        assert_eq!(age_on(ymd(2008, 12, 14), ymd(2026, 12, 14)), 18);
        assert_eq!(age_on(ymd(2008, 2, 29), ymd(2026, 2, 28)), 17);
        assert_eq!(age_on(ymd(2008, 2, 29), ymd(2026, 3, 1)), 18);
        assert_eq!(birthday(ymd(2008, 2, 29), 18), ymd(2026, 3, 1));
        assert_eq!(birthday(ymd(2008, 2, 29), 16), ymd(2024, 2, 29));
        assert_eq!(birthday(ymd(2008, 12, 14), 18), ymd(2026, 12, 14));
    }

    #[test]
    fn parent_is_offered_only_for_a_minor() {
        let today = ymd(2026, 12, 7);
        assert!(Relation::offered(ymd(2010, 1, 1), today).contains(&Relation::Parent));
        assert!(!Relation::offered(ymd(2008, 12, 7), today).contains(&Relation::Parent));
        assert_eq!(Relation::offered(ymd(1950, 1, 1), today).len(), 4);
    }

    #[test]
    fn person_keys_round_trip_and_refuse_anything_else() {
        for k in [PersonKey::Grant(12), PersonKey::Invitation(7)] {
            assert_eq!(PersonKey::parse(&String::from(k)), Some(k));
        }
        for bad in ["", "g", "x1", "g0", "g-1", "i1.5", "g 1", "gé", "é1"] {
            assert_eq!(PersonKey::parse(bad), None, "{bad}");
        }
    }
}
