//! "Security question" (from the list) and "Security answer", as registration
//! and settings ask for them.

use leptos::prelude::*;

use crate::register::SECURITY_QUESTIONS;

#[component]
pub fn QuestionFields(chosen: String) -> impl IntoView {
    view! {
        <label for="question">"Security question"</label>
        <select id="question" name="question" required>
            {SECURITY_QUESTIONS
                .iter()
                .map(|q| view! { <option value=*q selected=chosen == *q>{*q}</option> })
                .collect_view()}
        </select>
        <label for="answer">"Security answer"</label>
        <input id="answer" name="answer" type="text" autocomplete="off" required/>
    }
}
