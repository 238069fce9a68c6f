//! What the emulator reads from our OpenAPI document
//! ([`logto_account_api::OPENAPI_DOCUMENT`]) instead of keeping its own
//! copy: the validation patterns, evaluated as the JavaScript regular
//! expressions they are. (A test walks the document's operations and
//! checks the emulator routes each one.)

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regress::Regex;
use serde_json::Value;

/// The document, parsed once. A document that does not parse (it is checked
/// by the generator's drift test, so it always does) reads as empty.
static DOCUMENT: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(logto_account_api::OPENAPI_DOCUMENT).unwrap_or(Value::Null)
});

/// Every `pattern` of `components.schemas`, compiled, by schema name.
static PATTERNS: LazyLock<BTreeMap<String, Regex>> = LazyLock::new(|| {
    DOCUMENT["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(name, schema)| {
            let pattern = schema.get("pattern")?.as_str()?;
            Some((name.clone(), Regex::new(pattern).ok()?))
        })
        .collect()
});

/// Whether `text` matches the pattern of the spec's schema `schema`. A
/// schema without a pattern constrains nothing.
pub(crate) fn matches(schema: &str, text: &str) -> bool {
    PATTERNS
        .get(schema)
        .is_none_or(|pattern| pattern.find(text).is_some())
}

/// The methods of a path item, in the order an OpenAPI document lists them.
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// The `Allow` header koa-router sends for the spec's path `path` (a
/// template such as `/api/my-account/identities/{target}`): the path's
/// methods in the document's order, with `HEAD` before `GET` as koa-router
/// adds it.
pub(crate) fn allow_header(path: &str) -> String {
    let Some(item) = DOCUMENT["paths"].get(path).and_then(Value::as_object) else {
        return String::new();
    };
    item.keys()
        .filter(|method| METHODS.contains(&method.as_str()))
        .flat_map(|method| match method.as_str() {
            "get" => vec!["HEAD".to_owned(), "GET".to_owned()],
            other => vec![other.to_ascii_uppercase()],
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `path` names one of the spec's paths in another letter case
/// (koa-router matches case-insensitively; the handler then fails).
pub(crate) fn is_path_in_another_case(path: &str) -> bool {
    let path = path.strip_suffix('/').unwrap_or(path);
    let segments: Vec<&str> = path.split('/').collect();
    DOCUMENT["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .any(|(template, _)| {
            let parts: Vec<&str> = template.split('/').collect();
            parts.len() == segments.len()
                && template != path
                && parts.iter().zip(&segments).all(|(part, segment)| {
                    (part.starts_with('{') && !segment.is_empty())
                        || part.eq_ignore_ascii_case(segment)
                })
                && parts
                    .iter()
                    .zip(&segments)
                    .any(|(part, segment)| !part.starts_with('{') && part != segment)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_in_another_case_are_told_from_known_and_unknown_ones() {
        assert!(is_path_in_another_case("/API/MY-ACCOUNT"));
        assert!(is_path_in_another_case("/api/My-Account/identities/github"));
        assert!(!is_path_in_another_case("/api/my-account"));
        assert!(!is_path_in_another_case(
            "/api/my-account/identities/GitHub"
        ));
        assert!(!is_path_in_another_case("/api/my-account/nothing-here"));
    }

    #[test]
    fn the_patterns_the_guards_name_are_in_the_spec() {
        for schema in [
            "Username",
            "ClearableUsername",
            "EmailAddress",
            "VerificationCodeEmail",
            "PhoneNumber",
        ] {
            assert!(PATTERNS.contains_key(schema), "{schema}");
        }
    }

    #[test]
    fn allow_lists_the_specs_methods_like_koa_router() {
        assert_eq!(allow_header("/api/my-account"), "HEAD, GET, PATCH");
        assert_eq!(
            allow_header("/api/my-account/primary-email"),
            "POST, DELETE"
        );
        assert_eq!(allow_header("/api/nowhere"), "");
    }

    #[test]
    fn the_patterns_match_like_javascript() {
        assert!(matches("EmailAddress", "a@b.c"));
        assert!(matches("EmailAddress", "@x@y.z"));
        assert!(!matches("EmailAddress", "a@b."));
        assert!(!matches("EmailAddress", "a\u{a0}@b.c"));
        assert!(matches("Username", "_ada_1"));
        assert!(!matches("Username", "1ada"));
        assert!(!matches("Username", "bad name!"));
        assert!(matches("PhoneNumber", "15551234567"));
        assert!(!matches("PhoneNumber", "+15551234567"));
        assert!(!matches("PhoneNumber", ""));
    }
}
