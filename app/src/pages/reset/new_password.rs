//! "Choose a new password": "New password" + "Confirm new password" →
//! "Save password", then `/login` with the spec's status.

use leptos::server_fn::ServerFn;
use crate::csrf::CsrfField;
use leptos::prelude::*;

use super::{refusal, StepCx};
use crate::api::reset::SavePassword;
use crate::pages::forms::{alert, new_password_hint, submit_to};
use crate::pages::live;
use crate::i18n::t;

#[component]
pub fn NewPasswordStep(cx: StepCx) -> impl IntoView {
    let action = ServerAction::<SavePassword>::new();
    let shown = RwSignal::new(refusal(&cx, None));
    let step = cx.clone();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => live::go_to("/login"),
        Some(result) => {
            if !step.after(&result) {
                shown.set(refusal(&step, Some(result)));
            }
        }
        None => {}
    });
    let lang = crate::i18n::lang();
    view! {
        {cx.heading(t::choose_new_password(lang))}
        <form method="post" action=SavePassword::url() on:submit=submit_to(action, || true) novalidate>
            <CsrfField/>
            {move || alert("reset-error", shown.get().map(|e| e.text(lang)))}
            <input type="hidden" name="token" value=cx.token.clone()/>
            <label for="password">{t::new_password(lang)}</label>
            <span class="hint" id="password-hint">
                {new_password_hint()}
            </span>
            <input id="password" name="password" type="password" autocomplete="new-password" required aria-describedby="password-hint"/>
            <label for="confirm">{t::confirm_new_password(lang)}</label>
            <input id="confirm" name="confirm" type="password" autocomplete="new-password" required/>
            <button type="submit" aria-disabled=move || action.pending().get().then_some("true")>{t::save_password(lang)}</button>
        </form>
    }
}
