//! The troubleshooting panel (SPEC §3): why a patient may not get in, in
//! plain words, from what the system knows — each with the action that
//! fixes it. A pure function of the facts, so each finding is tested alone.

use app::family::PersonKey;
use app::staff::{Finding, Fix, PersonAction, PortalStatus};

use crate::outbox::Channel;
use crate::recovery::flow::Step;
use crate::store::states::{DeliveryStatus, InvitationState};

/// A message still queued after this long is worth telling staff about.
pub const STUCK_AFTER_SECS: i64 = 10 * 60;

pub struct InvitationFacts {
    pub state: InvitationState,
    pub created_at: i64,
    pub expires_at: i64,
    pub dob_failures: i64,
    pub opened_at: Option<i64>,
}

pub struct ResetFacts {
    pub step: Step,
    pub created_at: i64,
    pub expires_at: i64,
    pub code_channel: Option<Channel>,
    pub code_sent_at: Option<i64>,
}

pub struct MessageFacts {
    pub channel: Channel,
    pub to: String,
    pub status: DeliveryStatus,
    pub error: Option<String>,
    pub created_at: i64,
}

/// Two-step verification while it is on.
pub struct TwoStepFacts {
    /// "by text message to (•••) •••-4567".
    pub codes_go: String,
    /// Whether there is somewhere to send its codes (always, for the app).
    pub deliverable: bool,
    pub last: Option<SecondStepFacts>,
}

/// The newest sign-in's second step.
pub struct SecondStepFacts {
    pub created_at: i64,
    pub expires_at: i64,
    pub passed: bool,
    pub ended: bool,
    pub wrong_codes: i64,
}

pub struct Facts {
    pub status: PortalStatus,
    pub failures: i64,
    pub locked_until: Option<i64>,
    /// Locked by wrong second-factor codes: no time opens it.
    pub locked_until_reset: bool,
    pub has_email: bool,
    pub has_mobile: bool,
    pub invitation: Option<InvitationFacts>,
    pub reset: Option<ResetFacts>,
    pub last_message: Option<MessageFacts>,
    pub two_step: Option<TwoStepFacts>,
}

fn finding(text: String, fix: Option<Fix>) -> Finding {
    Finding { text, fix }
}

fn channel_words(channel: Channel) -> &'static str {
    match channel {
        Channel::Voice => "voice call",
        Channel::Sms => "text",
        Channel::Email => "email",
    }
}

/// `time` shows a moment as `HH:MM`, `date` as `YYYY-MM-DD`, in the practice's zone.
pub fn diagnose(f: &Facts, now: i64, time: &dyn Fn(i64) -> String, date: &dyn Fn(i64) -> String) -> Vec<Finding> {
    let mut out = Vec::new();
    match f.status {
        PortalStatus::Revoked => out.push(finding(
            "Portal access is turned off for this patient: they can't sign in or reset their password.".into(),
            None,
        )),
        PortalStatus::NotInvited if !f.has_email => out.push(finding(
            "Not invited yet, and the chart has no email address: enter one to send the invitation.".into(),
            Some(Fix::SendInvitation),
        )),
        PortalStatus::NotInvited => out.push(finding("Not invited to the portal yet.".into(), Some(Fix::SendInvitation))),
        PortalStatus::Invited => match &f.invitation {
            Some(i) if i.state == InvitationState::Void && i.dob_failures > 0 => out.push(finding(
                format!("The invitation was voided after {} dates of birth that didn't match the chart.", i.dob_failures),
                Some(Fix::ResendInvitation),
            )),
            Some(i) if i.state == InvitationState::Open && now >= i.expires_at => out.push(finding(
                format!("The invitation sent on {} expired on {}.", date(i.created_at), date(i.expires_at)),
                Some(Fix::ResendInvitation),
            )),
            Some(i) if i.state == InvitationState::Open => out.push(finding(
                match i.opened_at {
                    None => format!(
                        "Invited on {}; nobody has used the link in the email yet. It works until {}; check the address, or resend.",
                        date(i.created_at),
                        date(i.expires_at)
                    ),
                    Some(opened) => format!(
                        "Invited on {}; the patient tried to register on {} but hasn't finished. It works until {}.",
                        date(i.created_at),
                        date(opened),
                        date(i.expires_at)
                    ),
                },
                Some(Fix::ResendInvitation),
            )),
            _ => out.push(finding("No invitation link is open.".into(), Some(Fix::ResendInvitation))),
        },
        PortalStatus::Enrolled => {}
    }
    if f.locked_until_reset {
        out.push(finding(
            format!(
                "Locked after {} wrong verification codes in a row: only a password reset or Unlock account opens it. \
                 If the patient didn't type them, someone may know the password.",
                crate::lockout::MAX_SECOND_FACTOR_MISSES
            ),
            Some(Fix::Unlock),
        ));
    } else if let Some(until) = f.locked_until.filter(|u| now < *u) {
        out.push(finding(format!("Locked until {} after {} failed sign-ins.", time(until), f.failures), Some(Fix::Unlock)));
    }
    if f.status != PortalStatus::NotInvited && f.status != PortalStatus::Revoked && !f.has_mobile {
        out.push(finding(
            "No mobile number on file, so a password reset by text or voice code can't work.".into(),
            None,
        ));
    }
    if let Some(r) = f.reset.as_ref().filter(|r| !matches!(r.step, Step::Done | Step::Void)) {
        let ended = if now >= r.expires_at { " The link has expired." } else { "" };
        let text = match (r.step, r.code_channel, r.code_sent_at) {
            (Step::CodeSent, Some(channel), Some(sent)) => format!(
                "A password reset started at {} stopped at the code step; the last code went by {} at {}.{ended}",
                time(r.created_at),
                channel_words(channel),
                time(sent)
            ),
            (Step::Question, ..) => format!("A password reset started at {} stopped at the security question.{ended}", time(r.created_at)),
            (Step::Passed, ..) => format!("A password reset started at {} passed the identity check but no new password was saved.{ended}", time(r.created_at)),
            _ => format!("A password reset link was sent at {} and not used yet.{ended}", time(r.created_at)),
        };
        out.push(finding(text, None));
    }
    if let Some(t) = f.two_step.as_ref().filter(|_| f.status == PortalStatus::Enrolled) {
        if !t.deliverable {
            out.push(finding(
                format!("Two-step verification codes go {}, but there is none on file: only a backup code gets the patient in.", t.codes_go),
                Some(Fix::TurnOffTwoStep),
            ));
        }
        if let Some(s) = t.last.as_ref().filter(|s| !s.passed) {
            let wrong = match s.wrong_codes {
                0 => String::new(),
                1 => " after 1 wrong code".into(),
                n => format!(" after {n} wrong codes"),
            };
            let text = if s.ended || now >= s.expires_at {
                format!(
                    "Signed in with the right password at {} but didn't finish two-step verification{wrong}. Codes go {}.",
                    time(s.created_at),
                    t.codes_go
                )
            } else {
                format!("Waiting at two-step verification since {}{wrong}. Codes go {}.", time(s.created_at), t.codes_go)
            };
            out.push(finding(text, Some(Fix::TurnOffTwoStep)));
        }
    }
    if let Some(m) = &f.last_message {
        let what = format!("The last {} to {}", channel_words(m.channel), m.to);
        match m.status {
            DeliveryStatus::Failed => out.push(finding(format!("{what} failed: {}.", m.error.as_deref().unwrap_or("no reason given")), None)),
            DeliveryStatus::Queued if now - m.created_at >= STUCK_AFTER_SECS => {
                out.push(finding(format!("{what} is still queued (since {}).", time(m.created_at)), None))
            }
            _ => {}
        }
    }
    out
}

/// One of "People with access", as the panel reads it.
pub struct PersonFacts {
    pub key: PersonKey,
    /// "Rosa Diaz (Caregiver)".
    pub words: String,
    /// Invited, and not registered yet: when the invitation stops working.
    pub invitation_expires: Option<i64>,
    pub locked_until: Option<i64>,
    pub failures: i64,
}

/// Access that ended at the patient's 18th birthday.
pub struct EndedFacts {
    pub words: String,
    pub ended_at: i64,
}

/// Why someone the patient shares the chart with may not get in, and a
/// chart whose parent's access ended at 18 (the patient, now an adult,
/// may be invited on their own).
pub fn diagnose_people(
    people: &[PersonFacts],
    ended: &[EndedFacts],
    status: PortalStatus,
    now: i64,
    time: &dyn Fn(i64) -> String,
    date: &dyn Fn(i64) -> String,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for p in people {
        if let Some(expired) = p.invitation_expires.filter(|e| now >= *e) {
            out.push(finding(format!("{}: the invitation expired on {}.", p.words, date(expired)), Some(Fix::Person(p.key, PersonAction::Resend))));
        }
        if let Some(until) = p.locked_until.filter(|u| now < *u) {
            out.push(finding(
                format!("{} is locked out until {} after {} failed sign-ins.", p.words, time(until), p.failures),
                Some(Fix::Person(p.key, PersonAction::Unlock)),
            ));
        }
    }
    for e in ended {
        let (text, fix) = match status {
            PortalStatus::NotInvited => (" The patient is an adult now and can be invited on their own.", Some(Fix::SendInvitation)),
            _ => ("", None),
        };
        out.push(finding(format!("Ended: turned 18 on {}. {} no longer sees this chart.{text}", date(e.ended_at), e.words), fix));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_000_000;

    fn facts(status: PortalStatus) -> Facts {
        Facts { status, failures: 0, locked_until: None, locked_until_reset: false, has_email: true, has_mobile: true, invitation: None, reset: None, last_message: None, two_step: None }
    }

    fn texts(f: &Facts) -> Vec<(String, Option<Fix>)> {
        let t = |s: i64| format!("T{s}");
        let d = |s: i64| format!("D{s}");
        diagnose(f, NOW, &t, &d).into_iter().map(|f| (f.text, f.fix)).collect()
    }

    #[test]
    fn an_enrolled_patient_with_nothing_wrong_has_no_findings() {
        assert!(texts(&facts(PortalStatus::Enrolled)).is_empty());
    }

    #[test]
    fn a_lock_names_its_end_and_count_and_offers_unlock() {
        let f = Facts { failures: 5, locked_until: Some(NOW + 60), ..facts(PortalStatus::Enrolled) };
        assert_eq!(texts(&f), [(format!("Locked until T{} after 5 failed sign-ins.", NOW + 60), Some(Fix::Unlock))]);
        let ran_out = Facts { failures: 5, locked_until: Some(NOW), ..facts(PortalStatus::Enrolled) };
        assert!(texts(&ran_out).is_empty());
    }

    #[test]
    fn invitations_expired_voided_or_waiting_offer_a_resend() {
        let inv = |state, expires_at, dob_failures| InvitationFacts { state, created_at: 10, expires_at, dob_failures, opened_at: None };
        let expired = Facts { invitation: Some(inv(InvitationState::Open, NOW, 0)), ..facts(PortalStatus::Invited) };
        assert_eq!(texts(&expired), [(format!("The invitation sent on D10 expired on D{NOW}."), Some(Fix::ResendInvitation))]);
        let voided = Facts { invitation: Some(inv(InvitationState::Void, NOW + 9, 5)), ..facts(PortalStatus::Invited) };
        assert!(texts(&voided)[0].0.contains("voided after 5 dates of birth"));
        let waiting = Facts { invitation: Some(inv(InvitationState::Open, NOW + 9, 0)), ..facts(PortalStatus::Invited) };
        assert!(texts(&waiting)[0].0.contains("nobody has used the link"));
        let opened = InvitationFacts { opened_at: Some(20), ..inv(InvitationState::Open, NOW + 9, 0) };
        assert!(texts(&Facts { invitation: Some(opened), ..facts(PortalStatus::Invited) })[0].0.contains("tried to register on D20 but hasn't finished"));
        let none = Facts { has_email: false, ..facts(PortalStatus::NotInvited) };
        assert_eq!(texts(&none)[0].1, Some(Fix::SendInvitation));
        assert!(texts(&none)[0].0.contains("no email address"));
    }

    #[test]
    fn a_reset_stopped_at_the_code_step_names_the_channel_and_time() {
        let r = ResetFacts { step: Step::CodeSent, created_at: 100, expires_at: NOW + 1, code_channel: Some(Channel::Voice), code_sent_at: Some(200) };
        let f = Facts { reset: Some(r), ..facts(PortalStatus::Enrolled) };
        assert_eq!(texts(&f), [("A password reset started at T100 stopped at the code step; the last code went by voice call at T200.".to_string(), None)]);
        let done = ResetFacts { step: Step::Done, created_at: 100, expires_at: NOW + 1, code_channel: None, code_sent_at: None };
        assert!(texts(&Facts { reset: Some(done), ..facts(PortalStatus::Enrolled) }).is_empty());
    }

    #[test]
    fn failed_and_stuck_messages_revoked_access_and_a_missing_mobile_are_told() {
        let m = |status, created_at| MessageFacts { channel: Channel::Email, to: "a@example.com".into(), status, error: Some("550 mailbox unavailable".into()), created_at };
        let failed = Facts { last_message: Some(m(DeliveryStatus::Failed, NOW)), ..facts(PortalStatus::Enrolled) };
        assert_eq!(texts(&failed)[0].0, "The last email to a@example.com failed: 550 mailbox unavailable.");
        let stuck = Facts { last_message: Some(m(DeliveryStatus::Queued, NOW - STUCK_AFTER_SECS)), ..facts(PortalStatus::Enrolled) };
        assert!(texts(&stuck)[0].0.contains("still queued"));
        let fresh = Facts { last_message: Some(m(DeliveryStatus::Queued, NOW - 5)), ..facts(PortalStatus::Enrolled) };
        assert!(texts(&fresh).is_empty());
        assert!(texts(&facts(PortalStatus::Revoked))[0].0.contains("turned off"));
        let no_mobile = Facts { has_mobile: false, ..facts(PortalStatus::Enrolled) };
        assert!(texts(&no_mobile)[0].0.contains("No mobile number"));
    }

    #[test]
    fn a_patient_stuck_at_the_second_step_is_told_with_where_codes_go() {
        let step = |passed, ended, wrong_codes| SecondStepFacts { created_at: 100, expires_at: NOW + 60, passed, ended, wrong_codes };
        let on = |last| TwoStepFacts { codes_go: "by text message to (•••) •••-0199".into(), deliverable: true, last: Some(last) };
        let stuck = Facts { two_step: Some(on(step(false, true, 5))), ..facts(PortalStatus::Enrolled) };
        assert_eq!(
            texts(&stuck),
            [("Signed in with the right password at T100 but didn't finish two-step verification after 5 wrong codes. Codes go by text message to (•••) •••-0199.".to_string(), Some(Fix::TurnOffTwoStep))]
        );
        let waiting = Facts { two_step: Some(on(step(false, false, 0))), ..facts(PortalStatus::Enrolled) };
        assert!(texts(&waiting)[0].0.starts_with("Waiting at two-step verification since T100."));
        assert!(texts(&Facts { two_step: Some(on(step(true, false, 2))), ..facts(PortalStatus::Enrolled) }).is_empty());
        let nowhere = TwoStepFacts { codes_go: "by text message".into(), deliverable: false, last: None };
        assert_eq!(texts(&Facts { two_step: Some(nowhere), ..facts(PortalStatus::Enrolled) })[0].1, Some(Fix::TurnOffTwoStep));
    }

    #[test]
    fn family_members_locked_out_or_with_an_expired_invitation_get_their_own_fix() {
        let people = [
            PersonFacts { key: PersonKey::Invitation(7), words: "Rosa Diaz (Caregiver)".into(), invitation_expires: Some(NOW), locked_until: None, failures: 0 },
            PersonFacts { key: PersonKey::Invitation(8), words: "Sam (Other)".into(), invitation_expires: Some(NOW + 1), locked_until: None, failures: 0 },
            PersonFacts { key: PersonKey::Grant(3), words: "Alice Nguyen (Parent or guardian)".into(), invitation_expires: None, locked_until: Some(NOW + 60), failures: 5 },
            PersonFacts { key: PersonKey::Grant(4), words: "Lee (Spouse or partner)".into(), invitation_expires: None, locked_until: Some(NOW), failures: 5 },
        ];
        let found = diagnose_people(&people, &[], PortalStatus::Enrolled, NOW, &|t| format!("T{t}"), &|t| format!("D{t}"));
        let found: Vec<_> = found.into_iter().map(|f| (f.text, f.fix)).collect();
        assert_eq!(
            found,
            vec![
                (format!("Rosa Diaz (Caregiver): the invitation expired on D{NOW}."), Some(Fix::Person(PersonKey::Invitation(7), PersonAction::Resend))),
                (format!("Alice Nguyen (Parent or guardian) is locked out until T{} after 5 failed sign-ins.", NOW + 60), Some(Fix::Person(PersonKey::Grant(3), PersonAction::Unlock))),
            ]
        );
    }

    #[test]
    fn access_ended_at_18_says_so_and_offers_the_patients_own_invitation() {
        let ended = [EndedFacts { words: "Alice Nguyen (Parent or guardian)".into(), ended_at: NOW - 10 }];
        let not_invited = diagnose_people(&[], &ended, PortalStatus::NotInvited, NOW, &|t| format!("T{t}"), &|t| format!("D{t}"));
        assert_eq!(not_invited.len(), 1);
        assert!(not_invited[0].text.starts_with(&format!("Ended: turned 18 on D{}.", NOW - 10)) && not_invited[0].text.contains("invited on their own"));
        assert_eq!(not_invited[0].fix, Some(Fix::SendInvitation));
        let invited = diagnose_people(&[], &ended, PortalStatus::Invited, NOW, &|t| format!("T{t}"), &|t| format!("D{t}"));
        assert_eq!(invited[0].fix, None);
    }
}
