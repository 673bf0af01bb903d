//! Contributor Markdown to HTML that cannot carry markup or script: raw HTML is shown as text,
//! links and images other than http(s)/mailto lose their target, and footnote ids are prefixed
//! with the event id so several summaries can share a page.

use crate::resolve::markdown::{options, safe_link};
use pulldown_cmark::{html, CowStr, Event, LinkType, Parser, Tag};

pub fn to_html(markdown: &str, id_prefix: &str) -> String {
    let events = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        // A column's alignment would be written as a `style` attribute, which the pages'
        // Content-Security-Policy (`style-src 'self'`) refuses: cells keep the stylesheet's.
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
    use super::to_html;

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
