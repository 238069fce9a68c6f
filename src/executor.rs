//! Who executes the requests the generated methods build.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::SECRET_HEADERS;
use crate::request_url::BaseUrl;

/// The future an [`Execute`] implementation returns.
pub type ExecuteFuture<'a> =
    Pin<Box<dyn Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a>>;

/// How a request an [`Execute`] implementation [starts](Execute::start) is
/// sent.
#[expect(
    clippy::large_enum_variant,
    reason = "the request moves once, on to reqwest; a box would cost an allocation per call"
)]
pub enum Start<'a> {
    /// The executor sends the request as it is, once, with the client, and
    /// hands the outcome to [`Execute::finish`]: no future is boxed.
    Direct(reqwest::Request),
    /// The implementation sends it.
    Managed(ExecuteFuture<'a>),
}

/// Sends one built request and returns the response.
///
/// Every generated method hands its request to the client's [`Executor`],
/// which is where cross-cutting concerns live (authentication, retries,
/// tracing, response limits), written once instead of in each method.
pub trait Execute: Send + Sync + 'static {
    /// Sends `request` with `client` for the operation `operation_id`.
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> ExecuteFuture<'a>;

    /// Either readies `request` to be sent as it is ([`Start::Direct`]), or
    /// sends it itself. By default, [`execute`](Self::execute) sends it.
    fn start<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> Start<'a> {
        Start::Managed(self.execute(client, request, operation_id))
    }

    /// Whether the value of a success answer to the request being answered
    /// keeps the response's headers. By default, yes; an implementation
    /// that knows its caller reads none says no, and a generated method
    /// then drops them before it reads the body (as reqwest's `json()`
    /// does), instead of holding them while the body is decoded. An answer
    /// with another status keeps them all.
    fn keeps_success_headers(&self) -> bool {
        true
    }

    /// What a request sent directly came to, before the caller sees it.
    fn finish(
        &self,
        outcome: reqwest::Result<reqwest::Response>,
    ) -> reqwest::Result<reqwest::Response> {
        outcome
    }
}

/// A shared [`Execute`] implementation: the generated client's inner value.
/// It also keeps the client's base URL parsed, for the generated methods.
#[derive(Clone)]
pub struct Executor {
    execute: Arc<dyn Execute>,
    base_url: Arc<BaseUrl>,
}

impl Executor {
    /// Wraps an implementation.
    pub fn new(execute: impl Execute) -> Self {
        Executor {
            execute: Arc::new(execute),
            base_url: Arc::default(),
        }
    }

    /// Wraps an implementation for a client of the same base URL as this
    /// executor's: the URL is parsed, and each path's URL made, once for
    /// both (a client per user of one endpoint pays for neither again).
    pub fn sharing_urls(&self, execute: impl Execute) -> Self {
        Executor {
            execute: Arc::new(execute),
            base_url: Arc::clone(&self.base_url),
        }
    }

    /// Sends `request`: directly, or through the implementation. The
    /// request is handed on before the future is returned, so the future
    /// holds a pending response, not the request.
    pub(crate) fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        mut request: reqwest::Request,
        operation_id: &'static str,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a {
        mark_secret_headers(&mut request);
        let sending = match self.execute.start(client, request, operation_id) {
            Start::Direct(request) => Ok(client.execute(request)),
            Start::Managed(future) => Err(future),
        };
        async move {
            match sending {
                Ok(pending) => self.execute.finish(pending.await),
                Err(managed) => managed.await,
            }
        }
    }

    /// The headers a generated method puts in the value of a success
    /// answer: `response`'s, or none (see
    /// [`Execute::keeps_success_headers`]).
    #[doc(hidden)]
    pub fn success_headers(&self, response: &mut reqwest::Response) -> reqwest::header::HeaderMap {
        if self.execute.keeps_success_headers() {
            std::mem::take(response.headers_mut())
        } else {
            reqwest::header::HeaderMap::new()
        }
    }

    /// The URL of an operation's `path` under `base`, for the generated
    /// methods (see `request_url`).
    #[doc(hidden)]
    pub fn url(
        &self,
        client: &reqwest::Client,
        base: &str,
        path: &str,
    ) -> reqwest::Result<reqwest::Url> {
        self.base_url.join(client, base, path)
    }

    /// [`url`](Self::url) for a path without parameters, the generated
    /// code's path number `index`: made once per client, then cloned.
    #[doc(hidden)]
    pub fn static_url(
        &self,
        client: &reqwest::Client,
        base: &str,
        index: usize,
        path: &'static str,
    ) -> reqwest::Result<reqwest::Url> {
        self.base_url.join_static(client, base, index, path)
    }
}

/// Marks the values of the headers the spec says are secret sensitive, so
/// that `Debug` redacts them: a logged request cannot show them.
fn mark_secret_headers(request: &mut reqwest::Request) {
    // A walk over the request's few headers costs less than looking each
    // secret name up (which parses and hashes it).
    for (name, value) in request.headers_mut().iter_mut() {
        if SECRET_HEADERS.contains(&name.as_str()) {
            value.set_sensitive(true);
        }
    }
}

/// Sends each request once, as is.
struct AsIs;

impl Execute for AsIs {
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        _operation_id: &'static str,
    ) -> ExecuteFuture<'a> {
        Box::pin(client.execute(request))
    }
}

impl Default for Executor {
    /// Sends each request once, as is.
    fn default() -> Self {
        Executor::new(AsIs)
    }
}

impl fmt::Debug for Executor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Executor")
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    /// Notes each header's name and whether it is marked sensitive.
    struct Inspect(Arc<Mutex<Vec<(String, bool)>>>);

    impl Execute for Inspect {
        fn execute<'a>(
            &'a self,
            client: &'a reqwest::Client,
            request: reqwest::Request,
            _operation_id: &'static str,
        ) -> ExecuteFuture<'a> {
            let headers = request.headers().iter();
            *self.0.lock().unwrap() = headers
                .map(|(name, value)| (name.as_str().to_owned(), value.is_sensitive()))
                .collect();
            Box::pin(client.execute(request))
        }
    }

    /// Sends as [`AsIs`] does, and says its caller reads no headers of a
    /// success answer.
    struct ReadsNoHeaders;

    impl Execute for ReadsNoHeaders {
        fn execute<'a>(
            &'a self,
            client: &'a reqwest::Client,
            request: reqwest::Request,
            operation_id: &'static str,
        ) -> ExecuteFuture<'a> {
            AsIs.execute(client, request, operation_id)
        }

        fn keeps_success_headers(&self) -> bool {
            false
        }
    }

    #[test]
    fn a_success_value_gets_the_headers_unless_the_executor_says_no() {
        let answer = || {
            let mut response = http::Response::new(Vec::<u8>::new());
            let headers = response.headers_mut();
            headers.insert("etag", "W/\"1\"".parse().unwrap());
            headers.insert("x-other", "a".parse().unwrap());
            reqwest::Response::from(response)
        };

        let mut response = answer();
        let taken = Executor::default().success_headers(&mut response);
        assert_eq!(taken.len(), 2);
        assert_eq!(taken["etag"], "W/\"1\"");
        assert!(response.headers().is_empty());

        let mut response = answer();
        let taken = Executor::new(ReadsNoHeaders).success_headers(&mut response);
        assert!(taken.is_empty());
        // Left in the response, which reading the body drops first.
        assert_eq!(response.headers().len(), 2);
    }

    #[test]
    fn secret_headers_reach_the_implementation_marked_sensitive() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let executor = Executor::new(Inspect(Arc::clone(&seen)));
        let client = reqwest::Client::new();
        let request = client
            .post("http://127.0.0.1:9/api/my-account/password")
            .header("accept", "application/json")
            .header("logto-verification-id", "record-1")
            .build()
            .unwrap();
        // The implementation gets the request before the future is polled.
        drop(executor.execute(&client, request, "update_password"));
        assert_eq!(
            *seen.lock().unwrap(),
            [
                ("accept".to_owned(), false),
                ("logto-verification-id".to_owned(), true)
            ]
        );
    }

    #[test]
    fn executors_sharing_urls_make_each_url_once() {
        let client = reqwest::Client::new();
        let first = Executor::default();
        let second = first.sharing_urls(AsIs);
        let url = first
            .static_url(&client, "https://host/t", 0, "/api/my-account")
            .unwrap();
        assert_eq!(url.as_str(), "https://host/t/api/my-account");
        assert!(Arc::ptr_eq(&first.base_url, &second.base_url));
        assert!(!Arc::ptr_eq(&first.base_url, &Executor::default().base_url));
    }
}
