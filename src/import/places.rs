//! Where each row happened: its city and province cells through the gazetteer's resolver (the
//! one `check` uses, so an imported name resolves exactly as it would in a file), decisions
//! from a `--places` file applied first, and coordinates used to choose between same-named
//! towns. Each distinct (name, province) is resolved once.

use crate::diagnostic::{Diagnostic, Location};
use crate::gazetteer::{CityIdx, Gazetteer, Match, NeighbourhoodIdx, PlaceError, ProvinceIdx};
use crate::names::match_key;
use std::collections::HashMap;
use std::path::Path;

/// A reason a row is refused: the message groups rows (it names the value, never the row).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Problem {
    pub message: String,
    pub hint: String,
}

impl Problem {
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Problem {
        Problem {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// A city, or a district or neighbourhood of it (data/gazetteer/neighbourhoods.yaml).
pub type Spot = (CityIdx, Option<NeighbourhoodIdx>);

/// Where an event is, as its file will say.
#[derive(Debug, Clone, PartialEq)]
pub enum Where {
    Cities(Vec<Spot>),
    Provinces(Vec<ProvinceIdx>),
    National,
}

/// A place decided: where, and a finer `place:` text when the decision gives one.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub at: Where,
    pub place: Option<String>,
    /// How the name was read when `check` would have said so (another spelling, the largest of
    /// several towns, a qualified name): the report lists these.
    pub note: Option<String>,
}

impl Where {
    /// This place as a target with no finer place and nothing to note.
    fn target(self) -> Target {
        Target {
            at: self,
            place: None,
            note: None,
        }
    }
}

/// The id to write for a spot: the neighbourhood's, else the city's.
pub fn spot_id(g: &Gazetteer, spot: Spot) -> &str {
    match spot.1 {
        Some(h) => &g.neighbourhood(h).id,
        None => &g.city(spot.0).id,
    }
}

/// "Yaftabad, Tehran" or "Tehran": a spot as a title names it.
pub fn spot_name(g: &Gazetteer, spot: Spot) -> String {
    match spot.1 {
        Some(h) => g.label_neighbourhood(h),
        None => g.city(spot.0).name.clone(),
    }
}

/// `[lon, lat]` of a spot.
fn spot_point(g: &Gazetteer, spot: Spot) -> [f64; 2] {
    match spot.1 {
        Some(h) => [g.neighbourhood(h).lon, g.neighbourhood(h).lat],
        None => [g.city(spot.0).lon, g.city(spot.0).lat],
    }
}

/// A `--places` file: `name,province,city,place,provinces`. `province` may be empty (any
/// province); `city` is a city id or name, `provinces` province names separated by `|`, or
/// `national`; `place` is the finer place to write. Lines with neither city nor provinces
/// (a template not yet filled in) are skipped. Other columns are ignored.
#[derive(Debug, Default)]
pub struct PlaceMap {
    entries: HashMap<(String, String), Target>,
    /// Lines not filled in yet.
    pub empty: usize,
}

impl PlaceMap {
    pub fn read(path: &Path, g: &Gazetteer) -> Result<PlaceMap, Vec<Diagnostic>> {
        let fail = |line: usize, message: String, hint: &str| {
            Diagnostic::error(path, Location::new(line, 1, 1), message).with_hint(hint)
        };
        let mut reader = ::csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(path)
            .map_err(|e| {
                vec![fail(
                    1,
                    format!("cannot read the places file: {e}"),
                    "check the path",
                )]
            })?;
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| {
                vec![fail(
                    1,
                    format!("cannot read the header: {e}"),
                    "save the file as CSV UTF-8",
                )]
            })?
            .iter()
            .map(super::columns::fold)
            .collect();
        let col = |name: &str| header.iter().position(|h| h == name);
        let Some(name_col) = col("name") else {
            return Err(vec![fail(
                1,
                "the places file has no `name` column".into(),
                "its header is name,province,city,place,provinces",
            )]);
        };
        let (province_col, city_col) = (col("province"), col("city"));
        let (place_col, provinces_col) = (col("place"), col("provinces"));
        let mut map = PlaceMap::default();
        let mut problems = Vec::new();
        for record in reader.records() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map(|p| p.line() as usize).unwrap_or(1);
                    problems.push(fail(
                        line,
                        format!("cannot read the line: {e}"),
                        "save the file as CSV UTF-8",
                    ));
                    continue;
                }
            };
            let line = record.position().map(|p| p.line() as usize).unwrap_or(1);
            let get = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("").trim();
            let (city, provinces) = (get(city_col), get(provinces_col));
            if city.is_empty() && provinces.is_empty() {
                map.empty += 1;
                continue;
            }
            match decision(g, city, provinces, get(province_col)) {
                Ok(at) => {
                    let place = Some(super::text::line(get(place_col))).filter(|p| !p.is_empty());
                    let key = (match_key(get(Some(name_col))), match_key(get(province_col)));
                    map.entries.insert(
                        key,
                        Target {
                            at,
                            place,
                            note: None,
                        },
                    );
                }
                Err(p) => problems.push(fail(line, p.message, &p.hint)),
            }
        }
        if problems.is_empty() {
            Ok(map)
        } else {
            Err(problems)
        }
    }

    /// The decision for a name written in a province (or in any province).
    fn get(&self, name: &str, province: &str) -> Option<&Target> {
        let name = match_key(name);
        self.entries
            .get(&(name.clone(), match_key(province)))
            .or_else(|| self.entries.get(&(name, String::new())))
    }
}

/// The places a line of a places file decides on.
fn decision(g: &Gazetteer, city: &str, provinces: &str, province: &str) -> Result<Where, Problem> {
    if !city.is_empty() {
        let within = g.resolve_province(province).ok();
        let found = g
            .resolve(city, None)
            .or_else(|e| within.map_or(Err(e), |p| g.resolve(city, Some(p))));
        return match found {
            Ok(f) => Ok(Where::Cities(vec![(f.city, f.neighbourhood)])),
            Err(e) => Err(Problem::new(
                format!("`city: {city}` is not one city of the gazetteer"),
                hint(&e, "write a city id of data/gazetteer/cities.yaml"),
            )),
        };
    }
    if match_key(provinces) == "national" {
        return Ok(Where::National);
    }
    let mut list = Vec::new();
    for name in provinces
        .split('|')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match g.resolve_province(name) {
            Ok(p) => list.push(p),
            Err(e) => {
                return Err(Problem::new(
                    format!("no province called `{name}`"),
                    hint(&e, "write a province id of data/gazetteer/provinces.yaml"),
                ))
            }
        }
    }
    Ok(Where::Provinces(list))
}

/// The gazetteer's own suggestions, as a hint.
fn hint(e: &PlaceError, otherwise: &str) -> String {
    match e {
        PlaceError::Unknown { suggestions } if !suggestions.is_empty() => {
            format!("did you mean {}?", suggestions.join(" or "))
        }
        PlaceError::Ambiguous { candidates } => {
            format!("it names {}; write the id of one", candidates.join(", "))
        }
        PlaceError::NotInProvince { found, .. } => {
            format!("the gazetteer has {}", found.join(", "))
        }
        PlaceError::Province { .. } => "it is a province: write it in `provinces`".to_string(),
        _ => otherwise.to_string(),
    }
}

/// What a (name, province) resolves to, before coordinates are looked at.
#[derive(Debug, Clone)]
pub enum Found {
    Target(Target),
    /// Several towns have the name: coordinates may choose.
    Candidates(Vec<Spot>, Problem),
    Failed(Problem),
}

/// Resolves the places of the rows, each distinct (name, province) once.
pub struct Resolver<'a> {
    g: &'a Gazetteer,
    map: Option<&'a PlaceMap>,
    found: HashMap<(String, String), Found>,
    /// How far from a town coordinates may be to choose it, in km.
    pub max_km: f64,
}

impl<'a> Resolver<'a> {
    /// Resolves every (name, province) of `pairs`, in parallel.
    pub fn new(
        g: &'a Gazetteer,
        map: Option<&'a PlaceMap>,
        pairs: impl IntoIterator<Item = (String, String)>,
        max_km: f64,
    ) -> Resolver<'a> {
        use rayon::prelude::*;
        let mut distinct: Vec<(String, String)> = pairs.into_iter().collect();
        distinct.sort_unstable();
        distinct.dedup();
        let mut resolver = Resolver {
            g,
            map,
            found: HashMap::new(),
            max_km,
        };
        let found: Vec<Found> = distinct
            .par_iter()
            .map(|(name, province)| resolver.lookup(name, province))
            .collect();
        resolver.found = distinct.into_iter().zip(found).collect();
        resolver
    }

    /// Where a row is: its names, and its coordinates (`[lon, lat]`) when it has some.
    pub fn place(
        &self,
        name: &str,
        province: &str,
        point: Option<[f64; 2]>,
    ) -> Result<Target, Problem> {
        let key = (name.to_string(), province.to_string());
        let owned;
        let found = match self.found.get(&key) {
            Some(found) => found,
            None => {
                owned = self.lookup(name, province);
                &owned
            }
        };
        match found {
            Found::Target(t) => Ok(t.clone()),
            Found::Failed(p) => Err(p.clone()),
            Found::Candidates(cities, problem) => {
                let Some(point) = point else {
                    return Err(problem.clone());
                };
                let nearest = cities
                    .iter()
                    .map(|c| (self.km_from(*c, point), *c))
                    .filter(|(km, _)| *km <= self.max_km)
                    .min_by(|a, b| a.0.total_cmp(&b.0));
                match nearest {
                    Some((_, spot)) => Ok(Where::Cities(vec![spot]).target()),
                    None => Err(Problem::new(
                        problem.message.clone(),
                        format!(
                            "{} (the row's coordinates are more than {} km from each)",
                            problem.hint, self.max_km
                        ),
                    )),
                }
            }
        }
    }

    /// Kilometres from a city or neighbourhood to a point (`[lon, lat]`), along the Earth's
    /// surface.
    pub fn km_from(&self, spot: Spot, point: [f64; 2]) -> f64 {
        haversine_km(spot_point(self.g, spot), point)
    }

    fn lookup(&self, name: &str, province: &str) -> Found {
        let (name, province) = (name.trim(), province.trim());
        if let Some(target) = self.map.and_then(|m| m.get(name, province)) {
            return Found::Target(target.clone());
        }
        if name.is_empty() && province.is_empty() {
            return Found::Failed(Problem::new(
                "the place is empty",
                "fill in the city (or the province, for an event known only by province)",
            ));
        }
        let within = if province.is_empty() {
            None
        } else {
            match self.g.resolve_province(province) {
                Ok(p) => Some(p),
                Err(e) => {
                    return Found::Failed(Problem::new(
                        format!("no province called `{province}`"),
                        hint(&e, "write a province of data/gazetteer/provinces.yaml, or map it in a --places file"),
                    ))
                }
            }
        };
        if name.is_empty() {
            let p = within.expect("a province is given");
            return Found::Target(Where::Provinces(vec![p]).target());
        }
        let parts: Vec<&str> = name
            .split(['|', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if parts.len() > 1 {
            let mut cities = Vec::new();
            let mut notes = Vec::new();
            for part in parts {
                match self.city(part, within, province) {
                    Found::Target(Target {
                        at: Where::Cities(c),
                        note,
                        ..
                    }) => {
                        cities.extend(c);
                        notes.extend(note);
                    }
                    Found::Candidates(_, p) | Found::Failed(p) => return Found::Failed(p),
                    Found::Target(_) => {}
                }
            }
            cities.dedup();
            let note = (!notes.is_empty()).then(|| notes.join("; "));
            return Found::Target(Target {
                note,
                ..Where::Cities(cities).target()
            });
        }
        self.city(name, within, province)
    }

    fn city(&self, name: &str, within: Option<ProvinceIdx>, province: &str) -> Found {
        let g = self.g;
        let scope = within
            .map(|p| format!(" in {} province", g.province(p).name))
            .unwrap_or_default();
        let map_it =
            format!("or decide once in a --places file: `{name},{province},<city id>,<place>`");
        match g.resolve(name, within) {
            Ok(found) => {
                let spot = (found.city, found.neighbourhood);
                let id = spot_id(g, spot);
                let label = match spot.1 {
                    Some(h) => g.label_neighbourhood(h),
                    None => g.label_city(spot.0),
                };
                let note = match &found.by {
                    Match::Id | Match::Name | Match::Alias => None,
                    Match::Spelling => Some(format!(
                        "`{name}` is spelt `{id}` in the gazetteer ({label})"
                    )),
                    Match::Qualified => Some(format!("`{name}` is taken as `{id}` ({label})")),
                    Match::Largest(others) => Some(format!(
                        "`{name}` names {} places; taken as by far the largest, `{id}` ({label})",
                        others.len() + 1
                    )),
                };
                Found::Target(Target {
                    note,
                    ..Where::Cities(vec![spot]).target()
                })
            }
            Err(PlaceError::Ambiguous { candidates }) => {
                let cities: Vec<Spot> = candidates
                    .iter()
                    .filter_map(|c| candidate_id(g, c))
                    .collect();
                let problem = Problem::new(
                    format!(
                        "`{name}`{scope} names {} places: {}",
                        candidates.len(),
                        candidates.join(", ")
                    ),
                    format!("give the row a province or coordinates, {map_it}"),
                );
                Found::Candidates(cities, problem)
            }
            Err(e) => {
                let province_hint = match &e {
                    PlaceError::Province { province: p, .. } => Some(*p),
                    _ => g.resolve_province(name).ok(),
                }
                .map(|p| {
                    format!("for province-wide events decide once in a --places file: `{name},{province},,,{}`; for a town, write its id", g.province(p).id)
                });
                let message = match &e {
                    PlaceError::NotInProvince { .. } => format!("no city called `{name}`{scope}"),
                    PlaceError::Province { also, .. } if also.is_empty() => {
                        format!("`{name}` is a province, not a city")
                    }
                    PlaceError::Province { also, .. } => {
                        format!(
                            "`{name}` is a province, and the name of {}",
                            also.join(", ")
                        )
                    }
                    _ => format!("no place called `{name}`{scope}"),
                };
                let hint = province_hint.unwrap_or_else(|| match &e {
                    PlaceError::Unknown { suggestions } if !suggestions.is_empty() => {
                        format!(
                            "did you mean {}? Fix the cell, {map_it}",
                            suggestions.join(" or ")
                        )
                    }
                    PlaceError::NotInProvince { found, suggestions } if !suggestions.is_empty() => {
                        format!(
                            "did you mean {}? (`{name}` is {} elsewhere) Fix the cell, {map_it}",
                            suggestions.join(" or "),
                            found.join(", ")
                        )
                    }
                    PlaceError::NotInProvince { found, .. } => {
                        format!(
                            "the gazetteer has {}; fix the city or the province, {map_it}",
                            found.join(", ")
                        )
                    }
                    _ => format!("the gazetteer has no such town; fix the cell, {map_it}"),
                });
                Found::Failed(Problem::new(message, hint))
            }
        }
    }
}

/// The place a candidate of [`PlaceError::Ambiguous`] names: it starts with its id in
/// backticks (`Gazetteer::describe_city`, `describe_neighbourhood`).
fn candidate_id(g: &Gazetteer, candidate: &str) -> Option<Spot> {
    let id = candidate.strip_prefix('`')?.split('`').next()?;
    let found = g.resolve(id, None).ok()?;
    Some((found.city, found.neighbourhood))
}

/// Great-circle distance between two `[lon, lat]` points, in km.
pub fn haversine_km(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (lat1, lat2) = (a[1].to_radians(), b[1].to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b[0] - a[0]).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_in_kilometres() {
        // Tehran to Karaj is about 35 km.
        let km = haversine_km([51.389, 35.689], [51.0, 35.8]);
        assert!((30.0..40.0).contains(&km), "{km}");
    }
}
