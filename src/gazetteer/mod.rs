//! Iran's provinces, cities and the districts and neighbourhoods inside cities
//! (data/gazetteer/), as a model built from the records read hands it ([`Gazetteer::new`]).
//! How a name written by a contributor becomes one of them is in [`find`].

mod find;

pub use find::{Found, Match, PlaceError, MAX_NAME_CHARS};

use crate::diagnostic::{Diagnostic, Location};
use crate::names::{is_slug, match_key, spelling_keys};
use geo::{Contains, MultiPolygon, Point};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

pub const PROVINCES_FILE: &str = "data/gazetteer/provinces.yaml";
pub const CITIES_FILE: &str = "data/gazetteer/cities.yaml";
pub const NEIGHBOURHOODS_FILE: &str = "data/gazetteer/neighbourhoods.yaml";
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
    /// Other names; one written as a slug is a former id (a record merged into this one).
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A district or neighbourhood inside a city (data/gazetteer/neighbourhoods.yaml).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Neighbourhood {
    /// `<city id>-<slug of the name>`: `tehran-district-10`.
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub name_fa: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The city id.
    pub city: String,
    pub lat: f64,
    pub lon: f64,
    /// Where the record and its coordinates come from.
    pub source: String,
}

/// Index of a city in [`Gazetteer::cities`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CityIdx(pub usize);

/// Index of a province in [`Gazetteer::provinces`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProvinceIdx(pub usize);

/// Index of a neighbourhood in [`Gazetteer::neighbourhoods`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NeighbourhoodIdx(pub usize);

/// A city or a neighbourhood: what a name in `city:` may find.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum PlaceRef {
    City(CityIdx),
    Hood(NeighbourhoodIdx),
}

/// How a name matched exactly (after [`match_key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    Id,
    Name,
    Alias,
}

#[derive(Debug)]
pub struct Gazetteer {
    pub provinces: Vec<Province>,
    pub cities: Vec<City>,
    pub neighbourhoods: Vec<Neighbourhood>,
    /// Cities by the match key of their ids, names and aliases.
    city_keys: HashMap<String, Vec<(Tier, CityIdx)>>,
    /// Neighbourhoods the same way.
    hood_keys: HashMap<String, Vec<(Tier, NeighbourhoodIdx)>>,
    /// Cities and neighbourhoods by spelling key, each with its rank: a name before a short
    /// form of it, before an alias; a city before a neighbourhood. Made once, the first time a
    /// name is not found exactly: a site whose files name places by id never needs it.
    spellings: OnceLock<HashMap<String, Vec<(u8, PlaceRef)>>>,
    /// Former ids (aliases written as slugs: records merged into this city), exactly.
    former_ids: HashMap<String, CityIdx>,
    hood_ids: HashMap<String, NeighbourhoodIdx>,
    province_keys: HashMap<String, ProvinceIdx>,
    /// Keys several provinces share (see [`province_keys`]): ambiguous.
    shared_province_keys: HashMap<String, Vec<ProvinceIdx>>,
    city_province: Vec<ProvinceIdx>,
    hood_city: Vec<CityIdx>,
    boundaries: Vec<(ProvinceIdx, MultiPolygon<f64>)>,
}

/// Ids name folders of the site (`provinces/<id>/`): they must be slugs.
fn not_slug(file: &str, what: &str, id: &str) -> Diagnostic {
    Diagnostic::error(
        file,
        Location::START,
        format!("{what} id `{id}` is not a slug"),
    )
    .with_hint("ids are lower-case ASCII words joined by `-`: `kohgiluyeh-and-boyer-ahmad`")
}

impl Gazetteer {
    pub fn new(
        provinces: Vec<Province>,
        cities: Vec<City>,
        neighbourhoods: Vec<Neighbourhood>,
        boundaries: Vec<(String, MultiPolygon<f64>)>,
    ) -> Result<Gazetteer, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let ProvinceKeys {
            unique: province_keys,
            shared: shared_province_keys,
            ids: province_ids,
        } = province_keys(&provinces, &mut problems);
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
            let names = [(Tier::Id, &c.id), (Tier::Name, &c.name)]
                .into_iter()
                .chain(c.name_fa.iter().map(|n| (Tier::Name, n)))
                .chain(c.aliases.iter().map(|a| (Tier::Alias, a)));
            for (tier, name) in names {
                add_key(&mut city_keys, match_key(name), tier, idx);
            }
        }
        let former_ids = former_ids(&cities, &ids, &mut problems);
        let (hood_keys, hood_ids, hood_city) = hood_index(&neighbourhoods, &ids, &mut problems);
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
            neighbourhoods,
            city_keys,
            hood_keys,
            spellings: OnceLock::new(),
            former_ids,
            hood_ids,
            province_keys,
            shared_province_keys,
            city_province,
            hood_city,
            boundaries,
        })
    }

    /// The spelling-key index (see [`spelling_index`]), made on first use.
    fn spellings(&self) -> &HashMap<String, Vec<(u8, PlaceRef)>> {
        self.spellings
            .get_or_init(|| spelling_index(&self.cities, &self.neighbourhoods))
    }

    pub fn city(&self, idx: CityIdx) -> &City {
        &self.cities[idx.0]
    }

    pub fn province(&self, idx: ProvinceIdx) -> &Province {
        &self.provinces[idx.0]
    }

    pub fn neighbourhood(&self, idx: NeighbourhoodIdx) -> &Neighbourhood {
        &self.neighbourhoods[idx.0]
    }

    pub fn province_of(&self, city: CityIdx) -> ProvinceIdx {
        self.city_province[city.0]
    }

    /// The city a neighbourhood is in.
    pub fn city_of(&self, neighbourhood: NeighbourhoodIdx) -> CityIdx {
        self.hood_city[neighbourhood.0]
    }

    pub fn city_by_id(&self, id: &str) -> Option<CityIdx> {
        self.city_keys
            .get(&match_key(id))?
            .iter()
            .find(|(tier, i)| *tier == Tier::Id && self.cities[i.0].id == id)
            .map(|(_, i)| *i)
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

    pub fn neighbourhood_by_id(&self, id: &str) -> Option<NeighbourhoodIdx> {
        self.hood_ids.get(id).copied()
    }

    pub fn province_by_id(&self, id: &str) -> Option<ProvinceIdx> {
        self.provinces
            .iter()
            .position(|p| p.id == id)
            .map(ProvinceIdx)
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

    /// "`firuzabad` (Firuzabad, Fars province)": how a candidate is shown in a hint.
    pub fn describe_city(&self, idx: CityIdx) -> String {
        format!("`{}` ({})", self.cities[idx.0].id, self.label_city(idx))
    }

    /// "Firuzabad, Fars province".
    pub fn label_city(&self, idx: CityIdx) -> String {
        let c = &self.cities[idx.0];
        let p = &self.provinces[self.province_of(idx).0];
        format!("{}, {} province", c.name, p.name)
    }

    /// "`tehran-yaftabad` (Yaftabad, Tehran)".
    pub fn describe_neighbourhood(&self, idx: NeighbourhoodIdx) -> String {
        format!(
            "`{}` ({})",
            self.neighbourhoods[idx.0].id,
            self.label_neighbourhood(idx)
        )
    }

    /// "Yaftabad, Tehran".
    pub fn label_neighbourhood(&self, idx: NeighbourhoodIdx) -> String {
        let h = &self.neighbourhoods[idx.0];
        format!("{}, {}", h.name, self.cities[self.city_of(idx).0].name)
    }
}

fn add_key<T: PartialEq + Copy>(
    keys: &mut HashMap<String, Vec<(Tier, T)>>,
    key: String,
    tier: Tier,
    idx: T,
) {
    let entry = keys.entry(key).or_default();
    if !entry.iter().any(|(_, j)| *j == idx) {
        entry.push((tier, idx));
    }
}

/// Provinces by every way of writing them; province ids by id.
///
/// A province's id, current ISO code and names rank before its legacy ISO code and aliases:
/// the two ISO systems give most codes to different provinces (`IR-07` is Fars now, Tehran
/// before), and the current one wins. A key two provinces share at the same rank names
/// neither: it is kept apart, to be reported as ambiguous.
fn province_keys(provinces: &[Province], problems: &mut Vec<Diagnostic>) -> ProvinceKeys {
    let mut ranked: HashMap<String, (u8, Vec<ProvinceIdx>)> = HashMap::new();
    let mut ids = HashMap::new();
    let mut add = |key: &str, rank: u8, idx: ProvinceIdx| {
        let entry = ranked.entry(match_key(key)).or_insert((rank, Vec::new()));
        if rank < entry.0 {
            *entry = (rank, Vec::new());
        }
        if rank == entry.0 && !entry.1.contains(&idx) {
            entry.1.push(idx);
        }
    };
    for (i, p) in provinces.iter().enumerate() {
        if !is_slug(&p.id) {
            problems.push(not_slug(PROVINCES_FILE, "province", &p.id));
        }
        ids.insert(p.id.clone(), ProvinceIdx(i));
        // "Ilam Province", "استان ایلام" are common ways to write a province.
        let written = [
            format!("{} province", p.name),
            format!("استان {}", p.name_fa),
        ];
        for name in [&p.id, &p.iso, &p.name, &p.name_fa]
            .into_iter()
            .chain(&written)
        {
            add(name, 0, ProvinceIdx(i));
        }
        for name in std::iter::once(&p.iso_legacy).chain(&p.aliases) {
            add(name, 1, ProvinceIdx(i));
        }
    }
    let mut keys = ProvinceKeys {
        ids,
        ..ProvinceKeys::default()
    };
    for (key, (_, found)) in ranked {
        match found.as_slice() {
            [one] => {
                keys.unique.insert(key, *one);
            }
            _ => {
                keys.shared.insert(key, found);
            }
        }
    }
    keys
}

/// What [`province_keys`] finds.
#[derive(Debug, Default)]
struct ProvinceKeys {
    unique: HashMap<String, ProvinceIdx>,
    /// Keys several provinces share at their best rank.
    shared: HashMap<String, Vec<ProvinceIdx>>,
    ids: HashMap<String, ProvinceIdx>,
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

type HoodIndex = (
    HashMap<String, Vec<(Tier, NeighbourhoodIdx)>>,
    HashMap<String, NeighbourhoodIdx>,
    Vec<CityIdx>,
);

/// Neighbourhoods by match key and by id, and the city of each; every id unique, no city's id,
/// and every city known.
fn hood_index(
    neighbourhoods: &[Neighbourhood],
    city_ids: &HashMap<&str, CityIdx>,
    problems: &mut Vec<Diagnostic>,
) -> HoodIndex {
    let mut keys = HashMap::new();
    let mut ids = HashMap::new();
    let mut cities = Vec::with_capacity(neighbourhoods.len());
    let fail = |message: String, hint: &str| {
        Diagnostic::error(NEIGHBOURHOODS_FILE, Location::START, message).with_hint(hint)
    };
    for (i, h) in neighbourhoods.iter().enumerate() {
        let idx = NeighbourhoodIdx(i);
        if !is_slug(&h.id) {
            problems.push(not_slug(NEIGHBOURHOODS_FILE, "neighbourhood", &h.id));
        }
        if city_ids.contains_key(h.id.as_str()) || ids.insert(h.id.clone(), idx).is_some() {
            problems.push(fail(
                format!("neighbourhood id `{}` is used twice, or by a city", h.id),
                "a neighbourhood's id is `<city id>-<slug of its name>`; add a number if two places of a city share a name",
            ));
        }
        match city_ids.get(h.city.as_str()) {
            Some(c) => cities.push(*c),
            None => {
                problems.push(fail(
                    format!("neighbourhood `{}` names unknown city `{}`", h.id, h.city),
                    "`city` is an id of data/gazetteer/cities.yaml",
                ));
                cities.push(CityIdx(0));
            }
        }
        let names = [(Tier::Id, &h.id), (Tier::Name, &h.name)]
            .into_iter()
            .chain(h.name_fa.iter().map(|n| (Tier::Name, n)))
            .chain(h.aliases.iter().map(|a| (Tier::Alias, a)));
        for (tier, name) in names {
            add_key(&mut keys, match_key(name), tier, idx);
        }
    }
    (keys, ids, cities)
}

/// Every name and alias of every city and neighbourhood under its spelling keys (see
/// [`crate::names::spelling_keys`]), ranked: 0 a city's name, 1 a neighbourhood's name, 2 and
/// 3 their short forms, 4 to 7 the same for aliases.
fn spelling_index(
    cities: &[City],
    neighbourhoods: &[Neighbourhood],
) -> HashMap<String, Vec<(u8, PlaceRef)>> {
    let mut index: HashMap<String, Vec<(u8, PlaceRef)>> = HashMap::with_capacity(16_384);
    let mut add = |name: &str, alias: bool, place: PlaceRef| {
        let hood = matches!(place, PlaceRef::Hood(_));
        for (key, short) in spelling_keys(name, true) {
            let rank = u8::from(alias) * 4 + u8::from(short) * 2 + u8::from(hood);
            let entry = index.entry(key).or_default();
            match entry.iter_mut().find(|(_, p)| *p == place) {
                Some(existing) => existing.0 = existing.0.min(rank),
                None => entry.push((rank, place)),
            }
        }
    };
    for (i, c) in cities.iter().enumerate() {
        let place = PlaceRef::City(CityIdx(i));
        for name in std::iter::once(&c.name).chain(&c.name_fa) {
            add(name, false, place);
        }
        for alias in c.aliases.iter().filter(|a| !is_slug(a)) {
            add(alias, true, place);
        }
    }
    for (i, h) in neighbourhoods.iter().enumerate() {
        let place = PlaceRef::Hood(NeighbourhoodIdx(i));
        for name in std::iter::once(&h.name).chain(&h.name_fa) {
            add(name, false, place);
        }
        for alias in &h.aliases {
            add(alias, true, place);
        }
    }
    index
}
