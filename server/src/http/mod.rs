//! The HTTP face: the axum router, native form endpoints, and the middleware
//! for security headers, same-origin posts, error statuses and request logs.

pub mod assets;
pub mod client_ip;
mod csrf;
mod headers;
mod language_link;
mod passkeys;
mod router;

pub use router::{router, AppState};
