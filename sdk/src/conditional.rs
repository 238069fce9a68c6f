//! Reading the account only when it changed: Logto tags every account it
//! sends with an `ETag` and answers `If-None-Match` with a bodiless 304 while
//! the account is the same, so a caller that polls neither downloads nor
//! decodes an account it already has.

use reqwest::StatusCode;
use reqwest::header::ETAG;

use logto_account_api::types::AccountResponse;

use crate::call::{BindingsResult, CallRecord, Finished};
use crate::{Account, AccountClient, Error};

/// The validator Logto sends with an account (its `ETag` header, quotes
/// included), to ask later whether the account changed.
///
/// With the `serde` feature it is `Serialize` and `Deserialize` as a string,
/// to keep it next to a cached account.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct ETag(String);

impl ETag {
    /// A tag kept from an earlier read, as Logto sent it (e.g.
    /// `"17a-xRovKVkXkaN3TZ/rFbdHyRgB0nc"`, quotes included).
    pub fn new(tag: impl Into<String>) -> Self {
        ETag(tag.into())
    }

    /// The tag as Logto sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An account with the [`ETag`] it came with.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct TaggedAccount {
    /// The account.
    pub account: Account,
    /// Its tag; `None` if the server sent none (Logto always does).
    pub etag: Option<ETag>,
}

/// What [`AccountClient::account_if_changed`] found.
#[derive(Clone, Debug, PartialEq)]
pub enum AccountPoll {
    /// The account is still the one the tag names (Logto answered 304).
    Unchanged,
    /// The account changed (or the tag was not Logto's): here it is
    /// (boxed: `Unchanged` stays small).
    Changed(Box<TaggedAccount>),
}

impl AccountClient {
    /// Reads the account (`GET /api/my-account`) like
    /// [`account`](Self::account), with its [`ETag`] for a later
    /// [`account_if_changed`](Self::account_if_changed).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// let tagged = client.account_tagged().await?;
    /// println!("{} is tagged {:?}", tagged.account.id, tagged.etag);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn account_tagged(&self) -> Result<TaggedAccount, Error> {
        self.run(
            || self.api().get_profile(None),
            |outcome, record| self.tagged(outcome, record),
        )
        .await
    }

    /// Reads the account unless it is still the one `etag` names: then Logto
    /// answers 304 with no body, and nothing is decoded.
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// use logto_account::AccountPoll;
    ///
    /// let mut cached = client.account_tagged().await?;
    /// // Later, polling:
    /// if let Some(etag) = &cached.etag {
    ///     match client.account_if_changed(etag).await? {
    ///         AccountPoll::Unchanged => {}
    ///         AccountPoll::Changed(fresh) => cached = *fresh,
    ///     }
    /// }
    /// # let _ = cached;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn account_if_changed(&self, etag: &ETag) -> Result<AccountPoll, Error> {
        let call = || self.api().get_profile(Some(etag.as_str()));
        self.run(call, |outcome, record| {
            if record.is_plain_answer(StatusCode::NOT_MODIFIED) {
                return Finished::Now(Ok(AccountPoll::Unchanged));
            }
            self.tagged(outcome, record)
                .map(|tagged| AccountPoll::Changed(Box::new(tagged)))
        })
        .await
    }

    /// The account of a `GET /api/my-account` outcome, with its tag.
    fn tagged(
        &self,
        outcome: BindingsResult<AccountResponse>,
        record: &mut CallRecord,
    ) -> Finished<TaggedAccount> {
        let etag = outcome
            .as_ref()
            .ok()
            .and_then(|response| response.headers().get(ETAG)?.to_str().ok())
            .map(ETag::new);
        self.finish(outcome, record, Account::from_response)
            .map(|account| TaggedAccount { account, etag })
    }
}
