//! "Verify your identity": one button per method the practice offers. They
//! are GET forms (choosing changes nothing on the server); with JavaScript
//! the chosen step shows in place.

use leptos::{ev::SubmitEvent, prelude::*};

use super::StepCx;
use crate::reset::Method;
use crate::i18n::t;

#[component]
pub fn Choose(cx: StepCx) -> impl IntoView {
    let methods = cx.page.methods;
    let action = format!("/reset/{}", cx.token);
    let lang = crate::i18n::lang();
    let heading = cx.heading(t::verify_identity(lang));
    let button = move |method: Method, text: &'static str| {
        let cx = cx.clone();
        let on_submit = move |ev: SubmitEvent| {
            ev.prevent_default();
            cx.choose(method);
        };
        view! {
            <form method="get" action=action.clone() on:submit=on_submit>
                <button type="submit" name="method" value=method.as_str()>{text}</button>
            </form>
        }
    };
    view! {
        {heading}
        <p>{t::choose_intro(lang)}</p>
        <div class="choices">
            {methods.question.then(|| button(Method::Question, t::answer_question_button(lang)))}
            {methods.code.then(|| button(Method::Code, t::send_code_button_choice(lang)))}
        </div>
    }
}
