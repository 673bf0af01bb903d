//! A page per year: every day of the year that has events, month by month, with its dates in
//! both calendars and its number of events — the whole year at a glance, one link per day.

use crate::render::views::{path, Link, Views};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use tera::Context;

/// A month of the year page.
#[derive(Serialize)]
struct Month {
    label: String,
    count: String,
    days: Vec<Day>,
}

/// A day of the year page.
#[derive(Serialize)]
struct Day {
    url: String,
    primary: String,
    secondary: String,
    count: String,
}

pub fn year(views: &Views, year: i32) -> (&'static str, Context, String) {
    let (site, t) = (views.site, views.text);
    let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("a year of the site");
    let last = NaiveDate::from_ymd_opt(year, 12, 31).expect("a year of the site");
    // (month, its events, its days), in order.
    let mut months: Vec<(NaiveDate, usize, Vec<Day>)> = Vec::new();
    for (date, events) in site.days.range(first..=last) {
        if months
            .last()
            .is_none_or(|(m, _, _)| m.month() != date.month())
        {
            months.push((*date, 0, Vec::new()));
        }
        let (_, count, days) = months.last_mut().expect("pushed above");
        let heading = views.day_heading(*date);
        *count += events.len();
        days.push(Day {
            url: path::day(*date),
            primary: heading.primary,
            secondary: heading.secondary,
            count: t.count("events", events.len()),
        });
    }
    let total = months.iter().map(|(_, n, _)| n).sum();
    let months: Vec<Month> = (months.into_iter())
        .map(|(date, n, days)| Month {
            label: t.gregorian_month(date),
            count: t.count("events", n),
            days,
        })
        .collect();
    let years = site.years();
    let position = years.iter().position(|y| *y == year);
    let link = |y: &i32| Link {
        label: t.digits(&y.to_string()),
        url: path::year(*y),
    };
    let mut cx = Context::new();
    cx.insert("months", &months);
    cx.insert("count", &t.count("events", total));
    cx.insert(
        "previous",
        &position
            .and_then(|i| i.checked_sub(1))
            .map(|i| link(&years[i])),
    );
    cx.insert("next", &position.and_then(|i| years.get(i + 1)).map(link));
    let title = t.fill("year_title", &[("year", &t.digits(&year.to_string()))]);
    ("year.html", cx, title)
}
