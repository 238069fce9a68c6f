//! Spec drift: how our spec and an upstream Logto document differ in meaning.
//!
//! Both documents are normalised (see `normalize.rs`) and compared operation by
//! operation (matched by method and path). Each difference is a [`Finding`];
//! those that a listed [`Deviation`] explains are expected, the rest are
//! drift. A deviation that explains nothing is stale.

pub mod deviations;
mod normalize;
pub mod report;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use deviations::{Category, Deviation};

/// The paths of Logto's user API; a full `/api/swagger.json` has many more.
const USER_API_PREFIXES: &[&str] = &["/api/my-account", "/api/verifications"];

/// How long fetching an upstream document may take.
const FETCH_TIMEOUT: Duration = Duration::from_secs(20);

/// The most an upstream document may weigh.
const MAX_DOCUMENT_BYTES: u64 = 16 * 1024 * 1024;

/// Why two documents could not be compared.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DriftError(pub String);

/// What kind of difference a finding is.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// Upstream has it, ours does not.
    AddedUpstream,
    /// Ours has it, upstream does not.
    RemovedUpstream,
    /// Both have it, with different values.
    Changed,
}

/// One difference between the two documents.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Finding {
    /// The operationId (ours, else upstream's).
    pub operation: String,
    /// `METHOD /path`.
    pub route: String,
    /// What differs.
    pub kind: FindingKind,
    /// Where in the operation, as a dotted path (empty: the whole operation).
    pub at: String,
    /// Our value there, if any.
    pub ours: Option<Value>,
    /// Upstream's value there, if any.
    pub upstream: Option<Value>,
}

/// The outcome of a comparison.
#[derive(Debug)]
pub struct Drift {
    /// Differences no deviation explains.
    pub unexplained: Vec<Finding>,
    /// Differences a deviation explains, with the deviation's reason.
    pub explained: Vec<(Finding, String)>,
    /// Deviations that explain nothing any more.
    pub stale: Vec<Deviation>,
}

impl Drift {
    /// Whether the documents agree but for listed deviations, none stale.
    pub fn is_clean(&self) -> bool {
        self.unexplained.is_empty() && self.stale.is_empty()
    }
}

/// Reads an OpenAPI 3.0 document from a file, or from an http(s) URL.
pub fn load_document(source: &str) -> Result<Value, DriftError> {
    let text = if source.starts_with("http://") || source.starts_with("https://") {
        fetch(source)?
    } else {
        std::fs::read_to_string(source)
            .map_err(|e| DriftError(format!("cannot read {source}: {e}")))?
    };
    let document: Value = serde_json::from_str(&text)
        .map_err(|e| DriftError(format!("{source} is not JSON: {e}")))?;
    match document.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.0.") => {}
        Some(version) => {
            return Err(DriftError(format!(
                "{source} is OpenAPI {version}; only OpenAPI 3.0 documents can be compared"
            )));
        }
        None => {
            return Err(DriftError(format!(
                "{source} is not an OpenAPI document (no `openapi` field)"
            )));
        }
    }
    if !document.get("paths").is_some_and(Value::is_object) {
        return Err(DriftError(format!("{source} has no `paths` object")));
    }
    Ok(document)
}

fn fetch(url: &str) -> Result<String, DriftError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(FETCH_TIMEOUT))
        .build()
        .into();
    let mut response = agent
        .get(url)
        .call()
        .map_err(|e| DriftError(format!("cannot fetch {url}: {e}")))?;
    response
        .body_mut()
        .with_config()
        .limit(MAX_DOCUMENT_BYTES)
        .read_to_string()
        .map_err(|e| DriftError(format!("cannot read the body of {url}: {e}")))
}

/// Compares our document with upstream's, explaining findings by `deviations`.
pub fn compare(ours: &Value, upstream: &Value, deviations: &[Deviation]) -> Drift {
    let ours_ops = operations(ours);
    let upstream_ops = operations(upstream);
    let mut findings = Vec::new();
    let routes: std::collections::BTreeSet<&String> =
        ours_ops.keys().chain(upstream_ops.keys()).collect();
    for route in routes {
        let (ours_shape, upstream_shape) = (ours_ops.get(route), upstream_ops.get(route));
        let operation = [ours_shape, upstream_shape]
            .into_iter()
            .flatten()
            .find_map(|shape| shape.get("operationId").and_then(Value::as_str))
            .unwrap_or(route)
            .to_owned();
        let whole = |kind| Difference {
            kind,
            at: String::new(),
            ours: None,
            upstream: None,
        };
        let mut differences = Vec::new();
        match (ours_shape, upstream_shape) {
            (Some(ours), Some(upstream)) => diff(ours, upstream, "", &mut differences),
            (None, Some(_)) => differences.push(whole(FindingKind::AddedUpstream)),
            (Some(_), None) => differences.push(whole(FindingKind::RemovedUpstream)),
            (None, None) => {}
        }
        findings.extend(differences.into_iter().map(|difference| Finding {
            operation: operation.clone(),
            route: route.clone(),
            kind: difference.kind,
            at: difference.at,
            ours: difference.ours,
            upstream: difference.upstream,
        }));
    }
    let mut used = vec![false; deviations.len()];
    let mut unexplained = Vec::new();
    let mut explained = Vec::new();
    for finding in findings {
        match deviations
            .iter()
            .position(|deviation| deviation.explains(&finding))
        {
            Some(index) => {
                used[index] = true;
                explained.push((finding, deviations[index].reason.clone()));
            }
            None => unexplained.push(finding),
        }
    }
    let stale = deviations
        .iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|(deviation, _)| deviation.clone())
        .collect();
    Drift {
        unexplained,
        explained,
        stale,
    }
}

/// `METHOD /path` to the operation's canonical shape, for the user API only.
fn operations(document: &Value) -> BTreeMap<String, Value> {
    let mut operations = BTreeMap::new();
    for (path, item) in document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if !USER_API_PREFIXES
            .iter()
            .any(|prefix| path.starts_with(prefix))
        {
            continue;
        }
        for (method, operation) in item.as_object().into_iter().flatten() {
            if matches!(
                method.as_str(),
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
            ) {
                operations.insert(
                    format!("{} {path}", method.to_uppercase()),
                    normalize::operation(document, operation),
                );
            }
        }
    }
    operations
}

/// One difference inside an operation.
struct Difference {
    kind: FindingKind,
    at: String,
    ours: Option<Value>,
    upstream: Option<Value>,
}

/// Every difference between two canonical values, keyed by path.
fn diff(ours: &Value, upstream: &Value, at: &str, out: &mut Vec<Difference>) {
    let join = |key: &str| {
        if at.is_empty() {
            key.to_owned()
        } else {
            format!("{at}.{key}")
        }
    };
    match (ours, upstream) {
        (Value::Object(ours), Value::Object(upstream)) => {
            let keys: std::collections::BTreeSet<&String> =
                ours.keys().chain(upstream.keys()).collect();
            for key in keys {
                match (ours.get(key), upstream.get(key)) {
                    (Some(o), Some(u)) => diff(o, u, &join(key), out),
                    (Some(o), None) => out.push(Difference {
                        kind: FindingKind::RemovedUpstream,
                        at: join(key),
                        ours: Some(o.clone()),
                        upstream: None,
                    }),
                    (None, Some(u)) => out.push(Difference {
                        kind: FindingKind::AddedUpstream,
                        at: join(key),
                        ours: None,
                        upstream: Some(u.clone()),
                    }),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(o), Value::Array(u))
            if o.len() == u.len() && o.iter().chain(u).all(Value::is_object) =>
        {
            for (index, (o, u)) in o.iter().zip(u).enumerate() {
                diff(o, u, &join(&index.to_string()), out);
            }
        }
        _ if ours != upstream => out.push(Difference {
            kind: FindingKind::Changed,
            at: at.to_owned(),
            ours: Some(ours.clone()),
            upstream: Some(upstream.clone()),
        }),
        _ => {}
    }
}

/// Reads our spec, upstream's and the deviations, and compares them.
pub fn run(ours: &Path, upstream: &str, deviations: Option<&Path>) -> Result<Drift, DriftError> {
    let ours = load_document(&ours.display().to_string())?;
    let upstream = load_document(upstream)?;
    let deviations = match deviations {
        Some(path) => deviations::load(path)?,
        None => Vec::new(),
    };
    Ok(compare(&ours, &upstream, &deviations))
}
