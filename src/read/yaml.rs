//! One YAML file, parsed once for its values and, only when a rule has something to report,
//! once for positions (saphyr's event parser), so every rule can point at the exact line and
//! column of the value it complains about. Values come from the fast parser ([`super::fast`])
//! when the file is plain YAML, as nearly all are, and otherwise from serde_yaml, which also
//! explains syntax errors and refuses alias bombs and runaway nesting.

use crate::diagnostic::{Diagnostic, Location};
use crate::event_file::EventFile;
use saphyr_parser::{Event, Parser, Span};
// The YAML library is named here and in the readers beside this file only: swapping it for a
// fork (serde_norway, serde_yaml_ng) changes this folder and nothing else.
pub use serde_yaml::{from_value, to_string as to_yaml, Mapping, Value};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Event and registry files are small; a file past this is a mistake (a pasted dump, a binary).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// A parsed YAML file with a position for every key and value.
#[derive(Debug, Clone)]
pub struct Document {
    /// Relative to the site root.
    pub path: PathBuf,
    pub text: String,
    /// The parsed value; `Null` when the fast path read the file into `event` instead.
    pub value: Value,
    /// An event file read by the fast path ([`super::fast`]): every field known and well
    /// typed. Resolve takes it; files the fast path gives up on have `value` instead.
    pub event: Option<EventFile>,
    /// Built on first use: only files with a problem need positions.
    spans: OnceLock<SpanIndex>,
}

impl Document {
    /// Where each key and value is in the file.
    pub fn spans(&self) -> &SpanIndex {
        self.spans.get_or_init(|| index_spans(&self.text))
    }
}

/// Where each node of a document is, by path: `""` is the root, `sources/1/url` the `url` of
/// the second source.
#[derive(Debug, Clone, Default)]
pub struct SpanIndex {
    nodes: HashMap<String, NodeSpan>,
}

#[derive(Debug, Clone, Copy)]
struct NodeSpan {
    key: Option<Location>,
    value: Location,
}

impl SpanIndex {
    /// The position of the value at `path`, or of the nearest ancestor that has one.
    pub fn value(&self, path: &str) -> Location {
        self.lookup(path, |n| n.value)
    }

    /// The position of the key at `path`, if the file has that key (with a value or not).
    pub fn key_of(&self, path: &str) -> Option<Location> {
        self.nodes.get(path).and_then(|n| n.key)
    }

    /// The position of the key at `path` (for unknown or misplaced fields).
    pub fn key(&self, path: &str) -> Location {
        self.lookup(path, |n| n.key.unwrap_or(n.value))
    }

    fn lookup(&self, path: &str, pick: impl Fn(&NodeSpan) -> Location) -> Location {
        let mut path = path;
        loop {
            if let Some(node) = self.nodes.get(path) {
                return pick(node);
            }
            match path.rfind('/') {
                Some(i) => path = &path[..i],
                None if !path.is_empty() => path = "",
                None => return Location::START,
            }
        }
    }
}

/// Joins path segments: `child("sources", 1)` is `sources/1`.
pub fn child(parent: &str, segment: impl std::fmt::Display) -> String {
    if parent.is_empty() {
        segment.to_string()
    } else {
        let mut s = String::with_capacity(parent.len() + 8);
        let _ = write!(s, "{parent}/{segment}");
        s
    }
}

/// Reads and parses a YAML file inside the site (see [`super::files`]); every way it can fail
/// becomes one clear diagnostic.
pub fn read(root: &Path, relative: &Path) -> Result<Document, Diagnostic> {
    super::files::inside(root, relative)?;
    parse(relative, read_text(root, relative)?)
}

/// Reads an event file (one the walk of content/events/ found: a real file, never a link):
/// through the fast path ([`super::fast`]) when the file is plain, else
/// as [`read`] does, leaving every question to resolve.
pub fn read_event(root: &Path, relative: &Path) -> Result<Document, Diagnostic> {
    event_from_text(relative, read_text(root, relative)?)
}

/// An event file's text already in memory (one a command is about to write), parsed as
/// [`read_event`] parses a file: for checking it before it is written.
pub fn event_from_text(relative: &Path, text: String) -> Result<Document, Diagnostic> {
    match super::fast::event_file(&text) {
        Some(event) => Ok(Document {
            path: relative.to_path_buf(),
            text,
            value: Value::Null,
            event: Some(event),
            spans: OnceLock::new(),
        }),
        // The fast reader of values would give up on it as well: straight to serde_yaml.
        None => parse_with(relative, text, false),
    }
}

/// The text of a file, refused when it is too large or not UTF-8. One open and one read for
/// the usual small file, into a buffer each thread keeps, then one allocation of the exact size.
fn read_text(root: &Path, relative: &Path) -> Result<String, Diagnostic> {
    use std::io::Read as _;
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(Vec::with_capacity(64 * 1024));
    }
    let full = root.join(relative);
    let fail = |message: String, hint: &str| {
        Diagnostic::error(relative, Location::START, message).with_hint(hint)
    };
    let file = std::fs::File::open(&full).map_err(|e| {
        fail(
            format!("cannot read the file: {e}"),
            "check that the file exists and is readable",
        )
    })?;
    BUFFER.with_borrow_mut(|bytes| {
        if bytes.capacity() > 256 * 1024 {
            // The last file was very large: give the memory back.
            *bytes = Vec::with_capacity(64 * 1024);
        }
        bytes.clear();
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(bytes)
            .map_err(|e| {
                fail(
                    format!("cannot read the file: {e}"),
                    "check file permissions",
                )
            })?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            let size = std::fs::metadata(&full)
                .map(|m| m.len())
                .unwrap_or(bytes.len() as u64);
            return Err(fail(
                format!(
                    "the file is {:.1} MB; YAML files here are limited to {} KB",
                    size as f64 / 1_048_576.0,
                    MAX_FILE_BYTES / 1024
                ),
                "an event file holds one event in a few KB; split the file, or remove pasted content",
            ));
        }
        let text = match std::str::from_utf8(bytes) {
            // A byte-order mark (Windows editors write one) is not part of the text.
            Ok(text) => Ok(text.strip_prefix('\u{feff}').unwrap_or(text).to_owned()),
            Err(e) => {
                let offset = e.valid_up_to();
                let before = &bytes[..offset];
                let line = before.iter().filter(|b| **b == b'\n').count() + 1;
                let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
                Err(Diagnostic::error(
                    relative,
                    Location::new(line, column, 1),
                    format!("the file is not valid UTF-8 (bad byte at offset {offset})"),
                )
                .with_hint("save the file as UTF-8 (in VS Code: “Save with Encoding” → UTF-8)"))
            }
        };
        text
    })
}

/// Parses YAML text that is already in memory.
pub fn parse(relative: &Path, text: String) -> Result<Document, Diagnostic> {
    parse_with(relative, text, true)
}

/// [`parse`], trying the fast reader first when `fast`.
fn parse_with(relative: &Path, text: String, fast: bool) -> Result<Document, Diagnostic> {
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Err(Diagnostic::error(relative, Location::START, "the file is empty")
            .with_hint("an event file needs at least `title:`, `date:`, a place, `kind:`, `summary:` and `sources:`; `ruzshomar new` writes a skeleton"));
    }
    if let Some(at) = too_deep(&text) {
        return Err(Diagnostic::error(
            relative,
            at,
            format!("brackets `[` and `{{` are nested more than {MAX_BRACKET_DEPTH} deep"),
        )
        .with_hint("lists and mappings in an event nest two or three levels; look for pasted or generated text"));
    }
    // Plain files (the gazetteer, the registries) are read by the fast parser, which gives
    // exactly serde_yaml's value or gives up; serde_yaml reads the rest and explains errors.
    let value: Value = match fast.then(|| super::fast::value(&text)).flatten() {
        Some(value) => value,
        None => serde_yaml::from_str(&text).map_err(|e| yaml_error(relative, &text, &e))?,
    };
    Ok(Document {
        path: relative.to_path_buf(),
        text,
        value,
        event: None,
        spans: OnceLock::new(),
    })
}

/// Deeper than this, brackets are not an event's data. The YAML parser would refuse them too,
/// at 128 levels, but only after time that grows with the square of their number.
const MAX_BRACKET_DEPTH: usize = 100;

/// Where brackets first nest deeper than [`MAX_BRACKET_DEPTH`], counted naively (quotes and
/// comments included: no real file comes near the limit either way), in one linear pass.
fn too_deep(text: &str) -> Option<Location> {
    let mut depth = 0usize;
    let (mut line, mut line_start) = (1, 0);
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_BRACKET_DEPTH {
                    let column = text[line_start..i].chars().count() + 1;
                    return Some(Location::new(line, column, 1));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
    }
    None
}

fn yaml_error(relative: &Path, text: &str, error: &serde_yaml::Error) -> Diagnostic {
    let full = error.to_string();
    let message = full.split(" at line ").next().unwrap_or(&full).to_string();
    let location = error
        .location()
        .map(|l| Location::new(l.line(), l.column(), 1))
        .unwrap_or(Location::START);
    let open_quote = unclosed_quote(text, location.line);
    // The parser counts lines at other breaks too (NEL, U+2028) and may point past the end:
    // a line the report can show is one of `text.lines()`; past the last, its end.
    let lines = text.lines().count().max(1);
    let location = if location.line > lines {
        let last = text.lines().last().unwrap_or("").chars().count();
        Location::new(lines, last + 1, 1)
    } else {
        location
    };
    let hint = if message.contains("repetition limit") || message.contains("recursion limit") {
        "YAML anchors and aliases (&name, *name) that expand this much are refused; write the values out".to_string()
    } else if message.contains("duplicate") {
        "each field may appear only once; merge the two entries".to_string()
    } else if message.contains("tab") {
        "indent with spaces, never tabs".to_string()
    } else if let Some((opened, quote)) = open_quote {
        let inside = match quote {
            '"' => "a value with `\"` inside goes in single quotes",
            _ => "an apostrophe inside single quotes is written twice: `''`",
        };
        format!("the quote `{quote}` opened on line {opened} is still open here, so the text ran on across the lines between: close it on line {opened} ({inside})")
    } else if let Some(hint) = (message.contains("mapping values are not allowed"))
        .then(|| misplaced_colon(text, location))
        .flatten()
    {
        hint
    } else {
        "check indentation and quoting on this line and the one before; text with `: ` or `#` needs quotes".to_string()
    };
    Diagnostic::error(relative, location, format!("invalid YAML: {message}")).with_hint(hint)
}

/// Why a `: ` is where no key may be: text with `: ` in it (`title: Protest in Tehran: 500
/// arrested`), or a key indented under a line that already has its value.
fn misplaced_colon(text: &str, at: Location) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let line = *lines.get(at.line.checked_sub(1)?)?;
    // The parser counts line breaks `lines()` does not (U+2028, a lone `\r`): unless the
    // position is a colon here, this is not the line it means.
    if line.chars().nth(at.column.checked_sub(1)?) != Some(':') {
        return None;
    }
    let before: String = line.chars().take(at.column - 1).collect();
    let item = list_item(line);
    if let Some((key, value)) = item.split_once(": ").filter(|_| before.contains(": ")) {
        // A ` #` ends the text: what follows is a comment.
        let value = value.split(" #").next().unwrap_or(value).trim();
        return Some(format!("the text of `{key}` contains `: `, which YAML reads as another key: put the text in quotes: `{key}: {}`", crate::emit::readable(value)));
    }
    let indent = |l: &str| l.len() - l.trim_start().len();
    let (n, previous) = (lines[..at.line - 1].iter().enumerate().rev())
        .find(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))?;
    let has_value = previous
        .split_once(": ")
        .is_some_and(|(_, v)| !v.trim().is_empty());
    if indent(line) <= indent(previous) || !has_value {
        return None;
    }
    let key = before.trim();
    let key = key.strip_prefix("- ").unwrap_or(key).trim();
    let is_field = !key.is_empty()
        && (key.bytes()).all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    Some(match is_field {
        true => format!(
            "line {} is indented more than line {}, which already has its value: write `{key}:` as far left as the keys beside it",
            at.line,
            n + 1
        ),
        // Text that runs on from the line before, with a `: ` in it.
        false => format!(
            "the text begun on line {} runs on to here and contains `: `: put the whole text in quotes, or write `|` after the key and the text on the lines below it",
            n + 1
        ),
    })
}

/// A line without its indentation and list dash: `  - title: x` → `title: x`.
fn list_item(line: &str) -> &str {
    let item = line.trim_start();
    item.strip_prefix("- ").unwrap_or(item).trim_start()
}

/// The quote (its line and character) that is still open when the parser reaches `line`. A
/// value quoted across lines is valid YAML, so a quote left open shows only where the parser
/// stumbles, often lines later, where the next quote closes it. Lines of `|` and `>` blocks
/// are text, not values.
fn unclosed_quote(text: &str, line: usize) -> Option<(usize, char)> {
    let mut open: Option<(usize, char)> = None;
    // The indentation of the key of the `|` or `>` block being read.
    let mut block: Option<usize> = None;
    for (i, l) in text.lines().enumerate().take(line.saturating_sub(1)) {
        if let Some((_, quote)) = open {
            if closes(l, quote) {
                open = None;
            }
            continue;
        }
        let indent = l.len() - l.trim_start().len();
        if block.is_some_and(|key| l.trim().is_empty() || indent > key) {
            continue;
        }
        block = None;
        let item = list_item(l);
        if item.starts_with('#') {
            continue;
        }
        let value = match item.find(": ") {
            Some(at) => item[at + 2..].trim_start(),
            None => item,
        };
        match value.chars().next() {
            Some(quote @ ('"' | '\'')) if !closes(&value[1..], quote) => {
                open = Some((i + 1, quote))
            }
            Some('|' | '>') => block = Some(indent),
            _ => {}
        }
    }
    open
}

/// Whether `rest`, text after an opening `quote`, closes it: `\"` escapes in double quotes,
/// `''` in single ones.
fn closes(rest: &str, quote: char) -> bool {
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            '\'' if quote == '\'' && chars.peek() == Some(&'\'') => {
                chars.next();
            }
            c if c == quote => return true,
            _ => {}
        }
    }
    false
}

/// What the parser is inside of while walking events.
enum Frame {
    Map {
        path: String,
        key: Option<(String, Location)>,
    },
    Seq {
        path: String,
        index: usize,
    },
}

fn location(span: &Span, text_line_len: impl Fn(usize) -> usize) -> Location {
    let (start, end) = (span.start, span.end);
    let len = if end.line() == start.line() {
        end.col().saturating_sub(start.col())
    } else {
        text_line_len(start.line()).saturating_sub(start.col())
    };
    Location::new(start.line(), start.col() + 1, len.max(1))
}

/// Builds the path → position index. A parse error here only means fewer positions: the value
/// parse above is the authority on validity.
fn index_spans(text: &str) -> SpanIndex {
    let line_lengths: Vec<usize> = text.lines().map(|l| l.chars().count()).collect();
    let line_len = |line: usize| line_lengths.get(line.wrapping_sub(1)).copied().unwrap_or(0);
    let mut nodes = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut parser = Parser::new_from_str(text);
    while let Some(Ok((event, span))) = parser.next_event() {
        let starts_node = matches!(
            event,
            Event::Scalar(..)
                | Event::MappingStart(..)
                | Event::SequenceStart(..)
                | Event::Alias(_)
        );
        if starts_node {
            let mut here = location(&span, line_len);
            // The parser may place a node past the last line (the empty value of a file that
            // is `---`, with no line break): point at the end of the text, which can be shown.
            let last = line_lengths.len().max(1);
            if here.line > last {
                here = Location::new(last, line_len(last) + 1, 1);
            }
            // A scalar in key position of a mapping is a key, not a node of its own.
            if let Some(Frame::Map { key, .. }) = stack.last_mut() {
                if key.is_none() {
                    let name = match &event {
                        Event::Scalar(s, ..) => s.to_string(),
                        _ => "?".to_string(),
                    };
                    *key = Some((name, here));
                    if matches!(event, Event::MappingStart(..) | Event::SequenceStart(..)) {
                        // Complex keys are not used by these files; index their insides under "?".
                        stack.push(complex_frame(&event));
                    }
                    continue;
                }
            }
            let (path, key_loc) = match stack.last_mut() {
                None => (String::new(), None),
                Some(Frame::Map { path, key }) => {
                    let (name, loc) = key.take().expect("checked above");
                    (child(path, name), Some(loc))
                }
                Some(Frame::Seq { path, index }) => {
                    *index += 1;
                    (child(path, *index - 1), None)
                }
            };
            nodes.insert(
                path.clone(),
                NodeSpan {
                    key: key_loc,
                    value: here,
                },
            );
            match event {
                Event::MappingStart(..) => stack.push(Frame::Map { path, key: None }),
                Event::SequenceStart(..) => stack.push(Frame::Seq { path, index: 0 }),
                _ => {}
            }
        } else if matches!(event, Event::MappingEnd | Event::SequenceEnd) {
            stack.pop();
        }
    }
    SpanIndex { nodes }
}

fn complex_frame(event: &Event) -> Frame {
    let path = "?".to_string();
    match event {
        Event::MappingStart(..) => Frame::Map { path, key: None },
        _ => Frame::Seq { path, index: 0 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        parse(Path::new("t.yaml"), text.to_string()).unwrap()
    }

    #[test]
    fn values_and_keys_have_their_positions() {
        let d = doc("title: Hello\nsources:\n  - url: https://x\n    title: \"T\"\n  - {url: b, publisher: p}\n");
        assert_eq!(d.spans().value("title"), Location::new(1, 8, 5));
        assert_eq!(d.spans().key("sources"), Location::new(2, 1, 7));
        assert_eq!(d.spans().value("sources/0/url").line, 3);
        assert_eq!(d.spans().value("sources/0/url").column, 10);
        assert_eq!(d.spans().value("sources/0/title").line, 4);
        assert_eq!(
            d.spans().value("sources/1/publisher"),
            Location::new(5, 25, 1)
        );
        // A missing node falls back to its nearest ancestor.
        assert_eq!(
            d.spans().value("sources/1/published"),
            d.spans().value("sources/1")
        );
    }

    #[test]
    fn broken_yaml_is_an_error_with_a_position() {
        let e = parse(Path::new("t.yaml"), "title: [unclosed\ndate: x\n".into()).unwrap_err();
        assert!(e.message.starts_with("invalid YAML"), "{e}");
        assert!(e.location.line >= 1);
    }

    /// A quote left open runs on to the next quote, lines later, where the parser stops: the
    /// hint names the line where it opened.
    #[test]
    fn an_unclosed_quote_is_traced_to_its_line() {
        let text = "title: \"Protest in Mahabad\ndate: 2026-01-03\nsummary: People gathered.\nsources:\n  - url: https://x\n    title: \"A report\"\n";
        let e = parse(Path::new("t.yaml"), text.into()).unwrap_err();
        assert!(e.location.line > 1, "{e}");
        let hint = e.hint.as_deref().unwrap_or_default();
        assert!(hint.contains("opened on line 1"), "{hint}");
        // Closed quotes, escapes and doubled apostrophes open nothing.
        let closed = "a: \"x\"\nb: 'it''s'\nc: \"q\\\" r\"\nd: e\n";
        assert_eq!(unclosed_quote(closed, 5), None);
        // Still open at the line the parser stopped on, in a list item, with its quote.
        assert_eq!(
            unclosed_quote("a: x\n- b: 'open\nc: d\n", 3),
            Some((2, '\''))
        );
        // A quote that closes on a later line is valid YAML, not the problem.
        assert_eq!(unclosed_quote("a: \"two\n  lines\"\nb: [\n", 4), None);
        // Quotes in the text of a `|` block are text.
        let block =
            "summary: |\n  He said: \"we will not\n  go back\".\n  - \"Woman, life,\nb: [\n";
        assert_eq!(unclosed_quote(block, 6), None);
    }

    /// A `: ` inside a value and a key indented under a line that has its value are the two
    /// usual "mapping values are not allowed" mistakes; each gets its own hint.
    #[test]
    fn a_misplaced_colon_is_explained() {
        let hint = hint_of("title: Protest in Tehran: 500 arrested\ndate: 2026-01-03\n");
        assert!(
            hint.contains(r#"`title: "Protest in Tehran: 500 arrested"`"#),
            "{hint}"
        );
        let hint = hint_of("title: A \"quoted\" word: here\n");
        assert!(
            hint.contains(r#"`title: 'A "quoted" word: here'`"#),
            "{hint}"
        );
        let hint = hint_of("title: A\n  date: 2026-01-03\n");
        assert!(
            hint.contains("line 2 is indented more than line 1"),
            "{hint}"
        );
        assert!(hint.contains("`date:`"), "{hint}");
        // Prose running on to the next line is not a key to move left.
        let hint = hint_of("summary: Protesters gathered\n  in Tehran: 500 arrested\n");
        assert!(hint.contains("the text begun on line 1"), "{hint}");
        // A backslash would be an escape in double quotes; a comment is not part of the text.
        let hint = hint_of("title: Ruling: C:\\Users\n");
        assert!(hint.contains(r"`title: 'Ruling: C:\Users'`"), "{hint}");
        let hint = hint_of("title: A: b  # BBC\n");
        assert!(hint.contains(r#"`title: "A: b"`"#), "{hint}");
    }

    /// The hint of the error a broken file gets.
    fn hint_of(text: &str) -> String {
        let e = parse(Path::new("t.yaml"), text.into()).unwrap_err();
        e.hint.unwrap_or_default()
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = (b'a' + i - 1) as char;
            let name = (b'a' + i) as char;
            text.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let e = parse(Path::new("t.yaml"), text).unwrap_err();
        assert!(e.message.contains("limit"), "{e}");
    }
}
