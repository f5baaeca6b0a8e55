//! `ApiJson<T>`: a JSON body whose errors come out in the shapes clients expect.
//!
//! - malformed JSON → 400 `{"detail": "JSON parse error - ..."}`;
//! - valid JSON of the wrong shape → 400 `{"<field>": ["..."]}` (the field found by
//!   `serde_path_to_error`; a missing field reads "This field is required.");
//! - a body over the limit → 413 `{"detail"}`; a non-JSON content type → 415 `{"detail"}`.
//!
//! An empty body reads as `{}`, so required fields are reported by name.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::i18n::t;

#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(content_type) = request.headers().get(CONTENT_TYPE) {
            let content_type = content_type.to_str().unwrap_or_default().to_ascii_lowercase();
            if !(content_type.starts_with("application/json") || content_type.contains("+json")) {
                return Err(ApiError::detail(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    t(
                        "지원하지 않는 미디어 타입입니다. application/json을 사용하세요.",
                        "Unsupported media type; send application/json.",
                    ),
                ));
            }
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::detail(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    t("요청 본문이 너무 큽니다.", "Request body is too large."),
                )
            } else {
                ApiError::detail(
                    StatusCode::BAD_REQUEST,
                    t("요청 본문을 읽을 수 없습니다.", "Could not read the request body."),
                )
            }
        })?;
        parse(if bytes.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &bytes }).map(ApiJson)
    }
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Every request body is an object; serde would otherwise accept a list for a struct.
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| syntax_error(&e))?;
    if !value.is_object() {
        return Err(ApiError::non_field(t(
            "올바르지 않은 데이터입니다. 객체(딕셔너리)가 필요합니다.",
            "Invalid data. Expected a dictionary (JSON object).",
        )));
    }
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        shape_error(&path, &error.into_inner())
    })
}

fn syntax_error(error: &serde_json::Error) -> ApiError {
    ApiError::detail(StatusCode::BAD_REQUEST, format!("JSON parse error - {error}"))
}

fn shape_error(path: &str, error: &serde_json::Error) -> ApiError {
    if error.is_syntax() || error.is_eof() {
        return syntax_error(error);
    }
    let message = error.to_string();
    if let Some(field) = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
        let field = if path == "." { field.to_owned() } else { format!("{path}.{field}") };
        return ApiError::field(&field, t("이 필드는 필수 항목입니다.", "This field is required."));
    }
    let field = if path == "." { "non_field_errors" } else { path };
    // serde's wording ("invalid type: string \"x\", expected i32 at line 1 column 9") without
    // the position, which means nothing to a form.
    let message = message.split(" at line ").next().unwrap_or(&message);
    ApiError::field(field, t(&format!("올바르지 않은 값입니다: {message}"), &format!("Invalid value: {message}")))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Login {
        email: String,
        weekly_goal: Option<i32>,
    }

    fn body(err: ApiError) -> String {
        match err {
            ApiError::Fields(f) => format!("fields {f:?}"),
            ApiError::Detail { message, status, .. } => format!("detail {status} {message}"),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn malformed_json_is_a_detail_error() {
        assert!(body(parse::<Login>(b"{\"email\":").expect_err("bad")).starts_with("detail 400"));
        assert!(body(parse::<Login>(br#"{"email":"a"} trailing"#).expect_err("bad")).starts_with("detail 400"));
    }

    #[test]
    fn wrong_types_name_the_field() {
        let err = body(parse::<Login>(br#"{"email":"a@b.c","weekly_goal":"many"}"#).expect_err("bad"));
        assert!(err.contains("weekly_goal"), "{err}");
    }

    #[test]
    fn missing_fields_are_required_errors() {
        let err = body(parse::<Login>(b"{}").expect_err("bad"));
        assert!(err.contains("\"email\""), "{err}");
    }

    #[test]
    fn a_non_object_is_a_non_field_error() {
        let err = body(parse::<Login>(b"[1,2]").expect_err("bad"));
        assert!(err.contains("non_field_errors"), "{err}");
    }
}
