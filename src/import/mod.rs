//! `ruzshomar import`: an existing dataset (CSV, JSON Lines, GeoJSON) becomes event files,
//! one per row, each checked by `check`'s own rules before it is written. Nothing is lost
//! silently: a row that cannot become a valid event goes to a rejects file with the reason and
//! a hint, and the report counts rejects by distinct problem, because a person decides once
//! per name, not once per row. Importing the same data again changes only what changed.
//!
//! The stages: [`read`] (formats → a table of text cells), [`columns`] (flags → which column
//! holds which field), [`places`] (names → gazetteer, through the resolver `check` uses),
//! [`map`] (a row → a [`map::Draft`], or the reason it cannot be one), [`write`] (drafts →
//! files: ids, idempotency, probable duplicates) and [`report`] (counts, groups, the rejects
//! file). `src/cmd/import.rs` turns flags into [`Options`] and prints the [`Report`].
//!
//! The input file is read from wherever the user keeps it (it is the command's argument, not a
//! file of the site); event files are written only below the site's `content/events/`.

pub mod columns;
pub mod dates;
pub mod map;
pub mod places;
pub mod read;
pub mod report;
pub mod text;
pub mod write;

use crate::diagnostic::{Diagnostic, Location};
use crate::resolve::Resolved;
use chrono::NaiveDate;
use columns::{Columns, Spec, Value};
use places::{PlaceMap, Problem, Resolver};
use rayon::prelude::*;
use read::{Format, Table};
pub use report::Report;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
pub use write::Duplicates;

pub struct Options {
    /// The site's folder.
    pub root: PathBuf,
    /// The file to import.
    pub input: PathBuf,
    /// The input's format; by default from its extension.
    pub format: Option<Format>,
    /// The CSV delimiter; by default found from the header line.
    pub delimiter: Option<u8>,
    /// The dataset's name in `import.source`; by default the input's file name without
    /// extension (and without `.rejects`, so a fixed rejects file imports as its dataset).
    pub source: Option<String>,
    pub spec: Spec,
    /// Values of the kind column → kind ids (`Riots` → `clash`).
    pub kind_map: Vec<(String, String)>,
    /// A chrono format for the dates (`%d/%m/%Y`), when they are not in a form read by default.
    pub date_format: Option<String>,
    /// Decisions about place names (`name,province,city,place,provinces`).
    pub places: Option<PathBuf>,
    /// Where to write the rejected rows; by default `<input>.rejects.csv` beside the input.
    pub rejects: Option<PathBuf>,
    /// Report only: write nothing.
    pub dry_run: bool,
    pub duplicates: Duplicates,
    /// Write the rows' coordinates into the events (by default they only choose between
    /// same-named towns).
    pub keep_coordinates: bool,
    /// How far, in km, coordinates may be from a town to choose it (and to be kept with it).
    pub max_km: f64,
    /// Nothing may be dated after it.
    pub today: NaiveDate,
}

/// How far the import has got, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    Reading,
    /// Rows mapped and checked so far, of all.
    Checking {
        done: usize,
        total: usize,
    },
    Writing,
}

/// The dataset name for an input file: its name without extension or `.rejects`.
pub fn default_source(input: &Path) -> String {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "import".into());
    let stem = stem.strip_suffix(".rejects").unwrap_or(&stem).to_string();
    let stem = stem
        .strip_suffix(".places-todo")
        .unwrap_or(&stem)
        .to_string();
    stem
}

/// Imports `options.input` into the site at `options.root`. `Err` when nothing could be
/// imported at all (the site has errors, the file cannot be read, a flag names no column);
/// otherwise every row is accounted for in the report.
pub fn run(options: &Options, progress: &(dyn Fn(Step) + Sync)) -> Result<Report, Vec<Diagnostic>> {
    progress(Step::Reading);
    let format = match options.format.or_else(|| Format::of(&options.input)) {
        Some(format) => format,
        None => {
            return Err(vec![Diagnostic::error(
                &options.input,
                Location::START,
                "cannot tell the file's format from its name",
            )
            .with_hint("pass --format csv, --format jsonl or --format geojson")])
        }
    };
    let (loaded, table) = rayon::join(
        || crate::load(&options.root, options.today),
        || read::read(&options.input, format, options.delimiter),
    );
    let site = site(loaded)?;
    let table = table.map_err(|d| vec![d])?;
    let columns = Columns::new(&options.spec, &table.columns, &options.input)?;
    let place_map = match &options.places {
        Some(path) => Some(PlaceMap::read(path, &site.gazetteer)?),
        None => None,
    };
    let pairs = table.rows.iter().map(|r| {
        let cell = |c: Option<usize>| {
            text::line(c.and_then(|c| r.cells.get(c)).map_or("", |s| s.as_str()))
        };
        (cell(columns.city), cell(columns.province))
    });
    let resolver = Resolver::new(&site.gazetteer, place_map.as_ref(), pairs, options.max_km);
    let mut mapper = map::Mapper::new(&site, &columns, &resolver, &options.kind_map, options.today);
    mapper.date_format = options.date_format.clone();
    mapper.keep_coordinates = options.keep_coordinates;
    check_fixed(&mapper, &columns, options)?;
    let source = options
        .source
        .clone()
        .unwrap_or_else(|| default_source(&options.input));
    let mapped = check_rows(&site, &mapper, &table, &source, options.today, progress);
    progress(Step::Writing);
    let unit = table.format.unit();
    let plan = write::plan(
        &options.root,
        &site,
        &source,
        unit,
        options.duplicates,
        mapped,
    );
    let unfilled = place_map.as_ref().map_or(0, |m| m.empty);
    let report = Report::new(
        options,
        &table,
        &columns,
        &source,
        plan,
        (&resolver, unfilled),
    );
    debug_assert_eq!(report.rows, report.events() + report.rejects.len());
    if !options.dry_run {
        write::apply(&options.root, &report.written).map_err(|d| vec![d])?;
        report.write_files(options, &table)?;
    }
    Ok(report)
}

/// The site, when it loads without errors: imported events must pass `check` beside the
/// events already there, and re-importing needs every earlier imported file read.
fn site(loaded: (Option<Resolved>, Vec<Diagnostic>)) -> Result<Resolved, Vec<Diagnostic>> {
    let (resolved, problems) = loaded;
    let mut errors: Vec<Diagnostic> = problems.into_iter().filter(Diagnostic::is_error).collect();
    match resolved {
        Some(site) if errors.is_empty() => Ok(site),
        _ => {
            errors.push(
                Diagnostic::error(crate::read::EVENTS_DIR, Location::START, "the site has errors, so nothing was imported")
                    .with_hint("fix the problems above first (`ruzshomar check` lists them): imported events must pass `check` beside the events already there"),
            );
            Err(errors)
        }
    }
}

/// A value given once for every row (`--kind protest`) must be valid, or no row could be.
fn check_fixed(
    mapper: &map::Mapper,
    columns: &Columns,
    options: &Options,
) -> Result<(), Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut fail = |flag: &str, p: Problem| {
        problems.push(
            Diagnostic::error(
                &options.input,
                Location::START,
                format!("{flag}: {}", p.message),
            )
            .with_hint(format!(
                "{} (the value is not a column of the input, so it is used for every row)",
                p.hint
            )),
        )
    };
    if let Value::Fixed(kind) = &columns.kind {
        if let Err(p) = mapper.kind(kind) {
            fail("--kind", p);
        }
    }
    if let Value::Fixed(publisher) = &columns.publisher {
        if let Err(p) = mapper.publisher(publisher, "") {
            fail("--publisher", p);
        }
    }
    if let Value::Fixed(day) = &columns.published {
        if let Err(e) = dates::parse(day, options.date_format.as_deref()) {
            fail("--published", Problem::new(e.message, e.hint));
        }
    }
    for (from, to) in &options.kind_map {
        if !mapper.site.kinds.contains(to) {
            let known = mapper.site.kinds.ids().collect::<Vec<_>>().join(", ");
            fail(
                "--kind-map",
                Problem::new(
                    format!("`{from}={to}`: `{to}` is not a kind"),
                    format!("kinds: {known}"),
                ),
            );
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Every row mapped to a draft, written out and checked by `check`'s rules, in parallel.
fn check_rows(
    site: &Resolved,
    mapper: &map::Mapper,
    table: &Table,
    source: &str,
    today: NaiveDate,
    progress: &(dyn Fn(Step) + Sync),
) -> Vec<Result<write::Mapped, write::Rejected>> {
    let cx = site.context(today);
    let done = AtomicUsize::new(0);
    let total = table.rows.len();
    table
        .rows
        .par_iter()
        .map(|row| {
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if n % 512 == 0 || n == total {
                progress(Step::Checking { done: n, total });
            }
            let key = || mapper.key(row).ok().filter(|_| row.unreadable.is_none());
            let draft = mapper.draft(row).map_err(|p| (row.number, p, key()))?;
            let id = format!("{}-{}", draft.date.format("%Y-%m-%d"), draft.slug);
            let path = write::event_path(&id);
            let text = write::file_text(
                &write::body(&draft, &site.gazetteer, &[], None),
                source,
                &draft.key,
            );
            let (event, problems) = crate::resolve::check_text(&cx, &path, text);
            match (event, problems.into_iter().find(Diagnostic::is_error)) {
                (Some(mut event), None) => {
                    // Kept for comparing with other events only: the texts are in the draft.
                    event.summary = String::new();
                    event.sources = Vec::new();
                    Ok(write::Mapped {
                        row: row.number,
                        draft,
                        event,
                    })
                }
                (_, Some(d)) => Err((
                    row.number,
                    Problem::new(d.message, d.hint.unwrap_or_default()),
                    key(),
                )),
                (None, None) => Err((
                    row.number,
                    Problem::new(
                        "the row does not make a valid event",
                        "run `ruzshomar check` on a file written from it",
                    ),
                    key(),
                )),
            }
        })
        .collect()
}
