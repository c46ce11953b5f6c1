//! The server's integration tests, one module per area, linked into one test
//! binary: sixteen binaries, each linking the whole server, took gigabytes of
//! disk and most of the build's time (a CI run once ran out of disk while
//! linking them).

#[macro_use]
mod common;

mod accounts;
mod assets;
mod brute_force;
mod cli;
mod crash;
mod delivery;
mod enumeration;
mod family;
mod headers;
mod hostile_input;
mod instances;
mod language;
mod layers;
mod lockout;
mod outage;
mod passkeys;
mod proxy;
mod register;
mod reset_pages;
mod reset_request;
mod reset_steps;
mod rekey;
mod settings;
mod sign_in;
mod values;
mod staff;
mod two_step;
