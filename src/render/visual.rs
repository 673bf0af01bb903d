//! The geometry of the site's pictures — the map, locator maps, calendar heat maps and bar
//! charts — as plain views. Templates turn them into SVG; every picture also gets a text
//! alternative, and colour is never the only signal (levels and kinds carry labels).

use super::map::Maps;
use super::views::{path, Views};
use crate::config::Period;
use crate::gazetteer::{CityIdx, ProvinceIdx};
use crate::site::EventIdx;
use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize)]
pub struct Shape {
    pub id: String,
    pub name: String,
    pub d: String,
    pub active: bool,
}

/// A locator map: the country (a shared, cached image) with one province outlined and, for a
/// city, a dot — about a kilobyte inline.
#[derive(Debug, Serialize)]
pub struct Locator {
    pub width: f64,
    pub height: f64,
    /// The province outlined: its id, which names its image (`locator/<id>.svg`).
    pub province: Option<String>,
    pub dot: Option<Point>,
    pub label: String,
}

#[derive(Debug, Serialize)]
pub struct Point {
    pub x: i64,
    pub y: i64,
}

/// Labels up to `limit` of the largest city marks, skipping any whose name would overlap one
/// already placed: without JavaScript (which hides clashing labels at any zoom) the map must
/// still be readable. Sizes are in map units at the largest label size the stylesheet uses
/// (phone width, no script): 12 px × 2.6, about 0.6 em a letter, the baseline 9 above the mark.
fn label_largest(marks: &mut [Mark], limit: usize) {
    const FONT: f64 = 12.0 * 2.6;
    let mut placed: Vec<[f64; 4]> = Vec::new();
    for m in marks.iter_mut().filter(|m| !m.province_level) {
        if placed.len() == limit {
            break;
        }
        let half = m.name.chars().count() as f64 * 0.6 * FONT / 2.0;
        let (x, bottom) = (m.x as f64, m.y as f64 - 9.0);
        let b = [x - half, bottom - FONT, x + half, bottom];
        let clashes = placed
            .iter()
            .any(|p| b[0] < p[2] && p[0] < b[2] && b[1] < p[3] && p[1] < b[3]);
        if !clashes {
            placed.push(b);
            m.labelled = true;
        }
    }
}

/// A text placed at `x` (month names above a heat map) or a legend entry at a level.
#[derive(Debug, Serialize)]
pub struct Label {
    pub at: usize,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct Mark {
    pub id: String,
    pub name: String,
    pub url: String,
    pub x: i64,
    pub y: i64,
    pub r: f64,
    pub kind: String,
    pub n: usize,
    pub count: String,
    pub labelled: bool,
    pub province_level: bool,
}

#[derive(Debug, Serialize)]
pub struct MapView {
    pub width: f64,
    pub height: f64,
    pub provinces: Vec<Shape>,
    pub marks: Vec<Mark>,
}

#[derive(Debug, Serialize)]
pub struct Cell {
    pub x: usize,
    pub y: usize,
    pub level: usize,
    pub url: Option<String>,
    pub label: String,
}

#[derive(Debug, Serialize)]
pub struct Heatmap {
    pub width: usize,
    pub height: usize,
    pub cells: Vec<Cell>,
    pub months: Vec<Label>,
    pub legend: Vec<Label>,
    pub summary: String,
}

#[derive(Debug, Serialize)]
pub struct Bar {
    pub x: usize,
    pub y: usize,
    pub w: usize,
    pub h: usize,
    pub url: String,
    pub label: String,
}

#[derive(Debug, Serialize)]
pub struct Bars {
    pub width: usize,
    pub height: usize,
    pub bars: Vec<Bar>,
    pub first: String,
    pub last: String,
    pub max: String,
    pub summary: String,
}

/// Mark radius: area grows with the number of events up to 100, then the radius only with its
/// logarithm, so that a city of thousands of events does not cover its province and its
/// neighbours' marks (3,000 events: 45 units rather than 123). `map.js` has the same formula.
pub fn radius(n: usize) -> f64 {
    let n = n as f64;
    let r = if n <= 100.0 {
        2.5 + 2.2 * n.sqrt()
    } else {
        24.5 + 6.0 * (n / 100.0).ln()
    };
    (r * 10.0).round() / 10.0
}

impl Views<'_> {
    fn dominant_kind(&self, events: &[EventIdx]) -> String {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for i in events {
            *counts.entry(self.site.event(*i).kind.as_str()).or_default() += 1;
        }
        counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map(|(k, _)| k.to_string())
            .unwrap_or_default()
    }

    fn count_label(&self, n: usize) -> String {
        self.text.fill(
            if n == 1 { "events_one" } else { "events_many" },
            &[("n", &self.text.number(n as u64))],
        )
    }

    /// A small map of Iran with one province lit and, for a city, a dot.
    pub fn locator(
        &self,
        maps: &Maps,
        province: Option<ProvinceIdx>,
        city: Option<CityIdx>,
        label: String,
    ) -> Locator {
        let g = &self.site.data.gazetteer;
        Locator {
            width: maps.small.width,
            height: maps.small.height,
            province: province.map(|p| g.province(p).id.clone()),
            dot: city.map(|c| {
                let city = g.city(c);
                let (x, y) = maps.small.point(city.lon, city.lat);
                Point {
                    x: x.round() as i64,
                    y: y.round() as i64,
                }
            }),
            label,
        }
    }

    /// The map page's map: provinces, and a mark per place sized by its events.
    pub fn map(&self, maps: &Maps) -> MapView {
        let g = &self.site.data.gazetteer;
        let mut marks: Vec<Mark> = self
            .site
            .by_city
            .iter()
            .map(|(c, events)| {
                let city = g.city(*c);
                let (x, y) = maps.large.point(city.lon, city.lat);
                Mark {
                    id: city.id.clone(),
                    name: self.city_name(*c),
                    url: path::city(&city.id),
                    x: x.round() as i64,
                    y: y.round() as i64,
                    r: radius(events.len()),
                    kind: self.dominant_kind(events),
                    n: events.len(),
                    count: self.count_label(events.len()),
                    labelled: false,
                    province_level: false,
                }
            })
            .collect();
        // Events known only by province get a hollow mark at the province's label point.
        for (&p, events) in &self.site.province_level {
            let province = g.province(p);
            let (x, y) = maps.large.point(province.lon, province.lat);
            marks.push(Mark {
                id: format!("province-{}", province.id),
                name: self.province_name(p),
                url: path::province(&province.id),
                x: x.round() as i64,
                y: y.round() as i64,
                r: radius(events.len()),
                kind: self.dominant_kind(events),
                n: events.len(),
                count: self.count_label(events.len()),
                labelled: false,
                province_level: true,
            });
        }
        // Large marks first, so small ones stay on top and clickable.
        marks.sort_by(|a, b| b.n.cmp(&a.n).then(a.id.cmp(&b.id)));
        label_largest(&mut marks, 10);
        MapView {
            width: maps.large.width,
            height: maps.large.height,
            provinces: maps
                .large_paths
                .iter()
                .map(|(p, d)| Shape {
                    id: g.province(*p).id.clone(),
                    name: self.province_name(*p),
                    d: d.clone(),
                    active: self.site.by_province.contains_key(p),
                })
                .collect(),
            marks,
        }
    }

    /// One cell per day of the period (weeks start on Saturday, as in Iran), shaded by the
    /// number of events; right to left in right-to-left languages.
    pub fn heatmap(&self, period: &Period) -> Option<Heatmap> {
        let days = self.site.period_days(period);
        let last = *days.last()?;
        // From the period's first day to its last day with events.
        let (start, end) = (period.start, last);
        let offset = (start.weekday().num_days_from_sunday() as usize + 1) % 7; // Saturday = 0
        let total = (end - start).num_days() as usize + 1;
        let columns = (offset + total).div_ceil(7);
        let max = days
            .iter()
            .map(|d| self.site.days[d].len())
            .max()
            .unwrap_or(1);
        let level = |n: usize| {
            if n == 0 {
                0
            } else {
                (4 * n).div_ceil(max).clamp(1, 4)
            }
        };
        const STEP: usize = 14;
        const TOP: usize = 16;
        let rtl = self.text.rtl;
        let col_x = |col: usize| {
            if rtl {
                (columns - 1 - col) * STEP
            } else {
                col * STEP
            }
        };
        let mut cells = Vec::with_capacity(total);
        let mut months: Vec<Label> = Vec::new();
        let mut last_month_col = None;
        for i in 0..total {
            let date = start + Duration::days(i as i64);
            let slot = offset + i;
            let (col, row) = (slot / 7, slot % 7);
            let n = self.site.days.get(&date).map_or(0, Vec::len);
            if date.day() == 1 || i == 0 {
                // A month begun a few days before the period has too little room for its name:
                // the next month's label takes its place rather than overlapping it.
                if last_month_col.is_some_and(|c| col < c + 3) {
                    months.pop();
                }
                months.push(Label {
                    at: col_x(col),
                    text: self.short_month(date),
                });
                last_month_col = Some(col);
            }
            cells.push(Cell {
                x: col_x(col),
                y: TOP + row * STEP,
                level: level(n),
                url: (n > 0).then(|| path::day(date)),
                label: format!("{}: {}", self.short_date(date), self.count_label(n)),
            });
        }
        let legend = (0..=4)
            .map(|l| {
                let text = match l {
                    0 => self.text.t("legend_none"),
                    4 => self
                        .text
                        .fill("legend_most", &[("n", &self.text.number(max as u64))]),
                    _ => String::new(),
                };
                Label { at: l, text }
            })
            .collect();
        let events: usize = days.iter().map(|d| self.site.days[d].len()).sum();
        Some(Heatmap {
            width: columns * STEP,
            height: TOP + 7 * STEP,
            cells,
            months,
            legend,
            summary: self.text.fill(
                "heatmap_summary",
                &[
                    ("events", &self.count_label(events)),
                    ("days", &self.text.number(days.len() as u64)),
                    ("max", &self.text.number(max as u64)),
                ],
            ),
        })
    }

    fn short_month(&self, date: NaiveDate) -> String {
        if self.text.is_persian() {
            let sh = crate::calendar::SolarHijri::from_gregorian(date);
            self.text.t(&format!("solar_month_{}", sh.month))
        } else {
            self.text
                .t(&format!("month_{}", date.month()))
                .chars()
                .take(3)
                .collect()
        }
    }

    /// Events per day for a place or kind: one bar per day with events (the latest 60).
    pub fn bars(&self, events: &[EventIdx]) -> Option<Bars> {
        // Lists are in date order: the last 60 days are runs at the end, counted from there.
        let mut days: Vec<(NaiveDate, usize)> = Vec::new();
        for i in events.iter().rev() {
            let date = self.site.event(*i).date;
            let full = days.len() == 60;
            match days.last_mut() {
                Some((d, n)) if *d == date => *n += 1,
                _ if full => break,
                _ => days.push((date, 1)),
            }
        }
        days.reverse();
        let (first, last) = (days.first()?.0, days.last()?.0);
        let max = days.iter().map(|(_, n)| *n).max().unwrap_or(1);
        const HEIGHT: usize = 60;
        const W: usize = 8;
        let rtl = self.text.rtl;
        let count = days.len();
        let bars = days
            .iter()
            .enumerate()
            .map(|(i, (date, n))| {
                let h = (HEIGHT * n).div_ceil(max).max(2);
                let slot = if rtl { count - 1 - i } else { i };
                Bar {
                    x: slot * (W + 2),
                    y: HEIGHT - h,
                    w: W,
                    h,
                    url: path::day(*date),
                    label: format!("{}: {}", self.short_date(*date), self.count_label(*n)),
                }
            })
            .collect();
        Some(Bars {
            width: count * (W + 2),
            height: HEIGHT,
            bars,
            first: self.short_date(first),
            last: self.short_date(last),
            max: self.text.number(max as u64),
            summary: self.text.fill(
                "bars_summary",
                &[
                    ("days", &self.text.number(count as u64)),
                    ("max", &self.text.number(max as u64)),
                ],
            ),
        })
    }
}
