//! One page of a list and its counters, as decoded from a response.

use serde_json::{Map, Value};

use super::descriptor::Pagination;
use super::error::integral;

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// The page counters, when the server sent them.
    pub info: Option<PageInfo>,
}

/// Page counters, read by the names in the API's `Pagination` description.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct PageInfo {
    /// The current page (1-based).
    pub page: Option<u64>,
    /// The page size.
    pub per_page: Option<u64>,
    /// The number of pages.
    pub total_pages: Option<u64>,
    /// Every counter as sent, including ones not named above.
    pub raw: Map<String, Value>,
}

impl PageInfo {
    pub(crate) fn from_counters(raw: Map<String, Value>, names: &Pagination) -> Self {
        // Some servers send counters as floats (`20.0`).
        let counter = |name: &str| {
            let value = raw.get(name)?;
            value
                .as_u64()
                .or_else(|| u64::try_from(integral(value.as_f64()?)?).ok())
        };
        PageInfo {
            page: counter(names.page_param),
            per_page: counter(names.per_page_param),
            total_pages: names.total_pages.and_then(counter),
            raw,
        }
    }
}

impl<T> Page<T> {
    /// The items on this page.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// Consumes the page, keeping its items.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}
