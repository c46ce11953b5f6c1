//! The mobile-code step: "Mobile phone number" and how to send → "Send code";
//! then "Security Code" → "Check", and "Resend code" behind a countdown whose
//! start comes from the server (a reload shows the true time left).

use leptos::server_fn::ServerFn;
use crate::csrf::CsrfField;
use leptos::prelude::*;

use crate::i18n::t;
use super::{refusal, StepCx};
use crate::api::reset::{CheckCode, ResendCode, SendCode};
use crate::pages::countdown;
use crate::pages::forms::{alert, submit_to};
use crate::pages::phone_field::PhoneField;
use crate::code::DEFAULT_CODE_DIGITS;
use crate::reset::{CodeStatus, Method, ResetError, SendBy, CODE_LIFE_MINUTES};

/// Room for the digits and a few spaces between them (the parser drops spaces).
const CODE_MAXLENGTH: usize = DEFAULT_CODE_DIGITS + 3;

/// Shows the newest refusal of `action` in `shown`, unless the step moved on.
fn track<S>(cx: &StepCx, action: ServerAction<S>, shown: RwSignal<Option<ResetError>>)
where
    S: leptos::server_fn::ServerFn<Output = (), Error = ResetError> + Clone + Send + Sync + 'static,
{
    let cx = cx.clone();
    Effect::new(move |_| {
        let Some(result) = action.value().get() else { return };
        if !cx.after(&result) {
            shown.set(refusal(&cx, Some(result)));
        }
    });
}

#[component]
fn HowToSend(id_prefix: &'static str, chosen: SendBy) -> impl IntoView {
    let lang = crate::i18n::lang();
    let radio = move |value: SendBy, label: &'static str| {
        let id = format!("{id_prefix}-{}", if value == SendBy::Text { "text" } else { "voice" });
        let wire = if value == SendBy::Text { "text" } else { "voice" };
        view! {
            <div class="radio">
                <input type="radio" id=id.clone() name="send_by" value=wire checked={value == chosen}/>
                <label for=id>{label}</label>
            </div>
        }
    };
    view! {
        <fieldset>
            <legend>{t::how_to_send(lang)}</legend>
            {radio(SendBy::Text, t::by_text_option(lang))}
            {radio(SendBy::Voice, t::by_voice_option(lang))}
        </fieldset>
    }
}

fn question_link(cx: &StepCx) -> impl IntoView {
    cx.page.methods.question.then(|| {
        let href = cx.method_page(Method::Question);
        view! { <p class="help-links"><a href=href>{t::question_instead(crate::i18n::lang())}</a></p> }
    })
}

#[component]
pub fn PhoneStep(cx: StepCx) -> impl IntoView {
    let lang = crate::i18n::lang();
    let action = ServerAction::<SendCode>::new();
    let shown = RwSignal::new(refusal(&cx, None));
    track(&cx, action, shown);
    view! {
        {cx.heading(t::verify_identity(lang))}
        <p>{t::code_will_go(lang, DEFAULT_CODE_DIGITS)}</p>
        <form method="post" action=SendCode::url() on:submit=submit_to(action, || true) novalidate>
            <CsrfField/>
            {move || alert("reset-error", shown.get().map(|e| e.text(lang)))}
            <input type="hidden" name="token" value=cx.token.clone()/>
            <PhoneField value=cx.page.phone.clone() hint=t::phone_hint(lang)/>
            <HowToSend id_prefix="send-by" chosen=SendBy::Text/>
            <button type="submit" aria-disabled=move || action.pending().get().then_some("true")>{t::send_code(lang)}</button>
        </form>
        {question_link(&cx)}
    }
}

#[component]
pub fn CodeStep(cx: StepCx, status: CodeStatus) -> impl IntoView {
    let lang = crate::i18n::lang();
    let check = ServerAction::<CheckCode>::new();
    let resend = ServerAction::<ResendCode>::new();
    let shown = RwSignal::new(refusal(&cx, None));
    track(&cx, check, shown);
    track(&cx, resend, shown);

    let left = countdown::ticking(status.resend_in);
    let waiting = move || left.get() > 0;
    let resend_text = move || countdown::resend_text(left.get());
    let sent = t::code_sent_to(lang, status.sent_by.phrase(lang), &status.last_four, &status.sent_at);
    view! {
        {cx.heading(t::verify_identity(lang))}
        <p role="status">{sent}</p>
        <p class="hint">{t::code_wait(lang, CODE_LIFE_MINUTES)}</p>
        <form method="post" action=CheckCode::url() on:submit=submit_to(check, || true) novalidate>
            <CsrfField/>
            {move || alert("reset-error", shown.get().map(|e| e.text(lang)))}
            <input type="hidden" name="token" value=cx.token.clone()/>
            <label for="code">{t::security_code(lang)}</label>
            <input
                id="code"
                name="code"
                type="text"
                inputmode="numeric"
                autocomplete="one-time-code"
                maxlength=CODE_MAXLENGTH
                required
            />
            <button type="submit" aria-disabled=move || check.pending().get().then_some("true")>{t::check(lang)}</button>
        </form>
        {if status.sends_left > 0 {
            view! {
                <form class="resend" method="post" action=ResendCode::url() on:submit=submit_to(resend, move || !waiting()) novalidate>
                    <CsrfField/>
                    <input type="hidden" name="token" value=cx.token.clone()/>
                    <HowToSend id_prefix="resend-by" chosen=status.sent_by/>
                    <button type="submit" class="secondary" disabled=waiting>{resend_text}</button>
                </form>
            }.into_any()
        } else {
            view! {
                <p>
                    {ResetError::NoMoreSends.text(lang)} " "
                    <a href="/forgot-password">{t::request_new_link(lang)}</a>
                </p>
            }.into_any()
        }}
        {question_link(&cx)}
    }
}
