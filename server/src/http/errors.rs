//! Server functions answer errors with 500 by default; this gives each
//! user-safe error its own status (401, 423, 429 ...) and
//! Retry-After.

use app::error::PortalError;
use app::register::{RegisterError, UsernameHelpError};
use app::reset::ResetError;
use app::settings::SettingsError;
use app::staff::StaffError;
use axum::body::{to_bytes, Body};
use axum::http::{header::RETRY_AFTER, HeaderValue, Request, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";
const MAX_ERROR_BODY: usize = 4096;

pub async fn server_fn_status(req: Request<Body>, next: Next) -> Response {
    let res = next.run(req).await;
    if !res.headers().contains_key(SERVER_FN_ERROR_HEADER) || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = to_bytes(body, MAX_ERROR_BODY).await.unwrap_or_default();
    let answer = serde_json::from_slice::<PortalError>(&bytes)
        .map(|e| (e.status(), e.retry_after()))
        .or_else(|_| serde_json::from_slice::<ResetError>(&bytes).map(|e| (e.status(), e.retry_after())))
        .or_else(|_| serde_json::from_slice::<RegisterError>(&bytes).map(|e| (e.status(), e.retry_after())))
        .or_else(|_| serde_json::from_slice::<UsernameHelpError>(&bytes).map(|e| (e.status(), e.retry_after())))
        .or_else(|_| serde_json::from_slice::<SettingsError>(&bytes).map(|e| (e.status(), e.retry_after())))
        .or_else(|_| serde_json::from_slice::<StaffError>(&bytes).map(|e| (e.status(), e.retry_after())))
        .ok();
    if let Some((status, retry_after)) = answer {
        parts.status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let Some(secs) = retry_after {
            parts.headers.insert(RETRY_AFTER, HeaderValue::from(secs));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// The middleware reads a body without knowing its type: a unit variant
    /// that two error types share must mean the same status in both.
    #[test]
    fn error_bodies_that_look_alike_mean_the_same_status() {
        let mut seen: HashMap<String, (u16, &str)> = HashMap::new();
        let mut add = |json: String, status: u16, from: &'static str| {
            if let Some((other, by)) = seen.insert(json.clone(), (status, from)) {
                assert_eq!(other, status, "{json} is {other} as {by} but {status} as {from}");
            }
        };
        for e in [PortalError::InvalidCredentials, PortalError::Locked, PortalError::Revoked, PortalError::TooManyAttempts, PortalError::NotSignedIn, PortalError::Busy] {
            add(serde_json::to_string(&e).unwrap(), e.status(), "PortalError");
        }
        for e in [ResetError::NoLongerValid, ResetError::WrongStep, ResetError::NoMatch, ResetError::PhoneMismatch, ResetError::NoMoreSends, ResetError::CodeExpired, ResetError::MethodOff] {
            add(serde_json::to_string(&e).unwrap(), e.status(), "ResetError");
        }
        for e in [RegisterError::NoLongerValid, RegisterError::AlreadyEnrolled, RegisterError::DobMismatch, RegisterError::UsernameTaken, RegisterError::UsernameLookAlike, RegisterError::Question, RegisterError::EmptyAnswer] {
            add(serde_json::to_string(&e).unwrap(), e.status(), "RegisterError");
        }
        for e in [SettingsError::WrongPassword, SettingsError::Question, SettingsError::EmptyAnswer] {
            add(serde_json::to_string(&e).unwrap(), e.status(), "SettingsError");
        }
        for e in [StaffError::NoSuchPatient, StaffError::AlreadyEnrolled, StaffError::AlreadyRevoked, StaffError::NoEmail] {
            add(serde_json::to_string(&e).unwrap(), e.status(), "StaffError");
        }
    }
}
