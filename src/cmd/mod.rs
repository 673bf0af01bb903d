//! One module per subcommand; each parses its flags and calls into the library.

mod build;
mod check;
mod import;
mod new;
mod schema;
mod serve;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "ruzshomar",
    version,
    about = "A sourced, day-by-day chronology of protest events in Iran, as a static site"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (nothing changes there on any error)
    Build(build::Args),
    /// Validate every file without writing anything; report all problems at once
    Check(check::Args),
    /// Turn a dataset (CSV, JSON Lines, GeoJSON) into event files, one per row; rows that
    /// cannot become events go to a rejects file with the reason
    Import(Box<import::Args>),
    /// Write a new event file from a template and print its path
    New(Box<new::Args>),
    /// Print the JSON Schema of an event file
    Schema,
    /// Build, serve the site on 127.0.0.1, rebuild on every change and reload open pages
    Serve(serve::Args),
}

/// The site folder: `--root`, or the current directory.
#[derive(clap::Args, Clone)]
pub struct RootArg {
    /// The site's folder (with site.toml, content/, data/)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// The environment variable that sets "today" (YYYY-MM-DD) instead of the clock: for tests, for
/// checking a site as it would be checked on another day, and for reproducing a CI run.
pub const TODAY_VAR: &str = "RUZSHOMAR_TODAY";

/// The last day an event may be dated: `RUZSHOMAR_TODAY` when set, else today in Tehran.
pub fn today() -> anyhow::Result<chrono::NaiveDate> {
    match std::env::var(TODAY_VAR) {
        Ok(text) => chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
            anyhow::anyhow!("{TODAY_VAR}={text} is not a YYYY-MM-DD date; unset it to use today's date in Tehran")
        }),
        Err(_) => Ok(ruzshomar::calendar::tehran_today()),
    }
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Import(args) => import::run(*args),
        Command::New(args) => new::run(*args),
        Command::Schema => schema::run(),
        Command::Serve(args) => serve::run(args),
    }
}
