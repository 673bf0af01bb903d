//! HTML minification, done per page inside the parallel render so each page is held in memory
//! once, already small.

fn config() -> minify_html::Cfg {
    minify_html::Cfg {
        minify_css: true,
        minify_js: true,
        // Keep the markup valid and readable by simple tools (and by our link checker).
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        ..minify_html::Cfg::default()
    }
}

/// Minifies `bytes` if `path` is an HTML page; other files pass through.
pub fn minify(path: &str, bytes: Vec<u8>) -> Vec<u8> {
    if path.ends_with(".html") {
        minify_html::minify(&bytes, &config())
    } else {
        bytes
    }
}
