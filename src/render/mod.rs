//! Stage 4, render: Site + theme → the files of the site. Each kind of output is a
//! [`Renderer`] over the same [`Site`], in the manner of mdBook's renderers: the HTML pages
//! ([`html`]), the Atom feeds ([`feeds`]), the map's data ([`map_data`]), the data exports
//! ([`exports`]), the theme's assets ([`assets`]) and the files for crawlers and hosts
//! ([`crawl`]). Pure and parallel: the same site always gives the same files.

pub mod assets;
pub mod crawl;
pub mod exports;
pub mod feeds;
pub mod html;
pub mod map;
pub mod map_data;
pub mod minify;
pub mod pages;
pub mod text;
pub mod theme;
pub mod views;
pub mod visual;

use crate::config::localized;
use crate::diagnostic::{Diagnostic, Location};
pub use crate::output::File;
use crate::site::Site;
use pages::Page;
use tera::Context;
use theme::Theme;
use views::Views;

/// What every renderer is given: the site, the theme, and what is worked out once for all.
pub struct RenderContext<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    /// Province shapes, projected once per build.
    pub maps: map::Maps,
    /// The pages of each edition, by language (an edition has a page for the events that
    /// have text in its language).
    pub pages: std::collections::BTreeMap<String, Vec<Page>>,
    /// The paths of those pages, by language: what a link to another edition can point at.
    paths: std::collections::BTreeMap<String, std::collections::HashSet<String>>,
}

/// One language edition being rendered: its UI text and every event's view in it, prepared
/// once and shared by its pages, feeds and map data.
pub struct Edition<'a> {
    pub cx: &'a RenderContext<'a>,
    pub lang: &'a str,
    /// "" for the default language, "fa/" for Persian: where the edition's files go.
    pub prefix: String,
    pub views: Views<'a>,
    /// The edition's pages.
    pub pages: &'a [Page],
}

/// Hands files on as they are made (to be written, and added to the offline ZIP).
pub type Sink<'s> = dyn FnMut(Vec<File>) -> Result<(), Vec<Diagnostic>> + 's;

/// One kind of output of the site.
pub trait Renderer: Sync {
    /// Files of one language edition. Outputs with many files hand them to `sink` in batches
    /// as they are made; the others return theirs.
    fn edition(&self, _edition: &Edition, _sink: &mut Sink) -> Result<Vec<File>, Vec<Diagnostic>> {
        Ok(Vec::new())
    }

    /// Files made once for the whole site, in any language or none.
    fn site(&self, _cx: &RenderContext) -> Result<Vec<File>, Vec<Diagnostic>> {
        Ok(Vec::new())
    }
}

/// Every output of the site, in the order their files are handed on.
const RENDERERS: [&dyn Renderer; 6] = [
    &html::Html,
    &feeds::Feeds,
    &map_data::MapData,
    &exports::Exports,
    &assets::Assets,
    &crawl::Crawl,
];

impl<'a> RenderContext<'a> {
    pub fn new(site: &'a Site, theme: &'a Theme) -> Self {
        let pages: std::collections::BTreeMap<String, Vec<Page>> = (site.data.config.languages)
            .iter()
            .map(|lang| (lang.clone(), pages::all(site, lang)))
            .collect();
        let paths = (pages.iter())
            .map(|(lang, pages)| (lang.clone(), pages.iter().map(|p| p.path(site)).collect()))
            .collect();
        RenderContext {
            site,
            theme,
            maps: map::Maps::new(&site.data.gazetteer),
            pages,
            paths,
        }
    }

    /// The pages of the edition in `lang`.
    pub fn pages_of(&self, lang: &str) -> &[Page] {
        self.pages.get(lang).map_or(&[], Vec::as_slice)
    }

    /// Whether the edition in `lang` has a page at `path` (from its root).
    pub fn has(&self, lang: &str, path: &str) -> bool {
        self.paths
            .get(lang)
            .is_some_and(|paths| paths.contains(path))
    }

    /// The site's languages, the default first.
    pub fn languages(&self) -> &'a [String] {
        &self.site.data.config.languages
    }

    /// Every HTML page of every edition that has content of its own (not the redirects of old
    /// ids), by path from the output root, sorted.
    pub fn page_paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = (self.languages().iter())
            .flat_map(|lang| {
                let prefix = lang_prefix(self.site, lang);
                (self.pages_of(lang).iter())
                    .filter(|page| !page.is_redirect())
                    .map(move |page| format!("{prefix}{}", page.path(self.site)))
            })
            .collect();
        paths.sort();
        paths
    }
}

impl<'a> Edition<'a> {
    fn new(cx: &'a RenderContext<'a>, lang: &'a str, prepared: &'a [tera::Value]) -> Self {
        Edition {
            cx,
            lang,
            prefix: lang_prefix(cx.site, lang),
            views: Views {
                prepared,
                ..Views::new(cx.site, cx.theme.text(lang), &cx.maps)
            },
            pages: cx.pages_of(lang),
        }
    }
}

/// Renders every file of the site, handing them to `sink` in batches (already compacted).
/// Returns the number of HTML pages.
pub fn render(site: &Site, theme: &Theme, sink: &mut Sink) -> Result<usize, Vec<Diagnostic>> {
    let cx = RenderContext::new(site, theme);
    // The site-wide outputs need nothing from the editions: they are made beside them.
    let (editions, site_wide) = std::thread::scope(|scope| {
        let site_wide = scope.spawn(|| {
            RENDERERS
                .iter()
                .map(|r| r.site(&cx))
                .collect::<Result<Vec<_>, _>>()
        });
        let editions = render_editions(&cx, sink);
        let site_wide = site_wide
            .join()
            .expect("the site-wide renderers do not panic");
        (editions, site_wide)
    });
    editions?;
    sink(site_wide?.into_iter().flatten().collect())?;
    Ok(cx.pages.values().map(Vec::len).sum::<usize>() + html::NOT_FOUND_PAGES)
}

/// Every edition, one language at a time: its prepared event lines are dropped before the
/// next is made. Every file goes to `sink` as soon as it is made, so that memory holds a batch
/// of files, not a site.
fn render_editions(cx: &RenderContext, sink: &mut Sink) -> Result<(), Vec<Diagnostic>> {
    for lang in cx.languages() {
        let prepared = Views::new(cx.site, cx.theme.text(lang), &cx.maps).prepare();
        let edition = Edition::new(cx, lang, &prepared);
        for renderer in RENDERERS {
            let files = renderer.edition(&edition, sink)?;
            if !files.is_empty() {
                sink(files)?;
            }
        }
    }
    Ok(())
}

/// Every file of the site in memory, sorted by path (for tests and measurements).
pub fn render_all(site: &Site, theme: &Theme) -> Result<Vec<File>, Vec<Diagnostic>> {
    let mut all = Vec::new();
    render(site, theme, &mut |batch| {
        all.extend(batch);
        Ok(())
    })?;
    all.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(all)
}

/// The prefix of a language's pages: "" for the default language, "fa/" for Persian.
pub fn lang_prefix(site: &Site, lang: &str) -> String {
    if lang == site.data.config.default_language() {
        String::new()
    } else {
        format!("{lang}/")
    }
}

/// Where the page of an event is for a reader of `lang`, from the output root: in the edition
/// of `lang` when it has one, else in the default language's.
pub fn event_page(site: &Site, idx: crate::site::EventIdx, lang: &str) -> String {
    let edition = match site.has_page(idx, lang) {
        true => lang,
        false => site.data.config.default_language(),
    };
    format!(
        "{}{}",
        lang_prefix(site, edition),
        views::path::event(&site.event(idx).id)
    )
}

/// The pretty absolute URL of a page: `https://…/events/x/`.
fn absolute(site: &Site, path: &str) -> String {
    format!("{}{}", site.base_url, path.trim_end_matches("index.html"))
}

/// Renders `template` with the engine of `lang` (its UI strings are the engine's global `t`,
/// so no page copies them into its own context); errors name `path`, the file being made.
fn render_text(
    theme: &Theme,
    lang: &str,
    template: &str,
    cx: &Context,
    path: &str,
) -> Result<String, Diagnostic> {
    theme.engine(lang).render(template, cx).map_err(|e| {
        let mut d = theme::template_error(Some(template), &e);
        d.message = format!("{} (rendering {path})", d.message);
        d
    })
}

/// [`render_text`], as a file.
fn render_file(
    theme: &Theme,
    lang: &str,
    template: &str,
    cx: &Context,
    path: String,
) -> Result<File, Diagnostic> {
    let bytes = render_text(theme, lang, template, cx, &path)?.into_bytes();
    Ok(File { path, bytes })
}

/// Text safe inside an XML element or attribute.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Problems rendering can find in the theme without a site (used by `check`).
pub fn check_theme(root: &std::path::Path, config: &crate::config::SiteConfig) -> Vec<Diagnostic> {
    let languages = &config.languages;
    match Theme::load(root, config) {
        Ok(theme) => {
            let mut problems = Vec::new();
            let reference = theme.text(&languages[0]);
            for lang in languages.iter().skip(1) {
                let own = crate::read::files::read_to_string(
                    root,
                    &std::path::Path::new(theme::DEFAULT)
                        .join("i18n")
                        .join(format!("{lang}.toml")),
                )
                .unwrap_or_default();
                for key in reference.strings.keys() {
                    if !own.lines().any(|l| {
                        l.trim_start().starts_with(&format!("{key} "))
                            || l.trim_start().starts_with(&format!("{key}="))
                    }) {
                        problems.push(
                            Diagnostic::warning(
                                std::path::Path::new(theme::DEFAULT)
                                    .join("i18n")
                                    .join(format!("{lang}.toml")),
                                Location::START,
                                format!("UI string `{key}` is not translated"),
                            )
                            .with_hint(format!(
                                "copy it from {}.toml and translate it",
                                languages[0]
                            )),
                        );
                    }
                }
            }
            problems
        }
        Err(problems) => problems,
    }
}

/// The site's title in `lang`.
fn site_title(site: &Site, lang: &str) -> String {
    localized(&site.data.config.title, lang)
}
