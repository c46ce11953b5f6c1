//! The passkey ceremonies' JSON endpoints, called by `public/passkeys.js`
//! (the browser's WebAuthn API needs JavaScript): options out, the
//! authenticator's answer in. Each is a few lines over `crate::passkeys`.

use app::error::{PortalError, UserError};
use app::passkeys::{parse_name, PasskeyError};
use axum::extract::State;
use axum::body::Body;
use axum::http::{header, request::Parts, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use webauthn_rs::prelude::{PublicKeyCredential, RegisterPublicKeyCredential};

use super::router::AppState;
use app::visit::Visit;
use app::web::visit_of;
use app::secret::Password;

use crate::passkeys;
use crate::sessions::Person;

/// The request, answered in the language the page was shown in.
fn visit(state: &AppState, parts: &Parts) -> Visit {
    let tls = state.backend.tls();
    visit_of(parts, crate::language::of_request(&parts.headers, parts.uri.path(), tls), tls)
}

/// A refusal, in the request's language.
fn answer(visit: &Visit, e: PasskeyError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
    (status, Json(serde_json::json!({ "error": e.text(visit.lang) }))).into_response()
}

/// Who is signed in, or `NotSignedIn`.
async fn patient(state: &AppState, visit: &Visit) -> Result<Person, PasskeyError> {
    Ok(state.backend.patient_in(visit).await?.1)
}

/// Reads a JSON body; a malformed one is a bad form.
async fn read<T: serde::de::DeserializeOwned>(body: Body) -> Result<T, PasskeyError> {
    let malformed = || PasskeyError::Portal(PortalError::BadInput(app::error::InputProblem::Malformed));
    let bytes = axum::body::to_bytes(body, 64 * 1024).await.map_err(|_| malformed())?;
    serde_json::from_slice(&bytes).map_err(|_| malformed())
}

#[derive(Deserialize)]
struct StartRegistration {
    #[serde(default)]
    name: String,
    /// The account's current password (SPEC §2.5).
    #[serde(default)]
    current: String,
}

#[derive(Deserialize)]
struct Finish<T> {
    ceremony: String,
    credential: T,
}

pub async fn register_start(State(state): State<AppState>, req: Request<Body>) -> Response {
    let (parts, body) = req.into_parts();
    let visit = visit(&state, &parts);
    let result = async {
        let (session, who) = state.backend.patient_in(&visit).await?;
        crate::changes::step_up::require(&state.services, &session, who.account).await.map_err(|e| match e {
            app::settings::SettingsError::SignInAgain(minutes) => PasskeyError::SignInAgain(minutes),
            _ => PasskeyError::Portal(PortalError::Internal),
        })?;
        let form: StartRegistration = read(body).await?;
        let name = parse_name(&form.name)?;
        passkeys::start_registration(&state.services, &visit.client, who, &Password::new(form.current), name).await
    };
    match result.await {
        Ok((ceremony, options)) => Json(serde_json::json!({ "ceremony": ceremony, "options": options })).into_response(),
        Err(e) => answer(&visit, e),
    }
}

pub async fn register_finish(State(state): State<AppState>, req: Request<Body>) -> Response {
    let (parts, body) = req.into_parts();
    let visit = visit(&state, &parts);
    let result = async {
        let id = patient(&state, &visit).await?;
        let form: Finish<RegisterPublicKeyCredential> = read(body).await?;
        passkeys::finish_registration(&state.services, &visit.client, id.account, &form.ceremony, &form.credential).await
    };
    match result.await {
        Ok(()) => Json(serde_json::json!({ "ok": true })).into_response(),
        Err(e) => answer(&visit, e),
    }
}

pub async fn sign_in_start(State(state): State<AppState>, req: Request<Body>) -> Response {
    let (parts, body) = req.into_parts();
    let visit = visit(&state, &parts);
    // Nothing to say but `{}`; anything else is a bad request, and changes nothing.
    let result = async {
        read::<serde_json::Map<String, serde_json::Value>>(body).await?;
        passkeys::start_sign_in(&state.services).await
    };
    match result.await {
        Ok((ceremony, options)) => Json(serde_json::json!({ "ceremony": ceremony, "options": options })).into_response(),
        Err(e) => answer(&visit, e),
    }
}

pub async fn sign_in_finish(State(state): State<AppState>, req: Request<Body>) -> Response {
    let (parts, body) = req.into_parts();
    let visit = visit(&state, &parts);
    let old = state.backend.session(&visit);
    let result = async {
        let form: Finish<PublicKeyCredential> = read(body).await?;
        passkeys::finish_sign_in(&state.services, &visit.client, &form.ceremony, &form.credential, old.as_ref()).await
    };
    match result.await {
        Ok(token) => {
            state.backend.keep_session(&visit, &token);
            state.backend.settle_language(&visit, &token).await;
            let mut res = Json(serde_json::json!({ "ok": true })).into_response();
            for cookie in app::web::set_cookie_headers(&visit, state.backend.tls()) {
                res.headers_mut().append(header::SET_COOKIE, cookie);
            }
            res
        }
        Err(e) => answer(&visit, e),
    }
}
