//! Open data for researchers and other tools: every event as JSON, CSV and GeoJSON (RFC 7946),
//! a file of each per year (by the day the event started), gzip-compressed, in `data/`, with a
//! manifest, `data/index.json`. Every record carries its full citation; ids are the stable
//! event ids.
//!
//! Per year and compressed because a site of 100,000 events must fit on GitHub Pages (1 GB):
//! uncompressed, the three formats alone would take over 400 MB; a year's file is also what
//! most research starts from.

use super::{File, RenderContext, Renderer};
use crate::diagnostic::Diagnostic;
use chrono::Datelike;
use rayon::prelude::*;
use std::io::Write as _;

pub struct Exports;

/// Where the exports are, from the output root.
pub const DIR: &str = "data";

/// What makes a format's file from a year's events.
type Export = fn(&Site, &[&Event]) -> Vec<u8>;

/// The formats, as file extensions (before `.gz`), with what makes each.
const FORMATS: [(&str, Export); 3] = [
    ("json", events_json),
    ("csv", events_csv),
    ("geojson", events_geojson),
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

use super::views::path;
use crate::gazetteer::NeighbourhoodIdx;
use crate::model::{Amount, Event, Places};
use crate::site::Site;
use serde_json::{json, Value};

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

fn sources(event: &Event) -> Value {
    event
        .sources
        .iter()
        .map(|s| {
            json!({
                "url": s.url, "title": s.title, "publisher": s.publisher,
                "published": s.published.to_string(), "published_precision": s.published_precision,
                "author": s.author, "archive_url": s.archive_url, "language": s.language,
            })
        })
        .collect()
}

fn figures(event: &Event) -> Value {
    event
        .figures
        .iter()
        .map(|f| {
            let (count, min, max) = match f.amount {
                Amount::Exact(n) => (Some(n), None, None),
                Amount::Range { min, max } => (None, min, max),
            };
            json!({"what": f.what, "count": count, "min": min, "max": max, "who": f.who, "according_to": f.according_to, "via": f.via, "note": f.note})
        })
        .collect()
}

/// A place of an event, where the exports put it.
struct PlacePoint {
    id: String,
    name: String,
    name_fa: String,
    /// The province's id (the place's own, for a province).
    province: String,
    /// The district or neighbourhood of the city the event names, whose coordinates these are.
    neighbourhood: Option<NeighbourhoodIdx>,
    lon: f64,
    lat: f64,
}

/// The places of an event with their coordinates: its cities (once for each neighbourhood of
/// it the event names, at the neighbourhood), or its provinces' label points.
fn places(site: &Site, event: &Event) -> Vec<PlacePoint> {
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
                        id: city.id.clone(),
                        name: city.name.clone(),
                        name_fa: city.name_fa.clone().unwrap_or_default(),
                        province: g.province(g.province_of(*c)).id.clone(),
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
                    id: p.id.clone(),
                    name: p.name.clone(),
                    name_fa: p.name_fa.clone(),
                    province: p.id.clone(),
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

fn record(site: &Site, event: &Event) -> Value {
    let g = &site.data.gazetteer;
    let places: Vec<Value> = places(site, event)
        .into_iter()
        .map(|p| {
            let mut place = json!({"id": p.id, "name": p.name, "name_fa": p.name_fa, "province": p.province, "lon": round(p.lon), "lat": round(p.lat)});
            if let Some(h) = p.neighbourhood.map(|h| g.neighbourhood(h)) {
                place["neighbourhood"] =
                    json!({"id": h.id, "name": h.name, "name_fa": h.name_fa.clone().unwrap_or_default()});
            }
            place
        })
        .collect();
    json!({
        "id": event.id,
        "title": event.title,
        "date": event.date.to_string(),
        "end": event.end.map(|d| d.to_string()),
        "date_precision": event.date_precision,
        "kind": event.kind,
        "tags": event.tags,
        "scope": scope(event),
        "places": places,
        "place": event.place,
        "coordinates": event.coordinates,
        "geo_precision": event.geo_precision,
        "summary": event.summary,
        "figures": figures(event),
        "sources": sources(event),
        "translations": event.translations.iter().map(|(lang, t)| (lang.clone(), json!({"title": t.title, "summary": t.summary, "place": t.place}))).collect::<serde_json::Map<_, _>>(),
        "aliases": event.aliases,
        "updated": event.updated.map(|d| d.to_string()),
        "permalink": permalink(site, event),
    })
}

/// A list serialised one item at a time, straight into the output: a site's worth of records
/// never exists as one JSON tree in memory.
struct Streamed<F>(F);

impl<F, I> serde::Serialize for Streamed<F>
where
    F: Fn() -> I,
    I: Iterator<Item = Value>,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// The keys in alphabetical order, as they have always been written.
#[derive(serde::Serialize)]
struct EventsDocument<'a, S> {
    attribution: &'a str,
    count: usize,
    events: S,
    generator: &'a str,
    site: &'a str,
}

pub fn events_json(site: &Site, events: &[&Event]) -> Vec<u8> {
    let doc = EventsDocument {
        attribution: ATTRIBUTION,
        count: events.len(),
        events: Streamed(|| events.iter().map(|e| record(site, e))),
        generator: "ruzshomar",
        site: &site.base_url,
    };
    let mut bytes = serde_json::to_vec(&doc).expect("JSON");
    bytes.push(b'\n');
    bytes
}

fn feature(site: &Site, e: &Event) -> Option<Value> {
    let places = places(site, e);
    let geometry = match (e.coordinates, places.as_slice()) {
        (Some([lon, lat]), _) => json!({"type": "Point", "coordinates": [round(lon), round(lat)]}),
        (None, []) => return None,
        (None, [one]) => json!({"type": "Point", "coordinates": [round(one.lon), round(one.lat)]}),
        (None, many) => {
            json!({"type": "MultiPoint", "coordinates": many.iter().map(|p| [round(p.lon), round(p.lat)]).collect::<Vec<_>>()})
        }
    };
    let mut properties = record(site, e);
    let map = properties.as_object_mut().expect("an object");
    map.remove("summary");
    map.remove("translations");
    map.insert(
        "place_names".into(),
        places.iter().map(|p| p.name.clone()).collect(),
    );
    map.insert(
        "place_ids".into(),
        places.iter().map(|p| p.id.clone()).collect(),
    );
    map.insert("provinces".into(), {
        let mut v: Vec<String> = places.iter().map(|p| p.province.clone()).collect();
        v.dedup();
        v.into()
    });
    map.insert(
        "title_fa".into(),
        e.translations
            .get("fa")
            .and_then(|t| t.title.clone())
            .into(),
    );
    Some(json!({"type": "Feature", "id": e.id, "geometry": geometry, "properties": properties}))
}

/// The keys in alphabetical order, as they have always been written.
#[derive(serde::Serialize)]
struct FeatureCollection<S> {
    features: S,
    #[serde(rename = "type")]
    kind: &'static str,
}

pub fn events_geojson(site: &Site, events: &[&Event]) -> Vec<u8> {
    let doc = FeatureCollection {
        features: Streamed(|| events.iter().filter_map(|e| feature(site, e))),
        kind: "FeatureCollection",
    };
    let mut bytes = serde_json::to_vec(&doc).expect("JSON");
    bytes.push(b'\n');
    bytes
}

pub fn events_csv(site: &Site, events: &[&Event]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "id",
        "date",
        "end",
        "date_precision",
        "title",
        "kind",
        "tags",
        "scope",
        "place_ids",
        "place_names",
        "provinces",
        "place",
        "lon",
        "lat",
        "figures",
        "source_urls",
        "source_publishers",
        "source_titles",
        "source_published",
        "summary",
        "permalink",
        "geo_precision",
        "neighbourhood_ids",
        "neighbourhood_names",
    ];
    w.write_record(header).expect("in memory");
    for e in events {
        let places = places(site, e);
        let (lon, lat) = match (e.coordinates, places.first()) {
            (Some([lon, lat]), _) => (round(lon).to_string(), round(lat).to_string()),
            (None, Some(p)) if places.len() == 1 => {
                (round(p.lon).to_string(), round(p.lat).to_string())
            }
            _ => (String::new(), String::new()),
        };
        let figures: Vec<String> = e
            .figures
            .iter()
            .map(|f| {
                let n = match f.amount {
                    Amount::Exact(n) => n.to_string(),
                    Amount::Range { min, max } => format!(
                        "{}-{}",
                        min.map(|v| v.to_string()).unwrap_or_default(),
                        max.map(|v| v.to_string()).unwrap_or_default()
                    ),
                };
                format!(
                    "{} {} {} (according to {})",
                    n,
                    f.what,
                    f.who.as_deref().unwrap_or(""),
                    f.according_to
                )
                .replace("  ", " ")
            })
            .collect();
        let join = |items: Vec<String>| items.join(" | ");
        let hood_field = |f: fn(&crate::gazetteer::Neighbourhood) -> String| -> Vec<String> {
            (e.neighbourhoods.iter())
                .map(|h| f(site.data.gazetteer.neighbourhood(*h)))
                .collect()
        };
        let record = [
            e.id.clone(),
            e.date.to_string(),
            e.end.map(|d| d.to_string()).unwrap_or_default(),
            format!("{:?}", e.date_precision).to_lowercase(),
            e.title.clone(),
            e.kind.clone(),
            e.tags.join(" | "),
            scope(e).to_string(),
            join(places.iter().map(|p| p.id.clone()).collect()),
            join(places.iter().map(|p| p.name.clone()).collect()),
            join(places.iter().map(|p| p.province.clone()).collect()),
            e.place.clone().unwrap_or_default(),
            lon,
            lat,
            join(figures),
            join(e.sources.iter().map(|s| s.url.clone()).collect()),
            join(e.sources.iter().map(|s| s.publisher.clone()).collect()),
            join(e.sources.iter().map(|s| s.title.clone()).collect()),
            join(e.sources.iter().map(|s| s.published.to_string()).collect()),
            e.summary.trim().to_string(),
            permalink(site, e),
            serde_json::to_value(e.geo_precision)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            join(hood_field(|h| h.id.clone())),
            join(hood_field(|h| h.name.clone())),
        ];
        // Coordinates are numbers we write (negative outside Iran); every other cell is text.
        let (lon_column, lat_column) = (12, 13);
        w.write_record(record.into_iter().enumerate().map(|(i, cell)| {
            if i == lon_column || i == lat_column {
                cell
            } else {
                inert_cell(cell)
            }
        }))
        .expect("in memory");
    }
    w.into_inner().expect("in memory")
}

/// A CSV cell that a spreadsheet will not run: text starting with `=`, `+`, `-`, `@`, a tab or
/// a carriage return is a formula to Excel and LibreOffice (`=HYPERLINK(…)`), so it gets a
/// leading `'`, as OWASP advises. Researchers reading the file as data see the `'`.
fn inert_cell(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}
