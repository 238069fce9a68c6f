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
        // A walk over the request's few headers costs less than looking
        // each secret name up (which parses and hashes it).
        for (name, value) in request.headers_mut().iter_mut() {
            if SECRET_HEADERS.contains(&name.as_str()) {
                value.set_sensitive(true);
            }
        }
        Ok(())
    }

    fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> {
        self.inner()
            .execute(self.client(), request, info.operation_id)
    }
}
