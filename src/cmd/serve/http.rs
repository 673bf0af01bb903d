//! The server's side of `serve`: the site's files from memory (with the live-reload script in
//! every page), the error page while the last build failed, and the reload script itself.
//!
//! Live reload: tower-livereload's layer keeps the browsers' event streams
//! (`/_ruzshomar/event-stream`) and its `Reloader` tells them to reload after every build. Its
//! own injection is turned off: it injects an *inline* script, which the pages'
//! Content-Security-Policy (`default-src 'self'`) blocks. Instead every HTML response gets
//! `<script src="/_ruzshomar/livereload.js">`, a same-origin script that the policy allows
//! (the event stream is same-origin too).

use super::Shared;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ruzshomar::diagnostic::{display_path, Diagnostic};
use ruzshomar::report;
use std::path::Path;
use std::sync::Arc;

/// The server's own paths, out of the site's way.
pub const PREFIX: &str = "/_ruzshomar";
pub const RELOAD_JS: &str = "/_ruzshomar/livereload.js";
const EVENT_STREAM: &str = "/_ruzshomar/event-stream";

/// A file of the site, from memory: `dir/` is `dir/index.html`, `dir` is sent on to `dir/`,
/// anything else missing is the site's 404 page. Each response says which build made the
/// file (`X-Ruzshomar-Generation`: 0 for the first, then one more per update).
pub async fn site_file(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let raw = request.uri().path().trim_start_matches('/');
    let path = percent_decode(raw);
    let live = shared.live.read().unwrap_or_else(|e| e.into_inner());
    let Some(live) = live.as_ref() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "the site is being built").into_response();
    };
    let wanted = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.clone()
    };
    if let Some(file) = live.get(&wanted) {
        return file_response(StatusCode::OK, &wanted, file);
    }
    if live.get(&format!("{path}/index.html")).is_some() {
        let to = format!("/{raw}/");
        return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response();
    }
    match live.get("404.html") {
        Some(file) => file_response(StatusCode::NOT_FOUND, "404.html", file),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn file_response(status: StatusCode, path: &str, file: &ruzshomar::live::Served) -> Response {
    let mut response = (status, Body::from(file.bytes.to_vec())).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    headers.insert("x-ruzshomar-generation", HeaderValue::from(file.generation));
    response
}

/// The type of a file of the site, by its name.
fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "txt" => "text/plain; charset=utf-8",
        "gz" => "application/gzip",
        "zip" => "application/zip",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

/// `%20` and other escapes of a URL path, as the file names they stand for.
fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The middleware for pages: while the last build failed, pages are the error page; otherwise
/// HTML gets the live-reload script. Nothing is cached without asking.
pub async fn dev_pages(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let error_page = shared
        .error_page
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let readable = request.method() == Method::GET || request.method() == Method::HEAD;
    let head = request.method() == Method::HEAD;
    if let Some(page) = &error_page {
        if readable && looks_like_page(request.uri().path()) {
            return error_response(page);
        }
    }
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html || head || !matches!(response.status(), StatusCode::OK | StatusCode::NOT_FOUND) {
        return response;
    }
    if let Some(page) = &error_page {
        return error_response(page);
    }
    inject_reload_script(response).await
}

/// A path that names a page rather than a stylesheet, an image or a data file.
fn looks_like_page(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    last.is_empty() || last.ends_with(".html") || !last.contains('.')
}

fn error_response(page: &str) -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page.to_owned(),
    )
        .into_response()
}

fn reload_script_tag() -> String {
    format!(r#"<script src="{RELOAD_JS}" data-event-stream="{EVENT_STREAM}"></script>"#)
}

async fn inject_reload_script(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, 256 << 20).await {
        Ok(bytes) => bytes,
        Err(e) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("cannot read the page: {e}"),
            )
                .into_response()
        }
    };
    let tag = reload_script_tag();
    let at = bytes
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(bytes.len());
    let mut html = Vec::with_capacity(bytes.len() + tag.len());
    html.extend_from_slice(&bytes[..at]);
    html.extend_from_slice(tag.as_bytes());
    html.extend_from_slice(&bytes[at..]);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(html))
}

/// The browser side of live reload: listens to the event stream and reloads the page when told
/// to, or when the stream comes back after the server was away.
const RELOAD_JS_SOURCE: &str = include_str!("livereload.js");

pub async fn reload_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        RELOAD_JS_SOURCE,
    )
        .into_response()
}

/// A problem as the error page lists it.
#[derive(serde::Serialize)]
struct Shown {
    level: &'static str,
    file: String,
    line: usize,
    column: usize,
    message: String,
    hint: Option<String>,
    /// The problem as the terminal shows it, with the offending line.
    shown: String,
}

/// The page every page request gets while the last build failed. A template of its own, not
/// the theme's: the theme may be what is broken.
pub fn error_page(root: &Path, problems: &[Diagnostic], errors: usize) -> String {
    let shown: Vec<Shown> = (problems.iter())
        .map(|d| Shown {
            level: if d.is_error() { "error" } else { "warning" },
            file: display_path(&d.file),
            line: d.line(),
            column: d.column(),
            message: d.message.clone(),
            hint: d.hint.clone(),
            shown: report::human(root, d, false),
        })
        .collect();
    let mut cx = tera::Context::new();
    cx.insert("errors", &errors);
    cx.insert("problems", &shown);
    cx.insert("reload_js", RELOAD_JS);
    cx.insert("event_stream", EVENT_STREAM);
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html"]);
    tera.add_raw_template("error.html", include_str!("error.html"))
        .and_then(|()| tera.render("error.html", &cx))
        .expect("the built-in error page renders")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_told_from_assets() {
        assert!(looks_like_page("/"));
        assert!(looks_like_page("/fa/index.html"));
        assert!(looks_like_page("/places"));
        assert!(!looks_like_page("/style.css"));
        assert!(!looks_like_page("/events.geojson"));
    }

    #[test]
    fn the_error_page_escapes_what_it_shows() {
        let d = Diagnostic::error(
            "content/<x>.yaml",
            ruzshomar::diagnostic::Location::new(4, 7, 3),
            "no kind `<script>`",
        )
        .with_hint("use \"protest\" & co");
        let page = error_page(Path::new("/nonexistent"), &[d], 1);
        assert!(page.contains("content/&lt;x&gt;.yaml:4:7"));
        assert!(page.contains("no kind `&lt;script&gt;`"));
        assert!(page.contains("use &quot;protest&quot; &amp; co"));
        assert!(!page.contains("<script>`"));
        assert!(page.contains(r#"<script src="/_ruzshomar/livereload.js""#));
    }
}
