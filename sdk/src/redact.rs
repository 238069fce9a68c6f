//! Keeping secrets out of whatever a server's answer puts into an error, a
//! log line or a span.
//!
//! A server (or a proxy, or whatever an endpoint points at) may echo what it
//! received. Every excerpt of an answer that the SDK keeps goes through here:
//! the request's own secrets are replaced with `***` wherever they appear,
//! secret fields of an answer are masked, text is bounded, and the request id
//! header is kept only when it looks like one. Which fields are secret is
//! not listed here: the spec marks them (`x-secret`), and the bindings carry
//! the list.

use std::fmt;

use logto_account_api::{SECRET_FIELDS, SECRET_HEADERS};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use serde_json::Value;

use crate::ErrorCode;

/// What a redacted secret becomes.
const MASK: &str = "***";

/// The most of a body an error keeps, in characters.
const EXCERPT_LIMIT: usize = 1024;

/// Outside JSON strings, shorter secrets are not looked for: they cannot be
/// told from ordinary text.
const MIN_PLAIN_TEXT_SECRET: usize = 4;

/// The longest request id kept; Logto's have 16 characters.
const MAX_REQUEST_ID: usize = 64;

/// The header in which Logto names each request.
pub(crate) const REQUEST_ID_HEADER: &str = "logto-core-request-id";

/// The parts of a sent request that may hold secrets: its `Authorization`
/// and secret headers, and its body. Kept as they are (the header values
/// share their bytes with the request's), so that secrets are looked for
/// only when an answer has to be excerpted.
#[derive(Default)]
pub(crate) struct SentRequest {
    authorization: Option<HeaderValue>,
    secret_headers: Vec<HeaderValue>,
    body: Option<Vec<u8>>,
}

impl SentRequest {
    /// The secret-bearing parts of `request`.
    pub(crate) fn of(request: &reqwest::Request) -> Self {
        let mut authorization = None;
        let mut secret_headers = Vec::new();
        // One walk over the request's few headers, no lookups by name.
        for (name, value) in request.headers() {
            if name == AUTHORIZATION && authorization.is_none() {
                authorization = Some(value.clone());
            } else if SECRET_HEADERS.contains(&name.as_str()) {
                secret_headers.push(value.clone());
            }
        }
        let body = request
            .body()
            .and_then(reqwest::Body::as_bytes)
            .map(<[u8]>::to_vec);
        SentRequest {
            authorization,
            secret_headers,
            body,
        }
    }

    /// The secrets it carried.
    pub(crate) fn secrets(&self) -> RequestSecrets {
        RequestSecrets::of_parts(
            self.authorization.as_ref(),
            self.secret_headers.iter(),
            self.body.as_deref(),
        )
    }

    /// Whether `text` is part of what was sent (a secret header or the
    /// body): an answer that repeats it may be repeating a secret.
    fn echoes(&self, text: &str) -> bool {
        let needle = text.as_bytes();
        self.authorization
            .iter()
            .chain(&self.secret_headers)
            .any(|value| contains(value.as_bytes(), needle))
            || self
                .body
                .as_deref()
                .is_some_and(|body| contains(body, needle))
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

/// The secrets one request carried: its bearer token, its secret headers and
/// every string under a secret field of its JSON body, at any depth.
#[derive(Default)]
pub(crate) struct RequestSecrets {
    /// Longest first, so a secret that contains another is replaced whole.
    values: Vec<String>,
}

impl RequestSecrets {
    /// Collects the secrets of a request from its headers and body.
    #[cfg(test)]
    pub(crate) fn of_request(headers: &HeaderMap, body: Option<&[u8]>) -> Self {
        let secret_headers = SECRET_HEADERS
            .iter()
            .flat_map(|name| headers.get_all(*name));
        Self::of_parts(headers.get(AUTHORIZATION), secret_headers, body)
    }

    /// Collects the secrets of a request from its `Authorization`, its
    /// secret headers and its body.
    fn of_parts<'a>(
        authorization: Option<&HeaderValue>,
        secret_headers: impl Iterator<Item = &'a HeaderValue>,
        body: Option<&[u8]>,
    ) -> Self {
        let mut values = Vec::new();
        if let Some(token) = authorization
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
        {
            values.push(token.to_owned());
        }
        for value in secret_headers {
            if let Ok(value) = value.to_str() {
                values.push(value.to_owned());
            }
        }
        if let Some(json) = body.and_then(|body| serde_json::from_slice::<Value>(body).ok()) {
            collect_secret_fields(&json, false, &mut values);
        }
        values.retain(|value| !value.is_empty());
        values.sort_by_key(|value| std::cmp::Reverse(value.len()));
        values.dedup();
        RequestSecrets { values }
    }

    /// `text` with every secret, raw or in the forms JSON and URLs encode it
    /// in, replaced with `***`. `min_len` skips secrets too short to find
    /// safely in free text.
    fn scrub_text(&self, text: &str, min_len: usize) -> String {
        let mut text = text.to_owned();
        for secret in self.values.iter().filter(|s| s.chars().count() >= min_len) {
            for form in encoded_forms(secret) {
                if text.contains(form.as_str()) {
                    text = text.replace(form.as_str(), MASK);
                }
            }
        }
        text
    }

    /// A JSON string value with every secret replaced.
    pub(crate) fn scrub_str(&self, text: &str) -> String {
        self.scrub_text(text, 1)
    }

    /// Free text (an HTML page, a header) with every secret replaced.
    pub(crate) fn scrub_plain(&self, text: &str) -> String {
        self.scrub_text(text, MIN_PLAIN_TEXT_SECRET)
    }

    /// Replaces secrets in every string and key of `value`, at any depth.
    /// A `code` that Logto documents, and the keys of Logto's error bodies,
    /// are public text and kept as they are, so that a password such as
    /// `password` cannot turn `password.rejected` into another code; any
    /// other `code` or key is scrubbed like any string.
    pub(crate) fn scrub_json(&self, value: &mut Value) {
        match value {
            Value::String(text) => *text = self.scrub_str(text),
            Value::Array(items) => items.iter_mut().for_each(|item| self.scrub_json(item)),
            Value::Object(fields) => {
                let taken = std::mem::take(fields);
                for (key, mut field) in taken {
                    let public_code = key == "code" && field.as_str().is_some_and(is_public_code);
                    if !public_code {
                        self.scrub_json(&mut field);
                    }
                    // Short secrets are not looked for in keys: a one-letter
                    // password must not rename every key that holds its letter.
                    let key = if PUBLIC_KEYS.contains(&key.as_str()) {
                        key
                    } else {
                        self.scrub_plain(&key)
                    };
                    fields.insert(key, field);
                }
            }
            _ => {}
        }
    }

    /// An excerpt of a body that did not decode as expected: secret fields
    /// of the answer masked, the request's secrets scrubbed, bounded.
    pub(crate) fn body_excerpt(&self, body: &[u8]) -> String {
        let text = match serde_json::from_slice::<Value>(body) {
            Ok(mut json) => {
                mask_secret_fields(&mut json);
                self.scrub_json(&mut json);
                json.to_string()
            }
            Err(_) => self.scrub_plain(&String::from_utf8_lossy(&mask_secret_fields_in_text(body))),
        };
        bounded(&text)
    }
}

/// Every string under a secret field (when `inside` is false, only those).
fn collect_secret_fields(value: &Value, inside: bool, out: &mut Vec<String>) {
    match value {
        Value::String(text) if inside => out.push(text.clone()),
        Value::Array(items) => items
            .iter()
            .for_each(|item| collect_secret_fields(item, inside, out)),
        Value::Object(fields) => {
            for (key, field) in fields {
                let secret = inside || SECRET_FIELDS.contains(&key.as_str());
                collect_secret_fields(field, secret, out);
            }
        }
        _ => {}
    }
}

/// A secret as it appears raw, JSON-escaped and percent-encoded.
fn encoded_forms(secret: &str) -> Vec<String> {
    let mut forms = vec![secret.to_owned()];
    let json = Value::String(secret.to_owned()).to_string();
    let json = json[1..json.len() - 1].to_owned();
    let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let percent = form.replace('+', "%20");
    for candidate in [json, form, percent] {
        if !forms.contains(&candidate) {
            forms.push(candidate);
        }
    }
    forms
}

/// Whether `code` is one Logto documents (or a validator's issue code):
/// public text that cannot be a secret.
fn is_public_code(code: &str) -> bool {
    !matches!(ErrorCode::parse(code), ErrorCode::Other(_))
        || crate::error::PasswordIssue::is_known_code(code)
        || ZOD_ISSUE_CODES.contains(&code)
}

/// The keys of Logto's error bodies and of zod's issues.
const PUBLIC_KEYS: &[&str] = &[
    "code",
    "message",
    "data",
    "details",
    "issues",
    "path",
    "name",
    "interpolation",
    "min",
    "max",
    "expected",
    "received",
    "validation",
    "type",
    "minimum",
    "maximum",
    "inclusive",
    "exact",
    "keys",
    "options",
    "unionErrors",
    "argumentsError",
    "returnTypeError",
    "fatal",
];

/// The issue codes of zod, the validator behind `guard.invalid_input`.
const ZOD_ISSUE_CODES: &[&str] = &[
    "invalid_type",
    "invalid_literal",
    "custom",
    "invalid_union",
    "invalid_union_discriminator",
    "invalid_enum_value",
    "unrecognized_keys",
    "invalid_arguments",
    "invalid_return_type",
    "invalid_date",
    "invalid_string",
    "too_small",
    "too_big",
    "invalid_intersection_types",
    "not_multiple_of",
    "not_finite",
];

/// Replaces the whole value of every secret field, at any depth.
fn mask_secret_fields(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(mask_secret_fields),
        Value::Object(fields) => {
            for (key, field) in fields.iter_mut() {
                if SECRET_FIELDS.contains(&key.as_str()) {
                    *field = Value::String(MASK.to_owned());
                } else {
                    mask_secret_fields(field);
                }
            }
        }
        _ => {}
    }
}

/// For text that is not valid JSON (e.g. cut short): replaces the string
/// value after every `"<secret field>":` with `***`, up to its closing quote
/// or the end of the text.
fn mask_secret_fields_in_text(body: &[u8]) -> Vec<u8> {
    let mut masked = body.to_vec();
    for field in SECRET_FIELDS {
        masked = mask_field_in_text(&masked, field);
    }
    masked
}

fn mask_field_in_text(body: &[u8], field: &str) -> Vec<u8> {
    let key = format!("\"{field}\"");
    let key = key.as_bytes();
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    while let Some(position) = rest.windows(key.len()).position(|w| w == key) {
        let after_key = position + key.len();
        out.extend_from_slice(&rest[..after_key]);
        rest = &rest[after_key..];
        // Skip `:` and white space up to the value's opening quote.
        let Some(open) = rest
            .iter()
            .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b':'))
        else {
            break;
        };
        if rest[open] != b'"' {
            continue;
        }
        out.extend_from_slice(&rest[..=open]);
        rest = &rest[open + 1..];
        // The value ends at the next quote not escaped by a backslash.
        let mut end = rest.len();
        let mut escaped = false;
        for (index, byte) in rest.iter().enumerate() {
            match (escaped, byte) {
                (false, b'\\') => escaped = true,
                (false, b'"') => {
                    end = index;
                    break;
                }
                _ => escaped = false,
            }
        }
        out.extend_from_slice(MASK.as_bytes());
        rest = &rest[end..];
    }
    out.extend_from_slice(rest);
    out
}

/// At most [`EXCERPT_LIMIT`] characters, cut at a character boundary.
pub(crate) fn bounded(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_LIMIT) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// The response's `Logto-Core-Request-Id`, if it is a short token of
/// `[A-Za-z0-9_-]` that does not repeat anything the request sent: anything
/// else could smuggle text or a secret into logs and errors.
pub(crate) fn request_id(headers: &HeaderMap, sent: &SentRequest) -> Option<String> {
    let id = headers.get(REQUEST_ID_HEADER)?.to_str().ok()?;
    let plausible = !id.is_empty()
        && id.len() <= MAX_REQUEST_ID
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !sent.echoes(id);
    plausible.then(|| id.to_owned())
}

/// Server text shown in a `Display`: control characters (new lines, terminal
/// escapes) escaped, so that it cannot forge log lines, and bounded.
pub(crate) struct Untrusted<'a>(pub(crate) &'a str);

impl fmt::Display for Untrusted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (count, c) in self.0.chars().enumerate() {
            if count == EXCERPT_LIMIT {
                return f.write_str("…");
            }
            if c.is_control() {
                write!(f, "{}", c.escape_default())?;
            } else {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(values: &[&str]) -> RequestSecrets {
        RequestSecrets {
            values: values.iter().map(|v| (*v).to_owned()).collect(),
        }
    }

    #[test]
    fn documented_codes_are_kept_and_others_scrubbed() {
        let mut body = serde_json::json!({"code":"password.rejected","message":"password was password","data":[{"code":"password_rejected.restricted.words","interpolation":{"password":"password"}}]});
        secrets(&["password"]).scrub_json(&mut body);
        assert_eq!(
            body,
            serde_json::json!({"code":"password.rejected","message":"*** was ***","data":[{"code":"password_rejected.restricted.words","interpolation":{"***":"***"}}]})
        );

        let mut echoed = serde_json::json!({"code":"tok-1234","message":"m"});
        secrets(&["tok-1234"]).scrub_json(&mut echoed);
        assert_eq!(echoed, serde_json::json!({"code":"***","message":"m"}));
    }

    #[test]
    fn request_secrets_are_found_at_any_depth_of_secret_fields() {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, "Bearer tok-1".parse().unwrap());
        headers.insert("logto-verification-id", "rec-1".parse().unwrap());
        let body = br#"{"verificationRecordId":"rec-2","connectorData":{"code":"oauth-code","nested":["deep"]},"name":"public"}"#;
        let found = RequestSecrets::of_request(&headers, Some(body));
        let mut values = found.values.clone();
        values.sort();
        assert_eq!(values, ["deep", "oauth-code", "rec-1", "rec-2", "tok-1"]);
    }

    #[test]
    fn plain_text_skips_secrets_too_short_to_tell_apart() {
        let scrubbed = secrets(&["abcdef", "12"]).scrub_plain("<p>token abcdef, pin 12</p>");
        assert_eq!(scrubbed, "<p>token ***, pin 12</p>");
    }

    #[test]
    fn encoded_echoes_are_scrubbed() {
        let scrubbed = secrets(&["a b\"c/d"])
            .scrub_plain("raw a b\"c/d json a b\\\"c/d form a+b%22c%2Fd url a%20b%22c%2Fd");
        assert_eq!(scrubbed, "raw *** json *** form *** url ***");
    }

    #[test]
    fn secret_fields_of_a_cut_body_are_masked() {
        assert_eq!(
            mask_secret_fields_in_text(br#"{"verificationRecordId": "abc\"d", "expiresAt": 5}"#),
            br#"{"verificationRecordId": "***", "expiresAt": 5}"#.to_vec()
        );
        assert_eq!(
            mask_secret_fields_in_text(br#"{"verificationRecordId":"trunc"#),
            br#"{"verificationRecordId":"***"#.to_vec()
        );
        assert_eq!(
            mask_secret_fields_in_text(br#"{"verificationRecordId":7}"#),
            br#"{"verificationRecordId":7}"#.to_vec()
        );
    }

    #[test]
    fn only_plausible_request_ids_are_kept() {
        let sent = SentRequest {
            authorization: Some("Bearer tok-secret-1".parse().unwrap()),
            secret_headers: vec!["rec-secret-3".parse().unwrap()],
            body: Some(br#"{"password":"pw_secret_2"}"#.to_vec()),
        };
        let id = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(REQUEST_ID_HEADER, value.parse().unwrap());
            request_id(&headers, &sent)
        };
        assert_eq!(id("4gCezgdrFxxWJVKY"), Some("4gCezgdrFxxWJVKY".to_owned()));
        assert_eq!(id("a b"), None);
        assert_eq!(id("x\ty"), None);
        assert_eq!(id(&"a".repeat(65)), None);
        assert_eq!(id("tok-secret-1"), None);
        assert_eq!(id("pw_secret_2"), None);
        assert_eq!(id("rec-secret-3"), None);
    }

    #[test]
    fn untrusted_text_cannot_forge_log_lines() {
        assert_eq!(
            Untrusted("ok\nINFO forged\u{1b}[31m").to_string(),
            "ok\\nINFO forged\\u{1b}[31m"
        );
    }
}
