//! CONTRIBUTING.md's local walkthrough, run as written on a fresh clone of this repository:
//! a new contributor who follows it ends with a valid event visible in the local site.

mod common;

use common::*;
use std::process::Command;

#[test]
fn the_contributing_walkthrough_ends_with_the_new_event_in_the_site() {
    let guide = std::fs::read_to_string(repo().join("CONTRIBUTING.md")).unwrap();
    let block = guide
        .split("<!-- contributing-walkthrough:start -->")
        .nth(1)
        .and_then(|rest| rest.split("<!-- contributing-walkthrough:end -->").next())
        .expect("the walkthrough markers");
    let script: String = block
        .lines()
        .filter(|l| !l.starts_with("```"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(script.contains("git clone https://github.com/"), "{script}");
    if !repo().join(".git").exists() {
        eprintln!("not a git checkout: skipping the clone walkthrough");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // The clone comes from this checkout; `cargo run --release --` is the binary under test,
    // and `serve` (which never returns) becomes `build`, which writes what serve would show.
    let shim = format!(
        "set -euo pipefail\n\
         git() {{ if [ \"$1\" = clone ]; then command git clone -q \"{repo}\" ruzshomar; else command git \"$@\"; fi; }}\n\
         cargo() {{ [ \"$1 $2 $3\" = 'run --release --' ] || {{ echo \"unexpected: cargo $*\" >&2; exit 99; }}; shift 3;\n\
           if [ \"$1\" = serve ]; then \"{bin}\" build; else \"{bin}\" \"$@\"; fi; }}\n\
         {script}",
        repo = repo().display(),
        bin = env!("CARGO_BIN_EXE_ruzshomar"),
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(&shim)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the walkthrough failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = "content/events/2026/01/2026-01-08-night-rally-in-kermanshah.yaml";
    assert!(
        stdout.contains(written),
        "`new` prints the path the guide promises:\n{stdout}"
    );
    assert!(guide.contains(written));
    assert!(stdout.contains("check passed"), "{stdout}");
    let page = dir
        .path()
        .join("ruzshomar/public/events/2026-01-08-night-rally-in-kermanshah/index.html");
    let html = std::fs::read_to_string(&page)
        .unwrap_or_else(|e| panic!("{}: {e}\n{stdout}", page.display()));
    assert!(
        html.contains("Night rally in Kermanshah") && html.contains("https://example.org/report")
    );
    assert!(guide
        .contains("http://127.0.0.1:1111/events/2026-01-08-night-rally-in-kermanshah/index.html"));
}
