//! The whole pipeline, read → resolve → site → render → write, as one call that `build` and
//! `serve` share.

use crate::diagnostic::{self, Diagnostic, Location};
use crate::render::{self, theme::Theme};
use crate::site::Site;
use crate::write::{Archive, Staging};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Also write an offline copy of the site as a ZIP, linked from every page.
    pub offline_zip: bool,
    /// The last day an event may be dated (see [`crate::load`]).
    pub today: chrono::NaiveDate,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub events: usize,
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    /// The size GitHub Pages counts (see [`crate::write::Written::tar_bytes`]).
    pub tar_bytes: u64,
    pub elapsed: Duration,
    /// Warnings found on the way (the build succeeded).
    pub warnings: Vec<Diagnostic>,
}

/// A step of the build, for progress display.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    Reading,
    Rendering,
    Writing,
}

/// Builds the site; on any error the output directory is left untouched.
pub fn build(options: &Options, progress: &dyn Fn(Step)) -> Result<Report, Vec<Diagnostic>> {
    let started = Instant::now();
    progress(Step::Reading);
    let (resolved, mut problems) = crate::load(&options.root, options.today);
    if let Some(url) = options
        .base_url
        .as_deref()
        .filter(|u| !crate::config::valid_base_url(u))
    {
        problems.push(
            Diagnostic::error(
                crate::config::FILE,
                Location::START,
                format!("--base-url `{url}` is not an http(s) address"),
            )
            .with_hint("give the published address: --base-url https://USER.github.io/REPO/"),
        );
    }
    let resolved = match resolved {
        Some(r) if !diagnostic::has_errors(&problems) => r,
        _ => return Err(problems),
    };
    let theme = Theme::load(&options.root, &resolved.config)?;
    let mut site = Site::new(resolved, options.base_url.clone(), options.drafts);
    site.offline_zip = options.offline_zip;
    progress(Step::Rendering);
    let output = &options.output;
    let mut staging = Staging::create(output).map_err(|e| write_error(output, e))?;
    let mut archive = options.offline_zip.then(Archive::new);
    let pages = render::render(&site, &theme, &mut |batch| {
        if let Some(archive) = archive.as_mut() {
            archive.add(&batch).map_err(|e| write_error(output, e))?;
        }
        staging.write(batch).map_err(|e| write_error(output, e))
    })?;
    progress(Step::Writing);
    if let Some(archive) = archive {
        let zip = archive.finish().map_err(|e| write_error(output, e))?;
        staging
            .write(vec![zip])
            .map_err(|e| write_error(output, e))?;
    }
    let written = staging.commit().map_err(|e| write_error(output, e))?;
    problems.retain(|d| !d.is_error());
    Ok(Report {
        events: site.events.len(),
        pages,
        files: written.files,
        bytes: written.bytes,
        tar_bytes: written.tar_bytes,
        elapsed: started.elapsed(),
        warnings: problems,
    })
}

fn write_error(output: &Path, e: std::io::Error) -> Vec<Diagnostic> {
    vec![Diagnostic::error(output, Location::START, format!("cannot write the site: {e}"))
        .with_hint("check that the output folder's parent exists and is writable; the previous site was left as it was")]
}
