//! Telling "the database is away" (restarting, unreachable, refusing
//! connections) from every other failure: the first is answered 503 with
//! `Retry-After`, and the pool reconnects on its own when the database is
//! back; the second is a bug, answered 500.

use std::error::Error;

/// How long a request waits for a pooled connection before it is told the
/// portal is unavailable, instead of hanging until the request timeout.
pub const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// Whether `e` means the database could not be reached or dropped the
/// connection, rather than refusing a statement.
pub fn is_outage(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Protocol(_) => true,
        // SQLSTATE classes 08 (connection exception), 57P (operator
        // intervention: shutdown, cannot connect now) and 53 (out of
        // resources: too many connections); 55000 is what a database that
        // does not accept connections answers.
        sqlx::Error::Database(d) => d
            .code()
            .is_some_and(|c| c.starts_with("08") || c.starts_with("57P") || c.starts_with("53") || c == "55000"),
        _ => false,
    }
}

/// Whether an error, or anything in its chain of causes, is an outage.
pub fn caused_by_outage(e: &(dyn Error + 'static)) -> bool {
    let mut next = Some(e);
    while let Some(err) = next {
        if err.downcast_ref::<sqlx::Error>().is_some_and(is_outage) {
            return true;
        }
        next = err.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_failures_are_outages_and_statement_errors_are_not() {
        let refused = sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert!(is_outage(&refused));
        assert!(is_outage(&sqlx::Error::PoolTimedOut));
        assert!(!is_outage(&sqlx::Error::RowNotFound));
        assert!(!is_outage(&sqlx::Error::ColumnNotFound("x".into())));
        let wrapped = anyhow::Error::new(sqlx::Error::PoolTimedOut).context("reading the outbox");
        assert!(caused_by_outage(wrapped.as_ref()));
        let other = anyhow::anyhow!("not a database error");
        assert!(!caused_by_outage(other.as_ref()));
    }
}
