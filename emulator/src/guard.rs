//! Request-body validation that answers like Logto's zod guards: the same
//! `guard.invalid_input` body with zod's issue objects, in zod's order,
//! and the same `details` lines.

use serde_json::{Map, Value, json};

use crate::errors::ApiError;
use crate::spec;

/// A constraint on a string, checked in the order given (zod reports every
/// failing check, not just the first).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Rule {
    MinLength(usize),
    MaxLength(usize),
    /// The `pattern` of the named schema in our OpenAPI document.
    Pattern(&'static str),
    /// Anything a WHATWG URL parser accepts.
    Url,
}

/// One option of a zod union: reads the value into a fresh [`Guard`].
pub(crate) type UnionBranch<'a, T> = Box<dyn FnOnce(&mut Guard) -> Option<T> + 'a>;

/// Collects zod-shaped issues while a body is read.
#[derive(Debug, Default)]
pub(crate) struct Guard {
    issues: Vec<Value>,
    /// Whether an issue was fatal (a wrong type or literal), as opposed to a
    /// failed check on a value of the right type. zod's unions tell the two
    /// apart.
    aborted: bool,
}

impl Guard {
    /// Reads the body as an object; a body that is not one fails at once
    /// (zod reports nothing else then).
    pub(crate) fn root(body: &Value) -> Result<(Guard, &Map<String, Value>), ApiError> {
        let mut guard = Guard::default();
        match guard.object(Some(body), &[]) {
            Some(object) => Ok((guard, object)),
            None => Err(guard.into_error()),
        }
    }

    /// A required object at `path` (`value` is what is there).
    pub(crate) fn object<'v>(
        &mut self,
        value: Option<&'v Value>,
        path: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        match value {
            Some(Value::Object(object)) => Some(object),
            other => {
                self.invalid_type(path, "object", other);
                None
            }
        }
    }

    /// An optional object (a record of any JSON values).
    pub(crate) fn optional_object(
        &mut self,
        parent: &Map<String, Value>,
        path: &[&str],
    ) -> Option<Map<String, Value>> {
        match last_value(parent, path) {
            None => None,
            value => self.object(value, path).cloned(),
        }
    }

    /// A required string. When it is missing or invalid this records the
    /// issue and returns an empty string, which [`finish`](Self::finish)
    /// then keeps from being used.
    pub(crate) fn string(
        &mut self,
        parent: &Map<String, Value>,
        path: &[&str],
        rules: &[Rule],
    ) -> String {
        let value = last_value(parent, path);
        self.checked_string(value, path, rules).unwrap_or_default()
    }

    /// An optional string that must not be `null`.
    pub(crate) fn optional_string(
        &mut self,
        parent: &Map<String, Value>,
        path: &[&str],
        rules: &[Rule],
    ) -> Option<String> {
        match last_value(parent, path) {
            None => None,
            value => self.checked_string(value, path, rules),
        }
    }

    /// An optional string that may be `null`: `None` when absent,
    /// `Some(None)` for `null`.
    pub(crate) fn optional_nullable_string(
        &mut self,
        parent: &Map<String, Value>,
        path: &[&str],
        rules: &[Rule],
    ) -> Option<Option<String>> {
        match last_value(parent, path) {
            None => None,
            Some(Value::Null) => Some(None),
            value => self.checked_string(value, path, rules).map(Some),
        }
    }

    /// A required array of strings (`z.string().array()`); elements that
    /// are not strings are reported at their index.
    pub(crate) fn string_array(
        &mut self,
        parent: &Map<String, Value>,
        path: &[&str],
    ) -> Vec<String> {
        let value = last_value(parent, path);
        let Some(Value::Array(items)) = value else {
            self.invalid_type(path, "array", value);
            return Vec::new();
        };
        let mut strings = Vec::new();
        for (index, item) in items.iter().enumerate() {
            match item {
                Value::String(text) => strings.push(text.clone()),
                other => {
                    self.aborted = true;
                    let mut at = json_path(path);
                    if let Value::Array(segments) = &mut at {
                        segments.push(json!(index));
                    }
                    self.issues.push(json!({
                        "code": "invalid_type",
                        "expected": "string",
                        "received": type_name(Some(other)),
                        "path": at,
                        "message": format!("Expected string, received {}", type_name(Some(other))),
                    }));
                }
            }
        }
        strings
    }

    /// A value that must be exactly `expected` (a zod literal).
    pub(crate) fn literal(&mut self, parent: &Map<String, Value>, path: &[&str], expected: &str) {
        let value = last_value(parent, path);
        if value.and_then(Value::as_str) == Some(expected) {
            return;
        }
        let mut issue = Map::new();
        if let Some(received) = value {
            issue.insert("received".to_owned(), received.clone());
        }
        issue.insert("code".to_owned(), json!("invalid_literal"));
        issue.insert("expected".to_owned(), json!(expected));
        issue.insert("path".to_owned(), json_path(path));
        issue.insert(
            "message".to_owned(),
            json!(format!(
                "Invalid literal value, expected {}",
                json!(expected)
            )),
        );
        self.issues.push(Value::Object(issue));
        self.aborted = true;
    }

    /// A discriminated union whose discriminator at `path` is none of
    /// `options`: zod's single `invalid_union_discriminator` issue.
    pub(crate) fn invalid_discriminator(&mut self, path: &[&str], options: &[&str]) {
        let expected = options
            .iter()
            .map(|option| format!("'{option}'"))
            .collect::<Vec<_>>()
            .join(" | ");
        self.issues.push(json!({
            "code": "invalid_union_discriminator",
            "options": options,
            "path": json_path(path),
            "message": format!("Invalid discriminator value. Expected {expected}"),
        }));
        self.aborted = true;
    }

    /// A zod union at `path`: the first branch without issues wins; failing
    /// that, the first whose issues are not fatal has them reported; failing
    /// that, one `invalid_union` issue lists every branch's issues.
    pub(crate) fn union<T>(
        &mut self,
        path: &[&str],
        branches: Vec<UnionBranch<'_, T>>,
    ) -> Option<T> {
        let mut first_dirty: Option<Guard> = None;
        let mut union_errors = Vec::new();
        for branch in branches {
            let mut attempt = Guard::default();
            let value = branch(&mut attempt);
            if attempt.issues.is_empty() {
                return value;
            }
            union_errors.push(json!({"issues": attempt.issues.clone(), "name": "ZodError"}));
            if !attempt.aborted && first_dirty.is_none() {
                first_dirty = Some(attempt);
            }
        }
        match first_dirty {
            Some(dirty) => self.issues.extend(dirty.issues),
            None => {
                self.issues.push(json!({
                    "code": "invalid_union",
                    "unionErrors": union_errors,
                    "path": json_path(path),
                    "message": "Invalid input",
                }));
                self.aborted = true;
            }
        }
        None
    }

    /// `Ok` if nothing was wrong, else Logto's 400 `guard.invalid_input`.
    pub(crate) fn finish(self) -> Result<(), ApiError> {
        self.finish_for("body")
    }

    /// Like [`finish`](Self::finish) for another part of the request
    /// (`query`, `files`), which Logto names in the message.
    pub(crate) fn finish_for(self, part: &str) -> Result<(), ApiError> {
        if self.issues.is_empty() {
            Ok(())
        } else {
            Err(self.into_error_for(part))
        }
    }

    /// A required boolean; `false` when missing or invalid (the issue keeps
    /// it from being used).
    pub(crate) fn boolean(&mut self, parent: &Map<String, Value>, path: &[&str]) -> bool {
        let value = last_value(parent, path);
        self.checked_boolean(value, path).unwrap_or_default()
    }

    /// An optional boolean.
    pub(crate) fn optional_boolean(
        &mut self,
        parent: &Map<String, Value>,
        path: &[&str],
    ) -> Option<bool> {
        match last_value(parent, path) {
            None => None,
            value => self.checked_boolean(value, path),
        }
    }

    fn checked_boolean(&mut self, value: Option<&Value>, path: &[&str]) -> Option<bool> {
        match value {
            Some(Value::Bool(value)) => Some(*value),
            other => {
                self.invalid_type(path, "boolean", other);
                None
            }
        }
    }

    /// A value of a zod enum (`invalid_enum_value` otherwise).
    pub(crate) fn enumeration(&mut self, value: &str, path: &[&str], options: &[&str]) {
        if !options.contains(&value) {
            self.aborted = true;
            self.issues.push(json!({
                "received": value,
                "code": "invalid_enum_value",
                "options": options,
                "path": json_path(path),
                "message": format!(
                    "Invalid enum value. Expected {}, received '{value}'",
                    options.iter().map(|option| format!("'{option}'")).collect::<Vec<_>>().join(" | ")
                ),
            }));
        }
    }

    /// An issue found outside this guard's readers (e.g. a missing file).
    pub(crate) fn invalid_type_at(&mut self, path: &[&str], expected: &str) {
        self.invalid_type(path, expected, None);
    }

    fn into_error(self) -> ApiError {
        self.into_error_for("body")
    }

    fn into_error_for(self, part: &str) -> ApiError {
        let details = self
            .issues
            .iter()
            .map(details_line)
            .collect::<Vec<_>>()
            .join("\n");
        ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "guard.invalid_input",
            format!("The request {part} is invalid."),
        )
        .with_data(json!({"issues": self.issues, "name": "ZodError"}))
        .with_details(details)
    }

    fn checked_string(
        &mut self,
        value: Option<&Value>,
        path: &[&str],
        rules: &[Rule],
    ) -> Option<String> {
        let Some(Value::String(text)) = value else {
            self.invalid_type(path, "string", value);
            return None;
        };
        let before = self.issues.len();
        for rule in rules {
            self.check(text, path, *rule);
        }
        (self.issues.len() == before).then(|| text.clone())
    }

    fn check(&mut self, text: &str, path: &[&str], rule: Rule) {
        // zod measures strings in UTF-16 code units, like JavaScript.
        let length = text.encode_utf16().count();
        let issue = match rule {
            Rule::MinLength(minimum) if length < minimum => json!({
                "code": "too_small",
                "minimum": minimum,
                "type": "string",
                "inclusive": true,
                "exact": false,
                "message": format!("String must contain at least {minimum} character(s)"),
                "path": json_path(path),
            }),
            Rule::MaxLength(maximum) if length > maximum => json!({
                "code": "too_big",
                "maximum": maximum,
                "type": "string",
                "inclusive": true,
                "exact": false,
                "message": format!("String must contain at most {maximum} character(s)"),
                "path": json_path(path),
            }),
            Rule::Pattern(schema) if !spec::matches(schema, text) => regex_issue(path),
            Rule::Url if url::Url::parse(text).is_err() => json!({
                "validation": "url",
                "code": "invalid_string",
                "message": "Invalid url",
                "path": json_path(path),
            }),
            _ => return,
        };
        self.issues.push(issue);
    }

    fn invalid_type(&mut self, path: &[&str], expected: &str, value: Option<&Value>) {
        self.aborted = true;
        let received = type_name(value);
        let message = if value.is_none() {
            "Required".to_owned()
        } else {
            format!("Expected {expected}, received {received}")
        };
        self.issues.push(json!({
            "code": "invalid_type",
            "expected": expected,
            "received": received,
            "path": json_path(path),
            "message": message,
        }));
    }
}

fn last_value<'v>(parent: &'v Map<String, Value>, path: &[&str]) -> Option<&'v Value> {
    path.last().and_then(|key| parent.get(*key))
}

fn json_path(path: &[&str]) -> Value {
    json!(path)
}

fn regex_issue(path: &[&str]) -> Value {
    json!({
        "validation": "regex",
        "code": "invalid_string",
        "message": "Invalid",
        "path": json_path(path),
    })
}

/// zod's name for the type of a value (`undefined` when absent).
fn type_name(value: Option<&Value>) -> &'static str {
    match value {
        None => "undefined",
        Some(Value::Null) => "null",
        Some(Value::Bool(_)) => "boolean",
        Some(Value::Number(_)) => "number",
        Some(Value::String(_)) => "string",
        Some(Value::Array(_)) => "array",
        Some(Value::Object(_)) => "object",
    }
}

/// Logto's `formatZodError` line for one issue.
fn details_line(issue: &Value) -> String {
    let text = |key: &str| issue.get(key).and_then(Value::as_str).unwrap_or_default();
    let path = issue
        .get("path")
        .and_then(Value::as_array)
        .map(|segments| {
            segments
                .iter()
                .map(|segment| {
                    segment
                        .as_str()
                        .map_or_else(|| segment.to_string(), str::to_owned)
                })
                .collect::<Vec<_>>()
                .join(".")
        })
        .unwrap_or_default();
    let code = text("code");
    let rest = if code == "invalid_type" {
        format!(
            "Expected {} but received {}.",
            text("expected"),
            text("received")
        )
    } else {
        text("message").to_owned()
    };
    format!("Error in key path \"{path}\": ({code}) {rest}")
}
