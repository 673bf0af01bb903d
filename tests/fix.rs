//! `check --fix`: place names found by alias, another spelling, a qualified name or as a
//! neighbourhood become ids, in the files, and nothing else in them changes
//! (tests/fixtures/fix/before/ → after/, byte for byte); files with uncommitted changes are
//! left alone unless `--allow-dirty`.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

const EVENTS: &str = "content/events/2026/01";

fn fixtures(side: &str) -> Vec<(String, String)> {
    let dir = repo().join("tests/fixtures/fix").join(side);
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// A site with the `before` files, committed to a new git repository.
fn site_with_before_files() -> tempfile::TempDir {
    let site = empty_site();
    for (name, text) in fixtures("before") {
        write(site.path(), &format!("{EVENTS}/{name}"), text);
    }
    git(site.path(), &["init", "-q"]);
    git(site.path(), &["add", "-A"]);
    git(site.path(), &["commit", "-q", "-m", "before"]);
    site
}

fn check(site: &Path, args: &[&str]) -> (bool, String, String) {
    let out = ruzshomar()
        .arg("check")
        .args(args)
        .arg("--root")
        .arg(site)
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.success(), text(&out.stdout), text(&out.stderr))
}

#[test]
fn fix_rewrites_place_names_to_ids_and_nothing_else() {
    let site = site_with_before_files();
    let (ok, stdout, stderr) = check(site.path(), &["--fix"]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("2026-01-06-fix-spelling.yaml:4:7: city: Shahroud → shahrud"),
        "{stdout}"
    );
    assert!(
        stdout.contains("rewrote 6 place names in 4 files"),
        "{stdout}"
    );
    for (name, expected) in fixtures("after") {
        let actual = std::fs::read_to_string(site.path().join(EVENTS).join(&name)).unwrap();
        assert_eq!(actual, expected, "{name} after check --fix");
    }
    // What is left passes, and there is nothing more to fix.
    let (ok, stdout, _) = check(site.path(), &["--fix", "--allow-dirty"]);
    assert!(
        ok && stdout.contains("no place name to rewrite"),
        "{stdout}"
    );
    assert!(stdout.contains("check passed with 1 warning"), "{stdout}");
}

#[test]
fn fix_leaves_files_with_uncommitted_changes_alone_unless_allowed() {
    let site = site_with_before_files();
    let file = site
        .path()
        .join(EVENTS)
        .join("2026-01-06-fix-spelling.yaml");
    let edited = std::fs::read_to_string(&file).unwrap() + "tags: [strike]\n";
    std::fs::write(&file, &edited).unwrap();
    let (ok, _, stderr) = check(site.path(), &["--fix"]);
    assert!(!ok);
    assert!(
        stderr.contains("uncommitted changes") && stderr.contains("2026-01-06-fix-spelling.yaml"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        edited,
        "left alone"
    );
    let (ok, stdout, stderr) = check(site.path(), &["--fix", "--allow-dirty"]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains("city: shahrud"));
}

#[test]
fn fix_outside_a_git_repository_needs_allow_dirty() {
    let site = empty_site();
    for (name, text) in fixtures("before") {
        write(site.path(), &format!("{EVENTS}/{name}"), text);
    }
    let (ok, _, stderr) = check(site.path(), &["--fix"]);
    assert!(!ok);
    assert!(
        stderr.contains("is not in a git repository") && stderr.contains("--allow-dirty"),
        "{stderr}"
    );
    let (ok, stdout, stderr) = check(site.path(), &["--fix", "--allow-dirty"]);
    assert!(ok, "{stdout}\n{stderr}");
    for (name, expected) in fixtures("after") {
        let actual = std::fs::read_to_string(site.path().join(EVENTS).join(&name)).unwrap();
        assert_eq!(actual, expected, "{name}");
    }
}
