//! Where the Markdown policy's problems ([`crate::markdown::problems`]) are in the file: each
//! is reported at its line and column inside the summary.

use super::checker::{Checker, Field};
use crate::diagnostic::Location;

pub(super) fn check(c: &mut Checker, text: &str, field: Field) {
    let problems = crate::markdown::problems(text);
    if problems.is_empty() {
        return;
    }
    let path = field.path();
    for problem in problems {
        let at = position_in_scalar(c, &path, text, problem.offset);
        let message = if problem.message.starts_with("more ") {
            format!("{} in `{}`", problem.message, path.replace('/', "."))
        } else {
            problem.message
        };
        c.error(at, message, problem.hint);
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
    // A block scalar (`summary: |`) starts on the line after its key; its value's position may
    // be its indicator or its first character, which can be a `>` or `|` of the text itself.
    let key = c.doc.spans().key(path);
    let key_line = c.doc.text.lines().nth(key.line - 1).unwrap_or("");
    let block = key_line
        .chars()
        .skip(key.column - 1)
        .collect::<String>()
        .split_once(':')
        .is_some_and(|(_, after)| after.trim_start().starts_with(['|', '>']));
    let source_line = c.doc.text.lines().nth(value.line - 1).unwrap_or("");
    let indicator = source_line.chars().nth(value.column - 1);
    if block {
        let first = key.line + 1 + line_in_text;
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
