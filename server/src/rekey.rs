//! `portal rekey` (SPEC §6, key rotation): every value sealed with an old
//! key (`PORTAL_OLD_SECRET_KEYS`) is opened and sealed again under the
//! current one (`PORTAL_SECRET_KEY`), so the old key can then go. What a
//! key only signed stays as it is and keeps checking while the old key is
//! listed: the audit chain's MACs (an entry is never rewritten), and the
//! HMACs of codes (backup codes until used, access and setup codes until
//! they run out).

use crate::sealed::Sealer;
use crate::store::sealed_values::{self as store, SealedColumn};
use crate::Services;

/// What a rekey did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Rekeyed {
    /// Values sealed again under the current key.
    pub resealed: u64,
    /// Values no key of the ring opens (left as they are).
    pub unopenable: u64,
}

/// What a column's values are sealed with, and bound to.
fn sealer_and_binding<'s>(svc: &'s Services, column: SealedColumn, v: &store::SealedValue) -> (&'s Sealer, String, String) {
    use crate::two_step::setup::{CODES_SEALED_AS, SEALED_AS};
    match column {
        SealedColumn::OutboxBody => (&svc.bodies, v.channel.clone(), v.recipient.clone()),
        SealedColumn::PatientAuthenticator | SealedColumn::PatientAuthenticatorOffered => (&svc.authenticators, SEALED_AS.into(), v.id.to_string()),
        SealedColumn::BackupCodesToShow => (&svc.authenticators, CODES_SEALED_AS.into(), v.id.to_string()),
        SealedColumn::StaffAuthenticator => (&svc.authenticators, crate::staff::signin::SEALED_AS.into(), v.id.to_string()),
        SealedColumn::AccessCode => (svc.access_codes.sealer(), crate::enrollment::access_codes::SEAL_CHANNEL.into(), v.recipient.clone()),
    }
}

pub async fn rekey(svc: &Services) -> anyhow::Result<Rekeyed> {
    let mut done = Rekeyed::default();
    for column in SealedColumn::ALL {
        for v in store::all(&svc.store, column).await? {
            let (sealer, channel, recipient) = sealer_and_binding(svc, column, &v);
            if sealer.is_current(&v.sealed) {
                continue;
            }
            let Ok(plain) = sealer.open(&channel, &recipient, &v.sealed) else {
                done.unopenable += 1;
                continue;
            };
            let mut tx = svc.store.begin_write().await?;
            if store::replace(&mut tx, column, v.id, &v.sealed, &sealer.seal(&channel, &recipient, &plain)).await? {
                done.resealed += 1;
            }
            tx.commit().await?;
        }
    }
    Ok(done)
}
