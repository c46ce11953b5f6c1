//! English: every patient-facing text. SPEC §2's wording, exactly.
#![allow(non_upper_case_globals)]

// The language link and the page frame.
pub const language_link_label: &str = "Language";
pub const portal: &str = "Patient Portal";

// Sign in (§2.1).
pub const sign_in: &str = "Sign in";
pub const sign_in_title: &str = "Sign in · Patient Portal";
pub const username: &str = "Username";
pub const username_hint: &str = "Your username is usually your email address.";
pub const password: &str = "Password";
pub const password_reset_notice: &str = "Your password has been reset. Sign in with your new password.";
pub const sign_in_with_passkey: &str = "Sign in with a passkey";
pub const passkey_needs_js: &str =
    "Signing in with a passkey needs JavaScript, which is off in this browser. Sign in with your password above.";
pub const account_help: &str = "Account help";
pub const forgot_username_link: &str = "Forgot username?";
pub const forgot_password_link: &str = "Forgot password?";

// Errors anyone can meet.
pub const invalid_credentials: &str = "The username or password you entered is incorrect.";
pub fn locked(minutes: i64) -> String {
    format!("Your account is temporarily locked. Try again in {minutes} minutes, or use Forgot password? to reset your password.")
}
pub const revoked: &str = "Your portal access has been turned off. Please contact your practice.";
pub const too_many_attempts: &str = "Too many attempts. Wait a minute and try again.";
pub const not_signed_in: &str = "You are not signed in, or your session has ended. Please sign in again.";
pub const wrong_authenticator_code: &str = "That code didn't work. Enter the code your authenticator app shows now.";
pub const busy: &str = "The portal is busy right now. Please try again in a moment.";
pub const unavailable: &str = "The portal is unavailable right now. Please try again in a few minutes.";
pub const internal: &str = "Something went wrong on our side. Please try again.";
pub const unreachable: &str = "We couldn't reach the portal. Check your connection and try again.";
pub const username_missing: &str = "Enter your username.";
pub const username_invalid: &str =
    "Enter a valid username: no spaces, control or invisible characters, at most 254 characters.";
pub const password_missing: &str = "Enter your password.";
pub fn password_too_long(max: usize) -> String {
    format!("Passwords can be at most {max} characters.")
}
pub const malformed: &str = "The form was incomplete or malformed. Reload the page and try again.";

// Messages: emails, texts and calls (SPEC §4). Built on the server only.
use super::Setting;

fn setting(s: Setting) -> &'static str {
    match s {
        Setting::Password => "password",
        Setting::SecurityQuestion => "security question",
        Setting::MobileNumber => "mobile number",
        Setting::TwoStep => "two-step verification setting",
    }
}
pub fn changed_subject(s: Setting) -> String {
    format!("Your patient portal {} was changed", setting(s))
}
pub fn changed_body(first_name: &str, s: Setting) -> String {
    format!(
        "Hello {first_name},\n\nThe {} of your patient portal account was just changed.\n\
         If this wasn't you, call your practice right away.\n",
        setting(s)
    )
}
pub const reset_email_subject: &str = "Reset your patient portal password";
pub fn reset_email_body(first_name: &str, link: &str, minutes: i64) -> String {
    format!(
        "Hello {first_name},\n\n\
         We received a request to reset the password of your patient portal account.\n\
         To choose a new password, open this link within {minutes} minutes:\n\n\
         Reset password: {link}\n\n\
         If you didn't ask for this, you can ignore this email: your password stays the same.\n"
    )
}
pub fn reset_code_text(code: &str, minutes: i64) -> String {
    format!("Your patient portal security code is {code}. It works for {minutes} minutes. Don't share it.")
}
pub fn reset_code_call(spoken: &str) -> String {
    format!("Your patient portal security code is: {spoken}. Again: {spoken}.")
}
pub const username_email_subject: &str = "Your patient portal username";
pub fn username_email_body(accounts: &[(&str, &str)]) -> String {
    let lines: Vec<String> = accounts.iter().map(|(first, name)| format!("Username for {first}: {name}")).collect();
    format!(
        "Hello,\n\nYou asked for the username of your patient portal account.\n\n{}\n\n\
         Sign in with it at the portal. If you didn't ask for this, you can ignore this email.\n",
        lines.join("\n")
    )
}
pub const invitation_subject: &str = "Create your patient portal account";
pub fn invitation_body(first_name: &str, days: i64, link: &str) -> String {
    format!(
        "Hello {first_name},\n\nYour practice invites you to its patient portal, where you can see your health \
         information and message your care team.\nOpen this link within {days} days to choose a username and password:\n\n\
         Create your account: {link}\n\nIf you weren't expecting this email, you can ignore it.\n"
    )
}
pub fn hello_email(first_name: &str, text: &str) -> String {
    format!("Hello {first_name},\n\n{text}\n")
}
pub const mobile_changed_subject: &str = "Your patient portal mobile number was changed";
pub fn mobile_changed_by_staff(masked: &str) -> String {
    format!("Your practice changed the mobile number of your patient portal account to {masked}. If you didn't ask for this, call your practice.")
}
pub const two_step_off_subject: &str = "Two-step verification was turned off";
pub const two_step_off_by_staff: &str = "Your practice turned off two-step verification for your patient portal account. \
     You can turn it on again in Account settings. If you didn't ask for this, call your practice.";
pub const verification_email_subject: &str = "Your patient portal verification code";
pub fn verification_email_body(code: &str, minutes: i64) -> String {
    format!(
        "Your patient portal verification code is {code}.\n\nIt works for {minutes} minutes. \
         Don't share it: your practice will never ask for it.\nIf you didn't just sign in, change your password.\n"
    )
}
pub fn verification_text(code: &str, minutes: i64) -> String {
    format!("Your patient portal verification code is {code}. It works for {minutes} minutes. Don't share it.")
}
