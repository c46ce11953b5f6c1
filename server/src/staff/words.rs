//! The audit log and the messages table in plain words for staff (SPEC §3):
//! "Wrong code entered (3 tries left)", not `reset_code_failed`; "Patient
//! (from 203.0.113.9)", not `patient`; "Text message", not `sms`; "The mail
//! server refused the address", with the server's own words kept beside it.

use crate::audit::detail::{Person, FAILED_ATTEMPTS, TRIES_LEFT};
use crate::audit::Event;
use crate::outbox::Channel;
use crate::store::states::DeliveryStatus;

fn detail_number(detail: &str, key: &str) -> Option<i64> {
    detail.split(',').find_map(|kv| kv.trim().strip_prefix(key)?.strip_prefix('=')?.parse().ok())
}

fn tries(n: i64) -> String {
    match n {
        0 => "no tries left".into(),
        1 => "1 try left".into(),
        n => format!("{n} tries left"),
    }
}

/// A stored audit entry's event and detail as a sentence staff can read out.
/// Every event the portal writes is an `Event`; a text none names (a row
/// written by a newer release, read by an older one) says so plainly.
pub fn entry(event_text: &str, detail: &str) -> String {
    match Event::parse(event_text) {
        Some(e) => event(e, detail),
        None => format!("An entry this version of the portal doesn't know ({event_text})"),
    }
}

/// Who a family or caregiver entry is about.
fn person_words(detail: &str) -> String {
    Person::read(detail).map(|p| p.words()).unwrap_or_else(|| "A family member or caregiver".into())
}

/// An audit event and its detail in plain words; the match has no catch-all,
/// so a new `Event` can't compile without its wording.
pub fn event(event: Event, detail: &str) -> String {
    let failed = detail_number(detail, FAILED_ATTEMPTS).map(|n| format!(" ({n} failed in a row)")).unwrap_or_default();
    let left = detail_number(detail, TRIES_LEFT).map(|n| format!(" ({})", tries(n))).unwrap_or_default();
    const LOCKED: &str = "; the account is now locked";
    let sent_by = |what: &str| match Channel::parse(detail) {
        Some(c) => format!("{what} sent by {}", channel(c).to_lowercase()),
        None => format!("{what} sent"),
    };
    match event {
        Event::SignIn => "Signed in".to_string(),
        Event::SignOut => "Signed out".to_string(),
        Event::SignInFailed => format!("Wrong password{failed}"),
        Event::SignInFailedAccountLocked => format!("Wrong password{failed}{LOCKED}"),
        Event::SignInFailedUnknownUsername => "Sign-in with a username no account has".into(),
        Event::SignInRefusedLocked => "Sign-in refused: the account is locked".into(),
        Event::SignInRefusedRevoked => "Sign-in refused: portal access is turned off".into(),
        Event::SignInPasswordOk => "Right password; waiting for the two-step verification code".into(),
        Event::ResetRequested => "Password reset email sent".into(),
        Event::ResetRequestedOverLimit => "Password reset asked for again within the hour: no email sent (limit reached)".into(),
        Event::ResetRequestedNoAccount => "Password reset asked for a username no account has".into(),
        Event::ResetQuestionPassed => "Date of birth and security answer entered correctly".into(),
        Event::ResetQuestionFailed => format!("Wrong date of birth or security answer{failed}"),
        Event::ResetQuestionFailedAccountLocked => format!("Wrong date of birth or security answer{failed}{LOCKED}"),
        Event::ResetFlowEnded => "The reset link ended after too many wrong answers".into(),
        Event::ResetCodeSent => sent_by("Security code"),
        Event::ResetCodePassed => "Security code entered correctly".into(),
        Event::ResetCodeFailed => format!("Wrong code entered{left}"),
        Event::ResetCodeFailedCodeEnded => "Wrong code entered; that code no longer works".into(),
        Event::ResetCodeNumberMismatch => format!("Mobile number entered doesn't match the one on file{left}"),
        Event::ResetCodeNumberMismatchFlowEnded => "Mobile number entered doesn't match the one on file; the reset link ended".into(),
        Event::PasswordReset => "Password reset completed".into(),
        Event::PasswordChanged => "Password changed in settings".into(),
        Event::SettingsPasswordFailed => format!("Wrong current password in settings{failed}"),
        Event::SettingsPasswordFailedAccountLocked => format!("Wrong current password in settings{failed}{LOCKED}"),
        Event::SettingsRefusedLocked => "Settings change refused: the account is locked".into(),
        Event::SecurityQuestionChanged => "Security question changed".into(),
        Event::MobileChanged => "Mobile number changed by the patient".into(),
        Event::MobileChangedByStaff => format!("Mobile number changed by staff. Reason: {detail}"),
        Event::TwoStepTurnedOn => "Two-step verification turned on".into(),
        Event::TwoStepTurnedOff => "Two-step verification turned off by the patient".into(),
        Event::TwoStepTurnedOffByStaff => format!("Two-step verification turned off by staff. Reason: {detail}"),
        Event::PasskeysRemovedByStaff => format!("Passkeys removed by staff. Reason: {detail}"),
        Event::TwoStepSetupCodeSent => "Code sent to set up two-step verification".into(),
        Event::TwoStepSetupFailed => "Wrong code while setting up two-step verification".into(),
        Event::TwoStepCodeSent => sent_by("Two-step verification code"),
        Event::TwoStepCodeUndeliverable => "Two-step verification code not sent: nowhere to send it on file".into(),
        Event::LockedUntilReset => format!(
            "Locked after {} wrong verification codes in a row: only a password reset or \"Unlock account\" opens it; the patient was emailed",
            crate::lockout::MAX_SECOND_FACTOR_MISSES
        ),
        Event::TwoStepCodesCapped => format!(
            "Two-step verification code not sent: {} were sent in 10 minutes or {} in a day",
            crate::two_step::send_cap::IN_TEN_MINUTES,
            crate::two_step::send_cap::IN_A_DAY
        ),
        Event::TwoStepPassed => match detail {
            "backup_code" => "Two-step verification passed with a backup code".into(),
            "app" => "Two-step verification passed with the authenticator app".into(),
            _ => "Two-step verification passed".into(),
        },
        Event::TwoStepFailed => format!("Wrong two-step verification code{left}"),
        Event::TwoStepFailedEnded => "Wrong two-step verification code; that sign-in ended".into(),
        Event::DevicesForgotten => format!("Remembered devices forgotten after a new password ({detail})"),
        Event::DeviceRemembered => format!("Device remembered for {} days", app::two_step::REMEMBER_DAYS),
        Event::PasskeyAdded => format!("Passkey added: {detail}"),
        Event::PasskeyRemoved => format!("Passkey removed: {detail}"),
        Event::PasskeyUsed => format!("Signed in with the passkey {detail}"),
        Event::PasskeyAddRefused => format!("Passkey not added: {}", passkey_refusal(detail)),
        Event::PasskeySignInRefused => format!("Passkey sign-in refused: {}", passkey_refusal(detail)),
        Event::ChartCreated => "Chart created".into(),
        Event::ChartViewed => "Chart viewed".into(),
        Event::Invited => "Invitation sent".into(),
        Event::Enrolled => "Registered for the portal".into(),
        Event::AccessRevoked | Event::Revoked => "Portal access turned off".into(),
        Event::Unlocked => match Person::read(detail) {
            Some(p) => format!("Account unlocked: {}", p.words()),
            None => "Account unlocked".into(),
        },
        Event::LanguageChanged => format!("Language set to {}", app::i18n::Lang::try_from(detail.to_string()).map(app::i18n::Lang::english_name).unwrap_or("?")),
        Event::RegistrationDobMismatch => format!("Registration: date of birth or access code didn't match (try {detail})"),
        Event::FamilyInvited => match Person::read(detail) {
            Some(p) => format!("Invited {} to see this chart, at {}", p.words(), p.email.as_deref().unwrap_or("?")),
            None => "Invited a family member or caregiver to see this chart".into(),
        },
        Event::AccessGiven => format!("{} can now see this chart", person_words(detail)),
        Event::AccessRemoved => format!("Access removed: {}", person_words(detail)),
        Event::AccessLeft => format!("{} stopped seeing this chart", person_words(detail)),
        Event::InvitationWithdrawn => format!("Invitation withdrawn: {}", person_words(detail)),
        Event::AccessEndedTurned18 => format!("Access ended: turned 18 ({})", person_words(detail)),
        Event::RegistrationCodeSent => format!("Registration: a code was texted to the number ending {detail}"),
        Event::RegistrationUsernameTaken => format!("Registration: the username chosen is taken (try {detail})"),
        Event::UsernameReminderSent => "Username reminder emailed".into(),
        Event::UsernameReminderOverLimit => "Username reminder asked for again within the hour: no email sent (limit reached)".into(),
        Event::UsernameReminderNoMatch => "Username reminder asked for: no account matched".into(),
        Event::StaffSignIn => "Staff member signed in".into(),
        Event::StaffPasswordOk => "Staff member's right password; waiting for the authenticator code".into(),
        Event::StaffAuthenticatorSetUp => "Staff member set up their authenticator app".into(),
        Event::StaffCodeFailed => "Staff member entered a wrong authenticator code".into(),
        Event::StaffSignInFailed => "Staff member entered a wrong password".into(),
        Event::StaffSignInFailedUnknown => "Staff sign-in with an email no staff account has".into(),
        Event::StaffSignInRefusedDisabled => "Staff sign-in refused: the account is disabled".into(),
        Event::StaffSignInRefusedLocked => "Staff sign-in refused: the account is locked".into(),
        Event::StaffDisabled => "Staff account disabled".into(),
        Event::StaffEnabled => "Staff account enabled".into(),
        Event::StaffUnlocked => "Staff account unlocked".into(),
        Event::StaffAuthenticatorReset => "Staff member's authenticator reset".into(),
    }
}

/// Why a passkey was refused (the audit keeps the refusal's name).
fn passkey_refusal(detail: &str) -> &'static str {
    match detail {
        "Expired" => "the request was used already or expired",
        "Unknown" => "a passkey the portal doesn't have (removed?)",
        "WrongSite" => "it came from another website",
        "Cloned" => "its counter went backwards (a copied passkey?)",
        _ => "it couldn't be checked",
    }
}

/// Who did it: "Patient (from 203.0.113.9)", "Staff: Dana Reyes".
/// `actor` as the chart's query gives it (staff already by name).
pub fn actor(actor: &str, ip: &str) -> String {
    let from = if ip.is_empty() { String::new() } else { format!(" (from {ip})") };
    match actor {
        "patient" => format!("Patient{from}"),
        "anonymous" => format!("Someone not signed in{from}"),
        "system" => "The portal".into(),
        "staff" => "Staff (command line)".into(),
        other => match other.strip_prefix("staff:") {
            Some(name) => format!("Staff: {name}"),
            None => other.to_string(),
        },
    }
}

pub fn channel(c: Channel) -> &'static str {
    match c {
        Channel::Email => "Email",
        Channel::Sms => "Text message",
        Channel::Voice => "Voice call",
    }
}

/// A delivery's state in plain words, and the provider's own reason (for a
/// disclosure) when it failed or is being retried.
pub fn delivery(status: DeliveryStatus, c: Channel, error: Option<&str>) -> (String, Option<String>) {
    let raw = error.map(str::to_string).filter(|e| !e.is_empty());
    let state = match status {
        DeliveryStatus::Sent => return ("Sent".into(), None),
        DeliveryStatus::Queued if raw.is_none() => return ("Waiting to be sent".into(), None),
        DeliveryStatus::Queued => "Not sent yet, trying again",
        DeliveryStatus::Failed => "Not delivered",
    };
    let why = raw.as_deref().map(|e| reason(c, e)).unwrap_or("no reason given");
    (format!("{state}: {why}"), raw)
}

/// What went wrong, from the mail server's or the phone provider's answer.
fn reason(c: Channel, error: &str) -> &'static str {
    let e = error.to_ascii_lowercase();
    let refused_code = ["550", "551", "553", "554", "501"].iter().any(|code| e.contains(code));
    match c {
        Channel::Email if refused_code || e.contains("mailbox") || e.contains("user unknown") || e.contains("recipient") => {
            "the mail server refused the address"
        }
        Channel::Email if e.contains("no answer") || e.contains("timed out") || e.contains("connection") => "the mail server did not answer",
        Channel::Email => "the mail server refused the message",
        _ if e.contains("no answer") || e.contains("timed out") || e.contains("connection") => "the phone service did not answer",
        _ if e.contains("not configured") => "text and voice are not set up for this practice",
        _ => "the phone service refused the number",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_read_as_sentences_with_their_counts() {
        assert_eq!(entry("reset_code_failed", "tries_left=3"), "Wrong code entered (3 tries left)");
        assert_eq!(entry("reset_code_failed", "tries_left=1"), "Wrong code entered (1 try left)");
        assert_eq!(entry("sign_in_failed", "failed_attempts=2"), "Wrong password (2 failed in a row)");
        assert_eq!(
            entry("sign_in_failed_account_locked", "failed_attempts=5"),
            "Wrong password (5 failed in a row); the account is now locked"
        );
        assert_eq!(entry("reset_code_sent", "voice"), "Security code sent by voice call");
        assert_eq!(entry("something_new", ""), "An entry this version of the portal doesn't know (something_new)");
    }

    #[test]
    fn no_event_reads_as_its_stored_name() {
        for e in Event::ALL {
            let words = event(*e, "");
            assert!(!words.contains('_') && words != e.as_str() && words.starts_with(char::is_uppercase), "{e:?}: {words}");
        }
    }

    #[test]
    fn actors_and_channels_in_plain_words() {
        assert_eq!(actor("patient", "203.0.113.9"), "Patient (from 203.0.113.9)");
        assert_eq!(actor("anonymous", ""), "Someone not signed in");
        assert_eq!(actor("staff:Dana Reyes", "127.0.0.1"), "Staff: Dana Reyes");
        assert_eq!(channel(Channel::Sms), "Text message");
        assert_eq!(channel(Channel::Voice), "Voice call");
    }

    #[test]
    fn delivery_failures_say_what_happened_and_keep_the_raw_reason() {
        let (words, raw) = delivery(DeliveryStatus::Failed, Channel::Email, Some("550 5.1.1 <x@example.com>: mailbox unavailable"));
        assert_eq!(words, "Not delivered: the mail server refused the address");
        assert_eq!(raw.as_deref(), Some("550 5.1.1 <x@example.com>: mailbox unavailable"));
        assert_eq!(delivery(DeliveryStatus::Sent, Channel::Sms, None), ("Sent".to_string(), None));
        let (retrying, _) = delivery(DeliveryStatus::Queued, Channel::Email, Some("no answer within 30 s"));
        assert_eq!(retrying, "Not sent yet, trying again: the mail server did not answer");
    }
}
