//! Every rule of `check` has a broken fixture in tests/fixtures/broken/. A fixture says where
//! it goes (`# path: …`) and what must be reported (`# expect: LINE:COLUMN text`); all of them
//! are checked together in one site, as a contributor's pull request with many broken files
//! would be, and each file must get exactly its expected errors.

mod common;

use common::*;
use ruzshomar::diagnostic::{display_path, Diagnostic};
use std::collections::BTreeMap;

struct Fixture {
    name: String,
    path: String,
    expected: Vec<(usize, usize, String)>,
    /// `# expect: none`: a valid file other fixtures refer to.
    explicitly_valid: bool,
}

fn fixtures() -> Vec<(Fixture, String)> {
    let dir = repo().join("tests/fixtures/broken");
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for file in entries {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut path = None;
        let mut expected = Vec::new();
        for line in text.lines() {
            if let Some(p) = line.strip_prefix("# path: ") {
                path = Some(p.trim().to_string());
            } else if line == "# expect: none" {
                continue;
            } else if let Some(e) = line.strip_prefix("# expect: ") {
                let (pos, message) = e.split_once(' ').expect("`# expect: L:C text`");
                let (l, c) = pos.split_once(':').expect("L:C");
                // `{TODAY}` stands for the day the tests take for today.
                let message = message.replace("{TODAY}", TODAY);
                expected.push((l.parse().unwrap(), c.parse().unwrap(), message));
            }
        }
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let path = path.unwrap_or_else(|| panic!("{name}: no `# path:` line"));
        let explicitly_valid = text.lines().any(|l| l == "# expect: none");
        out.push((
            Fixture {
                name,
                path,
                expected,
                explicitly_valid,
            },
            text,
        ));
    }
    out
}

/// A site holding every broken fixture, plus the broken files that cannot be text fixtures.
fn broken_site() -> (tempfile::TempDir, Vec<Fixture>) {
    let site = empty_site();
    let mut all = Vec::new();
    for (fixture, text) in fixtures() {
        write(site.path(), &fixture.path, text);
        all.push(fixture);
    }
    // Not UTF-8: Latin-1 "Tehrān" in the title.
    write(
        site.path(),
        "content/events/2026/01/2026-01-03-latin1.yaml",
        b"title: Tehr\xe2n\ndate: 2026-01-03\n",
    );
    all.push(Fixture {
        name: "latin1".into(),
        path: "content/events/2026/01/2026-01-03-latin1.yaml".into(),
        expected: vec![(1, 12, "not valid UTF-8".into())],
        explicitly_valid: false,
    });
    // Ten megabytes: a pasted dump.
    let mut huge = String::from("title: A pasted dump\nsummary: |\n");
    while huge.len() < 10 * 1024 * 1024 {
        huge.push_str("  lorem ipsum dolor sit amet, consectetur adipiscing elit\n");
    }
    write(
        site.path(),
        "content/events/2026/01/2026-01-03-huge.yaml",
        huge,
    );
    all.push(Fixture {
        name: "huge".into(),
        path: "content/events/2026/01/2026-01-03-huge.yaml".into(),
        expected: vec![(1, 1, "limited to 1024 KB".into())],
        explicitly_valid: false,
    });
    (site, all)
}

#[test]
fn every_rule_reports_its_file_line_column_and_message() {
    let (site, fixtures) = broken_site();
    let (resolved, diagnostics) = ruzshomar::load(site.path(), today());
    assert!(
        resolved.is_some(),
        "the site itself (config, gazetteer, registries) is valid"
    );
    let mut by_file: BTreeMap<String, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.is_error()) {
        by_file.entry(display_path(&d.file)).or_default().push(d);
    }
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let actual = by_file.remove(&fixture.path).unwrap_or_default();
        let shown = actual
            .iter()
            .map(|d| format!("    {}:{} {}", d.line(), d.column(), d.message))
            .collect::<Vec<_>>()
            .join("\n");
        if fixture.expected.is_empty() && !fixture.explicitly_valid {
            failures.push(format!(
                "{}: no `# expect:` lines; got:\n{shown}",
                fixture.name
            ));
            continue;
        }
        let matched = fixture.expected.len() == actual.len()
            && fixture.expected.iter().all(|(l, c, text)| {
                actual.iter().any(|d| {
                    d.line() == *l && d.column() == *c && d.message.contains(text.as_str())
                })
            });
        if !matched {
            let wanted = fixture
                .expected
                .iter()
                .map(|(l, c, t)| format!("    {l}:{c} {t}"))
                .collect::<Vec<_>>()
                .join("\n");
            failures.push(format!(
                "{} ({}):\n  expected\n{wanted}\n  got\n{shown}",
                fixture.name, fixture.path
            ));
        }
    }
    for (file, rest) in by_file {
        failures.push(format!("unexpected errors in {file}: {rest:?}"));
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_error_has_a_hint() {
    let (site, _) = broken_site();
    let (_, diagnostics) = ruzshomar::load(site.path(), today());
    for d in diagnostics.iter().filter(|d| d.is_error()) {
        assert!(
            d.hint.as_deref().is_some_and(|h| h.len() > 5),
            "no hint: {d}"
        );
    }
}

#[test]
fn the_command_reports_all_broken_files_in_one_run_and_exits_1() {
    let (site, fixtures) = broken_site();
    assert!(fixtures.len() >= 20);
    let out = ruzshomar()
        .args(["check", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for fixture in &fixtures {
        assert!(
            stdout.contains(&fixture.path),
            "{} is not reported:\n{stdout}",
            fixture.path
        );
    }
    // The human format shows the offending line with a caret under the value.
    assert!(stdout.contains("city: Malekshahy"), "{stdout}");
    assert!(stdout.contains("^^^^^^^^^^"), "{stdout}");
    assert!(stdout.contains("did you mean `malekshahi`"), "{stdout}");
    assert!(stdout.contains("check failed:"), "{stdout}");
}

#[test]
fn github_format_annotates_each_problem_on_its_line() {
    let (site, _) = broken_site();
    let out = ruzshomar()
        .args(["check", "--format", "github", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let expected = "::error file=content/events/2026/01/2026-01-03-city-near-miss.yaml,line=4,col=7,title=ruzshomar check::no city called `Malekshahy` in the gazetteer%0Ahint: did you mean `malekshahi` (Malekshahi, Ilam province)?";
    assert!(
        stdout.lines().any(|l| l == expected),
        "missing:\n{expected}\nin:\n{stdout}"
    );
    let annotations = stdout.lines().filter(|l| l.starts_with("::error ")).count();
    let (_, diagnostics) = ruzshomar::load(site.path(), today());
    assert_eq!(
        annotations,
        diagnostics.iter().filter(|d| d.is_error()).count()
    );
}

#[test]
fn json_format_is_machine_readable() {
    let (site, _) = broken_site();
    let out = ruzshomar()
        .args(["check", "--format", "json", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("stdout is one JSON document");
    assert_eq!(report["ok"], false);
    let first = &report["diagnostics"][0];
    for key in ["severity", "file", "line", "column", "message", "hint"] {
        assert!(!first[key].is_null(), "diagnostic lacks `{key}`: {first}");
    }
    assert!(report["errors"].as_u64().unwrap() >= 30);
}

#[test]
fn a_broken_registry_is_reported_at_its_line() {
    let site = empty_site();
    let path = site.path().join("data/kinds.yaml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("- id: riot\n  label: {en: Riot, fa: شورش}\n  color: red\n");
    std::fs::write(&path, &text).unwrap();
    write(
        site.path(),
        "content/events/2026/01/2026-01-03-ok.yaml",
        valid_event("Fine", "2026-01-03", "malekshahi"),
    );
    let (_, diagnostics) = ruzshomar::load(site.path(), today());
    let line = text.lines().count() - 2;
    assert!(
        diagnostics
            .iter()
            .any(|d| display_path(&d.file) == "data/kinds.yaml"
                && d.line() == line
                && d.message.contains("#rrggbb")),
        "{diagnostics:#?}"
    );
}

/// `check --format github` on every broken fixture, compared line for line with the reviewed
/// annotations in tests/fixtures/broken.github.txt (regenerate with UPDATE_EXPECTED=1 and review
/// the diff).
#[test]
fn github_annotations_match_the_expected_ones_line_for_line() {
    let (site, _) = broken_site();
    let out = ruzshomar()
        .args(["check", "--format", "github", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    let actual = String::from_utf8(out.stdout).unwrap();
    // The file writes the day the tests take for today as `<today>`.
    let path = repo().join("tests/fixtures/broken.github.txt");
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::write(&path, actual.replace(TODAY, "<today>")).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap()
        .replace("<today>", TODAY);
    let (a, e): (Vec<&str>, Vec<&str>) = (actual.lines().collect(), expected.lines().collect());
    for (i, (got, want)) in a.iter().zip(&e).enumerate() {
        assert_eq!(got, want, "annotation {} differs", i + 1);
    }
    assert_eq!(a.len(), e.len(), "number of annotation lines");
}
