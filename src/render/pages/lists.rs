//! Lists of events by publisher, kind and tag, the nationwide list, the index pages that lead
//! to them (places, publishers, topics) and the map page.

use super::{list_context, Count, ListOf};
use crate::config::localized;
use crate::render::views::{path, Link, Views};
use serde::Serialize;
use tera::Context;

pub fn publisher(views: &Views, id: &str, page: usize) -> (&'static str, Context, String) {
    let (site, t) = (views.site, views.text);
    let mut cx = Context::new();
    let first = path::publisher(id);
    list_context(
        views,
        &mut cx,
        (ListOf::Publisher, &site.by_publisher[id]),
        page,
        &first,
        Some(&format!("publisher={id}")),
    );
    if let Some(p) = site.data.publishers.get(id) {
        cx.insert("publisher_url", &p.url);
        cx.insert("affiliation", &t.affiliation(p.affiliation));
        cx.insert("note", &p.note);
    }
    ("publisher.html", cx, views.publisher_name(id))
}

pub fn kind(views: &Views, id: &str, page: usize) -> (&'static str, Context, String) {
    let (site, t) = (views.site, views.text);
    let mut cx = Context::new();
    list_context(
        views,
        &mut cx,
        (ListOf::Kind, &site.by_kind[id]),
        page,
        &path::kind(id),
        None,
    );
    let description = (site.data.kinds.get(id)).map(|k| localized(&k.description, &t.lang));
    cx.insert("description", &description);
    if page == 1 {
        cx.insert("bars", &views.bars(&site.by_kind[id]));
    }
    ("list.html", cx, views.kind_label(id))
}

pub fn tag(views: &Views, id: &str, page: usize) -> (&'static str, Context, String) {
    let mut cx = Context::new();
    list_context(
        views,
        &mut cx,
        (ListOf::Tag, &views.site.by_tag[id]),
        page,
        &path::tag(id),
        Some(&format!("tag={id}")),
    );
    (
        "list.html",
        cx,
        views.text.fill("tag_title", &[("tag", id)]),
    )
}

pub fn national(views: &Views, page: usize) -> (&'static str, Context, String) {
    let mut cx = Context::new();
    list_context(
        views,
        &mut cx,
        (ListOf::National, &views.site.national),
        page,
        path::NATIONAL,
        None,
    );
    ("list.html", cx, views.text.t("nationwide_title"))
}

/// A province on the places page, with its cities.
#[derive(Serialize)]
struct ProvinceEntry {
    link: Link,
    count: String,
    cities: Vec<Count>,
    sort: String,
}

pub fn places(views: &Views) -> (&'static str, Context, String) {
    let (site, t) = (views.site, views.text);
    let mut provinces: Vec<ProvinceEntry> = (site.by_province.iter())
        .map(|(p, events)| {
            let mut cities = views.city_counts_in(*p);
            cities.sort_by(|a, b| a.label.cmp(&b.label));
            ProvinceEntry {
                link: views.province_link(*p),
                count: t.number(events.len() as u64),
                cities,
                sort: views.province_name(*p),
            }
        })
        .collect();
    provinces.sort_by(|a, b| a.sort.cmp(&b.sort));
    let mut cx = Context::new();
    cx.insert("provinces", &provinces);
    cx.insert("national_count", &t.number(site.national.len() as u64));
    ("places.html", cx, t.t("places_title"))
}

/// A publisher on the publishers page.
#[derive(Serialize)]
struct PublisherEntry {
    link: Link,
    affiliation: String,
    note: String,
    count: String,
}

pub fn publishers(views: &Views) -> (&'static str, Context, String) {
    let (site, t) = (views.site, views.text);
    let list: Vec<PublisherEntry> = (site.data.publishers.items.iter())
        .filter_map(|p| {
            let events = site.by_publisher.get(&p.id)?;
            Some(PublisherEntry {
                link: views.publisher_link(&p.id),
                affiliation: t.affiliation(p.affiliation),
                note: p.note.clone(),
                count: t.number(events.len() as u64),
            })
        })
        .collect();
    let mut cx = Context::new();
    cx.insert("publishers", &list);
    ("publishers.html", cx, t.t("publishers_title"))
}

pub fn tags(views: &Views) -> (&'static str, Context, String) {
    let (site, t) = (views.site, views.text);
    let tags: Vec<Count> = (site.by_tag.iter())
        .map(|(tag, e)| Count {
            label: tag.clone(),
            url: path::tag(tag),
            count: t.number(e.len() as u64),
            n: e.len(),
            id: tag.clone(),
        })
        .collect();
    let mut cx = Context::new();
    cx.insert("tags", &tags);
    cx.insert("kinds", &views.kind_list());
    ("tags.html", cx, t.t("topics_title"))
}

/// A size in the map's legend: a mark's radius and the number of events it stands for.
#[derive(Serialize)]
struct LegendSize {
    r: f64,
    label: String,
}

pub fn map(views: &Views) -> (&'static str, Context, String) {
    let t = views.text;
    let mut cx = Context::new();
    cx.insert("map", &views.map(views.maps));
    cx.insert("kinds", &views.kind_list());
    let sizes: Vec<LegendSize> = [1usize, 10, 100]
        .iter()
        .map(|n| LegendSize {
            r: crate::render::visual::radius(*n),
            label: t.number(*n as u64),
        })
        .collect();
    cx.insert("sizes", &sizes);
    ("map.html", cx, t.t("map_title"))
}
