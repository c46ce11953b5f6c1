//! The staff console (SPEC §3): `/staff/login`, `/staff` (patients),
//! `/staff/patients/{id}` (the chart and its "Patient portal access" dialog).

mod access_dialog;
pub mod chart;
pub mod list;

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use crate::api::staff::{staff_login_notice, StaffLogin, StaffLogout};
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

/// The console's header: who is signed in, and "Sign out".
#[component]
pub fn StaffHeader(name: String) -> impl IntoView {
    view! {
        <header class="staff-header">
            <a href="/staff">"Patients"</a>
            <span>{format!("Signed in as {name}")}</span>
            <form method="post" action=StaffLogout::url()>
                <button type="submit" class="secondary">"Sign out"</button>
            </form>
        </header>
    }
}
