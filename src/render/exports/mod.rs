//! Open data for researchers and other tools: every event as JSON, CSV and GeoJSON (RFC 7946),
//! a file of each per year (by the day the event started), gzip-compressed, in `data/`, with a
//! manifest, `data/index.json`. Every record carries its full citation; ids are the stable
//! event ids.
//!
//! Per year and compressed because a site of 100,000 events must fit on GitHub Pages (1 GB):
//! uncompressed, the three formats alone would take over 400 MB; a year's file is also what
//! most research starts from.

mod csv;
mod records;

use super::views::path;
use super::{File, RenderContext, Renderer};
use crate::diagnostic::Diagnostic;
use crate::gazetteer::NeighbourhoodIdx;
use crate::model::{Event, Places};
use crate::site::Site;
use chrono::Datelike;
use rayon::prelude::*;
use serde_json::{json, Value};
use std::io::Write as _;

pub struct Exports;

/// Where the exports are, from the output root.
pub const DIR: &str = "data";

/// What makes a format's file from a year's events.
type Export = fn(&Site, &[&Event]) -> Vec<u8>;

/// The formats, as file extensions (before `.gz`), with what makes each.
const FORMATS: [(&str, Export); 3] = [
    ("json", records::events_json),
    ("csv", csv::events_csv),
    ("geojson", records::events_geojson),
];

impl Renderer for Exports {
    fn site(&self, cx: &RenderContext) -> Result<Vec<File>, Vec<Diagnostic>> {
        let site = cx.site;
        let years = by_year(site);
        let selected = |year: &i32| (cx.selection.as_ref()).is_none_or(|s| s.years.contains(year));
        let jobs: Vec<(i32, &str, Export)> = (years.keys())
            .filter(|year| selected(year))
            .flat_map(|year| FORMATS.iter().map(move |(ext, make)| (*year, *ext, *make)))
            .collect();
        let mut files: Vec<File> = jobs
            .par_iter()
            .map(|(year, ext, make)| File {
                path: format!("{DIR}/{year}.{ext}.gz"),
                bytes: gzip(&make(site, &years[year])),
            })
            .collect();
        // The manifest lists the sizes of every year's files: after a part, whoever keeps the
        // others makes it ([`manifest`]).
        if cx.selection.is_none() {
            let size =
                |path: &str| (files.iter().find(|f| f.path == path)).map_or(0, |f| f.bytes.len());
            files.push(File {
                path: MANIFEST.into(),
                bytes: manifest(site, size),
            });
        }
        Ok(files)
    }
}

/// The events of each year, in date order.
pub fn by_year(site: &Site) -> std::collections::BTreeMap<i32, Vec<&Event>> {
    let mut years: std::collections::BTreeMap<i32, Vec<&Event>> = Default::default();
    for event in &site.events {
        years.entry(event.date.year()).or_default().push(event);
    }
    years
}

/// Gzip with no name and no time in its header: the same data gives the same bytes. Level 4:
/// at 50,000 events the exports are 6 % larger than at the default 6 (22.5 MB, not 21.2) and
/// the whole build takes about a tenth less CPU.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::new(4));
    encoder.write_all(bytes).expect("in memory");
    encoder.finish().expect("in memory")
}

/// Where the manifest is, from the output root.
pub const MANIFEST: &str = "data/index.json";

/// `data/index.json`: every file with its year, format, number of events and size (`size`
/// of a path), and the attribution the data carries.
pub fn manifest(site: &Site, size: impl Fn(&str) -> usize) -> Vec<u8> {
    let years: Vec<Value> = (by_year(site).iter())
        .map(|(year, events)| {
            let formats: serde_json::Map<String, Value> = (FORMATS.iter())
                .map(|(ext, _)| {
                    let name = format!("{year}.{ext}.gz");
                    let bytes = size(&format!("{DIR}/{name}"));
                    (ext.to_string(), json!({"file": name, "bytes": bytes}))
                })
                .collect();
            json!({"year": year, "events": events.len(), "files": formats})
        })
        .collect();
    let doc = json!({
        "site": site.base_url,
        "generator": "ruzshomar",
        "attribution": ATTRIBUTION,
        "events": site.events.len(),
        "years": years,
    });
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("JSON");
    bytes.push(b'\n');
    bytes
}

/// What the data's licences ask to be said (in full in data/gazetteer/LICENSES.md).
const ATTRIBUTION: &str = "Place names and coordinates: GeoNames (CC BY 4.0). Province boundaries © OpenStreetMap contributors (ODbL). Neighbourhoods: GeoNames via Who's On First (CC BY 4.0); Tehran's districts © OpenStreetMap contributors (ODbL).";

fn round(x: f64) -> f64 {
    (x * 100_000.0).round() / 100_000.0
}

fn permalink(site: &Site, event: &Event) -> String {
    format!(
        "{}{}",
        site.base_url,
        path::event(&event.id).trim_end_matches("index.html")
    )
}

/// A place of an event, where the exports put it.
struct PlacePoint<'a> {
    id: &'a str,
    name: &'a str,
    name_fa: &'a str,
    /// The province's id (the place's own, for a province).
    province: &'a str,
    /// The district or neighbourhood of the city the event names, whose coordinates these are.
    neighbourhood: Option<NeighbourhoodIdx>,
    lon: f64,
    lat: f64,
}

/// The places of an event with their coordinates: its cities (once for each neighbourhood of
/// it the event names, at the neighbourhood), or its provinces' label points.
fn places<'a>(site: &'a Site, event: &Event) -> Vec<PlacePoint<'a>> {
    let g = &site.data.gazetteer;
    match &event.places {
        Places::Cities(cities) => (cities.iter())
            .flat_map(|c| {
                let city = g.city(*c);
                let point = |neighbourhood: Option<NeighbourhoodIdx>| {
                    let (lon, lat) = match neighbourhood.map(|h| g.neighbourhood(h)) {
                        Some(h) => (h.lon, h.lat),
                        None => (city.lon, city.lat),
                    };
                    PlacePoint {
                        id: &city.id,
                        name: &city.name,
                        name_fa: city.name_fa.as_deref().unwrap_or_default(),
                        province: &g.province(g.province_of(*c)).id,
                        neighbourhood,
                        lon,
                        lat,
                    }
                };
                let hoods: Vec<NeighbourhoodIdx> = (event.neighbourhoods.iter())
                    .filter(|h| g.city_of(**h) == *c)
                    .copied()
                    .collect();
                match hoods.is_empty() {
                    true => vec![point(None)],
                    false => hoods.into_iter().map(|h| point(Some(h))).collect(),
                }
            })
            .collect(),
        Places::Provinces(provinces) => (provinces.iter())
            .map(|p| {
                let p = g.province(*p);
                PlacePoint {
                    id: &p.id,
                    name: &p.name,
                    name_fa: &p.name_fa,
                    province: &p.id,
                    neighbourhood: None,
                    lon: p.lon,
                    lat: p.lat,
                }
            })
            .collect(),
        Places::National => Vec::new(),
    }
}

/// How widely an event is placed: `city`, `province` or `national`.
fn scope(event: &Event) -> &'static str {
    match event.places {
        Places::Cities(_) => "city",
        Places::Provinces(_) => "province",
        Places::National => "national",
    }
}
