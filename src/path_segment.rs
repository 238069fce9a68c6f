//! A value for a path parameter that cannot leave its segment.

use std::fmt;

/// One path segment of a request URL, for every path parameter of the spec.
///
/// The generated methods percent-encode it, but a URL parser still turns
/// `\` into `/` and resolves the segments `.` and `..`, so such a value would
/// send the request (and its verification proof) to another route. Those are
/// refused here, once, for every path parameter: a `PathSegment` that exists
/// reaches the server as exactly one segment that decodes back to its value.
///
/// ```
/// use logto_account_api::PathSegment;
///
/// assert_eq!(PathSegment::new("google").unwrap().as_str(), "google");
/// assert!(PathSegment::new("..").is_err());
/// assert!(PathSegment::new("..\\primary-email").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PathSegment(String);

/// Why a value cannot be a [`PathSegment`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PathSegmentError {
    /// The value is empty: the request would go to the parent route.
    #[error("is empty")]
    Empty,
    /// The value is `.` or `..`, which a URL parser resolves away.
    #[error("is `.` or `..`, which would address another route")]
    DotSegment,
    /// The value contains `\`, which a URL parser reads as `/`.
    #[error("contains `\\`, which would split it into several path segments")]
    Backslash,
}

impl PathSegment {
    /// Checks `value` and wraps it.
    pub fn new(value: impl Into<String>) -> Result<Self, PathSegmentError> {
        let value = value.into();
        if value.is_empty() {
            return Err(PathSegmentError::Empty);
        }
        if value == "." || value == ".." {
            return Err(PathSegmentError::DotSegment);
        }
        if value.contains('\\') {
            return Err(PathSegmentError::Backslash);
        }
        Ok(PathSegment(value))
    }

    /// The value, as the server will decode it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<&str> for PathSegment {
    type Error = PathSegmentError;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        PathSegment::new(value)
    }
}

impl TryFrom<String> for PathSegment {
    type Error = PathSegmentError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        PathSegment::new(value)
    }
}

/// The raw value: the generated code percent-encodes what this writes.
impl fmt::Display for PathSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PathSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PathSegment").field(&self.0).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_a_url_parser_would_rewrite_are_refused() {
        assert_eq!(PathSegment::new(""), Err(PathSegmentError::Empty));
        assert_eq!(PathSegment::new("."), Err(PathSegmentError::DotSegment));
        assert_eq!(PathSegment::new(".."), Err(PathSegmentError::DotSegment));
        assert_eq!(PathSegment::new("a\\b"), Err(PathSegmentError::Backslash));
        assert_eq!(
            PathSegment::new("...").map(|s| s.to_string()),
            Ok("...".to_owned())
        );
        assert_eq!(
            PathSegment::new("a/b").map(|s| s.to_string()),
            Ok("a/b".to_owned())
        );
    }
}
