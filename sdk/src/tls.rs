//! The client's TLS settings: built for this SDK's clients only, once per
//! process, and never installed process-wide, so that adding this crate
//! changes nothing for an application's other TLS clients.

use reqwest::ClientBuilder;

use crate::Error;

/// Whether this build can reach an https endpoint at all.
pub(crate) const AVAILABLE: bool = cfg!(any(feature = "rustls", feature = "native-tls"));

/// Applies the TLS configuration to a client builder.
#[cfg(feature = "rustls")]
pub(crate) fn configure(builder: ClientBuilder) -> Result<ClientBuilder, Error> {
    use std::sync::{Arc, OnceLock};

    use rustls_platform_verifier::BuilderVerifierExt;

    // Loading the platform's roots costs milliseconds: do it once, so that a
    // second client costs microseconds.
    static CONFIG: OnceLock<Result<rustls::ClientConfig, String>> = OnceLock::new();
    let config = CONFIG.get_or_init(|| {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_platform_verifier()
            .map(|config| config.with_no_client_auth())
            .map_err(|e| e.to_string())
    });
    match config {
        Ok(config) => Ok(builder.tls_backend_preconfigured(config.clone())),
        Err(reason) => Err(Error::invalid_input(
            "tls",
            format!("cannot set up TLS with the platform's certificates: {reason}"),
        )),
    }
}

/// Applies the TLS configuration to a client builder: reqwest's own
/// (native-tls, or none at all).
#[cfg(not(feature = "rustls"))]
pub(crate) fn configure(builder: ClientBuilder) -> Result<ClientBuilder, Error> {
    Ok(builder)
}
