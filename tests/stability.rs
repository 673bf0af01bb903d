//! Renaming an event breaks its address unless the new file keeps the old id in `aliases`.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

#[test]
fn a_rename_without_an_alias_is_refused_and_with_one_it_redirects() {
    let site = empty_site();
    let root = site.path();
    let old = "content/events/2026/01/2026-01-03-rally.yaml";
    write(
        root,
        old,
        valid_event("Rally in Malekshahi", "2026-01-03", "malekshahi"),
    );
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "base"]);

    // Renamed, no alias: refused, with a hint that says exactly what to add.
    let new = "content/events/2026/01/2026-01-03-malekshahi-rally.yaml";
    std::fs::rename(root.join(old), root.join(new)).unwrap();
    let out = ruzshomar()
        .args(["check", "--base", "HEAD", "--root"])
        .arg(root)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("event `2026-01-03-rally`") && stdout.contains("was removed or renamed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("add `aliases: [2026-01-03-rally]`"),
        "{stdout}"
    );
    // Without --base the same tree is fine: the rule is about the change, not the files.
    assert!(ruzshomar()
        .args(["check", "--root"])
        .arg(root)
        .output()
        .unwrap()
        .status
        .success());

    // With the alias: accepted, and the old address redirects to the new one.
    let text = std::fs::read_to_string(root.join(new)).unwrap() + "aliases: [2026-01-03-rally]\n";
    std::fs::write(root.join(new), text).unwrap();
    let out = ruzshomar()
        .args(["check", "--base", "HEAD", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let output = root.join("public");
    build_with_command(root, &output);
    let redirect =
        std::fs::read_to_string(output.join("events/2026-01-03-rally/index.html")).unwrap();
    assert!(
        redirect.contains("url=../../events/2026-01-03-malekshahi-rally/index.html"),
        "{redirect}"
    );
}

#[test]
fn deleting_a_draft_is_allowed_and_a_bad_base_is_a_clear_error() {
    let site = empty_site();
    let root = site.path();
    let draft = "content/events/2026/01/2026-01-03-draft.yaml";
    write(
        root,
        draft,
        valid_event("A draft", "2026-01-03", "malekshahi") + "draft: true\n",
    );
    write(
        root,
        "content/events/2026/01/2026-01-03-kept.yaml",
        valid_event("Kept", "2026-01-03", "malekshahi"),
    );
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "base"]);
    std::fs::remove_file(root.join(draft)).unwrap();
    let out = ruzshomar()
        .args(["check", "--base", "HEAD", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = ruzshomar()
        .args(["check", "--base", "no-such-rev", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("git ls-tree"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
