//! `ruzshomar serve` for real: a child process serving a copy of the bundled site. The home page
//! is served with the live-reload script; a broken event file turns pages into the error list
//! (while assets are still served); fixing it brings the site back. No fixed sleeps: every wait
//! polls with a deadline.

mod common;

use common::*;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// The server process, killed when the test ends, passes or fails.
struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(root: &Path, logs: &Path) -> Server {
        // A port nobody uses now (the OS's choice), given to the server.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = logs.join("serve.log");
        let out = std::fs::File::create(&log).unwrap();
        let child = ruzshomar()
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(root)
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .expect("ruzshomar serve starts");
        Server { child, port, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// A GET by hand: (status, whole response with headers), or None if nobody answered.
    fn get(&self, path: &str) -> Option<(u16, String)> {
        let address = SocketAddr::from(([127, 0, 0, 1], self.port));
        let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(2)).ok()?;
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .ok()?;
        stream
            .set_write_timeout(Some(Duration::from_secs(5)))
            .ok()?;
        write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAccept: text/html\r\nConnection: close\r\n\r\n", self.port).ok()?;
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).ok()?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let status = text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()?;
        Some((status, text))
    }

    /// Polls `check` until it gives a value, or fails with `what` and the server's output.
    fn wait_for<T>(
        &mut self,
        what: &str,
        timeout: Duration,
        mut check: impl FnMut(&Server) -> Option<T>,
    ) -> T {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(value) = check(self) {
                return value;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "the server exited ({status}) while waiting for {what}; its output:\n{}",
                    self.log()
                );
            }
            if Instant::now() > deadline {
                panic!(
                    "gave up after {timeout:?} waiting for {what}; the server's output:\n{}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// The first event file (by path) with the line `kind: protest`.
fn a_protest(root: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content/events"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .find(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .lines()
                .any(|l| l == "kind: protest")
        })
        .expect("an event of kind protest in the bundled content")
}

#[test]
fn serves_rebuilds_shows_errors_and_recovers() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    std::fs::copy(repo().join("site.toml"), root.join("site.toml")).unwrap();
    for dir in ["content", "data", "themes"] {
        copy_dir(&repo().join(dir), &root.join(dir));
    }
    let logs = tempfile::tempdir().unwrap();
    let mut server = Server::start(root, logs.path());

    // The site, with the live-reload script (an external, same-origin one: the pages'
    // Content-Security-Policy forbids inline scripts).
    let (status, home) = server.wait_for("the server to answer", Duration::from_secs(60), |s| {
        s.get("/")
    });
    assert_eq!(status, 200, "{home}");
    assert!(home.contains("Content-Security-Policy"), "{home}");
    assert!(
        home.contains(r#"<script src="/_ruzshomar/livereload.js""#),
        "no reload script in the home page:\n{home}"
    );
    let (status, script) = server
        .get("/_ruzshomar/livereload.js")
        .expect("the reload script");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"), "{script}");

    // Break an event: every page shows the error, with its place and text, HTML-escaped.
    let event = a_protest(root);
    let relative = event
        .strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/");
    let good = std::fs::read_to_string(&event).unwrap();
    std::fs::write(
        &event,
        good.replace("\nkind: protest\n", "\nkind: protestt\n"),
    )
    .unwrap();
    let error_page = server.wait_for(
        "the error to show in the page",
        Duration::from_secs(30),
        |s| {
            s.get("/")
                .filter(|(status, page)| *status == 500 && page.contains("protestt"))
                .map(|(_, page)| page)
        },
    );
    assert!(
        error_page.contains(&format!("{relative}:")),
        "the error page does not name {relative}:\n{error_page}"
    );
    assert!(
        error_page.contains(r#"<script src="/_ruzshomar/livereload.js""#),
        "{error_page}"
    );
    let (status, _) = server
        .get("/places/index.html")
        .expect("a page while the build is broken");
    assert_eq!(status, 500, "every page shows the errors");
    // The last good site is still on disk, and its assets are still served.
    assert!(root.join("public/index.html").is_file());
    let (status, css) = server
        .get("/style.css")
        .expect("the stylesheet while the build is broken");
    assert_eq!(status, 200, "{css}");
    server.wait_for(
        "the terminal to show the error",
        Duration::from_secs(10),
        |s| {
            let log = s.log();
            (log.contains("protestt")
                && log.contains(&format!("{relative}:"))
                && log.contains("build failed"))
            .then_some(())
        },
    );

    // Fix it: the site comes back.
    std::fs::write(&event, &good).unwrap();
    let home = server.wait_for("the site to come back", Duration::from_secs(30), |s| {
        s.get("/")
            .filter(|(status, _)| *status == 200)
            .map(|(_, page)| page)
    });
    assert!(!home.contains("protestt"), "{home}");
    assert!(
        home.contains(r#"<script src="/_ruzshomar/livereload.js""#),
        "{home}"
    );
    server.wait_for(
        "the terminal to say it rebuilt",
        Duration::from_secs(10),
        |s| s.log().contains("rebuilt in").then_some(()),
    );
}
