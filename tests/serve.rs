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
    let site = bundled_site();
    let root = site.path();
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
    // The last good site's assets are still served (from memory: serve writes nothing).
    assert!(
        !root.join("public").exists(),
        "serve wrote the site to disk"
    );
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
        |s| s.log().contains("files again in").then_some(()),
    );
}

/// The build a served file comes from (`X-Ruzshomar-Generation`), and its body.
fn served(server: &Server, path: &str) -> (u64, String) {
    let (status, response) = server
        .get(path)
        .unwrap_or_else(|| panic!("no answer for {path}"));
    assert_eq!(status, 200, "{path}: {response}");
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let generation = (head.lines())
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("x-ruzshomar-generation: ")
                .map(str::to_string)
        })
        .unwrap_or_else(|| panic!("{path}: no generation in\n{head}"));
    (generation.trim().parse().unwrap(), body.to_string())
}

/// Whether the English search index served has `word` (its shards, `search/words/<n>.js`,
/// hold `word:postings` entries).
fn indexes_word(server: &Server, word: &str) -> bool {
    (0..)
        .map_while(|n| match server.get(&format!("/search/words/{n}.js")) {
            Some((200, shard)) => Some(shard),
            _ => None,
        })
        .any(|shard| shard.contains(&format!(" {word}:")) || shard.contains(&format!("\"{word}:")))
}

/// The first event of `root`'s content whose file has `line`, and the file.
fn event_with(root: &Path, line: &str) -> (String, PathBuf) {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content/events"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let file = (files.into_iter())
        .find(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .lines()
                .any(|l| l == line)
        })
        .unwrap_or_else(|| panic!("no event with `{line}`"));
    let id = file.file_stem().unwrap().to_string_lossy().into_owned();
    (id, file)
}

/// Replaces the line starting with `field: ` in `file` by `field: value`.
fn set_field(file: &Path, field: &str, value: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    let prefix = format!("{field}: ");
    let edited: Vec<String> = (text.lines())
        .map(|l| match l.starts_with(&prefix) {
            true => format!("{prefix}{value}"),
            false => l.to_string(),
        })
        .collect();
    std::fs::write(file, edited.join("\n") + "\n").unwrap();
}

/// An edit of an event makes again the pages that show it and leaves the others as they
/// were; an edit of a template or of the gazetteer makes the whole site again. (What is
/// measured is which files are made, not how long it takes: the benchmark times it.)
#[test]
fn edits_make_again_what_they_change_and_nothing_else() {
    let site = bundled_site();
    let root = site.path();
    let logs = tempfile::tempdir().unwrap();
    let mut server = Server::start(root, logs.path());
    server.wait_for("the server to answer", Duration::from_secs(60), |s| {
        s.get("/")
    });

    // An event in Lordegan, and a page that has nothing to do with it (Mahabad's).
    let (id, file) = event_with(root, "city: lordegan");
    let event_page = format!("/events/{id}/index.html");
    let unrelated = "/cities/mahabad/index.html";
    let (g0, unrelated_before) = served(&server, unrelated);
    let (day_g0, _) = served(&server, "/days/2026-01-07/index.html");
    assert!(!indexes_word(&server, "edited"));
    set_field(&file, "title", "Clashes in Lordegan, as edited");
    let (g1, page) = server.wait_for("the edited title", Duration::from_secs(30), |s| {
        let (g, page) = served(s, &event_page);
        page.contains("Clashes in Lordegan, as edited")
            .then_some((g, page))
    });
    assert!(g1 > g0, "{page}");
    let (g, city) = served(&server, "/cities/lordegan/index.html");
    assert!(
        g == g1 && city.contains("Clashes in Lordegan, as edited"),
        "{city}"
    );
    let (g, day) = served(&server, "/days/2026-01-07/index.html");
    assert!(g == g1 && g > day_g0 && day.contains("as edited"), "{day}");
    let (g, home) = served(&server, "/index.html");
    assert_eq!(g, g1, "the home page sums up the site: {home}");
    let (g, unrelated_after) = served(&server, unrelated);
    assert_eq!(g, g0, "{unrelated} was made again for an event elsewhere");
    assert_eq!(unrelated_after, unrelated_before);
    // The site feed: the page with the event is made again, an archive without it is not.
    let (g, feed) = served(&server, "/feed.xml");
    assert!(g == g1 && feed.contains("as edited"), "{feed}");
    let (g, archive) = served(&server, "/feeds/1.xml");
    assert!(
        !archive.contains(&id),
        "the first archive holds the oldest events"
    );
    assert_eq!(g, g0, "an archive without the edited event was made again");
    server.wait_for("the log", Duration::from_secs(10), |s| {
        s.log().contains("files again in").then_some(())
    });
    // The search index follows, made after the pages.
    server.wait_for("the search index", Duration::from_secs(30), |s| {
        indexes_word(s, "edited").then_some(())
    });

    // The second event of a busy day.
    let day = "/days/2026-01-07/index.html";
    let (_, page) = served(&server, day);
    let link = "href=\"../../events/";
    let second = (page.match_indices(link))
        .nth(1)
        .map(|(i, _)| &page[i + link.len()..])
        .and_then(|rest| rest.split('/').next())
        .expect("two events on the day")
        .to_string();
    let second_file = walkdir::WalkDir::new(root.join("content/events"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .find(|p| p.file_stem().is_some_and(|s| s.to_string_lossy() == second))
        .unwrap();
    set_field(&second_file, "title", "The second event of the day, edited");
    server.wait_for("the day to show the edit", Duration::from_secs(30), |s| {
        served(s, day)
            .1
            .contains("The second event of the day, edited")
            .then_some(())
    });

    // A template: every page is made again.
    let base = root.join("themes/default/templates/base.html");
    let text = std::fs::read_to_string(&base).unwrap();
    std::fs::write(
        &base,
        text.replace(
            "<footer class=\"site-footer\">",
            "<footer class=\"site-footer\"><p>Template edited</p>",
        ),
    )
    .unwrap();
    let (g2, _) = server.wait_for("the template's edit", Duration::from_secs(60), |s| {
        let (g, page) = served(s, unrelated);
        page.contains("Template edited").then_some((g, page))
    });
    assert!(g2 > g0);

    // The gazetteer: the city's new name is everywhere.
    let cities = root.join("data/gazetteer/cities.yaml");
    let text = std::fs::read_to_string(&cities).unwrap();
    std::fs::write(
        &cities,
        text.replace("name: Lordegan\n", "name: Lordegan Town\n"),
    )
    .unwrap();
    server.wait_for("the gazetteer's edit", Duration::from_secs(60), |s| {
        served(s, "/cities/lordegan/index.html")
            .1
            .contains("Lordegan Town")
            .then_some(())
    });
}

/// The site `serve` holds after a series of edits is the site a whole build makes of the same
/// files: every file the same, none missing, none left over. The edits cover what moves events
/// between pages: a new title, another day and year, another city, a Persian text removed, an
/// event deleted and one added.
#[test]
fn updates_give_the_site_a_whole_build_gives() {
    use ruzshomar::live::LiveSite;
    let site = bundled_site();
    let root = site.path();
    let options = ruzshomar::build::Options {
        root: root.to_path_buf(),
        output: root.join("public"),
        base_url: None,
        drafts: false,
        offline_zip: false,
        today: today(),
    };
    let (mut live, _) = LiveSite::build(&options).unwrap_or_else(|e| panic!("{e:#?}"));
    let (_, lordegan) = event_with(root, "city: lordegan");
    let (_, other) = event_with(root, "city: mahabad");
    let relative = |p: &Path| p.strip_prefix(root).unwrap().to_path_buf();
    let added = root.join("content/events/2026/01/2026-01-09-added-in-serve.yaml");
    let moved = root.join("content/events/2022/10/2022-10-02-lordegan-moved.yaml");
    type Edit<'a> = Box<dyn Fn() -> Vec<PathBuf> + 'a>;
    let edits: Vec<(&str, Edit)> = vec![
        (
            "a new title",
            Box::new(|| {
                set_field(&lordegan, "title", "Clashes in Lordegan, edited");
                vec![relative(&lordegan)]
            }),
        ),
        (
            "another city",
            Box::new(|| {
                set_field(&lordegan, "city", "tehran");
                vec![relative(&lordegan)]
            }),
        ),
        (
            "another day and year (the file moved)",
            Box::new(|| {
                set_field(&lordegan, "date", "2022-10-02");
                std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
                std::fs::rename(&lordegan, &moved).unwrap();
                vec![relative(&lordegan), relative(&moved)]
            }),
        ),
        (
            "no Persian text",
            Box::new(|| {
                remove_block(&other, "translations:");
                vec![relative(&other)]
            }),
        ),
        (
            "an event deleted",
            Box::new(|| {
                std::fs::remove_file(&other).unwrap();
                vec![relative(&other)]
            }),
        ),
        (
            "an event added",
            Box::new(|| {
                let event = valid_event("Added while serving", "2026-01-09", "zahedan");
                write(
                    root,
                    "content/events/2026/01/2026-01-09-added-in-serve.yaml",
                    event,
                );
                vec![relative(&added)]
            }),
        ),
    ];
    for (what, edit) in &edits {
        let changed = edit();
        let update = live
            .update(&changed)
            .unwrap_or_else(|e| panic!("{what}: {e:#?}"));
        assert!(!update.whole, "{what}: the whole site was made again");
        if let Some(index) = live.search_behind() {
            live.set_search(index);
        }
        let (whole, _) = LiveSite::build(&options).unwrap_or_else(|e| panic!("{what}: {e:#?}"));
        let mut paths: Vec<&str> = live.paths().collect();
        paths.sort();
        let mut expected: Vec<&str> = whole.paths().collect();
        expected.sort();
        let missing: Vec<_> = expected.iter().filter(|p| live.get(p).is_none()).collect();
        let extra: Vec<_> = paths.iter().filter(|p| whole.get(p).is_none()).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{what}: missing {missing:?}, left over {extra:?}"
        );
        let differ: Vec<_> = (expected.iter())
            .filter(|p| live.get(p).unwrap().bytes != whole.get(p).unwrap().bytes)
            .collect();
        assert!(
            differ.is_empty(),
            "{what}: {} files differ from a whole build: {:?}",
            differ.len(),
            &differ[..differ.len().min(20)]
        );
    }
}

/// Removes from `file` the top-level key `key` and every indented line under it.
fn remove_block(file: &Path, key: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    let mut inside = false;
    let kept: String = (text.split_inclusive('\n'))
        .filter(|line| {
            if line.starts_with(key) {
                inside = true;
            } else if !line.starts_with(' ') && !line.trim().is_empty() {
                inside = false;
            }
            !inside
        })
        .collect();
    assert_ne!(kept, text, "{} has no {key}", file.display());
    std::fs::write(file, kept).unwrap();
}
