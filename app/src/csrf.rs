//! The CSRF token every form carries (SPEC §5). The server puts the
//! request's token among its extensions (and in a cookie); each form renders
//! it in a hidden field, so a browser that sends no `Sec-Fetch-Site` still
//! proves the post came from our page. JavaScript off included.

use leptos::prelude::*;

/// The form field that carries the token.
pub const FIELD: &str = "csrf";

/// The request's token, as the server hands it to the page it renders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsrfToken(pub String);

/// This request's token, on the server; in the browser the field keeps the
/// value the server rendered.
fn current() -> String {
    #[cfg(feature = "ssr")]
    {
        // Read in place: a clone of the request's parts would copy every header.
        with_context::<http::request::Parts, _>(|p| p.extensions.get::<CsrfToken>().map(|t| t.0.clone()))
            .flatten()
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

/// `<input type="hidden" name="csrf">`, inside every `<form method="post">`.
#[component]
pub fn CsrfField() -> impl IntoView {
    view! { <input type="hidden" name=FIELD value=current()/> }
}
