//! Contributor Markdown, written by people we do not vet: one module owns the safety policy
//! that `check` enforces and rendering applies again. Raw HTML and links other than http(s)
//! and mailto are refused by `check` ([`problems`]) and, should one ever reach a page, shown as
//! text or left without a target by [`to_html`]; footnote ids are prefixed with the event id
//! so several summaries can share a page.

use pulldown_cmark::{html, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

/// The Markdown extensions summaries may use, for checking and rendering alike.
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

/// What is wrong in a text, at a byte offset of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
    pub hint: &'static str,
}

/// Every problem of `text` (at most [`MAX_PROBLEMS`] and a last one saying more follow), in
/// order. Texts that plainly have none are not parsed at all.
pub fn problems(text: &str) -> Vec<Problem> {
    if plainly_safe(text) {
        return Vec::new();
    }
    let mut found = Vec::new();
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
            found.push(Problem {
                offset: range.start,
                message: format!("quotes or lists are nested more than {MAX_NESTING} levels deep"),
                hint: "write plain paragraphs; a quote or list inside another is enough",
            });
            break;
        }
        let problem = match &event {
            Event::Html(html) | Event::InlineHtml(html) => Some((
                format!("raw HTML is not allowed: `{}`", html.trim().chars().take(40).collect::<String>()),
                "write it in Markdown (**bold**, [text](https://…)); to show a literal `<`, write `\\<`",
            )),
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) if !safe_link(dest_url) => Some((
                format!("link to `{dest_url}` is not allowed"),
                "links must start with https://, http:// or mailto:",
            )),
            _ => None,
        };
        if let Some((message, hint)) = problem {
            if found.len() == MAX_PROBLEMS {
                found.push(Problem {
                    offset: range.start,
                    message: "more raw HTML or unsafe links follow".into(),
                    hint: "fix the ones reported above; the same fix applies to the rest",
                });
                break;
            }
            found.push(Problem {
                offset: range.start,
                message,
                hint,
            });
        }
    }
    found
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

/// The text of `markdown` without its markup, cut after `limit` characters at a word ("…"):
/// a summary where a short one will do (the archived pages of a feed).
pub fn plain_text(markdown: &str, limit: usize) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => text.push(' '),
            _ => {}
        }
        if text.len() > limit * 4 {
            break;
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= limit {
        return text;
    }
    let cut: String = text.chars().take(limit).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// Contributor Markdown as HTML that cannot carry markup or script.
pub fn to_html(markdown: &str, id_prefix: &str) -> String {
    let events = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        // A column's alignment would be written as a `style` attribute, which the pages'
        // Content-Security-Policy refuses: cells keep the stylesheet's.
        Event::Start(Tag::Table(_)) => Event::Start(Tag::Table(Vec::new())),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = if safe_link(&dest_url) {
                dest_url
            } else {
                CowStr::Borrowed("")
            };
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        // Images would be a request to a third party: show their alt text as a link instead.
        Event::Start(Tag::Image {
            dest_url,
            title,
            id,
            ..
        }) => {
            let dest_url = if safe_link(&dest_url) {
                dest_url
            } else {
                CowStr::Borrowed("")
            };
            Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url,
                title,
                id,
            })
        }
        Event::End(pulldown_cmark::TagEnd::Image) => Event::End(pulldown_cmark::TagEnd::Link),
        Event::FootnoteReference(name) => {
            Event::FootnoteReference(format!("{id_prefix}-{name}").into())
        }
        Event::Start(Tag::FootnoteDefinition(name)) => Event::Start(Tag::FootnoteDefinition(
            format!("{id_prefix}-{name}").into(),
        )),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_escaped_and_bad_links_are_dropped() {
        let html = to_html(
            "Hi <script>alert(1)</script> [x](javascript:alert(1)) [y](https://a.org)",
            "e",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains(r#"href="https://a.org""#), "{html}");
    }

    #[test]
    fn images_become_links_and_footnotes_are_prefixed() {
        let html = to_html(
            "![a map](https://x.org/m.png) and a note[^1]\n\n[^1]: Source.",
            "2026-01-03-x",
        );
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("2026-01-03-x-1"), "{html}");
    }
}
