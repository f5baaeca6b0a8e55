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
        Ok(Self { number, size })
    }

    pub fn offset(&self) -> i64 {
        (self.number - 1) * self.size
    }

    /// Builds the envelope; a page past the end (other than page 1 of nothing) is a 404.
    pub fn envelope<T: ToSchema>(&self, base_url: &str, count: i64, results: Vec<T>) -> Result<Paginated<T>, ApiError> {
        let pages = ((count + self.size - 1) / self.size).max(1);
        if self.number > pages {
            return Err(ApiError::not_found());
        }
        let link = |n: i64| format!("{base_url}?page={n}");
        Ok(Paginated {
            count,
            next: (self.number < pages).then(|| link(self.number + 1)),
            previous: (self.number > 1).then(|| link(self.number - 1)),
            results,
        })
    }
}
