//! The lock columns (`failed_attempts`, `locked_until`) of patient and staff
//! accounts: the queries of the one lockout (`crate::lockout`), which holds
//! the rules. Each read for a change takes the row's lock (PostgreSQL) or
//! runs in a write transaction (SQLite), so concurrent tries queue.

use app::ids::{AccountId, StaffId};

use crate::store::{Store, Tx};

/// A lock as stored: failed tries in a row, and until when it holds (its
/// rules are `crate::lockout`'s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LockState {
    pub failures: i64,
    pub locked_until: Option<i64>,
    /// Wrong second-factor codes in a row, across locks (patients' accounts).
    pub second_factor_misses: i64,
}

/// The account whose lock is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LockHolder {
    Account(AccountId),
    Staff(StaffId),
}

#[derive(sqlx::FromRow)]
struct LockRow {
    failed_attempts: i64,
    locked_until: Option<i64>,
    second_factor_misses: i64,
}

impl From<LockRow> for LockState {
    fn from(r: LockRow) -> Self {
        LockState { failures: r.failed_attempts, locked_until: r.locked_until, second_factor_misses: r.second_factor_misses }
    }
}

/// The holder's lock as it stands; `None` when there is no such account.
pub async fn read(store: &Store, holder: LockHolder) -> sqlx::Result<Option<LockState>> {
    let sql = match holder {
        LockHolder::Account(_) => "SELECT failed_attempts, locked_until, second_factor_misses FROM accounts WHERE id = $1",
        LockHolder::Staff(_) => "SELECT failed_attempts, locked_until, 0 AS second_factor_misses FROM staff_accounts WHERE id = $1",
    };
    let row: Option<LockRow> = sqlx::query_as(sql).bind(holder.id()).fetch_optional(&store.pool).await?;
    Ok(row.map(LockState::from))
}

/// The holder's lock, read for a change in `tx`; `None` when the row is gone.
pub async fn read_for_update(store: &Store, tx: &mut Tx, holder: LockHolder) -> sqlx::Result<Option<LockState>> {
    // Only a fixed suffix (" FOR UPDATE" or nothing) is added to the literal.
    let sql = match holder {
        LockHolder::Account(_) => "SELECT failed_attempts, locked_until, second_factor_misses FROM accounts WHERE id = $1",
        LockHolder::Staff(_) => "SELECT failed_attempts, locked_until, 0 AS second_factor_misses FROM staff_accounts WHERE id = $1",
    };
    let sql = sqlx::AssertSqlSafe(format!("{sql}{}", store.for_update()));
    let row: Option<LockRow> = sqlx::query_as(sql).bind(holder.id()).fetch_optional(&mut **tx).await?;
    Ok(row.map(LockState::from))
}

/// Writes `state` (a counted try, or [`LockState::cleared`]); false when
/// there is no such account.
pub async fn write(tx: &mut Tx, holder: LockHolder, state: LockState, at: i64) -> sqlx::Result<bool> {
    let query = match holder {
        LockHolder::Account(id) => sqlx::query(
            "UPDATE accounts SET failed_attempts = $1, locked_until = $2, updated_at = $3, second_factor_misses = $5 WHERE id = $4",
        )
        .bind(state.failures)
        .bind(state.locked_until)
        .bind(at)
        .bind(id)
        .bind(state.second_factor_misses),
        // Staff rows keep no `updated_at`.
        LockHolder::Staff(id) => sqlx::query("UPDATE staff_accounts SET failed_attempts = $1, locked_until = $2 WHERE id = $3")
            .bind(state.failures)
            .bind(state.locked_until)
            .bind(id),
    };
    Ok(query.execute(&mut **tx).await?.rows_affected() > 0)
}

impl LockHolder {
    fn id(self) -> i64 {
        match self {
            LockHolder::Account(id) => id.get(),
            LockHolder::Staff(id) => id.get(),
        }
    }
}

/// One more wrong second-factor code for `account`, in `tx`: the count now.
pub async fn second_factor_missed(tx: &mut Tx, account: AccountId) -> sqlx::Result<i64> {
    sqlx::query_scalar("UPDATE accounts SET second_factor_misses = second_factor_misses + 1 WHERE id = $1 RETURNING second_factor_misses")
        .bind(account)
        .fetch_one(&mut **tx)
        .await
}
