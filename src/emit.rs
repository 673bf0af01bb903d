//! Event files as text, for the commands that write them (`new`): values quoted so that any
//! text a person passes, with quotes, newlines or control characters, reads back as exactly
//! that text and nothing else.

/// A YAML double-quoted scalar that reads back as `text`. Characters YAML does not allow in a
/// file (most control characters) and line breaks are written as escapes.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if printable(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// A YAML scalar for a person to copy into a file: [`quoted`], or in single quotes (`'` written
/// twice) when the text has a `"` or `\`, which double quotes would show escaped.
pub fn readable(text: &str) -> String {
    let plain_line = text.chars().all(|c| c != '\n' && printable(c));
    match plain_line && text.contains(['"', '\\']) {
        true => format!("'{}'", text.replace('\'', "''")),
        false => quoted(text),
    }
}

/// YAML's printable characters (`c-printable`), less the line breaks (NEL, U+2028, U+2029,
/// which YAML 1.1 readers treat as breaks) and the byte-order mark.
fn printable(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && c != '\u{feff}'
        && c != '\u{2028}'
        && c != '\u{2029}'
}

/// `key: |` followed by `text` indented, when it can be a literal block (every character
/// printable, no line starting with a space); otherwise `key: "…"`. Ends with a newline.
pub fn block(key: &str, text: &str) -> String {
    let literal = !text.is_empty()
        && text.chars().all(|c| c == '\n' || printable(c))
        && !text.lines().any(|l| l.starts_with(' '));
    if !literal {
        return format!("{key}: {}\n", quoted(text));
    }
    let mut out = format!("{key}: |\n");
    for line in text.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_back(yaml: &str) -> crate::read::yaml::Value {
        crate::read::yaml::parse(std::path::Path::new("t.yaml"), yaml.to_string())
            .unwrap()
            .value
    }

    #[test]
    fn quoted_text_reads_back_as_itself() {
        for text in [
            "plain",
            "with \"quotes\" and \\backslashes\\",
            "two\nlines\r\nand\ttab",
            "bell \u{7} escape \u{1b} nul \u{0} c1 \u{85}\u{9b}",
            "title: not a key # not a comment",
            "ملکشاهی\u{200c}ها",
        ] {
            let yaml = format!("v: {}\n", quoted(text));
            assert_eq!(read_back(&yaml)["v"].as_str(), Some(text), "{yaml}");
        }
    }

    #[test]
    fn blocks_read_back_as_their_text() {
        for text in [
            "One line.",
            "Two\n\nparagraphs.",
            " leading space",
            "bell \u{7}",
        ] {
            let yaml = block("summary", text);
            let value = read_back(&yaml);
            assert_eq!(
                value["summary"].as_str().map(str::trim_end),
                Some(text),
                "{yaml}"
            );
        }
    }
}
