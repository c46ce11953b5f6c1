//! Configuration from the environment (SPEC §6), parsed by clap so that a bad
//! value stops start-up with a message naming the variable.

use app::i18n::{t, Lang};
use std::path::PathBuf;

use crate::credentials::HashParams;
use crate::secret_key::SecretKey;
use crate::sessions::{SessionRules, ABSOLUTE_SECS};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    Development,
    Production,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Where messages to patients go (SPEC §4, §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DeliveryMode {
    /// Kept in the database, readable at `/dev/outbox` (development only).
    Outbox,
    /// Sent by the delivery worker: email over SMTP, text and voice through the provider.
    Live,
}

#[derive(Clone, clap::Args)]
pub struct Config {
    /// `sqlite://path` (default: a file under ./data) or `postgres://...`.
    #[arg(long = "database-url", env = "DATABASE_URL", value_name = "DATABASE_URL", default_value = "sqlite://data/portal.db", hide_env_values = true, global = true)]
    pub database_url: String,

    #[arg(long = "mode", env = "PORTAL_MODE", value_name = "PORTAL_MODE", value_enum, default_value = "development", global = true)]
    pub mode: Mode,

    /// Base of links in emails; `https://` also marks cookies Secure and turns on HSTS.
    #[arg(long = "public-url", env = "PORTAL_PUBLIC_URL", value_name = "PORTAL_PUBLIC_URL", default_value = "http://127.0.0.1:3000", value_parser = parse_url, global = true)]
    pub public_url: url::Url,

    /// The sender of every email; patients are told to look for it.
    #[arg(long = "mail-from", env = "PORTAL_MAIL_FROM", value_name = "PORTAL_MAIL_FROM", default_value = "portal@example.com", value_parser = parse_mail_from, global = true)]
    pub mail_from: String,

    /// The identity checks a reset offers: `question,code`, `code` or `question`.
    #[arg(long = "reset-methods", env = "PORTAL_RESET_METHODS", value_name = "PORTAL_RESET_METHODS", default_value = "question,code", global = true)]
    pub reset_methods: app::reset::ResetMethods,

    /// The practice's name, as family invitations and chart pages name it.
    #[arg(long = "practice-name", env = "PORTAL_PRACTICE_NAME", value_name = "PORTAL_PRACTICE_NAME", default_value = "Riverside Family Practice", global = true)]
    pub practice_name: String,

    /// The practice's phone number, for the contact line on chart pages (none when empty).
    #[arg(long = "practice-phone", env = "PORTAL_PRACTICE_PHONE", value_name = "PORTAL_PRACTICE_PHONE", default_value = "(217) 555-0100", global = true)]
    pub practice_phone: String,

    /// IANA time zone for times shown to people (e.g. when a code was sent).
    #[arg(long = "timezone", env = "PORTAL_TIMEZONE", value_name = "PORTAL_TIMEZONE", default_value = "UTC", value_parser = parse_timezone, global = true)]
    pub timezone: jiff::tz::TimeZone,

    /// Attempts a minute per IP for each sign-in, reset, code and registration endpoint; 0 = off.
    #[arg(long = "ip-limit", env = "PORTAL_IP_LIMIT", value_name = "PORTAL_IP_LIMIT", default_value_t = 30, global = true)]
    pub ip_limit: u32,

    /// Reverse proxies (CIDRs or addresses, comma-separated) whose X-Forwarded-For names the client.
    #[arg(long = "trusted-proxies", env = "PORTAL_TRUSTED_PROXIES", value_name = "PORTAL_TRUSTED_PROXIES", default_value = "", global = true)]
    pub trusted_proxies: crate::client::TrustedProxies,

    /// A bearer token that lets a scraper read `GET /metrics` from elsewhere than this machine.
    #[arg(long = "metrics-token", env = "PORTAL_METRICS_TOKEN", value_name = "PORTAL_METRICS_TOKEN", value_parser = parse_token, hide_env_values = true, global = true)]
    pub metrics_token: Option<ConfigToken>,

    /// `text` (default) or `json`: one JSON object per log line.
    #[arg(long = "log-format", env = "PORTAL_LOG_FORMAT", value_name = "PORTAL_LOG_FORMAT", value_enum, default_value = "text", global = true)]
    pub log_format: LogFormat,

    /// Seconds of inactivity that end a session.
    #[arg(long = "session-idle-secs", env = "PORTAL_SESSION_IDLE_SECS", value_name = "PORTAL_SESSION_IDLE_SECS", default_value_t = 1200, value_parser = clap::value_parser!(u32).range(120..=86400), global = true)]
    pub session_idle_secs: u32,

    /// `outbox` (the default in development) or `live` (the default in production).
    #[arg(long = "delivery", env = "PORTAL_DELIVERY", value_name = "PORTAL_DELIVERY", value_enum, global = true)]
    pub delivery: Option<DeliveryMode>,

    /// `smtp://[user:pass@]host:port` (plain, or STARTTLS with `?tls=required`), `smtps://` for implicit TLS.
    #[arg(long = "smtp-url", env = "PORTAL_SMTP_URL", value_name = "PORTAL_SMTP_URL", value_parser = parse_smtp_url, hide_env_values = true, global = true)]
    pub smtp_url: Option<SmtpUrl>,

    /// The display name beside PORTAL_MAIL_FROM.
    #[arg(long = "mail-from-name", env = "PORTAL_MAIL_FROM_NAME", value_name = "PORTAL_MAIL_FROM_NAME", default_value = "Patient Portal", global = true)]
    pub mail_from_name: String,

    /// Base URL of the Twilio-style text and voice provider, e.g. `https://api.twilio.com`.
    #[arg(long = "sms-url", env = "PORTAL_SMS_URL", value_name = "PORTAL_SMS_URL", value_parser = parse_url, global = true)]
    pub sms_url: Option<url::Url>,

    /// The provider account id.
    #[arg(long = "sms-account", env = "PORTAL_SMS_ACCOUNT", value_name = "PORTAL_SMS_ACCOUNT", value_parser = parse_account, global = true)]
    pub sms_account: Option<String>,

    /// The provider auth token.
    #[arg(long = "sms-token", env = "PORTAL_SMS_TOKEN", value_name = "PORTAL_SMS_TOKEN", value_parser = parse_token, hide_env_values = true, global = true)]
    pub sms_token: Option<ConfigToken>,

    /// The number texts and calls come from, in E.164 (`+12175550100`).
    #[arg(long = "sms-from", env = "PORTAL_SMS_FROM", value_name = "PORTAL_SMS_FROM", value_parser = parse_e164, global = true)]
    pub sms_from: Option<String>,

    /// Seconds before the first retry of a message that failed for a passing reason; each retry doubles it.
    #[arg(long = "delivery-retry-secs", env = "PORTAL_DELIVERY_RETRY_SECS", value_name = "PORTAL_DELIVERY_RETRY_SECS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=86400), global = true)]
    pub delivery_retry_secs: u32,

    /// The longest wait between two tries of one message.
    #[arg(long = "delivery-retry-max-secs", env = "PORTAL_DELIVERY_RETRY_MAX_SECS", value_name = "PORTAL_DELIVERY_RETRY_MAX_SECS", default_value_t = 3600, value_parser = clap::value_parser!(u32).range(1..=86400), global = true)]
    pub delivery_retry_max_secs: u32,

    /// Tries before a message is marked failed.
    #[arg(long = "delivery-max-attempts", env = "PORTAL_DELIVERY_MAX_ATTEMPTS", value_name = "PORTAL_DELIVERY_MAX_ATTEMPTS", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100), global = true)]
    pub delivery_max_attempts: u32,

    /// Seconds one SMTP or provider call may take before it counts as a passing failure.
    #[arg(long = "delivery-timeout-secs", env = "PORTAL_DELIVERY_TIMEOUT_SECS", value_name = "PORTAL_DELIVERY_TIMEOUT_SECS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=600), global = true)]
    pub delivery_timeout_secs: u32,

    /// 32 random bytes, base64: keys the audit chain's MAC and encrypts message bodies in the outbox.
    #[arg(long = "secret-key", env = "PORTAL_SECRET_KEY", value_name = "PORTAL_SECRET_KEY", value_parser = SecretKey::parse, hide_env_values = true, global = true)]
    pub secret_key: Option<SecretKey>,

    /// Older secret keys, comma-separated: they still open and verify what
    /// they sealed or signed (key rotation; `portal rekey` re-seals under the current one).
    #[arg(long = "old-secret-keys", env = "PORTAL_OLD_SECRET_KEYS", value_name = "PORTAL_OLD_SECRET_KEYS", value_parser = crate::secret_key::OldKeys::parse, hide_env_values = true, global = true)]
    pub old_secret_keys: Option<crate::secret_key::OldKeys>,

    /// A file holding PORTAL_SECRET_KEY's value instead.
    #[arg(long = "secret-key-file", env = "PORTAL_SECRET_KEY_FILE", value_name = "PORTAL_SECRET_KEY_FILE", global = true)]
    pub secret_key_file: Option<PathBuf>,

    /// Where development keeps the secret key it makes (`secret.key`); default: the SQLite file's folder, else `data`.
    #[arg(long = "data-dir", env = "PORTAL_DATA_DIR", value_name = "PORTAL_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,

    #[arg(long = "argon2-memory-kib", env = "PORTAL_ARGON2_MEMORY_KIB", value_name = "PORTAL_ARGON2_MEMORY_KIB", default_value_t = 19456, global = true)]
    pub argon2_memory_kib: u32,

    #[arg(long = "argon2-iterations", env = "PORTAL_ARGON2_ITERATIONS", value_name = "PORTAL_ARGON2_ITERATIONS", default_value_t = 2, global = true)]
    pub argon2_iterations: u32,

    #[arg(long = "argon2-parallelism", env = "PORTAL_ARGON2_PARALLELISM", value_name = "PORTAL_ARGON2_PARALLELISM", default_value_t = 1, global = true)]
    pub argon2_parallelism: u32,
}

const PUBLISHED_KEY: &str = "PORTAL_SECRET_KEY is a key that was published in the portal's repository, so anyone can forge with it: \
     make a new one (`openssl rand -base64 32`)";
const MISSING_KEY: &str = "PORTAL_SECRET_KEY (or PORTAL_SECRET_KEY_FILE) is required in production mode: 32 random bytes, base64";

fn parse_url(s: &str) -> Result<url::Url, String> {
    let u = url::Url::parse(s).map_err(|e| e.to_string())?;
    match u.scheme() {
        "http" | "https" => Ok(u),
        _ => Err("must be an http:// or https:// URL".into()),
    }
}

/// An SMTP URL as lettre reads it; it may hold a password, so it never prints.
#[derive(Clone)]
pub struct SmtpUrl(pub String);

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SmtpUrl(..)")
    }
}

impl SmtpUrl {
    /// Implicit TLS (`smtps://`) or STARTTLS that must succeed (`tls=required`).
    pub fn uses_tls(&self) -> bool {
        let Ok(u) = url::Url::parse(&self.0) else { return false };
        u.scheme() == "smtps" || u.query_pairs().any(|(k, v)| k == "tls" && v == "required")
    }
}

fn parse_smtp_url(s: &str) -> Result<SmtpUrl, String> {
    let u = url::Url::parse(s).map_err(|e| e.to_string())?;
    if !matches!(u.scheme(), "smtp" | "smtps") {
        return Err("must start with smtp:// (plain, or STARTTLS with ?tls=required) or smtps:// (implicit TLS)".into());
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Err("names no host".into());
    }
    match u.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned()) {
        None => {}
        Some(v) if v == "required" || v == "opportunistic" => {}
        Some(v) => return Err(format!("tls={v} is not a TLS mode; use tls=required or tls=opportunistic")),
    }
    Ok(SmtpUrl(s.to_string()))
}

/// A token given in the configuration (the provider's, the metrics scraper's); never printed.
#[derive(Clone)]
pub struct ConfigToken(pub String);

impl std::fmt::Debug for ConfigToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(..)")
    }
}

fn parse_token(s: &str) -> Result<ConfigToken, String> {
    if s.is_empty() || s.chars().any(char::is_control) {
        return Err("must be a non-empty token without control characters".into());
    }
    Ok(ConfigToken(s.to_string()))
}

fn parse_account(s: &str) -> Result<String, String> {
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err("must be letters, digits, - or _ (it is part of the provider's URLs)".into());
    }
    Ok(s.to_string())
}

fn parse_e164(s: &str) -> Result<String, String> {
    let digits = s.strip_prefix('+').unwrap_or("");
    if (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0') {
        Ok(s.to_string())
    } else {
        Err("must be a phone number in E.164, like +12175550100".into())
    }
}

fn parse_timezone(s: &str) -> Result<jiff::tz::TimeZone, String> {
    jiff::tz::TimeZone::get(s).map_err(|_| format!("unknown time zone {s:?}; use an IANA name like America/Chicago"))
}

fn parse_mail_from(s: &str) -> Result<String, String> {
    app::email::EmailAddress::parse(s).map(|e| e.as_str().to_string()).map_err(|e| e.to_string())
}

impl Config {
    /// The defaults, as if no variable were set (for tests).
    pub fn defaults() -> Config {
        use clap::Parser;
        #[derive(clap::Parser)]
        struct Only {
            #[command(flatten)]
            config: Config,
        }
        Only::parse_from(["portal"]).config
    }

    /// A moment as the practice's clock shows it, `HH:MM`.
    pub fn local_time(&self, unix: i64) -> String {
        self.local(unix, "%H:%M")
    }

    /// A day as patients read it, in their language: "Mar 3, 2026", "3 mar 2026".
    pub fn patient_date(&self, lang: Lang, unix: i64) -> String {
        self.zoned(unix).map(|z| t::date(lang, z.year(), z.month(), z.day())).unwrap_or_default()
    }

    /// A moment as patients read it: "Mar 3, 2026, 10:47", "3 mar 2026, 10:47".
    pub fn patient_date_time(&self, lang: Lang, unix: i64) -> String {
        self.zoned(unix)
            .map(|z| t::date_time(lang, z.year(), z.month(), z.day(), &z.strftime("%H:%M").to_string()))
            .unwrap_or_default()
    }

    fn zoned(&self, unix: i64) -> Option<jiff::ZonedDateTime> {
        jiff::Timestamp::from_second(unix).ok().map(|t| t.to_zoned_datetime(self.timezone.clone()))
    }

    /// `YYYY-MM-DD HH:MM` in the practice's time zone.
    pub fn local_date_time(&self, unix: i64) -> String {
        self.local(unix, "%Y-%m-%d %H:%M")
    }

    /// A moment as staff read it, with its day: "Tue Mar 3, 10:47" (SPEC §3).
    pub fn staff_time(&self, unix: i64) -> String {
        self.local(unix, "%a %b %-d, %H:%M")
    }

    /// A day as staff read it: "Tue Mar 3, 2026".
    pub fn staff_date(&self, unix: i64) -> String {
        self.local(unix, "%a %b %-d, %Y")
    }

    fn local(&self, unix: i64, format: &str) -> String {
        self.zoned(unix).map(|z| z.strftime(format).to_string()).unwrap_or_default()
    }

    /// The current key and the old ones still accepted.
    pub fn key_ring(&self) -> anyhow::Result<crate::secret_key::KeyRing> {
        let old = self.old_secret_keys.as_ref().map(|k| k.0.clone()).unwrap_or_default();
        Ok(crate::secret_key::KeyRing::new(self.secret_key()?, old))
    }

    /// The secret key: `PORTAL_SECRET_KEY`, else `PORTAL_SECRET_KEY_FILE`'s,
    /// else (development only) the one kept in the data dir.
    pub fn secret_key(&self) -> anyhow::Result<SecretKey> {
        match (&self.secret_key, &self.secret_key_file) {
            (Some(k), _) => Ok(k.clone()),
            (None, Some(path)) => SecretKey::read(path),
            (None, None) if self.mode == Mode::Production => Err(anyhow::anyhow!(MISSING_KEY)),
            (None, None) => SecretKey::kept_in(&self.data_dir()),
        }
    }

    /// `PORTAL_DATA_DIR`, else the folder of the SQLite file (so that the
    /// CLI and the server on one database share one key), else `data`.
    pub fn data_dir(&self) -> PathBuf {
        if let Some(dir) = &self.data_dir {
            return dir.clone();
        }
        let sqlite_dir = self
            .database_url
            .strip_prefix("sqlite://")
            .map(|rest| rest.split('?').next().unwrap_or(rest))
            .and_then(|file| std::path::Path::new(file).parent().map(std::path::Path::to_path_buf))
            .filter(|dir| !dir.as_os_str().is_empty());
        sqlite_dir.unwrap_or_else(|| PathBuf::from("data"))
    }

    /// Why production mode must not start with this configuration, every
    /// reason at once, each naming its variable (SPEC §5); empty otherwise.
    pub fn production_refusals(&self) -> Vec<String> {
        if self.mode != Mode::Production {
            return Vec::new();
        }
        let mut no = Vec::new();
        if self.public_url.scheme() != "https" {
            no.push("PORTAL_PUBLIC_URL must be an https:// URL: the links in emails carry reset and invitation tokens".to_string());
        }
        if self.delivery == Some(DeliveryMode::Outbox) {
            no.push("PORTAL_DELIVERY=outbox keeps messages in the dev outbox; set PORTAL_DELIVERY=live".into());
        }
        if self.smtp_url.as_ref().is_some_and(|u| !u.uses_tls()) {
            no.push("PORTAL_SMTP_URL must use TLS: smtps://host:465, or smtp://host:587?tls=required".into());
        }
        if self.sms_url.as_ref().is_some_and(|u| u.scheme() != "https") {
            no.push("PORTAL_SMS_URL must be an https:// URL: the provider's token and the codes go over it".into());
        }
        if !self.hash_params().meets_owasp() {
            no.push(format!(
                "PORTAL_ARGON2_MEMORY_KIB, PORTAL_ARGON2_ITERATIONS and PORTAL_ARGON2_PARALLELISM are below OWASP's minimum \
                 (m={} KiB, t={}, p=1, or one of its equivalent pairs)",
                crate::credentials::OWASP_MEMORY_KIB,
                crate::credentials::OWASP_ITERATIONS
            ));
        }
        if self.secret_key.is_none() && self.secret_key_file.is_none() {
            no.push(MISSING_KEY.into());
        } else if self.secret_key().is_ok_and(|k| k.was_published()) {
            no.push(PUBLISHED_KEY.into());
        }
        no
    }

    /// Messages stay in the dev outbox (development, `PORTAL_DELIVERY=outbox` or unset).
    pub fn keeps_dev_outbox(&self) -> bool {
        self.mode == Mode::Development && self.delivery.unwrap_or(DeliveryMode::Outbox) == DeliveryMode::Outbox
    }

    pub fn behind_tls(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    pub fn session_rules(&self) -> SessionRules {
        SessionRules { idle_secs: i64::from(self.session_idle_secs), absolute_secs: ABSOLUTE_SECS }
    }

    pub fn hash_params(&self) -> HashParams {
        HashParams {
            memory_kib: self.argon2_memory_kib,
            iterations: self.argon2_iterations,
            parallelism: self.argon2_parallelism,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_dir_follows_the_sqlite_file() {
        let mut c = Config::defaults();
        assert_eq!(c.data_dir(), PathBuf::from("data"));
        c.database_url = "sqlite:///srv/portal/db/portal.db?mode=rwc".into();
        assert_eq!(c.data_dir(), PathBuf::from("/srv/portal/db"));
        c.database_url = "postgres://db/portal".into();
        assert_eq!(c.data_dir(), PathBuf::from("data"));
        c.data_dir = Some(PathBuf::from("/var/lib/portal"));
        assert_eq!(c.data_dir(), PathBuf::from("/var/lib/portal"));
    }

    #[test]
    fn times_are_shown_in_the_practice_time_zone() {
        let mut c = Config::defaults();
        // 2026-11-25 16:32:00 UTC
        assert_eq!(c.local_time(1_764_088_320), "16:32");
        c.timezone = parse_timezone("America/Chicago").unwrap();
        assert_eq!(c.local_time(1_764_088_320), "10:32");
        assert_eq!(c.staff_time(1_764_088_320), "Tue Nov 25, 10:32");
        assert_eq!(c.staff_date(1_764_088_320), "Tue Nov 25, 2025");
        // Patients read dates in their language; midnight UTC is still the 24th in Chicago.
        assert_eq!(c.patient_date(Lang::En, 1_764_088_320), "Nov 25, 2025");
        assert_eq!(c.patient_date(Lang::Es, 1_764_088_320), "25 nov 2025");
        assert_eq!(c.patient_date_time(Lang::Es, 1_764_028_800), "24 nov 2025, 18:00");
        assert_eq!(c.patient_date_time(Lang::En, 1_764_028_800), "Nov 24, 2025, 18:00");
        assert!(parse_timezone("Mars/Olympus").unwrap_err().contains("IANA"));
    }
}
