//! The drift report, for people and for machines.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::{Value, json};

use super::{Drift, Finding, FindingKind};

/// The most of a value a text report prints.
const VALUE_LIMIT: usize = 160;

/// A readable report, grouped by operation.
pub fn text(drift: &Drift, ours: &str, upstream: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Drift between {ours} and {upstream}: {} unexplained, {} explained by deviations, {} stale deviations.",
        drift.unexplained.len(),
        drift.explained.len(),
        drift.stale.len()
    );
    if drift.is_clean() {
        out.push_str("No unexplained drift.\n");
        return out;
    }
    let mut by_operation: BTreeMap<(&str, &str), Vec<&Finding>> = BTreeMap::new();
    for finding in &drift.unexplained {
        by_operation
            .entry((finding.operation.as_str(), finding.route.as_str()))
            .or_default()
            .push(finding);
    }
    for ((operation, route), findings) in by_operation {
        let _ = writeln!(out, "\n{operation} ({route})");
        for finding in findings {
            let at = if finding.at.is_empty() {
                "(the whole operation)"
            } else {
                &finding.at
            };
            let _ = writeln!(out, "  {:<17} {at}", kind_label(finding.kind));
            match (&finding.ours, &finding.upstream) {
                (Some(ours), Some(upstream)) => {
                    let _ = writeln!(out, "{:20}ours: {}", "", short(ours));
                    let _ = writeln!(out, "{:20}upstream: {}", "", short(upstream));
                }
                (Some(ours), None) => {
                    let _ = writeln!(out, "{:20}ours: {}", "", short(ours));
                }
                (None, Some(upstream)) => {
                    let _ = writeln!(out, "{:20}upstream: {}", "", short(upstream));
                }
                (None, None) => {}
            }
        }
    }
    if !drift.stale.is_empty() {
        out.push_str(
            "\nStale deviations (they explain nothing any more; remove or update them):\n",
        );
        for deviation in &drift.stale {
            let kind = deviation.kind.map_or("any", kind_label);
            let _ = writeln!(
                out,
                "  {} {} ({kind}): {}",
                deviation.operation,
                if deviation.at.is_empty() {
                    "(the whole operation)"
                } else {
                    &deviation.at
                },
                deviation.reason
            );
        }
    }
    out
}

/// The report as JSON.
pub fn json(drift: &Drift) -> Value {
    json!({
        "clean": drift.is_clean(),
        "unexplained": drift.unexplained,
        "explained": drift.explained.iter().map(|(finding, reason)| json!({"finding": finding, "reason": reason})).collect::<Vec<_>>(),
        "stale": drift.stale.iter().map(|d| json!({"operation": d.operation, "at": d.at, "kind": d.kind, "reason": d.reason})).collect::<Vec<_>>(),
    })
}

fn kind_label(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::AddedUpstream => "added upstream",
        FindingKind::RemovedUpstream => "removed upstream",
        FindingKind::Changed => "changed",
    }
}

fn short(value: &Value) -> String {
    let text = sorted(value).to_string();
    match text.char_indices().nth(VALUE_LIMIT) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

/// The value with object keys in sorted order, whether or not serde_json
/// keeps insertion order (another crate of the workspace may turn on its
/// `preserve_order`), so that the report reads the same in every build.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(fields) => {
            let mut keys: Vec<&String> = fields.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|key| (key.clone(), sorted(&fields[key])))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}
