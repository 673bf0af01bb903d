//! Serve benchmark: what a contributor waits for between saving an event file and seeing the
//! page. A generated site of N events (10,000 by default) is built into memory as `serve`
//! builds it ([`LiveSite`]); then one event is edited several times (its title, then its
//! summary, then back; the generated files' style), each edit followed by the update `serve` runs, and then the search
//! index that `serve` makes after the pages are shown.
//!
//! ```sh
//! cargo bench --bench serve                               # 10,000 events
//! RUZSHOMAR_BENCH_EVENTS=50000 cargo bench --bench serve
//! ```
//!
//! Prints each edit's update time and files made, then the median. Then the same from outside,
//! as a contributor sees it: `ruzshomar serve` runs on the site, the event's file is saved and
//! its page fetched every 5 ms until it shows the edit (the watcher's wait for the end of a
//! burst of saves included). The goal: an edit shows in ≤ 300 ms at 10,000 events (the search
//! index may follow a moment later).
//!
//! `cargo test --all-targets` runs this file without `--bench`: two edits of a 300-event site,
//! each way.

// The allocator the `ruzshomar` command uses (src/main.rs), so that these in-process
// measurements are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod generate;

use ruzshomar::build::Options;
use ruzshomar::live::LiveSite;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const EDITS: usize = 7;

fn main() {
    let benching = std::env::args().skip(1).any(|a| a == "--bench");
    let events: usize = generate::count_from_env(
        "RUZSHOMAR_BENCH_EVENTS",
        if benching { 10_000 } else { 300 },
    );
    let site = generate::generate(events, &generate::refs(), None);
    let root = site.path();
    let options = Options {
        root: root.to_path_buf(),
        output: root.join("public"),
        base_url: None,
        drafts: false,
        offline_zip: false,
        today: generate::today(),
    };
    let started = Instant::now();
    let (mut live, built) = LiveSite::build(&options).unwrap_or_else(|e| panic!("{e:#?}"));
    println!(
        "ruzshomar serve benchmark: {events} events built into memory ({} files) in {:.2} s, {} threads",
        built.files,
        started.elapsed().as_secs_f64(),
        rayon::current_num_threads()
    );
    let file = edited_file(root);
    let original = std::fs::read_to_string(root.join(&file)).unwrap();
    let edits = if benching { EDITS } else { 2 };
    let mut updates = Vec::new();
    let mut searches = Vec::new();
    for n in 0..edits {
        let text = match n % 3 {
            0 => original.replacen("title: \"", &format!("title: \"Edit {n}, "), 1),
            1 => original.replacen("summary: |\n  ", &format!("summary: |\n  Edit {n}. "), 1),
            _ => original.clone(),
        };
        std::fs::write(root.join(&file), text).unwrap();
        let update = live
            .update(std::slice::from_ref(&file))
            .unwrap_or_else(|e| panic!("{e:#?}"));
        assert!(!update.whole, "an event's edit made the whole site again");
        let started = Instant::now();
        let index = live.search_behind().expect("the search index to catch up");
        live.set_search(index);
        let search = started.elapsed();
        println!(
            "  edit {}: {:>6.0} ms for {} files; search index {:>6.0} ms",
            n + 1,
            ms(update.elapsed),
            update.files,
            ms(search)
        );
        updates.push(update.elapsed);
        searches.push(search);
    }
    println!(
        "median: {:.0} ms from the edit to its pages, then {:.0} ms for the search index",
        ms(median(&mut updates)),
        ms(median(&mut searches))
    );
    std::fs::write(root.join(&file), &original).unwrap();
    drop(live);
    let mut shown = through_serve(root, &file, &original, edits + 2);
    println!(
        "through `ruzshomar serve`: {} ms from saving the file to its page showing the edit; median {:.0} ms",
        (shown.iter().map(|d| format!("{:.0}", ms(*d))))
            .collect::<Vec<_>>()
            .join(", "),
        ms(median(&mut shown))
    );
}

/// Runs `ruzshomar serve` on the site and saves `file` `edits` times (a new title each time),
/// timing each save until the event's page shows it.
fn through_serve(root: &Path, file: &Path, original: &str, edits: usize) -> Vec<Duration> {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_ruzshomar"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(root)
        .env("RUZSHOMAR_TODAY", generate::today().to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("ruzshomar serve starts");
    let id = file.file_stem().unwrap().to_string_lossy().into_owned();
    let page = format!("/events/{id}/index.html");
    let shows = |text: &str| get(port, &page).is_some_and(|body| body.contains(text));
    let deadline = Instant::now() + Duration::from_secs(600);
    while !shows("</html>") {
        assert!(Instant::now() < deadline, "ruzshomar serve did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut times = Vec::new();
    for n in 0..edits {
        // Apart enough that each save is a burst of its own for the watcher.
        std::thread::sleep(Duration::from_millis(1500));
        let mark = format!("Saved edit {n} of {edits}");
        let text = original.replacen("title: \"", &format!("title: \"{mark}, "), 1);
        let saved = Instant::now();
        std::fs::write(root.join(file), text).unwrap();
        while !shows(&mark) {
            assert!(
                saved.elapsed() < Duration::from_secs(60),
                "the edit never showed"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        times.push(saved.elapsed());
    }
    std::fs::write(root.join(file), original).unwrap();
    let _ = server.kill();
    let _ = server.wait();
    times
}

/// The body of a GET of `path`, or None if nobody answered.
fn get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut body = String::new();
    stream.read_to_string(&mut body).ok()?;
    Some(body)
}

/// An event file of the site, relative to its root (the middle one, in path order).
fn edited_file(root: &Path) -> std::path::PathBuf {
    let mut files: Vec<_> = walkdir::WalkDir::new(root.join("content/events"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files[files.len() / 2]
        .strip_prefix(root)
        .unwrap()
        .to_path_buf()
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
