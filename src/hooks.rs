//! Request hooks shared by every generated operation.

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use crate::{Client, Executor};

/// Only `exec` is implemented: the [`Executor`] does everything around a
/// request, and `sdk-gen` drops the generated calls of `pre` and `post`
/// (the defaults, which do nothing).
impl ClientHooks<Executor> for Client {
    fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> {
        self.inner()
            .execute(self.client(), request, info.operation_id)
    }
}
