//! The security-question step: "Date of birth" (checked as typed) and
//! "Security answer" → "Continue".

use leptos::server_fn::ServerFn;
use crate::csrf::CsrfField;
use leptos::{html::Input, prelude::*};

use crate::i18n::t;
use super::{refusal, StepCx};
use crate::api::reset::AnswerQuestion;
use crate::pages::dob_field::{self, DobField};
use crate::pages::forms::{alert, submit_to};
use crate::reset::{Method, ResetError};

#[component]
pub fn QuestionStep(cx: StepCx, question: String) -> impl IntoView {
    let lang = crate::i18n::lang();
    let action = ServerAction::<AnswerQuestion>::new();
    let dob_input = NodeRef::<Input>::new();
    // The date-of-birth message lives under its field; other refusals on top.
    let (dob_message, shown) = match refusal(&cx, None) {
        Some(ResetError::Dob(p)) => (Some(p.text(lang)), None),
        other => (None, other),
    };
    let dob_message = RwSignal::new(dob_message);
    let shown = RwSignal::new(shown);
    let step = cx.clone();
    Effect::new(move |_| {
        let Some(result) = action.value().get() else { return };
        if step.after(&result) {
            return;
        }
        match refusal(&step, Some(result)) {
            Some(ResetError::Dob(p)) => {
                shown.set(None);
                dob_message.set(Some(p.text(lang)));
            }
            other => {
                dob_message.set(None);
                shown.set(other);
            }
        }
    });
    let other_method = cx.page.methods.code.then(|| cx.method_page(Method::Code));
    view! {
        {cx.heading(t::verify_identity(lang))}
        <p>{t::question_intro(lang)}</p>
        <form
            method="post"
            action=AnswerQuestion::url()
            on:submit=submit_to(action, move || dob_field::ready(dob_message, dob_input))
            novalidate
        >
            <CsrfField/>
            {move || alert("reset-error", shown.get().map(|e| e.text(lang)))}
            <input type="hidden" name="token" value=cx.token.clone()/>
            <DobField value=cx.page.dob.clone() message=dob_message input=dob_input/>
            <fieldset class="question">
                <legend id="question">{crate::register::question_in(lang, &question)}</legend>
                <label for="answer">{t::security_answer(lang)}</label>
                <input id="answer" name="answer" type="text" autocomplete="off" required aria-describedby="question"/>
            </fieldset>
            <button type="submit" aria-disabled=move || action.pending().get().then_some("true")>{t::continue_button(lang)}</button>
        </form>
        {other_method.map(|href| view! {
            <p class="help-links"><a href=href>{t::code_instead(lang)}</a></p>
        })}
    }
}
