//! `openapi/deviations.toml`: the differences from upstream we mean to have.

use std::path::Path;

use serde::Deserialize;

use super::{DriftError, Finding, FindingKind};

/// One intentional difference between our spec and upstream's.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Deviation {
    /// The operationId it concerns, or `*` for every operation.
    pub operation: String,
    /// Where in the operation, as a dotted path; `*` matches one segment (or
    /// part of one), `**` any number of segments; empty for the whole operation.
    #[serde(default)]
    pub at: String,
    /// Which kind of finding it explains; any kind when absent.
    #[serde(default)]
    pub kind: Option<FindingKind>,
    /// Why: an upstream bug we fix, a choice of ours, what the server really
    /// does, or an operation not covered yet.
    pub category: Category,
    /// The reason, for the reader.
    pub reason: String,
}

/// Why a deviation exists.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Upstream's document is wrong; ours follows the server.
    UpstreamBug,
    /// The server really behaves differently from upstream's document.
    ServerBehaviour,
    /// A deliberate choice of ours that the server accepts.
    OurChoice,
    /// An upstream operation the SDK does not cover yet.
    NotYetCovered,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default, rename = "deviation")]
    deviations: Vec<Deviation>,
}

/// Reads a deviations file.
pub fn load(path: &Path) -> Result<Vec<Deviation>, DriftError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| DriftError(format!("cannot read {}: {e}", path.display())))?;
    let file: File = toml::from_str(&text).map_err(|e| {
        DriftError(format!(
            "{} is not a valid deviations file: {e}",
            path.display()
        ))
    })?;
    Ok(file.deviations)
}

impl Deviation {
    /// Whether this deviation explains `finding`.
    pub fn explains(&self, finding: &Finding) -> bool {
        (self.operation == "*" || self.operation == finding.operation)
            && self.kind.is_none_or(|kind| kind == finding.kind)
            && path_matches(&self.at, &finding.at)
    }
}

/// Matches a dotted path against a pattern with `*` and `**`.
fn path_matches(pattern: &str, path: &str) -> bool {
    fn segments(text: &str) -> Vec<&str> {
        if text.is_empty() {
            Vec::new()
        } else {
            text.split('.').collect()
        }
    }
    fn matches(pattern: &[&str], path: &[&str]) -> bool {
        match (pattern.split_first(), path.split_first()) {
            (None, None) => true,
            (Some((&"**", rest)), _) => {
                matches(rest, path) || (!path.is_empty() && matches(pattern, &path[1..]))
            }
            (Some((head, rest)), Some((segment, path_rest))) => {
                segment_matches(head, segment) && matches(rest, path_rest)
            }
            _ => false,
        }
    }
    matches(&segments(pattern), &segments(path))
}

/// `*` inside a segment matches any run of characters.
fn segment_matches(pattern: &str, segment: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return segment.is_empty();
    };
    let Some(mut rest) = segment.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (index, part) in parts.iter().enumerate() {
        if index + 1 == parts.len() {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(position) => rest = &rest[position + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_segments_and_runs_of_segments() {
        assert!(path_matches("", ""));
        assert!(!path_matches("", "responses.400"));
        assert!(path_matches("responses.400", "responses.400"));
        assert!(path_matches("responses.*", "responses.400"));
        assert!(!path_matches("responses.*", "responses.200.content"));
        assert!(path_matches("responses.**", "responses.200.content"));
        assert!(path_matches(
            "**.maxLength",
            "responses.200.content.a.properties.id.maxLength"
        ));
        assert!(path_matches("a.*At.type", "a.createdAt.type"));
        assert!(!path_matches("a.*At.type", "a.name.type"));
        assert!(segment_matches("*", ""));
        assert!(segment_matches("a*b*c", "aXbYc"));
        assert!(!segment_matches("a*b", "ab-c"));
    }
}
