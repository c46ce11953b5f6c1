//! The password policy of SPEC §5 (NIST SP 800-63B): 8 to 128 characters, no
//! composition rules, not common or guessable, not containing the username,
//! email or date of birth. Each refusal says exactly what to change.

pub use app::secret::PasswordProblem;
use app::secret::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};

/// What the password may not contain.
pub struct PersonalWords<'a> {
    pub usernames: &'a [&'a str],
    /// `YYYYMMDD`, when known.
    pub dob: Option<&'a str>,
}

pub fn check(password: &str, personal: &PersonalWords<'_>) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    for name in personal.usernames {
        let name = name.to_lowercase();
        let local = name.split('@').next().unwrap_or_default();
        if (!name.is_empty() && lower.contains(&name)) || (local.len() >= 4 && lower.contains(local)) {
            return Err(PasswordProblem::ContainsUsername);
        }
    }
    if let Some(dob) = personal.dob {
        let digits: String = password.chars().filter(char::is_ascii_digit).collect();
        let (y, md) = dob.split_at(4.min(dob.len()));
        let forms = [dob.to_string(), format!("{md}{y}"), format!("{}{}{y}", &md[2.min(md.len())..], &md[..2.min(md.len())])];
        if forms.iter().any(|f| f.len() == 8 && digits.contains(f.as_str())) {
            return Err(PasswordProblem::ContainsBirthDate);
        }
    }
    let mut inputs: Vec<&str> = personal.usernames.to_vec();
    if let Some(dob) = personal.dob {
        inputs.push(dob);
    }
    // zxcvbn's work grows faster than the length, and it runs on the request's
    // thread: it sees the first ZXCVBN_CHARS characters, enough to tell a
    // guessable password (any longer one that starts strong stays strong).
    let head: String = password.chars().take(ZXCVBN_CHARS).collect();
    let score = zxcvbn::zxcvbn(&head, &inputs).score();
    if (score as u8) < 3 {
        return Err(PasswordProblem::TooGuessable);
    }
    Ok(())
}

/// The most characters zxcvbn is run on.
const ZXCVBN_CHARS: usize = 64;

/// Answers compare case-insensitively with collapsed whitespace (SPEC §2.2).
pub fn normalize_answer(answer: &str) -> String {
    answer.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: PersonalWords<'static> = PersonalWords { usernames: &["alice@example.com"], dob: Some("19850312") };

    #[test]
    fn the_estimator_sees_a_bounded_head_of_the_password() {
        // 128 characters of one guessable pattern are as weak as their first 64.
        assert_eq!(check(&"password".repeat(16), &ALICE), Err(PasswordProblem::TooGuessable));
        assert_eq!(check(&format!("Harbor-Lantern-73{}", "a".repeat(100)), &ALICE), Ok(()));
    }

    #[test]
    fn a_long_unrelated_phrase_passes() {
        assert_eq!(check("Harbor-Lantern-73", &ALICE), Ok(()));
        assert_eq!(check("purple elephant dances quietly", &ALICE), Ok(()));
    }

    #[test]
    fn length_bounds_are_8_and_128() {
        assert_eq!(check("Ab3$xyz", &ALICE), Err(PasswordProblem::TooShort));
        assert_eq!(check(&"q".repeat(129), &ALICE), Err(PasswordProblem::TooLong));
    }

    #[test]
    fn common_passwords_are_refused() {
        for p in ["password", "password1", "12345678", "qwertyuiop", "iloveyou1"] {
            assert_eq!(check(p, &ALICE), Err(PasswordProblem::TooGuessable), "{p}");
        }
    }

    #[test]
    fn personal_details_are_refused() {
        assert_eq!(check("alice-Blue-Otter-9", &ALICE), Err(PasswordProblem::ContainsUsername));
        assert_eq!(check("Otter-19850312-zz", &ALICE), Err(PasswordProblem::ContainsBirthDate));
        assert_eq!(check("Otter-03121985-zz", &ALICE), Err(PasswordProblem::ContainsBirthDate));
    }

    #[test]
    fn answers_ignore_case_and_extra_whitespace() {
        assert_eq!(normalize_answer("  Mr.   Biscuit\tJones "), "mr. biscuit jones");
        assert_eq!(normalize_answer("   "), "");
    }
}
