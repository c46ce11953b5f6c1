//! Getting back in without help (SPEC §2.2): the reset flow's rules, its
//! steps, and the port the wizard's pages call.

pub mod code;
pub mod flow;
pub mod port;
pub mod reset;
pub mod steps;
