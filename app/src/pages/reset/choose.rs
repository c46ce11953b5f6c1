//! "Verify your identity": one button per method the practice offers. They
//! are GET forms (choosing changes nothing on the server); with JavaScript
//! the chosen step shows in place.

use leptos::{ev::SubmitEvent, prelude::*};

use super::StepCx;
use crate::reset::Method;

#[component]
pub fn Choose(cx: StepCx) -> impl IntoView {
    let methods = cx.page.methods;
    let action = format!("/reset/{}", cx.token);
    let heading = cx.heading("Verify your identity");
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
        <p>"Before you choose a new password, we need to make sure it's you. How would you like to do that?"</p>
        <div class="choices">
            {methods.question.then(|| button(Method::Question, "Answer my security question"))}
            {methods.code.then(|| button(Method::Code, "Send a security code to my mobile phone"))}
        </div>
    }
}
