//! The site's data besides its events: `site.toml`, the gazetteer (provinces, cities,
//! boundaries) and the registries (publishers, kinds), read and handed to their models, which
//! check them. Every problem in every file is reported, each at its line.

use super::{files, yaml, Document};
use crate::config::{self, SiteConfig};
use crate::diagnostic::{Diagnostic, Location};
use crate::gazetteer::{self, Gazetteer};
use crate::registry::{self, Kind, Publisher, Registry};
use geo::MultiPolygon;
use std::path::Path;

/// `site.toml`, parsed and checked.
pub fn site_config(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
    let path = Path::new(config::FILE);
    let text = files::read_to_string(root, path).map_err(|d| {
        vec![d.with_hint("run ruzshomar from the site's folder, or pass --root DIR")]
    })?;
    let config: SiteConfig = toml(
        path,
        &text,
        "see the comments in site.toml for each setting",
    )
    .map_err(|d| vec![d])?;
    let problems = config.validate(&text);
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(problems)
    }
}

/// A TOML file's text as `T`; a syntax or type error is reported at its position.
pub fn toml<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    hint: &str,
) -> Result<T, Diagnostic> {
    ::toml::from_str(text).map_err(|e| {
        let location = e
            .span()
            .map(|span| Location::at_offset(text, span.start, span.len()))
            .unwrap_or(Location::START);
        Diagnostic::error(path, location, e.message().to_string()).with_hint(hint)
    })
}

/// The four gazetteer files; every problem in them is reported.
pub fn gazetteer(root: &Path) -> Result<Gazetteer, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let provinces = records(root, gazetteer::PROVINCES_FILE, &mut problems);
    let cities = records(root, gazetteer::CITIES_FILE, &mut problems);
    let neighbourhoods = records(root, gazetteer::NEIGHBOURHOODS_FILE, &mut problems);
    let boundaries = boundaries(root, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Gazetteer::new(
        records_only(provinces),
        records_only(cities),
        records_only(neighbourhoods),
        boundaries,
    )
}

/// data/publishers.yaml, checked.
pub fn publishers(root: &Path, problems: &mut Vec<Diagnostic>) -> Registry<Publisher> {
    let file = registry::PUBLISHERS_FILE;
    let registry = Registry::located(located(root, file, problems), file, problems);
    registry::check_publishers(&registry, problems);
    registry
}

/// data/kinds.yaml, checked against the site's languages.
pub fn kinds(root: &Path, languages: &[String], problems: &mut Vec<Diagnostic>) -> Registry<Kind> {
    let file = registry::KINDS_FILE;
    let registry = Registry::located(located(root, file, problems), file, problems);
    registry::check_kinds(&registry, languages, problems);
    registry
}

fn records_only<T>(records: Option<(Document, Vec<(usize, T)>)>) -> Vec<T> {
    let records = records.map(|(_, records)| records).unwrap_or_default();
    records.into_iter().map(|(_, t)| t).collect()
}

/// The records of a YAML list file, each with where it starts (positions cost a second parse
/// of the file: the registries are small, and their problems are found after reading).
fn located<T: serde::de::DeserializeOwned>(
    root: &Path,
    file: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(Location, T)> {
    let Some((doc, records)) = records(root, file, problems) else {
        return Vec::new();
    };
    let at = |i: usize| doc.spans().value(&i.to_string());
    records.into_iter().map(|(i, t)| (at(i), t)).collect()
}

/// The records of a YAML file that is a list (`- id: …`), each with its index, and the
/// document they came from; a bad record is reported at its line and left out.
pub fn records<T: serde::de::DeserializeOwned>(
    root: &Path,
    file: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<(Document, Vec<(usize, T)>)> {
    match yaml::read(root, Path::new(file)) {
        Ok(doc) => {
            let records = list(&doc, problems);
            Some((doc, records))
        }
        Err(e) => {
            problems.push(e);
            None
        }
    }
}

fn list<T: serde::de::DeserializeOwned>(
    doc: &Document,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(usize, T)> {
    let yaml::Value::Sequence(items) = &doc.value else {
        problems.push(
            Diagnostic::error(
                &doc.path,
                Location::START,
                "expected a list of entries (`- id: …`)",
            )
            .with_hint("each entry starts with `- ` at the left margin"),
        );
        return Vec::new();
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match yaml::from_value::<T>(item.clone()) {
            Ok(record) => out.push((i, record)),
            Err(e) => problems.push(
                Diagnostic::error(
                    &doc.path,
                    doc.spans().value(&i.to_string()),
                    format!("entry {}: {e}", i + 1),
                )
                .with_hint("compare with the entries around it"),
            ),
        }
    }
    out
}

/// The province boundaries (GeoJSON), by province id.
fn boundaries(root: &Path, problems: &mut Vec<Diagnostic>) -> Vec<(String, MultiPolygon<f64>)> {
    let file = gazetteer::BOUNDARIES_FILE;
    let fail = |message: String| Diagnostic::error(file, Location::START, message);
    let text = match files::read_to_string(root, Path::new(file)) {
        Ok(text) => text,
        Err(problem) => {
            problems.push(problem);
            return Vec::new();
        }
    };
    let collection = match text.parse::<geojson::GeoJson>() {
        Ok(geojson::GeoJson::FeatureCollection(fc)) => fc,
        Ok(_) => {
            problems.push(fail("expected a GeoJSON FeatureCollection".into()));
            return Vec::new();
        }
        Err(e) => {
            problems.push(fail(format!("invalid GeoJSON: {e}")));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for feature in collection.features {
        let id = feature
            .property("id")
            .and_then(|v| v.as_str())
            .map(str::to_string);
        let shape = feature
            .geometry
            .and_then(|g| geo::Geometry::<f64>::try_from(g).ok())
            .and_then(|g| match g {
                geo::Geometry::Polygon(p) => Some(MultiPolygon::new(vec![p])),
                geo::Geometry::MultiPolygon(mp) => Some(mp),
                _ => None,
            });
        match (id, shape) {
            (Some(id), Some(shape)) => out.push((id, shape)),
            _ => problems.push(fail(
                "a feature lacks an `id` property or a (multi)polygon geometry".into(),
            )),
        }
    }
    out
}
