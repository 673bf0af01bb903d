//! Probable duplicates: `check` warns about two files that look like one event, naming both;
//! `not_duplicate_of` silences it; `duplicate_of` merges a file into the other's page (its
//! sources added, its address a redirect, counted once).

mod common;

use common::*;
use ruzshomar::diagnostic::{display_path, Diagnostic};
use std::path::Path;

/// An event file with one source of the given publisher and address, and extra lines.
fn event(title: &str, date: &str, city: &str, publisher: &str, url: &str, extra: &str) -> String {
    format!(
        "title: {title}\n\
         date: {date}\n\
         city: {city}\n\
         kind: protest\n\
         summary: |\n  Shops closed, according to the source.\n\
         sources:\n\
         \x20 - url: {url}\n\
         \x20   title: \"A report\"\n\
         \x20   publisher: {publisher}\n\
         \x20   published: {date}\n\
         {extra}"
    )
}

const NCRI: &str = "https://www.ncr-iran.org/en/?p=341153";
const SBS: &str = "https://www.sbs.com.au/news/article/irans-supreme-leader-says-several-thousand-killed-during-protests-blames-us/iaeup9orh";

fn path(date: &str, slug: &str) -> String {
    format!(
        "content/events/{}/{}/{date}-{slug}.yaml",
        &date[..4],
        &date[5..7]
    )
}

fn warnings(root: &Path) -> Vec<Diagnostic> {
    let (resolved, problems) = ruzshomar::load(root, today());
    assert!(resolved.is_some());
    let errors: Vec<_> = problems.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    problems.into_iter().filter(|d| !d.is_error()).collect()
}

#[test]
fn near_identical_titles_on_one_day_in_one_place_are_reported_naming_both_files() {
    let site = empty_site();
    let root = site.path();
    let a = path("2026-01-08", "bazaar-strike");
    let b = path("2026-01-08", "strike-at-the-tehran-bazaar");
    write(
        root,
        &a,
        event(
            "Tehran bazaar strike",
            "2026-01-08",
            "tehran",
            "ncri",
            NCRI,
            "",
        ),
    );
    write(
        root,
        &b,
        event(
            "Strike at the Tehran bazaar",
            "2026-01-08",
            "Tehran",
            "sbs",
            SBS,
            "",
        ),
    );
    // Same title, but another day, or another city: not reported.
    let c = path("2026-01-09", "strike-at-the-tehran-bazaar");
    write(
        root,
        &c,
        event(
            "Strike at the Tehran bazaar",
            "2026-01-09",
            "tehran",
            "sbs",
            SBS,
            "",
        ),
    );
    let d = path("2026-01-08", "strike-at-the-tabriz-bazaar");
    write(
        root,
        &d,
        event(
            "Strike at the Tehran bazaar",
            "2026-01-08",
            "tabriz",
            "sbs",
            SBS,
            "",
        ),
    );
    let found = warnings(root);
    assert_eq!(found.len(), 1, "{found:#?}");
    let w = &found[0];
    assert_eq!(display_path(&w.file), b, "on the later file");
    assert_eq!((w.line(), w.column()), (1, 8), "at its title");
    assert!(
        w.message
            .contains("probable duplicate of `2026-01-08-bazaar-strike`")
            && w.message.contains(&a)
            && w.message.contains("near-identical title"),
        "{w}"
    );
    let hint = w.hint.as_deref().unwrap();
    assert!(
        hint.contains("duplicate_of: 2026-01-08-bazaar-strike"),
        "{hint}"
    );
    assert!(
        hint.contains("not_duplicate_of: [2026-01-08-bazaar-strike]"),
        "{hint}"
    );

    // Either file can silence it.
    write(
        root,
        &b,
        event(
            "Strike at the Tehran bazaar",
            "2026-01-08",
            "tehran",
            "sbs",
            SBS,
            "not_duplicate_of: [2026-01-08-bazaar-strike]\n",
        ),
    );
    assert!(warnings(root).is_empty());
}

#[test]
fn the_same_person_under_two_spellings_is_reported() {
    let site = empty_site();
    let root = site.path();
    write(
        root,
        &path("2026-01-08", "killing-of-ali-rezaei"),
        event(
            "Killing of Ali Rezaei in Tehran",
            "2026-01-08",
            "tehran",
            "ncri",
            NCRI,
            "",
        ),
    );
    write(
        root,
        &path("2026-01-08", "young-man-shot-dead"),
        event(
            "Ali Rezayi, 19, shot dead by security forces",
            "2026-01-08",
            "tehran",
            "sbs",
            SBS,
            "",
        ),
    );
    write(
        root,
        &path("2026-01-08", "killing-of-reza-karimi"),
        event(
            "Killing of Reza Karimi in Tehran",
            "2026-01-08",
            "tehran",
            "sbs",
            SBS,
            "",
        ),
    );
    let found = warnings(root);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0]
            .message
            .contains("the same person in the title (`Ali Rezayi`)")
            || found[0]
                .message
                .contains("the same person in the title (`Ali Rezaei`)"),
        "{}",
        found[0]
    );
}

#[test]
fn duplicate_of_merges_the_sources_and_leaves_a_redirect() {
    let site = empty_site();
    let root = site.path();
    write(
        root,
        &path("2026-01-08", "bazaar-strike"),
        event(
            "Tehran bazaar strike",
            "2026-01-08",
            "tehran",
            "ncri",
            NCRI,
            "",
        ),
    );
    write(
        root,
        &path("2026-01-08", "strike-at-the-tehran-bazaar"),
        event(
            "Strike at the Tehran bazaar",
            "2026-01-08",
            "tehran",
            "sbs",
            SBS,
            "duplicate_of: 2026-01-08-bazaar-strike\naliases: [2026-01-08-old-name]\n",
        ),
    );
    // A chain: this one repeats the duplicate, and ends up in the same page.
    write(
        root,
        &path("2026-01-08", "bazaar-closed"),
        event(
            "Bazaar closed",
            "2026-01-08",
            "tehran",
            "ncri",
            NCRI,
            "duplicate_of: 2026-01-08-strike-at-the-tehran-bazaar\n",
        ),
    );
    assert!(
        warnings(root).is_empty(),
        "an acknowledged duplicate is not reported"
    );
    let (resolved, _) = ruzshomar::load(root, today());
    let resolved = resolved.unwrap();
    assert_eq!(resolved.events.len(), 1, "counted once");
    let merged = &resolved.events[0];
    assert_eq!(merged.id, "2026-01-08-bazaar-strike");
    let urls: Vec<&str> = merged.sources.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(urls, [NCRI, SBS], "its sources added, each once");
    for alias in [
        "2026-01-08-strike-at-the-tehran-bazaar",
        "2026-01-08-old-name",
        "2026-01-08-bazaar-closed",
    ] {
        assert!(
            merged.aliases.iter().any(|a| a == alias),
            "{alias}: {:?}",
            merged.aliases
        );
    }

    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    let options = ruzshomar::build::Options {
        root: root.to_path_buf(),
        output: output.clone(),
        base_url: None,
        drafts: false,
        offline_zip: false,
        today: today(),
    };
    let report = ruzshomar::build::build(&options, &|_| {}).unwrap();
    assert_eq!(report.events, 1);
    let redirect = std::fs::read_to_string(
        output.join("events/2026-01-08-strike-at-the-tehran-bazaar/index.html"),
    )
    .unwrap();
    assert!(redirect.contains("2026-01-08-bazaar-strike"), "{redirect}");
    assert!(redirect.contains("http-equiv=\"refresh\"") || redirect.contains("http-equiv=refresh"));
    let page =
        std::fs::read_to_string(output.join("events/2026-01-08-bazaar-strike/index.html")).unwrap();
    assert!(page.contains("sbs.com.au") && page.contains("ncr-iran.org"));
    let gz = std::fs::read(output.join("data/2026.json.gz")).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut text).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let events = json["events"].as_array().expect("the export lists events");
    assert_eq!(events.len(), 1, "not counted twice in the data files");
}

#[test]
fn duplicate_of_an_unknown_event_or_in_a_circle_is_an_error() {
    let site = empty_site();
    let root = site.path();
    write(
        root,
        &path("2026-01-08", "one"),
        event(
            "One",
            "2026-01-08",
            "tehran",
            "ncri",
            NCRI,
            "duplicate_of: 2026-01-08-two\n",
        ),
    );
    write(
        root,
        &path("2026-01-08", "two"),
        event(
            "Two",
            "2026-01-08",
            "tehran",
            "ncri",
            NCRI,
            "duplicate_of: 2026-01-08-one\n",
        ),
    );
    write(
        root,
        &path("2026-01-08", "three"),
        event(
            "Three",
            "2026-01-08",
            "tehran",
            "ncri",
            NCRI,
            "duplicate_of: 2026-01-08-for\n",
        ),
    );
    let (_, problems) = ruzshomar::load(root, today());
    let errors: Vec<String> = problems
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}:{} {}", display_path(&d.file), d.line(), d.message))
        .collect();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(errors
        .iter()
        .any(|e| e.contains("one.yaml:12") && e.contains("circle")));
    assert!(errors
        .iter()
        .any(|e| e.contains("three.yaml:12") && e.contains("names no event")));
}
