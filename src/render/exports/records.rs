//! The JSON and GeoJSON exports, serialised straight from the events. The keys are in
//! alphabetical order, as they have always been written; no JSON tree is built per record
//! (at 50,000 events building one took a fifth of the exports' time).

use super::{permalink, places, round, scope, PlacePoint, ATTRIBUTION};
use crate::event_file::{DatePrecision, GeoPrecision};
use crate::model::{Amount, Event, Figure, Source, Translation};
use crate::site::Site;
use chrono::NaiveDate;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

/// A date as `YYYY-MM-DD`.
struct Day(NaiveDate);

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

/// An event, in `events.json` (with its summary and translations) or as a GeoJSON feature's
/// properties (with its places' ids, names and provinces and its Persian title instead).
#[derive(Serialize)]
struct Record<'a> {
    aliases: &'a [String],
    coordinates: Option<[f64; 2]>,
    date: Day,
    date_precision: DatePrecision,
    end: Option<Day>,
    figures: Vec<FigureRecord<'a>>,
    geo_precision: GeoPrecision,
    id: &'a str,
    kind: &'a str,
    permalink: String,
    place: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    place_ids: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    place_names: Option<Vec<&'a str>>,
    places: Vec<PlaceRecord<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provinces: Option<Vec<&'a str>>,
    scope: &'static str,
    sources: Vec<SourceRecord<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    tags: &'a [String],
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title_fa: Option<Option<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    translations: Option<BTreeMap<&'a str, TranslationRecord<'a>>>,
    updated: Option<Day>,
}

#[derive(Serialize)]
struct PlaceRecord<'a> {
    id: &'a str,
    lat: f64,
    lon: f64,
    name: &'a str,
    name_fa: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    neighbourhood: Option<NeighbourhoodRecord<'a>>,
    province: &'a str,
}

#[derive(Serialize)]
struct NeighbourhoodRecord<'a> {
    id: &'a str,
    name: &'a str,
    name_fa: &'a str,
}

#[derive(Serialize)]
struct SourceRecord<'a> {
    archive_url: Option<&'a str>,
    author: Option<&'a str>,
    language: Option<&'a str>,
    published: Day,
    published_precision: DatePrecision,
    publisher: &'a str,
    title: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct FigureRecord<'a> {
    according_to: &'a str,
    count: Option<u64>,
    max: Option<u64>,
    min: Option<u64>,
    note: Option<&'a str>,
    via: Option<&'a str>,
    what: &'a str,
    who: Option<&'a str>,
}

#[derive(Serialize)]
struct TranslationRecord<'a> {
    place: Option<&'a str>,
    summary: Option<&'a str>,
    title: Option<&'a str>,
}

impl<'a> SourceRecord<'a> {
    fn new(s: &'a Source) -> Self {
        SourceRecord {
            archive_url: s.archive_url.as_deref(),
            author: s.author.as_deref(),
            language: s.language.as_deref(),
            published: Day(s.published),
            published_precision: s.published_precision,
            publisher: &s.publisher,
            title: &s.title,
            url: &s.url,
        }
    }
}

impl<'a> FigureRecord<'a> {
    fn new(f: &'a Figure) -> Self {
        let (count, min, max) = match f.amount {
            Amount::Exact(n) => (Some(n), None, None),
            Amount::Range { min, max } => (None, min, max),
        };
        FigureRecord {
            according_to: &f.according_to,
            count,
            max,
            min,
            note: f.note.as_deref(),
            via: f.via.as_deref(),
            what: &f.what,
            who: f.who.as_deref(),
        }
    }
}

impl<'a> TranslationRecord<'a> {
    fn new(t: &'a Translation) -> Self {
        TranslationRecord {
            place: t.place.as_deref(),
            summary: t.summary.as_deref(),
            title: t.title.as_deref(),
        }
    }
}

/// The fields both formats share; `points` are the event's [`places`].
fn record<'a>(site: &'a Site, event: &'a Event, points: &[PlacePoint<'a>]) -> Record<'a> {
    let g = &site.data.gazetteer;
    let places = (points.iter())
        .map(|p| PlaceRecord {
            id: p.id,
            lat: round(p.lat),
            lon: round(p.lon),
            name: p.name,
            name_fa: p.name_fa,
            neighbourhood: p.neighbourhood.map(|h| g.neighbourhood(h)).map(|h| {
                NeighbourhoodRecord {
                    id: &h.id,
                    name: &h.name,
                    name_fa: h.name_fa.as_deref().unwrap_or_default(),
                }
            }),
            province: p.province,
        })
        .collect();
    Record {
        aliases: &event.aliases,
        coordinates: event.coordinates,
        date: Day(event.date),
        date_precision: event.date_precision,
        end: event.end.map(Day),
        figures: event.figures.iter().map(FigureRecord::new).collect(),
        geo_precision: event.geo_precision,
        id: &event.id,
        kind: &event.kind,
        permalink: permalink(site, event),
        place: event.place.as_deref(),
        place_ids: None,
        place_names: None,
        places,
        provinces: None,
        scope: scope(event),
        sources: event.sources.iter().map(SourceRecord::new).collect(),
        summary: None,
        tags: &event.tags,
        title: &event.title,
        title_fa: None,
        translations: None,
        updated: event.updated.map(Day),
    }
}

/// A list serialised one item at a time, straight into the output: a site's worth of records
/// never exists in memory at once.
struct Streamed<F>(F);

impl<F, I, T> Serialize for Streamed<F>
where
    F: Fn() -> I,
    I: Iterator<Item = T>,
    T: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// The keys in alphabetical order, as they have always been written.
#[derive(Serialize)]
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
        events: Streamed(|| {
            events.iter().map(|e| Record {
                summary: Some(&e.summary),
                translations: Some(
                    (e.translations.iter())
                        .map(|(lang, t)| (lang.as_str(), TranslationRecord::new(t)))
                        .collect(),
                ),
                ..record(site, e, &places(site, e))
            })
        }),
        generator: "ruzshomar",
        site: &site.base_url,
    };
    let mut bytes = serde_json::to_vec(&doc).expect("JSON");
    bytes.push(b'\n');
    bytes
}

/// A GeoJSON geometry: a Point or a MultiPoint (keys in alphabetical order).
#[derive(Serialize)]
struct Geometry {
    coordinates: Coordinates,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Coordinates {
    Point([f64; 2]),
    MultiPoint(Vec<[f64; 2]>),
}

impl Geometry {
    fn point(lon: f64, lat: f64) -> Self {
        Geometry {
            coordinates: Coordinates::Point([round(lon), round(lat)]),
            kind: "Point",
        }
    }
}

/// The keys in alphabetical order, as they have always been written.
#[derive(Serialize)]
struct Feature<'a> {
    geometry: Geometry,
    id: &'a str,
    properties: Record<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
}

fn geometry(e: &Event, points: &[PlacePoint]) -> Option<Geometry> {
    Some(match (e.coordinates, points) {
        (Some([lon, lat]), _) => Geometry::point(lon, lat),
        (None, []) => return None,
        (None, [one]) => Geometry::point(one.lon, one.lat),
        (None, many) => Geometry {
            coordinates: Coordinates::MultiPoint(
                many.iter().map(|p| [round(p.lon), round(p.lat)]).collect(),
            ),
            kind: "MultiPoint",
        },
    })
}

fn feature<'a>(site: &'a Site, e: &'a Event, points: &[PlacePoint<'a>]) -> Option<Feature<'a>> {
    let mut provinces: Vec<&str> = points.iter().map(|p| p.province).collect();
    provinces.dedup();
    Some(Feature {
        geometry: geometry(e, points)?,
        id: &e.id,
        properties: Record {
            place_ids: Some(points.iter().map(|p| p.id).collect()),
            place_names: Some(points.iter().map(|p| p.name).collect()),
            provinces: Some(provinces),
            title_fa: Some(e.translations.get("fa").and_then(|t| t.title.as_deref())),
            ..record(site, e, points)
        },
        kind: "Feature",
    })
}

/// The keys in alphabetical order, as they have always been written.
#[derive(Serialize)]
struct FeatureCollection<S> {
    features: S,
    #[serde(rename = "type")]
    kind: &'static str,
}

pub fn events_geojson(site: &Site, events: &[&Event]) -> Vec<u8> {
    let doc = FeatureCollection {
        features: Streamed(|| (events.iter()).filter_map(|e| feature(site, e, &places(site, e)))),
        kind: "FeatureCollection",
    };
    let mut bytes = serde_json::to_vec(&doc).expect("JSON");
    bytes.push(b'\n');
    bytes
}
