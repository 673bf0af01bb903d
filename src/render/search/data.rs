//! What the search page shows and filters by, besides the index: one record per event for the
//! list of results, and the facets (the events of each city, province, kind, tag and
//! publisher, the single-source events, and how many events each day has).

use super::code;
use crate::gazetteer::ProvinceIdx;
use crate::render::views::Views;
use crate::site::EventIdx;
use chrono::Datelike;
use rayon::prelude::*;
use serde_json::value::RawValue;
use serde_json::{json, Value};

/// An event as a result: `[url, title, translated, ISO date, dates in both calendars,
/// [[place, url]…], finer place, kind (its position in data/kinds.yaml), single source]`.
/// URLs are relative to the edition's root.
pub fn records(views: &Views) -> Vec<Box<RawValue>> {
    let site = views.site;
    let lang = &views.text.lang;
    let default = site.data.config.default_language() == lang.as_str();
    (0..site.events.len())
        .into_par_iter()
        .map(|i| {
            // What `Views::event` shows, without the parts a record leaves out.
            let e = site.event(EventIdx(i));
            let translation = e.translations.get(lang);
            let title = translation.and_then(|tr| tr.title.as_ref());
            let place = translation
                .and_then(|tr| tr.place.as_ref())
                .or(e.place.as_ref());
            let places = views.places(e);
            let record = (
                views.event_url(EventIdx(i)),
                title.unwrap_or(&e.title),
                u8::from(default || title.is_some()),
                e.date.format("%Y-%m-%d").to_string(),
                views.text.span(e.date, e.end, e.date_precision),
                (places.iter())
                    .map(|p| [p.label.as_str(), p.url.as_str()])
                    .collect::<Vec<_>>(),
                place.map_or("", String::as_str),
                site.kind_of[i],
                u8::from(e.publishers().len() == 1),
            );
            // Written out now: a record is read by nothing but the reader's browser.
            serde_json::value::to_raw_value(&record).expect("JSON")
        })
        .collect()
}

fn ids(events: &[EventIdx]) -> String {
    let ids: Vec<u32> = events.iter().map(|i| i.0 as u32).collect();
    code::ids(&ids)
}

/// The facets: for each filter, its values as `[id, label, events]`, the events written by
/// [`code::ids`]:
///
/// - `city`: `[id, label, events, position of its province in province]`;
/// - `province`: `[id, label, events placed by the province alone]`: an event is also in the
///   provinces of its cities (as on the province pages), which the reader's browser works out
///   from `city` rather than download them twice;
/// - `kind`, `tag`, `publisher` (of the sources and the figures, as on the publisher pages);
/// - `single`: the single-source events;
/// - `days`: the days with events and how many each has (the first day as days since 1
///   January of year 1, its count, then for each next day the days skipped since the one
///   before and its count), which turns dates into ranges of events.
pub fn facets(views: &Views) -> Value {
    let site = views.site;
    let g = &site.data.gazetteer;
    let provinces: Vec<ProvinceIdx> = site.by_province.keys().copied().collect();
    let province_at = |p: ProvinceIdx| provinces.binary_search(&p).unwrap_or(0);
    let city: Vec<Value> = (site.by_city.iter())
        .map(|(c, e)| {
            let at = province_at(g.province_of(*c));
            json!([g.city(*c).id, views.city_name(*c), ids(e), at])
        })
        .collect();
    let none = Vec::new();
    let province: Vec<Value> = (provinces.iter())
        .map(|p| {
            let alone = site.province_level.get(p).unwrap_or(&none);
            json!([g.province(*p).id, views.province_name(*p), ids(alone)])
        })
        .collect();
    let kind: Vec<Value> = (site.data.kinds.items.iter())
        .filter_map(|k| {
            let events = site.by_kind.get(&k.id)?;
            Some(json!([k.id, views.kind_label(&k.id), ids(events)]))
        })
        .collect();
    let tag: Vec<Value> = (site.by_tag.iter())
        .map(|(t, e)| json!([t, t, ids(e)]))
        .collect();
    let publisher: Vec<Value> = (site.by_publisher.iter())
        .map(|(p, e)| json!([p, views.publisher_name(p), ids(e)]))
        .collect();
    let single: Vec<EventIdx> = (0..site.events.len())
        .map(EventIdx)
        .filter(|i| site.event(*i).publishers().len() == 1)
        .collect();
    let mut days = Vec::with_capacity(site.days.len() * 2);
    let mut previous: Option<i32> = None;
    for (day, events) in &site.days {
        let n = day.num_days_from_ce();
        days.push(match previous {
            Some(p) => (n - p - 1) as u32,
            None => n as u32,
        });
        days.push(events.len() as u32);
        previous = Some(n);
    }
    json!({
        "city": city,
        "province": province,
        "kind": kind,
        "tag": tag,
        "publisher": publisher,
        "single": ids(&single),
        "days": code::numbers(days),
    })
}
