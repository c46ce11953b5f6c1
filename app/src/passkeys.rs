//! Passkeys (SPEC §2.1, §2.5): what the settings list shows, and every
//! refusal of a ceremony in words a patient can act on.

use serde::{Deserialize, Serialize};

use crate::error::{PortalError, Refusal, UserError};
use crate::i18n::{t, Lang};

/// How long a passkey prompt may take before its request ends.
pub const CEREMONY_MINUTES: i64 = 5;
/// The longest name a passkey may have.
pub const MAX_NAME_CHARS: usize = 60;

/// One line of the settings' passkey list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyView {
    pub id: i64,
    pub name: String,
    /// "Mar 3, 2026".
    pub added: String,
    /// "Mar 3, 2026, 10:47", or `None` if never used.
    pub last_used: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PasskeyError {
    Expired,
    Unknown,
    WrongSite,
    Cloned,
    Refused,
    AlreadyAdded,
    BadName,
    NotYours,
    /// "Add a passkey" with a wrong current password.
    WrongPassword,
    /// "Add a passkey" without a recent second step (two-step verification on); the minutes it stands.
    SignInAgain(i64),
    Portal(PortalError),
}

impl PasskeyError {
    /// What the patient reads, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            PasskeyError::Expired => t::passkey_expired(lang).into(),
            PasskeyError::Unknown => t::passkey_unknown(lang).into(),
            PasskeyError::WrongSite => t::passkey_wrong_site(lang).into(),
            PasskeyError::Cloned => t::passkey_cloned(lang).into(),
            PasskeyError::Refused => t::passkey_refused(lang).into(),
            PasskeyError::AlreadyAdded => t::passkey_already_added(lang).into(),
            PasskeyError::BadName => t::passkey_bad_name(lang, MAX_NAME_CHARS),
            PasskeyError::NotYours => t::passkey_not_yours(lang).into(),
            PasskeyError::WrongPassword => t::wrong_current_password(lang).into(),
            PasskeyError::SignInAgain(minutes) => t::sign_in_again_for_change(lang, *minutes),
            PasskeyError::Portal(p) => p.text(lang),
        }
    }
}

crate::error::english_display!(PasskeyError);

crate::wraps_portal_error!(PasskeyError);

impl UserError for PasskeyError {
    fn refusal(&self) -> Refusal {
        match self {
            PasskeyError::BadName => Refusal::BadInput,
            PasskeyError::AlreadyAdded => Refusal::Conflict,
            PasskeyError::NotYours => Refusal::NotFound,
            PasskeyError::SignInAgain(_) => Refusal::Forbidden,
            PasskeyError::Expired
            | PasskeyError::Unknown
            | PasskeyError::WrongSite
            | PasskeyError::Cloned
            | PasskeyError::Refused
            | PasskeyError::WrongPassword => {
                Refusal::NotProven
            }
            PasskeyError::Portal(e) => e.refusal(),
        }
    }
}

/// A passkey's name as the patient typed it: trimmed, at most 60 characters,
/// no control characters; empty means "name it for me".
pub fn parse_name(raw: &str) -> Result<Option<String>, PasskeyError> {
    let t = raw.trim();
    if t.chars().count() > MAX_NAME_CHARS || t.chars().any(char::is_control) {
        return Err(PasskeyError::BadName);
    }
    Ok((!t.is_empty()).then(|| t.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_short_plain_text_or_nothing() {
        assert_eq!(parse_name("  My phone "), Ok(Some("My phone".into())));
        assert_eq!(parse_name("   "), Ok(None));
        assert_eq!(parse_name(&"x".repeat(61)), Err(PasskeyError::BadName));
        assert_eq!(parse_name("a\u{7}b"), Err(PasskeyError::BadName));
    }
}
