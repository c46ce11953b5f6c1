//! `GET /language/{en|es}?back=/path`: the "Español" / "English" link on
//! every patient page (SPEC §2.6). Keeps the choice in a cookie, saves it to
//! the account of a signed-in patient, and sends the browser back to the
//! page it came from.
//!
//! A GET changes nothing but this browser's cookie unless the browser
//! vouches (`Sec-Fetch-Site`: one of our pages, or typed) that the patient
//! followed the link themselves: another site's link or image can't change
//! the language a patient's emails go out in. Without that word (an older
//! browser) the cookie alone changes; sign-in saves it to the account.

use app::i18n::Lang;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::router::AppState;
use crate::language;

#[derive(Deserialize)]
pub struct Back {
    back: Option<String>,
}

pub async fn choose(State(state): State<AppState>, Path(tag): Path<String>, Query(q): Query<Back>, req: axum::extract::Request) -> Response {
    let Ok(lang) = Lang::try_from(tag) else {
        return (StatusCode::NOT_FOUND, "The portal speaks English (/language/en) and Spanish (/language/es).").into_response();
    };
    let tls = state.backend.tls();
    let visit = app::web::visit_of(&req.into_parts().0, lang, tls);
    if visit.origin.vouched_own() {
        if let Ok((_, who)) = state.backend.patient_in(&visit).await {
            if let Err(e) = language::save(&state.services.store, who, lang).await {
                // The page still changes language; the account keeps its old one.
                tracing::error!(error = %e, "saving a patient's language");
            }
        }
    }
    language::keep_choice(&visit, lang);
    let mut res = Redirect::to(language::back_to(q.back.as_deref())).into_response();
    for v in app::web::set_cookie_headers(&visit, tls) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}
