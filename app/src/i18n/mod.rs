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

/// The cookie that keeps a visitor's choice of language.
pub const LANG_COOKIE: &str = "portal_lang";

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

/// A setting whose change the patient is told of by email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Password,
    SecurityQuestion,
    MobileNumber,
    TwoStep,
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
        password_too_long(max: usize),
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
    }
}

#[cfg(test)]
mod tests;
