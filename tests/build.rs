//! Building real sites: the bundled content and a small fixture site. Nothing is lost (every
//! event is on its day page, its event page, each of its place pages, the data files and the
//! feed), builds are deterministic, a failed build leaves the old site alone, and no page links
//! to a file that does not exist — on the bundled content, a fixture site and a generated site
//! with events in English only.

mod common;
#[path = "../benches/generate/mod.rs"]
mod generate;

use common::*;
use ruzshomar::build::{build, Options};
use ruzshomar::model::Places;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn build_to(root: &Path, output: &Path) -> ruzshomar::build::Report {
    let options = Options {
        root: root.to_path_buf(),
        output: output.to_path_buf(),
        base_url: None,
        drafts: false,
        offline_zip: false,
        today: today(),
    };
    build(&options, &|_| {}).unwrap_or_else(|problems| panic!("build failed: {problems:#?}"))
}

fn read(output: &Path, path: &str) -> String {
    std::fs::read_to_string(output.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every file of a paginated list: `dir/index.html`, `dir/2/index.html`, …
fn pages_of(output: &Path, dir: &str) -> String {
    let mut text = read(output, &format!("{dir}/index.html"));
    for n in 2.. {
        match std::fs::read_to_string(output.join(format!("{dir}/{n}/index.html"))) {
            Ok(page) => text.push_str(&page),
            Err(_) => break,
        }
    }
    text
}

/// Asserts the "nothing is lost" contract for the site at `root`.
fn assert_nothing_lost(root: &Path) {
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    let report = build_to(root, &output);
    let (resolved, _) = ruzshomar::load(root, today());
    let resolved = resolved.unwrap();
    let published: Vec<_> = resolved.events.iter().filter(|e| !e.draft).collect();
    assert_eq!(report.events, published.len());
    let g = &resolved.gazetteer;
    // The exports, every year's file of each format.
    let parse = |text: &String| serde_json::from_str::<serde_json::Value>(text).unwrap();
    let geojson: Vec<serde_json::Value> = exports(&output, "geojson").iter().map(parse).collect();
    let features: BTreeMap<String, &serde_json::Value> = (geojson.iter())
        .flat_map(|doc| doc["features"].as_array().unwrap())
        .map(|f| (f["id"].as_str().unwrap().to_string(), f))
        .collect();
    let json: Vec<serde_json::Value> = exports(&output, "json").iter().map(parse).collect();
    let json_ids: Vec<&str> = (json.iter())
        .flat_map(|doc| doc["events"].as_array().unwrap())
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    let csv_ids: Vec<String> = (exports(&output, "csv").iter())
        .flat_map(|text| {
            let mut csv = csv::Reader::from_reader(text.as_bytes());
            csv.records()
                .map(|r| r.unwrap()[0].to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    let mut feed = read(&output, "feed.xml");
    for entry in std::fs::read_dir(output.join("feeds"))
        .into_iter()
        .flatten()
    {
        feed.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    for lang_prefix in ["", "fa/"] {
        for event in &published {
            let id = &event.id;
            // The Persian edition has a page for the events with Persian text; its lists link
            // to the English page of the others.
            let translated = lang_prefix.is_empty() || event.translations.contains_key("fa");
            let page_path = format!("{lang_prefix}events/{id}/index.html");
            if !translated {
                assert!(
                    !output.join(&page_path).exists(),
                    "{page_path}: a Persian page for an event without Persian text"
                );
            }
            let event_page = read(
                &output,
                &format!(
                    "{}events/{id}/index.html",
                    if translated { lang_prefix } else { "" }
                ),
            );
            assert!(
                event_page.contains("class=\"sources\""),
                "{lang_prefix}{id}: no sources on the event page"
            );
            // A list of the Persian edition shows an English-only event as one link to the same
            // list in English, which shows it (checked in the English pass).
            let shows = |page: &str, needle: &str| match translated {
                true => page.contains(needle),
                false => page.contains("class=\"notice elsewhere\""),
            };
            let day = pages_of(&output, &format!("{lang_prefix}days/{}", event.date));
            assert!(
                shows(&day, &format!("id=\"{id}\"")),
                "{id} is missing from its day page ({lang_prefix})"
            );
            let link = format!("events/{id}/index.html");
            match &event.places {
                Places::Cities(cities) => {
                    for c in cities {
                        let page =
                            pages_of(&output, &format!("{lang_prefix}cities/{}", g.city(*c).id));
                        assert!(
                            shows(&page, &link),
                            "{id} is missing from the page of {}",
                            g.city(*c).id
                        );
                        let province = g.province(g.province_of(*c));
                        let page =
                            pages_of(&output, &format!("{lang_prefix}provinces/{}", province.id));
                        assert!(
                            shows(&page, &link),
                            "{id} is missing from the page of {}",
                            province.id
                        );
                    }
                }
                Places::Provinces(provinces) => {
                    for p in provinces {
                        let page = pages_of(
                            &output,
                            &format!("{lang_prefix}provinces/{}", g.province(*p).id),
                        );
                        assert!(
                            shows(&page, &link),
                            "{id} is missing from the page of {}",
                            g.province(*p).id
                        );
                    }
                }
                Places::National => {
                    let page = pages_of(&output, &format!("{lang_prefix}national"));
                    assert!(
                        shows(&page, &link),
                        "{id} is missing from the nationwide page"
                    );
                }
            }
        }
    }
    for event in &published {
        let id = event.id.as_str();
        assert!(
            json_ids.contains(&id),
            "{id} is missing from the JSON export"
        );
        assert!(
            csv_ids.iter().any(|c| c == id),
            "{id} is missing from the CSV export"
        );
        assert!(
            feed.contains(&format!("/events/{id}/</id>")),
            "{id} is missing from the feed"
        );
        let located = !matches!(event.places, Places::National) || event.coordinates.is_some();
        assert_eq!(
            features.contains_key(id),
            located,
            "{id}: in the GeoJSON export exactly when located"
        );
    }
    assert_eq!(json_ids.len(), published.len());
    assert_eq!(csv_ids.len(), published.len());
    for (id, feature) in &features {
        let sources = feature["properties"]["sources"].as_array().unwrap();
        assert!(
            !sources.is_empty(),
            "{id}: a GeoJSON feature without sources"
        );
        for s in sources {
            let url = s["url"].as_str().unwrap_or("");
            assert!(url.starts_with("http"), "{id}: source without a URL");
            assert!(
                s["publisher"].is_string() && s["published"].is_string(),
                "{id}: incomplete citation"
            );
        }
        let coordinates = &feature["geometry"]["coordinates"];
        let first = if feature["geometry"]["type"] == "Point" {
            coordinates.clone()
        } else {
            coordinates[0].clone()
        };
        let (lon, lat) = (first[0].as_f64().unwrap(), first[1].as_f64().unwrap());
        assert!(
            (44.0..64.0).contains(&lon) && (25.0..40.0).contains(&lat),
            "{id}: [{lon}, {lat}] is not [lon, lat] in Iran"
        );
    }
    assert_links_resolve(&output);
}

/// The path of the bundled site.toml's `base_url`: the 404 page's links start with it.
const SITE_PATH: &str = "/ruzshomar/";

/// Every `href` and `src` of every HTML page points at a file of the output.
fn assert_links_resolve(output: &Path) {
    let mut broken = Vec::new();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(output) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let dir = entry.path().parent().unwrap();
        for target in attribute_values(&html, &["href", "src"]) {
            if target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with("mailto:")
                || target.starts_with("data:")
                || target.starts_with('#')
            {
                continue;
            }
            let path = target.split(['#', '?']).next().unwrap();
            // Only the 404 page (served at any depth) links from the server's root.
            let (dir, path) = match path.strip_prefix(SITE_PATH) {
                Some(rest) if entry.file_name() == "404.html" => (output, rest),
                _ => (dir, path),
            };
            let mut resolved = dir.join(path);
            if path.ends_with('/') || path.is_empty() {
                resolved = resolved.join("index.html");
            }
            checked += 1;
            if !resolved.exists() {
                broken.push(format!(
                    "{} → {target}",
                    entry.path().strip_prefix(output).unwrap().display()
                ));
            }
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
    broken.sort();
    broken.dedup();
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Values of the given attributes, quoted or not (minified HTML drops optional quotes).
fn attribute_values(html: &str, names: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for name in names {
        let needle = format!(" {name}=");
        let mut rest = html;
        while let Some(i) = rest.find(&needle) {
            rest = &rest[i + needle.len()..];
            let value = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
                _ => rest
                    .split(|c: char| c.is_whitespace() || c == '>')
                    .next()
                    .unwrap_or(""),
            };
            out.push(value.replace("&amp;", "&"));
        }
    }
    out
}

/// A generated site has what a real one has and the bundled one lacks: events in English only
/// (their pages in the English edition alone), long lists over several pages, many years.
#[test]
fn a_generated_site_with_english_only_events_loses_nothing_in_either_edition() {
    let site = generate::generate(1_500, &generate::refs(), None);
    assert_nothing_lost(site.path());
}

#[test]
fn the_bundled_site_loses_nothing_and_has_no_broken_links() {
    assert_nothing_lost(&repo());
}

/// A small site with every shape of event: several cities, provinces, nationwide, a span of
/// days, a translation, an alias, a draft, and a day with more events than fit on one page.
fn fixture_site() -> tempfile::TempDir {
    let site = empty_site();
    let root = site.path();
    write(
        root,
        "content/events/2026/01/2026-01-03-rally.yaml",
        valid_event("Rally in Malekshahi", "2026-01-03", "malekshahi"),
    );
    write(
        root,
        "content/events/2026/01/2026-01-04-two-cities.yaml",
        valid_event("Strikes in two cities", "2026-01-04", "x")
            .replace("city: x", "cities: [tabriz, Shahr-e Kord]"),
    );
    write(
        root,
        "content/events/2026/01/2026-01-04-province.yaml",
        valid_event("Throttling in Fars", "2026-01-04", "x")
            .replace("city: x", "provinces: [fars, IR-23]"),
    );
    write(
        root,
        "content/events/2026/01/2026-01-05-national.yaml",
        valid_event("A nationwide statement", "2026-01-05", "x")
            .replace("city: x", "scope: national"),
    );
    write(
        root,
        "content/events/2026/01/2026-01-05-span.yaml",
        valid_event("Executions over ten days", "2026-01-05", "tehran")
            .replace("date: 2026-01-05\n", "date: 2026-01-05\nend: 2026-01-15\n"),
    );
    write(
        root,
        "content/events/2026/01/2026-01-06-renamed.yaml",
        valid_event("An event with an old id", "2026-01-06", "karaj") + "aliases: [2026-01-06-old-name]\ntranslations:\n  fa: {title: رویدادی با شناسهٔ قدیمی, summary: خلاصه}\n",
    );
    // A neighbourhood of Tehran, by its name.
    write(
        root,
        "content/events/2026/01/2026-01-06-neighbourhood.yaml",
        valid_event("In a neighbourhood", "2026-01-06", "Yaftabad")
            + "translations:\n  fa: {title: در یک محله, summary: خلاصه}\n",
    );
    // A city named by the id of a GeoNames duplicate since merged into it.
    write(
        root,
        "content/events/2026/01/2026-01-06-merged-city.yaml",
        valid_event("In a merged city", "2026-01-06", "qaem-shahr-mazandaran"),
    );
    write(
        root,
        "content/events/2026/01/2026-01-06-draft.yaml",
        valid_event("A draft", "2026-01-06", "karaj") + "draft: true\n",
    );
    for i in 0..130 {
        write(
            root,
            &format!("content/events/2026/01/2026-01-07-busy-{i:03}.yaml"),
            valid_event(
                &format!("Busy day event {i}"),
                "2026-01-07",
                if i % 2 == 0 { "tehran" } else { "mashhad" },
            ),
        );
    }
    site
}

#[test]
fn a_fixture_site_with_every_shape_of_event_loses_nothing() {
    let site = fixture_site();
    assert_nothing_lost(site.path());
    let out = tempfile::tempdir().unwrap();
    build_to(site.path(), out.path());
    // The busy day is split into pages, each a usable size.
    let first = read(out.path(), "days/2026-01-07/index.html");
    let second = read(out.path(), "days/2026-01-07/2/index.html");
    assert!(first.contains("rel=\"next\"") && second.contains("rel=\"prev\""));
    // The draft is not published; the old id redirects to the new one.
    assert!(!out
        .path()
        .join("events/2026-01-06-draft/index.html")
        .exists());
    let redirect = read(out.path(), "events/2026-01-06-old-name/index.html");
    assert!(
        redirect.contains("url=../../events/2026-01-06-renamed/index.html"),
        "{redirect}"
    );
    // An event in a neighbourhood is its city's, named "Yaftabad, Tehran", with the
    // neighbourhood's coordinates in the exports.
    let page = read(out.path(), "events/2026-01-06-neighbourhood/index.html");
    assert!(page.contains("Yaftabad, Tehran"), "{page}");
    let page = read(out.path(), "fa/events/2026-01-06-neighbourhood/index.html");
    assert!(page.contains("یافت آباد، تهران"), "{page}");
    assert!(pages_of(out.path(), "cities/tehran").contains("2026-01-06-neighbourhood"));
    assert!(read(out.path(), "map/places/tehran.js").contains("2026-01-06-neighbourhood"));
    let json: Vec<serde_json::Value> = (exports(out.path(), "json").iter())
        .map(|text| serde_json::from_str(text).unwrap())
        .collect();
    let event = (json.iter())
        .flat_map(|doc| doc["events"].as_array().unwrap())
        .find(|e| e["id"] == "2026-01-06-neighbourhood")
        .unwrap();
    assert_eq!(event["geo_precision"], "neighbourhood");
    let place = &event["places"][0];
    assert_eq!(
        (&place["id"], &place["neighbourhood"]["id"], &place["lon"]),
        (
            &"tehran".into(),
            &"tehran-yaftabad".into(),
            &51.30499.into()
        )
    );
    let csv = exports(out.path(), "csv").concat();
    let row = csv
        .lines()
        .find(|l| l.starts_with("2026-01-06-neighbourhood"))
        .unwrap();
    assert!(
        row.ends_with(",neighbourhood,tehran-yaftabad,Yaftabad"),
        "{row}"
    );
    // A former city id resolves to the city, and its old page redirects there.
    let city = read(out.path(), "cities/qaem-shahr/index.html");
    assert!(city.contains("In a merged city"), "{city}");
    let redirect = read(out.path(), "cities/qaem-shahr-mazandaran/index.html");
    assert!(
        redirect.contains("url=../../cities/qaem-shahr/index.html"),
        "{redirect}"
    );
    // The multi-day event shows its range; the Persian page uses the translation.
    let span = read(out.path(), "events/2026-01-05-span/index.html");
    assert!(
        span.contains("5 January 2026 (15 Dey 1404) to 15 January 2026 (25 Dey 1404)"),
        "{span}"
    );
    let fa = read(out.path(), "fa/events/2026-01-06-renamed/index.html");
    assert!(fa.contains("رویدادی با شناسهٔ قدیمی") && fa.contains("dir=\"rtl\""));
}

#[test]
fn day_pages_show_both_calendars_and_the_day_of_the_period() {
    let out = tempfile::tempdir().unwrap();
    build_to(&repo(), out.path());
    let day = read(out.path(), "days/2026-01-03/index.html");
    assert!(day.contains("Saturday 3 January 2026"), "Gregorian heading");
    assert!(day.contains("13 Dey 1404"), "Solar Hijri date");
    assert!(day.contains("Day 7"), "day 7 of the 2025–2026 uprising");
    let fa = read(out.path(), "fa/days/2026-01-03/index.html");
    assert!(
        fa.contains("۱۳ دی ۱۴۰۴") && fa.contains("روز ۷"),
        "Persian: Solar Hijri first, Persian digits"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    build_to(&repo(), a.path());
    build_to(&repo(), b.path());
    let files = |dir: &Path| -> BTreeMap<PathBuf, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    };
    let (fa, fb) = (files(a.path()), files(b.path()));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (path, bytes) in &fa {
        assert!(
            bytes == &fb[path],
            "{} differs between two builds",
            path.display()
        );
    }
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let site = fixture_site();
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    build_to(site.path(), &output);
    let before: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(&output)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect();
    write(
        site.path(),
        "content/events/2026/01/2026-01-08-broken.yaml",
        "title: Broken\ndate: 2026-01-08\ncity: Atlantis\n",
    );
    let options = Options {
        root: site.path().to_path_buf(),
        output: output.clone(),
        base_url: None,
        drafts: false,
        offline_zip: false,
        today: today(),
    };
    let problems = build(&options, &|_| {}).expect_err("a broken file fails the build");
    assert!(problems.iter().any(|d| d.message.contains("Atlantis")));
    let after: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(&output)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect();
    assert!(before == after, "the output changed after a failed build");
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers,
        vec![std::ffi::OsString::from("public")],
        "no temporary directories are left behind"
    );
    // The command says so and exits non-zero.
    let cli = ruzshomar()
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(&output)
        .output()
        .unwrap();
    assert_eq!(cli.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&cli.stderr).contains("was left as it was"));
}

#[test]
fn links_work_under_any_base_path() {
    // Internal links are relative: no page may link to the site root by absolute path.
    let out = tempfile::tempdir().unwrap();
    build_to(&repo(), out.path());
    for entry in walkdir::WalkDir::new(out.path()) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") && entry.file_name() != "404.html"
        {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            for v in attribute_values(&html, &["href", "src"]) {
                assert!(
                    !v.starts_with('/'),
                    "{}: root-absolute link {v}",
                    entry.path().display()
                );
            }
        }
    }
    let sitemap = read(out.path(), "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://ruzshomar.github.io/ruzshomar/events/"),
        "the sitemap uses base_url"
    );
    let robots = read(out.path(), "robots.txt");
    assert!(robots.contains("Sitemap: https://ruzshomar.github.io/ruzshomar/sitemap.xml"));
    assert!(out.path().join(".nojekyll").exists());
}

#[test]
fn the_offline_zip_unpacks_to_a_site_without_broken_links() {
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    let options = Options {
        root: repo(),
        output: output.clone(),
        base_url: None,
        drafts: false,
        offline_zip: true,
        today: today(),
    };
    build(&options, &|_| {}).unwrap_or_else(|p| panic!("{p:#?}"));
    let bytes = std::fs::read(output.join("downloads/ruzshomar-offline.zip")).unwrap();
    let unpacked = out.path().join("unpacked");
    zip::ZipArchive::new(std::io::Cursor::new(&bytes))
        .unwrap()
        .extract(&unpacked)
        .unwrap();
    let site = unpacked.join("ruzshomar");
    assert!(site.join("index.html").exists() && site.join("fa/index.html").exists());
    assert!(
        !site.join("downloads").exists(),
        "the archive does not contain itself"
    );
    assert_links_resolve(&site);
    // Pages link to the latest copy on the live site.
    let home = read(&output, "index.html");
    assert!(
        home.contains("https://ruzshomar.github.io/ruzshomar/downloads/ruzshomar-offline.zip"),
        "no link to the offline copy"
    );
    // The same site gives the same archive.
    let again = out.path().join("again");
    build(
        &Options {
            output: again.clone(),
            ..options
        },
        &|_| {},
    )
    .unwrap();
    assert!(
        std::fs::read(again.join("downloads/ruzshomar-offline.zip")).unwrap() == bytes,
        "the archive is not deterministic"
    );
}
