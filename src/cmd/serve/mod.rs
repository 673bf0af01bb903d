//! `ruzshomar serve`: build, serve the output on 127.0.0.1, rebuild on every change under
//! content/, data/, themes/ and site.toml, and reload the open pages.
//!
//! - Files are served by tower-http's `ServeDir`, which joins the request path to the output
//!   folder's *path* and opens the file on every request, so the folder that `build` swaps in
//!   whole on each successful build is picked up at once.
//! - Live reload: tower-livereload's layer keeps the browsers' event streams (`/_ruzshomar/event-stream`)
//!   and its `Reloader` tells them to reload after every build. Its own injection is turned off:
//!   it injects an *inline* script, which the pages' Content-Security-Policy (`script-src 'self'`)
//!   blocks. Instead every HTML response gets `<script src="/_ruzshomar/livereload.js">`, a
//!   same-origin script that the policy allows (the event stream is same-origin too:
//!   `connect-src 'self'`).
//! - A failed build keeps the server running: the diagnostics go to the terminal, and every
//!   page request gets an error page listing them (the previous site stays on disk and its CSS,
//!   data and images are still served). The next good build reloads the pages into the site.

use super::RootArg;
use anyhow::Context as _;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache};
use ruzshomar::build::{self, Options};
use ruzshomar::diagnostic::{display_path, Diagnostic};
use ruzshomar::report;
use std::io::IsTerminal;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tower_http::services::{ServeDir, ServeFile};
use tower_livereload::{LiveReloadLayer, Reloader};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    root: RootArg,
    /// The port to listen on (0: any free port)
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// The address to listen on; the default only answers this computer
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    bind: IpAddr,
    /// Where to write the site (default: public/ under the root)
    #[arg(long)]
    output: Option<PathBuf>,
    /// Include events marked `draft: true`
    #[arg(long)]
    drafts: bool,
}

/// The server's own paths, out of the site's way.
const PREFIX: &str = "/_ruzshomar";
const RELOAD_JS: &str = "/_ruzshomar/livereload.js";
const EVENT_STREAM: &str = "/_ruzshomar/event-stream";
/// How long the watcher waits for a burst of changes (an editor's save, a `git checkout`) to end.
const DEBOUNCE: Duration = Duration::from_millis(200);

/// What the builder thread and the request handlers share.
struct Shared {
    /// The error page while the last build failed.
    error_page: RwLock<Option<Arc<str>>>,
    /// Held during a build, so that Ctrl-C does not stop the process half-way through writing.
    building: Mutex<()>,
    stopping: AtomicBool,
}

/// Everything a (re)build needs.
struct Builder {
    options: Options,
    shared: Arc<Shared>,
    reloader: Reloader,
    color: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let root = std::fs::canonicalize(&args.root.root)
        .with_context(|| format!("cannot open the site folder {}", args.root.root.display()))?;
    let output = match &args.output {
        Some(o) => absolute(o)?,
        None => root.join("public"),
    };
    // Bind first: a busy port is reported before any work, and `--port 0` learns its port.
    let address = SocketAddr::new(args.bind, args.port);
    let listener = std::net::TcpListener::bind(address).with_context(|| {
        format!("cannot listen on {address} (is another server using the port? try --port)")
    })?;
    listener.set_nonblocking(true)?;
    let url = url_of(listener.local_addr()?);

    let live = LiveReloadLayer::new()
        .custom_prefix(PREFIX)
        // Never inject tower-livereload's inline script: see the module's documentation.
        .request_predicate(|_: &Request| false);
    let shared = Arc::new(Shared {
        error_page: RwLock::new(None),
        building: Mutex::new(()),
        stopping: AtomicBool::new(false),
    });
    let builder = Builder {
        options: Options {
            root: root.clone(),
            output: output.clone(),
            // Absolute links (the 404 page's, canonical, feeds) point at this server.
            base_url: Some(url.clone()),
            drafts: args.drafts,
            offline_zip: false,
            today: super::today()?,
        },
        shared: shared.clone(),
        reloader: live.reloader(),
        color: std::io::stderr().is_terminal(),
    };

    // Listen for Ctrl-C from now on, so that one during the first build stops the server
    // cleanly once the build has written the site.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let stop = {
        let _entered = runtime.enter();
        stop_signal()?
    };

    // Watch before the first build: a change made while it runs is built next.
    let watcher = Watcher::new(&root, &output)?;
    builder.build(&[]);
    std::thread::Builder::new()
        .name("ruzshomar-watch".into())
        .spawn(move || watcher.run(&builder))?;

    let serve_dir =
        ServeDir::new(&output).not_found_service(ServeFile::new(output.join("404.html")));
    let app = Router::new()
        .route(RELOAD_JS, get(reload_js))
        .fallback_service(serve_dir)
        .layer(middleware::from_fn_with_state(shared.clone(), dev_pages))
        .layer(live);

    println!("serving {url} (Ctrl-C to stop)");
    let served: anyhow::Result<()> = runtime.block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        tokio::select! {
            served = async { axum::serve(listener, app).await } => served.context("the server stopped"),
            () = stop => Ok(()),
        }
    });
    // Open event streams never end by themselves: do not wait for them.
    runtime.shutdown_timeout(Duration::from_millis(500));
    // Let a build that is writing the site finish, and start no other.
    shared.stopping.store(true, Ordering::SeqCst);
    let _building = shared.building.lock().unwrap_or_else(|e| e.into_inner());
    served?;
    println!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// `path` made absolute (against the current folder) without requiring that it exist.
fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    let path = std::path::absolute(path)?;
    // Resolve symbolic links in the part that exists, so that paths reported by the watcher
    // (under the canonical root) compare equal.
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if parent.exists() => {
            Ok(std::fs::canonicalize(parent)?.join(name))
        }
        _ => Ok(path),
    }
}

/// The address to print and to link to; an unspecified bind address (0.0.0.0) is reached at
/// the loopback address.
fn url_of(address: SocketAddr) -> String {
    let ip = match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, address.port()))
}

/// Resolves on Ctrl-C (or SIGTERM). On Unix the handlers are installed by this call, inside a
/// runtime, not when the future is first polled.
#[cfg(unix)]
fn stop_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot handle Ctrl-C")?;
    let mut terminate = signal(SignalKind::terminate()).context("cannot handle SIGTERM")?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

#[cfg(not(unix))]
fn stop_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

impl Builder {
    /// One build; prints one line (after any diagnostics), updates the error page and reloads
    /// the open pages. `changed` lists the files that caused it (empty: the first build).
    fn build(&self, changed: &[PathBuf]) {
        let _building = self
            .shared
            .building
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if self.shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let options = &self.options;
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            build::build(options, &|_| {})
        }))
        .unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown cause".into());
            Err(vec![Diagnostic::error(
                "",
                ruzshomar::diagnostic::Location::START,
                format!("the build crashed: {what}"),
            )
            .with_hint(
                "this is a bug in ruzshomar; the previous site was left as it was",
            )])
        });
        let time = chrono::Local::now().format("%H:%M:%S");
        let cause = match changed {
            [] => String::new(),
            [one] => format!(" ({} changed)", self.relative(one)),
            many => format!(
                " ({} and {} other files changed)",
                self.relative(&many[0]),
                many.len() - 1
            ),
        };
        let first = changed.is_empty();
        match result {
            Ok(report) => {
                for w in &report.warnings {
                    eprintln!("{}", report::human(&options.root, w, self.color));
                }
                *self
                    .shared
                    .error_page
                    .write()
                    .unwrap_or_else(|e| e.into_inner()) = None;
                if first {
                    println!(
                        "built {} events into {} pages ({} files, {:.1} MB) in {:.2} s → {}",
                        report.events,
                        report.pages,
                        report.files,
                        report.bytes as f64 / 1_048_576.0,
                        report.elapsed.as_secs_f64(),
                        options.output.display()
                    );
                } else {
                    println!(
                        "{time} rebuilt in {:.2} s{cause}",
                        report.elapsed.as_secs_f64()
                    );
                }
            }
            Err(problems) => {
                for d in &problems {
                    eprintln!("{}", report::human(&options.root, d, self.color));
                }
                let errors = problems.iter().filter(|d| d.is_error()).count();
                let page = error_page(&options.root, &problems, errors);
                *self
                    .shared
                    .error_page
                    .write()
                    .unwrap_or_else(|e| e.into_inner()) = Some(page.into());
                eprintln!(
                    "{time} build failed with {}{cause}; the browser shows them until the next good build",
                    report::count(errors, "error")
                );
            }
        }
        self.reloader.reload();
    }

    fn relative(&self, path: &Path) -> String {
        display_path(path.strip_prefix(&self.options.root).unwrap_or(path))
    }
}

/// Watches content/, data/, themes/ and site.toml, and rebuilds after each burst of changes.
struct Watcher {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    events: std::sync::mpsc::Receiver<DebounceEventResult>,
    filter: Filter,
    /// The folders under watch, recursively (the others did not exist yet).
    watched: Vec<PathBuf>,
}

const WATCHED_DIRS: [&str; 3] = ["content", "data", "themes"];

impl Watcher {
    fn new(root: &Path, output: &Path) -> anyhow::Result<Watcher> {
        let (sender, events) = std::sync::mpsc::channel();
        let mut debouncer = notify_debouncer_full::new_debouncer(DEBOUNCE, None, sender)
            .context("cannot watch files for changes")?;
        // The root itself, not recursively: site.toml (editors often replace it by renaming
        // another file over it, which a watch on the file itself would miss) and the creation
        // of a folder to watch.
        debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch {}", root.display()))?;
        let mut watcher = Watcher {
            debouncer,
            events,
            filter: Filter::new(root, output),
            watched: Vec::new(),
        };
        watcher.watch_new_dirs();
        Ok(watcher)
    }

    fn watch_new_dirs(&mut self) {
        for name in WATCHED_DIRS {
            let dir = self.filter.root.join(name);
            if !self.watched.contains(&dir) && dir.is_dir() {
                match self.debouncer.watch(&dir, RecursiveMode::Recursive) {
                    Ok(()) => self.watched.push(dir),
                    Err(e) => eprintln!("warning: cannot watch {}: {e}", dir.display()),
                }
            }
        }
        // A watched folder that was removed (its watch is gone) is watched again once back.
        self.watched.retain(|dir| dir.is_dir());
    }

    fn run(mut self, builder: &Builder) {
        while let Ok(first) = self.events.recv() {
            let mut changed = Vec::new();
            self.collect(first, &mut changed);
            // Changes that arrived during the last build: one build for all of them.
            while let Ok(more) = self.events.try_recv() {
                self.collect(more, &mut changed);
            }
            if changed.is_empty() {
                continue;
            }
            changed.sort();
            changed.dedup();
            self.watch_new_dirs();
            builder.build(&changed);
        }
    }

    fn collect(&self, result: DebounceEventResult, changed: &mut Vec<PathBuf>) {
        match result {
            Ok(events) => {
                for event in events {
                    if !relevant_kind(&event.kind) {
                        continue;
                    }
                    changed.extend(
                        event
                            .paths
                            .iter()
                            .filter(|p| self.filter.relevant(p))
                            .cloned(),
                    );
                    if event.need_rescan() {
                        // Events were lost: rebuild to be safe.
                        changed.push(self.filter.root.join("content"));
                    }
                }
            }
            Err(errors) => {
                for e in errors {
                    eprintln!("warning: while watching for changes: {e}");
                }
            }
        }
    }
}

/// Opening and reading files (the build does both) changes nothing.
fn relevant_kind(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

/// Which changed paths call for a rebuild.
struct Filter {
    root: PathBuf,
    site_toml: PathBuf,
    dirs: Vec<PathBuf>,
    output: PathBuf,
    /// The output's parent and the prefix of the staging folders `write` puts there
    /// (`.public.tmp-…`, `.public.old-…`).
    staging: Option<(PathBuf, String)>,
}

impl Filter {
    fn new(root: &Path, output: &Path) -> Filter {
        Filter {
            root: root.to_path_buf(),
            site_toml: root.join("site.toml"),
            dirs: WATCHED_DIRS.iter().map(|d| root.join(d)).collect(),
            output: output.to_path_buf(),
            staging: match (output.parent(), output.file_name()) {
                (Some(parent), Some(name)) => Some((
                    parent.to_path_buf(),
                    format!(".{}.", name.to_string_lossy()),
                )),
                _ => None,
            },
        }
    }

    fn relevant(&self, path: &Path) -> bool {
        if path.starts_with(&self.output) || self.is_staging(path) {
            return false;
        }
        if path
            .file_name()
            .is_some_and(|name| is_editor_temp(&name.to_string_lossy()))
        {
            return false;
        }
        path == self.site_toml || self.dirs.iter().any(|d| path.starts_with(d))
    }

    fn is_staging(&self, path: &Path) -> bool {
        let Some((parent, prefix)) = &self.staging else {
            return false;
        };
        path.strip_prefix(parent)
            .ok()
            .and_then(|rest| rest.components().next())
            .is_some_and(|first| {
                first
                    .as_os_str()
                    .to_string_lossy()
                    .starts_with(prefix.as_str())
            })
    }
}

/// Files editors write beside the one being edited, and hidden files (which the build skips).
fn is_editor_temp(name: &str) -> bool {
    name.starts_with('.') // .#emacs-lock, .file.swp, .DS_Store, .goutputstream-…
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#')) // emacs auto-save
        || [".swp", ".swo", ".swx", ".tmp", ".bak", ".crswap"].iter().any(|ext| name.ends_with(ext))
        || name == "4913" // vim's test of whether it may write the folder
}

/// The middleware for pages: while the last build failed, pages are the error page; otherwise
/// HTML gets the live-reload script. Nothing is cached without asking.
async fn dev_pages(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
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

async fn reload_js() -> Response {
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
fn error_page(root: &Path, problems: &[Diagnostic], errors: usize) -> String {
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
    fn editor_temp_files_are_ignored() {
        for name in [
            "a.yaml~",
            ".#a.yaml",
            "#a.yaml#",
            ".a.yaml.swp",
            "a.tmp",
            "4913",
            ".DS_Store",
        ] {
            assert!(is_editor_temp(name), "{name}");
        }
        for name in [
            "2026-01-03-rally.yaml",
            "base.html",
            "site.toml",
            "style.css",
        ] {
            assert!(!is_editor_temp(name), "{name}");
        }
    }

    #[test]
    fn only_sources_trigger_a_build() {
        let filter = Filter::new(Path::new("/site"), Path::new("/site/public"));
        assert!(filter.relevant(Path::new("/site/site.toml")));
        assert!(filter.relevant(Path::new("/site/content/events/2026/01/a.yaml")));
        assert!(filter.relevant(Path::new("/site/themes/default/templates/base.html")));
        assert!(filter.relevant(Path::new("/site/data")));
        assert!(!filter.relevant(Path::new("/site/public/index.html")));
        assert!(!filter.relevant(Path::new("/site/.public.tmp-12/index.html")));
        assert!(!filter.relevant(Path::new("/site/README.md")));
        assert!(!filter.relevant(Path::new("/site/content/events/2026/01/.a.yaml.swp")));
        // An output inside a watched folder is still ignored.
        let inside = Filter::new(Path::new("/site"), Path::new("/site/content/out"));
        assert!(!inside.relevant(Path::new("/site/content/out/index.html")));
        assert!(!inside.relevant(Path::new("/site/content/.out.old-3/index.html")));
        assert!(inside.relevant(Path::new("/site/content/events/a.yaml")));
    }

    #[test]
    fn reads_are_not_changes() {
        assert!(!relevant_kind(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!relevant_kind(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(relevant_kind(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(relevant_kind(&EventKind::Modify(ModifyKind::Any)));
    }

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
