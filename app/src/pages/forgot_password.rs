//! `/forgot-password` (SPEC §2.2 steps 1–2): "Username" → "Reset Password",
//! then the same confirmation whether or not the username exists.

use leptos::server_fn::ServerFn;
use crate::csrf::CsrfField;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::reset::{load_forgot, RequestReset};
use crate::reset::LINK_LIFE_MINUTES;
use crate::pages::forms::{alert, submit_to};
use crate::pages::live;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let page = Resource::new_blocking(|| (), |_| load_forgot());
    let sent_by_form = use_query_map().with_untracked(|q| q.get("sent").is_some());
    view! {
        <Title text="Forgot password · Patient Portal"/>
        <main class="card">
            <Suspense>
                {move || Suspend::new(async move {
                    let page = page.await.unwrap_or_default();
                    view! { <ForgotForm page sent_by_form/> }
                })}
            </Suspense>
            <nav class="help-links" aria-label="Account help">
                <a href="/forgot-username">"Forgot username?"</a>
                <a href="/login">"Back to sign in"</a>
            </nav>
        </main>
    }
}

/// A lazy island: the form posts without JavaScript until its chunk arrives.
#[island(lazy)]
fn ForgotForm(page: crate::reset::ForgotView, sent_by_form: bool) -> impl IntoView {
    live::island();
    let action = ServerAction::<RequestReset>::new();
    let initial_error = page.error.clone();
    let error = Signal::derive(move || match action.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        Some(Ok(())) => None,
        None => initial_error.as_ref().map(ToString::to_string),
    });
    let sent = move || sent_by_form || matches!(action.value().get(), Some(Ok(())));
    let mail_from = page.mail_from.clone();
    let username = page.username.clone();
    // What was typed, echoed in the confirmation so that a typo shows.
    let typed = RwSignal::new(page.username.clone());
    view! {
        <Show
            when=sent
            fallback=move || view! {
                <h1>"Forgot password?"</h1>
                <p>"Enter your username. We'll email you a link to reset your password."</p>
                <form method="post" action=RequestReset::url() on:submit=submit_to(action, || true) novalidate>
                    <CsrfField/>
                    {move || alert("forgot-error", error.get())}
                    <label for="username">"Username"</label>
                    <span class="hint" id="username-hint">"Your username is usually your email address."</span>
                    <input
                        id="username"
                        name="username"
                        type="text"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        required
                        aria-describedby="username-hint"
                        value=username.clone()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                    />
                    <button type="submit" aria-disabled=move || action.pending().get().then_some("true")>
                        "Reset Password"
                    </button>
                </form>
            }
        >
            <h1>"Check your email"</h1>
            <div role="status">
                <p>
                    {move || {
                        let typed = typed.get();
                        let typed = typed.trim();
                        if typed.is_empty() {
                            "We sent an email with a link to reset your password to the address on your account. ".to_string()
                        } else {
                            format!("If {typed} is a username here, we sent an email with a link to reset your password to the address on that account. ")
                        }
                    }}
                    "It comes from " <strong>{mail_from.clone()}</strong> " and may take a few minutes to arrive."
                </p>
                <p>{format!("If you don't see it, check your spam or junk folder. The link works for {LINK_LIFE_MINUTES} minutes.")}</p>
            </div>
        </Show>
    }
}
