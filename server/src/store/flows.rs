//! Reset flows (`reset_flows`): the queries of the reset wizard's steps and
//! of what ends a flow from outside (a newer link, a revoke).

use app::ids::AccountId;
use crate::store::states::{Channel, Step};
use crate::store::{Hold, Store, Tx};

/// One `reset_flows` row as a step reads and writes it.
#[derive(Debug, sqlx::FromRow)]
pub struct FlowRow {
    pub id: i64,
    pub account_id: AccountId,
    pub step: Step,
    pub expires_at: i64,
    pub answer_failures: i64,
    pub code_hmac: Option<String>,
    pub code_channel: Option<Channel>,
    pub code_sent_at: Option<i64>,
    pub code_sends: i64,
    pub code_failures: i64,
    pub number_failures: i64,
}

/// The flow whose token hashes to `token_key`.
pub async fn load(store: &Store, token_key: &str) -> sqlx::Result<Option<FlowRow>> {
    load_held(&store.pool, token_key, Hold::NO).await
}

/// [`load`] in `tx`, which will write the flow: its row is held until `tx` ends.
pub async fn load_for_update(store: &Store, tx: &mut Tx, token_key: &str) -> sqlx::Result<Option<FlowRow>> {
    load_held(&mut **tx, token_key, store.held()).await
}

async fn load_held<'c, E>(db: E, token_key: &str, hold: Hold) -> sqlx::Result<Option<FlowRow>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    // Only a fixed suffix (" FOR UPDATE" or nothing) is added to the literal.
    let sql = format!(
        "SELECT id, account_id, step, expires_at, answer_failures, code_hmac, code_channel, code_sent_at, \
         code_sends, code_failures, number_failures FROM reset_flows WHERE token_hash = $1{}",
        hold.suffix()
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(token_key).fetch_optional(db).await
}

/// Writes a step's changes to its flow.
pub async fn save(tx: &mut Tx, r: &FlowRow, at: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE reset_flows SET step = $1, answer_failures = $2, code_hmac = $3, code_channel = $4, code_sent_at = $5, \
         code_sends = $6, code_failures = $7, updated_at = $8, number_failures = $10 WHERE id = $9",
    )
    .bind(r.step)
    .bind(r.answer_failures)
    .bind(&r.code_hmac)
    .bind(r.code_channel)
    .bind(r.code_sent_at)
    .bind(r.code_sends)
    .bind(r.code_failures)
    .bind(at)
    .bind(r.id)
    .bind(r.number_failures)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A new flow for the link whose token hashes to `token_key`.
pub async fn create(tx: &mut Tx, token_key: &str, account_id: AccountId, step: Step, expires_at: i64, at: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO reset_flows (token_hash, account_id, step, created_at, expires_at, updated_at) VALUES ($1, $2, $3, $4, $5, $4)",
    )
    .bind(token_key)
    .bind(account_id)
    .bind(step)
    .bind(at)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Ends every live reset flow of an account (a newer link, a revoke).
pub async fn void_open(tx: &mut Tx, account_id: AccountId, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE reset_flows SET step = $3, updated_at = $1 WHERE account_id = $2 AND step NOT IN ($4, $3)")
        .bind(at)
        .bind(account_id)
        .bind(Step::Void)
        .bind(Step::Done)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An email of the recovery flows that the hourly limit counts per account (SPEC §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoveryEmail {
    ResetLink,
    UsernameReminder,
}

impl RecoveryEmail {
    fn stored(self) -> &'static str {
        match self {
            RecoveryEmail::ResetLink => "reset_link",
            RecoveryEmail::UsernameReminder => "username_reminder",
        }
    }
}

/// How many `kind` emails went to `account_id` after `since`.
pub async fn emails_sent_since(tx: &mut Tx, account_id: AccountId, kind: RecoveryEmail, since: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM recovery_emails WHERE account_id = $1 AND kind = $2 AND sent_at > $3")
        .bind(account_id)
        .bind(kind.stored())
        .bind(since)
        .fetch_one(&mut **tx)
        .await
}

/// One more `kind` email went to `account_id` at `at`.
pub async fn email_sent(tx: &mut Tx, account_id: AccountId, kind: RecoveryEmail, at: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO recovery_emails (account_id, kind, sent_at) VALUES ($1, $2, $3)")
        .bind(account_id)
        .bind(kind.stored())
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Forgets the emails sent at or before `before` (they count for nothing any more).
pub async fn sweep_emails(store: &crate::store::Store, before: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM recovery_emails WHERE sent_at <= $1").bind(before).execute(&store.pool).await?.rows_affected())
}
