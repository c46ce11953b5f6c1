//! The "Patient portal access" dialog: the patient's name and, below it, the
//! email used to enroll (labelled as the username when it is one); what is
//! known of their access ([`super::access_facts`]); who else sees the chart
//! ([`super::access_people`]); the actions that apply
//! ([`super::access_controls`]); and the troubleshooting panel, where a
//! suggested fix is the button that does it. A native modal `<dialog>`:
//! focus moves in, Escape closes it, focus goes back.

use leptos::{html::Dialog, prelude::*};

use super::access_controls::Controls;
use super::access_facts::facts;
use super::access_people::people;
use super::chart::{ChartUi, Outcome};
use crate::family::PersonKey;
use crate::staff::{ChartView, Finding, Fix, PersonAction, PortalStatus};

#[component]
pub fn AccessDialog(c: ChartView, ui: ChartUi) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    let controls = Controls::new(ui, c.id, c.email.clone().unwrap_or_default(), c.language);
    Effect::new(move |_| {
        let (Some(d), true) = (dialog.get(), ui.dialog_open.get()) else { return };
        if !d.open() {
            let _ = d.show_modal();
        }
    });
    let on_close = move |_| {
        ui.dialog_open.set(false);
        controls.open.set(None);
        let opener = document().get_element_by_id(ui.opener.get_untracked());
        if let Some(el) = opener.and_then(|e| leptos::wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::HtmlElement>(e).ok()) {
            let _ = el.focus();
        }
    };
    let close = move |_| {
        if let Some(d) = dialog.get() {
            d.close();
        }
    };
    let before_enrollment = matches!(c.status, PortalStatus::NotInvited | PortalStatus::Invited);
    let invite_label = if c.status == PortalStatus::NotInvited { "Send invitation" } else { "Resend invitation" };
    let name = format!("{} {}", c.first_name, c.last_name);
    // Each action's control exists once: beside the finding it fixes, or among the actions.
    let fixes: Vec<Fix> = c.findings.iter().filter_map(|f| f.fix).collect();
    let invite_is_a_fix = fixes.iter().any(|f| matches!(f, Fix::SendInvitation | Fix::ResendInvitation));
    let unlock_is_a_fix = fixes.contains(&Fix::Unlock);
    let turn_off_is_a_fix = fixes.contains(&Fix::TurnOffTwoStep);
    let person_fixes: Vec<(PersonKey, PersonAction)> = fixes.iter().filter_map(|f| match f { Fix::Person(k, a) => Some((*k, *a)), _ => None }).collect();
    // "Username: …" when the address is what the patient signs in with.
    let address_label = match (c.status, &c.username) {
        (PortalStatus::Enrolled | PortalStatus::Revoked, None) => "Username: ",
        _ => "Email: ",
    };
    let enrolled = c.status == PortalStatus::Enrolled;
    let two_step_on = c.two_step.is_some();
    let outcome = move || ui.notice.get();
    view! {
        <dialog node_ref=dialog aria-labelledby="access-title" class="access" on:close=on_close>
            <h2 id="access-title">"Patient portal access"</h2>
            <p class="who">
                <strong>{name.clone()}</strong>
                <br/>
                {match c.email.clone() {
                    Some(e) => view! { <span>{address_label}<strong>{e}</strong></span> }.into_any(),
                    None => view! { <span>"No email address on file"</span> }.into_any(),
                }}
            </p>
            <p role="status" class="notice ok">
                {move || match outcome() { Some(Outcome::Done(t)) => t, _ => String::new() }}
            </p>
            <p role="alert" class="notice failed">
                {move || match outcome() { Some(Outcome::Failed(t)) => t, _ => String::new() }}
            </p>
            {facts(&c, controls)}
            {people(c.people.clone(), c.offered.clone(), person_fixes, controls)}
            <div class="actions">
                {(before_enrollment && !invite_is_a_fix).then(|| controls.invite(invite_label))}
                {(c.locked_until.is_some() && !unlock_is_a_fix).then(|| controls.unlock())}
                {enrolled.then(|| controls.update_mobile())}
                {(enrolled && two_step_on && !turn_off_is_a_fix).then(|| controls.turn_off_two_step())}
                {(enrolled && c.passkeys > 0).then(|| controls.remove_passkeys())}
                {(c.status != PortalStatus::Revoked).then(|| controls.revoke(name.clone()))}
            </div>
            {troubleshooting(c.findings.clone(), controls, invite_label)}
            <button type="button" class="secondary" on:click=close>"Close"</button>
        </dialog>
    }
    .into_any()
}

/// What stands in the patient's way, each with the fix it suggests.
fn troubleshooting(findings: Vec<Finding>, controls: Controls, invite_label: &'static str) -> impl IntoView {
    view! {
        <section aria-labelledby="troubleshooting-heading" class="troubleshooting">
            <h3 id="troubleshooting-heading">"Troubleshooting"</h3>
            {if findings.is_empty() {
                view! { <p>"Nothing known stands in this patient's way."</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {findings.into_iter().map(|f| view! {
                            <li>{f.text} {f.fix.map(|fix| controls.fix(fix, invite_label))}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
