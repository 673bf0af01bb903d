//! Stage 5, write: minify HTML (in parallel), write everything into a fresh directory beside
//! the output, and swap it in only when all of it is written. A failed build leaves the
//! previous site exactly as it was.

use crate::render::File;
use rayon::prelude::*;
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    pub files: usize,
    pub bytes: u64,
}

fn minify_config() -> minify_html::Cfg {
    minify_html::Cfg {
        minify_css: true,
        minify_js: true,
        // Keep the markup valid and readable by simple tools (and by our link checker).
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        ..minify_html::Cfg::default()
    }
}

/// Minifies one file if it is HTML.
pub fn minify(file: &File) -> Vec<u8> {
    if file.path.ends_with(".html") {
        minify_html::minify(&file.bytes, &minify_config())
    } else {
        file.bytes.clone()
    }
}

/// A sibling path of `output`: `.public.tmp-1234` beside `public`.
fn sibling(output: &Path, tag: &str) -> PathBuf {
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    output.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// Writes `files` as the new content of `output`, atomically from a reader's point of view.
pub fn write(files: &[File], output: &Path) -> io::Result<Written> {
    let staging = sibling(output, "tmp");
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    let result = write_all(files, &staging).and_then(|written| swap_in(&staging, output).map(|()| written));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn write_all(files: &[File], dir: &Path) -> io::Result<Written> {
    std::fs::create_dir_all(dir)?;
    let mut dirs: Vec<PathBuf> = files.iter().filter_map(|f| Path::new(&f.path).parent().map(|p| dir.join(p))).collect();
    dirs.sort();
    dirs.dedup();
    for d in dirs {
        std::fs::create_dir_all(d)?;
    }
    let sizes: Vec<io::Result<u64>> = files
        .par_iter()
        .map(|f| {
            let bytes = minify(f);
            std::fs::write(dir.join(&f.path), &bytes)?;
            Ok(bytes.len() as u64)
        })
        .collect();
    let mut written = Written::default();
    for size in sizes {
        written.bytes += size?;
        written.files += 1;
    }
    Ok(written)
}

fn swap_in(staging: &Path, output: &Path) -> io::Result<()> {
    if output.exists() {
        let old = sibling(output, "old");
        if old.exists() {
            std::fs::remove_dir_all(&old)?;
        }
        std::fs::rename(output, &old)?;
        if let Err(e) = std::fs::rename(staging, output) {
            std::fs::rename(&old, output)?;
            return Err(e);
        }
        std::fs::remove_dir_all(&old)?;
    } else {
        if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::rename(staging, output)?;
    }
    Ok(())
}
