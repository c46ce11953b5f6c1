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
pub const locked_until_reset: &str =
    "Your account is locked after too many wrong verification codes. Use Forgot password? to reset your password, or call your practice.";
pub const locked_until_reset_subject: &str = "Your patient portal account is locked";
pub fn locked_until_reset_told(codes: i64) -> String {
    format!("Your patient portal account was locked after {codes} wrong verification codes in a row. If that wasn't you, someone may know your password: reset it with Forgot password? on the sign-in page, or call your practice to unlock the account.")
}
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

// Forgot password (§2.2 steps 1–2).
pub const forgot_password_title: &str = "Forgot password · Patient Portal";
pub const forgot_password_heading: &str = "Forgot password?";
pub const forgot_password_intro: &str = "Enter your username. We'll email you a link to reset your password.";
pub const reset_password_button: &str = "Reset Password";
pub const back_to_sign_in: &str = "Back to sign in";
pub const check_your_email: &str = "Check your email";
pub const reset_sent_to_account: &str = "We sent an email with a link to reset your password to the address on your account. ";
pub fn reset_sent_if_username(typed: &str) -> String {
    format!("If {typed} is a username here, we sent an email with a link to reset your password to the address on that account. ")
}
/// The page shows the sender in bold: it splits this sentence around it.
pub fn mail_comes_from(sender: &str) -> String {
    format!("It comes from {sender} and may take a few minutes to arrive.")
}
pub fn email_comes_from(sender: &str) -> String {
    format!("The email comes from {sender} and may take a few minutes to arrive.")
}
pub fn reset_link_life(minutes: i64) -> String {
    format!("If you don't see it, check your spam or junk folder. The link works for {minutes} minutes.")
}

// Home, the idle warning, page not found.
pub const home_title: &str = "Your portal · Patient Portal";
pub fn welcome(first_name: &str) -> String {
    format!("Welcome, {first_name}")
}
pub const signed_in_text: &str = "You are signed in to your patient portal.";
pub const account_settings_link: &str = "Account settings";
pub const sign_out: &str = "Sign out";
pub fn idle_rule(minutes: u32) -> String {
    format!("For your security, you are signed out after {minutes} minutes without activity.")
}
pub fn idle_countdown(seconds: u32) -> String {
    let unit = if seconds == 1 { "second" } else { "seconds" };
    format!("You will be signed out in {seconds} {unit} because you have been inactive.")
}
pub const stay_signed_in: &str = "Stay signed in";
pub const not_found_title: &str = "Page not found · Patient Portal";
pub const not_found_heading: &str = "Page not found";
pub const not_found_text: &str = "There is no page at this address. ";
pub const go_to_sign_in: &str = "Go to sign in";

// The shared validators' messages (the browser and the server run the same parsers).
pub fn dob_digits_only(like: &str) -> String {
    format!("Use digits only, like {like}.")
}
/// Month, day, year (as US forms ask): the date it can only mean, in our order.
pub fn dob_year_first(like: &str) -> String {
    format!("Use year, month, day: {like}.")
}
pub const dob_not_eight_digits: &str = "Enter your date of birth as 8 digits: YYYYMMDD.";
pub const dob_no_such_date: &str = "There is no such date.";
pub const dob_in_future: &str = "Date of birth can't be in the future.";
pub const dob_before_1900: &str = "Date of birth can't be before 1900.";
pub const email_invalid: &str = "Enter an email address like name@example.com.";
pub const phone_invalid: &str = "Enter a 10-digit US mobile number, like (555) 123-4567.";
pub fn code_invalid(digits: usize) -> String {
    format!("Enter the {digits}-digit code we sent you.")
}
pub fn password_too_short(min: usize) -> String {
    format!("Use at least {min} characters.")
}
pub fn password_over_max(max: usize) -> String {
    format!("Use at most {max} characters.")
}
pub const password_has_username: &str = "Don't include your username or email address in your password.";
pub const password_has_birth_date: &str = "Don't include your date of birth in your password.";
pub const password_too_guessable: &str =
    "That password is too common or easy to guess. Try a longer phrase of unrelated words.";
pub const passwords_differ: &str = "The two passwords don't match.";
pub const date_of_birth: &str = "Date of birth";
pub const dob_hint: &str = "YYYYMMDD, like 19850312";
pub const mobile_phone_number: &str = "Mobile phone number";
pub const email_address: &str = "Email address";

// Forgot username (§2.3).
pub const forgot_username_title: &str = "Forgot username · Patient Portal";
pub const forgot_username_heading: &str = "Forgot username?";
pub const forgot_username_intro: &str =
    "Enter the email address your practice has for you and your date of birth. We'll email you your username.";
pub const send_username: &str = "Send username";
pub const username_sent: &str =
    "If that email address and date of birth match an account, we sent the username of every account they match to that address. ";
pub const spam_folder: &str = "If you don't see it, check your spam or junk folder.";

// The reset wizard (§2.2 steps 4–8).
pub fn tries_left(n: i64) -> String {
    match n {
        1 => "You have 1 try left.".into(),
        n => format!("You have {n} tries left."),
    }
}
/// The security questions are stored in English, in their list's order.
pub fn security_question(index: usize) -> String {
    crate::register::SECURITY_QUESTIONS.get(index).copied().unwrap_or_default().to_string()
}
pub const reset_title: &str = "Reset your password · Patient Portal";
pub const reset_heading: &str = "Reset your password";
pub const verify_identity: &str = "Verify your identity";
pub const choose_intro: &str = "Before you choose a new password, we need to make sure it's you. How would you like to do that?";
pub const answer_question_button: &str = "Answer my security question";
pub const send_code_button_choice: &str = "Send a security code to my mobile phone";
pub const request_new_link: &str = "Request a new link";
pub const link_no_longer_valid: &str = "This link is no longer valid.";
pub fn link_unknown(minutes: i64) -> String {
    format!("Links work once, for {minutes} minutes, and only the newest link works.")
}
pub fn link_expired(minutes: i64) -> String {
    format!("Links work for {minutes} minutes, and this one is older.")
}
pub const link_used: &str = "This link was already used to reset your password.";
pub const link_replaced: &str = "A newer link was sent, or the password was changed, after this one; only the newest link works.";
pub fn ended_wrong_answers(n: i64) -> String {
    format!("It ended after {n} wrong answers to the date of birth and security question.")
}
pub fn ended_wrong_numbers(n: i64) -> String {
    format!("It ended after {n} mobile numbers that didn't match the one on your account.")
}
pub const wrong_step: &str = "This step was already done. Reload the page to continue.";
pub fn no_match(left: i64) -> String {
    format!("The date of birth or security answer doesn't match our records. {}", tries_left(left))
}
pub const phone_mismatch: &str = "That number doesn't match the mobile number on your account.";
pub fn resend_in(secs: i64) -> String {
    format!("Resend code in {secs}s")
}
pub const no_more_sends: &str = "You have asked for all the codes this link allows. Request a new link.";
pub fn wrong_code(left: i64) -> String {
    format!("That code isn't right. {}", tries_left(left))
}
pub const code_expired: &str = "That code has expired. Send a new code.";
pub const method_off: &str = "That way of checking your identity is turned off. Go back and choose another.";
pub const question_intro: &str = "Enter your date of birth and the answer to your security question.";
pub const security_answer: &str = "Security answer";
pub const continue_button: &str = "Continue";
pub const code_instead: &str = "Send a code to my mobile phone instead";
pub const question_instead: &str = "Answer my security question instead";
pub const how_to_send: &str = "How should we send the code?";
pub const by_text_option: &str = "Text";
pub const by_voice_option: &str = "Voice";
pub fn code_will_go(digits: usize) -> String {
    format!("We'll send a {digits}-digit code to the mobile number on your account. It takes about 2 minutes to arrive.")
}
pub const phone_hint: &str = "The number you gave when you signed up, like (217) 555-0123.";
pub const send_code: &str = "Send code";
pub fn code_sent_to(by: &str, last_four: &str, at: &str) -> String {
    format!("We sent a code {by} to (•••) •••-{last_four} at {at}. Only the newest code works.")
}
pub fn code_wait(minutes: i64) -> String {
    format!("It takes about 2 minutes to arrive, so please wait for it: a new code replaces the last one, even one still on its way. The code works for {minutes} minutes.")
}
pub const security_code: &str = "Security Code";
pub const check: &str = "Check";
pub const choose_new_password: &str = "Choose a new password";
pub const new_password: &str = "New password";
pub const confirm_new_password: &str = "Confirm new password";
pub const save_password: &str = "Save password";
pub fn new_password_hint(min: usize) -> String {
    format!("At least {min} characters. A few unrelated words work well. Don't use your name, email or date of birth.")
}
pub const resend_code: &str = "Resend code";
pub const by_text: &str = "by text";
pub const by_voice_call: &str = "by voice call";

// The second step of sign-in (§2.1).
pub const verify_title: &str = "Enter your verification code · Patient Portal";
pub const verify_heading: &str = "Enter your verification code";
pub fn two_step_malformed(digits: usize) -> String {
    format!("Enter the {digits}-digit code, or one of your backup codes.")
}
pub const two_step_code_expired: &str = "That code has expired. Send a new code.";
pub const two_step_ended: &str = "Too many wrong codes. Sign in again to get a new code.";
pub const too_many_codes: &str = "Too many codes were sent. Use another way to verify, or try again later.";
pub const two_step_no_more_sends: &str = "You can't send more codes for this sign-in. Sign in again to get a new code.";
pub const two_step_too_soon: &str = "Wait until the countdown ends to send a new code.";
pub fn app_code_now(digits: usize) -> String {
    format!("Enter the {digits}-digit code your authenticator app shows now.")
}
pub fn no_code_destination(texted: bool) -> String {
    let how = if texted { "by text" } else { "by email" };
    format!("We couldn't send a code {how}: there is none on your account. Use one of your backup codes, or call your practice.")
}
pub fn code_went(digits: usize, how: &str, at: &str, minutes: i64) -> String {
    format!("We sent a {digits}-digit code {how} at {at}. It works for {minutes} minutes, and only the newest code works.")
}
pub fn by_text_to(to: &str) -> String {
    format!("by text message to {to}")
}
pub fn by_email_to(to: &str) -> String {
    format!("by email to {to}")
}
pub const from_your_app: &str = "from your authenticator app";
pub const sign_in_again: &str = "Sign in again";
pub const verification_code: &str = "Verification code";
pub const backup_code_hint: &str = "Or one of your backup codes, like abcde-23456.";
pub fn remember_device(days: i64) -> String {
    format!("Remember this device for {days} days")
}
pub const verify_button: &str = "Verify";
pub const cancel_to_sign_in: &str = "Cancel and go back to sign in";

// Dates a patient reads (the practice's time zone): "Mar 3, 2026", "Mar 3, 2026, 10:47".
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
pub fn date(year: i16, month: i8, day: i8) -> String {
    let name = MONTHS.get(usize::try_from(month - 1).unwrap_or(0)).copied().unwrap_or_default();
    format!("{name} {day}, {year}")
}
pub fn date_time(year: i16, month: i8, day: i8, clock: &str) -> String {
    format!("{}, {clock}", date(year, month, day))
}

// Registration (§2.4).
pub const register_title: &str = "Create your account · Patient Portal";
pub const register_heading: &str = "Create your account";
pub fn register_welcome(first_name: &str) -> String {
    format!("Welcome, {first_name}. Confirm who you are and choose how you'll sign in.")
}
pub const already_have_account: &str = "Already have an account? ";
pub const register_username_hint: &str = "Your email address, or another name you choose. No spaces.";
pub const confirm_password: &str = "Confirm password";
pub const security_question_label: &str = "Security question";
pub const phone_for_codes: &str = "For security codes if you forget your password.";
pub const create_account: &str = "Create account";
pub const invitation_no_longer_valid: &str = "This invitation is no longer valid. Ask your practice to send a new one.";
pub const already_enrolled: &str = "You already have a portal account. Sign in, or use Forgot password? if you can't.";
pub const username_taken: &str = "That username is taken.";
pub const username_look_alike: &str = "That username looks the same as one already in use. Choose another.";
pub const choose_question: &str = "Choose a security question from the list.";
pub const answer_missing: &str = "Enter a security answer.";

// Account settings (§2.5).
pub const settings_title: &str = "Account settings · Patient Portal";
pub const back_to_portal: &str = "Back to your portal";
pub const change_password: &str = "Change password";
pub const current_password: &str = "Current password";
pub const change_question: &str = "Change security question";
pub const save_question: &str = "Save security question";
pub const change_mobile: &str = "Change mobile number";
pub const save_mobile: &str = "Save mobile number";
pub const password_changed: &str = "Your password was changed. You were signed out everywhere else.";
pub const question_changed: &str = "Your security question was changed.";
pub const mobile_changed: &str = "Your mobile number was changed.";
pub const setup_code_sent: &str = "We sent you a code. Enter it with your current password, then choose Turn on.";
pub const two_step_is_on: &str = "Two-step verification is on.";
pub const two_step_is_off: &str = "Two-step verification is off.";
pub const passkey_removed: &str = "The passkey was removed. It no longer signs you in.";
pub const wrong_current_password: &str = "The current password you entered is incorrect.";
pub const wrong_app_code: &str = "That code isn't right. Enter the code your authenticator app shows now.";
pub fn enter_code(digits: usize) -> String {
    format!("Enter the {digits}-digit code.")
}
pub const send_code_first: &str = "Choose Text or Email and then Send code; enter the code we send you.";
pub const setup_too_soon: &str = "Wait a minute before sending another code.";
pub const no_mobile: &str = "There is no mobile number on your account. Add one below, or choose another way.";
pub const no_email: &str = "There is no email address on your account. Choose another way.";
pub const app_makes_codes: &str = "Your authenticator app makes its own codes: enter the one it shows.";
pub const already_on: &str = "Two-step verification is already on.";
pub const already_off: &str = "Two-step verification is already off.";
// The settings' "Two-step verification" section.
pub const two_step_heading: &str = "Two-step verification";
pub const backup_codes_heading: &str = "Backup codes";
pub fn backup_codes_keep(n: usize) -> String {
    format!(
        "Keep these {n} codes somewhere safe, like a password manager or printed. \
         Each works once, in place of a verification code. They are shown only now."
    )
}
pub fn two_step_on_line(how: &str) -> String {
    format!("On: after your password, you enter a code {how}.")
}
pub fn two_step_off_line(digits: usize) -> String {
    format!("Off. With it on, signing in also asks for a {digits}-digit code, so a stolen password alone can't open your account.")
}
pub const send_codes_by: &str = "Send codes by";
pub const codes_by_text: &str = "Text";
pub const codes_by_email: &str = "Email";
pub const codes_by_app: &str = "Authenticator app";
pub const scan_qr: &str = "Scan this QR code with an authenticator app (such as Google Authenticator, Microsoft Authenticator or 1Password), or type the key into it.";
pub const qr_label: &str = "QR code of your authenticator key";
pub const key_label: &str = "Key: ";
pub const turn_on: &str = "Turn on";
pub const turn_off: &str = "Turn off";
// The settings' "Passkeys" section, and the passkey prompts (public/passkeys.js).
pub const passkeys_heading: &str = "Passkeys";
pub const no_passkeys: &str = "No passkeys yet. A passkey signs you in with your phone's or computer's screen lock: no password to remember.";
pub fn passkey_dates(added: &str, last_used: Option<&str>) -> String {
    match last_used {
        Some(t) => format!("Added {added}, last used {t}"),
        None => format!("Added {added}, not used yet"),
    }
}
pub const remove: &str = "Remove";
pub const passkey_name: &str = "Passkey name";
pub const passkey_name_hint: &str = "Optional, like \"My phone\".";
pub const add_passkey_needs_js: &str = "Adding a passkey needs JavaScript, which is off in this browser.";
pub const add_passkey: &str = "Add a passkey";
pub const passkey_added: &str = "Passkey added. You can now sign in with it.";
pub const passkey_prompt_closed: &str = "The passkey prompt was closed or timed out. Try again.";
pub const passkey_bad_address: &str = "Passkeys can't be used at this address.";
pub const passkey_failed: &str = "The passkey didn't work. Try again.";
pub const browser_cannot_make_passkeys: &str = "This browser can't make passkeys.";
pub const browser_cannot_use_passkeys: &str = "This browser can't use passkeys. Sign in with your password above.";
pub const passkey_expired: &str = "That passkey request expired or was already used. Try again.";
pub const passkey_unknown: &str =
    "That passkey isn't set up for this portal. Sign in with your password, then add a passkey in Account settings.";
pub const passkey_wrong_site: &str = "That passkey was made for another website, so it can't be used here.";
pub const passkey_cloned: &str =
    "That passkey looks copied (its counter went backwards), so it was refused. Sign in with your password and remove it.";
pub const passkey_refused: &str = "The passkey couldn't be checked. Try again, or sign in with your password.";
pub const passkey_already_added: &str = "This passkey is already added to your account.";
pub fn passkey_bad_name(max: usize) -> String {
    format!("Passkey names can be at most {max} characters, with no control characters.")
}
pub const passkey_not_yours: &str = "That passkey is no longer on your account.";

// Messages: emails, texts and calls (SPEC §4). Built on the server only.
use super::Setting;

fn setting(s: Setting) -> &'static str {
    match s {
        Setting::Password => "password",
        Setting::SecurityQuestion => "security question",
        Setting::MobileNumber => "mobile number",
        Setting::TwoStep => "two-step verification setting",
        Setting::Passkeys => "passkey list",
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
// Family and caregivers (SPEC §2.4, §2.7).
pub const access_code: &str = "Access code";
pub const access_code_hint: &str = "The 6 letters and digits your practice gave you in person or by phone.";
pub const access_code_missing: &str = "Enter the access code your practice gave you.";
pub const access_code_shape: &str = "An access code is 6 letters and digits, like K7P4QZ.";
pub const dob_or_code_mismatch: &str = "The date of birth or access code doesn't match our records.";
pub const under_thirteen: &str = "Patients under 13 get access through a parent or guardian.";
pub const already_have_account_link: &str = "Already have an account?";
pub const link_heading: &str = "Link to your account";
pub const link_button: &str = "Link to my account";
pub const link_intro: &str = "Sign in with the account you already have, and these records are added to it.";
pub const your_dob: &str = "Your date of birth";
pub const records_you_can_see: &str = "Records you can see";
pub const no_records_shared: &str = "No records are shared with you right now. If you expected to see someone's records, ask them or call the practice.";
pub const rel_parent: &str = "Parent or guardian";
pub const rel_spouse: &str = "Spouse or partner";
pub const rel_adult_child: &str = "Adult child";
pub const rel_caregiver: &str = "Caregiver";
pub const rel_other: &str = "Other";
pub const to_you_parent: &str = "your child";
pub const to_you_spouse: &str = "your spouse or partner";
pub const to_you_adult_child: &str = "your parent";
pub const to_you_caregiver: &str = "in your care";
pub const to_you_other: &str = "shared with you";
pub const to_you_own: &str = "your own";
pub fn chart_heading(full_name: &str) -> String {
    format!("{full_name}'s records")
}
pub fn practice_contact(name: &str, phone: &str) -> String {
    format!("Questions about these records? Call {name} at {phone}.")
}
pub fn family_register_welcome(name: &str, patient: &str) -> String {
    format!("Welcome, {name}. Give {patient}'s date of birth and the access code {patient} gave you, then choose how you'll sign in.")
}
pub fn no_longer_shared_18(first_name: &str) -> String {
    format!("{first_name}'s records are no longer shared with you: {first_name} turned 18 and can have an account of their own.")
}
pub fn family_invitation_subject(patient_first: &str, practice: &str) -> String {
    format!("{patient_first}'s records at {practice}")
}
pub fn family_invitation_body(name: &str, patient_first: &str, days: i64, link: &str) -> String {
    format!(
        "Hello {name},\n\n{patient_first} gave you access to their records in the patient portal.\n\
         Open this link within {days} days. You'll need {patient_first}'s date of birth and the access code you were given:\n\n\
         Create your account: {link}\n\nIf you already have an account, the page lets you add these records to it.\n\
         If you weren't expecting this email, you can ignore it.\n"
    )
}
pub fn access_given_body(patient_first: &str, name: &str, relationship: &str) -> String {
    format!("Hello {patient_first},\n\n{name} ({relationship}) can now see your records in the patient portal.\nIf you didn't expect this, remove their access in Account settings or call your practice.\n")
}
pub fn access_ended_body(first: &str, patient: &str) -> String {
    format!("Hello {first},\n\nYou can no longer see {patient}'s records in the patient portal.\nIf you think this is a mistake, call your practice.\n")
}
pub const access_given_subject: &str = "Someone can now see your records";
pub const access_ended_subject: &str = "Your access to a patient's records ended";

// "Family and caregivers" in /settings (§2.7).
pub const family_heading: &str = "Family and caregivers";
pub const family_intro: &str =
    "Invite someone to see your records with a sign-in of their own. They also need an access code: give it to them yourself. It is never emailed.";
pub const person_name: &str = "Name";
pub const email_label: &str = "Email";
pub const relationship_label: &str = "Relationship";
pub const choose_relationship: &str = "Choose one";
pub const invite: &str = "Invite";
pub fn code_to_give(name: &str, code: &str) -> String {
    format!("Give this access code to {name}: {code}")
}
pub fn code_to_give_hint(days: i64) -> String {
    format!("It is shown only now. Their invitation and this code work for {days} days.")
}
pub const people_heading: &str = "People who can see your records";
pub const nobody_else_sees: &str = "Nobody else can see your records.";
pub const status_invited: &str = "Invited";
pub const status_active: &str = "Active";
pub const minors_ask_practice: &str = "To change who can see your records, call your practice.";
pub const shared_with_you_heading: &str = "Records shared with you";
pub const access_removed: &str = "Access removed. They were told by email.";
pub const access_left: &str = "You no longer see those records.";
pub const person_name_missing: &str = "Enter the person's name (at most 100 characters).";
pub const relationship_missing: &str = "Choose the relationship.";
pub const parent_only_minor: &str = "\"Parent or guardian\" is only for a patient under 18. Choose another relationship.";
pub const family_adults_only: &str = "Only an adult patient can invite family or caregivers. Call your practice.";
pub const no_such_person: &str = "That person no longer has access.";
pub fn too_many_invitations(max: i64) -> String {
    format!("You can send {max} invitations a day. Try again tomorrow, or call your practice.")
}

// "Text me a code" on registration (§2.4).
pub const text_me_a_code: &str = "Text me a code";
pub fn text_code_offer(masked: &str, digits: usize) -> String {
    format!("No access code? We can text a {digits}-digit code to {masked} instead. Type it in Access code.")
}
pub fn registration_code_sent(masked: &str, at: &str, minutes: i64) -> String {
    format!("We texted a code to {masked} at {at}. Type it in Access code. It works for {minutes} minutes, and only the newest code works.")
}
pub fn registration_code_text(code: &str, minutes: i64) -> String {
    format!("Your Patient Portal registration code is {code}. It works for {minutes} minutes. Don't share it with anyone.")
}
pub const no_more_registration_codes: &str = "You have asked for all the codes this invitation allows. Use the access code from your practice.";
pub const no_registration_code: &str = "This invitation can't send a code by text. Use the access code from your practice.";

pub fn sign_in_again_for_change(minutes: i64) -> String {
    format!("For this change, confirm it's you with two-step verification: sign out, sign in again with your code, and make the change within {minutes} minutes.")
}

// Staff's "Remove passkeys" (§3, §5), told to the patient.
pub const passkeys_removed_subject: &str = "Your passkeys were removed";
pub const passkeys_removed_by_staff: &str = "Your practice removed the passkeys of your patient portal account, and signed it out everywhere. \
     Sign in with your password; you can add a passkey again in Account settings. If you didn't ask for this, call your practice.";
