//! `ruzshomar check`: the pipeline up to resolve, with every problem reported at once; with
//! `--fix`, place names that resolve unambiguously but not by id are first rewritten to their
//! ids, in the files.

use super::RootArg;
use ruzshomar::model::Places;
use ruzshomar::report::{self, Format, Summary};
use ruzshomar::resolve::Resolved;
use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    root: RootArg,
    /// How to print problems: for people, as GitHub annotations, or as JSON
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Also refuse events removed or renamed since this git revision (e.g. origin/main)
    /// unless their old id is kept in `aliases`
    #[arg(long, value_name = "REV")]
    base: Option<String>,
    /// Rewrite place names found by alias, another spelling or as a neighbourhood to their ids,
    /// in the files (only those values change); refused on files with uncommitted changes
    #[arg(long)]
    fix: bool,
    /// With --fix: also rewrite files that have uncommitted changes, or outside a git repository
    #[arg(long, requires = "fix")]
    allow_dirty: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.fix {
        fix(&args)?;
    }
    let started = Instant::now();
    let root = &args.root.root;
    let (resolved, mut problems) = ruzshomar::load(root, super::today()?);
    if let Some(site) = &resolved {
        // A theme that cannot render would fail the build after the check passed.
        problems.extend(ruzshomar::render::check_theme(root, &site.config));
    }
    if let (Some(base), Some(site)) = (&args.base, &resolved) {
        problems.extend(ruzshomar::stability::check_removed(root, base, site));
    }
    ruzshomar::diagnostic::sort(&mut problems);
    let summary = resolved.as_ref().map(summarize);
    let errors = problems.iter().filter(|d| d.is_error()).count();
    let warnings = problems.len() - errors;
    match args.format {
        Format::Json => println!("{}", report::json(&problems, summary.as_ref())),
        Format::Github => {
            for d in &problems {
                println!("{}", report::github(d));
            }
            println!("{}", verdict(errors, warnings, summary.as_ref()));
        }
        Format::Human => {
            let color = std::io::stdout().is_terminal();
            for d in &problems {
                println!("{}", report::human(root, d, color));
            }
            println!("{}", verdict(errors, warnings, summary.as_ref()));
            if let Some(s) = summary.as_ref().filter(|_| errors == 0) {
                println!("{}", describe(s, started.elapsed().as_secs_f64()));
            }
        }
    }
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `--fix`: rewrites what resolve found fixable, file by file, after asking git that none of
/// the files has uncommitted changes (unless `--allow-dirty`), and says what changed.
fn fix(args: &Args) -> anyhow::Result<()> {
    use std::collections::BTreeMap;
    use std::io::Write as _;
    let root = &args.root.root;
    let (resolved, _) = ruzshomar::load(root, super::today()?);
    let fixes = resolved.map(|r| r.fixes).unwrap_or_default();
    let mut by_file: BTreeMap<&std::path::Path, Vec<&ruzshomar::fix::Fix>> = BTreeMap::new();
    for f in &fixes {
        by_file.entry(f.file.as_path()).or_default().push(f);
    }
    // The report goes where the diagnostics do, unless they are one JSON document.
    let mut out: Box<dyn std::io::Write> = match args.format {
        Format::Json => Box::new(std::io::stderr()),
        _ => Box::new(std::io::stdout()),
    };
    if by_file.is_empty() {
        writeln!(out, "check --fix: no place name to rewrite")?;
        return Ok(());
    }
    if !args.allow_dirty {
        let files: Vec<&std::path::Path> = by_file.keys().copied().collect();
        let dirty = ruzshomar::stability::uncommitted(root, &files).map_err(|e| {
            anyhow::anyhow!("check --fix: {e}; commit the files to git first, or pass --allow-dirty to rewrite them anyway")
        })?;
        if !dirty.is_empty() {
            let list: Vec<String> = dirty.iter().map(|p| p.display().to_string()).collect();
            anyhow::bail!(
                "check --fix: these files have uncommitted changes: {}; commit or stash them first, or pass --allow-dirty",
                list.join(", ")
            );
        }
    }
    let (mut done, mut files) = (0, 0);
    for (file, fixes) in by_file {
        let bytes =
            ruzshomar::read::files::read_bytes(root, file).map_err(|d| anyhow::anyhow!("{d}"))?;
        let text = String::from_utf8(bytes)?;
        let (bom, body) = match text.strip_prefix('\u{feff}') {
            Some(body) => ("\u{feff}", body),
            None => ("", text.as_str()),
        };
        let (fixed, skipped) = ruzshomar::fix::apply(body, &fixes);
        for f in fixes.iter().filter(|f| !skipped.contains(f)) {
            writeln!(out, "{f}")?;
        }
        for f in &skipped {
            writeln!(out, "{f}: not rewritten: the value is not written on one line as plain text; write `{}` by hand", f.to)?;
        }
        if skipped.len() < fixes.len() {
            std::fs::write(root.join(file), format!("{bom}{fixed}"))?;
            done += fixes.len() - skipped.len();
            files += 1;
        }
    }
    writeln!(
        out,
        "check --fix: rewrote {} in {}",
        report::count(done, "place name"),
        report::count(files, "file")
    )?;
    Ok(())
}

fn verdict(errors: usize, warnings: usize, summary: Option<&Summary>) -> String {
    let files = summary.map(|s| s.events + s.drafts).unwrap_or(0);
    match (errors, warnings) {
        (0, 0) => "check passed: no problems".to_string(),
        (0, w) => format!("check passed with {}", report::count(w, "warning")),
        (e, w) => format!(
            "check failed: {} and {} ({} passed)",
            report::count(e, "error"),
            report::count(w, "warning"),
            report::count(files, "event file")
        ),
    }
}

fn describe(s: &Summary, seconds: f64) -> String {
    let range = match (&s.first_date, &s.last_date) {
        (Some(a), Some(b)) => format!(", from {a} to {b}"),
        _ => String::new(),
    };
    let drafts = if s.drafts > 0 {
        format!(" (+{} drafts)", s.drafts)
    } else {
        String::new()
    };
    format!(
        "{} events{drafts} in {} cities and {} provinces, citing {} publishers{range}; checked in {:.2} s",
        s.events, s.cities, s.provinces, s.publishers, seconds
    )
}

fn summarize(site: &Resolved) -> Summary {
    let mut cities = BTreeSet::new();
    let mut provinces = BTreeSet::new();
    let mut publishers = BTreeSet::new();
    let published: Vec<_> = site.events.iter().filter(|e| !e.draft).collect();
    for event in &published {
        match &event.places {
            Places::Cities(list) => {
                for city in list {
                    cities.insert(*city);
                    provinces.insert(site.gazetteer.province_of(*city));
                }
            }
            Places::Provinces(list) => provinces.extend(list.iter().copied()),
            Places::National => {}
        }
        publishers.extend(event.sources.iter().map(|s| s.publisher.as_str()));
    }
    Summary {
        events: published.len(),
        drafts: site.events.len() - published.len(),
        cities: cities.len(),
        provinces: provinces.len(),
        publishers: publishers.len(),
        first_date: published
            .iter()
            .map(|e| e.date)
            .min()
            .map(|d| d.to_string()),
        last_date: published
            .iter()
            .map(|e| e.last_day())
            .max()
            .map(|d| d.to_string()),
    }
}
