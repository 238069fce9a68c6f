//! The facade end to end against the embedded emulator. One binary, so the
//! suite links once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod emulated;

mod conditional;
mod email_phone;
mod identities;
mod mfa;
mod password;
mod profile;
mod sessions_settings;
mod web_recipe;

/// The README's web recipe, run here against the emulator.
#[path = "../../examples/web_email_change.rs"]
#[allow(dead_code)]
mod web_email_change;
