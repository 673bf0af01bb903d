//! Iran's provinces and cities (data/gazetteer/), and how a name written by a contributor
//! becomes one of them.
//!
//! Resolution is exact after normalisation (see [`crate::names`]). Ids win outright; then the
//! primary names (English, GeoNames, Persian); then aliases. A tier that matches several places
//! is ambiguous unless `province` narrows it to one: we never guess between two real towns.

use crate::diagnostic::{Diagnostic, Location};
use crate::names::{closest, is_slug, match_key};
use geo::{Contains, MultiPolygon, Point};
use serde::Deserialize;
use std::collections::HashMap;

pub const PROVINCES_FILE: &str = "data/gazetteer/provinces.yaml";
pub const CITIES_FILE: &str = "data/gazetteer/cities.yaml";
pub const BOUNDARIES_FILE: &str = "data/gazetteer/provinces.geojson";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Province {
    pub id: String,
    pub iso: String,
    pub iso_legacy: String,
    pub name: String,
    pub name_fa: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The capital's city id.
    pub capital: String,
    /// A label point inside the province.
    pub lat: f64,
    pub lon: f64,
    pub area_km2: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct City {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub name_fa: Option<String>,
    /// The province id.
    pub province: String,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    pub geonames: u64,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// Index of a city in [`Gazetteer::cities`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CityIdx(pub usize);

/// Index of a province in [`Gazetteer::provinces`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProvinceIdx(pub usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    Id,
    Name,
    Alias,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceError {
    /// Nothing matches; the closest spellings, if any.
    Unknown { suggestions: Vec<String> },
    /// Several places match and nothing says which.
    Ambiguous { candidates: Vec<String> },
    /// The name exists, but not in the province given; with the nearest spellings there.
    NotInProvince {
        found: Vec<String>,
        suggestions: Vec<String>,
    },
}

#[derive(Debug)]
pub struct Gazetteer {
    pub provinces: Vec<Province>,
    pub cities: Vec<City>,
    city_keys: HashMap<String, Vec<(Tier, CityIdx)>>,
    /// Former ids (aliases written as slugs: records merged into this city), exactly.
    former_ids: HashMap<String, CityIdx>,
    province_keys: HashMap<String, ProvinceIdx>,
    city_province: Vec<ProvinceIdx>,
    boundaries: Vec<(ProvinceIdx, MultiPolygon<f64>)>,
}

impl Gazetteer {
    pub fn new(
        provinces: Vec<Province>,
        cities: Vec<City>,
        boundaries: Vec<(String, MultiPolygon<f64>)>,
    ) -> Result<Gazetteer, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut province_keys = HashMap::new();
        let mut province_ids = HashMap::new();
        // Ids name folders of the site (`provinces/<id>/`): they must be slugs.
        let not_slug = |file: &str, what: &str, id: &str| {
            Diagnostic::error(
                file,
                Location::START,
                format!("{what} id `{id}` is not a slug"),
            )
            .with_hint("ids are lower-case ASCII words joined by `-`: `kohgiluyeh-and-boyer-ahmad`")
        };
        for (i, p) in provinces.iter().enumerate() {
            if !is_slug(&p.id) {
                problems.push(not_slug(PROVINCES_FILE, "province", &p.id));
            }
            province_ids.insert(p.id.as_str(), ProvinceIdx(i));
            let keys = [&p.id, &p.iso, &p.iso_legacy, &p.name, &p.name_fa]
                .into_iter()
                .chain(&p.aliases);
            for key in keys {
                province_keys
                    .entry(match_key(key))
                    .or_insert(ProvinceIdx(i));
            }
            // "Ilam Province", "استان ایلام" are common ways to write a province.
            province_keys
                .entry(match_key(&format!("{} province", p.name)))
                .or_insert(ProvinceIdx(i));
            province_keys
                .entry(match_key(&format!("استان {}", p.name_fa)))
                .or_insert(ProvinceIdx(i));
        }
        let mut city_keys: HashMap<String, Vec<(Tier, CityIdx)>> = HashMap::new();
        let mut city_province = Vec::with_capacity(cities.len());
        let mut ids = HashMap::new();
        for (i, c) in cities.iter().enumerate() {
            let idx = CityIdx(i);
            if !is_slug(&c.id) {
                problems.push(not_slug(CITIES_FILE, "city", &c.id));
            }
            if ids.insert(c.id.as_str(), idx).is_some() {
                problems.push(Diagnostic::error(
                    CITIES_FILE,
                    Location::START,
                    format!("city id `{}` appears twice", c.id),
                ));
            }
            match province_ids.get(c.province.as_str()) {
                Some(p) => city_province.push(*p),
                None => {
                    problems.push(Diagnostic::error(
                        CITIES_FILE,
                        Location::START,
                        format!("city `{}` names unknown province `{}`", c.id, c.province),
                    ));
                    city_province.push(ProvinceIdx(0));
                }
            }
            let mut add = |key: &str, tier: Tier| {
                let entry = city_keys.entry(match_key(key)).or_default();
                if !entry.iter().any(|(_, j)| *j == idx) {
                    entry.push((tier, idx));
                }
            };
            add(&c.id, Tier::Id);
            add(&c.name, Tier::Name);
            if let Some(fa) = &c.name_fa {
                add(fa, Tier::Name);
            }
            for alias in &c.aliases {
                add(alias, Tier::Alias);
            }
        }
        let former_ids = former_ids(&cities, &ids, &mut problems);
        let boundaries = boundaries
            .into_iter()
            .filter_map(|(id, shape)| match province_ids.get(id.as_str()) {
                Some(p) => Some((*p, shape)),
                None => {
                    problems.push(Diagnostic::error(
                        BOUNDARIES_FILE,
                        Location::START,
                        format!("boundary for unknown province `{id}`"),
                    ));
                    None
                }
            })
            .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Gazetteer {
            provinces,
            cities,
            city_keys,
            former_ids,
            province_keys,
            city_province,
            boundaries,
        })
    }

    pub fn city(&self, idx: CityIdx) -> &City {
        &self.cities[idx.0]
    }

    pub fn province(&self, idx: ProvinceIdx) -> &Province {
        &self.provinces[idx.0]
    }

    pub fn province_of(&self, city: CityIdx) -> ProvinceIdx {
        self.city_province[city.0]
    }

    /// The city that `id` names, also when it is a former id (of a record merged into it).
    pub fn city_by_former_id(&self, id: &str) -> Option<CityIdx> {
        self.city_by_id(id)
            .or_else(|| self.former_ids.get(id).copied())
    }

    /// The former ids of a city: its aliases written as slugs, each the id of a record merged
    /// into it. Their pages redirect to the city's.
    pub fn former_ids(&self, idx: CityIdx) -> impl Iterator<Item = &str> {
        self.cities[idx.0]
            .aliases
            .iter()
            .map(String::as_str)
            .filter(|a| is_slug(a))
    }

    pub fn city_by_id(&self, id: &str) -> Option<CityIdx> {
        self.city_keys
            .get(&match_key(id))?
            .iter()
            .find(|(tier, i)| *tier == Tier::Id && self.cities[i.0].id == id)
            .map(|(_, i)| *i)
    }

    pub fn province_by_id(&self, id: &str) -> Option<ProvinceIdx> {
        self.provinces
            .iter()
            .position(|p| p.id == id)
            .map(ProvinceIdx)
    }

    /// Finds the city a contributor means by `name`, within `province` when one is given.
    pub fn resolve_city(
        &self,
        name: &str,
        province: Option<ProvinceIdx>,
    ) -> Result<CityIdx, PlaceError> {
        // An exact id, or former id, is unambiguous by construction.
        if let Some(idx) = self.city_by_former_id(name) {
            if province.is_none_or(|p| self.province_of(idx) == p) {
                return Ok(idx);
            }
        }
        let Some(matches) = self.city_keys.get(&match_key(name)) else {
            return Err(PlaceError::Unknown {
                suggestions: self.suggest_cities(name, province),
            });
        };
        // Only an exact id is an id; spelt any other way it ranks as a name.
        let in_province: Vec<(Tier, CityIdx)> = matches
            .iter()
            .map(|(t, i)| (if *t == Tier::Id { Tier::Name } else { *t }, *i))
            .filter(|(_, i)| province.is_none_or(|p| self.province_of(*i) == p))
            .collect();
        if in_province.is_empty() {
            return Err(PlaceError::NotInProvince {
                found: matches
                    .iter()
                    .map(|(_, i)| self.describe_city(*i))
                    .collect(),
                suggestions: self.suggest_cities(name, province),
            });
        }
        let best = in_province
            .iter()
            .map(|(t, _)| *t)
            .min()
            .expect("not empty");
        let mut best_matches: Vec<CityIdx> = in_province
            .iter()
            .filter(|(t, _)| *t == best)
            .map(|(_, i)| *i)
            .collect();
        best_matches.sort_by_key(|i| std::cmp::Reverse(self.cities[i.0].population));
        match best_matches.as_slice() {
            [one] => Ok(*one),
            many => Err(PlaceError::Ambiguous {
                candidates: many.iter().map(|i| self.describe_city(*i)).collect(),
            }),
        }
    }

    /// Finds a province by id, ISO code, English or Persian name, or alias.
    pub fn resolve_province(&self, name: &str) -> Result<ProvinceIdx, PlaceError> {
        self.province_keys
            .get(&match_key(name))
            .copied()
            .ok_or_else(|| {
                let names = self.provinces.iter().flat_map(|p| {
                    std::iter::once(&p.id)
                        .chain(std::iter::once(&p.name))
                        .chain(&p.aliases)
                });
                let suggestions = closest(name, names.map(String::as_str), 3)
                    .into_iter()
                    .filter_map(|n| self.province_keys.get(&match_key(n)))
                    .map(|p| format!("`{}`", self.provinces[p.0].id))
                    .collect::<Vec<_>>();
                PlaceError::Unknown {
                    suggestions: dedup(suggestions),
                }
            })
    }

    /// Each province's boundary (longitude, latitude).
    pub fn boundaries(&self) -> &[(ProvinceIdx, MultiPolygon<f64>)] {
        &self.boundaries
    }

    /// The province whose boundary contains the point, if any: `None` means outside Iran.
    pub fn province_at(&self, lon: f64, lat: f64) -> Option<ProvinceIdx> {
        let point = Point::new(lon, lat);
        self.boundaries
            .iter()
            .find(|(_, shape)| shape.contains(&point))
            .map(|(p, _)| *p)
    }

    /// "`firuzabad` (Firuzabad, Fars)": how a candidate is shown in a hint.
    pub fn describe_city(&self, idx: CityIdx) -> String {
        let c = &self.cities[idx.0];
        let p = &self.provinces[self.province_of(idx).0];
        format!("`{}` ({}, {} province)", c.id, c.name, p.name)
    }

    fn suggest_cities(&self, name: &str, province: Option<ProvinceIdx>) -> Vec<String> {
        let keys = self.cities.iter().enumerate().flat_map(|(i, c)| {
            let in_province = province.is_none_or(|p| self.city_province[i] == p);
            let names = std::iter::once(&c.id)
                .chain(std::iter::once(&c.name))
                .chain(c.name_fa.as_ref())
                .chain(&c.aliases);
            names.filter(move |_| in_province).map(String::as_str)
        });
        let found = closest(name, keys, 6);
        let mut out = Vec::new();
        for spelling in found {
            if let Some(matches) = self.city_keys.get(&match_key(spelling)) {
                let mut matches = matches.clone();
                matches.sort_by_key(|(t, i)| (*t, std::cmp::Reverse(self.cities[i.0].population)));
                for (_, i) in matches.into_iter().take(2) {
                    if province.is_none_or(|p| self.city_province[i.0] == p) {
                        out.push(self.describe_city(i));
                    }
                }
            }
        }
        let mut out = dedup(out);
        out.truncate(3);
        out
    }
}

/// Aliases written as slugs are former ids (of records merged into the city): each names one
/// city, and is no city's id, since it keeps a redirect page at `cities/<id>/`.
fn former_ids(
    cities: &[City],
    ids: &HashMap<&str, CityIdx>,
    problems: &mut Vec<Diagnostic>,
) -> HashMap<String, CityIdx> {
    let mut former = HashMap::new();
    for (i, c) in cities.iter().enumerate() {
        for alias in c.aliases.iter().filter(|a| is_slug(a)) {
            let taken = ids.contains_key(alias.as_str())
                || former.insert(alias.clone(), CityIdx(i)).is_some();
            if taken {
                problems.push(
                    Diagnostic::error(
                        CITIES_FILE,
                        Location::START,
                        format!("the former id `{alias}` of `{}` is also another city's id or former id", c.id),
                    )
                    .with_hint("an alias written as a slug is the id of a record merged into the city; write other aliases with capitals, as names are written"),
                );
            }
        }
    }
    former
}

fn dedup(items: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items
        .into_iter()
        .filter(|s| seen.insert(s.clone()))
        .collect()
}
