//! Two-step verification of patients (SPEC §2.1, §2.5): the codes, the
//! sign-in's second step, and turning it on and off.

pub mod codes;
pub mod flow;
pub mod second_step;
pub mod send_cap;
pub mod setup;
