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
use crate::i18n::{lang, t};

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let page = Resource::new_blocking(|| (), |_| load_forgot());
    let sent_by_form = use_query_map().with_untracked(|q| q.get("sent").is_some());
    let lang = lang();
    view! {
        <Title text=t::forgot_password_title(lang)/>
        <main class="card">
            <Suspense>
                {move || Suspend::new(async move {
                    let page = page.await.unwrap_or_default();
                    view! { <ForgotForm page sent_by_form/> }
                })}
            </Suspense>
            <nav class="help-links" aria-label=t::account_help(lang)>
                <a href="/forgot-username">{t::forgot_username_link(lang)}</a>
                <a href="/login">{t::back_to_sign_in(lang)}</a>
            </nav>
        </main>
    }
}

/// A lazy island: the form posts without JavaScript until its chunk arrives.
#[island(lazy)]
fn ForgotForm(page: crate::reset::ForgotView, sent_by_form: bool) -> impl IntoView {
    live::island();
    let lang = lang();
    let action = ServerAction::<RequestReset>::new();
    let initial_error = page.error.clone();
    let error = Signal::derive(move || match action.value().get() {
        Some(Err(e)) => Some(e.text(lang)),
        Some(Ok(())) => None,
        None => initial_error.as_ref().map(|e| e.text(lang)),
    });
    let sent = move || sent_by_form || matches!(action.value().get(), Some(Ok(())));
    let mail_from = page.mail_from.clone();
    // The sentence naming the sender, split around it: the sender goes in bold.
    let comes_from = crate::i18n::around(&t::mail_comes_from(lang, crate::i18n::HOLE), crate::i18n::HOLE);
    let username = page.username.clone();
    // What was typed, echoed in the confirmation so that a typo shows.
    let typed = RwSignal::new(page.username.clone());
    view! {
        <Show
            when=sent
            fallback=move || view! {
                <h1>{t::forgot_password_heading(lang)}</h1>
                <p>{t::forgot_password_intro(lang)}</p>
                <form method="post" action=RequestReset::url() on:submit=submit_to(action, || true) novalidate>
                    <CsrfField/>
                    {move || alert("forgot-error", error.get())}
                    <label for="username">{t::username(lang)}</label>
                    <span class="hint" id="username-hint">{t::username_hint(lang)}</span>
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
                        {t::reset_password_button(lang)}
                    </button>
                </form>
            }
        >
            <h1>{t::check_your_email(lang)}</h1>
            <div role="status">
                <p>
                    {move || {
                        let typed = typed.get();
                        let typed = typed.trim();
                        if typed.is_empty() {
                            t::reset_sent_to_account(lang).to_string()
                        } else {
                            t::reset_sent_if_username(lang, typed)
                        }
                    }}
                    {comes_from.0.clone()} <strong>{mail_from.clone()}</strong> {comes_from.1.clone()}
                </p>
                <p>{t::reset_link_life(lang, LINK_LIFE_MINUTES)}</p>
            </div>
        </Show>
    }
}
