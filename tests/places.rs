//! Place names as real reports write them: every row of tests/fixtures/places/spellings.csv
//! (see its README) through the gazetteer's resolver, with the row's province.

mod common;

use ruzshomar::gazetteer::Gazetteer;

/// At least this share of the rows whose expected value is a place must resolve to it.
const MIN_SHARE: f64 = 0.95;

struct Row {
    name: String,
    province: String,
    expected: String,
}

fn rows() -> Vec<Row> {
    let path = common::repo().join("tests/fixtures/places/spellings.csv");
    let mut reader = csv::Reader::from_path(path).expect("the fixture opens");
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV row");
            Row {
                name: r[0].to_string(),
                province: r[1].to_string(),
                expected: r[2].to_string(),
            }
        })
        .collect()
}

/// What a name resolved to, written as the fixture writes it: a city id, or
/// `neighbourhood:<city id>:<name>`.
fn resolved(g: &Gazetteer, row: &Row) -> Result<String, String> {
    let province = match row.province.as_str() {
        "" => None,
        name => Some(
            g.resolve_province(name)
                .unwrap_or_else(|e| panic!("the fixture's province {name}: {e:?}")),
        ),
    };
    let found = g
        .resolve(&row.name, province)
        .map_err(|e| format!("{e:?}"))?;
    let city = &g.city(found.city).id;
    Ok(match found.neighbourhood {
        Some(h) => format!("neighbourhood:{city}:{}", g.neighbourhood(h).name),
        None => city.clone(),
    })
}

#[test]
fn real_spellings_resolve_to_the_right_place_or_not_at_all() {
    let g = ruzshomar::read::data::gazetteer(&common::repo()).expect("the gazetteer loads");
    let (mut places, mut right, mut rejects, mut rejected) = (0, 0, 0, 0);
    let (mut wrong, mut missed, mut accepted) = (Vec::new(), Vec::new(), Vec::new());
    for row in rows() {
        let got = resolved(&g, &row);
        let context = format!("{} ({})", row.name, row.province);
        if row.expected.starts_with("reject:") {
            rejects += 1;
            match got {
                Err(_) => rejected += 1,
                Ok(place) => {
                    accepted.push(format!("{context} → {place}, expected {}", row.expected))
                }
            }
            continue;
        }
        places += 1;
        match got {
            Ok(place) if place == row.expected => right += 1,
            Ok(place) => wrong.push(format!("{context} → {place}, expected {}", row.expected)),
            Err(e) => missed.push(format!("{context}: {e}")),
        }
    }
    let share = right as f64 / places as f64;
    println!(
        "places: {right} of {places} resolve to the expected place ({:.1} %), {} to a wrong one, {} not at all; rejects: {rejected} of {rejects} refused",
        share * 100.0,
        wrong.len(),
        missed.len()
    );
    for m in &missed {
        println!("  not resolved: {m}");
    }
    assert!(wrong.is_empty(), "resolved to the wrong place: {wrong:#?}");
    assert!(accepted.is_empty(), "should be refused: {accepted:#?}");
    assert!(
        share >= MIN_SHARE,
        "{right} of {places} rows resolve ({:.1} %, at least {:.0} % expected)",
        share * 100.0,
        MIN_SHARE * 100.0
    );
}
