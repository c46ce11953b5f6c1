//! Getting back in without help (SPEC §2.2): the reset flow's rules. The
//! pages and storage that use them come with the reset wizard.

pub mod code;
pub mod flow;
