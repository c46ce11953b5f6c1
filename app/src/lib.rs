//! Pages, components, shared types and validators, and server functions of
//! the patient portal. Compiled twice: for the server (`ssr`) and the browser
//! (`hydrate`); the browser build carries no server code.

/// A value type stored as text (written only from a parsed value) decodes
/// through its parser, `$parse(&str) -> Result<$ty, _>`: a row hands back the
/// type, never a string to parse again, and a stored value that doesn't
/// parse fails the read loudly (naming only its length: it may be personal).
#[cfg(feature = "ssr")]
macro_rules! decodes_through_parser {
    ($ty:ty, $parse:expr, $what:literal) => {
        impl sqlx::Type<sqlx::Any> for $ty {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <String as sqlx::Type<sqlx::Any>>::type_info()
            }

            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <String as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Any> for $ty {
            fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let stored = <String as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                ($parse)(stored.as_str()).map_err(|_| format!("a stored {} that doesn't parse ({} characters)", $what, stored.len()).into())
            }
        }
    };
}

pub mod access_code;
pub mod api;
pub mod code;
pub mod csrf;
pub mod dob;
pub mod email;
pub mod error;
pub mod family;
pub mod i18n;
pub mod ids;
mod pages;
#[cfg(feature = "ssr")]
pub mod port;
pub mod phone;
pub mod passkeys;
pub mod register;
pub mod reset;
pub mod secret;
pub mod session;
pub mod settings;
pub mod staff;
pub mod two_step;
pub mod username;
#[cfg(feature = "ssr")]
pub mod jar;
#[cfg(feature = "ssr")]
pub mod visit;
#[cfg(feature = "ssr")]
pub mod web;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

pub use pages::live;
use pages::{
    forgot_password::ForgotPasswordPage,
    forgot_username::ForgotUsernamePage,
    chart::ChartRoute,
    home::HomePage,
    link::LinkPage,
    language_link::LanguageLink,
    login::LoginPage,
    not_found::NotFound,
    register::RegisterPage,
    reset::ResetPasswordPage,
    settings::SettingsPage,
    staff::{chart::StaffChartPage, list::StaffPatientsPage, StaffLoginPage, StaffVerifyPage},
    verify::VerifyPage,
};

/// The HTML document around every page; runs on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=i18n::lang().tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" href="/pkg/portal.css"/>
                <link rel="icon" href="data:,"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// A strict CSP for the page being rendered: scripts only from this origin or
/// carrying this response's nonce (the hydration bootstrap), wasm allowed.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    use http::{header::CONTENT_SECURITY_POLICY, HeaderValue};
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'",
        &*nonce
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text=i18n::t::portal(i18n::lang())/>
        // Marked `data-hydrated` once every island on the page is live (pages/live.rs).
        // The router runs on the server only: in islands mode the browser
        // hydrates the islands, and links and redirects are page loads.
        <div id="app">
            <LanguageLink/>
            <Router>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/login/verify") view=VerifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/reset/:token") view=ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/forgot-username") view=ForgotUsernamePage ssr=SsrMode::Async/>
                    <Route path=path!("/register/:token") view=RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/register/:token/link") view=LinkPage ssr=SsrMode::Async/>
                    <Route path=path!("/charts/:id") view=ChartRoute ssr=SsrMode::Async/>
                    <Route path=path!("/settings") view=SettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/login") view=StaffLoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/verify") view=StaffVerifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff") view=StaffPatientsPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/patients/:id") view=StaffChartPage ssr=SsrMode::Async/>
                </Routes>
            </Router>
        </div>
    }
}
