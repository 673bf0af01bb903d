//! The HTML pages of every edition, rendered in parallel in batches and compacted as they are
//! made, and the 404 page.

use super::pages::Page;
use super::theme::Theme;
use super::{
    lang_prefix, minify, render_file, site_title, Edition, File, RenderContext, Renderer, Sink,
};
use crate::config::localized;
use crate::diagnostic::Diagnostic;
use crate::site::Site;
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

pub struct Html;

/// Pages rendered at a time before they are handed on: bounds memory on large sites.
const BATCH: usize = 2048;

/// The 404 page is the one HTML page outside the editions.
pub const NOT_FOUND_PAGES: usize = 1;

impl Renderer for Html {
    fn edition(&self, edition: &Edition, sink: &mut Sink) -> Result<Vec<File>, Vec<Diagnostic>> {
        for chunk in edition.pages.chunks(BATCH) {
            sink(render_batch(edition, chunk)?)?;
        }
        Ok(Vec::new())
    }

    fn site(&self, cx: &RenderContext) -> Result<Vec<File>, Vec<Diagnostic>> {
        let page = not_found(cx.site, cx.theme).map_err(|d| vec![d])?;
        Ok(vec![File {
            bytes: minify::minify(&page.path, page.bytes),
            path: page.path,
        }])
    }
}

/// Some pages of one edition in parallel, compacted. Any template error stops the build; each
/// distinct one is reported once.
fn render_batch(edition: &Edition, pages: &[Page]) -> Result<Vec<File>, Vec<Diagnostic>> {
    let results: Vec<Result<File, Diagnostic>> = pages
        .par_iter()
        .map(|page| {
            render_page(edition, page).map(|f| File {
                bytes: minify::minify(&f.path, f.bytes),
                path: f.path,
            })
        })
        .collect();
    let mut batch = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok(f) => batch.push(f),
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        return Ok(batch);
    }
    // One template error repeats on every page that uses it: report each once.
    problems.sort_by(|a, b| a.message.cmp(&b.message));
    problems.dedup_by(|a, b| a.message == b.message && a.file == b.file);
    Err(problems)
}

fn render_page(edition: &Edition, page: &Page) -> Result<File, Diagnostic> {
    let site = edition.cx.site;
    let page_path = page.path(site);
    let (template, page_cx, title) = page.render(&edition.views);
    let mut cx = common(site, edition.cx.theme, edition.lang, &page_path, &title);
    let alternates = alternates(edition, |lang| match edition.cx.has(lang, &page_path) {
        true => (page_path.clone(), true),
        false => (page.fallback(site), false),
    });
    // Only a page that exists in another language has alternates to announce.
    let equivalents = alternates.iter().filter(|a| a.equivalent).count();
    cx.insert("hreflang", &(equivalents > 1));
    cx.insert("alternates", &alternates);
    cx.extend(page_cx);
    let path = format!("{}{page_path}", edition.prefix);
    render_file(edition.cx.theme, edition.lang, template, &cx, path)
}

/// A link to the same page in another language.
#[derive(Serialize)]
struct Alternate {
    lang: String,
    label: String,
    url: String,
    current: bool,
    /// The same page (`<link rel="alternate" hreflang>`); else the closest page there is.
    equivalent: bool,
}

/// The page in every language: `page(lang)` says where, and whether it is the same page.
fn alternates(edition: &Edition, page: impl Fn(&str) -> (String, bool)) -> Vec<Alternate> {
    let (site, theme) = (edition.cx.site, edition.cx.theme);
    let base = base_of(&format!("{}{}", edition.prefix, page(edition.lang).0));
    (site.data.config.languages.iter())
        .map(|l| {
            let (path, equivalent) = page(l);
            Alternate {
                lang: l.clone(),
                label: theme.text(l).t("lang_name"),
                url: format!("{base}{}{path}", lang_prefix(site, l)),
                current: l == edition.lang,
                equivalent,
            }
        })
        .collect()
}

/// "../../" from a file at `path` back to the output root.
fn base_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// The parts of every page's context that do not depend on the page.
fn common(site: &Site, theme: &Theme, lang: &str, page_path: &str, title: &str) -> Context {
    let prefix = lang_prefix(site, lang);
    let full = format!("{prefix}{page_path}");
    let base = base_of(&full);
    let mut cx = Context::new();
    cx.insert("lang", lang);
    cx.insert("dir", theme.text(lang).dir());
    cx.insert("base", &base);
    cx.insert("root", &format!("{base}{prefix}"));
    cx.insert("site_title", &site_title(site, lang));
    cx.insert(
        "site_description",
        &localized(&site.data.config.description, lang),
    );
    cx.insert("page_title", title);
    cx.insert("canonical", &super::absolute(site, &full));
    cx.insert("feed_url", &format!("{base}{prefix}feed.xml"));
    cx.insert("repository", &site.data.config.repository);
    // Absolute: the latest copy on the live site, also from inside an offline copy.
    cx.insert(
        "offline_zip",
        &site
            .offline_zip
            .then(|| format!("{}{}", site.base_url, crate::output::OFFLINE_ZIP)),
    );
    cx
}

fn not_found(site: &Site, theme: &Theme) -> Result<File, Diagnostic> {
    let lang = site.data.config.default_language();
    // GitHub Pages serves /404.html for any missing path, at any depth: links must start at the
    // server's root. Only the path of base_url is used: the page is served by whatever host
    // serves the site, and the Content-Security-Policy allows styles from that host alone.
    let root = site_path(&site.base_url);
    let title = theme.text(lang).t("not_found_title");
    let mut cx = common(site, theme, lang, "404.html", &title);
    cx.insert("base", &root);
    cx.insert("root", &root);
    cx.insert("feed_url", &format!("{root}feed.xml"));
    let alternates: Vec<Alternate> = (site.data.config.languages.iter())
        .map(|l| Alternate {
            lang: l.clone(),
            label: theme.text(l).t("lang_name"),
            url: format!("{root}{}index.html", lang_prefix(site, l)),
            current: l == lang,
            equivalent: true,
        })
        .collect();
    cx.insert("alternates", &alternates);
    cx.insert("hreflang", &false);
    render_file(theme, lang, "404.html", &cx, "404.html".into())
}

/// The path part of an address: `https://user.github.io/repo/` → `/repo/`.
fn site_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}
