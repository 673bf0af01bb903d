//! Drafts as event files, and what importing does to the files already there.
//!
//! **Files.** Every value is written with `emit` (quoted so that it reads back as exactly
//! that text); the last line is `import: {source, key, digest}`, where `digest` is a checksum
//! of the file without that line.
//!
//! **Ids.** A new row's id is its date and the words of its title (or kind and place); when
//! that id is taken, by an event of the site or by another row, the id gets the first six hex
//! digits of the row's key's checksum (more on a clash). Rows that claim the same id are
//! served in the order of their keys, so the ids do not depend on the order of the rows.
//!
//! **Again.** A row whose `(source, key)` is already in the site keeps its file and id. The
//! file is left alone when the new text is the same (`unchanged`), rewritten when it changed
//! and the file is as the last import wrote it (`updated`), and kept when someone edited it
//! since (`kept`: their edit wins). A new date moves the file to its new id, with the old id
//! in `aliases` so links keep working.

use super::map::{fnv64, Draft};
use super::places::{spot_id, Problem, Where};
use crate::emit::{block, quoted};
use crate::gazetteer::Gazetteer;
use crate::model::Event;
use crate::resolve::duplicates::Index;
use crate::resolve::Resolved;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// `content/events/YYYY/MM/<id>.yaml` of an id that starts with its date.
pub fn event_path(id: &str) -> PathBuf {
    Path::new(crate::read::EVENTS_DIR)
        .join(&id[..4])
        .join(&id[5..7])
        .join(format!("{id}.yaml"))
}

/// The file without its `import` line.
pub fn body(d: &Draft, g: &Gazetteer, aliases: &[String], duplicate_of: Option<&str>) -> String {
    let mut out = String::with_capacity(512 + d.summary.len());
    out.push_str("# yaml-language-server: $schema=../../../../schema/event.schema.json\n");
    let _ = writeln!(out, "title: {}", quoted(&d.title));
    let _ = writeln!(out, "date: {}", d.date.format("%Y-%m-%d"));
    let ids = |list: Vec<&str>| list.join(", ");
    match &d.target.at {
        Where::Cities(c) if c.len() == 1 => {
            let _ = writeln!(out, "city: {}", spot_id(g, c[0]));
        }
        Where::Cities(c) => {
            let _ = writeln!(
                out,
                "cities: [{}]",
                ids(c.iter().map(|c| spot_id(g, *c)).collect())
            );
        }
        Where::Provinces(p) => {
            let _ = writeln!(
                out,
                "provinces: [{}]",
                ids(p.iter().map(|p| g.province(*p).id.as_str()).collect())
            );
        }
        Where::National => out.push_str("scope: national\n"),
    }
    if let Some(place) = &d.target.place {
        let _ = writeln!(out, "place: {}", quoted(place));
    }
    if let Some([lon, lat]) = d.coordinates {
        let _ = writeln!(out, "coordinates: [{lon}, {lat}]");
    }
    let _ = writeln!(out, "kind: {}", d.kind);
    if !d.tags.is_empty() {
        let _ = writeln!(out, "tags: [{}]", d.tags.join(", "));
    }
    out.push_str(&block("summary", &d.summary));
    out.push_str("sources:\n");
    for s in &d.sources {
        let _ = writeln!(out, "  - url: {}", quoted(&s.url));
        let _ = writeln!(out, "    title: {}", quoted(&s.title));
        let _ = writeln!(out, "    publisher: {}", s.publisher);
        let _ = writeln!(out, "    published: {}", s.published.format("%Y-%m-%d"));
        if s.approximate {
            out.push_str("    published_precision: approximate\n");
        }
        if let Some(language) = &s.language {
            let _ = writeln!(out, "    language: {language}");
        }
    }
    if !aliases.is_empty() {
        let _ = writeln!(out, "aliases: [{}]", aliases.join(", "));
    }
    if let Some(other) = duplicate_of {
        let _ = writeln!(out, "duplicate_of: {other}");
    }
    out
}

/// The checksum of a file's body, as `import.digest` records it.
pub fn digest(body: &str) -> String {
    format!("{:016x}", fnv64(&[body]))
}

/// The whole file: the body, then the `import` line.
pub fn file_text(body: &str, source: &str, key: &str) -> String {
    format!(
        "{body}import: {{source: {}, key: {}, digest: \"{}\"}}\n",
        quoted(source),
        quoted(key),
        digest(body)
    )
}

/// The digest of a file as it is now: its text without the `import:` line.
pub fn current_digest(text: &str) -> String {
    let mut body = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if !line.starts_with("import:") {
            body.push_str(line);
        }
    }
    digest(&body)
}

/// One row that became an event, checked.
pub struct Mapped {
    pub row: usize,
    pub draft: Draft,
    /// The event as `check` resolved the file (with a provisional id).
    pub event: Event,
}

/// What importing a row did (or would do, in a dry run).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    /// The row's date changed: the file moved from this path; the old id is an alias.
    Moved(PathBuf),
    Unchanged,
    /// The file was edited by hand since it was imported: left as it is.
    Kept,
}

/// A row and what became of it.
#[derive(Debug, Clone)]
pub struct Written {
    pub row: usize,
    pub id: String,
    pub path: PathBuf,
    pub outcome: Outcome,
    /// The text to write, for `Created`, `Updated` and `Moved`.
    pub text: Option<String>,
    /// A probable duplicate: the other event's id, its file, and why.
    pub duplicate: Option<(String, PathBuf, String)>,
    /// How its place name was read, when not by id, name or alias.
    pub note: Option<String>,
}

/// How probable duplicates of rows are handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Duplicates {
    /// Write them, and list them in the report (`check` warns about them too).
    #[default]
    Warn,
    /// Reject them: they go to the rejects file with the event they repeat.
    Skip,
    /// Write them with `duplicate_of`, so their sources join the other event's page.
    Merge,
}

pub struct Plan {
    pub written: Vec<Written>,
    pub rejects: Vec<(usize, Problem)>,
    /// Files imported earlier from this source whose rows are not in the input now.
    pub missing: Vec<PathBuf>,
    /// Files imported earlier whose rows are in the input but rejected now (left as they are).
    pub now_rejected: Vec<PathBuf>,
}

/// A row that cannot become an event: its number, why, and its key when it has one (so that
/// the file an earlier import made of it is not taken for a row that left the input).
pub type Rejected = (usize, Problem, Option<String>);

struct Site<'a> {
    root: &'a Path,
    resolved: &'a Resolved,
    source: &'a str,
    /// Aliases that events have only because another was merged into them (not in their file).
    merged_ids: HashSet<&'a str>,
    drafts: HashSet<&'a str>,
}

/// Decides, in row order, the id, file and outcome of every mapped row.
pub fn plan(
    root: &Path,
    resolved: &Resolved,
    source: &str,
    unit: &str,
    mode: Duplicates,
    mapped: Vec<Result<Mapped, Rejected>>,
) -> Plan {
    let all = || resolved.events.iter().chain(&resolved.merged);
    let site = Site {
        root,
        resolved,
        source,
        merged_ids: (resolved.merged.iter())
            .flat_map(|e| std::iter::once(&e.id).chain(&e.aliases))
            .map(String::as_str)
            .collect(),
        drafts: all().filter(|e| e.draft).map(|e| e.id.as_str()).collect(),
    };
    let existing: HashMap<&str, &Event> = all()
        .filter_map(|e| {
            let import = e.import.as_ref().filter(|i| i.source == source)?;
            Some((import.key.as_str(), e))
        })
        .collect();
    let mut rejects = Vec::new();
    let mut accepted: Vec<Mapped> = Vec::new();
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut rejected_keys: HashSet<String> = HashSet::new();
    for m in mapped {
        match m {
            Err((row, problem, key)) => {
                rejected_keys.extend(key);
                rejects.push((row, problem));
            }
            Ok(m) => match first.get(&m.draft.key) {
                Some(row) => rejects.push((
                    m.row,
                    Problem::new(
                        "the row repeats an earlier row",
                        format!("{unit} {row} has the same key (its id, or without an id column its date, place, title and addresses): remove one of them"),
                    ),
                )),
                None => {
                    first.insert(m.draft.key.clone(), m.row);
                    accepted.push(m);
                }
            },
        }
    }
    let ids = assign_ids(&site, &accepted, &existing);
    let mut rows = Vec::with_capacity(accepted.len());
    let mut events = Vec::with_capacity(accepted.len());
    for (m, id) in accepted.into_iter().zip(&ids) {
        let mut event = m.event;
        event.id = id.clone();
        event.file = event_path(id);
        events.push(event);
        rows.push((m.row, m.draft));
    }
    // The site's events, less the earlier versions of these rows (a row is not its own duplicate).
    let mut index = Index::new(&resolved.gazetteer);
    let earlier = |e: &&Event| {
        e.import
            .as_ref()
            .is_some_and(|i| i.source == source && first.contains_key(&i.key))
    };
    for event in all().filter(|e| !earlier(e)) {
        index.add(event);
    }
    let mut written = Vec::with_capacity(rows.len());
    for ((row, draft), event) in rows.into_iter().zip(&events) {
        let before = existing.get(draft.key.as_str()).copied();
        let found = index
            .find(event)
            .map(|f| (f.id.to_string(), f.file.to_path_buf(), f.reason.describe()));
        let merge = found.as_ref().filter(|(other, ..)| {
            mode == Duplicates::Merge && !site.drafts.contains(other.as_str())
        });
        let duplicate_of = merge.map(|(other, ..)| other.clone());
        if let (Duplicates::Skip, Some((other, file, reason))) = (mode, &found) {
            rejects.push((
                row,
                Problem::new(
                    format!("probable duplicate of `{other}` ({})", crate::diagnostic::display_path(file)),
                    format!("same day, same place and {reason}; import with --duplicates merge to add its sources to that event, or --duplicates warn to write it anyway"),
                ),
            ));
            continue;
        }
        if duplicate_of.is_none() {
            index.add(event);
        }
        written.push(site.row(row, &draft, &event.id, before, found, duplicate_of));
    }
    rejects.sort_by_key(|(row, _)| *row);
    let (mut missing, mut now_rejected) = (Vec::new(), Vec::new());
    for (key, e) in &existing {
        if first.contains_key(*key) {
            continue;
        }
        if rejected_keys.contains(*key) {
            now_rejected.push(e.file.clone());
        } else {
            missing.push(e.file.clone());
        }
    }
    missing.sort();
    now_rejected.sort();
    Plan {
        written,
        rejects,
        missing,
        now_rejected,
    }
}

impl Site<'_> {
    /// The aliases an event's file lists (not those it has from merged duplicates).
    fn own_aliases(&self, e: &Event) -> Vec<String> {
        (e.aliases.iter())
            .filter(|a| !self.merged_ids.contains(a.as_str()))
            .cloned()
            .collect()
    }

    /// Whether a file was changed since the import that wrote it.
    fn edited(&self, e: &Event) -> bool {
        let Some(stored) = e.import.as_ref().and_then(|i| i.digest.as_deref()) else {
            return true;
        };
        let text = crate::read::files::read_to_string(self.root, &e.file);
        text.map_or(true, |t| current_digest(&t) != stored)
    }

    /// What becomes of a row: its file's text and outcome, against the file an earlier import
    /// made of it (`before`).
    fn row(
        &self,
        row: usize,
        draft: &Draft,
        id: &str,
        before: Option<&Event>,
        duplicate: Option<(String, PathBuf, String)>,
        duplicate_of: Option<String>,
    ) -> Written {
        let moving = before.filter(|e| e.id != id);
        let mut aliases = Vec::new();
        if let Some(e) = moving {
            aliases.push(e.id.clone());
        }
        aliases.extend(before.map(|e| self.own_aliases(e)).unwrap_or_default());
        let body = body(
            draft,
            &self.resolved.gazetteer,
            &aliases,
            duplicate_of.as_deref(),
        );
        let text = || Some(file_text(&body, self.source, &draft.key));
        let (outcome, text) = match before {
            None => (Outcome::Created, text()),
            Some(e) => {
                let stored = e.import.as_ref().and_then(|i| i.digest.as_deref());
                if moving.is_none() && stored == Some(digest(&body).as_str()) {
                    (Outcome::Unchanged, None)
                } else if self.edited(e) {
                    (Outcome::Kept, None)
                } else if moving.is_some() {
                    (Outcome::Moved(e.file.clone()), text())
                } else {
                    (Outcome::Updated, text())
                }
            }
        };
        let (id, path) = match (&outcome, before) {
            (Outcome::Unchanged | Outcome::Kept, Some(e)) => (e.id.clone(), e.file.clone()),
            _ => (id.to_string(), event_path(id)),
        };
        Written {
            row,
            id,
            path,
            outcome,
            text,
            duplicate,
            note: draft.target.note.clone(),
        }
    }
}

/// Ids for the accepted rows, in their order: the existing file's id when the row is known
/// and its date unchanged, else a new id (see the module's doc).
fn assign_ids(site: &Site, accepted: &[Mapped], existing: &HashMap<&str, &Event>) -> Vec<String> {
    let mut taken: HashSet<&str> = HashSet::new();
    for e in site.resolved.events.iter().chain(&site.resolved.merged) {
        taken.insert(&e.id);
        taken.extend(e.aliases.iter().map(String::as_str));
    }
    let mut ids: Vec<Option<String>> = vec![None; accepted.len()];
    let mut claims: BTreeMap<String, Vec<(&str, usize)>> = BTreeMap::new();
    for (i, m) in accepted.iter().enumerate() {
        match existing.get(m.draft.key.as_str()) {
            Some(e) if e.date == m.draft.date => ids[i] = Some(e.id.clone()),
            _ => {
                let base = format!("{}-{}", m.draft.date.format("%Y-%m-%d"), m.draft.slug);
                claims.entry(base).or_default().push((&m.draft.key, i));
            }
        }
    }
    let mut new_ids: HashSet<String> = HashSet::new();
    for (base, mut claimants) in claims {
        claimants.sort();
        for (key, i) in claimants {
            let hash = format!("{:016x}", fnv64(&[site.source, key]));
            let id = std::iter::once(base.clone())
                .chain(
                    (6..=16)
                        .step_by(2)
                        .map(|n| format!("{base}-{}", &hash[..n])),
                )
                .chain((2..).map(|n| format!("{base}-{hash}-{n}")))
                .find(|id| !taken.contains(id.as_str()) && !new_ids.contains(id))
                .expect("an endless list has a free id");
            new_ids.insert(id.clone());
            ids[i] = Some(id);
        }
    }
    ids.into_iter()
        .map(|id| id.expect("every row has an id"))
        .collect()
}

/// Writes the planned files (and removes the files of moved rows) inside the site's folder.
pub fn apply(root: &Path, written: &[Written]) -> Result<(), crate::diagnostic::Diagnostic> {
    use crate::diagnostic::{Diagnostic, Location};
    for w in written {
        let Some(text) = &w.text else { continue };
        let full = crate::read::files::inside(root, &w.path)?;
        let fail = |e: std::io::Error| {
            Diagnostic::error(
                &w.path,
                Location::START,
                format!("cannot write the file: {e}"),
            )
            .with_hint("check that content/events/ is writable")
        };
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        std::fs::write(&full, text).map_err(fail)?;
        if let Outcome::Moved(old) = &w.outcome {
            let old = crate::read::files::inside(root, old)?;
            std::fs::remove_file(old).map_err(fail)?;
        }
    }
    Ok(())
}
