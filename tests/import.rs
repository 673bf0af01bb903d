//! `ruzshomar import`: the fixtures of tests/fixtures/import/ (the same rows as CSV, JSON Lines
//! and GeoJSON, hostile cells included; each row says in its `expect` cell what must become of
//! it) end as valid events or as rejects with their reason, and the counts add up; importing
//! again changes nothing; a changed row is updated, a moved one keeps its old id as an alias,
//! a file edited by hand is kept; `--places` decisions apply; `--dry-run` writes nothing;
//! incoming rows are compared with the events already there.

mod common;

use common::*;
use ruzshomar::import::read::{self, Format};
use ruzshomar::import::write::Outcome;
use ruzshomar::import::{self, Duplicates, Options, Report};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/import").join(name)
}

/// The input copied into a scratch folder (the rejects file is written beside it).
fn input(dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    std::fs::copy(fixture(name), &to).unwrap();
    to
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
        duplicates: Duplicates::Warn,
        keep_coordinates: false,
        max_km: 30.0,
        today: today(),
    }
}

fn run(options: &Options) -> Report {
    import::run(options, &|_| {}).unwrap_or_else(|p| panic!("import failed: {p:#?}"))
}

/// What each row must become: `None` for an event, `Some(text)` for a reject whose reason
/// contains `text`. A row with no `expect` cell (a line that is not JSON) must be rejected.
fn expectations(name: &str, format: Format) -> BTreeMap<usize, Option<String>> {
    let table = read::read(&fixture(name), format, None).unwrap();
    let column = table.columns.iter().position(|c| c == "expect");
    table
        .rows
        .iter()
        .map(|row| {
            let expect = column
                .and_then(|c| row.cells.get(c))
                .cloned()
                .unwrap_or_default();
            let outcome = match expect.strip_prefix("reject: ") {
                Some(reason) => Some(reason.to_string()),
                None if expect == "event" => None,
                None => Some("the line is".to_string()),
            };
            (row.number, outcome)
        })
        .collect()
}

fn event_files(site: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content/events"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn file_of(site: &Path, report: &Report, row: usize) -> String {
    let w = report
        .written
        .iter()
        .find(|w| w.row == row)
        .unwrap_or_else(|| panic!("row {row} is not an event"));
    std::fs::read_to_string(site.join(&w.path)).unwrap()
}

fn check_passes(site: &Path) -> String {
    let out = ruzshomar()
        .args(["check", "--root"])
        .arg(site)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "check failed:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Every row of the fixture ends as it says; the counts add up; the site passes `check`.
fn assert_every_row_accounted_for(
    name: &str,
    format: Format,
) -> (tempfile::TempDir, tempfile::TempDir, Report) {
    let site = empty_site();
    let scratch = tempfile::tempdir().unwrap();
    let file = input(scratch.path(), name);
    let report = run(&options(site.path(), &file));
    let expected = expectations(name, format);
    assert_eq!(report.rows, expected.len(), "{name}: every row is read");
    assert_eq!(
        report.rows,
        report.events() + report.rejects.len(),
        "{name}: rows = events + rejects"
    );
    let rejected: BTreeMap<usize, String> = report
        .rejects
        .iter()
        .map(|(r, p)| (*r, p.message.clone()))
        .collect();
    for (row, expect) in &expected {
        match expect {
            None => assert!(
                report.written.iter().any(|w| w.row == *row),
                "{name} row {row}: expected an event, got {:?}",
                rejected.get(row)
            ),
            Some(reason) => assert!(
                rejected
                    .get(row)
                    .is_some_and(|m| m.contains(reason.as_str())),
                "{name} row {row}: expected a reject for `{reason}`, got {:?}",
                rejected.get(row)
            ),
        }
    }
    for (_, problem) in &report.rejects {
        assert!(
            problem.hint.len() > 10,
            "{name}: no hint for `{}`",
            problem.message
        );
    }
    assert_eq!(
        event_files(site.path()).len(),
        report.events(),
        "{name}: one file per event"
    );
    assert!(report.written.iter().all(|w| w.outcome == Outcome::Created));
    check_passes(site.path());

    // The rejects file: the original row, with the reason and the hint.
    let rejects = report.rejects_file.clone().expect("there are rejects");
    let mut reader = csv::Reader::from_path(&rejects).unwrap();
    let header = reader.headers().unwrap().clone();
    assert_eq!(
        header.iter().take(3).collect::<Vec<_>>(),
        ["reject_row", "reject_reason", "reject_hint"]
    );
    let lines: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(lines.len(), report.rejects.len());
    let title = header.iter().position(|h| h == "title").unwrap();
    let table = read::read(&fixture(name), format, None).unwrap();
    for line in &lines {
        let row: usize = line[0].parse().unwrap();
        let original = table.rows.iter().find(|r| r.number == row).unwrap();
        let column = table.columns.iter().position(|c| c == "title");
        if let (Some(c), false) = (column, original.cells.is_empty()) {
            assert_eq!(
                &line[title], original.cells[c],
                "{name} row {row}: the original row is kept"
            );
        }
        assert!(!line[1].is_empty() && !line[2].is_empty());
    }
    (site, scratch, report)
}

#[test]
fn csv_rows_become_events_or_rejects_with_their_reason() {
    let (site, _scratch, report) = assert_every_row_accounted_for("events.csv", Format::Csv);
    let site = site.path();
    // Solar Hijri dates, in Latin and Persian digits and with a Persian month name, converted.
    assert!(
        file_of(site, &report, 15).contains("date: 2022-09-30\n"),
        "1401/07/08"
    );
    assert!(
        file_of(site, &report, 16).contains("date: 2022-11-16\n"),
        "۱۴۰۱/۰۸/۲۵"
    );
    assert!(
        file_of(site, &report, 29).contains("date: 2026-01-07\n"),
        "۱۷ دی ۱۴۰۴"
    );
    // Hostile text is kept as text: quoted in YAML, escaped in Markdown.
    let script = file_of(site, &report, 9);
    assert!(
        script.contains(
            "title: \"<script>alert(\\\"x\\\")</script> Rasht's gold market stays closed\""
        ),
        "{script}"
    );
    assert!(
        script.contains("\\<img src=x onerror=alert(1)\\> \\[click\\](javascript:alert(1))"),
        "{script}"
    );
    let formula = file_of(site, &report, 8);
    assert!(
        formula.contains("title: \"=cmd|' /C calc'!A0\""),
        "{formula}"
    );
    let quotes = file_of(site, &report, 3);
    assert!(
        quotes.contains("title: \"Students chant \\\"Death to the dictator\\\" at night\""),
        "{quotes}"
    );
    let rtl = file_of(site, &report, 7);
    assert!(
        rtl.contains("city: kermanshah") && !rtl.contains('\u{202e}'),
        "{rtl}"
    );
    let long = file_of(site, &report, 13);
    assert!(
        long.len() > 5_000,
        "a 5,000-character description is kept whole"
    );
    // A same-named town chosen by the row's coordinates; a province-wide row; a made title.
    assert!(file_of(site, &report, 21).contains("city: firuzabad\n"));
    assert!(file_of(site, &report, 31).contains("provinces: [ilam]\n"));
    assert!(file_of(site, &report, 32).contains("title: \"Protest in Mashhad on 3 January 2026\""));
    // Several addresses in one cell: several sources, each with its own publisher.
    let two = file_of(site, &report, 30);
    assert_eq!(two.matches("  - url:").count(), 2, "{two}");
    assert!(two.contains("publisher: i24news"));
    // The id column is the key.
    assert!(file_of(site, &report, 2)
        .contains("import: {source: \"events\", key: \"ev-001\", digest: \""));
}

#[test]
fn json_lines_rows_become_events_or_rejects_with_their_reason() {
    assert_every_row_accounted_for("events.jsonl", Format::Jsonl);
}

#[test]
fn geojson_features_become_events_or_rejects_with_their_reason() {
    let (site, _scratch, report) =
        assert_every_row_accounted_for("events.geojson", Format::Geojson);
    // The Point chose Firuzabad in Fars; feature ids are the keys.
    let firuzabad = report.written.iter().find(|w| w.row == 14).unwrap();
    let text = std::fs::read_to_string(site.path().join(&firuzabad.path)).unwrap();
    assert!(
        text.contains("city: firuzabad\n") && text.contains("key: \"ev-014\""),
        "{text}"
    );
}

#[test]
fn the_summary_groups_rejects_by_distinct_problem() {
    let site = empty_site();
    let scratch = tempfile::tempdir().unwrap();
    let file = input(scratch.path(), "events.csv");
    let report = run(&options(site.path(), &file));
    let groups = report.groups();
    assert_eq!(groups[0].rows.len(), 2, "the most frequent problem first");
    assert!(
        groups[0].message.contains("no place called `Tehranpars`"),
        "{groups:#?}"
    );
    assert!(
        groups[0].hint.contains("did you mean `tehran`"),
        "{groups:#?}"
    );
    let text = report.text();
    assert!(
        text.contains("2 rows: no place called `Tehranpars` — did you mean `tehran` (Tehran, Tehran province)?"),
        "{text}"
    );
    assert!(text.contains("(lines 19, 20)"), "{text}");
    assert!(
        text.contains(&format!("{} events", report.events())),
        "{text}"
    );
    assert!(text.contains("next: `ruzshomar check`"), "{text}");
}

#[test]
fn importing_again_changes_only_what_changed() {
    let site = empty_site();
    let scratch = tempfile::tempdir().unwrap();
    let file = input(scratch.path(), "events.csv");
    let first = run(&options(site.path(), &file));
    let snapshot: Vec<(PathBuf, String)> = event_files(site.path())
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect();
    let again = run(&options(site.path(), &file));
    assert_eq!(again.events(), first.events());
    assert_eq!(
        again.count(|o| *o == Outcome::Unchanged),
        first.events(),
        "{}",
        again.text()
    );
    let after: Vec<(PathBuf, String)> = event_files(site.path())
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect();
    assert_eq!(snapshot, after, "nothing was rewritten, nothing added");

    // A changed summary updates its file; a changed date moves it, keeping the old id; a
    // file edited by hand since it was imported is kept as it is.
    let edited = first.written.iter().find(|w| w.row == 8).unwrap();
    let edited_path = site.path().join(&edited.path);
    let by_hand = std::fs::read_to_string(&edited_path)
        .unwrap()
        .replace("kind: strike", "kind: strike\ntags: [bazaar]");
    std::fs::write(&edited_path, &by_hand).unwrap();
    let csv = std::fs::read_to_string(&file).unwrap();
    let csv = csv
        .replace(
            "kept their shops closed.",
            "kept their shops closed all day.",
        )
        .replace("ev-002,2026-01-07,Zahedan", "ev-002,2026-01-06,Zahedan")
        .replace("+SUM(A1:A9)", "+SUM(A1:A10)");
    std::fs::write(&file, csv).unwrap();
    let third = run(&options(site.path(), &file));
    let outcome = |row: usize| {
        third
            .written
            .iter()
            .find(|w| w.row == row)
            .unwrap()
            .outcome
            .clone()
    };
    assert_eq!(outcome(2), Outcome::Updated);
    assert!(matches!(outcome(3), Outcome::Moved(_)), "{:?}", outcome(3));
    assert_eq!(outcome(8), Outcome::Kept);
    assert_eq!(
        third.count(|o| *o == Outcome::Unchanged),
        first.events() - 3
    );
    assert_eq!(third.count(|o| *o == Outcome::Created), 0, "no duplicates");
    assert_eq!(
        std::fs::read_to_string(&edited_path).unwrap(),
        by_hand,
        "the edit by hand is kept"
    );
    assert!(file_of(site.path(), &third, 2).contains("all day."));
    let moved = file_of(site.path(), &third, 3);
    assert!(moved.contains("date: 2026-01-06\n"));
    assert!(
        moved.contains("aliases: [2026-01-07-students-chant-death-to-the-dictator-at-night]"),
        "{moved}"
    );
    assert_eq!(event_files(site.path()).len(), first.events());
    assert!(third.text().contains("kept"), "{}", third.text());
    check_passes(site.path());
    // And once more: all settled.
    let fourth = run(&options(site.path(), &file));
    assert_eq!(
        fourth.count(|o| *o == Outcome::Unchanged) + fourth.count(|o| *o == Outcome::Kept),
        first.events()
    );
}

#[test]
fn rows_that_left_the_input_are_reported_not_deleted() {
    let site = empty_site();
    let scratch = tempfile::tempdir().unwrap();
    let file = input(scratch.path(), "events.csv");
    let first = run(&options(site.path(), &file));
    let csv = std::fs::read_to_string(&file).unwrap();
    let fewer: String = csv
        .lines()
        .filter(|l| !l.starts_with("ev-001,"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&file, fewer).unwrap();
    let again = run(&options(site.path(), &file));
    assert_eq!(again.missing.len(), 1, "{}", again.text());
    assert!(again.text().contains("no longer in the input"));
    assert_eq!(event_files(site.path()).len(), first.events());
    // A row still there but rejected now is not "no longer in the input".
    let csv = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, csv.replace("ev-002,2026-01-07,", "ev-002,,")).unwrap();
    let third = run(&options(site.path(), &file));
    assert_eq!(
        (third.missing.len(), third.now_rejected.len()),
        (1, 1),
        "{}",
        third.text()
    );
    assert!(third.text().contains("have rows that are rejected now"));
    assert_eq!(event_files(site.path()).len(), first.events());
}

#[test]
fn place_decisions_apply_on_the_next_run() {
    let site = empty_site();
    let scratch = tempfile::tempdir().unwrap();
    let file = input(scratch.path(), "events.csv");
    let first = run(&options(site.path(), &file));
    let todo = first
        .places_file
        .clone()
        .expect("names to decide are listed");
    let listed = std::fs::read_to_string(&todo).unwrap();
    assert!(
        listed.starts_with("name,province,city,place,provinces,rows,problem,hint\n"),
        "{listed}"
    );
    assert!(listed.contains("Tehranpars,,,,,2,"), "{listed}");
    // Decide once per name, not once per row.
    let filled = listed
        .replace("Tehranpars,,,,,2,", "Tehranpars,,tehran,Tehranpars,,2,")
        .replace("Firuzabad,,,,,1,", "Firuzabad,,firuzabad,,,1,")
        .replace("Lorestan,,,,,1,", "Lorestan,,,,lorestan,1,");
    let places = scratch.path().join("places.csv");
    std::fs::write(&places, filled).unwrap();
    let mut with = options(site.path(), &file);
    with.places = Some(places);
    let second = run(&with);
    assert_eq!(second.events(), first.events() + 4, "{}", second.text());
    let tehranpars = file_of(site.path(), &second, 19);
    assert!(
        tehranpars.contains("city: tehran\nplace: \"Tehranpars\"\n"),
        "{tehranpars}"
    );
    assert!(file_of(site.path(), &second, 35).contains("provinces: [lorestan]\n"));
    assert!(file_of(site.path(), &second, 22).contains("city: firuzabad\n"));
    check_passes(site.path());
}

#[test]
fn a_dry_run_writes_nothing() {
    let site = empty_site();
    let scratch = tempfile::tempdir().unwrap();
    let file = input(scratch.path(), "events.csv");
    let mut dry = options(site.path(), &file);
    dry.dry_run = true;
    let report = run(&dry);
    assert!(report.events() > 0 && !report.rejects.is_empty());
    assert!(event_files(site.path()).is_empty());
    let files: Vec<_> = std::fs::read_dir(scratch.path()).unwrap().collect();
    assert_eq!(files.len(), 1, "no rejects file, no places file");
    assert!(report.text().starts_with("dry run, nothing written"));
    // The same report as the real run.
    let real = run(&options(site.path(), &file));
    assert_eq!(
        (real.events(), real.rejects.len()),
        (report.events(), report.rejects.len())
    );
}

#[test]
fn kinds_are_mapped_and_fixed_values_apply_to_every_row() {
    let site = empty_site();
    let scratch = tempfile::tempdir().unwrap();
    let file = input(scratch.path(), "events.csv");
    let mut o = options(site.path(), &file);
    o.kind_map = vec![("Riots".into(), "clash".into())];
    let report = run(&o);
    assert!(file_of(site.path(), &report, 23).contains("kind: clash\n"));
    let mut bad = options(site.path(), &file);
    bad.kind_map = vec![("Riots".into(), "riot".into())];
    let problems = import::run(&bad, &|_| {}).unwrap_err();
    assert!(
        problems[0].message.contains("`riot` is not a kind"),
        "{problems:#?}"
    );
    // `--kind protest` on a file without a kind column; `--publisher` for every row.
    let csv = scratch.path().join("plain.csv");
    std::fs::write(
        &csv,
        "date,city,title,link\n2026-01-07,Urmia,Students in Urmia join the university protests,https://www.ncr-iran.org/en/news/iran-protests/iran-protests-day-11-energy-workers-join-strikes-as-security-forces-retreat-in-major-cities/\n",
    )
    .unwrap();
    let mut plain = options(site.path(), &csv);
    let problems = import::run(&plain, &|_| {}).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("no column holds the kind")),
        "{problems:#?}"
    );
    plain.spec.kind = Some("protest".into());
    plain.spec.source_title = Some("Iran Protests Day 11: Energy Workers Join Strikes as Security Forces Retreat in Major Cities".into());
    let report = run(&plain);
    assert_eq!(report.events(), 1, "{}", report.text());
    let text = file_of(site.path(), &report, 2);
    assert!(
        text.contains("kind: protest\n") && text.contains("publisher: ncri\n"),
        "the publisher found from the address"
    );
    assert!(text.contains("published_precision: approximate"), "{text}");
    assert!(report
        .text()
        .contains("publication dates: none in the input"));
}

#[test]
fn ids_do_not_depend_on_the_order_of_the_rows() {
    let rows = [
        "2026-01-07,Tabriz,Strike at the bazaar,https://www.ncr-iran.org/en/?p=341153,strike,first\n",
        "2026-01-07,Tabriz,Strike at the bazaar,https://www.ncr-iran.org/en/news/iran-protests/iran-protests-day-11-energy-workers-join-strikes-as-security-forces-retreat-in-major-cities/,strike,second\n",
    ];
    let mut ids = Vec::new();
    for order in [[0, 1], [1, 0]] {
        let site = empty_site();
        let scratch = tempfile::tempdir().unwrap();
        let csv = scratch.path().join("bazaar.csv");
        let mut text = "date,city,title,url,kind,source_title\n".to_string();
        for i in order {
            text.push_str(rows[i]);
        }
        std::fs::write(&csv, text).unwrap();
        let report = run(&options(site.path(), &csv));
        let mut by_title: Vec<(String, String)> = report
            .written
            .iter()
            .map(|w| {
                let text = std::fs::read_to_string(site.path().join(&w.path)).unwrap();
                let source = text
                    .lines()
                    .find(|l| l.contains("title: \"first\"") || l.contains("title: \"second\""))
                    .unwrap()
                    .to_string();
                (source, w.id.clone())
            })
            .collect();
        by_title.sort();
        ids.push(by_title);
        check_passes(site.path());
    }
    assert_eq!(ids[0], ids[1]);
    assert!(ids[0]
        .iter()
        .any(|(_, id)| id == "2026-01-07-strike-at-the-bazaar"));
    assert!(ids[0]
        .iter()
        .any(|(_, id)| id.starts_with("2026-01-07-strike-at-the-bazaar-") && id.len() == 38));
}

/// The bundled Tabriz bazaar strike, and rows that repeat it.
fn site_with_tabriz_strike() -> tempfile::TempDir {
    let site = empty_site();
    let name = "content/events/2026/01/2026-01-07-tabriz-bazaar-strike.yaml";
    write(site.path(), name, std::fs::read(repo().join(name)).unwrap());
    site
}

#[test]
fn incoming_rows_are_compared_with_the_events_already_there() {
    let scratch = tempfile::tempdir().unwrap();
    let file = input(scratch.path(), "events.csv");
    // Warn: written, and listed.
    let site = site_with_tabriz_strike();
    let report = run(&options(site.path(), &file));
    let w = report.written.iter().find(|w| w.row == 2).unwrap();
    let (other, _, reason) = w
        .duplicate
        .as_ref()
        .expect("row 2 repeats the bundled strike");
    assert_eq!(other, "2026-01-07-tabriz-bazaar-strike");
    assert!(reason.contains("near-identical title"), "{reason}");
    assert!(report
        .text()
        .contains("is a probable duplicate of `2026-01-07-tabriz-bazaar-strike`"));
    // `check` warns on the later of the two files (by date, then id), naming the other.
    let out = check_passes(site.path());
    assert!(
        out.contains("probable duplicate of `2026-01-07-strike-at-tabrizs-main-bazaar`"),
        "{out}"
    );
    assert!(
        out.contains("content/events/2026/01/2026-01-07-tabriz-bazaar-strike.yaml:2:8"),
        "{out}"
    );

    // Skip: a reject that names the event.
    let site = site_with_tabriz_strike();
    let mut skip = options(site.path(), &file);
    skip.duplicates = Duplicates::Skip;
    let report = run(&skip);
    let (_, problem) = report.rejects.iter().find(|(r, _)| *r == 2).unwrap();
    assert!(
        problem
            .message
            .contains("probable duplicate of `2026-01-07-tabriz-bazaar-strike`"),
        "{problem:?}"
    );
    assert_eq!(report.rows, report.events() + report.rejects.len());

    // Merge: written with `duplicate_of`; its source joins the bundled event's page.
    let site = site_with_tabriz_strike();
    let mut merge = options(site.path(), &file);
    merge.duplicates = Duplicates::Merge;
    let report = run(&merge);
    let text = file_of(site.path(), &report, 2);
    assert!(
        text.contains("duplicate_of: 2026-01-07-tabriz-bazaar-strike\n"),
        "{text}"
    );
    let out = check_passes(site.path());
    assert!(!out.contains("probable duplicate"), "{out}");
    let (resolved, _) = ruzshomar::load(site.path(), today());
    let resolved = resolved.unwrap();
    let strike = resolved
        .events
        .iter()
        .find(|e| e.id == "2026-01-07-tabriz-bazaar-strike")
        .unwrap();
    let merged_id = &report.written.iter().find(|w| w.row == 2).unwrap().id;
    assert!(
        strike.aliases.contains(merged_id),
        "its address redirects to the bundled event"
    );
    assert_eq!(
        resolved.events.len(),
        report.events(),
        "the merged row is not counted twice"
    );
    // Importing again in merge mode leaves it as it is.
    let again = run(&merge);
    assert_eq!(
        again.count(|o| *o == Outcome::Unchanged),
        again.events(),
        "{}",
        again.text()
    );
}

#[test]
fn the_command_prints_the_report_and_refuses_a_broken_site() {
    let site = empty_site();
    let scratch = tempfile::tempdir().unwrap();
    let file = input(scratch.path(), "events.jsonl");
    let out = ruzshomar()
        .args(["import", "--root"])
        .arg(site.path())
        .arg(&file)
        .arg("--dry-run")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("rejected rows, by problem"), "{stdout}");
    assert!(event_files(site.path()).is_empty());

    write(
        site.path(),
        "content/events/2026/01/2026-01-07-broken.yaml",
        "title: Broken\n",
    );
    let out = ruzshomar()
        .args(["import", "--root"])
        .arg(site.path())
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the site has errors, so nothing was imported"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
    assert_eq!(event_files(site.path()).len(), 1);
}

#[test]
fn the_documented_example_imports_into_the_bundled_site() {
    let site = bundled_site();
    let scratch = tempfile::tempdir().unwrap();
    let example = scratch.path().join("monitor-2026-01.csv");
    std::fs::copy(repo().join("docs/examples/monitor-2026-01.csv"), &example).unwrap();
    let before = event_files(site.path()).len();
    let out = ruzshomar()
        .args(["import", "--root"])
        .arg(site.path())
        .arg(&example)
        .args([
            "--kind",
            "kind",
            "--kind-map",
            "Demonstration=protest",
            "--kind-map",
            "Shop closures=strike",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report_line = stdout.lines().find(|l| l.contains(" rows: ")).unwrap();
    assert!(report_line.contains("+ 2 rejected"), "{stdout}");
    assert!(event_files(site.path()).len() > before);
    check_passes(site.path());
}

#[test]
fn neighbourhoods_and_other_spellings_are_read_as_check_reads_them() {
    let site = empty_site();
    let scratch = tempfile::tempdir().unwrap();
    let csv = scratch.path().join("spellings.csv");
    std::fs::write(
        &csv,
        "date,city,title,url,kind,source_title\n\
         2026-01-07,Yaftabad,Night rally in Yaftabad,https://www.ncr-iran.org/en/?p=341153,protest,Iran Uprising Day 7\n\
         2026-01-07,Shahroud,Night rally in Shahroud,https://www.ncr-iran.org/en/?p=341153,protest,Iran Uprising Day 7\n\
         2026-01-08,Shahroud,Shops close in Shahroud,https://www.ncr-iran.org/en/?p=341153,strike,Iran Uprising Day 7\n",
    )
    .unwrap();
    let report = run(&options(site.path(), &csv));
    assert_eq!(report.events(), 3, "{}", report.text());
    assert!(file_of(site.path(), &report, 2).contains("city: tehran-yaftabad\n"));
    assert!(file_of(site.path(), &report, 3).contains("city: shahrud\n"));
    let text = report.text();
    assert!(
        text.contains("2 rows: `Shahroud` is spelt `shahrud` in the gazetteer (Shahrud, Semnan province) (lines 3, 4)"),
        "{text}"
    );
    let out = check_passes(site.path());
    assert!(
        out.contains("check passed: no problems"),
        "the files have the ids: {out}"
    );
}
