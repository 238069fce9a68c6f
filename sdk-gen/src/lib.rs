//! Turns the Account API spec (`openapi/logto-account.json`) into Rust bindings.
//!
//! This crate is the one place that owns progenitor's settings: the build script
//! of `logto-account-api` calls [`generate_file`], and the `sdk-gen` binary prints
//! the same code for reading. A spec progenitor cannot handle is reported as a
//! [`GenError`] naming the operation, never as progenitor's panic.

mod boxed;
#[cfg(feature = "cli")]
pub mod drift;
mod generated_types;
mod multipart;
mod request_building;
mod secrets;
mod surface;

pub use multipart::{MULTIPART, multipart_operations};
pub use secrets::Secrets;
pub use surface::surface;

use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr};
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};

/// Where the spec lives, relative to the workspace root.
pub const SPEC_RELATIVE_PATH: &str = "openapi/logto-account.json";

/// Why the spec could not be turned into code.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GenError {
    /// The spec file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file that was read.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The generated code could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file that was written.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The spec file is not a valid OpenAPI 3.0 document.
    #[error("{path} is not a valid OpenAPI 3.0 document: {reason}")]
    Invalid {
        /// The file that was read.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The document breaks a rule this project holds its spec to.
    #[error("spec check failed: {0}")]
    Check(String),
    /// Progenitor could not generate code for one operation.
    #[error("cannot generate code for operation {operation_id}: {reason}")]
    Operation {
        /// The operation progenitor failed on.
        operation_id: String,
        /// Progenitor's error or panic message.
        reason: String,
    },
    /// Progenitor failed on something that no single operation explains
    /// (e.g. a component schema).
    #[error("cannot generate code: {0}")]
    Generate(String),
}

/// Reads and parses the spec at `path`.
pub fn load(path: &Path) -> Result<OpenAPI, GenError> {
    let text = std::fs::read_to_string(path).map_err(|source| GenError::Read {
        path: path.to_owned(),
        source,
    })?;
    let invalid = |reason: String| GenError::Invalid {
        path: path.to_owned(),
        reason,
    };
    let raw: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| invalid(format!("not JSON: {e}")))?;
    match raw.get("openapi").and_then(serde_json::Value::as_str) {
        Some(version) if version.starts_with("3.0.") => {}
        Some(version) => return Err(invalid(format!("version {version}, expected 3.0.x"))),
        None => return Err(invalid("no `openapi` version field".to_owned())),
    }
    serde_json::from_value(raw).map_err(|e| invalid(e.to_string()))
}

/// The component schema every path parameter must use: the bindings then
/// take a [`PathSegment`](../logto_account_api/struct.PathSegment.html),
/// which refuses values a URL parser would turn into another path.
pub const PATH_SEGMENT_SCHEMA: &str = "#/components/schemas/PathSegment";

/// Checks the rules our spec keeps so that the generated client stays usable
/// and safe: every operation has a unique `operationId`, and every path
/// parameter is a `PathSegment`.
pub fn check(spec: &OpenAPI) -> Result<(), GenError> {
    let mut seen = BTreeSet::new();
    for (path, method, operation) in spec.operations() {
        let id = operation.operation_id.as_deref().ok_or_else(|| {
            GenError::Check(format!(
                "{} {path} has no operationId",
                method.to_uppercase()
            ))
        })?;
        if !seen.insert(id) {
            return Err(GenError::Check(format!("operationId {id} is used twice")));
        }
        for parameter in &operation.parameters {
            if let ReferenceOr::Item(Parameter::Path { parameter_data, .. }) = parameter
                && !matches!(
                    &parameter_data.format,
                    ParameterSchemaOrContent::Schema(ReferenceOr::Reference { reference })
                        if reference == PATH_SEGMENT_SCHEMA
                )
            {
                return Err(GenError::Check(format!(
                    "operation {id}: path parameter `{}` must be a `$ref` to {PATH_SEGMENT_SCHEMA}",
                    parameter_data.name
                )));
            }
        }
    }
    Ok(())
}

/// Progenitor's settings for this project, in one place.
pub fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        // The bindings crate implements `ClientHooks` itself: its `exec`
        // hands every request to the client's `Executor` (secret headers
        // marked sensitive, auth, retries, tracing, limits). Forgetting the
        // implementation must not compile.
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote::quote!(crate::Executor))
        // Lets users and tests compare values.
        .with_derive("PartialEq")
        // progenitor cannot send an explicit `null` for an optional field
        // (typify issue 851): these three-state types can.
        .with_replacement(
            "ClearableString",
            "crate::Clearable<String>",
            std::iter::empty::<TypeImpl>(),
        )
        .with_replacement(
            "ClearableUsername",
            "crate::Clearable<crate::types::Username>",
            std::iter::empty::<TypeImpl>(),
        )
        // Objects that may be absent must stay distinguishable from empty
        // ones: typify would make them non-optional maps (and drop `{}`).
        .with_replacement(
            "CustomData",
            "::serde_json::Map<::std::string::String, ::serde_json::Value>",
            std::iter::empty::<TypeImpl>(),
        )
        // Every path parameter: a value that cannot leave its segment.
        .with_replacement(
            "PathSegment",
            "crate::PathSegment",
            std::iter::empty::<TypeImpl>(),
        )
        .with_replacement(
            "SocialIdentities",
            "::std::collections::BTreeMap<::std::string::String, crate::types::SocialIdentity>",
            std::iter::empty::<TypeImpl>(),
        );
    settings
}

/// Generates the bindings for `spec` as formatted Rust source.
pub fn generate(spec: &OpenAPI) -> Result<String, GenError> {
    check(spec)?;
    // Progenitor generates no multipart body: the facade sends those by hand.
    let spec = &multipart::without_multipart(spec);
    let tokens = generate_tokens(spec).map_err(|reason| match culprit(spec) {
        Some((operation_id, reason)) => GenError::Operation {
            operation_id,
            reason,
        },
        None => GenError::Generate(reason),
    })?;
    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| GenError::Generate(format!("unparsable output: {e}")))?;
    Secrets::of(spec).apply(&mut file);
    let boxed = boxed::boxed_schemas(spec);
    if boxed::apply(&boxed, &mut file) < boxed.len() {
        return Err(GenError::Generate(
            "a schema marked x-boxed is held by no generated type (see boxed.rs)".to_owned(),
        ));
    }
    let operations = spec.operations().count();
    let rewritten = request_building::rewrite(&mut file);
    if rewritten.urls != operations
        || rewritten.api_version_headers != operations
        || rewritten.header_maps != operations
        || rewritten.scoped != operations
        || rewritten.headers != header_parameters(spec)
        || rewritten.headers_after_build != operations
        || rewritten.boxed_error_reads != operations
        || rewritten.success_reads == 0
        || rewritten.success_reads_left != 0
    {
        return Err(GenError::Generate(format!(
            "progenitor's output changed shape: {} of {operations} URLs, {} of {operations} api-version headers, {} of {operations} header maps, {} of {operations} method bodies, {} of {} header parameters, {} of {operations} header merges and {} of {operations} error reads rewritten, {} success reads inlined and {} not (see request_building.rs)",
            rewritten.urls,
            rewritten.api_version_headers,
            rewritten.header_maps,
            rewritten.scoped,
            rewritten.headers,
            header_parameters(spec),
            rewritten.headers_after_build,
            rewritten.boxed_error_reads,
            rewritten.success_reads,
            rewritten.success_reads_left
        )));
    }
    Ok(prettyplease::unparse(&file))
}

/// How many header parameters the operations have (multipart ones, which
/// progenitor does not see, left out).
fn header_parameters(spec: &OpenAPI) -> usize {
    let multipart = multipart_operations(spec);
    spec.operations()
        .filter(|(_, _, operation)| {
            operation
                .operation_id
                .as_ref()
                .is_none_or(|id| !multipart.contains(id))
        })
        .flat_map(|(_, _, operation)| &operation.parameters)
        .filter(|parameter| {
            let parameter = match parameter {
                openapiv3::ReferenceOr::Item(parameter) => Some(parameter),
                openapiv3::ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/parameters/")
                    .and_then(|name| spec.components.as_ref()?.parameters.get(name))
                    .and_then(|parameter| parameter.as_item()),
            };
            matches!(parameter, Some(openapiv3::Parameter::Header { .. }))
        })
        .count()
}

/// Loads the spec at `spec_path`, generates the bindings and writes them to
/// `out_path`. This is what the build script calls.
pub fn generate_file(spec_path: &Path, out_path: &Path) -> Result<(), GenError> {
    let code = generate(&load(spec_path)?)?;
    std::fs::write(out_path, code).map_err(|source| GenError::Write {
        path: out_path.to_owned(),
        source,
    })
}

/// Runs progenitor, turning its errors and panics into a message.
fn generate_tokens(spec: &OpenAPI) -> Result<proc_macro2::TokenStream, String> {
    // Progenitor panics on some inputs; the default hook would print a
    // backtrace hint to a build log before we can explain, so silence it here.
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        Generator::new(&settings()).generate_tokens(spec)
    }));
    panic::set_hook(previous_hook);
    match outcome {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(error)) => Err(error.to_string()),
        Err(payload) => Err(panic_message(payload.as_ref())),
    }
}

/// Finds the first operation that fails on its own, to name it in the error.
fn culprit(spec: &OpenAPI) -> Option<(String, String)> {
    spec.operations().find_map(|(path, method, operation)| {
        let id = operation.operation_id.clone()?;
        let mut alone = spec.clone();
        let mut item = PathItem::default();
        let slot = match method {
            "get" => &mut item.get,
            "put" => &mut item.put,
            "post" => &mut item.post,
            "delete" => &mut item.delete,
            "options" => &mut item.options,
            "head" => &mut item.head,
            "patch" => &mut item.patch,
            _ => &mut item.trace,
        };
        *slot = Some(operation.clone());
        alone.paths.paths.clear();
        alone
            .paths
            .paths
            .insert(path.to_owned(), ReferenceOr::Item(item));
        generate_tokens(&alone).err().map(|reason| (id, reason))
    })
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        format!("progenitor panicked: {message}")
    } else if let Some(message) = payload.downcast_ref::<String>() {
        format!("progenitor panicked: {message}")
    } else {
        "progenitor panicked".to_owned()
    }
}
