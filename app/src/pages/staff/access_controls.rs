//! The access dialog's actions: each one's server action, the confirmation
//! that may be open (one at a time), and each action's control. Made once
//! per dialog ([`Controls::new`]) and shown once: beside the finding it
//! fixes, or among the actions.

use leptos::prelude::*;

use super::chart::{ChartUi, Outcome};
use crate::api::staff::{ActForPerson, AddFamily, InvitePatient, RemovePasskeysFor, RevokeAccess, SetPatientLanguage, TurnOffTwoStepFor, UnlockAccount, UpdateMobile};
use crate::family::PersonKey;
use crate::i18n::Lang;
use crate::ids::PatientId;
use crate::staff::{Fix, PersonAction, StaffError};

/// The confirmation open in the dialog, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    Revoke,
    UpdateMobile,
    TurnOffTwoStep,
    RemovePasskeys,
    AddFamily,
    RemovePerson(PersonKey),
}

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

/// A change that needs a reason and the staff member's word.
#[derive(Clone, Copy)]
struct Vouched {
    reason: RwSignal<String>,
    confirmed: RwSignal<bool>,
}

impl Vouched {
    fn new() -> Vouched {
        Vouched { reason: RwSignal::new(String::new()), confirmed: RwSignal::new(false) }
    }
}

#[derive(Clone, Copy)]
pub struct Controls {
    id: PatientId,
    /// The confirmation open, if any.
    pub open: RwSignal<Option<Confirm>>,
    invite: ServerAction<InvitePatient>,
    email: RwSignal<String>,
    unlock: ServerAction<UnlockAccount>,
    revoke: ServerAction<RevokeAccess>,
    update_mobile: ServerAction<UpdateMobile>,
    new_mobile: RwSignal<String>,
    mobile: Vouched,
    turn_off: ServerAction<TurnOffTwoStepFor>,
    off: Vouched,
    remove_passkeys: ServerAction<RemovePasskeysFor>,
    passkeys: Vouched,
    set_language: ServerAction<SetPatientLanguage>,
    pub language: RwSignal<Lang>,
    add_family: ServerAction<AddFamily>,
    for_person: ServerAction<ActForPerson>,
    last_person_action: RwSignal<PersonAction>,
}

impl Controls {
    /// The actions of the dialog of chart `id`; `email` and `language` are
    /// what the chart holds now.
    pub fn new(ui: ChartUi, id: PatientId, email: String, language: Lang) -> Controls {
        let c = Controls {
            id,
            open: RwSignal::new(None),
            invite: ServerAction::new(),
            email: RwSignal::new(email),
            unlock: ServerAction::new(),
            revoke: ServerAction::new(),
            update_mobile: ServerAction::new(),
            new_mobile: RwSignal::new(String::new()),
            mobile: Vouched::new(),
            turn_off: ServerAction::new(),
            off: Vouched::new(),
            remove_passkeys: ServerAction::new(),
            passkeys: Vouched::new(),
            set_language: ServerAction::new(),
            language: RwSignal::new(language),
            add_family: ServerAction::new(),
            for_person: ServerAction::new(),
            last_person_action: RwSignal::new(PersonAction::Remove),
        };
        track(c.invite, ui, "Invitation sent.");
        track(c.unlock, ui, "Account unlocked.");
        track(c.revoke, ui, "Portal access revoked.");
        track(c.update_mobile, ui, "Mobile number updated. The patient was told at the old number and by email.");
        track(c.turn_off, ui, "Two-step verification turned off. The patient was signed out everywhere and told.");
        track(c.remove_passkeys, ui, "Passkeys removed. The patient was signed out everywhere and told.");
        track(c.set_language, ui, "Language saved. Messages to the patient go out in it.");
        track(c.add_family, ui, "Invitation sent. Read the access code below to the person, or to the patient to pass on.");
        Effect::new(move |_| match c.for_person.value().get() {
            Some(Ok(())) => {
                ui.notice.set(Some(Outcome::Done(c.last_person_action.get_untracked().done().to_string())));
                c.open.set(None);
                ui.version.update(|v| *v += 1);
            }
            Some(Err(e)) => ui.notice.set(Some(Outcome::Failed(e.to_string()))),
            None => {}
        });
        c
    }

    /// Whether `confirm` is the confirmation open.
    pub fn is_open(self, confirm: Confirm) -> bool {
        self.open.get() == Some(confirm)
    }

    /// A button that opens `confirm`.
    pub fn opener(self, confirm: Confirm, class: &'static str, label: &'static str) -> impl IntoView {
        view! { <button type="button" class=class on:click=move |_| self.open.set(Some(confirm))>{label}</button> }
    }

    /// "Cancel": closes the confirmation.
    pub fn cancel(self) -> impl IntoView {
        view! { <button type="button" class="secondary" on:click=move |_| self.open.set(None)>"Cancel"</button> }
    }

    /// `action` for a person who sees this chart.
    pub fn act(self, person: PersonKey, action: PersonAction) {
        self.last_person_action.set(action);
        self.for_person.dispatch(ActForPerson { id: self.id, person, action });
    }

    pub fn invite(self, label: &'static str) -> impl IntoView {
        let (id, email) = (self.id, self.email);
        view! {
            <div class="invite">
                <label for="invite-email">"Email address"</label>
                <input id="invite-email" type="email" prop:value=email on:input=move |ev| email.set(event_target_value(&ev))/>
                <button type="button" on:click=move |_| { self.invite.dispatch(InvitePatient { id, email: email.get_untracked() }); }>
                    {label}
                </button>
            </div>
        }
    }

    pub fn unlock(self) -> impl IntoView {
        let id = self.id;
        view! { <button type="button" on:click=move |_| { self.unlock.dispatch(UnlockAccount { id }); }>"Unlock account"</button> }
    }

    pub fn turn_off_two_step(self) -> impl IntoView {
        let (id, off) = (self.id, self.off);
        view! {
            <Show
                when=move || self.is_open(Confirm::TurnOffTwoStep)
                fallback=move || self.opener(Confirm::TurnOffTwoStep, "secondary", "Turn off two-step verification")
            >
                <form class="confirm" aria-labelledby="two-step-off-heading" on:submit=move |ev| {
                    ev.prevent_default();
                    self.turn_off.dispatch(TurnOffTwoStepFor { id, reason: off.reason.get_untracked(), identity_confirmed: off.confirmed.get_untracked() });
                }>
                    <h3 id="two-step-off-heading">"Turn off two-step verification"</h3>
                    <p>"The patient then signs in with the password alone, and can turn it on again in Account settings."</p>
                    {identity_fields("two-step-off", off.reason, off.confirmed)}
                    <button type="submit">"Turn off two-step verification"</button>
                    {self.cancel()}
                </form>
            </Show>
        }
    }

    pub fn update_mobile(self) -> impl IntoView {
        let (id, mobile, new_mobile) = (self.id, self.mobile, self.new_mobile);
        view! {
            <Show
                when=move || self.is_open(Confirm::UpdateMobile)
                fallback=move || self.opener(Confirm::UpdateMobile, "secondary", "Update mobile number")
            >
                <form class="confirm" aria-labelledby="mobile-heading" on:submit=move |ev| {
                    ev.prevent_default();
                    self.update_mobile.dispatch(UpdateMobile {
                        id,
                        phone: new_mobile.get_untracked(),
                        reason: mobile.reason.get_untracked(),
                        identity_confirmed: mobile.confirmed.get_untracked(),
                    });
                }>
                    <h3 id="mobile-heading">"Update mobile number"</h3>
                    <label for="new-mobile">"New mobile number"</label>
                    <input id="new-mobile" type="tel" inputmode="tel" autocomplete="off" required
                        on:input=move |ev| new_mobile.set(event_target_value(&ev))/>
                    {identity_fields("mobile", mobile.reason, mobile.confirmed)}
                    <button type="submit">"Update mobile number"</button>
                    {self.cancel()}
                </form>
            </Show>
        }
    }

    pub fn remove_passkeys(self) -> impl IntoView {
        let (id, passkeys) = (self.id, self.passkeys);
        view! {
            <Show
                when=move || self.is_open(Confirm::RemovePasskeys)
                fallback=move || self.opener(Confirm::RemovePasskeys, "secondary", "Remove passkeys")
            >
                <form class="confirm" aria-labelledby="passkeys-off-heading" on:submit=move |ev| {
                    ev.prevent_default();
                    self.remove_passkeys.dispatch(RemovePasskeysFor { id, reason: passkeys.reason.get_untracked(), identity_confirmed: passkeys.confirmed.get_untracked() });
                }>
                    <h3 id="passkeys-off-heading">"Remove passkeys"</h3>
                    <p>"Every passkey of the patient's account stops working and every session ends. The patient signs in with the password, and can add a passkey again in Account settings."</p>
                    {identity_fields("passkeys-off", passkeys.reason, passkeys.confirmed)}
                    <button type="submit">"Remove passkeys"</button>
                    {self.cancel()}
                </form>
            </Show>
        }
    }

    /// "Revoke access", asked about first; `name` is the patient's.
    pub fn revoke(self, name: String) -> impl IntoView {
        let id = self.id;
        view! {
            <Show
                when=move || self.is_open(Confirm::Revoke)
                fallback=move || self.opener(Confirm::Revoke, "danger", "Revoke access")
            >
                <div class="confirm" role="group" aria-labelledby="revoke-question">
                    <p id="revoke-question">{format!("Revoke portal access for {name}? They are signed out and can't sign in or reset their password.")}</p>
                    <button type="button" class="danger" on:click=move |_| { self.revoke.dispatch(RevokeAccess { id }); }>"Revoke access"</button>
                    {self.cancel()}
                </div>
            </Show>
        }
    }

    /// "Send invitation" to a family member or caregiver.
    pub fn add_family(self, name: String, email: String, relationship: String) {
        self.add_family.dispatch(AddFamily { id: self.id, name, email, relationship });
    }

    /// "Save language" for the language chosen in the facts.
    pub fn save_language(self) {
        self.set_language.dispatch(SetPatientLanguage { id: self.id, language: self.language.get_untracked() });
    }

    /// The control a finding offers as its fix.
    pub fn fix(self, fix: Fix, invite_label: &'static str) -> AnyView {
        match fix {
            Fix::SendInvitation | Fix::ResendInvitation => self.invite(invite_label).into_any(),
            Fix::Unlock => self.unlock().into_any(),
            Fix::TurnOffTwoStep => self.turn_off_two_step().into_any(),
            Fix::Person(key, action) => view! {
                <button type="button" on:click=move |_| self.act(key, action)>{action.label()}</button>
            }
            .into_any(),
        }
    }
}
