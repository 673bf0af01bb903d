//! The inverted index of one edition: every word (folded, see [`super::fold`]) → the events
//! that contain it, as ascending event numbers (positions in [`crate::site::Site::events`],
//! which are in date order). Words are sorted as JavaScript compares strings (UTF-16 code
//! units), so the browser can find a word's shard by comparing it with each shard's first word.

use super::code;
use super::fold::words;
use crate::config::localized;
use crate::markdown::plain_text;
use crate::model::Places;
use crate::render::views::Views;
use crate::site::EventIdx;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// Events per parallel task: each builds its own small map, merged in order afterwards.
const TASK: usize = 512;

/// Words with their events, sorted (see the module comment).
pub type Postings = Vec<(String, Vec<u32>)>;

/// What a reader of `views`' language can find an event by: its title and summary (in the
/// edition's language when translated, and always in the original), the finer place, the
/// places (city and province names in both scripts), the publishers of its sources (both
/// names), its tags and its kind.
pub fn event_text(views: &Views, idx: EventIdx) -> String {
    let site = views.site;
    let e = site.event(idx);
    let lang = &views.text.lang;
    let default = site.data.config.default_language();
    let translation = (lang.as_str() != default)
        .then(|| e.translations.get(lang))
        .flatten();
    let mut parts: Vec<String> = Vec::with_capacity(24);
    if let Some(tr) = translation {
        parts.extend(tr.title.iter().cloned());
        parts.extend(tr.summary.iter().map(|s| plain_text(s, usize::MAX)));
        parts.extend(tr.place.iter().cloned());
    }
    parts.push(e.title.clone());
    parts.push(plain_text(&e.summary, usize::MAX));
    parts.extend(e.place.iter().cloned());
    let g = &site.data.gazetteer;
    let province = |p: crate::gazetteer::ProvinceIdx| {
        let p = g.province(p);
        [p.name.clone(), p.name_fa.clone()]
    };
    match &e.places {
        Places::Cities(cities) => {
            for c in cities {
                let city = g.city(*c);
                parts.push(city.name.clone());
                parts.extend(city.name_fa.iter().cloned());
            }
            parts.extend(site.provinces_of(e).into_iter().flat_map(province));
        }
        Places::Provinces(provinces) => parts.extend(provinces.iter().flat_map(|p| province(*p))),
        Places::National => parts.push(views.text.t("nationwide")),
    }
    for id in e.publishers() {
        if let Some(p) = site.data.publishers.get(id) {
            parts.push(p.name.clone());
            parts.extend(p.name_fa.iter().cloned());
        }
    }
    parts.extend(e.tags.iter().cloned());
    parts.push(views.kind_label(&e.kind));
    if let Some(kind) = site.data.kinds.get(&e.kind) {
        parts.push(localized(&kind.label, default));
    }
    parts.join("\n")
}

/// The index of one edition, built in parallel over blocks of events.
pub fn build(views: &Views) -> Postings {
    let n = views.site.events.len();
    let blocks: Vec<BTreeMap<String, Vec<u32>>> = (0..n.div_ceil(TASK))
        .into_par_iter()
        .map(|block| {
            let mut map: BTreeMap<String, Vec<u32>> = BTreeMap::new();
            for i in block * TASK..n.min((block + 1) * TASK) {
                let mut found = words(&event_text(views, EventIdx(i)), true);
                found.sort_unstable();
                found.dedup();
                for word in found {
                    map.entry(word).or_default().push(i as u32);
                }
            }
            map
        })
        .collect();
    // Blocks are in event order: appending keeps every list ascending.
    let mut all: HashMap<String, Vec<u32>> = HashMap::new();
    for block in blocks {
        for (word, events) in block {
            all.entry(word).or_default().extend(events);
        }
    }
    let mut sorted: Postings = all.into_iter().collect();
    sorted.par_sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    sorted
}

/// The index cut into shards of about `target` bytes each, in word order: (the shard's first
/// word, its text). A shard's text is `word:events` entries separated by spaces, the events
/// written by [`code::ids`]; a word is never split between shards.
pub fn shards(postings: &Postings, target: usize) -> Vec<(String, String)> {
    let mut shards: Vec<(String, String)> = Vec::new();
    let mut current: Option<(String, String)> = None;
    for (word, events) in postings {
        let entry = format!("{word}:{}", code::ids(events));
        match &mut current {
            Some((_, text)) if text.len() + entry.len() < target => {
                text.push(' ');
                text.push_str(&entry);
            }
            _ => {
                shards.extend(current.take());
                current = Some((word.clone(), entry));
            }
        }
    }
    shards.extend(current);
    shards
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_keep_word_order_and_never_split_a_word() {
        let postings: Postings = (0..50)
            .map(|i| (format!("w{i:02}"), (0..i as u32).collect()))
            .collect();
        let shards = shards(&postings, 200);
        assert!(shards.len() > 3);
        let joined: Vec<&str> = shards.iter().flat_map(|(_, t)| t.split(' ')).collect();
        assert_eq!(joined.len(), 50);
        for (first, text) in &shards {
            assert!(text.starts_with(&format!("{first}:")));
        }
        let firsts: Vec<&String> = shards.iter().map(|(f, _)| f).collect();
        assert!(firsts.windows(2).all(|w| w[0] < w[1]));
    }
}
