//! The bundled content: it passes `check`, and every file under content/events/ becomes
//! exactly one event.

mod common;

use common::*;
use ruzshomar::diagnostic::display_path;
use std::collections::BTreeMap;

#[test]
fn bundled_content_passes_check() {
    let (resolved, diagnostics) = ruzshomar::load(&repo(), today());
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert!(resolved.unwrap().events.len() >= 40);
    let out = ruzshomar()
        .args(["check", "--root"])
        .arg(repo())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("events")
            && stdout.contains("cities")
            && stdout.contains("provinces")
            && stdout.contains("publishers"),
        "{stdout}"
    );
}

#[test]
fn every_event_file_is_loaded_exactly_once() {
    let files: Vec<String> = walkdir::WalkDir::new(repo().join("content/events"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "yaml"))
        .map(|e| display_path(e.path().strip_prefix(repo()).unwrap()))
        .collect();
    let (resolved, _) = ruzshomar::load(&repo(), today());
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for event in &resolved.unwrap().events {
        *seen.entry(display_path(&event.file)).or_default() += 1;
    }
    assert_eq!(
        seen.len(),
        files.len(),
        "files: {}, events: {}",
        files.len(),
        seen.len()
    );
    for file in &files {
        assert_eq!(
            seen.get(file),
            Some(&1),
            "{file} is loaded {:?} times",
            seen.get(file)
        );
    }
}

#[test]
fn every_event_file_starts_with_the_schema_comment() {
    for entry in walkdir::WalkDir::new(repo().join("content/events")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            assert!(
                text.starts_with(
                    "# yaml-language-server: $schema=../../../../schema/event.schema.json\n"
                ),
                "{} lacks the schema comment",
                entry.path().display()
            );
        }
    }
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let committed = std::fs::read_to_string(repo().join("schema/event.schema.json")).unwrap();
    assert_eq!(
        committed,
        ruzshomar::event_file::event_schema_text(),
        "run `cargo run -- schema > schema/event.schema.json`"
    );
    let out = ruzshomar().arg("schema").output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), committed);
    let schema: serde_json::Value = serde_json::from_str(&committed).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for field in ["title", "date", "kind", "summary", "sources"] {
        assert!(
            required.contains(&field),
            "{field} is not required in the schema"
        );
    }
    assert_eq!(
        schema["additionalProperties"], false,
        "unknown fields must be flagged by editors too"
    );
}

#[test]
fn new_writes_a_valid_event_at_the_right_path() {
    let site = empty_site();
    let out = ruzshomar()
        .args([
            "new",
            "--date",
            "2026-01-06",
            "--city",
            "Firuzabad",
            "--province",
            "fars",
            "--kind",
            "arrest",
        ])
        .args([
            "--source-url",
            "https://specialguests.com/iran-people-overwhelming-regime-military-irgc",
        ])
        .args([
            "--source-title",
            "Run Over in Iran",
            "--publisher",
            "special-guests",
            "--published",
            "2026-01-06",
        ])
        .args([
            "--summary",
            "The NCRI says fifty young people were arrested.",
        ])
        .arg("Fifty youths arrested in Firuzabad")
        .arg("--root")
        .arg(site.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        path.trim(),
        "content/events/2026/01/2026-01-06-fifty-youths-arrested-in-firuzabad.yaml"
    );
    let text = std::fs::read_to_string(site.path().join(path.trim())).unwrap();
    assert!(
        text.starts_with("# yaml-language-server: $schema="),
        "{text}"
    );
    assert!(text.contains("city: firuzabad\n"), "{text}");
    let check = ruzshomar()
        .args(["check", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    // A second `new` with the same title refuses to overwrite.
    let again = ruzshomar()
        .args([
            "new",
            "--date",
            "2026-01-06",
            "--city",
            "firuzabad",
            "Fifty youths arrested in Firuzabad",
            "--root",
        ])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(!again.status.success());
}

#[test]
fn new_without_a_source_writes_a_skeleton_that_check_explains() {
    let site = empty_site();
    let out = ruzshomar()
        .args([
            "new",
            "--date",
            "2026-01-03",
            "--city",
            "ملکشاهی",
            "Rally in Malekshahi",
            "--root",
        ])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let check = ruzshomar()
        .args(["check", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stdout.contains("`summary` is empty") && stdout.contains("`sources.0.url` is empty"),
        "{stdout}"
    );
}

/// A contributor who dates by the Persian calendar gets the Gregorian day to give instead,
/// and no file: `--date 1401-06-25` would otherwise file the event six centuries back.
#[test]
fn new_refuses_a_solar_hijri_date_and_gives_the_gregorian_one() {
    let site = empty_site();
    let mut new = ruzshomar();
    new.args(["new", "--date", "1401-06-25", "--city", "saqqez"]);
    let out = new.arg("Protest in Saqqez").arg("--root").arg(site.path());
    let out = out.output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("give --date 2022-09-16"), "{stderr}");
    assert!(!site.path().join("content/events/1401").exists());
}
