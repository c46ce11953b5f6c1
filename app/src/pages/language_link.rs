//! The "Español" / "English" link at the top of every patient page (SPEC
//! §2.6). It leads to `/language/{tag}?back=<this page>`, which keeps the
//! choice and comes straight back; `language.js` carries what was typed.

use leptos::prelude::*;

use crate::i18n::{lang, t};

#[component]
pub fn LanguageLink() -> impl IntoView {
    let here = current_path();
    let staff = here == "/staff" || here.starts_with("/staff/") || here.starts_with("/staff?");
    (!staff).then(|| {
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
        use_context::<http::request::Parts>()
            .and_then(|p| p.uri.path_and_query().map(|pq| pq.as_str().to_string()))
            .unwrap_or_else(|| "/".into())
    }
    #[cfg(not(feature = "ssr"))]
    {
        "/".into()
    }
}

/// Percent-encodes `s` for a query value.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_way_back_is_one_query_value() {
        assert_eq!(super::encode("/reset/ab-c?x=1&y=2"), "/reset/ab-c%3Fx%3D1%26y%3D2");
        assert_eq!(super::encode("/é"), "/%C3%A9");
    }
}
