//! What the reset wizard's steps can answer besides success (SPEC §2.2):
//! each a user-safe message with the spec's exact wording.

use serde::{Deserialize, Serialize};

use crate::code::CodeProblem;
use crate::dob::DobProblem;
use crate::error::{PortalError, Refusal, UserError};
use crate::phone::PhoneProblem;
use crate::secret::PasswordProblem;


/// How long a reset link works (SPEC §5); the server's flow enforces it.
pub const LINK_LIFE_MINUTES: i64 = 60;
/// How long a security code works (SPEC §5).
pub const CODE_LIFE_MINUTES: i64 = 10;

use crate::i18n::{t, Lang};

/// Why a reset link no longer works, as far as its flow tells: shown under
/// "This link is no longer valid." so the patient knows what to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkEnded {
    /// No such link (mistyped, or from before a clean-up).
    Unknown,
    Expired,
    Used,
    Replaced,
    /// The flow ended after this many wrong dates of birth or answers.
    WrongAnswers(i64),
    /// The flow ended after this many mobile numbers that didn't match.
    WrongNumbers(i64),
}

impl LinkEnded {
    /// What the patient reads, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            LinkEnded::Unknown => t::link_unknown(lang, LINK_LIFE_MINUTES),
            LinkEnded::Expired => t::link_expired(lang, LINK_LIFE_MINUTES),
            LinkEnded::Used => t::link_used(lang).into(),
            LinkEnded::Replaced => t::link_replaced(lang).into(),
            LinkEnded::WrongAnswers(n) => t::ended_wrong_answers(lang, *n),
            LinkEnded::WrongNumbers(n) => t::ended_wrong_numbers(lang, *n),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResetError {
    NoLongerValid,
    WrongStep,
    Dob(DobProblem),
    /// A wrong date of birth or answer, and the tries the link has left.
    NoMatch(i64),
    Phone(PhoneProblem),
    PhoneMismatch,
    ResendIn(i64),
    NoMoreSends,
    Code(CodeProblem),
    WrongCode(i64),
    CodeExpired,
    Password(PasswordProblem),
    MethodOff,
    Portal(PortalError),
}

impl ResetError {
    /// What the patient reads, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            ResetError::NoLongerValid => t::link_no_longer_valid(lang).into(),
            ResetError::WrongStep => t::wrong_step(lang).into(),
            ResetError::Dob(p) => p.text(lang),
            ResetError::NoMatch(left) => t::no_match(lang, *left),
            ResetError::Phone(p) => p.text(lang),
            ResetError::PhoneMismatch => t::phone_mismatch(lang).into(),
            ResetError::ResendIn(secs) => t::resend_in(lang, *secs),
            ResetError::NoMoreSends => t::no_more_sends(lang).into(),
            ResetError::Code(p) => p.text(lang),
            ResetError::WrongCode(left) => t::wrong_code(lang, *left),
            ResetError::CodeExpired => t::code_expired(lang).into(),
            ResetError::Password(p) => p.text(lang),
            ResetError::MethodOff => t::method_off(lang).into(),
            ResetError::Portal(p) => p.text(lang),
        }
    }
}

crate::error::english_display!(LinkEnded, ResetError);

impl UserError for ResetError {
    fn refusal(&self) -> Refusal {
        match self {
            ResetError::NoLongerValid | ResetError::CodeExpired => Refusal::Gone,
            ResetError::WrongStep | ResetError::MethodOff => Refusal::Conflict,
            ResetError::NoMatch(_) | ResetError::WrongCode(_) | ResetError::PhoneMismatch => Refusal::NotProven,
            ResetError::ResendIn(secs) => Refusal::TooSoon(Refusal::wait(*secs)),
            ResetError::NoMoreSends => Refusal::TooSoon(None),
            ResetError::Dob(_) | ResetError::Phone(_) | ResetError::Code(_) | ResetError::Password(_) => Refusal::BadInput,
            ResetError::Portal(e) => e.refusal(),
        }
    }
}


/// The token of an emailed reset link, as found in `/reset/{token}`: 43
/// URL-safe base64 characters (256 bits). Anything else is no link of ours.
#[derive(Clone, PartialEq, Eq)]
pub struct ResetLink(String);

/// The shape of every emailed link's token (reset links, invitations).
pub fn is_link_token(raw: &str) -> bool {
    raw.len() == 43 && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl ResetLink {
    pub fn parse(raw: &str) -> Option<ResetLink> {
        is_link_token(raw).then(|| ResetLink(raw.to_string()))
    }

    pub fn token(&self) -> &str {
        &self.0
    }

    /// The page of this link, optionally showing one method's form.
    pub fn page(&self, method: Option<Method>) -> String {
        match method {
            Some(m) => format!("/reset/{}?method={}", self.0, m.as_str()),
            None => format!("/reset/{}", self.0),
        }
    }
}

impl std::fmt::Debug for ResetLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResetLink(<redacted>)")
    }
}

/// The identity check a patient picked on the reset page (`?method=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Question,
    Code,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Question => "question",
            Method::Code => "code",
        }
    }

    pub fn parse(s: &str) -> Option<Method> {
        [Method::Question, Method::Code].into_iter().find(|m| m.as_str() == s)
    }
}

/// "How should we send the code?"
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SendBy {
    #[default]
    Text,
    Voice,
}

impl SendBy {
    /// The words after "We sent a code".
    pub fn phrase(self, lang: Lang) -> &'static str {
        match self {
            SendBy::Text => t::by_text(lang),
            SendBy::Voice => t::by_voice_call(lang),
        }
    }
}

crate::wraps_portal_error!(ResetError);

/// Which identity checks a practice offers (`PORTAL_RESET_METHODS`, SPEC §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetMethods {
    pub question: bool,
    pub code: bool,
}

impl ResetMethods {
    pub fn offers(&self, method: Method) -> bool {
        match method {
            Method::Question => self.question,
            Method::Code => self.code,
        }
    }
}

impl std::str::FromStr for ResetMethods {
    type Err = String;

    /// `question,code` (either order), `code` or `question`.
    fn from_str(s: &str) -> Result<Self, String> {
        let mut methods = ResetMethods { question: false, code: false };
        for part in s.split(',').map(str::trim) {
            match part {
                "question" if !methods.question => methods.question = true,
                "code" if !methods.code => methods.code = true,
                _ => return Err("must be question,code or code or question".into()),
            }
        }
        Ok(methods)
    }
}

/// What `/forgot-password` shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForgotView {
    /// The sender address the reset email comes from (`PORTAL_MAIL_FROM`).
    pub mail_from: String,
    /// The outcome of a form posted without JavaScript.
    pub error: Option<PortalError>,
    pub username: String,
}

/// Where and when the newest code went, and what the patient may do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeStatus {
    pub sent_by: SendBy,
    /// The last four digits of the number it went to; never the whole number.
    pub last_four: String,
    /// `HH:MM` in the practice's time zone.
    pub sent_at: String,
    /// Seconds until "Resend code" may be used (0 = now).
    pub resend_in: i64,
    pub sends_left: i64,
}

/// The step of the wizard that `/reset/{token}` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResetStage {
    /// Used, voided, expired or unknown: "This link is no longer valid.", and why.
    Invalid(LinkEnded),
    /// "Verify your identity" with a button per offered method, and the
    /// patient's question when it is offered, so that choosing it shows its
    /// form without another round trip.
    Choose(Option<String>),
    /// The patient's own question.
    Question(String),
    /// "Mobile phone number" and "Send code".
    Phone,
    /// "Security Code" and "Check", "Resend code".
    Code(CodeStatus),
    /// "Choose a new password".
    NewPassword,
}

/// Everything `/reset/{token}` renders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetView {
    pub stage: ResetStage,
    pub methods: ResetMethods,
    /// The outcome of the last form posted without JavaScript, and what was
    /// typed into it (never the answer, code or password).
    pub error: Option<ResetError>,
    pub dob: String,
    pub phone: String,
}

impl ResetView {
    pub fn invalid(methods: ResetMethods) -> ResetView {
        ResetView { stage: ResetStage::Invalid(LinkEnded::Unknown), methods, error: None, dob: String::new(), phone: String::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_methods_parse_the_three_documented_values() {
        let both = ResetMethods { question: true, code: true };
        assert_eq!("question,code".parse(), Ok(both));
        assert_eq!(" code , question ".parse(), Ok(both));
        assert_eq!("code".parse(), Ok(ResetMethods { question: false, code: true }));
        assert_eq!("question".parse(), Ok(ResetMethods { question: true, code: false }));
        for bad in ["", "sms", "code,code", "question,"] {
            assert!(bad.parse::<ResetMethods>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_link_token_is_43_url_safe_characters_and_hides_from_debug() {
        let token = "A".repeat(42) + "_";
        let link = ResetLink::parse(&token).unwrap();
        assert_eq!(link.page(Some(Method::Code)), format!("/reset/{token}?method=code"));
        assert!(!format!("{link:?}").contains(&token));
        for bad in ["", "short", &"A".repeat(44), &("A".repeat(42) + "/"), &("A".repeat(42) + "\n")] {
            assert!(ResetLink::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn refusals_carry_their_status_and_wait() {
        assert_eq!(ResetError::ResendIn(42).status(), 429);
        assert_eq!(ResetError::ResendIn(42).retry_after(), Some(42));
        assert_eq!(ResetError::NoLongerValid.status(), 410);
        assert_eq!(ResetError::Portal(PortalError::TooManyAttempts).status(), 429);
    }
}
