//! Patients' two-step verification: the setting and its setup
//! (`two_step_settings`), the second steps of sign-ins (`sign_in_challenges`),
//! backup codes and remembered devices.

use app::ids::AccountId;
use crate::store::states::TwoStepMethod;
use crate::store::{Hold, Store, Tx};

/// An account's setting, and a setup in progress.
#[derive(Debug, Default, sqlx::FromRow)]
pub struct SettingRow {
    pub method: Option<TwoStepMethod>,
    /// Sealed (`authenticators`), while the method is the app.
    pub totp_secret: Option<String>,
    pub totp_last_step: i64,
    pub setup_method: Option<TwoStepMethod>,
    pub setup_code_hmac: Option<String>,
    pub setup_sent_at: Option<i64>,
    pub setup_failures: i64,
    /// Sealed: the authenticator key offered while it is off.
    pub setup_secret: Option<String>,
    /// The storage key of the session it was offered to.
    pub setup_secret_session: Option<String>,
    /// Sealed: backup codes a page posted without JavaScript shows once.
    pub codes_to_show: Option<String>,
}

const SETTING: &str = "SELECT method, totp_secret, totp_last_step, setup_method, setup_code_hmac, setup_sent_at, \
     setup_failures, setup_secret, setup_secret_session, codes_to_show FROM two_step_settings WHERE account_id = $1";

/// The account's setting (off, with no setup, when there is no row).
pub async fn setting<'c, E>(db: E, account_id: AccountId) -> sqlx::Result<SettingRow>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(SETTING).bind(account_id).fetch_optional(db).await?.unwrap_or_default())
}

/// The setting, its row held until `tx` ends (`lock` from `Store::for_update`).
pub async fn setting_for_update(store: &Store, tx: &mut Tx, account_id: AccountId) -> sqlx::Result<SettingRow> {
    ensure(tx, account_id).await?;
    let sql = format!("{SETTING}{}", store.for_update());
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(account_id).fetch_optional(&mut **tx).await?.unwrap_or_default())
}

async fn ensure(tx: &mut Tx, account_id: AccountId) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO two_step_settings (account_id) VALUES ($1) ON CONFLICT (account_id) DO NOTHING")
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Keeps a new (sealed) authenticator key offered to the session
/// `session_key`, in place of any key offered before, while it is off.
pub async fn offer_secret(store: &Store, account_id: AccountId, sealed: &str, session_key: &str) -> sqlx::Result<()> {
    let mut tx = store.begin_write().await?;
    ensure(&mut tx, account_id).await?;
    sqlx::query("UPDATE two_step_settings SET setup_secret = $1, setup_secret_session = $2 WHERE account_id = $3 AND method IS NULL")
        .bind(sealed)
        .bind(session_key)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// A setup code was sent by `method` (a resend keeps the count of wrong codes).
pub async fn setup_code_sent(tx: &mut Tx, account_id: AccountId, method: TwoStepMethod, hmac: &str, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE two_step_settings SET setup_method = $1, setup_code_hmac = $2, setup_sent_at = $3 WHERE account_id = $4")
        .bind(method)
        .bind(hmac)
        .bind(at)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A wrong setup code; with `void`, the sent code stops working.
pub async fn setup_code_failed(tx: &mut Tx, account_id: AccountId, void: bool) -> sqlx::Result<()> {
    let sql = if void {
        "UPDATE two_step_settings SET setup_failures = 0, setup_code_hmac = NULL, setup_method = NULL WHERE account_id = $1"
    } else {
        "UPDATE two_step_settings SET setup_failures = setup_failures + 1 WHERE account_id = $1"
    };
    sqlx::query(sql).bind(account_id).execute(&mut **tx).await?;
    Ok(())
}

/// Turns two-step verification on by `method` (with the app's sealed secret
/// and the time step its first code used) and ends the setup.
pub async fn turn_on(tx: &mut Tx, account_id: AccountId, method: TwoStepMethod, totp: Option<(&str, i64)>, at: i64, codes_to_show: Option<&str>) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE two_step_settings SET method = $1, enabled_at = $2, totp_secret = $3, totp_last_step = $4, \
         setup_method = NULL, setup_code_hmac = NULL, setup_sent_at = NULL, setup_failures = 0, setup_secret = NULL, setup_secret_session = NULL, \
         codes_to_show = $5 WHERE account_id = $6",
    )
    .bind(method)
    .bind(at)
    .bind(totp.map(|(s, _)| s))
    .bind(totp.map(|(_, step)| step).unwrap_or(0))
    .bind(codes_to_show)
    .bind(account_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Turns it off: the setting, the backup codes, the remembered devices and
/// the second steps waiting go.
pub async fn turn_off(tx: &mut Tx, account_id: AccountId, at: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE two_step_settings SET method = NULL, enabled_at = NULL, totp_secret = NULL, totp_last_step = 0, \
         setup_method = NULL, setup_code_hmac = NULL, setup_sent_at = NULL, setup_failures = 0, codes_to_show = NULL \
         WHERE account_id = $1",
    )
    .bind(account_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM backup_codes WHERE account_id = $1").bind(account_id).execute(&mut **tx).await?;
    forget_devices(tx, account_id).await?;
    end_challenges(tx, account_id, at).await
}

/// The backup codes kept to show once, forgotten as they are read.
pub async fn take_codes_to_show(store: &Store, account_id: AccountId) -> sqlx::Result<Option<String>> {
    let mut tx = store.begin_write().await?;
    let sql = format!("SELECT codes_to_show FROM two_step_settings WHERE account_id = $1{}", store.for_update());
    let codes: Option<Option<String>> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(account_id).fetch_optional(&mut *tx).await?;
    let codes = codes.flatten();
    if codes.is_some() {
        sqlx::query("UPDATE two_step_settings SET codes_to_show = NULL WHERE account_id = $1").bind(account_id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(codes)
}

/// Records that an authenticator code of time step `step` was accepted, only
/// if no code of that step or a later one was (each code works once).
pub async fn use_step(tx: &mut Tx, account_id: AccountId, step: i64) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE two_step_settings SET totp_last_step = $1 WHERE account_id = $2 AND totp_last_step < $1")
        .bind(step)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Replaces the account's backup codes with these HMACs.
pub async fn replace_backup_codes(tx: &mut Tx, account_id: AccountId, hmacs: &[String]) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM backup_codes WHERE account_id = $1").bind(account_id).execute(&mut **tx).await?;
    for hmac in hmacs {
        sqlx::query("INSERT INTO backup_codes (account_id, code_hmac) VALUES ($1, $2)")
            .bind(account_id)
            .bind(hmac)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Uses up the unused backup code with this HMAC; false when there is none.
pub async fn use_backup_code(tx: &mut Tx, account_id: AccountId, hmac: &str, at: i64) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE backup_codes SET used_at = $1 WHERE account_id = $2 AND code_hmac = $3 AND used_at IS NULL")
        .bind(at)
        .bind(account_id)
        .bind(hmac)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Whether an unused backup code has this HMAC.
pub async fn has_backup_code(store: &Store, account_id: AccountId, hmac: &str) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM backup_codes WHERE account_id = $1 AND code_hmac = $2 AND used_at IS NULL")
        .bind(account_id)
        .bind(hmac)
        .fetch_one(&store.pool)
        .await?;
    Ok(n > 0)
}

/// A sign-in's second step.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChallengeRow {
    pub id: i64,
    pub account_id: AccountId,
    pub method: TwoStepMethod,
    pub created_at: i64,
    pub expires_at: i64,
    pub code_hmac: Option<String>,
    pub code_sent_at: Option<i64>,
    pub code_sends: i64,
    pub code_failures: i64,
    pub ended_at: Option<i64>,
    pub passed_at: Option<i64>,
}

const CHALLENGE: &str = "SELECT id, account_id, method, created_at, expires_at, code_hmac, code_sent_at, code_sends, \
     code_failures, ended_at, passed_at FROM sign_in_challenges";

pub async fn insert_challenge(tx: &mut Tx, token_key: &str, account_id: AccountId, method: TwoStepMethod, at: i64, expires_at: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO sign_in_challenges (token_hash, account_id, method, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(token_key)
    .bind(account_id)
    .bind(method)
    .bind(at)
    .bind(expires_at)
    .fetch_one(&mut **tx)
    .await
}

/// The second step a cookie's token names (ended, passed or expired ones too).
pub async fn challenge(store: &Store, token_key: &str) -> sqlx::Result<Option<ChallengeRow>> {
    challenge_held(&store.pool, token_key, Hold::NO).await
}

/// [`challenge`] in `tx`, which will write it: its row is held until `tx` ends.
pub async fn challenge_for_update(store: &Store, tx: &mut Tx, token_key: &str) -> sqlx::Result<Option<ChallengeRow>> {
    challenge_held(&mut **tx, token_key, store.held()).await
}

async fn challenge_held<'c, E>(db: E, token_key: &str, hold: Hold) -> sqlx::Result<Option<ChallengeRow>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let sql = format!("{CHALLENGE} WHERE token_hash = $1{}", hold.suffix());
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(token_key).fetch_optional(db).await
}

/// The account's newest second step, for the staff's troubleshooting.
pub async fn latest_challenge<'c, E>(db: E, account_id: AccountId) -> sqlx::Result<Option<ChallengeRow>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let sql = format!("{CHALLENGE} WHERE account_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(account_id).fetch_optional(db).await
}

/// A code went out for a second step.
pub async fn challenge_code_sent(tx: &mut Tx, id: i64, hmac: &str, at: i64, expires_at: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE sign_in_challenges SET code_hmac = $1, code_sent_at = $2, code_sends = code_sends + 1, expires_at = $3 WHERE id = $4",
    )
    .bind(hmac)
    .bind(at)
    .bind(expires_at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Counts a wrong code at a second step; the count with it (parallel wrong codes each get their own).
pub async fn challenge_failed(tx: &mut Tx, id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("UPDATE sign_in_challenges SET code_failures = code_failures + 1 WHERE id = $1 RETURNING code_failures")
        .bind(id)
        .fetch_one(&mut **tx)
        .await
}

/// Ends a second step (too many wrong codes, or the account locked).
pub async fn end_challenge(tx: &mut Tx, id: i64, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE sign_in_challenges SET ended_at = COALESCE(ended_at, $1) WHERE id = $2").bind(at).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Marks a live second step passed; false when another request ended or passed it first.
pub async fn challenge_passed(tx: &mut Tx, id: i64, at: i64) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE sign_in_challenges SET passed_at = $1 WHERE id = $2 AND passed_at IS NULL AND ended_at IS NULL")
        .bind(at)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Ends every second step of an account still waiting.
pub async fn end_challenges(tx: &mut Tx, account_id: AccountId, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE sign_in_challenges SET ended_at = $1 WHERE account_id = $2 AND ended_at IS NULL AND passed_at IS NULL")
        .bind(at)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn remember_device(tx: &mut Tx, token_key: &str, account_id: AccountId, at: i64, expires_at: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO remembered_devices (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_key)
        .bind(account_id)
        .bind(at)
        .bind(expires_at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether the device token is remembered for the account and not yet run out.
pub async fn device_remembered(store: &Store, token_key: &str, account_id: AccountId, at: i64) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM remembered_devices WHERE token_hash = $1 AND account_id = $2 AND expires_at > $3")
        .bind(token_key)
        .bind(account_id)
        .bind(at)
        .fetch_one(&store.pool)
        .await?;
    Ok(n > 0)
}

/// Forgets every remembered device of an account; returns how many there were.
pub async fn forget_devices(tx: &mut Tx, account_id: AccountId) -> sqlx::Result<u64> {
    let r = sqlx::query("DELETE FROM remembered_devices WHERE account_id = $1").bind(account_id).execute(&mut **tx).await?;
    Ok(r.rows_affected())
}

/// Two-step codes sent to `account_id` by text or email since each of two
/// moments (`recent`, `day`): what the per-account cap counts.
pub async fn codes_sent_since<'c, E>(db: E, account_id: AccountId, recent: i64, day: i64) -> sqlx::Result<(i64, i64)>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let (recent, day): (Option<i64>, i64) = sqlx::query_as(
        "SELECT SUM(CASE WHEN sent_at > $1 THEN 1 ELSE 0 END), COUNT(*) FROM two_step_sends WHERE account_id = $2 AND sent_at > $3",
    )
    .bind(recent)
    .bind(account_id)
    .bind(day)
    .fetch_one(db)
    .await?;
    Ok((recent.unwrap_or(0), day))
}

/// Forgets the codes sent before `before` (the cap counts a day back).
pub async fn sweep_codes_sent(store: &Store, before: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM two_step_sends WHERE sent_at <= $1").bind(before).execute(&store.pool).await?.rows_affected())
}

/// One more two-step code went to `account_id` at `at`.
pub async fn code_sent(tx: &mut Tx, account_id: AccountId, at: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO two_step_sends (account_id, sent_at) VALUES ($1, $2)").bind(account_id).bind(at).execute(&mut **tx).await?;
    Ok(())
}

/// Forgets second steps begun at or before `begun_before` (long over: a step
/// lives minutes) and remembered devices whose time ran out by `at`.
pub async fn sweep_challenges_and_devices(store: &Store, begun_before: i64, at: i64) -> sqlx::Result<u64> {
    let steps = sqlx::query("DELETE FROM sign_in_challenges WHERE created_at <= $1").bind(begun_before).execute(&store.pool).await?;
    let devices = sqlx::query("DELETE FROM remembered_devices WHERE expires_at <= $1").bind(at).execute(&store.pool).await?;
    Ok(steps.rows_affected() + devices.rows_affected())
}
