//! Brings an OpenAPI operation into a canonical shape, so that two documents
//! that mean the same compare equal.
//!
//! Logto's served document has known quirks (facts 10.2-10.3) that are not
//! differences of meaning: patterns wrapped in JavaScript slashes, string
//! literals written as `format: "\"Totp\""`, `format: "regex"` beside every
//! pattern, every schema inlined where ours uses `$ref`, unions of literals
//! where we write an `enum`, and error responses without a body where ours
//! declare Logto's error body. All of these are normalised away here.

use serde_json::{Map, Value, json};

/// Keys that describe, but do not change what a request or response may be.
const PROSE_KEYS: &[&str] = &[
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "externalDocs",
    "deprecated",
];

/// How deep `$ref`s are followed before giving up (a self-referencing schema).
const MAX_DEPTH: usize = 32;

/// The canonical shape of one operation: its id, parameters, request body
/// and responses.
pub(crate) fn operation(document: &Value, operation: &Value) -> Value {
    let mut shape = Map::new();
    if let Some(id) = operation.get("operationId") {
        shape.insert("operationId".into(), id.clone());
    }
    shape.insert(
        "parameters".into(),
        Value::Object(parameters(document, operation)),
    );
    if let Some(body) = operation.get("requestBody") {
        let body = resolve(document, body, 0);
        let mut request = Map::new();
        request.insert(
            "required".into(),
            Value::Bool(
                body.get("required")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            ),
        );
        request.insert("content".into(), content(document, body));
        shape.insert("requestBody".into(), Value::Object(request));
    }
    let mut responses = Map::new();
    for (status, response) in operation
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let response = resolve(document, response, 0);
        // Upstream declares no error bodies; ours declare Logto's error body
        // everywhere. Errors are compared by status alone.
        let shape = if status.starts_with('2') {
            json!({ "content": content(document, response) })
        } else {
            json!({})
        };
        responses.insert(status.clone(), shape);
    }
    shape.insert("responses".into(), Value::Object(responses));
    Value::Object(shape)
}

/// Parameters keyed by location, then name. Every location is present, so
/// that a parameter one side lacks is reported by its own path.
fn parameters(document: &Value, operation: &Value) -> Map<String, Value> {
    let mut by_location: Map<String, Value> = ["path", "query", "header", "cookie"]
        .into_iter()
        .map(|location| (location.to_owned(), json!({})))
        .collect();
    for parameter in operation
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let parameter = resolve(document, parameter, 0);
        let (Some(location), Some(name)) = (
            parameter.get("in").and_then(Value::as_str),
            parameter.get("name").and_then(Value::as_str),
        ) else {
            continue;
        };
        let required = parameter
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let schema = parameter
            .get("schema")
            .map_or_else(|| json!({}), |schema| self::schema(document, schema, 0));
        let entry = by_location
            .entry(location.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(names) = entry {
            names.insert(
                name.to_owned(),
                json!({ "required": required, "schema": schema }),
            );
        }
    }
    by_location
}

/// Media type to canonical schema.
fn content(document: &Value, holder: &Value) -> Value {
    let mut media = Map::new();
    for (media_type, entry) in holder
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let schema = entry
            .get("schema")
            .map_or_else(|| json!({}), |schema| self::schema(document, schema, 0));
        media.insert(media_type.clone(), schema);
    }
    Value::Object(media)
}

/// The canonical form of a schema.
pub(crate) fn schema(document: &Value, schema: &Value, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return json!({ "recursive": true });
    }
    let schema = resolve(document, schema, depth);
    let Some(object) = schema.as_object() else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in object {
        if PROSE_KEYS.contains(&key.as_str()) || key.starts_with("x-") {
            continue;
        }
        match key.as_str() {
            "format" => match value.as_str() {
                Some("regex") => {}
                Some(literal)
                    if literal.len() >= 2 && literal.starts_with('"') && literal.ends_with('"') =>
                {
                    out.insert("enum".into(), json!([&literal[1..literal.len() - 1]]));
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            },
            "pattern" => {
                out.insert(
                    key.clone(),
                    value.as_str().map_or_else(
                        || value.clone(),
                        |p| Value::String(strip_slashes(p).to_owned()),
                    ),
                );
            }
            "nullable" if value == &Value::Bool(false) => {}
            "required" => {} // becomes a flag on each property, below
            "properties" => {
                let required: Vec<&str> = object
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                let mut properties = Map::new();
                for (name, property) in value.as_object().into_iter().flatten() {
                    let mut property = self::schema(document, property, depth + 1);
                    if let Value::Object(fields) = &mut property {
                        fields.insert(
                            "required".into(),
                            Value::Bool(required.contains(&name.as_str())),
                        );
                    }
                    properties.insert(name.clone(), property);
                }
                out.insert(key.clone(), Value::Object(properties));
            }
            "items" | "additionalProperties" | "not" => {
                out.insert(key.clone(), self::schema(document, value, depth + 1));
            }
            "oneOf" | "anyOf" | "allOf" => {
                let branches: Vec<Value> = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|branch| self::schema(document, branch, depth + 1))
                    .collect();
                out.insert(key.clone(), Value::Array(branches));
            }
            "enum" => {
                let mut values: Vec<Value> = value.as_array().cloned().unwrap_or_default();
                values.sort_by_key(Value::to_string);
                out.insert(key.clone(), Value::Array(values));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    merge_literal_union(&mut out);
    Value::Object(out)
}

/// `oneOf: [{type: string, enum: [a]}, {type: string, enum: [b]}]` means
/// `{type: string, enum: [a, b]}`.
fn merge_literal_union(schema: &mut Map<String, Value>) {
    let Some(Value::Array(branches)) = schema.get("oneOf") else {
        return;
    };
    let mut literals = Vec::new();
    for branch in branches {
        let Some(fields) = branch.as_object() else {
            return;
        };
        let is_string_literal = fields.len() == 2
            && fields.get("type") == Some(&json!("string"))
            && fields.get("enum").and_then(Value::as_array).is_some();
        if !is_string_literal {
            return;
        }
        literals.extend(fields["enum"].as_array().into_iter().flatten().cloned());
    }
    literals.sort_by_key(Value::to_string);
    schema.remove("oneOf");
    schema.insert("type".into(), json!("string"));
    schema.insert("enum".into(), Value::Array(literals));
}

/// `/^a$/` (a JavaScript regex literal, maybe with flags) to `^a$`.
fn strip_slashes(pattern: &str) -> &str {
    match (pattern.strip_prefix('/'), pattern.rfind('/')) {
        (Some(_), Some(end)) if end > 0 => &pattern[1..end],
        _ => pattern,
    }
}

/// Follows a local `$ref` (`#/components/...`) to what it names.
fn resolve<'a>(document: &'a Value, value: &'a Value, depth: usize) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) if depth <= MAX_DEPTH => reference
            .strip_prefix('#')
            .and_then(|pointer| document.pointer(pointer))
            .map_or(value, |target| resolve(document, target, depth + 1)),
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn javascript_slashes_and_flags_are_stripped() {
        assert_eq!(strip_slashes("/^\\d+$/"), "^\\d+$");
        assert_eq!(strip_slashes("/^a$/i"), "^a$");
        assert_eq!(strip_slashes("^a$"), "^a$");
        assert_eq!(strip_slashes("/"), "/");
    }

    #[test]
    fn quirks_normalise_to_the_same_schema() {
        let upstream = json!({
            "type": "object", "required": ["type"],
            "properties": {
                "type": {"type": "string", "format": "\"email\""},
                "value": {"type": "string", "format": "regex", "pattern": "/^\\S+$/", "description": "x"},
                "template": {"oneOf": [{"type": "string", "format": "\"B\""}, {"type": "string", "format": "\"A\""}]}
            }
        });
        let ours = json!({
            "type": "object", "required": ["type"],
            "properties": {
                "type": {"type": "string", "enum": ["email"]},
                "value": {"$ref": "#/components/schemas/Value"},
                "template": {"type": "string", "enum": ["A", "B"]}
            }
        });
        let document =
            json!({"components": {"schemas": {"Value": {"type": "string", "pattern": "^\\S+$"}}}});
        assert_eq!(schema(&document, &upstream, 0), schema(&document, &ours, 0));
    }
}
