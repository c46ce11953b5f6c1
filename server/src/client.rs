//! Who is asking: the client's address and user agent, as recorded in the
//! audit log and used for per-IP throttling. The type is the port's
//! (`app::visit`), read from a request by the web layer (`app::web`).

pub use app::visit::ClientMeta;
