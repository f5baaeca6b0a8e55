//! Page-number pagination with absolute `next` / `previous` links (docs/API.md → Conventions).

use axum::http::StatusCode;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;
use crate::fields::{Fields, FromFields, Text, messages};

/// `?page=` and `?page_size=` as sent: [`Page`] reads them as DRF's `PageNumberPagination`
/// does (a page that is not a number is an invalid page; a bad size means the default).
#[derive(Debug, Clone, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1-based page number.
    #[param(value_type = Option<i64>)]
    pub page: Option<String>,
    /// Items per page where the list lets the client choose (1–100; other values: the default).
    #[param(value_type = Option<i64>)]
    pub page_size: Option<String>,
}

impl PageQuery {
    /// Reads the two parameters (for query types that have more).
    pub fn read(f: &mut Fields) -> Self {
        Self {
            page: f.optional("page", Text::new().blank_allowed()),
            page_size: f.optional("page_size", Text::new().blank_allowed()),
        }
    }
}

impl FromFields for PageQuery {
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Some(Self::read(f))
    }
}

/// 404 `{"detail": "Invalid page."}`.
pub fn invalid_page() -> ApiError {
    ApiError::detail(StatusCode::NOT_FOUND, messages::invalid_page())
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
    /// The requested page (default 1, also for `?page=`) of `size`; a page number that is not a
    /// whole number from 1 up is an invalid page (404).
    pub fn new(query: &PageQuery, size: i64) -> Result<Self, ApiError> {
        let number = match query.page.as_deref().map(str::trim) {
            None | Some("") => 1,
            Some(raw) => raw.parse().ok().filter(|n| *n >= 1).ok_or_else(invalid_page)?,
        };
        Ok(Self { number, size: size.max(1) })
    }

    /// Like [`Page::new`] with a client-chosen size (`?page_size=`): 1..=`max`, larger sizes
    /// capped, anything else the default.
    pub fn sized(query: &PageQuery, default: i64, max: i64) -> Result<Self, ApiError> {
        let size = query.page_size.as_deref().and_then(|s| s.trim().parse::<i64>().ok()).filter(|s| *s >= 1);
        Self::new(query, size.map_or(default, |s| s.min(max)))
    }

    /// Saturating: a huge page number is past any end (and `check` refuses it), not an overflow.
    pub fn offset(&self) -> i64 {
        (self.number - 1).saturating_mul(self.size)
    }

    pub fn total_pages(&self, count: i64) -> i64 {
        ((count + self.size - 1) / self.size).max(1)
    }

    /// A page past the end (other than page 1 of nothing) is an invalid page (404).
    pub fn check(&self, count: i64) -> Result<(), ApiError> {
        if self.number > self.total_pages(count) { Err(invalid_page()) } else { Ok(()) }
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

    fn query(page: Option<&str>, page_size: Option<&str>) -> PageQuery {
        PageQuery { page: page.map(str::to_owned), page_size: page_size.map(str::to_owned) }
    }

    #[test]
    fn links_keep_filters_and_replace_the_page() {
        let page = Page::sized(&query(Some("2"), Some("10")), 15, 100).expect("page");
        let links = page.links("http://x/api/contents/", Some("search=rust&page=2&page_size=10"), 35);
        assert_eq!(links.next.as_deref(), Some("http://x/api/contents/?search=rust&page_size=10&page=3"));
        assert_eq!(links.previous.as_deref(), Some("http://x/api/contents/?search=rust&page_size=10&page=1"));
    }

    #[test]
    fn sizes_are_capped_and_bad_sizes_mean_the_default() {
        assert_eq!(Page::sized(&query(None, Some("1000")), 15, 100).expect("page").size, 100);
        assert_eq!(Page::sized(&query(None, Some("0")), 15, 100).expect("page").size, 15);
        assert_eq!(Page::sized(&query(None, Some("many")), 15, 100).expect("page").size, 15);
    }

    #[test]
    fn pages_that_are_not_there_are_invalid() {
        assert_eq!(Page::new(&query(Some(""), None), 20).expect("page").number, 1);
        assert_eq!(Page::new(&query(Some(" 2 "), None), 20).expect("page").number, 2);
        for bad in ["0", "-1", "abc", "2.0"] {
            assert!(Page::new(&query(Some(bad), None), 20).is_err(), "{bad}");
        }
        assert!(Page::new(&query(Some("1"), None), 20).expect("page").check(0).is_ok());
        assert!(Page::new(&query(Some("2"), None), 20).expect("page").check(20).is_err());
    }
}
