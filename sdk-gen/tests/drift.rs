//! `sdk-gen drift` on small documents written for each case: the exact
//! report and exit code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

/// Our side: one operation with a `$ref`'d body and typed error body.
fn ours() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "ours", "version": "1"},
        "paths": {
            "/api/my-account/password": {"post": {
                "operationId": "UpdatePassword",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Password"}}}},
                "responses": {
                    "204": {"description": "Updated."},
                    "401": {"description": "No.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
                }
            }},
            "/api/my-account": {"get": {
                "operationId": "GetProfile",
                "responses": {"200": {"description": "The account.", "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"id": {"type": "string"}, "name": {"type": "string", "nullable": true}}
                }}}}}
            }}
        },
        "components": {"schemas": {
            "Password": {"type": "object", "required": ["password"], "properties": {
                "password": {"type": "string", "minLength": 1, "pattern": "^\\S+$"},
                "kind": {"type": "string", "enum": ["a", "b"]}
            }},
            "ErrorBody": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}}
        }}
    })
}

/// Upstream's side: the same meaning, written with Logto's quirks.
fn upstream() -> Value {
    json!({
        "openapi": "3.0.1",
        "info": {"title": "Logto user API references", "version": "1.42.0"},
        "paths": {
            "/api/my-account/password": {"post": {
                "operationId": "UpdatePassword",
                "summary": "Update password",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["password"], "properties": {
                        "password": {"type": "string", "minLength": 1, "format": "regex", "pattern": "/^\\S+$/", "description": "The new password."},
                        "kind": {"oneOf": [{"type": "string", "format": "\"b\""}, {"type": "string", "format": "\"a\""}]}
                    }
                }}}},
                "responses": {"204": {"description": "ok"}, "401": {"description": "Unauthorized"}}
            }},
            "/api/my-account": {"get": {
                "operationId": "GetProfile",
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"id": {"type": "string"}, "name": {"type": "string", "nullable": true}}
                }}}}}
            }},
            "/api/applications": {"get": {"operationId": "ListApplications", "responses": {"200": {"description": "not the user API"}}}}
        }
    })
}

struct Case {
    dir: PathBuf,
}

impl Case {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("sdk-gen-drift-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Case { dir }
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn json(&self, name: &str, value: &Value) -> PathBuf {
        self.file(name, &serde_json::to_string_pretty(value).unwrap())
    }
}

/// Runs `sdk-gen drift` and returns (exit code, stdout, stderr).
fn drift(ours: &Path, upstream: &str, extra: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_sdk-gen"))
        .args(["drift", "--ours"])
        .arg(ours)
        .args(["--upstream", upstream])
        .args(extra)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn run_case(name: &str, change: impl FnOnce(&mut Value)) -> (i32, String, String, String, String) {
    let case = Case::new(name);
    let ours = case.json("ours.json", &ours());
    let mut upstream = upstream();
    change(&mut upstream);
    let upstream = case.json("upstream.json", &upstream);
    let (code, out, err) = drift(&ours, upstream.to_str().unwrap(), &[]);
    (
        code,
        out,
        err,
        ours.display().to_string(),
        upstream.display().to_string(),
    )
}

fn body_properties(upstream: &mut Value) -> &mut Value {
    upstream
        .pointer_mut("/paths/~1api~1my-account~1password/post/requestBody/content/application~1json/schema/properties")
        .unwrap()
}

#[test]
fn logtos_quirks_are_not_drift() {
    let (code, out, err, ours, upstream) = run_case("quirks", |_| {});

    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out,
        format!(
            "Drift between {ours} and {upstream}: 0 unexplained, 0 explained by deviations, 0 stale deviations.\nNo unexplained drift.\n"
        )
    );
}

#[test]
fn a_field_added_upstream_is_drift() {
    let (code, out, _, ours, upstream) = run_case("added", |upstream| {
        body_properties(upstream)["hint"] = json!({"type": "string"});
    });

    assert_eq!(code, 1);
    assert_eq!(
        out,
        format!(
            "Drift between {ours} and {upstream}: 1 unexplained, 0 explained by deviations, 0 stale deviations.\n\
             \n\
             UpdatePassword (POST /api/my-account/password)\n  \
             added upstream    requestBody.content.application/json.properties.hint\n                    \
             upstream: {{\"required\":false,\"type\":\"string\"}}\n"
        )
    );
}

#[test]
fn a_changed_type_is_drift() {
    let (code, out, ..) = run_case("type", |upstream| {
        body_properties(upstream)["password"]["type"] = json!("number");
    });

    assert_eq!(code, 1);
    assert!(
        out.ends_with(
            "UpdatePassword (POST /api/my-account/password)\n  \
             changed           requestBody.content.application/json.properties.password.type\n                    \
             ours: \"string\"\n                    \
             upstream: \"number\"\n"
        ),
        "{out}"
    );
}

#[test]
fn a_field_that_became_required_is_drift() {
    let (code, out, ..) = run_case("required", |upstream| {
        upstream
            .pointer_mut("/paths/~1api~1my-account~1password/post/requestBody/content/application~1json/schema/required")
            .unwrap()
            .as_array_mut()
            .unwrap()
            .push(json!("kind"));
    });

    assert_eq!(code, 1);
    assert!(
        out.ends_with(
            "  changed           requestBody.content.application/json.properties.kind.required\n                    \
             ours: false\n                    \
             upstream: true\n"
        ),
        "{out}"
    );
}

#[test]
fn an_operation_removed_upstream_is_drift() {
    let (code, out, ..) = run_case("removed", |upstream| {
        upstream["paths"]
            .as_object_mut()
            .unwrap()
            .remove("/api/my-account");
    });

    assert_eq!(code, 1);
    assert!(
        out.ends_with(
            "\nGetProfile (GET /api/my-account)\n  removed upstream  (the whole operation)\n"
        ),
        "{out}"
    );
}

#[test]
fn a_listed_deviation_explains_a_finding_and_a_stale_one_is_reported() {
    let case = Case::new("deviations");
    let ours = case.json("ours.json", &ours());
    let mut upstream_doc = upstream();
    upstream_doc["paths"]["/api/my-account"]["get"]["responses"]["404"] =
        json!({"description": "gone"});
    let upstream = case.json("upstream.json", &upstream_doc);
    let listed = case.file(
        "deviations.toml",
        r#"
[[deviation]]
operation = "GetProfile"
at = "responses.404"
kind = "added-upstream"
category = "upstream-bug"
reason = "Never sent."
"#,
    );
    let (code, out, err) = drift(
        &ours,
        upstream.to_str().unwrap(),
        &["--deviations", listed.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with(&format!(
        "Drift between {} and {}: 0 unexplained, 1 explained by deviations, 0 stale deviations.\n",
        ours.display(),
        upstream.display()
    )));

    let stale = case.file(
        "stale.toml",
        r#"
[[deviation]]
operation = "GetProfile"
at = "responses.500"
category = "server-behaviour"
reason = "Upstream used to list it."
"#,
    );
    let clean_upstream = case.json("clean.json", &self::upstream());
    let (code, out, _) = drift(
        &ours,
        clean_upstream.to_str().unwrap(),
        &["--deviations", stale.to_str().unwrap()],
    );
    assert_eq!(code, 1);
    assert!(
        out.ends_with(
            "0 unexplained, 0 explained by deviations, 1 stale deviations.\n\n\
             Stale deviations (they explain nothing any more; remove or update them):\n  \
             GetProfile responses.500 (any): Upstream used to list it.\n"
        ),
        "{out}"
    );
}

#[test]
fn json_output_lists_findings_for_machines() {
    let case = Case::new("json");
    let ours = case.json("ours.json", &ours());
    let mut upstream_doc = upstream();
    body_properties(&mut upstream_doc)["hint"] = json!({"type": "string"});
    let upstream = case.json("upstream.json", &upstream_doc);

    let (code, out, _) = drift(&ours, upstream.to_str().unwrap(), &["--json"]);

    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["clean"], false);
    assert_eq!(
        report["unexplained"],
        json!([{
            "operation": "UpdatePassword",
            "route": "POST /api/my-account/password",
            "kind": "added-upstream",
            "at": "requestBody.content.application/json.properties.hint",
            "ours": null,
            "upstream": {"required": false, "type": "string"}
        }])
    );
}

#[test]
fn a_malformed_file_cannot_be_compared() {
    let case = Case::new("malformed");
    let ours = case.json("ours.json", &ours());
    let broken = case.file("broken.json", "{\"openapi\": \"3.0.1\", \"paths\": {");

    let (code, out, err) = drift(&ours, broken.to_str().unwrap(), &[]);

    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(
        err.starts_with(&format!(
            "sdk-gen drift: could not compare: {} is not JSON: ",
            broken.display()
        )),
        "{err}"
    );
}

#[test]
fn an_openapi_3_1_file_cannot_be_compared() {
    let case = Case::new("v31");
    let ours = case.json("ours.json", &ours());
    let mut document = upstream();
    document["openapi"] = json!("3.1.0");
    let v31 = case.json("v31.json", &document);

    let (code, _, err) = drift(&ours, v31.to_str().unwrap(), &[]);

    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!(
            "sdk-gen drift: could not compare: {} is OpenAPI 3.1.0; only OpenAPI 3.0 documents can be compared\n",
            v31.display()
        )
    );
}

#[test]
fn an_unreachable_url_cannot_be_compared() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let case = Case::new("unreachable");
    let ours = case.json("ours.json", &ours());
    let url = format!("http://127.0.0.1:{port}/api/.well-known/user.openapi.json");

    let (code, out, err) = drift(&ours, &url, &[]);

    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(
        err.starts_with(&format!(
            "sdk-gen drift: could not compare: cannot fetch {url}: "
        )),
        "{err}"
    );
}

#[test]
fn an_upstream_url_is_fetched() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/api/.well-known/user.openapi.json",
        listener.local_addr().unwrap()
    );
    let body = serde_json::to_string(&upstream()).unwrap();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = [0u8; 4096];
        let _ = stream.read(&mut request).unwrap();
        write!(
            stream,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
    });
    let case = Case::new("url");
    let ours = case.json("ours.json", &ours());

    let (code, out, err) = drift(&ours, &url, &[]);

    server.join().unwrap();
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.ends_with("No unexplained drift.\n"), "{out}");
}

/// Logto 1.42.0's served document, beside the repository in CI.
fn shared_upstream() -> Option<PathBuf> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/logto/user.openapi.json");
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must have {}",
        path.display()
    );
    eprintln!("skipped: {} is not here", path.display());
    None
}

#[test]
fn our_spec_matches_logto_1_42_but_for_the_listed_deviations() {
    let Some(upstream) = shared_upstream() else {
        return;
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");

    let (code, out, err) = drift(
        &root.join("openapi/logto-account.json"),
        upstream.to_str().unwrap(),
        &[
            "--deviations",
            root.join("openapi/deviations.toml").to_str().unwrap(),
        ],
    );

    assert_eq!(code, 0, "{out}{err}");
    assert!(out.ends_with("0 unexplained, 101 explained by deviations, 0 stale deviations.\nNo unexplained drift.\n"), "{out}");
}

#[test]
fn a_property_deleted_upstream_names_the_property_and_operation() {
    let Some(upstream) = shared_upstream() else {
        return;
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut document: Value =
        serde_json::from_str(&std::fs::read_to_string(upstream).unwrap()).unwrap();
    document
        .pointer_mut("/paths/~1api~1my-account/patch/requestBody/content/application~1json/schema/properties")
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove("username");
    let case = Case::new("deleted-property");
    let copy = case.json("user.openapi.json", &document);

    let (code, out, _) = drift(
        &root.join("openapi/logto-account.json"),
        copy.to_str().unwrap(),
        &[
            "--deviations",
            root.join("openapi/deviations.toml").to_str().unwrap(),
        ],
    );

    assert_eq!(code, 1);
    assert!(
        out.contains(
            "\nUpdateProfile (PATCH /api/my-account)\n  \
             removed upstream  requestBody.content.application/json.properties.username\n"
        ),
        "{out}"
    );
}
