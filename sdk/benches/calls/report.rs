//! Medians and the printed tables.

use std::time::Duration;

use crate::build_cost::{BuildCosts, BuildKind};
use crate::calls::{Case, Sample};

/// The targets: the SDK makes at least this share of the raw client's
/// calls per second...
const TARGET_THROUGHPUT: f64 = 0.95;
/// ...and spends at most this multiple of its CPU time per call.
const TARGET_CPU: f64 = 1.10;

/// The fewest rounds whose medians are held against the targets: a median
/// of fewer (a `--quick` run has one) says little.
pub const ROUNDS_FOR_A_VERDICT: usize = 5;

/// One row of the calls table: a case in one concurrency, all rounds.
pub struct Row {
    /// The call.
    pub case: Case,
    /// Tasks making calls at once.
    pub tasks: usize,
    /// The SDK's samples, one per round.
    pub sdk: Vec<Sample>,
    /// The raw client's samples, one per round.
    pub raw: Vec<Sample>,
}

/// The median (mean of the middle two for an even count); 0 when empty.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

fn range(values: &[f64]) -> (f64, f64) {
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (low, high)
}

impl Row {
    fn calls_per_second(samples: &[Sample]) -> Vec<f64> {
        samples.iter().map(Sample::calls_per_second).collect()
    }

    fn cpu(samples: &[Sample]) -> Vec<f64> {
        samples.iter().map(Sample::cpu_micros_per_call).collect()
    }

    /// SDK / raw per round: the runs of a round ran back to back, so their
    /// ratio cancels slow drift of the machine.
    fn ratios(&self, metric: fn(&Sample) -> f64) -> Vec<f64> {
        self.sdk
            .iter()
            .zip(&self.raw)
            .map(|(sdk, raw)| metric(sdk) / metric(raw))
            .collect()
    }

    /// Median SDK/raw ratio of calls per second.
    pub fn throughput_ratio(&self) -> f64 {
        median(&self.ratios(Sample::calls_per_second))
    }

    /// Median SDK/raw ratio of CPU per call.
    pub fn cpu_ratio(&self) -> f64 {
        median(&self.ratios(Sample::cpu_micros_per_call))
    }
}

/// Prints the calls table and the summary lines, with whether their
/// medians meet the targets if `judged`.
pub fn print_calls(rows: &[Row], judged: bool) {
    println!(
        "{:<9} {:>5} | {:>9} {:>9} {:>6} {:>13} | {:>9} {:>9} {:>6} {:>13}",
        "case",
        "tasks",
        "SDK /s",
        "raw /s",
        "ratio",
        "ratio range",
        "SDK µs",
        "raw µs",
        "ratio",
        "ratio range"
    );
    for row in rows {
        let throughput = row.ratios(Sample::calls_per_second);
        let cpu = row.ratios(Sample::cpu_micros_per_call);
        let (throughput_low, throughput_high) = range(&throughput);
        let (cpu_low, cpu_high) = range(&cpu);
        println!(
            "{:<9} {:>5} | {:>9.0} {:>9.0} {:>5.2}x {:>5.2}x–{:>5.2}x | {:>9.1} {:>9.1} {:>5.2}x {:>5.2}x–{:>5.2}x",
            row.case.name(),
            row.tasks,
            median(&Row::calls_per_second(&row.sdk)),
            median(&Row::calls_per_second(&row.raw)),
            median(&throughput),
            throughput_low,
            throughput_high,
            median(&Row::cpu(&row.sdk)),
            median(&Row::cpu(&row.raw)),
            median(&cpu),
            cpu_low,
            cpu_high,
        );
    }
    print_summary("over all rows", rows.iter(), judged);
    let mut concurrencies: Vec<usize> = rows.iter().map(|row| row.tasks).collect();
    concurrencies.sort_unstable();
    concurrencies.dedup();
    for tasks in concurrencies {
        let label = format!("with {tasks} task{}", if tasks == 1 { "" } else { "s" });
        print_summary(&label, rows.iter().filter(|row| row.tasks == tasks), judged);
    }
}

/// Prints the median ratios of `rows`, their range, and (if `judged`)
/// whether the medians meet the targets; three decimals, as the targets
/// are at the second.
fn print_summary<'a>(label: &str, rows: impl Iterator<Item = &'a Row> + Clone, judged: bool) {
    let throughput: Vec<f64> = rows.clone().map(Row::throughput_ratio).collect();
    let cpu: Vec<f64> = rows.map(Row::cpu_ratio).collect();
    let (throughput_low, throughput_high) = range(&throughput);
    let (cpu_low, cpu_high) = range(&cpu);
    let (throughput, cpu) = (median(&throughput), median(&cpu));
    let verdict = match (judged, throughput >= TARGET_THROUGHPUT && cpu <= TARGET_CPU) {
        (false, _) => format!("no verdict from fewer than {ROUNDS_FOR_A_VERDICT} rounds"),
        (true, met) => format!(
            "{} >= {TARGET_THROUGHPUT:.2}x calls/s and <= {TARGET_CPU:.2}x CPU",
            if met { "meets" } else { "misses" }
        ),
    };
    println!(
        "SDK/raw {label}: calls/s {throughput:.3}x (rows {throughput_low:.2}x–{throughput_high:.2}x), CPU per call {cpu:.3}x (rows {cpu_low:.2}x–{cpu_high:.2}x); {verdict}"
    );
}

fn micros(durations: &[Duration]) -> Vec<f64> {
    durations
        .iter()
        .map(|duration| duration.as_secs_f64() * 1e6)
        .collect()
}

/// Prints the client-building table.
pub fn print_builds(costs: &BuildCosts) {
    println!(
        "{:<38} | {:>10} {:>5} | {:>10} {:>10} {:>5}",
        "build", "first µs", "n", "later µs", "mean µs", "n"
    );
    for (index, kind) in BuildKind::ALL.into_iter().enumerate() {
        let first = micros(&costs.first[index]);
        let later = micros(&costs.later[index]);
        let mean = later.iter().sum::<f64>() / later.len().max(1) as f64;
        println!(
            "{:<38} | {:>10.0} {:>5} | {:>10.1} {:>10.1} {:>5}",
            kind.name(),
            median(&first),
            first.len(),
            median(&later),
            mean,
            later.len()
        );
    }
}
