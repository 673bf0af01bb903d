//! Weight budgets for readers on throttled connections: every HTML page ≤ 30 KB gzipped (the
//! map page excepted), the stylesheet ≤ 15 KB, and the map page with its script and data
//! ≤ 150 KB gzipped — on the bundled site, and on a generated site of 10,000 events (the same
//! synthetic events as the build benchmark, from `benches/generate/`).

mod common;
#[path = "../benches/generate/mod.rs"]
mod generate;

use common::*;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

const PAGE_BUDGET: usize = 30 * 1024;
const CSS_BUDGET: usize = 15 * 1024;
const MAP_BUDGET: usize = 150 * 1024;

fn gzipped(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap().len()
}

fn size(output: &Path, path: &str) -> usize {
    gzipped(&std::fs::read(output.join(path)).unwrap_or_else(|e| panic!("{path}: {e}")))
}

/// The most gzip can make of `n` bytes (zlib's `compressBound`, with gzip's longer header and
/// trailer): a page this small cannot be over a budget, nor heavier than a page this heavy.
fn gzip_bound(n: usize) -> usize {
    n + (n >> 12) + (n >> 14) + (n >> 25) + 13 + 12
}

/// What [`assert_budgets`] measured, for the report.
#[derive(Debug)]
pub struct Weights {
    pub pages: usize,
    /// The heaviest page (the map pages excepted) and its gzipped size.
    pub heaviest: (String, usize),
    /// Each map page with its script, styles and data, gzipped.
    pub maps: Vec<(String, usize)>,
    /// style.css and kinds.css, as served.
    pub css: usize,
}

/// Checks every budget on a built site. Only pages whose size could put them over the budget
/// (or make them the heaviest) are gzipped, in parallel: a site of 10,000 events has tens of
/// thousands of pages.
pub fn assert_budgets(output: &Path) -> Weights {
    let mut pages: Vec<(String, usize)> = Vec::new();
    for entry in walkdir::WalkDir::new(output) {
        let entry = entry.unwrap();
        let path = entry
            .path()
            .strip_prefix(output)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !path.ends_with(".html") || path.ends_with("map/index.html") {
            continue;
        }
        pages.push((path, entry.metadata().unwrap().len() as usize));
    }
    // Largest first.
    pages.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let at_risk = pages
        .iter()
        .take_while(|(_, raw)| gzip_bound(*raw) > PAGE_BUDGET)
        .count();
    let measured: Vec<(String, usize)> = pages[..at_risk]
        .par_iter()
        .map(|(path, _)| (path.clone(), size(output, path)))
        .collect();
    let mut heaviest = (String::new(), 0);
    for (path, gz) in &measured {
        if *gz > heaviest.1 {
            heaviest = (path.clone(), *gz);
        }
    }
    for (path, raw) in &pages[at_risk..] {
        if gzip_bound(*raw) <= heaviest.1 {
            break;
        }
        let gz = size(output, path);
        if gz > heaviest.1 {
            heaviest = (path.clone(), gz);
        }
    }
    // Pages over the budget, by section (`days/`, `fa/cities/`, …): how many, and the worst.
    let mut over: BTreeMap<String, (usize, &str, usize)> = BTreeMap::new();
    for (path, gz) in measured.iter().filter(|(_, gz)| *gz > PAGE_BUDGET) {
        let depth = if path.starts_with("fa/") { 2 } else { 1 };
        let section: String = path.split('/').take(depth).collect::<Vec<_>>().join("/");
        let entry = over.entry(section).or_insert((0, path, 0));
        entry.0 += 1;
        if *gz > entry.2 {
            (entry.1, entry.2) = (path, *gz);
        }
    }
    assert!(
        over.is_empty(),
        "pages over {PAGE_BUDGET} bytes gzipped, by section (how many; the heaviest):\n{}",
        over.iter()
            .map(|(section, (n, path, gz))| format!(
                "  {section}/: {n}; {path} {gz} bytes (+{})",
                gz - PAGE_BUDGET
            ))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let css = std::fs::read(output.join("style.css")).unwrap().len()
        + std::fs::read(output.join("kinds.css")).unwrap().len();
    assert!(
        css <= CSS_BUDGET,
        "the CSS is {css} bytes (budget {CSS_BUDGET})"
    );
    let mut maps = Vec::new();
    for prefix in ["", "fa/"] {
        let map: usize = [
            format!("{prefix}map/index.html"),
            format!("{prefix}map/data.js"),
            "map.js".to_string(),
            "map.css".to_string(),
            "style.css".to_string(),
            "kinds.css".to_string(),
        ]
        .iter()
        .map(|p| size(output, p))
        .sum();
        assert!(
            map <= MAP_BUDGET,
            "{prefix}map page with script and data: {map} bytes gzipped (budget {MAP_BUDGET})"
        );
        maps.push((format!("{prefix}map/"), map));
    }
    Weights {
        pages: pages.len(),
        heaviest,
        maps,
        css,
    }
}

#[test]
fn the_bundled_site_keeps_its_weight_budgets() {
    let out = tempfile::tempdir().unwrap();
    let built = ruzshomar()
        .args(["build", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(built.status.success());
    let weights = assert_budgets(out.path());
    eprintln!("bundled site: {weights:?}");
    let script = std::fs::read(out.path().join("map.js")).unwrap().len();
    assert!(
        script <= 15 * 1024,
        "map.js is {script} bytes (budget 15 KB)"
    );
}

/// The budgets must hold for a big site too: 10,000 events over two periods and 300 cities
/// (about 23,000 pages; some 40 s in a debug build on two cores). Timelines are paged by month
/// for this: one page listing every day of a period was 45 KB gzipped at this size.
#[test]
fn a_generated_site_of_10000_events_keeps_its_weight_budgets() {
    let site = generate::generate(10_000, &generate::refs(), None);
    let out = tempfile::tempdir().unwrap();
    let built = ruzshomar()
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let weights = assert_budgets(out.path());
    eprintln!("10,000 events: {weights:?}");
}
