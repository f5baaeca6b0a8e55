//! The language of the current request.
//!
//! A middleware reads `Accept-Language` once and runs the rest of the request inside a task-local
//! scope, so any message built while handling it, including error bodies made far from the
//! handler, comes out in the caller's language. Korean is the default.

use axum::extract::Request;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::middleware::Next;
use axum::response::Response;
use resee_core::i18n::Language;

tokio::task_local! {
    static LANG: Language;
}

/// The language of the request being handled (Korean outside a request).
pub fn current() -> Language {
    LANG.try_with(|lang| *lang).unwrap_or_default()
}

/// Middleware: runs the request with the language of its `Accept-Language` header.
pub async fn scope(request: Request, next: Next) -> Response {
    let lang = request
        .headers()
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Language::Ko, Language::from_accept_language);
    LANG.scope(lang, next.run(request)).await
}
