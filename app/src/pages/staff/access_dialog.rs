//! The "Patient portal access" dialog: the patient's name and, below it, the
//! email used to enroll (labelled as the username when it is one); the
//! mobile number masked, enrollment, last sign-in, lock; what staff relay
//! (the sender address, the portal's address); the actions that apply; and
//! the troubleshooting panel, where a suggested fix is the button that does
//! it. A native modal `<dialog>`: focus moves in, Escape closes it, focus
//! goes back.

use leptos::{html::Dialog, prelude::*};

use super::chart::{ChartUi, Outcome};
use crate::api::staff::{ActForPerson, AddFamily, InvitePatient, RemovePasskeysFor, RevokeAccess, SetPatientLanguage, TurnOffTwoStepFor, UnlockAccount, UpdateMobile};
use crate::family::PersonKey;
use crate::i18n::Lang;
use crate::staff::{ChartView, Fix, PersonAction, PersonWithAccess, PortalStatus, StaffError};

/// Reloads the chart after an action and shows its outcome.
fn track<S>(action: ServerAction<S>, ui: ChartUi, done: &'static str)
where
    S: leptos::server_fn::ServerFn<Output = (), Error = StaffError> + Clone + Send + Sync + 'static,
{
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => {
            ui.notice.set(Some(Outcome::Done(done.to_string())));
            ui.version.update(|v| *v += 1);
        }
        Some(Err(e)) => ui.notice.set(Some(Outcome::Failed(e.to_string()))),
        None => {}
    });
}

/// What a change for the patient needs from staff: a "Reason", and their
/// word that they confirmed the patient's identity.
fn identity_fields(prefix: &'static str, reason: RwSignal<String>, confirmed: RwSignal<bool>) -> impl IntoView {
    let id = format!("{prefix}-reason");
    view! {
        <label for=id.clone()>"Reason"</label>
        <input id=id type="text" required maxlength=crate::staff::MAX_REASON_CHARS
            on:input=move |ev| reason.set(event_target_value(&ev))/>
        <label class="check">
            <input type="checkbox" required on:change=move |ev| confirmed.set(event_target_checked(&ev))/>
            "I confirmed the patient's identity (name, date of birth, and one more detail)"
        </label>
    }
}

#[component]
pub fn AccessDialog(c: ChartView, ui: ChartUi) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    let invite = ServerAction::<InvitePatient>::new();
    let unlock = ServerAction::<UnlockAccount>::new();
    let revoke = ServerAction::<RevokeAccess>::new();
    let update_mobile = ServerAction::<UpdateMobile>::new();
    let turn_off = ServerAction::<TurnOffTwoStepFor>::new();
    let remove_passkeys = ServerAction::<RemovePasskeysFor>::new();
    let removing_passkeys = RwSignal::new(false);
    let (passkeys_reason, passkeys_confirmed) = (RwSignal::new(String::new()), RwSignal::new(false));
    let set_language = ServerAction::<SetPatientLanguage>::new();
    let add_family = ServerAction::<AddFamily>::new();
    let for_person = ServerAction::<ActForPerson>::new();
    let last_person_action = RwSignal::new(PersonAction::Remove);
    let adding = RwSignal::new(false);
    let removing = RwSignal::new(None::<PersonKey>);
    let (family_name, family_email, family_relation) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let language = RwSignal::new(c.language);
    let confirming = RwSignal::new(false);
    let turning_off = RwSignal::new(false);
    let (off_reason, off_confirmed) = (RwSignal::new(String::new()), RwSignal::new(false));
    let changing_mobile = RwSignal::new(false);
    let email = RwSignal::new(c.email.clone().unwrap_or_default());
    let (new_mobile, reason, identity_confirmed) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(false));
    track(invite, ui, "Invitation sent.");
    track(unlock, ui, "Account unlocked.");
    track(revoke, ui, "Portal access revoked.");
    track(update_mobile, ui, "Mobile number updated. The patient was told at the old number and by email.");
    track(turn_off, ui, "Two-step verification turned off. The patient was signed out everywhere and told.");
    track(remove_passkeys, ui, "Passkeys removed. The patient was signed out everywhere and told.");
    track(set_language, ui, "Language saved. Messages to the patient go out in it.");
    track(add_family, ui, "Invitation sent. Read the access code below to the person, or to the patient to pass on.");
    Effect::new(move |_| match for_person.value().get() {
        Some(Ok(())) => {
            ui.notice.set(Some(Outcome::Done(last_person_action.get_untracked().done().to_string())));
            removing.set(None);
            ui.version.update(|v| *v += 1);
        }
        Some(Err(e)) => ui.notice.set(Some(Outcome::Failed(e.to_string()))),
        None => {}
    });
    let act = move |person: PersonKey, action: PersonAction| {
        last_person_action.set(action);
        for_person.dispatch(ActForPerson { id: c.id, person, action });
    };

    Effect::new(move |_| {
        let (Some(d), true) = (dialog.get(), ui.dialog_open.get()) else { return };
        if !d.open() {
            let _ = d.show_modal();
        }
    });
    let on_close = move |_| {
        ui.dialog_open.set(false);
        confirming.set(false);
        changing_mobile.set(false);
        turning_off.set(false);
        removing_passkeys.set(false);
        adding.set(false);
        removing.set(None);
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
    let fixes: Vec<Fix> = c.findings.iter().filter_map(|f| f.fix).collect();
    let invite_is_a_fix = fixes.iter().any(|f| matches!(f, Fix::SendInvitation | Fix::ResendInvitation));
    let unlock_is_a_fix = fixes.contains(&Fix::Unlock);
    let turn_off_is_a_fix = fixes.contains(&Fix::TurnOffTwoStep);
    // Each action's control exists once: beside the finding it fixes, or among the actions.
    let invite_control = move || {
        view! {
            <div class="invite">
                <label for="invite-email">"Email address"</label>
                <input id="invite-email" type="email" prop:value=email on:input=move |ev| email.set(event_target_value(&ev))/>
                <button type="button" on:click=move |_| { invite.dispatch(InvitePatient { id, email: email.get_untracked() }); }>
                    {invite_label}
                </button>
            </div>
        }
    };
    let unlock_control = move || view! {
        <button type="button" on:click=move |_| { unlock.dispatch(UnlockAccount { id }); }>"Unlock account"</button>
    };
    let turn_off_control = move || view! {
        <Show
            when=move || turning_off.get()
            fallback=move || view! {
                <button type="button" class="secondary" on:click=move |_| turning_off.set(true)>"Turn off two-step verification"</button>
            }
        >
            <form class="confirm" aria-labelledby="two-step-off-heading" on:submit=move |ev| {
                ev.prevent_default();
                turn_off.dispatch(TurnOffTwoStepFor { id, reason: off_reason.get_untracked(), identity_confirmed: off_confirmed.get_untracked() });
            }>
                <h3 id="two-step-off-heading">"Turn off two-step verification"</h3>
                <p>"The patient then signs in with the password alone, and can turn it on again in Account settings."</p>
                {identity_fields("two-step-off", off_reason, off_confirmed)}
                <button type="submit">"Turn off two-step verification"</button>
                <button type="button" class="secondary" on:click=move |_| turning_off.set(false)>"Cancel"</button>
            </form>
        </Show>
    };
    let fix_control = move |fix: Fix| match fix {
        Fix::SendInvitation | Fix::ResendInvitation => invite_control().into_any(),
        Fix::Unlock => unlock_control().into_any(),
        Fix::TurnOffTwoStep => turn_off_control().into_any(),
        Fix::Person(key, action) => view! {
            <button type="button" on:click=move |_| act(key, action)>{action.label()}</button>
        }.into_any(),
    };
    // A person's action shows in their row unless a finding offers it.
    let person_fixes: Vec<(PersonKey, PersonAction)> = fixes.iter().filter_map(|f| match f { Fix::Person(k, a) => Some((*k, *a)), _ => None }).collect();
    let person_row = move |p: PersonWithAccess| {
        let key = p.key;
        let question = format!("Remove {}'s access? They lose this chart at once and are told by email. ", p.name);
        let buttons = p.actions.iter().copied().filter(|a| !person_fixes.contains(&(key, *a))).map(|a| { let question = question.clone(); match a {
            PersonAction::Remove => view! {
                <Show
                    when=move || removing.get() == Some(key)
                    fallback=move || view! {
                        <button type="button" class="danger" on:click=move |_| removing.set(Some(key))>{a.label()}</button>
                    }
                >
                    <span class="confirm" role="group">
                        {question.clone()}
                        <button type="button" class="danger" on:click=move |_| act(key, PersonAction::Remove)>{a.label()}</button>
                        <button type="button" class="secondary" on:click=move |_| removing.set(None)>"Cancel"</button>
                    </span>
                </Show>
            }.into_any(),
            _ => view! { <button type="button" class="secondary" on:click=move |_| act(key, a)>{a.label()}</button> }.into_any(),
        }}).collect_view();
        view! {
            <li>
                <span>
                    <strong>{p.name}</strong>{format!(" — {}: {}", p.relationship, p.status)}
                    {p.email.map(|e| view! { <br/><span>{e}</span> })}
                    {p.access_code.map(|code| view! { <br/><span>"Access code: "<strong class="access-code">{code}</strong></span> })}
                    {p.ends.map(|e| view! { <br/><span>{e}</span> })}
                </span>
                <span class="row-actions">{buttons}</span>
            </li>
        }
    };
    let offered = c.offered.clone();
    let add_control = move || {
        let offered = offered.clone();
        view! {
            <Show
                when=move || adding.get()
                fallback=move || view! {
                    <button type="button" class="secondary" on:click=move |_| adding.set(true)>"Add a family member or caregiver"</button>
                }
            >
                <form class="confirm" aria-labelledby="add-family-heading" on:submit=move |ev| {
                    ev.prevent_default();
                    add_family.dispatch(AddFamily { id, name: family_name.get_untracked(), email: family_email.get_untracked(), relationship: family_relation.get_untracked() });
                }>
                    <h3 id="add-family-heading">"Add a family member or caregiver"</h3>
                    <label for="family-name">"Name"</label>
                    <input id="family-name" type="text" required maxlength="100" on:input=move |ev| family_name.set(event_target_value(&ev))/>
                    <label for="family-email">"Email address"</label>
                    <input id="family-email" type="email" required on:input=move |ev| family_email.set(event_target_value(&ev))/>
                    <label for="family-relationship">"Relationship"</label>
                    <select id="family-relationship" required on:change=move |ev| family_relation.set(event_target_value(&ev))>
                        <option value="">"Choose one"</option>
                        {offered.iter().map(|r| view! { <option value=r.word()>{r.label(Lang::En)}</option> }).collect_view()}
                    </select>
                    <button type="submit">"Send invitation"</button>
                    <button type="button" class="secondary" on:click=move |_| adding.set(false)>"Cancel"</button>
                </form>
            </Show>
        }
    };
    let two_step_on = c.two_step.is_some();
    // "Username: …" when the address is what the patient signs in with.
    let address_label = match (c.status, &c.username) {
        (PortalStatus::Enrolled | PortalStatus::Revoked, None) => "Username: ",
        _ => "Email: ",
    };
    let enrolled = c.status == PortalStatus::Enrolled;
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
                        if let Some(l) = Lang::parse(&event_target_value(&ev)) { language.set(l); }
                    }>
                        <option value=Lang::En.tag() selected=c.language == Lang::En>{Lang::En.english_name()}</option>
                        <option value=Lang::Es.tag() selected=c.language == Lang::Es>{Lang::Es.english_name()}</option>
                    </select>
                    <button type="button" class="secondary" on:click=move |_| {
                        set_language.dispatch(SetPatientLanguage { id, language: language.get_untracked() });
                    }>"Save language"</button>
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

            <h3 id="people-heading">"People with access"</h3>
            {if c.people.is_empty() {
                view! { <p>"Nobody else sees this chart."</p> }.into_any()
            } else {
                view! {
                    <ul class="people" aria-labelledby="people-heading">
                        {c.people.iter().cloned().map(person_row).collect_view()}
                    </ul>
                }.into_any()
            }}
            {add_control}

            <div class="actions">
                {(before_enrollment && !invite_is_a_fix).then(invite_control)}
                {(c.locked_until.is_some() && !unlock_is_a_fix).then(unlock_control)}
                {enrolled.then(|| view! {
                    <Show
                        when=move || changing_mobile.get()
                        fallback=move || view! {
                            <button type="button" class="secondary" on:click=move |_| changing_mobile.set(true)>"Update mobile number"</button>
                        }
                    >
                        <form class="confirm" aria-labelledby="mobile-heading" on:submit=move |ev| {
                            ev.prevent_default();
                            update_mobile.dispatch(UpdateMobile {
                                id,
                                phone: new_mobile.get_untracked(),
                                reason: reason.get_untracked(),
                                identity_confirmed: identity_confirmed.get_untracked(),
                            });
                        }>
                            <h3 id="mobile-heading">"Update mobile number"</h3>
                            <label for="new-mobile">"New mobile number"</label>
                            <input id="new-mobile" type="tel" inputmode="tel" autocomplete="off" required
                                on:input=move |ev| new_mobile.set(event_target_value(&ev))/>
                            {identity_fields("mobile", reason, identity_confirmed)}
                            <button type="submit">"Update mobile number"</button>
                            <button type="button" class="secondary" on:click=move |_| changing_mobile.set(false)>"Cancel"</button>
                        </form>
                    </Show>
                })}
                {(enrolled && two_step_on && !turn_off_is_a_fix).then(turn_off_control)}
                {(enrolled && c.passkeys > 0).then(|| view! {
                    <Show
                        when=move || removing_passkeys.get()
                        fallback=move || view! {
                            <button type="button" class="secondary" on:click=move |_| removing_passkeys.set(true)>"Remove passkeys"</button>
                        }
                    >
                        <form class="confirm" aria-labelledby="passkeys-off-heading" on:submit=move |ev| {
                            ev.prevent_default();
                            remove_passkeys.dispatch(RemovePasskeysFor { id, reason: passkeys_reason.get_untracked(), identity_confirmed: passkeys_confirmed.get_untracked() });
                        }>
                            <h3 id="passkeys-off-heading">"Remove passkeys"</h3>
                            <p>"Every passkey of the patient's account stops working and every session ends. The patient signs in with the password, and can add a passkey again in Account settings."</p>
                            {identity_fields("passkeys-off", passkeys_reason, passkeys_confirmed)}
                            <button type="submit">"Remove passkeys"</button>
                            <button type="button" class="secondary" on:click=move |_| removing_passkeys.set(false)>"Cancel"</button>
                        </form>
                    </Show>
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
                                <li>{f.text.clone()} {f.fix.map(fix_control)}</li>
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
