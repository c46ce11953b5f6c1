//! Account settings of a signed-in patient (SPEC §2.5): what each change
//! can answer, with its own wording.

use serde::{Deserialize, Serialize};

use crate::error::{PortalError, Refusal, UserError};
use crate::i18n::{t, Lang};
use crate::email::EmailProblem;
use crate::phone::PhoneProblem;
use crate::secret::PasswordProblem;

/// The three changes, each its own form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    Password,
    Question,
    Mobile,
    /// A two-step setup code was sent.
    CodeSent,
    TwoStepOn,
    TwoStepOff,
    PasskeyRemoved,
    /// A family member or caregiver was invited (the page shows the code once).
    FamilyInvited,
    /// Someone's access to the patient's records was removed.
    AccessRemoved,
    /// The account stopped seeing someone else's records.
    AccessLeft,
}

impl Change {
    /// The confirmation a patient sees after the change, in `lang`.
    pub fn done(self, lang: Lang) -> &'static str {
        match self {
            Change::Password => t::password_changed(lang),
            Change::Question => t::question_changed(lang),
            Change::Mobile => t::mobile_changed(lang),
            Change::CodeSent => t::setup_code_sent(lang),
            Change::TwoStepOn => t::two_step_is_on(lang),
            Change::TwoStepOff => t::two_step_is_off(lang),
            Change::PasskeyRemoved => t::passkey_removed(lang),
            Change::FamilyInvited => t::status_invited(lang),
            Change::AccessRemoved => t::access_removed(lang),
            Change::AccessLeft => t::access_left(lang),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SettingsError {
    WrongPassword,
    Password(PasswordProblem),
    Question,
    EmptyAnswer,
    Phone(PhoneProblem),
    /// A wrong setup code, and the tries left.
    WrongCode(i64),
    WrongAppCode,
    CodeFormat,
    SendCodeFirst,
    /// "Send code" again before the interval ran out, and the seconds left.
    TooSoon(i64),
    NoMobile,
    NoEmail,
    AppMakesCodes,
    AlreadyOn,
    AlreadyOff,
    NoSuchPasskey,
    /// "Invite" without a usable name.
    PersonName,
    Email(EmailProblem),
    Relationship,
    ParentOfAdult,
    /// A minor (or an account without a chart of its own) can't invite.
    AdultsOnly,
    NoSuchPerson,
    /// The day's invitations are used up; how many a day.
    TooManyInvitations(i64),
    /// The account was sent as many two-step codes as it may be for now.
    TooManyCodes,
    /// Two-step verification is on and this session passed no second step
    /// in the last so many minutes: the change needs a fresh sign-in.
    SignInAgain(i64),
    Portal(PortalError),
}

impl SettingsError {
    /// What the patient reads, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            SettingsError::WrongPassword => t::wrong_current_password(lang).into(),
            SettingsError::Password(p) => p.text(lang),
            SettingsError::Question => t::choose_question(lang).into(),
            SettingsError::EmptyAnswer => t::answer_missing(lang).into(),
            SettingsError::Phone(p) => p.text(lang),
            SettingsError::WrongCode(left) => t::wrong_code(lang, *left),
            SettingsError::WrongAppCode => t::wrong_app_code(lang).into(),
            SettingsError::CodeFormat => t::enter_code(lang, crate::two_step::CODE_DIGITS),
            SettingsError::SendCodeFirst => t::send_code_first(lang).into(),
            SettingsError::TooSoon(_) => t::setup_too_soon(lang).into(),
            SettingsError::NoMobile => t::no_mobile(lang).into(),
            SettingsError::NoEmail => t::no_email(lang).into(),
            SettingsError::AppMakesCodes => t::app_makes_codes(lang).into(),
            SettingsError::AlreadyOn => t::already_on(lang).into(),
            SettingsError::AlreadyOff => t::already_off(lang).into(),
            SettingsError::NoSuchPasskey => t::passkey_not_yours(lang).into(),
            SettingsError::PersonName => t::person_name_missing(lang).into(),
            SettingsError::Email(p) => p.text(lang),
            SettingsError::Relationship => t::relationship_missing(lang).into(),
            SettingsError::ParentOfAdult => t::parent_only_minor(lang).into(),
            SettingsError::AdultsOnly => t::family_adults_only(lang).into(),
            SettingsError::NoSuchPerson => t::no_such_person(lang).into(),
            SettingsError::TooManyInvitations(max) => t::too_many_invitations(lang, *max),
            SettingsError::TooManyCodes => t::too_many_codes(lang).into(),
            SettingsError::SignInAgain(minutes) => t::sign_in_again_for_change(lang, *minutes),
            SettingsError::Portal(p) => p.text(lang),
        }
    }
}

crate::error::english_display!(SettingsError);

crate::wraps_portal_error!(SettingsError);

impl UserError for SettingsError {
    fn refusal(&self) -> Refusal {
        match self {
            SettingsError::WrongPassword | SettingsError::WrongCode(_) | SettingsError::WrongAppCode => Refusal::NotProven,
            SettingsError::TooSoon(secs) => Refusal::TooSoon(Refusal::wait(*secs)),
            SettingsError::AlreadyOn | SettingsError::AlreadyOff | SettingsError::SendCodeFirst => Refusal::Conflict,
            SettingsError::NoSuchPasskey | SettingsError::NoSuchPerson => Refusal::NotFound,
            SettingsError::AdultsOnly | SettingsError::SignInAgain(_) => Refusal::Forbidden,
            SettingsError::TooManyInvitations(_) | SettingsError::TooManyCodes => Refusal::TooSoon(None),
            SettingsError::Password(_)
            | SettingsError::Question
            | SettingsError::EmptyAnswer
            | SettingsError::Phone(_)
            | SettingsError::CodeFormat
            | SettingsError::NoMobile
            | SettingsError::NoEmail
            | SettingsError::AppMakesCodes
            | SettingsError::PersonName
            | SettingsError::Email(_)
            | SettingsError::Relationship
            | SettingsError::ParentOfAdult => Refusal::BadInput,
            SettingsError::Portal(e) => e.refusal(),
        }
    }
}

/// What `/settings` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsView {
    pub question: String,
    /// Like "(217) 555-0101".
    pub phone: String,
    pub two_step: crate::two_step::TwoStepSettings,
    pub passkeys: Vec<crate::passkeys::PasskeyView>,
    pub family: crate::family::FamilySettings,
    /// The outcome of the last form posted without JavaScript.
    pub outcome: Option<(Change, Result<(), SettingsError>)>,
}
