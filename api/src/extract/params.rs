//! Values from the URL: a path id and query parameters, read with the same field rules as
//! bodies and refused in JSON (never the framework's plain-text rejections, which echo input).

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

use super::input::form_values;
use crate::error::ApiError;
use crate::fields::{Fields, FromFields, Source};

/// A numeric id from the path. Anything else names nothing: 404 `{"detail": "Not found."}`,
/// as Django REST Framework answers a lookup of the wrong type.
#[derive(Debug, Clone, Copy)]
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state).await.map_err(|_| ApiError::not_found())?;
        raw.trim().parse().map(Id).map_err(|_| ApiError::not_found())
    }
}

/// Query parameters read into `T` by its `FromFields` rules (a repeated key is a list).
#[derive(Debug, Clone, Copy, Default)]
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: FromFields> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).map_err(|_| super::input::unreadable())?;
        Fields::new(form_values(pairs), Source::Form, false).read().map(Params)
    }
}
