//! Low-level bindings for Logto's Account API.
//!
//! Everything in [`types`] and the methods of [`Client`] are generated at build
//! time by progenitor from `openapi/logto-account.json`; never edit them, edit
//! the spec. Most users want the `logto-account` crate, which wraps these.

mod clearable;
mod error_body;
mod executor;
mod hooks;
mod path_segment;
mod request_url;

pub use clearable::Clearable;
pub use executor::{Execute, ExecuteFuture, Executor, Start};
pub use path_segment::{PathSegment, PathSegmentError};

// `unused_mut`: sdk-gen removes progenitor's `api-version` header, which
// leaves some header maps that nothing is added to.
#[allow(
    missing_docs,
    unused_mut,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/logto_account_api.rs"));
}

pub use generated::*;

/// Our OpenAPI 3.0 description of the Account and Verification API
/// (`openapi/logto-account.json`), the document these bindings are generated
/// from. It travels inside this package, so the emulator serves the same text.
pub const OPENAPI_DOCUMENT: &str = include_str!("../openapi/logto-account.json");
