//! Where the access token comes from, and refreshing it once when Logto
//! rejects it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::input;
use crate::{AccessToken, Error};

/// An error from a [`TokenProvider`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<AccessToken, BoxError>> + Send + 'a>>;

/// Supplies the user's current access token, e.g. from an OIDC client that
/// refreshes it with a refresh token.
///
/// The client asks for a token before its first request, and again when
/// Logto rejects the token it sent (401 `auth.unauthorized`); it then repeats
/// that request once. Concurrent calls share one refresh. Any
/// `Fn() -> impl Future<Output = Result<AccessToken, BoxError>>` is a provider.
pub trait TokenProvider: Send + Sync + 'static {
    /// Returns a current access token.
    fn access_token(&self) -> TokenFuture<'_>;
}

impl<F, Fut> TokenProvider for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AccessToken, BoxError>> + Send + 'static,
{
    fn access_token(&self) -> TokenFuture<'_> {
        Box::pin(self())
    }
}

/// How the client gets its access token: a fixed one, or a provider.
#[derive(Clone)]
pub struct TokenSource(Source);

#[derive(Clone)]
enum Source {
    Static(AccessToken),
    Provider(Arc<dyn TokenProvider>),
}

impl TokenSource {
    /// Tokens from `provider`, refreshed when Logto rejects one.
    pub fn provider(provider: impl TokenProvider) -> Self {
        TokenSource(Source::Provider(Arc::new(provider)))
    }
}

impl From<AccessToken> for TokenSource {
    fn from(token: AccessToken) -> Self {
        TokenSource(Source::Static(token))
    }
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Source::Static(token) => f.debug_tuple("Static").field(token).finish(),
            Source::Provider(_) => f.write_str("Provider"),
        }
    }
}

/// A [`TokenProvider`] that did not answer within the client's
/// [`token_provider_timeout`](crate::AccountClientBuilder::token_provider_timeout).
#[derive(Debug, thiserror::Error)]
#[error("the token provider did not answer within {0:?}")]
pub struct TokenProviderTimeout(pub Duration);

/// The `Authorization` header in use, and how to replace it.
pub(crate) enum Auth {
    /// A static token's header: read without a lock on every call.
    Fixed(HeaderValue),
    /// Tokens from a provider, refreshed when Logto rejects one.
    Provided(ProvidedTokens),
}

/// A provider's tokens.
pub(crate) struct ProvidedTokens {
    provider: Arc<dyn TokenProvider>,
    /// How long the provider may take: one that never answers must not hang
    /// every call (they all wait for one refresh).
    timeout: Duration,
    /// The provider's latest token.
    current: RwLock<Option<HeaderValue>>,
    /// Bumped on every new token, so a waiter can tell that another call
    /// already refreshed the token it saw rejected.
    generation: AtomicU64,
    refreshing: tokio::sync::Mutex<()>,
}

impl Auth {
    pub(crate) fn new(source: TokenSource, provider_timeout: Duration) -> Result<Self, Error> {
        Ok(match source.0 {
            Source::Static(token) => Auth::Fixed(authorization(&token)?),
            Source::Provider(provider) => Auth::Provided(ProvidedTokens {
                provider,
                timeout: provider_timeout,
                current: RwLock::new(None),
                generation: AtomicU64::new(0),
                refreshing: tokio::sync::Mutex::new(()),
            }),
        })
    }

    /// The header to send and its generation, asking the provider first if
    /// there is no token yet.
    pub(crate) async fn header(&self) -> Result<(HeaderValue, u64), Error> {
        match self {
            Auth::Fixed(header) => Ok((header.clone(), 0)),
            Auth::Provided(tokens) => {
                let generation = tokens.generation.load(Ordering::Acquire);
                if let Some(header) = tokens.cached() {
                    return Ok((header, generation));
                }
                // Boxed: a call with a cached token does not carry this future.
                Box::pin(tokens.refresh(generation)).await
            }
        }
    }

    /// A new token after the one of `seen_generation` was rejected; shared
    /// with every call that saw the same one rejected.
    pub(crate) async fn refresh(&self, seen_generation: u64) -> Result<(HeaderValue, u64), Error> {
        match self {
            Auth::Fixed(_) => Err(Error::invalid_input(
                "access_token",
                "was rejected and the client has no token provider to refresh it",
            )),
            Auth::Provided(tokens) => tokens.refresh(seen_generation).await,
        }
    }

    pub(crate) fn can_refresh(&self) -> bool {
        matches!(self, Auth::Provided(_))
    }
}

impl ProvidedTokens {
    async fn refresh(&self, seen_generation: u64) -> Result<(HeaderValue, u64), Error> {
        let _only_one_refresh = self.refreshing.lock().await;
        let generation = self.generation.load(Ordering::Acquire);
        if generation != seen_generation
            && let Some(header) = self.cached()
        {
            return Ok((header, generation));
        }
        let token = tokio::time::timeout(self.timeout, self.provider.access_token())
            .await
            .map_err(|_| Error::TokenProvider(Box::new(TokenProviderTimeout(self.timeout))))?
            .map_err(Error::TokenProvider)?;
        let header = authorization(&token)?;
        if let Ok(mut current) = self.current.write() {
            *current = Some(header.clone());
        }
        let generation = self.generation.fetch_add(1, Ordering::AcqRel) + 1;
        Ok((header, generation))
    }

    fn cached(&self) -> Option<HeaderValue> {
        self.current.read().ok().and_then(|current| current.clone())
    }
}

/// `Bearer <token>`, marked sensitive; a token that cannot be a header value
/// (empty, control characters, non-ASCII) is refused.
fn authorization(token: &AccessToken) -> Result<HeaderValue, Error> {
    let token = token.expose_secret();
    input::opaque_token("access_token", token)?;
    let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|_| Error::invalid_input("access_token", "cannot be sent in an HTTP header"))?;
    // Redacted in `Debug`, so a logged request cannot show the token.
    value.set_sensitive(true);
    Ok(value)
}
