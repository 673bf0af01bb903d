//! Stage 5, write: files go into a staging directory beside the output as they are rendered,
//! and the staging directory is swapped in only when everything is written. A failed build
//! leaves the previous site exactly as it was, and never leaves the staging directory behind.
//!
//! Even a build killed with `kill -9` leaves a complete site: on Linux the two folders trade
//! places in one step (`renameat2(RENAME_EXCHANGE)`); elsewhere the old site is moved aside
//! and the new one moved in, and a build that finds the output missing and the old site aside
//! (killed between the two moves) puts it back. Folders left by killed builds are removed by
//! the next one.

use crate::output::{File, OFFLINE_ZIP};
use rayon::prelude::*;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    pub files: usize,
    pub bytes: u64,
    /// The site's size as GitHub Pages counts it: the tar archive that
    /// `actions/upload-pages-artifact` makes (a 512-byte header per file and folder, each file
    /// padded to 512 bytes, and two empty blocks at the end).
    pub tar_bytes: u64,
}

/// The largest site GitHub Pages publishes (its documented limit, also GitLab Pages').
pub const PAGES_LIMIT: u64 = 1_000_000_000;

/// Where a site stands against [`PAGES_LIMIT`], for the build's summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagesFit {
    /// Under nine tenths of the limit.
    Fits,
    /// In the last tenth: about `more` events more would fit.
    Near { more: usize },
    /// Over the limit: about `fit` events like these would fit.
    Over { fit: usize },
}

/// Where a site of `events` events and `tar_bytes` stands against GitHub Pages' limit. The
/// events that fit are counted at the site's own size per event, rounded down to a hundred:
/// a little low, since part of a site (theme, maps, page chrome of the indexes) does not grow
/// with its events.
pub fn pages_fit(events: usize, tar_bytes: u64) -> PagesFit {
    let fit = match tar_bytes {
        0 => usize::MAX,
        bytes => (events as u128 * PAGES_LIMIT as u128 / bytes as u128) as usize,
    };
    let hundreds = |n: usize| n / 100 * 100;
    if tar_bytes > PAGES_LIMIT {
        PagesFit::Over { fit: hundreds(fit) }
    } else if tar_bytes * 10 > PAGES_LIMIT * 9 {
        PagesFit::Near {
            more: hundreds(fit - events),
        }
    } else {
        PagesFit::Fits
    }
}

/// What an entry adds to the tar archive of the site: a header, the content in 512-byte
/// blocks, and for a name longer than the header holds (100 bytes, counting the `./` the
/// archive starts names with) a GNU long-name header and its block.
fn tar_size(path: &str, bytes: u64) -> u64 {
    let long_name = if path.len() + 2 > 100 { 1024 } else { 0 };
    512 + long_name + bytes.div_ceil(512) * 512
}

/// Creating files is mostly waiting on the file system, not the CPU: a wider pool than the
/// core count keeps the disk busy (measured here: 24,000 small files took 14 s one at a time,
/// 8 s with eight threads).
const IO_THREADS: usize = 8;

/// The name of the output folder (`public`).
fn output_name(output: &Path) -> String {
    output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into())
}

/// A sibling path of `output`: `.public.tmp-1234` beside `public`.
fn sibling(output: &Path, tag: &str) -> PathBuf {
    sibling_of(output, tag, std::process::id())
}

fn sibling_of(output: &Path, tag: &str, pid: u32) -> PathBuf {
    output.with_file_name(format!(".{}.{tag}-{pid}", output_name(output)))
}

/// The folders that builds killed before they finished left beside `output`
/// (`.public.tmp-<pid>`, `.public.old-<pid>` of processes no longer running), each with its tag.
fn leftovers(output: &Path) -> Vec<(&'static str, PathBuf)> {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let prefix = format!(".{}.", output_name(output));
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        for tag in ["tmp", "old"] {
            let pid = rest.strip_prefix(tag).and_then(|r| r.strip_prefix('-'));
            if let Some(pid) = pid.and_then(|p| p.parse::<u32>().ok()) {
                if !running(pid) {
                    found.push((tag, entry.path()));
                }
            }
        }
    }
    found.sort();
    found
}

/// Whether a process is running (it may be another program that took a dead build's number:
/// then its folder is left for a later build, never removed while in doubt).
fn running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
        let answer = unsafe { libc::kill(pid, 0) };
        answer == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// Repairs what killed builds left: an output folder moved aside but never replaced is moved
/// back, and every other leftover folder is removed.
fn clean_leftovers(output: &Path) -> io::Result<()> {
    let found = leftovers(output);
    if !output.exists() {
        // Killed between the two moves of the fallback swap: the old site is complete.
        if let Some((_, old)) = found.iter().find(|(tag, _)| *tag == "old") {
            std::fs::rename(old, output)?;
        }
    }
    for (_, dir) in found {
        if dir.exists() {
            remove_tree(&dir)?;
        }
    }
    Ok(())
}

/// Swaps two folders in one step, where the system can (Linux 3.15 and later, on most file
/// systems). `Ok(false)` when it cannot: the caller falls back to two renames.
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let a = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
        let b = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
        // SAFETY: both paths are NUL-terminated strings that outlive the call.
        let result = unsafe {
            libc::syscall(
                libc::SYS_renameat2,
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if result == 0 {
            return Ok(true);
        }
        let error = io::Error::last_os_error();
        match error.raw_os_error() {
            Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => Ok(false),
            _ => Err(error),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

/// The next site, being written.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    written: Written,
    pool: rayon::ThreadPool,
    /// The batch being written while the next one renders: its result arrives here.
    in_flight: Option<mpsc::Receiver<io::Result<()>>>,
    committed: bool,
    /// Every folder written to, for the archive size.
    folders: std::collections::HashSet<PathBuf>,
}

impl Staging {
    pub fn create(output: &Path) -> io::Result<Staging> {
        clean_leftovers(output)?;
        let dir = sibling(output, "tmp");
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(IO_THREADS)
            .thread_name(|i| format!("write-{i}"))
            .build()
            .map_err(io::Error::other)?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            written: Written::default(),
            pool,
            in_flight: None,
            committed: false,
            folders: std::collections::HashSet::new(),
        })
    }

    /// Starts writing a batch of files (paths relative to the output root) and returns, so the
    /// next batch renders meanwhile. At most one batch is in flight: this waits for the one
    /// before, and reports its error.
    pub fn write(&mut self, files: Vec<File>) -> io::Result<()> {
        self.wait()?;
        files.iter().try_for_each(|f| inside_output(&f.path))?;
        self.written.files += files.len();
        let mut new_folders = Vec::new();
        for f in &files {
            self.written.bytes += f.bytes.len() as u64;
            self.written.tar_bytes += tar_size(&f.path, f.bytes.len() as u64);
            // Each folder once: its path is added to the set with every file below it.
            let mut folder = Path::new(&f.path).parent();
            while let Some(dir) = folder.filter(|d| !d.as_os_str().is_empty()) {
                if !self.folders.insert(dir.to_path_buf()) {
                    break;
                }
                new_folders.push(dir.to_path_buf());
                folder = dir.parent();
            }
        }
        // Sorted, a folder comes before the folders in it.
        new_folders.sort();
        let dir = self.dir.clone();
        let (done, result) = mpsc::channel();
        self.in_flight = Some(result);
        self.pool.spawn(move || {
            let _ = done.send(write_files(&dir, &new_folders, &files));
        });
        Ok(())
    }

    /// Waits for the batch in flight, if any.
    fn wait(&mut self) -> io::Result<()> {
        match self.in_flight.take() {
            Some(result) => result
                .recv()
                .unwrap_or_else(|_| Err(io::Error::other("a writer thread stopped"))),
            None => Ok(()),
        }
    }

    /// Swaps the staging directory in place of the output, once everything is written.
    pub fn commit(mut self) -> io::Result<Written> {
        self.wait()?;
        let output = self.output.clone();
        if output.exists() && exchange(&self.dir, &output)? {
            // The new site is in place; the staging folder now holds the old one.
            self.committed = true;
            let old = self.dir.clone();
            self.remove(&old)?;
        } else if output.exists() {
            let old = sibling(&output, "old");
            if old.exists() {
                self.remove(&old)?;
            }
            std::fs::rename(&output, &old)?;
            if let Err(e) = std::fs::rename(&self.dir, &output) {
                std::fs::rename(&old, &output)?;
                return Err(e);
            }
            self.committed = true;
            self.remove(&old)?;
        } else {
            if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::rename(&self.dir, &output)?;
            self.committed = true;
        }
        // The folders, the output folder itself and the two blocks that end the archive.
        let folders: u64 = (self.folders.iter())
            .map(|f| tar_size(&format!("{}/", f.to_string_lossy()), 0))
            .sum();
        self.written.tar_bytes += folders + 512 + 1024;
        Ok(self.written)
    }

    /// Removes a directory tree with the I/O pool: deleting is as metadata-bound as creating.
    fn remove(&self, dir: &Path) -> io::Result<()> {
        let entries: Vec<PathBuf> = std::fs::read_dir(dir)?
            .map(|e| e.map(|e| e.path()))
            .collect::<io::Result<_>>()?;
        self.pool.install(|| {
            entries.par_iter().try_for_each(|p| {
                if p.is_dir() {
                    remove_tree(p)
                } else {
                    std::fs::remove_file(p)
                }
            })
        })?;
        std::fs::remove_dir(dir)
    }
}

/// Refuses a path that could land outside the output folder (or the archive's folder):
/// absolute, with `..`, `.` or empty segments, backslashes or control characters. Paths come
/// from ids that `check` already restricts; this is the last line of defence if a rule misses one.
fn inside_output(path: &str) -> io::Result<()> {
    let safe = !path.is_empty()
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && path
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..");
    if safe {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "refused to write `{}`: it would land outside the output folder",
                path.escape_debug()
            ),
        ))
    }
}

/// Creates the new `folders` under `dir` (parents first), then writes the files in parallel
/// (run inside the I/O pool). Folders are made once each and one at a time: threads making
/// folders side by side wait on their parent's lock (measured: 2.9 ms a `mkdir` with eight).
fn write_files(dir: &Path, folders: &[PathBuf], files: &[File]) -> io::Result<()> {
    for folder in folders {
        std::fs::create_dir(dir.join(folder))?;
    }
    files
        .par_iter()
        .try_for_each(|f| std::fs::write(dir.join(&f.path), &f.bytes))
}

/// `remove_dir_all`, with the children of large directories removed in parallel.
fn remove_tree(dir: &Path) -> io::Result<()> {
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<io::Result<_>>()?;
    if entries.len() < 64 {
        return std::fs::remove_dir_all(dir);
    }
    entries.par_iter().try_for_each(|p| {
        if p.is_dir() {
            remove_tree(p)
        } else {
            std::fs::remove_file(p)
        }
    })?;
    std::fs::remove_dir(dir)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = self.wait();
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// The time every entry of the offline ZIP carries.
pub const ARCHIVE_TIME: zip::DateTime = zip::DateTime::DEFAULT;

/// A ZIP of the site that works opened from disk (every internal link is relative and names
/// its `index.html`). Entries sit under one folder and all carry the same fixed time (the
/// format's earliest, 1980-01-01 00:00), never the clock's, so the same site gives the same
/// bytes.
pub struct Archive {
    zip: zip::ZipWriter<io::Cursor<Vec<u8>>>,
}

impl Archive {
    pub fn new() -> Archive {
        Archive {
            zip: zip::ZipWriter::new(io::Cursor::new(Vec::new())),
        }
    }

    /// Adds a batch of files: compressed side by side (the ZIP's deflate was most of a
    /// `--offline-zip` build's time on one thread), then appended in the batch's order.
    pub fn add(&mut self, files: &[File]) -> io::Result<()> {
        use std::io::Write as _;
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(ARCHIVE_TIME)
            .unix_permissions(0o644);
        // Checked in order first, so that a bad path is reported the same way every time.
        files.iter().try_for_each(|f| inside_output(&f.path))?;
        let prepared = files
            .par_iter()
            .map(|f| {
                let name = format!("ruzshomar/{}", f.path);
                let mut entry =
                    zip::write::ZipFileBuilder::new(name, options).map_err(io::Error::other)?;
                entry.write_all(&f.bytes)?;
                entry.finish().map_err(io::Error::other)
            })
            .collect::<io::Result<Vec<_>>>()?;
        self.zip
            .add_prepared_files(prepared)
            .map_err(io::Error::other)
    }

    pub fn finish(self) -> io::Result<File> {
        let bytes = self.zip.finish().map_err(io::Error::other)?.into_inner();
        Ok(File {
            path: OFFLINE_ZIP.to_string(),
            bytes,
        })
    }
}

impl Default for Archive {
    fn default() -> Self {
        Archive::new()
    }
}

/// Writes `files` as the whole new content of `output`.
pub fn write(files: impl Into<Vec<File>>, output: &Path) -> io::Result<Written> {
    let mut staging = Staging::create(output)?;
    staging.write(files.into())?;
    staging.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the build's summary tells a maintainer about GitHub Pages, from the sizes measured
    /// at 50,000 and 100,000 generated events.
    #[test]
    fn the_events_that_fit_on_pages_are_estimated_from_the_size_per_event() {
        assert_eq!(pages_fit(50_000, 714_600_000), PagesFit::Fits);
        assert_eq!(
            pages_fit(100_000, 1_375_900_000),
            PagesFit::Over { fit: 72_600 }
        );
        assert_eq!(
            pages_fit(65_000, 930_000_000),
            PagesFit::Near { more: 4_800 }
        );
        assert_eq!(pages_fit(0, 0), PagesFit::Fits);
    }

    /// The last guard between data and the file system: a path from the renderers that could
    /// land outside the output folder is refused, whatever the checks before it let through.
    #[test]
    fn only_plain_relative_paths_are_written() {
        for ok in [
            "index.html",
            "events/x/index.html",
            "fa/map/places/tehran.js",
        ] {
            assert!(inside_output(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "..",
            "../x",
            "events/../../x",
            "/etc/passwd",
            "a//b",
            "a/./b",
            "a/",
            "a\\..\\b",
            "a\nb",
            "a\u{0}b",
        ] {
            let error = inside_output(bad).expect_err(bad);
            assert!(
                error.to_string().contains("outside the output folder"),
                "{error}"
            );
        }
    }
}
