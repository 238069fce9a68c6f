//! Conditional reads of the account against the emulator, which answers
//! `If-None-Match` as Logto does (facts 6a/6b).

use crate::emulated::*;
use logto_account::{AccountPoll, AccountUpdate, ETag};

#[tokio::test]
async fn an_unchanged_account_is_not_sent_again_and_a_changed_one_comes_with_a_new_tag() {
    let world = world().await;
    let first = world.client.account_tagged().await.unwrap();
    assert_eq!(first.account, world.client.account().await.unwrap());
    let etag = first.etag.clone().unwrap();
    assert!(etag.as_str().starts_with('"') && etag.as_str().ends_with('"'));

    let polled = world.client.account_if_changed(&etag).await.unwrap();
    assert_eq!(polled, AccountPoll::Unchanged);

    world
        .client
        .update_account(&AccountUpdate::new().name("Ada Lovelace"))
        .await
        .unwrap();
    let AccountPoll::Changed(changed) = world.client.account_if_changed(&etag).await.unwrap()
    else {
        panic!("the name changed, so the account did");
    };
    assert_eq!(changed.account.name.as_deref(), Some("Ada Lovelace"));
    let new_etag = changed.etag.unwrap();
    assert_ne!(new_etag, etag);
    assert_eq!(
        world.client.account_if_changed(&new_etag).await.unwrap(),
        AccountPoll::Unchanged
    );
}

#[tokio::test]
async fn weak_and_wildcard_tags_match_and_a_foreign_tag_reads_the_account() {
    let world = world().await;
    let tagged = world.client.account_tagged().await.unwrap();
    let etag = tagged.etag.unwrap();
    let weak = ETag::new(format!("W/{}", etag.as_str()));
    assert_eq!(
        world.client.account_if_changed(&weak).await.unwrap(),
        AccountPoll::Unchanged
    );
    assert_eq!(
        world
            .client
            .account_if_changed(&ETag::new("*"))
            .await
            .unwrap(),
        AccountPoll::Unchanged
    );
    let AccountPoll::Changed(read) = world
        .client
        .account_if_changed(&ETag::new("\"other\""))
        .await
        .unwrap()
    else {
        panic!("a tag that is not the account's reads it");
    };
    assert_eq!(read.account, tagged.account);
    assert_eq!(read.etag, Some(etag));
}
