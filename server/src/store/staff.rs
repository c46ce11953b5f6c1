//! Staff accounts (`staff_accounts`) and their second-step challenges
//! (`staff_challenges`); their lock columns are `locks`'.

use app::ids::StaffId;
use crate::store::{Store, Tx};

#[derive(Debug, sqlx::FromRow)]
pub struct StaffRow {
    pub id: StaffId,
    pub name: String,
    pub password_hash: String,
    pub disabled_at: Option<i64>,
}

pub async fn by_email(store: &Store, email: &str) -> sqlx::Result<Option<StaffRow>> {
    sqlx::query_as("SELECT id, name, password_hash, disabled_at FROM staff_accounts WHERE email = $1")
        .bind(email)
        .fetch_optional(&store.pool)
        .await
}

/// The name of an enabled staff member.
pub async fn name_of(store: &Store, id: StaffId) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT name FROM staff_accounts WHERE id = $1 AND disabled_at IS NULL").bind(id).fetch_optional(&store.pool).await
}

/// The name and email of an enabled staff member.
pub async fn name_and_email(store: &Store, id: StaffId) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as("SELECT name, email FROM staff_accounts WHERE id = $1 AND disabled_at IS NULL").bind(id).fetch_optional(&store.pool).await
}

pub async fn insert(store: &Store, email: &str, name: &str, password_hash: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO staff_accounts (email, name, password_hash, created_at) VALUES ($1, $2, $3, $4)")
        .bind(email)
        .bind(name)
        .bind(password_hash)
        .bind(now)
        .execute(&store.pool)
        .await?;
    Ok(())
}

/// A staff member's authenticator: the sealed secret (if one was made), when
/// the first code was accepted (enrolled), and the last time step used.
#[derive(Debug, sqlx::FromRow)]
pub struct SecondFactorRow {
    pub totp_secret: Option<String>,
    pub totp_enrolled_at: Option<i64>,
    pub totp_last_step: i64,
}

pub async fn second_factor(store: &Store, id: StaffId) -> sqlx::Result<Option<SecondFactorRow>> {
    sqlx::query_as("SELECT totp_secret, totp_enrolled_at, totp_last_step FROM staff_accounts WHERE id = $1")
        .bind(id)
        .fetch_optional(&store.pool)
        .await
}

/// Keeps a new (sealed) secret for a staff member whose authenticator is
/// not set up yet, in place of any offered before (nothing once it is set up).
pub async fn offer_secret(store: &Store, id: StaffId, sealed: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE staff_accounts SET totp_secret = $1 WHERE id = $2 AND totp_enrolled_at IS NULL")
        .bind(sealed)
        .bind(id)
        .execute(&store.pool)
        .await?;
    Ok(())
}

/// Records that a code of time step `step` was accepted: only if no code of
/// that step or a later one was (so each code works once). Enrolls on the first.
pub async fn use_step(tx: &mut Tx, id: StaffId, step: i64, at: i64) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE staff_accounts SET totp_last_step = $1, totp_enrolled_at = COALESCE(totp_enrolled_at, $2) \
         WHERE id = $3 AND totp_last_step < $1 AND totp_secret IS NOT NULL",
    )
    .bind(step)
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn insert_challenge(tx: &mut Tx, token_key: &str, staff_id: StaffId, at: i64, expires_at: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO staff_challenges (token_hash, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_key)
        .bind(staff_id)
        .bind(at)
        .bind(expires_at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The staff member a live challenge is for.
pub async fn challenge(store: &Store, token_key: &str, at: i64) -> sqlx::Result<Option<StaffId>> {
    sqlx::query_scalar("SELECT staff_id FROM staff_challenges WHERE token_hash = $1 AND expires_at > $2")
        .bind(token_key)
        .bind(at)
        .fetch_optional(&store.pool)
        .await
}

/// Ends every challenge of a staff member (used up, disabled, reset).
pub async fn end_challenges(tx: &mut Tx, staff_id: StaffId) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM staff_challenges WHERE staff_id = $1").bind(staff_id).execute(&mut **tx).await?;
    Ok(())
}

/// One line of `portal staff list`.
#[derive(Debug, sqlx::FromRow)]
pub struct ListedRow {
    pub id: StaffId,
    pub email: String,
    pub name: String,
    pub disabled_at: Option<i64>,
    pub totp_enrolled_at: Option<i64>,
    pub locked_until: Option<i64>,
}

pub async fn list(store: &Store) -> sqlx::Result<Vec<ListedRow>> {
    sqlx::query_as("SELECT id, email, name, disabled_at, totp_enrolled_at, locked_until FROM staff_accounts ORDER BY email")
        .fetch_all(&store.pool)
        .await
}

pub async fn id_of(tx: &mut Tx, email: &str) -> sqlx::Result<Option<StaffId>> {
    sqlx::query_scalar("SELECT id FROM staff_accounts WHERE email = $1").bind(email).fetch_optional(&mut **tx).await
}

pub async fn set_disabled(tx: &mut Tx, id: StaffId, disabled_at: Option<i64>) -> sqlx::Result<()> {
    sqlx::query("UPDATE staff_accounts SET disabled_at = $1 WHERE id = $2").bind(disabled_at).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Forgets the authenticator: the next sign-in sets up a new one.
pub async fn reset_second_factor(tx: &mut Tx, id: StaffId) -> sqlx::Result<()> {
    sqlx::query("UPDATE staff_accounts SET totp_secret = NULL, totp_enrolled_at = NULL, totp_last_step = 0 WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
