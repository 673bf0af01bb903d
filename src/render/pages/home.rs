//! The home page: the latest days, a summary per period with its heat map, and the kinds and
//! places with the most events.

use super::{by_count, Count};
use crate::config::localized;
use crate::render::views::{path, Link, Views};
use crate::site::EventIdx;
use serde::Serialize;
use tera::Context;

/// Days shown on the home page, and events shown of each.
const LATEST_DAYS: usize = 3;
const EVENTS_PER_DAY: usize = 12;
/// Places listed with their counts.
const TOP_CITIES: usize = 12;

pub fn home(views: &Views) -> (&'static str, Context, String) {
    let (site, t) = (views.site, views.text);
    let mut cx = Context::new();
    let latest: Vec<tera::Value> = (site.days.keys().rev().take(LATEST_DAYS))
        .map(|d| views.day_preview(*d, EVENTS_PER_DAY))
        .collect();
    cx.insert_value("latest_days", tera::Value::from(latest));
    cx.insert("list_of", "day");
    cx.insert("periods", &period_summaries(views));
    let heatmaps: Vec<_> = site
        .periods()
        .iter()
        .filter_map(|p| {
            views.heatmap(p).map(|h| {
                serde_json::json!({"title": localized(&p.title, &t.lang), "url": path::period(&p.id), "heatmap": h})
            })
        })
        .collect();
    cx.insert("heatmaps", &heatmaps);
    let all: Vec<EventIdx> = (0..site.events.len()).map(EventIdx).collect();
    cx.insert("kinds", &views.kind_counts(&all, None));
    let mut cities: Vec<Count> = (site.by_city.iter())
        .map(|(c, e)| views.city_count(*c, e.len()))
        .collect();
    by_count(&mut cities);
    cities.truncate(TOP_CITIES);
    cx.insert("top_cities", &cities);
    let years: Vec<Link> = (site.years().into_iter())
        .map(|y| Link {
            label: t.digits(&y.to_string()),
            url: path::year(y),
        })
        .collect();
    cx.insert("years", &years);
    cx.insert("total_events", &t.number(site.events.len() as u64));
    cx.insert("total_cities", &t.number(site.by_city.len() as u64));
    cx.insert(
        "total_publishers",
        &t.number(site.by_publisher.len() as u64),
    );
    ("home.html", cx, t.t("home_title"))
}

/// A period as the home page sums it up.
#[derive(Serialize)]
struct PeriodSummary {
    title: String,
    description: String,
    url: String,
    events: String,
    days: String,
    start: String,
    first: Option<Link>,
    last: Option<Link>,
}

fn period_summaries(views: &Views) -> Vec<PeriodSummary> {
    let (site, t) = (views.site, views.text);
    let day_link = |d: &chrono::NaiveDate| Link {
        label: views.short_date(*d),
        url: path::day(*d),
    };
    site.periods()
        .iter()
        .map(|p| {
            let days = site.period_days(p);
            let events: usize = days.iter().map(|d| site.days[d].len()).sum();
            PeriodSummary {
                title: localized(&p.title, &t.lang),
                description: localized(&p.description, &t.lang),
                url: path::period(&p.id),
                events: t.count("events", events),
                days: t.fill("days_count", &[("n", &t.number(days.len() as u64))]),
                start: t.both_calendars(p.start),
                first: days.first().map(day_link),
                last: days.last().map(day_link),
            }
        })
        .collect()
}
