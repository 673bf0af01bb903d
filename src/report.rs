//! How diagnostics are shown: to a person in a terminal (with the offending line and a caret),
//! to GitHub Actions (workflow annotations on the pull request's diff), or to a program (JSON).

use crate::diagnostic::{display_path, Diagnostic, Severity};
use annotate_snippets::{Level, Renderer, Snippet};
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Github,
    Json,
}

/// The counts `check` prints when all is well (and includes in JSON).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub events: usize,
    pub drafts: usize,
    pub cities: usize,
    pub provinces: usize,
    pub publishers: usize,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
}

/// "1 error", "3 errors": a count of an English noun, for the command line's summaries.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `43,587`: a number grouped in thousands, for the command line's summaries.
pub fn grouped(n: usize) -> String {
    let mut digits = n.to_string();
    let mut i = digits.len();
    while i > 3 {
        i -= 3;
        digits.insert(i, ',');
    }
    digits
}

/// Characters underlined at most; the renderer then shows a window of a long line around them.
const MAX_UNDERLINE: usize = 60;

/// One diagnostic as a person reads it, with the source line from `root`.
pub fn human(root: &Path, d: &Diagnostic, color: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
    };
    let path = display_path(&d.file);
    // Only a file inside the site is quoted: the line of a link that leads out of it (refused by
    // the reader, and reported here) would print another file's secrets into the CI log.
    let source = crate::read::files::read_bytes(root, &d.file)
        .ok()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .and_then(|text| text.lines().nth(d.location.line - 1).map(str::to_string));
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let hint = d.hint.as_deref().map(|h| format!("hint: {h}"));
    let mut message = level.title(&d.message);
    let snippet;
    let span;
    match &source {
        Some(line) => {
            let start: usize = line
                .chars()
                .take(d.location.column - 1)
                .map(char::len_utf8)
                .sum();
            let start = start.min(line.len());
            // A caret under a whole pasted line would print the line whole: underline its start.
            let len: usize = line[start..]
                .chars()
                .take(d.location.len.clamp(1, MAX_UNDERLINE))
                .map(char::len_utf8)
                .sum();
            span = start..(start + len).max(start).min(line.len().max(start));
            snippet = Snippet::source(line)
                .line_start(d.location.line)
                .origin(&path)
                .annotation(level.span(span.clone()).label(""));
            message = message.snippet(snippet);
        }
        None => {
            snippet = Snippet::source("")
                .line_start(d.location.line)
                .origin(&path);
            message = message.snippet(snippet);
        }
    }
    if let Some(h) = &hint {
        message = message.footer(Level::Help.title(h.trim_start_matches("hint: ")));
    }
    let rendered = renderer.render(message).to_string();
    rendered
}

/// One GitHub Actions workflow command: `::error file=…,line=…,col=…::message`.
pub fn github(d: &Diagnostic) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut message = d.message.clone();
    if let Some(hint) = &d.hint {
        message.push_str("\nhint: ");
        message.push_str(hint);
    }
    format!(
        "::{command} file={},line={},col={},title={}::{}",
        escape_property(&display_path(&d.file)),
        d.location.line,
        d.location.column,
        escape_property("ruzshomar check"),
        escape_data(&message)
    )
}

/// A GitHub Actions workflow command about no file in particular:
/// `::warning title=ruzshomar build::message`.
pub fn github_annotation(command: &str, title: &str, message: &str) -> String {
    format!(
        "::{command} title={}::{}",
        escape_property(title),
        escape_data(message)
    )
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[derive(Serialize)]
struct JsonReport<'a> {
    ok: bool,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Option<&'a Summary>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    file: String,
    line: usize,
    column: usize,
    message: &'a str,
    hint: Option<&'a str>,
}

/// The whole report as one JSON document.
pub fn json(diagnostics: &[Diagnostic], summary: Option<&Summary>) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let report = JsonReport {
        ok: errors == 0,
        errors,
        warnings: diagnostics.len() - errors,
        diagnostics: diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                severity: d.severity,
                file: display_path(&d.file),
                line: d.location.line,
                column: d.location.column,
                message: &d.message,
                hint: d.hint.as_deref(),
            })
            .collect(),
        summary,
    };
    serde_json::to_string_pretty(&report).expect("plain data serialises")
}
