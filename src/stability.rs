//! Stable links: an event's id is its address, and people link to it. `check --base REV`
//! compares the event files with those at a git revision (the pull request's base) and refuses
//! a removed or renamed event unless a current file lists the old id in `aliases` (which then
//! becomes a redirect page). Also [`uncommitted`], which `check --fix` asks before it rewrites
//! files: the two questions the program puts to git.

use crate::diagnostic::{display_path, Diagnostic, Location};
use crate::read::EVENTS_DIR;
use crate::resolve::Resolved;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs git in `root`; its stdout, or what failed.
fn run_git<S: AsRef<std::ffi::OsStr>>(root: &Path, args: &[S]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
        let args: Vec<String> = (args.iter().take(2))
            .map(|a| a.as_ref().to_string_lossy().into_owned())
            .collect();
        return Err(format!("git {} failed: {stderr}", args.join(" ")));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs git in `root` for `--base`; its stdout, or a diagnostic saying what failed.
fn git(root: &Path, args: &[&str]) -> Result<String, Diagnostic> {
    run_git(root, args).map_err(|message| {
        let hint = if message.starts_with("cannot run") {
            "install git, or run check without --base"
        } else {
            "--base needs a revision of this repository, e.g. origin/main (fetch it first in CI: actions/checkout with fetch-depth: 0)"
        };
        Diagnostic::error(root, Location::START, message).with_hint(hint)
    })
}

/// Which of `files` (relative to `root`) have changes git has not committed, untracked files
/// included; an error when `root` is not in a git repository or git cannot be run.
pub fn uncommitted(root: &Path, files: &[&Path]) -> Result<Vec<PathBuf>, String> {
    run_git(root, &["rev-parse", "--is-inside-work-tree"])
        .map_err(|_| format!("{} is not in a git repository", root.display()))?;
    // Porcelain paths are relative to the repository's top, which may be above the site root.
    let prefix = run_git(root, &["rev-parse", "--show-prefix"])?;
    let prefix = prefix.trim();
    let mut args: Vec<std::ffi::OsString> =
        ["status", "--porcelain", "--untracked-files=all", "--"]
            .iter()
            .map(Into::into)
            .collect();
    args.extend(files.iter().map(|f| f.as_os_str().to_owned()));
    let status = run_git(root, &args)?;
    Ok(status
        .lines()
        .filter_map(|line| line.get(3..))
        .map(|path| PathBuf::from(path.strip_prefix(prefix).unwrap_or(path)))
        .collect())
}

/// Event ids at `base` that are neither an event id nor an alias now.
pub fn check_removed(root: &Path, base: &str, site: &Resolved) -> Vec<Diagnostic> {
    // Paths from git are relative to the repository's top, which may be above the site root.
    let prefix = match git(root, &["rev-parse", "--show-prefix"]) {
        Ok(p) => p.trim().to_string(),
        Err(d) => return vec![d],
    };
    let listing = match git(
        root,
        &["ls-tree", "-r", "--name-only", base, "--", EVENTS_DIR],
    ) {
        Ok(l) => l,
        Err(d) => return vec![d],
    };
    let before: BTreeMap<String, PathBuf> = listing
        .lines()
        .filter(|l| l.ends_with(".yaml"))
        .map(|l| {
            let relative = l.strip_prefix(&prefix).unwrap_or(l);
            let path = PathBuf::from(relative);
            (
                path.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                path,
            )
        })
        .collect();
    let known: HashSet<&str> = site
        .events
        .iter()
        .flat_map(|e| std::iter::once(e.id.as_str()).chain(e.aliases.iter().map(String::as_str)))
        .collect();
    let mut problems = Vec::new();
    for (id, old_path) in before {
        if known.contains(id.as_str()) {
            continue;
        }
        // A file that was only ever a draft was never published: nobody links to it.
        let was_draft = git(
            root,
            &[
                "show",
                &format!("{base}:{}{}", prefix, display_path(&old_path)),
            ],
        )
        .ok()
        .and_then(|text| crate::read::yaml::parse(&old_path, text).ok())
        .is_some_and(|doc| doc.value.get("draft").and_then(|d| d.as_bool()) == Some(true));
        if was_draft {
            continue;
        }
        // Point at the likely new file: same date, in the same folder; else the old path.
        let date = id.get(..10).unwrap_or("");
        let successor = site.events.iter().find(|e| {
            e.id.starts_with(date) && !e.id.eq(&id) && e.file.parent() == old_path.parent()
        });
        let (file, hint) = match successor {
            Some(e) => (
                e.file.clone(),
                format!(
                    "if {} is the renamed event, add `aliases: [{id}]` to it; otherwise restore {}",
                    display_path(&e.file),
                    display_path(&old_path)
                ),
            ),
            None => (
                old_path.clone(),
                format!("restore the file, or add `aliases: [{id}]` to the event that replaces it"),
            ),
        };
        problems.push(
            Diagnostic::error(file, Location::START, format!("event `{id}` ({}) was removed or renamed: its address /events/{id}/ would break", display_path(&old_path)))
                .with_hint(hint),
        );
    }
    problems
}
