//! How many two-step codes one account is sent (SPEC §5): at most 3 in 10
//! minutes and 10 a day, across sign-ins, resends and set-up. A known
//! password then can't flood a patient's phone or inbox, or run up the
//! practice's text-message bill on a number someone chose. Past the cap no
//! code goes: the patient reads "Too many codes were sent. Use another way to
//! verify, or try again later." (a backup code, or the authenticator app).

use app::ids::AccountId;

use crate::store::two_step as store;
use crate::store::{Store, Tx};

/// Codes in any 10 minutes.
pub const IN_TEN_MINUTES: i64 = 3;
const TEN_MINUTES_SECS: i64 = 10 * 60;
/// Codes in any 24 hours.
pub const IN_A_DAY: i64 = 10;
const DAY_SECS: i64 = 24 * 60 * 60;

/// The codes an account was sent in each window before this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub last_ten_minutes: i64,
    pub last_day: i64,
}

impl Sent {
    pub fn allows_another(self) -> bool {
        self.last_ten_minutes < IN_TEN_MINUTES && self.last_day < IN_A_DAY
    }

    /// The windows that end at `at`, as the store counts them: since when.
    fn windows(at: i64) -> (i64, i64) {
        (at - TEN_MINUTES_SECS, at - DAY_SECS)
    }

    fn counted((last_ten_minutes, last_day): (i64, i64)) -> Sent {
        Sent { last_ten_minutes, last_day }
    }
}

/// What the cap leaves `account` at `at` (a read: what a page shows).
pub async fn sent(store: &Store, account: AccountId, at: i64) -> sqlx::Result<Sent> {
    let (ten_minutes, day) = Sent::windows(at);
    store::codes_sent_since(store, account, ten_minutes, day).await.map(Sent::counted)
}

/// Takes a place for one more code at `at`: false, and nothing kept, past the
/// cap. The caller holds the account's two-step row in `tx`
/// (`store::two_step::setting_for_update`), so two sends can't both take the
/// last place.
pub async fn take(tx: &mut Tx, account: AccountId, at: i64) -> sqlx::Result<bool> {
    let (ten_minutes, day) = Sent::windows(at);
    if !Sent::counted(store::codes_sent_since(&mut **tx, account, ten_minutes, day).await?).allows_another() {
        return Ok(false);
    }
    store::code_sent(tx, account, at).await?;
    Ok(true)
}

/// Forgets the sends no window counts any more.
pub async fn sweep(store: &Store, at: i64) -> sqlx::Result<u64> {
    store::sweep_codes_sent(store, at - DAY_SECS).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_in_ten_minutes_and_ten_a_day() {
        assert!(Sent { last_ten_minutes: IN_TEN_MINUTES - 1, last_day: IN_A_DAY - 1 }.allows_another());
        assert!(!Sent { last_ten_minutes: IN_TEN_MINUTES, last_day: IN_TEN_MINUTES }.allows_another());
        assert!(!Sent { last_ten_minutes: 0, last_day: IN_A_DAY }.allows_another());
    }
}
