//! The timeline: a page of days per period (about a month a page), and a page per day with
//! its events grouped by province.

use super::{pager, pages, DAYS_PER_PAGE, PAGE_SIZE};
use crate::config::{localized, Period};
use crate::render::views::{path, Link, Views};
use crate::site::{EventIdx, Site};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;
use tera::Context;

/// Events shown of each day on a timeline page.
const EVENTS_PER_DAY: usize = 5;

pub fn timeline(views: &Views, period: usize, page: usize) -> (&'static str, Context, String) {
    let (site, t) = (views.site, views.text);
    let period = &site.periods()[period];
    let mut cx = Context::new();
    let all_days = site.period_days(period);
    let days: Vec<tera::Value> = (all_days.iter())
        .skip((page - 1) * DAYS_PER_PAGE)
        .take(DAYS_PER_PAGE)
        .map(|d| views.day_preview(*d, EVENTS_PER_DAY))
        .collect();
    let first = path::period(&period.id);
    let total = all_days.len().div_ceil(DAYS_PER_PAGE).max(1);
    cx.insert("pager", &pager(&first, page, total, t));
    let title = localized(&period.title, &t.lang);
    cx.insert("period_title", &title);
    cx.insert(
        "period_description",
        &localized(&period.description, &t.lang),
    );
    cx.insert("period_start", &t.both_calendars(period.start));
    cx.insert("period_end", &period.end.map(|e| t.both_calendars(e)));
    cx.insert_value("days", tera::Value::from(days));
    cx.insert("list_of", "day");
    cx.insert("heatmap", &views.heatmap(period));
    ("period.html", cx, title)
}

/// Events shown in full (with their summary and sources) at the top of a day page; the rest
/// of the page lists titles, so that a day with hundreds of events stays light.
const CARDS: usize = 10;

pub fn day(views: &Views, date: NaiveDate, page: usize) -> (&'static str, Context, String) {
    let (site, t) = (views.site, views.text);
    let mut cx = Context::new();
    let (events, elsewhere) = views.in_edition(&site.days[&date]);
    let groups = by_province(views, &events);
    // The day's events in the order shown (group after group), then this page of them.
    let first = (page - 1) * PAGE_SIZE;
    let mut chips = Vec::with_capacity(groups.len());
    let mut sections = Vec::new();
    let mut start = 0;
    for (n, (heading, members)) in groups.iter().enumerate() {
        let anchor = format!("g{}", n + 1);
        let at = path::day_page(date, start / PAGE_SIZE + 1);
        let here: Vec<(usize, EventIdx)> = (members.iter().enumerate())
            .map(|(k, i)| (start + k, *i))
            .filter(|(k, _)| (first..first + PAGE_SIZE).contains(k))
            .collect();
        chips.push(Chip {
            label: heading.label.clone(),
            count: t.number(members.len() as u64),
            url: format!("{at}#{anchor}"),
            here: !here.is_empty(),
        });
        if !here.is_empty() {
            let (cards, lines): (Vec<_>, Vec<_>) = here
                .into_iter()
                .partition(|(k, _)| *k < first + CARDS && page == 1);
            let ids =
                |list: Vec<(usize, EventIdx)>| list.into_iter().map(|(_, i)| i).collect::<Vec<_>>();
            let mut section = BTreeMap::new();
            section.insert("anchor", tera::Value::from(anchor));
            section.insert("heading", tera::Value::from_serializable(heading));
            section.insert("cards", views.event_cards(&ids(cards)));
            section.insert("lines", views.event_list(&ids(lines)));
            sections.push(tera::Value::from(section));
        }
        start += members.len();
    }
    cx.insert("chips", &chips);
    // The day's kinds, each leading to the day's events of that kind (on the search page).
    let day = date.format("%Y-%m-%d");
    let within = format!("from={day}&to={day}");
    cx.insert("kind_counts", &views.kind_counts(&events, Some(&within)));
    cx.insert_value("groups", tera::Value::from(sections));
    cx.insert("list_of", "day");
    cx.insert("elsewhere", &views.elsewhere(elsewhere, &path::day(date)));
    let (previous, next) = site.neighbours(date);
    let day_link = |d: NaiveDate| Link {
        label: views.short_date(d),
        url: path::day(d),
    };
    cx.insert("previous", &previous.map(day_link));
    cx.insert("next", &next.map(day_link));
    cx.insert(
        "pager",
        &pager(&path::day(date), page, pages(events.len()), t),
    );
    cx.insert(
        "period_url",
        &site.period_of(date).map(|p| period_page_of(site, p, date)),
    );
    let heading = views.day_heading(date);
    let title = format!("{} {}", heading.weekday, heading.primary);
    cx.insert("day", &heading);
    ("day.html", cx, title)
}

/// A province of the day, with its number of events (all the day's, on every page) and where
/// they start (the page and the anchor of its group).
#[derive(Serialize)]
struct Chip {
    label: String,
    count: String,
    url: String,
    /// Some of its events are on this page.
    here: bool,
}

/// A day's events grouped by province, nationwide events first and events in several
/// provinces last: a day with hundreds of events stays scannable.
fn by_province(views: &Views, events: &[EventIdx]) -> Vec<(Link, Vec<EventIdx>)> {
    let (site, t) = (views.site, views.text);
    let mut groups: BTreeMap<(u8, String), (Link, Vec<EventIdx>)> = BTreeMap::new();
    for &i in events {
        let provinces = site.provinces_of(site.event(i));
        let (key, link) = match provinces.as_slice() {
            [] => (
                (0, String::new()),
                Link {
                    label: t.t("nationwide"),
                    url: path::NATIONAL.into(),
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
        groups
            .entry(key)
            .or_insert_with(|| (link, Vec::new()))
            .1
            .push(i);
    }
    groups.into_values().collect()
}

/// The timeline page that shows `date`.
fn period_page_of(site: &Site, period: &Period, date: NaiveDate) -> String {
    // Days with events before `date` in the period: counted in the index, no list made.
    let index = site.days.range(period.start..date).count();
    path::paged(&path::period(&period.id), index / DAYS_PER_PAGE + 1)
}

/// A day as headings show it: both calendars, the weekday, "Day N" of its period.
#[derive(Serialize)]
pub struct DayHeading {
    iso: String,
    weekday: String,
    pub primary: String,
    pub secondary: String,
    period_day: Option<String>,
    url: String,
    count: String,
}

impl Views<'_> {
    /// A day's heading with its first events, for the home and timeline pages.
    pub(super) fn day_preview(&self, date: NaiveDate, shown: usize) -> tera::Value {
        let events = &self.site.days[&date];
        let (in_edition, _) = self.in_edition(events);
        let shown = &in_edition[..shown.min(in_edition.len())];
        let mut block = BTreeMap::new();
        block.insert(
            "heading",
            tera::Value::from_serializable(&self.day_heading(date)),
        );
        block.insert("events", self.event_list(shown));
        block.insert("more", tera::Value::from(events.len() - shown.len()));
        tera::Value::from(block)
    }

    pub(super) fn day_heading(&self, date: NaiveDate) -> DayHeading {
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
            count: t.count("events", count),
        }
    }
}
