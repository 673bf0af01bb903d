//! How a name written in an event file becomes a place of the gazetteer. The first step that
//! finds anything decides:
//!
//! 1. an id or a former id, exactly: a city's or a neighbourhood's;
//! 2. a province's name, when no `province` is given: an error saying to write `provinces:`,
//!    unless a city of that province is written so (Kermanshah) or its capital is spelt so
//!    (Ghazvin);
//! 3. a city's English, GeoNames or Persian name, then its aliases, after
//!    [`match_key`]: one city, or by far the largest ([`LARGEST_BY`] times the population of
//!    each other), else the name is ambiguous. A village's name that a larger town, spelt the
//!    same way, carries as an alias is ambiguous too (Bagh Malek, Bagh-e Malek);
//! 4. a neighbourhood's name, then its aliases;
//! 5. the spelling key ([`spelling_key`]): names before their short forms before aliases,
//!    cities before neighbourhoods; only when it points at exactly one place;
//! 6. a qualified name: a place after it (`Fardis, Karaj`, `قرچک ورامین`, `Izeh, Khuzestan`) or
//!    Persian "city of", "county of" before it (`شهر سقز`, `شهرستان بوکان`): the rest, exactly,
//!    inside that place.
//!
//! With `province`, every step looks only inside it: a name is never resolved across a stated
//! province. We never choose between two real towns of comparable size.

use super::{CityIdx, Gazetteer, NeighbourhoodIdx, PlaceRef, ProvinceIdx, Tier};
use crate::names::{closest, match_key, spelling_key};
use std::cmp::Reverse;

/// A place found for a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub city: CityIdx,
    /// The district or neighbourhood of the city the name names, if it names one.
    pub neighbourhood: Option<NeighbourhoodIdx>,
    pub by: Match,
}

/// How a name was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// The id or a former id, as written.
    Id,
    /// A name: English, GeoNames or Persian.
    Name,
    Alias,
    /// By far the largest of the places of that name; the others.
    Largest(Vec<CityIdx>),
    /// The spelling key: another romanisation of the name.
    Spelling,
    /// Part of a qualified name (`Fardis, Karaj`).
    Qualified,
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
    /// The name is a province's; `also`, the towns elsewhere that have it as their name.
    Province {
        province: ProvinceIdx,
        also: Vec<String>,
    },
}

/// How much larger than every namesake a town must be to be taken for its name.
pub const LARGEST_BY: u64 = 20;

/// Names shorter than this (after [`match_key`]) are not looked up by spelling: "N/A" is not
/// Ney.
const MIN_SPELLING_CHARS: usize = 4;

/// A name longer than this is no place (the longest in the gazetteer has 43 characters); it is
/// not looked up, so that a pasted text costs nothing.
pub const MAX_NAME_CHARS: usize = 200;

/// Where to look: a province, and the neighbourhoods of one city only.
#[derive(Debug, Clone, Copy)]
struct Scope {
    province: Option<ProvinceIdx>,
    city: Option<CityIdx>,
}

impl Scope {
    fn within(province: Option<ProvinceIdx>) -> Self {
        Scope {
            province,
            city: None,
        }
    }
}

fn qualified(found: Found) -> Found {
    Found {
        by: Match::Qualified,
        ..found
    }
}

impl Gazetteer {
    /// Finds the place a contributor means by `name`, within `province` when one is given.
    pub fn resolve(&self, name: &str, province: Option<ProvinceIdx>) -> Result<Found, PlaceError> {
        let scope = Scope::within(province);
        if let Some(found) = self.by_id(name, scope) {
            return Ok(found);
        }
        if name.chars().nth(MAX_NAME_CHARS).is_some() {
            return Err(PlaceError::Unknown {
                suggestions: Vec::new(),
            });
        }
        let key = match_key(name);
        if province.is_none() {
            if let Some(&p) = self.province_keys.get(&key) {
                return self.province_name(name, &key, p);
            }
        }
        if let Some(found) = self.lookup(name, &key, scope, true)? {
            return Ok(found);
        }
        if let Some(found) = self.qualified(name, province)? {
            return Ok(found);
        }
        Err(self.not_found(name, &key, province))
    }

    /// The city `name` is or is in: [`Gazetteer::resolve`] without the details.
    pub fn resolve_city(
        &self,
        name: &str,
        province: Option<ProvinceIdx>,
    ) -> Result<CityIdx, PlaceError> {
        self.resolve(name, province).map(|found| found.city)
    }

    /// Finds a province by id, ISO code, English or Persian name, or alias.
    pub fn resolve_province(&self, name: &str) -> Result<ProvinceIdx, PlaceError> {
        if name.chars().nth(MAX_NAME_CHARS).is_some() {
            return Err(PlaceError::Unknown {
                suggestions: Vec::new(),
            });
        }
        let key = match_key(name);
        if let Some(shared) = self.shared_province_keys.get(&key) {
            return Err(PlaceError::Ambiguous {
                candidates: (shared.iter())
                    .map(|p| {
                        let p = &self.provinces[p.0];
                        format!("`{}` ({} province)", p.id, p.name)
                    })
                    .collect(),
            });
        }
        self.province_keys.get(&key).copied().ok_or_else(|| {
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

    /// "`shahrud` (Shahrud, Semnan province)" or "`tehran-yaftabad` (Yaftabad, Tehran)".
    pub fn describe(&self, found: &Found) -> String {
        match found.neighbourhood {
            Some(h) => self.describe_neighbourhood(h),
            None => self.describe_city(found.city),
        }
    }

    /// The id to write for what was found: the neighbourhood's, else the city's.
    pub fn id_of(&self, found: &Found) -> &str {
        match found.neighbourhood {
            Some(h) => &self.neighbourhood(h).id,
            None => &self.city(found.city).id,
        }
    }

    fn population(&self, city: CityIdx) -> u64 {
        self.cities[city.0].population
    }

    fn place_city(&self, place: PlaceRef) -> CityIdx {
        match place {
            PlaceRef::City(c) => c,
            PlaceRef::Hood(h) => self.city_of(h),
        }
    }

    fn in_scope(&self, place: PlaceRef, scope: Scope) -> bool {
        let city = self.place_city(place);
        scope.province.is_none_or(|p| self.province_of(city) == p)
            && scope
                .city
                .is_none_or(|c| matches!(place, PlaceRef::Hood(_)) && city == c)
    }

    fn found(&self, place: PlaceRef, by: Match) -> Found {
        Found {
            city: self.place_city(place),
            neighbourhood: match place {
                PlaceRef::Hood(h) => Some(h),
                PlaceRef::City(_) => None,
            },
            by,
        }
    }

    fn describe_place(&self, place: PlaceRef) -> String {
        match place {
            PlaceRef::City(c) => self.describe_city(c),
            PlaceRef::Hood(h) => self.describe_neighbourhood(h),
        }
    }

    fn by_id(&self, name: &str, scope: Scope) -> Option<Found> {
        let place = match self.city_by_former_id(name) {
            Some(c) => PlaceRef::City(c),
            None => PlaceRef::Hood(self.neighbourhood_by_id(name)?),
        };
        self.in_scope(place, scope)
            .then(|| self.found(place, Match::Id))
    }

    /// A province's name given as a city's.
    fn province_name(&self, name: &str, key: &str, p: ProvinceIdx) -> Result<Found, PlaceError> {
        // A city of the province written the same way: Kermanshah, Esfahan.
        if let Some(found) = self.exact_city(name, key, Scope::within(Some(p)))? {
            return Ok(found);
        }
        // Its capital, spelt another way: Ghazvin.
        if let Some(capital) = self.city_by_id(&self.province(p).capital) {
            let spelling = spelling_key(name);
            let c = self.city(capital);
            if std::iter::once(&c.name)
                .chain(&c.name_fa)
                .any(|n| spelling_key(n) == spelling)
            {
                return Ok(self.found(PlaceRef::City(capital), Match::Spelling));
            }
        }
        let also = (self.city_keys.get(key).into_iter().flatten())
            .filter(|(tier, _)| *tier != Tier::Alias)
            .map(|(_, c)| self.describe_city(*c))
            .collect();
        Err(PlaceError::Province { province: p, also })
    }

    /// Exact matches (step 3 and 4), then, when `loose`, the spelling key (step 5).
    fn lookup(
        &self,
        name: &str,
        key: &str,
        scope: Scope,
        loose: bool,
    ) -> Result<Option<Found>, PlaceError> {
        if let Some(found) = self.exact_city(name, key, scope)? {
            return Ok(Some(found));
        }
        if let Some(found) = self.exact_neighbourhood(key, scope)? {
            return Ok(Some(found));
        }
        if loose && key.chars().count() >= MIN_SPELLING_CHARS {
            return self.by_spelling(name, scope);
        }
        Ok(None)
    }

    fn exact_city(&self, name: &str, key: &str, scope: Scope) -> Result<Option<Found>, PlaceError> {
        let Some(entries) = self.city_keys.get(key) else {
            return Ok(None);
        };
        // Only an exact id is an id; spelt any other way it ranks as a name.
        let in_scope: Vec<(Tier, CityIdx)> = (entries.iter())
            .map(|(t, c)| (if *t == Tier::Id { Tier::Name } else { *t }, *c))
            .filter(|(_, c)| self.in_scope(PlaceRef::City(*c), scope))
            .collect();
        let Some(best) = in_scope.iter().map(|(t, _)| *t).min() else {
            return Ok(None);
        };
        let mut cities: Vec<CityIdx> = (in_scope.iter())
            .filter(|(t, _)| *t == best)
            .map(|(_, c)| *c)
            .collect();
        cities.sort_by_key(|c| Reverse(self.population(*c)));
        let largest = cities[0];
        let by = match (best, &cities[1..]) {
            (Tier::Alias, []) => Match::Alias,
            (_, []) => Match::Name,
            (_, others)
                if self.population(largest) > 0
                    && (others.iter()).all(|c| {
                        self.population(*c).saturating_mul(LARGEST_BY) <= self.population(largest)
                    }) =>
            {
                Match::Largest(others.to_vec())
            }
            _ => {
                return Err(PlaceError::Ambiguous {
                    candidates: cities.iter().map(|c| self.describe_city(*c)).collect(),
                })
            }
        };
        if best == Tier::Name {
            // A village's name that a larger town, spelt the same way, has as an alias: Bagh
            // Malek (Isfahan, 1,901) is also how Bagh-e Malek (Khuzestan, 26,343) is written.
            let spelling = spelling_key(name);
            let larger: Vec<CityIdx> = (in_scope.iter())
                .filter(|(t, c)| {
                    let town = self.city(*c);
                    *t == Tier::Alias
                        && self.population(*c) > self.population(largest)
                        && (std::iter::once(&town.name).chain(&town.name_fa))
                            .any(|n| spelling_key(n) == spelling)
                })
                .map(|(_, c)| *c)
                .collect();
            if !larger.is_empty() {
                return Err(PlaceError::Ambiguous {
                    candidates: (std::iter::once(largest).chain(larger))
                        .map(|c| self.describe_city(c))
                        .collect(),
                });
            }
        }
        Ok(Some(self.found(PlaceRef::City(largest), by)))
    }

    fn exact_neighbourhood(&self, key: &str, scope: Scope) -> Result<Option<Found>, PlaceError> {
        let Some(entries) = self.hood_keys.get(key) else {
            return Ok(None);
        };
        let in_scope: Vec<(Tier, NeighbourhoodIdx)> = (entries.iter())
            .map(|(t, h)| (if *t == Tier::Id { Tier::Name } else { *t }, *h))
            .filter(|(_, h)| self.in_scope(PlaceRef::Hood(*h), scope))
            .collect();
        let Some(best) = in_scope.iter().map(|(t, _)| *t).min() else {
            return Ok(None);
        };
        let hoods: Vec<NeighbourhoodIdx> = (in_scope.iter())
            .filter(|(t, _)| *t == best)
            .map(|(_, h)| *h)
            .collect();
        match hoods.as_slice() {
            [one] => {
                let by = if best == Tier::Alias {
                    Match::Alias
                } else {
                    Match::Name
                };
                Ok(Some(self.found(PlaceRef::Hood(*one), by)))
            }
            many => Err(PlaceError::Ambiguous {
                candidates: many
                    .iter()
                    .map(|h| self.describe_neighbourhood(*h))
                    .collect(),
            }),
        }
    }

    /// Step 5: the spelling key, when it points at one place.
    fn by_spelling(&self, name: &str, scope: Scope) -> Result<Option<Found>, PlaceError> {
        let Some(entries) = self.spellings().get(&spelling_key(name)) else {
            return Ok(None);
        };
        let in_scope = || entries.iter().filter(|(_, p)| self.in_scope(*p, scope));
        let Some(best) = in_scope().map(|(rank, _)| *rank).min() else {
            return Ok(None);
        };
        let places: Vec<PlaceRef> = in_scope()
            .filter(|(rank, _)| *rank == best)
            .map(|(_, p)| *p)
            .collect();
        match places.as_slice() {
            [one] => Ok(Some(self.found(*one, Match::Spelling))),
            many => Err(PlaceError::Ambiguous {
                candidates: many.iter().map(|p| self.describe_place(*p)).collect(),
            }),
        }
    }

    /// Step 6: `Fardis, Karaj`, `قرچک ورامین`, `Izeh, Khuzestan`, `شهر سقز`.
    fn qualified(
        &self,
        name: &str,
        province: Option<ProvinceIdx>,
    ) -> Result<Option<Found>, PlaceError> {
        let exactly = |text: &str, scope: Scope| {
            let found = self.lookup(text, &match_key(text), scope, false)?;
            Ok::<_, PlaceError>(found.map(qualified))
        };
        // Persian "city of", "county of" before the name.
        let words: Vec<&str> = (name.split(|c: char| c.is_whitespace() || c == '\u{200C}'))
            .filter(|w| !w.is_empty())
            .collect();
        if words.len() > 1 && matches!(match_key(words[0]).as_str(), "شهر" | "شهرستان") {
            if let Some(found) = exactly(&words[1..].join(" "), Scope::within(province))? {
                return Ok(Some(found));
            }
        }
        // A province or city after it, after a comma or the last space.
        let name = name.trim();
        let (head, tail) = if let Some(i) = name.rfind([',', '،']) {
            let comma = name[i..].chars().next().map_or(1, char::len_utf8);
            (&name[..i], &name[i + comma..])
        } else if let Some(i) = name.rfind(char::is_whitespace) {
            (&name[..i], &name[i..])
        } else {
            return Ok(None);
        };
        let (head, tail) = (head.trim(), tail.trim());
        if head.is_empty() || tail.is_empty() {
            return Ok(None);
        }
        let tail_key = match_key(tail);
        if let Some(&p) = self.province_keys.get(&tail_key) {
            if province.is_some_and(|given| given != p) {
                return Ok(None);
            }
            return exactly(head, Scope::within(Some(p)));
        }
        let Ok(Some(city)) = self.exact_city(tail, &tail_key, Scope::within(province)) else {
            return Ok(None);
        };
        let within_city = Scope {
            province: Some(self.province_of(city.city)),
            city: Some(city.city),
        };
        match exactly(head, within_city)? {
            Some(found) => Ok(Some(found)),
            None => exactly(head, Scope::within(within_city.province)),
        }
    }

    fn not_found(&self, name: &str, key: &str, province: Option<ProvinceIdx>) -> PlaceError {
        let suggestions = self.suggest_cities(name, province);
        if province.is_some() {
            let anywhere = Scope::within(None);
            let elsewhere = match self.by_id(name, anywhere) {
                Some(found) => Ok(Some(found)),
                None => self.lookup(name, key, anywhere, true),
            };
            let found = match elsewhere {
                Ok(Some(found)) => vec![self.describe(&found)],
                Err(PlaceError::Ambiguous { candidates }) => candidates,
                _ => Vec::new(),
            };
            if !found.is_empty() {
                return PlaceError::NotInProvince { found, suggestions };
            }
        }
        PlaceError::Unknown { suggestions }
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
                matches.sort_by_key(|(t, i)| (*t, Reverse(self.cities[i.0].population)));
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

fn dedup(items: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items
        .into_iter()
        .filter(|s| seen.insert(s.clone()))
        .collect()
}
