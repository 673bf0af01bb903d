//! Stage 1, read: every input file of a site, parsed but not yet interpreted. Reading never
//! stops at the first problem; it returns what it could read and every problem it met.

pub mod yaml;

pub use yaml::Document;

use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Location};
use crate::gazetteer::Gazetteer;
use crate::registry::{self, Kind, Publisher, Registry};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

pub const EVENTS_DIR: &str = "content/events";

/// Everything a site is made of, read from disk.
#[derive(Debug)]
pub struct Inputs {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub gazetteer: Gazetteer,
    pub publishers: Registry<Publisher>,
    pub kinds: Registry<Kind>,
    /// One parsed document per event file, in path order.
    pub events: Vec<Document>,
}

/// Reads a whole site. Without a usable config, gazetteer or registry nothing can be checked,
/// so those problems come back alone; a broken event file is only left out, and reported.
pub fn read_site(root: &Path) -> (Option<Inputs>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let config = SiteConfig::load(root).map_err(|p| problems.extend(p)).ok();
    let gazetteer = Gazetteer::load(root).map_err(|p| problems.extend(p)).ok();
    let languages = config
        .as_ref()
        .map(|c| c.languages.clone())
        .unwrap_or_default();
    let publishers = registry::load_publishers(root, &mut problems);
    let kinds = registry::load_kinds(root, &languages, &mut problems);
    let events = read_events(root, &mut problems);
    let inputs = match (config, gazetteer) {
        (Some(config), Some(gazetteer)) => Some(Inputs {
            root: root.to_path_buf(),
            config,
            gazetteer,
            publishers,
            kinds,
            events,
        }),
        _ => None,
    };
    (inputs, problems)
}

/// The event files under content/events/, sorted, each parsed on its own.
fn read_events(root: &Path, problems: &mut Vec<Diagnostic>) -> Vec<Document> {
    let dir = root.join(EVENTS_DIR);
    if !dir.is_dir() {
        problems.push(
            Diagnostic::error(
                EVENTS_DIR,
                Location::START,
                "there is no content/events/ folder",
            )
            .with_hint("event files live in content/events/YYYY/MM/; `ruzshomar new` creates one"),
        );
        return Vec::new();
    }
    let paths = event_paths(root, problems);
    let results: Vec<Result<Document, Diagnostic>> = {
        use rayon::prelude::*;
        paths
            .par_iter()
            .map(|path| yaml::read(root, path))
            .collect()
    };
    let mut documents = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(doc) => documents.push(doc),
            Err(problem) => problems.push(problem),
        }
    }
    documents
}

/// Paths of event files relative to `root`, in a stable order. Files that look like events but
/// are not named `.yaml` are reported rather than silently skipped.
pub fn event_paths(root: &Path, problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    let walker = WalkDir::new(root.join(EVENTS_DIR)).sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .unwrap_or(Path::new(EVENTS_DIR));
                problems.push(Diagnostic::error(
                    path,
                    Location::START,
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        match entry.path().extension().and_then(|e| e.to_str()) {
            Some("yaml") => paths.push(relative),
            Some("yml") => problems.push(
                Diagnostic::error(
                    &relative,
                    Location::START,
                    "event files end in `.yaml`, not `.yml`; this file was not read",
                )
                .with_hint("rename it to end in .yaml"),
            ),
            _ if name.eq_ignore_ascii_case("README.md") => {}
            _ => problems.push(
                Diagnostic::warning(
                    &relative,
                    Location::START,
                    "not an event file (`.yaml`); ignored",
                )
                .with_hint("move other files out of content/events/"),
            ),
        }
    }
    paths
}
