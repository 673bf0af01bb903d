//! Stage 4, render: Site + theme → the list of files of the site, each `(path, bytes)`. Pure and
//! parallel; the list is sorted by path so the output never depends on scheduling.

pub mod data;
pub mod map;
pub mod map_data;
pub mod minify;
pub mod pages;
pub mod text;
pub mod theme;
pub mod views;
pub mod visual;

use crate::diagnostic::{Diagnostic, Location};
pub use crate::output::File;
use crate::site::{EventIdx, Site};
use pages::{localized, Job};
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;
use theme::Theme;
use views::{path, Views};

/// Events in a feed: enough for a reader to catch up, small enough for a slow connection.
const FEED_LENGTH: usize = 50;

/// The prefix of a language's pages: "" for the default language, "fa/" for Persian.
pub fn lang_prefix(site: &Site, lang: &str) -> String {
    if lang == site.data.config.default_language() {
        String::new()
    } else {
        format!("{lang}/")
    }
}

/// "../../" from a file at `path` back to the output root.
fn base_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// The pretty absolute URL of a page: `https://…/events/x/`.
fn absolute(site: &Site, path: &str) -> String {
    format!("{}{}", site.base_url, path.trim_end_matches("index.html"))
}

#[derive(Serialize)]
struct Alternate {
    lang: String,
    label: String,
    url: String,
    current: bool,
}

/// Pages rendered at a time before they are handed on: bounds memory on large sites.
const BATCH: usize = 2048;

/// Renders every file of the site, handing them to `sink` in batches (already minified).
/// Returns the number of HTML pages.
pub fn render(
    site: &Site,
    theme: &Theme,
    sink: &mut dyn FnMut(Vec<File>) -> Result<(), Vec<Diagnostic>>,
) -> Result<usize, Vec<Diagnostic>> {
    let jobs = pages::jobs(site);
    let maps = map::Maps::new(&site.data.gazetteer);
    // The data exports need nothing rendered: they are made beside the pages, on their own thread.
    let (html_paths, mut files) = std::thread::scope(|scope| {
        let exports = scope.spawn(|| exports(site));
        let pages = render_languages(site, theme, &maps, &jobs, sink);
        let exports = exports.join().expect("the exports thread does not panic");
        pages.map(|(paths, mut files)| {
            files.extend(exports);
            (paths, files)
        })
    })?;
    let not_found = not_found(site, theme)?;
    files.push(File {
        bytes: minify::minify(&not_found.path, not_found.bytes),
        path: not_found.path,
    });
    files.push(locator_image(theme, &maps)?);
    files.push(sitemap(site, &html_paths));
    files.push(File {
        path: "robots.txt".into(),
        bytes: format!(
            "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
            site.base_url
        )
        .into_bytes(),
    });
    files.push(File {
        path: ".nojekyll".into(),
        bytes: Vec::new(),
    });
    files.push(File {
        path: "kinds.css".into(),
        bytes: kinds_css(site).into_bytes(),
    });
    for (path, bytes) in &theme.static_files {
        files.push(File {
            path: path.clone(),
            bytes: bytes.clone(),
        });
    }
    sink(files)?;
    Ok(html_paths.len() + 1)
}

/// Every page of every language, handed to `sink` in batches; returns the pages' paths (sorted)
/// and the other files made per language (feeds, map data), which are kept for the end.
fn render_languages(
    site: &Site,
    theme: &Theme,
    maps: &map::Maps,
    jobs: &[Job],
    sink: &mut dyn FnMut(Vec<File>) -> Result<(), Vec<Diagnostic>>,
) -> Result<(Vec<String>, Vec<File>), Vec<Diagnostic>> {
    let mut html_paths = Vec::with_capacity(jobs.len() * site.data.config.languages.len());
    let mut files = Vec::new();
    // One language at a time: its prepared event views are dropped before the next is made.
    for lang in &site.data.config.languages {
        let views = Views::new(site, theme.text(lang), maps);
        let prepared = views.prepare();
        let views = Views {
            prepared: &prepared,
            ..views
        };
        for chunk in jobs.chunks(BATCH) {
            let batch = render_batch(site, theme, &views, lang, chunk)?;
            html_paths.extend(batch.iter().map(|f| f.path.clone()));
            sink(batch)?;
        }
        let (feeds, map_data) = rayon::join(
            || feeds(site, theme, &views, lang),
            || map_data::files(&views, &lang_prefix(site, lang)),
        );
        files.extend(feeds?);
        files.extend(map_data);
    }
    html_paths.sort();
    Ok((html_paths, files))
}

/// The site's data for researchers: every event as JSON, CSV and GeoJSON.
fn exports(site: &Site) -> Vec<File> {
    vec![
        File {
            path: "events.json".into(),
            bytes: data::events_json(site),
        },
        File {
            path: "events.csv".into(),
            bytes: data::events_csv(site),
        },
        File {
            path: "events.geojson".into(),
            bytes: data::events_geojson(site),
        },
    ]
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

/// The parts of every page's context that do not depend on the page.
fn common(site: &Site, theme: &Theme, lang: &str, page_path: &str, title: &str) -> Context {
    let text = theme.text(lang);
    let prefix = lang_prefix(site, lang);
    let full = format!("{prefix}{page_path}");
    let base = base_of(&full);
    let mut cx = Context::new();
    cx.insert("lang", lang);
    cx.insert("dir", text.dir());
    cx.insert("base", &base);
    cx.insert("root", &format!("{base}{prefix}"));
    cx.insert("site_title", &localized(&site.data.config.title, lang));
    cx.insert(
        "site_description",
        &localized(&site.data.config.description, lang),
    );
    cx.insert("page_title", title);
    cx.insert("canonical", &absolute(site, &full));
    cx.insert("feed_url", &format!("{base}{prefix}feed.xml"));
    let alternates: Vec<Alternate> = site
        .data
        .config
        .languages
        .iter()
        .map(|l| Alternate {
            lang: l.clone(),
            label: theme.text(l).t("lang_name"),
            url: format!("{base}{}{page_path}", lang_prefix(site, l)),
            current: l == lang,
        })
        .collect();
    cx.insert("alternates", &alternates);
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

/// Renders `template` with the engine of the language `path` is in (its UI strings are the
/// engine's global `t`, so no page copies them into its own context).
fn render_template(
    theme: &Theme,
    lang: &str,
    template: &str,
    cx: &Context,
    path: &str,
) -> Result<Vec<u8>, Diagnostic> {
    render_text(theme, lang, template, cx, path).map(String::into_bytes)
}

/// [`render_template`], as text (a fragment to embed in another file).
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

/// Renders some pages of one language in parallel, already minified. Any template error stops
/// the build; each distinct one is reported once.
fn render_batch(
    site: &Site,
    theme: &Theme,
    views: &Views,
    lang: &str,
    jobs: &[Job],
) -> Result<Vec<File>, Vec<Diagnostic>> {
    let results: Vec<Result<File, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            render_page(site, theme, views, lang, job).map(|f| File {
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

fn render_page(
    site: &Site,
    theme: &Theme,
    views: &Views,
    lang: &str,
    job: &Job,
) -> Result<File, Diagnostic> {
    let (page_path, template, page_cx, title) = pages::page(views, job);
    let mut cx = common(site, theme, lang, &page_path, &title);
    cx.extend(page_cx);
    let path = format!("{}{page_path}", lang_prefix(site, lang));
    let bytes = render_template(theme, lang, template, &cx, &path)?;
    Ok(File { path, bytes })
}

/// The country outline behind every locator map, drawn once and cached by browsers.
fn locator_image(theme: &Theme, maps: &map::Maps) -> Result<File, Vec<Diagnostic>> {
    let mut cx = Context::new();
    cx.insert("width", &maps.small.width);
    cx.insert("height", &maps.small.height);
    cx.insert(
        "paths",
        &maps
            .small_paths
            .iter()
            .map(|(_, d)| d.as_str())
            .collect::<Vec<_>>(),
    );
    let path = LOCATOR_IMAGE.to_string();
    render_template(theme, "", "locator.svg", &cx, &path)
        .map(|bytes| File { path, bytes })
        .map_err(|d| vec![d])
}

/// Where the locator maps' country outline is, from the output root.
pub const LOCATOR_IMAGE: &str = "locator/iran.svg";

fn not_found(site: &Site, theme: &Theme) -> Result<File, Vec<Diagnostic>> {
    let lang = site.data.config.default_language();
    // GitHub Pages serves /404.html for any missing path, at any depth: links must start at the
    // server's root. Only the path of base_url is used: the page is served by whatever host
    // serves the site, and the Content-Security-Policy allows styles from that host alone.
    let root = site_path(&site.base_url);
    let mut cx = common(
        site,
        theme,
        lang,
        "404.html",
        &theme.text(lang).t("not_found_title"),
    );
    cx.insert("base", &root);
    cx.insert("root", &root);
    cx.insert("feed_url", &format!("{root}feed.xml"));
    let alternates: Vec<Alternate> = site
        .data
        .config
        .languages
        .iter()
        .map(|l| Alternate {
            lang: l.clone(),
            label: theme.text(l).t("lang_name"),
            url: format!("{root}{}index.html", lang_prefix(site, l)),
            current: l == lang,
        })
        .collect();
    cx.insert("alternates", &alternates);
    let bytes = render_template(theme, lang, "404.html", &cx, "404.html").map_err(|d| vec![d])?;
    Ok(File {
        path: "404.html".into(),
        bytes,
    })
}

#[derive(Serialize)]
struct FeedEntry {
    id: String,
    title: String,
    link: String,
    updated: String,
    published: String,
    content_html: String,
}

/// A feed file to write: where, its title, its events (newest first) and archive links.
struct FeedSpec {
    path: String,
    page_dir: String,
    title: String,
    events: Vec<EventIdx>,
    /// RFC 5005 archived-feed links, relative to the language root.
    current: Option<String>,
    prev_archive: Option<String>,
    next_archive: Option<String>,
}

/// The site feed and one per city and province, in one language. The site feed keeps every
/// event: the newest in `feed.xml`, older ones in archive pages (RFC 5005) linked from it.
fn feeds(
    site: &Site,
    theme: &Theme,
    views: &Views,
    lang: &str,
) -> Result<Vec<File>, Vec<Diagnostic>> {
    let prefix = lang_prefix(site, lang);
    let g = &site.data.gazetteer;
    let newest_first = |events: &[EventIdx]| -> Vec<EventIdx> {
        let mut v = events.to_vec();
        v.sort_by(|a, b| {
            (site.events[*b].date, &site.events[*b].id)
                .cmp(&(site.events[*a].date, &site.events[*a].id))
        });
        v
    };
    let site_title = localized(&site.data.config.title, lang);
    let mut specs = Vec::new();
    // Archives are counted from the oldest, so an archive page never changes once full.
    let oldest_first: Vec<EventIdx> = (0..site.events.len()).collect();
    let chunks: Vec<&[EventIdx]> = oldest_first.chunks(FEED_LENGTH).collect();
    let archive = |n: usize| format!("feeds/{n}.xml");
    let last = chunks.len().max(1);
    for (i, chunk) in chunks.iter().enumerate() {
        let n = i + 1;
        let is_current = n == last;
        specs.push(FeedSpec {
            path: if is_current {
                "feed.xml".into()
            } else {
                archive(n)
            },
            page_dir: String::new(),
            title: site_title.clone(),
            events: newest_first(chunk),
            current: (!is_current).then(|| "feed.xml".to_string()),
            prev_archive: (n > 1).then(|| archive(n - 1)),
            next_archive: (!is_current).then(|| {
                if n + 1 == last {
                    "feed.xml".to_string()
                } else {
                    archive(n + 1)
                }
            }),
        });
    }
    if chunks.is_empty() {
        specs.push(FeedSpec {
            path: "feed.xml".into(),
            page_dir: String::new(),
            title: site_title,
            events: Vec::new(),
            current: None,
            prev_archive: None,
            next_archive: None,
        });
    }
    let place_feed = |dir: String, title: String, events: &[EventIdx]| {
        let mut events = newest_first(events);
        events.truncate(FEED_LENGTH);
        FeedSpec {
            path: format!("{dir}feed.xml"),
            page_dir: dir,
            title,
            events,
            current: None,
            prev_archive: None,
            next_archive: None,
        }
    };
    for (c, events) in &site.by_city {
        specs.push(place_feed(
            path::city(&g.city(*c).id)
                .trim_end_matches("index.html")
                .to_string(),
            views.city_name(*c),
            events,
        ));
    }
    for (p, events) in &site.by_province {
        specs.push(place_feed(
            path::province(&g.province(*p).id)
                .trim_end_matches("index.html")
                .to_string(),
            views.province_name(*p),
            events,
        ));
    }
    let rendered: Vec<Result<File, Diagnostic>> = specs
        .par_iter()
        .map(|spec| {
            let path = format!("{prefix}{}", spec.path);
            let entries = spec
                .events
                .iter()
                .map(|i| {
                    let e = &site.events[*i];
                    let mut entry_cx = Context::new();
                    entry_cx.insert_value("event", views.event_value(*i));
                    let content_html =
                        render_text(theme, lang, "feed_entry.html", &entry_cx, &path)?;
                    let link = absolute(site, &format!("{prefix}{}", path::event(&e.id)));
                    Ok(FeedEntry {
                        id: link.clone(),
                        title: views.title(*i),
                        link,
                        updated: format!("{}T00:00:00Z", e.updated.unwrap_or(e.date)),
                        published: format!("{}T00:00:00Z", e.date),
                        content_html,
                    })
                })
                .collect::<Result<Vec<FeedEntry>, Diagnostic>>()?;
            let updated = entries
                .iter()
                .map(|e| e.updated.clone())
                .max()
                .unwrap_or_else(|| "2000-01-01T00:00:00Z".into());
            let url =
                |p: &Option<String>| p.as_ref().map(|p| absolute(site, &format!("{prefix}{p}")));
            let mut cx = Context::new();
            cx.insert("lang", lang);
            cx.insert("title", &spec.title);
            cx.insert(
                "self_url",
                &absolute(site, &format!("{prefix}{}", spec.path)),
            );
            cx.insert(
                "page_url",
                &absolute(site, &format!("{prefix}{}", spec.page_dir)),
            );
            cx.insert("current_url", &url(&spec.current));
            cx.insert("prev_archive", &url(&spec.prev_archive));
            cx.insert("next_archive", &url(&spec.next_archive));
            cx.insert("updated", &updated);
            cx.insert("entries", &entries);
            cx.insert("author", &localized(&site.data.config.title, lang));
            render_template(theme, lang, "atom.xml", &cx, &path).map(|bytes| File { path, bytes })
        })
        .collect();
    rendered
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|d| vec![d])
}

fn sitemap(site: &Site, html_paths: &[String]) -> File {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for path in html_paths {
        xml.push_str(&format!(
            "<url><loc>{}</loc></url>\n",
            xml_escape(&absolute(site, path))
        ));
    }
    xml.push_str("</urlset>\n");
    File {
        path: "sitemap.xml".into(),
        bytes: xml.into_bytes(),
    }
}

/// The path part of an address: `https://user.github.io/repo/` → `/repo/`.
fn site_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
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

/// Each kind's colour as a CSS class: data-driven colours without inline styles (which the
/// Content-Security-Policy forbids).
fn kinds_css(site: &Site) -> String {
    site.data
        .kinds
        .items
        .iter()
        .map(|k| format!(".kind-{}{{--kind:{}}}\n", k.id, k.color))
        .collect()
}

/// Problems rendering can find in the theme without a site (used by `check`).
pub fn check_theme(root: &std::path::Path, languages: &[String]) -> Vec<Diagnostic> {
    match Theme::load(root, languages) {
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
