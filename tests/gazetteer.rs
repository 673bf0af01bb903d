//! Place resolution against the real gazetteer: how contributors actually write places.

mod common;

use ruzshomar::gazetteer::{Found, Gazetteer, Match, PlaceError};
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
    // 1,868 GeoNames records, of which 18 were the same place as another (see the merges in
    // data/gazetteer/LICENSES.md).
    assert_eq!(g.cities.len(), 1850);
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

/// Great-circle distance in km.
fn km(a: &ruzshomar::gazetteer::City, b: &ruzshomar::gazetteer::City) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.lat.to_radians(),
        a.lon.to_radians(),
        b.lat.to_radians(),
        b.lon.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

#[test]
fn no_two_cities_of_a_province_share_a_name_within_15_km() {
    use ruzshomar::names::match_key;
    let g = gazetteer();
    let mut twins = Vec::new();
    for (i, a) in g.cities.iter().enumerate() {
        for b in &g.cities[i + 1..] {
            let same_name = match_key(&a.name) == match_key(&b.name)
                || matches!((&a.name_fa, &b.name_fa), (Some(x), Some(y)) if match_key(x) == match_key(y));
            if a.province == b.province && same_name && km(a, b) <= 15.0 {
                twins.push(format!("{} / {} ({:.1} km)", a.id, b.id, km(a, b)));
            }
        }
    }
    assert!(
        twins.is_empty(),
        "GeoNames duplicates: merge them in tools/build_gazetteer.py: {twins:?}"
    );
}

#[test]
fn merged_duplicates_still_resolve_by_their_old_id() {
    let merged = [
        ("abadeh", "abadeh-fars"),
        ("abyek-qazvin", "abyek"),
        ("andisheh", "shahre-jadide-andisheh"),
        ("azna-lorestan", "azna"),
        ("famast", "gamasb"),
        ("fardis-alborz", "fardis"),
        ("galugah-mazandaran", "galugah"),
        ("javerseyan", "javarsian"),
        ("jongiyeh", "jangiyeh"),
        ("kahrizak", "kahrizak-tehran"),
        ("kashan-isfahan", "kashan"),
        ("kia-kola", "kia-kola-mazandaran"),
        ("latingan-mazandaran", "latingan"),
        ("nasimshahr", "nasim-shahr"),
        ("pain-e-bazar-e-rudbar", "khalilabad-gilan"),
        ("qaem-shahr-mazandaran", "qaem-shahr"),
        ("qasr-e-qand-sistan-and-baluchestan", "qasr-e-qand"),
        ("vahidiyeh", "vahidiyeh-tehran"),
    ];
    let g = gazetteer();
    for (old, kept) in merged {
        assert!(g.city_by_id(old).is_none(), "{old} is still a city");
        assert_eq!(city_id(old), kept, "{old}");
        let city = g.city(g.city_by_id(kept).unwrap());
        assert!(city.aliases.iter().any(|a| a == old), "{kept} keeps {old}");
    }
    // The duplicates no longer make their names ambiguous.
    assert_eq!(city_id("Qaem Shahr"), "qaem-shahr");
    assert_eq!(city_id("Fardis"), "fardis");
    assert_eq!(city_id("Nasimshahr"), "nasim-shahr");
    assert_eq!(city_id("قائم‌شهر"), "qaem-shahr");
}

#[test]
fn an_alias_that_is_another_towns_name_does_not_shadow_it() {
    // Each of these names is also an alias of another place; the town of that name wins.
    for (name, id) in [
        ("Tehran", "tehran"),
        ("Karaj", "karaj"),
        ("Iranshahr", "iranshahr"),
        ("Zahedan", "zahedan"),
        ("Shahriar", "shahriar"),
        ("Shahrud", "shahrud"),
        ("Semirom", "semirom"),
    ] {
        assert_eq!(city_id(name), id, "{name}");
    }
    // Robat Karim carried Shahriar's name and a spelling of it (GeoNames); both were removed.
    let g = gazetteer();
    let robat_karim = g.city(g.city_by_id("robat-karim").unwrap());
    assert!(!robat_karim.aliases.iter().any(|a| a.starts_with("Shahr")));
    assert_eq!(city_id("Shahryar"), "shahriar");
}

#[test]
fn near_misses_get_suggestions() {
    let g = gazetteer();
    let suggest = |name: &str| match g.resolve_city(name, None) {
        Err(PlaceError::Unknown { suggestions }) => suggestions.join(" "),
        other => panic!("{name}: expected unknown, got {other:?}"),
    };
    assert!(suggest("Malekshahy").contains("`malekshahi`"));
    assert!(suggest("Kremanshah").contains("`kermanshah`"));
    assert!(suggest("Lordegn").contains("`lordegan`"));
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

fn found(name: &str, province: Option<&str>) -> Result<Found, PlaceError> {
    let g = gazetteer();
    let province = province.map(|p| g.resolve_province(p).unwrap());
    g.resolve(name, province)
}

/// `name` (in `province`) is found only through its spelling key, as `id`.
fn spelt(name: &str, province: Option<&str>, id: &str) {
    let g = gazetteer();
    match found(name, province) {
        Ok(f) => {
            assert_eq!(g.id_of(&f), id, "{name}");
            assert_eq!(f.by, Match::Spelling, "{name} is found by its spelling key");
        }
        Err(e) => panic!("{name}: {e:?}"),
    }
}

fn ambiguous(name: &str, province: Option<&str>) -> Vec<String> {
    match found(name, province) {
        Err(PlaceError::Ambiguous { candidates }) => candidates,
        other => panic!("{name}: expected two or more candidates, got {other:?}"),
    }
}

/// Every rule of the spelling key finds a town by another romanisation, and never picks one of
/// two towns that the rule makes look alike.
#[test]
fn the_spelling_key_finds_one_place_or_lists_them() {
    // Ezafe words: Eslamabad Gharb; but Bagh Malek (Isfahan) and Bagh-e Malek (Khuzestan) differ
    // only by it.
    spelt("Eslamabad Gharb", None, "eslamabad-e-gharb");
    spelt("Astaneh Ashrafiyeh", None, "astaneh-ye-ashrafiyeh");
    assert_eq!(ambiguous("Baghmalek", None).len(), 2);
    let g = gazetteer();
    let bagh_e_malek = found("Baghmalek", Some("Khuzestan")).unwrap();
    assert_eq!(g.id_of(&bagh_e_malek), "bagh-e-malek");
    // ou/oo = u, ee = i, Is/Es: Shahroud; but Khondab and Khundab are two towns.
    spelt("Shahroud", None, "shahrud");
    spelt("Fooladshahr", None, "fulad-shahr");
    spelt("Islamshahr", None, "eslamshahr");
    assert_eq!(ambiguous("Khoondab", None).len(), 3);
    // gh = q: Ghaemshahr; but Ghoroogh fits four villages.
    spelt("Ghaemshahr", None, "qaem-shahr");
    assert!(ambiguous("Ghoroogh", None).len() >= 3);
    // Doubled letters: Divandareh; but Horr and Hur differ by that and a vowel.
    spelt("Divandareh", None, "divandarreh");
    assert_eq!(ambiguous("Hoor", None).len(), 2);
    // y and w in their vowel: Oshnavieh, Taibad, Shahryar; but Khowy is also Khoy.
    spelt("Oshnavieh", None, "oshnaviyeh");
    spelt("Taibad", None, "taybad");
    assert_eq!(ambiguous("Khowy", None).len(), 2);
    // Unwritten short vowels: Langroud; the key keeps vowels' places, so Shiraz is not Shahreza.
    spelt("Langroud", None, "langarud");
    spelt("Broujerd", None, "borujerd");
    assert!(found("Shirazeh", None).is_err());
    // Shahr-e X: Shahrqods; Bandar-e: Anzali; but Shahrak-e Qods is another place than Qods.
    spelt("Shahrqods", None, "qods");
    spelt("Anzali", None, "bandar-e-anzali");
    spelt("Ghods", Some("Tehran"), "qods");
    // Trailing qualifiers: Qeshm Island; but Tehran University is not Tehran.
    spelt("Qeshm Island", None, "qeshm");
    assert!(found("Tehran University", None).is_err());
    // Names made up of a real name are not it.
    for name in ["Kermanshahr", "Tehranshahr", "Zahedanabad", "N/A"] {
        assert!(found(name, None).is_err(), "{name}");
    }
}

#[test]
fn a_stated_province_is_never_crossed() {
    // Kermanshah has a Shahrak-e Sadeqiyeh; Tehran's Sadeghiyeh is not in the gazetteer.
    assert_eq!(
        gazetteer().id_of(&found("Sadeghiyeh", Some("Kermanshah")).unwrap()),
        "kermanshah-shahrak-e-sadeqiyeh"
    );
    match found("Sadeghiyeh", Some("Tehran")) {
        Err(PlaceError::NotInProvince { found, .. }) => {
            assert!(
                found[0].contains("kermanshah-shahrak-e-sadeqiyeh"),
                "{found:?}"
            )
        }
        other => panic!("{other:?}"),
    }
    // Ghorveh is an alias of Qorveh-ye Dargazin (Hamadan), and Qorveh's spelling in Kurdistan.
    assert_eq!(city_id("Ghorveh"), "qorveh-ye-dargazin");
    spelt("Ghorveh", Some("Kurdistan"), "qorveh");
}

#[test]
fn a_province_is_not_a_city_unless_a_city_of_it_has_the_name() {
    let g = gazetteer();
    match found("Kurdistan", None) {
        Err(PlaceError::Province { province, also }) => {
            assert_eq!(g.province(province).id, "kurdistan");
            assert!(also.is_empty());
        }
        other => panic!("{other:?}"),
    }
    // Golestan is a province and a town of Tehran province.
    match found("Golestan", None) {
        Err(PlaceError::Province { also, .. }) => assert!(also[0].contains("`golestan`")),
        other => panic!("{other:?}"),
    }
    assert!(found("Tehran Province", None).is_err());
    assert_eq!(city_id("Kermanshah"), "kermanshah");
    assert_eq!(city_id("Esfahan"), "isfahan");
    spelt("Ghazvin", None, "qazvin");
}

#[test]
fn qualified_names_and_the_largest_of_namesakes() {
    let g = gazetteer();
    for (name, id) in [
        ("Fardis, Karaj", "fardis"),
        ("Izeh, Khuzestan", "izeh"),
        ("قرچک ورامین", "qarchak"),
        ("شهر سقز", "saqqez"),
        ("شهرستان بوکان", "bukan"),
        ("منطقه ۱۰ تهران", "tehran-district-10"),
    ] {
        let f = found(name, None).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!((g.id_of(&f), &f.by), (id, &Match::Qualified), "{name}");
    }
    for name in ["Tehran and Karaj", "Gilan or Mazandaran", "دانشگاه تهران"] {
        assert!(found(name, None).is_err(), "{name}");
    }
    // Shiraz (1.5 million) is far larger than the village of that name in East Azerbaijan.
    let shiraz = found("Shiraz", None).unwrap();
    assert_eq!(g.city(shiraz.city).id, "shiraz");
    assert!(matches!(shiraz.by, Match::Largest(ref others) if others.len() == 1));
}

#[test]
fn neighbourhoods_resolve_to_their_city() {
    let g = gazetteer();
    assert_eq!(g.neighbourhoods.len(), 310);
    for (name, id, city) in [
        ("tehran-district-10", "tehran-district-10", "tehran"),
        ("Tehran District 10", "tehran-district-10", "tehran"),
        ("Yaftabad", "tehran-yaftabad", "tehran"),
        ("یافت‌آباد", "tehran-yaftabad", "tehran"),
        ("Mehr Shahr", "karaj-mehr-shahr", "karaj"),
        ("Gohardasht", "karaj-rajaishahr", "karaj"),
    ] {
        let f = found(name, None).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(
            (g.id_of(&f), g.city(f.city).id.as_str()),
            (id, city),
            "{name}"
        );
    }
    // A city wins over a neighbourhood of the same name: Shahr-e Rey is the city Rey.
    assert_eq!(city_id("Shahr-e Rey"), "rey");
    assert!(found("Shahr-e Rey", None).unwrap().neighbourhood.is_none());
}
