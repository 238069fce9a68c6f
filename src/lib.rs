//! Low-level bindings for Logto's Account API.
//!
//! Everything in [`types`] and the methods of [`Client`] are generated at build
//! time by progenitor from `openapi/logto-account.json`; never edit them, edit
//! the spec. Most users want the `logto-account` crate, which wraps these.

mod clearable;
mod executor;
mod hooks;

pub use clearable::Clearable;
pub use executor::{Execute, ExecuteFuture, Executor};

#[allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/logto_account_api.rs"));
}

pub use generated::*;
