//! Hostile pull requests (issue 9), each run through the real `ruzshomar check` and
//! `ruzshomar build` binaries as CI runs them on a stranger's contribution. Every test asserts
//! what a user would notice: the exit code, the exact message at its file:line:column, that
//! nothing was written outside the output folder (canary files beside and above it, in a temp
//! tree the test owns), that a refused build leaves the previous output byte-identical, and
//! that nothing secret is printed.
//!
//! 1. Aliases that are paths (`..`, `../map`, `../../../../tmp/x`), listed twice, or taken by
//!    another event.
//! 2. Ids from the data that are paths or markup: a city `../../../x`, a province `../../x`, a
//!    language `../../x`, a city `<script …>`.
//! 3. `base_url` with markup (site.toml and `--base-url`) refused; with `&`, escaped in a
//!    well-formed sitemap.xml; with a newline, refused (robots.txt keeps its three lines).
//! 4. CSV cells starting with `=`, `+`, `-`, `@` made inert with a leading `'`.
//! 5. Symbolic links (unix): a registry linked to a secret outside the site or to /etc/passwd,
//!    the theme's static files linked from outside, event files and folders that are links are
//!    refused; a link inside the site still works.
//! 6. Slow and huge inputs: 400,000 `[`, 200,000 `{a: `, 100,000 `<b>`, 100,000 tags, a city
//!    of 840,000 characters, 900,000 `>`, quotes nested 25 deep, a file over 1 MB; an honest
//!    large event passes.
//! 7. Silent loss: hidden, `.YAML`, `.yaml `, `.yaml~` and `.yml` files under content/events/
//!    are errors; `README.md` and `.gitkeep` are ignored, as documented.
//! 8. Interrupted builds: leftovers of dead builds removed, a site moved aside restored, and a
//!    build killed with SIGKILL at a dozen moments always leaves a complete site.
//! 9. A byte-order mark accepted; a broken UI-strings file failing `check`; the 404 page styled
//!    from the site's path; the offline ZIP's fixed entry times; `new` quoting any title.
//!
//! Every run of the binary is killed after [`TIMEOUT`] and fails the test: the code before the
//! fix took minutes on some of these inputs. No test asserts on time otherwise.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one run of the binary may take before it is killed and the test fails.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Where the hostile event file goes.
const EVENT: &str = "content/events/2026/01/2026-01-03-hostile.yaml";

// ---------------------------------------------------------------------------------------------
// Running the binary

/// What a run of the binary showed: its exit code and everything it printed.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Everything printed, stdout then stderr.
    fn printed(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// Runs `command` to its end, or kills it after [`TIMEOUT`] and fails.
fn run(mut command: Command) -> Run {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let shown = format!("{command:?}");
    let mut child = command.spawn().unwrap();
    let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("{shown} did not finish in {TIMEOUT:?}; killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code(),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

// ---------------------------------------------------------------------------------------------
// Files as they were

/// Every entry below a folder: files with their bytes, folders and links marked.
type Snapshot = BTreeMap<PathBuf, Vec<u8>>;

/// The tree below `root`, leaving out `skip` (and what is below it).
fn snapshot(root: &Path, skip: Option<&Path>) -> Snapshot {
    let mut tree = Snapshot::new();
    let walk = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| Some(e.path()) != skip);
    for entry in walk {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(root).unwrap().to_path_buf();
        let content = if entry.path_is_symlink() {
            let target = std::fs::read_link(entry.path()).unwrap();
            format!("<link to {}>", target.display()).into_bytes()
        } else if entry.file_type().is_dir() {
            b"<folder>".to_vec()
        } else {
            std::fs::read(entry.path()).unwrap()
        };
        tree.insert(relative, content);
    }
    tree
}

/// Asserts that nothing was added, removed or changed between two snapshots.
fn assert_unchanged(before: &Snapshot, after: &Snapshot, what: &str) {
    let mut changes = Vec::new();
    for (path, content) in after {
        match before.get(path) {
            None => changes.push(format!("added {}", path.display())),
            Some(old) if old != content => changes.push(format!("changed {}", path.display())),
            _ => {}
        }
    }
    for path in before.keys().filter(|p| !after.contains_key(*p)) {
        changes.push(format!("removed {}", path.display()));
    }
    assert!(changes.is_empty(), "{what}:\n  {}", changes.join("\n  "));
}

fn count_files(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter(|e| e.as_ref().unwrap().file_type().is_file())
        .count()
}

// ---------------------------------------------------------------------------------------------
// A site and an output tree the test owns

/// One expected error: file, line, column and the exact message.
type Expected<'a> = (&'a str, usize, usize, &'a str);

/// A throwaway site, and a separate tree for the output: the output folder sits four levels
/// down (`a/b/c/public`), with canary files beside it and above it, so that a path that climbs
/// out of the output lands in this tree, where the test sees it.
struct Sandbox {
    site: tempfile::TempDir,
    tree: tempfile::TempDir,
}

impl Sandbox {
    /// The repository's configuration, data and theme, with no events.
    fn new() -> Sandbox {
        let tree = tempfile::tempdir().unwrap();
        write(tree.path(), "canary.txt", "above the output");
        write(tree.path(), "a/b/c/canary/canary.txt", "beside the output");
        Sandbox {
            site: empty_site(),
            tree,
        }
    }

    /// A site with one valid event, built once: the previous output a refused build must keep.
    fn built() -> Sandbox {
        let s = Sandbox::new();
        s.write(EVENT, event());
        s.build_ok(&[]);
        s
    }

    fn site(&self) -> &Path {
        self.site.path()
    }

    fn output(&self) -> PathBuf {
        self.tree.path().join("a/b/c/public")
    }

    fn write(&self, relative: &str, text: impl AsRef<[u8]>) {
        write(self.site(), relative, text);
    }

    /// Appends `text` to a file of the site.
    fn append(&self, relative: &str, text: &str) {
        let path = self.site().join(relative);
        let mut old = std::fs::read_to_string(&path).unwrap();
        old.push_str(text);
        std::fs::write(path, old).unwrap();
    }

    /// A file of the output, as text.
    fn read(&self, relative: &str) -> String {
        let path = self.output().join(relative);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = ruzshomar();
        command.args(args).arg("--root").arg(self.site());
        command
    }

    fn check(&self, format: &str) -> Run {
        run(self.command(&["check", "--format", format]))
    }

    /// Runs `build` and asserts that it wrote nothing outside the output folder (the canaries
    /// and the rest of the tree, and the site itself, are as they were).
    fn build(&self, args: &[&str]) -> Run {
        let tree = snapshot(self.tree.path(), Some(&self.output()));
        let site = snapshot(self.site(), None);
        let mut command = self.command(&["build"]);
        command.arg("--output").arg(self.output()).args(args);
        let result = run(command);
        assert_unchanged(
            &tree,
            &snapshot(self.tree.path(), Some(&self.output())),
            "the build wrote outside the output folder",
        );
        assert_unchanged(
            &site,
            &snapshot(self.site(), None),
            "the build changed the site",
        );
        result
    }

    fn build_ok(&self, args: &[&str]) -> Run {
        let result = self.build(args);
        assert_eq!(result.code, Some(0), "build failed:\n{}", result.printed());
        result
    }

    /// Asserts that `build` fails and leaves the previous output byte-identical.
    fn build_refused(&self, args: &[&str]) -> Run {
        let before = snapshot(&self.output(), None);
        let result = self.build(args);
        assert_unchanged(
            &before,
            &snapshot(&self.output(), None),
            "a refused build changed the output",
        );
        assert_eq!(
            result.code,
            Some(1),
            "the build was not refused:\n{}",
            result.printed()
        );
        assert!(
            result.stderr.contains("build failed with"),
            "{}",
            result.stderr
        );
        result
    }

    /// Asserts that `check` fails with exactly these errors (no others), in the JSON format by
    /// position and in the human format as a person reads them; returns the human report.
    fn check_errors(&self, expected: &[Expected]) -> String {
        self.check_reports(expected, true)
    }

    /// As [`Sandbox::check_errors`], but other errors may come too.
    fn check_reports(&self, expected: &[Expected], exactly: bool) -> String {
        let json = self.check("json");
        assert_eq!(json.code, Some(1), "check passed:\n{}", json.printed());
        let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
        let errors: Vec<(String, usize, usize, String)> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == "error")
            .map(|d| {
                (
                    d["file"].as_str().unwrap().to_string(),
                    d["line"].as_u64().unwrap() as usize,
                    d["column"].as_u64().unwrap() as usize,
                    d["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let shown = errors
            .iter()
            .map(|(f, l, c, m)| format!("  {f}:{l}:{c} {m}"))
            .collect::<Vec<_>>()
            .join("\n");
        for (file, line, column, message) in expected {
            assert!(
                errors
                    .iter()
                    .any(|(f, l, c, m)| f == file && l == line && c == column && m == message),
                "expected {file}:{line}:{column} {message}\ngot\n{shown}"
            );
        }
        if exactly {
            assert_eq!(errors.len(), expected.len(), "other errors too:\n{shown}");
        }
        let human = self.check("human");
        assert_eq!(human.code, Some(1));
        let lines: Vec<&str> = human.stdout.lines().collect();
        for (file, line, column, message) in expected {
            // `error: message`, then `--> file:line:column` (just `--> file` for a folder).
            let at = format!("--> {file}:{line}:{column}");
            let folder = format!("--> {file}");
            let found = lines.windows(2).any(|pair| {
                pair[0] == format!("error: {message}")
                    && (pair[1].trim_start() == at
                        || (*line, *column) == (1, 1) && pair[1] == folder)
            });
            assert!(found, "error: {message}\n{at}\nnot in\n{}", human.stdout);
        }
        human.stdout
    }

    fn check_passes(&self) {
        let result = self.check("human");
        assert_eq!(result.code, Some(0), "check failed:\n{}", result.printed());
        assert!(result.stdout.contains("check passed"), "{}", result.stdout);
    }
}

/// A valid event of 2026-01-03 in Tehran (for [`EVENT`]). Its lines:
/// 2 `title:`, 3 `date:`, 4 `city:`, 5 `kind:`, 6-7 `summary: |`, 8-12 one source.
fn event() -> String {
    valid_event("People gather in Tehran", "2026-01-03", "tehran")
}

/// [`event`] with its summary replaced by `summary` (a literal block, on line 7).
fn event_with_summary(summary: &str) -> String {
    event().replace("People gathered, according to the NCRI.", summary)
}

/// [`event`] with the line starting `key:` replaced by `line`.
fn event_with_line(key: &str, line: &str) -> String {
    event()
        .lines()
        .map(|l| {
            if l.starts_with(&format!("{key}:")) {
                line.to_string()
            } else {
                l.to_string()
            }
        })
        .map(|l| l + "\n")
        .collect()
}

// ---------------------------------------------------------------------------------------------
// 1. Aliases

#[test]
fn alias_paths_that_leave_the_events_folder_are_refused() {
    let s = Sandbox::built();
    s.write(
        EVENT,
        event() + "aliases: [\"..\", \"../map\", \"../../../../tmp/x\"]\n",
    );
    s.build_refused(&["--offline-zip"]);
    s.check_errors(&[
        (EVENT, 13, 11, "alias `..` is not an event id"),
        (EVENT, 13, 17, "alias `../map` is not an event id"),
        (
            EVENT,
            13,
            27,
            "alias `../../../../tmp/x` is not an event id",
        ),
    ]);
}

#[test]
fn aliases_listed_twice_or_taken_by_another_event_are_refused() {
    let s = Sandbox::built();
    let repeats = "content/events/2026/01/2026-01-03-repeats.yaml";
    s.write(
        repeats,
        event() + "aliases: [2026-01-02-old-name, 2026-01-02-old-name]\n",
    );
    let taker = "content/events/2026/01/2026-01-03-taker.yaml";
    s.write(taker, event() + "aliases: [2026-01-03-hostile]\n");
    s.build_refused(&[]);
    s.check_errors(&[
        (repeats, 13, 32, "alias `2026-01-02-old-name` is listed twice"),
        (
            taker,
            13,
            11,
            "alias `2026-01-03-hostile` is the id of content/events/2026/01/2026-01-03-hostile.yaml",
        ),
    ]);
}

// ---------------------------------------------------------------------------------------------
// 2. Ids from the data

/// A city entry for data/gazetteer/cities.yaml, at Tehran's place.
fn city_entry(id: &str, name: &str) -> String {
    format!(
        "- id: '{id}'\n  name: {name}\n  province: tehran\n  lat: 35.69439\n  lon: 51.42151\n  \
         population: 1000\n  geonames: 999999001\n"
    )
}

#[test]
fn city_ids_that_are_paths_are_refused() {
    let s = Sandbox::built();
    s.append(
        "data/gazetteer/cities.yaml",
        &city_entry("../../../x", "Escapeville"),
    );
    s.write(EVENT, event_with_line("city", "city: Escapeville"));
    s.build_refused(&[]);
    s.check_errors(&[(
        "data/gazetteer/cities.yaml",
        1,
        1,
        "city id `../../../x` is not a slug",
    )]);
}

#[test]
fn city_ids_with_markup_are_refused() {
    let s = Sandbox::built();
    let id = r#"<script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script>"#;
    s.append("data/gazetteer/cities.yaml", &city_entry(id, "Scriptville"));
    s.write(EVENT, event_with_line("city", "city: Scriptville"));
    s.build_refused(&[]);
    s.check_errors(&[(
        "data/gazetteer/cities.yaml",
        1,
        1,
        &format!("city id `{id}` is not a slug"),
    )]);
}

#[test]
fn province_ids_that_are_paths_are_refused() {
    let s = Sandbox::built();
    s.append(
        "data/gazetteer/provinces.yaml",
        "- id: '../../x'\n  iso: IR-98\n  iso_legacy: IR-98\n  name: Escapia\n  \
         name_fa: اسکیپیا\n  capital: tehran\n  lat: 35.7\n  lon: 51.4\n  area_km2: 1000\n",
    );
    s.write(EVENT, event_with_line("city", "provinces: [Escapia]"));
    s.build_refused(&[]);
    s.check_reports(
        &[(
            "data/gazetteer/provinces.yaml",
            1,
            1,
            "province id `../../x` is not a slug",
        )],
        false,
    );
}

#[test]
fn language_codes_that_are_paths_are_refused() {
    let s = Sandbox::built();
    let config = std::fs::read_to_string(s.site().join("site.toml"))
        .unwrap()
        .replace(
            "languages = [\"en\", \"fa\"]",
            "languages = [\"en\", \"fa\", \"../../x\"]",
        )
        .replace("title = { en = ", "title = { \"../../x\" = \"X\", en = ")
        .replace(
            "description = { en = ",
            "description = { \"../../x\" = \"X\", en = ",
        );
    s.write("site.toml", config);
    s.build_refused(&[]);
    s.check_errors(&[("site.toml", 12, 1, "`../../x` is not a language code")]);
}

// ---------------------------------------------------------------------------------------------
// 3. sitemap.xml and robots.txt

/// site.toml with another `base_url` line.
fn with_base_url(s: &Sandbox, line: &str) {
    let config = std::fs::read_to_string(s.site().join("site.toml")).unwrap();
    let config: String = config
        .lines()
        .map(|l| if l.starts_with("base_url") { line } else { l })
        .map(|l| format!("{l}\n"))
        .collect();
    s.write("site.toml", config);
}

#[test]
fn base_url_with_markup_is_refused() {
    let s = Sandbox::built();
    let config = std::fs::read_to_string(s.site().join("site.toml")).unwrap();
    with_base_url(
        &s,
        r#"base_url = 'https://x.org/<script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script>/'"#,
    );
    s.build_refused(&[]);
    s.check_errors(&[(
        "site.toml",
        9,
        1,
        "`base_url` must be an http(s) address ending in `/`",
    )]);
    s.write("site.toml", config);
    let refused = s.build_refused(&["--base-url", "https://x.org/<script>/"]);
    assert!(
        refused
            .stderr
            .contains("error: --base-url `https://x.org/<script>/` is not an http(s) address"),
        "{}",
        refused.stderr
    );
}

/// Asserts that `xml` is well-formed as far as a sitemap goes: one declaration, tags that
/// balance, and `&` only as one of XML's five entities or a character reference.
fn assert_well_formed(xml: &str) {
    let mut rest = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .expect("an XML declaration");
    let mut open: Vec<&str> = Vec::new();
    let mut roots = 0;
    while let Some(i) = rest.find(['<', '&', '>']) {
        let at = &rest[i..];
        if at.starts_with('>') {
            panic!("a `>` outside a tag: {}", &at[..at.len().min(80)]);
        } else if at.starts_with('&') {
            let end = at.find(';').expect("an entity ends in `;`");
            let name = &at[1..end];
            assert!(
                ["amp", "lt", "gt", "quot", "apos"].contains(&name)
                    || name
                        .strip_prefix('#')
                        .is_some_and(|n| n.parse::<u32>().is_ok()),
                "a raw `&`: {}",
                &at[..at.len().min(80)]
            );
            rest = &at[end + 1..];
        } else {
            let end = at.find('>').expect("a tag ends in `>`");
            let tag = &at[1..end];
            assert!(!tag.contains(['<', '&']), "markup inside a tag: <{tag}>");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(open.pop(), Some(name), "unbalanced </{name}>");
            } else if !tag.ends_with('/') {
                if open.is_empty() {
                    roots += 1;
                }
                open.push(tag.split_whitespace().next().unwrap());
            }
            rest = &at[end + 1..];
        }
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
    assert_eq!(roots, 1, "one root element");
}

#[test]
fn sitemap_escapes_an_ampersand_in_base_url() {
    let s = Sandbox::built();
    with_base_url(&s, "base_url = \"https://example.org/a&b/\"");
    s.check_passes();
    s.build_ok(&[]);
    let sitemap = s.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/a&amp;b/events/2026-01-03-hostile/</loc>"),
        "{sitemap}"
    );
    assert_well_formed(&sitemap);
    assert_eq!(
        s.read("robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://example.org/a&b/sitemap.xml\n"
    );
}

#[test]
fn robots_txt_cannot_be_given_extra_lines() {
    let s = Sandbox::built();
    let robots = s.read("robots.txt");
    let config = std::fs::read_to_string(s.site().join("site.toml")).unwrap();
    with_base_url(&s, r#"base_url = "https://example.org/\nDisallow: /\n#/""#);
    s.build_refused(&[]);
    s.check_errors(&[(
        "site.toml",
        9,
        1,
        "`base_url` must be an http(s) address ending in `/`",
    )]);
    s.write("site.toml", config);
    let refused = s.build_refused(&["--base-url", "https://example.org/\nDisallow: /\n#/"]);
    assert!(
        refused.stderr.contains("is not an http(s) address"),
        "{}",
        refused.stderr
    );
    assert_eq!(s.read("robots.txt"), robots);
    assert_eq!(s.read("robots.txt").lines().count(), 3);
}

// ---------------------------------------------------------------------------------------------
// 4. CSV

#[test]
fn csv_cells_that_a_spreadsheet_would_run_are_made_inert() {
    let s = Sandbox::new();
    let title = r#"=HYPERLINK("http://evil.example","x")"#;
    let place = "+cmd|' /C calc'!A0";
    let summary = "-2+3+cmd|' /C calc'!A0";
    let source_title = "@SUM(1+1)*cmd|' /C calc'!A0";
    let text = event_with_summary(summary)
        .replace(
            "title: People gather in Tehran",
            &format!("title: '{title}'\nplace: \"{place}\""),
        )
        .replace("\"Iran Uprising Day 7\"", &format!("\"{source_title}\""));
    s.write(EVENT, text);
    s.check_passes();
    s.build_ok(&[]);
    let text = exports(&s.output(), "csv").concat();
    let mut csv = csv::Reader::from_reader(text.as_bytes());
    let header = csv.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = csv.records().next().unwrap().unwrap();
    assert_eq!(&row[column("title")], format!("'{title}"));
    assert_eq!(&row[column("place")], format!("'{place}"));
    assert_eq!(&row[column("summary")], format!("'{summary}"));
    assert_eq!(&row[column("source_titles")], format!("'{source_title}"));
    assert_eq!(row[column("lon")].parse::<f64>().unwrap(), 51.42151);
    assert_eq!(row[column("lat")].parse::<f64>().unwrap(), 35.69439);
    for cell in row.iter() {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "a formula: {cell}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Symbolic links

/// The message for a file that links out of the site.
#[cfg(unix)]
const LINKS_OUT: &str =
    "this path is a symbolic link that leads outside the site's folder; it was not read";

/// What the event says when data/kinds.yaml is not read.
#[cfg(unix)]
const NO_KINDS: Expected = (EVENT, 5, 7, "unknown kind `protest`");

/// Replaces `relative` (a file or folder of the site) with a link to `target`.
#[cfg(unix)]
fn link(s: &Sandbox, relative: &str, target: &Path) {
    let path = s.site().join(relative);
    if path.is_dir() && !path.is_symlink() {
        std::fs::remove_dir_all(&path).unwrap();
    } else if path.symlink_metadata().is_ok() {
        std::fs::remove_file(&path).unwrap();
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, path).unwrap();
}

/// Asserts that `check` in every format, and `build`, refuse the link at `relative` and never
/// print `secret`; and that the output does not hold it.
#[cfg(unix)]
fn assert_link_refused(s: &Sandbox, relative: &str, secret: &str, also: &[Expected]) {
    let mut printed = s.build_refused(&[]).printed();
    for format in ["human", "github", "json"] {
        printed.push_str(&s.check(format).printed());
    }
    assert!(
        !printed.contains(secret),
        "`{secret}` was printed:\n{printed}"
    );
    for (path, bytes) in snapshot(&s.output(), None) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(secret),
            "`{secret}` was published in {}",
            path.display()
        );
    }
    let mut expected = vec![(relative, 1, 1, LINKS_OUT)];
    expected.extend_from_slice(also);
    s.check_errors(&expected);
}

#[cfg(unix)]
#[test]
fn a_registry_linked_to_a_secret_outside_the_site_is_not_read() {
    let s = Sandbox::built();
    let elsewhere = tempfile::tempdir().unwrap();
    let secret = "RUZSHOMAR_SECRET_TOKEN=ghp_0123456789abcdefTOPSECRET";
    write(elsewhere.path(), "environ", format!("{secret}\n"));
    link(&s, "data/kinds.yaml", &elsewhere.path().join("environ"));
    assert_link_refused(&s, "data/kinds.yaml", "TOPSECRET", &[NO_KINDS]);
}

#[cfg(unix)]
#[test]
fn a_registry_linked_to_etc_passwd_is_not_read() {
    let s = Sandbox::built();
    link(&s, "data/kinds.yaml", Path::new("/etc/passwd"));
    assert_link_refused(&s, "data/kinds.yaml", "root:", &[NO_KINDS]);
}

#[cfg(unix)]
#[test]
fn theme_files_linked_from_outside_the_site_are_not_published() {
    let s = Sandbox::built();
    let elsewhere = tempfile::tempdir().unwrap();
    let key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n";
    write(elsewhere.path(), "private.key", key);
    // A folder of keys linked into the theme's static files…
    link(&s, "themes/default/static/keys", elsewhere.path());
    assert_link_refused(
        &s,
        "themes/default/static/keys",
        "MIIEvQIBADANBgkqhkiG9w0B",
        &[],
    );
    // … and the static folder itself a link to a folder outside holding the real files and a key.
    std::fs::remove_file(s.site().join("themes/default/static/keys")).unwrap();
    copy_dir(
        &s.site().join("themes/default/static"),
        &elsewhere.path().join("static"),
    );
    write(elsewhere.path(), "static/private.key", key);
    link(
        &s,
        "themes/default/static",
        &elsewhere.path().join("static"),
    );
    assert_link_refused(&s, "themes/default/static", "MIIEvQIBADANBgkqhkiG9w0B", &[]);
}

#[cfg(unix)]
#[test]
fn links_inside_the_site_are_followed() {
    let s = Sandbox::built();
    // A static file that is a link to another file of the site.
    link(
        &s,
        "themes/default/static/licenses.txt",
        Path::new("../../../data/gazetteer/LICENSES.md"),
    );
    s.check_passes();
    s.build_ok(&[]);
    assert_eq!(
        s.read("licenses.txt"),
        std::fs::read_to_string(s.site().join("data/gazetteer/LICENSES.md")).unwrap()
    );
}

#[cfg(unix)]
#[test]
fn linked_event_files_and_folders_are_errors() {
    let s = Sandbox::built();
    s.write(
        "elsewhere/2026/01/2026-01-04-linked.yaml",
        valid_event("A linked event", "2026-01-04", "tehran"),
    );
    s.write(
        "elsewhere/2025/12/2025-12-30-linked.yaml",
        valid_event("A linked folder", "2025-12-30", "tehran"),
    );
    link(
        &s,
        "content/events/2026/01/2026-01-04-linked.yaml",
        &s.site().join("elsewhere/2026/01/2026-01-04-linked.yaml"),
    );
    link(&s, "content/events/2025", &s.site().join("elsewhere/2025"));
    // An event file linked to a file outside the site, whose first line is a secret.
    let elsewhere = tempfile::tempdir().unwrap();
    write(
        elsewhere.path(),
        "environ",
        "RUZSHOMAR_SECRET_TOKEN=TOPSECRET\n",
    );
    link(
        &s,
        "content/events/2026/01/2026-01-05-environ.yaml",
        &elsewhere.path().join("environ"),
    );
    let message = "this is a symbolic link; event files and folders must be real files and \
                   folders; this file was not read";
    let refused = s.build_refused(&[]);
    let human = s.check_errors(&[
        ("content/events/2025", 1, 1, message),
        (
            "content/events/2026/01/2026-01-04-linked.yaml",
            1,
            1,
            message,
        ),
        (
            "content/events/2026/01/2026-01-05-environ.yaml",
            1,
            1,
            message,
        ),
    ]);
    for printed in [human, refused.printed(), s.check("github").printed()] {
        assert!(
            !printed.contains("TOPSECRET"),
            "`TOPSECRET` was printed:\n{printed}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Slow and huge inputs

#[test]
fn four_hundred_thousand_open_brackets_are_refused() {
    let s = Sandbox::built();
    s.write(
        EVENT,
        event_with_line("title", &format!("title: {}", "[".repeat(400_000))),
    );
    s.build_refused(&[]);
    s.check_errors(&[(
        EVENT,
        2,
        108,
        "brackets `[` and `{` are nested more than 100 deep",
    )]);
}

#[test]
fn two_hundred_thousand_nested_mappings_are_refused() {
    let s = Sandbox::built();
    s.write(
        EVENT,
        event_with_line("title", &format!("title: {}", "{a: ".repeat(200_000))),
    );
    s.build_refused(&[]);
    s.check_errors(&[(
        EVENT,
        2,
        408,
        "brackets `[` and `{` are nested more than 100 deep",
    )]);
}

#[test]
fn a_city_name_of_a_pasted_text_gets_a_short_report() {
    let s = Sandbox::built();
    let text = "Tehran and Karaj, Qom, Sari ".repeat(30_000);
    s.write(EVENT, event_with_line("city", &format!("city: {text}")));
    s.build_refused(&[]);
    let shown: String = text.chars().take(60).collect();
    let message = format!("no city called `{shown}…` in the gazetteer");
    let human = s.check_errors(&[(EVENT, 4, 7, &message)]);
    assert!(human.len() < 20_000, "{} bytes of report", human.len());
}

#[test]
fn a_summary_of_raw_html_gets_a_short_report() {
    let s = Sandbox::built();
    s.write(EVENT, event_with_summary(&"<b>".repeat(100_000)));
    s.build_refused(&[]);
    let mut expected = vec![(
        EVENT,
        7,
        3,
        "`summary` is 300001 characters long; the limit is 20000",
    )];
    for i in 0..10 {
        expected.push((EVENT, 7, 3 + 3 * i, "raw HTML is not allowed: `<b>`"));
    }
    expected.push((
        EVENT,
        7,
        33,
        "more raw HTML or unsafe links follow in `summary`",
    ));
    let human = s.check_errors(&expected);
    assert!(human.len() < 20_000, "{} bytes of report", human.len());
}

#[test]
fn limits_refuse_huge_events_and_accept_an_honest_large_one() {
    let s = Sandbox::built();
    let tags: Vec<String> = (0..100_000).map(|i| format!("t{i}")).collect();
    s.write(EVENT, event() + &format!("tags: [{}]\n", tags.join(", ")));
    // A file over 1 MB (refused before the fix too: a regression guard).
    let big = "content/events/2026/01/2026-01-03-big.yaml";
    s.write(big, event() + "# " + &"x".repeat(1024 * 1024) + "\n");
    // 30 tags, 50 sources and a summary of 19,000 characters: within every limit.
    let honest = "content/events/2026/01/2026-01-04-honest.yaml";
    let tags: Vec<String> = (0..30).map(|i| format!("tag-{i}")).collect();
    let mut text = valid_event("A large honest event", "2026-01-04", "tehran")
        .replace(
            "People gathered, according to the NCRI.",
            &"People gathered, according to the NCRI. ".repeat(475),
        )
        .replace(
            "sources:\n",
            &format!("tags: [{}]\nsources:\n", tags.join(", ")),
        );
    for i in 1..50 {
        text.push_str(&format!(
            "  - {{url: \"https://www.ncr-iran.org/en/?p={i}\", title: \"Report {i}\", \
             publisher: ncri, published: 2026-01-04}}\n"
        ));
    }
    s.write(honest, text.clone());
    // 51 sources: one past the limit.
    let many = "content/events/2026/01/2026-01-04-many-sources.yaml";
    s.write(
        many,
        text.replace("  - {url: \"https://www.ncr-iran.org/en/?p=1\"", "  - {url: \"https://www.ncr-iran.org/en/?p=50\", title: \"Report 50\", publisher: ncri, published: 2026-01-04}\n  - {url: \"https://www.ncr-iran.org/en/?p=1\""),
    );
    s.build_refused(&[]);
    s.check_errors(&[
        (EVENT, 13, 7, "`tags` has 100000 entries; the limit is 30"),
        (many, 10, 3, "`sources` has 51 entries; the limit is 50"),
        (
            big,
            1,
            1,
            "the file is 1.0 MB; YAML files here are limited to 1024 KB",
        ),
    ]);
    std::fs::remove_file(s.site().join(EVENT)).unwrap();
    std::fs::remove_file(s.site().join(big)).unwrap();
    std::fs::remove_file(s.site().join(many)).unwrap();
    s.check_passes();
    s.build_ok(&[]);
}

#[test]
fn a_summary_of_nine_hundred_thousand_quote_marks_is_refused() {
    let s = Sandbox::built();
    s.write(EVENT, event_with_summary(&">".repeat(900_000)));
    s.build_refused(&[]);
    s.check_errors(&[
        (
            EVENT,
            7,
            3,
            "`summary` is 900001 characters long; the limit is 20000",
        ),
        (
            EVENT,
            7,
            19,
            "quotes or lists are nested more than 16 levels deep",
        ),
    ]);
}

#[test]
fn quotes_nested_twenty_five_deep_are_refused() {
    let s = Sandbox::built();
    s.write(
        EVENT,
        event_with_summary(&format!("{}Deep.", "> ".repeat(25))),
    );
    s.build_refused(&[]);
    s.check_errors(&[(
        EVENT,
        7,
        35,
        "quotes or lists are nested more than 16 levels deep",
    )]);
}

// ---------------------------------------------------------------------------------------------
// 7. Silent loss

#[test]
fn every_file_under_content_events_is_an_event_or_an_error() {
    let s = Sandbox::built();
    let dir = "content/events/2026/01";
    let other = |name: &str| {
        s.write(
            &format!("{dir}/{name}"),
            valid_event("Lost", "2026-01-10", "tehran"),
        )
    };
    other(".2026-01-10-hidden.yaml");
    other("2026-01-10-upper.YAML");
    other("2026-01-10-space.yaml ");
    other("2026-01-10-backup.yaml~");
    other("2026-01-10-short.yml");
    s.write("content/events/README.md", "# Events\n");
    s.write("content/events/.gitkeep", "");
    s.write(&format!("{dir}/.gitkeep"), "");
    s.build_refused(&[]);
    s.check_errors(&[
        (
            &format!("{dir}/.2026-01-10-hidden.yaml"),
            1,
            1,
            "hidden files and folders (names starting with `.`) are not events; this file was \
             not read",
        ),
        (
            &format!("{dir}/2026-01-10-backup.yaml~"),
            1,
            1,
            "only event files (`.yaml`) belong in content/events/; this file was not read",
        ),
        (
            &format!("{dir}/2026-01-10-short.yml"),
            1,
            1,
            "event files end in `.yaml`, not `.yml`; this file was not read",
        ),
        (
            &format!("{dir}/2026-01-10-space.yaml "),
            1,
            1,
            "only event files (`.yaml`) belong in content/events/; this file was not read",
        ),
        (
            &format!("{dir}/2026-01-10-upper.YAML"),
            1,
            1,
            "event files end in `.yaml`, in lower case; this file was not read",
        ),
    ]);
}

// ---------------------------------------------------------------------------------------------
// 8. Interrupted builds

/// The number of a process that has ended.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

/// The entries beside the output folder whose names start with `.public.`.
fn leftovers(s: &Sandbox) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(s.output().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    names.sort();
    names
}

/// Asserts that `output` holds a complete site of `files` files (any of them).
fn assert_complete(output: &Path, files: &[usize]) {
    for page in ["index.html", "fa/index.html", "data/index.json", "404.html"] {
        assert!(output.join(page).is_file(), "no {page} in the output");
    }
    let count = count_files(output);
    assert!(
        files.contains(&count),
        "{count} files in the output; a complete site has one of {files:?}"
    );
}

#[test]
fn leftovers_of_killed_builds_are_removed() {
    let s = Sandbox::built();
    let beside = s.output().parent().unwrap().to_path_buf();
    let dead = dead_pid();
    for name in [format!(".public.tmp-{dead}"), format!(".public.old-{dead}")] {
        write(
            &beside,
            &format!("{name}/index.html"),
            "a killed build's page",
        );
    }
    // A folder of a build that is still running (this test's process) is left alone.
    let running = format!(".public.tmp-{}", std::process::id());
    write(
        &beside,
        &format!("{running}/index.html"),
        "a running build's page",
    );
    let files = count_files(&s.output());
    let tree = s.tree.path();
    let mut command = s.command(&["build"]);
    command.arg("--output").arg(s.output());
    let result = run(command);
    assert_eq!(result.code, Some(0), "{}", result.printed());
    assert_eq!(leftovers(&s), vec![running]);
    assert_complete(&s.output(), &[files]);
    assert_eq!(
        std::fs::read_to_string(tree.join("a/b/c/canary/canary.txt")).unwrap(),
        "beside the output"
    );
}

#[test]
fn a_site_moved_aside_by_a_killed_build_is_restored() {
    let s = Sandbox::built();
    let files = count_files(&s.output());
    let old = s
        .output()
        .with_file_name(format!(".public.old-{}", dead_pid()));
    std::fs::rename(s.output(), &old).unwrap();
    let mut command = s.command(&["build"]);
    command.arg("--output").arg(s.output());
    let result = run(command);
    assert_eq!(result.code, Some(0), "{}", result.printed());
    assert!(leftovers(&s).is_empty(), "left: {:?}", leftovers(&s));
    assert_complete(&s.output(), &[files]);
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_complete_site() {
    let tree = tempfile::tempdir().unwrap();
    let output = tree.path().join("public");
    let build = |zip: bool| {
        let mut command = ruzshomar();
        command
            .args(["build", "--root"])
            .arg(repo())
            .arg("--output")
            .arg(&output);
        if zip {
            command.arg("--offline-zip");
        }
        command
    };
    let finish = |command: Command| {
        let result = run(command);
        assert_eq!(result.code, Some(0), "{}", result.printed());
    };
    // The old site (without the offline copy) and the new one (with it) differ by one file;
    // how long a build takes is measured to spread the kills over one.
    let started = Instant::now();
    finish(build(true));
    let duration = started.elapsed();
    let new_files = count_files(&output);
    finish(build(false));
    let old_files = count_files(&output);
    assert_ne!(old_files, new_files);
    let moments = 12;
    for i in 0..moments {
        let delay = duration.mul_f64((i as f64 + 0.5) / moments as f64 * 1.1);
        let mut command = build(true);
        command.stdout(Stdio::null()).stderr(Stdio::null());
        let mut child = command.spawn().unwrap();
        std::thread::sleep(delay);
        // SIGKILL: nothing of the build runs after it.
        child.kill().unwrap();
        child.wait().unwrap();
        assert_complete(&output, &[old_files, new_files]);
    }
    finish(build(true));
    assert_complete(&output, &[new_files]);
    let names: Vec<String> = std::fs::read_dir(tree.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        vec!["public".to_string()],
        "leftovers beside the output"
    );
}

// ---------------------------------------------------------------------------------------------
// 9. Others

#[test]
fn a_byte_order_mark_is_accepted() {
    let s = Sandbox::new();
    s.write(EVENT, format!("\u{feff}{}", event()));
    // Without the schema comment, the mark comes right before the first key.
    let bare = valid_event("People gather again", "2026-01-04", "tehran");
    let bare = bare.split_once('\n').unwrap().1;
    s.write(
        "content/events/2026/01/2026-01-04-bare.yaml",
        format!("\u{feff}{bare}"),
    );
    s.check_passes();
    s.build_ok(&[]);
    assert!(s
        .read("events/2026-01-03-hostile/index.html")
        .contains("People gather in Tehran"));
    assert!(s
        .read("events/2026-01-04-bare/index.html")
        .contains("People gather again"));
}

#[test]
fn check_loads_the_theme_s_ui_strings() {
    let s = Sandbox::built();
    let path = "themes/default/i18n/fa.toml";
    let strings = std::fs::read_to_string(s.site().join(path)).unwrap();
    s.write(
        path,
        strings.replace("brand = \"روزشمار\"", "brand = \"روزشمار"),
    );
    s.build_refused(&[]);
    s.check_errors(&[(path, 3, 17, "invalid basic string, expected `\"`")]);
}

#[test]
fn the_404_page_styles_from_the_site_s_path() {
    let s = Sandbox::built();
    let page = s.read("404.html");
    assert!(
        page.contains("<link rel=\"stylesheet\" href=\"/ruzshomar/style.css\">"),
        "{page}"
    );
    // What the page loads (stylesheets, icons, scripts) comes from the server's root; only
    // the canonical address names the host.
    for (i, _) in page
        .match_indices("<link ")
        .chain(page.match_indices("<script "))
    {
        let tag = &page[i..i + page[i..].find('>').unwrap() + 1];
        if !tag.contains("rel=\"canonical\"") {
            assert!(
                !tag.contains("=\"http"),
                "the 404 page loads from another address: {tag}"
            );
        }
    }
}

/// Before the fix the times were 1980-01-01 only because the zip crate's `time` feature was off;
/// with it on (any dependency may turn it on), the entries carried the clock's time.
#[test]
fn offline_zip_entries_carry_a_fixed_time_and_builds_give_the_same_bytes() {
    let s = Sandbox::built();
    s.build_ok(&["--offline-zip"]);
    let path = s.output().join("downloads/ruzshomar-offline.zip");
    let first = std::fs::read(&path).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(first.clone())).unwrap();
    assert!(archive.len() > 10);
    for i in 0..archive.len() {
        let entry = archive.by_index(i).unwrap();
        let time = entry.last_modified().expect("a time");
        assert_eq!(
            (
                time.year(),
                time.month(),
                time.day(),
                time.hour(),
                time.minute()
            ),
            (1980, 1, 1, 0, 0),
            "{:?}",
            entry.name()
        );
    }
    // A ZIP's times count in two-second steps: the second build runs at another clock time.
    std::thread::sleep(std::time::Duration::from_millis(2_100));
    s.build_ok(&["--offline-zip"]);
    assert!(std::fs::read(&path).unwrap() == first, "two builds differ");
}

#[test]
fn new_writes_any_title_so_that_it_reads_back_exactly() {
    let s = Sandbox::new();
    let title = "Title with \"quotes\", a newline\nand a bell \u{7}";
    let summary = " Leading space, and an escape \u{1b} in the summary.";
    let result = run(s.command(&[
        "new",
        "--date",
        "2026-01-03",
        "--city",
        "Tehran",
        "--publisher",
        "ncri",
        "--source-url",
        "https://www.ncr-iran.org/en/?p=341153",
        "--source-title",
        "Iran Uprising Day 7",
        "--published",
        "2026-01-03",
        "--summary",
        summary,
        title,
    ]));
    assert_eq!(result.code, Some(0), "{}", result.printed());
    let path = result.stdout.trim();
    assert!(s.site().join(path).is_file(), "{path}");
    s.check_passes();
    let (resolved, problems) = ruzshomar::load(s.site(), today());
    let resolved = resolved.unwrap_or_else(|| panic!("{problems:?}"));
    assert_eq!(resolved.events.len(), 1, "{problems:?}");
    assert_eq!(resolved.events[0].title, title);
    // A summary is Markdown: its surrounding spaces are not part of it.
    assert_eq!(resolved.events[0].summary.trim(), summary.trim());
}
