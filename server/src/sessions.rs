//! Server-side sessions (SPEC §5): a 256-bit random id in an HttpOnly,
//! SameSite=Lax cookie, stored only as its SHA-256; 20 minutes idle and 12
//! hours absolute; all sessions of an account can be ended at once.

use crate::store::{Store, Tx};

pub const PATIENT_COOKIE: &str = "portal_session";
/// Staff sessions have their own cookie: one browser may hold both, and
/// neither ever opens the other's pages.
pub const STAFF_COOKIE: &str = "portal_staff_session";
pub const ABSOLUTE_SECS: i64 = 12 * 60 * 60;
/// Don't write `last_seen_at` more often than this.
const TOUCH_EVERY_SECS: i64 = 15;

crate::store::states::text_enum! {
    /// Whose session it is (`sessions.subject_kind`).
    Subject {
        Patient = "patient",
        Staff = "staff",
    }
}

/// The timeouts; `idle_secs` is configurable for tests of the idle warning.
#[derive(Debug, Clone, Copy)]
pub struct SessionRules {
    pub idle_secs: i64,
    pub absolute_secs: i64,
}

impl SessionRules {
    pub fn is_live(&self, created_at: i64, last_seen_at: i64, now: i64) -> bool {
        now - last_seen_at < self.idle_secs && now - created_at < self.absolute_secs
    }
}

/// The cookie value. Its `Debug` hides it.
pub use crate::tokens::SecretToken as SessionToken;

pub async fn create(tx: &mut Tx, subject: Subject, subject_id: i64, now: i64) -> sqlx::Result<SessionToken> {
    let token = SessionToken::generate();
    sqlx::query(
        "INSERT INTO sessions (id_hash, subject_kind, subject_id, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(token.storage_key())
    .bind(subject)
    .bind(subject_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(token)
}

/// The subject of a live session, touching its idle timer; an expired session is deleted.
pub async fn lookup(
    store: &Store,
    token: &SessionToken,
    subject: Subject,
    rules: SessionRules,
    now: i64,
) -> sqlx::Result<Option<i64>> {
    let key = token.storage_key();
    let row: Option<(i64, i64, i64)> = sqlx::query_as(
        "SELECT subject_id, created_at, last_seen_at FROM sessions WHERE id_hash = $1 AND subject_kind = $2",
    )
    .bind(&key)
    .bind(subject)
    .fetch_optional(&store.pool)
    .await?;
    let Some((subject_id, created_at, last_seen_at)) = row else { return Ok(None) };
    if !rules.is_live(created_at, last_seen_at, now) {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(&key).execute(&store.pool).await?;
        return Ok(None);
    }
    if now - last_seen_at >= TOUCH_EVERY_SECS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(&key)
            .execute(&store.pool)
            .await?;
    }
    Ok(Some(subject_id))
}

pub async fn end(tx: &mut Tx, token: &SessionToken) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(token.storage_key()).execute(&mut **tx).await?;
    Ok(())
}

pub async fn end_all(tx: &mut Tx, subject: Subject, subject_id: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE subject_kind = $1 AND subject_id = $2")
        .bind(subject)
        .bind(subject_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// Ends every session of an account but `keep` (the one changing its password).
pub async fn end_others(tx: &mut Tx, subject: Subject, subject_id: i64, keep: &SessionToken) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE subject_kind = $1 AND subject_id = $2 AND id_hash <> $3")
        .bind(subject)
        .bind(subject_id)
        .bind(keep.storage_key())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// Deletes every session past either timeout.
pub async fn sweep(store: &Store, rules: SessionRules, now: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at <= $1 OR created_at <= $2")
        .bind(now - rules.idle_secs)
        .bind(now - rules.absolute_secs)
        .execute(&store.pool)
        .await?;
    Ok(done.rows_affected())
}

/// Our cookies' common attributes: the whole site, HttpOnly, SameSite=Lax,
/// and Secure behind TLS.
pub fn cookie<'c>(name: &'c str, value: &'c str, secure: bool) -> cookie::CookieBuilder<'c> {
    cookie::Cookie::build((name, value)).path("/").http_only(true).same_site(cookie::SameSite::Lax).secure(secure)
}

/// `Set-Cookie` for a new session: no Max-Age, the server decides when it ends.
pub fn set_cookie(name: &str, token: &SessionToken, secure: bool) -> String {
    cookie(name, token.expose(), secure).build().to_string()
}

pub fn clear_cookie(name: &str, secure: bool) -> String {
    cookie(name, "", secure).max_age(cookie::time::Duration::ZERO).build().to_string()
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn read_cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: SessionRules = SessionRules { idle_secs: 20 * 60, absolute_secs: ABSOLUTE_SECS };

    #[test]
    fn sessions_end_after_20_idle_minutes() {
        assert!(RULES.is_live(0, 100, 100 + 20 * 60 - 1));
        assert!(!RULES.is_live(0, 100, 100 + 20 * 60));
    }

    #[test]
    fn sessions_end_after_12_hours_however_active() {
        assert!(RULES.is_live(0, 12 * 3600 - 2, 12 * 3600 - 1));
        assert!(!RULES.is_live(0, 12 * 3600 - 1, 12 * 3600));
    }

    #[test]
    fn the_cookie_is_httponly_lax_and_secure_behind_tls() {
        let t = SessionToken::from_presented("abc".into());
        let c = set_cookie(PATIENT_COOKIE, &t, false);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && !c.contains("Secure"));
        assert!(set_cookie(PATIENT_COOKIE, &t, true).contains("Secure"));
    }

    #[test]
    fn cookies_are_read_from_any_cookie_header() {
        let mut h = http::HeaderMap::new();
        h.append(http::header::COOKIE, "a=1; portal_session=xyz".parse().unwrap());
        assert_eq!(read_cookie(&h, PATIENT_COOKIE).as_deref(), Some("xyz"));
        assert_eq!(read_cookie(&h, "missing"), None);
    }
}
