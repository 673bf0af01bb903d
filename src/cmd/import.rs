//! `ruzshomar import FILE`: flags → [`ruzshomar::import::Options`], a progress bar, and the
//! report. The work is in `src/import/`.

use super::RootArg;
use ruzshomar::import::columns::Spec;
use ruzshomar::import::read::Format;
use ruzshomar::import::{self, Duplicates, Options, Step};
use ruzshomar::report;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    root: RootArg,
    /// The file to import: CSV (or TSV), JSON Lines, or a GeoJSON FeatureCollection of points
    file: PathBuf,
    /// The file's format (by default from its extension: .csv .tsv, .jsonl .ndjson, .geojson .json)
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// The CSV delimiter (by default `,`, `;` or tab, whichever the header line uses)
    #[arg(long)]
    delimiter: Option<char>,
    /// The dataset's name, recorded in each file's `import: {source: …}` (default: the file's
    /// name without extension)
    #[arg(long, value_name = "NAME")]
    dataset: Option<String>,
    /// The column with each row's own id, if the data has one (`none`: do not use one)
    #[arg(long, value_name = "COLUMN")]
    id: Option<String>,
    /// The column with the day it happened (default: date)
    #[arg(long, value_name = "COLUMN")]
    date: Option<String>,
    /// How dates are written, when not YYYY-MM-DD, YYYY/MM/DD (also Solar Hijri) or
    /// `8 January 2026`: a chrono format such as %d/%m/%Y
    #[arg(long, value_name = "FORMAT")]
    date_format: Option<String>,
    /// The column with the city (default: city, town, location); several cities separated by | or ;
    #[arg(long, value_name = "COLUMN")]
    city: Option<String>,
    /// The column with the province (default: province, admin1)
    #[arg(long, value_name = "COLUMN")]
    province: Option<String>,
    /// The column with a finer place: a square, street, prison (default: place)
    #[arg(long, value_name = "COLUMN")]
    place: Option<String>,
    /// The latitude column (default: lat, latitude); GeoJSON points need none
    #[arg(long, value_name = "COLUMN")]
    lat: Option<String>,
    /// The longitude column (default: lon, lng, longitude)
    #[arg(long, value_name = "COLUMN")]
    lon: Option<String>,
    /// The column with a headline (default: title); without one, titles are made from kind,
    /// place and date
    #[arg(long, value_name = "COLUMN")]
    title: Option<String>,
    /// The column with what happened (default: summary, description, notes)
    #[arg(long, value_name = "COLUMN")]
    summary: Option<String>,
    /// A column of source addresses; repeat it for several columns (default: url, link,
    /// source_url, url2, …). A cell may hold several, separated by |
    #[arg(long, value_name = "COLUMN")]
    source_url: Vec<String>,
    /// The reports' titles: a column, or one title for every row
    #[arg(long, value_name = "COLUMN|TEXT")]
    source_title: Option<String>,
    /// Who published the reports: a column, or a publisher id for every row (default: the
    /// publisher column, else found from each address's domain in data/publishers.yaml)
    #[arg(long, value_name = "COLUMN|ID")]
    publisher: Option<String>,
    /// When the reports were published: a column, or one date (default: published; without
    /// one, the event's day, marked approximate)
    #[arg(long, value_name = "COLUMN|DATE")]
    published: Option<String>,
    /// The reports' language: a column, or a code for every row (en, fa)
    #[arg(long, value_name = "COLUMN|CODE")]
    language: Option<String>,
    /// The kind of event: a column, or a kind id for every row (protest, strike, …)
    #[arg(long, value_name = "COLUMN|ID")]
    kind: Option<String>,
    /// A value of the kind column and the kind it means: --kind-map 'Riots=clash' (repeatable)
    #[arg(long, value_name = "VALUE=KIND")]
    kind_map: Vec<String>,
    /// The column with tags, separated by , | or ;
    #[arg(long, value_name = "COLUMN")]
    tags: Option<String>,
    /// Decisions about place names: a CSV of name,province,city,place,provinces (the
    /// `.places-todo.csv` an earlier run wrote, filled in)
    #[arg(long, value_name = "FILE")]
    places: Option<PathBuf>,
    /// Where to write the rejected rows (default: <dataset>.rejects.csv beside the input)
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,
    /// What to do with a row that looks like an event already there: write it and list it
    /// (warn), leave it out as a reject (skip), or write it with `duplicate_of` (merge)
    #[arg(long, value_enum, default_value_t = Duplicates::Warn)]
    duplicates: Duplicates,
    /// Write the rows' coordinates into the events (by default they only choose between
    /// towns of the same name)
    #[arg(long)]
    keep_coordinates: bool,
    /// How far (km) coordinates may be from a town to choose it
    #[arg(long, value_name = "KM", default_value_t = 30.0)]
    max_distance: f64,
    /// Print the report and write nothing
    #[arg(long)]
    dry_run: bool,
}

impl Args {
    fn options(self) -> anyhow::Result<Options> {
        let mut kind_map = Vec::new();
        for pair in &self.kind_map {
            let Some((from, to)) = pair.rsplit_once('=') else {
                anyhow::bail!("--kind-map {pair}: write VALUE=KIND, e.g. --kind-map 'Riots=clash'");
            };
            kind_map.push((from.trim().to_string(), to.trim().to_string()));
        }
        let delimiter = match self.delimiter {
            Some(c) if c.is_ascii() => Some(c as u8),
            Some(c) => {
                anyhow::bail!("--delimiter {c}: use a one-byte character such as , ; or a tab")
            }
            None => None,
        };
        Ok(Options {
            root: self.root.root,
            input: self.file,
            format: self.format,
            delimiter,
            source: self.dataset,
            spec: Spec {
                id: self.id,
                date: self.date,
                city: self.city,
                province: self.province,
                place: self.place,
                lat: self.lat,
                lon: self.lon,
                title: self.title,
                summary: self.summary,
                source_urls: self.source_url,
                source_title: self.source_title,
                publisher: self.publisher,
                published: self.published,
                kind: self.kind,
                language: self.language,
                tags: self.tags,
            },
            kind_map,
            date_format: self.date_format,
            places: self.places,
            rejects: self.rejects,
            dry_run: self.dry_run,
            duplicates: self.duplicates,
            keep_coordinates: self.keep_coordinates,
            max_km: self.max_distance,
            today: super::today()?,
        })
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let options = args.options()?;
    let terminal = std::io::stderr().is_terminal();
    let bar = indicatif::ProgressBar::new(0);
    if !terminal {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {msg} [{bar:30}] {pos}/{len} rows ({eta})",
        )
        .expect("a valid template")
        .progress_chars("=> "),
    );
    bar.set_message("reading");
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let progress = |step: Step| match step {
        Step::Reading => bar.set_message("reading the file and the site"),
        Step::Checking { done, total } => {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            bar.set_message("checking rows");
        }
        Step::Writing => bar.set_message("writing"),
    };
    let result = import::run(&options, &progress);
    bar.finish_and_clear();
    match result {
        Ok(report) => {
            print!("{}", report.text());
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            for d in &problems {
                eprintln!("{}", report::human(&options.root, d, terminal));
            }
            eprintln!(
                "import stopped with {}; nothing was written",
                report::count(problems.len(), "problem")
            );
            Ok(ExitCode::FAILURE)
        }
    }
}
