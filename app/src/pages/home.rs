//! `/`: the signed-in patient's welcome, "Sign out", and the idle warning.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use crate::csrf::CsrfField;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::current_patient;
use crate::session::PatientView;
use crate::i18n::{lang, t};

#[component]
pub fn HomePage() -> impl IntoView {
    let me = Resource::new_blocking(|| (), |_| current_patient());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(patient)) => view! { <Welcome patient/> }.into_any(),
                    _ => view! { <Redirect path="/login"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Welcome(patient: PatientView) -> impl IntoView {
    let lang = lang();
    view! {
        <Title text=t::home_title(lang)/>
        <main class="card">
            <h1>{t::welcome(lang, &patient.first_name)}</h1>
            <p>{t::signed_in_text(lang)}</p>
            <p><a href="/settings">{t::account_settings_link(lang)}</a></p>
            // A plain form: signing out is a page load with or without JavaScript.
            <form method="post" action=crate::api::Logout::url()>
                <CsrfField/>
                <button type="submit">{t::sign_out(lang)}</button>
            </form>
            <crate::pages::idle::IdleWarning idle_timeout_secs=patient.idle_timeout_secs/>
        </main>
    }
}
