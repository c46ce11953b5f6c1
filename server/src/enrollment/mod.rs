//! Getting an account (SPEC §2.3, §2.4): invitations, registration from
//! one, "Forgot username?", and the port their pages call.

pub mod access_codes;
pub mod invite;
pub mod port;
pub mod register;
pub mod text_code;
pub mod usernames;
