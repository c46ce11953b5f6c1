//! The audit log's vocabulary as types (SPEC §3): what happened (`Event`)
//! and who did it (`Actor`), each with the one text it is stored as. Staff
//! read them in plain words from `staff::words`, whose match over `Event`
//! has no catch-all: a new event can't reach staff as an event name.

use app::ids::{AccountId, StaffId};

crate::store::states::text_enum! {
    /// What an audit entry records.
    Event {
        // Signing in and out.
        SignIn = "sign_in",
        SignOut = "sign_out",
        SignInFailed = "sign_in_failed",
        SignInFailedAccountLocked = "sign_in_failed_account_locked",
        SignInFailedUnknownUsername = "sign_in_failed_unknown_username",
        SignInRefusedLocked = "sign_in_refused_locked",
        SignInRefusedRevoked = "sign_in_refused_revoked",
        SignInPasswordOk = "sign_in_password_ok",
        // "Forgot password?" and the reset wizard.
        ResetRequested = "reset_requested",
        ResetRequestedOverLimit = "reset_requested_over_limit",
        ResetRequestedNoAccount = "reset_requested_no_account",
        ResetQuestionPassed = "reset_question_passed",
        ResetQuestionFailed = "reset_question_failed",
        ResetQuestionFailedAccountLocked = "reset_question_failed_account_locked",
        ResetFlowEnded = "reset_flow_ended",
        ResetCodeSent = "reset_code_sent",
        ResetCodePassed = "reset_code_passed",
        ResetCodeFailed = "reset_code_failed",
        ResetCodeFailedCodeEnded = "reset_code_failed_code_ended",
        ResetCodeNumberMismatch = "reset_code_number_mismatch",
        ResetCodeNumberMismatchFlowEnded = "reset_code_number_mismatch_flow_ended",
        PasswordReset = "password_reset",
        // Account settings.
        PasswordChanged = "password_changed",
        SettingsPasswordFailed = "settings_password_failed",
        SettingsPasswordFailedAccountLocked = "settings_password_failed_account_locked",
        SettingsRefusedLocked = "settings_refused_locked",
        SecurityQuestionChanged = "security_question_changed",
        MobileChanged = "mobile_changed",
        MobileChangedByStaff = "mobile_changed_by_staff",
        // Two-step verification.
        TwoStepTurnedOn = "two_step_turned_on",
        TwoStepTurnedOff = "two_step_turned_off",
        TwoStepTurnedOffByStaff = "two_step_turned_off_by_staff",
        /// Staff's "Remove passkeys"; the detail is the reason.
        PasskeysRemovedByStaff = "passkeys_removed_by_staff",
        TwoStepSetupCodeSent = "two_step_setup_code_sent",
        TwoStepSetupFailed = "two_step_setup_failed",
        TwoStepCodeSent = "two_step_code_sent",
        TwoStepCodeUndeliverable = "two_step_code_undeliverable",
        TwoStepCodesCapped = "two_step_codes_capped",
        LockedUntilReset = "locked_until_reset",
        TwoStepPassed = "two_step_passed",
        TwoStepFailed = "two_step_failed",
        TwoStepFailedEnded = "two_step_failed_ended",
        DevicesForgotten = "devices_forgotten",
        DeviceRemembered = "device_remembered",
        // Passkeys.
        PasskeyAdded = "passkey_added",
        PasskeyRemoved = "passkey_removed",
        PasskeyUsed = "passkey_used",
        PasskeyAddRefused = "passkey_add_refused",
        PasskeySignInRefused = "passkey_sign_in_refused",
        // Charts, invitations and registration.
        ChartCreated = "chart_created",
        ChartViewed = "chart_viewed",
        Invited = "invited",
        Enrolled = "enrolled",
        AccessRevoked = "access_revoked",
        /// What an early release wrote for `AccessRevoked`.
        Revoked = "revoked",
        Unlocked = "unlocked",
        LanguageChanged = "language_changed",
        RegistrationDobMismatch = "registration_dob_mismatch",
        /// "Text me a code" on the registration page; the detail is the number's last four digits.
        RegistrationCodeSent = "registration_code_sent",
        RegistrationUsernameTaken = "registration_username_taken",
        UsernameReminderSent = "username_reminder_sent",
        UsernameReminderOverLimit = "username_reminder_over_limit",
        UsernameReminderNoMatch = "username_reminder_no_match",
        // Family and caregivers (SPEC §2.7); the detail is `audit::detail::Person`.
        FamilyInvited = "family_invited",
        AccessGiven = "access_given",
        AccessRemoved = "access_removed",
        AccessLeft = "access_left",
        /// A family invitation withdrawn before anyone took it up.
        InvitationWithdrawn = "invitation_withdrawn",
        AccessEndedTurned18 = "access_ended_turned_18",
        // Staff accounts (on no chart).
        StaffSignIn = "staff_sign_in",
        StaffPasswordOk = "staff_password_ok",
        StaffAuthenticatorSetUp = "staff_authenticator_set_up",
        StaffCodeFailed = "staff_code_failed",
        StaffSignInFailed = "staff_sign_in_failed",
        StaffSignInFailedUnknown = "staff_sign_in_failed_unknown",
        StaffSignInRefusedDisabled = "staff_sign_in_refused_disabled",
        StaffSignInRefusedLocked = "staff_sign_in_refused_locked",
        StaffDisabled = "staff_disabled",
        StaffEnabled = "staff_enabled",
        StaffUnlocked = "staff_unlocked",
        StaffAuthenticatorReset = "staff_authenticator_reset",
    }
}

impl Event {
    /// The event of a wrong secret that, counted, locked the account.
    pub fn when_it_locked(self) -> Event {
        match self {
            Event::SignInFailed => Event::SignInFailedAccountLocked,
            Event::ResetQuestionFailed => Event::ResetQuestionFailedAccountLocked,
            Event::SettingsPasswordFailed => Event::SettingsPasswordFailedAccountLocked,
            other => other,
        }
    }
}

/// Who did what an entry records, stored as text: `patient`, `anonymous`,
/// `system`, `staff` (the command line), `staff:{id}`, `account:{id}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The chart's own patient, signed in or proving who they are.
    Patient,
    /// Someone not signed in, who named no account.
    Anonymous,
    /// The portal itself (the demo, a sweep).
    System,
    /// An operator at the command line.
    Cli,
    Staff(StaffId),
    /// A signed-in account acting on a chart that isn't its own (a parent, a caregiver).
    Account(AccountId),
}

impl Actor {
    pub fn text(self) -> String {
        match self {
            Actor::Patient => "patient".into(),
            Actor::Anonymous => "anonymous".into(),
            Actor::System => "system".into(),
            Actor::Cli => "staff".into(),
            Actor::Staff(id) => format!("staff:{id}"),
            Actor::Account(id) => format!("account:{id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_event_reads_back_from_its_text_and_the_texts_differ() {
        for e in Event::ALL {
            assert_eq!(Event::parse(e.as_str()), Some(*e));
        }
        let mut texts: Vec<_> = Event::ALL.iter().map(|e| e.as_str()).collect();
        texts.sort();
        texts.dedup();
        assert_eq!(texts.len(), Event::ALL.len());
    }

    #[test]
    fn a_locking_failure_has_its_own_event() {
        assert_eq!(Event::SignInFailed.when_it_locked(), Event::SignInFailedAccountLocked);
        assert_eq!(Event::ResetQuestionFailed.when_it_locked().as_str(), "reset_question_failed_account_locked");
        assert_eq!(Event::SignIn.when_it_locked(), Event::SignIn);
    }

    #[test]
    fn actors_keep_the_texts_earlier_entries_were_signed_with() {
        assert_eq!(Actor::Cli.text(), "staff");
        assert_eq!(Actor::Staff(StaffId::new(4)).text(), "staff:4");
        assert_eq!(Actor::Account(AccountId::new(9)).text(), "account:9");
    }
}
