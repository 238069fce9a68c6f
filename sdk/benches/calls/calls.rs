//! The measured calls: the same three requests through the SDK and through
//! the raw client, one task after another or from many tasks at once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use logto_account::{
    AccessToken, AccountClient, AccountPoll, AccountUpdate, ETag, IdentityVerification, Password,
    VerificationRecordId,
};

use crate::canned_server::{
    ACCESS_TOKEN, NEW_NAME, NEW_PASSWORD, VERIFICATION_RECORD_ID, account_etag,
};
use crate::cpu::process_cpu_time;
use crate::raw_client::{RawClient, RawError};

/// One benchmarked call.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Case {
    /// `GET /api/my-account`.
    ReadAccount,
    /// `GET /api/my-account` with the account's `ETag` in `If-None-Match`:
    /// a 304 without a body.
    ReadUnchanged,
    /// `PATCH /api/my-account` with a name.
    UpdateName,
    /// `POST /api/my-account/password` with `logto-verification-id`.
    ChangePassword,
}

impl Case {
    /// Every case, in the order of the report.
    pub const ALL: [Case; 4] = [
        Case::ReadAccount,
        Case::ReadUnchanged,
        Case::UpdateName,
        Case::ChangePassword,
    ];

    /// The name in the report and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Case::ReadAccount => "get",
            Case::ReadUnchanged => "get-304",
            Case::UpdateName => "patch",
            Case::ChangePassword => "password",
        }
    }

    /// The case named `name`.
    pub fn parse(name: &str) -> Option<Case> {
        Case::ALL.into_iter().find(|case| case.name() == name)
    }
}

/// Which client makes the call.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Side {
    /// `logto_account::AccountClient`.
    Sdk,
    /// The hand-written reqwest + serde client.
    Raw,
}

impl Side {
    /// The name in the report and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Side::Sdk => "sdk",
            Side::Raw => "raw",
        }
    }

    /// The side named `name`.
    pub fn parse(name: &str) -> Option<Side> {
        [Side::Sdk, Side::Raw]
            .into_iter()
            .find(|side| side.name() == name)
    }
}

/// Both clients, with what their calls send, built once.
pub struct Clients {
    sdk: AccountClient,
    raw: RawClient,
    proof: IdentityVerification,
    etag: ETag,
    new_password: Password,
    update: AccountUpdate,
}

impl Clients {
    /// Clients of the canned server at `base`.
    pub fn new(base: &str) -> Result<Clients, RawError> {
        Ok(Clients {
            sdk: AccountClient::new(base, AccessToken::new(ACCESS_TOKEN))?,
            raw: RawClient::new(base, ACCESS_TOKEN)?,
            proof: IdentityVerification::from_parts(
                VerificationRecordId::new(VERIFICATION_RECORD_ID)?,
                Utc::now() + chrono::Duration::hours(1),
            ),
            new_password: Password::new(NEW_PASSWORD),
            etag: ETag::new(account_etag()),
            update: AccountUpdate::new().name(NEW_NAME),
        })
    }

    /// Makes one call and checks its answer.
    pub async fn call(&self, side: Side, case: Case) -> Result<(), RawError> {
        let name = match (side, case) {
            (Side::Sdk, Case::ReadAccount) => self.sdk.account().await?.name,
            (Side::Sdk, Case::ReadUnchanged) => {
                return match self.sdk.account_if_changed(&self.etag).await? {
                    AccountPoll::Unchanged => Ok(()),
                    AccountPoll::Changed(_) => Err("sdk get-304: the account was sent".into()),
                };
            }
            (Side::Raw, Case::ReadUnchanged) => {
                return self.raw.profile_unless(self.etag.as_str()).await;
            }
            (Side::Sdk, Case::UpdateName) => self.sdk.update_account(&self.update).await?.name,
            (Side::Sdk, Case::ChangePassword) => {
                self.sdk
                    .change_password(&self.proof, &self.new_password)
                    .await?;
                return Ok(());
            }
            (Side::Raw, Case::ReadAccount) => self.raw.profile().await?.name,
            (Side::Raw, Case::UpdateName) => self.raw.update_name(NEW_NAME).await?.name,
            (Side::Raw, Case::ChangePassword) => {
                return self
                    .raw
                    .change_password(VERIFICATION_RECORD_ID, NEW_PASSWORD)
                    .await;
            }
        };
        if name.as_deref() == Some(NEW_NAME) {
            Ok(())
        } else {
            Err(format!(
                "{} {}: the account's name is {name:?}",
                side.name(),
                case.name()
            )
            .into())
        }
    }
}

/// What one measured run took.
#[derive(Clone, Copy, Debug)]
pub struct Sample {
    /// Calls made.
    pub calls: usize,
    /// Wall-clock time.
    pub wall: Duration,
    /// CPU time of this process (the server is another process).
    pub cpu: Duration,
}

impl Sample {
    /// Calls per second.
    pub fn calls_per_second(&self) -> f64 {
        self.calls as f64 / self.wall.as_secs_f64()
    }

    /// CPU microseconds per call.
    pub fn cpu_micros_per_call(&self) -> f64 {
        self.cpu.as_secs_f64() * 1e6 / self.calls as f64
    }
}

/// Makes `calls` calls from `tasks` tasks on `runtime` (each its share, one
/// after another) and measures the whole.
pub fn run(
    runtime: &tokio::runtime::Runtime,
    clients: &Arc<Clients>,
    side: Side,
    case: Case,
    tasks: usize,
    calls: usize,
) -> Result<Sample, RawError> {
    let tasks = tasks.clamp(1, calls.max(1));
    let cpu_before = process_cpu_time()?;
    let started = Instant::now();
    runtime.block_on(async {
        // Spawned, so that even one task runs on a worker thread as an
        // application's request handler would.
        let handles: Vec<_> = (0..tasks)
            .map(|task| {
                let clients = Arc::clone(clients);
                let share = calls / tasks + usize::from(task < calls % tasks);
                tokio::spawn(async move {
                    for _ in 0..share {
                        clients.call(side, case).await?;
                    }
                    Ok::<(), RawError>(())
                })
            })
            .collect();
        for handle in handles {
            handle.await??;
        }
        Ok::<(), RawError>(())
    })?;
    let wall = started.elapsed();
    let cpu = process_cpu_time()? - cpu_before;
    Ok(Sample { calls, wall, cpu })
}
