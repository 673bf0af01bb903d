//! Data for the map's script, as script files rather than JSON so the map also works opened
//! from disk (where `fetch` is refused). `map/data.js` holds what the first paint needs — one
//! `[day, kind]` pair per event, grouped by place — and `map/places/<id>.js` the events of one
//! place with their sources, loaded when its popup opens.

use super::views::{path, Views};
use super::{Edition, File, Renderer, Sink};
use crate::config::localized;
use crate::diagnostic::Diagnostic;
use crate::site::EventIdx;
use rayon::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;

pub struct MapData;

impl Renderer for MapData {
    fn edition(&self, edition: &Edition, _: &mut Sink) -> Result<Vec<File>, Vec<Diagnostic>> {
        Ok(files(&edition.views, &edition.prefix))
    }
}

/// Where each map mark's events are: city ids, and `province-<id>` for province-level events.
fn places(views: &Views) -> BTreeMap<String, (String, String, Vec<EventIdx>)> {
    let site = views.site;
    let g = &site.data.gazetteer;
    let mut out: BTreeMap<String, (String, String, Vec<EventIdx>)> = BTreeMap::new();
    for (c, events) in &site.by_city {
        out.insert(
            g.city(*c).id.clone(),
            (
                views.city_name(*c),
                path::city(&g.city(*c).id),
                events.clone(),
            ),
        );
    }
    for (p, events) in &site.province_level {
        let province = g.province(*p);
        out.insert(
            format!("province-{}", province.id),
            (
                views.province_name(*p),
                path::province(&province.id),
                events.clone(),
            ),
        );
    }
    out
}

fn script(variable: &str, key: Option<&str>, value: &serde_json::Value) -> Vec<u8> {
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

fn files(views: &Views, prefix: &str) -> Vec<File> {
    let site = views.site;
    let t = views.text;
    let days: Vec<String> = site.days.keys().map(|d| d.to_string()).collect();
    let day_index: BTreeMap<_, _> = site.days.keys().enumerate().map(|(i, d)| (*d, i)).collect();
    let kinds: Vec<&str> = site.data.kinds.ids().collect();
    let kind_index: BTreeMap<&str, usize> =
        kinds.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let places = places(views);
    let mut files = Vec::with_capacity(places.len() + 1);
    let summary: serde_json::Map<String, serde_json::Value> = places
        .iter()
        .map(|(id, (_, _, events))| {
            let pairs: Vec<[usize; 2]> = events
                .iter()
                .map(|i| {
                    [
                        day_index[&site.event(*i).date],
                        kind_index[site.event(*i).kind.as_str()],
                    ]
                })
                .collect();
            (id.clone(), json!(pairs))
        })
        .collect();
    let data = json!({
        "days": days,
        "kinds": kinds.iter().map(|k| json!({"id": k, "label": views.kind_label(k)})).collect::<Vec<_>>(),
        "periods": site.periods().iter().map(|p| json!({"id": p.id, "title": localized(&p.title, &t.lang), "start": p.start.to_string(), "end": p.end.map(|e| e.to_string())})).collect::<Vec<_>>(),
        "places": summary,
        "dates": site.days.keys().map(|d| views.short_date(*d)).collect::<Vec<_>>(),
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
    files.push(File {
        path: format!("{prefix}map/data.js"),
        bytes: script("RUZSHOMAR_MAP", None, &data),
    });
    // One file per place, made in parallel: a large site has hundreds.
    let details: Vec<File> = places
        .par_iter()
        .map(|(id, (name, url, events))| {
            let mut newest = events.clone();
            newest.sort_by(|a, b| b.cmp(a));
            let list: Vec<serde_json::Value> = newest
                .iter()
                .map(|i| {
                    let view = views.event(*i, false);
                    json!({
                        "day": day_index[&site.event(*i).date],
                        "date": view.date_short,
                        "title": view.title,
                        "url": view.url,
                        "kind": kind_index[site.event(*i).kind.as_str()],
                        "sources": view.sources.iter().map(|s| json!({"publisher": s.publisher.label, "affiliation": s.affiliation, "url": s.url, "title": s.title})).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let value = json!({"name": name, "url": url, "events": list});
            File {
                path: format!("{prefix}map/places/{id}.js"),
                bytes: script("RUZSHOMAR_PLACES", Some(id), &value),
            }
        })
        .collect();
    files.extend(details);
    files
}
