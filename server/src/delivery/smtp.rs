//! Email over SMTP with `lettre`: one pooled transport built from
//! `PORTAL_SMTP_URL`, a text and an HTML body, and a Message-ID made from the
//! outbox row so that a receiver can drop the copy a crash made us resend.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::{shorten, Failure, Outgoing};
use crate::config::SmtpUrl;

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The right-hand side of every Message-ID: the sender's domain.
    domain: String,
}

impl Mailer {
    pub fn new(url: &SmtpUrl, from_name: &str, from_address: &str, timeout: Duration) -> anyhow::Result<Mailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url.0)
            .map_err(|e| anyhow::anyhow!("PORTAL_SMTP_URL: {e}"))?
            .timeout(Some(timeout))
            .build();
        let address = from_address.parse().map_err(|e| anyhow::anyhow!("PORTAL_MAIL_FROM: {e}"))?;
        let from = Mailbox::new(Some(from_name.to_string()), address);
        let domain = from_address.rsplit_once('@').map(|(_, d)| d.to_string()).unwrap_or_else(|| "localhost".into());
        Ok(Mailer { transport, from, domain })
    }

    /// The Message-ID of an outbox row: the same on every try.
    pub fn message_id(&self, m: &Outgoing) -> String {
        format!("<outbox-{}-{}@{}>", m.id, m.created_at, self.domain)
    }

    pub async fn send(&self, m: &Outgoing) -> Result<(), Failure> {
        let to: Mailbox = m
            .to
            .parse()
            .map_err(|_| Failure::Permanent(format!("not an email address: {}", shorten(&m.to))))?;
        let email = lettre::Message::builder()
            .message_id(Some(self.message_id(m)))
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.as_str())
            .multipart(MultiPart::alternative_plain_html(m.body.clone(), html(&m.body)))
            .map_err(|e| Failure::Permanent(shorten(&e.to_string())))?;
        match self.transport.send(email).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(Failure::Permanent(shorten(&e.to_string()))),
            Err(e) => Err(Failure::Transient(shorten(&e.to_string()))),
        }
    }
}

/// The HTML part: the text's paragraphs, escaped, with its web addresses as links.
pub fn html(text: &str) -> String {
    let paragraphs: String = text
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let lines: Vec<String> = p.lines().map(linked_line).collect();
            format!("<p>{}</p>\n", lines.join("<br>\n"))
        })
        .collect();
    format!(
        "<!doctype html>\n<html><body style=\"font-family: sans-serif; font-size: 16px; line-height: 1.5\">\n{paragraphs}</body></html>\n"
    )
}

/// A line "Label: address" (the text part's way of naming a link) becomes a
/// link whose text is the label ("Reset password", "Create your account");
/// other addresses in a line link to themselves.
fn linked_line(line: &str) -> String {
    let is_address = |w: &str| (w.starts_with("https://") || w.starts_with("http://")) && !w.contains(' ');
    if let Some((label, address)) = line.split_once(": ") {
        if is_address(address) && !label.is_empty() && !label.contains("://") {
            let (label, address) = (html_escape::encode_text(label), html_escape::encode_quoted_attribute(address));
            return format!("<a href=\"{address}\">{label}</a>");
        }
    }
    line.split(' ')
        .map(|word| {
            let escaped = html_escape::encode_quoted_attribute(word);
            if word.starts_with("https://") || word.starts_with("http://") {
                format!("<a href=\"{escaped}\">{escaped}</a>")
            } else {
                escaped.into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::html;

    #[test]
    fn html_links_addresses_and_escapes_the_rest() {
        let h = html("Hi <b>Pat</b> & co,\n\nOpen https://portal.example/reset/abc?x=1&y=2 now.\nThanks");
        assert!(h.contains("<p>Hi &lt;b&gt;Pat&lt;/b&gt; &amp; co,</p>"), "{h}");
        assert!(h.contains(
            "<a href=\"https://portal.example/reset/abc?x=1&amp;y=2\">https://portal.example/reset/abc?x=1&amp;y=2</a> now.<br>\nThanks"
        ), "{h}");
    }

    #[test]
    fn a_labelled_address_is_a_link_named_by_its_label() {
        let h = html("Hello,\n\nReset password: https://portal.example/reset/abc\n\nBye");
        assert!(h.contains("<p><a href=\"https://portal.example/reset/abc\">Reset password</a></p>"), "{h}");
        assert!(!h.contains(">https://portal.example/reset/abc<"), "{h}");
    }
}
