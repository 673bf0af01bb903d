//! `ruzshomar schema`: the event JSON Schema, generated from the Rust types.

use std::io::Write;
use std::process::ExitCode;

pub fn run() -> anyhow::Result<ExitCode> {
    std::io::stdout().write_all(ruzshomar::event_file::event_schema_text().as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
