//! Reading the site's files without leaving the site's folder. A pull request can add a
//! symbolic link as easily as a file: a link from `data/kinds.yaml` to `/proc/self/environ`
//! would make `check` print the CI machine's secrets, and a link from the theme's `static/` to
//! `/etc/ssl` would publish its keys. Every file read here must lie inside the site's folder
//! once links are followed; anything else is refused with a diagnostic, never read.

use crate::diagnostic::{Diagnostic, Location};
use std::path::{Path, PathBuf};

/// What a refused link is told to do instead.
const LINK_HINT: &str =
    "replace the link with the file itself: ruzshomar reads only files inside the site's folder";

/// `root/relative`, once it is known not to lead outside `root`. A path that does not exist is
/// returned as it is, for the caller's "cannot read" to report.
pub fn inside(root: &Path, relative: &Path) -> Result<PathBuf, Diagnostic> {
    let full = root.join(relative);
    let Ok(real) = full.canonicalize() else {
        return Ok(full);
    };
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if real.starts_with(&real_root) {
        Ok(full)
    } else {
        Err(outside(relative))
    }
}

/// The diagnostic for a path that leads outside the site's folder.
pub fn outside(relative: &Path) -> Diagnostic {
    Diagnostic::error(
        relative,
        Location::START,
        "this path is a symbolic link that leads outside the site's folder; it was not read",
    )
    .with_hint(LINK_HINT)
}

/// The text of a small file inside the site (site.toml, UI strings, boundaries), without a
/// leading byte-order mark.
pub fn read_to_string(root: &Path, relative: &Path) -> Result<String, Diagnostic> {
    let full = inside(root, relative)?;
    let text = std::fs::read_to_string(full).map_err(|e| {
        Diagnostic::error(relative, Location::START, format!("cannot read: {e}"))
            .with_hint("check that the file exists, is readable and is saved as UTF-8")
    })?;
    Ok(strip_bom(text))
}

/// The bytes of a file inside the site (the theme's static files).
pub fn read_bytes(root: &Path, relative: &Path) -> Result<Vec<u8>, Diagnostic> {
    let full = inside(root, relative)?;
    std::fs::read(full).map_err(|e| {
        Diagnostic::error(relative, Location::START, format!("cannot read: {e}"))
            .with_hint("check that the file exists and is readable")
    })
}

/// Windows editors start UTF-8 files with U+FEFF; it is not part of the text.
pub fn strip_bom(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    text
}

/// The files below `relative` (a folder inside the site), relative to the site root, sorted,
/// hidden files (`.name`) left out. Links are followed only while they stay inside the site;
/// one that leads out is reported. A missing folder has no files.
pub fn list(root: &Path, relative: &Path, problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let dir = match inside(root, relative) {
        Ok(dir) => dir,
        Err(problem) => {
            problems.push(problem);
            return Vec::new();
        }
    };
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut files = Vec::new();
    let mut refused = Vec::new();
    let walk = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name();
    // A link that leads out is pruned here, before the walk could descend into it.
    let keep = |e: &walkdir::DirEntry| {
        if e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.') {
            return false;
        }
        let leads_out = e.path_is_symlink()
            && !e
                .path()
                .canonicalize()
                .is_ok_and(|real| real.starts_with(&real_root));
        if leads_out {
            refused.push(outside(e.path().strip_prefix(root).unwrap_or(e.path())));
        }
        !leads_out
    };
    for entry in walk.into_iter().filter_entry(keep) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let at = e
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .unwrap_or(relative);
                problems.push(
                    Diagnostic::error(at, Location::START, format!("cannot read: {e}"))
                        .with_hint(LINK_HINT),
                );
                continue;
            }
        };
        if entry.file_type().is_file() {
            let shown = entry.path().strip_prefix(root).unwrap_or(entry.path());
            files.push(shown.to_path_buf());
        }
    }
    problems.extend(refused);
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_out_of_the_site_are_refused_and_links_inside_are_read() {
        let outside_dir = tempfile::tempdir().unwrap();
        std::fs::write(outside_dir.path().join("secret"), "KEY=1").unwrap();
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("data/static")).unwrap();
        std::fs::write(site.path().join("data/real.txt"), "\u{feff}hello").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(
                outside_dir.path().join("secret"),
                site.path().join("data/leak.txt"),
            )
            .unwrap();
            symlink(outside_dir.path(), site.path().join("data/static/keys")).unwrap();
            symlink(
                site.path().join("data/real.txt"),
                site.path().join("data/static/ok.txt"),
            )
            .unwrap();
            let e = read_to_string(site.path(), Path::new("data/leak.txt")).unwrap_err();
            assert!(e.message.contains("outside the site's folder"), "{e}");
            assert!(!e.to_string().contains("KEY=1"));
            let mut problems = Vec::new();
            let listed = list(site.path(), Path::new("data/static"), &mut problems);
            assert_eq!(listed, vec![PathBuf::from("data/static/ok.txt")]);
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(problems[0].message.contains("outside"));
        }
        assert_eq!(
            read_to_string(site.path(), Path::new("data/real.txt")).unwrap(),
            "hello"
        );
    }
}
