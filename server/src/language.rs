//! Which language a request is answered in (SPEC §2.6), and the patient's
//! choice of it: the visitor's choice (a cookie set by the language link),
//! then `Accept-Language`, else English. Signing in sets the cookie from the
//! account's saved language when the visitor has made no choice; a choice
//! made while signed in is saved to the account. Staff pages are English.

use app::i18n::Lang;
use app::jar::{Jar, Life};
use app::visit::Visit;
use app::web::cookies::{self, Tls};

use crate::sessions::Person;
use crate::store::{accounts, Store};

/// How long the choice is kept on the device.
const CHOICE_SECS: i64 = 365 * 24 * 3600;

/// The language to answer a request for `path` with.
pub fn of_request(headers: &http::HeaderMap, path: &str, tls: Tls) -> Lang {
    if app::i18n::is_staff_path(path) {
        return Lang::En;
    }
    parse(cookies::value_in(headers, Jar::Language, tls).as_deref())
        .or_else(|| {
            headers
                .get(http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

fn parse(choice: Option<&str>) -> Option<Lang> {
    choice.and_then(|v| Lang::try_from(v.to_string()).ok())
}

/// The visitor's own choice, when they made one on this device.
pub fn chosen(cx: &Visit) -> Option<Lang> {
    parse(cx.presented(Jar::Language))
}

/// The answer keeps `lang` as this device's choice.
pub fn keep_choice(cx: &Visit, lang: Lang) {
    cx.keep(Jar::Language, lang.tag(), Life::Secs(CHOICE_SECS));
}

/// Saves `lang` as the person's language (messages go out in it).
pub async fn save(store: &Store, who: Person, lang: Lang) -> sqlx::Result<()> {
    let mut tx = store.begin_write().await?;
    accounts::set_language(&mut tx, who.account, lang).await?;
    tx.commit().await
}

/// The person's saved language.
pub async fn of(store: &Store, who: Person) -> sqlx::Result<Lang> {
    accounts::language(store, who.account).await
}

/// Where the language link sends the browser back to: a path of this site,
/// else the home page (SPEC §5: every redirect target taken from a request
/// is a same-origin path). Refused: anything with a control character (a
/// browser drops a tab or newline and would read `/\t/evil.example` as
/// `//evil.example`; a NUL can't be a header), a backslash (read as `/`),
/// whitespace, or a value that, parsed against this site, names another
/// scheme or host.
pub fn back_to(back: Option<&str>) -> &str {
    match back {
        Some(b) if is_same_origin_path(b) => b,
        _ => "/",
    }
}

fn is_same_origin_path(b: &str) -> bool {
    const HERE: &str = "http://portal.invalid/";
    if !b.starts_with('/') || b.starts_with("//") || b.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\') {
        return false;
    }
    let Ok(base) = url::Url::parse(HERE) else { return false };
    base.join(b).is_ok_and(|u| u.scheme() == "http" && u.host_str() == Some("portal.invalid") && u.port().is_none() && u.username().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        for (k, v) in pairs {
            h.append(http::HeaderName::from_bytes(k.as_bytes()).unwrap(), http::HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn the_choice_comes_first_then_accept_language_then_english() {
        let both = headers(&[("cookie", "portal_lang=en"), ("accept-language", "es-MX,es;q=0.9")]);
        assert_eq!(of_request(&both, "/login", Tls(false)), Lang::En);
        let browser = headers(&[("accept-language", "es-MX,es;q=0.9")]);
        assert_eq!(of_request(&browser, "/login", Tls(false)), Lang::Es);
        assert_eq!(of_request(&headers(&[("accept-language", "fr")]), "/login", Tls(false)), Lang::En);
        assert_eq!(of_request(&headers(&[]), "/", Tls(false)), Lang::En);
    }

    #[test]
    fn a_bad_choice_cookie_is_ignored() {
        let h = headers(&[("cookie", "portal_lang=klingon"), ("accept-language", "es")]);
        assert_eq!(of_request(&h, "/", Tls(false)), Lang::Es);
    }

    #[test]
    fn behind_tls_only_the_prefixed_cookie_counts() {
        let plain = headers(&[("cookie", "portal_lang=es")]);
        assert_eq!(of_request(&plain, "/", Tls(true)), Lang::En);
        let prefixed = headers(&[("cookie", "__Host-portal_lang=es")]);
        assert_eq!(of_request(&prefixed, "/", Tls(true)), Lang::Es);
    }

    #[test]
    fn staff_pages_stay_english() {
        let h = headers(&[("cookie", "portal_lang=es"), ("accept-language", "es")]);
        assert_eq!(of_request(&h, "/staff", Tls(false)), Lang::En);
        assert_eq!(of_request(&h, "/staff/patients/3", Tls(false)), Lang::En);
        assert_eq!(of_request(&h, "/staffing", Tls(false)), Lang::Es);
    }

    #[test]
    fn the_link_leads_back_only_within_the_site() {
        assert_eq!(back_to(Some("/reset/abc?x=1")), "/reset/abc?x=1");
        assert_eq!(back_to(Some("//evil.example/")), "/");
        assert_eq!(back_to(Some("/\\evil.example")), "/");
        assert_eq!(back_to(Some("https://evil.example/")), "/");
        assert_eq!(back_to(None), "/");
        for hostile in ["/\t/evil.example", "/\n/evil.example", "/\0", "/\u{7f}x", "/ /evil.example", "/\\/evil.example", "//evil.example", "https://evil.example", "evil"] {
            assert_eq!(back_to(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(back_to(Some("/%2F%2Fevil.example")), "/%2F%2Fevil.example", "encoded slashes stay a path here");
    }
}
