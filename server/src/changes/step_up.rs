//! A recent second step (SPEC §5): while two-step verification is on,
//! adding a passkey, turning two-step verification off, changing the mobile
//! number its codes may go to, and inviting a family member need a second
//! step passed in this session within [`RECENT_SECS`] — the sign-in's
//! second step or passkey, or the code that turned two-step verification
//! on. A borrowed session past that can't make them; the patient signs in
//! again.

use crate::internal::Internal as _;
use app::ids::AccountId;
use app::settings::SettingsError;

use crate::sessions::SessionToken;
use crate::store::{sessions, Tx};
use crate::Services;

/// How long a passed second step stands for these changes.
pub const RECENT_SECS: i64 = 10 * 60;

/// Ok when `account` has two-step verification off, or `session` passed a
/// second step within [`RECENT_SECS`].
pub async fn require(svc: &Services, session: &SessionToken, account: AccountId) -> Result<(), SettingsError> {
    if crate::store::two_step::setting(&svc.store, account).await.map_err(SettingsError::internal)?.method.is_none() {
        return Ok(());
    }
    let at = sessions::stepped_up_at(&svc.store, &session.storage_key()).await.map_err(SettingsError::internal)?;
    match at {
        Some(t) if svc.clock.now() - t < RECENT_SECS => Ok(()),
        _ => Err(SettingsError::SignInAgain(RECENT_SECS / 60)),
    }
}

/// `session` passed a second step at `at` (a code that turned two-step verification on).
pub async fn mark(tx: &mut Tx, session: &SessionToken, at: i64) -> sqlx::Result<()> {
    sessions::mark_stepped_up(tx, &session.storage_key(), at).await
}

/// When `session` last passed a second step, to carry into the session a password change opens.
pub async fn of(svc: &Services, session: &SessionToken) -> sqlx::Result<Option<i64>> {
    sessions::stepped_up_at(&svc.store, &session.storage_key()).await
}
