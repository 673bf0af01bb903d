//! Cells as text for an event file: control characters and explicit direction overrides
//! dropped, line breaks normalised, and summaries escaped so that Markdown shows the input's
//! text literally (a `<script>` in a spreadsheet is text on the page, never markup).

/// Whether a character is left out of imported text: control characters other than line
/// breaks and tabs, the byte-order mark, and the explicit direction embeddings, overrides and
/// isolates (U+202A–U+202E, U+2066–U+2069), which can flip the text around them on the page.
/// The marks that Persian text needs (ZWNJ, LRM, RLM, ALM) are kept.
fn dropped(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t' | '\r' | '\u{85}'))
        || matches!(c, '\u{feff}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// A cell as one line: runs of white space (line breaks included) become one space.
pub fn line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|c| !dropped(*c)) {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// A cell as paragraphs: each line trimmed, blank lines between paragraphs kept (one at most),
/// tabs made spaces.
pub fn paragraphs(text: &str) -> String {
    let clean: String = text
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| !dropped(*c))
        .map(|c| if is_break(c) { '\n' } else { c })
        .collect();
    let mut out = String::with_capacity(clean.len());
    let mut blank = false;
    for l in clean.split('\n') {
        let l = line(l);
        if l.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(&l);
    }
    out
}

/// Markdown whose rendering is exactly `text` (as [`paragraphs`] made it): every character
/// that can start markup is escaped with a backslash, which CommonMark allows before any ASCII
/// punctuation. Line starts are escaped too where a list, heading, quote or rule could begin.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, l) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        // An ordered list starts with digits and `.` or `)`: escape that mark.
        let digits = l.bytes().take_while(u8::is_ascii_digit).count();
        for (j, c) in l.chars().enumerate() {
            let at_start = j == 0;
            let list_mark = j == digits && digits > 0 && matches!(c, '.' | ')');
            let special = matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '!'
            );
            if special || list_mark || (at_start && matches!(c, '-' | '+' | '=' | ':')) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of rendered HTML: tags removed, entities decoded, white space collapsed.
    fn rendered_text(markdown: &str) -> String {
        let html = crate::markdown::to_html(markdown, "t");
        let mut text = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => {
                    in_tag = false;
                    text.push(' ');
                }
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        let text = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn words(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn hostile_text_renders_literally_and_passes_the_markdown_policy() {
        let cases = [
            "<script>alert(1)</script> and <b>bold</b>",
            "=cmd|' /C calc'!A0",
            "*not emphasis* _nor this_ **nor this** ~~struck~~",
            "[a link](javascript:alert(1)) ![img](https://x.org/a.png) [^1]",
            "# not a heading\n- not a list\n+ nor this\n1. nor this\n2) nor this\n> not a quote",
            "a line\n===\nanother\n---\n***",
            "back\\slash `code` &amp; &copy; | a | b |\n|---|---|",
            "    indented four spaces\n\n\tand a tab",
            "trailing spaces  \nhard break\\\nnext",
            "<!-- comment --> <https://autolink.org> <mailto:x@y.org>",
            "Persian: تجمع در \u{200c}میدان \u{200f}آزادی ۱۴۰۱/۰۷/۰۸",
            ": a colon at the start\n[label]: https://x.org",
        ];
        for case in cases {
            let text = paragraphs(case);
            let md = escape_markdown(&text);
            assert!(
                crate::markdown::problems(&md).is_empty(),
                "{case:?} → {md:?}"
            );
            assert_eq!(rendered_text(&md), words(&text), "{case:?} → {md:?}");
        }
    }

    #[test]
    fn cells_are_cleaned() {
        assert_eq!(line("  two\nlines\t and\r\n tabs  "), "two lines and tabs");
        assert_eq!(line("bell\u{7} rlo\u{202e}x bom\u{feff}"), "bell rlox bom");
        assert_eq!(line("خرم\u{200c}آباد\u{200f}"), "خرم\u{200c}آباد\u{200f}");
        assert_eq!(
            paragraphs("one\r\n\r\n\r\n two  \nthree\u{2028}four"),
            "one\n\ntwo\nthree\nfour"
        );
    }
}
