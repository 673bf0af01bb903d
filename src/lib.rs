//! ruzshomar: a static site generator for a sourced, day-by-day chronology of protest events
//! in Iran.
//!
//! The pipeline runs one way: [`read`] → [`resolve`] → (site → render → write). `check` stops
//! after resolve; `build` and `serve` run it to the end.

pub mod build;
pub mod calendar;
pub mod config;
pub mod diagnostic;
pub mod format;
pub mod gazetteer;
pub mod model;
pub mod names;
pub mod read;
pub mod registry;
pub mod render;
pub mod report;
pub mod resolve;
pub mod site;
pub mod stability;
pub mod write;

use diagnostic::Diagnostic;
use std::path::Path;

/// Reads and resolves the site at `root`: the shared front half of every command.
pub fn load(root: &Path) -> (Option<resolve::Resolved>, Vec<Diagnostic>) {
    let (inputs, mut problems) = read::read_site(root);
    let Some(inputs) = inputs else {
        diagnostic::sort(&mut problems);
        return (None, problems);
    };
    let (resolved, more) = resolve::resolve(inputs, resolve::tehran_today());
    problems.extend(more);
    diagnostic::sort(&mut problems);
    (Some(resolved), problems)
}
