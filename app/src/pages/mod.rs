pub mod dob_field;
pub mod forgot_password;
pub mod forms;
pub mod home;
pub mod idle;
pub mod login;
pub mod not_found;
pub mod reset;
