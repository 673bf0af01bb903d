//! The open data page: the exports of every year in every format, the feeds, and what the data
//! may be used for and must credit.

use crate::render::exports;
use crate::render::views::Views;
use serde::Serialize;
use tera::Context;

/// A year of the exports.
#[derive(Serialize)]
struct Year {
    year: String,
    count: String,
    files: Vec<DataFile>,
}

/// One file of a year.
#[derive(Serialize)]
struct DataFile {
    format: &'static str,
    /// From the output root.
    path: String,
}

pub fn data(views: &Views) -> (&'static str, Context, String) {
    let (site, t) = (views.site, views.text);
    let years: Vec<Year> = (exports::by_year(site).into_iter())
        .rev()
        .map(|(year, events)| Year {
            year: t.digits(&year.to_string()),
            count: t.count("events", events.len()),
            files: [("JSON", "json"), ("CSV", "csv"), ("GeoJSON", "geojson")]
                .into_iter()
                .map(|(format, ext)| DataFile {
                    format,
                    path: format!("{}/{year}.{ext}.gz", exports::DIR),
                })
                .collect(),
        })
        .collect();
    let mut cx = Context::new();
    cx.insert("years", &years);
    cx.insert("manifest", &format!("{}/index.json", exports::DIR));
    cx.insert("total", &t.count("events", site.events.len()));
    ("data.html", cx, t.t("data_title"))
}
