//! Operations progenitor cannot generate: a `multipart/form-data` body.
//!
//! Progenitor 0.15 generates JSON, form-urlencoded, octet-stream and text
//! bodies only. Such an operation stays in the spec (it is the contract, and
//! the emulator and the drift check read it), but progenitor gets a copy
//! without it, and the facade sends it by hand through the same client.

use openapiv3::{OpenAPI, ReferenceOr};

/// The content type progenitor does not generate.
pub const MULTIPART: &str = "multipart/form-data";

/// The operationIds whose request body is `multipart/form-data`.
pub fn multipart_operations(spec: &OpenAPI) -> Vec<String> {
    spec.operations()
        .filter(|(_, _, operation)| is_multipart(operation))
        .filter_map(|(_, _, operation)| operation.operation_id.clone())
        .collect()
}

/// `spec` without its multipart operations, for progenitor.
pub(crate) fn without_multipart(spec: &OpenAPI) -> OpenAPI {
    let mut spec = spec.clone();
    for item in spec.paths.paths.values_mut() {
        if let ReferenceOr::Item(item) = item {
            for slot in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.options,
                &mut item.head,
                &mut item.patch,
                &mut item.trace,
            ] {
                if slot.as_ref().is_some_and(is_multipart) {
                    *slot = None;
                }
            }
        }
    }
    spec
}

fn is_multipart(operation: &openapiv3::Operation) -> bool {
    matches!(
        &operation.request_body,
        Some(ReferenceOr::Item(body)) if body.content.contains_key(MULTIPART)
    )
}
