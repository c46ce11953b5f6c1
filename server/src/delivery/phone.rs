//! Texts and calls through a Twilio-style REST API: `POST
//! {base}/2010-04-01/Accounts/{account}/Messages.json` (To, From, Body) for a
//! text and `.../Calls.json` (To, From, Twiml) for a call that speaks the
//! message, with HTTP Basic auth (account, token). The provider's answer
//! decides: 2xx sent; 408, 429 and 5xx (or no answer in time) try again
//! later; any other 4xx (a bad number, a refused account) never goes.

use std::time::Duration;

use reqwest::StatusCode;

use super::plan::PhoneSettings;
use super::{shorten, Failure, Outgoing};

pub struct Phone {
    client: reqwest::Client,
    settings: PhoneSettings,
}

impl Phone {
    pub fn new(settings: PhoneSettings, timeout: Duration) -> anyhow::Result<Phone> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Phone { client, settings })
    }

    fn endpoint(&self, resource: &str) -> String {
        let base = self.settings.base.as_str().trim_end_matches('/');
        format!("{base}/2010-04-01/Accounts/{}/{resource}.json", self.settings.account)
    }

    pub async fn text(&self, m: &Outgoing) -> Result<(), Failure> {
        let form = [("To", m.to.as_str()), ("From", self.settings.from.as_str()), ("Body", m.body.as_str())];
        self.post("Messages", &form).await
    }

    pub async fn call(&self, m: &Outgoing) -> Result<(), Failure> {
        let twiml = spoken(&m.body, m.lang);
        let form = [("To", m.to.as_str()), ("From", self.settings.from.as_str()), ("Twiml", twiml.as_str())];
        self.post("Calls", &form).await
    }

    async fn post(&self, resource: &str, form: &[(&str, &str)]) -> Result<(), Failure> {
        let response = self
            .client
            .post(self.endpoint(resource))
            .basic_auth(&self.settings.account, Some(&self.settings.token.0))
            .form(form)
            .send()
            .await
            .map_err(|e| Failure::Transient(shorten(&describe(&e))))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let body = response.text().await.unwrap_or_default();
        Err(classify(status, &body))
    }
}

/// A reqwest error without its URL (which holds nothing secret, but is long).
fn describe(e: &reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "the provider did not answer in time"
    } else if e.is_connect() {
        "could not connect to the provider"
    } else {
        "the request to the provider failed"
    };
    match std::error::Error::source(e) {
        Some(source) => format!("{what}: {source}"),
        None => what.to_string(),
    }
}

/// A failed answer as transient or permanent, with the provider's own
/// message (`{"code": 21211, "message": "..."}`) when it sends one.
pub fn classify(status: StatusCode, body: &str) -> Failure {
    let message = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_string));
    let reason = shorten(&match message {
        Some(m) => format!("provider answered {}: {m}", status.as_u16()),
        None => format!("provider answered {}", status),
    });
    let passing = status.is_server_error()
        || status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT;
    if passing {
        Failure::Transient(reason)
    } else {
        Failure::Permanent(reason)
    }
}

/// TwiML that speaks the message twice, with a pause between, in the
/// voice of the message's language.
pub fn spoken(text: &str, lang: app::i18n::Lang) -> String {
    let say = html_escape::encode_text(text);
    let voice = match lang {
        app::i18n::Lang::En => "en-US",
        app::i18n::Lang::Es => "es-US",
    };
    format!("<Response><Say language=\"{voice}\">{say}</Say><Pause length=\"1\"/><Say language=\"{voice}\">{say}</Say></Response>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_answers_are_transient_or_permanent() {
        let bad_number = r#"{"code": 21211, "message": "The 'To' number is not a valid phone number."}"#;
        assert_eq!(
            classify(StatusCode::BAD_REQUEST, bad_number),
            Failure::Permanent("provider answered 400: The 'To' number is not a valid phone number.".into())
        );
        assert!(matches!(classify(StatusCode::UNAUTHORIZED, ""), Failure::Permanent(_)));
        for passing in [StatusCode::TOO_MANY_REQUESTS, StatusCode::REQUEST_TIMEOUT, StatusCode::BAD_GATEWAY, StatusCode::SERVICE_UNAVAILABLE] {
            assert!(matches!(classify(passing, "<html>"), Failure::Transient(_)), "{passing}");
        }
    }

    #[test]
    fn calls_speak_escaped_text() {
        assert_eq!(
            spoken("Code 1 2 <3>", app::i18n::Lang::En),
            "<Response><Say language=\"en-US\">Code 1 2 &lt;3&gt;</Say><Pause length=\"1\"/><Say language=\"en-US\">Code 1 2 &lt;3&gt;</Say></Response>"
        );
        assert!(spoken("Su código", app::i18n::Lang::Es).starts_with("<Response><Say language=\"es-US\">Su código</Say>"));
    }
}
