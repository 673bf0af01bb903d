//! Summaries are Markdown written by people we do not vet: raw HTML and links other than
//! http(s) and mailto are refused here, and escaped again when rendering.

use super::event::Checker;
use crate::diagnostic::Location;
use pulldown_cmark::{Event, Options, Parser, Tag};

pub fn options() -> Options {
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES | Options::ENABLE_TABLES
}

/// Whether a link destination is allowed in contributor text.
pub fn safe_link(dest: &str) -> bool {
    let lower = dest.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

pub(super) fn check(c: &mut Checker, text: &str, path: &str) {
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
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
            c.error(at, message, hint);
        }
    }
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
    } else {
        let quote = usize::from(matches!(indicator, Some('"') | Some('\'')));
        Location::new(
            value.line + line_in_text,
            value.column + quote + col_in_line,
            1,
        )
    }
}
