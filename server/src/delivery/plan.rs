//! Which delivery the configuration asks for, checked once at start-up: a bad
//! or missing setting stops the server with a message naming the variable.

use crate::config::{Config, DeliveryMode, Mode, ConfigToken, SmtpUrl};

/// The provider settings for text and voice, all four present.
#[derive(Debug, Clone)]
pub struct PhoneSettings {
    pub base: url::Url,
    pub account: String,
    pub token: ConfigToken,
    pub from: String,
}

#[derive(Debug, Clone)]
pub enum Plan {
    /// Messages stay in the dev outbox.
    Outbox,
    /// The worker sends them.
    Live { smtp: SmtpUrl, phone: Option<PhoneSettings> },
}

/// The delivery `config` asks for, or why the server must not start.
pub fn plan(config: &Config) -> Result<Plan, String> {
    let production = config.mode == Mode::Production;
    let mode = config.delivery.unwrap_or(if production { DeliveryMode::Live } else { DeliveryMode::Outbox });
    if mode == DeliveryMode::Outbox {
        if production {
            return Err("PORTAL_DELIVERY=outbox keeps messages in the dev outbox, which production mode \
                        (PORTAL_MODE=production) refuses; set PORTAL_DELIVERY=live and PORTAL_SMTP_URL"
                .into());
        }
        return Ok(Plan::Outbox);
    }
    let smtp = config.smtp_url.clone().ok_or(
        "PORTAL_SMTP_URL is required for live delivery (PORTAL_DELIVERY=live): smtp://[user:pass@]host:port",
    )?;
    let parts = (config.sms_url.clone(), config.sms_account.clone(), config.sms_token.clone(), config.sms_from.clone());
    let phone = match parts {
        (Some(base), Some(account), Some(token), Some(from)) => Some(PhoneSettings { base, account, token, from }),
        (None, None, None, None) if !config.reset_methods.code => None,
        (url, account, token, _) => {
            let missing = [
                ("PORTAL_SMS_URL", url.is_none()),
                ("PORTAL_SMS_ACCOUNT", account.is_none()),
                ("PORTAL_SMS_TOKEN", token.is_none()),
                ("PORTAL_SMS_FROM", config.sms_from.is_none()),
            ]
            .into_iter()
            .filter(|(_, gone)| *gone)
            .map(|(name, _)| name)
            .collect::<Vec<_>>()
            .join(", ");
            return Err(format!(
                "{missing} required for live delivery of texts and calls (a password reset offers a code: \
                 PORTAL_RESET_METHODS)"
            ));
        }
    };
    Ok(Plan::Live { smtp, phone })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, String> {
        use clap::Parser;
        #[derive(clap::Parser)]
        struct Only {
            #[command(flatten)]
            config: Config,
        }
        let mut args = vec!["portal".to_string()];
        for (flag, value) in vars {
            args.push(format!("--{flag}={value}"));
        }
        Only::try_parse_from(args).map(|o| o.config).map_err(|e| e.to_string())
    }

    fn plan_of(vars: &[(&str, &str)]) -> Result<Plan, String> {
        plan(&config(vars).unwrap())
    }

    const SMS: [(&str, &str); 4] = [
        ("sms-url", "http://127.0.0.1:9/"),
        ("sms-account", "AC123"),
        ("sms-token", "secret"),
        ("sms-from", "+12175550100"),
    ];

    #[test]
    fn development_keeps_the_outbox_by_default() {
        assert!(matches!(plan_of(&[]), Ok(Plan::Outbox)));
    }

    #[test]
    fn production_refuses_the_dev_outbox_naming_the_variable() {
        let e = plan_of(&[("mode", "production"), ("delivery", "outbox")]).unwrap_err();
        assert!(e.contains("PORTAL_DELIVERY=outbox"), "{e}");
    }

    #[test]
    fn production_defaults_to_live_and_needs_smtp() {
        let e = plan_of(&[("mode", "production")]).unwrap_err();
        assert!(e.starts_with("PORTAL_SMTP_URL"), "{e}");
    }

    #[test]
    fn live_needs_every_provider_setting_while_resets_offer_a_code() {
        let e = plan_of(&[("delivery", "live"), ("smtp-url", "smtp://127.0.0.1:25"), SMS[0], SMS[2]]).unwrap_err();
        assert!(e.starts_with("PORTAL_SMS_ACCOUNT, PORTAL_SMS_FROM required"), "{e}");
        let mut all = vec![("delivery", "live"), ("smtp-url", "smtp://127.0.0.1:25")];
        all.extend(SMS);
        assert!(matches!(plan_of(&all), Ok(Plan::Live { phone: Some(_), .. })));
    }

    #[test]
    fn live_without_codes_needs_no_provider() {
        let vars = [("delivery", "live"), ("smtp-url", "smtp://mail:25"), ("reset-methods", "question")];
        assert!(matches!(plan_of(&vars), Ok(Plan::Live { phone: None, .. })));
    }

    #[test]
    fn bad_values_name_their_variable() {
        for (flag, value, var) in [
            ("smtp-url", "http://mail", "PORTAL_SMTP_URL"),
            ("smtp-url", "smtp://mail?tls=maybe", "PORTAL_SMTP_URL"),
            ("sms-from", "2175550100", "PORTAL_SMS_FROM"),
            ("sms-account", "AC/../x", "PORTAL_SMS_ACCOUNT"),
            ("delivery", "carrier-pigeon", "PORTAL_DELIVERY"),
        ] {
            let e = config(&[(flag, value)]).err().unwrap_or_default();
            assert!(e.contains(var), "{flag}={value}: {e}");
        }
    }

    #[test]
    fn secrets_do_not_print() {
        let c = config(&[("smtp-url", "smtp://u:hunter2@mail:25"), ("sms-token", "tok-hunter2")]).unwrap();
        let shown = format!("{:?} {:?}", c.smtp_url, c.sms_token);
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}
