//! `check --fix`: place names that resolve unambiguously but not by their id (an alias, another
//! spelling, a qualified name, a neighbourhood's name) rewritten to the id, in the file, touching
//! only the bytes of that value. Resolve records a [`Fix`] for each; this module applies them to
//! a file's text and says what changed. Reading and writing the files is the command's job.

use crate::diagnostic::{display_path, Location};
use std::path::PathBuf;

/// One value to rewrite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// The event file, relative to the site root.
    pub file: PathBuf,
    /// Where the value is (as diagnostics give it).
    pub location: Location,
    /// The field, as the file writes it: `city`, `cities`.
    pub field: String,
    /// The value as written.
    pub from: String,
    /// What to write instead: an id.
    pub to: String,
}

impl std::fmt::Display for Fix {
    /// `content/events/…yaml:4:7: city: Shahroud → shahrud`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {} → {}",
            display_path(&self.file),
            self.location.line,
            self.location.column,
            self.field,
            self.from,
            self.to
        )
    }
}

/// `text` with every fix applied (all of one file), and the fixes that could not be: a value
/// that is not on its line as the location says (written over several lines, or with escapes).
pub fn apply<'f>(text: &str, fixes: &[&'f Fix]) -> (String, Vec<&'f Fix>) {
    let mut ranges: Vec<(std::ops::Range<usize>, &Fix)> = Vec::new();
    let mut skipped = Vec::new();
    for fix in fixes {
        match value_range(text, fix) {
            Some(range)
                if !ranges
                    .iter()
                    .any(|(r, _)| r.start < range.end && range.start < r.end) =>
            {
                ranges.push((range, fix));
            }
            _ => skipped.push(*fix),
        }
    }
    ranges.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, fix) in ranges {
        out.push_str(&text[at..range.start]);
        out.push_str(&fix.to);
        at = range.end;
    }
    out.push_str(&text[at..]);
    (out, skipped)
}

/// The bytes of the value a fix replaces: the value as written at its location, plain or in
/// quotes (which go too: an id needs none).
fn value_range(text: &str, fix: &Fix) -> Option<std::ops::Range<usize>> {
    let line_start = if fix.location.line == 1 {
        0
    } else {
        text.match_indices('\n').nth(fix.location.line - 2)?.0 + 1
    };
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let line = &text[line_start..line_end];
    let start = line
        .char_indices()
        .nth(fix.location.column - 1)
        .map(|(i, _)| i)?;
    let rest = &line[start..];
    let quoted = |q: char| {
        let inner = rest.strip_prefix(q)?.strip_prefix(fix.from.as_str())?;
        inner
            .starts_with(q)
            .then(|| fix.from.len() + 2 * q.len_utf8())
    };
    let len = if rest.starts_with(fix.from.as_str()) {
        fix.from.len()
    } else {
        quoted('"').or_else(|| quoted('\''))?
    };
    // The value ends there: a plain scalar is followed by its end, a comment or the next item.
    let after = rest[len..].trim_start_matches([' ', '\t']);
    let ends = after.is_empty() || after.starts_with(['#', ',', ']', '}', '\r']);
    ends.then(|| line_start + start..line_start + start + len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(line: usize, column: usize, from: &str, to: &str) -> Fix {
        Fix {
            file: "e.yaml".into(),
            location: Location::new(line, column, from.chars().count()),
            field: "city".into(),
            from: from.into(),
            to: to.into(),
        }
    }

    #[test]
    fn only_the_value_changes() {
        let text = "# note\ncity: Shahroud   # where\ncities: [\"Narmak\", 'Yaft Abad', tehran]\n";
        let fixes = [
            fix(2, 7, "Shahroud", "shahrud"),
            fix(3, 10, "Narmak", "tehran-narmak"),
            fix(3, 20, "Yaft Abad", "tehran-yaftabad"),
        ];
        let (out, skipped) = apply(text, &fixes.iter().collect::<Vec<_>>());
        assert!(skipped.is_empty());
        assert_eq!(
            out,
            "# note\ncity: shahrud   # where\ncities: [tehran-narmak, tehran-yaftabad, tehran]\n"
        );
        assert_eq!(fixes[0].to_string(), "e.yaml:2:7: city: Shahroud → shahrud");
    }

    #[test]
    fn a_value_not_where_it_was_found_is_left_alone() {
        let shahroud = fix(1, 7, "Shahroud", "shahrud");
        let text = "city: >-\n  Shahroud\n";
        let (out, skipped) = apply(text, &[&shahroud]);
        assert_eq!(out, text);
        assert_eq!(skipped.len(), 1);
        let text = "city: Shahroud Town\n";
        let (out, _) = apply(text, &[&shahroud]);
        assert_eq!(out, text, "a longer value is not this one");
    }
}
