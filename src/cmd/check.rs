//! `ruzshomar check`: the pipeline up to resolve, with every problem reported at once.

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
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
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
