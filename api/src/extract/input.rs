//! `Input<T>`: a request body read through the field layer (`crate::fields`).
//!
//! Bodies come as Django REST Framework takes them: JSON, `application/x-www-form-urlencoded`
//! or `multipart/form-data` (a repeated key is a list). An empty body reads as `{}`, so required
//! fields are reported by name. Errors:
//! - malformed JSON → 400 `{"detail": "JSON parse error - ..."}`;
//! - JSON that is not an object → 400 `{"non_field_errors": ["Invalid data. ..."]}`;
//! - fields DRF would refuse → 400 with every field's problems (or the endpoint's own shape,
//!   `FromFields::reject`);
//! - a body over the limit → 413 `{"detail"}`; another content type → 415 `{"detail"}`;
//! - a form posted from a foreign `Origin` to an endpoint that sets the session cookie → 403
//!   (a login form on another site must not sign a visitor in: login CSRF).

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, Multipart, Request};
use axum::http::header::{CONTENT_TYPE, ORIGIN};
use axum::http::{HeaderMap, Method, StatusCode};
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::fields::{Fields, FromFields, Source, kinds, messages};
use crate::messages::Msg;
use crate::state::AppState;

/// A body read into `T` by its `FromFields` rules. PATCH bodies are partial.
#[derive(Debug, Clone, Copy, Default)]
pub struct Input<T>(pub T);

impl<S, T> FromRequest<S> for Input<T>
where
    S: Send + Sync,
    AppState: FromRef<S>,
    T: FromFields,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let partial = request.method() == Method::PATCH;
        // An Origin that is not text is as foreign as any.
        let origin = request.headers().get(ORIGIN).map(|o| o.to_str().unwrap_or("null").to_owned());
        // A body that is not an object is refused in the endpoint's own shape.
        let (values, source) = decode(request, state).await.map_err(|error| match error {
            ApiError::Fields(errors) => T::reject(errors),
            other => other,
        })?;
        if source == Source::Form
            && T::SETS_SESSION
            && let Some(origin) = origin
            && !trusted_origin(&AppState::from_ref(state), &origin)
        {
            return Err(ApiError::detail(StatusCode::FORBIDDEN, Msg::CsrfOriginUntrusted(origin).text()));
        }
        Fields::new(values, source, partial).read().map(Input)
    }
}

/// This site (`PUBLIC_URL`'s scheme, host and port) or an origin allowed by CORS.
fn trusted_origin(state: &AppState, origin: &str) -> bool {
    let origin = origin.trim_end_matches('/');
    std::iter::once(state.config.common.public_url.as_str())
        .chain(state.config.cors_allowed_origins.iter().map(String::as_str))
        .any(|allowed| origin_of(allowed).eq_ignore_ascii_case(origin))
}

/// `scheme://host[:port]` of a URL (what a browser sends as `Origin`).
fn origin_of(url: &str) -> &str {
    let host_start = url.find("://").map_or(0, |i| i + 3);
    url[host_start..].find('/').map_or(url, |end| &url[..host_start + end])
}

/// The body's content type, lower-cased, without parameters (`None` when there is none).
fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(CONTENT_TYPE)?.to_str().unwrap_or_default();
    Some(value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
}

/// Decodes the body into named values.
async fn decode<S>(request: Request, state: &S) -> Result<(Map<String, Value>, Source), ApiError>
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    match media_type(request.headers()).as_deref() {
        None | Some("application/json") => json(&read_bytes(request, state).await?).map(|v| (v, Source::Json)),
        Some(other) if other.ends_with("+json") => json(&read_bytes(request, state).await?).map(|v| (v, Source::Json)),
        Some("application/x-www-form-urlencoded") => {
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_bytes(&read_bytes(request, state).await?).map_err(|_| unreadable())?;
            Ok((form_values(pairs), Source::Form))
        }
        Some("multipart/form-data") => multipart(request, state).await.map(|v| (v, Source::Form)),
        Some(other) => {
            Err(ApiError::detail(StatusCode::UNSUPPORTED_MEDIA_TYPE, messages::unsupported_media_type(other)))
        }
    }
}

async fn read_bytes<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(request, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE { too_large() } else { unreadable() }
    })
}

fn too_large() -> ApiError {
    ApiError::detail(StatusCode::PAYLOAD_TOO_LARGE, Msg::BodyTooLarge.text())
}

pub(super) fn unreadable() -> ApiError {
    ApiError::detail(StatusCode::BAD_REQUEST, Msg::BodyUnreadable.text())
}

/// A JSON body: an object (an empty body reads as `{}`).
fn json(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(ApiError::non_field(messages::not_a_dictionary(kinds::python_type(&other)))),
        Err(error) => Err(ApiError::detail(StatusCode::BAD_REQUEST, format!("JSON parse error - {error}"))),
    }
}

/// Form pairs as values: a key sent once is a string, a repeated key a list of strings.
pub(super) fn form_values(pairs: impl IntoIterator<Item = (String, String)>) -> Map<String, Value> {
    let mut values = Map::new();
    for (key, value) in pairs {
        match values.get_mut(&key) {
            None => {
                values.insert(key, Value::String(value));
            }
            Some(Value::Array(items)) => items.push(Value::String(value)),
            Some(first) => {
                let first = first.take();
                values.insert(key, Value::Array(vec![first, Value::String(value)]));
            }
        }
    }
    values
}

/// A multipart body's text parts (this API takes no files).
async fn multipart<S>(request: Request, state: &S) -> Result<Map<String, Value>, ApiError>
where
    S: Send + Sync,
{
    let mut body = Multipart::from_request(request, state).await.map_err(|_| unreadable())?;
    let mut pairs = Vec::new();
    loop {
        let field = match body.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(_) => return Err(unreadable()),
        };
        let Some(name) = field.name().map(str::to_owned) else { continue };
        if field.file_name().is_some() {
            continue;
        }
        let text = field.text().await.map_err(|_| unreadable())?;
        pairs.push((name, text));
    }
    Ok(form_values(pairs))
}
