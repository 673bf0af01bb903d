//! `ruzshomar serve`: build the site into memory, serve it on 127.0.0.1, and on every change
//! under content/, data/, themes/ and site.toml make again what the change affects and reload
//! the open pages.
//!
//! - The site lives in memory ([`ruzshomar::live::LiveSite`]), never written to disk: an edit
//!   of event files renders only the files that show those events (its page, its day, places,
//!   kind, tags, home, feeds, map data and exports); an edit of anything else builds it all.
//! - A failed build keeps the server running: the diagnostics go to the terminal, and every
//!   page request gets an error page listing them (the last good site's styles and data are
//!   still served). The next good build reloads the pages into the site.

mod http;
mod watch;

use super::RootArg;
use anyhow::Context as _;
use axum::middleware;
use axum::routing::get;
use axum::Router;
use ruzshomar::build::Options;
use ruzshomar::diagnostic::{display_path, Diagnostic};
use ruzshomar::live::{LiveSite, Update};
use ruzshomar::report;
use std::io::IsTerminal;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
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
    /// Include events marked `draft: true`
    #[arg(long)]
    drafts: bool,
}

/// What the builder thread and the request handlers share.
pub struct Shared {
    /// The site as served (`None` until the first build succeeds).
    live: RwLock<Option<LiveSite>>,
    /// The error page while the last build failed.
    error_page: RwLock<Option<Arc<str>>>,
    /// Held during a build, so that Ctrl-C does not stop the process half-way through one.
    building: Mutex<()>,
    stopping: AtomicBool,
}

/// Everything a (re)build needs.
pub struct Builder {
    options: Options,
    shared: Arc<Shared>,
    reloader: Reloader,
    color: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let root = std::fs::canonicalize(&args.root.root)
        .with_context(|| format!("cannot open the site folder {}", args.root.root.display()))?;
    // Bind first: a busy port is reported before any work, and `--port 0` learns its port.
    let address = SocketAddr::new(args.bind, args.port);
    let listener = std::net::TcpListener::bind(address).with_context(|| {
        format!("cannot listen on {address} (is another server using the port? try --port)")
    })?;
    listener.set_nonblocking(true)?;
    let url = url_of(listener.local_addr()?);

    let live = LiveReloadLayer::new()
        .custom_prefix(http::PREFIX)
        // Never inject tower-livereload's inline script: see the http module's documentation.
        .request_predicate(|_: &axum::extract::Request| false);
    let shared = Arc::new(Shared {
        live: RwLock::new(None),
        error_page: RwLock::new(None),
        building: Mutex::new(()),
        stopping: AtomicBool::new(false),
    });
    let builder = Builder {
        options: Options {
            root: root.clone(),
            // Not written: `build` writes a site; `serve` keeps it in memory.
            output: root.join("public"),
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
    // cleanly once the build is done.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let stop = {
        let _entered = runtime.enter();
        stop_signal()?
    };

    // Watch before the first build: a change made while it runs is built next.
    let watcher = watch::Watcher::new(&root, &builder.options.output)?;
    builder.build(&[]);
    std::thread::Builder::new()
        .name("ruzshomar-watch".into())
        .spawn(move || watcher.run(&builder))?;

    let app = Router::new()
        .route(http::RELOAD_JS, get(http::reload_js))
        .fallback(http::site_file)
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            http::dev_pages,
        ))
        .layer(live)
        .with_state(shared.clone());

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
    // Let a build that is under way finish, and start no other.
    shared.stopping.store(true, Ordering::SeqCst);
    let _building = shared.building.lock().unwrap_or_else(|e| e.into_inner());
    served?;
    println!("stopped");
    Ok(ExitCode::SUCCESS)
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
    /// The first build (`changed` empty) or an update after `changed` (absolute paths);
    /// prints one line (after any diagnostics), updates the error page and reloads the open
    /// pages.
    fn build(&self, changed: &[PathBuf]) {
        let _building = self
            .shared
            .building
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if self.shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.build_or_update(changed)
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
                "this is a bug in ruzshomar; the previous site is still served",
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
        match result {
            Ok(update) => {
                for w in &update.warnings {
                    eprintln!("{}", report::human(&self.options.root, w, self.color));
                }
                self.set_error_page(None);
                if changed.is_empty() {
                    println!(
                        "built {} events into {} files in {:.2} s",
                        update.events,
                        update.files,
                        update.elapsed.as_secs_f64()
                    );
                } else {
                    let what = if update.whole {
                        "rebuilt everything".to_string()
                    } else {
                        format!("made {} files again", update.files)
                    };
                    let ms = update.elapsed.as_secs_f64() * 1000.0;
                    println!("{time} {what} in {ms:.0} ms{cause}");
                }
            }
            Err(problems) => {
                for d in &problems {
                    eprintln!("{}", report::human(&self.options.root, d, self.color));
                }
                let errors = problems.iter().filter(|d| d.is_error()).count();
                let page = http::error_page(&self.options.root, &problems, errors);
                self.set_error_page(Some(page.into()));
                eprintln!(
                    "{time} build failed with {}{cause}; the browser shows them until the next good build",
                    report::count(errors, "error")
                );
            }
        }
        self.reloader.reload();
        self.catch_up_search();
    }

    /// Makes the search index again after an update showed its pages: from the site as it is
    /// served (readers are served meanwhile), then swapped in at once.
    fn catch_up_search(&self) {
        let started = std::time::Instant::now();
        let live = self.shared.live.read().unwrap_or_else(|e| e.into_inner());
        let Some(files) = live.as_ref().and_then(LiveSite::search_behind) else {
            return;
        };
        drop(live);
        let mut live = self.shared.live.write().unwrap_or_else(|e| e.into_inner());
        if let Some(site) = live.as_mut() {
            site.set_search(files);
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            println!(
                "{} search index made again in {ms:.0} ms",
                chrono::Local::now().format("%H:%M:%S")
            );
        }
    }

    /// The whole site the first time (or while none is served), else an update.
    fn build_or_update(&self, changed: &[PathBuf]) -> Result<Update, Vec<Diagnostic>> {
        let mut live = self.shared.live.write().unwrap_or_else(|e| e.into_inner());
        match live.as_mut() {
            Some(site) if !changed.is_empty() => {
                let root = &self.options.root;
                let relative: Vec<PathBuf> = (changed.iter())
                    .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf())
                    .collect();
                site.update(&relative)
            }
            _ => {
                let (site, update) = LiveSite::build(&self.options)?;
                *live = Some(site);
                Ok(update)
            }
        }
    }

    fn set_error_page(&self, page: Option<Arc<str>>) {
        *self
            .shared
            .error_page
            .write()
            .unwrap_or_else(|e| e.into_inner()) = page;
    }

    fn relative(&self, path: &Path) -> String {
        display_path(path.strip_prefix(&self.options.root).unwrap_or(path))
    }
}
