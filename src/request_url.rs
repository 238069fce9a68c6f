//! Request URLs from a base URL parsed once per client instead of once per
//! request.
//!
//! Progenitor's methods format `"{baseurl}/api/..."` and let reqwest parse the
//! whole string on every call; `sdk-gen` rewrites them to call
//! [`Executor::url`](crate::Executor::url), which clones the parsed base and
//! sets only the path. The result is the URL the full parse gives: whenever
//! that cannot be guaranteed cheaply, the full parse runs as before. The URL
//! of a path without parameters is made once and cloned after that.

use std::sync::OnceLock;

use reqwest::Url;

use crate::generated::STATIC_PATH_COUNT;

/// The parsed base URL of a client, made on first use, and the URLs of the
/// paths without parameters under it.
pub(crate) struct BaseUrl {
    base: OnceLock<Option<ParsedBase>>,
    /// The URL of each path without parameters, by the index the generated
    /// code gives it: no lock, no hashing.
    static_urls: [OnceLock<Url>; STATIC_PATH_COUNT],
}

impl Default for BaseUrl {
    fn default() -> Self {
        BaseUrl {
            base: OnceLock::new(),
            static_urls: std::array::from_fn(|_| OnceLock::new()),
        }
    }
}

/// A base URL whose path can be extended without parsing it again.
struct ParsedBase {
    /// The text it was parsed from, to notice an executor shared by clients
    /// of different bases.
    text: String,
    url: Url,
    /// What goes before an operation's path: the base's own path, or
    /// nothing when the base text has no path (`http://host`, parsed as
    /// `http://host/`).
    path_prefix: String,
}

impl ParsedBase {
    /// `None` when parsing `base + path` could give anything other than the
    /// base with its path extended: the parser normalised the text (case,
    /// default port, dot segments), or the base has a query or fragment.
    fn of(text: &str) -> Option<ParsedBase> {
        let url = Url::parse(text).ok()?;
        if url.cannot_be_a_base() || url.query().is_some() || url.fragment().is_some() {
            return None;
        }
        let path_prefix = if url.as_str() == text {
            url.path().to_owned()
        } else if url.path() == "/" && url.as_str().strip_suffix('/') == Some(text) {
            String::new()
        } else {
            return None;
        };
        Some(ParsedBase {
            text: text.to_owned(),
            url,
            path_prefix,
        })
    }
}

impl BaseUrl {
    /// The URL of `path` (an operation's path, its parameters already
    /// percent-encoded) under `base`: what `Url::parse(base + path)` gives.
    pub(crate) fn join(
        &self,
        client: &reqwest::Client,
        base: &str,
        path: &str,
    ) -> reqwest::Result<Url> {
        let parsed = self.base.get_or_init(|| ParsedBase::of(base));
        // `?` and `#` would start a query or fragment in a full parse.
        let plain_path = !path.bytes().any(|b| b == b'?' || b == b'#');
        match parsed {
            Some(parsed) if parsed.text == base && plain_path => {
                let mut url = parsed.url.clone();
                if parsed.path_prefix.is_empty() {
                    url.set_path(path);
                } else {
                    url.set_path(&format!("{}{path}", parsed.path_prefix));
                }
                Ok(url)
            }
            _ => full_parse(client, &format!("{base}{path}")),
        }
    }

    /// Whether `base` is the base this one parsed and keeps.
    fn has_parsed(&self, base: &str) -> bool {
        matches!(self.base.get(), Some(Some(parsed)) if parsed.text == base)
    }

    /// [`join`](Self::join) for a path without parameters, the generated
    /// code's path number `index`: made once per base.
    pub(crate) fn join_static(
        &self,
        client: &reqwest::Client,
        base: &str,
        index: usize,
        path: &'static str,
    ) -> reqwest::Result<Url> {
        let slot = self.static_urls.get(index);
        if self.has_parsed(base)
            && let Some(url) = slot.and_then(OnceLock::get)
        {
            return Ok(url.clone());
        }
        let url = self.join(client, base, path)?;
        // Only URLs of the cached base are kept: another base (an executor
        // shared by two clients) is joined each time.
        if self.has_parsed(base)
            && let Some(slot) = slot
        {
            let _ = slot.set(url.clone());
        }
        Ok(url)
    }
}

/// The URL as reqwest parses it, failing with reqwest's own error as the
/// generated code did before.
fn full_parse(client: &reqwest::Client, text: &str) -> reqwest::Result<Url> {
    client
        .get(text)
        .build()
        .map(|request| request.url().clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_urls_equal_the_full_parse() {
        let client = reqwest::Client::new();
        let bases = [
            "http://127.0.0.1:3001",
            "https://my-tenant.logto.app",
            "https://host/tenant",
            "https://host/tenant/",
            "http://host/",
            "HTTPS://Host:443/x",
            "https://host/a/../b",
            "https://host?q=1",
        ];
        let paths = [
            "/api/my-account",
            "/api/my-account/identities/g%2Foogle",
            "/api/my-account/x y",
            "/api/my-account/%3F?a#b",
            "/api/./my-account",
        ];
        for base in bases {
            let cache = BaseUrl::default();
            for path in paths {
                let expected = Url::parse(&format!("{base}{path}")).unwrap();
                let joined = cache.join(&client, base, path).unwrap();
                assert_eq!(joined.as_str(), expected.as_str(), "{base} + {path}");
            }
        }
    }

    #[test]
    fn a_cache_shared_by_two_bases_answers_each_correctly() {
        let client = reqwest::Client::new();
        let cache = BaseUrl::default();
        for _ in 0..2 {
            let first = cache.join(&client, "http://a:1", "/api/x").unwrap();
            let second = cache.join(&client, "http://b:2/p", "/api/x").unwrap();
            assert_eq!(first.as_str(), "http://a:1/api/x");
            assert_eq!(second.as_str(), "http://b:2/p/api/x");
            let first = cache
                .join_static(&client, "http://a:1", 0, "/api/y")
                .unwrap();
            let second = cache
                .join_static(&client, "http://b:2/p", 0, "/api/y")
                .unwrap();
            assert_eq!(first.as_str(), "http://a:1/api/y");
            assert_eq!(second.as_str(), "http://b:2/p/api/y");
        }
    }

    #[test]
    fn a_static_path_is_made_once_and_any_index_is_safe() {
        let client = reqwest::Client::new();
        let cache = BaseUrl::default();
        for _ in 0..2 {
            let url = cache
                .join_static(&client, "https://host/t", 0, "/api/my-account")
                .unwrap();
            assert_eq!(url.as_str(), "https://host/t/api/my-account");
        }
        assert!(cache.static_urls[0].get().is_some());
        // An index the table does not have is joined every time.
        let url = cache
            .join_static(&client, "https://host/t", usize::MAX, "/api/x")
            .unwrap();
        assert_eq!(url.as_str(), "https://host/t/api/x");
    }

    #[test]
    fn an_unparsable_base_fails_as_reqwest_fails() {
        let client = reqwest::Client::new();
        let error = BaseUrl::default()
            .join(&client, "not a url", "/api/my-account")
            .unwrap_err();
        assert!(error.is_builder(), "{error}");
    }
}
