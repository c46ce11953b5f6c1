//! Pages, components, shared types and validators, and server functions of
//! the patient portal. Compiled twice: for the server (`ssr`) and the browser
//! (`hydrate`); the browser build carries no server code.

pub mod api;
pub mod code;
pub mod dob;
pub mod email;
pub mod error;
mod pages;
#[cfg(feature = "ssr")]
pub mod port;
pub mod phone;
pub mod register;
pub mod reset;
pub mod secret;
pub mod settings;
pub mod staff;
pub mod username;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, Lazy, SsrMode,
};

pub use pages::{
    lazy::{
        ForgotPasswordRoute, ForgotUsernameRoute, HomeRoute, RegisterRoute, ResetPasswordRoute, SettingsRoute, StaffChartRoute,
        StaffLoginRoute, StaffPatientsRoute,
    },
    login::LoginPage,
    not_found::NotFound,
};

/// The HTML document around every page; runs on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" href="/pkg/portal.css"/>
                <link rel="icon" href="data:,"/>
                <HydrationScripts options/>
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
        <Title text="Patient Portal"/>
        // The hydrate entry (frontend/) marks it `data-hydrated` once live.
        <div id="app">
            <Router>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view={Lazy::<HomeRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/forgot-password") view={Lazy::<ForgotPasswordRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/reset/:token") view={Lazy::<ResetPasswordRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/forgot-username") view={Lazy::<ForgotUsernameRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/register/:token") view={Lazy::<RegisterRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/staff/login") view={Lazy::<StaffLoginRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/staff") view={Lazy::<StaffPatientsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/staff/patients/:id") view={Lazy::<StaffChartRoute>::new()} ssr=SsrMode::Async/>
                </Routes>
            </Router>
        </div>
    }
}
