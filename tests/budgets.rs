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
    build_with_command(&repo(), out.path());
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
    build_with_command(site.path(), out.path());
    let weights = assert_budgets(out.path());
    eprintln!("10,000 events: {weights:?}");
    let queries = assert_queries(out.path());
    eprintln!("10,000 events, queries: {queries:#?}");
    assert!(
        queries.iter().filter(|q| q.hits > 100).count() >= 4,
        "typical queries find many events: {queries:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// A site at real scale: 1,600 events on one day, 3,000 in one city, some 300 places.

/// A page of the built site, read as text.
fn page(output: &Path, path: &str) -> String {
    std::fs::read_to_string(output.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `relative` (a link of the page at `from`, both below the edition's root) as a path from
/// the output's root, without its fragment; and the fragment.
fn resolve(from: &str, relative: &str) -> (String, String) {
    let (link, fragment) = relative.split_once('#').unwrap_or((relative, ""));
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in link.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    (parts.join("/"), fragment.to_string())
}

/// Every `href="…"` of `html`, in order (entities left as they are).
fn hrefs(html: &str) -> Vec<&str> {
    html.split("href=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect()
}

/// The event id of a link to an event page (`…events/<id>/index.html`).
fn event_of(href: &str) -> Option<&str> {
    let at = href.rfind("events/")?;
    href[at + 7..].strip_suffix("/index.html")
}

/// A number as the pages write it, in either edition (`1,234`, `۱٬۲۳۴`).
fn number(text: &str) -> usize {
    let digits: String = (text.chars())
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            '۰'..='۹' => char::from_digit(c as u32 - '۰' as u32, 10),
            _ => None,
        })
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {text:?}"))
}

/// The pages of a paged list whose first page is `first` (`days/2026-01-08/index.html`), as
/// the pager says: its last page number.
fn list_pages(output: &Path, first: &str) -> Vec<String> {
    let html = page(output, first);
    let folder = first.trim_end_matches("index.html");
    let last = (hrefs(&html).into_iter())
        .filter_map(|h| {
            let (path, _) = resolve(first, h);
            let n = path.strip_prefix(folder)?.strip_suffix("/index.html")?;
            n.parse::<usize>().ok()
        })
        .max()
        .unwrap_or(1);
    (1..=last)
        .map(|n| match n {
            1 => first.to_string(),
            n => format!("{folder}{n}/index.html"),
        })
        .collect()
}

/// The day's events of the export by the group a day page puts them in: the province id,
/// `national`, or `several`; with the editions each event has a page in.
fn day_groups(output: &Path, day: &str) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    for text in exports(output, "json") {
        let data: serde_json::Value = serde_json::from_str(&text).unwrap();
        for e in data["events"].as_array().unwrap() {
            if e["date"] != day {
                continue;
            }
            let mut provinces: Vec<&str> = (e["places"].as_array().unwrap().iter())
                .map(|p| p["province"].as_str().unwrap())
                .collect();
            provinces.sort();
            provinces.dedup();
            let group = match provinces.as_slice() {
                [] => "national".to_string(),
                [one] => one.to_string(),
                _ => "several".to_string(),
            };
            let persian = e["translations"]["fa"]["title"].is_string();
            out.push((e["id"].as_str().unwrap().to_string(), group, persian));
        }
    }
    out
}

/// The group a day page's section is (see [`day_groups`]), from its heading's link.
fn group_of(section: &str) -> String {
    let heading = &section[section.find("<h2>").unwrap()..section.find("</h2>").unwrap()];
    match hrefs(heading).first() {
        None => "several".to_string(),
        Some(h) if h.ends_with("national/index.html") => "national".to_string(),
        Some(h) => {
            let at = h.find("provinces/").expect("a province's page") + 10;
            h[at..].trim_end_matches("/index.html").to_string()
        }
    }
}

/// The sections of a day page: anchor → (group, the events it links).
fn day_sections(html: &str) -> BTreeMap<String, (String, Vec<String>)> {
    let mut out = BTreeMap::new();
    for part in html.split("<section class=\"day-group\" id=\"").skip(1) {
        let anchor = part[..part.find('"').unwrap()].to_string();
        let body = &part[..part.find("</section>").unwrap()];
        let mut events: Vec<String> = (hrefs(body).into_iter())
            .filter_map(event_of)
            .map(String::from)
            .collect();
        events.dedup();
        out.insert(anchor, (group_of(body), events));
    }
    out
}

/// A day of 1,600 events and a city of 3,000, among 3,000 other events over some 300 places:
/// every page within its budget, the day's province chips count the whole day and lead to the
/// page where the province starts, every event of the day and of the city is linked from
/// exactly one page of its list, in both editions, and the map of 300 places stays legible.
#[test]
fn a_day_of_1600_events_and_a_city_of_3000_stay_light_and_navigable() {
    let refs = generate::refs();
    let site = generate::busy(3_000, 1_600, 3_000, &refs);
    let out = tempfile::tempdir().unwrap();
    build_with_command(site.path(), out.path());
    let output = out.path();
    let weights = assert_budgets(output);
    eprintln!("busy day and city: {weights:?}");

    let day = generate::BUSY_DAY;
    let events = day_groups(output, day);
    assert!(events.len() >= 1_600, "{} events on {day}", events.len());
    for prefix in ["", "fa/"] {
        let persian = !prefix.is_empty();
        let mine: Vec<&(String, String, bool)> = (events.iter())
            .filter(|(_, _, fa)| !persian || *fa)
            .collect();
        let mut expected: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, group, _) in &mine {
            *expected.entry(group.as_str()).or_default() += 1;
        }
        let group_by_id: BTreeMap<&str, &str> = (mine.iter())
            .map(|(id, group, _)| (id.as_str(), group.as_str()))
            .collect();
        let first = format!("{prefix}days/{day}/index.html");
        let pages = list_pages(output, &first);
        assert_eq!(
            pages.len(),
            mine.len().div_ceil(100),
            "{first}: one page per 100 events"
        );
        // Every page's sections, and which page links each event.
        let sections: Vec<BTreeMap<String, (String, Vec<String>)>> = (pages.iter())
            .map(|p| day_sections(&page(output, p)))
            .collect();
        let mut linked: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (n, page) in sections.iter().enumerate() {
            for (_, events) in page.values() {
                for e in events {
                    linked.entry(e.as_str()).or_default().push(n + 1);
                }
            }
        }
        for (id, _, _) in &mine {
            let on = linked.remove(id.as_str()).unwrap_or_default();
            assert_eq!(on.len(), 1, "{first}: {id} is linked from pages {on:?}");
        }
        assert!(
            linked.is_empty(),
            "{first}: events of other days or editions linked: {:?}",
            linked.keys().take(5).collect::<Vec<_>>()
        );
        // The chips, on every page the same: the whole day's count, and a link to the page
        // and the section where the group starts.
        let mut chips_of_first = None;
        for (n, path) in pages.iter().enumerate() {
            let html = page(output, path);
            let toc = &html[html.find("<nav class=\"toc\"").expect("chips")..];
            let toc = &toc[..toc.find("</nav>").unwrap()];
            let mut chips = BTreeMap::new();
            for li in toc.split("<li").skip(1) {
                let href = hrefs(li)[0];
                let count = &li[li.find("class=\"n\">").unwrap() + 10..];
                let count = number(&count[..count.find('<').unwrap()]);
                let (target, anchor) = resolve(path, href);
                let at = pages.iter().position(|p| *p == target).unwrap_or_else(|| {
                    panic!("{path}: a chip links {href}, not a page of the day")
                });
                let (group, _) = sections[at].get(&anchor).unwrap_or_else(|| {
                    panic!("{path}: a chip links {href}, which has no section {anchor}")
                });
                assert!(
                    at == 0 || !sections[at - 1].contains_key(&anchor),
                    "{path}: the chip of {group} links page {}, but it starts before",
                    at + 1
                );
                chips.insert(group.clone(), count);
            }
            let want: BTreeMap<String, usize> = (expected.iter())
                .map(|(g, n)| (g.to_string(), *n))
                .collect();
            assert_eq!(chips, want, "{path}: the chips count the whole day");
            match &chips_of_first {
                None => chips_of_first = Some(chips),
                Some(c) => assert_eq!(c, &chips, "page {} of {first}", n + 1),
            }
            // Each section has the events of its group only.
            for (group, events) in sections[n].values() {
                for e in events {
                    let of = group_by_id.get(e.as_str()).copied();
                    assert_eq!(of, Some(group.as_str()), "{path}: {e} under {group}");
                }
            }
        }
    }

    // The city of 3,000 events: every event linked from exactly one of its pages.
    let city = generate::BUSY_CITY;
    let mut in_city: Vec<(String, bool)> = Vec::new();
    for text in exports(output, "json") {
        let data: serde_json::Value = serde_json::from_str(&text).unwrap();
        for e in data["events"].as_array().unwrap() {
            // Places of events placed by province are provinces (one of them is Tehran's).
            let cities = e["scope"] != "province";
            if cities && (e["places"].as_array().unwrap().iter()).any(|p| p["id"] == city) {
                let persian = e["translations"]["fa"]["title"].is_string();
                in_city.push((e["id"].as_str().unwrap().to_string(), persian));
            }
        }
    }
    assert!(in_city.len() >= 3_000, "{} events in {city}", in_city.len());
    for prefix in ["", "fa/"] {
        let first = format!("{prefix}cities/{city}/index.html");
        let pages = list_pages(output, &first);
        let mine: Vec<&str> = (in_city.iter())
            .filter(|(_, fa)| prefix.is_empty() || *fa)
            .map(|(id, _)| id.as_str())
            .collect();
        assert_eq!(pages.len(), mine.len().div_ceil(100), "{first}");
        let mut linked: BTreeMap<String, usize> = BTreeMap::new();
        for path in &pages {
            let html = page(output, path);
            let list = &html[html.find("<ul class=\"event-list\">").unwrap()..];
            let list = &list[..list.find("</ul>").unwrap()];
            for e in hrefs(list).into_iter().filter_map(event_of) {
                *linked.entry(e.to_string()).or_default() += 1;
            }
        }
        for id in &mine {
            assert_eq!(linked.remove(*id), Some(1), "{first}: {id}");
        }
        assert!(linked.is_empty(), "{first}: other events linked");
    }

    // The map: 200+ places, large marks first (so small ones are drawn on top and stay
    // clickable), a few labels that do not overlap.
    for prefix in ["", "fa/"] {
        let html = page(output, &format!("{prefix}map/index.html"));
        let marks = &html[html.find("<g class=\"marks\"").unwrap()..];
        let marks = &marks[..marks.find("</g>").unwrap()];
        let radii: Vec<f64> = (marks.split("<circle ").skip(1))
            .filter_map(|c| {
                let r = &c[c.find(" r=\"")? + 4..];
                r[..r.find('"')?].parse().ok()
            })
            .collect();
        assert!(radii.len() >= 200, "{prefix}map: {} marks", radii.len());
        assert!(
            radii.windows(2).all(|w| w[0] >= w[1]),
            "{prefix}map: marks from the largest to the smallest"
        );
        let labels = &html[html.find("<g class=\"labels\"").unwrap()..];
        let labels = &labels[..labels.find("</g>").unwrap()];
        let boxes: Vec<[f64; 4]> = (labels.split("<text ").skip(1))
            .map(|t| {
                let attr = |name: &str| -> f64 {
                    let v = &t[t.find(&format!("{name}=\"")).unwrap() + name.len() + 2..];
                    v[..v.find('"').unwrap()].parse().unwrap()
                };
                let text = &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()];
                // As src/render/visual.rs measures them: 0.6 em a letter at 12 px × 2.6.
                let (em, half) = (
                    12.0 * 2.6,
                    text.chars().count() as f64 * 0.6 * 12.0 * 2.6 / 2.0,
                );
                let (x, bottom) = (attr("x"), attr("y") - 9.0);
                [x - half, bottom - em, x + half, bottom]
            })
            .collect();
        assert!(
            (3..=10).contains(&boxes.len()),
            "{prefix}map: {} labels",
            boxes.len()
        );
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                let overlap = a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
                assert!(!overlap, "{prefix}map: labels overlap: {a:?} {b:?}");
            }
        }
    }
}
