//! `sdk-gen`: works on the Account API spec.
//!
//! - `sdk-gen generate [SPEC]` prints the Rust bindings progenitor makes from
//!   the spec (default `openapi/logto-account.json`), for reading.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: sdk-gen generate [SPEC]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("generate") => {
            let spec = args
                .get(1)
                .map_or_else(|| PathBuf::from(sdk_gen::SPEC_RELATIVE_PATH), PathBuf::from);
            match sdk_gen::load(&spec).and_then(|spec| sdk_gen::generate(&spec)) {
                Ok(code) => {
                    print!("{code}");
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("sdk-gen: {error}");
                    ExitCode::from(2)
                }
            }
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
