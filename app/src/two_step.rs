//! Two-step verification of patients (SPEC §2.1, §2.5): how codes come, the
//! rules' numbers the pages show, what the second step and the settings
//! section show, and what they can answer besides success.

use serde::{Deserialize, Serialize};

use crate::error::{PortalError, Refusal, UserError};

/// Digits of a two-step code (text, email, authenticator app alike).
pub const CODE_DIGITS: usize = 6;
/// How long a texted or emailed code works, and how long a right password
/// waits for its second step.
pub const CODE_LIFE_MINUTES: i64 = 10;
/// Wrong codes that end a second step (each one counts toward the lock too).
pub const MAX_WRONG_CODES: i64 = 5;
/// "Remember this device for 30 days".
pub const REMEMBER_DAYS: i64 = 30;
/// Backup codes shown when two-step verification is turned on.
pub const BACKUP_CODES: usize = 10;
/// Characters of a backup code (shown as two groups of five).
pub const BACKUP_CODE_CHARS: usize = 10;

/// How a patient gets codes ("Send codes by").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CodesBy {
    Text,
    Email,
    App,
}

impl CodesBy {
    pub const ALL: [CodesBy; 3] = [CodesBy::Text, CodesBy::Email, CodesBy::App];

    /// The radio button's label.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::t;
        match self {
            CodesBy::Text => t::codes_by_text(lang),
            CodesBy::Email => t::codes_by_email(lang),
            CodesBy::App => t::codes_by_app(lang),
        }
    }

    /// The form value.
    pub fn wire(self) -> &'static str {
        match self {
            CodesBy::Text => "text",
            CodesBy::Email => "email",
            CodesBy::App => "app",
        }
    }

    /// Whether the portal sends the codes (else the patient's app makes them).
    pub fn sent(self) -> bool {
        !matches!(self, CodesBy::App)
    }

    /// "by text message to (•••) •••-4567", for the method's status line.
    pub fn phrase(self, lang: crate::i18n::Lang, to: &str) -> String {
        use crate::i18n::t;
        match self {
            CodesBy::Text => t::by_text_to(lang, to),
            CodesBy::Email => t::by_email_to(lang, to),
            CodesBy::App => t::from_your_app(lang).to_string(),
        }
    }
}

/// The sign-in's outcome: a session, or the second step still to pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignIn {
    Done,
    SecondStep,
}

impl SignIn {
    /// Where the browser goes next.
    pub fn page(self) -> &'static str {
        match self {
            SignIn::Done => "/",
            SignIn::SecondStep => "/login/verify",
        }
    }
}

/// What `/login/verify` shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyView {
    /// False when there is no live second step (the page sends the browser to `/login`).
    pub pending: bool,
    pub by: Option<CodesBy>,
    /// Where the newest code went, masked ("(•••) •••-4567", "a•••@example.com").
    pub sent_to: String,
    /// When it went, in the practice's time zone.
    pub sent_at: String,
    /// Seconds until "Resend code" works.
    pub resend_in: i64,
    pub sends_left: i64,
    /// The refusal of a form posted without JavaScript.
    pub error: Option<TwoStepError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TwoStepError {
    Malformed,
    WrongCode(i64),
    Expired,
    Ended,
    NoMoreSends,
    /// The account was sent as many codes as it may be for now (SPEC §5).
    TooManyCodes,
    /// A resend asked for before the interval ran out, and the seconds left.
    TooSoon(i64),
    Portal(PortalError),
}

impl TwoStepError {
    /// What the patient reads, in `lang`.
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::t;
        match self {
            TwoStepError::Malformed => t::two_step_malformed(lang, CODE_DIGITS),
            TwoStepError::WrongCode(left) => t::wrong_code(lang, *left),
            TwoStepError::Expired => t::two_step_code_expired(lang).into(),
            TwoStepError::Ended => t::two_step_ended(lang).into(),
            TwoStepError::NoMoreSends => t::two_step_no_more_sends(lang).into(),
            TwoStepError::TooManyCodes => t::too_many_codes(lang).into(),
            TwoStepError::TooSoon(_) => t::two_step_too_soon(lang).into(),
            TwoStepError::Portal(e) => e.text(lang),
        }
    }
}

crate::error::english_display!(TwoStepError);

crate::wraps_portal_error!(TwoStepError);

impl UserError for TwoStepError {
    fn refusal(&self) -> Refusal {
        match self {
            TwoStepError::Malformed => Refusal::BadInput,
            TwoStepError::WrongCode(_) | TwoStepError::Expired | TwoStepError::Ended => Refusal::NotProven,
            TwoStepError::NoMoreSends | TwoStepError::TooManyCodes => Refusal::TooSoon(None),
            TwoStepError::TooSoon(secs) => Refusal::TooSoon(Refusal::wait(*secs)),
            TwoStepError::Portal(e) => e.refusal(),
        }
    }
}

/// A two-step code or a backup code, as typed: spaces and dashes dropped,
/// letters lower-cased; parsed on the way in (JSON and forms alike).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String")]
pub enum TypedCode {
    Code(String),
    Backup(String),
}

impl TypedCode {
    pub fn parse(raw: &str) -> Result<TypedCode, TwoStepError> {
        let s: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_lowercase).collect();
        if s.len() == CODE_DIGITS && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(TypedCode::Code(s))
        } else if s.len() == BACKUP_CODE_CHARS && s.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(TypedCode::Backup(s))
        } else {
            Err(TwoStepError::Malformed)
        }
    }
}

impl TryFrom<String> for TypedCode {
    type Error = TwoStepError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        TypedCode::parse(&raw)
    }
}

impl std::fmt::Debug for TypedCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TypedCode(<redacted>)")
    }
}

/// The settings section "Two-step verification".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStepSettings {
    /// How codes come while it is on; `None` while off.
    pub on: Option<CodesBy>,
    /// Where text and email codes go, masked.
    pub phone: String,
    pub email: String,
    /// The authenticator key offered while it is off: the secret as text and its QR code (SVG).
    pub app_key: Option<(String, String)>,
    /// The method a setup code was last sent by, if one is waiting.
    pub code_sent_by: Option<CodesBy>,
    /// Backup codes, shown once right after turning it on.
    pub backup_codes: Vec<String>,
}

/// "a•••@example.com": an email address as a patient may see it.
pub fn masked_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_code_is_six_digits_or_a_backup_code() {
        assert_eq!(TypedCode::parse(" 123 456 "), Ok(TypedCode::Code("123456".into())));
        assert_eq!(TypedCode::parse("ABCDE-12345"), Ok(TypedCode::Backup("abcde12345".into())));
        for bad in ["", "12345", "1234567", "abcde-1234", "abcde_12345", "１２３４５６"] {
            assert_eq!(TypedCode::parse(bad), Err(TwoStepError::Malformed), "{bad}");
        }
        assert!(!format!("{:?}", TypedCode::parse("123456").unwrap()).contains("123456"));
    }

    #[test]
    fn masks_keep_only_what_a_patient_recognises() {
        assert_eq!(masked_email("alice@example.com"), "a•••@example.com");
        assert_eq!(TwoStepError::WrongCode(1).to_string(), "That code isn't right. You have 1 try left.");
    }
}
