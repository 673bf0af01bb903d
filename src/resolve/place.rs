//! Where an event happened: exactly one of `city`, `cities`, `provinces` or `scope`, resolved
//! against the gazetteer, and `coordinates` checked against Iran's boundary.

use super::checker::Checker;
use crate::event_file::{EventFile, GeoPrecision};
use crate::gazetteer::{CityIdx, Found, Match, NeighbourhoodIdx, PlaceError, ProvinceIdx};
use crate::model::Places;
use crate::read::yaml::child;

pub struct Located {
    pub places: Places,
    /// The districts or neighbourhoods named, each in one of the cities.
    pub neighbourhoods: Vec<NeighbourhoodIdx>,
    pub coordinates: Option<[f64; 2]>,
}

const PLACE_HINT: &str =
    "add one of: `city: <name>`, `cities: [a, b]`, `provinces: [name]` or `scope: national`";

pub(super) fn resolve_place(c: &mut Checker, f: &EventFile) -> Option<Located> {
    let mut given = [
        f.city.as_ref().map(|_| "city"),
        f.cities.as_ref().map(|_| "cities"),
        f.provinces.as_ref().map(|_| "provinces"),
        f.scope.as_ref().map(|_| "scope"),
    ]
    .into_iter()
    .flatten();
    if let (Some(first), Some(second)) = (given.next(), given.next()) {
        let given = [first, second];
        let at = c.doc.spans().key(given[1]);
        c.error(
            at,
            format!(
                "`{}` and `{}` both say where the event was; give one",
                given[0], given[1]
            ),
            "use `cities: [a, b]` for several cities, `provinces:` when only provinces are known",
        );
        return None;
    }
    let within = match &f.province {
        Some(name) if f.city.is_some() => Some(province(c, name, "province")?),
        Some(_) => {
            c.error(
                c.doc.spans().key("province"),
                "`province` only goes with `city`, to tell apart cities that share a name",
                "for a province-wide event write `provinces: [name]`",
            );
            return None;
        }
        None => None,
    };
    let mut neighbourhoods = Vec::new();
    let places = if let Some(name) = &f.city {
        let (city, hood) = city(c, name, within, "city")?;
        neighbourhoods.extend(hood);
        Places::Cities(vec![city])
    } else if let Some(names) = &f.cities {
        if names.is_empty() {
            c.error(c.at("cities"), "`cities` is empty", PLACE_HINT);
            return None;
        }
        let resolved: Vec<Option<Named>> = names
            .iter()
            .enumerate()
            .map(|(i, n)| city(c, n, None, &child("cities", i)))
            .collect();
        let resolved: Vec<Named> = resolved.into_iter().collect::<Option<_>>()?;
        let mut list: Vec<CityIdx> = Vec::with_capacity(resolved.len());
        let mut repeated = false;
        for (city, hood) in resolved {
            match hood {
                Some(h) if neighbourhoods.contains(&h) => repeated = true,
                Some(h) => neighbourhoods.push(h),
                None if list.contains(&city) => repeated = true,
                None => {}
            }
            if !list.contains(&city) {
                list.push(city);
            }
        }
        if repeated {
            c.warn(
                c.at("cities"),
                "a city is listed twice",
                "remove the repeat",
            );
        }
        Places::Cities(list)
    } else if let Some(names) = &f.provinces {
        if names.is_empty() {
            c.error(c.at("provinces"), "`provinces` is empty", PLACE_HINT);
            return None;
        }
        let resolved: Vec<Option<ProvinceIdx>> = names
            .iter()
            .enumerate()
            .map(|(i, n)| province(c, n, &child("provinces", i)))
            .collect();
        Places::Provinces(resolved.into_iter().collect::<Option<_>>()?)
    } else if f.scope.is_some() {
        Places::National
    } else {
        c.error(
            c.at(""),
            "the event does not say where it happened",
            PLACE_HINT,
        );
        return None;
    };
    let coordinates = match &f.coordinates {
        Some(xy) => Some(coordinates(c, xy, f.outside_iran.unwrap_or(false))?),
        None => None,
    };
    match f.geo_precision {
        Some(GeoPrecision::Exact) if coordinates.is_none() => c.error(
            c.at("geo_precision"),
            "`geo_precision: exact` needs `coordinates`",
            "add `coordinates: [lon, lat]`, or remove `geo_precision`",
        ),
        Some(GeoPrecision::Neighbourhood) if neighbourhoods.is_empty() => c.error(
            c.at("geo_precision"),
            "`geo_precision: neighbourhood` needs a district or neighbourhood in `city`",
            "name the neighbourhood (`city: tehran-district-10`; see data/gazetteer/neighbourhoods.yaml), or remove `geo_precision`",
        ),
        _ => {}
    }
    Some(Located {
        places,
        neighbourhoods,
        coordinates,
    })
}

/// A city named in `city` or `cities`, and the district or neighbourhood of it named, if any.
type Named = (CityIdx, Option<NeighbourhoodIdx>);

/// A name as messages quote it: a pasted text is cut after 60 characters.
fn quoted(name: &str) -> std::borrow::Cow<'_, str> {
    match name.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &name[..cut]).into(),
        None => name.into(),
    }
}

fn city(c: &mut Checker, name: &str, province: Option<ProvinceIdx>, path: &str) -> Option<Named> {
    // An exact id, in the province if one is given: what `resolve` tries first too.
    if let Some(&idx) = c.cx.city_ids.get(name) {
        if province.is_none_or(|p| c.cx.gazetteer.province_of(idx) == p) {
            return Some((idx, None));
        }
    }
    match c.cx.gazetteer.resolve(name, province) {
        Ok(found) => {
            found_by(c, name, path, &found);
            Some((found.city, found.neighbourhood))
        }
        Err(e) => {
            not_found(c, name, province, path, e);
            None
        }
    }
}

/// Says how a name was found when it was not by id, name or alias, and what to write; records
/// the fix `check --fix` makes.
fn found_by(c: &mut Checker, written: &str, path: &str, found: &Found) {
    let g = c.cx.gazetteer;
    let name = quoted(written);
    let id = g.id_of(found).to_string();
    let label = match found.neighbourhood {
        Some(h) => g.label_neighbourhood(h),
        None => g.label_city(found.city),
    };
    let field = if path == "city" { "city" } else { "cities" };
    let write = if path == "city" {
        format!("write `city: {id}`")
    } else {
        format!("write `{id}` in `cities`")
    };
    match &found.by {
        Match::Id | Match::Name | Match::Alias => {}
        Match::Spelling => c.warn(
            c.at(path),
            format!("`{name}` is spelt `{id}` in the gazetteer ({label})"),
            write,
        ),
        Match::Qualified => c.warn(
            c.at(path),
            format!("`{name}` is taken as `{id}` ({label})"),
            write,
        ),
        Match::Largest(others) => {
            let others: Vec<String> = others.iter().map(|o| g.describe_city(*o)).collect();
            c.warn(
                c.at(path),
                format!(
                    "`{name}` names {} places; taken as by far the largest, `{id}` ({label})",
                    others.len() + 1
                ),
                format!("{write}; or the id of another: {}", others.join(", ")),
            );
        }
    }
    let fixable = match found.by {
        Match::Alias | Match::Spelling | Match::Qualified => true,
        Match::Name => found.neighbourhood.is_some(),
        Match::Id | Match::Largest(_) => false,
    };
    if fixable {
        c.fix(path, field, written, &id);
    }
}

fn not_found(
    c: &mut Checker,
    name: &str,
    province: Option<ProvinceIdx>,
    path: &str,
    error: PlaceError,
) {
    let g = c.cx.gazetteer;
    let written = name;
    let name = quoted(written);
    match error {
        PlaceError::Unknown { suggestions } => {
            let hint = match suggestions.as_slice() {
                [] => not_a_place_hint(g, written),
                found => format!("did you mean {}?", found.join(" or ")),
            };
            let scope = province
                .map(|p| format!(" in {} province", g.province(p).name))
                .unwrap_or_default();
            c.error(
                c.at(path),
                format!("no city called `{name}`{scope} in the gazetteer"),
                hint,
            );
        }
        PlaceError::Ambiguous { candidates } => {
            c.error(
                c.at(path),
                format!(
                    "`{name}` names {} places: {}",
                    candidates.len(),
                    candidates.join(", ")
                ),
                "write the id of the one you mean, or add `province:` to choose",
            );
        }
        PlaceError::NotInProvince { found, suggestions } => {
            let province = province.map(|p| g.province(p).name.as_str()).unwrap_or("");
            let hint = match suggestions.as_slice() {
                [] => format!(
                    "the gazetteer has {}; fix `city` or `province`",
                    found.join(", ")
                ),
                near => format!(
                    "did you mean {}? (`{name}` is {} elsewhere)",
                    near.join(" or "),
                    found.join(", ")
                ),
            };
            c.error(
                c.at(path),
                format!("no city called `{name}` in {province} province"),
                hint,
            );
        }
        PlaceError::Province { province, also } => {
            let p = g.province(province);
            let message = match also.as_slice() {
                [] => format!("`{name}` is a province, not a city"),
                towns => format!(
                    "`{name}` is a province, and the name of {}",
                    towns.join(", ")
                ),
            };
            let capital = &p.capital;
            let hint = match also.as_slice() {
                [] => format!("write `provinces: [{}]` instead of `{path}`; for its capital, `city: {capital}`", p.id),
                _ => format!("write `provinces: [{}]` for the province, or the id of the town you mean", p.id),
            };
            c.error(c.at(path), message, hint);
        }
    }
}

/// What to write when a name is no place of the gazetteer: several places in one (`Tehran and
/// Karaj`), a place inside a city (`Tehran University`), or something missing.
fn not_a_place_hint(g: &crate::gazetteer::Gazetteer, name: &str) -> String {
    const GENERIC: &str = "use a city id from data/gazetteer/cities.yaml; a place inside a city (a square, a prison, a university) goes in `place:`, with its city in `city:`; a missing town can be added to the gazetteer (with its GeoNames id), or use `provinces:`";
    if name.chars().nth(crate::gazetteer::MAX_NAME_CHARS).is_some() {
        return GENERIC.to_string();
    }
    let exact = |part: &str| match g.resolve(part.trim(), None) {
        Ok(found) if !matches!(found.by, Match::Spelling | Match::Qualified) => {
            Some(Ok(g.id_of(&found).to_string()))
        }
        Err(PlaceError::Province { province, .. }) => Some(Err(g.province(province).id.clone())),
        _ => None,
    };
    let parts: Vec<&str> = name
        .split([',', '،', '/', '&'])
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" or "))
        .flat_map(|p| p.split(" و "))
        .flat_map(|p| p.split(" یا "))
        .filter(|p| !p.trim().is_empty())
        .collect();
    if (2..=10).contains(&parts.len()) {
        let found: Option<Vec<Result<String, String>>> = parts.iter().map(|p| exact(p)).collect();
        match found {
            Some(found) if found.iter().all(Result::is_ok) => {
                let ids: Vec<String> = found.into_iter().flatten().collect();
                return format!(
                    "`{name}` names several places: write `cities: [{}]`",
                    ids.join(", ")
                );
            }
            Some(found) if found.iter().all(Result::is_err) => {
                let ids: Vec<String> = found.into_iter().filter_map(Result::err).collect();
                return format!(
                    "`{name}` names several provinces: write `provinces: [{}]`",
                    ids.join(", ")
                );
            }
            _ => {}
        }
    }
    let city = name
        .split_whitespace()
        .filter(|w| w.chars().count() > 2)
        .take(10)
        .find_map(|w| Some((w, exact(w)?.ok()?)));
    match city {
        Some((city, id)) => {
            format!("if `{name}` is a place in {city}, write `city: {id}` and `place: {name}`")
        }
        None => GENERIC.to_string(),
    }
}

fn province(c: &mut Checker, written: &str, path: &str) -> Option<ProvinceIdx> {
    let name = quoted(written);
    match c.cx.gazetteer.resolve_province(written) {
        Ok(idx) => Some(idx),
        Err(PlaceError::Unknown { suggestions }) if !suggestions.is_empty() => {
            c.error(
                c.at(path),
                format!("no province called `{name}`"),
                format!("did you mean {}?", suggestions.join(" or ")),
            );
            None
        }
        Err(PlaceError::Ambiguous { candidates }) => {
            c.error(
                c.at(path),
                format!(
                    "`{name}` names {} provinces: {}",
                    candidates.len(),
                    candidates.join(", ")
                ),
                "write the id of the one you mean",
            );
            None
        }
        Err(_) => {
            c.error(
                c.at(path),
                format!("no province called `{name}`"),
                "use a province id from data/gazetteer/provinces.yaml, e.g. `ilam`",
            );
            None
        }
    }
}

fn coordinates(c: &mut Checker, xy: &[f64], outside_iran: bool) -> Option<[f64; 2]> {
    let [lon, lat] = xy else {
        c.error(
            c.at("coordinates"),
            format!("`coordinates` has {} numbers", xy.len()),
            "write `coordinates: [longitude, latitude]`, e.g. [46.59, 33.38]",
        );
        return None;
    };
    if !(-180.0..=180.0).contains(lon) || !(-90.0..=90.0).contains(lat) {
        c.error(
            c.at("coordinates"),
            "`coordinates` are out of range",
            "write `coordinates: [longitude, latitude]` in degrees",
        );
        return None;
    }
    if !outside_iran && c.cx.gazetteer.province_at(*lon, *lat).is_none() {
        let hint = if c.cx.gazetteer.province_at(*lat, *lon).is_some() {
            format!("these look swapped: coordinates are [longitude, latitude], so write [{lat}, {lon}]")
        } else {
            "coordinates are [longitude, latitude]; for a place outside Iran add `outside_iran: true`".to_string()
        };
        c.error(
            c.at("coordinates"),
            format!("[{lon}, {lat}] is outside Iran"),
            hint,
        );
        return None;
    }
    Some([*lon, *lat])
}
