//! The spec's rules and the generated bindings. One binary, so the suite
//! links once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod generated;
mod spec;
