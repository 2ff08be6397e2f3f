//! The HTTP side of `sitrep serve`: the output folder as a website, with the live-reload
//! script added to HTML responses on the way out (the files themselves stay exactly what
//! `sitrep build` writes).
//!
//! Requests first pass [`guard::check`] (Host, method, the socket's Origin). Paths are
//! checked before anything is read: percent-decoded, no `.` or `..` segments, no
//! backslashes or NUL bytes, and the resolved file (symlinks followed) must lie inside the
//! output folder. Missing files get the site's `404.html` with status 404. Non-HTML files
//! go through tower-http's `ServeFile` (content type, ranges, conditional requests).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::ServerState;
use super::guard::{self, Hosts};
use super::live;
use crate::escape::escape_html;

/// The router: serve's own files under [`live::PREFIX`], the site everywhere else; every
/// request passes [`guard::check`] first.
pub fn router(shared: Arc<ServerState>, hosts: Hosts) -> Router {
    Router::new()
        .route(live::SCRIPT_URL, get(script))
        .route(live::SOCKET_URL, get(live::socket))
        .fallback(site_file)
        .layer(middleware::from_fn_with_state(hosts, guard::check))
        .with_state(shared)
}

async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        live::SCRIPT,
    )
        .into_response()
}

/// A request path as a file path relative to the output folder: `None` when it tries to
/// leave the folder or is not valid UTF-8. Folders map to their `index.html`.
pub fn relative_path(uri_path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(uri_path)
        .decode_utf8()
        .ok()?;
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        if part == "." || part == ".." || part.contains(['\\', '\0']) {
            return None;
        }
        if !part.is_empty() {
            parts.push(part);
        }
    }
    let mut rel = parts.join("/");
    if decoded.ends_with('/') || rel.is_empty() {
        if !rel.is_empty() {
            rel.push('/');
        }
        rel.push_str("index.html");
    }
    Some(rel)
}

async fn site_file(State(shared): State<Arc<ServerState>>, request: Request) -> Response {
    let Some(rel) = relative_path(request.uri().path()) else {
        return (
            StatusCode::BAD_REQUEST,
            "bad request: the path leaves the site",
        )
            .into_response();
    };
    // Read the generation before the file, so a page never claims a newer build than it is.
    let generation = shared.current().0;
    let out = shared.out();
    let Some(file) = resolve(&out, &rel).await else {
        return not_found(&out, generation).await;
    };
    let mut response = if rel.ends_with(".html") {
        match tokio::fs::read(&file).await {
            Ok(bytes) => html_response(StatusCode::OK, &bytes, &rel, generation),
            Err(_) => return not_found(&out, generation).await,
        }
    } else {
        match ServeFile::new(&file).oneshot(request).await {
            Ok(response) => response.map(Body::new),
            Err(err) => (StatusCode::INTERNAL_SERVER_ERROR, err.to_string()).into_response(),
        }
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The file for `rel` inside `out`, if it exists, is a regular file and, symlinks
/// followed, still lies inside `out`.
async fn resolve(out: &Path, rel: &str) -> Option<PathBuf> {
    let root = tokio::fs::canonicalize(out).await.ok()?;
    let file = tokio::fs::canonicalize(out.join(rel)).await.ok()?;
    if !file.starts_with(&root) {
        return None;
    }
    let meta = tokio::fs::metadata(&file).await.ok()?;
    meta.is_file().then_some(file)
}

/// The site's `404.html` (or a minimal page when the site has none yet) with status 404.
async fn not_found(out: &Path, generation: u64) -> Response {
    let page = match resolve(out, "404.html").await {
        Some(file) => tokio::fs::read(file).await.ok(),
        None => None,
    };
    let bytes = page.unwrap_or_else(|| {
        b"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1><p>This page does not exist (or the site has not built yet).</p></body></html>\n".to_vec()
    });
    html_response(StatusCode::NOT_FOUND, &bytes, "404.html", generation)
}

fn html_response(status: StatusCode, bytes: &[u8], page: &str, generation: u64) -> Response {
    let body = inject(bytes, page, generation);
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // The injected generation changes without the file changing: never reuse a copy.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Adds the live-reload script before the last `</body>` (or at the end).
pub fn inject(html: &[u8], page: &str, generation: u64) -> Vec<u8> {
    let tag = format!(
        "<script src=\"{}\" data-page=\"{}\" data-generation=\"{generation}\"></script>",
        live::SCRIPT_URL,
        escape_html(page)
    );
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_output() {
        assert_eq!(relative_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            relative_path("/incidents/a.html").as_deref(),
            Some("incidents/a.html")
        );
        assert_eq!(relative_path("/data/").as_deref(), Some("data/index.html"));
        assert_eq!(relative_path("/a%20b.html").as_deref(), Some("a b.html"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2fetc/passwd",
            "/a/../../b",
            "/..%5cwindows",
            "/a%00.html",
            "/./index.html",
            "/%ff",
        ] {
            assert_eq!(relative_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn script_goes_before_the_body_end() {
        let out = inject(b"<html><body><p>x</p></body></html>", "a.html", 7);
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.ends_with("data-generation=\"7\"></script></body></html>"),
            "{text}"
        );
        let out = inject(b"no body", "a.html", 1);
        assert!(
            String::from_utf8(out)
                .unwrap()
                .starts_with("no body<script")
        );
    }
}
