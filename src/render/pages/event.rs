//! An event's own page, and the pages that redirect its old ids to it.

use crate::model::Places;
use crate::render::views::{path, Views};
use crate::site::EventIdx;
use tera::Context;

pub fn event(views: &Views, i: EventIdx) -> (&'static str, Context, String) {
    let site = views.site;
    let g = &site.data.gazetteer;
    let event = site.event(i);
    let mut cx = Context::new();
    cx.insert("day", &views.day_heading(event.date));
    cx.insert("source_file", &crate::diagnostic::display_path(&event.file));
    cx.insert("forge", &site.data.config.forge);
    cx.insert("branch", &site.data.config.branch);
    let locator = match &event.places {
        Places::Cities(cities) => cities.first().map(|c| {
            let names: Vec<String> = views.places(event).into_iter().map(|p| p.label).collect();
            let label = names.join(&views.text.t("list_separator"));
            views.locator(views.maps, Some(g.province_of(*c)), Some(*c), label)
        }),
        Places::Provinces(provinces) => provinces
            .first()
            .map(|p| views.locator(views.maps, Some(*p), None, views.province_name(*p))),
        Places::National => None,
    };
    cx.insert("locator", &locator);
    cx.insert_value("event", views.event_value(i));
    ("event.html", cx, views.title(i))
}

pub fn redirect(views: &Views, to: EventIdx) -> (&'static str, Context, String) {
    let mut cx = Context::new();
    let target = views.site.event(to);
    cx.insert("target", &format!("../../{}", path::event(&target.id)));
    cx.insert("target_title", &views.title(to));
    ("redirect.html", cx, views.text.t("moved_title"))
}
