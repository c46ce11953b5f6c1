//! The audit log and the messages table in plain words for staff (SPEC §3):
//! "Wrong code entered (3 tries left)", not `reset_code_failed`; "Patient
//! (from 203.0.113.9)", not `patient`; "Text message", not `sms`; "The mail
//! server refused the address", with the server's own words kept beside it.

use crate::outbox::Channel;
use crate::store::states::DeliveryStatus;

/// The audit detail key of a failure count (`failed_attempts=3`).
pub const FAILED_ATTEMPTS: &str = "failed_attempts";
/// The audit detail key of what a limit leaves (`tries_left=3`).
pub const TRIES_LEFT: &str = "tries_left";

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

/// An audit event and its detail as a sentence staff can read out.
pub fn event(event: &str, detail: &str) -> String {
    let failed = detail_number(detail, FAILED_ATTEMPTS).map(|n| format!(" ({n} failed in a row)")).unwrap_or_default();
    let left = detail_number(detail, TRIES_LEFT).map(|n| format!(" ({})", tries(n))).unwrap_or_default();
    let locked = if event.ends_with("_account_locked") { "; the account is now locked" } else { "" };
    let base = event.strip_suffix("_account_locked").unwrap_or(event);
    match base {
        "sign_in" => "Signed in".to_string(),
        "sign_out" => "Signed out".to_string(),
        "sign_in_failed" => format!("Wrong password{failed}{locked}"),
        "sign_in_refused_locked" => "Sign-in refused: the account is locked".into(),
        "sign_in_refused_revoked" => "Sign-in refused: portal access is turned off".into(),
        "reset_requested" => "Password reset email sent".into(),
        "reset_requested_over_limit" => "Password reset asked for again within the hour: no email sent (limit reached)".into(),
        "reset_question_passed" => "Date of birth and security answer entered correctly".into(),
        "reset_question_failed" => format!("Wrong date of birth or security answer{failed}{locked}"),
        "reset_flow_ended" => "The reset link ended after too many wrong answers".into(),
        "reset_code_sent" => match Channel::parse(detail) {
            Some(c) => format!("Security code sent by {}", channel(c).to_lowercase()),
            None => "Security code sent".into(),
        },
        "reset_code_passed" => "Security code entered correctly".into(),
        "reset_code_failed" => format!("Wrong code entered{left}"),
        "reset_code_failed_code_ended" => "Wrong code entered; that code no longer works".into(),
        "reset_code_number_mismatch" => format!("Mobile number entered doesn't match the one on file{left}"),
        "reset_code_number_mismatch_flow_ended" => "Mobile number entered doesn't match the one on file; the reset link ended".into(),
        "password_reset" => "Password reset completed".into(),
        "password_changed" => "Password changed in settings".into(),
        "settings_password_failed" => format!("Wrong current password in settings{failed}{locked}"),
        "settings_refused_locked" => "Settings change refused: the account is locked".into(),
        "security_question_changed" => "Security question changed".into(),
        "mobile_changed" => "Mobile number changed by the patient".into(),
        "mobile_changed_by_staff" => format!("Mobile number changed by staff. Reason: {detail}"),
        "two_step_turned_on" => "Two-step verification turned on".into(),
        "two_step_turned_off" => "Two-step verification turned off by the patient".into(),
        "two_step_turned_off_by_staff" => format!("Two-step verification turned off by staff. Reason: {detail}"),
        "two_step_setup_code_sent" => "Code sent to set up two-step verification".into(),
        "two_step_setup_failed" => "Wrong code while setting up two-step verification".into(),
        "sign_in_password_ok" => "Right password; waiting for the two-step verification code".into(),
        "two_step_code_sent" => match Channel::parse(detail) {
            Some(c) => format!("Two-step verification code sent by {}", channel(c).to_lowercase()),
            None => "Two-step verification code sent".into(),
        },
        "two_step_code_undeliverable" => "Two-step verification code not sent: nowhere to send it on file".into(),
        "two_step_passed" => match detail {
            "backup_code" => "Two-step verification passed with a backup code".into(),
            "app" => "Two-step verification passed with the authenticator app".into(),
            _ => "Two-step verification passed".into(),
        },
        "two_step_failed" => format!("Wrong two-step verification code{left}"),
        "two_step_failed_ended" => "Wrong two-step verification code; that sign-in ended".into(),
        "passkey_added" => format!("Passkey added: {detail}"),
        "passkey_removed" => format!("Passkey removed: {detail}"),
        "passkey_used" => format!("Signed in with the passkey {detail}"),
        "passkey_add_refused" => format!("Passkey not added: {}", passkey_refusal(detail)),
        "passkey_sign_in_refused" => format!("Passkey sign-in refused: {}", passkey_refusal(detail)),
        "devices_forgotten" => format!("Remembered devices forgotten after a new password ({detail})"),
        "device_remembered" => format!("Device remembered for {} days", app::two_step::REMEMBER_DAYS),
        "chart_created" => "Chart created".into(),
        "chart_viewed" => "Chart viewed".into(),
        "invited" => "Invitation sent".into(),
        "enrolled" => "Registered for the portal".into(),
        "access_revoked" | "revoked" => "Portal access turned off".into(),
        "unlocked" => "Account unlocked".into(),
        "language_changed" => format!("Language set to {}", app::i18n::Lang::try_from(detail.to_string()).map(app::i18n::Lang::english_name).unwrap_or("?")),
        "registration_dob_mismatch" => format!("Registration: date of birth didn't match the chart (try {detail})"),
        "registration_username_taken" => format!("Registration: the username chosen is taken (try {detail})"),
        "username_reminder_sent" => "Username reminder emailed".into(),
        "username_reminder_over_limit" => "Username reminder asked for again within the hour: no email sent (limit reached)".into(),
        other => {
            let words = other.replace('_', " ");
            let mut chars = words.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
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
        assert_eq!(event("reset_code_failed", "tries_left=3"), "Wrong code entered (3 tries left)");
        assert_eq!(event("reset_code_failed", "tries_left=1"), "Wrong code entered (1 try left)");
        assert_eq!(event("sign_in_failed", "failed_attempts=2"), "Wrong password (2 failed in a row)");
        assert_eq!(
            event("sign_in_failed_account_locked", "failed_attempts=5"),
            "Wrong password (5 failed in a row); the account is now locked"
        );
        assert_eq!(event("reset_code_sent", "voice"), "Security code sent by voice call");
        assert_eq!(event("something_new", ""), "Something new");
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
