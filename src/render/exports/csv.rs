//! The CSV export: one row per event, lists joined with ` | `, cells a spreadsheet will not run.

use super::{permalink, places, round, scope};
use crate::model::{Amount, Event};
use crate::site::Site;

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
            join(places.iter().map(|p| p.id.to_string()).collect()),
            join(places.iter().map(|p| p.name.to_string()).collect()),
            join(places.iter().map(|p| p.province.to_string()).collect()),
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
