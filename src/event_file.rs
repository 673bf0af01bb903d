//! The event file format as Rust types. The JSON Schema that editors use (`ruzshomar schema`,
//! `schema/event.schema.json`) is generated from these types, and `check` uses the same schema
//! to find unknown fields, so the documented format and the accepted format cannot drift.
//!
//! Required fields are `Option` here on purpose: the loader reports every missing field with a
//! hint instead of stopping at serde's first "missing field"; the schema still marks them
//! required for editors.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// YYYY-MM-DD, but no year from 1300 to 1499: those are Solar Hijri dates written by mistake
/// (`check` gives the Gregorian day), and an editor flags them as the contributor types.
const DATE: &str = r"^(?:[02-9]\d{3}|1[0-25-9]\d{2})-\d{2}-\d{2}$";
const SLUG: &str = r"^[a-z0-9]+(-[a-z0-9]+)*$";
const ID: &str = r"^\d{4}-\d{2}-\d{2}-[a-z0-9]+(-[a-z0-9]+)*$";
const URL: &str = r"^https?://";

/// How much one event may hold: generous for any real event, and small enough that a mistaken
/// or hostile file is refused at once rather than checked for minutes or rendered into
/// megabytes of pages. `check` enforces them; the schema shows them to editors.
pub mod limits {
    /// Characters in a title (also a translated one).
    pub const TITLE: usize = 300;
    /// Characters in a summary (also a translated one): a few pages of text.
    pub const SUMMARY: usize = 20_000;
    /// Characters in any other text: a place, a source's title, author or address, a note.
    pub const TEXT: usize = 2_000;
    pub const TAGS: usize = 30;
    pub const SOURCES: usize = 50;
    pub const FIGURES: usize = 100;
    /// Entries in `cities` or `provinces`.
    pub const PLACES: usize = 100;
    pub const ALIASES: usize = 20;
    pub const CORRECTIONS: usize = 50;
}

/// One event: something that happened, where and when, and who reported it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "ruzshomar event")]
pub struct EventFile {
    /// A short, factual headline in your own words.
    #[schemars(required, length(min = 1, max = limits::TITLE))]
    pub title: Option<String>,
    /// The day it happened (Tehran time), YYYY-MM-DD. Must equal the date in the file name.
    #[schemars(required, pattern(DATE))]
    pub date: Option<String>,
    /// The last day, for an event that spans several days (YYYY-MM-DD).
    #[schemars(pattern(DATE))]
    pub end: Option<String>,
    /// How exact `date` is: `day` (default), `approximate` (around that day) or `month`.
    pub date_precision: Option<DatePrecision>,
    /// Where: a city id, name or alias from data/gazetteer/cities.yaml (`malekshahi`, `Shahr-e Kord`, `ملکشاهی`).
    pub city: Option<String>,
    /// Where, when it happened in several cities.
    #[schemars(length(max = limits::PLACES))]
    pub cities: Option<Vec<String>>,
    /// The province of `city`, needed only when several cities share its name (there are three Firuzabads).
    pub province: Option<String>,
    /// Where, when only the province(s) are known.
    #[schemars(length(max = limits::PLACES))]
    pub provinces: Option<Vec<String>>,
    /// `national` for events that concern the whole country.
    pub scope: Option<ScopeKind>,
    /// A finer place inside the city: a square, street, prison, university (free text).
    #[schemars(length(max = limits::TEXT))]
    pub place: Option<String>,
    /// `[longitude, latitude]`, only when the exact spot is known.
    #[schemars(length(min = 2, max = 2))]
    pub coordinates: Option<Vec<f64>>,
    /// How exact the location is: `exact`, `neighbourhood`, `city` or `province`. By default
    /// `exact` with coordinates, `neighbourhood` when every city named is a district or
    /// neighbourhood of it, `province` for an event placed only by province, else `city`.
    pub geo_precision: Option<GeoPrecision>,
    /// Set to true when `coordinates` lie outside Iran on purpose.
    pub outside_iran: Option<bool>,
    /// The kind of event: an id from data/kinds.yaml (protest, strike, clash, crackdown, …).
    #[schemars(required, pattern(SLUG))]
    pub kind: Option<String>,
    /// Free lower-case tags: `live-fire`, `students`.
    #[schemars(length(max = limits::TAGS))]
    pub tags: Option<Vec<Tag>>,
    /// What happened, in Markdown, in your own words, saying who claims what. No raw HTML.
    #[schemars(required, length(min = 1, max = limits::SUMMARY))]
    pub summary: Option<String>,
    /// Numbers (killed, injured, arrested, …), each with who reported it.
    #[schemars(length(max = limits::FIGURES))]
    pub figures: Option<Vec<FigureEntry>>,
    /// Where this is reported: at least one source.
    #[schemars(required, length(min = 1, max = limits::SOURCES))]
    pub sources: Option<Vec<SourceEntry>>,
    /// The event in other languages of the site, by language code (`fa`).
    pub translations: Option<BTreeMap<String, TranslationEntry>>,
    /// Earlier ids of this event (after a rename), so old links keep working.
    #[schemars(length(max = limits::ALIASES))]
    pub aliases: Option<Vec<EventId>>,
    /// A draft is checked but not published.
    pub draft: Option<bool>,
    /// The day this entry was last corrected (YYYY-MM-DD).
    #[schemars(pattern(DATE))]
    pub updated: Option<String>,
    /// What was corrected, and when.
    #[schemars(length(max = limits::CORRECTIONS))]
    pub corrections: Option<Vec<CorrectionEntry>>,
    /// The id of the event this one repeats: its sources are added to that event's page, and
    /// this event gets no page of its own (its address redirects there).
    pub duplicate_of: Option<EventId>,
    /// Ids of events that look like this one but are not the same: silences `check`'s
    /// "probable duplicate" warning for them.
    #[schemars(length(max = limits::ALIASES))]
    pub not_duplicate_of: Option<Vec<EventId>>,
    /// Written by `ruzshomar import`: the dataset and row this event came from, so importing
    /// the same data again updates this file instead of adding another.
    pub import: Option<ImportEntry>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    /// The address of the report (http or https).
    #[schemars(required, pattern(URL))]
    pub url: Option<String>,
    /// The report's title as published.
    #[schemars(required, length(min = 1, max = limits::TEXT))]
    pub title: Option<String>,
    /// Who published it: an id from data/publishers.yaml.
    #[schemars(required, pattern(SLUG))]
    pub publisher: Option<String>,
    /// The day it was published, YYYY-MM-DD.
    #[schemars(required, pattern(DATE))]
    pub published: Option<String>,
    /// `approximate` or `month` when the exact day of publication is not known.
    pub published_precision: Option<DatePrecision>,
    pub author: Option<String>,
    /// An archived copy (web.archive.org, archive.today).
    #[schemars(pattern(URL))]
    pub archive_url: Option<String>,
    /// The language of the report: `en`, `fa`, …
    #[schemars(pattern(r"^[a-z]{2,3}$"))]
    pub language: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FigureEntry {
    /// What is counted: `killed`, `injured`, `arrested`, `executed`, …
    #[schemars(required, pattern(SLUG))]
    pub what: Option<String>,
    /// The number, when one number is reported.
    pub count: Option<u64>,
    /// At least this many.
    pub min: Option<u64>,
    /// At most this many.
    pub max: Option<u64>,
    /// Whom the figure is about: `protesters`, `security-forces`, `children`, …
    #[schemars(pattern(SLUG))]
    pub who: Option<String>,
    /// The publisher that makes this claim (an id from data/publishers.yaml).
    #[schemars(required, pattern(SLUG))]
    pub according_to: Option<String>,
    /// The cited publisher that relayed the claim, when `according_to` is not itself cited.
    #[schemars(pattern(SLUG))]
    pub via: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TranslationEntry {
    #[schemars(length(max = limits::TITLE))]
    pub title: Option<String>,
    #[schemars(length(max = limits::SUMMARY))]
    pub summary: Option<String>,
    #[schemars(length(max = limits::TEXT))]
    pub place: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionEntry {
    #[schemars(required, pattern(DATE))]
    pub date: Option<String>,
    /// What was wrong and what changed.
    #[schemars(required, length(min = 1, max = limits::TEXT))]
    pub note: Option<String>,
}

/// Where an imported event came from (written by `ruzshomar import`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportEntry {
    /// The dataset: `--source`, by default the imported file's name without its extension.
    #[schemars(required, length(min = 1, max = limits::TEXT))]
    pub source: Option<String>,
    /// The row within the dataset: its `--id` column, or a checksum of the cells that identify it.
    #[schemars(required, length(min = 1, max = limits::TEXT))]
    pub key: Option<String>,
    /// A checksum of the file as the import wrote it (without this line): a later import
    /// updates the file only while it still matches, so edits made by hand are kept.
    #[schemars(pattern(r"^[0-9a-f]{16}$"))]
    pub digest: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    #[default]
    Day,
    Approximate,
    Month,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum GeoPrecision {
    Exact,
    Neighbourhood,
    #[default]
    City,
    Province,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ScopeKind {
    National,
}

/// A lower-case tag: letters, digits and `-`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct Tag(#[schemars(pattern(SLUG))] pub String);

/// An event id: the file name without `.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct EventId(#[schemars(pattern(ID))] pub String);

/// The event JSON Schema (draft-07, the draft with the widest editor support).
pub fn event_schema() -> &'static serde_json::Value {
    static SCHEMA: OnceLock<serde_json::Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let settings = schemars::generate::SchemaSettings::draft07();
        let schema = settings
            .into_generator()
            .into_root_schema_for::<EventFile>();
        let mut value = serde_json::to_value(schema).expect("a schema is plain JSON");
        // An absent optional field is simply absent: `null` is not a value to suggest.
        remove_null(&mut value);
        value["$id"] = "https://github.com/ruzshomar/ruzshomar/schema/event.schema.json".into();
        value
    })
}

/// Drops the `null` alternative schemars adds for `Option` fields.
fn remove_null(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            for key in ["anyOf", "oneOf"] {
                if let Some(Value::Array(options)) = map.get_mut(key) {
                    options.retain(|o| o.get("type").is_none_or(|t| t != "null"));
                    if options.len() == 1 {
                        let only = options.remove(0);
                        map.remove(key);
                        if let Value::Object(inner) = only {
                            map.extend(inner);
                        }
                    }
                }
            }
            if let Some(Value::Array(values)) = map.get_mut("enum") {
                values.retain(|v| !v.is_null());
            }
            map.values_mut().for_each(remove_null);
        }
        Value::Array(items) => items.iter_mut().for_each(remove_null),
        _ => {}
    }
}

/// The schema as written to `schema/event.schema.json`: pretty JSON with a final newline.
pub fn event_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(event_schema()).expect("a schema serialises");
    text.push('\n');
    text
}
