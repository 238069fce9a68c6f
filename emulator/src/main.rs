//! Runs the emulator standalone, for tests in any language: see [`USAGE`].
//! Prints the base URL and, per user, the id and an access token, then
//! serves until interrupted. The admin routes are on (`/__emulator/...`,
//! documented in the library's `admin` module).

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use logto_account_emulator::{DEFAULT_SCOPES, Emulator, NewUser};

const USAGE: &str = "\
usage: logto-account-emulator [--port N] [--user USER]... [--scope SCOPE]...

Serves an in-memory Logto Account API on 127.0.0.1 (port 3001 by default).

  --port N        the port to listen on (0 picks a free one)
  --user USER     a user to create, USERNAME:PASSWORD[:EMAIL[:PHONE]]; repeatable.
                  Without any, a demo user demo:correct horse battery staple:demo@example.com
  --scope SCOPE   a scope of the printed tokens; repeatable. Default: the scopes
                  Logto's SDKs ask for plus those the Account API reads
  -h, --help      this text

Each user is printed as `user <username> <id> <token>`; tokens live a day.
Test helpers over HTTP:
  GET  /__emulator/codes                   the codes sent by email and SMS
  GET  /__emulator/clock                   the emulator's time
  POST /__emulator/clock/advance?seconds=N move the clock forward";

/// The demo user, made when no `--user` is given.
const DEMO_USER: &str = "demo:correct horse battery staple:demo@example.com";

/// What the command line asked for.
#[derive(Debug, PartialEq)]
struct Options {
    port: u16,
    users: Vec<UserSpec>,
    scopes: Vec<String>,
}

#[derive(Debug, PartialEq)]
struct UserSpec {
    username: String,
    password: String,
    email: Option<String>,
    phone: Option<String>,
}

/// Either run with these options or print this and exit.
#[derive(Debug, PartialEq)]
enum Command {
    Run(Options),
    Help,
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(Command::Run(options)) => options,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("{message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, options.port));
    let emulator = match Emulator::start_on(address).await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("cannot listen on {address}: {error}");
            return ExitCode::FAILURE;
        }
    };
    emulator.enable_admin_routes();
    println!("listening {}", emulator.base_url());
    let scopes: Vec<&str> = options.scopes.iter().map(String::as_str).collect();
    for user in options.users {
        let mut new = NewUser::new()
            .username(user.username.as_str())
            .password(user.password);
        if let Some(email) = user.email {
            new = new.email(email);
        }
        if let Some(phone) = user.phone {
            new = new.phone(phone);
        }
        let id = match emulator.create_user(new) {
            Ok(id) => id,
            Err(error) => {
                eprintln!("cannot create user {}: {error}", user.username);
                return ExitCode::FAILURE;
            }
        };
        // A day, so a person trying things by hand is not cut off after an hour.
        let token = emulator.issue_token_valid_for(&id, &scopes, Duration::from_secs(86_400));
        println!("user {} {id} {token}", user.username);
    }
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Command, String> {
    let mut options = Options {
        port: 3001,
        users: Vec::new(),
        scopes: Vec::new(),
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--port" => {
                let port = value("--port")?;
                options.port = port
                    .parse()
                    .map_err(|_| format!("--port: `{port}` is not a port number"))?;
            }
            "--user" => options.users.push(user_spec(&value("--user")?)?),
            "--scope" => options.scopes.push(value("--scope")?),
            "-h" | "--help" => return Ok(Command::Help),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if options.users.is_empty() {
        options.users.push(user_spec(DEMO_USER)?);
    }
    if options.scopes.is_empty() {
        options.scopes = DEFAULT_SCOPES.iter().map(|s| (*s).to_owned()).collect();
    }
    Ok(Command::Run(options))
}

fn user_spec(text: &str) -> Result<UserSpec, String> {
    let mut parts = text.split(':');
    let username = parts.next().filter(|part| !part.is_empty());
    let password = parts.next().filter(|part| !part.is_empty());
    let (Some(username), Some(password)) = (username, password) else {
        return Err(format!(
            "--user: `{text}` is not USERNAME:PASSWORD[:EMAIL[:PHONE]]"
        ));
    };
    let mut optional = || {
        parts
            .next()
            .filter(|part| !part.is_empty())
            .map(str::to_owned)
    };
    Ok(UserSpec {
        username: username.to_owned(),
        password: password.to_owned(),
        email: optional(),
        phone: optional(),
    })
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    fn args(text: &[&str]) -> impl Iterator<Item = String> {
        text.iter()
            .map(|arg| (*arg).to_owned())
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn help_is_a_command_not_an_error() {
        assert_eq!(parse(args(&["--help"])), Ok(Command::Help));
        assert_eq!(parse(args(&["--port", "1", "-h"])), Ok(Command::Help));
    }

    #[test]
    fn users_and_scopes_are_repeatable() {
        let Ok(Command::Run(options)) = parse(args(&[
            "--port",
            "0",
            "--user",
            "ada:pw:ada@example.com",
            "--user",
            "bob:pw2::15551234567",
            "--scope",
            "openid",
            "--scope",
            "email",
        ])) else {
            panic!("options parse");
        };
        assert_eq!(options.port, 0);
        assert_eq!(options.scopes, ["openid", "email"]);
        assert_eq!(
            options.users,
            [
                UserSpec {
                    username: "ada".into(),
                    password: "pw".into(),
                    email: Some("ada@example.com".into()),
                    phone: None
                },
                UserSpec {
                    username: "bob".into(),
                    password: "pw2".into(),
                    email: None,
                    phone: Some("15551234567".into())
                },
            ]
        );
    }

    #[test]
    fn without_users_there_is_the_demo_user_with_default_scopes() {
        let Ok(Command::Run(options)) = parse(args(&[])) else {
            panic!("options parse");
        };
        assert_eq!(options.users[0].username, "demo");
        assert_eq!(options.scopes.len(), DEFAULT_SCOPES.len());
    }

    #[test]
    fn bad_arguments_are_errors() {
        assert!(parse(args(&["--user", "nopassword"])).is_err());
        assert!(parse(args(&["--port", "x"])).is_err());
        assert!(parse(args(&["--bogus"])).is_err());
    }
}
