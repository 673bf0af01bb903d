//! Weight budgets for readers on throttled connections: every HTML page ≤ 30 KB gzipped (the
//! map page excepted), the stylesheet ≤ 15 KB, and the map page with its script and data
//! ≤ 150 KB gzipped.

mod common;

use common::*;
use std::io::Write;
use std::path::Path;

const PAGE_BUDGET: usize = 30 * 1024;
const CSS_BUDGET: usize = 15 * 1024;
const MAP_BUDGET: usize = 150 * 1024;

fn gzipped(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap().len()
}

fn size(output: &Path, path: &str) -> usize {
    gzipped(&std::fs::read(output.join(path)).unwrap_or_else(|e| panic!("{path}: {e}")))
}

/// Checks every budget on a built site; returns the heaviest page for the report.
pub fn assert_budgets(output: &Path) -> (String, usize) {
    let mut heaviest = (String::new(), 0);
    let mut over = Vec::new();
    for entry in walkdir::WalkDir::new(output) {
        let entry = entry.unwrap();
        let path = entry
            .path()
            .strip_prefix(output)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !path.ends_with(".html") || path.ends_with("map/index.html") {
            continue;
        }
        let gz = size(output, &path);
        if gz > heaviest.1 {
            heaviest = (path.clone(), gz);
        }
        if gz > PAGE_BUDGET {
            over.push(format!("{path}: {gz} bytes gzipped"));
        }
    }
    assert!(
        over.is_empty(),
        "pages over {PAGE_BUDGET} bytes gzipped:\n{}",
        over.join("\n")
    );
    let css = std::fs::read(output.join("style.css")).unwrap().len()
        + std::fs::read(output.join("kinds.css")).unwrap().len();
    assert!(
        css <= CSS_BUDGET,
        "the CSS is {css} bytes (budget {CSS_BUDGET})"
    );
    for prefix in ["", "fa/"] {
        let map: usize = [
            format!("{prefix}map/index.html"),
            format!("{prefix}map/data.js"),
            "map.js".to_string(),
            "map.css".to_string(),
            "style.css".to_string(),
            "kinds.css".to_string(),
        ]
        .iter()
        .map(|p| size(output, p))
        .sum();
        assert!(
            map <= MAP_BUDGET,
            "{prefix}map page with script and data: {map} bytes gzipped (budget {MAP_BUDGET})"
        );
    }
    heaviest
}

#[test]
fn the_bundled_site_keeps_its_weight_budgets() {
    let out = tempfile::tempdir().unwrap();
    let built = ruzshomar()
        .args(["build", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(built.status.success());
    let (page, gz) = assert_budgets(out.path());
    eprintln!("heaviest page: {page} ({gz} bytes gzipped)");
    let script = std::fs::read(out.path().join("map.js")).unwrap().len();
    assert!(
        script <= 15 * 1024,
        "map.js is {script} bytes (budget 15 KB)"
    );
}
