//! One request as the backend sees it, without HTTP: who is asking, which
//! of our cookies they presented, and which the answer keeps or forgets
//! (as [`Jar`]s, never names or header lines). The web layer
//! ([`crate::web`]) builds it from the request and writes what it collected
//! onto the response; the port's methods take it.

use std::net::IpAddr;
use std::sync::Mutex;

use crate::i18n::Lang;
use crate::jar::{Change, Jar, Life};

const MAX_USER_AGENT: usize = 256;

/// The address a request is from, as the throttle and the audit log see it:
/// the socket's peer, or behind trusted proxies the client they name. The
/// server's middleware puts it among the request's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// Who is asking: the client's address and user agent, as recorded in the
/// audit log and used for per-IP throttling.
#[derive(Debug, Clone, Default)]
pub struct ClientMeta {
    pub ip: Option<IpAddr>,
    pub user_agent: String,
}

impl ClientMeta {
    /// The user agent as kept: no control characters, bounded.
    pub fn new(ip: Option<IpAddr>, user_agent: &str) -> ClientMeta {
        let user_agent = user_agent.chars().filter(|c| !c.is_control()).take(MAX_USER_AGENT).collect();
        ClientMeta { ip, user_agent }
    }

    /// A client for work started from the command line.
    pub fn cli() -> ClientMeta {
        ClientMeta { ip: None, user_agent: "portal CLI".into() }
    }

    pub fn ip_text(&self) -> String {
        self.ip.map(|ip| ip.to_string()).unwrap_or_default()
    }
}

/// How the answer reaches the patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reply {
    /// The page's code takes the result and shows it.
    #[default]
    Data,
    /// A form posted without JavaScript: the browser is sent to a page that
    /// shows the outcome (post/redirect/get), so what it must show is kept.
    NextPage,
}

/// Where a request came from, as the browser tells it in `Sec-Fetch-Site`
/// (a header no page can set): a request another site caused must not count
/// as the person's own act (saving a language, viewing a chart).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Origin {
    /// From one of our own pages (`same-origin`).
    OwnPage,
    /// Typed, a bookmark, or opened from outside any page (`none`).
    Typed,
    /// Caused by another site (`same-site` or `cross-site`).
    OtherSite,
    /// No such header: an older browser, or a client that is no browser.
    #[default]
    Unknown,
}

impl Origin {
    pub fn from_header(value: Option<&str>) -> Origin {
        match value.map(str::trim) {
            Some(v) if v.eq_ignore_ascii_case("same-origin") => Origin::OwnPage,
            Some(v) if v.eq_ignore_ascii_case("none") => Origin::Typed,
            Some(v) if v.eq_ignore_ascii_case("same-site") || v.eq_ignore_ascii_case("cross-site") => Origin::OtherSite,
            _ => Origin::Unknown,
        }
    }

    /// Whether the browser vouches that the person themselves asked (one of
    /// our pages, or the address bar).
    pub fn vouched_own(self) -> bool {
        matches!(self, Origin::OwnPage | Origin::Typed)
    }
}

/// The request at hand, for the backend. Its `Debug` leaves the cookies out:
/// they hold session tokens.
#[derive(Default)]
pub struct Visit {
    pub client: ClientMeta,
    pub reply: Reply,
    pub origin: Origin,
    /// The language the request is answered in.
    pub lang: Lang,
    /// Our cookies the request presented, with their values.
    presented: Vec<(Jar, String)>,
    /// What the answer does to our cookies, in order.
    changes: Mutex<Vec<Change>>,
}

impl std::fmt::Debug for Visit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Visit").field("client", &self.client).field("reply", &self.reply).field("lang", &self.lang).finish_non_exhaustive()
    }
}

impl Visit {
    /// The same request, with where it came from.
    pub fn from(mut self, origin: Origin) -> Visit {
        self.origin = origin;
        self
    }

    pub fn new(client: ClientMeta, reply: Reply, lang: Lang, presented: Vec<(Jar, String)>) -> Visit {
        Visit { client, reply, origin: Origin::Unknown, lang, presented, changes: Mutex::new(Vec::new()) }
    }

    /// A form posted without JavaScript: what the next page must show (a
    /// refusal, what was typed) is to be kept for it.
    pub fn next_page(&self) -> bool {
        self.reply == Reply::NextPage
    }

    /// The value of the cookie `jar`, if the request presented it.
    pub fn presented(&self, jar: Jar) -> Option<&str> {
        self.presented.iter().find(|(held, _)| *held == jar).map(|(_, value)| value.as_str())
    }

    /// The answer keeps `value` in the cookie `jar` for `life`.
    pub fn keep(&self, jar: Jar, value: &str, life: Life) {
        self.change(Change::Keep { jar, value: value.to_string(), life });
    }

    /// The answer clears the cookie `jar`.
    pub fn forget(&self, jar: Jar) {
        self.change(Change::Forget(jar));
    }

    fn change(&self, change: Change) {
        if let Ok(mut changes) = self.changes.lock() {
            changes.push(change);
        }
    }

    /// What the answer does to our cookies, so far (and forgets it).
    pub fn take_changes(&self) -> Vec<Change> {
        self.changes.lock().map(|mut changes| std::mem::take(&mut *changes)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_own_pages_and_the_address_bar_vouch_for_the_person() {
        let of = |v: Option<&str>| Origin::from_header(v);
        assert_eq!([of(Some("same-origin")), of(Some("None")), of(Some("cross-site")), of(Some("same-site")), of(None), of(Some("bogus"))],
            [Origin::OwnPage, Origin::Typed, Origin::OtherSite, Origin::OtherSite, Origin::Unknown, Origin::Unknown]);
        assert!(of(Some("same-origin")).vouched_own() && of(Some("none")).vouched_own());
        assert!(!of(Some("cross-site")).vouched_own() && !of(None).vouched_own(), "no word is no vouching");
    }

    #[test]
    fn cookies_presented_are_read_by_kind_and_changes_handed_over_once_in_order() {
        let v = Visit::new(ClientMeta::new(None, "ua\u{7}\n"), Reply::Data, Lang::En, vec![(Jar::Session, "secret-token".into())]);
        assert_eq!(v.client.user_agent, "ua");
        assert_eq!((v.presented(Jar::Session), v.presented(Jar::Device)), (Some("secret-token"), None));
        v.forget(Jar::SecondStep);
        v.keep(Jar::Session, "fresh-token", Life::Browser);
        assert_eq!(v.take_changes(), [Change::Forget(Jar::SecondStep), Change::Keep { jar: Jar::Session, value: "fresh-token".into(), life: Life::Browser }]);
        assert!(v.take_changes().is_empty());
        v.keep(Jar::Session, "fresh-token", Life::Browser);
        let shown = format!("{v:?} {:?}", v.take_changes());
        assert!(!shown.contains("secret-token") && !shown.contains("fresh-token"), "no cookie value in Debug: {shown}");
    }
}
