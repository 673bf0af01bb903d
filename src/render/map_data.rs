//! Data for the map's script, as script files rather than JSON so the map also works opened
//! from disk (where `fetch` is refused). Each edition's `map/data.js` holds what the first
//! paint needs, in its language — one `[day, kind]` pair per event, grouped by place — and
//! `map/places/<id>.js`, one file for every edition, the events of one place with their
//! titles in each language and their sources, loaded when its popup opens.

use super::pages::Place;
use super::views::{path, Views};
use super::{lang_prefix, Edition, File, RenderContext, Renderer, Sink};
use crate::config::localized;
use crate::diagnostic::Diagnostic;
use crate::site::{EventIdx, Site};
use rayon::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;

pub struct MapData;

impl Renderer for MapData {
    fn edition(&self, edition: &Edition, _: &mut Sink) -> Result<Vec<File>, Vec<Diagnostic>> {
        Ok(vec![summary(&edition.views, &edition.prefix)])
    }

    fn site(&self, cx: &RenderContext) -> Result<Vec<File>, Vec<Diagnostic>> {
        Ok(place_files(cx))
    }
}

/// A map mark's place, with its page and its events.
type Mark<'a> = (Place, String, &'a [EventIdx]);

/// Where each map mark's events are, by mark id: city ids, and `province-<id>` for the events
/// placed only by province; with the place's page.
fn places(site: &Site) -> BTreeMap<String, Mark<'_>> {
    let g = &site.data.gazetteer;
    let mut out = BTreeMap::new();
    for (c, events) in &site.by_city {
        let id = &g.city(*c).id;
        out.insert(
            id.clone(),
            (Place::City(*c), path::city(id), events.as_slice()),
        );
    }
    for (p, events) in &site.province_level {
        let id = &g.province(*p).id;
        let mark = (Place::Province(*p), path::province(id), events.as_slice());
        out.insert(format!("province-{id}"), mark);
    }
    out
}

pub(super) fn script(variable: &str, key: Option<&str>, value: &impl serde::Serialize) -> Vec<u8> {
    let json = serde_json::to_string(value).expect("JSON");
    match key {
        None => format!("window.{variable}={json};\n"),
        Some(k) => format!(
            "(window.{variable}=window.{variable}||{{}})[{}]={json};\n",
            serde_json::to_string(k).expect("JSON")
        ),
    }
    .into_bytes()
}

/// Each day with events, by its place in the list of days (the map's days are its indexes).
fn day_index(site: &Site) -> BTreeMap<chrono::NaiveDate, usize> {
    site.days.keys().enumerate().map(|(i, d)| (*d, i)).collect()
}

/// An edition's `map/data.js`: days, kinds, periods, places and the UI text, in its language.
fn summary(views: &Views, prefix: &str) -> File {
    let site = views.site;
    let t = views.text;
    let days: Vec<String> = site.days.keys().map(|d| d.to_string()).collect();
    let day_index = day_index(site);
    let kinds: Vec<&str> = site.data.kinds.ids().collect();
    let places: serde_json::Map<String, serde_json::Value> = (places(site).into_iter())
        .map(|(id, (_, _, events))| {
            let pairs: Vec<[usize; 2]> = (events.iter())
                .map(|i| [day_index[&site.event(*i).date], site.kind_of[i.0]])
                .collect();
            (id, json!(pairs))
        })
        .collect();
    let data = json!({
        // From this edition's root to the site's: the places' files are shared.
        "base": "../".repeat(prefix.matches('/').count()),
        // Titles and pages in this language exist for the events that have text in it.
        "lang": t.lang,
        "default": lang_prefix(site, &t.lang).is_empty(),
        "default_lang": site.data.config.default_language(),
        "days": days,
        "kinds": kinds.iter().map(|k| json!({"id": k, "label": views.kind_label(k)})).collect::<Vec<_>>(),
        "periods": site.periods().iter().map(|p| json!({"id": p.id, "title": localized(&p.title, &t.lang), "start": p.start.to_string(), "end": p.end.map(|e| e.to_string())})).collect::<Vec<_>>(),
        "places": places,
        "dates": site.days.keys().map(|d| views.short_date(*d)).collect::<Vec<_>>(),
        // Sources in the places' files name their publisher by its place in this list.
        "publishers": site.data.publishers.items.iter().map(|p| json!([views.publisher_name(&p.id), t.affiliation(p.affiliation)])).collect::<Vec<_>>(),
        "t": {
            "sources": t.t("sources"),
            "open_place": t.t("map_open_place"),
            "close": t.t("map_close"),
            "events_one": t.t("events_one"),
            "events_many": t.t("events_many"),
            "loading": t.t("map_loading"),
            "shown": t.t("map_shown"),
            "digits": if t.is_persian() { "fa" } else { "latn" },
        },
    });
    File {
        path: format!("{prefix}map/data.js"),
        bytes: script("RUZSHOMAR_MAP", None, &data),
    }
}

/// `map/places/<id>.js`: a place's events, newest first, compact (a busy place has thousands):
/// day, kind, id, title in the default language and, where it has one, in each other
/// language, and sources as `[publisher, url]`.
fn place_files(cx: &RenderContext) -> Vec<File> {
    let site = cx.site;
    let day_index = day_index(site);
    let others: Vec<&String> = site.data.config.languages.iter().skip(1).collect();
    // Events are numbered by day: when the days change, every place's file does.
    let selected =
        |place: &Place| (cx.selection.as_ref()).is_none_or(|s| !s.same_days || s.place(*place));
    let places: Vec<(String, Mark)> = (places(site).into_iter())
        .filter(|(_, (place, _, _))| selected(place))
        .collect();
    places
        .par_iter()
        .map(|(id, (_, url, events))| {
            let list: Vec<serde_json::Value> = (events.iter().rev())
                .map(|i| {
                    let e = site.event(*i);
                    let sources: Vec<serde_json::Value> = (e.sources.iter())
                        .map(|s| json!([site.data.publishers.position(&s.publisher), s.url]))
                        .collect();
                    let titles: serde_json::Map<String, serde_json::Value> = (others.iter())
                        .filter_map(|lang| {
                            let title = e.translations.get(*lang)?.title.as_ref()?;
                            site.has_page(*i, lang)
                                .then(|| (lang.to_string(), json!(title)))
                        })
                        .collect();
                    json!({
                        "day": day_index[&e.date],
                        "kind": site.kind_of[i.0],
                        "id": e.id,
                        "title": e.title,
                        "titles": titles,
                        "s": sources,
                    })
                })
                .collect();
            let value = json!({"url": url, "events": list});
            File {
                path: format!("map/places/{id}.js"),
                bytes: script("RUZSHOMAR_PLACES", Some(id), &value),
            }
        })
        .collect()
}
