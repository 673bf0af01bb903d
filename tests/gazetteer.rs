//! Place resolution against the real gazetteer: how contributors actually write places.

mod common;

use ruzshomar::gazetteer::{Gazetteer, PlaceError};
use std::sync::OnceLock;

fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| {
        ruzshomar::read::data::gazetteer(&common::repo()).expect("the bundled gazetteer loads")
    })
}

fn city_id(name: &str) -> String {
    let g = gazetteer();
    let idx = g
        .resolve_city(name, None)
        .unwrap_or_else(|e| panic!("{name}: {e:?}"));
    g.city(idx).id.clone()
}

#[test]
fn the_bundled_gazetteer_has_every_province_and_city() {
    let g = gazetteer();
    assert_eq!(g.provinces.len(), 31);
    assert_eq!(g.cities.len(), 1868);
    let fars = g.province(g.resolve_province("IR-07").unwrap());
    assert_eq!(
        fars.name, "Fars",
        "IR-07 is Fars in the current ISO 3166-2 codes"
    );
}

#[test]
fn ids_english_names_and_spelling_variants_resolve() {
    assert_eq!(city_id("malekshahi"), "malekshahi");
    assert_eq!(city_id("Malekshahi"), "malekshahi");
    assert_eq!(city_id("Shahr-e Kord"), "shahrekord");
    assert_eq!(city_id("SHAHREKORD"), "shahrekord");
    assert_eq!(city_id("Orūmīyeh"), "urmia");
    assert_eq!(
        city_id("Tehran"),
        "tehran",
        "Tiran's alias 'Tehran' must not make Tehran ambiguous"
    );
    assert_eq!(
        city_id("Karaj"),
        "karaj",
        "Qods's alias 'Karaj' must not make Karaj ambiguous"
    );
}

#[test]
fn aliases_resolve_to_their_city() {
    assert_eq!(city_id("Marlik"), "karaj");
    assert_eq!(city_id("South Pars"), "asaluyeh");
    assert_eq!(city_id("Assaluyeh"), "asaluyeh");
    assert_eq!(city_id("Arkavaz"), "malekshahi");
    assert_eq!(city_id("Sar-e Pol-e Zahab"), "sarpol-e-zahab");
}

#[test]
fn persian_names_resolve_with_arabic_letters_and_zwnj_folded() {
    assert_eq!(city_id("ملکشاهی"), "malekshahi");
    assert_eq!(city_id("ملكشاهي"), "malekshahi", "Arabic kaf and yeh");
    assert_eq!(city_id("پارس جنوبی"), "asaluyeh");
    let g = gazetteer();
    let lorestan = g.resolve_province("lorestan").ok();
    let with_zwnj = g.resolve_city("خرم‌آباد", lorestan).unwrap();
    assert_eq!(
        g.resolve_city("خرم آباد", lorestan).unwrap(),
        with_zwnj,
        "ZWNJ or space"
    );
    assert_eq!(g.city(with_zwnj).id, "khorramabad");
    assert_eq!(city_id("شهرکرد"), "shahrekord");
    assert_eq!(
        g.province(g.resolve_province("استان ایلام").unwrap()).id,
        "ilam"
    );
    assert_eq!(
        g.province(g.resolve_province("کهگیلویه و بویراحمد").unwrap())
            .id,
        "kohgiluyeh-and-boyer-ahmad"
    );
}

#[test]
fn a_shared_name_needs_the_province() {
    let g = gazetteer();
    match g.resolve_city("Firuzabad", None) {
        Err(PlaceError::Ambiguous { candidates }) => {
            assert_eq!(candidates.len(), 2, "{candidates:?}");
            assert!(
                candidates[0].contains("`firuzabad` (Firuzabad, Fars province)"),
                "{candidates:?}"
            );
            assert!(candidates[1].contains("firuzabad-tehran"), "{candidates:?}");
        }
        other => panic!("expected ambiguity, got {other:?}"),
    }
    let fars = g.resolve_province("fars").unwrap();
    let tehran = g.resolve_province("Tehran").unwrap();
    assert_eq!(
        g.city(g.resolve_city("Firuzabad", Some(fars)).unwrap()).id,
        "firuzabad"
    );
    assert_eq!(
        g.city(g.resolve_city("Firuzabad", Some(tehran)).unwrap())
            .id,
        "firuzabad-tehran"
    );
    // The third Firuzabad is Firuzan (Hamadan), which carries the name as an alias.
    let hamadan = g.resolve_province("Hamadan").unwrap();
    assert_eq!(
        g.city(g.resolve_city("Firuzabad", Some(hamadan)).unwrap())
            .id,
        "firuzan"
    );
}

#[test]
fn near_misses_get_suggestions() {
    let g = gazetteer();
    let suggest = |name: &str| match g.resolve_city(name, None) {
        Err(PlaceError::Unknown { suggestions }) => suggestions.join(" "),
        other => panic!("{name}: expected unknown, got {other:?}"),
    };
    assert!(suggest("Malekshahy").contains("`malekshahi`"));
    assert!(suggest("Kermanshahh").contains("`kermanshah`"));
    assert!(suggest("Lordegann").contains("`lordegan`"));
}

#[test]
fn points_are_placed_in_their_province_or_outside_iran() {
    let g = gazetteer();
    let at = |lon, lat| g.province_at(lon, lat).map(|p| g.province(p).id.clone());
    assert_eq!(at(46.5983, 33.3828).as_deref(), Some("ilam"), "Malekshahi");
    assert_eq!(at(51.42151, 35.69439).as_deref(), Some("tehran"));
    assert_eq!(at(2.35, 48.85), None, "Paris");
    assert_eq!(at(44.36, 33.31), None, "Baghdad");
}
