//! Live delivery (SPEC §4): a worker inside the server takes due rows from the
//! outbox, sends them (email over SMTP, text and voice through a Twilio-style
//! provider), and records each as sent, failed with its reason, or due again
//! after a backoff. In `outbox` mode nothing leaves and the rows stay queued
//! for `/dev/outbox`.

pub mod phone;
pub mod plan;
pub mod retry;
pub mod smtp;
pub mod worker;

pub use plan::{plan, Plan};

/// Why a message did not go: worth another try later, or never.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The network, the server or the provider had a passing problem (4xx SMTP reply, 5xx/429 HTTP, timeout).
    Transient(String),
    /// It can never go as it is (bad address, 5xx SMTP reply, 4xx HTTP).
    Permanent(String),
}

impl Failure {
    /// The same failure with its reason rewritten.
    pub fn map_reason(self, f: impl FnOnce(String) -> String) -> Failure {
        match self {
            Failure::Transient(r) => Failure::Transient(f(r)),
            Failure::Permanent(r) => Failure::Permanent(f(r)),
        }
    }
}

/// One message as the worker sends it.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub id: i64,
    pub channel: crate::outbox::Channel,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
    /// Tries so far, this one included.
    pub attempts: i64,
    /// What a call is spoken in.
    pub lang: app::i18n::Lang,
}

/// Provider and server replies are kept short in the outbox's reason column.
pub(crate) fn shorten(reason: &str) -> String {
    const MAX: usize = 300;
    let one_line: String = reason.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    match one_line.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
        None => one_line,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn reasons_are_one_short_line() {
        assert_eq!(super::shorten("550 no\r\nsuch user"), "550 no  such user");
        let long = "x".repeat(1000);
        assert_eq!(super::shorten(&long).chars().count(), 301);
    }
}
