//! The only errors a browser ever sees: each variant is a user-safe message.
//! Internal causes are logged on the server and reach the client as `Internal`.

use serde::{Deserialize, Serialize};

/// Why a form's input was refused before any work was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum InputProblem {
    #[error("Enter your username.")]
    UsernameMissing,
    #[error("Enter a valid username: no spaces, control or invisible characters, at most 254 characters.")]
    UsernameInvalid,
    #[error("Enter your password.")]
    PasswordMissing,
    #[error("Passwords can be at most {} characters.", crate::secret::MAX_PASSWORD_CHARS)]
    PasswordTooLong,
    #[error("The form was incomplete or malformed. Reload the page and try again.")]
    Malformed,
}

/// How long 5 failed tries in a row lock an account (SPEC §2.1); the
/// server's lockout enforces it, the message tells it.
pub const LOCK_MINUTES: i64 = 15;

/// What a client is told to wait (`Retry-After`) while the database is away.
pub const UNAVAILABLE_RETRY_SECS: u32 = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PortalError {
    #[error("The username or password you entered is incorrect.")]
    InvalidCredentials,
    #[error(
        "Your account is temporarily locked. Try again in {LOCK_MINUTES} minutes, or use Forgot password? to reset your password."
    )]
    Locked,
    #[error("Your portal access has been turned off. Please contact your practice.")]
    Revoked,
    #[error("Too many attempts. Wait a minute and try again.")]
    TooManyAttempts,
    #[error("{0}")]
    BadInput(InputProblem),
    #[error("You are not signed in, or your session has ended. Please sign in again.")]
    NotSignedIn,
    #[error("That code didn't work. Enter the code your authenticator app shows now.")]
    WrongVerificationCode,
    #[error("The portal is busy right now. Please try again in a moment.")]
    Busy,
    /// The database does not answer (restarting, say).
    #[error("The portal is unavailable right now. Please try again in a few minutes.")]
    Unavailable,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    #[error("We couldn't reach the portal. Check your connection and try again.")]
    Unreachable,
}

impl From<InputProblem> for PortalError {
    fn from(p: InputProblem) -> Self {
        PortalError::BadInput(p)
    }
}

/// An error a person reads: the HTTP status its answer goes out with, and
/// when to try again. Every server function's error type has one; its
/// answer gets both when it is written ([`mark_response`]).
pub trait UserError {
    /// The HTTP status this error is sent with.
    fn status(&self) -> u16;
    /// Seconds a client should wait before trying again, when that is known.
    fn retry_after(&self) -> Option<u32>;
}

impl UserError for PortalError {
    fn status(&self) -> u16 {
        match self {
            PortalError::InvalidCredentials | PortalError::NotSignedIn | PortalError::WrongVerificationCode => 401,
            PortalError::Revoked => 403,
            PortalError::Locked => 423,
            PortalError::TooManyAttempts => 429,
            PortalError::BadInput(_) => 400,
            PortalError::Busy | PortalError::Unavailable => 503,
            PortalError::Internal | PortalError::Unreachable => 500,
        }
    }

    fn retry_after(&self) -> Option<u32> {
        match self {
            PortalError::TooManyAttempts => Some(60),
            PortalError::Busy => Some(1),
            PortalError::Unavailable => Some(UNAVAILABLE_RETRY_SECS),
            _ => None,
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
}
