//! What an audit entry's detail holds, written here and read by staff's
//! wording (`staff::words`): counts of tries as `key=n` pairs, and the family
//! and caregiver entries (SPEC §2.7): who was given or lost access, as what,
//! kept as JSON so a name with any character in it reads back whole
//! ([`Person::words`]).

use app::family::Relation;
use serde::{Deserialize, Serialize};

/// The key of a count of wrong tries in a row (staff read "(3 failed in a row)").
pub const FAILED_ATTEMPTS: &str = "failed_attempts";
/// The key of the tries a step has left (staff read "(2 tries left)").
pub const TRIES_LEFT: &str = "tries_left";

/// The detail of a wrong secret counted toward the lock, `failed` in a row.
pub fn failed_attempts(failed: i64) -> String {
    format!("{FAILED_ATTEMPTS}={failed}")
}

/// The detail of a wrong answer or code whose step has `left` tries.
pub fn tries_left(left: i64) -> String {
    format!("{TRIES_LEFT}={left}")
}

/// Both: a wrong second-step code.
pub fn tries_left_and_failed(left: i64, failed: i64) -> String {
    format!("{},{}", tries_left(left), failed_attempts(failed))
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub relation: Relation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// The detail of an entry about `name`, given access to a chart as `relation`.
pub fn person(name: &str, relation: Relation, email: Option<&str>) -> String {
    serde_json::to_string(&Person { name: name.to_string(), relation, email: email.map(str::to_string) }).unwrap_or_default()
}

impl Person {
    pub fn read(detail: &str) -> Option<Person> {
        serde_json::from_str(detail).ok()
    }

    /// "Rosa Diaz (Caregiver)", in English for staff.
    pub fn words(&self) -> String {
        format!("{} ({})", self.name, self.relation.label(app::i18n::Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_with_any_character_reads_back() {
        let d = person("Ana \"Nana\" | Díaz", Relation::Caregiver, Some("ana@example.com"));
        let p = Person::read(&d).unwrap();
        assert_eq!(p.words(), "Ana \"Nana\" | Díaz (Caregiver)");
        assert_eq!(p.email.as_deref(), Some("ana@example.com"));
        assert!(Person::read("3").is_none());
    }
}
