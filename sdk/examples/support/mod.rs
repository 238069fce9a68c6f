//! What the flow examples share: a client for a real Logto when
//! `LOGTO_ENDPOINT` and `LOGTO_ACCESS_TOKEN` are set, otherwise for an
//! emulator with a demo user; and where to get the codes a flow needs.
#![allow(dead_code)] // Each example uses a different part.

use std::error::Error as StdError;
use std::io::{BufRead, Write};

use logto_account::{AccessToken, AccountClient, Password, VerificationCode};
use logto_account_emulator::{Emulator, NewUser};

/// The demo user's password on the emulator.
pub const DEMO_PASSWORD: &str = "correct horse battery staple";

pub type Result<T> = std::result::Result<T, Box<dyn StdError>>;

pub struct Session {
    pub client: AccountClient,
    /// Present when running against the emulator.
    pub emulator: Option<Emulator>,
}

impl Session {
    /// A real Logto if the environment names one, else a fresh emulator.
    pub async fn start() -> Result<Session> {
        if let (Ok(endpoint), Ok(token)) = (
            std::env::var("LOGTO_ENDPOINT"),
            std::env::var("LOGTO_ACCESS_TOKEN"),
        ) {
            println!("Using the Logto at {endpoint}");
            return Ok(Session {
                client: AccountClient::new(&endpoint, AccessToken::new(token))?,
                emulator: None,
            });
        }
        let emulator = Emulator::start().await?;
        let user_id = emulator.create_user(
            NewUser::new()
                .username("ada")
                .password(DEMO_PASSWORD)
                .email("ada@example.com"),
        )?;
        let token = emulator.issue_default_token(&user_id);
        println!("Using a Logto emulator at {}", emulator.base_url());
        Ok(Session {
            client: AccountClient::new(emulator.base_url(), AccessToken::new(token))?,
            emulator: Some(emulator),
        })
    }

    /// The user's current password: the demo user's, or `LOGTO_PASSWORD`.
    pub fn current_password(&self) -> Result<Password> {
        if self.emulator.is_some() {
            return Ok(Password::new(DEMO_PASSWORD));
        }
        Ok(Password::new(std::env::var("LOGTO_PASSWORD").map_err(
            |_| "set LOGTO_PASSWORD to the user's current password",
        )?))
    }

    /// The code sent to `to`: from the emulator's outbox, or typed in by
    /// whoever reads the real inbox.
    pub fn code_sent_to(&self, to: &str) -> Result<VerificationCode> {
        match &self.emulator {
            Some(emulator) => {
                let code = emulator
                    .last_code_sent_to(to)
                    .ok_or("the emulator sent no code")?;
                println!("   (the emulator's outbox has code {code} for {to})");
                Ok(VerificationCode::new(code))
            }
            None => Ok(VerificationCode::new(ask(&format!("Code sent to {to}: "))?)),
        }
    }
}

/// Ends an example: on failure, the error and every cause under it (a DNS
/// failure under a transport error, say), then a failing exit code.
pub fn report(outcome: Result<()>) -> std::process::ExitCode {
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            let mut source = error.source();
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            std::process::ExitCode::FAILURE
        }
    }
}

/// Reads one trimmed line from standard input after a prompt.
pub fn ask(prompt: &str) -> Result<String> {
    print!("{prompt}");
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim().to_owned())
}
