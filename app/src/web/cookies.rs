//! Our cookies' names and attributes, known here alone: what a request
//! presented is read into [`Jar`]s once ([`presented`]), and what an answer
//! keeps or forgets is written as `Set-Cookie` ([`set_cookie`]).

use crate::jar::{Change, Jar, Life, NoticeOf};

/// Whether the site is served over TLS (`PORTAL_PUBLIC_URL` is https). Behind
/// TLS every cookie of ours is Secure and its name takes the `__Host-`
/// prefix: the browser then keeps it only if it is Secure, for this host,
/// path `/`, so a neighbouring subdomain can't plant one ("cookie tossing").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tls(pub bool);

const HOST_PREFIX: &str = "__Host-";

/// The cookie's name without the prefix TLS adds.
const fn base_name(jar: Jar) -> &'static str {
    match jar {
        Jar::Session => "portal_session",
        Jar::StaffSession => "portal_staff_session",
        Jar::SecondStep => "portal_second_step",
        Jar::StaffSecondStep => "portal_staff_challenge",
        Jar::Device => "portal_device",
        Jar::Language => "portal_lang",
        Jar::Csrf => "portal_csrf",
        Jar::Notice(form) => match form {
            NoticeOf::SignIn => "portal_notice",
            NoticeOf::StaffSignIn => "portal_staff_notice",
            NoticeOf::StaffVerify => "portal_staff_verify_notice",
            NoticeOf::Forgot => "portal_forgot_notice",
            NoticeOf::ForgotUsername => "portal_username_notice",
            NoticeOf::Settings => "portal_settings_notice",
            NoticeOf::FamilyCode => "portal_family_code_notice",
            NoticeOf::ResetStep => "portal_reset_notice",
            NoticeOf::Register => "portal_register_notice",
            NoticeOf::Link => "portal_link_notice",
            NoticeOf::Verify => "portal_verify_notice",
        },
    }
}

/// The cookie's name as the browser holds it.
pub fn name(jar: Jar, tls: Tls) -> String {
    if tls.0 { format!("{HOST_PREFIX}{}", base_name(jar)) } else { base_name(jar).to_string() }
}

/// Which of ours a cookie named `name` is (behind TLS only the prefixed
/// name counts: an unprefixed one may have been planted).
fn jar_named(name: &str, tls: Tls) -> Option<Jar> {
    let base = if tls.0 { name.strip_prefix(HOST_PREFIX)? } else { name };
    Jar::ALL.into_iter().find(|jar| base_name(*jar) == base)
}

/// Our cookies among a request's `Cookie` header lines, each with its
/// value (the first, when a name comes twice); others are left alone.
pub fn presented<'a>(lines: impl Iterator<Item = &'a str>, tls: Tls) -> Vec<(Jar, String)> {
    let mut found: Vec<(Jar, String)> = Vec::new();
    for c in lines.flat_map(cookie::Cookie::split_parse).filter_map(Result::ok) {
        if let Some(jar) = jar_named(c.name(), tls) {
            if !found.iter().any(|(seen, _)| *seen == jar) {
                found.push((jar, c.value().to_string()));
            }
        }
    }
    found
}

/// [`presented`] in a request's headers.
pub fn presented_in(headers: &http::HeaderMap, tls: Tls) -> Vec<(Jar, String)> {
    presented(headers.get_all(http::header::COOKIE).iter().filter_map(|v| v.to_str().ok()), tls)
}

/// The value of the one cookie `jar` in a request's headers (for the
/// middleware and the page's language, which need no other).
pub fn value_in(headers: &http::HeaderMap, jar: Jar, tls: Tls) -> Option<String> {
    let lines = headers.get_all(http::header::COOKIE).iter().filter_map(|v| v.to_str().ok());
    lines.flat_map(cookie::Cookie::split_parse).filter_map(Result::ok).find(|c| jar_named(c.name(), tls) == Some(jar)).map(|c| c.value().to_string())
}

/// The `Set-Cookie` value of `change`: the whole site, HttpOnly (no
/// script of ours reads a cookie), SameSite=Lax, Secure behind TLS.
pub fn set_cookie(change: &Change, tls: Tls) -> String {
    let (jar, value, max_age) = match change {
        Change::Keep { jar, value, life: Life::Browser } => (*jar, value.as_str(), None),
        Change::Keep { jar, value, life: Life::Secs(secs) } => (*jar, value.as_str(), Some(*secs)),
        Change::Forget(jar) => (*jar, "", Some(0)),
    };
    let mut c = cookie::Cookie::build((name(jar, tls), value.to_string()))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .secure(tls.0);
    if let Some(secs) = max_age {
        c = c.max_age(cookie::time::Duration::seconds(secs));
    }
    c.build().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cookie_has_a_name_of_its_own() {
        for (i, a) in Jar::ALL.iter().enumerate() {
            for b in &Jar::ALL[i + 1..] {
                assert_ne!(base_name(*a), base_name(*b), "{a:?} and {b:?}");
            }
        }
    }

    #[test]
    fn a_request_presents_ours_once_each_and_behind_tls_only_prefixed() {
        let lines = ["theme=dark; portal_session=abc", "portal_session=second; portal_lang=es; __Host-portal_session=tls"];
        let plain = presented(lines.into_iter(), Tls(false));
        assert_eq!(plain, [(Jar::Session, "abc".to_string()), (Jar::Language, "es".to_string())]);
        let tls = presented(lines.into_iter(), Tls(true));
        assert_eq!(tls, [(Jar::Session, "tls".to_string())], "an unprefixed cookie may have been planted by a subdomain");
    }

    #[test]
    fn kept_and_forgotten_cookies_carry_the_attributes() {
        let kept = set_cookie(&Change::Keep { jar: Jar::Session, value: "t".into(), life: Life::Browser }, Tls(true));
        assert!(kept.starts_with("__Host-portal_session=t") && kept.contains("HttpOnly") && kept.contains("Secure") && kept.contains("SameSite=Lax") && kept.contains("Path=/"), "{kept}");
        assert!(!kept.contains("Max-Age"), "the server decides when a session ends: {kept}");
        let device = set_cookie(&Change::Keep { jar: Jar::Device, value: "d".into(), life: Life::Secs(60) }, Tls(false));
        assert!(device.starts_with("portal_device=d") && device.contains("Max-Age=60") && !device.contains("Secure"), "{device}");
        let gone = set_cookie(&Change::Forget(Jar::Notice(NoticeOf::Verify)), Tls(false));
        assert!(gone.starts_with("portal_verify_notice=;") && gone.contains("Max-Age=0"), "{gone}");
    }
}
