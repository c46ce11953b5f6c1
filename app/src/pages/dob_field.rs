//! "Date of birth" with the browser-side check of SPEC §2.2: the shared
//! parser runs when the field loses focus and on submit, and, once a message
//! shows, as the patient types. The server runs the same parser.

use leptos::{html::Input, prelude::*};

use crate::dob::{DateOfBirth, Ymd};

/// Today on the patient's own clock (browser only).
fn browser_today() -> Ymd {
    let d = js_sys::Date::new_0();
    Ymd { year: d.get_full_year() as u16, month: d.get_month() as u8 + 1, day: d.get_date() as u8 }
}

/// The message for `raw`, or `None` when it is a valid date of birth.
pub fn problem(raw: &str) -> Option<String> {
    DateOfBirth::parse(raw, browser_today()).err().map(|p| p.text(crate::i18n::lang()))
}

/// The field; `message` holds what shows under it (from this check or the
/// server's), and `input` lets the form check it on submit.
#[component]
pub fn DobField(value: String, message: RwSignal<Option<String>>, input: NodeRef<Input>) -> impl IntoView {
    let check = move || {
        if let Some(el) = input.get_untracked() {
            message.set(problem(&el.value()));
        }
    };
    let on_input = move |_| {
        if message.get_untracked().is_some() {
            check();
        }
    };
    let lang = crate::i18n::lang();
    view! {
        <label for="dob">{crate::i18n::t::date_of_birth(lang)}</label>
        <span class="hint" id="dob-hint">{crate::i18n::t::dob_hint(lang)}</span>
        <input
            id="dob"
            name="dob"
            type="text"
            inputmode="numeric"
            autocomplete="bday"
            required
            value=value
            node_ref=input
            aria-describedby="dob-hint dob-message"
            aria-invalid=move || message.get().map(|_| "true")
            on:blur=move |_| check()
            on:input=on_input
        />
        <p class="field-error" id="dob-message" aria-live="polite">{move || message.get()}</p>
    }
}

/// Checks the field on submit; false (and the message shown) when it is wrong.
pub fn ready(message: RwSignal<Option<String>>, input: NodeRef<Input>) -> bool {
    let Some(el) = input.get_untracked() else { return true };
    let p = problem(&el.value());
    let ok = p.is_none();
    message.set(p);
    if !ok {
        let _ = el.focus();
    }
    ok
}
