//! `/forgot-username` (SPEC §2.3): "Email address" + "Date of birth" →
//! "Send username", then the same confirmation whether or not any matched.

use leptos::server_fn::ServerFn;
use crate::csrf::CsrfField;
use leptos::{html::Input, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::register::{load_forgot_username, SendUsernames};
use crate::pages::dob_field::{self, DobField};
use crate::pages::forms::{alert, submit_to};
use crate::pages::live;
use crate::i18n::{lang, t};
use crate::register::{ForgotUsernameView, UsernameHelpError};

#[component]
pub fn ForgotUsernamePage() -> impl IntoView {
    let view = Resource::new_blocking(|| (), |_| load_forgot_username());
    let sent_by_form = use_query_map().with_untracked(|q| q.get("sent").is_some());
    let lang = lang();
    view! {
        <Title text=t::forgot_username_title(lang)/>
        <main class="card">
            <Suspense>
                {move || Suspend::new(async move {
                    let view = view.await.unwrap_or_default();
                    view! { <ForgotUsernameForm view sent_by_form/> }
                })}
            </Suspense>
            <nav class="help-links" aria-label=t::account_help(lang)>
                <a href="/login">{t::back_to_sign_in(lang)}</a>
            </nav>
        </main>
    }
}

#[island(lazy)]
fn ForgotUsernameForm(view: ForgotUsernameView, sent_by_form: bool) -> impl IntoView {
    live::island();
    let lang = lang();
    let action = ServerAction::<SendUsernames>::new();
    let dob_input = NodeRef::<Input>::new();
    let (dob_message, shown) = match view.error.clone() {
        Some(UsernameHelpError::Dob(p)) => (Some(p.text(lang)), None),
        other => (None, other),
    };
    let dob_message = RwSignal::new(dob_message);
    let shown = RwSignal::new(shown);
    Effect::new(move |_| match action.value().get() {
        Some(Err(UsernameHelpError::Dob(p))) => {
            shown.set(None);
            dob_message.set(Some(p.text(lang)));
        }
        Some(Err(e)) => {
            dob_message.set(None);
            shown.set(Some(e));
        }
        _ => {}
    });
    let sent = move || sent_by_form || matches!(action.value().get(), Some(Ok(())));
    let mail_from = view.mail_from.clone();
    let comes_from = crate::i18n::around(&t::email_comes_from(lang, crate::i18n::HOLE), crate::i18n::HOLE);
    let (email, dob) = (view.email.clone(), view.dob.clone());
    view! {
        <Show
            when=sent
            fallback=move || view! {
                <h1>{t::forgot_username_heading(lang)}</h1>
                <p>{t::forgot_username_intro(lang)}</p>
                <form
                    method="post"
                    action=SendUsernames::url()
                    on:submit=submit_to(action, move || dob_field::ready(dob_message, dob_input))
                    novalidate
                >
                    <CsrfField/>
                    {move || alert("username-error", shown.get().map(|e| e.text(lang)))}
                    <label for="email">{t::email_address(lang)}</label>
                    <input id="email" name="email" type="email" autocomplete="email" autocapitalize="none" spellcheck="false" required value=email.clone()/>
                    <DobField value=dob.clone() message=dob_message input=dob_input/>
                    <button type="submit" aria-disabled=move || action.pending().get().then_some("true")>{t::send_username(lang)}</button>
                </form>
            }
        >
            <h1>{t::check_your_email(lang)}</h1>
            <div role="status">
                <p>
                    {t::username_sent(lang)}
                    {comes_from.0.clone()} <strong>{mail_from.clone()}</strong> {comes_from.1.clone()}
                </p>
                <p>{t::spam_folder(lang)}</p>
            </div>
        </Show>
    }
}
