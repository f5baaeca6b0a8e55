//! Page-number pagination with absolute `next` / `previous` links (api.md → Pagination).

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
pub struct PageQuery {
    /// 1-based page number.
    pub page: Option<i64>,
}

/// `{"count", "next", "previous", "results"}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paginated<T: ToSchema> {
    pub count: i64,
    pub next: Option<String>,
    pub previous: Option<String>,
    pub results: Vec<T>,
}

/// `{"next", "previous"}` of the larger envelopes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Links {
    pub next: Option<String>,
    pub previous: Option<String>,
}

/// A validated page request.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub number: i64,
    pub size: i64,
}

impl Page {
    /// Page `number` (default 1) of `size`; page numbers below 1 are a 404 like any missing page.
    pub fn new(number: Option<i64>, size: i64) -> Result<Self, ApiError> {
        let number = number.unwrap_or(1);
        if number < 1 {
            return Err(ApiError::not_found());
        }
        Ok(Self { number, size: size.max(1) })
    }

    /// Like [`Page::new`] with a client-chosen size (`?page_size=`), kept within 1..=`max`.
    pub fn sized(number: Option<i64>, size: Option<i64>, default: i64, max: i64) -> Result<Self, ApiError> {
        Self::new(number, size.unwrap_or(default).clamp(1, max))
    }

    pub fn offset(&self) -> i64 {
        (self.number - 1) * self.size
    }

    pub fn total_pages(&self, count: i64) -> i64 {
        ((count + self.size - 1) / self.size).max(1)
    }

    /// A page past the end (other than page 1 of nothing) is a 404.
    pub fn check(&self, count: i64) -> Result<(), ApiError> {
        if self.number > self.total_pages(count) { Err(ApiError::not_found()) } else { Ok(()) }
    }

    /// Absolute links to the neighbouring pages, keeping the other query parameters.
    pub fn links(&self, base_url: &str, query: Option<&str>, count: i64) -> Links {
        let kept: Vec<&str> =
            query.unwrap_or_default().split('&').filter(|p| !p.is_empty() && !p.starts_with("page=")).collect();
        let link = |n: i64| {
            let mut params = kept.clone();
            let page = format!("page={n}");
            params.push(&page);
            format!("{base_url}?{}", params.join("&"))
        };
        Links {
            next: (self.number < self.total_pages(count)).then(|| link(self.number + 1)),
            previous: (self.number > 1).then(|| link(self.number - 1)),
        }
    }

    /// The default envelope.
    pub fn envelope<T: ToSchema>(&self, base_url: &str, count: i64, results: Vec<T>) -> Result<Paginated<T>, ApiError> {
        self.check(count)?;
        let links = self.links(base_url, None, count);
        Ok(Paginated { count, next: links.next, previous: links.previous, results })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_filters_and_replace_the_page() {
        let page = Page::sized(Some(2), Some(10), 15, 100).expect("page");
        let links = page.links("http://x/api/contents/", Some("search=rust&page=2&page_size=10"), 35);
        assert_eq!(links.next.as_deref(), Some("http://x/api/contents/?search=rust&page_size=10&page=3"));
        assert_eq!(links.previous.as_deref(), Some("http://x/api/contents/?search=rust&page_size=10&page=1"));
    }

    #[test]
    fn sizes_are_capped_and_out_of_range_pages_are_missing() {
        assert_eq!(Page::sized(None, Some(1000), 15, 100).expect("page").size, 100);
        assert_eq!(Page::sized(None, Some(0), 15, 100).expect("page").size, 1);
        assert!(Page::new(Some(0), 20).is_err());
        assert!(Page::new(Some(1), 20).expect("page").check(0).is_ok());
        assert!(Page::new(Some(2), 20).expect("page").check(20).is_err());
    }
}
