//! `ruzshomar new`: writes a correctly named event file with the schema comment, so a
//! contributor (or a maintainer turning an issue form into a file) starts from something valid.

use super::RootArg;
use anyhow::{bail, Context as _};
use ruzshomar::emit::{block, quoted};
use ruzshomar::names::slugify;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    root: RootArg,
    /// The day it happened: YYYY-MM-DD
    #[arg(long)]
    date: String,
    /// The city: id, English or Persian name, or alias
    #[arg(long, required_unless_present_any = ["province", "national"])]
    city: Option<String>,
    /// The province (alone: a province-wide event; with --city: to tell apart same-named cities)
    #[arg(long)]
    province: Option<String>,
    /// The event concerns the whole country
    #[arg(long, conflicts_with_all = ["city", "province"])]
    national: bool,
    /// The kind of event, an id from data/kinds.yaml
    #[arg(long, default_value = "protest")]
    kind: String,
    /// The address of the report
    #[arg(long)]
    source_url: Option<String>,
    /// The report's title
    #[arg(long)]
    source_title: Option<String>,
    /// The report's publisher, an id from data/publishers.yaml
    #[arg(long)]
    publisher: Option<String>,
    /// The report's publication day: YYYY-MM-DD
    #[arg(long)]
    published: Option<String>,
    /// What happened, in your own words
    #[arg(long)]
    summary: Option<String>,
    /// The event's headline
    title: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let root = &args.root.root;
    if let Some(day) = ruzshomar::calendar::SolarHijri::written_as(&args.date) {
        match day {
            Some(day) => bail!("--date {} is a Solar Hijri date: dates are Gregorian, and in the Gregorian calendar it is {day}; give --date {day}", args.date),
            None => bail!("--date {} has a Solar Hijri year but is no real Solar Hijri date; dates are Gregorian, YYYY-MM-DD", args.date),
        }
    }
    let date = chrono::NaiveDate::parse_from_str(&args.date, "%Y-%m-%d")
        .with_context(|| format!("--date {} is not a YYYY-MM-DD date", args.date))?;
    let (resolved, problems) = ruzshomar::load(root, super::today()?);
    let Some(site) = resolved else {
        for p in problems.iter().filter(|p| p.is_error()) {
            eprintln!("{p}");
        }
        bail!("the site's configuration or gazetteer has errors; run `ruzshomar check`");
    };
    let g = &site.gazetteer;
    let province = match &args.province {
        Some(name) => Some(
            g.resolve_province(name)
                .map_err(|_| anyhow::anyhow!("no province called `{name}`"))?,
        ),
        None => None,
    };
    let mut place = String::new();
    let slug_place = match (&args.city, province, args.national) {
        (Some(name), _, _) => {
            // A city's id, or a neighbourhood's (which names its city too).
            let found = g
                .resolve(name, province)
                .map_err(|e| anyhow::anyhow!("--city {name}: {}", describe(e)))?;
            let id = g.id_of(&found).to_string();
            writeln!(place, "city: {id}")?;
            id
        }
        (None, Some(p), _) => {
            writeln!(place, "provinces: [{}]", g.province(p).id)?;
            g.province(p).id.clone()
        }
        _ => {
            writeln!(place, "scope: national")?;
            "iran".to_string()
        }
    };
    if !site.kinds.contains(&args.kind) {
        bail!(
            "--kind {}: unknown; known kinds: {}",
            args.kind,
            site.kinds.ids().collect::<Vec<_>>().join(", ")
        );
    }
    let mut slug = slugify(&args.title);
    if slug.is_empty() {
        slug = format!("{slug_place}-{}", args.kind);
    }
    slug = truncate_words(&slug, 60);
    let relative: PathBuf = [
        ruzshomar::read::EVENTS_DIR,
        &date.format("%Y").to_string(),
        &date.format("%m").to_string(),
    ]
    .iter()
    .collect::<PathBuf>()
    .join(format!("{}-{slug}.yaml", date.format("%Y-%m-%d")));
    let path = root.join(&relative);
    if path.exists() {
        bail!(
            "{} already exists; choose another title",
            relative.display()
        );
    }
    let text = template(&args, date, &place);
    std::fs::create_dir_all(path.parent().expect("has a parent"))?;
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    println!("{}", ruzshomar::diagnostic::display_path(&relative));
    if args.source_url.is_none() || args.publisher.is_none() || args.summary.is_none() {
        eprintln!(
            "next: fill in the summary and the source in that file, then run `ruzshomar check`"
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn describe(e: ruzshomar::gazetteer::PlaceError) -> String {
    use ruzshomar::gazetteer::PlaceError::*;
    match e {
        Unknown { suggestions } if suggestions.is_empty() => "no such city in the gazetteer".into(),
        Unknown { suggestions } => {
            format!("no such city; did you mean {}?", suggestions.join(" or "))
        }
        Ambiguous { candidates } => format!(
            "several places have this name: {}; pass the id or --province",
            candidates.join(", ")
        ),
        NotInProvince { found, .. } => format!(
            "not in that province; the gazetteer has {}",
            found.join(", ")
        ),
        Province { also, .. } if also.is_empty() => {
            "a province, not a city; pass it as --province without --city".into()
        }
        Province { also, .. } => format!(
            "a province, and the name of {}; pass the id of the town",
            also.join(", ")
        ),
    }
}

fn truncate_words(slug: &str, max: usize) -> String {
    let mut out = String::new();
    for word in slug.split('-') {
        if !out.is_empty() && out.len() + 1 + word.len() > max {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    out
}

fn template(args: &Args, date: chrono::NaiveDate, place: &str) -> String {
    let summary = match args.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(text) => block("summary", text),
        None => "summary: |\n  \n".to_string(),
    };
    format!(
        "# yaml-language-server: $schema=../../../../schema/event.schema.json\n\
         title: {title}\n\
         date: {date}\n\
         {place}\
         kind: {kind}\n\
         tags: []\n\
         {summary}\
         sources:\n\
         \x20 - url: {url}\n\
         \x20   title: {source_title}\n\
         \x20   publisher: {publisher}\n\
         \x20   published: {published}\n",
        title = quoted(&args.title),
        date = date.format("%Y-%m-%d"),
        kind = args.kind,
        url = quoted(args.source_url.as_deref().unwrap_or("")),
        source_title = quoted(args.source_title.as_deref().unwrap_or("")),
        publisher = quoted(args.publisher.as_deref().unwrap_or("")),
        published = quoted(args.published.as_deref().unwrap_or("")),
    )
}
