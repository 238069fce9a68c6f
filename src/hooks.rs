//! Request hooks shared by every generated operation.

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};

use crate::{Client, Executor};

/// The header that carries a verification record id: a secret.
const VERIFICATION_HEADER: &str = "logto-verification-id";

impl ClientHooks<Executor> for Client {
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

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        self.inner()
            .execute(self.client(), request, info.operation_id)
            .await
    }
}
