//! Import benchmark: a generated CSV of N rows (50,000 by default) imported into an empty site,
//! then imported again (every row unchanged), then the resulting site checked.
//!
//! ```sh
//! cargo bench --bench import                              # 50,000 rows
//! RUZSHOMAR_BENCH_ROWS=10000 cargo bench --bench import
//! RUZSHOMAR_BENCH_KEEP=/tmp/import-bench cargo bench --bench import
//!     # keeps the CSV and the empty site there, e.g. to time the command itself:
//!     # /usr/bin/time -v target/release/ruzshomar import --root /tmp/import-bench/site \
//!     #     /tmp/import-bench/rows.csv
//! ```
//!
//! The rows look like a monitoring group's export: English city names (some Persian, some a
//! province only), a few neighbourhood names the gazetteer does not have, rows without an
//! address or a date, Solar Hijri dates, one to three sources per row, Markdown characters in
//! the descriptions and people named in the titles of killings. Peak RSS is the process's
//! VmHWM, reset before each stage where the kernel allows it.
//!
//! `cargo test --all-targets` runs this file without `--bench`: one quick import of 500 rows.

mod generate;

use generate::{refs, Lcg, Refs};
use ruzshomar::import::{self, Options};
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

const NEIGHBOURHOODS: &[&str] = &[
    "Tehranpars",
    "Narmak",
    "Gohardasht",
    "Sadeghiyeh",
    "Yaftabad",
];
const FIRST: &[&str] = &[
    "Ali", "Reza", "Mohammad", "Sara", "Zahra", "Hossein", "Mahsa", "Nika", "Kian", "Amir",
];
const LAST: &[&str] = &[
    "Rezaei", "Karimi", "Ahmadi", "Hosseini", "Moradi", "Jafari", "Rahimi", "Sadeghi", "Mousavi",
    "Kazemi",
];

fn cell(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The CSV: `rows` rows, the same for the same count.
fn csv(rows: usize, r: &Refs) -> String {
    let mut out = String::with_capacity(rows * 600);
    out.push_str(
        "id,date,city,province,title,description,kind,url,publisher,published,source_title\n",
    );
    for i in 0..rows {
        let mut rng = Lcg::new(i as u64 ^ 0x1234);
        let day = *rng.pick(&r.days);
        let city = rng.pick(&r.cities);
        let kind = rng.pick(&r.kinds).clone();
        let (mut place, mut province) = (city.name.clone(), String::new());
        match rng.below(100) {
            0..=3 => place = city.name_fa.clone().unwrap_or_else(|| city.name.clone()),
            4..=6 => {
                let p = rng.pick(&r.provinces);
                place.clear();
                province = p.name.clone();
            }
            7..=8 => place = rng.pick(NEIGHBOURHOODS).to_string(),
            9 => place.clear(),
            _ => {}
        }
        let date = if rng.chance(10) {
            let sh = ruzshomar::calendar::SolarHijri::from_gregorian(day);
            format!("{}/{:02}/{:02}", sh.year, sh.month, sh.day)
        } else if rng.chance(1) {
            String::new()
        } else {
            day.format("%Y-%m-%d").to_string()
        };
        let title = if kind == "killing" && rng.chance(60) {
            format!(
                "Killing of {} {} in {}",
                rng.pick(FIRST),
                rng.pick(LAST),
                city.name
            )
        } else {
            format!(
                "{} reported in {} (report {})",
                kind.replace('-', " "),
                city.name,
                i % 97
            )
        };
        let summary = format!(
            "According to the report, *{}* people gathered near the [main square] in {} & chanted <slogans>.\n\nA second paragraph: 1. numbers # and = signs; row {i}.",
            rng.range(10, 5000),
            city.name
        );
        let sources = rng.range(1, 3);
        let mut urls = Vec::new();
        let mut publishers = Vec::new();
        let mut titles = Vec::new();
        for n in 0..sources {
            titles.push(format!("Report {n} on {}", day.format("%-d %B %Y")));
            let p = rng.pick(&r.publishers);
            let base = p
                .url
                .as_deref()
                .unwrap_or("https://www.example.org/")
                .trim_end_matches('/');
            urls.push(format!(
                "{base}/news/{}/row-{i}-{n}",
                day.format("%Y/%m/%d")
            ));
            publishers.push(p.id.clone());
        }
        if rng.chance(1) {
            urls.clear();
        }
        let published = (day + chrono::Duration::days(rng.below(3) as i64)).format("%Y-%m-%d");
        let _ = writeln!(
            out,
            "row-{i},{date},{},{},{},{},{kind},{},{},{published},{}",
            cell(&place),
            cell(&province),
            cell(&title),
            cell(&summary),
            urls.join("|"),
            publishers.join("|"),
            titles.join("|"),
        );
    }
    out
}

fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with(field))?.to_string();
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn main() {
    let benching = std::env::args().skip(1).any(|a| a == "--bench");
    let rows: usize =
        generate::count_from_env("RUZSHOMAR_BENCH_ROWS", if benching { 50_000 } else { 500 });
    let today = generate::today();
    let refs = refs();
    let keep = std::env::var_os("RUZSHOMAR_BENCH_KEEP").map(std::path::PathBuf::from);
    let scratch = tempfile::tempdir().unwrap();
    let dir = keep.clone().unwrap_or_else(|| scratch.path().to_path_buf());
    let site = dir.join("site");
    let _ = std::fs::remove_dir_all(&site);
    std::fs::create_dir_all(site.join("content/events")).unwrap();
    generate::write_site(&site, 0, &refs);
    let started = Instant::now();
    let input = dir.join("rows.csv");
    std::fs::write(&input, csv(rows, &refs)).unwrap();
    let generated = started.elapsed();
    println!(
        "ruzshomar import benchmark: {rows} rows ({:.1} MB of CSV, generated in {:.2} s), {} threads",
        std::fs::metadata(&input).unwrap().len() as f64 / 1e6,
        generated.as_secs_f64(),
        rayon::current_num_threads()
    );
    if keep.is_some() {
        println!("kept: {} and {}", input.display(), site.display());
        return;
    }
    let options = Options {
        today,
        ..options(&site, &input)
    };
    let mut results = Vec::new();
    for stage in [
        "import into an empty site",
        "import again (nothing changed)",
    ] {
        reset_peak();
        let started = Instant::now();
        let report = import::run(&options, &|_| {}).unwrap_or_else(|p| panic!("{p:#?}"));
        let wall = started.elapsed();
        assert_eq!(report.rows, rows);
        assert_eq!(report.rows, report.events() + report.rejects.len());
        let peak = status_kb("VmHWM:") / 1024;
        println!("\n{stage}: {:.2} s, peak RSS {peak} MB", wall.as_secs_f64());
        for line in report.text().lines().take(12) {
            println!("  | {line}");
        }
        results.push((stage, wall, peak));
    }
    reset_peak();
    let started = Instant::now();
    let (resolved, problems) = ruzshomar::load(&site, today);
    let wall = started.elapsed();
    let errors = problems.iter().filter(|d| d.is_error()).count();
    assert_eq!(errors, 0, "the imported site passes check");
    let warnings = problems.len();
    let events = resolved.map(|r| r.events.len()).unwrap_or(0);
    let peak = status_kb("VmHWM:") / 1024;
    println!(
        "\ncheck of the imported site: {events} events, 0 errors, {warnings} warnings, {:.2} s, peak RSS {peak} MB",
        wall.as_secs_f64()
    );
    results.push(("check the imported site", wall, peak));
    println!("\n{:<34} {:>10} {:>12}", "stage", "wall", "peak RSS");
    for (stage, wall, peak) in &results {
        println!("{stage:<34} {:>8.2} s {:>9} MB", wall.as_secs_f64(), peak);
    }
}

fn options(site: &Path, input: &Path) -> Options {
    Options {
        root: site.to_path_buf(),
        input: input.to_path_buf(),
        format: None,
        delimiter: None,
        source: None,
        spec: Default::default(),
        kind_map: Vec::new(),
        date_format: None,
        places: None,
        rejects: None,
        dry_run: false,
        duplicates: Default::default(),
        keep_coordinates: false,
        max_km: 30.0,
        today: generate::today(),
    }
}
