//! Weight budgets for readers on throttled connections: every HTML page ≤ 30 KB gzipped (the
//! map page excepted), the stylesheet ≤ 15 KB, the map page with its script and data
//! ≤ 150 KB gzipped, and the search page ≤ 60 KB gzipped before a query, a typical query (the
//! shards of its words and the records of its first page of results) ≤ 150 KB — on the bundled
//! site, and on a generated site of 10,000 events (the same synthetic events as the build
//! benchmark, from `benches/generate/`).

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
const SEARCH_PAGE_BUDGET: usize = 60 * 1024;
const QUERY_BUDGET: usize = 150 * 1024;

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
    /// Each search page with its styles, script and index manifest, gzipped.
    pub search_pages: Vec<(String, usize)>,
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
    let mut search_pages = Vec::new();
    for prefix in ["", "fa/"] {
        let page = search_first_load(output, prefix);
        assert!(
            page <= SEARCH_PAGE_BUDGET,
            "{prefix}search page before a query: {page} bytes gzipped (budget {SEARCH_PAGE_BUDGET})"
        );
        search_pages.push((format!("{prefix}search/"), page));
    }
    Weights {
        pages: pages.len(),
        heaviest,
        maps,
        css,
        search_pages,
    }
}

// ---------------------------------------------------------------------------------------------
// The search page (src/render/search/, themes/default/static/search.js).

/// What the search page loads before a query: the page, its styles, its script and the index's
/// manifest.
fn search_first_load(output: &Path, prefix: &str) -> usize {
    [
        format!("{prefix}search/index.html"),
        format!("{prefix}search/index.js"),
        "search.js".to_string(),
        "search.css".to_string(),
        "style.css".to_string(),
        "kinds.css".to_string(),
    ]
    .iter()
    .map(|p| size(output, p))
    .sum()
}

/// The value a data script of the search index assigns (`window.X=…;` or
/// `(window.X=window.X||{})["key"]=…;`).
fn script_value(output: &Path, path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(output.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let start = match text.find("\"]=") {
        Some(i) if text.starts_with('(') => i + 3,
        _ => text.find('=').unwrap() + 1,
    };
    serde_json::from_str(text[start..].trim_end().trim_end_matches(';'))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Numbers as `src/render/search/code.rs` writes them.
fn numbers(text: &str) -> Vec<u32> {
    const LAST: &[u8] = b"0123456789abcdefghijklmnopqrstuv";
    const MORE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ()*+,-";
    let mut out = Vec::new();
    let mut n = 0u32;
    for b in text.bytes() {
        match MORE.iter().position(|m| *m == b) {
            Some(v) => n = n * 32 + v as u32,
            None => {
                out.push(n * 32 + LAST.iter().position(|m| *m == b).unwrap() as u32);
                n = 0;
            }
        }
    }
    out
}

/// What a query costs, as `search.js` runs it.
#[derive(Debug)]
pub struct Query {
    pub query: String,
    pub hits: usize,
    /// The shards of its words and the records of its first page of results, gzipped.
    pub bytes: usize,
    pub files: usize,
}

/// Runs `query` over the index files of an edition as `search.js` does (its words' shards, the
/// events that have every word, the newest 20) and adds up what it loads.
fn search_query(output: &Path, prefix: &str, query: &str) -> Query {
    let manifest = script_value(output, &format!("{prefix}search/index.js"));
    let firsts: Vec<&str> = (manifest["shards"].as_array().unwrap().iter())
        .map(|s| s.as_str().unwrap())
        .collect();
    let per = manifest["per"].as_u64().unwrap() as usize;
    let mut words = ruzshomar::render::search::fold::words(query, false);
    words.dedup();
    let utf16 = |a: &str, b: &str| a.encode_utf16().cmp(b.encode_utf16());
    let mut loaded = std::collections::BTreeSet::new();
    let mut hits: Option<std::collections::BTreeSet<u32>> = None;
    for word in &words {
        let prefix_match = word.chars().count() >= 3;
        let at = firsts.partition_point(|f| utf16(f, word).is_le());
        let mut shards: Vec<usize> = at.checked_sub(1).into_iter().collect();
        if prefix_match {
            shards.extend((at..firsts.len()).take_while(|i| firsts[*i].starts_with(word.as_str())));
        }
        let mut has = std::collections::BTreeSet::new();
        for n in shards {
            let path = format!("{prefix}search/words/{n}.js");
            let text = script_value(output, &path);
            loaded.insert(path);
            for entry in text.as_str().unwrap().split(' ') {
                let (w, ids) = entry.split_once(':').unwrap();
                if (prefix_match && w.starts_with(word.as_str())) || w == word {
                    let mut id = 0;
                    for (i, gap) in numbers(ids).into_iter().enumerate() {
                        id = if i == 0 { gap } else { id + gap + 1 };
                        has.insert(id);
                    }
                }
            }
        }
        hits = Some(match hits {
            None => has,
            Some(h) => h.intersection(&has).copied().collect(),
        });
    }
    let hits = hits.unwrap_or_default();
    for id in hits.iter().rev().take(20) {
        loaded.insert(format!("{prefix}search/results/{}.js", *id as usize / per));
    }
    Query {
        query: query.to_string(),
        hits: hits.len(),
        bytes: loaded.iter().map(|p| size(output, p)).sum(),
        files: loaded.len(),
    }
}

/// Typical queries of each edition: a place, a kind and place, a slogan, a name.
const QUERIES: &[(&str, &str)] = &[
    ("", "tehran"),
    ("", "strike bazaar"),
    ("", "security forces tear gas"),
    ("", "Woman Life Freedom"),
    ("", "Toomaj Salehi"),
    ("fa/", "تهران"),
    ("fa/", "بازداشت"),
    ("fa/", "نیروهای امنیتی"),
    ("fa/", "شعار دادند"),
    ("fa/", "توماج صالحی"),
];

/// Every typical query within its budget; with the filters' data too, a query stays within it.
fn assert_queries(output: &Path) -> Vec<Query> {
    let mut measured = Vec::new();
    for (prefix, query) in QUERIES {
        let q = search_query(output, prefix, query);
        assert!(
            q.bytes <= QUERY_BUDGET,
            "{prefix}search/ query {query:?}: {} bytes gzipped (budget {QUERY_BUDGET})",
            q.bytes
        );
        let facets = size(output, &format!("{prefix}search/facets.js"));
        assert!(
            q.bytes + facets <= QUERY_BUDGET,
            "{prefix}search/ query {query:?} with the filters: {} bytes gzipped (budget {QUERY_BUDGET})",
            q.bytes + facets
        );
        measured.push(q);
    }
    measured
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
    let queries = assert_queries(out.path());
    eprintln!("bundled site, queries: {queries:#?}");
    assert!(
        queries
            .iter()
            .any(|q| q.query == "Toomaj Salehi" && q.hits == 1),
        "the name finds its event"
    );
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
    let queries = assert_queries(out.path());
    eprintln!("10,000 events, queries: {queries:#?}");
    assert!(
        queries.iter().filter(|q| q.hits > 100).count() >= 4,
        "typical queries find many events: {queries:#?}"
    );
}
