//! `/login/verify` (SPEC §2.1): the sign-in's second step. "Verification
//! code" (a 6-digit code, or a backup code) → "Verify", with "Remember this
//! device for 30 days"; "Resend code" behind the reset's countdown for codes
//! sent by text or email. Plain forms without JavaScript; with it (a lazy
//! island), the same fields go to the server functions without a reload.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::two_step::{second_step, ResendVerification, Verify};
use crate::csrf::CsrfField;
use crate::error::PortalError;
use crate::pages::countdown;
use crate::pages::forms::{alert, submit_to};
use crate::pages::live;
use crate::i18n::{lang, t, Lang};
use crate::two_step::{CodesBy, TwoStepError, VerifyView, CODE_DIGITS, CODE_LIFE_MINUTES, REMEMBER_DAYS};

/// Room for a backup code with its dash and a few spaces.
const CODE_MAXLENGTH: usize = crate::two_step::BACKUP_CODE_CHARS + 4;

#[component]
pub fn VerifyPage() -> impl IntoView {
    let step = Resource::new_blocking(|| (), |_| second_step());
    let lang = lang();
    view! {
        <Title text=t::verify_title(lang)/>
        <main class="card">
            <h1>{t::verify_heading(lang)}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    let step = step.await.unwrap_or_default();
                    match (step.pending, step.error.clone()) {
                        (true, _) => view! { <SecondStep step/> }.into_any(),
                        (false, Some(e)) => view! {
                            {alert("verify-error", Some(e.text(lang)))}
                            <p><a href="/login">{t::sign_in_again(lang)}</a></p>
                        }.into_any(),
                        (false, None) => view! { <Redirect path="/login"/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// Where the code comes from, in the patient's words.
fn where_from(step: &VerifyView, lang: Lang) -> Option<String> {
    match step.by {
        Some(CodesBy::App) | None => Some(t::app_code_now(lang, CODE_DIGITS)),
        Some(by) if step.sent_to.is_empty() => Some(t::no_code_destination(lang, by == CodesBy::Text)),
        // Held back (too many codes): the page's error says so; nothing went.
        Some(_) if step.sent_at.is_empty() => None,
        Some(by) => Some(t::code_went(lang, CODE_DIGITS, &by.phrase(lang, &step.sent_to), &step.sent_at, CODE_LIFE_MINUTES)),
    }
}

#[island(lazy)]
fn SecondStep(step: VerifyView) -> impl IntoView {
    live::island();
    let lang = lang();
    let verify = ServerAction::<Verify>::new();
    let resend = ServerAction::<ResendVerification>::new();
    let left = countdown::ticking(step.resend_in);
    let waiting = move || left.get() > 0;
    let initial = step.error.clone();
    let shown = RwSignal::new(initial);
    Effect::new(move |_| match verify.value().get() {
        Some(Ok(())) => live::go_to("/"),
        Some(Err(TwoStepError::Portal(PortalError::NotSignedIn | PortalError::Locked | PortalError::LockedUntilReset))) => live::go_to("/login"),
        Some(Err(e)) => shown.set(Some(e)),
        None => {}
    });
    Effect::new(move |_| match resend.value().get() {
        Some(Ok(())) => live::go_to("/login/verify"),
        Some(Err(e)) => shown.set(Some(e)),
        None => {}
    });
    let sent = step.by.is_some_and(CodesBy::sent) && !step.sent_to.is_empty();
    view! {
        {where_from(&step, lang).map(|said| view! { <p role="status">{said}</p> })}
        <form method="post" action=Verify::url() on:submit=submit_to(verify, || true) novalidate>
            <CsrfField/>
            {move || alert("verify-error", shown.get().map(|e| e.text(lang)))}
            <label for="code">{t::verification_code(lang)}</label>
            <span class="hint" id="code-hint">{t::backup_code_hint(lang)}</span>
            <input
                id="code"
                name="code"
                type="text"
                inputmode="text"
                autocomplete="one-time-code"
                autocapitalize="none"
                spellcheck="false"
                maxlength=CODE_MAXLENGTH
                required
                aria-describedby="code-hint"
            />
            <div class="checkbox">
                <input type="checkbox" id="remember" name="remember" value="on"/>
                <label for="remember">{t::remember_device(lang, REMEMBER_DAYS)}</label>
            </div>
            <button type="submit" aria-disabled=move || verify.pending().get().then_some("true")>{t::verify_button(lang)}</button>
        </form>
        {sent.then(|| if step.sends_left > 0 {
            view! {
                <form class="resend" method="post" action=ResendVerification::url() on:submit=submit_to(resend, move || !waiting()) novalidate>
                    <CsrfField/>
                    <button type="submit" class="secondary" disabled=waiting>{move || countdown::resend_text(left.get())}</button>
                </form>
            }.into_any()
        } else {
            view! { <p>{TwoStepError::NoMoreSends.text(lang)} " " <a href="/login">{t::sign_in_again(lang)}</a></p> }.into_any()
        })}
        <p class="help-links"><a href="/login">{t::cancel_to_sign_in(lang)}</a></p>
    }
}
