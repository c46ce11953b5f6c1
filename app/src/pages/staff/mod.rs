//! The staff console (SPEC §3): `/staff/login`, `/staff` (patients),
//! `/staff/patients/{id}` (the chart and its "Patient portal access" dialog).

mod access_controls;
mod access_dialog;
mod access_facts;
mod access_people;
pub mod chart;
pub mod list;

use leptos::prelude::*;
use crate::csrf::CsrfField;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use crate::api::staff::{staff_login_notice, staff_second_step, StaffLogin, StaffLogout, StaffVerify};
use leptos_router::components::Redirect;
use crate::pages::forms::alert;

/// Plain forms: staff sign in and out with a page load, with or without
/// JavaScript; a refusal comes back with the page (the server's notice).
#[component]
pub fn StaffLoginPage() -> impl IntoView {
    let notice = Resource::new_blocking(|| (), |_| staff_login_notice());
    view! {
        <Title text="Staff sign in · Patient Portal"/>
        <main class="card">
            <h1>"Staff sign in"</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    let notice = notice.await.unwrap_or_default();
                    view! {
                        <form method="post" action=StaffLogin::url() novalidate>
                            <CsrfField/>
                            {alert("staff-login-error", notice.error.map(|e| e.to_string()))}
                            <label for="username">"Username"</label>
                            <input id="username" name="username" type="email" autocomplete="username" autocapitalize="none" spellcheck="false" required value=notice.username/>
                            <label for="password">"Password"</label>
                            <input id="password" name="password" type="password" autocomplete="current-password" required/>
                            <button type="submit">"Sign in"</button>
                        </form>
                    }
                })}
            </Suspense>
        </main>
    }
}

/// The second step of a staff sign-in (SPEC §3): the authenticator app's
/// code, after setting the app up the first time (QR code and secret as text).
#[component]
pub fn StaffVerifyPage() -> impl IntoView {
    let step = Resource::new_blocking(|| (), |_| staff_second_step());
    view! {
        <Title text="Two-step verification · Patient Portal"/>
        <main class="card">
            <h1>"Two-step verification"</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    let step = step.await.unwrap_or_default();
                    if !step.pending {
                        return view! { <Redirect path="/staff/login"/> }.into_any();
                    }
                    view! {
                        {step.setup.map(|s| view! {
                            <section aria-labelledby="setup-heading">
                                <h2 id="setup-heading">"Set up your authenticator app"</h2>
                                <p>"Scan this QR code with an authenticator app (such as Google Authenticator, Microsoft Authenticator or 1Password), or type the key below into it."</p>
                                <div class="qr" role="img" aria-label="QR code of your authenticator key" inner_html=s.qr_svg></div>
                                <p>"Key: " <code id="totp-secret">{s.secret}</code></p>
                            </section>
                        })}
                        <form method="post" action=StaffVerify::url() novalidate>
                            <CsrfField/>
                            {alert("staff-verify-error", step.error.map(|e| e.to_string()))}
                            <label for="code">"Verification code"</label>
                            <span class="hint" id="code-hint">"The 6-digit code your authenticator app shows now."</span>
                            <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="7" required aria-describedby="code-hint"/>
                            <button type="submit">"Verify"</button>
                        </form>
                    }.into_any()
                })}
            </Suspense>
        </main>
    }
}

/// The console's header: who is signed in, and "Sign out".
#[component]
pub fn StaffHeader(name: String) -> impl IntoView {
    view! {
        <header class="staff-header">
            <a href="/staff">"Patients"</a>
            <span>{format!("Signed in as {name}")}</span>
            <form method="post" action=StaffLogout::url()>
                <CsrfField/>
                <button type="submit" class="secondary">"Sign out"</button>
            </form>
        </header>
    }
}
