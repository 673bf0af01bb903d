//! The three input formats as one table: named columns and rows of text cells.
//!
//! - CSV (or TSV): the first line names the columns; the delimiter (`,`, `;` or tab) is found
//!   from that line unless given. A cell a spreadsheet guard made safe (`'=…`, as our rejects
//!   file writes them) loses its leading `'`.
//! - JSON Lines: one object per line; the columns are the keys in order of first appearance.
//!   Numbers and booleans become their text, `null` an empty cell, a list its items joined
//!   by `|` (several sources), an object its JSON text.
//! - GeoJSON: a FeatureCollection; each feature's `properties` are a row, its `id` the `id`
//!   column when the properties have none, and a Point geometry its coordinates.
//!
//! A row that cannot be read (not UTF-8, not a JSON object, more cells than columns, a
//! geometry that is not a point) is kept with the reason, to be rejected like any other.

use crate::diagnostic::{Diagnostic, Location};
use serde_json::Value as Json;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Jsonl,
    Geojson,
}

impl Format {
    /// The format a file's name says: `.csv`/`.tsv`, `.jsonl`/`.ndjson`, `.geojson`/`.json`.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "tsv" | "txt" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "geojson" | "json" => Some(Format::Geojson),
            _ => None,
        }
    }

    /// What a row is called in this format: "line 12", "feature 3".
    pub fn unit(self) -> &'static str {
        match self {
            Format::Csv | Format::Jsonl => "line",
            Format::Geojson => "feature",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Jsonl => "JSON Lines",
            Format::Geojson => "GeoJSON",
        }
    }
}

/// Why one row could not be read.
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub message: String,
    pub hint: String,
    /// The row's text as it was, when it has no cells to show.
    pub raw: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Row {
    /// The row's line (CSV, JSON Lines; for CSV the line it starts on) or feature number.
    pub number: usize,
    /// One cell per column, empty where the row has none.
    pub cells: Vec<String>,
    /// `[longitude, latitude]` of a GeoJSON point.
    pub point: Option<[f64; 2]>,
    pub unreadable: Option<Unreadable>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub format: Format,
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
}

/// Reads the input file. A file that cannot be read at all (missing, not UTF-8 in its header,
/// not GeoJSON) is one diagnostic.
pub fn read(path: &Path, format: Format, delimiter: Option<u8>) -> Result<Table, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(path, Location::START, format!("cannot read the file: {e}"))
            .with_hint("check the path and that the file is readable")
    })?;
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    match format {
        Format::Csv => csv(path, bytes, delimiter),
        Format::Jsonl => Ok(jsonl(bytes)),
        Format::Geojson => geojson(path, bytes),
    }
}

/// The delimiter of a CSV header line: the most frequent of `,`, `;` and tab outside quotes.
fn sniff(bytes: &[u8]) -> u8 {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in first {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|i| (counts[*i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// A cell written by a spreadsheet guard (`'=SUM(…)`): the guard is not part of the text.
fn unguard(cell: String) -> String {
    let guarded = cell.starts_with('\'') && cell[1..].starts_with(['=', '+', '-', '@', '\t', '\r']);
    if guarded {
        cell[1..].to_string()
    } else {
        cell
    }
}

fn csv(path: &Path, bytes: &[u8], delimiter: Option<u8>) -> Result<Table, Diagnostic> {
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter.unwrap_or_else(|| sniff(bytes)))
        .flexible(true)
        .has_headers(true)
        .from_reader(bytes);
    let header = reader.byte_headers().map_err(|e| {
        Diagnostic::error(
            path,
            Location::START,
            format!("cannot read the header line: {e}"),
        )
        .with_hint("the first line names the columns: date,city,title,url,…")
    })?;
    let mut columns = Vec::with_capacity(header.len());
    for name in header {
        let name = std::str::from_utf8(name).map_err(|_| {
            Diagnostic::error(path, Location::START, "the header line is not UTF-8")
                .with_hint("export the file as CSV UTF-8 (in Excel: “CSV UTF-8 (Comma delimited)”)")
        })?;
        columns.push(name.trim().to_string());
    }
    let mut rows = Vec::new();
    for (i, record) in reader.byte_records().enumerate() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let number = e.position().map(|p| p.line() as usize).unwrap_or(i + 2);
                rows.push(unreadable(
                    number,
                    format!("cannot read the row: {e}"),
                    "check the quotes of this row",
                    None,
                ));
                continue;
            }
        };
        let number = record
            .position()
            .map(|p| p.line() as usize)
            .unwrap_or(i + 2);
        if record.len() == 1 && record[0].is_empty() {
            continue;
        }
        let mut cells = Vec::with_capacity(columns.len());
        let mut bad_utf8 = false;
        for field in &record {
            match std::str::from_utf8(field) {
                Ok(text) => cells.push(unguard(text.to_string())),
                Err(_) => {
                    bad_utf8 = true;
                    cells.push(String::from_utf8_lossy(field).into_owned());
                }
            }
        }
        let mut row = Row {
            number,
            cells,
            point: None,
            unreadable: None,
        };
        if bad_utf8 {
            row.unreadable = Some(Unreadable {
                message: "the row is not valid UTF-8".into(),
                hint: "export the file as CSV UTF-8; the rejects file shows the row with � where the bad bytes were".into(),
                raw: None,
            });
        } else if row.cells.len() > columns.len() {
            // The extra cells have no column in the rejects file: the row is kept whole.
            let mut raw = ::csv::WriterBuilder::new().from_writer(Vec::new());
            let _ = raw.write_record(&row.cells);
            let raw = raw
                .into_inner()
                .ok()
                .map(|b| String::from_utf8_lossy(&b).trim_end().to_string());
            row.unreadable = Some(Unreadable {
                message: "the row has more cells than the header has columns".into(),
                hint: "a cell with the delimiter in it needs quotes: \"Tehran, Iran\"".into(),
                raw,
            });
        }
        row.cells
            .resize(columns.len().max(row.cells.len()), String::new());
        rows.push(row);
    }
    Ok(Table {
        format: Format::Csv,
        columns,
        rows,
    })
}

fn unreadable(number: usize, message: String, hint: &str, raw: Option<String>) -> Row {
    Row {
        number,
        cells: Vec::new(),
        point: None,
        unreadable: Some(Unreadable {
            message,
            hint: hint.to_string(),
            raw,
        }),
    }
}

/// A JSON value as the text of a cell.
fn cell(value: &Json) -> String {
    match value {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        Json::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join("|"),
        Json::Object(_) => value.to_string(),
    }
}

/// One JSON row: its number, its object (empty when there is none), where it is, and why it
/// cannot be read, if it cannot.
type JsonRow = (
    usize,
    serde_json::Map<String, Json>,
    Option<[f64; 2]>,
    Option<Unreadable>,
);

/// Columns in order of first appearance, and rows of cells, from JSON objects.
fn tabulate(objects: Vec<JsonRow>, format: Format) -> Table {
    let mut columns: Vec<String> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (_, object, _, _) in &objects {
        for key in object.keys() {
            if !index.contains_key(key) {
                index.insert(key.clone(), columns.len());
                columns.push(key.clone());
            }
        }
    }
    let rows = objects
        .into_iter()
        .map(|(number, object, point, unreadable)| {
            let mut cells = vec![String::new(); columns.len()];
            for (key, value) in &object {
                cells[index[key]] = cell(value);
            }
            Row {
                number,
                cells,
                point,
                unreadable,
            }
        })
        .collect();
    Table {
        format,
        columns,
        rows,
    }
}

fn jsonl(bytes: &[u8]) -> Table {
    let mut objects = Vec::new();
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        let number = i + 1;
        let empty = serde_json::Map::new;
        let Ok(text) = std::str::from_utf8(line) else {
            let raw = String::from_utf8_lossy(line).into_owned();
            let why = not_read("the line is not valid UTF-8", "save the file as UTF-8", raw);
            objects.push((number, empty(), None, Some(why)));
            continue;
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let row = match serde_json::from_str::<Json>(text) {
            Ok(Json::Object(map)) => (number, map, None, None),
            Ok(_) => (
                number,
                empty(),
                None,
                Some(not_read(
                    "the line is JSON but not an object",
                    "each line holds one object: {\"date\": \"2026-01-08\", …}",
                    text.to_string(),
                )),
            ),
            Err(e) => (
                number,
                empty(),
                None,
                Some(not_read(
                    &format!("the line is not JSON: {e}"),
                    "each line holds one JSON object; check quotes and commas",
                    text.to_string(),
                )),
            ),
        };
        objects.push(row);
    }
    tabulate(objects, Format::Jsonl)
}

fn not_read(message: &str, hint: &str, raw: String) -> Unreadable {
    Unreadable {
        message: message.to_string(),
        hint: hint.to_string(),
        raw: Some(raw),
    }
}

fn geojson(path: &Path, bytes: &[u8]) -> Result<Table, Diagnostic> {
    let value: Json = serde_json::from_slice(bytes).map_err(|e| {
        Diagnostic::error(
            path,
            Location::new(e.line().max(1), e.column().max(1), 1),
            format!("the file is not JSON: {e}"),
        )
        .with_hint("export the layer again as GeoJSON")
    })?;
    let features = match (
        value.get("type").and_then(Json::as_str),
        value.get("features"),
    ) {
        (Some("FeatureCollection"), Some(Json::Array(features))) => features,
        _ => {
            return Err(Diagnostic::error(path, Location::START, "the file is not a GeoJSON FeatureCollection")
                .with_hint("import a FeatureCollection of Points: {\"type\": \"FeatureCollection\", \"features\": [...]}; for one object per line use --format jsonl"));
        }
    };
    let mut objects = Vec::with_capacity(features.len());
    for (i, feature) in features.iter().enumerate() {
        objects.push(feature_row(i + 1, feature));
    }
    Ok(tabulate(objects, Format::Geojson))
}

fn feature_row(number: usize, feature: &Json) -> JsonRow {
    let raw = || Some(feature.to_string().chars().take(2_000).collect::<String>());
    let fail = |properties, message: &str, hint: &str| {
        let why = Unreadable {
            message: message.to_string(),
            hint: hint.to_string(),
            raw: raw(),
        };
        (number, properties, None, Some(why))
    };
    let mut properties = match feature.get("properties") {
        Some(Json::Object(map)) => map.clone(),
        None | Some(Json::Null) => serde_json::Map::new(),
        Some(_) => {
            return fail(
                serde_json::Map::new(),
                "the feature's properties are not an object",
                "a feature's properties are {\"date\": …, \"city\": …}",
            )
        }
    };
    if let Some(id) = feature.get("id").filter(|id| !id.is_null()) {
        properties.entry("id").or_insert_with(|| id.clone());
    }
    let point = match feature.get("geometry") {
        None | Some(Json::Null) => None,
        Some(geometry) => match geometry.get("type").and_then(Json::as_str) {
            Some("Point") => {
                let xy = geometry.get("coordinates").and_then(Json::as_array);
                let lon = xy.and_then(|c| c.first()).and_then(Json::as_f64);
                let lat = xy.and_then(|c| c.get(1)).and_then(Json::as_f64);
                match (lon, lat) {
                    (Some(lon), Some(lat)) => Some([lon, lat]),
                    _ => {
                        return fail(
                            properties,
                            "the point has no [longitude, latitude]",
                            "a Point's coordinates are [longitude, latitude]",
                        )
                    }
                }
            }
            other => {
                let message = format!(
                    "the geometry is a {}, not a Point",
                    other.unwrap_or("shape of no known type")
                );
                return fail(
                    properties,
                    &message,
                    "import points: give each event a Point (a city's location will do), or no geometry",
                );
            }
        },
    };
    (number, properties, point, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_delimiters_are_found_and_guards_removed() {
        assert_eq!(sniff(b"date;city;title\n"), b';');
        assert_eq!(sniff(b"date\tcity\n"), b'\t');
        assert_eq!(sniff(b"\"a;b\",c,d\n"), b',');
        assert_eq!(unguard("'=cmd".into()), "=cmd");
        assert_eq!(unguard("'quoted'".into()), "'quoted'");
    }

    #[test]
    fn json_values_become_cells() {
        let table = jsonl(b"{\"a\": 1, \"urls\": [\"https://x.org\", \"https://y.org\"]}\n\n{\"b\": null, \"a\": true}\nnot json\n[1]\n");
        assert_eq!(table.columns, ["a", "urls", "b"]);
        assert_eq!(table.rows.len(), 4);
        assert_eq!(
            table.rows[0].cells,
            ["1", "https://x.org|https://y.org", ""]
        );
        assert_eq!(table.rows[1].number, 3);
        assert_eq!(table.rows[1].cells, ["true", "", ""]);
        assert!(table.rows[2]
            .unreadable
            .as_ref()
            .unwrap()
            .message
            .contains("not JSON"));
        assert!(table.rows[3]
            .unreadable
            .as_ref()
            .unwrap()
            .message
            .contains("not an object"));
    }
}
