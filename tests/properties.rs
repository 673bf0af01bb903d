//! Property-based tests of the pull-request gate (issue 9): what a stranger's event file can do
//! to the reader, the place resolver and the Markdown stage.
//!
//! - The reader: arbitrary bytes, and arbitrary YAML-shaped documents, written as an event file
//!   never make `load` panic; every outcome is an event or diagnostics that each name the file,
//!   a line and a hint. The YAML parser and the fast path never panic on any text, and the fast
//!   path gives exactly serde_yaml's value when it takes a file.
//! - The place resolver never panics on any name, finds every city and province by its id and
//!   names, and answers the same on every run (and with every gazetteer loaded from the files).
//! - The Markdown stage never turns text into an element or attribute outside pulldown-cmark's
//!   own, never a link other than http(s), mailto or an in-page `#`, and a summary that the check
//!   accepts is one the renderer has nothing to neutralise in.
//! - Inputs that grow do not grow the work faster than linearly: diagnostics, the human report
//!   and the HTML of each pathological family at sizes n, 2n, 4n, 8n.
//!
//! The default run is deterministic (proptest's fixed ChaCha seed, no failure files written)
//! and takes well under a minute in a debug build: its cases read the site's gazetteer once
//! (see [`Site::whole`]), but for one test whose cases run all of `load`. The long run, ignored
//! by default, runs every property through all of `load` for a set time with fresh seeds, then
//! checks the work of every family up to the 1 MB limit and times `load` (and `to_html`) on it:
//! a time that grows more than 3 times per doubling of the input (median of 3 runs, from the
//! first size over 20 ms) fails. It prints the number of cases run per property.
//!
//! ```sh
//! cargo test --release --test properties -- --ignored --nocapture
//! ```
//!
//! `RUZSHOMAR_PROP_SECONDS` (default 600) is the total time of its properties, `PROPTEST_CASES`
//! (default 256) the cases of one round of a property, `RUZSHOMAR_PROP_SEED` the seed (default:
//! from the clock; printed, so a failure can be run again).

mod common;

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use ruzshomar::diagnostic::Diagnostic;
use ruzshomar::gazetteer::{Gazetteer, PlaceError, ProvinceIdx};
use ruzshomar::markdown::{options, safe_link, MAX_NESTING};
use ruzshomar::read::Base;
use ruzshomar::resolve::Resolved;
use std::cell::RefCell;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

// ------------------------------------------------------------------------------------------
// Running properties

/// How long and from which seed a property runs.
#[derive(Clone, Copy, Debug)]
struct Plan {
    /// Cases in one round.
    cases: u32,
    /// Rounds go on until then (the long run); `None`: one round (the default run).
    until: Option<Instant>,
    /// `None`: proptest's fixed deterministic seed.
    seed: Option<u64>,
    /// Whether each case that loads the site runs all of `load` (see [`Site::whole`]).
    whole: bool,
}

impl Plan {
    fn default_run(cases: u32) -> Plan {
        Plan {
            cases,
            until: None,
            seed: None,
            whole: false,
        }
    }

    fn whole(self) -> Plan {
        Plan {
            whole: true,
            ..self
        }
    }
}

/// Runs `test` on values of `strategy` as `plan` says; returns the number of cases run. A failure
/// panics with the smallest failing input proptest found. Nothing is written to disk.
fn check<S: Strategy>(
    name: &str,
    plan: Plan,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) -> u64 {
    let count = AtomicU64::new(0);
    let config = Config {
        cases: plan.cases,
        failure_persistence: None,
        source_file: None,
        max_shrink_iters: 1024,
        max_shrink_time: 120_000,
        ..Config::default()
    };
    // A runner counts its successes for good: each round has a runner, and a seed, of its own.
    for round in 0u64.. {
        let rng = match plan.seed {
            None => TestRng::deterministic_rng(RngAlgorithm::ChaCha),
            Some(seed) => TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes(seed, round, name)),
        };
        let mut runner = TestRunner::new_with_rng(config.clone(), rng);
        let result = runner.run(&strategy, |value| {
            count.fetch_add(1, Ordering::Relaxed);
            test(value)
        });
        if let Err(e) = result {
            let seed = plan
                .seed
                .map(|s| format!(" (RUZSHOMAR_PROP_SEED={s}, round {round})"))
                .unwrap_or_default();
            panic!("property `{name}` failed{seed}: {e}");
        }
        match plan.until {
            Some(until) if Instant::now() < until => continue,
            _ => break,
        }
    }
    let count = count.into_inner();
    eprintln!("{name}: {count} cases");
    count
}

/// 32 bytes of ChaCha seed from a number, a round and a property's name (splitmix64).
fn seed_bytes(seed: u64, round: u64, name: &str) -> [u8; 32] {
    let start = seed ^ round.wrapping_mul(0xA24B_AED4_963E_E407);
    let mut state = name.bytes().fold(start, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
    });
    let mut out = [0u8; 32];
    for chunk in out.chunks_mut(8) {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        chunk.copy_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    out
}

// ------------------------------------------------------------------------------------------
// A site to load

/// Where every property writes its one event file (the date matches its `date:`).
const EVENT: &str = "content/events/2026/01/2026-01-03-property.yaml";

/// A throwaway site with the repository's site.toml, data/ and themes/, made once for a
/// property and reused by all of its cases, each of which overwrites the one event file.
struct Site {
    dir: tempfile::TempDir,
    /// Whether each case runs `ruzshomar::load` whole. If not, the site's configuration,
    /// gazetteer and registries, which no case changes, are read once and each case runs the
    /// rest of `load`: `read_and_resolve` of the one event file, as `load` does. (Reading the
    /// gazetteer is nearly all the time of a `load` in a debug build: 170 ms, against 2 ms.)
    whole: bool,
    base: RefCell<Option<Base>>,
}

impl Site {
    fn new(whole: bool) -> Site {
        let dir = common::empty_site();
        std::fs::create_dir_all(dir.path().join(EVENT).parent().unwrap()).unwrap();
        Site {
            dir,
            whole,
            base: RefCell::new(None),
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `bytes` as the event file and loads the site: its events (`None` when the base
    /// of the site did not load) and its diagnostics.
    fn load(&self, bytes: &[u8]) -> (Option<Vec<ruzshomar::model::Event>>, Vec<Diagnostic>) {
        std::fs::write(self.root().join(EVENT), bytes).unwrap();
        if self.whole {
            let (resolved, diagnostics) = ruzshomar::load(self.root(), common::today());
            return (resolved.map(|r| r.events), diagnostics);
        }
        let base = self.base.borrow_mut().take();
        let base = base.unwrap_or_else(|| {
            let mut problems = Vec::new();
            let base = ruzshomar::read::read_base(self.root(), &mut problems);
            assert!(problems.is_empty(), "{problems:?}");
            base.expect("the site's base loads")
        });
        let mut diagnostics = Vec::new();
        let paths = [std::path::PathBuf::from(EVENT)];
        let resolved = ruzshomar::resolve::read_and_resolve(
            self.root(),
            base,
            &paths,
            common::today(),
            &mut diagnostics,
        );
        let Resolved {
            config,
            gazetteer,
            publishers,
            kinds,
            events,
            ..
        } = resolved;
        *self.base.borrow_mut() = Some(Base {
            config,
            gazetteer,
            publishers,
            kinds,
        });
        (Some(events), diagnostics)
    }

    /// Loads `bytes` as the event file and checks what every outcome must be: the site's own
    /// files are fine, so either the event is resolved and nothing is an error, or no event is
    /// and at least one error says why; every diagnostic names the event file, a line of it and
    /// a hint, and can be shown in every format. Returns the event, if any, and the diagnostics.
    fn load_and_check(
        &self,
        bytes: &[u8],
    ) -> Result<(Option<ruzshomar::model::Event>, Vec<Diagnostic>), TestCaseError> {
        let (events, diagnostics) = self.load(bytes);
        let Some(events) = events else {
            return Err(TestCaseError::fail(format!(
                "the site's base did not load: {diagnostics:?}"
            )));
        };
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        prop_assert!(events.len() <= 1, "one file, one event");
        prop_assert_eq!(
            events.len() == 1,
            errors == 0,
            "an event resolves exactly when no error is reported: {:?}",
            diagnostics
        );
        // YAML ends a line at \n, \r, \r\n, NEL, LS and PS: a line past the last is no line.
        let text = String::from_utf8_lossy(bytes);
        let breaks = text
            .matches(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'])
            .count();
        for d in &diagnostics {
            prop_assert_eq!(&d.file, Path::new(EVENT), "{}", d);
            prop_assert!(d.location.line >= 1 && d.location.column >= 1, "{}", d);
            prop_assert!(
                d.location.line <= breaks + 1,
                "line {} of a file of {} lines: {}",
                d.location.line,
                breaks + 1,
                d
            );
            prop_assert!(
                d.hint.as_deref().is_some_and(|h| !h.trim().is_empty()),
                "no hint: {}",
                d
            );
            let human = ruzshomar::report::human(self.root(), d, false);
            prop_assert!(!human.is_empty());
            let github = ruzshomar::report::github(d);
            prop_assert!(!github.contains('\n'), "{}", github);
        }
        let json = ruzshomar::report::json(&diagnostics, None);
        prop_assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
        Ok((events.into_iter().next(), diagnostics))
    }
}

// ------------------------------------------------------------------------------------------
// Text

/// The fields of the event format, and keys of its nested entries.
const FIELDS: &[&str] = &[
    "title",
    "date",
    "end",
    "date_precision",
    "city",
    "cities",
    "province",
    "provinces",
    "scope",
    "place",
    "coordinates",
    "geo_precision",
    "outside_iran",
    "kind",
    "tags",
    "summary",
    "figures",
    "sources",
    "url",
    "title",
    "publisher",
    "published",
    "published_precision",
    "author",
    "archive_url",
    "language",
    "what",
    "count",
    "min",
    "max",
    "who",
    "according_to",
    "via",
    "note",
    "translations",
    "fa",
    "en",
    "aliases",
    "draft",
    "updated",
    "corrections",
    "<<",
];

/// Values a field may hold, right or nearly right.
const SCALARS: &[&str] = &[
    "2026-01-03",
    "2026-01-04",
    "2026-01-02",
    "2026-13-45",
    "2031-01-01",
    "0000-00-00",
    "2026-1-3",
    "tehran",
    "Tehran",
    "تهران",
    "malekshahi",
    "Malekshahy",
    "Shahr-e Kord",
    "شهر\u{200c}کرد",
    "Firuzabad",
    "ilam",
    "fars",
    "IR-07",
    "IR-23",
    "national",
    "protest",
    "crackdown",
    "strike",
    "ncri",
    "iran-international",
    "https://www.ncr-iran.org/en/?p=341153",
    "http://x",
    "javascript:alert(1)",
    "mailto:a@b.example",
    "live-fire",
    "youth",
    "Live Fire",
    "true",
    "false",
    "null",
    "~",
    "yes",
    "0",
    "-1",
    "18446744073709551616",
    "1e309",
    "0x1F",
    "0o17",
    "1.5",
    ".nan",
    "-.inf",
    "approximate",
    "month",
    "day",
    "exact",
    "city",
    "province",
    "killed",
    "security-forces",
    "fa",
    "en",
    "..",
    "../../x",
    "2026-01-03-other",
    "2026-01-03-property",
    "<script>alert(1)</script>",
    "**bold** and [x](javascript:alert(1))",
    "=HYPERLINK(\"http://x\")",
    "",
];

/// Characters that trip up text handling: direction marks, joiners, NUL, byte-order marks,
/// line and paragraph separators, Arabic and Persian letter forms, combining marks, digits of
/// other scripts, characters that normalise into many, the ends of the code space.
const UNICODE: &[&str] = &[
    "\u{200F}",
    "\u{200E}",
    "\u{202B}",
    "\u{202E}",
    "\u{2066}",
    "\u{200C}",
    "\u{200D}",
    "\0",
    "\u{FEFF}",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\r",
    "\t",
    "\r\n",
    "\n",
    "\u{FFFD}",
    "ي",
    "ی",
    "ك",
    "ک",
    "ة",
    "\u{064E}",
    "\u{0651}",
    "\u{0640}",
    "\u{0670}",
    "\u{0301}",
    "\u{0308}",
    "۱۴۰۴",
    "٣",
    "é",
    "e\u{0301}",
    "\u{FDFA}",
    "ﬃ",
    "İ",
    "ß",
    "𝒜",
    "🏳️‍🌈",
    "\u{10FFFF}",
    "\u{FFFF}",
    "\u{FFFE}",
    "\u{7F}",
    "\u{1B}[31m",
    "\u{0600}",
    "\u{061C}",
    "\u{A0}",
    "\u{3000}",
];

/// YAML's own punctuation.
const YAML_PUNCT: &[&str] = &[
    ": ",
    ":",
    "- ",
    "-",
    "#",
    " #",
    "&a ",
    "*a",
    "!!str ",
    "!!binary ",
    "!foo ",
    "? ",
    "|",
    ">",
    "|-",
    "|+",
    ">-",
    "|2",
    "'",
    "\"",
    "''",
    "\\",
    "\\u200c",
    "\\x00",
    "\\0",
    "\\U0010FFFF",
    "{",
    "}",
    "[",
    "]",
    ", ",
    "%YAML 1.2\n",
    "---\n",
    "...\n",
    "<<: ",
    "@",
    "`",
    "%",
    "\n  ",
    "\n- ",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(SCALARS).prop_map(String::from),
        3 => select(UNICODE).prop_map(String::from),
        3 => "[a-zA-Z0-9 ]{1,12}",
        2 => any::<char>().prop_map(String::from),
        2 => select(YAML_PUNCT).prop_map(String::from),
    ]
}

/// Text of up to `pieces` pieces.
fn text(pieces: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..pieces).prop_map(|p| p.concat())
}

// ------------------------------------------------------------------------------------------
// YAML-shaped documents

#[derive(Debug, Clone, Copy)]
enum Quote {
    Plain,
    Single,
    Double,
    Literal,
    Folded,
}

/// A YAML node, written out by [`Doc::render`] in block or flow style.
#[derive(Debug, Clone)]
enum Y {
    Scalar(String, Quote),
    /// Items; flow style (`[a, b]`) when true.
    Seq(Vec<Y>, bool),
    /// Entries; flow style (`{a: b}`) when true.
    Map(Vec<(String, Y)>, bool),
    Alias(&'static str),
    Anchor(&'static str, Box<Y>),
    Tagged(&'static str, Box<Y>),
}

const ANCHORS: &[&str] = &["a", "b", "x1", "very-long-anchor-name"];
const TAGS: &[&str] = &[
    "!!str", "!!int", "!!map", "!!seq", "!!binary", "!local", "!<tag:x>",
];

fn quote() -> impl Strategy<Value = Quote> {
    prop_oneof![
        6 => Just(Quote::Plain),
        2 => Just(Quote::Single),
        3 => Just(Quote::Double),
        2 => Just(Quote::Literal),
        1 => Just(Quote::Folded),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        10 => select(FIELDS).prop_map(String::from),
        2 => "[a-z_]{1,10}",
        1 => text(3),
    ]
}

fn yaml_node() -> impl Strategy<Value = Y> {
    let leaf = prop_oneof![
        8 => (text(5), quote()).prop_map(|(s, q)| Y::Scalar(s, q)),
        5 => (select(SCALARS), quote()).prop_map(|(s, q)| Y::Scalar(s.to_string(), q)),
        1 => select(ANCHORS).prop_map(Y::Alias),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            4 => (prop::collection::vec(inner.clone(), 0..6), any::<bool>())
                .prop_map(|(items, flow)| Y::Seq(items, flow)),
            4 => (prop::collection::vec((key(), inner.clone()), 0..6), any::<bool>())
                .prop_map(|(entries, flow)| Y::Map(entries, flow)),
            1 => (select(ANCHORS), inner.clone()).prop_map(|(a, y)| Y::Anchor(a, Box::new(y))),
            1 => (select(TAGS), inner).prop_map(|(t, y)| Y::Tagged(t, Box::new(y))),
        ]
    })
}

/// A document: top-level entries and how the file around them is written.
#[derive(Debug, Clone)]
struct Doc {
    entries: Vec<(String, Y)>,
    bom: bool,
    crlf: bool,
    header: &'static str,
    final_newline: bool,
}

const HEADERS: &[&str] = &[
    "",
    "",
    "",
    "# yaml-language-server: $schema=../../../../schema/event.schema.json\n",
    "---\n",
    "%YAML 1.2\n---\n",
    "--- !!map\n",
];

/// The entries of a valid event, as nodes.
fn valid_entries() -> Vec<(String, Y)> {
    let plain = |s: &str| Y::Scalar(s.to_string(), Quote::Plain);
    let source = Y::Map(
        vec![
            ("url".into(), plain("https://www.ncr-iran.org/en/?p=341153")),
            (
                "title".into(),
                Y::Scalar("Iran Uprising Day 7".into(), Quote::Double),
            ),
            ("publisher".into(), plain("ncri")),
            ("published".into(), plain("2026-01-03")),
        ],
        false,
    );
    vec![
        ("title".into(), plain("Security forces open fire")),
        ("date".into(), plain("2026-01-03")),
        ("city".into(), plain("malekshahi")),
        ("kind".into(), plain("protest")),
        (
            "summary".into(),
            Y::Scalar(
                "People gathered, according to the NCRI.\n".into(),
                Quote::Literal,
            ),
        ),
        ("sources".into(), Y::Seq(vec![source], false)),
    ]
}

#[derive(Debug, Clone)]
enum Edit {
    /// Sets a field (replacing it where it is, else adding it at the end).
    Set(String, Y),
    Remove(prop::sample::Index),
    Insert(prop::sample::Index, String, Y),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (key(), yaml_node()).prop_map(|(k, y)| Edit::Set(k, y)),
        1 => any::<prop::sample::Index>().prop_map(Edit::Remove),
        2 => (any::<prop::sample::Index>(), key(), yaml_node())
            .prop_map(|(i, k, y)| Edit::Insert(i, k, y)),
    ]
}

/// A document: a valid event with a few edits (most), or a random tree of fields.
fn yaml_doc() -> impl Strategy<Value = Doc> {
    let entries = prop_oneof![
        3 => prop::collection::vec(edit(), 0..4).prop_map(|edits| {
            let mut entries = valid_entries();
            for edit in edits {
                match edit {
                    Edit::Set(k, y) => match entries.iter_mut().find(|(key, _)| *key == k) {
                        Some(entry) => entry.1 = y,
                        None => entries.push((k, y)),
                    },
                    Edit::Remove(i) if !entries.is_empty() => {
                        entries.remove(i.index(entries.len()));
                    }
                    Edit::Remove(_) => {}
                    Edit::Insert(i, k, y) => {
                        let at = i.index(entries.len() + 1);
                        entries.insert(at, (k, y));
                    }
                }
            }
            entries
        }),
        1 => prop::collection::vec((key(), yaml_node()), 0..8),
    ];
    (
        entries,
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.1),
        select(HEADERS),
        prop::bool::weighted(0.9),
    )
        .prop_map(|(entries, bom, crlf, header, final_newline)| Doc {
            entries,
            bom,
            crlf,
            header,
            final_newline,
        })
}

impl Doc {
    fn render(&self) -> String {
        let mut out = String::new();
        if self.bom {
            out.push('\u{FEFF}');
        }
        out.push_str(self.header);
        block_map(&self.entries, 0, &mut out);
        if !self.final_newline && out.ends_with('\n') {
            out.pop();
        }
        if self.crlf {
            out = out.replace('\n', "\r\n");
        }
        out
    }
}

fn pad(indent: usize, out: &mut String) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn block_map(entries: &[(String, Y)], indent: usize, out: &mut String) {
    for (k, v) in entries {
        pad(indent, out);
        out.push_str(&key_text(k));
        out.push(':');
        after_indicator(v, indent, out);
    }
}

fn block_seq(items: &[Y], indent: usize, out: &mut String) {
    for v in items {
        pad(indent, out);
        out.push('-');
        after_indicator(v, indent, out);
    }
}

/// A node after `key:` or `-`, in a block collection indented by `indent`.
fn after_indicator(y: &Y, indent: usize, out: &mut String) {
    match y {
        Y::Map(entries, false) if !entries.is_empty() => {
            out.push('\n');
            block_map(entries, indent + 2, out);
        }
        Y::Seq(items, false) if !items.is_empty() => {
            out.push('\n');
            block_seq(items, indent + 2, out);
        }
        Y::Anchor(name, inner) => {
            out.push_str(" &");
            out.push_str(name);
            after_indicator(inner, indent, out);
        }
        Y::Tagged(tag, inner) => {
            out.push(' ');
            out.push_str(tag);
            after_indicator(inner, indent, out);
        }
        Y::Scalar(s, q @ (Quote::Literal | Quote::Folded)) => {
            out.push_str(if matches!(q, Quote::Literal) {
                " |\n"
            } else {
                " >\n"
            });
            for line in s.split('\n') {
                if !line.is_empty() {
                    pad(indent + 2, out);
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
        other => {
            out.push(' ');
            flow(other, out);
            out.push('\n');
        }
    }
}

fn flow(y: &Y, out: &mut String) {
    match y {
        Y::Scalar(s, Quote::Plain) => out.push_str(s),
        Y::Scalar(s, Quote::Single) => {
            out.push('\'');
            out.push_str(&s.replace('\'', "''"));
            out.push('\'');
        }
        Y::Scalar(s, _) => out.push_str(&double_quoted(s)),
        Y::Seq(items, _) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                flow(item, out);
            }
            out.push(']');
        }
        Y::Map(entries, _) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&key_text(k));
                out.push_str(": ");
                flow(v, out);
            }
            out.push('}');
        }
        Y::Alias(name) => {
            out.push('*');
            out.push_str(name);
        }
        Y::Anchor(name, inner) => {
            out.push('&');
            out.push_str(name);
            out.push(' ');
            flow(inner, out);
        }
        Y::Tagged(tag, inner) => {
            out.push_str(tag);
            out.push(' ');
            flow(inner, out);
        }
    }
}

fn key_text(k: &str) -> String {
    let simple = !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'<'));
    if simple {
        k.to_string()
    } else {
        double_quoted(k)
    }
}

/// `s` as a YAML double-quoted scalar that reads back as exactly `s`: every character outside
/// YAML's printable set, and every line break, escaped.
fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..
                if !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}') =>
            {
                out.push(c)
            }
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Bytes for an event file: raw bytes, text, YAML-shaped documents, and such text with a few
/// bytes broken.
fn event_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..256),
        2 => text(40).prop_map(String::into_bytes),
        4 => yaml_doc().prop_map(|d| d.render().into_bytes()),
        2 => (
            yaml_doc(),
            prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        )
            .prop_map(|(d, changes)| {
                let mut bytes = d.render().into_bytes();
                for (at, byte) in changes {
                    if !bytes.is_empty() {
                        let i = at.index(bytes.len());
                        bytes[i] = byte;
                    }
                }
                bytes
            }),
    ]
}

// ------------------------------------------------------------------------------------------
// Property 1: the reader

fn reader_arbitrary_bytes(plan: Plan) -> u64 {
    let site = Site::new(plan.whole);
    check("reader: bytes through load", plan, event_bytes(), |bytes| {
        site.load_and_check(&bytes).map(|_| ())
    })
}

fn reader_yaml_documents(plan: Plan) -> u64 {
    let site = Site::new(plan.whole);
    check(
        "reader: YAML documents through load",
        plan,
        yaml_doc(),
        |doc| site.load_and_check(doc.render().as_bytes()).map(|_| ()),
    )
}

/// The parsers on text in memory and on disk, without the rest of `load`. Where the fast path
/// takes a file, it must give exactly what serde_yaml gives.
fn reader_direct(plan: Plan) -> u64 {
    let site = Site::new(plan.whole);
    let strategy = prop_oneof![
        3 => yaml_doc().prop_map(|d| d.render()),
        1 => text(60),
    ];
    check("reader: parse and read_event", plan, strategy, |text| {
        use ruzshomar::read::{fast, yaml};
        let relative = Path::new(EVENT);
        match yaml::parse(relative, text.clone()) {
            Ok(doc) => {
                // Positions are built on demand; any path may be asked for.
                let spans = doc.spans();
                for path in [
                    "",
                    "title",
                    "sources/0/url",
                    "translations/fa/summary",
                    "a/b/c",
                ] {
                    prop_assert!(spans.value(path).line >= 1);
                    prop_assert!(spans.key(path).line >= 1);
                }
            }
            Err(d) => {
                prop_assert!(d.location.line >= 1 && d.hint.is_some(), "{}", d);
            }
        }
        std::fs::write(site.root().join(EVENT), &text).unwrap();
        if let Err(d) = yaml::read_event(site.root(), relative) {
            prop_assert!(d.location.line >= 1 && d.hint.is_some(), "{}", d);
        }
        if let Some(value) = fast::value(&text) {
            let full: Result<serde_yaml::Value, _> = serde_yaml::from_str(&text);
            match full {
                Ok(full) => prop_assert_eq!(value, full, "the fast path differs"),
                Err(e) => {
                    return Err(TestCaseError::fail(format!(
                        "the fast path took what serde_yaml refuses: {e}"
                    )))
                }
            }
        }
        if let Some(event) = fast::event_file(&text) {
            let full: Result<ruzshomar::event_file::EventFile, _> = serde_yaml::from_str(&text);
            match full {
                Ok(full) => prop_assert_eq!(
                    serde_json::to_value(&event).unwrap(),
                    serde_json::to_value(&full).unwrap(),
                    "the fast path read another event"
                ),
                Err(e) => {
                    return Err(TestCaseError::fail(format!(
                        "the fast path took an event serde_yaml refuses: {e}"
                    )))
                }
            }
        }
        Ok(())
    })
}

// ------------------------------------------------------------------------------------------
// Property 2: the place resolver

fn gazetteer() -> &'static Gazetteer {
    static G: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
    G.get_or_init(|| {
        ruzshomar::read::data::gazetteer(&common::repo()).expect("the bundled gazetteer loads")
    })
}

/// A second gazetteer from the same files: its hash maps iterate in another order.
fn other_gazetteer() -> &'static Gazetteer {
    static G: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
    G.get_or_init(|| {
        ruzshomar::read::data::gazetteer(&common::repo()).expect("the bundled gazetteer loads")
    })
}

/// Place names as contributors and attackers write them.
fn place_name() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => "[a-zA-Z]{1,8}",
        2 => "[\u{0621}-\u{064A}\u{067E}\u{0686}\u{0698}\u{06A9}\u{06AF}\u{06CC}]{1,6}",
        2 => "[\u{0300}-\u{036F}\u{064B}-\u{065F}]{1,3}",
        1 => "[0-9\u{06F0}-\u{06F9}\u{0660}-\u{0669}]{1,4}",
        2 => select(UNICODE).prop_map(String::from),
        2 => select(SCALARS).prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
        1 => select(&[" ", "-", "'", "’", "e ", "Shahr-e ", "آباد", "abad", "province", "استان "][..])
            .prop_map(String::from),
    ];
    prop_oneof![
        10 => prop::collection::vec(piece, 0..10).prop_map(|p| p.concat()),
        // Very long names: a pasted paragraph, or a stuck key.
        1 => ("[a-zA-Z\u{0627}-\u{064A} ]{1,4}", 500usize..4000).prop_map(|(s, n)| s.repeat(n / s.chars().count().max(1))),
    ]
}

fn province_choice() -> impl Strategy<Value = Option<ProvinceIdx>> {
    let n = gazetteer().provinces.len();
    prop::option::of((0..n).prop_map(ProvinceIdx))
}

fn resolver_arbitrary_names(plan: Plan) -> u64 {
    check(
        "resolver: any name",
        plan,
        (place_name(), province_choice()),
        |(name, province)| {
            // The same answer from a gazetteer loaded again, whose hash maps are in another
            // order: the answer depends on the name alone.
            let (g, h) = (gazetteer(), other_gazetteer());
            let city = g.resolve_city(&name, province);
            prop_assert_eq!(&city, &h.resolve_city(&name, province), "not deterministic");
            if let Ok(idx) = city {
                prop_assert!(province.is_none_or(|p| g.province_of(idx) == p));
            }
            let found = g.resolve_province(&name);
            prop_assert_eq!(&found, &h.resolve_province(&name), "not deterministic");
            Ok(())
        },
    )
}

#[derive(Debug, Clone, Copy)]
enum Form {
    Id,
    Name,
    Persian,
}

/// Ways of writing a name that match keys fold: the result must not change.
#[derive(Debug, Clone, Copy)]
enum Spelling {
    AsIs,
    Upper,
    Spaced,
    Joiners,
    ArabicLetters,
    Decomposed,
    Marks,
}

fn respell(name: &str, how: Spelling) -> String {
    use unicode_normalization::UnicodeNormalization;
    match how {
        Spelling::AsIs => name.to_string(),
        Spelling::Upper => name.to_ascii_uppercase(),
        Spelling::Spaced => format!(" {} ", name.replace('-', " - ")),
        Spelling::Joiners => name.chars().flat_map(|c| [c, '\u{200C}']).collect(),
        Spelling::ArabicLetters => name.replace('ی', "ي").replace('ک', "ك"),
        Spelling::Decomposed => name.nfd().collect(),
        Spelling::Marks => name
            .chars()
            .flat_map(|c| {
                let mark = if c.is_ascii_alphabetic() {
                    Some('\u{0301}')
                } else if ('\u{0621}'..='\u{06FF}').contains(&c) {
                    Some('\u{064E}')
                } else {
                    None
                };
                std::iter::once(c).chain(mark)
            })
            .collect(),
    }
}

fn spelling() -> impl Strategy<Value = Spelling> {
    select(
        &[
            Spelling::AsIs,
            Spelling::AsIs,
            Spelling::Upper,
            Spelling::Spaced,
            Spelling::Joiners,
            Spelling::ArabicLetters,
            Spelling::Decomposed,
            Spelling::Marks,
        ][..],
    )
}

fn resolver_existing_places(plan: Plan) -> u64 {
    let g = gazetteer();
    let forms = select(&[Form::Id, Form::Name, Form::Persian][..]);
    let strategy = (
        0..g.cities.len(),
        0..g.provinces.len(),
        forms,
        spelling(),
        any::<bool>(),
    );
    check(
        "resolver: existing places",
        plan,
        strategy,
        |(city, province, form, how, in_province)| {
            // A city, by its id or a name, spelt any way that folds to the same key.
            let c = &g.cities[city];
            let written = match form {
                Form::Id => c.id.clone(),
                Form::Name => c.name.clone(),
                Form::Persian => c.name_fa.clone().unwrap_or_else(|| c.name.clone()),
            };
            let written = respell(&written, how);
            let idx = ruzshomar::gazetteer::CityIdx(city);
            let within = in_province.then(|| g.province_of(idx));
            let result = g.resolve_city(&written, within);
            prop_assert_eq!(&result, &other_gazetteer().resolve_city(&written, within));
            // An exact id wins outright; otherwise the city is found, or named among the
            // candidates of an ambiguous name.
            let exact_id = g
                .city_by_id(&written)
                .filter(|i| within.is_none_or(|p| g.province_of(*i) == p));
            // A town twenty times larger than a namesake is taken for the name (with a
            // warning): the smaller one is then written by its id or with its province.
            let dominant = |found: &ruzshomar::gazetteer::CityIdx| {
                g.cities[found.0].population >= 20 * g.cities[city].population.max(1)
            };
            match (&result, exact_id) {
                (_, Some(by_id)) => prop_assert_eq!(&result, &Ok(by_id), "`{}`", written),
                (Ok(found), None) if *found != idx && within.is_none() && dominant(found) => {}
                (Ok(found), None) => prop_assert_eq!(
                    *found,
                    idx,
                    "`{}` found {} for {}",
                    written,
                    g.describe_city(*found),
                    g.describe_city(idx)
                ),
                (Err(PlaceError::Ambiguous { candidates }), None) => prop_assert!(
                    candidates.contains(&g.describe_city(idx)),
                    "`{}`: {:?} lacks {}",
                    written,
                    candidates,
                    g.describe_city(idx)
                ),
                (Err(e), None) => {
                    return Err(TestCaseError::fail(format!(
                        "`{written}` ({}) not found: {e:?}",
                        g.describe_city(idx)
                    )))
                }
            }

            // A province, by its id, current ISO code or a name.
            let p = &g.provinces[province];
            let written = match form {
                Form::Id if in_province => p.iso.clone(),
                Form::Id => p.id.clone(),
                Form::Name => p.name.clone(),
                Form::Persian => p.name_fa.clone(),
            };
            let written = respell(&written, how);
            let result = g.resolve_province(&written);
            prop_assert_eq!(&result, &other_gazetteer().resolve_province(&written));
            prop_assert_eq!(
                result.clone(),
                Ok(ProvinceIdx(province)),
                "`{}` is {} ({}), found {:?}",
                written,
                p.id,
                p.iso,
                result.as_ref().map(|i| &g.province(*i).id)
            );
            Ok(())
        },
    )
}

// ------------------------------------------------------------------------------------------
// Property 3: the Markdown stage

/// Markdown and HTML syntax, and the ways a link can hide a script.
const MARKDOWN: &[&str] = &[
    "<",
    ">",
    "[",
    "]",
    "](",
    "(",
    ")",
    "javascript:",
    "JaVaScRiPt:",
    "java\tscript:",
    "&#",
    "&#x",
    "&#106;",
    "&#x6A;avascript:",
    "&lt;",
    "&amp;",
    "&quot;",
    ";",
    "`",
    "``",
    "```",
    "```js\n",
    "~~~",
    "*",
    "**",
    "_",
    "__",
    "~",
    "~~",
    "\\",
    "!",
    "![",
    "[^",
    "^",
    "]:",
    "]: ",
    "\n",
    "\n\n",
    "    ",
    "  \n",
    "> ",
    ">",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "7) ",
    "# ",
    "### ",
    "---",
    "===",
    "|",
    "| a | b |\n|:-|-:|\n",
    "|:-:|",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "<iframe src=\"javascript:alert(1)\">",
    "<svg/onload=alert(1)>",
    "<object data=x>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<b>",
    "</b>",
    "<div>",
    "</div>",
    "<p onclick=\"x\">",
    "<style>*{}</style>",
    "<!--",
    "-->",
    "<![CDATA[",
    "<?x ?>",
    "<!DOCTYPE html>",
    "<http://a.example/x>",
    "<https://a.example/?q=\"x\">",
    "<javascript:alert(1)>",
    "<mailto:a@b.example>",
    "<a@b.example>",
    "https://a.example/",
    "http://",
    "mailto:",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:",
    "//evil.example",
    "#top",
    "\"",
    "'",
    "=",
    " ",
    " onerror=alert(1)",
    " style=x",
    "title",
    "x",
    "tehran",
    "ی",
    "\u{200c}",
    "\u{200f}",
    "\0",
    "\t",
    "\r",
    "\u{a0}",
    "\u{2028}",
    "%0a",
    "[a]",
    "[a]: ",
    "[a][b]",
    "[^1]",
    "[^1]: ",
    " \"t\"",
    "(t)",
];

/// Link destinations: allowed, refused, and disguised.
const DESTINATIONS: &[&str] = &[
    "https://a.example/x",
    "HTTPS://A.EXAMPLE",
    "http://a.example",
    "mailto:a@b.example",
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "\njavascript:alert(1)",
    "java%0ascript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "\\javascript:alert(1)",
    "<javascript:alert(1)>",
    "<https://a.example/ x>",
    "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:x",
    "//evil.example",
    "/relative",
    "#fragment",
    "",
    "<>",
    "\u{a0}javascript:alert(1)",
    "\u{200b}javascript:alert(1)",
    "https:evil",
    "mailto:javascript:alert(1)",
];

fn markdown_piece(with_lt: bool) -> BoxedStrategy<String> {
    let pieces: Vec<&'static str> = MARKDOWN
        .iter()
        .copied()
        .filter(|p| with_lt || !p.contains('<'))
        .collect();
    let destinations: Vec<&'static str> = DESTINATIONS
        .iter()
        .copied()
        .filter(|p| with_lt || !p.contains('<'))
        .collect();
    let link = (
        select(&["[", "![", "[^"][..]),
        "[a-z ]{0,5}",
        select(&["](", "]( ", "]:", "]: ", "]\n(", "] (", "][a]\n\n[a]: "][..]),
        select(destinations),
        select(&["", " \"t\"", " 't'", " (t)", " \"a\\\"b\""][..]),
        select(&[")", "", ">)", "\n"][..]),
    )
        .prop_map(|(open, label, middle, dest, title, close)| {
            format!("{open}{label}{middle}{dest}{title}{close}")
        });
    prop_oneof![
        8 => select(pieces).prop_map(String::from),
        3 => link,
        1 => any::<char>()
            .prop_filter("no <", move |c| with_lt || *c != '<')
            .prop_map(String::from),
        2 => "[a-z ]{1,6}",
    ]
    .boxed()
}

/// Text biased towards Markdown and HTML syntax; without `<` when `with_lt` is false (text the
/// check may pass without parsing it).
fn markdown(with_lt: bool) -> impl Strategy<Value = String> {
    prop::collection::vec(markdown_piece(with_lt), 0..40).prop_map(|p| p.concat())
}

/// One tag of the renderer's output.
#[derive(Debug)]
struct HtmlTag<'a> {
    name: &'a str,
    closing: bool,
    attributes: Vec<(&'a str, &'a str)>,
}

/// The tags of `html`, read by the rules pulldown-cmark writes them by: every `<` starts a tag,
/// names are ASCII letters and digits, values are in double quotes. Anything else is an error.
fn tags(html: &str) -> Result<Vec<HtmlTag<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let at = html.len() - rest.len() + start;
        let context = || html[at..].chars().take(60).collect::<String>();
        let mut s = &rest[start + 1..];
        let closing = s.starts_with('/');
        if closing {
            s = &s[1..];
        }
        let name_len = s.bytes().take_while(|b| b.is_ascii_alphanumeric()).count();
        if name_len == 0 {
            return Err(format!("a `<` that starts no tag: {}", context()));
        }
        let name = &s[..name_len];
        s = &s[name_len..];
        let mut attributes = Vec::new();
        loop {
            let trimmed = s.trim_start_matches([' ', '\n']);
            if let Some(after) = trimmed.strip_prefix("/>") {
                s = after;
                break;
            }
            if let Some(after) = trimmed.strip_prefix('>') {
                s = after;
                break;
            }
            if trimmed.len() == s.len() {
                return Err(format!("no space before an attribute: {}", context()));
            }
            let name_len = trimmed
                .find([' ', '\n', '/', '>', '=', '"', '\''])
                .unwrap_or(trimmed.len());
            if name_len == 0 {
                return Err(format!("a malformed attribute: {}", context()));
            }
            let attribute = &trimmed[..name_len];
            let after = &trimmed[name_len..];
            match after.strip_prefix("=\"") {
                Some(value) => {
                    let end = value
                        .find('"')
                        .ok_or_else(|| format!("an unclosed value: {}", context()))?;
                    attributes.push((attribute, &value[..end]));
                    s = &value[end + 1..];
                }
                None if after.starts_with('=') => {
                    return Err(format!("an unquoted value: {}", context()))
                }
                None => {
                    attributes.push((attribute, ""));
                    s = after;
                }
            }
        }
        out.push(HtmlTag {
            name,
            closing,
            attributes,
        });
        rest = s;
    }
    Ok(out)
}

/// Checks the renderer's output for `prefix`: only the elements and attributes pulldown-cmark
/// writes for Markdown, links only to http(s), mailto or this summary's own footnotes.
fn safe_html(html: &str, prefix: &str) -> Result<(), String> {
    let lower = html.to_ascii_lowercase();
    for banned in [
        "<script", "<iframe", "<img", "<svg", "<object", "<style", "<input",
    ] {
        if lower.contains(banned) {
            return Err(format!("`{banned}` in the output"));
        }
    }
    let own_id = format!("{prefix}-");
    for tag in tags(html)? {
        let name = tag.name;
        if !matches!(
            name,
            "p" | "em"
                | "strong"
                | "del"
                | "code"
                | "pre"
                | "blockquote"
                | "ul"
                | "ol"
                | "li"
                | "a"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "hr"
                | "br"
                | "table"
                | "thead"
                | "tbody"
                | "tr"
                | "th"
                | "td"
                | "sup"
                | "div"
        ) {
            return Err(format!("element `<{name}>`"));
        }
        if tag.closing && !tag.attributes.is_empty() {
            return Err(format!("attributes on `</{name}>`"));
        }
        for &(attribute, value) in &tag.attributes {
            let lower = attribute.to_ascii_lowercase();
            if lower.starts_with("on") || lower == "style" {
                return Err(format!("attribute `{attribute}` on `<{name}>`"));
            }
            let allowed = match (name, attribute) {
                ("a", "href") => {
                    let v = value.to_ascii_lowercase();
                    v.is_empty()
                        || v.starts_with("https://")
                        || v.starts_with("http://")
                        || v.starts_with("mailto:")
                        || v.starts_with(&format!("#{own_id}"))
                }
                ("a", "title") => true,
                ("ol", "start") => !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()),
                ("code", "class") => value.starts_with("language-"),
                ("sup", "class") => {
                    matches!(value, "footnote-reference" | "footnote-definition-label")
                }
                ("div", "class") => value == "footnote-definition",
                ("div", "id") => value.starts_with(&own_id),
                _ => false,
            };
            if !allowed {
                return Err(format!("`{attribute}=\"{value}\"` on `<{name}>`"));
            }
        }
    }
    Ok(())
}

fn markdown_renders_safely(plan: Plan) -> u64 {
    let strategy = prop_oneof![
        3 => markdown(true),
        1 => markdown(false),
        1 => text(40),
    ];
    check("markdown: only Markdown's HTML", plan, strategy, |text| {
        let html = ruzshomar::markdown::to_html(&text, "e");
        if let Err(problem) = safe_html(&html, "e") {
            return Err(TestCaseError::fail(format!("{problem} in {html:?}")));
        }
        prop_assert_eq!(html, ruzshomar::markdown::to_html(&text, "e"));
        Ok(())
    })
}

/// The deepest nesting of quotes, lists and items in `text`, counted as the check counts it.
fn nesting(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0);
    for event in Parser::new_ext(text, options()) {
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Item) => depth += 1,
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item) => {
                depth = depth.saturating_sub(1)
            }
            _ => {}
        }
        deepest = deepest.max(depth);
    }
    deepest
}

/// What the renderer would neutralise in `text`: raw HTML shown as text, or a link target
/// dropped.
fn neutralised(text: &str) -> Option<String> {
    Parser::new_ext(text, options()).find_map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Some(format!("raw HTML {html:?}")),
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
            if !safe_link(&dest_url) =>
        {
            Some(format!("link to {dest_url:?}"))
        }
        _ => None,
    })
}

/// A summary (or its Persian translation) in an otherwise valid event: when the check accepts
/// it, the renderer has nothing to neutralise in it, and it nests no deeper than the limit.
fn markdown_check_agrees(plan: Plan) -> u64 {
    let site = Site::new(plan.whole);
    let strategy = (
        prop_oneof![
            2 => markdown(false),
            1 => markdown(true),
        ],
        any::<bool>(),
    );
    check(
        "markdown: the check and the renderer agree",
        plan,
        strategy,
        |(text, translated)| {
            let file = summary_event(&text, translated);
            let (event, _) = site.load_and_check(file.as_bytes())?;
            let Some(event) = event else {
                return Ok(());
            };
            let summary = if translated {
                let t = event.translations.get("fa").and_then(|t| t.summary.clone());
                prop_assert_eq!(t.as_deref(), Some(text.as_str()), "not read back");
                t.unwrap()
            } else {
                prop_assert_eq!(event.summary.as_str(), text.trim(), "not read back");
                event.summary
            };
            if let Some(what) = neutralised(&summary) {
                return Err(TestCaseError::fail(format!(
                    "the check accepted {summary:?}, in which the renderer neutralises {what}"
                )));
            }
            let depth = nesting(&summary);
            prop_assert!(depth <= MAX_NESTING, "accepted with nesting {}", depth);
            let html = ruzshomar::markdown::to_html(&summary, &event.id);
            if let Err(problem) = safe_html(&html, &event.id) {
                return Err(TestCaseError::fail(format!("{problem} in {html:?}")));
            }
            Ok(())
        },
    )
}

/// A valid event whose summary (or Persian summary) is `text`, written as a double-quoted
/// scalar so that it reads back as exactly `text`.
fn summary_event(text: &str, translated: bool) -> String {
    let base = common::valid_event("A summary", "2026-01-03", "malekshahi");
    if translated {
        format!(
            "{base}translations:\n  fa:\n    title: خلاصه\n    summary: {}\n",
            double_quoted(text)
        )
    } else {
        base.replace(
            "summary: |\n  People gathered, according to the NCRI.\n",
            &format!("summary: {}\n", double_quoted(text)),
        )
    }
}

// ------------------------------------------------------------------------------------------
// Property 4: work grows linearly with the input

/// A family of pathological inputs: the event file and, for a summary, its Markdown, at size n.
struct Family {
    name: &'static str,
    build: fn(usize) -> (String, Option<String>),
}

fn with_title(title: &str) -> String {
    common::valid_event("T", "2026-01-03", "malekshahi")
        .replace("title: T\n", &format!("title: {title}\n"))
}

fn with_summary(markdown: &str) -> String {
    let indented = markdown.replace('\n', "\n  ");
    common::valid_event("T", "2026-01-03", "malekshahi").replace(
        "summary: |\n  People gathered, according to the NCRI.\n",
        &format!("summary: |\n  {indented}\n"),
    )
}

fn summary_family(markdown: String) -> (String, Option<String>) {
    (with_summary(&markdown), Some(markdown))
}

fn with_extra(extra: &str) -> String {
    common::valid_event("T", "2026-01-03", "malekshahi") + extra
}

const FAMILIES: &[Family] = &[
    Family {
        name: "title: `[` × n",
        build: |n| (with_title(&"[".repeat(n)), None),
    },
    Family {
        name: "title: `{a: ` × n",
        build: |n| (with_title(&"{a: ".repeat(n)), None),
    },
    Family {
        name: "title: `a` × n (a long line)",
        build: |n| (with_title(&"a".repeat(n)), None),
    },
    Family {
        name: "city: `ab` × n",
        build: |n| {
            let file = common::valid_event("T", "2026-01-03", &"ab".repeat(n));
            (file, None)
        },
    },
    Family {
        name: "city: `ب` × n",
        build: |n| {
            let file = common::valid_event("T", "2026-01-03", &"ب".repeat(n));
            (file, None)
        },
    },
    Family {
        name: "provinces: `kermanshah ` × n",
        build: |n| {
            let file = common::valid_event("T", "2026-01-03", "x").replace(
                "city: x",
                &format!("provinces: [{}]", "kermanshah ".repeat(n)),
            );
            (file, None)
        },
    },
    Family {
        name: "n tags",
        build: |n| {
            let tags: Vec<String> = (0..n).map(|i| format!("tag-{i}")).collect();
            (with_extra(&format!("tags: [{}]\n", tags.join(", "))), None)
        },
    },
    Family {
        name: "n cities",
        build: |n| {
            let cities = vec!["tehran"; n].join(", ");
            let file = common::valid_event("T", "2026-01-03", "x")
                .replace("city: x", &format!("cities: [{cities}]"));
            (file, None)
        },
    },
    Family {
        name: "n sources",
        build: |n| {
            let source =
                "{url: https://a.example/, title: t, publisher: ncri, published: 2026-01-03}";
            let file = common::valid_event("T", "2026-01-03", "malekshahi").replace(
                "sources:\n",
                &format!("sources:\n  - {}\n", vec![source; n].join("\n  - ")),
            );
            (file, None)
        },
    },
    Family {
        name: "n unknown keys",
        build: |n| {
            let keys: String = (0..n).map(|i| format!("unknown-{i}: x\n")).collect();
            (with_extra(&keys), None)
        },
    },
    Family {
        name: "n keys in a flow mapping",
        build: |n| {
            let keys: Vec<String> = (0..n).map(|i| format!("k{i}: x")).collect();
            (
                with_extra(&format!("extra: {{{}}}\n", keys.join(", "))),
                None,
            )
        },
    },
    Family {
        name: "n aliases of one anchor",
        build: |n| {
            let aliases: String = (0..n).map(|i| format!("k{i}: *a\n")).collect();
            (with_extra(&format!("anchor: &a [x, y]\n{aliases}")), None)
        },
    },
    Family {
        name: "block sequences `- ` × n",
        build: |n| {
            (
                with_extra(&format!("extra:\n  {}x\n", "- ".repeat(n))),
                None,
            )
        },
    },
    Family {
        name: "summary: `<b>` × n",
        build: |n| summary_family("<b>".repeat(n)),
    },
    Family {
        name: "summary: `<` × n",
        build: |n| summary_family("<".repeat(n)),
    },
    Family {
        name: "summary: `>` × n",
        build: |n| summary_family(">".repeat(n)),
    },
    Family {
        name: "summary: `> ` × n",
        build: |n| summary_family("> ".repeat(n)),
    },
    Family {
        name: "summary: `- ` × n (nested lists)",
        build: |n| summary_family(format!("{}x", "- ".repeat(n))),
    },
    Family {
        name: "summary: indented lists, n levels",
        build: |n| {
            let n = (n as f64).sqrt() as usize + 1;
            summary_family((0..n).map(|i| format!("{}- x\n", "  ".repeat(i))).collect())
        },
    },
    Family {
        name: "summary: `*` × n",
        build: |n| summary_family("*".repeat(n)),
    },
    Family {
        name: "summary: `_` × n",
        build: |n| summary_family("_".repeat(n)),
    },
    Family {
        name: "summary: `*a_` × n",
        build: |n| summary_family("*a_".repeat(n)),
    },
    Family {
        name: "summary: `**a` × n then `a**` × n",
        build: |n| summary_family(format!("{}{}", "**a".repeat(n), "a**".repeat(n))),
    },
    Family {
        name: "summary: `[` × n",
        build: |n| summary_family("[".repeat(n)),
    },
    Family {
        name: "summary: `[a](` × n",
        build: |n| summary_family("[a](".repeat(n)),
    },
    Family {
        name: "summary: `![[` × n then `](x)` × n",
        build: |n| summary_family(format!("{}{}", "![[".repeat(n), "](x)".repeat(n))),
    },
    Family {
        name: "summary: n link reference definitions",
        build: |n| {
            let mut text: String = (0..n)
                .map(|i| format!("[l{i}]: https://a.example/{i}\n"))
                .collect();
            text.push('\n');
            text.extend((0..n).map(|i| format!("[l{i}] ")));
            summary_family(text)
        },
    },
    Family {
        name: "summary: n footnotes",
        build: |n| {
            let mut text: String = (0..n).map(|i| format!("a[^{i}] ")).collect();
            text.push_str("\n\n");
            text.extend((0..n).map(|i| format!("[^{i}]: note\n")));
            summary_family(text)
        },
    },
    Family {
        name: "summary: `` ` `` × n",
        build: |n| summary_family("`".repeat(n)),
    },
    Family {
        name: "summary: code spans of growing backtick runs, n characters",
        build: |n| {
            let mut text = String::new();
            let mut k = 1;
            while text.len() < n {
                text.push_str(&"`".repeat(k));
                text.push('a');
                k += 1;
            }
            summary_family(text)
        },
    },
    Family {
        name: "summary: `&#` × n",
        build: |n| summary_family("&#".repeat(n)),
    },
    Family {
        name: "summary: `| a ` × n (a wide table)",
        build: |n| {
            let row = "| a ".repeat(n);
            summary_family(format!("{row}|\n{}|\n{row}|", "|-".repeat(n)))
        },
    },
    Family {
        name: "summary: `a\\n\\n` × n (many paragraphs)",
        build: |n| summary_family("a\n\n".repeat(n)),
    },
];

/// What grows with the input, measured without a clock.
#[derive(Debug, Clone, Copy)]
struct Work {
    bytes: usize,
    diagnostics: usize,
    report: usize,
    html: usize,
}

fn work(site: &Site, family: &Family, n: usize) -> Work {
    let (file, markdown) = (family.build)(n);
    let (_, diagnostics) = site.load(file.as_bytes());
    let report = diagnostics
        .iter()
        .map(|d| ruzshomar::report::human(site.root(), d, false).len())
        .sum();
    let html = markdown
        .map(|m| ruzshomar::markdown::to_html(&m, "e").len())
        .unwrap_or(0);
    Work {
        bytes: file.len(),
        diagnostics: diagnostics.len(),
        report,
        html,
    }
}

/// Sizes n, 2n, 4n and 8n of a family, the largest of about `largest` bytes.
fn sizes(family: &Family, largest: usize) -> [usize; 4] {
    let base = (family.build)(0).0.len();
    let unit = ((family.build)(1024).0.len().saturating_sub(base) / 1024).max(1);
    let mut n = (largest.saturating_sub(base) / unit / 8).max(1);
    // Units grow with n (`tag-1000` is longer than `tag-1`): stay under the size limit.
    while n > 1 && (family.build)(8 * n).0.len() > largest {
        n = n * 7 / 8;
    }
    [n, 2 * n, 4 * n, 8 * n]
}

/// At sizes n, 2n, 4n, 8n up to about `largest` bytes, each measure of work at most 2.5 times
/// the one before (give or take a constant, for measures near zero). Returns the problems found.
fn linear_work(site: &Site, largest: usize) -> Vec<String> {
    let mut problems = Vec::new();
    for family in FAMILIES {
        let sizes = sizes(family, largest);
        let works: Vec<Work> = sizes.iter().map(|&n| work(site, family, n)).collect();
        for (i, pair) in works.windows(2).enumerate() {
            let (a, b) = (pair[0], pair[1]);
            // Give or take what one more diagnostic adds: a limit crossed between two sizes.
            let measures = [
                ("diagnostics", a.diagnostics, b.diagnostics, 2.0),
                ("report bytes", a.report, b.report, 2000.0),
                ("HTML bytes", a.html, b.html, 200.0),
            ];
            for (what, a, b, slack) in measures {
                if b as f64 > 2.5 * a as f64 + slack {
                    problems.push(format!(
                        "{}: {what} {a} at n = {} ({} bytes) but {b} at n = {} ({} bytes)",
                        family.name,
                        sizes[i],
                        pair[0].bytes,
                        sizes[i + 1],
                        pair[1].bytes
                    ));
                }
            }
        }
    }
    problems
}

/// The median wall time of `load` on `file`, over 3 runs.
fn time_load(site: &Site, file: &str) -> Duration {
    std::fs::write(site.root().join(EVENT), file).unwrap();
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let start = Instant::now();
            let outcome = ruzshomar::load(site.root(), common::today());
            let took = start.elapsed();
            drop(outcome);
            took
        })
        .collect();
    times.sort();
    times[1]
}

fn time_html(markdown: &str) -> Duration {
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let start = Instant::now();
            let html = ruzshomar::markdown::to_html(markdown, "e");
            let took = start.elapsed();
            drop(html);
            took
        })
        .collect();
    times.sort();
    times[1]
}

/// Times `load` (less its cost on a small valid file) and `to_html` on every family at sizes
/// growing by doubling to about `largest` bytes, each the median of 3 runs: a family whose time
/// grows more than 3 times per doubling (on average, from the first size over 20 ms to the
/// last) is measured again twice, then reported.
fn linear_time(site: &Site, largest: usize) -> Vec<String> {
    const OVER: Duration = Duration::from_millis(20);
    let baseline = time_load(site, &common::valid_event("T", "2026-01-03", "malekshahi"));
    eprintln!("load of a small valid event: {baseline:.1?}");
    let mut problems = Vec::new();
    for family in FAMILIES {
        let sizes = sizes(family, largest);
        let measure = |n: usize| {
            let (file, markdown) = (family.build)(n);
            let load = time_load(site, &file).saturating_sub(baseline);
            let html = markdown.as_deref().map(time_html).unwrap_or_default();
            (file.len(), load, html)
        };
        let mut results: Vec<(usize, Duration, Duration)> =
            sizes.iter().map(|&n| measure(n)).collect();
        let line: Vec<String> = results
            .iter()
            .map(|(bytes, load, html)| {
                format!("{} KB: load {load:.0?}, html {html:.0?}", bytes / 1024)
            })
            .collect();
        eprintln!("{}: {}", family.name, line.join("; "));
        for (what, which) in [("load", 1), ("to_html", 2)] {
            let pick = |r: &(usize, Duration, Duration)| if which == 1 { r.1 } else { r.2 };
            // The growth per doubling from the first size that takes over 20 ms to the last:
            // one step past a cache's size does not fail it, growth at every doubling does.
            let growth = |results: &[(usize, Duration, Duration)]| {
                let first = results[..results.len() - 1]
                    .iter()
                    .position(|r| pick(r) > OVER)?;
                let (a, b) = (pick(&results[first]), pick(&results[results.len() - 1]));
                let doublings = (results.len() - 1 - first) as f64;
                let per_doubling = (b.as_secs_f64() / a.as_secs_f64()).powf(1.0 / doublings);
                Some((first, per_doubling))
            };
            let mut again = 0;
            while growth(&results).is_some_and(|(_, g)| g > 3.0) && again < 2 {
                // Measured again, in case the machine was busy.
                results = sizes.iter().map(|&n| measure(n)).collect();
                again += 1;
            }
            if let Some((first, g)) = growth(&results).filter(|(_, g)| *g > 3.0) {
                let last = &results[results.len() - 1];
                problems.push(format!(
                    "{}: {what} grows {g:.1} times per doubling: {:.0?} at {} bytes, {:.0?} at {} bytes",
                    family.name,
                    pick(&results[first]),
                    results[first].0,
                    pick(last),
                    last.0
                ));
            }
        }
    }
    problems
}

// ------------------------------------------------------------------------------------------
// The default run: every property, a few cases each, the same cases every time

#[test]
fn reader_never_panics_on_bytes() {
    reader_arbitrary_bytes(Plan::default_run(256));
}

#[test]
fn reader_never_panics_on_yaml_documents() {
    reader_yaml_documents(Plan::default_run(256));
}

/// The two above with every case through all of `ruzshomar::load` (as in the long run): fewer
/// cases, since each reads the whole gazetteer again.
#[test]
fn reader_never_panics_through_load_itself() {
    reader_arbitrary_bytes(Plan::default_run(16).whole());
    reader_yaml_documents(Plan::default_run(16).whole());
}

#[test]
fn parsers_never_panic_and_the_fast_path_agrees() {
    reader_direct(Plan::default_run(256));
}

#[test]
fn resolver_never_panics_and_is_deterministic() {
    resolver_arbitrary_names(Plan::default_run(64));
}

#[test]
fn resolver_finds_every_place_by_its_names() {
    resolver_existing_places(Plan::default_run(256));
}

#[test]
fn markdown_never_renders_html_from_text() {
    markdown_renders_safely(Plan::default_run(512));
}

#[test]
fn markdown_check_and_renderer_agree() {
    markdown_check_agrees(Plan::default_run(256));
}

#[test]
fn work_grows_linearly_with_the_input() {
    let site = Site::new(false);
    let problems = linear_work(&site, 40_000);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ------------------------------------------------------------------------------------------
// Regressions: the smallest inputs with which these properties found a bug

/// `IR-13` is Hamadan's ISO 3166-2 code and Sistan and Baluchestan's legacy one (most codes are
/// both, for two provinces): which province a code named depended on the order of
/// provinces.yaml, so `IR-13` and `IR-23` were found as the provinces that had them before.
#[test]
fn regression_an_iso_code_names_the_province_that_has_it_now() {
    let g = gazetteer();
    let id = |code: &str| g.resolve_province(code).map(|p| g.province(p).id.as_str());
    assert_eq!(id("IR-13"), Ok("hamadan"));
    assert_eq!(id("IR-23"), Ok("tehran"));
    assert_eq!(id("IR-07"), Ok("fars"));
    // A legacy code that no province has now still finds its province.
    assert_eq!(id("IR-32"), Ok("alborz"));
    for p in &g.provinces {
        assert_eq!(id(&p.iso), Ok(p.id.as_str()));
    }

    let site = Site::new(true);
    let file =
        common::valid_event("Rally", "2026-01-03", "x").replace("city: x", "provinces: [IR-23]");
    let (event, diagnostics) = site.load_and_check(file.as_bytes()).unwrap();
    let event = event.unwrap_or_else(|| panic!("{diagnostics:?}"));
    let ruzshomar::model::Places::Provinces(found) = &event.places else {
        panic!("{:?}", event.places);
    };
    assert_eq!(g.province(found[0]).id, "tehran");
}

/// A name that two provinces share at the same level is an error listing both, as for cities.
#[test]
fn regression_a_name_two_provinces_share_is_ambiguous() {
    let g = gazetteer();
    let mut provinces = g.provinces.clone();
    let name = provinces[0].name.clone();
    provinces[1].aliases.push(name);
    provinces[2].aliases.push("Middle".into());
    provinces[3].aliases.push("Middle".into());
    let shared = Gazetteer::new(provinces, g.cities.clone(), Vec::new(), Vec::new()).unwrap();
    // A name beats an alias; two aliases are ambiguous.
    assert_eq!(
        shared.resolve_province(&g.provinces[0].name),
        Ok(ProvinceIdx(0))
    );
    match shared.resolve_province("middle") {
        Err(PlaceError::Ambiguous { candidates }) => {
            assert_eq!(candidates.len(), 2, "{candidates:?}");
            assert!(candidates[0].contains(&g.provinces[2].id), "{candidates:?}");
        }
        other => panic!("{other:?}"),
    }
}

/// A problem in a double-quoted summary after an escaped `\n` was placed one line of the file
/// further for each `\n`: past the end of the file, where the report can show no line.
#[test]
fn regression_a_problem_after_an_escaped_newline_points_into_the_file() {
    let site = Site::new(true);
    let text = format!("a{}[x](javascript:alert(1))", "\n".repeat(12));
    let file = summary_event(&text, false);
    let summary_line = file
        .lines()
        .position(|l| l.starts_with("summary:"))
        .unwrap()
        + 1;
    let (_, diagnostics) = site.load_and_check(file.as_bytes()).unwrap();
    let link = diagnostics
        .iter()
        .find(|d| d.message.contains("javascript:"))
        .unwrap_or_else(|| panic!("{diagnostics:?}"));
    assert_eq!(link.location.line, summary_line, "{link}");
}

/// The fast path looked for a repeated key among all the keys before it: a file of many
/// keys (unknown fields, `k1: x` … `k50000: x`) took time with the square of their number,
/// 5 s for 600 KB. A repeated key is still found past the first few.
#[test]
fn regression_many_keys_are_read_in_linear_time() {
    use ruzshomar::read::fast;
    let keys: String = (0..20_000).map(|i| format!("k{i}: x\n")).collect();
    let value = fast::value(&keys).expect("the fast path takes plain keys");
    assert_eq!(value.as_mapping().map(|m| m.len()), Some(20_000));
    let flow = format!("a: {{{}}}\n", keys.trim_end().replace('\n', ", "));
    assert!(
        fast::value(&flow).is_some(),
        "the fast path takes a flow mapping"
    );
    for repeated in ["k0", "k15", "k16", "k19998"] {
        let text = format!("{keys}{repeated}: y\n");
        assert!(fast::value(&text).is_none(), "{repeated} repeated");
        let flow = format!(
            "a: {{{}, {repeated}: y}}\n",
            keys.trim_end().replace('\n', ", ")
        );
        assert!(
            fast::value(&flow).is_none(),
            "{repeated} repeated in a flow mapping"
        );
    }

    let site = Site::new(true);
    let file = common::valid_event("T", "2026-01-03", "malekshahi") + &keys;
    let (event, diagnostics) = site.load_and_check(file.as_bytes()).unwrap();
    assert!(event.is_none());
    assert_eq!(diagnostics.len(), 51, "50 problems and how many more");
    assert!(
        diagnostics[50].message.contains("19950 more problems"),
        "{}",
        diagnostics[50]
    );
}

/// Positions past the last line of a file, which the report cannot show: the empty value of a
/// file that is `---` was on line 2 of one line (saphyr), and serde_yaml counts a NEL as a line
/// break and put an error after `title: <NEL>2026-01-03` on line 3 of one.
#[test]
fn regression_no_position_past_the_last_line() {
    let site = Site::new(true);
    let texts = [
        "---",
        "--- ",
        "---\r",
        "%YAML 1.2\n---",
        "title: \u{85}2026-01-03",
        "title: a\u{85}b\u{85}c: d",
    ];
    for text in texts {
        let (_, diagnostics) = site.load_and_check(text.as_bytes()).unwrap();
        let lines = text.lines().count();
        assert!(
            diagnostics.iter().all(|d| d.location.line <= lines),
            "{text:?}: {diagnostics:?}"
        );
    }
}

/// An aligned table column was written with a `style` attribute, which the pages'
/// Content-Security-Policy refuses.
#[test]
fn regression_table_alignment_writes_no_style_attribute() {
    let html = ruzshomar::markdown::to_html("| a |\n|:-|", "e");
    assert_eq!(
        html,
        "<table><thead><tr><th>a</th></tr></thead><tbody>\n</tbody></table>\n"
    );
}

/// A long unknown place name was compared with each of the gazetteer's 7,500 names in time
/// proportional to its length times theirs: a 1 MB `city:` took minutes. Those far longer
/// than any name cannot be near one, and are not compared.
#[test]
fn regression_a_long_unknown_city_is_reported_without_comparing_it_to_every_name() {
    let site = Site::new(true);
    // Not `x` × n: repeated letters fold into one in the spelling compared.
    for name in ["ab".repeat(100_000), "ب".repeat(100_000)] {
        let file = common::valid_event("T", "2026-01-03", &name);
        let (event, diagnostics) = site.load_and_check(file.as_bytes()).unwrap();
        assert!(event.is_none());
        assert!(
            diagnostics
                .iter()
                .any(|d| d.message.starts_with("no city called")),
            "{diagnostics:?}"
        );
    }
}

// ------------------------------------------------------------------------------------------
// The long run

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value:?} is not a number")),
    )
}

/// Every property for `RUZSHOMAR_PROP_SECONDS` (default 600) in total, in rounds of
/// `PROPTEST_CASES` (default 256) cases with fresh seeds; then the work and the time of `load`
/// on every pathological family at sizes up to the largest file the reader takes.
#[test]
#[ignore = "long-running: cargo test --release --test properties -- --ignored --nocapture"]
fn long_running_properties() {
    let seconds = env_number("RUZSHOMAR_PROP_SECONDS").unwrap_or(600);
    let cases = env_number("PROPTEST_CASES").unwrap_or(256) as u32;
    let seed = env_number("RUZSHOMAR_PROP_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
    });
    eprintln!(
        "long run: {seconds} s of properties, rounds of {cases} cases, RUZSHOMAR_PROP_SEED={seed}"
    );
    type Property = fn(Plan) -> u64;
    let properties: &[(&str, Property)] = &[
        ("reader: bytes through load", reader_arbitrary_bytes),
        ("reader: YAML documents through load", reader_yaml_documents),
        ("reader: parse and read_event", reader_direct),
        ("resolver: any name", resolver_arbitrary_names),
        ("resolver: existing places", resolver_existing_places),
        ("markdown: only Markdown's HTML", markdown_renders_safely),
        (
            "markdown: the check and the renderer agree",
            markdown_check_agrees,
        ),
    ];
    let started = Instant::now();
    let share = Duration::from_secs(seconds) / properties.len() as u32;
    let mut counts = Vec::new();
    for (i, (name, property)) in properties.iter().enumerate() {
        let start = Instant::now();
        let plan = Plan {
            cases,
            until: Some(started + share * (i as u32 + 1)),
            seed: Some(seed.wrapping_add(i as u64)),
            whole: true,
        };
        let count = property(plan);
        eprintln!("{name}: {count} cases in {:.0?}", start.elapsed());
        counts.push((name, count, start.elapsed()));
    }
    let site = Site::new(true);
    let start = Instant::now();
    let largest = ruzshomar::read::yaml::MAX_FILE_BYTES as usize - 4096;
    let mut problems = linear_work(&site, largest);
    eprintln!(
        "work of every family up to 1 MB: checked in {:.0?}",
        start.elapsed()
    );
    let start = Instant::now();
    problems.extend(linear_time(&site, largest));
    eprintln!("time of every family: checked in {:.0?}", start.elapsed());
    eprintln!("\ncases run per property:");
    for (name, count, took) in &counts {
        eprintln!("  {name}: {count} ({took:.0?})");
    }
    let total: u64 = counts.iter().map(|c| c.1).sum();
    eprintln!("  total: {total} cases in {:.0?}", started.elapsed());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
