//! Every facade method against httpmock: the exact request that reached the
//! server and the exact value or typed error that came back. One binary, so
//! the suite links once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

mod client;
mod conditional;
mod coverage;
mod email_phone;
mod identities;
mod password;
mod profile;
mod storable;
mod verification;
