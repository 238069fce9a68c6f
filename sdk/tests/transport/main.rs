//! The transport against raw local servers that misbehave on purpose:
//! faults, retries, limits, redirects and secrets. One binary, so the suite
//! links once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod captured;
mod fault_server;

pub use captured::Captured;

mod faults;
mod hostile;
mod paths;
mod pool;
mod security;
