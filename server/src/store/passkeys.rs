//! Patients' passkeys (`passkeys`, `passkey_users`) and the ceremonies in
//! progress (`passkey_ceremonies`).

use app::ids::AccountId;
use crate::store::{Store, Tx};

/// The account's WebAuthn user handle, made once.
pub async fn user_handle(store: &Store, account_id: AccountId, fresh: &str) -> sqlx::Result<String> {
    let mut tx = store.begin_write().await?;
    sqlx::query("INSERT INTO passkey_users (account_id, user_handle) VALUES ($1, $2) ON CONFLICT (account_id) DO NOTHING")
        .bind(account_id)
        .bind(fresh)
        .execute(&mut *tx)
        .await?;
    let handle = sqlx::query_scalar("SELECT user_handle FROM passkey_users WHERE account_id = $1").bind(account_id).fetch_one(&mut *tx).await?;
    tx.commit().await?;
    Ok(handle)
}

/// The account a user handle belongs to.
pub async fn account_of_handle(store: &Store, handle: &str) -> sqlx::Result<Option<AccountId>> {
    sqlx::query_scalar("SELECT account_id FROM passkey_users WHERE user_handle = $1").bind(handle).fetch_optional(&store.pool).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PasskeyRow {
    pub id: i64,
    pub account_id: AccountId,
    pub credential_id: String,
    pub name: String,
    /// webauthn-rs's `Passkey`, as JSON.
    pub passkey: String,
    pub counter: i64,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

const PASSKEY: &str = "SELECT id, account_id, credential_id, name, passkey, counter, created_at, last_used_at FROM passkeys";

pub async fn of_account<'c, E>(db: E, account_id: AccountId) -> sqlx::Result<Vec<PasskeyRow>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let sql = format!("{PASSKEY} WHERE account_id = $1 ORDER BY created_at, id");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(account_id).fetch_all(db).await
}

pub async fn count_of_account<'c, E>(db: E, account_id: AccountId) -> sqlx::Result<i64>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_scalar("SELECT COUNT(*) FROM passkeys WHERE account_id = $1").bind(account_id).fetch_one(db).await
}

/// The passkey with this credential id, its row held until `tx` ends.
pub async fn by_credential_for_update(store: &Store, tx: &mut Tx, credential_id: &str) -> sqlx::Result<Option<PasskeyRow>> {
    let sql = format!("{PASSKEY} WHERE credential_id = $1{}", store.for_update());
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(credential_id).fetch_optional(&mut **tx).await
}

pub async fn insert(tx: &mut Tx, account_id: AccountId, credential_id: &str, name: &str, passkey: &str, at: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO passkeys (account_id, credential_id, name, passkey, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(account_id)
        .bind(credential_id)
        .bind(name)
        .bind(passkey)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A sign-in with the passkey: its new counter and credential state.
pub async fn used(tx: &mut Tx, id: i64, passkey: &str, counter: i64, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE passkeys SET passkey = $1, counter = $2, last_used_at = $3 WHERE id = $4")
        .bind(passkey)
        .bind(counter)
        .bind(at)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Removes an account's passkey; its name, when there was one to remove.
pub async fn remove(tx: &mut Tx, account_id: AccountId, id: i64) -> sqlx::Result<Option<String>> {
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM passkeys WHERE id = $1 AND account_id = $2")
        .bind(id)
        .bind(account_id)
        .fetch_optional(&mut **tx)
        .await?;
    if name.is_some() {
        sqlx::query("DELETE FROM passkeys WHERE id = $1 AND account_id = $2").bind(id).bind(account_id).execute(&mut **tx).await?;
    }
    Ok(name)
}

crate::store::states::text_enum! {
    /// What a passkey ceremony is for (`passkey_ceremonies.kind`).
    CeremonyKind {
        Register = "register",
        SignIn = "sign_in",
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CeremonyRow {
    pub id: i64,
    pub kind: CeremonyKind,
    pub account_id: Option<AccountId>,
    pub name: Option<String>,
    pub state: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

pub struct NewCeremony<'a> {
    pub token_key: &'a str,
    pub kind: CeremonyKind,
    pub account_id: Option<AccountId>,
    pub name: Option<&'a str>,
    pub state: &'a str,
}

pub async fn insert_ceremony(store: &Store, c: NewCeremony<'_>, at: i64, expires_at: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO passkey_ceremonies (token_hash, kind, account_id, name, state, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(c.token_key)
    .bind(c.kind)
    .bind(c.account_id)
    .bind(c.name)
    .bind(c.state)
    .bind(at)
    .bind(expires_at)
    .execute(&store.pool)
    .await?;
    Ok(())
}

/// Takes a ceremony for its finish, right or wrong: the row as it was, now
/// marked used (only the first finish gets one that was unused).
pub async fn take_ceremony(store: &Store, token_key: &str, at: i64) -> sqlx::Result<Option<CeremonyRow>> {
    let mut tx = store.begin_write().await?;
    let sql = format!(
        "SELECT id, kind, account_id, name, state, expires_at, used_at FROM passkey_ceremonies WHERE token_hash = $1{}",
        store.for_update()
    );
    let row: Option<CeremonyRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(token_key).fetch_optional(&mut *tx).await?;
    if let Some(r) = row.as_ref().filter(|r| r.used_at.is_none()) {
        sqlx::query("UPDATE passkey_ceremonies SET used_at = $1 WHERE id = $2").bind(at).bind(r.id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(row)
}

/// Marks the sign-in ceremony whose token hashes to `token_key` spent (its
/// state travels sealed in the token; this row only says it was answered):
/// false when it already was.
pub async fn spend_sign_in(store: &Store, token_key: &str, at: i64, expires_at: i64) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "INSERT INTO passkey_ceremonies (token_hash, kind, account_id, name, state, created_at, expires_at, used_at) \
         VALUES ($1, $2, NULL, NULL, '', $3, $4, $3) ON CONFLICT (token_hash) DO NOTHING",
    )
    .bind(token_key)
    .bind(CeremonyKind::SignIn)
    .bind(at)
    .bind(expires_at)
    .execute(&store.pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Forgets ceremonies that ended an hour ago or more.
pub async fn sweep_ceremonies(store: &Store, at: i64) -> sqlx::Result<u64> {
    let r = sqlx::query("DELETE FROM passkey_ceremonies WHERE expires_at < $1").bind(at - 3600).execute(&store.pool).await?;
    Ok(r.rows_affected())
}

/// Ends an account's ceremonies still under way (its access was turned off).
pub async fn end_ceremonies_of(tx: &mut Tx, account_id: AccountId, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE passkey_ceremonies SET used_at = $1 WHERE account_id = $2 AND used_at IS NULL").bind(at).bind(account_id).execute(&mut **tx).await?;
    Ok(())
}

/// Removes every passkey of an account (staff's "Remove passkeys"); how many.
pub async fn remove_all(tx: &mut Tx, account_id: AccountId) -> sqlx::Result<u64> {
    let r = sqlx::query("DELETE FROM passkeys WHERE account_id = $1").bind(account_id).execute(&mut **tx).await?;
    Ok(r.rows_affected())
}
