//! What the staff chart reads: the chart with its account, the newest
//! invitation and reset flow, recent messages and a page of the audit log.
//! Rows are named structs, read by column name.

use app::ids::{AccountId, PatientId};

use crate::store::{Dialect, Store, Tx};

use crate::store::states::{Channel, DeliveryStatus, EnrollmentState, InvitationState, Relationship, Step};

#[derive(Debug, sqlx::FromRow)]
pub struct ChartRow {
    pub id: PatientId,
    /// The chart's own patient's account, once enrolled.
    pub account_id: Option<AccountId>,
    pub first_name: String,
    pub last_name: String,
    pub dob: app::dob::DateOfBirth,
    pub chart_email: Option<String>,
    pub mobile: Option<app::phone::MobileNumber>,
    /// `None`: never invited (no account row).
    pub state: Option<EnrollmentState>,
    pub invited_email: Option<String>,
    pub username: Option<String>,
    pub failed_attempts: Option<i64>,
    pub locked_until: Option<i64>,
    pub second_factor_misses: Option<i64>,
    pub enrolled_at: Option<i64>,
    pub last_sign_in_at: Option<i64>,
}

pub async fn chart(tx: &mut Tx, id: PatientId) -> sqlx::Result<Option<ChartRow>> {
    sqlx::query_as(
        "SELECT p.id, g.account_id, p.first_name, p.last_name, p.dob, p.email AS chart_email, p.mobile, e.state, e.invited_email, \
         a.username, a.failed_attempts, a.locked_until, a.second_factor_misses, e.enrolled_at, a.last_sign_in_at FROM patients p \
         LEFT JOIN enrollments e ON e.patient_id = p.id \
         LEFT JOIN grants g ON g.patient_id = p.id AND g.relationship = $2 AND g.ended_at IS NULL \
         LEFT JOIN accounts a ON a.id = g.account_id WHERE p.id = $1",
    )
    .bind(id)
    .bind(Relationship::Own)
    .fetch_optional(&mut **tx)
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct InvitationRow {
    pub state: InvitationState,
    pub created_at: i64,
    pub expires_at: i64,
    pub dob_failures: i64,
    pub opened_at: Option<i64>,
}

pub async fn newest_invitation(tx: &mut Tx, patient_id: PatientId) -> sqlx::Result<Option<InvitationRow>> {
    sqlx::query_as(
        "SELECT state, created_at, expires_at, dob_failures, opened_at FROM invitations WHERE patient_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(patient_id)
    .fetch_optional(&mut **tx)
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct ResetRow {
    pub step: Step,
    pub created_at: i64,
    pub expires_at: i64,
    pub code_channel: Option<Channel>,
    pub code_sent_at: Option<i64>,
}

pub async fn newest_reset(tx: &mut Tx, account_id: AccountId) -> sqlx::Result<Option<ResetRow>> {
    sqlx::query_as(
        "SELECT step, created_at, expires_at, code_channel, code_sent_at FROM reset_flows WHERE account_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(account_id)
    .fetch_optional(&mut **tx)
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct MessageRow {
    pub created_at: i64,
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub status: DeliveryStatus,
    pub last_error: Option<String>,
}

/// The newest `limit` messages to a patient, newest first.
pub async fn recent_messages(tx: &mut Tx, patient_id: PatientId, limit: i64) -> sqlx::Result<Vec<MessageRow>> {
    sqlx::query_as(
        "SELECT created_at, channel, recipient, subject, status, last_error FROM outbox WHERE patient_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(patient_id)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct AuditEventRow {
    pub at: i64,
    pub actor: String,
    pub event: String,
    pub detail: String,
    pub ip: String,
    pub user_agent: String,
}

/// Up to `limit` of a patient's audit entries, newest first, after skipping `offset`.
pub async fn audit_events(tx: &mut Tx, patient_id: PatientId, limit: i64, offset: i64) -> sqlx::Result<Vec<AuditEventRow>> {
    // A staff actor is stored by id (`staff:{id}`), so a renamed staff member stays one actor; shown by name.
    sqlx::query_as(
        "SELECT a.at, COALESCE('staff:' || s.name, a.actor) AS actor, a.event, a.detail, a.ip, a.user_agent FROM audit_events a \
         LEFT JOIN staff_accounts s ON a.actor = 'staff:' || CAST(s.id AS TEXT) \
         WHERE a.patient_id = $1 ORDER BY a.id DESC LIMIT $2 OFFSET $3",
    )
        .bind(patient_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut **tx)
        .await
}

/// What the staff search looks for (its text already trimmed and lower-cased).
#[derive(Debug, Clone, Copy)]
pub enum Wanted<'a> {
    Everyone,
    /// `YYYYMMDD`.
    BornOn(&'a str),
    /// The start of a first or last name.
    NamePrefix(&'a str),
}

#[derive(Debug, sqlx::FromRow)]
pub struct ListRow {
    pub id: PatientId,
    pub first_name: String,
    pub last_name: String,
    pub dob: app::dob::DateOfBirth,
    pub state: Option<EnrollmentState>,
}

/// A name prefix matching at least this many charts counts as common.
const COMMON_PREFIX: i64 = 1000;

/// How many charts a lower-cased name prefix matches, counted no further
/// than [`COMMON_PREFIX`] (index only; cheap whatever the store's size).
async fn prefix_matches(store: &Store, q: &str, upper: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM (SELECT 1 FROM patients WHERE lower(last_name) >= $1 AND lower(last_name) < $2 LIMIT $3) l) \
              + (SELECT count(*) FROM (SELECT 1 FROM patients WHERE lower(first_name) >= $1 AND lower(first_name) < $2 LIMIT $3) f)",
    )
    .bind(q)
    .bind(upper)
    .bind(COMMON_PREFIX)
    .fetch_one(&store.pool)
    .await
}

/// Up to `limit` charts `wanted` names, after skipping `offset`, by last name, first name, id.
pub async fn search(store: &Store, wanted: Wanted<'_>, limit: i64, offset: i64) -> sqlx::Result<Vec<ListRow>> {
    // `hint`: an SQLite index hint for `patients`, or nothing.
    let select = |hint: &str| {
        format!("SELECT p.id, p.first_name, p.last_name, p.dob, a.state FROM patients p {hint} LEFT JOIN enrollments a ON a.patient_id = p.id")
    };
    let order = "ORDER BY p.last_name, p.first_name, p.id LIMIT $2 OFFSET $3";
    match wanted {
        Wanted::BornOn(dob) => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{} WHERE p.dob = $1 {order}", select(""))))
                .bind(dob)
                .bind(limit)
                .bind(offset)
                .fetch_all(&store.pool)
                .await
        }
        Wanted::Everyone => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{} WHERE $1 = '' {order}", select(""))))
                .bind("")
                .bind(limit)
                .bind(offset)
                .fetch_all(&store.pool)
                .await
        }
        Wanted::NamePrefix(q) => {
            // A prefix range on the lower-cased names, which their indexes serve;
            // the matches are then sorted. A common prefix ("s") would make that
            // sort grow with the store, so SQLite walks the name index in list
            // order instead and stops at the page's end (PostgreSQL's planner
            // makes the same choice from its statistics; SQLite's can't).
            let upper = format!("{q}\u{10ffff}");
            let walk = store.dialect == Dialect::Sqlite && prefix_matches(store, q, &upper).await? >= COMMON_PREFIX;
            let hint = if walk { "INDEXED BY patients_by_name" } else { "" };
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{} WHERE (lower(p.last_name) >= $1 AND lower(p.last_name) < $4) \
                 OR (lower(p.first_name) >= $1 AND lower(p.first_name) < $4) {order}",
                select(hint)
            )))
            .bind(q)
            .bind(limit)
            .bind(offset)
            .bind(upper)
            .fetch_all(&store.pool)
            .await
        }
    }
}
