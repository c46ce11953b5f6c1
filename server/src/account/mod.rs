//! A signed-in patient's account settings (SPEC §2.5) and the port its page calls.

pub mod family;
pub mod port;
