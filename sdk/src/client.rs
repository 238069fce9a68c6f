//! The client: one connection pool, one user's access token.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use logto_account_api::ResponseValue;
use logto_account_api::types::ErrorBody;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use url::Url;

use crate::{AccessToken, Error};

/// What the client says it is, in `User-Agent`.
const USER_AGENT: &str = concat!("logto-account/", env!("CARGO_PKG_VERSION"));

/// How long to wait for a connection by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a whole request (connect, send, read the body) may take by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

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
/// let account = client.profile().await?;
/// println!("signed in as {}", account.id);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct AccountClient {
    api: logto_account_api::Client,
    endpoint: Url,
}

impl AccountClient {
    /// A client for the Logto instance at `endpoint` (e.g.
    /// `https://my-tenant.logto.app`, without `/api`) with default settings.
    ///
    /// Fails with [`Error::InvalidInput`] if `endpoint` is not an http(s) URL
    /// or the token cannot be sent in a header.
    pub fn new(endpoint: &str, access_token: AccessToken) -> Result<Self, Error> {
        Self::builder(endpoint, access_token).build()
    }

    /// A builder to set timeouts before building the client.
    pub fn builder(endpoint: &str, access_token: AccessToken) -> AccountClientBuilder {
        AccountClientBuilder {
            endpoint: endpoint.to_owned(),
            access_token,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
        }
    }

    /// The Logto endpoint this client calls.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// The generated low-level client, for operations the facade does not wrap.
    /// It already sends the access token.
    pub fn bindings(&self) -> &logto_account_api::Client {
        &self.api
    }

    pub(crate) fn api(&self) -> &logto_account_api::Client {
        &self.api
    }

    /// Awaits a generated call and turns its outcome into ours.
    pub(crate) async fn send<T>(
        &self,
        call: impl Future<Output = Result<ResponseValue<T>, progenitor_client::Error<ErrorBody>>>,
    ) -> Result<T, Error> {
        match call.await {
            Ok(response) => Ok(response.into_inner()),
            Err(error) => Err(Error::from_bindings(error).await),
        }
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
    access_token: AccessToken,
    timeout: Duration,
    connect_timeout: Duration,
}

impl AccountClientBuilder {
    /// How long a whole request may take, from connecting to reading the
    /// last byte of the body ([`DEFAULT_TIMEOUT`] unless set).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long connecting may take ([`DEFAULT_CONNECT_TIMEOUT`] unless set).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Builds the client.
    ///
    /// Fails with [`Error::InvalidInput`] (field `endpoint` or `access_token`)
    /// if the endpoint is not an absolute http(s) URL without query or
    /// credentials, or the token is empty or not sendable in a header.
    pub fn build(self) -> Result<AccountClient, Error> {
        let endpoint = parse_endpoint(&self.endpoint)?;
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, authorization(&self.access_token)?);
        install_crypto_provider();
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .default_headers(headers)
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .build()
            .map_err(Error::Transport)?;
        let base = endpoint.as_str().trim_end_matches('/');
        Ok(AccountClient {
            api: logto_account_api::Client::new_with_client(base, http),
            endpoint,
        })
    }
}

fn parse_endpoint(endpoint: &str) -> Result<Url, Error> {
    let invalid = |reason: String| Error::invalid_input("endpoint", reason);
    let url = Url::parse(endpoint).map_err(|e| invalid(format!("not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(format!(
            "scheme `{}` is not http or https",
            url.scheme()
        )));
    }
    if url.host().is_none() {
        return Err(invalid("has no host".to_owned()));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not have a query or fragment".to_owned()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("must not carry credentials".to_owned()));
    }
    Ok(url)
}

fn authorization(token: &AccessToken) -> Result<HeaderValue, Error> {
    let token = token.expose_secret();
    if token.is_empty() {
        return Err(Error::invalid_input("access_token", "is empty"));
    }
    let mut value = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
        Error::invalid_input(
            "access_token",
            "contains characters that cannot be sent in an HTTP header",
        )
    })?;
    // Redacted in `Debug` and kept out of HTTP/2 header compression tables.
    value.set_sensitive(true);
    Ok(value)
}

/// reqwest's rustls backend without a built-in provider needs one installed
/// process-wide; install ring's unless the application chose one already.
fn install_crypto_provider() {
    #[cfg(feature = "rustls")]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race to another thread installing one is fine: any
        // installed provider will do.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}
