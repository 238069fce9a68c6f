//! The client: one connection pool, one user's access token.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use logto_account_api::Executor;
use progenitor_client::ClientInfo;
use url::{Host, Url};

use crate::auth::{Auth, TokenSource};
use crate::tls;
use crate::transport::Transport;
use crate::{Error, RetryPolicy};

/// What the client says it is, in `User-Agent`.
const USER_AGENT: &str = concat!("logto-account/", env!("CARGO_PKG_VERSION"));

/// How long to wait for a connection by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long one attempt of a request (connect, send, read the body) may take
/// by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest response body the client reads by default (4 MiB); Logto's
/// largest answers here are a few kilobytes.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// How long a [`TokenProvider`](crate::TokenProvider) may take to supply a
/// token by default.
pub const DEFAULT_TOKEN_PROVIDER_TIMEOUT: Duration = Duration::from_secs(5);

/// A client of Logto's Account API, acting for the user whose access token it holds.
///
/// Cheap to clone: clones share one connection pool. Build it with
/// [`AccountClient::new`] or [`AccountClient::builder`].
///
/// ```no_run
/// # async fn run() -> Result<(), logto_account::Error> {
/// use logto_account::{AccessToken, AccountClient};
///
/// let client = AccountClient::new("https://my-tenant.logto.app", AccessToken::new("opaque-token"))?;
/// let account = client.account().await?;
/// println!("signed in as {}", account.id);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct AccountClient {
    api: logto_account_api::Client,
    endpoint: Url,
    pub(crate) auth: Arc<Auth>,
    settings: Arc<Settings>,
}

/// What a client built from another one with [`AccountClient::with_token`]
/// shares with it.
#[derive(Debug)]
struct Settings {
    retry: RetryPolicy,
    max_response_bytes: usize,
    token_provider_timeout: Duration,
    /// The application passed its own `reqwest::Client`, whose redirect
    /// policy is its own: check every response's URL.
    foreign_http_client: bool,
}

impl AccountClient {
    /// The largest response body this client reads.
    pub(crate) fn max_response_bytes(&self) -> usize {
        self.settings.max_response_bytes
    }

    /// A client for the Logto instance at `endpoint` (e.g.
    /// `https://my-tenant.logto.app`, without `/api`) with default settings.
    ///
    /// `token` is an [`AccessToken`](crate::AccessToken), or a
    /// [`TokenSource::provider`] that supplies fresh ones.
    ///
    /// Fails with [`Error::InvalidInput`] if `endpoint` is not an https URL
    /// (or http on a loopback address), or the token cannot be sent in a header.
    pub fn new(endpoint: &str, token: impl Into<TokenSource>) -> Result<Self, Error> {
        Self::builder(endpoint, token).build()
    }

    /// A builder to set timeouts, retries and limits before building the client.
    pub fn builder(endpoint: &str, token: impl Into<TokenSource>) -> AccountClientBuilder {
        AccountClientBuilder {
            endpoint: endpoint.to_owned(),
            token: token.into(),
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            token_provider_timeout: DEFAULT_TOKEN_PROVIDER_TIMEOUT,
            allow_insecure_http: false,
            user_agent: None,
            http_client: None,
        }
    }

    /// A client for another user (or another token of the same user) that
    /// shares this one's connection pool and settings: cheap enough to make
    /// per web request. A backend that serves many users builds one client
    /// at start-up and one of these per request.
    ///
    /// Fails with [`Error::InvalidInput`] if the token cannot be sent in a
    /// header.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), logto_account::Error> {
    /// use logto_account::{AccessToken, AccountClient};
    ///
    /// // At start-up, with any token (it is replaced per user).
    /// let shared = AccountClient::new("https://my-tenant.logto.app", AccessToken::new("unused"))?;
    /// // In each request handler, with that user's token:
    /// let client = shared.with_token(AccessToken::new("the user's opaque token"))?;
    /// let account = client.account().await?;
    /// # let _ = account;
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_token(&self, token: impl Into<TokenSource>) -> Result<AccountClient, Error> {
        let auth = Arc::new(Auth::new(
            token.into(),
            self.settings.token_provider_timeout,
        )?);
        Ok(assemble(
            self.endpoint.clone(),
            self.api.client().clone(),
            auth,
            Arc::clone(&self.settings),
            Some(self.api.inner()),
        ))
    }

    /// The Logto endpoint this client calls.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// The generated low-level client, for operations the facade does not wrap.
    /// It sends the access token and retries like the facade.
    pub fn bindings(&self) -> &logto_account_api::Client {
        &self.api
    }

    pub(crate) fn api(&self) -> &logto_account_api::Client {
        &self.api
    }
}

impl fmt::Debug for AccountClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountClient")
            .field("endpoint", &self.endpoint.as_str())
            .finish_non_exhaustive()
    }
}

/// Settings for an [`AccountClient`].
#[derive(Debug)]
pub struct AccountClientBuilder {
    endpoint: String,
    token: TokenSource,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    retry: RetryPolicy,
    max_response_bytes: usize,
    token_provider_timeout: Duration,
    allow_insecure_http: bool,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
}

impl AccountClientBuilder {
    /// The `User-Agent` to send (`logto-account/<version>` unless set).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sends every request with the application's own `reqwest::Client`
    /// (its pool, proxy, TLS and timeouts), instead of one the builder makes;
    /// [`timeout`](Self::timeout), [`connect_timeout`](Self::connect_timeout)
    /// and [`user_agent`](Self::user_agent) are then the client's own.
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`: Logto's
    /// Account API never redirects, and a client that follows a redirect
    /// sends the request, with its secrets, wherever it points. A call whose
    /// answer came from another URL fails with [`Error::Redirect`], but by
    /// then the request has been sent there.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// How long one attempt may take, from connecting to reading the last
    /// byte of the body ([`DEFAULT_TIMEOUT`] unless set). With retries, a
    /// call takes at most about `attempts × timeout` plus the waits.
    ///
    /// `None` sets no whole-attempt timer (one fewer timer per call): for an
    /// application that bounds its calls itself, e.g. with
    /// `tokio::time::timeout`. Connecting stays bounded by
    /// [`connect_timeout`](Self::connect_timeout).
    ///
    /// ```
    /// use std::time::Duration;
    /// use logto_account::{AccessToken, AccountClient};
    ///
    /// let bounded = AccountClient::builder("https://my-tenant.logto.app", AccessToken::new("t"))
    ///     .timeout(Duration::from_secs(5));
    /// let unbounded = AccountClient::builder("https://my-tenant.logto.app", AccessToken::new("t"))
    ///     .timeout(None);
    /// # let _ = (bounded, unbounded);
    /// ```
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = timeout.into();
        self
    }

    /// How long connecting may take ([`DEFAULT_CONNECT_TIMEOUT`] unless set).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// When to retry ([`RetryPolicy::default`] unless set;
    /// [`RetryPolicy::disabled`] turns retries off).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The largest response body to read ([`DEFAULT_MAX_RESPONSE_BYTES`]
    /// unless set); a larger one fails with [`Error::ResponseTooLarge`]
    /// without being read whole.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// How long a [`TokenProvider`](crate::TokenProvider) may take to supply
    /// a token ([`DEFAULT_TOKEN_PROVIDER_TIMEOUT`] unless set). One that takes
    /// longer fails the call with [`Error::TokenProvider`]; calls waiting for
    /// the same refresh wait no longer than that.
    pub fn token_provider_timeout(mut self, timeout: Duration) -> Self {
        self.token_provider_timeout = timeout;
        self
    }

    /// Allows a plain `http://` endpoint that is not on this machine. The
    /// access token and passwords then cross the network unencrypted: only
    /// for a trusted private network.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Builds the client.
    ///
    /// The client follows no redirect: Logto's Account API never sends one,
    /// and following it would carry the token, passwords and verification
    /// records to wherever it points ([`Error::Redirect`] instead). An https
    /// endpoint is only ever reached over https.
    ///
    /// Fails with [`Error::InvalidInput`] (field `endpoint` or `access_token`)
    /// if the endpoint is not an absolute URL without query or credentials,
    /// is plain http to another machine without
    /// [`allow_insecure_http`](Self::allow_insecure_http), is https in a build
    /// without a TLS feature, or the token is empty or not sendable in a header.
    pub fn build(self) -> Result<AccountClient, Error> {
        let endpoint = parse_endpoint(&self.endpoint, self.allow_insecure_http, tls::AVAILABLE)?;
        let auth = Arc::new(Auth::new(self.token, self.token_provider_timeout)?);
        let foreign_http_client = self.http_client.is_some();
        let http = match self.http_client {
            Some(http) => http,
            None => {
                let user_agent = self.user_agent.as_deref().unwrap_or(USER_AGENT);
                let mut builder = reqwest::Client::builder()
                    .user_agent(user_agent)
                    .connect_timeout(self.connect_timeout)
                    .redirect(reqwest::redirect::Policy::none())
                    .https_only(endpoint.scheme() == "https");
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                tls::configure(builder)?.build().map_err(Error::Transport)?
            }
        };
        let settings = Arc::new(Settings {
            retry: self.retry,
            max_response_bytes: self.max_response_bytes,
            token_provider_timeout: self.token_provider_timeout,
            foreign_http_client,
        });
        Ok(assemble(endpoint, http, auth, settings, None))
    }
}

/// A client over `http`, acting with `auth`; one made from another client
/// (`sibling`) shares its parsed URLs.
fn assemble(
    endpoint: Url,
    http: reqwest::Client,
    auth: Arc<Auth>,
    settings: Arc<Settings>,
    sibling: Option<&Executor>,
) -> AccountClient {
    let transport = Transport {
        auth: Arc::clone(&auth),
        retry: settings.retry.clone(),
        max_response_bytes: settings.max_response_bytes,
        check_final_url: settings.foreign_http_client,
    };
    let executor = match sibling {
        Some(sibling) => sibling.sharing_urls(transport),
        None => Executor::new(transport),
    };
    let base = endpoint.as_str().trim_end_matches('/');
    AccountClient {
        api: logto_account_api::Client::new_with_client(base, http, executor),
        endpoint,
        auth,
        settings,
    }
}

/// `tls_available`: whether this build has a TLS feature (a parameter, so the
/// rule is tested in every build).
fn parse_endpoint(
    endpoint: &str,
    allow_insecure_http: bool,
    tls_available: bool,
) -> Result<Url, Error> {
    let invalid = |reason: String| Error::invalid_input("endpoint", reason);
    let url = Url::parse(endpoint).map_err(|e| invalid(format!("not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(format!(
            "scheme `{}` is not http or https",
            url.scheme()
        )));
    }
    let Some(host) = url.host() else {
        return Err(invalid("has no host".to_owned()));
    };
    if url.scheme() == "http" && !allow_insecure_http && !is_loopback(&host) {
        return Err(invalid(
            "is plain http to another machine: use https (or allow_insecure_http for a trusted network)"
                .to_owned(),
        ));
    }
    if url.scheme() == "https" && !tls_available {
        return Err(invalid(
            "is https, but this build of logto-account has no TLS: enable its `rustls` (default) or `native-tls` feature"
                .to_owned(),
        ));
    }
    if url.path().trim_end_matches('/').ends_with("/api") {
        return Err(invalid(
            "ends with `/api`: give the Logto endpoint without it (e.g. https://my-tenant.logto.app); the client adds `/api/my-account` itself"
                .to_owned(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not have a query or fragment".to_owned()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("must not carry credentials".to_owned()));
    }
    Ok(url)
}

/// `localhost`, 127.0.0.0/8 or ::1: plain http never leaves the machine.
fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_https_endpoint_without_a_tls_feature_is_refused_naming_the_features() {
        let error = parse_endpoint("https://my-tenant.logto.app", false, false).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid endpoint: is https, but this build of logto-account has no TLS: enable its `rustls` (default) or `native-tls` feature"
        );
        assert!(parse_endpoint("http://127.0.0.1:3001", false, false).is_ok());
        assert!(parse_endpoint("https://my-tenant.logto.app", false, true).is_ok());
    }

    #[test]
    fn an_endpoint_ending_in_api_is_refused_with_a_hint() {
        for endpoint in [
            "https://my-tenant.logto.app/api",
            "https://host/tenant/api/",
        ] {
            let error = parse_endpoint(endpoint, false, true).unwrap_err();
            assert_eq!(
                error.to_string(),
                "invalid endpoint: ends with `/api`: give the Logto endpoint without it (e.g. https://my-tenant.logto.app); the client adds `/api/my-account` itself"
            );
        }
        assert!(parse_endpoint("https://host/apis", false, true).is_ok());
    }
}
