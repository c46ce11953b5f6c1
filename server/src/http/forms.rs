//! The sign-in and sign-out forms posted without JavaScript: POST, then a
//! 303 redirect to a page that renders the server's state (PRG).

use app::error::{InputProblem, PortalError};
use app::port::{HttpCx, Portal};
use app::secret::Password;
use axum::body::Body;
use axum::extract::{FromRequest, State};
use axum::http::{header, Request, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use leptos_axum::ResponseOptions;
use serde::Deserialize;

use super::router::AppState;

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: Password,
}

/// Splits the request so the port sees its head, and parses the form body.
async fn read_form<T: serde::de::DeserializeOwned>(req: Request<Body>) -> Result<(HttpCx, T), Response> {
    let (parts, body) = req.into_parts();
    let cx = HttpCx { parts: parts.clone(), response: ResponseOptions::default() };
    match Form::<T>::from_request(Request::from_parts(parts, body), &()).await {
        Ok(Form(form)) => Ok((cx, form)),
        Err(rejection) => {
            let status = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE { rejection.status() } else { StatusCode::BAD_REQUEST };
            Err((status, PortalError::BadInput(InputProblem::Malformed).to_string()).into_response())
        }
    }
}

/// A 303 to `to`, carrying the cookies the port set.
fn see_other(cx: HttpCx, to: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    let set = cx.response.0.read().map(|r| r.headers.clone()).unwrap_or_default();
    for v in set.get_all(header::SET_COOKIE) {
        res.headers_mut().append(header::SET_COOKIE, v.clone());
    }
    res
}

pub async fn login(State(state): State<AppState>, req: Request<Body>) -> Response {
    let (cx, form) = match read_form::<LoginForm>(req).await {
        Ok(ok) => ok,
        Err(res) => return res,
    };
    match state.backend.sign_in(&cx, &form.username, &form.password).await {
        Ok(app::two_step::SignIn::Done) => see_other(cx, "/"),
        Ok(app::two_step::SignIn::SecondStep) => see_other(cx, "/login/verify"),
        Err(e) => {
            state.backend.remember_login_error(&cx, &e, &form.username);
            see_other(cx, "/login")
        }
    }
}

pub async fn logout(State(state): State<AppState>, req: Request<Body>) -> Response {
    let (parts, _) = req.into_parts();
    let cx = HttpCx { parts, response: ResponseOptions::default() };
    // Signing out can only fail inside the server; the cookie is cleared either way.
    let _ = state.backend.sign_out(&cx).await;
    see_other(cx, "/login")
}
