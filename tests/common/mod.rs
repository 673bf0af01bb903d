//! Helpers shared by the integration tests: throwaway sites built from the repository's real
//! configuration, gazetteer and registries.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the bundled site: the repository's site.toml, content/, data/ and themes/.
pub fn bundled_site() -> tempfile::TempDir {
    let dir = empty_site();
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    dir
}

/// A new site with the repository's site.toml, data/ and themes/, and no events.
pub fn empty_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("site.toml"), dir.path().join("site.toml")).unwrap();
    copy_dir(&repo().join("data"), &dir.path().join("data"));
    copy_dir(&repo().join("themes"), &dir.path().join("themes"));
    std::fs::create_dir_all(dir.path().join("content/events")).unwrap();
    dir
}

/// Writes `text` at `relative` inside `site`, creating folders.
pub fn write(site: &Path, relative: &str, text: impl AsRef<[u8]>) {
    let path = site.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The day the tests take for today, whatever the clock says: every result is the same on any
/// day. (The bundled and generated events are all dated before it.)
pub const TODAY: &str = "2026-11-22";

pub fn today() -> chrono::NaiveDate {
    TODAY.parse().unwrap()
}

/// The `ruzshomar` binary built for these tests, told that today is [`TODAY`].
pub fn ruzshomar() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_ruzshomar"));
    command.env("RUZSHOMAR_TODAY", TODAY);
    command
}

/// `ruzshomar build` of the site at `root` into `output`, as a contributor runs it; fails the
/// test with the command's errors if the build fails.
pub fn build_with_command(root: &Path, output: &Path) {
    let built = ruzshomar()
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(output)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
}

/// A valid event file of the given date and city, citing one NCRI report.
pub fn valid_event(title: &str, date: &str, city: &str) -> String {
    format!(
        "# yaml-language-server: $schema=../../../../schema/event.schema.json\n\
         title: {title}\n\
         date: {date}\n\
         city: {city}\n\
         kind: protest\n\
         summary: |\n  People gathered, according to the NCRI.\n\
         sources:\n\
         \x20 - url: https://www.ncr-iran.org/en/?p=341153\n\
         \x20   title: \"Iran Uprising Day 7\"\n\
         \x20   publisher: ncri\n\
         \x20   published: 2026-01-03\n"
    )
}

/// Every file of one export format (`json`, `csv`, `geojson`) of a built site, decompressed,
/// in the order `data/index.json` lists the years.
pub fn exports(output: &Path, format: &str) -> Vec<String> {
    use std::io::Read;
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(output.join("data/index.json")).unwrap()).unwrap();
    manifest["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|year| {
            let file = year["files"][format]["file"].as_str().unwrap();
            let bytes = std::fs::read(output.join("data").join(file)).unwrap();
            let mut text = String::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .unwrap();
            text
        })
        .collect()
}
