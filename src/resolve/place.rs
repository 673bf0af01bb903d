//! Where an event happened: exactly one of `city`, `cities`, `provinces` or `scope`, resolved
//! against the gazetteer, and `coordinates` checked against Iran's boundary.

use super::checker::Checker;
use crate::event_file::EventFile;
use crate::gazetteer::{CityIdx, PlaceError, ProvinceIdx};
use crate::model::Places;
use crate::read::yaml::child;

pub struct Located {
    pub places: Places,
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
    let places = if let Some(name) = &f.city {
        Places::Cities(vec![city(c, name, within, "city")?])
    } else if let Some(names) = &f.cities {
        if names.is_empty() {
            c.error(c.at("cities"), "`cities` is empty", PLACE_HINT);
            return None;
        }
        let resolved: Vec<Option<CityIdx>> = names
            .iter()
            .enumerate()
            .map(|(i, n)| city(c, n, None, &child("cities", i)))
            .collect();
        let mut list: Vec<CityIdx> = resolved.into_iter().collect::<Option<_>>()?;
        let before = list.len();
        list.dedup();
        if list.len() < before {
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
    if f.geo_precision == Some(crate::event_file::GeoPrecision::Exact) && coordinates.is_none() {
        c.error(
            c.at("geo_precision"),
            "`geo_precision: exact` needs `coordinates`",
            "add `coordinates: [lon, lat]`, or remove `geo_precision`",
        );
    }
    Some(Located {
        places,
        coordinates,
    })
}

fn city(c: &mut Checker, name: &str, province: Option<ProvinceIdx>, path: &str) -> Option<CityIdx> {
    let g = &c.cx.gazetteer;
    // An exact id, in the province if one is given: what `resolve_city` tries first too.
    if let Some(&idx) = c.cx.city_ids.get(name) {
        if province.is_none_or(|p| g.province_of(idx) == p) {
            return Some(idx);
        }
    }
    match g.resolve_city(name, province) {
        Ok(idx) => Some(idx),
        Err(PlaceError::Unknown { suggestions }) => {
            let hint = match suggestions.as_slice() {
                [] => "use a city id from data/gazetteer/cities.yaml; if the place is missing there, add it (with its GeoNames id) or use `provinces:`".to_string(),
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
            None
        }
        Err(PlaceError::Ambiguous { candidates }) => {
            c.error(
                c.at(path),
                format!(
                    "`{name}` names {} places: {}",
                    candidates.len(),
                    candidates.join(", ")
                ),
                "write the id of the one you mean, or add `province:` to choose",
            );
            None
        }
        Err(PlaceError::NotInProvince { found, suggestions }) => {
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
            None
        }
    }
}

fn province(c: &mut Checker, name: &str, path: &str) -> Option<ProvinceIdx> {
    match c.cx.gazetteer.resolve_province(name) {
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
