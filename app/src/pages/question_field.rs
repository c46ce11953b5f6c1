//! "Security question" (from the list) and "Security answer", as registration
//! and settings ask for them.

use leptos::prelude::*;

use crate::i18n::{lang, t};
use crate::register::SECURITY_QUESTIONS;

#[component]
pub fn QuestionFields(chosen: String) -> impl IntoView {
    let lang = lang();
    view! {
        <label for="question">{t::security_question_label(lang)}</label>
        <select id="question" name="question" required>
            {SECURITY_QUESTIONS
                .iter()
                .enumerate()
                .map(|(i, q)| view! { <option value=*q selected=chosen == *q>{t::security_question(lang, i)}</option> })
                .collect_view()}
        </select>
        <label for="answer">{t::security_answer(lang)}</label>
        <input id="answer" name="answer" type="text" autocomplete="off" required/>
    }
}
