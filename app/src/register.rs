//! Registration from an invitation (SPEC §2.4): the security questions a
//! patient may pick, and every refusal with the spec's wording.

use serde::{Deserialize, Serialize};

use crate::access_code::AccessCodeProblem;
use crate::dob::DobProblem;
use crate::email::EmailProblem;
use crate::error::{InputProblem, PortalError, Refusal, UserError};
use crate::i18n::{t, Lang};
use crate::phone::PhoneProblem;
use crate::secret::PasswordProblem;

/// The list "Security question" offers.
pub const SECURITY_QUESTIONS: &[&str] = &[
    "What was the name of your first pet?",
    "What is the name of the street you grew up on?",
    "What was the make of your first car?",
    "What is your oldest cousin's first name?",
    "What was the name of your first school?",
    "In what city did your parents meet?",
];

/// The page of a registration link, where a refused form is shown again;
/// what is no link token goes to `/login`.
pub fn page_of(token: &str) -> String {
    if crate::reset::is_link_token(token) { format!("/register/{token}") } else { "/login".into() }
}

/// The "Link to my account" page of a registration link.
pub fn link_page_of(token: &str) -> String {
    if crate::reset::is_link_token(token) { format!("/register/{token}/link") } else { "/login".into() }
}

/// Where "Link to my account" goes on: the account's session is open, or
/// its second step waits (`/login/verify`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkOutcome {
    SignedIn,
    SecondStep,
}

/// A stored question (one of [`SECURITY_QUESTIONS`], kept in English) in
/// `lang`; any other text as it is.
pub fn question_in(lang: Lang, stored: &str) -> String {
    match SECURITY_QUESTIONS.iter().position(|q| *q == stored) {
        Some(i) => t::security_question(lang, i),
        None => stored.to_string(),
    }
}

/// One of [`SECURITY_QUESTIONS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityQuestion(&'static str);

impl SecurityQuestion {
    pub fn parse(raw: &str) -> Option<SecurityQuestion> {
        SECURITY_QUESTIONS.iter().find(|q| **q == raw).map(|q| SecurityQuestion(q))
    }

    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegisterError {
    NoLongerValid,
    AlreadyEnrolled,
    Dob(DobProblem),
    AccessCode(AccessCodeProblem),
    /// A family member's own date of birth, as typed.
    YourDob(DobProblem),
    /// The date of birth or the access code doesn't match the invitation's.
    DobMismatch,
    /// A self-invitation of a patient under 13.
    UnderThirteen,
    Username(InputProblem),
    UsernameTaken,
    /// Shows like a taken one (Cyrillic а for Latin a, say): staff and
    /// emails could not tell the two apart.
    UsernameLookAlike,
    Password(PasswordProblem),
    Question,
    EmptyAnswer,
    Phone(PhoneProblem),
    /// "Text me a code" before the wait between codes ended; the seconds left.
    CodeTooSoon(i64),
    /// "Text me a code" as many times as an invitation allows.
    NoMoreCodes,
    /// "Text me a code" where it isn't offered (no mobile on the chart, a family member's invitation).
    NoTextCode,
    Portal(PortalError),
}

impl RegisterError {
    /// What the patient reads, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            RegisterError::NoLongerValid => t::invitation_no_longer_valid(lang).into(),
            RegisterError::AlreadyEnrolled => t::already_enrolled(lang).into(),
            RegisterError::Dob(p) => p.text(lang),
            RegisterError::AccessCode(p) => p.text(lang),
            RegisterError::YourDob(p) => p.text(lang),
            RegisterError::DobMismatch => t::dob_or_code_mismatch(lang).into(),
            RegisterError::UnderThirteen => t::under_thirteen(lang).into(),
            RegisterError::Username(p) => p.text(lang),
            RegisterError::UsernameTaken => t::username_taken(lang).into(),
            RegisterError::UsernameLookAlike => t::username_look_alike(lang).into(),
            RegisterError::Password(p) => p.text(lang),
            RegisterError::Question => t::choose_question(lang).into(),
            RegisterError::EmptyAnswer => t::answer_missing(lang).into(),
            RegisterError::Phone(p) => p.text(lang),
            RegisterError::CodeTooSoon(_) => t::two_step_too_soon(lang).into(),
            RegisterError::NoMoreCodes => t::no_more_registration_codes(lang).into(),
            RegisterError::NoTextCode => t::no_registration_code(lang).into(),
            RegisterError::Portal(p) => p.text(lang),
        }
    }
}

crate::error::english_display!(RegisterError);

crate::wraps_portal_error!(RegisterError);

impl UserError for RegisterError {
    fn refusal(&self) -> Refusal {
        match self {
            RegisterError::NoLongerValid => Refusal::Gone,
            RegisterError::AlreadyEnrolled | RegisterError::UsernameTaken | RegisterError::UsernameLookAlike => Refusal::Conflict,
            RegisterError::DobMismatch => Refusal::NotProven,
            RegisterError::UnderThirteen => Refusal::Forbidden,
            RegisterError::AccessCode(_) | RegisterError::YourDob(_) => Refusal::BadInput,
            RegisterError::CodeTooSoon(secs) => Refusal::TooSoon(Refusal::wait(*secs)),
            RegisterError::NoMoreCodes => Refusal::TooSoon(None),
            RegisterError::NoTextCode => Refusal::Conflict,
            RegisterError::Dob(_)
            | RegisterError::Username(_)
            | RegisterError::Password(_)
            | RegisterError::Question
            | RegisterError::EmptyAnswer
            | RegisterError::Phone(_) => Refusal::BadInput,
            RegisterError::Portal(e) => e.refusal(),
        }
    }
}


/// "Forgot username?" refuses only input it can't read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UsernameHelpError {
    Email(EmailProblem),
    Dob(DobProblem),
    Portal(PortalError),
}

crate::wraps_portal_error!(UsernameHelpError);

impl UsernameHelpError {
    /// What the patient reads, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            UsernameHelpError::Email(p) => p.text(lang),
            UsernameHelpError::Dob(p) => p.text(lang),
            UsernameHelpError::Portal(p) => p.text(lang),
        }
    }
}

crate::error::english_display!(UsernameHelpError);

impl UserError for UsernameHelpError {
    fn refusal(&self) -> Refusal {
        match self {
            UsernameHelpError::Email(_) | UsernameHelpError::Dob(_) => Refusal::BadInput,
            UsernameHelpError::Portal(e) => e.refusal(),
        }
    }
}


/// What `/register/{token}` shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterView {
    /// `None` when the invitation is used, voided, expired or unknown.
    pub first_name: Option<String>,
    /// For a family member's or caregiver's invitation: the invited person's
    /// name (`first_name` is then the patient's). The form then asks for
    /// "Your date of birth" and pre-fills no mobile number.
    pub invitee_name: Option<String>,
    pub access_code: String,
    pub your_dob: String,
    /// Pre-filled: the invited email (or what was typed before a refusal).
    pub username: String,
    /// Pre-filled from the chart, masked ("(•••) •••-0101") until the date of birth passes.
    pub phone: String,
    pub dob: String,
    pub question: String,
    /// The refusal of a form posted without JavaScript.
    pub error: Option<RegisterError>,
    /// "Text me a code", where the chart has a mobile number (never for a family member).
    pub text_code: Option<TextCodeOffer>,
}

/// "Text me a code" on the registration page (SPEC §2.4): the chart's
/// mobile number, masked, and where its codes stand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextCodeOffer {
    /// "(•••) •••-4567".
    pub masked: String,
    /// When the newest code went, as the patient reads it ("10:47"), once one did.
    pub sent_at: Option<String>,
    /// Seconds until another code may be sent.
    pub resend_in: i64,
    /// Codes the invitation may still send.
    pub sends_left: i64,
    /// How many minutes a code works.
    pub minutes: i64,
}

/// What a registration form carried, minus the secrets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterTyped {
    pub dob: String,
    pub access_code: String,
    /// A family member's own date of birth (empty on a patient's own registration).
    pub your_dob: String,
    pub username: String,
    pub question: String,
    pub phone: String,
}

/// What "Link to my account" carried, minus the password.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkTyped {
    pub dob: String,
    pub access_code: String,
    pub username: String,
}

/// What `/forgot-username` shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForgotUsernameView {
    pub mail_from: String,
    pub email: String,
    pub dob: String,
    pub error: Option<UsernameHelpError>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_questions_parse() {
        assert_eq!(SecurityQuestion::parse(SECURITY_QUESTIONS[0]).unwrap().as_str(), SECURITY_QUESTIONS[0]);
        assert_eq!(SecurityQuestion::parse("What is your password?"), None);
        assert_eq!(SecurityQuestion::parse(""), None);
    }
}
