//! How a failure we can't blame on the person becomes an answer: logged
//! with its cause, and the browser given the generic message (or, when the
//! database is away, "come back in a few minutes").

use app::error::PortalError;

use crate::credentials::HashError;
use crate::store::outage;

/// Logs the cause and hands the browser the generic message, or, when the
/// database is away, the message that says to come back in a few minutes.
pub fn internal<E: std::fmt::Display + 'static>(e: E) -> PortalError {
    let any = &e as &dyn std::any::Any;
    let away = any.downcast_ref::<sqlx::Error>().is_some_and(outage::is_outage)
        || any.downcast_ref::<anyhow::Error>().is_some_and(|e| outage::caused_by_outage(e.as_ref()));
    if away {
        tracing::warn!(error = %e, "database unavailable");
        // The web layer gives the answer (or the page being rendered) its 503.
        return PortalError::Unavailable;
    }
    tracing::error!(error = %e, "internal error");
    PortalError::Internal
}

/// Every refusal with a `Portal(PortalError)` case: the one way its
/// internal failures become [`internal`]'s answer (`E::internal`).
pub trait Internal: From<PortalError> {
    fn internal(e: impl std::fmt::Display + 'static) -> Self {
        Self::from(internal(e))
    }
}

impl<E: From<PortalError>> Internal for E {}

impl From<HashError> for PortalError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => PortalError::Busy,
            HashError::Failed(e) => internal(e),
        }
    }
}
