//! What building a client costs: `AccountClient::new` for an http loopback
//! endpoint and for an https one, against reqwest's builder with the same
//! settings. A first build pays one-time costs (the TLS provider, root
//! certificates), so it is timed alone in a fresh child process.

use std::process::Command;
use std::time::{Duration, Instant};

use logto_account::{AccessToken, AccountClient};

use crate::raw_client::{self, RawError};

/// Which client is built.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BuildKind {
    /// `AccountClient::new("http://127.0.0.1:3001", ..)`.
    SdkHttp,
    /// `AccountClient::new("https://my-tenant.logto.app", ..)`.
    SdkHttps,
    /// `reqwest::Client::builder()` with the SDK's settings.
    Raw,
}

impl BuildKind {
    /// Every kind, in the order of the report.
    pub const ALL: [BuildKind; 3] = [BuildKind::SdkHttp, BuildKind::SdkHttps, BuildKind::Raw];

    /// The name on the command line and in the report.
    pub fn name(self) -> &'static str {
        match self {
            BuildKind::SdkHttp => "AccountClient::new(http://127.0.0.1)",
            BuildKind::SdkHttps => "AccountClient::new(https://…)",
            BuildKind::Raw => "reqwest::Client::builder().build()",
        }
    }

    fn argument(self) -> &'static str {
        match self {
            BuildKind::SdkHttp => "sdk-http",
            BuildKind::SdkHttps => "sdk-https",
            BuildKind::Raw => "raw",
        }
    }

    /// The kind named `argument` on the command line.
    pub fn parse(argument: &str) -> Option<BuildKind> {
        BuildKind::ALL
            .into_iter()
            .find(|kind| kind.argument() == argument)
    }

    /// Builds one client (and drops it after the clock stops).
    pub fn time_one_build(self) -> Result<Duration, RawError> {
        let token = AccessToken::new(crate::canned_server::ACCESS_TOKEN);
        let endpoint = match self {
            BuildKind::SdkHttp => "http://127.0.0.1:3001",
            BuildKind::SdkHttps => "https://my-tenant.logto.app",
            BuildKind::Raw => {
                let started = Instant::now();
                let client = raw_client::http_client()?;
                let elapsed = started.elapsed();
                drop(client);
                return Ok(elapsed);
            }
        };
        let started = Instant::now();
        let client = AccountClient::new(endpoint, token)?;
        let elapsed = started.elapsed();
        drop(client);
        Ok(elapsed)
    }
}

/// In the child: times the process's first build of `kind` and prints it in
/// nanoseconds.
pub fn first_build_here(kind: BuildKind) -> Result<(), RawError> {
    let elapsed = kind.time_one_build()?;
    println!("{}", elapsed.as_nanos());
    Ok(())
}

/// In the parent: the first build of `kind` in a fresh process.
pub fn first_build_in_child(kind: BuildKind) -> Result<Duration, RawError> {
    let output = Command::new(std::env::current_exe()?)
        .args(["--first-build", kind.argument()])
        .output()?;
    if !output.status.success() {
        return Err(format!(
            "first build of {} failed: {}",
            kind.name(),
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    let nanos: u64 = String::from_utf8(output.stdout)?.trim().parse()?;
    Ok(Duration::from_nanos(nanos))
}

/// Build times of each kind: first builds (one per child process) and later
/// builds (in this process, kinds interleaved).
pub struct BuildCosts {
    /// Per kind, in [`BuildKind::ALL`]'s order.
    pub first: [Vec<Duration>; 3],
    /// Per kind, in [`BuildKind::ALL`]'s order.
    pub later: [Vec<Duration>; 3],
}

/// Times `processes` first builds and `samples` later builds of each kind.
pub fn measure(processes: usize, samples: usize) -> Result<BuildCosts, RawError> {
    let mut costs = BuildCosts {
        first: Default::default(),
        later: Default::default(),
    };
    for _ in 0..processes {
        for (index, kind) in BuildKind::ALL.into_iter().enumerate() {
            costs.first[index].push(first_build_in_child(kind)?);
        }
    }
    // Pay this process's one-time costs before timing later builds.
    for kind in BuildKind::ALL {
        kind.time_one_build()?;
    }
    for _ in 0..samples {
        for (index, kind) in BuildKind::ALL.into_iter().enumerate() {
            costs.later[index].push(kind.time_one_build()?);
        }
    }
    Ok(costs)
}
