//! What the access dialog states about the patient's portal access: status,
//! username, the mobile number masked, enrollment, last sign-in,
//! two-step verification, the language messages go out in (which staff can
//! change), passkeys, the lock, the access code, and what staff relay.

use leptos::prelude::*;

use super::access_controls::Controls;
use crate::i18n::Lang;
use crate::staff::ChartView;

pub fn facts(c: &ChartView, controls: Controls) -> impl IntoView {
    let chosen = c.language;
    view! {
        <dl>
            <dt>"Portal status"</dt>
            <dd>{c.status.label()}</dd>
            {c.username.clone().map(|u| view! { <dt>"Username"</dt><dd>{u}</dd> })}
            <dt>"Mobile number"</dt>
            <dd>{c.mobile.clone().unwrap_or_else(|| "None on file".into())}</dd>
            <dt>"Enrolled"</dt>
            <dd>{c.enrolled_on.clone().unwrap_or_else(|| "Not yet".into())}</dd>
            <dt>"Last sign-in"</dt>
            <dd>{c.last_sign_in.clone().unwrap_or_else(|| "Never".into())}</dd>
            <dt>"Two-step verification"</dt>
            <dd>{c.two_step.clone().map(|by| format!("On: codes {by}")).unwrap_or_else(|| "Off".into())}</dd>
            <dt><label for="patient-language">"Language"</label></dt>
            <dd class="language-choice">
                <select id="patient-language" on:change=move |ev| {
                    if let Some(l) = Lang::parse(&event_target_value(&ev)) { controls.language.set(l); }
                }>
                    <option value=Lang::En.tag() selected=chosen == Lang::En>{Lang::En.english_name()}</option>
                    <option value=Lang::Es.tag() selected=chosen == Lang::Es>{Lang::Es.english_name()}</option>
                </select>
                <button type="button" class="secondary" on:click=move |_| controls.save_language()>"Save language"</button>
            </dd>
            <dt>"Passkeys"</dt>
            <dd>{match c.passkeys { 0 => "None".to_string(), 1 => "1 passkey".to_string(), n => format!("{n} passkeys") }}</dd>
            <dt>"Lock"</dt>
            <dd>{c.locked_until.clone().map(|t| format!("Locked until {t}")).unwrap_or_else(|| "Not locked".into())}</dd>
            {c.access_code.clone().map(|code| view! { <dt>"Access code"</dt><dd><strong class="access-code">{code}</strong></dd> })}
            {c.no_own_account.clone().map(|why| view! { <dt>"Own account"</dt><dd>{why}</dd> })}
            <dt>"Emails come from"</dt>
            <dd>{c.mail_from.clone()}</dd>
            <dt>"Portal address"</dt>
            <dd>{c.portal_url.clone()}</dd>
        </dl>
    }
}
