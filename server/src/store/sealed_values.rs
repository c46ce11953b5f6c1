//! The columns that hold values sealed with the server's key, read and
//! replaced one by one for `portal rekey` (the rules are `crate::rekey`'s).

use crate::store::{Store, Tx};

/// A column of sealed values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealedColumn {
    /// `outbox.body` of messages still waiting.
    OutboxBody,
    /// `two_step_settings.totp_secret`: a patient's authenticator key.
    PatientAuthenticator,
    /// `two_step_settings.setup_secret`: the key offered while it is off.
    PatientAuthenticatorOffered,
    /// `two_step_settings.codes_to_show`: backup codes shown once.
    BackupCodesToShow,
    /// `staff_accounts.totp_secret`.
    StaffAuthenticator,
    /// `invitations.access_code_sealed`.
    AccessCode,
}

impl SealedColumn {
    pub const ALL: [SealedColumn; 6] = [
        SealedColumn::OutboxBody,
        SealedColumn::PatientAuthenticator,
        SealedColumn::PatientAuthenticatorOffered,
        SealedColumn::BackupCodesToShow,
        SealedColumn::StaffAuthenticator,
        SealedColumn::AccessCode,
    ];

    fn select(self) -> &'static str {
        match self {
            SealedColumn::OutboxBody => "SELECT id, channel, recipient, body AS sealed FROM outbox WHERE body <> ''",
            SealedColumn::PatientAuthenticator => {
                "SELECT account_id AS id, '' AS channel, '' AS recipient, totp_secret AS sealed FROM two_step_settings WHERE totp_secret IS NOT NULL"
            }
            SealedColumn::PatientAuthenticatorOffered => {
                "SELECT account_id AS id, '' AS channel, '' AS recipient, setup_secret AS sealed FROM two_step_settings WHERE setup_secret IS NOT NULL"
            }
            SealedColumn::BackupCodesToShow => {
                "SELECT account_id AS id, '' AS channel, '' AS recipient, codes_to_show AS sealed FROM two_step_settings WHERE codes_to_show IS NOT NULL"
            }
            SealedColumn::StaffAuthenticator => {
                "SELECT id, '' AS channel, '' AS recipient, totp_secret AS sealed FROM staff_accounts WHERE totp_secret IS NOT NULL"
            }
            SealedColumn::AccessCode => {
                "SELECT id, '' AS channel, token_hash AS recipient, access_code_sealed AS sealed FROM invitations WHERE access_code_sealed IS NOT NULL"
            }
        }
    }

    fn update(self) -> &'static str {
        match self {
            SealedColumn::OutboxBody => "UPDATE outbox SET body = $1 WHERE id = $2 AND body = $3",
            SealedColumn::PatientAuthenticator => "UPDATE two_step_settings SET totp_secret = $1 WHERE account_id = $2 AND totp_secret = $3",
            SealedColumn::PatientAuthenticatorOffered => "UPDATE two_step_settings SET setup_secret = $1 WHERE account_id = $2 AND setup_secret = $3",
            SealedColumn::BackupCodesToShow => "UPDATE two_step_settings SET codes_to_show = $1 WHERE account_id = $2 AND codes_to_show = $3",
            SealedColumn::StaffAuthenticator => "UPDATE staff_accounts SET totp_secret = $1 WHERE id = $2 AND totp_secret = $3",
            SealedColumn::AccessCode => "UPDATE invitations SET access_code_sealed = $1 WHERE id = $2 AND access_code_sealed = $3",
        }
    }
}

/// One sealed value and its row (for a message: its channel and recipient;
/// for an invitation: its token's hash).
#[derive(Debug, sqlx::FromRow)]
pub struct SealedValue {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub sealed: String,
}

pub async fn all(store: &Store, column: SealedColumn) -> sqlx::Result<Vec<SealedValue>> {
    sqlx::query_as(column.select()).fetch_all(&store.pool).await
}

/// Replaces `old` with `new` in its row, unless the row changed meanwhile.
pub async fn replace(tx: &mut Tx, column: SealedColumn, id: i64, old: &str, new: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query(column.update()).bind(new).bind(id).bind(old).execute(&mut **tx).await?.rows_affected() == 1)
}
