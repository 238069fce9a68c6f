//! The emulator over raw HTTP, checked against the answers of a real Logto
//! 1.42.0. One test binary: linking one per file dominates test time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod account;
mod auth_and_routing;
mod avatar;
mod binary;
mod common;
mod conditional;
mod gates;
mod identities;
mod sessions;
mod settings;
mod verification;
