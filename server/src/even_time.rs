//! Answers that must not tell, by how long they take, whether an account
//! exists (SPEC §2.2, §2.3: "Forgot password?" and "Forgot username?" answer
//! alike for every input). A known account costs a few more writes than an
//! unknown one — about a millisecond, which a script can measure over many
//! requests — so both answers wait until the same floor has passed.

use std::future::Future;
use std::time::Duration;

/// Above what the writes for a known account take, below what a person notices.
pub const FLOOR: Duration = Duration::from_millis(50);

/// Runs `work`, then waits until `floor` has passed since it began.
pub async fn at_least<T>(floor: Duration, work: impl Future<Output = T>) -> T {
    let deadline = tokio::time::Instant::now() + floor;
    let out = work.await;
    tokio::time::sleep_until(deadline).await;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn quick_work_waits_for_the_floor_and_slow_work_does_not_wait_more() {
        let start = tokio::time::Instant::now();
        assert_eq!(at_least(FLOOR, async { 1 }).await, 1);
        assert_eq!(start.elapsed(), FLOOR);
        let start = tokio::time::Instant::now();
        at_least(FLOOR, tokio::time::sleep(FLOOR * 3)).await;
        assert_eq!(start.elapsed(), FLOOR * 3);
    }
}
