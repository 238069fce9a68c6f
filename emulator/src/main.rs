//! Runs the emulator standalone: `logto-account-emulator [--port N]`.
//! Prints the base URL and a demo user's credentials, then serves until
//! interrupted.

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use logto_account_emulator::{DEFAULT_SCOPES, Emulator, NewUser};

const USAGE: &str = "usage: logto-account-emulator [--port N]";

/// The demo user's password, printed so a person can try the password flows.
const DEMO_PASSWORD: &str = "correct horse battery staple";

#[tokio::main]
async fn main() -> ExitCode {
    let port = match parse_port(std::env::args().skip(1)) {
        Ok(port) => port,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let emulator = match Emulator::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("cannot listen on 127.0.0.1:{port}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let demo = NewUser::new()
        .username("demo")
        .password(DEMO_PASSWORD)
        .email("demo@example.com")
        .name("Demo User");
    let user_id = match emulator.create_user(demo) {
        Ok(id) => id,
        Err(error) => {
            eprintln!("cannot create the demo user: {error}");
            return ExitCode::FAILURE;
        }
    };
    // A day, so a person trying things by hand is not cut off after an hour.
    let token =
        emulator.issue_token_valid_for(&user_id, &DEFAULT_SCOPES, Duration::from_secs(86_400));
    println!(
        "Logto Account API emulator listening on {}",
        emulator.base_url()
    );
    println!("demo user:     {user_id} (username demo, email demo@example.com)");
    println!("password:      {DEMO_PASSWORD}");
    println!("access token:  {token}");
    println!(
        "try:           curl -H 'Authorization: Bearer {token}' {}/api/my-account",
        emulator.base_url()
    );
    println!(
        "Codes sent by email or SMS are printed nowhere; use the library's handle to read them in tests."
    );
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}

fn parse_port(mut args: impl Iterator<Item = String>) -> Result<u16, String> {
    let mut port = 3001;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => {
                let value = args.next().ok_or("--port needs a value")?;
                port = value
                    .parse()
                    .map_err(|_| format!("--port: `{value}` is not a port number"))?;
            }
            "-h" | "--help" => return Err("Runs an in-memory Logto Account API.".to_owned()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(port)
}
