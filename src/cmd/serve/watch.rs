//! Watching the site's sources: content/, data/, themes/ and site.toml, each burst of changes
//! (an editor's save, a `git checkout`) handed on as one list of changed files.

use super::Builder;
use anyhow::Context as _;
use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long the watcher waits for a burst of changes to end. An editor's save (a temporary
/// file renamed over the old one) takes a few milliseconds; this wait is part of what a
/// contributor waits for, beside the update itself (~200 ms at 10,000 events). A longer burst
/// (a `git checkout`) may come as two updates: the second brings the site up to date.
const DEBOUNCE: Duration = Duration::from_millis(50);

/// Watches content/, data/, themes/ and site.toml, and rebuilds after each burst of changes.
pub struct Watcher {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    events: std::sync::mpsc::Receiver<DebounceEventResult>,
    filter: Filter,
    /// The folders under watch, recursively (the others did not exist yet).
    watched: Vec<PathBuf>,
}

const WATCHED_DIRS: [&str; 3] = ["content", "data", "themes"];

impl Watcher {
    pub fn new(root: &Path, output: &Path) -> anyhow::Result<Watcher> {
        let (sender, events) = std::sync::mpsc::channel();
        let mut debouncer = notify_debouncer_full::new_debouncer(DEBOUNCE, None, sender)
            .context("cannot watch files for changes")?;
        // The root itself, not recursively: site.toml (editors often replace it by renaming
        // another file over it, which a watch on the file itself would miss) and the creation
        // of a folder to watch.
        debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch {}", root.display()))?;
        let mut watcher = Watcher {
            debouncer,
            events,
            filter: Filter::new(root, output),
            watched: Vec::new(),
        };
        watcher.watch_new_dirs();
        Ok(watcher)
    }

    fn watch_new_dirs(&mut self) {
        for name in WATCHED_DIRS {
            let dir = self.filter.root.join(name);
            if !self.watched.contains(&dir) && dir.is_dir() {
                match self.debouncer.watch(&dir, RecursiveMode::Recursive) {
                    Ok(()) => self.watched.push(dir),
                    Err(e) => eprintln!("warning: cannot watch {}: {e}", dir.display()),
                }
            }
        }
        // A watched folder that was removed (its watch is gone) is watched again once back.
        self.watched.retain(|dir| dir.is_dir());
    }

    pub fn run(mut self, builder: &Builder) {
        while let Ok(first) = self.events.recv() {
            let mut changed = Vec::new();
            self.collect(first, &mut changed);
            // Changes that arrived during the last build: one build for all of them.
            while let Ok(more) = self.events.try_recv() {
                self.collect(more, &mut changed);
            }
            if changed.is_empty() {
                continue;
            }
            changed.sort();
            changed.dedup();
            self.watch_new_dirs();
            builder.build(&changed);
        }
    }

    fn collect(&self, result: DebounceEventResult, changed: &mut Vec<PathBuf>) {
        match result {
            Ok(events) => {
                for event in events {
                    if !relevant_kind(&event.kind) {
                        continue;
                    }
                    changed.extend(
                        event
                            .paths
                            .iter()
                            .filter(|p| self.filter.relevant(p))
                            .cloned(),
                    );
                    if event.need_rescan() {
                        // Events were lost: rebuild to be safe.
                        changed.push(self.filter.root.join("content"));
                    }
                }
            }
            Err(errors) => {
                for e in errors {
                    eprintln!("warning: while watching for changes: {e}");
                }
            }
        }
    }
}

/// Opening and reading files (the build does both) changes nothing.
fn relevant_kind(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

/// Which changed paths call for a rebuild.
struct Filter {
    root: PathBuf,
    site_toml: PathBuf,
    dirs: Vec<PathBuf>,
    output: PathBuf,
    /// The output's parent and the prefix of the staging folders `write` puts there
    /// (`.public.tmp-…`, `.public.old-…`).
    staging: Option<(PathBuf, String)>,
}

impl Filter {
    fn new(root: &Path, output: &Path) -> Filter {
        Filter {
            root: root.to_path_buf(),
            site_toml: root.join("site.toml"),
            dirs: WATCHED_DIRS.iter().map(|d| root.join(d)).collect(),
            output: output.to_path_buf(),
            staging: match (output.parent(), output.file_name()) {
                (Some(parent), Some(name)) => Some((
                    parent.to_path_buf(),
                    format!(".{}.", name.to_string_lossy()),
                )),
                _ => None,
            },
        }
    }

    fn relevant(&self, path: &Path) -> bool {
        if path.starts_with(&self.output) || self.is_staging(path) {
            return false;
        }
        if path
            .file_name()
            .is_some_and(|name| is_editor_temp(&name.to_string_lossy()))
        {
            return false;
        }
        path == self.site_toml || self.dirs.iter().any(|d| path.starts_with(d))
    }

    fn is_staging(&self, path: &Path) -> bool {
        let Some((parent, prefix)) = &self.staging else {
            return false;
        };
        path.strip_prefix(parent)
            .ok()
            .and_then(|rest| rest.components().next())
            .is_some_and(|first| {
                first
                    .as_os_str()
                    .to_string_lossy()
                    .starts_with(prefix.as_str())
            })
    }
}

/// Files editors write beside the one being edited, and hidden files (which the build skips).
fn is_editor_temp(name: &str) -> bool {
    name.starts_with('.') // .#emacs-lock, .file.swp, .DS_Store, .goutputstream-…
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#')) // emacs auto-save
        || [".swp", ".swo", ".swx", ".tmp", ".bak", ".crswap"].iter().any(|ext| name.ends_with(ext))
        || name == "4913" // vim's test of whether it may write the folder
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temp_files_are_ignored() {
        for name in [
            "a.yaml~",
            ".#a.yaml",
            "#a.yaml#",
            ".a.yaml.swp",
            "a.tmp",
            "4913",
            ".DS_Store",
        ] {
            assert!(is_editor_temp(name), "{name}");
        }
        for name in [
            "2026-01-03-rally.yaml",
            "base.html",
            "site.toml",
            "style.css",
        ] {
            assert!(!is_editor_temp(name), "{name}");
        }
    }

    #[test]
    fn only_sources_trigger_a_build() {
        let filter = Filter::new(Path::new("/site"), Path::new("/site/public"));
        assert!(filter.relevant(Path::new("/site/site.toml")));
        assert!(filter.relevant(Path::new("/site/content/events/2026/01/a.yaml")));
        assert!(filter.relevant(Path::new("/site/themes/default/templates/base.html")));
        assert!(filter.relevant(Path::new("/site/data")));
        assert!(!filter.relevant(Path::new("/site/public/index.html")));
        assert!(!filter.relevant(Path::new("/site/.public.tmp-12/index.html")));
        assert!(!filter.relevant(Path::new("/site/README.md")));
        assert!(!filter.relevant(Path::new("/site/content/events/2026/01/.a.yaml.swp")));
        // An output inside a watched folder is still ignored.
        let inside = Filter::new(Path::new("/site"), Path::new("/site/content/out"));
        assert!(!inside.relevant(Path::new("/site/content/out/index.html")));
        assert!(!inside.relevant(Path::new("/site/content/.out.old-3/index.html")));
        assert!(inside.relevant(Path::new("/site/content/events/a.yaml")));
    }

    #[test]
    fn reads_are_not_changes() {
        assert!(!relevant_kind(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!relevant_kind(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(relevant_kind(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(relevant_kind(&EventKind::Modify(ModifyKind::Any)));
    }
}
