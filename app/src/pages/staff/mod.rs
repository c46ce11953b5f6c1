//! The staff console (SPEC §3): `/staff/login`, `/staff` (patients),
//! `/staff/patients/{id}` (the chart and its "Patient portal access" dialog).

mod access_dialog;
pub mod chart;
pub mod list;

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use crate::api::staff::{staff_login_notice, StaffLogin, StaffLogout};
use crate::pages::forms::{alert, submit_to};

#[component]
pub fn StaffLoginPage() -> impl IntoView {
    let notice = Resource::new_blocking(|| (), |_| staff_login_notice());
    let action = ServerAction::<StaffLogin>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(()))) {
            navigate("/staff", Default::default());
        }
    });
    view! {
        <Title text="Staff sign in · Patient Portal"/>
        <main class="card">
            <h1>"Staff sign in"</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    let notice = notice.await.unwrap_or_default();
                    let initial = notice.error.clone();
                    let error = move || match action.value().get() {
                        Some(Err(e)) => Some(e.to_string()),
                        Some(Ok(())) => None,
                        None => initial.as_ref().map(ToString::to_string),
                    };
                    view! {
                        <form method="post" action=StaffLogin::url() on:submit=submit_to(action, || true) novalidate>
                            {move || alert("staff-login-error", error())}
                            <label for="username">"Username"</label>
                            <input id="username" name="username" type="email" autocomplete="username" autocapitalize="none" spellcheck="false" required value=notice.username/>
                            <label for="password">"Password"</label>
                            <input id="password" name="password" type="password" autocomplete="current-password" required/>
                            <button type="submit" aria-disabled=move || action.pending().get().then_some("true")>"Sign in"</button>
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
    let logout = ServerAction::<StaffLogout>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if logout.value().get().is_some() {
            navigate("/staff/login", Default::default());
        }
    });
    view! {
        <header class="staff-header">
            <a href="/staff">"Patients"</a>
            <span>{format!("Signed in as {name}")}</span>
            <form method="post" action=StaffLogout::url() on:submit=submit_to(logout, || true)>
                <button type="submit" class="secondary">"Sign out"</button>
            </form>
        </header>
    }
}
