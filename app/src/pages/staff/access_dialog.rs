//! The "Patient portal access" dialog: the patient's name and, below it, the
//! email used to enroll; username, enrollment, last sign-in, lock; the
//! actions that apply; and the troubleshooting panel. A native modal
//! `<dialog>`: focus moves in, Escape closes it, focus goes back.

use leptos::{html::Dialog, prelude::*};

use super::chart::ChartUi;
use crate::api::staff::{InvitePatient, RevokeAccess, UnlockAccount};
use crate::staff::{ChartView, Fix, PortalStatus, StaffError};

fn fix_words(fix: Fix) -> &'static str {
    match fix {
        Fix::SendInvitation => "Use Send invitation.",
        Fix::ResendInvitation => "Use Resend invitation.",
        Fix::Unlock => "Use Unlock account.",
    }
}

/// Reloads the chart after an action and shows its outcome.
fn track<S>(action: ServerAction<S>, ui: ChartUi, done: &'static str)
where
    S: leptos::server_fn::ServerFn<Output = (), Error = StaffError> + Clone + Send + Sync + 'static,
{
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => {
            ui.notice.set(Some(done.to_string()));
            ui.version.update(|v| *v += 1);
        }
        Some(Err(e)) => ui.notice.set(Some(e.to_string())),
        None => {}
    });
}

#[component]
pub fn AccessDialog(c: ChartView, ui: ChartUi) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    let invite = ServerAction::<InvitePatient>::new();
    let unlock = ServerAction::<UnlockAccount>::new();
    let revoke = ServerAction::<RevokeAccess>::new();
    let confirming = RwSignal::new(false);
    let email = RwSignal::new(c.email.clone().unwrap_or_default());
    track(invite, ui, "Invitation sent.");
    track(unlock, ui, "Account unlocked.");
    track(revoke, ui, "Portal access revoked.");

    Effect::new(move |_| {
        let (Some(d), true) = (dialog.get(), ui.dialog_open.get()) else { return };
        if !d.open() {
            let _ = d.show_modal();
        }
    });
    let on_close = move |_| {
        ui.dialog_open.set(false);
        confirming.set(false);
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
    let id = c.id;
    let before_enrollment = matches!(c.status, PortalStatus::NotInvited | PortalStatus::Invited);
    let invite_label = if c.status == PortalStatus::NotInvited { "Send invitation" } else { "Resend invitation" };
    let name = format!("{} {}", c.first_name, c.last_name);
    view! {
        <dialog node_ref=dialog aria-labelledby="access-title" class="access" on:close=on_close>
            <h2 id="access-title">"Patient portal access"</h2>
            <p class="who">
                <strong>{name.clone()}</strong>
                <br/>
                <span>{c.email.clone().unwrap_or_else(|| "No email address on file".into())}</span>
            </p>
            <p role="status" class="notice">{move || ui.notice.get()}</p>
            <dl>
                <dt>"Portal status"</dt>
                <dd>{c.status.label()}</dd>
                {c.username.clone().map(|u| view! { <dt>"Username"</dt><dd>{u}</dd> })}
                <dt>"Enrolled"</dt>
                <dd>{c.enrolled_on.clone().unwrap_or_else(|| "Not yet".into())}</dd>
                <dt>"Last sign-in"</dt>
                <dd>{c.last_sign_in.clone().unwrap_or_else(|| "Never".into())}</dd>
                <dt>"Lock"</dt>
                <dd>{c.locked_until.clone().map(|t| format!("Locked until {t}")).unwrap_or_else(|| "Not locked".into())}</dd>
            </dl>

            <div class="actions">
                {before_enrollment.then(|| view! {
                    <div class="invite">
                        <label for="invite-email">"Email address"</label>
                        <input id="invite-email" type="email" prop:value=email on:input=move |ev| email.set(event_target_value(&ev))/>
                        <button type="button" on:click=move |_| { invite.dispatch(InvitePatient { id, email: email.get_untracked() }); }>
                            {invite_label}
                        </button>
                    </div>
                })}
                {c.locked_until.is_some().then(|| view! {
                    <button type="button" on:click=move |_| { unlock.dispatch(UnlockAccount { id }); }>"Unlock account"</button>
                })}
                {(c.status != PortalStatus::Revoked).then(|| view! {
                    <Show
                        when=move || confirming.get()
                        fallback=move || view! {
                            <button type="button" class="danger" on:click=move |_| confirming.set(true)>"Revoke access"</button>
                        }
                    >
                        <div class="confirm" role="group" aria-labelledby="revoke-question">
                            <p id="revoke-question">{format!("Revoke portal access for {name}? They are signed out and can't sign in or reset their password.")}</p>
                            <button type="button" class="danger" on:click=move |_| { revoke.dispatch(RevokeAccess { id }); }>"Revoke access"</button>
                            <button type="button" class="secondary" on:click=move |_| confirming.set(false)>"Cancel"</button>
                        </div>
                    </Show>
                })}
            </div>

            <section aria-labelledby="troubleshooting-heading" class="troubleshooting">
                <h3 id="troubleshooting-heading">"Troubleshooting"</h3>
                {if c.findings.is_empty() {
                    view! { <p>"Nothing known stands in this patient's way."</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {c.findings.iter().map(|f| view! {
                                <li>{f.text.clone()} {f.fix.map(|x| view! { " " <em>{fix_words(x)}</em> })}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <button type="button" class="secondary" on:click=close>"Close"</button>
        </dialog>
    }
    .into_any()
}
