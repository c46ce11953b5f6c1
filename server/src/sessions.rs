//! Server-side sessions (SPEC §5): a 256-bit random id in an HttpOnly,
//! SameSite=Lax cookie, stored only as its SHA-256; 20 minutes idle and 12
//! hours absolute; all sessions of an account can be ended at once.

use app::ids::{AccountId, StaffId};

pub use crate::person::Person;

use crate::store::sessions as store;
use crate::audit::{Actor, Entry, Event};
use crate::client::ClientMeta;
use crate::store::{Store, Tx};
use crate::Services;

pub const ABSOLUTE_SECS: i64 = 12 * 60 * 60;
/// Don't write `last_seen_at` more often than this.
const TOUCH_EVERY_SECS: i64 = 15;

pub use crate::store::sessions::Subject;

/// The timeouts; `idle_secs` is configurable for tests of the idle warning.
#[derive(Debug, Clone, Copy)]
pub struct SessionRules {
    pub idle_secs: i64,
    pub absolute_secs: i64,
}

impl SessionRules {
    pub fn is_live(&self, created_at: i64, last_seen_at: i64, now: i64) -> bool {
        now - last_seen_at < self.idle_secs && now - created_at < self.absolute_secs
    }
}

/// The cookie value. Its `Debug` hides it.
pub use crate::tokens::SecretToken as SessionToken;

/// A new patient session (a fresh token: an old id is never reused).
/// A new session of `who`; `stepped_up_at`: when its sign-in passed a second step (or a passkey).
pub async fn create_patient(tx: &mut Tx, who: Person, now: i64, stepped_up_at: Option<i64>) -> sqlx::Result<SessionToken> {
    let token = SessionToken::generate();
    store::insert_patient(tx, &token.storage_key(), who.account, who.chart, now, stepped_up_at).await?;
    Ok(token)
}

pub async fn create_staff(tx: &mut Tx, staff: StaffId, now: i64) -> sqlx::Result<SessionToken> {
    let token = SessionToken::generate();
    store::insert_staff(tx, &token.storage_key(), staff, now).await?;
    Ok(token)
}

/// The live session row of `token` for `subject`, touched when due; an
/// expired one is deleted.
async fn lookup(store: &Store, token: &SessionToken, subject: Subject, rules: SessionRules, now: i64) -> sqlx::Result<Option<store::SessionRow>> {
    let key = token.storage_key();
    let Some(row) = store::find(store, &key, subject).await? else { return Ok(None) };
    if !rules.is_live(row.created_at, row.last_seen_at, now) {
        store::delete(store, &key).await?;
        return Ok(None);
    }
    if now - row.last_seen_at >= TOUCH_EVERY_SECS {
        store::touch(store, &key, now).await?;
    }
    Ok(Some(row))
}

/// The account of a live patient session and the chart it is on: the one
/// it opened on while the account still sees it, else (access to it
/// removed, or ended at 18) the account's home chart, else no chart. Read
/// on every request, so access taken back ends at once for every session.
pub async fn lookup_patient(store: &Store, token: &SessionToken, rules: SessionRules, now: i64) -> sqlx::Result<Option<Person>> {
    let Some(row) = lookup(store, token, Subject::Patient, rules, now).await? else { return Ok(None) };
    let account = AccountId::new(row.subject_id);
    if let Some(chart) = row.patient_id {
        if crate::store::grants::relationship(store, account, chart, now).await?.is_some() {
            return Ok(Some(Person { account, chart: Some(chart) }));
        }
    }
    // The session's chart stopped being shared: the next one, or none (the
    // account stays signed in; its own settings are still its own).
    Ok(Some(Person { account, chart: crate::store::grants::home_chart(store, account, now).await? }))
}

/// The staff member of a live staff session.
pub async fn lookup_staff(store: &Store, token: &SessionToken, rules: SessionRules, now: i64) -> sqlx::Result<Option<StaffId>> {
    Ok(lookup(store, token, Subject::Staff, rules, now).await?.map(|r| StaffId::new(r.subject_id)))
}

pub async fn end(tx: &mut Tx, token: &SessionToken) -> sqlx::Result<()> {
    store::delete(&mut **tx, &token.storage_key()).await
}

/// Ends every session of an account (a password changed, access turned off).
pub async fn end_all_of_account(tx: &mut Tx, account: AccountId) -> sqlx::Result<u64> {
    store::delete_all(tx, Subject::Patient, account.get(), None).await
}

pub async fn end_all_of_staff(tx: &mut Tx, staff: StaffId) -> sqlx::Result<u64> {
    store::delete_all(tx, Subject::Staff, staff.get(), None).await
}

pub async fn sweep(store: &Store, rules: SessionRules, now: i64) -> sqlx::Result<u64> {
    store::delete_expired(store, now - rules.idle_secs, now - rules.absolute_secs).await
}

/// What proved who opens a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proved {
    /// A password (two-step verification off, or the device remembered).
    Password,
    /// A password and then the second step.
    SecondStep,
    Passkey,
    /// A registration from an invitation.
    Registration,
}

impl Proved {
    /// How the audit log's `sign_in` names it (empty for a password).
    fn how(self) -> &'static str {
        match self {
            Proved::Password | Proved::SecondStep => "",
            Proved::Passkey => "passkey",
            Proved::Registration => "registration",
        }
    }

    /// Whether it counts as a second step passed (SPEC §5's recent second step).
    fn steps_up(self) -> bool {
        matches!(self, Proved::SecondStep | Proved::Passkey)
    }
}

/// The one way a patient's session opens, in `tx`, once whatever proves who
/// they are has passed (a password and the lock, a second step, a passkey, a
/// registration): the account is marked signed in, the session this browser
/// presented ends (an id is never reused), a fresh one opens on the
/// person's chart (knowing whether a second step opened it), and `sign_in`
/// is audited with how they proved it.
pub(crate) async fn start(
    svc: &Services,
    tx: &mut Tx,
    who: Person,
    old: Option<&SessionToken>,
    proved: Proved,
    client: &ClientMeta,
    at: i64,
) -> sqlx::Result<SessionToken> {
    crate::store::accounts::mark_signed_in(tx, who.account, at).await?;
    if let Some(old) = old {
        end(tx, old).await?;
    }
    let token = create_patient(tx, who, at, proved.steps_up().then_some(at)).await?;
    let entry = Entry { patient_id: who.chart, actor: Actor::Patient, event: Event::SignIn, detail: proved.how(), client };
    svc.audit.append(tx, entry, at).await?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: SessionRules = SessionRules { idle_secs: 20 * 60, absolute_secs: ABSOLUTE_SECS };

    #[test]
    fn sessions_end_after_20_idle_minutes() {
        assert!(RULES.is_live(0, 100, 100 + 20 * 60 - 1));
        assert!(!RULES.is_live(0, 100, 100 + 20 * 60));
    }

    #[test]
    fn sessions_end_after_12_hours_however_active() {
        assert!(RULES.is_live(0, 12 * 3600 - 2, 12 * 3600 - 1));
        assert!(!RULES.is_live(0, 12 * 3600 - 1, 12 * 3600));
    }
}
