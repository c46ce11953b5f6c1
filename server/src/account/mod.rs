//! A signed-in patient's account settings (SPEC §2.5) and the port its page calls.

pub mod changes;
pub mod family;
pub mod port;
pub mod step_up;
