//! Request hooks shared by every generated operation.

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};

use crate::{Client, Executor, SECRET_HEADERS};

impl ClientHooks<Executor> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        // Sensitive header values are redacted by `Debug`, so a logged
        // request cannot show the secrets the spec marks.
        for name in SECRET_HEADERS {
            if let Some(value) = request.headers_mut().get_mut(*name) {
                value.set_sensitive(true);
            }
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
