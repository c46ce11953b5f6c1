//! Who acts in the portal: an account (the person signed in, or signing in)
//! and the chart it acts on (SPEC §2.7). A session holds one; what the
//! person does is audited on that chart; their credentials, lock and second
//! step are the account's.

use app::ids::{AccountId, PatientId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Person {
    pub account: AccountId,
    /// The chart the person is on: their own, else the first they were given.
    pub chart: PatientId,
}
