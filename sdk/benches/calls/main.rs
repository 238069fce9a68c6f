//! The SDK side by side with a hand-written reqwest + serde client, against
//! a canned Logto on loopback: calls per second and CPU time per call for
//! reading the account, updating the name and changing the password, one
//! task at a time and from 32 tasks; then the cost of building a client.
//!
//! `cargo bench -p logto-account --bench calls` runs it; `-- --quick` (or
//! `BENCH_CALLS=64 BENCH_ROUNDS=1`) makes it tiny for CI. The server and the
//! clients run on separate CPUs (see `placement`; `BENCH_UNPINNED=1` leaves
//! them to the scheduler). Other modes, used by the benchmark itself or for
//! profiling:
//! `--canned-server`, `--first-build <sdk-http|sdk-https|raw>`,
//! `--profile <sdk|raw> <get|get-304|patch|password>` (one task, or `BENCH_TASKS`).

mod build_cost;
mod calls;
mod canned_server;
mod cpu;
mod placement;
mod raw_client;
mod report;

use std::sync::Arc;

use build_cost::BuildKind;
use calls::{Case, Clients, Side};
use canned_server::ServerProcess;
use raw_client::RawError;
use report::Row;

/// Tasks calling at once in the concurrent runs.
const CONCURRENT_TASKS: usize = 32;

/// How many times more calls a concurrent run makes than a one-task run.
/// 32 tasks make four to five times the calls per second of one: this
/// keeps their runs about as long (a quarter of a second), so that one
/// scheduling hiccup weighs as little in either.
const CONCURRENT_CALLS_FACTOR: usize = 4;

/// How much to measure.
struct Settings {
    /// Calls per measured one-task run (per client and case; a concurrent
    /// run makes `CONCURRENT_CALLS_FACTOR` times more).
    calls: usize,
    /// Rounds; each runs every case for both clients.
    rounds: usize,
    /// Calls per warm-up run.
    warm_up: usize,
    /// Fresh processes timing a first client build, per kind.
    first_builds: usize,
    /// Later client builds timed, per kind.
    later_builds: usize,
    /// Tasks calling at once in a `--profile` run.
    profile_tasks: usize,
}

impl Settings {
    fn from_environment(quick: bool) -> Result<Settings, RawError> {
        let number = |name: &str, default: usize| -> Result<usize, RawError> {
            match std::env::var(name) {
                Ok(value) => Ok(value.parse().map_err(|e| format!("{name}={value}: {e}"))?),
                Err(_) => Ok(default),
            }
        };
        // Many short rounds: each round's SDK and raw runs are back to back,
        // and the median of many such pairs shrugs off a noisy neighbour.
        let (calls, rounds, first_builds, later_builds) = if quick {
            (64, 1, 1, 10)
        } else {
            (3000, 21, 5, 200)
        };
        let calls = number("BENCH_CALLS", calls)?.max(1);
        Ok(Settings {
            calls,
            rounds: number("BENCH_ROUNDS", rounds)?.max(1),
            warm_up: (calls / 4).max(CONCURRENT_TASKS),
            first_builds: number("BENCH_FIRST_BUILDS", first_builds)?,
            later_builds: number("BENCH_BUILDS", later_builds)?,
            profile_tasks: number("BENCH_TASKS", 1)?.max(1),
        })
    }
}

fn main() -> Result<(), RawError> {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let argument = |index: usize| arguments.get(index).map(String::as_str);
    match argument(0) {
        Some("--canned-server") => Ok(canned_server::serve()?),
        Some("--first-build") => {
            let kind = argument(1)
                .and_then(BuildKind::parse)
                .ok_or("--first-build needs sdk-http, sdk-https or raw")?;
            build_cost::first_build_here(kind)
        }
        Some("--profile") => {
            let side = argument(1)
                .and_then(Side::parse)
                .ok_or("--profile needs sdk or raw")?;
            let case = argument(2)
                .and_then(Case::parse)
                .ok_or("--profile needs get, get-304, patch or password after the side")?;
            profile(&Settings::from_environment(false)?, side, case)
        }
        // `cargo bench` passes `--bench`; anything else is ignored too.
        _ => {
            let quick = arguments.iter().any(|a| a == "--quick");
            compare(&Settings::from_environment(quick)?)
        }
    }
}

/// The runtime both clients share: tokio's multi-threaded one, as
/// `#[tokio::main]` builds it (one worker per CPU the process may use).
fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}

/// The one-minute load average, to show whether others were busy.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

fn compare(settings: &Settings) -> Result<(), RawError> {
    // The server starts first: it inherits every CPU, then takes its own.
    let server = ServerProcess::start()?;
    let placement = placement::take(placement::Role::Client);
    let runtime = runtime()?;
    let clients = Arc::new(Clients::new(server.base_url())?);
    let workers = runtime.metrics().num_workers();
    println!(
        "canned Logto at {} ({}); clients on {placement}; tokio multi-thread runtime, {workers} workers; {} calls per one-task run, {} per {CONCURRENT_TASKS}-task run, {} rounds, SDK and raw alternating; load average {} at start",
        server.base_url(),
        server.placement(),
        settings.calls,
        settings.calls * CONCURRENT_CALLS_FACTOR,
        settings.rounds,
        load_average()
    );

    let concurrencies = [1, CONCURRENT_TASKS];
    for case in Case::ALL {
        for tasks in concurrencies {
            for side in [Side::Sdk, Side::Raw] {
                calls::run(&runtime, &clients, side, case, tasks, settings.warm_up)?;
            }
        }
    }

    let mut rows: Vec<Row> = Case::ALL
        .into_iter()
        .flat_map(|case| {
            concurrencies.map(|tasks| Row {
                case,
                tasks,
                sdk: Vec::new(),
                raw: Vec::new(),
            })
        })
        .collect();
    for round in 0..settings.rounds {
        for (index, row) in rows.iter_mut().enumerate() {
            // Who goes first alternates, so that neither always runs on a
            // machine the other just warmed (or just slowed).
            let order = if (round + index) % 2 == 0 {
                [Side::Sdk, Side::Raw]
            } else {
                [Side::Raw, Side::Sdk]
            };
            let calls = if row.tasks > 1 {
                settings.calls * CONCURRENT_CALLS_FACTOR
            } else {
                settings.calls
            };
            for side in order {
                let sample = calls::run(&runtime, &clients, side, row.case, row.tasks, calls)?;
                match side {
                    Side::Sdk => row.sdk.push(sample),
                    Side::Raw => row.raw.push(sample),
                }
            }
        }
    }
    println!(
        "\nCalls: medians over rounds; ratio = SDK/raw, the median of the rounds' ratios (and their range). µs = CPU (user+sys) per call, client process only."
    );
    report::print_calls(&rows, settings.rounds >= report::ROUNDS_FOR_A_VERDICT);

    let costs = build_cost::measure(settings.first_builds, settings.later_builds)?;
    println!(
        "\nClient builds: first = a fresh process's first build (median over processes); later = builds after that, kinds interleaved."
    );
    report::print_builds(&costs);
    println!("\nload average {} at the end", load_average());
    Ok(())
}

/// Calls of one client and case only (one task at a time, or
/// `BENCH_TASKS`), for a profiler.
fn profile(settings: &Settings, side: Side, case: Case) -> Result<(), RawError> {
    let server = ServerProcess::start()?;
    placement::take(placement::Role::Client);
    let runtime = runtime()?;
    let clients = Arc::new(Clients::new(server.base_url())?);
    let tasks = settings.profile_tasks;
    calls::run(&runtime, &clients, side, case, tasks, settings.warm_up)?;
    let sample = calls::run(&runtime, &clients, side, case, tasks, settings.calls)?;
    println!(
        "{} {}: {} calls, {:.0} calls/s, {:.1} µs CPU per call",
        side.name(),
        case.name(),
        sample.calls,
        sample.calls_per_second(),
        sample.cpu_micros_per_call()
    );
    Ok(())
}
