//! City and province pages: every event there, newest first, with counts by kind, a bar
//! chart by month, a locator map and the place's feed.

use super::{by_count, list_context, Count, ListOf};
use crate::gazetteer::{CityIdx, ProvinceIdx};
use crate::render::views::{path, Views};
use crate::site::{EventIdx, Site};
use tera::Context;

/// A place with a page of its own.
#[derive(Debug, Clone, Copy)]
pub enum Place {
    City(CityIdx),
    Province(ProvinceIdx),
}

impl Place {
    /// The first page of the place's list.
    pub fn path(self, site: &Site) -> String {
        let g = &site.data.gazetteer;
        match self {
            Place::City(c) => path::city(&g.city(c).id),
            Place::Province(p) => path::province(&g.province(p).id),
        }
    }

    /// The place's events, in date order.
    pub fn events(self, site: &Site) -> &[EventIdx] {
        match self {
            Place::City(c) => &site.by_city[&c],
            Place::Province(p) => &site.by_province[&p],
        }
    }

    /// The folder of the place's pages and feed (`cities/tehran/`).
    pub fn folder(self, site: &Site) -> String {
        self.path(site).trim_end_matches("index.html").to_string()
    }
}

pub fn place(views: &Views, place: Place, page: usize) -> (&'static str, Context, String) {
    let (site, t) = (views.site, views.text);
    let g = &site.data.gazetteer;
    let events = place.events(site);
    let mut cx = Context::new();
    // A kind's count links to this place's events of that kind (on the search page).
    let within = match place {
        Place::City(c) => format!("city={}", g.city(c).id),
        Place::Province(p) => format!("province={}", g.province(p).id),
    };
    list_context(
        views,
        &mut cx,
        (ListOf::Place, events),
        page,
        &place.path(site),
        Some(&within),
    );
    let (name, name_other, province, city) = match place {
        Place::City(c) => {
            let city = g.city(c);
            let province = g.province_of(c);
            cx.insert("province", &views.province_link(province));
            let other = match t.is_persian() {
                true => city.name.clone(),
                false => city.name_fa.clone().unwrap_or_default(),
            };
            (views.city_name(c), other, province, Some(c))
        }
        Place::Province(p) => {
            let province = g.province(p);
            let other = match t.is_persian() {
                true => province.name.clone(),
                false => province.name_fa.clone(),
            };
            (views.province_name(p), other, p, None)
        }
    };
    // The map, the chart and the cities are the place's overview: on its first page.
    if page == 1 {
        if city.is_none() {
            let mut cities: Vec<Count> = views.city_counts_in(province);
            by_count(&mut cities);
            cx.insert("cities", &cities);
        }
        let locator = views.locator(views.maps, Some(province), city, name.clone());
        cx.insert("locator", &locator);
        cx.insert("bars", &views.bars(events));
    }
    cx.insert("name_other", &name_other);
    cx.insert("feed", &format!("{}feed.xml", place.folder(site)));
    ("place.html", cx, name)
}

/// The page at a former city id (a duplicate merged into the city), sending readers on.
pub fn redirect(views: &Views, to: CityIdx) -> (&'static str, Context, String) {
    let mut cx = Context::new();
    let city = views.site.data.gazetteer.city(to);
    cx.insert("target", &format!("../../{}", path::city(&city.id)));
    cx.insert("target_title", &views.city_name(to));
    ("redirect.html", cx, views.text.t("moved_title"))
}
