//! What an import did: counts, rejected rows grouped by distinct problem, probable duplicates,
//! and the two files written beside the input for the person who decides what comes next:
//!
//! - `<dataset>.rejects.csv`: each rejected row as it was, after `reject_row`, `reject_reason`
//!   and `reject_hint`. Fixed and imported again (`ruzshomar import <dataset>.rejects.csv`) it
//!   lands in the same dataset. Cells that a spreadsheet would run as a formula (`=`, `+`, `-`,
//!   `@`) are written with a leading `'`, which `import` removes again.
//! - `<dataset>.places-todo.csv`: each place name that no row could be placed by, with the
//!   rows it stands for and the gazetteer's suggestions: fill in `city` (or `provinces`, and a
//!   finer `place`) and pass the file with `--places`.

use super::columns::{Columns, Value};
use super::places::{Problem, Resolver};
use super::read::{Format, Table};
use super::write::{Duplicates, Outcome, Plan, Written};
use super::{text, Options};
use crate::diagnostic::{display_path, Diagnostic, Location};
use crate::report::grouped;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Rows refused for one distinct reason.
#[derive(Debug, Clone)]
pub struct Group {
    pub message: String,
    pub hint: String,
    /// Row numbers, in order.
    pub rows: Vec<usize>,
}

#[derive(Debug)]
pub struct Report {
    pub input: PathBuf,
    pub format: Format,
    pub source: String,
    /// Rows read (every one is an event or a reject).
    pub rows: usize,
    /// What each field was taken from.
    pub columns: Vec<(&'static str, String)>,
    pub written: Vec<Written>,
    /// Rejected rows, by row number.
    pub rejects: Vec<(usize, Problem)>,
    /// Files of this dataset whose rows are no longer in the input (left as they are).
    pub missing: Vec<PathBuf>,
    /// Files of this dataset whose rows are rejected now (left as they are).
    pub now_rejected: Vec<PathBuf>,
    pub dry_run: bool,
    pub duplicates: Duplicates,
    /// Where the rejects are written (or would be, in a dry run).
    pub rejects_file: Option<PathBuf>,
    /// Where the place names to decide are written (when there are some).
    pub places_file: Option<PathBuf>,
    /// The place names to decide, as the lines of that file (header first).
    pub places_todo: Vec<Vec<String>>,
    /// A places-todo file of an earlier run, to remove when it is no longer needed.
    stale_places: Option<PathBuf>,
    /// Lines of the `--places` file not filled in yet.
    pub unfilled_places: usize,
    /// No publication dates in the input: sources are dated the event's day, approximately.
    pub approximate_published: bool,
}

/// A cell a spreadsheet would run as a formula gets a leading `'` (OWASP's advice for CSV).
fn guard(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

impl Report {
    pub fn new(
        options: &Options,
        table: &Table,
        columns: &Columns,
        source: &str,
        plan: Plan,
        places: (&Resolver, usize),
    ) -> Report {
        let (resolver, unfilled_places) = places;
        let dir = options.input.parent().unwrap_or(Path::new(""));
        let rejects_file = (!plan.rejects.is_empty()).then(|| {
            options
                .rejects
                .clone()
                .unwrap_or_else(|| dir.join(format!("{source}.rejects.csv")))
        });
        let stale_places = Some(dir.join(format!("{source}.places-todo.csv")))
            .filter(|p| options.places.as_ref() != Some(p));
        let rows: HashMap<usize, &super::read::Row> =
            table.rows.iter().map(|r| (r.number, r)).collect();
        let places_todo = places_todo(&plan.rejects, &rows, resolver, columns);
        let places_file = stale_places.clone().filter(|_| places_todo.len() > 1);
        Report {
            input: options.input.clone(),
            format: table.format,
            source: source.to_string(),
            rows: table.rows.len(),
            columns: columns.describe(&table.columns),
            written: plan.written,
            rejects: plan.rejects,
            missing: plan.missing,
            now_rejected: plan.now_rejected,
            dry_run: options.dry_run,
            duplicates: options.duplicates,
            rejects_file,
            places_file,
            places_todo,
            stale_places,
            unfilled_places,
            approximate_published: columns.published == Value::Absent,
        }
    }

    /// Rows that are events: new, updated, moved, unchanged or kept.
    pub fn events(&self) -> usize {
        self.written.len()
    }

    pub fn count(&self, pick: fn(&Outcome) -> bool) -> usize {
        self.written.iter().filter(|w| pick(&w.outcome)).count()
    }

    /// Rejects by distinct problem (their message), the most frequent first; the hint is the
    /// first row's (each row has its own in the rejects file).
    pub fn groups(&self) -> Vec<Group> {
        let mut by: HashMap<&str, (&Problem, Vec<usize>)> = HashMap::new();
        for (row, problem) in &self.rejects {
            by.entry(&problem.message)
                .or_insert((problem, Vec::new()))
                .1
                .push(*row);
        }
        let mut groups: Vec<Group> = by
            .into_values()
            .map(|(p, rows)| Group {
                message: p.message.clone(),
                hint: p.hint.clone(),
                rows,
            })
            .collect();
        groups.sort_by(|a, b| {
            b.rows
                .len()
                .cmp(&a.rows.len())
                .then(a.rows[0].cmp(&b.rows[0]))
        });
        groups
    }

    /// The report for people.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let unit = self.format.unit();
        let rows = |n: usize| plural(n, "row");
        let _ = writeln!(
            out,
            "{}: {} ({}) as dataset `{}`",
            if self.dry_run {
                "dry run, nothing written"
            } else {
                "imported"
            },
            self.input.display(),
            self.format.name(),
            self.source
        );
        let fields: Vec<String> = self
            .columns
            .iter()
            .map(|(f, from)| format!("{f} ← {from}"))
            .collect();
        let _ = writeln!(out, "  fields: {}", fields.join(", "));
        if self.approximate_published {
            out.push_str("  publication dates: none in the input, so each source is dated the event's day with `published_precision: approximate`\n");
        }
        let created = self.count(|o| *o == Outcome::Created);
        let updated = self.count(|o| matches!(o, Outcome::Updated | Outcome::Moved(_)));
        let unchanged = self.count(|o| *o == Outcome::Unchanged);
        let kept = self.count(|o| *o == Outcome::Kept);
        let n = |n: usize| grouped(n);
        let _ = writeln!(
            out,
            "{}: {} events ({} new, {} updated, {} unchanged{}) + {} rejected",
            rows(self.rows),
            n(self.events()),
            n(created),
            n(updated),
            n(unchanged),
            if kept > 0 {
                format!(", {} kept as edited by hand", n(kept))
            } else {
                String::new()
            },
            n(self.rejects.len())
        );
        self.kept_and_missing(&mut out);
        self.notes_text(&mut out, unit);
        self.rejects_text(&mut out, unit);
        self.duplicates_text(&mut out, unit);
        if !self.dry_run && created + updated > 0 {
            out.push_str(
                "next: `ruzshomar check`, then commit content/events/ and open a pull request\n",
            );
        }
        out
    }

    fn kept_and_missing(&self, out: &mut String) {
        for w in self
            .written
            .iter()
            .filter(|w| w.outcome == Outcome::Kept)
            .take(10)
        {
            let _ = writeln!(
                out,
                "  kept {}: edited by hand since it was imported, so the changed row was not applied (delete the file and import again to take the row)",
                display_path(&w.path)
            );
        }
        if !self.now_rejected.is_empty() {
            let _ = writeln!(
                out,
                "{} imported earlier from `{}` have rows that are rejected now (see below); they were left as they are:",
                plural(self.now_rejected.len(), "file"),
                self.source
            );
            for file in self.now_rejected.iter().take(10) {
                let _ = writeln!(out, "  {}", display_path(file));
            }
        }
        if !self.missing.is_empty() {
            let _ = writeln!(
                out,
                "{} imported earlier from `{}` are no longer in the input; they were left as they are:",
                plural(self.missing.len(), "file"),
                self.source
            );
            for file in self.missing.iter().take(10) {
                let _ = writeln!(out, "  {}", display_path(file));
            }
            if self.missing.len() > 10 {
                let _ = writeln!(out, "  … and {} more", self.missing.len() - 10);
            }
        }
    }

    /// Place names read by another spelling, as a qualified name or as the largest of several
    /// towns: the files have the ids, so `check` will not say it; the report does, once a name.
    fn notes_text(&self, out: &mut String, unit: &str) {
        let mut notes: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for w in &self.written {
            if let Some(note) = &w.note {
                notes.entry(note).or_default().push(w.row);
            }
        }
        if notes.is_empty() {
            return;
        }
        let mut notes: Vec<(&str, Vec<usize>)> = notes.into_iter().collect();
        notes.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
        let _ = writeln!(
            out,
            "place names read another way (the files have the ids; check each once):"
        );
        for (note, rows) in notes.iter().take(25) {
            let shown: Vec<String> = rows.iter().take(5).map(|r| r.to_string()).collect();
            let more = if rows.len() > 5 { ", …" } else { "" };
            let units = if rows.len() == 1 {
                unit.to_string()
            } else {
                format!("{unit}s")
            };
            let _ = writeln!(
                out,
                "  {}: {note} ({units} {}{more})",
                plural(rows.len(), "row"),
                shown.join(", ")
            );
        }
        if notes.len() > 25 {
            let _ = writeln!(out, "  … and {} more", notes.len() - 25);
        }
    }

    fn rejects_text(&self, out: &mut String, unit: &str) {
        if self.rejects.is_empty() {
            return;
        }
        let file = self
            .rejects_file
            .as_ref()
            .map(|f| f.display().to_string())
            .unwrap_or_default();
        let verb = if self.dry_run {
            "would be written"
        } else {
            "written"
        };
        let _ = writeln!(
            out,
            "rejected rows, by problem ({verb} with their reason and hint to {file}):"
        );
        let groups = self.groups();
        for g in groups.iter().take(25) {
            let shown: Vec<String> = g.rows.iter().take(5).map(|r| r.to_string()).collect();
            let more = if g.rows.len() > 5 { ", …" } else { "" };
            let units = if g.rows.len() == 1 {
                unit.to_string()
            } else {
                format!("{unit}s")
            };
            let _ = writeln!(
                out,
                "  {}: {} — {} ({units} {}{more})",
                plural(g.rows.len(), "row"),
                g.message,
                g.hint,
                shown.join(", ")
            );
        }
        if groups.len() > 25 {
            let _ = writeln!(
                out,
                "  … and {} more problems (see the rejects file)",
                groups.len() - 25
            );
        }
        if let Some(places) = &self.places_file {
            let _ = writeln!(
                out,
                "place names to decide once: {} {} (fill in `city`, or `provinces` and `place`, then import again with --places)",
                places.display(),
                if self.dry_run { "would list them" } else { "lists them" }
            );
        }
        if self.unfilled_places > 0 {
            let _ = writeln!(
                out,
                "  ({} of the --places file not filled in yet)",
                plural(self.unfilled_places, "line")
            );
        }
    }

    fn duplicates_text(&self, out: &mut String, unit: &str) {
        let found: Vec<&Written> = self
            .written
            .iter()
            .filter(|w| w.duplicate.is_some())
            .collect();
        if found.is_empty() {
            return;
        }
        let what = match self.duplicates {
            Duplicates::Merge => {
                "written with `duplicate_of`, so their sources join the other event"
            }
            _ => "written; `check` warns about them; --duplicates skip or merge changes that",
        };
        let _ = writeln!(out, "probable duplicates ({what}):");
        for w in found.iter().take(20) {
            let (other, file, reason) = w.duplicate.as_ref().expect("filtered");
            let _ = writeln!(
                out,
                "  {unit} {} ({}) is a probable duplicate of `{other}` ({}): same day, same place and {reason}",
                w.row,
                display_path(&w.path),
                display_path(file)
            );
        }
        if found.len() > 20 {
            let _ = writeln!(out, "  … and {} more", found.len() - 20);
        }
    }

    /// Writes the rejects file and the place names to decide (not in a dry run). Such files
    /// of an earlier import that are no longer needed are removed (the rejects file when it is
    /// ours, the places-todo file unless someone started filling it in).
    pub fn write_files(&self, options: &Options, table: &Table) -> Result<(), Vec<Diagnostic>> {
        let fail = |path: &Path, e: String| {
            vec![
                Diagnostic::error(path, Location::START, format!("cannot write: {e}")).with_hint(
                    "check that the folder of the input file is writable, or pass --rejects PATH",
                ),
            ]
        };
        match (&self.places_file, &self.stale_places) {
            (Some(places), _) => {
                write_csv(places, &self.places_todo).map_err(|e| fail(places, e))?
            }
            (None, Some(stale)) => remove_unfilled_todo(stale).map_err(|e| fail(stale, e))?,
            (None, None) => {}
        }
        let Some(path) = &self.rejects_file else {
            let stale = options.rejects.clone().unwrap_or_else(|| {
                options
                    .input
                    .with_file_name(format!("{}.rejects.csv", self.source))
            });
            let ours = std::fs::read_to_string(&stale).is_ok_and(|t| t.starts_with("reject_row,"));
            if ours && stale != options.input {
                std::fs::remove_file(&stale).map_err(|e| fail(&stale, e.to_string()))?;
            }
            return Ok(());
        };
        let rows: HashMap<usize, &super::read::Row> =
            table.rows.iter().map(|r| (r.number, r)).collect();
        write_csv(path, &self.rejects_csv(table, &rows)).map_err(|e| fail(path, e))
    }

    fn rejects_csv(
        &self,
        table: &Table,
        rows: &HashMap<usize, &super::read::Row>,
    ) -> Vec<Vec<String>> {
        let raw = self.rejects.iter().any(|(r, _)| {
            rows.get(r)
                .is_some_and(|r| r.unreadable.as_ref().is_some_and(|u| u.raw.is_some()))
        });
        let point = table.format == Format::Geojson;
        let mut header: Vec<String> = ["reject_row", "reject_reason", "reject_hint"]
            .map(String::from)
            .to_vec();
        if raw {
            header.push("reject_raw".into());
        }
        header.extend(table.columns.iter().cloned());
        if point {
            header.extend(["longitude".to_string(), "latitude".to_string()]);
        }
        let mut out = vec![header];
        for (number, problem) in &self.rejects {
            let row = rows.get(number);
            let mut line = vec![
                number.to_string(),
                problem.message.clone(),
                problem.hint.clone(),
            ];
            if raw {
                line.push(
                    row.and_then(|r| r.unreadable.as_ref())
                        .and_then(|u| u.raw.clone())
                        .unwrap_or_default(),
                );
            }
            let mut cells = row.map(|r| r.cells.clone()).unwrap_or_default();
            cells.resize(table.columns.len(), String::new());
            line.extend(cells);
            if point {
                let xy = row.and_then(|r| r.point);
                line.extend([
                    xy.map(|p| p[0].to_string()).unwrap_or_default(),
                    xy.map(|p| p[1].to_string()).unwrap_or_default(),
                ]);
            }
            out.push(line);
        }
        out
    }
}

/// Each distinct (city, province) of the rejected rows that no place was found for.
fn places_todo(
    rejects: &[(usize, Problem)],
    rows: &HashMap<usize, &super::read::Row>,
    resolver: &Resolver,
    columns: &Columns,
) -> Vec<Vec<String>> {
    let mut names: BTreeMap<(String, String), (usize, Problem)> = BTreeMap::new();
    for (number, _) in rejects {
        let Some(row) = rows.get(number) else {
            continue;
        };
        let cell = |c: Option<usize>| {
            text::line(c.and_then(|c| row.cells.get(c)).map_or("", |s| s.as_str()))
        };
        let (city, province) = (cell(columns.city), cell(columns.province));
        if city.is_empty() && province.is_empty() {
            continue;
        }
        if let Err(problem) = resolver.place(&city, &province, None) {
            names.entry((city, province)).or_insert((0, problem)).0 += 1;
        }
    }
    let mut list: Vec<_> = names.into_iter().collect();
    list.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    let header = [
        "name",
        "province",
        "city",
        "place",
        "provinces",
        "rows",
        "problem",
        "hint",
    ];
    let mut out = vec![header.map(String::from).to_vec()];
    for ((name, province), (count, problem)) in list {
        out.push(vec![
            name,
            province,
            String::new(),
            String::new(),
            String::new(),
            count.to_string(),
            problem.message,
            problem.hint,
        ]);
    }
    out
}

/// Removes a places-todo file of an earlier run when no place is left to decide, unless
/// someone has started filling it in.
fn remove_unfilled_todo(path: &Path) -> Result<(), String> {
    let Ok(mut reader) = ::csv::Reader::from_path(path) else {
        return Ok(());
    };
    let ours = reader.headers().is_ok_and(|h| {
        h.iter()
            .take(5)
            .eq(["name", "province", "city", "place", "provinces"])
    });
    let untouched = reader
        .records()
        .all(|r| r.is_ok_and(|r| (2..5).all(|i| r.get(i).is_none_or(str::is_empty))));
    if ours && untouched {
        std::fs::remove_file(path).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Writes rows of cells as CSV, through a temporary file renamed into place.
fn write_csv(path: &Path, rows: &[Vec<String>]) -> Result<(), String> {
    let tmp = path.with_extension("csv.tmp");
    let mut writer = ::csv::Writer::from_path(&tmp).map_err(|e| e.to_string())?;
    for row in rows {
        writer
            .write_record(row.iter().map(|c| guard(c)))
            .map_err(|e| e.to_string())?;
    }
    writer.flush().map_err(|e| e.to_string())?;
    drop(writer);
    std::fs::rename(&tmp, path).map_err(|e| e.to_string())
}

fn plural(n: usize, word: &str) -> String {
    let digits = grouped(n);
    if n == 1 {
        format!("{digits} {word}")
    } else {
        format!("{digits} {word}s")
    }
}
