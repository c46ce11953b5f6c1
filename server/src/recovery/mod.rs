//! Getting back in without help (SPEC §2.2): the reset flow's rules. The
//! pages for the steps after the emailed link come with the reset wizard.

pub mod code;
pub mod flow;
pub mod reset;
pub mod steps;
