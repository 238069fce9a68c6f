//! `sdk-gen`: works on the Account API spec.
//!
//! - `sdk-gen generate [SPEC]` prints the Rust bindings progenitor makes from
//!   the spec, for reading.
//! - `sdk-gen surface [SPEC]` prints every generated method signature, type,
//!   field and variant, sorted (the content of `openapi/surface.txt`).
//! - `sdk-gen drift --upstream <FILE|URL> [--ours SPEC] [--deviations FILE] [--json]`
//!   compares the spec with an upstream Logto document. Exit 0: no
//!   unexplained drift; 1: drift (or stale deviations); 2: could not compare.
//!
//! SPEC defaults to `openapi/logto-account.json`.

use std::path::PathBuf;
use std::process::ExitCode;

use logto_account_sdk_gen::drift;

const USAGE: &str = "usage:
  sdk-gen generate [SPEC]
  sdk-gen surface [SPEC]
  sdk-gen drift --upstream <FILE|URL> [--ours SPEC] [--deviations FILE] [--json]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.split_first() {
        Some((command, rest)) if command == "generate" && rest.len() <= 1 => generate(rest.first()),
        Some((command, rest)) if command == "surface" && rest.len() <= 1 => surface(rest.first()),
        Some((command, rest)) if command == "drift" => match DriftArgs::parse(rest) {
            Ok(args) => drift(&args),
            Err(message) => usage_error(&message),
        },
        _ => usage_error("unknown command"),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("sdk-gen: {message}\n{USAGE}");
    ExitCode::from(2)
}

fn spec_path(arg: Option<&String>) -> PathBuf {
    arg.map_or_else(
        || PathBuf::from(logto_account_sdk_gen::SPEC_RELATIVE_PATH),
        PathBuf::from,
    )
}

fn generate(spec: Option<&String>) -> ExitCode {
    match logto_account_sdk_gen::load(&spec_path(spec))
        .and_then(|spec| logto_account_sdk_gen::generate(&spec))
    {
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

fn surface(spec: Option<&String>) -> ExitCode {
    let generated = logto_account_sdk_gen::load(&spec_path(spec))
        .and_then(|spec| logto_account_sdk_gen::generate(&spec));
    match generated.map(|code| logto_account_sdk_gen::surface(&code)) {
        Ok(Ok(surface)) => {
            print!("{surface}");
            ExitCode::SUCCESS
        }
        Ok(Err(error)) => {
            eprintln!("sdk-gen: cannot read the generated code: {error}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("sdk-gen: {error}");
            ExitCode::from(2)
        }
    }
}

struct DriftArgs {
    upstream: String,
    ours: PathBuf,
    deviations: Option<PathBuf>,
    json: bool,
}

impl DriftArgs {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut upstream = None;
        let mut ours = None;
        let mut deviations = None;
        let mut json = false;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = || args.next().cloned().ok_or(format!("{arg} needs a value"));
            match arg.as_str() {
                "--upstream" => upstream = Some(value()?),
                "--ours" => ours = Some(value()?),
                "--deviations" => deviations = Some(PathBuf::from(value()?)),
                "--json" => json = true,
                other => return Err(format!("unknown argument {other}")),
            }
        }
        Ok(DriftArgs {
            upstream: upstream.ok_or("drift needs --upstream")?,
            ours: spec_path(ours.as_ref()),
            deviations,
            json,
        })
    }
}

fn drift(args: &DriftArgs) -> ExitCode {
    let outcome = match drift::run(&args.ours, &args.upstream, args.deviations.as_deref()) {
        Ok(outcome) => outcome,
        Err(error) => {
            eprintln!("sdk-gen drift: could not compare: {error}");
            return ExitCode::from(2);
        }
    };
    if args.json {
        println!("{:#}", drift::report::json(&outcome));
    } else {
        print!(
            "{}",
            drift::report::text(&outcome, &args.ours.display().to_string(), &args.upstream)
        );
    }
    if outcome.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
