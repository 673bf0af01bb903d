//! `site.toml`: the site's title, address, languages and periods.

use crate::diagnostic::{Diagnostic, Location};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

pub const FILE: &str = "site.toml";

/// Text in each of the site's languages, by language code.
pub type Localized = BTreeMap<String, String>;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: Localized,
    #[serde(default)]
    pub description: Localized,
    /// The published address, with a trailing slash: `https://user.github.io/repo/`.
    pub base_url: String,
    /// The first language is the default and lives at the site root; others under `/<code>/`.
    pub languages: Vec<String>,
    /// Languages written right to left (`fa`): their pages get `dir="rtl"`. When it is not
    /// set, the languages of [`RIGHT_TO_LEFT`] are.
    #[serde(default)]
    pub right_to_left: Option<Vec<String>>,
    /// `owner/name` of the repository, for "view history" and "suggest a correction".
    #[serde(default)]
    pub repository: Option<String>,
    /// The forge that hosts the repository (GitHub, or a Gitea/Forgejo with the same paths).
    #[serde(default = "default_forge")]
    pub forge: String,
    /// The branch the site is published from.
    #[serde(default = "default_branch")]
    pub branch: String,
    #[serde(default)]
    pub periods: Vec<Period>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub id: String,
    pub title: Localized,
    #[serde(default)]
    pub description: Localized,
    pub start: NaiveDate,
    #[serde(default)]
    pub end: Option<NaiveDate>,
}

/// Languages written right to left, for a site.toml that does not say (`right_to_left`):
/// Persian, Arabic, Hebrew, Urdu, Pashto, Sorani Kurdish, Uyghur, Sindhi, Dhivehi, Yiddish.
pub const RIGHT_TO_LEFT: &[&str] = &["fa", "ar", "he", "ur", "ps", "ckb", "ug", "sd", "dv", "yi"];

fn default_forge() -> String {
    "https://github.com".into()
}

fn default_branch() -> String {
    "main".into()
}

/// The text in `lang`, else in English, else in any language there is.
pub fn localized(map: &Localized, lang: &str) -> String {
    map.get(lang)
        .or_else(|| map.get("en"))
        .or_else(|| map.values().next())
        .cloned()
        .unwrap_or_default()
}

impl Period {
    pub fn contains(&self, date: NaiveDate) -> bool {
        date >= self.start && self.end.is_none_or(|end| date <= end)
    }

    /// "Day N" of the period: its first day is day 1.
    pub fn day_number(&self, date: NaiveDate) -> i64 {
        (date - self.start).num_days() + 1
    }
}

impl SiteConfig {
    /// Whether `lang` is written right to left.
    pub fn is_right_to_left(&self, lang: &str) -> bool {
        match &self.right_to_left {
            Some(listed) => listed.iter().any(|l| l == lang),
            None => RIGHT_TO_LEFT.contains(&lang),
        }
    }

    pub fn default_language(&self) -> &str {
        self.languages.first().map(String::as_str).unwrap_or("en")
    }

    /// Every problem of the configuration, given the text it was read from (for positions).
    pub fn validate(&self, text: &str) -> Vec<Diagnostic> {
        let path = Path::new(FILE);
        // A setting where it is set (`languages = …` starting a line), not in a comment that
        // mentions it; other text (a period's id) where it first appears.
        let at = |needle: &str| {
            let mut offset = 0;
            for line in text.split_inclusive('\n') {
                let indent = line.len() - line.trim_start().len();
                let sets = line[indent..]
                    .strip_prefix(needle)
                    .is_some_and(|rest| rest.trim_start().starts_with('='));
                if sets {
                    return Location::at_offset(text, offset + indent, needle.len());
                }
                offset += line.len();
            }
            text.find(needle)
                .map(|i| Location::at_offset(text, i, needle.len()))
                .unwrap_or(Location::START)
        };
        let mut problems = Vec::new();
        if !valid_base_url(&self.base_url) || !self.base_url.ends_with('/') {
            problems.push(
                Diagnostic::error(
                    path,
                    at("base_url"),
                    "`base_url` must be an http(s) address ending in `/`",
                )
                .with_hint("for GitHub Pages: base_url = \"https://USER.github.io/REPO/\""),
            );
        }
        if self.languages.is_empty() {
            problems.push(
                Diagnostic::error(path, at("languages"), "`languages` is empty")
                    .with_hint("languages = [\"en\", \"fa\"]"),
            );
        }
        for lang in &self.languages {
            // A language names the folder of its edition (`fa/`): it must be a code.
            if !crate::names::is_language_code(lang) {
                problems.push(
                    Diagnostic::error(
                        path,
                        at("languages"),
                        format!("`{lang}` is not a language code"),
                    )
                    .with_hint("write ISO 639 codes in lower case: languages = [\"en\", \"fa\"]"),
                );
                continue;
            }
            if !self.title.contains_key(lang) {
                problems.push(
                    Diagnostic::error(path, at("title"), format!("`title` has no `{lang}` text"))
                        .with_hint(format!("title = {{ {lang} = \"…\" }}")),
                );
            }
        }
        for lang in self.right_to_left.iter().flatten() {
            if !self.languages.contains(lang) {
                problems.push(
                    Diagnostic::error(path, at("right_to_left"), format!("`{lang}` in `right_to_left` is not one of `languages`"))
                        .with_hint("list the site's languages that are written right to left: right_to_left = [\"fa\"]"),
                );
            }
        }
        if !valid_base_url(&self.forge) || self.forge.ends_with('/') {
            problems.push(
                Diagnostic::error(
                    path,
                    at("forge"),
                    format!("`forge` is `{}`, not an http(s) address", self.forge),
                )
                .with_hint(
                    "the forge's address without a trailing `/`: forge = \"https://github.com\"",
                ),
            );
        }
        let branch_char =
            |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/');
        if self.branch.is_empty()
            || !self.branch.bytes().all(branch_char)
            || self.branch.contains("..")
        {
            problems.push(
                Diagnostic::error(
                    path,
                    at("branch"),
                    format!("`branch` `{}` is not a branch name", self.branch),
                )
                .with_hint("branch = \"main\""),
            );
        }
        if let Some(repository) = &self.repository {
            let part = |s: &str| {
                !s.is_empty()
                    && !s.starts_with('.')
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            };
            if !repository
                .split_once('/')
                .is_some_and(|(o, n)| part(o) && part(n))
            {
                problems.push(
                    Diagnostic::error(path, at("repository"), format!("`repository` is `{repository}`, not `owner/name`"))
                        .with_hint("the GitHub repository as in its address: repository = \"ruzshomar/ruzshomar\""),
                );
            }
        }
        let mut seen = std::collections::HashSet::new();
        for period in &self.periods {
            if !crate::names::is_slug(&period.id) || !seen.insert(&period.id) {
                problems.push(
                    Diagnostic::error(
                        path,
                        at(&period.id),
                        format!("period id `{}` must be a unique slug", period.id),
                    )
                    .with_hint("ids are lower-case words joined by `-`: uprising-2022"),
                );
            }
            if period.end.is_some_and(|end| end < period.start) {
                problems.push(Diagnostic::error(
                    path,
                    at(&period.id),
                    format!("period `{}` ends before it starts", period.id),
                ));
            }
        }
        problems
    }
}

/// Whether `url` can be the site's `base_url`: http(s), ending in `/`, nothing to escape.
pub fn valid_base_url(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://")) && plain_url(url)
}

/// Whether a URL has only characters that need no escaping anywhere it is written: pages,
/// XML, robots.txt (no spaces, quotes, angle brackets or control characters).
fn plain_url(url: &str) -> bool {
    url.bytes().all(|b| {
        b.is_ascii_graphic()
            && !matches!(
                b,
                b'<' | b'>' | b'"' | b'\'' | b'`' | b'\\' | b'{' | b'}' | b'|' | b'^'
            )
    })
}
