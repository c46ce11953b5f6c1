//! The only errors a browser ever sees: each variant is a user-safe message.
//! Internal causes are logged on the server and reach the client as `Internal`.

use serde::{Deserialize, Serialize};

use crate::i18n::{t, Lang};

/// Why a form's input was refused before any work was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InputProblem {
    UsernameMissing,
    UsernameInvalid,
    PasswordMissing,
    PasswordTooLong,
    Malformed,
}

impl InputProblem {
    /// What the patient reads, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            InputProblem::UsernameMissing => t::username_missing(lang).into(),
            InputProblem::UsernameInvalid => t::username_invalid(lang).into(),
            InputProblem::PasswordMissing => t::password_missing(lang).into(),
            InputProblem::PasswordTooLong => t::password_too_long(lang, crate::secret::MAX_PASSWORD_CHARS),
            InputProblem::Malformed => t::malformed(lang).into(),
        }
    }
}

/// How long 5 failed tries in a row lock an account (SPEC §2.1); the
/// server's lockout enforces it, the message tells it.
pub const LOCK_MINUTES: i64 = 15;

/// What a client is told to wait (`Retry-After`) while the database is away.
pub const UNAVAILABLE_RETRY_SECS: u32 = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PortalError {
    InvalidCredentials,
    Locked,
    /// Locked by wrong second-factor codes: only a password reset or the practice opens it.
    LockedUntilReset,
    Revoked,
    TooManyAttempts,
    BadInput(InputProblem),
    NotSignedIn,
    WrongVerificationCode,
    Busy,
    /// The database does not answer (restarting, say).
    Unavailable,
    Internal,
    Unreachable,
}

impl PortalError {
    /// What the patient reads, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            PortalError::InvalidCredentials => t::invalid_credentials(lang).into(),
            PortalError::Locked => t::locked(lang, LOCK_MINUTES),
            PortalError::LockedUntilReset => t::locked_until_reset(lang).into(),
            PortalError::Revoked => t::revoked(lang).into(),
            PortalError::TooManyAttempts => t::too_many_attempts(lang).into(),
            PortalError::BadInput(p) => p.text(lang),
            PortalError::NotSignedIn => t::not_signed_in(lang).into(),
            PortalError::WrongVerificationCode => t::wrong_authenticator_code(lang).into(),
            PortalError::Busy => t::busy(lang).into(),
            PortalError::Unavailable => t::unavailable(lang).into(),
            PortalError::Internal => t::internal(lang).into(),
            PortalError::Unreachable => t::unreachable(lang).into(),
        }
    }
}

/// Errors print in English (logs, tests); pages show [`PortalError::text`]
/// in the patient's language.
macro_rules! english_display {
    ($($ty:ty),*) => {$(
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.text(crate::i18n::Lang::En))
            }
        }
        impl std::error::Error for $ty {}
    )*};
}

english_display!(InputProblem, PortalError);
pub(crate) use english_display;

impl From<InputProblem> for PortalError {
    fn from(p: InputProblem) -> Self {
        PortalError::BadInput(p)
    }
}

/// The kinds of "no" the portal answers, each with its one HTTP status and
/// `Retry-After`: every error a person reads says which it is, by a match
/// with no catch-all, so two errors that mean the same can't disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Input that doesn't parse or breaks a rule (400).
    BadInput,
    /// Not signed in, or a wrong password, answer, date of birth, number or
    /// code: who asks is not proven (401).
    NotProven,
    /// Proven, and not allowed: portal access turned off (403).
    Forbidden,
    /// Nothing there for this person (404).
    NotFound,
    /// Not now: already done, another step first, or taken (409).
    Conflict,
    /// A link, invitation or code that ended (410).
    Gone,
    /// The account is locked (423).
    Locked,
    /// Too soon or too many; the seconds to wait, when known (429).
    TooSoon(Option<u32>),
    /// The server is busy or its database away; the seconds to wait (503).
    Unavailable(u32),
    /// Something broke on our side (500).
    Internal,
}

impl Refusal {
    pub fn status(self) -> u16 {
        match self {
            Refusal::BadInput => 400,
            Refusal::NotProven => 401,
            Refusal::Forbidden => 403,
            Refusal::NotFound => 404,
            Refusal::Conflict => 409,
            Refusal::Gone => 410,
            Refusal::Locked => 423,
            Refusal::TooSoon(_) => 429,
            Refusal::Unavailable(_) => 503,
            Refusal::Internal => 500,
        }
    }

    pub fn retry_after(self) -> Option<u32> {
        match self {
            Refusal::TooSoon(secs) => secs,
            Refusal::Unavailable(secs) => Some(secs),
            _ => None,
        }
    }

    /// Seconds to wait, as a count a refusal carries (never negative).
    pub fn wait(secs: i64) -> Option<u32> {
        u32::try_from(secs.max(1)).ok()
    }
}

/// An error a person reads: which kind of refusal it is, and so the HTTP
/// status its answer goes out with and when to try again. Every server
/// function's error type has one; its answer gets both when it is written
/// ([`mark_response`]).
pub trait UserError {
    fn refusal(&self) -> Refusal;

    /// The HTTP status this error is sent with.
    fn status(&self) -> u16 {
        self.refusal().status()
    }

    /// Seconds a client should wait before trying again, when that is known.
    fn retry_after(&self) -> Option<u32> {
        self.refusal().retry_after()
    }
}

impl UserError for PortalError {
    fn refusal(&self) -> Refusal {
        match self {
            PortalError::InvalidCredentials | PortalError::NotSignedIn | PortalError::WrongVerificationCode => Refusal::NotProven,
            PortalError::Revoked => Refusal::Forbidden,
            PortalError::Locked | PortalError::LockedUntilReset => Refusal::Locked,
            PortalError::TooManyAttempts => Refusal::TooSoon(Some(60)),
            PortalError::BadInput(_) => Refusal::BadInput,
            PortalError::Busy => Refusal::Unavailable(1),
            PortalError::Unavailable => Refusal::Unavailable(UNAVAILABLE_RETRY_SECS),
            PortalError::Internal | PortalError::Unreachable => Refusal::Internal,
        }
    }
}

/// Gives the response being built `e`'s status and `Retry-After` (on the
/// server; the browser's copy of this code has no response to mark), unless
/// the server function already chose one: a plain form post's 303 stands.
pub fn mark_response(e: &impl UserError) {
    #[cfg(feature = "ssr")]
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        let chosen = response.0.read().map(|parts| parts.status.is_some()).unwrap_or(true);
        if chosen {
            return;
        }
        if let Ok(status) = http::StatusCode::from_u16(e.status()) {
            response.set_status(status);
        }
        if let Some(secs) = e.retry_after() {
            response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(secs));
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = e;
}

/// The error's JSON body, its answer marked with its status on the way.
pub fn answer_body<E: UserError + serde::Serialize>(e: &E) -> leptos::server_fn::Bytes {
    mark_response(e);
    <leptos::server_fn::codec::JsonEncoding as leptos::server_fn::Encodes<E>>::encode(e).unwrap_or_default()
}

impl leptos::server_fn::error::FromServerFnError for PortalError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn ser(&self) -> leptos::server_fn::Bytes {
        answer_body(self)
    }

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            // The request's arguments could not be read: the client sent a bad form.
            E::Args(_) | E::MissingArg(_) => PortalError::BadInput(InputProblem::Malformed),
            // On the server, a body that does not decode (invalid UTF-8, say) is a bad form too.
            E::Deserialization(_) if cfg!(feature = "ssr") => PortalError::BadInput(InputProblem::Malformed),
            // The browser could not reach the server or read its answer.
            E::Request(_) | E::Deserialization(_) => PortalError::Unreachable,
            _ => PortalError::Internal,
        }
    }
}

/// For an error enum of a form with a `Portal(PortalError)` variant: the
/// conversion from `PortalError`, and how the server-function machinery
/// turns its own failures (bad arguments, no connection) into this type.
#[macro_export]
macro_rules! wraps_portal_error {
    ($t:ident) => {
        impl From<$crate::error::PortalError> for $t {
            fn from(e: $crate::error::PortalError) -> Self {
                $t::Portal(e)
            }
        }

        impl leptos::server_fn::error::FromServerFnError for $t {
            type Encoder = leptos::server_fn::codec::JsonEncoding;

            fn ser(&self) -> leptos::server_fn::Bytes {
                $crate::error::answer_body(self)
            }

            fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
                $t::Portal(<$crate::error::PortalError as leptos::server_fn::error::FromServerFnError>::from_server_fn_error(value))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_errors_are_4xx_and_throttling_says_when_to_retry() {
        assert_eq!(PortalError::InvalidCredentials.status(), 401);
        assert_eq!(PortalError::BadInput(InputProblem::Malformed).status(), 400);
        assert_eq!(PortalError::TooManyAttempts.status(), 429);
        assert_eq!(PortalError::TooManyAttempts.retry_after(), Some(60));
    }

    #[test]
    fn the_same_kind_of_no_has_the_same_status_in_every_flow() {
        use crate::reset::ResetError;
        use crate::settings::SettingsError;
        use crate::two_step::TwoStepError;
        // A wrong code is "not proven" wherever it is typed.
        let wrong: [&dyn UserError; 4] =
            [&ResetError::WrongCode(2), &TwoStepError::WrongCode(2), &SettingsError::WrongCode(2), &PortalError::WrongVerificationCode];
        assert!(wrong.iter().all(|e| e.refusal() == Refusal::NotProven && e.status() == 401));
        // "Too soon" says how long to wait, in every flow.
        assert_eq!(ResetError::ResendIn(42).retry_after(), Some(42));
        assert_eq!(TwoStepError::TooSoon(42).retry_after(), Some(42));
        assert_eq!(SettingsError::TooSoon(42).retry_after(), Some(42));
        assert_eq!(TwoStepError::TooSoon(0).retry_after(), Some(1), "never a wait of nothing");
    }
}
