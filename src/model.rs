//! Resolved events: every name turned into a gazetteer or registry entry, every date parsed.
//! Nothing downstream of `resolve` sees raw YAML.

use crate::event_file::{DatePrecision, GeoPrecision};
use crate::gazetteer::{CityIdx, NeighbourhoodIdx, ProvinceIdx};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Event {
    /// The file stem: `2026-01-03-malekshahi-live-fire`.
    pub id: String,
    /// The file, relative to the site root.
    pub file: PathBuf,
    pub title: String,
    pub date: NaiveDate,
    pub end: Option<NaiveDate>,
    pub date_precision: DatePrecision,
    pub places: Places,
    /// The districts or neighbourhoods named in `city`/`cities`, each inside one of the
    /// event's cities.
    pub neighbourhoods: Vec<NeighbourhoodIdx>,
    /// A finer place inside the city, as written.
    pub place: Option<String>,
    /// `[lon, lat]`, when the exact spot is known.
    pub coordinates: Option<[f64; 2]>,
    pub geo_precision: GeoPrecision,
    pub outside_iran: bool,
    /// A kind id from data/kinds.yaml.
    pub kind: String,
    pub tags: Vec<String>,
    /// Markdown, already checked for raw HTML and unsafe links.
    pub summary: String,
    pub figures: Vec<Figure>,
    pub sources: Vec<Source>,
    pub translations: BTreeMap<String, Translation>,
    pub aliases: Vec<String>,
    pub draft: bool,
    pub updated: Option<NaiveDate>,
    pub corrections: Vec<Correction>,
    /// The event this one repeats (`duplicate_of`); resolve merges such events into their
    /// target, so nothing after resolve sees one.
    pub duplicate_of: Option<String>,
    /// Events that look like this one but are not the same (`not_duplicate_of`).
    pub not_duplicate_of: Vec<String>,
    /// Where `ruzshomar import` took it from.
    pub import: Option<Import>,
}

/// The dataset and row an imported event came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub source: String,
    pub key: String,
    pub digest: Option<String>,
}

/// Where an event happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Places {
    Cities(Vec<CityIdx>),
    Provinces(Vec<ProvinceIdx>),
    National,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub url: String,
    pub title: String,
    /// A publisher id from data/publishers.yaml.
    pub publisher: String,
    pub published: NaiveDate,
    pub published_precision: DatePrecision,
    pub author: Option<String>,
    pub archive_url: Option<String>,
    pub language: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Figure {
    pub what: String,
    pub amount: Amount,
    pub who: Option<String>,
    pub according_to: String,
    pub via: Option<String>,
    pub note: Option<String>,
}

/// A reported number: exact, or a range with either end open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Amount {
    Exact(u64),
    Range { min: Option<u64>, max: Option<u64> },
}

#[derive(Debug, Clone, Default)]
pub struct Translation {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub place: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Correction {
    pub date: NaiveDate,
    pub note: String,
}

impl Event {
    /// The last day the event covers.
    pub fn last_day(&self) -> NaiveDate {
        self.end.unwrap_or(self.date)
    }

    /// The distinct publishers that report it: one means "single source".
    pub fn publishers(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.sources.iter().map(|s| s.publisher.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}
