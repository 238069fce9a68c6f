//! Every facade method against httpmock: the exact request that reached the
//! server and the exact value or typed error that came back. One binary, so
//! the suite links once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

mod avatar;
mod client;
mod conditional;
mod coverage;
mod email_phone;
mod identities;
mod mfa;
mod password;
mod profile;
mod provider_tokens;
mod sessions;
mod settings;
mod storable;
mod verification;
