//! Request hooks shared by every generated operation.

use progenitor_client::{ClientHooks, Error, OperationInfo};

use crate::Client;

/// The header that carries a verification record id: a secret.
const VERIFICATION_HEADER: &str = "logto-verification-id";

impl ClientHooks for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        // Sensitive header values are redacted by `Debug` and never
        // compressed into HPACK tables, so the id cannot leak through logs.
        if let Some(value) = request.headers_mut().get_mut(VERIFICATION_HEADER) {
            value.set_sensitive(true);
        }
        Ok(())
    }
}
