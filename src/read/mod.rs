//! Stage 1, read: every input file of a site, from disk into memory. Event files are parsed
//! (their rules are resolve's job); the configuration, gazetteer and registries are parsed and
//! handed to their models, which check them ([`data`]). Nothing is read from outside the
//! site's folder ([`files`]). Reading never stops at the first problem: it returns what it
//! could read and every problem it met.

pub mod data;
pub mod fast;
pub mod files;
pub mod yaml;

pub use yaml::Document;

use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Location};
use crate::gazetteer::Gazetteer;
use crate::registry::{Kind, Publisher, Registry};
use std::path::{Path, PathBuf};

pub const EVENTS_DIR: &str = "content/events";

/// Everything a site is made of besides its event files: what the rules check events against.
#[derive(Debug)]
pub struct Base {
    pub config: SiteConfig,
    pub gazetteer: Gazetteer,
    pub publishers: Registry<Publisher>,
    pub kinds: Registry<Kind>,
}

/// The site's configuration, gazetteer and registries; `None` when the configuration or the
/// gazetteer cannot be used (the problems say why).
pub fn read_base(root: &Path, problems: &mut Vec<Diagnostic>) -> Option<Base> {
    let config = data::site_config(root).map_err(|p| problems.extend(p)).ok();
    let gazetteer = data::gazetteer(root).map_err(|p| problems.extend(p)).ok();
    let languages = config
        .as_ref()
        .map(|c| c.languages.clone())
        .unwrap_or_default();
    let publishers = data::publishers(root, problems);
    let kinds = data::kinds(root, &languages, problems);
    Some(Base {
        config: config?,
        gazetteer: gazetteer?,
        publishers,
        kinds,
    })
}

/// The event files at `paths` (below `root`), each parsed on its own, in parallel.
pub fn read_documents(
    root: &Path,
    paths: &[PathBuf],
    problems: &mut Vec<Diagnostic>,
) -> Vec<Document> {
    let results: Vec<Result<Document, Diagnostic>> = {
        use rayon::prelude::*;
        paths
            .par_iter()
            .map(|path| yaml::read_event(root, path))
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

/// The paths of the event files (see [`event_paths`]), or a problem when there is no
/// content/events/ folder.
pub fn event_files(root: &Path, problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    if let Err(problem) = files::inside(root, Path::new(EVENTS_DIR)) {
        problems.push(problem);
        return Vec::new();
    }
    if !root.join(EVENTS_DIR).is_dir() {
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
    event_paths(root, problems)
}

/// Paths of event files relative to `root`, in a stable order (by file name within each folder,
/// depth first).
///
/// Nothing under content/events/ is skipped without a word: every file is an event (`*.yaml`)
/// or an error, except the two the README documents as ignored: `README.md` and `.gitkeep`.
/// Hidden files, other extensions (`.yml`, `.YAML`, `.yaml~`) and symbolic links are errors.
pub fn event_paths(root: &Path, problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    walk(root, Path::new(EVENTS_DIR), problems, &mut paths);
    paths
}

/// One folder of [`event_paths`]: its entries sorted by name, each file checked, each folder
/// walked in turn.
fn walk(root: &Path, relative: &Path, problems: &mut Vec<Diagnostic>, paths: &mut Vec<PathBuf>) {
    let cannot_read = |path: &Path, e: std::io::Error, problems: &mut Vec<Diagnostic>| {
        problems.push(Diagnostic::error(
            path,
            Location::START,
            format!(
                "cannot read: IO error for operation on {}: {e}",
                root.join(path).display()
            ),
        ));
    };
    let entries = match std::fs::read_dir(root.join(relative)) {
        Ok(entries) => entries,
        Err(e) => return cannot_read(relative, e, problems),
    };
    let mut listed = Vec::new();
    for entry in entries {
        match entry.and_then(|e| Ok((e.file_name(), e.file_type()?))) {
            Ok(named) => listed.push(named),
            Err(e) => cannot_read(relative, e, problems),
        }
    }
    listed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (name, file_type) in listed {
        let relative = relative.join(&name);
        let name = name.to_string_lossy();
        if file_type.is_symlink() {
            problems.push(not_read(
                &relative,
                "this is a symbolic link; event files and folders must be real files and folders",
                "replace the link with the file or folder itself (links are not followed)",
            ));
        } else if name.starts_with('.') && name != ".gitkeep" {
            problems.push(not_read(
                &relative,
                "hidden files and folders (names starting with `.`) are not events",
                "rename it without the leading `.`, or remove it",
            ));
        } else if file_type.is_dir() {
            walk(root, &relative, problems, paths);
        } else if !file_type.is_file() || name == ".gitkeep" || name == "README.md" {
            // Sockets and pipes are nothing git can hold; the two documented names are ignored.
        } else if name.ends_with(".yaml") {
            paths.push(relative);
        } else if name.ends_with(".yml") {
            problems.push(not_read(
                &relative,
                "event files end in `.yaml`, not `.yml`",
                "rename it to end in .yaml",
            ));
        } else if name.to_ascii_lowercase().ends_with(".yaml") {
            problems.push(not_read(
                &relative,
                "event files end in `.yaml`, in lower case",
                "rename it to end in .yaml",
            ));
        } else {
            problems.push(not_read(
                &relative,
                "only event files (`.yaml`) belong in content/events/",
                "move the file out of content/events/, or rename it to end in .yaml if it is an event (editor backups like `~` files can be deleted)",
            ));
        }
    }
}

/// A file under content/events/ that is not read: an error, so nothing is lost unnoticed.
fn not_read(path: &Path, message: &str, hint: &str) -> Diagnostic {
    Diagnostic::error(
        path,
        Location::START,
        format!("{message}; this file was not read"),
    )
    .with_hint(hint)
}
