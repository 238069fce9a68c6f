//! The facade end to end against the embedded emulator. One binary, so the
//! suite links once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod emulated;

mod email_phone;
mod identities;
mod mfa;
mod password;
mod profile;
