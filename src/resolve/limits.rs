//! The limits of [`crate::event_file::limits`], enforced before any other rule: an over-long list
//! or text is reported once and cut to the limit, so that every later rule runs on a bounded
//! event and a hostile file costs no more to check than a large honest one.

use super::checker::{Checker, Field};
use crate::event_file::{limits, EventFile};
use crate::read::yaml::child;

/// Reports and cuts every list and text of `f` that is over its limit.
pub(super) fn enforce(c: &mut Checker, f: &mut EventFile) {
    list(
        c,
        &mut f.tags,
        "tags",
        limits::TAGS,
        "keep the few tags a reader would browse by",
    );
    list(
        c,
        &mut f.sources,
        "sources",
        limits::SOURCES,
        "cite the reports that add something; one event rarely needs more than a few",
    );
    list(
        c,
        &mut f.figures,
        "figures",
        limits::FIGURES,
        "split the event, or keep the figures that matter",
    );
    list(
        c,
        &mut f.cities,
        "cities",
        limits::PLACES,
        "for a country-wide event write `scope: national`",
    );
    list(
        c,
        &mut f.provinces,
        "provinces",
        limits::PLACES,
        "for a country-wide event write `scope: national`",
    );
    list(
        c,
        &mut f.aliases,
        "aliases",
        limits::ALIASES,
        "list only the ids this event really had",
    );
    list(
        c,
        &mut f.corrections,
        "corrections",
        limits::CORRECTIONS,
        "keep the corrections a reader needs; git keeps the rest",
    );
    list(
        c,
        &mut f.not_duplicate_of,
        "not_duplicate_of",
        limits::ALIASES,
        "list only the events that were mistaken for this one",
    );
    text(c, &mut f.title, "title".into(), limits::TITLE);
    text(c, &mut f.summary, "summary".into(), limits::SUMMARY);
    text(c, &mut f.place, "place".into(), limits::TEXT);
    for (i, s) in f.sources.iter_mut().flatten().enumerate() {
        for (name, value) in [
            ("url", &mut s.url),
            ("title", &mut s.title),
            ("author", &mut s.author),
            ("archive_url", &mut s.archive_url),
        ] {
            text(c, value, Field::item("sources", i, name), limits::TEXT);
        }
    }
    for (i, figure) in f.figures.iter_mut().flatten().enumerate() {
        text(
            c,
            &mut figure.note,
            Field::item("figures", i, "note"),
            limits::TEXT,
        );
    }
    for (i, correction) in f.corrections.iter_mut().flatten().enumerate() {
        text(
            c,
            &mut correction.note,
            Field::item("corrections", i, "note"),
            limits::TEXT,
        );
    }
    if let Some(import) = f.import.as_mut() {
        for (name, value) in [("source", &mut import.source), ("key", &mut import.key)] {
            text(c, value, Field::within("import", name), limits::TEXT);
        }
    }
    for (lang, t) in f.translations.iter_mut().flatten() {
        let path = child("translations", lang);
        text(
            c,
            &mut t.title,
            Field::within(&path, "title"),
            limits::TITLE,
        );
        text(
            c,
            &mut t.summary,
            Field::within(&path, "summary"),
            limits::SUMMARY,
        );
        text(c, &mut t.place, Field::within(&path, "place"), limits::TEXT);
    }
}

fn list<T>(c: &mut Checker, items: &mut Option<Vec<T>>, name: &str, limit: usize, hint: &str) {
    let Some(items) = items.as_mut().filter(|items| items.len() > limit) else {
        return;
    };
    c.error(
        c.at(name),
        format!("`{name}` has {} entries; the limit is {limit}", items.len()),
        hint,
    );
    items.truncate(limit);
}

fn text(c: &mut Checker, value: &mut Option<String>, field: Field, limit: usize) {
    let Some(value) = value.as_mut() else {
        return;
    };
    // Bytes bound characters from above: most texts are decided without counting.
    if value.len() <= limit {
        return;
    }
    let Some((cut, _)) = value.char_indices().nth(limit) else {
        return;
    };
    let length = limit + value[cut..].chars().count();
    let path = field.path();
    c.error(
        c.at(&path),
        format!(
            "`{}` is {length} characters long; the limit is {limit}",
            path.replace('/', ".")
        ),
        "write it shorter, in your own words; the source holds the full text",
    );
    value.truncate(cut);
}
