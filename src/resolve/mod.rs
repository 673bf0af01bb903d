//! Stage 2, resolve & validate: raw documents become [`Event`]s, names become gazetteer and
//! registry entries, and every rule of the event format is checked. This is the only place
//! that knows the rules.

mod checker;
pub mod duplicates;
mod event;
mod fields;
mod limits;
mod markdown;
mod place;
mod sources;

use crate::config::SiteConfig;
use crate::diagnostic::{self, Diagnostic, Location};
use crate::gazetteer::{CityIdx, Gazetteer};
use crate::model::Event;
use crate::read::{yaml, Base, Document};
use crate::registry::{Kind, Publisher, Registry};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What the rules need to know besides the file itself.
pub struct Context<'a> {
    pub config: &'a SiteConfig,
    pub gazetteer: &'a Gazetteer,
    pub publishers: &'a Registry<Publisher>,
    pub kinds: &'a Registry<Kind>,
    /// Today in Tehran: nothing may be dated after it.
    pub today: NaiveDate,
    /// Cities by exact id: what nearly every event names, found without normalising the name.
    pub city_ids: HashMap<&'a str, CityIdx>,
}

/// A site whose events all passed the rules.
#[derive(Debug)]
pub struct Resolved {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub gazetteer: Gazetteer,
    pub publishers: Registry<Publisher>,
    pub kinds: Registry<Kind>,
    /// Every valid event, drafts included, sorted by date then id; an event with
    /// `duplicate_of` is merged into the event it names and is not among them.
    pub events: Vec<Event>,
    /// The events merged into others by `duplicate_of`, as their files say: for tools that
    /// need every file (`import` finds the rows it wrote by them).
    pub merged: Vec<Event>,
    /// What `check --fix` may rewrite, in every file (valid or not), by file and position.
    pub fixes: Vec<crate::fix::Fix>,
}

/// Reads and resolves the event files at `paths` (below `root`) in one pass, file by file:
/// each read, parsed and checked on its own, its text let go once it is checked. Problems are
/// added to `problems`.
pub fn read_and_resolve(
    root: &Path,
    base: Base,
    paths: &[PathBuf],
    today: NaiveDate,
    problems: &mut Vec<Diagnostic>,
) -> Resolved {
    let cx = base.context(today);
    let results: Vec<Outcome> = paths
        .par_iter()
        .map(|path| match yaml::read_event(root, path) {
            Ok(doc) => resolve_document(doc, &cx),
            Err(problem) => Outcome {
                event: None,
                problems: vec![problem],
                fixes: Vec::new(),
                document: None,
            },
        })
        .collect();
    finish(root.to_path_buf(), base, results, problems)
}

impl Base {
    fn context(&self, today: NaiveDate) -> Context<'_> {
        Context::new(
            &self.config,
            &self.gazetteer,
            &self.publishers,
            &self.kinds,
            today,
        )
    }
}

impl<'a> Context<'a> {
    fn new(
        config: &'a SiteConfig,
        gazetteer: &'a Gazetteer,
        publishers: &'a Registry<Publisher>,
        kinds: &'a Registry<Kind>,
        today: NaiveDate,
    ) -> Self {
        Context {
            config,
            gazetteer,
            publishers,
            kinds,
            today,
            city_ids: (gazetteer.cities.iter().enumerate())
                .map(|(i, city)| (city.id.as_str(), CityIdx(i)))
                .collect(),
        }
    }
}

impl Resolved {
    /// The rules' context for this site, for [`check_text`].
    pub fn context(&self, today: NaiveDate) -> Context<'_> {
        Context::new(
            &self.config,
            &self.gazetteer,
            &self.publishers,
            &self.kinds,
            today,
        )
    }

    /// Reads and checks again the event files at `paths` against this site's configuration,
    /// gazetteer and registries (what `serve` does when files are edited): the events they
    /// hold now (a file that no longer exists holds none) and their problems. Rules across
    /// files are [`check_ids`]'s.
    pub fn reread(&self, paths: &[PathBuf], today: NaiveDate) -> (Vec<Event>, Vec<Diagnostic>) {
        let cx = self.context(today);
        let mut events = Vec::new();
        let mut problems = Vec::new();
        for path in paths.iter().filter(|p| self.root.join(p).is_file()) {
            match yaml::read_event(&self.root, path) {
                Ok(doc) => {
                    let outcome = resolve_document(doc, &cx);
                    events.extend(outcome.event);
                    problems.extend(outcome.problems);
                }
                Err(problem) => problems.push(problem),
            }
        }
        (events, problems)
    }
}

/// The rules across files ([`check_ids`]) on a whole list of events, without the documents
/// (problems with an alias are then placed at the top of its file).
pub fn check_across_files(events: &[Event]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    check_ids(events, &[], &mut problems);
    problems
}

/// Checks the text of one event file as `check` would check it at `path` (relative to the
/// site's folder), by every rule of a single file: for a command that writes event files
/// (`import`) and must know that each passes before it writes it. Rules across files (unique
/// ids, duplicates) are the caller's.
pub fn check_text(cx: &Context, path: &Path, text: String) -> (Option<Event>, Vec<Diagnostic>) {
    match yaml::event_from_text(path, text) {
        Ok(doc) => {
            let outcome = resolve_document(doc, cx);
            (outcome.event, outcome.problems)
        }
        Err(problem) => (None, vec![problem]),
    }
}

/// What became of one event file.
struct Outcome {
    event: Option<Event>,
    problems: Vec<Diagnostic>,
    fixes: Vec<crate::fix::Fix>,
    /// Kept only when [`check_ids`] or [`duplicates::merge`] may need positions in it: the
    /// event has aliases or names other events as (not) its duplicates. (Boxed:
    /// there is one outcome per file, and hardly any keeps its document.)
    document: Option<Box<Document>>,
}

/// Checks one document against every rule. Its parsed contents move into the event; the
/// document itself is dropped unless its positions may still be needed.
fn resolve_document(mut doc: Document, cx: &Context) -> Outcome {
    let parsed = match doc.event.take() {
        Some(file) => fields::Parsed::Event(file),
        None => fields::Parsed::Value(std::mem::take(&mut doc.value)),
    };
    let mut problems = Vec::new();
    let mut fixes = Vec::new();
    let event = event::resolve_event(&doc, parsed, cx, &mut problems, &mut fixes);
    cap_problems(&doc.path, &mut problems);
    let keep = event.as_ref().is_some_and(|e| {
        !e.aliases.is_empty() || e.duplicate_of.is_some() || !e.not_duplicate_of.is_empty()
    });
    Outcome {
        event,
        problems,
        fixes,
        document: keep.then(|| Box::new(doc)),
    }
}

/// Problems shown for one file: past this, a file is broken as a whole (a pasted dump, a
/// generated list) and more lines of the same say nothing new.
const MAX_PROBLEMS_PER_FILE: usize = 50;

/// Keeps the first [`MAX_PROBLEMS_PER_FILE`] problems of a file, in order, and says how many
/// more there are.
fn cap_problems(path: &Path, problems: &mut Vec<Diagnostic>) {
    if problems.len() <= MAX_PROBLEMS_PER_FILE {
        return;
    }
    diagnostic::sort(problems);
    let more = problems.len() - MAX_PROBLEMS_PER_FILE;
    let at = problems[MAX_PROBLEMS_PER_FILE].location;
    problems.truncate(MAX_PROBLEMS_PER_FILE);
    problems.push(
        Diagnostic::error(
            path,
            at,
            format!("{more} more problems in this file are not shown"),
        )
        .with_hint("fix the problems above and run `ruzshomar check` again"),
    );
}

/// Gathers the outcomes (in path order), checks ids across files and sorts.
fn finish(
    root: PathBuf,
    base: Base,
    results: Vec<Outcome>,
    problems: &mut Vec<Diagnostic>,
) -> Resolved {
    let mut events = Vec::with_capacity(results.len());
    let mut documents = Vec::new();
    let mut fixes = Vec::new();
    for outcome in results {
        problems.extend(outcome.problems);
        fixes.extend(outcome.fixes);
        events.extend(outcome.event);
        documents.extend(outcome.document.map(|doc| *doc));
    }
    check_ids(&events, &documents, problems);
    events.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    let merged;
    {
        let positions = Positions::new(&root, &documents);
        let at = |event: &Event, path: &str| positions.at(event, path);
        duplicates::warn(&events, &base.gazetteer, problems, &at);
        merged = duplicates::merge(&mut events, problems, &at);
    }
    diagnostic::sort(problems);
    let Base {
        config,
        gazetteer,
        publishers,
        kinds,
    } = base;
    Resolved {
        root,
        config,
        gazetteer,
        publishers,
        kinds,
        events,
        merged,
        fixes,
    }
}

/// Positions in event files for problems found across files: from the documents kept for that
/// purpose, else read again (rare: only files with such a problem).
struct Positions<'a> {
    root: &'a Path,
    documents: std::cell::OnceCell<HashMap<&'a Path, &'a Document>>,
    all: &'a [Document],
}

impl<'a> Positions<'a> {
    fn new(root: &'a Path, all: &'a [Document]) -> Self {
        Positions {
            root,
            documents: std::cell::OnceCell::new(),
            all,
        }
    }

    fn at(&self, event: &Event, path: &str) -> Location {
        let kept = self
            .documents
            .get_or_init(|| self.all.iter().map(|d| (d.path.as_path(), d)).collect())
            .get(event.file.as_path())
            .map(|d| d.spans().value(path));
        kept.unwrap_or_else(|| {
            yaml::read_event(self.root, &event.file)
                .map(|d| d.spans().value(path))
                .unwrap_or(Location::START)
        })
    }
}

/// Ids and aliases name one event each, across all files.
fn check_ids(
    events: &[Event],
    documents: &[crate::read::Document],
    problems: &mut Vec<Diagnostic>,
) {
    // Documents by path, for positions: only built when an alias is reported.
    let by_path: std::cell::OnceCell<HashMap<&std::path::Path, &crate::read::Document>> =
        std::cell::OnceCell::new();
    let alias_at = |event: &Event, i: usize| {
        by_path
            .get_or_init(|| documents.iter().map(|d| (d.path.as_path(), d)).collect())
            .get(event.file.as_path())
            .map(|d| d.spans().value(&format!("aliases/{i}")))
            .unwrap_or(Location::START)
    };
    let mut owners: HashMap<&str, &Event> = HashMap::with_capacity(events.len());
    for event in events {
        if let Some(other) = owners.insert(&event.id, event) {
            problems.push(
                Diagnostic::error(&event.file, Location::START, format!("the id `{}` is also used by {}", event.id, diagnostic::display_path(&other.file)))
                    .with_hint("two files have the same name in different folders; rename one (ids must be unique)"),
            );
        }
    }
    for event in events {
        for (i, alias) in event.aliases.iter().enumerate() {
            match owners.get(alias.as_str()) {
                Some(other) if other.id != event.id => problems.push(
                    Diagnostic::error(
                        &event.file,
                        alias_at(event, i),
                        format!(
                            "alias `{alias}` is the id of {}",
                            diagnostic::display_path(&other.file)
                        ),
                    )
                    .with_hint(
                        "an alias is an old id of this event; remove it or rename the other file",
                    ),
                ),
                _ => {}
            }
        }
    }
    let mut alias_owner: HashMap<&str, &Event> = HashMap::new();
    for event in events {
        for (i, alias) in event.aliases.iter().enumerate() {
            if let Some(other) = alias_owner.insert(alias, event) {
                if other.id != event.id {
                    problems.push(
                        Diagnostic::error(
                            &event.file,
                            alias_at(event, i),
                            format!(
                                "alias `{alias}` is also claimed by {}",
                                diagnostic::display_path(&other.file)
                            ),
                        )
                        .with_hint("an old id can redirect to one event only"),
                    );
                }
            }
        }
    }
}
