//! Every operation in the spec has a facade method that calls it, and a test
//! that checks the request it sends.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// All `.rs` files under `dir`, as text.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
        }
    }
    files
}

/// `UpdatePrimaryEmail` to `update_primary_email`, as progenitor names it.
fn snake_case(operation_id: &str) -> String {
    let mut name = String::new();
    for (index, c) in operation_id.chars().enumerate() {
        if c.is_uppercase() && index > 0 {
            name.push('_');
        }
        name.push(c.to_ascii_lowercase());
    }
    name
}

/// Whether `path` (with `{params}`) matches a concrete test path.
fn path_matches(template: &str, concrete: &str) -> bool {
    let (template, concrete): (Vec<&str>, Vec<&str>) =
        (template.split('/').collect(), concrete.split('/').collect());
    template.len() == concrete.len()
        && template
            .iter()
            .zip(&concrete)
            .all(|(t, c)| (t.starts_with('{') && !c.is_empty()) || t == c)
}

/// `(METHOD, path)` of every `request(when, METHOD, "path")` in the tests.
fn tested_requests(tests: &[(PathBuf, String)]) -> Vec<(String, String)> {
    let mut requests = Vec::new();
    for (_, text) in tests {
        // rustfmt puts the arguments of a call with a long path on lines
        // of their own: read the text with its white space collapsed.
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let text = text.replace("request( when, ", "request(when, ");
        for call in text.split("request(when, ").skip(1) {
            let mut parts = call.splitn(2, ", \"");
            let (Some(method), Some(rest)) = (parts.next(), parts.next()) else {
                continue;
            };
            if let Some(path) = rest.split('"').next() {
                requests.push((method.trim().to_owned(), path.to_owned()));
            }
        }
    }
    requests
}

#[test]
fn every_operation_has_a_facade_method_and_a_request_test() {
    let spec: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("openapi/logto-account.json")).unwrap(),
    )
    .unwrap();
    // Without white space, so that rustfmt's line breaks in a long call
    // chain (`self\n.api()\n.x(`) do not hide it.
    let facade: Vec<(PathBuf, String)> = sources(&root().join("sdk/src"))
        .into_iter()
        .map(|(path, text)| (path, text.split_whitespace().collect()))
        .collect();
    let tests = sources(&root().join("sdk/tests"));
    let requests = tested_requests(&tests);
    let mut missing = Vec::new();

    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap();
            // progenitor generates no multipart operation: the facade sends
            // it with `send_built`, naming the operation.
            let call = if operation["requestBody"]["content"]
                .get("multipart/form-data")
                .is_some()
            {
                format!("\"{}\"", snake_case(id))
            } else {
                format!("self.api().{}(", snake_case(id))
            };
            // A chain rustfmt broke over lines still counts.
            let calls = |text: &String| text.split_whitespace().collect::<String>().contains(&call);
            if !facade.iter().any(|(_, text)| calls(text)) {
                missing.push(format!("{id}: no facade method calls `{call}`"));
            }
            let method = method.to_uppercase();
            if !requests
                .iter()
                .any(|(m, p)| *m == method && path_matches(path, p))
            {
                missing.push(format!("{id}: no test matches a {method} {path} request"));
            }
        }
    }

    assert!(missing.is_empty(), "uncovered:\n{}", missing.join("\n"));
}

#[test]
fn the_coverage_check_reads_calls_and_requests_right() {
    assert_eq!(
        snake_case("VerifyVerificationByVerificationCode"),
        "verify_verification_by_verification_code"
    );
    assert!(path_matches(
        "/api/my-account/identities/{target}",
        "/api/my-account/identities/github"
    ));
    assert!(!path_matches(
        "/api/my-account/identities/{target}",
        "/api/my-account/identities"
    ));
    let requests = tested_requests(&[(
        PathBuf::new(),
        "request(when, DELETE, \"/api/x/y\")".to_owned(),
    )]);
    assert_eq!(requests, vec![("DELETE".to_owned(), "/api/x/y".to_owned())]);
    let wrapped = tested_requests(&[(
        PathBuf::new(),
        "request(\n    when,\n    PATCH,\n    \"/api/x/y/name\",\n)".to_owned(),
    )]);
    assert_eq!(
        wrapped,
        vec![("PATCH".to_owned(), "/api/x/y/name".to_owned())]
    );
}
