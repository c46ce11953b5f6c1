//! Who acts in the portal: an account (the person signed in, or signing in)
//! and the chart it acts on, if any (SPEC §2.7). A session holds one; what the
//! person does is audited on that chart; their credentials, lock and second
//! step are the account's.

use app::ids::{AccountId, PatientId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Person {
    pub account: AccountId,
    /// The chart the person is on: their own, else the first they were
    /// given; `None` while no chart is shared with them (a parent whose
    /// child turned 18, a caregiver whose access was removed): the account
    /// is still theirs, and what it does is audited on no chart.
    pub chart: Option<PatientId>,
}
