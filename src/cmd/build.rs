//! `ruzshomar build`: the whole pipeline; on any error, a non-zero exit and the previous
//! output untouched.

use super::RootArg;
use ruzshomar::build::{self, Options, Step};
use ruzshomar::report;
use ruzshomar::write::{pages_fit, PagesFit, PAGES_LIMIT};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    root: RootArg,
    /// Where to write the site (default: public/ under the root)
    #[arg(long)]
    output: Option<PathBuf>,
    /// Override site.toml's base_url (e.g. the GitHub Pages address)
    #[arg(long)]
    base_url: Option<String>,
    /// Include events marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// Also write downloads/ruzshomar-offline.zip, a copy of the site that works opened from
    /// disk, and link to it from every page
    #[arg(long)]
    offline_zip: bool,
}

impl Args {
    pub fn options(&self) -> anyhow::Result<Options> {
        let root = self.root.root.clone();
        Ok(Options {
            output: self.output.clone().unwrap_or_else(|| root.join("public")),
            root,
            base_url: self.base_url.clone(),
            drafts: self.drafts,
            offline_zip: self.offline_zip,
            today: super::today()?,
        })
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let options = args.options()?;
    let terminal = std::io::stderr().is_terminal();
    let bar = terminal.then(|| {
        let bar = indicatif::ProgressBar::new(3);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg}")
                .expect("a valid template"),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(100));
        bar
    });
    let progress = |step: Step| {
        if let Some(bar) = &bar {
            let (n, msg) = match step {
                Step::Reading => (0, "reading and checking content"),
                Step::Rendering => (1, "rendering pages"),
                Step::Writing => (2, "writing"),
            };
            bar.set_position(n);
            bar.set_message(msg);
        }
    };
    let result = build::build(&options, &progress);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    match result {
        Ok(report) => {
            for w in &report.warnings {
                eprintln!("{}", report::human(&options.root, w, terminal));
            }
            let mb = |bytes: u64| bytes as f64 / 1_000_000.0;
            println!(
                "built {} events into {} pages ({} files, {:.1} MB; {:.1} MB of GitHub Pages' {:.0} MB) in {:.2} s → {}",
                report.events,
                report.pages,
                report.files,
                mb(report.bytes),
                mb(report.tar_bytes),
                mb(PAGES_LIMIT),
                report.elapsed.as_secs_f64(),
                options.output.display()
            );
            if let Some((level, note)) = pages_note(report.events, report.tar_bytes) {
                eprintln!("{level}: {note}");
                // In a GitHub Actions run, also on the run's summary and the pull request.
                if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
                    let command = if level == "note" { "notice" } else { level };
                    println!(
                        "{}",
                        report::github_annotation(command, "ruzshomar build", &note)
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            for d in &problems {
                eprintln!("{}", report::human(&options.root, d, terminal));
            }
            let errors = problems.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "build failed with {}; {} was left as it was",
                report::count(errors, "error"),
                options.output.display()
            );
            Ok(ExitCode::FAILURE)
        }
    }
}

/// What the summary adds when a site nears or passes GitHub Pages' limit: `note` or
/// `warning`, and the text.
fn pages_note(events: usize, tar_bytes: u64) -> Option<(&'static str, String)> {
    let mb = |bytes: u64| bytes as f64 / 1_000_000.0;
    let (size, limit) = (mb(tar_bytes), mb(PAGES_LIMIT));
    let help = "docs/DESIGN.md, \"Size on GitHub Pages\", says what can be done";
    let near = |fit: String| {
        let text =
            format!("this site is {size:.0} MB of GitHub Pages' {limit:.0} MB: {fit} ({help})");
        Some(("note", text))
    };
    let over = |fit: String| {
        let text = format!("GitHub Pages counts this site as {size:.0} MB, over its limit of {limit:.0} MB: it will not deploy there{fit} ({help})");
        Some(("warning", text))
    };
    match pages_fit(events, tar_bytes) {
        PagesFit::Fits => None,
        PagesFit::Near { more: 0 } => near("it is at the limit".into()),
        PagesFit::Near { more } => near(format!(
            "about {} more events like these fit",
            report::grouped(more)
        )),
        PagesFit::Over { fit: 0 } => over(String::new()),
        PagesFit::Over { fit } => over(format!(
            "; about {} events like these fit",
            report::grouped(fit)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::pages_note;

    /// What a maintainer reads near and past GitHub Pages' limit, including the edges where
    /// the estimate rounds to nothing.
    #[test]
    fn the_summary_says_how_many_events_fit_near_and_past_the_limit() {
        assert_eq!(pages_note(50_000, 714_600_000), None);
        let (level, over) = pages_note(100_000, 1_375_900_000).unwrap();
        assert_eq!(level, "warning");
        assert!(
            over.starts_with("GitHub Pages counts this site as 1376 MB"),
            "{over}"
        );
        assert!(
            over.contains("about 72,600 events like these fit"),
            "{over}"
        );
        let (level, near) = pages_note(65_000, 930_000_000).unwrap();
        assert_eq!(level, "note");
        assert!(near.contains("about 4,800 more events"), "{near}");
        let (_, full) = pages_note(1_000, 999_990_000).unwrap();
        assert!(full.contains("it is at the limit"), "{full}");
        let (_, media) = pages_note(10, 2_000_000_000).unwrap();
        assert!(!media.contains("about"), "{media}");
        // On a GitHub Actions run the same text is an annotation, escaped for its syntax.
        assert_eq!(
            ruzshomar::report::github_annotation("notice", "ruzshomar build", "a: 1%\nb"),
            "::notice title=ruzshomar build::a: 1%25%0Ab"
        );
    }
}
