//! A theme: Tera templates, static files (CSS, scripts, icons) and UI strings per language, all
//! under `themes/<name>/`. Loading reports template syntax errors with file and line.

use super::text::Text;
use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Location};
use crate::read::data::toml;
use crate::read::files;
use std::collections::BTreeMap;
use std::path::Path;

pub const DEFAULT: &str = "themes/default";

pub struct Theme {
    /// One template engine per language, whose global context holds that language's UI
    /// strings as `t`.
    engines: BTreeMap<String, tera::Tera>,
    /// UI text per language; each falls back to the first language for missing keys.
    pub texts: BTreeMap<String, Text>,
    /// Files copied as they are: (path relative to the output root, bytes).
    pub static_files: Vec<(String, Vec<u8>)>,
}

impl Theme {
    /// The theme of the site at `root`, with UI text for each of the site's languages.
    pub fn load(root: &Path, config: &SiteConfig) -> Result<Theme, Vec<Diagnostic>> {
        let languages = &config.languages;
        let mut problems = Vec::new();
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml", ".svg"]);
        let templates_dir = Path::new(DEFAULT).join("templates");
        let mut sources = Vec::new();
        for path in files::list(root, &templates_dir, &mut problems) {
            let name = relative_name(&templates_dir, &path);
            match files::read_to_string(root, &path) {
                Ok(source) => sources.push((name, source)),
                Err(problem) => problems.push(problem),
            }
        }
        // Added together: templates include and extend each other.
        if let Err(e) = tera.add_raw_templates(sources) {
            problems.push(template_error(None, &e));
        }
        let mut texts = BTreeMap::new();
        let mut fallback: Option<BTreeMap<String, String>> = None;
        for lang in languages {
            let shown = Path::new(DEFAULT).join("i18n").join(format!("{lang}.toml"));
            let read = files::read_to_string(root, &shown)
                .map_err(|problem| {
                    problem.with_hint(format!(
                        "the UI strings for `{lang}`: copy en.toml and translate it"
                    ))
                })
                .and_then(|text| toml(&shown, &text, "each line is `key = \"text\"`"));
            let strings: BTreeMap<String, String> = match read {
                Ok(strings) => strings,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            let mut merged = fallback.clone().unwrap_or_default();
            merged.extend(strings);
            if fallback.is_none() {
                fallback = Some(merged.clone());
            }
            texts.insert(
                lang.clone(),
                Text {
                    lang: lang.clone(),
                    rtl: config.is_right_to_left(lang),
                    strings: merged,
                },
            );
        }
        let static_dir = Path::new(DEFAULT).join("static");
        let mut static_files = Vec::new();
        for path in files::list(root, &static_dir, &mut problems) {
            match files::read_bytes(root, &path) {
                Ok(bytes) => static_files.push((relative_name(&static_dir, &path), bytes)),
                Err(problem) => problems.push(problem),
            }
        }
        if problems.is_empty() {
            let engines = texts
                .iter()
                .map(|(lang, text)| {
                    let mut engine = tera.clone();
                    engine.global_context().insert("t", &text.strings);
                    (lang.clone(), engine)
                })
                .collect();
            Ok(Theme {
                engines,
                texts,
                static_files,
            })
        } else {
            Err(problems)
        }
    }

    /// The template engine of `lang` (the first language's for anything else).
    pub fn engine(&self, lang: &str) -> &tera::Tera {
        self.engines
            .get(lang)
            .or_else(|| self.engines.values().next())
            .expect("a theme has at least one language")
    }

    pub fn text(&self, lang: &str) -> &Text {
        self.texts
            .get(lang)
            .or_else(|| self.texts.values().next())
            .expect("a theme has at least one language")
    }
}

fn relative_name(base: &Path, path: &Path) -> String {
    crate::diagnostic::display_path(path.strip_prefix(base).unwrap_or(path))
}

/// Tera's message names the template and line (`--> day.html:12:5`); lift them into the
/// diagnostic. `fallback` is the template being rendered, when known.
pub fn template_error(fallback: Option<&str>, error: &tera::Error) -> Diagnostic {
    let message = format!("{error}");
    let mut chain = String::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(error);
    while let Some(e) = source {
        chain.push_str(&format!(" {e}"));
        source = e.source();
    }
    let full = format!("{message}{chain}");
    let pointer = full
        .split("--> ")
        .nth(1)
        .map(|rest| rest.split_whitespace().next().unwrap_or(""));
    let (name, location) = match pointer.and_then(|p| {
        let mut parts = p.rsplitn(3, ':');
        let column = parts.next()?.parse().ok()?;
        let line = parts.next()?.parse().ok()?;
        Some((parts.next()?.to_string(), Location::new(line, column, 1)))
    }) {
        Some((name, location)) => (Some(name), location),
        None => (fallback.map(str::to_string), Location::START),
    };
    let file = Path::new(DEFAULT)
        .join("templates")
        .join(name.unwrap_or_default());
    let first_line = full
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("-->") && !l.starts_with('|'))
        .unwrap_or("")
        .trim_start_matches("error: ")
        .to_string();
    Diagnostic::error(file, location, format!("template error: {first_line}"))
        .with_hint("fix the template; `ruzshomar serve` rebuilds on save")
}
