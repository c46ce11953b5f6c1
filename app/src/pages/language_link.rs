//! The "Español" / "English" link at the top of every patient page (SPEC
//! §2.6). It leads to `/language/{tag}?back=<this page>`, which keeps the
//! choice and comes straight back; `language.js` carries what was typed.

use leptos::prelude::*;

use crate::i18n::{lang, t};

#[component]
pub fn LanguageLink() -> impl IntoView {
    let here = current_path();
    let path = here.split('?').next().unwrap_or_default();
    (!crate::i18n::is_staff_path(path)).then(|| {
        let lang = lang();
        let other = lang.other();
        let href = format!("/language/{}?back={}", other.tag(), encode(&here));
        view! {
            <nav class="language" aria-label=t::language_link_label(lang)>
                <a id="language-link" href=href hreflang=other.tag() lang=other.tag()>{other.own_name()}</a>
            </nav>
            <script type="module" src="/language.js"></script>
        }
    })
}

/// The path (and query) of the page being rendered.
fn current_path() -> String {
    #[cfg(feature = "ssr")]
    {
        with_context::<http::request::Parts, _>(|p| p.uri.path_and_query().map(|pq| pq.as_str().to_string()))
            .flatten()
            .unwrap_or_else(|| "/".into())
    }
    #[cfg(not(feature = "ssr"))]
    {
        "/".into()
    }
}

/// `s` as one query value: everything but unreserved characters and `/`
/// percent-encoded (so `?`, `&` and `=` of the page's own query stay inside).
fn encode(s: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
        const KEEP: &percent_encoding::AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b'/');
        utf8_percent_encode(s, KEEP).to_string()
    }
    #[cfg(not(feature = "ssr"))]
    {
        // The browser never renders the link (it is not in an island).
        s.to_string()
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn the_way_back_is_one_query_value() {
        assert_eq!(super::encode("/reset/ab-c?x=1&y=2"), "/reset/ab-c%3Fx%3D1%26y%3D2");
        assert_eq!(super::encode("/é"), "/%C3%A9");
    }
}
