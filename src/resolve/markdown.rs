//! Summaries are Markdown written by people we do not vet: raw HTML and links other than
//! http(s) and mailto are refused here, and escaped again when rendering.

use super::event::{Checker, Field};
use crate::diagnostic::Location;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

pub fn options() -> Options {
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES | Options::ENABLE_TABLES
}

/// Whether a link destination is allowed in contributor text.
pub fn safe_link(dest: &str) -> bool {
    let lower = dest.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

/// Problems reported in one text before the rest are summed up in one more: a summary of
/// 100,000 `<b>` is one mistake, not 100,000.
const MAX_PROBLEMS: usize = 10;

/// How deeply quotes and lists may nest: deeper is never prose, and each level costs a page
/// twice its markup (900,000 `>` would be 300 MB of pages).
pub const MAX_NESTING: usize = 16;

pub(super) fn check(c: &mut Checker, text: &str, field: Field) {
    if plainly_safe(text) {
        return;
    }
    let path = field.path();
    let path = path.as_str();
    let mut reported = 0;
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match &event {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Item) => depth += 1,
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item) => {
                depth = depth.saturating_sub(1)
            }
            _ => {}
        }
        if depth > MAX_NESTING {
            let at = position_in_scalar(c, path, text, range.start);
            c.error(
                at,
                format!("quotes or lists are nested more than {MAX_NESTING} levels deep"),
                "write plain paragraphs; a quote or list inside another is enough",
            );
            return;
        }
        let problem = match &event {
            Event::Html(html) | Event::InlineHtml(html) => Some((
                format!("raw HTML is not allowed: `{}`", html.trim().chars().take(40).collect::<String>()),
                "write it in Markdown (**bold**, [text](https://…)); to show a literal `<`, write `\\<`".to_string(),
            )),
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) if !safe_link(dest_url) => Some((
                format!("link to `{dest_url}` is not allowed"),
                "links must start with https://, http:// or mailto:".to_string(),
            )),
            _ => None,
        };
        if let Some((message, hint)) = problem {
            let at = position_in_scalar(c, path, text, range.start);
            if reported == MAX_PROBLEMS {
                c.error(
                    at,
                    format!(
                        "more raw HTML or unsafe links follow in `{}`",
                        path.replace('/', ".")
                    ),
                    "fix the ones reported above; the same fix applies to the rest",
                );
                return;
            }
            c.error(at, message, hint);
            reported += 1;
        }
    }
}

/// Whether `text` certainly has no raw HTML and no link or image to refuse, found without
/// parsing it: nearly every summary, which then need not be parsed here.
///
/// Raw HTML and autolinks start with `<`. Every other link or image is `[text](destination)`,
/// its destination after `](` and optional whitespace, or `[text]`, `[text][label]` with its
/// destination in a definition `[label]: destination`. So text without `<` and without `]:`,
/// in which every `](` is followed by an allowed scheme, is safe; anything else (a code span
/// that merely looks like a link included) is left to the parser.
///
/// Quotes and lists nest only behind a run of `>`, list markers and spaces at the start of a
/// line: text whose lines all start with a short such run cannot nest too deeply.
fn plainly_safe(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.contains(&b'<') {
        return false;
    }
    let nests = |line: &str| {
        line.bytes()
            .take_while(|b| {
                matches!(
                    b,
                    b'>' | b'-' | b'*' | b'+' | b' ' | b'\t' | b'0'..=b'9' | b'.' | b')'
                )
            })
            .count()
            > MAX_NESTING
    };
    if text.lines().any(nests) {
        return false;
    }
    let allowed = |rest: &[u8]| {
        ["https://", "http://", "mailto:"].iter().any(|scheme| {
            rest.get(..scheme.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(scheme.as_bytes()))
        })
    };
    let mut from = 0;
    while let Some(i) = text[from..].find(']').map(|i| from + i) {
        match bytes.get(i + 1) {
            Some(b':') => return false,
            Some(b'(') => {
                let rest = &bytes[i + 2..];
                let blank = rest
                    .iter()
                    .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                    .count();
                if !allowed(&rest[blank..]) {
                    return false;
                }
            }
            _ => {}
        }
        from = i + 1;
    }
    true
}

/// Where byte `offset` of a scalar's text is in the file. Block scalars (`|`, `>`) start on
/// the line after their indicator, indented; other scalars start where their value does.
fn position_in_scalar(c: &Checker, path: &str, text: &str, offset: usize) -> Location {
    let value = c.at(path);
    let line_in_text = text[..offset].matches('\n').count();
    let col_in_line = text[..offset]
        .rsplit('\n')
        .next()
        .unwrap_or("")
        .chars()
        .count();
    let source_line = c.doc.text.lines().nth(value.line - 1).unwrap_or("");
    let indicator = source_line.chars().nth(value.column - 1);
    if matches!(indicator, Some('|') | Some('>')) {
        let first = value.line + 1 + line_in_text;
        let indent = c
            .doc
            .text
            .lines()
            .nth(first - 1)
            .map(|l| l.len() - l.trim_start().len())
            .unwrap_or(0);
        Location::new(first, indent + col_in_line + 1, 1)
    } else if line_in_text > 0 && matches!(indicator, Some('"') | Some('\'')) {
        // In a quoted scalar a line of the text is not a line of the file: `\n` is written as
        // an escape, and a line break of the file folds into a space. Point at the scalar
        // itself rather than at a line that may not exist.
        value
    } else {
        let quote = usize::from(matches!(indicator, Some('"') | Some('\'')));
        Location::new(
            value.line + line_in_text,
            value.column + quote + col_in_line,
            1,
        )
    }
}
