//! "Mobile phone number", as every form that asks for it shows it.

use leptos::prelude::*;

#[component]
pub fn PhoneField(value: String, hint: &'static str) -> impl IntoView {
    view! {
        <label for="phone">{crate::i18n::t::mobile_phone_number(crate::i18n::lang())}</label>
        <span class="hint" id="phone-hint">{hint}</span>
        <input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" required value=value aria-describedby="phone-hint"/>
    }
}
