//! ruzshomar: a static site generator for a sourced, day-by-day chronology of protest events
//! in Iran.
//!
//! The pipeline runs one way: [`read`] → [`resolve`] → (site → render → write). `check` stops
//! after resolve; `build` and `serve` run it to the end.

pub mod build;
pub mod calendar;
pub mod config;
pub mod diagnostic;
pub mod emit;
pub mod event_file;
pub mod fix;
pub mod gazetteer;
pub mod import;
pub mod live;
pub mod markdown;
pub mod model;
pub mod names;
pub mod output;
pub mod read;
pub mod registry;
pub mod render;
pub mod report;
pub mod resolve;
pub mod site;
pub mod stability;
pub mod write;

use chrono::NaiveDate;
use diagnostic::Diagnostic;
use std::path::Path;

/// Reads and resolves the site at `root`: the shared front half of every command.
///
/// One pass over the event files: each is read, parsed and checked on its own (in parallel),
/// and its text is let go as soon as it is checked. The configuration, gazetteer and
/// registries are read while the event files are being listed.
///
/// `today` is the last day an event may be dated: the command line passes today's date in
/// Tehran ([`calendar::tehran_today`]); tests pass a fixed day, so they give the same result on
/// any day.
pub fn load(root: &Path, today: NaiveDate) -> (Option<resolve::Resolved>, Vec<Diagnostic>) {
    let ((base, mut problems), (paths, listing)) = rayon::join(
        || {
            let mut problems = Vec::new();
            (read::read_base(root, &mut problems), problems)
        },
        || {
            let mut problems = Vec::new();
            (read::event_files(root, &mut problems), problems)
        },
    );
    problems.extend(listing);
    let Some(base) = base else {
        // Nothing can be checked, but broken event files are still reported.
        read::read_documents(root, &paths, &mut problems);
        diagnostic::sort(&mut problems);
        return (None, problems);
    };
    let resolved = resolve::read_and_resolve(root, base, &paths, today, &mut problems);
    diagnostic::sort(&mut problems);
    (Some(resolved), problems)
}
