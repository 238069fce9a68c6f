//! Reading the body of an error answer, for the generated methods (see
//! sdk-gen's `request_building`): out of line and boxed, as errors are rare
//! and the read's future is large.

use std::future::Future;
use std::pin::Pin;

use progenitor_client::{Error, ResponseValue};
use serde::de::DeserializeOwned;

/// The future of an error body read.
pub(crate) type ErrorBodyRead<E> =
    Pin<Box<dyn Future<Output = Result<ResponseValue<E>, Error<E>>> + Send>>;

/// Reads `response`'s body as the error type `E`.
#[cold]
#[inline(never)]
pub(crate) fn read<E>(response: reqwest::Response) -> ErrorBodyRead<E>
where
    E: DeserializeOwned + Send + 'static,
{
    Box::pin(ResponseValue::from_response(response))
}
