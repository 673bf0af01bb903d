//! Atom feeds (RFC 4287) in every language: the site's, which keeps every event of its edition
//! (the newest in `feed.xml`, older ones in archive pages linked from it, RFC 5005), and one per
//! city and province with its latest events. An edition other than the default has the events
//! with text in its language; the default language's feeds have them all.

use super::pages::Place;
use super::{absolute, render_file, render_text, site_title, Edition, File, Renderer, Sink};
use crate::diagnostic::Diagnostic;
use crate::site::EventIdx;
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

pub struct Feeds;

/// Events in a page of the site's feed: enough for a reader to catch up, small enough for a
/// slow connection.
const FEED_LENGTH: usize = 50;

/// Events in a place's feed.
const PLACE_FEED_LENGTH: usize = 20;

impl Renderer for Feeds {
    fn edition(&self, edition: &Edition, _: &mut Sink) -> Result<Vec<File>, Vec<Diagnostic>> {
        let mut specs = site_feeds(edition);
        specs.extend(place_feeds(edition));
        let rendered: Vec<Result<File, Diagnostic>> =
            specs.par_iter().map(|spec| feed(edition, spec)).collect();
        rendered
            .into_iter()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|d| vec![d])
    }
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

impl FeedSpec {
    fn plain(path: String, page_dir: String, title: String, events: Vec<EventIdx>) -> Self {
        FeedSpec {
            path,
            page_dir,
            title,
            events,
            current: None,
            prev_archive: None,
            next_archive: None,
        }
    }
}

/// The site feed and its archives. Archives are counted from the oldest event, so an archive
/// page never changes once it is full.
fn site_feeds(edition: &Edition) -> Vec<FeedSpec> {
    let site = edition.cx.site;
    let title = site_title(site, edition.lang);
    let all: Vec<EventIdx> = (0..site.events.len()).map(EventIdx).collect();
    let (oldest_first, _) = edition.views.in_edition(&all);
    let chunks: Vec<&[EventIdx]> = oldest_first.chunks(FEED_LENGTH).collect();
    if chunks.is_empty() {
        return vec![FeedSpec::plain(
            "feed.xml".into(),
            String::new(),
            title,
            Vec::new(),
        )];
    }
    let archive = |n: usize| format!("feeds/{n}.xml");
    let last = chunks.len();
    let path = |n: usize| {
        if n == last {
            "feed.xml".to_string()
        } else {
            archive(n)
        }
    };
    // After an edit that moved no event, only the archives that show an edited one change.
    let changed = |chunk: &[EventIdx]| match &edition.cx.selection {
        Some(s) if s.same_order => chunk.iter().any(|e| s.events.contains(&site.event(*e).id)),
        _ => true,
    };
    (chunks.iter().enumerate())
        .filter(|(i, chunk)| i + 1 == last || changed(chunk))
        .map(|(i, chunk)| {
            let n = i + 1;
            let is_current = n == last;
            FeedSpec {
                current: (!is_current).then(|| "feed.xml".to_string()),
                prev_archive: (n > 1).then(|| archive(n - 1)),
                next_archive: (!is_current).then(|| path(n + 1)),
                ..FeedSpec::plain(path(n), String::new(), title.clone(), newest_first(chunk))
            }
        })
        .collect()
}

/// One feed per city and province, with its latest events.
fn place_feeds(edition: &Edition) -> Vec<FeedSpec> {
    let (site, views) = (edition.cx.site, &edition.views);
    let cities = (site.by_city.keys()).map(|c| (Place::City(*c), views.city_name(*c)));
    let provinces =
        (site.by_province.keys()).map(|p| (Place::Province(*p), views.province_name(*p)));
    let selected = |place: &Place| (edition.cx.selection.as_ref()).is_none_or(|s| s.place(*place));
    cities
        .chain(provinces)
        .filter(|(place, _)| selected(place))
        .map(|(place, title)| {
            let (events, _) = views.in_edition(place.events(site));
            let mut events = newest_first(&events);
            events.truncate(PLACE_FEED_LENGTH);
            let dir = place.folder(site);
            FeedSpec::plain(format!("{dir}feed.xml"), dir, title, events)
        })
        .collect()
}

/// Events in date order, newest first (site indexes are in date order).
fn newest_first(events: &[EventIdx]) -> Vec<EventIdx> {
    let mut events = events.to_vec();
    events.sort_by(|a, b| b.cmp(a));
    events
}

#[derive(Serialize)]
struct FeedEntry {
    id: String,
    title: String,
    link: String,
    updated: String,
    published: String,
    /// The event in full; empty in an archive page, which names each event and links it (so
    /// that every event of a site of 100,000 stays in the feed at little cost).
    content_html: String,
}

fn feed(edition: &Edition, spec: &FeedSpec) -> Result<File, Diagnostic> {
    let (site, theme, lang, prefix) = (
        edition.cx.site,
        edition.cx.theme,
        edition.lang,
        &edition.prefix,
    );
    let views = &edition.views;
    let path = format!("{prefix}{}", spec.path);
    let archived = spec.current.is_some();
    let entries = (spec.events.iter())
        .map(|i| {
            let e = site.event(*i);
            let content_html = if archived {
                String::new()
            } else {
                let mut entry_cx = Context::new();
                entry_cx.insert_value("event", views.event_value(*i));
                render_text(theme, lang, "feed_entry.html", &entry_cx, &path)?
            };
            let link = absolute(site, &super::event_page(site, *i, lang));
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
    let updated = (entries.iter())
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| "2000-01-01T00:00:00Z".into());
    let url = |p: &Option<String>| p.as_ref().map(|p| absolute(site, &format!("{prefix}{p}")));
    let mut cx = Context::new();
    cx.insert("lang", lang);
    cx.insert("title", &spec.title);
    cx.insert("self_url", &absolute(site, &path));
    cx.insert(
        "page_url",
        &absolute(site, &format!("{prefix}{}", spec.page_dir)),
    );
    cx.insert("current_url", &url(&spec.current));
    cx.insert("prev_archive", &url(&spec.prev_archive));
    cx.insert("next_archive", &url(&spec.next_archive));
    cx.insert("updated", &updated);
    cx.insert("entries", &entries);
    cx.insert("author", &site_title(site, lang));
    render_file(theme, lang, "atom.xml", &cx, path)
}
