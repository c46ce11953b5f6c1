//! What staff can do from the "Patient portal access" dialog: invite (or
//! resend), unlock, revoke, update the mobile number, turn off two-step
//! verification, remove passkeys; add a family member or caregiver, and resend, unlock or
//! remove one of "People with access". Each is audited with
//! the staff member's name.

use crate::internal::Internal as _;
use app::i18n::t;
use app::ids::{AccountId, PatientId};
use app::email::EmailAddress;
use app::phone::MobileNumber;
use app::family::{PersonKey, Relation};
use app::staff::{PersonAction, Reason, StaffError};

use crate::store::states::EnrollmentState;
use crate::lockout::{self, LockHolder};
use crate::audit::{detail, Entry, Event};
use crate::client::ClientMeta;
use crate::outbox::{self, Channel, Message};
use crate::enrollment::invite::{self, InviteError};
use crate::patients;
use crate::staff::signin::StaffMember;
use crate::store::{grants, invitations, Tx};
use crate::Services;

impl From<InviteError> for StaffError {
    fn from(e: InviteError) -> Self {
        match e {
            InviteError::NoSuchPatient => StaffError::NoSuchPatient,
            InviteError::AlreadyEnrolled => StaffError::AlreadyEnrolled,
            InviteError::Revoked => StaffError::AlreadyRevoked,
            InviteError::NoEmail => StaffError::NoEmail,
            InviteError::UnderThirteen => StaffError::UnderThirteen,
            InviteError::ParentOfAdult => StaffError::ParentOfAdult,
            InviteError::NoName => StaffError::NameMissing,
            InviteError::Internal(e) => StaffError::internal(e),
        }
    }
}

/// "Send invitation" / "Resend invitation"; an empty `email` means the one on file.
pub async fn invite(svc: &Services, who: &StaffMember, client: &ClientMeta, patient_id: PatientId, email: &str) -> Result<(), StaffError> {
    let email = match email.trim() {
        "" => None,
        e => Some(EmailAddress::parse(e).map_err(StaffError::Email)?),
    };
    invite::invite(svc, patient_id, invite::Invitee::Own(email.as_ref()), who.actor(), client).await?;
    Ok(())
}

/// The account whose own chart `patient_id` is (`None` before its patient
/// registers); a chart that doesn't exist is refused.
async fn own_account(tx: &mut Tx, patient_id: PatientId) -> Result<Option<AccountId>, StaffError> {
    if crate::store::patients::chart(&mut **tx, patient_id).await.map_err(StaffError::internal)?.is_none() {
        return Err(StaffError::NoSuchPatient);
    }
    grants::own_account(&mut **tx, patient_id).await.map_err(StaffError::internal)
}

/// "Unlock account": clears the lock and its count of the chart's own account.
pub async fn unlock(svc: &Services, who: &StaffMember, client: &ClientMeta, patient_id: PatientId) -> Result<(), StaffError> {
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(StaffError::internal)?;
    if let Some(account) = own_account(&mut tx, patient_id).await? {
        lockout::clear(&mut tx, LockHolder::Account(account), at).await.map_err(StaffError::internal)?;
    }
    let actor = who.actor();
    let entry = Entry { patient_id: Some(patient_id), actor, event: Event::Unlocked, detail: "", client };
    svc.audit.append(&mut tx, entry, at).await.map_err(StaffError::internal)?;
    tx.commit().await.map_err(StaffError::internal)
}

/// "Save language": the chart's language, which messages to the patient go
/// out in (and the account's, once registered; the patient can change it).
pub async fn set_language(svc: &Services, who: &StaffMember, client: &ClientMeta, patient_id: PatientId, lang: app::i18n::Lang) -> Result<(), StaffError> {
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(StaffError::internal)?;
    if !crate::store::patients::set_language(&mut tx, patient_id, lang).await.map_err(StaffError::internal)? {
        return Err(StaffError::NoSuchPatient);
    }
    let actor = who.actor();
    let entry = Entry { patient_id: Some(patient_id), actor, event: Event::LanguageChanged, detail: lang.tag(), client };
    svc.audit.append(&mut tx, entry, at).await.map_err(StaffError::internal)?;
    tx.commit().await.map_err(StaffError::internal)
}

/// "Revoke access": ends the patient's sessions, open reset links and invitations.
pub async fn revoke(svc: &Services, who: &StaffMember, client: &ClientMeta, patient_id: PatientId) -> Result<(), StaffError> {
    let state = crate::store::accounts::state_of(&svc.store, patient_id).await.map_err(StaffError::internal)?;
    match state {
        None => Err(StaffError::NoSuchPatient),
        Some(EnrollmentState::Revoked) => Err(StaffError::AlreadyRevoked),
        Some(EnrollmentState::Invited | EnrollmentState::Enrolled) => patients::revoke(svc, patient_id, who.actor(), client).await.map_err(StaffError::internal),
    }
}

/// "Update mobile number": the chart's number becomes `phone`; the patient
/// is told at the old number (by text) and by email, so that a change they
/// didn't ask for doesn't go unseen; the reason is kept in the audit log.
pub async fn update_mobile(svc: &Services, who: &StaffMember, client: &ClientMeta, patient_id: PatientId, phone: &str, reason: &Reason) -> Result<(), StaffError> {
    let new = MobileNumber::parse(phone).map_err(StaffError::Phone)?;
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(StaffError::internal)?;
    let a = crate::store::patients::chart(&mut *tx, patient_id).await.map_err(StaffError::internal)?.ok_or(StaffError::NoSuchPatient)?;
    if a.state == Some(EnrollmentState::Revoked) {
        return Err(StaffError::AlreadyRevoked);
    }
    let email = a.invited_email.or(a.chart_email);
    if a.mobile.as_ref() == Some(&new) {
        return Err(StaffError::SameMobile);
    }
    crate::store::accounts::set_mobile(&mut tx, patient_id, new.e164()).await.map_err(StaffError::internal)?;
    let lang = a.language;
    let told = t::mobile_changed_by_staff(lang, &new.masked());
    let mut notices = Vec::new();
    if let Some(old) = &a.mobile {
        notices.push(Message { channel: Channel::Sms, to: old.e164(), subject: "", body: &told, lang, patient_id: Some(patient_id) });
    }
    let email_body = t::hello_email(lang, &a.first_name, &told);
    if let Some(email) = &email {
        let m = Message { channel: Channel::Email, to: email, subject: t::mobile_changed_subject(lang), body: &email_body, lang, patient_id: Some(patient_id) };
        notices.push(m);
    }
    for m in &notices {
        outbox::enqueue(&mut tx, &svc.bodies, m, at).await.map_err(StaffError::internal)?;
    }
    let actor = who.actor();
    let entry = Entry { patient_id: Some(patient_id), actor, event: Event::MobileChangedByStaff, detail: reason.as_str(), client };
    svc.audit.append(&mut tx, entry, at).await.map_err(StaffError::internal)?;
    tx.commit().await.map_err(StaffError::internal)
}

/// "Turn off two-step verification" for a patient who can't pass it (a lost
/// phone, say), after the staff member confirmed who they are: audited with
/// the reason; the patient is told by email (or text, without one).
pub async fn turn_off_two_step(svc: &Services, who: &StaffMember, client: &ClientMeta, patient_id: PatientId, reason: &Reason) -> Result<(), StaffError> {
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(StaffError::internal)?;
    let account = own_account(&mut tx, patient_id).await?.ok_or(StaffError::TwoStepAlreadyOff)?;
    let a = crate::store::accounts::of_account(&mut *tx, account).await.map_err(StaffError::internal)?.ok_or(StaffError::NoSuchPatient)?;
    if !crate::two_step::setup::turn_off_for_staff(&mut tx, account, at).await.map_err(StaffError::internal)? {
        return Err(StaffError::TwoStepAlreadyOff);
    }
    // A session opened with the second step that is gone ends with it (SPEC §5).
    crate::sessions::end_all_of_account(&mut tx, account).await.map_err(StaffError::internal)?;
    let lang = a.language;
    tell_patient(svc, &mut tx, &a, t::two_step_off_subject(lang), t::two_step_off_by_staff(lang), at).await?;
    let actor = who.actor();
    let entry = Entry { patient_id: Some(patient_id), actor, event: Event::TwoStepTurnedOffByStaff, detail: reason.as_str(), client };
    svc.audit.append(&mut tx, entry, at).await.map_err(StaffError::internal)?;
    tx.commit().await.map_err(StaffError::internal)
}

/// Tells the patient of account row `a` what staff changed: by email, else by text.
async fn tell_patient(svc: &Services, tx: &mut Tx, a: &crate::store::accounts::AccountRow, subject: &str, told: &str, at: i64) -> Result<(), StaffError> {
    let lang = a.language;
    let email_body = t::hello_email(lang, &a.first_name, told);
    let notice = match (&a.email, &a.mobile) {
        (Some(email), _) => Some(Message { channel: Channel::Email, to: email, subject, body: &email_body, lang, patient_id: a.patient_id }),
        (None, Some(mobile)) => Some(Message { channel: Channel::Sms, to: mobile.e164(), subject: "", body: told, lang, patient_id: a.patient_id }),
        (None, None) => None,
    };
    if let Some(m) = &notice {
        outbox::enqueue(tx, &svc.bodies, m, at).await.map_err(StaffError::internal)?;
    }
    Ok(())
}

/// "Remove passkeys" for a patient who lost a device (or whose passkey
/// someone else may hold), after the staff member confirmed who they are:
/// every passkey of the chart's own account goes, its ceremonies and
/// sessions end, the patient is told, and the reason is audited.
pub async fn remove_passkeys(svc: &Services, who: &StaffMember, client: &ClientMeta, patient_id: PatientId, reason: &Reason) -> Result<(), StaffError> {
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(StaffError::internal)?;
    let account = own_account(&mut tx, patient_id).await?.ok_or(StaffError::NoPasskeys)?;
    let a = crate::store::accounts::of_account(&mut *tx, account).await.map_err(StaffError::internal)?.ok_or(StaffError::NoSuchPatient)?;
    if crate::store::passkeys::remove_all(&mut tx, account).await.map_err(StaffError::internal)? == 0 {
        return Err(StaffError::NoPasskeys);
    }
    crate::store::passkeys::end_ceremonies_of(&mut tx, account, at).await.map_err(StaffError::internal)?;
    crate::sessions::end_all_of_account(&mut tx, account).await.map_err(StaffError::internal)?;
    let lang = a.language;
    tell_patient(svc, &mut tx, &a, t::passkeys_removed_subject(lang), t::passkeys_removed_by_staff(lang), at).await?;
    let entry = Entry { patient_id: Some(patient_id), actor: who.actor(), event: Event::PasskeysRemovedByStaff, detail: reason.as_str(), client };
    svc.audit.append(&mut tx, entry, at).await.map_err(StaffError::internal)?;
    tx.commit().await.map_err(StaffError::internal)
}

/// "Add a family member or caregiver": an invitation to `email`, as `relationship`.
pub async fn add_family(svc: &Services, who: &StaffMember, client: &ClientMeta, patient_id: PatientId, name: &str, email: &str, relationship: &str) -> Result<(), StaffError> {
    let relation = Relation::parse(relationship).ok_or(StaffError::Relationship)?;
    let email = EmailAddress::parse(email).map_err(StaffError::Email)?;
    invite::invite(svc, patient_id, invite::Invitee::Family { email: &email, name, relation }, who.actor(), client).await?;
    Ok(())
}

/// "Resend invitation", "Unlock account" or "Remove access" beside one of "People with access".
pub async fn for_person(svc: &Services, who: &StaffMember, client: &ClientMeta, patient_id: PatientId, person: PersonKey, action: PersonAction) -> Result<(), StaffError> {
    match (action, person) {
        (PersonAction::Resend, PersonKey::Invitation(id)) => {
            let inv = invitations::open_family(&svc.store, id, patient_id).await.map_err(StaffError::internal)?.ok_or(StaffError::NoSuchPerson)?;
            let relation = inv.relationship.relation().ok_or(StaffError::NoSuchPerson)?;
            let email = EmailAddress::parse(&inv.email).map_err(StaffError::Email)?;
            let name = inv.invitee_name.unwrap_or_else(|| inv.email.clone());
            invite::invite(svc, patient_id, invite::Invitee::Family { email: &email, name: &name, relation }, who.actor(), client).await?;
            Ok(())
        }
        (PersonAction::Unlock, PersonKey::Grant(id)) => {
            let at = svc.clock.now();
            let mut tx = svc.store.begin_write().await.map_err(StaffError::internal)?;
            let g = grants::live_on(&mut tx, id, patient_id).await.map_err(StaffError::internal)?.ok_or(StaffError::NoSuchPerson)?;
            let relation = g.relationship.relation().ok_or(StaffError::NoSuchPerson)?;
            lockout::clear(&mut tx, LockHolder::Account(g.account_id), at).await.map_err(StaffError::internal)?;
            let name = crate::store::accounts::contact(&mut *tx, g.account_id).await.map_err(StaffError::internal)?.map(|c| c.full_name()).unwrap_or_default();
            let d = detail::person(name.trim(), relation, None);
            let entry = Entry { patient_id: Some(patient_id), actor: who.actor(), event: Event::Unlocked, detail: &d, client };
            svc.audit.append(&mut tx, entry, at).await.map_err(StaffError::internal)?;
            tx.commit().await.map_err(StaffError::internal)
        }
        (PersonAction::Remove, person) => match crate::family::remove(svc, patient_id, person, who.actor(), client).await.map_err(StaffError::internal)? {
            true => Ok(()),
            false => Err(StaffError::NoSuchPerson),
        },
        (PersonAction::Resend | PersonAction::Unlock, _) => Err(StaffError::NoSuchPerson),
    }
}
