//! The facade end to end against the embedded emulator. One binary, so the
//! suite links once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod emulated;

mod email_phone;
mod identities;
mod password;
mod profile;
mod sessions_settings;
