//! `/`: the signed-in patient's welcome, "Sign out", and the idle warning.

use leptos::{ev::SubmitEvent, prelude::*};
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_navigate};

use crate::api::{current_patient, Logout, PatientView};

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
    let logout = ServerAction::<Logout>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if logout.value().get().is_some() {
            navigate("/login", Default::default());
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        logout.dispatch(Logout {});
    };
    view! {
        <Title text="Your portal · Patient Portal"/>
        <main class="card">
            <h1>{format!("Welcome, {}", patient.first_name)}</h1>
            <p>"You are signed in to your patient portal."</p>
            <p><a href="/settings">"Account settings"</a></p>
            <form method="post" action="/logout" on:submit=on_submit>
                <button type="submit">"Sign out"</button>
            </form>
            <crate::pages::idle::IdleWarning idle_timeout_secs=patient.idle_timeout_secs/>
        </main>
    }
}
