//! The patient's language (SPEC §2.6): English or Spanish, for every page,
//! message, email, text and call. Each language's texts live in one file
//! (`en.rs`, `es.rs`); the keys are listed once below, and each key reads its
//! text from both files, so a key missing from either is a build error.
//!
//! A text is a function of the language (`t::sign_in(lang)`), so the browser
//! build keeps only the texts its islands use. Texts with numbers or names
//! are functions in each language's file: the file that knows the grammar
//! (plurals, word order) writes the sentence.

mod en;
mod es;

use serde::{Deserialize, Serialize};

/// A language the portal speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Lang {
    #[default]
    En,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The BCP 47 tag, for `<html lang>` and storage.
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// A language tag (`es`, `es-MX`, `EN`) as one of ours; `None` for any other.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        Lang::ALL.into_iter().find(|l| primary.eq_ignore_ascii_case(l.tag()))
    }

    /// The other language: where the language link leads.
    pub const fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Es,
            Lang::Es => Lang::En,
        }
    }

    /// The language's own name, as its link shows it ("Español", "English").
    pub const fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
        }
    }

    /// The language's name in English, as the staff console shows it.
    pub const fn english_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Spanish",
        }
    }

    /// The first of ours in an `Accept-Language` header, by the weights the
    /// browser gave (a weight of 0 means "not this one").
    #[cfg(feature = "ssr")]
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        accept_language::parse_with_quality(header)
            .into_iter()
            .filter(|(_, q)| *q > 0.0)
            .find_map(|(tag, _)| Lang::parse(&tag))
    }
}

impl TryFrom<String> for Lang {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Lang::parse(&s).filter(|l| l.tag() == s).ok_or_else(|| format!("not a language of the portal: {s:?}"))
    }
}

impl From<Lang> for String {
    fn from(l: Lang) -> Self {
        l.tag().to_string()
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

/// Whether `path` is a staff page: those stay English (SPEC §2.6), with no language link.
pub fn is_staff_path(path: &str) -> bool {
    path == "/staff" || path.starts_with("/staff/")
}

/// A setting whose change the patient is told of by email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Password,
    SecurityQuestion,
    MobileNumber,
    TwoStep,
    /// A passkey added or removed.
    Passkeys,
}

/// A stand-in value for [`around`].
pub const HOLE: &str = "\u{0}";

/// A sentence made with `hole` in place of a value, as its text before and
/// after the value: for a value the page marks up (a sender in bold).
pub fn around(sentence: &str, hole: &str) -> (String, String) {
    match sentence.split_once(hole) {
        Some((before, after)) => (before.to_string(), after.to_string()),
        None => (sentence.to_string(), String::new()),
    }
}

/// The language of the page being rendered: on the server, the one the
/// shell chose for this request; in the browser, the page's `<html lang>`
/// (the shell wrote it from the same choice).
pub fn lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<Lang>().unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        leptos::prelude::document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|tag| Lang::parse(&tag))
            .unwrap_or_default()
    }
}

/// Lists the keys: each becomes a function of the language reading the
/// text of the same name from `en.rs` and `es.rs`.
macro_rules! texts {
    ($($key:ident),* $(,)?) => {
        $(
            pub fn $key(lang: $crate::i18n::Lang) -> &'static str {
                match lang {
                    $crate::i18n::Lang::En => super::en::$key,
                    $crate::i18n::Lang::Es => super::es::$key,
                }
            }
        )*
        /// Every key with both texts, for the catalog's tests.
        #[cfg(test)]
        pub(crate) const ALL: &[(&str, &str, &str)] = &[$((stringify!($key), super::en::$key, super::es::$key)),*];
    };
}

/// Lists the texts made from values: each reads the function of the same
/// name from `en.rs` and `es.rs`.
macro_rules! formats {
    ($($key:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {
        $(
            pub fn $key(lang: $crate::i18n::Lang, $($arg: $ty),*) -> String {
                match lang {
                    $crate::i18n::Lang::En => super::en::$key($($arg),*),
                    $crate::i18n::Lang::Es => super::es::$key($($arg),*),
                }
            }
        )*
    };
}

/// The texts, by key.
pub mod t {
    texts! {
        // The language link and the page frame.
        language_link_label,
        portal,
        // Sign in (§2.1).
        sign_in,
        sign_in_title,
        username,
        username_hint,
        password,
        password_reset_notice,
        sign_in_with_passkey,
        passkey_needs_js,
        account_help,
        forgot_username_link,
        forgot_password_link,
        // Errors anyone can meet.
        invalid_credentials,
        locked_until_reset,
        locked_until_reset_subject,
        revoked,
        too_many_attempts,
        not_signed_in,
        wrong_authenticator_code,
        busy,
        unavailable,
        internal,
        unreachable,
        username_missing,
        username_invalid,
        password_missing,
        malformed,
        // Forgot password (§2.2 steps 1–2).
        forgot_password_title,
        forgot_password_heading,
        forgot_password_intro,
        reset_password_button,
        back_to_sign_in,
        check_your_email,
        reset_sent_to_account,
        // Home, the idle warning, page not found.
        home_title,
        signed_in_text,
        account_settings_link,
        sign_out,
        stay_signed_in,
        not_found_title,
        not_found_heading,
        not_found_text,
        go_to_sign_in,
        // The shared validators' messages.
        dob_not_eight_digits,
        dob_no_such_date,
        dob_in_future,
        dob_before_1900,
        email_invalid,
        phone_invalid,
        password_has_username,
        password_has_birth_date,
        password_too_guessable,
        passwords_differ,
        date_of_birth,
        dob_hint,
        mobile_phone_number,
        email_address,
        // Forgot username (§2.3).
        forgot_username_title,
        forgot_username_heading,
        forgot_username_intro,
        send_username,
        username_sent,
        spam_folder,
        // The reset wizard (§2.2 steps 4–8).
        reset_title,
        reset_heading,
        verify_identity,
        choose_intro,
        answer_question_button,
        send_code_button_choice,
        request_new_link,
        link_no_longer_valid,
        link_used,
        link_replaced,
        wrong_step,
        phone_mismatch,
        no_more_sends,
        code_expired,
        method_off,
        question_intro,
        security_answer,
        continue_button,
        code_instead,
        question_instead,
        how_to_send,
        by_text_option,
        by_voice_option,
        phone_hint,
        send_code,
        security_code,
        check,
        choose_new_password,
        new_password,
        confirm_new_password,
        save_password,
        resend_code,
        by_text,
        by_voice_call,
        // The second step of sign-in (§2.1).
        verify_title,
        verify_heading,
        two_step_code_expired,
        two_step_ended,
        two_step_no_more_sends,
        too_many_codes,
        two_step_too_soon,
        sign_in_again,
        verification_code,
        backup_code_hint,
        verify_button,
        cancel_to_sign_in,
        from_your_app,
        // Registration and account settings (§2.4, §2.5).
        register_title,
        register_heading,
        already_have_account,
        register_username_hint,
        confirm_password,
        security_question_label,
        phone_for_codes,
        create_account,
        invitation_no_longer_valid,
        already_enrolled,
        access_code,
        access_code_hint,
        access_code_missing,
        access_code_shape,
        dob_or_code_mismatch,
        under_thirteen,
        already_have_account_link,
        link_heading,
        link_button,
        link_intro,
        your_dob,
        records_you_can_see,
        no_records_shared,
        rel_parent,
        rel_spouse,
        rel_adult_child,
        rel_caregiver,
        rel_other,
        to_you_parent,
        to_you_spouse,
        to_you_adult_child,
        to_you_caregiver,
        to_you_own,
        to_you_other,
        access_given_subject,
        access_ended_subject,
        family_heading,
        family_intro,
        person_name,
        email_label,
        relationship_label,
        choose_relationship,
        invite,
        people_heading,
        nobody_else_sees,
        status_invited,
        status_active,
        minors_ask_practice,
        shared_with_you_heading,
        access_removed,
        access_left,
        person_name_missing,
        relationship_missing,
        parent_only_minor,
        family_adults_only,
        no_such_person,
        text_me_a_code,
        passkeys_removed_subject,
        passkeys_removed_by_staff,
        no_more_registration_codes,
        no_registration_code,
        username_taken,
        username_look_alike,
        choose_question,
        answer_missing,
        settings_title,
        back_to_portal,
        change_password,
        current_password,
        change_question,
        save_question,
        change_mobile,
        save_mobile,
        password_changed,
        question_changed,
        mobile_changed,
        setup_code_sent,
        two_step_is_on,
        two_step_is_off,
        passkey_removed,
        wrong_current_password,
        wrong_app_code,
        send_code_first,
        setup_too_soon,
        no_mobile,
        no_email,
        app_makes_codes,
        already_on,
        already_off,
        two_step_heading,
        backup_codes_heading,
        send_codes_by,
        codes_by_text,
        codes_by_email,
        codes_by_app,
        scan_qr,
        qr_label,
        key_label,
        turn_on,
        turn_off,
        passkeys_heading,
        no_passkeys,
        remove,
        passkey_name,
        passkey_name_hint,
        add_passkey_needs_js,
        add_passkey,
        passkey_added,
        passkey_prompt_closed,
        passkey_bad_address,
        passkey_failed,
        browser_cannot_make_passkeys,
        browser_cannot_use_passkeys,
        passkey_expired,
        passkey_unknown,
        passkey_wrong_site,
        passkey_cloned,
        passkey_refused,
        passkey_already_added,
        passkey_not_yours,
        // Messages.
        reset_email_subject,
        username_email_subject,
        invitation_subject,
        mobile_changed_subject,
        two_step_off_subject,
        two_step_off_by_staff,
        verification_email_subject,
    }

    formats! {
        locked(minutes: i64),
        locked_until_reset_told(codes: i64),
        password_too_long(max: usize),
        reset_sent_if_username(typed: &str),
        mail_comes_from(sender: &str),
        email_comes_from(sender: &str),
        reset_link_life(minutes: i64),
        welcome(first_name: &str),
        idle_rule(minutes: u32),
        idle_countdown(seconds: u32),
        dob_digits_only(like: &str),
        dob_year_first(like: &str),
        code_invalid(digits: usize),
        password_too_short(min: usize),
        password_over_max(max: usize),
        tries_left(n: i64),
        security_question(index: usize),
        link_unknown(minutes: i64),
        link_expired(minutes: i64),
        ended_wrong_answers(n: i64),
        ended_wrong_numbers(n: i64),
        no_match(left: i64),
        wrong_code(left: i64),
        resend_in(secs: i64),
        code_will_go(digits: usize),
        code_sent_to(by: &str, last_four: &str, at: &str),
        code_wait(minutes: i64),
        new_password_hint(min: usize),
        two_step_malformed(digits: usize),
        app_code_now(digits: usize),
        no_code_destination(texted: bool),
        code_went(digits: usize, how: &str, at: &str, minutes: i64),
        by_text_to(to: &str),
        by_email_to(to: &str),
        remember_device(days: i64),
        // Dates, registration and account settings.
        date(year: i16, month: i8, day: i8),
        date_time(year: i16, month: i8, day: i8, clock: &str),
        register_welcome(first_name: &str),
        enter_code(digits: usize),
        backup_codes_keep(n: usize),
        two_step_on_line(how: &str),
        two_step_off_line(digits: usize),
        passkey_dates(added: &str, last_used: Option<&str>),
        passkey_bad_name(max: usize),
        // Messages.
        changed_subject(what: super::Setting),
        changed_body(first_name: &str, what: super::Setting),
        reset_email_body(first_name: &str, link: &str, minutes: i64),
        reset_code_text(code: &str, minutes: i64),
        reset_code_call(spoken: &str),
        username_email_body(accounts: &[(&str, &str)]),
        invitation_body(first_name: &str, days: i64, link: &str),
        hello_email(first_name: &str, text: &str),
        mobile_changed_by_staff(masked: &str),
        verification_email_body(code: &str, minutes: i64),
        verification_text(code: &str, minutes: i64),
        chart_heading(full_name: &str),
        practice_contact(name: &str, phone: &str),
        family_register_welcome(name: &str, patient: &str),
        no_longer_shared_18(first_name: &str),
        family_invitation_subject(patient_first: &str, practice: &str),
        family_invitation_body(name: &str, patient_first: &str, days: i64, link: &str),
        access_given_body(patient_first: &str, name: &str, relationship: &str),
        access_ended_body(first: &str, patient: &str),
        code_to_give(name: &str, code: &str),
        code_to_give_hint(days: i64),
        too_many_invitations(max: i64),
        text_code_offer(masked: &str, digits: usize),
        registration_code_sent(masked: &str, at: &str, minutes: i64),
        registration_code_text(code: &str, minutes: i64),
        sign_in_again_for_change(minutes: i64),
    }
}

#[cfg(test)]
mod tests;
