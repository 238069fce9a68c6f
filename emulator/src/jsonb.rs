//! The key order of PostgreSQL `jsonb`, in which Logto stores custom data
//! and identities and which its answers therefore keep: shorter keys first,
//! keys of one length by their bytes.

use serde_json::{Map, Value};

/// `value` with every object's keys in `jsonb` order, at every depth.
pub(crate) fn ordered(value: &Value) -> Value {
    match value {
        Value::Object(object) => {
            let mut entries: Vec<(&String, &Value)> = object.iter().collect();
            entries.sort_by(|(a, _), (b, _)| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(key, value)| (key.clone(), ordered(value)))
                    .collect::<Map<String, Value>>(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(ordered).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_go_by_length_then_bytes_at_every_depth() {
        let value = ordered(&json!({"zz": 1, "b": {"bb": 2, "a": 3}, "aaa": [{"yy": 1, "x": 2}]}));
        assert_eq!(
            value.to_string(),
            r#"{"b":{"a":3,"bb":2},"zz":1,"aaa":[{"x":2,"yy":1}]}"#
        );
    }
}
