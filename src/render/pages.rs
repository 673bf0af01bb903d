//! The HTML pages of the site: which pages exist (one [`Job`] each, per language) and what each
//! one's template is given.

use super::text::Text;
use super::views::{path, Link, Views};
use crate::gazetteer::{CityIdx, ProvinceIdx};
use crate::site::{EventIdx, Site};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;
use tera::Context;

/// Events per page of a day or list page: keeps every page light on a slow connection.
pub const PAGE_SIZE: usize = 100;

/// Days with events per page of a timeline: about a month, whatever the size of the site.
pub const DAYS_PER_PAGE: usize = 31;

/// The timeline page that shows `date`.
fn period_page_of(site: &Site, period: &crate::config::Period, date: NaiveDate) -> String {
    // Days with events before `date` in the period: counted in the index, no list made.
    let index = site.days.range(period.start..date).count();
    path::paged(&path::period(&period.id), index / DAYS_PER_PAGE + 1)
}

#[derive(Debug, Clone)]
pub enum Job {
    Home,
    /// A period's timeline, `DAYS_PER_PAGE` days with events a page.
    Period(usize, usize),
    Day(NaiveDate, usize),
    Event(EventIdx),
    City(CityIdx, usize),
    Province(ProvinceIdx, usize),
    Publisher(String, usize),
    Kind(String, usize),
    Tag(String, usize),
    National(usize),
    Places,
    Publishers,
    Tags,
    Map,
    /// An old event id that now redirects.
    Redirect(String, EventIdx),
}

fn pages(n: usize) -> usize {
    n.div_ceil(PAGE_SIZE).max(1)
}

/// Every page of one language.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![Job::Home, Job::Places, Job::Publishers, Job::Tags, Job::Map];
    for (i, period) in site.periods().iter().enumerate() {
        let days = site.period_days(period).len();
        jobs.extend((1..=days.div_ceil(DAYS_PER_PAGE).max(1)).map(|p| Job::Period(i, p)));
    }
    for (date, events) in &site.days {
        jobs.extend((1..=pages(events.len())).map(|p| Job::Day(*date, p)));
    }
    for (i, event) in site.events.iter().enumerate() {
        jobs.push(Job::Event(i));
        jobs.extend(event.aliases.iter().map(|a| Job::Redirect(a.clone(), i)));
    }
    for (city, events) in &site.by_city {
        jobs.extend((1..=pages(events.len())).map(|p| Job::City(*city, p)));
    }
    for (province, events) in &site.by_province {
        jobs.extend((1..=pages(events.len())).map(|p| Job::Province(*province, p)));
    }
    for (publisher, events) in &site.by_publisher {
        jobs.extend((1..=pages(events.len())).map(|p| Job::Publisher(publisher.clone(), p)));
    }
    for (kind, events) in &site.by_kind {
        jobs.extend((1..=pages(events.len())).map(|p| Job::Kind(kind.clone(), p)));
    }
    for (tag, events) in &site.by_tag {
        jobs.extend((1..=pages(events.len())).map(|p| Job::Tag(tag.clone(), p)));
    }
    jobs.extend((1..=pages(site.national.len())).map(Job::National));
    jobs
}

#[derive(Serialize)]
struct Pager {
    current: usize,
    total: usize,
    previous: Option<String>,
    next: Option<String>,
    pages: Vec<Link>,
}

fn pager(first: &str, current: usize, total: usize, text: &Text) -> Option<Pager> {
    (total > 1).then(|| Pager {
        current,
        total,
        previous: (current > 1).then(|| path::paged(first, current - 1)),
        next: (current < total).then(|| path::paged(first, current + 1)),
        pages: (1..=total)
            .map(|n| Link {
                label: text.digits(&n.to_string()),
                url: path::paged(first, n),
            })
            .collect(),
    })
}

#[derive(Serialize)]
struct Count {
    label: String,
    url: String,
    count: String,
    n: usize,
    id: String,
}

/// A list page's events, newest first, one page of them.
fn page_of(events: &[EventIdx], page: usize) -> Vec<EventIdx> {
    events
        .iter()
        .rev()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .copied()
        .collect()
}

impl Views<'_> {
    fn city_count(&self, c: CityIdx, n: usize) -> Count {
        let id = self.site.data.gazetteer.city(c).id.clone();
        Count {
            label: self.city_name(c),
            url: path::city(&id),
            count: self.text.number(n as u64),
            n,
            id,
        }
    }

    /// Every kind with its number of events, in registry id order.
    fn kind_list(&self) -> Vec<Count> {
        self.site
            .by_kind
            .iter()
            .map(|(k, e)| Count {
                label: self.kind_label(k),
                url: path::kind(k),
                count: self.text.number(e.len() as u64),
                n: e.len(),
                id: k.clone(),
            })
            .collect()
    }

    fn kind_counts(&self, events: &[EventIdx]) -> Vec<Count> {
        let kinds = &self.site.data.kinds.items;
        let mut counts = vec![0usize; kinds.len()];
        for i in events {
            if let Some(n) = counts.get_mut(self.site.kind_of[*i]) {
                *n += 1;
            }
        }
        let mut out: Vec<Count> = kinds
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|(kind, n)| Count {
                label: self.kind_label(&kind.id),
                url: path::kind(&kind.id),
                count: self.text.number(n as u64),
                n,
                id: kind.id.clone(),
            })
            .collect();
        out.sort_by(|a, b| b.n.cmp(&a.n).then(a.id.cmp(&b.id)));
        out
    }

    /// A day's heading with its first events, for the home and timeline pages.
    fn day_preview(&self, date: NaiveDate, shown: usize) -> tera::Value {
        let events = &self.site.days[&date];
        let shown = &events[..shown.min(events.len())];
        let mut block = BTreeMap::new();
        block.insert(
            "heading",
            tera::Value::from_serializable(&self.day_heading(date)),
        );
        block.insert("events", self.event_list(shown));
        block.insert("more", tera::Value::from(events.len() - shown.len()));
        tera::Value::from(block)
    }

    fn day_heading(&self, date: NaiveDate) -> DayHeading {
        let t = self.text;
        let (primary, secondary) = if t.is_persian() {
            (t.solar(date), t.gregorian(date))
        } else {
            (t.gregorian(date), t.solar(date))
        };
        let period_day = self.site.period_of(date).map(|p| {
            t.fill(
                "day_of_period",
                &[
                    ("n", &t.number(p.day_number(date) as u64)),
                    ("period", &localized(&p.title, &t.lang)),
                ],
            )
        });
        let count = self.site.days.get(&date).map_or(0, Vec::len);
        DayHeading {
            iso: date.format("%Y-%m-%d").to_string(),
            weekday: t.weekday(date),
            primary,
            secondary,
            period_day,
            url: path::day(date),
            count: t.fill(
                if count == 1 {
                    "events_one"
                } else {
                    "events_many"
                },
                &[("n", &t.number(count as u64))],
            ),
        }
    }
}

#[derive(Serialize)]
struct DayHeading {
    iso: String,
    weekday: String,
    primary: String,
    secondary: String,
    period_day: Option<String>,
    url: String,
    count: String,
}

pub fn localized(map: &BTreeMap<String, String>, lang: &str) -> String {
    map.get(lang)
        .or_else(|| map.get("en"))
        .or_else(|| map.values().next())
        .cloned()
        .unwrap_or_default()
}

/// The page's path (relative to the language root), template and page-specific context.
pub fn page(views: &Views, job: &Job) -> (String, &'static str, Context, String) {
    let site = views.site;
    let t = views.text;
    let g = &site.data.gazetteer;
    let mut cx = Context::new();
    let (path, template, title) = match job {
        Job::Home => {
            let latest: Vec<tera::Value> = site
                .days
                .keys()
                .rev()
                .take(3)
                .map(|d| views.day_preview(*d, 12))
                .collect();
            cx.insert_value("latest_days", tera::Value::from(latest));
            cx.insert("periods", &period_summaries(views));
            let heatmaps: Vec<_> = site
                .periods()
                .iter()
                .filter_map(|p| views.heatmap(p).map(|h| serde_json::json!({"title": localized(&p.title, &t.lang), "url": path::period(&p.id), "heatmap": h})))
                .collect();
            cx.insert("heatmaps", &heatmaps);
            let all: Vec<EventIdx> = (0..site.events.len()).collect();
            cx.insert("kinds", &views.kind_counts(&all));
            let mut cities: Vec<Count> = site
                .by_city
                .iter()
                .map(|(c, e)| views.city_count(*c, e.len()))
                .collect();
            cities.sort_by(|a, b| b.n.cmp(&a.n).then(a.id.cmp(&b.id)));
            cities.truncate(12);
            cx.insert("top_cities", &cities);
            cx.insert("total_events", &t.number(site.events.len() as u64));
            cx.insert("total_cities", &t.number(site.by_city.len() as u64));
            cx.insert(
                "total_publishers",
                &t.number(site.by_publisher.len() as u64),
            );
            ("index.html".to_string(), "home.html", t.t("home_title"))
        }
        Job::Period(i, page) => {
            let period = &site.periods()[*i];
            let all_days = site.period_days(period);
            let days: Vec<tera::Value> = all_days
                .iter()
                .skip((page - 1) * DAYS_PER_PAGE)
                .take(DAYS_PER_PAGE)
                .map(|d| views.day_preview(*d, 5))
                .collect();
            let first = path::period(&period.id);
            let total = all_days.len().div_ceil(DAYS_PER_PAGE).max(1);
            cx.insert("pager", &pager(&first, *page, total, t));
            let title = localized(&period.title, &t.lang);
            cx.insert("period_title", &title);
            cx.insert(
                "period_description",
                &localized(&period.description, &t.lang),
            );
            cx.insert("period_start", &t.both_calendars(period.start));
            cx.insert("period_end", &period.end.map(|e| t.both_calendars(e)));
            cx.insert_value("days", tera::Value::from(days));
            cx.insert("heatmap", &views.heatmap(period));
            (path::paged(&first, *page), "period.html", title)
        }
        Job::Day(date, page) => {
            let events = &site.days[date];
            let total = pages(events.len());
            let slice: Vec<EventIdx> = events
                .iter()
                .skip((page - 1) * PAGE_SIZE)
                .take(PAGE_SIZE)
                .copied()
                .collect();
            // Grouped by province, national events first: a day with hundreds of events stays scannable.
            let mut groups: BTreeMap<(u8, String), Vec<EventIdx>> = BTreeMap::new();
            let mut headings: BTreeMap<(u8, String), Link> = BTreeMap::new();
            for i in slice {
                let provinces = site.provinces_of(&site.events[i]);
                let (key, link) = match provinces.as_slice() {
                    [] => (
                        (0, String::new()),
                        Link {
                            label: t.t("nationwide"),
                            url: "national/index.html".into(),
                        },
                    ),
                    [one] => ((1, views.province_name(*one)), views.province_link(*one)),
                    _ => (
                        (2, String::new()),
                        Link {
                            label: t.t("several_provinces"),
                            url: String::new(),
                        },
                    ),
                };
                headings.insert(key.clone(), link);
                groups.entry(key).or_default().push(i);
            }
            let groups: Vec<tera::Value> = groups
                .into_iter()
                .map(|(k, ev)| {
                    let mut group = BTreeMap::new();
                    let heading = headings.remove(&k).expect("inserted");
                    group.insert("heading", tera::Value::from_serializable(&heading));
                    group.insert("count", tera::Value::from(t.number(ev.len() as u64)));
                    group.insert("events", views.event_list(&ev));
                    tera::Value::from(group)
                })
                .collect();
            let (previous, next) = site.neighbours(*date);
            let heading = views.day_heading(*date);
            cx.insert(
                "previous",
                &previous.map(|d| Link {
                    label: views.short_date(d),
                    url: path::day(d),
                }),
            );
            cx.insert(
                "next",
                &next.map(|d| Link {
                    label: views.short_date(d),
                    url: path::day(d),
                }),
            );
            cx.insert_value("groups", tera::Value::from(groups));
            cx.insert("pager", &pager(&path::day(*date), *page, total, t));
            cx.insert(
                "period_url",
                &site
                    .period_of(*date)
                    .map(|p| period_page_of(site, p, *date)),
            );
            let title = format!("{} {}", heading.weekday, heading.primary);
            cx.insert("day", &heading);
            (path::day_page(*date, *page), "day.html", title)
        }
        Job::Event(i) => {
            let event = &site.events[*i];
            cx.insert("day", &views.day_heading(event.date));
            cx.insert("source_file", &crate::diagnostic::display_path(&event.file));
            let locator = match &event.places {
                crate::model::Places::Cities(cities) => cities.first().map(|c| {
                    views.locator(
                        views.maps,
                        Some(g.province_of(*c)),
                        Some(*c),
                        views
                            .places(event)
                            .iter()
                            .map(|p| p.label.clone())
                            .collect::<Vec<_>>()
                            .join(", "),
                    )
                }),
                crate::model::Places::Provinces(provinces) => provinces
                    .first()
                    .map(|p| views.locator(views.maps, Some(*p), None, views.province_name(*p))),
                crate::model::Places::National => None,
            };
            cx.insert("locator", &locator);
            cx.insert_value("event", views.event_value(*i));
            let title = views.title(*i);
            (path::event(&event.id), "event.html", title)
        }
        Job::City(c, page) => {
            let city = g.city(*c);
            let events = &site.by_city[c];
            let first = path::city(&city.id);
            list_context(views, &mut cx, events, *page, &first);
            cx.insert("province", &views.province_link(g.province_of(*c)));
            cx.insert(
                "locator",
                &views.locator(
                    views.maps,
                    Some(g.province_of(*c)),
                    Some(*c),
                    views.city_name(*c),
                ),
            );
            cx.insert("bars", &views.bars(events));
            cx.insert(
                "name_other",
                &if t.is_persian() {
                    city.name.clone()
                } else {
                    city.name_fa.clone().unwrap_or_default()
                },
            );
            cx.insert(
                "feed",
                &format!("{}feed.xml", first.trim_end_matches("index.html")),
            );
            (
                path::paged(&first, *page),
                "place.html",
                views.city_name(*c),
            )
        }
        Job::Province(p, page) => {
            let province = g.province(*p);
            let events = &site.by_province[p];
            let first = path::province(&province.id);
            list_context(views, &mut cx, events, *page, &first);
            let mut cities: Vec<Count> = site
                .by_city
                .iter()
                .filter(|(c, _)| g.province_of(**c) == *p)
                .map(|(c, e)| views.city_count(*c, e.len()))
                .collect();
            cities.sort_by(|a, b| b.n.cmp(&a.n).then(a.id.cmp(&b.id)));
            cx.insert("cities", &cities);
            cx.insert(
                "locator",
                &views.locator(views.maps, Some(*p), None, views.province_name(*p)),
            );
            cx.insert("bars", &views.bars(events));
            cx.insert(
                "name_other",
                &if t.is_persian() {
                    province.name.clone()
                } else {
                    province.name_fa.clone()
                },
            );
            cx.insert(
                "feed",
                &format!("{}feed.xml", first.trim_end_matches("index.html")),
            );
            (
                path::paged(&first, *page),
                "place.html",
                views.province_name(*p),
            )
        }
        Job::Publisher(id, page) => {
            let first = path::publisher(id);
            list_context(views, &mut cx, &site.by_publisher[id], *page, &first);
            if let Some(p) = site.data.publishers.get(id) {
                cx.insert("publisher_url", &p.url);
                cx.insert(
                    "affiliation",
                    &t.t(&format!("affiliation_{}", p.affiliation.key())),
                );
                cx.insert("note", &p.note);
            }
            (
                path::paged(&first, *page),
                "publisher.html",
                views.publisher_name(id),
            )
        }
        Job::Kind(id, page) => {
            let first = path::kind(id);
            list_context(views, &mut cx, &site.by_kind[id], *page, &first);
            let description = site
                .data
                .kinds
                .get(id)
                .map(|k| localized(&k.description, &t.lang));
            cx.insert("description", &description);
            cx.insert("bars", &views.bars(&site.by_kind[id]));
            (
                path::paged(&first, *page),
                "list.html",
                views.kind_label(id),
            )
        }
        Job::Tag(id, page) => {
            let first = path::tag(id);
            list_context(views, &mut cx, &site.by_tag[id], *page, &first);
            (
                path::paged(&first, *page),
                "list.html",
                t.fill("tag_title", &[("tag", id)]),
            )
        }
        Job::National(page) => {
            let first = "national/index.html";
            list_context(views, &mut cx, &site.national, *page, first);
            (
                path::paged(first, *page),
                "list.html",
                t.t("nationwide_title"),
            )
        }
        Job::Places => {
            let provinces: Vec<_> = site
                .by_province
                .iter()
                .map(|(p, events)| {
                    let mut cities: Vec<Count> = site
                        .by_city
                        .iter()
                        .filter(|(c, _)| g.province_of(**c) == *p)
                        .map(|(c, e)| views.city_count(*c, e.len()))
                        .collect();
                    cities.sort_by(|a, b| a.label.cmp(&b.label));
                    serde_json::json!({"link": views.province_link(*p), "count": t.number(events.len() as u64), "cities": cities, "sort": views.province_name(*p)})
                })
                .collect();
            let mut provinces = provinces;
            provinces.sort_by(|a, b| a["sort"].as_str().cmp(&b["sort"].as_str()));
            cx.insert("provinces", &provinces);
            cx.insert("national_count", &t.number(site.national.len() as u64));
            (
                "places/index.html".into(),
                "places.html",
                t.t("places_title"),
            )
        }
        Job::Publishers => {
            let list: Vec<_> = site
                .data
                .publishers
                .items
                .iter()
                .filter(|p| site.by_publisher.contains_key(&p.id))
                .map(|p| {
                    serde_json::json!({
                        "link": views.publisher_link(&p.id),
                        "affiliation": t.t(&format!("affiliation_{}", p.affiliation.key())),
                        "note": p.note,
                        "count": t.number(site.by_publisher[&p.id].len() as u64),
                    })
                })
                .collect();
            cx.insert("publishers", &list);
            (
                "publishers/index.html".into(),
                "publishers.html",
                t.t("publishers_title"),
            )
        }
        Job::Tags => {
            let tags: Vec<Count> = site
                .by_tag
                .iter()
                .map(|(tag, e)| Count {
                    label: tag.clone(),
                    url: path::tag(tag),
                    count: t.number(e.len() as u64),
                    n: e.len(),
                    id: tag.clone(),
                })
                .collect();
            cx.insert("tags", &tags);
            let kinds = views.kind_list();
            cx.insert("kinds", &kinds);
            ("tags/index.html".into(), "tags.html", t.t("topics_title"))
        }
        Job::Map => {
            cx.insert("map", &views.map(views.maps));
            let kinds = views.kind_list();
            cx.insert("kinds", &kinds);
            cx.insert("sizes", &[1usize, 10, 100].iter().map(|n| serde_json::json!({"r": super::visual::radius(*n), "label": t.number(*n as u64)})).collect::<Vec<_>>());
            (path::MAP.to_string(), "map.html", t.t("map_title"))
        }
        Job::Redirect(alias, i) => {
            let target = &site.events[*i];
            cx.insert("target", &format!("../../{}", path::event(&target.id)));
            cx.insert("target_title", &views.title(*i));
            (path::event(alias), "redirect.html", t.t("moved_title"))
        }
    };
    (path, template, cx, title)
}

fn list_context(views: &Views, cx: &mut Context, events: &[EventIdx], page: usize, first: &str) {
    let total = pages(events.len());
    cx.insert_value("events", views.event_list(&page_of(events, page)));
    cx.insert("kind_counts", &views.kind_counts(events));
    cx.insert(
        "count",
        &views.text.fill(
            if events.len() == 1 {
                "events_one"
            } else {
                "events_many"
            },
            &[("n", &views.text.number(events.len() as u64))],
        ),
    );
    cx.insert("pager", &pager(first, page, total, views.text));
}

fn period_summaries(views: &Views) -> Vec<serde_json::Value> {
    let site = views.site;
    let t = views.text;
    site.periods()
        .iter()
        .map(|p| {
            let days = site.period_days(p);
            let events: usize = days.iter().map(|d| site.days[d].len()).sum();
            serde_json::json!({
                "title": localized(&p.title, &t.lang),
                "description": localized(&p.description, &t.lang),
                "url": path::period(&p.id),
                "events": t.fill(if events == 1 { "events_one" } else { "events_many" }, &[("n", &t.number(events as u64))]),
                "days": t.fill("days_count", &[("n", &t.number(days.len() as u64))]),
                "start": t.both_calendars(p.start),
                "first": days.first().map(|d| Link { label: views.short_date(*d), url: path::day(*d) }),
                "last": days.last().map(|d| Link { label: views.short_date(*d), url: path::day(*d) }),
            })
        })
        .collect()
}
