//! Where the two processes run. On a machine with two or more CPUs the
//! canned server gets the last one and the benchmark the others, so that
//! the scheduler cannot move them around between runs: left to it, on a
//! 2-CPU machine, one-task rounds sometimes run client and server on one
//! CPU and sometimes on two, and their SDK/raw ratios spread over 0.6–1.9.
//! Both clients run in the same place, so the comparison stays fair.

use nix::sched::{CpuSet, sched_getaffinity, sched_setaffinity};
use nix::unistd::Pid;

/// The CPUs this process may run on.
fn allowed() -> nix::Result<Vec<usize>> {
    let set = sched_getaffinity(Pid::from_raw(0))?;
    Ok((0..CpuSet::count())
        .filter(|&cpu| set.is_set(cpu).unwrap_or(false))
        .collect())
}

/// Pins this process to `cpus`.
fn pin(cpus: &[usize]) -> nix::Result<()> {
    let mut set = CpuSet::new();
    for &cpu in cpus {
        set.set(cpu)?;
    }
    sched_setaffinity(Pid::from_raw(0), &set)
}

/// Pins the calling thread (and the threads it starts later) to the server's
/// CPU, or to the others for the client; does nothing with a single CPU.
/// Returns a description for the report.
pub fn take(role: Role) -> String {
    if std::env::var_os("BENCH_UNPINNED").is_some() {
        return "not pinned (BENCH_UNPINNED)".to_owned();
    }
    let cpus = match allowed() {
        Ok(cpus) if cpus.len() >= 2 => cpus,
        Ok(_) => return "not pinned (one CPU)".to_owned(),
        Err(error) => return format!("not pinned ({error})"),
    };
    let (others, last) = cpus.split_at(cpus.len() - 1);
    let mine = match role {
        Role::Server => last,
        Role::Client => others,
    };
    match pin(mine) {
        Ok(()) => format!("CPUs {mine:?}"),
        Err(error) => format!("not pinned ({error})"),
    }
}

/// Which process asks.
#[derive(Clone, Copy)]
pub enum Role {
    /// The canned server.
    Server,
    /// The benchmark itself, with both clients.
    Client,
}
