//! The generator: its errors, the surface snapshot and the drift check.
//! One binary, so the suite links once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod drift;
mod generate;
mod surface;
