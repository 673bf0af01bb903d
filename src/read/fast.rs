//! The fast path for YAML files: a small parser for the plain subset of YAML that event files,
//! the gazetteer and the registries are written in. Event files are deserialised straight into
//! an [`EventFile`]; other files become the same `serde_yaml::Value` serde_yaml would make.
//!
//! It gives up (returns `None`) at the first thing it is not certain about — an unknown field,
//! a value of the wrong type, a duplicate key, an anchor, a tag, a folded or multi-line scalar,
//! an indentation it does not expect, a number it cannot classify exactly as serde_yaml would —
//! and the caller then takes the full path (serde_yaml's parse, and for events the schema walk
//! and the lenient per-field deserialisation), which finds and reports every problem. So this
//! path only ever accepts event files that the full path accepts without a single diagnostic,
//! and gives the same [`EventFile`] for them; it exists because nearly every file is such a
//! file, and parsing them here is several times cheaper than building a `serde_yaml::Value`,
//! cloning it and deserialising it again.
//!
//! The subset: a block mapping or sequence at the left margin; block mappings and sequences
//! nested by indentation (a sequence may sit at its key's indentation); plain, single- and
//! double-quoted scalars on one line; flow sequences and mappings on one line; literal block
//! scalars (`|`, `|-`); comments on their own lines and after values. Scalars are resolved as
//! serde_yaml resolves them (YAML 1.2 core schema): `null`, `~`, `true`, `false`, numbers;
//! anything ambiguous makes the parser give up.
//!
//! The tests below compare both paths on every bundled file and on many thousands of random
//! edits of them.
//!
//! # What it buys (measured, issue 14 item 7)
//!
//! Kept because it cuts `check` by well over the 20 % the issue asked for on files in our own
//! style (what `ruzshomar new` writes and contributors write; all 80 bundled events and 100 % of
//! generated ones take this path). Release build, `RUZSHOMAR_TODAY=2026-11-22`, sites from
//! `cargo run --release --example generate -- N DIR`; "off" = both `event_file` and `value`
//! skipped (measurement-only switch, not committed). Medians of 7–9 alternating on/off runs on a
//! shared 2-core machine; CPU = user + sys. Instruction counts are callgrind totals (deterministic).
//!
//! | `check`, our style                 | fast path on | off     | saved |
//! |------------------------------------|-------------:|--------:|------:|
//! | 10,000 events, CPU s               | 0.30         | 0.68    | 56 %  |
//! | 50,000 events, CPU s               | 1.32         | 3.36    | 61 %  |
//! | 50,000 events, wall s              | 2.01         | 5.13    | 61 %  |
//! | 2,000 events, instructions         | 354 M        | 1,248 M | 72 %  |
//! | 0 events (gazetteer etc.), instr.  | 198 M        | 341 M   | 42 %  |
//!
//! Per event that is about 78 k instructions here against 453 k through serde_yaml, its `Value`
//! and the lenient per-field deserialisation. `build` gains the same absolute amount, which is
//! small beside writing the pages: 5.95 G vs 6.84 G instructions at 2,000 events (13 %); at
//! 10,000 events its CPU time (≈ 20 s, mostly sys) was too noisy to show the difference.
//!
//! Files written by another tool do NOT take this path: PyYAML's `safe_dump(width=80)` folds
//! long scalars across lines (plain and single-quoted), which the subset refuses, so 0 % of
//! such files are taken and the failed attempts (`event_file`, then `value` again) make `check`
//! 4–8 % slower than with the path off (50,000 events: 4.16 vs 3.86 CPU s). The same files with
//! multi-line scalars written as `|` blocks and no folding all take it (357 M instructions at
//! 2,000 events, against 1,223 M as written).

use crate::event_file::EventFile;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_yaml::{Mapping, Value};
use std::borrow::Cow;
use std::fmt;

/// The event in `text`, when the file is in the subset and every field is known and well typed.
pub fn event_file(text: &str) -> Option<EventFile> {
    parse(text, |root| EventFile::deserialize(root).ok())
}

/// The value of `text` exactly as `serde_yaml::from_str::<serde_yaml::Value>` reads it, when
/// the file is in the subset (the gazetteer and the registries are).
pub fn value(text: &str) -> Option<Value> {
    parse(text, to_value)
}

/// Parses `text` when it is in the subset, and hands the root node to `then`.
fn parse<T>(text: &str, then: impl FnOnce(&Node) -> Option<T>) -> Option<T> {
    thread_local! {
        /// Where each line starts and ends, and its indentation: kept from file to file.
        static LINES: std::cell::RefCell<Vec<[u32; 3]>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    if text.len() >= u32::MAX as usize || !plain_text(text) {
        return None;
    }
    LINES.with_borrow_mut(|lines| {
        lines.clear();
        let bytes = text.as_bytes();
        let mut start = 0;
        while let Some(length) = text[start..].find('\n') {
            let end = start + length;
            let indent = bytes[start..end].iter().take_while(|b| **b == b' ').count();
            lines.push([start as u32, end as u32, indent as u32]);
            start = end + 1;
        }
        let mut parser = Parser {
            text,
            lines,
            pos: 0,
        };
        then(&parser.document()?)
    })
}

/// A node as a `serde_yaml::Value`, built as serde_yaml builds it from the same text.
fn to_value(node: &Node) -> Option<Value> {
    Some(match node {
        Node::Seq(items) => Value::Sequence(items.iter().map(to_value).collect::<Option<_>>()?),
        Node::Map(entries) => Value::Mapping(
            entries
                .iter()
                .map(|(key, value)| Some((Value::String((*key).to_string()), to_value(value)?)))
                .collect::<Option<Mapping>>()?,
        ),
        _ => match node.scalar() {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Int(n) => Value::Number(n.into()),
            Scalar::NegInt(n) => Value::Number(n.into()),
            Scalar::Float(x) if x.is_finite() => Value::Number(x.into()),
            Scalar::Str(s) => Value::String(s.to_string()),
            Scalar::Float(_) | Scalar::Unsure => return None,
        },
    })
}

/// Text the parser can take line by line: ending in a newline, without tabs, carriage returns,
/// byte order marks, or characters YAML treats as line breaks or refuses. (Directives and
/// document markers, `%YAML`, `---` and `...`, need no check: a line at the left margin must
/// be `key: …` or `- …` here, and a block scalar's lines are indented.)
fn plain_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.last() != Some(&b'\n') {
        return false;
    }
    // Control characters (bit 0), and the lead bytes (bit 1) of the few non-ASCII characters
    // YAML refuses, which are then looked at closely; 64 bytes at a time, without branches, so
    // that the compiler vectorises it.
    let blocks = bytes.chunks_exact(64);
    let tail = blocks.remainder();
    let tail_flags = tail.iter().fold(0, |flags, &b| flags | byte_flags(b));
    let flags = blocks.map(|block| block_flags(block.try_into().expect("64 bytes")));
    for (n, found) in flags.chain([tail_flags]).enumerate() {
        if found & 1 != 0 {
            return false;
        }
        if found & 2 != 0 {
            let first = n * 64;
            for i in first..(first + 64).min(bytes.len()) {
                let next = (bytes.get(i + 1).copied(), bytes.get(i + 2).copied());
                let refused = match bytes[i] {
                    // U+0080–U+009F: C1 controls, NEL among them.
                    0xC2 => matches!(next.0, Some(0x80..=0x9F)),
                    // U+2028, U+2029: line and paragraph separators.
                    0xE2 => matches!(next, (Some(0x80), Some(0xA8 | 0xA9))),
                    // U+FEFF (byte order mark), U+FFFE, U+FFFF.
                    0xEF => matches!(
                        next,
                        (Some(0xBB), Some(0xBF)) | (Some(0xBF), Some(0xBE | 0xBF))
                    ),
                    _ => false,
                };
                if refused {
                    return false;
                }
            }
        }
    }
    true
}

/// See [`plain_text`]: bit 0 for a control character, bit 1 for a byte that may start a refused
/// character.
#[inline(always)]
fn byte_flags(b: u8) -> u8 {
    let control = (b < 0x20) & (b != b'\n') | (b == 0x7F);
    let lead = (b == 0xC2) | (b == 0xE2) | (b == 0xEF);
    u8::from(control) | (u8::from(lead) << 1)
}

/// [`byte_flags`] of a whole block: a fixed length, which the compiler vectorises.
#[inline(never)]
fn block_flags(block: &[u8; 64]) -> u8 {
    block.iter().fold(0, |flags, &b| flags | byte_flags(b))
}

/// A parsed node. Strings borrow from the text unless an escape or a block scalar made a new one.
#[derive(Debug)]
enum Node<'a> {
    /// An empty value (`key:` with nothing under it).
    Null,
    /// A plain scalar: null, a boolean, a number or a string, depending on its text.
    Plain(&'a str),
    /// A quoted or block scalar: always a string.
    Text(Cow<'a, str>),
    Seq(Vec<Node<'a>>),
    Map(Vec<(&'a str, Node<'a>)>),
}

/// A line: its indentation (in spaces), the text after it, the whole line, and the number of
/// the line after it.
struct Line<'a> {
    indent: usize,
    rest: &'a str,
    raw: &'a str,
    next: usize,
}

struct Parser<'a, 'l> {
    text: &'a str,
    /// Start, end and indentation of every line (the text ends with a newline).
    lines: &'l [[u32; 3]],
    /// The next line to look at.
    pos: usize,
}

/// `key: rest` or `key:` at the start of `text`, for a plain key of lower-case ASCII letters,
/// digits, `_` and `-` (every key of the format). Other keys make the parser give up.
fn split_key(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    if !matches!(bytes.first(), Some(b'a'..=b'z' | b'_')) {
        return None;
    }
    let end = bytes
        .iter()
        .position(|b| !matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'))?;
    if bytes[end] != b':' || !matches!(bytes.get(end + 1), None | Some(b' ')) {
        return None;
    }
    let key = &text[..end];
    // Keys serde_yaml would read as null or a boolean, not as text.
    if matches!(key, "null" | "true" | "false") {
        return None;
    }
    Some((key, &text[end + 1..]))
}

/// Whether a plain scalar may start `text` (YAML indicators may not; `-`, `?` and `:` may when
/// a non-space follows, taken here only for `-` and a digit: a negative number).
fn plain_start(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() > 1 && bytes[0] == b'-' && bytes[1].is_ascii_digit() {
        return true;
    }
    !bytes.is_empty()
        && !matches!(
            bytes[0],
            b'-' | b'?'
                | b':'
                | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
                | b' '
        )
}

/// What may follow a value on its line: nothing, or spaces and a comment.
fn only_comment(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches(' ');
    trimmed.is_empty() || (trimmed.len() < rest.len() && trimmed.starts_with('#'))
}

impl<'a> Parser<'a, '_> {
    /// Line number `n` (from 0), if there is one.
    fn line(&self, n: usize) -> Option<Line<'a>> {
        let [start, end, indent] = self.lines.get(n)?.map(|x| x as usize);
        let raw = &self.text[start..end];
        Some(Line {
            indent,
            rest: &raw[indent..],
            raw,
            next: n + 1,
        })
    }

    /// Moves past the current line.
    fn advance(&mut self) {
        self.pos = (self.pos + 1).min(self.lines.len());
    }

    /// The next line at or after `self.pos` that is neither blank nor a comment: its number,
    /// its indentation and its text.
    fn next_significant(&self) -> Option<(usize, usize, &'a str)> {
        let mut start = self.pos;
        while let Some(line) = self.line(start) {
            if !line.rest.is_empty() && !line.rest.starts_with('#') {
                return Some((start, line.indent, line.rest));
            }
            start = line.next;
        }
        None
    }

    /// After a value that ended its line: the next non-blank line (comments included) must not
    /// be indented past `indent`, or it would continue the value (or be an error).
    fn no_deeper(&self, indent: usize) -> Option<()> {
        let mut start = self.pos;
        while let Some(line) = self.line(start) {
            if !line.rest.is_empty() {
                return (line.indent <= indent).then_some(());
            }
            start = line.next;
        }
        Some(())
    }

    /// The root: a block mapping or sequence at the left margin, and nothing after it.
    fn document(&mut self) -> Option<Node<'a>> {
        let (_, indent, text) = self.next_significant()?;
        if indent != 0 {
            return None;
        }
        let root = if is_dash(text) {
            self.sequence(0)?
        } else {
            self.mapping(0, None)?
        };
        self.next_significant().is_none().then_some(root)
    }

    /// A block mapping whose keys are at column `indent`. `first` is the text of its first entry
    /// when that is on the current line after a `- `.
    fn mapping(&mut self, indent: usize, mut first: Option<&'a str>) -> Option<Node<'a>> {
        let mut entries: Vec<(&'a str, Node<'a>)> =
            Vec::with_capacity(if indent == 0 { 16 } else { 8 });
        let mut keys = Keys::default();
        loop {
            let text = match first.take() {
                Some(text) => text,
                None => match self.next_significant() {
                    Some((start, i, text)) if i == indent => {
                        self.pos = start;
                        text
                    }
                    Some((_, i, _)) if i > indent => return None,
                    _ => break,
                },
            };
            let (key, after) = split_key(text)?;
            if keys.repeated(&entries, key) {
                return None;
            }
            let value = self.value_after_key(indent, after)?;
            entries.push((key, value));
        }
        Some(Node::Map(entries))
    }

    /// The value of a key of a mapping at `indent`; `after` is the rest of the key's line.
    fn value_after_key(&mut self, indent: usize, after: &'a str) -> Option<Node<'a>> {
        let value = after.trim_start_matches(' ');
        if value.is_empty() || value.starts_with('#') {
            self.advance();
            return match self.next_significant() {
                Some((_, i, text)) if i > indent => {
                    if is_dash(text) {
                        self.sequence(i)
                    } else {
                        self.mapping(i, None)
                    }
                }
                Some((_, i, text)) if i == indent && is_dash(text) => self.sequence(i),
                _ => Some(Node::Null),
            };
        }
        let node = self.inline(value, indent)?;
        self.no_deeper(indent)?;
        Some(node)
    }

    /// A block sequence whose dashes are at column `indent`.
    fn sequence(&mut self, indent: usize) -> Option<Node<'a>> {
        let mut items = Vec::new();
        loop {
            match self.next_significant() {
                Some((start, i, text)) if i == indent && is_dash(text) => {
                    self.pos = start;
                    let after = &text[1..];
                    let item = after.trim_start_matches(' ');
                    if item.is_empty() || item.starts_with('#') || is_dash(item) {
                        return None;
                    }
                    let column = indent + 1 + (after.len() - item.len());
                    if split_key(item).is_some() {
                        items.push(self.mapping(column, Some(item))?);
                    } else if item.starts_with('|') {
                        return None;
                    } else {
                        items.push(self.inline(item, indent)?);
                        self.no_deeper(indent)?;
                    }
                }
                Some((_, i, _)) if i > indent => return None,
                _ => break,
            }
        }
        Some(Node::Seq(items))
    }

    /// A value that starts on the current line, of a node whose parent is at `indent`. Leaves
    /// `self.pos` on the first line after the value.
    fn inline(&mut self, text: &'a str, indent: usize) -> Option<Node<'a>> {
        let first = *text.as_bytes().first()?;
        match first {
            b'|' => {
                let header = &text[1..];
                let (strip, rest) = match header.strip_prefix('-') {
                    Some(rest) => (true, rest),
                    None => (false, header),
                };
                if !only_comment(rest) {
                    return None;
                }
                self.advance();
                self.literal(indent, strip)
            }
            b'"' | b'\'' | b'[' | b'{' => {
                let (node, rest) = flow_node(text, 0)?;
                if !only_comment(rest) {
                    return None;
                }
                self.advance();
                Some(node)
            }
            _ if plain_start(text) => {
                let end = find_pair(text, b' ', b'#').unwrap_or(text.len());
                let plain = text[..end].trim_end_matches(' ');
                if find_pair(plain, b':', b' ').is_some() || plain.ends_with(':') {
                    return None;
                }
                self.advance();
                Some(Node::Plain(plain))
            }
            _ => None,
        }
    }

    /// The content of a literal block scalar whose parent is at `indent`, from the current line.
    fn literal(&mut self, indent: usize, strip: bool) -> Option<Node<'a>> {
        let first = self.line(self.pos)?;
        let content_indent = first.indent;
        if first.rest.is_empty() || content_indent <= indent {
            return None;
        }
        let mut out = String::with_capacity(256);
        let mut blank = 0;
        // Where parsing resumes: after the last content line (trailing blank lines are not
        // part of the value).
        let mut resume = self.pos;
        let mut start = self.pos;
        while let Some(line) = self.line(start) {
            if line.rest.is_empty() {
                if line.indent > content_indent {
                    return None;
                }
                blank += 1;
            } else if line.indent < content_indent {
                break;
            } else {
                for _ in 0..blank {
                    out.push('\n');
                }
                blank = 0;
                out.push_str(&line.raw[content_indent..]);
                out.push('\n');
                resume = line.next;
            }
            start = line.next;
        }
        self.pos = resume;
        if strip {
            out.pop();
        }
        Some(Node::Text(Cow::Owned(out)))
    }
}

/// Where the two bytes `a`, `b` first follow each other in `text` (ASCII: never inside a
/// character).
fn find_pair(text: &str, a: u8, b: u8) -> Option<usize> {
    text.as_bytes()
        .windows(2)
        .position(|w| w[0] == a && w[1] == b)
}

fn is_dash(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// A quoted scalar or a flow collection at the start of `text`, on one line; returns it and the
/// text after it. `depth` bounds nesting.
fn flow_node(text: &str, depth: usize) -> Option<(Node<'_>, &str)> {
    if depth > 4 {
        return None;
    }
    match *text.as_bytes().first()? {
        b'"' => double_quoted(text),
        b'\'' => single_quoted(text),
        b'[' => {
            let mut items = Vec::new();
            let mut rest = text[1..].trim_start_matches(' ');
            if let Some(after) = rest.strip_prefix(']') {
                return Some((Node::Seq(items), after));
            }
            loop {
                let (item, after) = flow_item(rest, depth)?;
                items.push(item);
                let after = after.trim_start_matches(' ');
                if let Some(after) = after.strip_prefix(']') {
                    return Some((Node::Seq(items), after));
                }
                rest = after.strip_prefix(',')?.trim_start_matches(' ');
            }
        }
        b'{' => {
            let mut entries: Vec<(&str, Node)> = Vec::new();
            let mut keys = Keys::default();
            let mut rest = text[1..].trim_start_matches(' ');
            if let Some(after) = rest.strip_prefix('}') {
                return Some((Node::Map(entries), after));
            }
            loop {
                let (key, after) = split_key(rest)?;
                if keys.repeated(&entries, key) {
                    return None;
                }
                let (value, after) = flow_item(after.trim_start_matches(' '), depth)?;
                entries.push((key, value));
                let after = after.trim_start_matches(' ');
                if let Some(after) = after.strip_prefix('}') {
                    return Some((Node::Map(entries), after));
                }
                rest = after.strip_prefix(',')?.trim_start_matches(' ');
            }
        }
        _ => None,
    }
}

/// The keys of a mapping being read, to find a repeated one: the few keys of a real mapping
/// are compared one by one; past [`Keys::FEW`] they go into a set, so that a file of 100,000
/// keys is not read in time that grows with their square.
#[derive(Default)]
struct Keys<'a> {
    set: std::collections::HashSet<&'a str>,
}

impl<'a> Keys<'a> {
    const FEW: usize = 16;

    /// Whether `key` is one of the keys of `entries` (all the mapping's keys before it), which
    /// it then counts as seen.
    fn repeated(&mut self, entries: &[(&'a str, Node<'a>)], key: &'a str) -> bool {
        if entries.len() < Self::FEW {
            return entries.iter().any(|(k, _)| *k == key);
        }
        if self.set.is_empty() {
            self.set.extend(entries.iter().map(|(k, _)| *k));
        }
        !self.set.insert(key)
    }
}

/// One value inside a flow collection: a quoted scalar, a nested collection or a plain scalar
/// (which ends at `,`, `]` or `}`).
fn flow_item(text: &str, depth: usize) -> Option<(Node<'_>, &str)> {
    let first = *text.as_bytes().first()?;
    if matches!(first, b'"' | b'\'' | b'[' | b'{') {
        return flow_node(text, depth + 1);
    }
    if !plain_start(text) {
        return None;
    }
    let end = text
        .bytes()
        .position(|b| matches!(b, b',' | b']' | b'}' | b'[' | b'{' | b'#'))?;
    if matches!(text.as_bytes()[end], b'[' | b'{' | b'#') {
        return None;
    }
    let plain = text[..end].trim_end_matches(' ');
    if plain.ends_with(':') || find_pair(plain, b':', b' ').is_some() {
        return None;
    }
    Some((Node::Plain(plain), &text[end..]))
}

fn double_quoted(text: &str) -> Option<(Node<'_>, &str)> {
    let body = &text[1..];
    let end = body.bytes().position(|b| b == b'"' || b == b'\\')?;
    if body.as_bytes()[end] == b'"' {
        return Some((Node::Text(Cow::Borrowed(&body[..end])), &body[end + 1..]));
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((Node::Text(Cow::Owned(out)), &body[i + 1..])),
            '\\' => {
                let (_, e) = chars.next()?;
                out.push(match e {
                    '\\' => '\\',
                    '"' => '"',
                    '/' => '/',
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    '0' => '\0',
                    'u' => {
                        let hex = body.get(i + 2..i + 6)?;
                        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                            return None;
                        }
                        for _ in 0..4 {
                            chars.next();
                        }
                        char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
                    }
                    _ => return None,
                });
            }
            c => out.push(c),
        }
    }
    None
}

fn single_quoted(text: &str) -> Option<(Node<'_>, &str)> {
    let body = &text[1..];
    let mut out: Option<String> = None;
    let mut start = 0;
    let mut i = 0;
    let bytes = body.as_bytes();
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                let s = out.get_or_insert_with(String::new);
                s.push_str(&body[start..=i]);
                i += 2;
                start = i;
                continue;
            }
            let node = match out {
                None => Node::Text(Cow::Borrowed(&body[..i])),
                Some(mut s) => {
                    s.push_str(&body[start..i]);
                    Node::Text(Cow::Owned(s))
                }
            };
            return Some((node, &body[i + 1..]));
        }
        i += 1;
    }
    None
}

/// What a plain scalar is, as serde_yaml resolves it; `Unsure` makes the parser give up.
#[derive(Debug, PartialEq)]
enum Scalar<'a> {
    Null,
    Bool(bool),
    Int(u64),
    NegInt(i64),
    Float(f64),
    Str(&'a str),
    Unsure,
}

/// serde_yaml's resolution of an untagged plain scalar (`visit_untagged_scalar` in its `de.rs`,
/// 0.9.34, with the same helper functions below), except that 128-bit integers are `Unsure`.
fn classify(s: &str) -> Scalar<'_> {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Scalar::Null,
        "true" | "True" | "TRUE" => return Scalar::Bool(true),
        "false" | "False" | "FALSE" => return Scalar::Bool(false),
        _ => {}
    }
    // No integer and no finite float starts with anything else: the common case, text.
    if !matches!(s.as_bytes()[0], b'0'..=b'9' | b'+' | b'-' | b'.') {
        return Scalar::Str(s);
    }
    // Dates: groups of digits joined by `-` parse as neither (a shortcut for the checks below).
    if s.as_bytes()[0].is_ascii_digit()
        && s.contains('-')
        && s.split('-')
            .all(|group| !group.is_empty() && group.bytes().all(|b| b.is_ascii_digit()))
    {
        return Scalar::Str(s);
    }
    if let Some(n) = parse_unsigned_int(s, u64::from_str_radix) {
        return Scalar::Int(n);
    }
    if let Some(n) = parse_negative_int(s, i64::from_str_radix) {
        return Scalar::NegInt(n);
    }
    if parse_unsigned_int(s, u128::from_str_radix).is_some()
        || parse_negative_int(s, i128::from_str_radix).is_some()
    {
        return Scalar::Unsure;
    }
    if !digits_but_not_number(s) {
        if let Some(x) = parse_f64(s) {
            return Scalar::Float(x);
        }
    }
    Scalar::Str(s)
}

fn parse_unsigned_int<T>(
    scalar: &str,
    from_str_radix: fn(&str, u32) -> Result<T, std::num::ParseIntError>,
) -> Option<T> {
    let unpositive = scalar.strip_prefix('+').unwrap_or(scalar);
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unpositive.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(int) = from_str_radix(rest, radix) {
                return Some(int);
            }
        }
    }
    if unpositive.starts_with(['+', '-']) || digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(unpositive, 10).ok()
}

fn parse_negative_int<T>(
    scalar: &str,
    from_str_radix: fn(&str, u32) -> Result<T, std::num::ParseIntError>,
) -> Option<T> {
    for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = scalar.strip_prefix(prefix) {
            if let Ok(int) = from_str_radix(&format!("-{rest}"), radix) {
                return Some(int);
            }
        }
    }
    if digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(scalar, 10).ok()
}

fn parse_f64(scalar: &str) -> Option<f64> {
    let unpositive = match scalar.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => scalar,
    };
    if let ".inf" | ".Inf" | ".INF" = unpositive {
        return Some(f64::INFINITY);
    }
    if let "-.inf" | "-.Inf" | "-.INF" = scalar {
        return Some(f64::NEG_INFINITY);
    }
    if let ".nan" | ".NaN" | ".NAN" = scalar {
        return Some(f64::NAN.copysign(1.0));
    }
    unpositive.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A leading zero followed by digits is text to YAML 1.2 (and so to serde_yaml).
fn digits_but_not_number(scalar: &str) -> bool {
    let scalar = scalar.strip_prefix(['-', '+']).unwrap_or(scalar);
    scalar.len() > 1 && scalar.starts_with('0') && scalar[1..].bytes().all(|b| b.is_ascii_digit())
}

// ---------------------------------------------------------------------------------------------
// Deserialising a node. Any mismatch is `GiveUp`: the full path will explain it.

#[derive(Debug)]
pub struct GiveUp;

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("not in the fast path's subset")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: fmt::Display>(_: T) -> Self {
        GiveUp
    }
}

impl<'a> Node<'a> {
    fn scalar(&self) -> Scalar<'_> {
        match self {
            Node::Null => Scalar::Null,
            Node::Plain(s) => classify(s),
            Node::Text(s) => Scalar::Str(s),
            _ => Scalar::Unsure,
        }
    }
}

impl<'de> de::Deserializer<'de> for &Node<'_> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self {
            Node::Seq(items) => visitor.visit_seq(Items(items.iter())),
            Node::Map(entries) => visitor.visit_map(Entries {
                entries: entries.iter(),
                value: None,
            }),
            _ => match self.scalar() {
                Scalar::Null => visitor.visit_unit(),
                Scalar::Bool(b) => visitor.visit_bool(b),
                Scalar::Int(n) => visitor.visit_u64(n),
                Scalar::NegInt(n) => visitor.visit_i64(n),
                Scalar::Float(x) => visitor.visit_f64(x),
                Scalar::Str(s) => visitor.visit_str(s),
                Scalar::Unsure => Err(GiveUp),
            },
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self.scalar() {
            Scalar::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self.scalar() {
            Scalar::Bool(b) if matches!(self, Node::Plain(_)) => visitor.visit_bool(b),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self {
            Node::Plain(_) => match self.scalar() {
                Scalar::Int(n) => visitor.visit_u64(n),
                Scalar::NegInt(n) => visitor.visit_i64(n),
                _ => Err(GiveUp),
            },
            _ => Err(GiveUp),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self {
            Node::Plain(_) => match self.scalar() {
                Scalar::Int(n) => visitor.visit_u64(n),
                Scalar::NegInt(n) => visitor.visit_i64(n),
                Scalar::Float(x) => visitor.visit_f64(x),
                _ => Err(GiveUp),
            },
            _ => Err(GiveUp),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self {
            Node::Plain(_) | Node::Text(_) => match self.scalar() {
                Scalar::Str(s) => visitor.visit_str(s),
                _ => Err(GiveUp),
            },
            _ => Err(GiveUp),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        self.deserialize_str(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self {
            Node::Seq(items) => visitor.visit_seq(Items(items.iter())),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self {
            Node::Map(entries) => visitor.visit_map(Entries {
                entries: entries.iter(),
                value: None,
            }),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, GiveUp> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, GiveUp> {
        match self {
            Node::Plain(_) | Node::Text(_) => match self.scalar() {
                Scalar::Str(s) => visitor.visit_enum(s.into_deserializer()),
                _ => Err(GiveUp),
            },
            _ => Err(GiveUp),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, GiveUp> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u128 f32 char bytes byte_buf unit unit_struct
        tuple tuple_struct identifier
    }
}

struct Items<'n, 'a>(std::slice::Iter<'n, Node<'a>>);

impl<'de> SeqAccess<'de> for Items<'_, '_> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, GiveUp> {
        self.0.next().map(|node| seed.deserialize(node)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries<'n, 'a> {
    entries: std::slice::Iter<'n, (&'a str, Node<'a>)>,
    value: Option<&'n Node<'a>>,
}

impl<'de> MapAccess<'de> for Entries<'_, '_> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, GiveUp> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                let key: de::value::StrDeserializer<GiveUp> = key.into_deserializer();
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, GiveUp> {
        seed.deserialize(self.value.take().ok_or(GiveUp)?)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    /// What the full path makes of a file that has no problem at all.
    fn full_path(text: &str) -> Option<EventFile> {
        let value: serde_yaml::Value = serde_yaml::from_str(text).ok()?;
        serde_yaml::from_value(value).ok()
    }

    /// The fast path may give up on anything, but what it accepts the full path accepts too,
    /// with the same result.
    fn agrees(text: &str) -> bool {
        let fast = event_file(text);
        if let Some(fast) = &fast {
            let full = full_path(text);
            assert_eq!(
                Some(format!("{fast:?}")),
                full.map(|f| format!("{f:?}")),
                "the fast path disagrees on:\n{text}"
            );
        }
        fast.is_some()
    }

    const RICH: &str = r#"# yaml-language-server: $schema=../../../../schema/event.schema.json
title: "Strike at the \"bazaar\" \u00e9 \\ done"   # a comment
date: 2026-01-03
end: 2026-01-05
date_precision: approximate
cities: [tehran, 'shiraz', "isfahan"]
place: 15 Khordad metro station, north gate
coordinates: [51.42, 35.69]
geo_precision: exact
outside_iran: false
kind: strike
tags:
- bazaar
- shopkeepers

summary: |
  Shops closed, according to the NCRI.

  A second paragraph with `code`, [a link](https://example.org) and a # hash.
    An indented line.

figures:
  - {what: arrested, count: 12, who: protesters, according_to: ncri}
  - what: killed
    min: 2
    max: 4
    according_to: fars
    via: ncri
    note: 'It''s a claim'
sources:
  - url: https://www.ncr-iran.org/en/?p=341153
    title: "Iran Uprising Day 7"
    publisher: ncri
    published: 2026-01-03
    published_precision: day
    language: en
translations:
  fa:
    title: بستن ایستگاه متروی ۱۵ خرداد در کنار بازار تهران
    summary: |-
      به گزارش شورای ملی مقاومت، حکومت در ۱۷ دی ۱۴۰۴ ایستگاه متروی ۱۵ خرداد را بست.
aliases: [2026-01-03-old-name]
draft: true
updated: 2026-02-01
corrections:
  - date: 2026-02-01
    note: Fixed the date.
duplicate_of: 2026-01-03-the-same-strike
not_duplicate_of: [2026-01-03-another-strike]
import: {source: "bazaar-monitor", key: "row 17", digest: "0123456789abcdef"}
"#;

    #[test]
    fn a_rich_file_takes_the_fast_path_and_agrees() {
        assert!(agrees(RICH));
        let f = event_file(RICH).unwrap();
        assert_eq!(
            f.title.as_deref(),
            Some("Strike at the \"bazaar\" é \\ done")
        );
        assert_eq!(
            f.summary.as_deref(),
            Some("Shops closed, according to the NCRI.\n\nA second paragraph with `code`, [a link](https://example.org) and a # hash.\n  An indented line.\n")
        );
        assert_eq!(f.coordinates, Some(vec![51.42, 35.69]));
    }

    fn files_under(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for entry in walkdir::WalkDir::new(dir) {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "yaml") {
                out.push(entry.into_path());
            }
        }
        out
    }

    #[test]
    fn every_bundled_event_takes_the_fast_path() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let files = files_under(&root.join("content/events"));
        assert!(!files.is_empty());
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            assert!(agrees(&text), "{} left the fast path", file.display());
        }
    }

    #[test]
    fn broken_fixtures_agree() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for file in files_under(&root.join("tests/fixtures/broken")) {
            agrees(&std::fs::read_to_string(&file).unwrap());
        }
    }

    #[test]
    fn what_the_fast_path_gives_up_on() {
        let base = "title: T\ndate: 2026-01-03\n";
        let cases = [
            // Types serde_yaml reads otherwise.
            "title: 123\n",
            "title: true\n",
            "title: 0x1F\n",
            "title: 1e5\n",
            "title: 007\n",
            "draft: yes\n",
            "figures: [{what: killed, count: '12'}]\n",
            "figures: [{what: killed, count: 1,200}]\n",
            "figures: [{what: killed, count: -3}]\n",
            "figures: [{what: killed, count: 12.0}]\n",
            // Unknown and duplicate fields.
            "colour: red\n",
            "title: again\n",
            "sources:\n  - url: https://x.org\n    urll: y\n",
            // YAML this parser does not take.
            "summary: >\n  folded\n",
            "summary: |2\n    indented\n",
            "summary: |+\n  kept\n\n",
            "title: a\n  continued\n",
            "title: \"a\n  b\"\n",
            "title: &a anchored\n",
            "place: *a\n",
            "title: !!str tagged\n",
            "title: a: b\n",
            "title: ends with:\n",
            "tags: [a, b,]\n",
            "tags: [a\n",
            "? title\n: x\n",
            "\"title\": x\n",
            "title:\tx\n",
            "null: x\n",
            "tags:\n  - a\n   - b\n",
        ];
        for case in cases {
            let text = format!("{base}{case}");
            assert!(!agrees(&text), "the fast path took:\n{text}");
        }
        assert!(!agrees("---\ntitle: T\n"));
        assert!(!agrees("title: T"), "no final newline");
        assert!(!agrees("- title: T\n"));
        assert!(!agrees("title: T\r\n"));
        assert!(!agrees("\u{feff}title: T\n"));
        assert!(!agrees("  title: T\n"));
    }

    #[test]
    fn what_the_fast_path_takes() {
        let cases = [
            "title: T #not a comment#\n",
            "title: 'it''s'\n",
            "title: \"\"\n",
            "title: ~\n",
            "title:\n",
            "title: null\n",
            "title:   spaced   \n",
            "place: 15 Khordad\n",
            "place: 2026-01-03\n",
            "place: a:b, [c] {d}\n",
            "tags: []\n",
            "translations: {}\n",
            "translations:\n  fa: {title: x, summary: \"y\"}\n",
            "sources:\n- url: https://x.org\n  title: T\n",
            "sources:\n  -   url: https://x.org\n      title: T\n",
            "coordinates: [46, -33.5]\n",
            "coordinates: [-0, 35]\n",
            "aliases: [2026-01-03-old-name, 1e5x]\n",
            "figures:\n  - what: killed\n    count: 0\n",
            "summary: |\n  a\n\n\n  b\n\n\ndate: 2026-01-03\n",
            "summary: |-\n  a\n# comment\n",
            "summary: | # comment\n  a\n",
            "title: x\n# comment\n\n   # indented comment after a mapping ends\n",
        ];
        for case in cases {
            let text = format!("kind: protest\n{case}");
            assert!(agrees(&text), "the fast path gave up on:\n{text}");
        }
    }

    /// The value path: whatever it accepts, serde_yaml reads to the same value.
    fn same_value(text: &str) -> bool {
        let fast = value(text);
        if let Some(fast) = &fast {
            let full: Option<serde_yaml::Value> = serde_yaml::from_str(text).ok();
            assert_eq!(
                Some(fast),
                full.as_ref(),
                "the value paths disagree on:\n{text}"
            );
        }
        fast.is_some()
    }

    #[test]
    fn the_gazetteer_and_registries_take_the_value_path() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for file in [
            "data/gazetteer/cities.yaml",
            "data/gazetteer/provinces.yaml",
            "data/publishers.yaml",
            "data/kinds.yaml",
        ] {
            let text = std::fs::read_to_string(root.join(file)).unwrap();
            assert!(same_value(&text), "{file} left the fast path");
        }
        assert!(same_value(RICH));
        assert!(same_value(
            "- 1\n- -2\n- 0.5\n- ~\n- true\n- x: [a, 'b']\n  y: {c: d}\n"
        ));
    }

    /// Random edits of valid files: whatever the fast path still accepts, the full path must
    /// read the same way.
    #[test]
    fn random_edits_never_make_the_two_paths_disagree() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut bases = vec![RICH.to_string()];
        for file in files_under(&root.join("content/events"))
            .into_iter()
            .take(3)
        {
            bases.push(std::fs::read_to_string(file).unwrap());
        }
        // A slice of the gazetteer and a registry, for the value path.
        let cities = std::fs::read_to_string(root.join("data/gazetteer/cities.yaml")).unwrap();
        bases.push(cities.lines().take(60).collect::<Vec<_>>().join("\n") + "\n");
        bases.push(std::fs::read_to_string(root.join("data/kinds.yaml")).unwrap());
        const INSERTS: &[&str] = &[
            " ", "  ", "\n", ":", ": ", "#", " #", "-", "- ", "\"", "'", "|", "|-", ">", "[", "]",
            "{", "}", ",", "~", "0", "07", "1.5", "-1", "\t", "!", "&a ", "*a", "null", "true",
            "\\", "\\u00e9", "\\x41", "é", "\u{2028}", "\u{85}", "\r", "---\n", "? ", "x: y",
            "\n  ", "\n- ", "''", "\\\"",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n.max(1) as u64) as usize
        };
        let (mut tried, mut taken) = (0, 0);
        for base in &bases {
            for _ in 0..1000 {
                let mut text = base.clone();
                for _ in 0..1 + next(3) {
                    let boundaries: Vec<usize> = (0..=text.len())
                        .filter(|i| text.is_char_boundary(*i))
                        .collect();
                    let at = boundaries[next(boundaries.len())];
                    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
                    match next(6) {
                        0 | 1 => text.insert_str(at, INSERTS[next(INSERTS.len())]),
                        4 => {
                            // Repeat or drop a whole line.
                            let line = text[line_start..line_end].to_string();
                            if next(2) == 0 {
                                text.insert_str(line_start, &line);
                            } else {
                                text.replace_range(line_start..line_end, "");
                            }
                        }
                        5 => {
                            // Move a line elsewhere.
                            let line = text[line_start..line_end].to_string();
                            text.replace_range(line_start..line_end, "");
                            let starts: Vec<usize> = std::iter::once(0)
                                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                                .filter(|i| *i <= text.len())
                                .collect();
                            text.insert_str(starts[next(starts.len())], &line);
                        }
                        2 => {
                            let end = boundaries
                                .iter()
                                .copied()
                                .find(|&b| b > at + next(6))
                                .unwrap_or(at);
                            text.replace_range(at..end, "");
                        }
                        _ => {
                            // Re-indent a line.
                            if next(2) == 0 {
                                text.insert(line_start, ' ');
                            } else if text[line_start..].starts_with(' ') {
                                text.remove(line_start);
                            }
                        }
                    }
                }
                tried += 1;
                if agrees(&text) {
                    taken += 1;
                }
                same_value(&text);
            }
        }
        // Enough edits keep the file in the subset for this to test something.
        assert!(taken * 5 > tried, "{taken} of {tried}");
    }
}
