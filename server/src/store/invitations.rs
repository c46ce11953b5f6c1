//! Invitation links (`invitations`), stored as their token's hash.

use app::ids::PatientId;
use app::family::Relation;

use crate::store::states::{InvitationState, Relationship};
use crate::store::{Hold, Store, Tx};

/// What a new invitation row holds.
pub struct NewInvitation<'a> {
    pub token_key: &'a str,
    pub patient_id: PatientId,
    pub email: &'a str,
    pub code_mac: &'a str,
    pub code_sealed: &'a str,
    /// `None`: the chart's own patient.
    pub relation: Option<Relation>,
    pub invitee_name: Option<&'a str>,
    /// The actor as the audit log writes it.
    pub invited_by: &'a str,
}

/// Adds an invitation; its id.
pub async fn insert(tx: &mut Tx, n: &NewInvitation<'_>, at: i64, expires_at: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO invitations (token_hash, patient_id, email, state, created_at, expires_at, updated_at, \
         access_code_mac, access_code_sealed, relationship, invitee_name, invited_by) \
         VALUES ($1, $2, $3, $6, $4, $5, $4, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(n.token_key)
    .bind(n.patient_id)
    .bind(n.email)
    .bind(at)
    .bind(expires_at)
    .bind(InvitationState::Open)
    .bind(n.code_mac)
    .bind(n.code_sealed)
    .bind(n.relation.map(Relationship::from))
    .bind(n.invitee_name)
    .bind(n.invited_by)
    .fetch_one(&mut **tx)
    .await
}

/// Voids the open invitations a new one replaces: the chart's own patient's
/// (`family_email` `None`), or those to the same family member.
pub async fn void_open_of_kind(tx: &mut Tx, patient_id: PatientId, family_email: Option<&str>, at: i64) -> sqlx::Result<()> {
    let base = "UPDATE invitations SET state = $3, updated_at = $1 WHERE patient_id = $2 AND state = $4";
    let q = match family_email {
        None => sqlx::query(sqlx::AssertSqlSafe(format!("{base} AND relationship IS NULL"))),
        Some(_) => sqlx::query(sqlx::AssertSqlSafe(format!("{base} AND relationship IS NOT NULL AND email = $5"))),
    };
    let q = q.bind(at).bind(patient_id).bind(InvitationState::Void).bind(InvitationState::Open);
    match family_email {
        None => q.execute(&mut **tx).await?,
        Some(email) => q.bind(email).execute(&mut **tx).await?,
    };
    Ok(())
}

/// The token key and sealed access code of the chart's newest open,
/// unexpired invitation (to `email`, when given).
pub async fn newest_open_code<'c, E>(db: E, patient_id: PatientId, email: Option<&str>, own_only: bool, at: i64) -> sqlx::Result<Option<(String, String)>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(
        "SELECT token_hash, access_code_sealed FROM invitations WHERE patient_id = $1 AND state = $2 AND expires_at > $3 \
         AND access_code_sealed IS NOT NULL AND ($4 IS NULL OR email = $4) AND ($5 = 0 OR relationship IS NULL) ORDER BY id DESC LIMIT 1",
    )
    .bind(patient_id)
    .bind(InvitationState::Open)
    .bind(at)
    .bind(email)
    .bind(i64::from(own_only))
    .fetch_optional(db)
    .await
}

/// Voids every open invitation of a chart.
pub async fn void_open(tx: &mut Tx, patient_id: PatientId, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE invitations SET state = $3, updated_at = $1 WHERE patient_id = $2 AND state = $4")
        .bind(at)
        .bind(patient_id)
        .bind(InvitationState::Void)
        .bind(InvitationState::Open)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An open, unexpired invitation as read for registration.
#[derive(Debug, sqlx::FromRow)]
pub struct OpenRow {
    pub id: i64,
    pub patient_id: PatientId,
    pub email: String,
    pub dob_failures: i64,
    pub username_probes: i64,
    /// The token's hash: what the access code's HMAC is bound to.
    pub token_hash: String,
    /// `None` for an invitation sent before access codes: it can't be used.
    pub access_code_mac: Option<String>,
    /// `None`: the chart's own patient is invited.
    pub relationship: Option<Relationship>,
    pub invitee_name: Option<String>,
    pub invited_by: Option<String>,
    /// "Text me a code": the newest code's HMAC, when it stops working, when it went, and how many went.
    pub text_code_mac: Option<String>,
    pub text_code_expires_at: Option<i64>,
    pub text_code_sent_at: Option<i64>,
    pub text_code_sends: i64,
}

/// The open invitation whose token hashes to `token_key`, unexpired at `at`.
pub async fn find_open(store: &Store, token_key: &str, at: i64) -> sqlx::Result<Option<OpenRow>> {
    find_open_held(&store.pool, token_key, Hold::NO, at).await
}

/// [`find_open`] in `tx`, which will write the invitation: its row is held until `tx` ends.
pub async fn find_open_for_update(store: &Store, tx: &mut Tx, token_key: &str, at: i64) -> sqlx::Result<Option<OpenRow>> {
    find_open_held(&mut **tx, token_key, store.held(), at).await
}

async fn find_open_held<'c, E>(db: E, token_key: &str, hold: Hold, at: i64) -> sqlx::Result<Option<OpenRow>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    // Only a fixed suffix (" FOR UPDATE" or nothing) is added to the literal.
    let sql = format!(
        "SELECT id, patient_id, email, dob_failures, username_probes, token_hash, access_code_mac, relationship, invitee_name, invited_by, \
         text_code_mac, text_code_expires_at, text_code_sent_at, text_code_sends FROM invitations WHERE token_hash = $1 AND state = $3 AND expires_at > $2{}",
        hold.suffix()
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(token_key).bind(at).bind(InvitationState::Open).fetch_optional(db).await
}

/// What an invitation counts against its cap.
#[derive(Debug, Clone, Copy)]
pub enum Refused {
    /// A date of birth that didn't match the chart.
    Dob,
    /// A username refused as taken (a probe).
    Username,
}

/// Records the `n`th refusal of its kind; `state` is what it leaves the invitation in.
pub async fn count_refusal(tx: &mut Tx, id: i64, refused: Refused, n: i64, state: InvitationState, at: i64) -> sqlx::Result<()> {
    let sql = match refused {
        Refused::Dob => "UPDATE invitations SET dob_failures = $1, state = $2, updated_at = $3 WHERE id = $4",
        Refused::Username => "UPDATE invitations SET username_probes = $1, state = $2, updated_at = $3 WHERE id = $4",
    };
    sqlx::query(sql).bind(n).bind(state).bind(at).bind(id).execute(&mut **tx).await?;
    Ok(())
}

pub async fn mark_used(tx: &mut Tx, id: i64, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE invitations SET state = $3, updated_at = $1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .bind(InvitationState::Used)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The first time the registration form was posted (for the staff panel only;
/// a GET changes nothing: mail scanners open links too).
pub async fn mark_opened<'c, E>(db: E, id: i64, at: i64) -> sqlx::Result<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query("UPDATE invitations SET opened_at = $1 WHERE id = $2 AND opened_at IS NULL").bind(at).bind(id).execute(db).await?;
    Ok(())
}

/// An open family invitation as the patient's settings read it.
#[derive(Debug, sqlx::FromRow)]
pub struct FamilyRow {
    pub id: i64,
    pub token_hash: String,
    pub access_code_sealed: Option<String>,
    pub invitee_name: Option<String>,
    pub email: String,
    pub relationship: Relationship,
    pub expires_at: i64,
}

/// The open family invitation `id` to `patient_id`, expired or not.
pub async fn open_family<'c, E>(db: E, id: i64, patient_id: PatientId) -> sqlx::Result<Option<FamilyRow>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(
        "SELECT id, token_hash, access_code_sealed, invitee_name, email, relationship, expires_at FROM invitations \
         WHERE id = $1 AND patient_id = $2 AND relationship IS NOT NULL AND state = $3",
    )
    .bind(id)
    .bind(patient_id)
    .bind(InvitationState::Open)
    .fetch_optional(db)
    .await
}

/// Voids the open family invitation `id` to `patient_id`; false when there was none.
pub async fn void_family(tx: &mut Tx, id: i64, patient_id: PatientId, at: i64) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE invitations SET state = $1, updated_at = $2 WHERE id = $3 AND patient_id = $4 AND relationship IS NOT NULL AND state = $5")
        .bind(InvitationState::Void)
        .bind(at)
        .bind(id)
        .bind(patient_id)
        .bind(InvitationState::Open)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// How many family invitations to `patient_id` `invited_by` (an actor as the audit log writes it) sent since `since`.
pub async fn family_sent_since<'c, E>(db: E, patient_id: PatientId, invited_by: &str, since: i64) -> sqlx::Result<i64>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_scalar("SELECT COUNT(*) FROM invitations WHERE patient_id = $1 AND invited_by = $2 AND relationship IS NOT NULL AND created_at > $3")
        .bind(patient_id)
        .bind(invited_by)
        .bind(since)
        .fetch_one(db)
        .await
}

/// A code texted for invitation `id`: its HMAC, when it stops working; the `sends`th.
pub async fn text_code_sent(tx: &mut Tx, id: i64, mac: &str, expires_at: i64, sends: i64, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE invitations SET text_code_mac = $1, text_code_expires_at = $2, text_code_sent_at = $3, text_code_sends = $4, updated_at = $3 WHERE id = $5")
        .bind(mac)
        .bind(expires_at)
        .bind(at)
        .bind(sends)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
