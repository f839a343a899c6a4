//! Pagination: `Page`, `.pages()`, `.items()`, and the guards against servers that
//! never end.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use cloudflare_token_validation::types::TokenConfiguration;
use cloudflare_token_validation::{ConfigurationListParams, Error, Page};
use futures_util::StreamExt;
use serde_json::json;
use wiremock::matchers::query_param;
use wiremock::{MockServer, Request, ResponseTemplate};

use crate::list_body;
use crate::support::{
    assert_requests, client_for, failure, list_configs, mount_with, ok, ok_seed, on, serve,
    serve_with, CONFIG_ID, LIST_PATH, LIST_RESPONSE,
};

/// A server answering `GET LIST_PATH?page=n` once with each `(n, response)`.
async fn serve_pages(pages: impl IntoIterator<Item = (u32, ResponseTemplate)>) -> MockServer {
    let server = MockServer::start().await;
    for (n, response) in pages {
        let page = on("GET", LIST_PATH).and(query_param("page", n.to_string().as_str()));
        mount_with(&server, page, response, 1).await;
    }
    server
}

/// Checks the server saw exactly one request per entry of `expected`, with those
/// query strings in order.
async fn assert_queries(server: &MockServer, expected: &[&str]) {
    let received = assert_requests(server, expected.len()).await;
    let queries: Vec<&str> = received.iter().filter_map(|r| r.url.query()).collect();
    assert_eq!(queries, expected);
}

/// The titles of every item the list `params` starts yields, all of which must decode.
async fn item_titles(server: &MockServer, params: ConfigurationListParams) -> Vec<String> {
    list_configs(&client_for(server), params)
        .items()
        .map(|item| item.expect("every page decodes").title)
        .collect()
        .await
}

#[tokio::test]
async fn list_returns_a_page_with_items_and_info() {
    let per_page_20 = on("GET", LIST_PATH).and(query_param("per_page", "20"));
    let server = serve_with(per_page_20, ok_seed(LIST_RESPONSE), 1).await;

    let page = list_configs(
        &client_for(&server),
        ConfigurationListParams::new().per_page(20),
    )
    .await
    .expect("one page");

    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].id, CONFIG_ID);
    assert_eq!(
        page.items[0].title,
        "Example Token Validation Configuration"
    );
    let info = page.info.expect("result_info was sent");
    assert_eq!(
        (info.page, info.per_page, info.total_pages),
        (Some(1), Some(20), Some(100))
    );
    assert_eq!(info.raw["total_count"], 2000);
    assert_eq!(info.raw["count"], 1);
    assert_queries(&server, &["per_page=20"]).await;
}

#[tokio::test]
async fn items_walks_every_page_until_total_pages() {
    let pages = [vec!["c1", "c2"], vec!["c3", "c4"], vec!["c5"]];
    let server = serve_pages((1..).zip(&pages).map(|(n, titles)| {
        let info = json!({"page": n, "per_page": 5, "count": titles.len(), "total_pages": 3});
        (n, ok(list_body(titles, Some(info))))
    }))
    .await;

    let titles = item_titles(&server, ConfigurationListParams::new().per_page(5)).await;

    assert_eq!(titles, ["c1", "c2", "c3", "c4", "c5"]);
    assert_queries(
        &server,
        &[
            "per_page=5&page=1",
            "per_page=5&page=2",
            "per_page=5&page=3",
        ],
    )
    .await;
}

#[tokio::test]
async fn pages_start_at_the_requested_page() {
    let server = serve_pages([3, 4].map(|n| {
        let info = json!({"page": n, "per_page": 5, "total_pages": 4});
        (n, ok(list_body(&[&format!("p{n}")], Some(info))))
    }))
    .await;

    let pages: Vec<Page<TokenConfiguration>> =
        list_configs(&client_for(&server), ConfigurationListParams::new().page(3))
            .pages()
            .map(|page| page.expect("decodes"))
            .collect()
            .await;

    let titles: Vec<&str> = pages.iter().map(|p| p.items[0].title.as_str()).collect();
    assert_eq!(titles, ["p3", "p4"]);
    assert_queries(&server, &["page=3", "page=4"]).await;
}

#[tokio::test]
async fn without_result_info_the_walk_stops_at_the_first_empty_page() {
    let pages = [(1, vec!["a", "b"]), (2, vec!["c"]), (3, vec![])];
    let server = serve_pages(pages.map(|(n, titles)| (n, ok(list_body(&titles, None))))).await;

    let titles = item_titles(&server, ConfigurationListParams::new()).await;

    assert_eq!(titles, ["a", "b", "c"]);
    assert_queries(&server, &["page=1", "page=2", "page=3"]).await;
}

#[tokio::test]
async fn a_server_repeating_the_same_page_ends_the_stream_with_an_error() {
    // Ignores `page` and always answers with page 1 of 100.
    let server = serve("GET", LIST_PATH, ok_seed(LIST_RESPONSE), 2).await;

    let items: Vec<Result<TokenConfiguration, Error>> =
        list_configs(&client_for(&server), ConfigurationListParams::new())
            .items()
            .take(10)
            .collect()
            .await;

    match items.as_slice() {
        [Ok(first), Err(Error::Pagination(message))] => {
            assert_eq!(first.id, CONFIG_ID);
            assert_eq!(message, "page 2 repeated the previous page byte for byte");
        }
        other => panic!("expected one item then a pagination error, got {other:?}"),
    }
    assert_requests(&server, 2).await;
}

#[tokio::test]
async fn a_server_stuck_on_one_page_number_ends_the_stream_with_an_error() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    // Different bytes every time, but always claims to be page 1.
    let stuck = move |_: &Request| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        let info = json!({"page": 1, "per_page": 5, "total_pages": 50});
        ok(list_body(&[&format!("call {n}")], Some(info)))
    };
    let server = serve_with(on("GET", LIST_PATH), stuck, 2).await;

    let pages: Vec<Result<Page<TokenConfiguration>, Error>> =
        list_configs(&client_for(&server), ConfigurationListParams::new())
            .pages()
            .take(10)
            .collect()
            .await;

    match pages.as_slice() {
        [Ok(first), Err(Error::Pagination(message))] => {
            assert_eq!(first.items[0].title, "call 0");
            assert_eq!(message, "asked for page 2 but the server answered page 1");
        }
        other => panic!("expected one page then a pagination error, got {other:?}"),
    }
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_requests(&server, 2).await;
}

#[tokio::test]
async fn an_error_mid_walk_is_yielded_once_and_ends_the_stream() {
    let info = json!({"page": 1, "per_page": 5, "total_pages": 3});
    let server = serve_pages([
        (1, ok(list_body(&["a"], Some(info)))),
        (2, failure(403, 10000, "Authentication error")),
    ])
    .await;

    let items: Vec<Result<TokenConfiguration, Error>> =
        list_configs(&client_for(&server), ConfigurationListParams::new())
            .items()
            .take(10)
            .collect()
            .await;

    match items.as_slice() {
        [Ok(first), Err(err)] => {
            assert_eq!(first.title, "a");
            assert!(err.is_auth(), "{err:?}");
        }
        other => panic!("expected one item then the 403, got {other:?}"),
    }
    assert_requests(&server, 2).await;
}

#[tokio::test]
async fn a_server_repeating_the_items_in_new_bytes_ends_the_stream_with_an_error() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    // Ignores `page`; the same items each time, but a fresh request id, and no counters.
    let varying = move |_: &Request| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        let mut body = list_body(&["same", "items"], None);
        body["request_id"] = json!(n);
        ok(body)
    };
    let server = serve_with(on("GET", LIST_PATH), varying, 2).await;

    let pages: Vec<Result<Page<TokenConfiguration>, Error>> =
        list_configs(&client_for(&server), ConfigurationListParams::new())
            .pages()
            .take(10)
            .collect()
            .await;

    match pages.as_slice() {
        [Ok(first), Err(Error::Pagination(message))] => {
            assert_eq!(first.items.len(), 2);
            assert_eq!(message, "page 2 repeated the previous page's items");
        }
        other => panic!("expected one page then a pagination error, got {other:?}"),
    }
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_requests(&server, 2).await;
}
