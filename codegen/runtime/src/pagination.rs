//! Page-number pagination: streams that walk all pages of a list.
//!
//! The walk starts at the request's page (default 1) and stops after the last
//! page the server reports, or else at the first empty page. A server that keeps
//! answering without progress (the same bytes twice, the same items twice, an
//! endless run of pages, or page numbers that do not follow the request) ends the
//! stream with [`Error::Pagination`] rather than looping forever.

use bytes::Bytes;
use futures_core::Stream;
use futures_util::stream;
use serde_json::Value;

use super::call::Call;
use super::error::Error;
use super::page::Page;

/// The most pages one stream fetches.
const MAX_PAGES: u64 = 10_000;

struct Walk<T> {
    call: Call<Page<T>>,
    /// The request's own error, reported as the only item.
    pending: Option<Error>,
    next: u64,
    fetched: u64,
    previous: Option<Bytes>,
    /// The previous page's items as JSON: a server that ignores the page parameter
    /// but varies its bytes (a timestamp, a request id) still repeats these.
    previous_items: Option<Value>,
    /// Reported page minus requested page on the first page (0-based servers
    /// report one less); a later page that disagrees means the server is not
    /// honouring the page parameter.
    offset: Option<i128>,
    done: bool,
}

impl<T: Send + 'static> Call<Page<T>> {
    /// Every page from the request's page on, fetched one at a time as the stream
    /// is polled. An error ends the stream after being yielded.
    pub fn pages(mut self) -> impl Stream<Item = Result<Page<T>, Error>> + Send + Unpin + 'static {
        let pending = self.request.error.take();
        let first = self
            .request
            .query_value(self.client.api().pagination.map_or("", |p| p.page_param))
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        let walk = Walk {
            call: self,
            pending,
            next: first,
            fetched: 0,
            previous: None,
            previous_items: None,
            offset: None,
            done: false,
        };
        let stream = stream::unfold(walk, |mut walk| async move {
            let item = walk.step().await?;
            Some((item, walk))
        });
        Box::pin(stream)
    }

    /// Every item of every page, as [`Call::pages`] fetches them.
    pub fn items(self) -> impl Stream<Item = Result<T, Error>> + Send + Unpin + 'static {
        use futures_util::StreamExt;
        self.pages().flat_map(|page| {
            let items: Vec<Result<T, Error>> = match page {
                Ok(page) => page.items.into_iter().map(Ok).collect(),
                Err(e) => vec![Err(e)],
            };
            stream::iter(items)
        })
    }
}

impl<T> Walk<T> {
    /// Fetches the next page; `None` when the walk is over.
    async fn step(&mut self) -> Option<Result<Page<T>, Error>> {
        if let Some(error) = self.pending.take() {
            return self.fail(error);
        }
        if self.done {
            return None;
        }
        let pagination = self.call.client.api().pagination;
        if self.fetched >= MAX_PAGES {
            self.done = true;
            return Some(Err(Error::Pagination(format!(
                "gave up after {MAX_PAGES} pages"
            ))));
        }
        let page_param = pagination.map(|p| (p.page_param, self.next));
        let raw = match self.call.fetch(page_param).await {
            Ok(raw) => raw,
            Err(e) => return self.fail(e),
        };
        if self.previous.as_ref() == Some(&raw.body) {
            let message = format!(
                "page {} repeated the previous page byte for byte",
                self.next
            );
            return self.fail(Error::Pagination(message));
        }
        let page = match self.call.decode(&raw) {
            Ok(page) => page,
            Err(e) => return self.fail(e),
        };
        let items = (!page.items.is_empty()).then(|| self.items_json(&raw.body));
        if items.is_some() && items == self.previous_items {
            let message = format!("page {} repeated the previous page's items", self.next);
            return self.fail(Error::Pagination(message));
        }
        if let Some(reported) = page.info.as_ref().and_then(|i| i.page) {
            let offset = i128::from(reported) - i128::from(self.next);
            if *self.offset.get_or_insert(offset) != offset {
                let message = format!(
                    "asked for page {} but the server answered page {reported}",
                    self.next
                );
                return self.fail(Error::Pagination(message));
            }
        }
        self.fetched += 1;
        let last = page
            .info
            .as_ref()
            .and_then(|i| i.total_pages)
            .is_some_and(|total| self.next >= total);
        if page.items.is_empty() && self.fetched > 1 {
            return None;
        }
        // Without a page parameter there is no way to ask for more.
        self.done = last || pagination.is_none() || page.items.is_empty();
        self.next += 1;
        self.previous = Some(raw.body);
        self.previous_items = items;
        Some(Ok(page))
    }

    /// The items of a page body as JSON (the envelope's data property, or the whole
    /// body without an envelope); `Null` if the body does not parse as JSON here.
    fn items_json(&self, body: &[u8]) -> Value {
        let value = serde_json::from_slice::<Value>(body).unwrap_or(Value::Null);
        match (self.call.client.api().envelope, value) {
            (Some(envelope), Value::Object(mut map)) => {
                map.remove(envelope.data).unwrap_or(Value::Null)
            }
            (_, value) => value,
        }
    }

    fn fail(&mut self, error: Error) -> Option<Result<Page<T>, Error>> {
        self.done = true;
        Some(Err(error))
    }
}
