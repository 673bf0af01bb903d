//! Synthetic but realistic event files, shared by the build benchmark (`benches/build.rs`) and
//! the weight-budget test (`tests/budgets.rs`), each of which includes this file with
//! `#[path = "…"] mod generate;`.
//!
//! Events are spread over a few hundred real cities (every k-th of the gazetteer), the real
//! publishers and kinds, and two periods of the site; every generated site passes `check`.
//! The same index always gives the same event.

#![allow(dead_code)]

use serde::Deserialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The same events as a Hugo site, for the side-by-side benchmark.
pub mod hugo;

// ---------------------------------------------------------------------------------------------
// Deterministic randomness: a 64-bit LCG (Knuth's MMIX constants), seeded by the event index.

pub struct Lcg(pub u64);

impl Lcg {
    pub fn new(seed: u64) -> Lcg {
        let mut rng = Lcg(seed ^ 0x9E37_79B9_7F4A_7C15);
        rng.next();
        rng.next();
        rng
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// `k` distinct items.
    pub fn distinct<'a, T>(&mut self, items: &'a [T], k: usize) -> Vec<&'a T> {
        let mut chosen: Vec<usize> = Vec::with_capacity(k);
        while chosen.len() < k.min(items.len()) {
            let i = self.below(items.len());
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.into_iter().map(|i| &items[i]).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Reference data from the repository: real city ids, publishers and kinds.

#[derive(Deserialize)]
pub struct CityRecord {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub name_fa: Option<String>,
    #[serde(default)]
    pub province: Option<String>,
}

#[derive(Deserialize)]
pub struct ProvinceRecord {
    pub id: String,
    pub name: String,
    pub name_fa: String,
}

#[derive(Deserialize)]
pub struct PublisherRecord {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Deserialize)]
pub struct KindRecord {
    pub id: String,
}

pub struct Refs {
    pub cities: Vec<CityRecord>,
    pub provinces: Vec<ProvinceRecord>,
    pub publishers: Vec<PublisherRecord>,
    pub kinds: Vec<String>,
    pub days: Vec<chrono::NaiveDate>,
}

/// The "today" every benchmark builds with (as the tests do), so that the generated sites pass
/// `check` the same way on any day the benchmarks run.
pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("a real date")
}

/// A count from the environment variable `name` (`50_000` or `50000`), or `default`.
pub fn count_from_env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().map_or(default, |v| {
        (v.replace('_', "").parse()).unwrap_or_else(|_| panic!("{name}: a number"))
    })
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn yaml<T: serde::de::DeserializeOwned>(relative: &str) -> T {
    let text = std::fs::read_to_string(repo().join(relative)).unwrap();
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// How many cities events are spread over.
pub const CITIES: usize = 300;

pub fn refs() -> Refs {
    let all: Vec<CityRecord> = yaml("data/gazetteer/cities.yaml");
    // Every k-th city of the file (which is sorted by population): big and small towns, all provinces.
    let step = (all.len() / CITIES).max(1);
    let cities: Vec<CityRecord> = all.into_iter().step_by(step).take(CITIES).collect();
    let provinces: Vec<ProvinceRecord> = yaml("data/gazetteer/provinces.yaml");
    let publishers: Vec<PublisherRecord> = yaml("data/publishers.yaml");
    let kinds: Vec<KindRecord> = yaml("data/kinds.yaml");
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // Two periods of the site: 185 days from 28 Dec 2025 and 180 days from 16 Sep 2022.
    let days = (0..185)
        .map(|d| day("2025-12-28") + chrono::Duration::days(d))
        .chain((0..180).map(|d| day("2022-09-16") + chrono::Duration::days(d)))
        .collect();
    Refs {
        cities,
        provinces,
        publishers,
        kinds: kinds.into_iter().map(|k| k.id).collect(),
        days,
    }
}

// ---------------------------------------------------------------------------------------------
// Synthetic events.

const TAGS: &[&str] = &[
    "chants",
    "youth",
    "students",
    "university",
    "women",
    "bazaar",
    "shopkeepers",
    "workers",
    "truckers",
    "teachers",
    "retirees",
    "nurses",
    "farmers",
    "oil-workers",
    "steel",
    "live-fire",
    "tear-gas",
    "water-cannon",
    "birdshot",
    "barricades",
    "arson",
    "night-protest",
    "funeral",
    "mourning",
    "political-prisoners",
    "prison",
    "death-sentence",
    "mass-arrest",
    "internet",
    "throttling",
    "death-to-khamenei",
    "woman-life-freedom",
    "basij",
    "irgc",
    "plainclothes",
    "nationwide",
    "tally",
    "hospital",
    "children",
    "torture",
];

const FIGURE_WHAT: &[&str] = &[
    "killed",
    "injured",
    "arrested",
    "detained",
    "executed",
    "sentenced-to-death",
];
const FIGURE_WHO: &[&str] = &[
    "protesters",
    "security-forces",
    "police",
    "children",
    "prisoners",
    "women",
    "youth",
    "basij",
];
const PLACES: &[&str] = &[
    "the main square",
    "the bazaar",
    "the university campus",
    "the central prison",
    "the governor's office",
    "Imam Khomeini Hospital",
    "the Friday mosque",
    "the railway station",
];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn title_for(kind: &str, place: &str, rng: &mut Lcg) -> String {
    let options: &[&str] = match kind {
        "protest" => &[
            "Protesters chant against the government in {p}",
            "Night rally and street protests in {p}",
            "Crowds march through {p} chanting slogans",
        ],
        "strike" => &[
            "Shopkeepers close the bazaar in {p}",
            "Workers in {p} go on strike over unpaid wages",
            "Truckers' strike reported in {p}",
        ],
        "clash" => &[
            "Protesters clash with security forces in {p}",
            "Barricades and fires in the streets of {p}",
        ],
        "crackdown" => &[
            "Security forces fire tear gas at protesters in {p}",
            "Riot police disperse a gathering in {p}",
            "Live fire reported against protesters in {p}",
        ],
        "arrest" => &[
            "Dozens reported arrested in {p}",
            "Activists detained in night raids in {p}",
        ],
        "sentence" => &[
            "Court hands down heavy sentences to protesters from {p}",
            "Protesters from {p} sentenced to prison terms",
        ],
        "execution" => &[
            "Prisoner from {p} reported executed",
            "Execution of a protester from {p} reported",
        ],
        "killing" => &[
            "Protester killed by security forces in {p}",
            "Young man reported shot dead in {p}",
        ],
        "funeral" => &[
            "Mourners chant at a funeral in {p}",
            "Large crowd at a protester's funeral in {p}",
        ],
        "statement" => &[
            "Officials in {p} warn protesters",
            "Families of detainees from {p} issue a statement",
        ],
        "internet-shutdown" => &[
            "Mobile internet cut in {p}",
            "Internet disruption reported in {p}",
        ],
        _ => &["Incident reported in {p}", "Unrest reported in {p}"],
    };
    rng.pick(options).replace("{p}", place)
}

pub fn slug(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_end_matches('-').to_string()
}

fn words_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// A YAML scalar (JSON strings are valid YAML double-quoted scalars).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// Where an event happened, as its file and its text say it.
struct Where {
    en: String,
    fa: String,
    /// `city: …`, `cities: […]`, `provinces: […]` or `scope: national`.
    line: String,
    slug: String,
}

/// Percent of events with a Persian translation: a real site's mix, where volunteers translate
/// some events and not others (the bundled content has all of them translated).
pub const TRANSLATED_PERCENT: usize = 30;

/// Event `i` of a generated site: its path and its file. Every random draw is made in the
/// same order, so the same index always gives the same event.
pub fn event(i: usize, r: &Refs) -> (String, String) {
    event_at(i, r, &Force::default())
}

/// What [`event_at`] sets instead of drawing it: a day, a city.
#[derive(Default, Clone)]
pub struct Force {
    pub date: Option<chrono::NaiveDate>,
    /// A city id of the gazetteer, with its English and Persian names.
    pub city: Option<(String, String, String)>,
}

/// Event `i`, on `force.date` and in `force.city` when they are given (the draws are made all
/// the same, so the rest of the event is event `i`'s).
pub fn event_at(i: usize, r: &Refs, force: &Force) -> (String, String) {
    let mut rng = Lcg::new(i as u64);
    // A third of events fall on the first three weeks of a period: the busy days of an uprising.
    let date = if rng.chance(33) {
        let start = if rng.chance(50) { 0 } else { 185 };
        r.days[start + rng.below(21)]
    } else {
        *rng.pick(&r.days)
    };
    let date = force.date.unwrap_or(date);
    let kind = rng.pick(&r.kinds).clone();
    let mut roll = rng.below(100);
    let mut place = place(roll, &mut rng, r);
    if let Some((id, en, fa)) = &force.city {
        roll = 0;
        place = Where {
            en: en.clone(),
            fa: fa.clone(),
            line: format!("city: {id}\n"),
            slug: id.clone(),
        };
    }
    let title = title_for(&kind, &place.en, &mut rng);
    let id = format!("{}-{}-{}-{i}", date.format("%Y-%m-%d"), kind, place.slug);
    let mut out = String::with_capacity(2048);
    out.push_str("# yaml-language-server: $schema=../../../../schema/event.schema.json\n");
    let _ = writeln!(out, "title: {}", q(&title));
    let _ = writeln!(out, "date: {}", date.format("%Y-%m-%d"));
    if rng.chance(3) {
        let end = date + chrono::Duration::days(rng.range(1, 3) as i64);
        let _ = writeln!(out, "end: {}", end.format("%Y-%m-%d"));
    }
    out.push_str(&place.line);
    if roll < 85 && rng.chance(20) {
        let place = *rng.pick::<&str>(PLACES);
        let _ = writeln!(out, "place: {}", q(place));
    }
    let _ = writeln!(out, "kind: {kind}");
    let n_tags = rng.range(1, 3);
    let tags: Vec<&str> = rng.distinct(TAGS, n_tags).into_iter().copied().collect();
    let _ = writeln!(out, "tags: [{}]", tags.join(", "));
    // Sources first (the summary and figures name them).
    let n_sources = rng.range(1, 3);
    let publishers = rng.distinct(&r.publishers, n_sources);
    summary(&mut out, &mut rng, &kind, &place.en, date, &id, &publishers);
    figures(&mut out, &mut rng, &publishers);
    sources(&mut out, &mut rng, date, &id, &title, &publishers);
    if i % 100 < TRANSLATED_PERCENT {
        translation(&mut out, &place.fa, &publishers[0].name);
    }
    let path = format!("content/events/{}/{id}.yaml", date.format("%Y/%m"));
    (path, out)
}

/// A city (85 %), several cities (8 %), one or two provinces (4 %) or the whole country.
fn place(roll: usize, rng: &mut Lcg, r: &Refs) -> Where {
    let fa_of = |c: &CityRecord| c.name_fa.clone().unwrap_or_else(|| c.name.clone());
    if roll < 85 {
        let c = rng.pick(&r.cities);
        Where {
            en: c.name.clone(),
            fa: fa_of(c),
            line: format!("city: {}\n", c.id),
            slug: c.id.clone(),
        }
    } else if roll < 93 {
        let k = rng.range(2, 6);
        let cs = rng.distinct(&r.cities, k);
        let ids: Vec<&str> = cs.iter().map(|c| c.id.as_str()).collect();
        Where {
            en: format!("{}, {} and {} other cities", cs[0].name, cs[1].name, k - 2),
            fa: format!("{}، {} و {} شهر دیگر", fa_of(cs[0]), fa_of(cs[1]), k - 2),
            line: format!("cities: [{}]\n", ids.join(", ")),
            slug: format!("{}-and-{}-cities", cs[0].id, k - 1),
        }
    } else if roll < 97 {
        let k = rng.range(1, 2);
        let ps = rng.distinct(&r.provinces, k);
        let names: Vec<&str> = ps.iter().map(|p| p.name.as_str()).collect();
        let names_fa: Vec<&str> = ps.iter().map(|p| p.name_fa.as_str()).collect();
        let ids: Vec<&str> = ps.iter().map(|p| p.id.as_str()).collect();
        Where {
            en: format!("{} province", names.join(" and ")),
            fa: format!("استان {}", names_fa.join(" و ")),
            line: format!("provinces: [{}]\n", ids.join(", ")),
            slug: ps[0].id.clone(),
        }
    } else {
        Where {
            en: "cities across Iran".to_string(),
            fa: "سراسر ایران".to_string(),
            line: "scope: national\n".to_string(),
            slug: "nationwide".to_string(),
        }
    }
}

/// Two to five sentences in one or two paragraphs, saying who reports what.
fn summary(
    out: &mut String,
    rng: &mut Lcg,
    kind: &str,
    place_en: &str,
    date: chrono::NaiveDate,
    id: &str,
    publishers: &[&PublisherRecord],
) {
    let when = words_date(date);
    let p0 = &publishers[0].name;
    let what = match kind {
        "strike" => format!("shops and workplaces stayed closed in {place_en}"),
        "crackdown" | "clash" => format!("security forces confronted crowds in {place_en}"),
        "arrest" => format!("security agents detained residents of {place_en}"),
        "funeral" => format!("hundreds gathered for a funeral in {place_en}"),
        _ => format!("people gathered in {place_en}"),
    };
    let mut sentences = vec![format!("According to {p0}, {what} on {when}.")];
    let extra = [
        "Videos shared on social media show crowds chanting **“Woman, Life, Freedom”** and “Death to the dictator”.".to_string(),
        "Witnesses quoted in the report describe plainclothes agents on motorcycles and the use of tear gas.".to_string(),
        format!("The report says several people were taken to hospital; the numbers could not be verified independently ([report]({})).", source_url(publishers[0], date, id, 0)),
        "Shops along the main street closed early, and mobile internet was slowed in the evening.".to_string(),
        format!("{p0} adds that the authorities have not commented; *state media* reported the area as calm."),
        "Relatives of those detained gathered outside the prosecutor's office the next morning, the report says.".to_string(),
    ];
    let n_extra = rng.range(2, 4);
    for s in rng.distinct(&extra, n_extra) {
        sentences.push(s.clone());
    }
    out.push_str("summary: |\n");
    for line in wrap_paragraphs(&sentences) {
        let _ = writeln!(out, "  {line}");
    }
}

/// Figures for 30 % of events, each claimed by a cited publisher (now and then relayed).
fn figures(out: &mut String, rng: &mut Lcg, publishers: &[&PublisherRecord]) {
    if !rng.chance(30) {
        return;
    }
    out.push_str("figures:\n");
    for _ in 0..rng.range(1, 2) {
        let what = rng.pick(FIGURE_WHAT);
        let amount = if rng.chance(70) {
            format!("count: {}", rng.range(1, 300))
        } else {
            format!("min: {}", rng.range(10, 3000))
        };
        let who = if rng.chance(60) {
            format!(", who: {}", rng.pick(FIGURE_WHO))
        } else {
            String::new()
        };
        let cited = rng.pick(publishers);
        // Now and then a claim relayed by a cited outlet, from a claimant that is not cited.
        let claimant = if rng.chance(15) && !publishers.iter().any(|p| p.id == "fars") {
            format!("according_to: fars, via: {}", cited.id)
        } else {
            format!("according_to: {}", cited.id)
        };
        let _ = writeln!(out, "  - {{what: {what}, {amount}{who}, {claimant}}}");
    }
}

fn sources(
    out: &mut String,
    rng: &mut Lcg,
    date: chrono::NaiveDate,
    id: &str,
    title: &str,
    publishers: &[&PublisherRecord],
) {
    out.push_str("sources:\n");
    for (n, p) in publishers.iter().enumerate() {
        let published = date + chrono::Duration::days(rng.range(0, 2) as i64);
        let _ = writeln!(out, "  - url: {}", source_url(p, date, id, n));
        let report = format!("{title} ({}, report {})", p.name, n + 1);
        let _ = writeln!(out, "    title: {}", q(&report));
        let _ = writeln!(out, "    publisher: {}", p.id);
        let _ = writeln!(out, "    published: {}", published.format("%Y-%m-%d"));
        if rng.chance(50) {
            let language = if rng.chance(70) { "en" } else { "fa" };
            let _ = writeln!(out, "    language: {language}");
        }
    }
}

fn translation(out: &mut String, place_fa: &str, p0: &str) {
    out.push_str("translations:\n  fa:\n");
    let title = format!("گزارش رویداد در {place_fa}");
    let _ = writeln!(out, "    title: {}", q(&title));
    out.push_str("    summary: |\n");
    let _ = writeln!(out, "      به گزارش {p0}، در {place_fa} مردم گرد هم آمدند و شعار دادند. نیروهای امنیتی در محل حاضر بودند و گزارش‌ها از بازداشت چند نفر حکایت دارد.");
    let _ = writeln!(out, "      این ارقام به‌طور مستقل تأیید نشده است.");
}

fn source_url(p: &PublisherRecord, date: chrono::NaiveDate, id: &str, n: usize) -> String {
    let base = p.url.as_deref().unwrap_or("https://www.example.org/");
    let base = if base.ends_with('/') {
        base.to_string()
    } else {
        format!("{base}/")
    };
    format!("{base}news/{}/{}-{n}", date.format("%Y/%m/%d"), slug(id))
}

/// Sentences in one or two paragraphs.
fn wrap_paragraphs(sentences: &[String]) -> Vec<String> {
    if sentences.len() >= 4 {
        let split = sentences.len() / 2;
        vec![
            sentences[..split].join(" "),
            String::new(),
            sentences[split..].join(" "),
        ]
    } else {
        vec![sentences.join(" ")]
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A new site with the repository's configuration, data and theme and `n` synthetic events, in
/// a temporary folder under `parent` (the system's temporary folder when `None`).
pub fn generate(n: usize, refs: &Refs, parent: Option<&Path>) -> tempfile::TempDir {
    let mut builder = tempfile::Builder::new();
    builder.prefix("ruzshomar-site-");
    let dir = match parent {
        Some(parent) => builder.tempdir_in(parent),
        None => builder.tempdir(),
    }
    .unwrap();
    write_site(dir.path(), n, refs);
    dir
}

/// Writes the repository's configuration, data and theme and `n` synthetic events into `root`.
pub fn write_site(root: &Path, n: usize, refs: &Refs) {
    std::fs::copy(repo().join("site.toml"), root.join("site.toml")).unwrap();
    copy_dir(&repo().join("data"), &root.join("data"));
    copy_dir(&repo().join("themes"), &root.join("themes"));
    for i in 0..n {
        write_event(root, event(i, refs));
    }
}

fn write_event(root: &Path, (path, text): (String, String)) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, text).unwrap();
}

/// The day of the busiest day in a [`busy`] site: 8 January 2026, which had over 1,600
/// documented deaths.
pub const BUSY_DAY: &str = "2026-01-08";
/// The city of the busiest city in a [`busy`] site.
pub const BUSY_CITY: &str = "tehran";

/// A site at real scale: `n` events as [`write_site`] makes them (spread over a few hundred
/// places), `day` more on [`BUSY_DAY`] (in places drawn as usual) and `city` more in
/// [`BUSY_CITY`] (on days drawn as usual). Indexes of the extra events start at a million and
/// two million, so no id repeats one of the `n`.
pub fn busy(n: usize, day: usize, city: usize, refs: &Refs) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("ruzshomar-busy-")
        .tempdir()
        .unwrap();
    write_busy(dir.path(), n, day, city, refs);
    dir
}

/// Writes the site of [`busy`] into `root`.
pub fn write_busy(root: &Path, n: usize, day: usize, city: usize, refs: &Refs) {
    write_site(root, n, refs);
    let on_day = Force {
        date: Some(BUSY_DAY.parse().unwrap()),
        city: None,
    };
    for k in 0..day {
        write_event(root, event_at(1_000_000 + k, refs, &on_day));
    }
    let all: Vec<CityRecord> = yaml("data/gazetteer/cities.yaml");
    let c = all.iter().find(|c| c.id == BUSY_CITY).unwrap();
    let in_city = Force {
        date: None,
        city: Some((
            c.id.clone(),
            c.name.clone(),
            c.name_fa.clone().unwrap_or_else(|| c.name.clone()),
        )),
    };
    for k in 0..city {
        write_event(root, event_at(2_000_000 + k, refs, &in_city));
    }
}
