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
use crate::site::{EventIdx, Site};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::HashMap;

/// Events per parallel task: each builds its own small map, merged in order afterwards.
const TASK: usize = 512;

/// Words with their events, sorted (see the module comment).
pub type Postings = Vec<(String, Vec<u32>)>;

/// What a reader of any edition can find an event by: its title and summary as written, the
/// finer place, the places (city and province names in both scripts), the publishers of its
/// sources (both names), its tags and its kind's name in the original language. This part is
/// the same in every edition, so it is folded once ([`Shared`]).
fn original_text(site: &Site, idx: EventIdx) -> String {
    let e = site.event(idx);
    let g = &site.data.gazetteer;
    let summary = plain_text(&e.summary, usize::MAX);
    let mut parts: Vec<&str> = Vec::with_capacity(24);
    parts.push(&e.title);
    parts.push(&summary);
    parts.extend(e.place.as_deref());
    let provinces = match &e.places {
        Places::Cities(cities) => {
            for c in cities {
                let city = g.city(*c);
                parts.push(&city.name);
                parts.extend(city.name_fa.as_deref());
            }
            site.provinces_of(e)
        }
        Places::Provinces(provinces) => provinces.clone(),
        Places::National => Vec::new(),
    };
    for p in provinces {
        let p = g.province(p);
        parts.push(&p.name);
        parts.push(&p.name_fa);
    }
    for id in e.publishers() {
        if let Some(p) = site.data.publishers.get(id) {
            parts.push(&p.name);
            parts.extend(p.name_fa.as_deref());
        }
    }
    parts.extend(e.tags.iter().map(String::as_str));
    let kind = (site.data.kinds.get(&e.kind))
        .map(|k| localized(&k.label, site.data.config.default_language()));
    parts.extend(kind.as_deref());
    parts.join("\n")
}

/// What only a reader of `views`' language finds an event by, besides [`original_text`]: its
/// translation into that language, and its kind's name and "nationwide" in that language.
fn edition_text(views: &Views, idx: EventIdx) -> String {
    let site = views.site;
    let e = site.event(idx);
    let lang = &views.text.lang;
    let mut parts: Vec<String> = Vec::new();
    if lang.as_str() != site.data.config.default_language() {
        if let Some(tr) = e.translations.get(lang) {
            parts.extend(tr.title.iter().cloned());
            parts.extend(tr.summary.iter().map(|s| plain_text(s, usize::MAX)));
            parts.extend(tr.place.iter().cloned());
        }
    }
    if matches!(e.places, Places::National) {
        parts.push(views.text.t("nationwide"));
    }
    parts.push(views.kind_label(&e.kind));
    parts.join("\n")
}

/// The words every edition shares ([`original_text`]), folded once for all of them.
pub struct Shared(Postings);

impl Shared {
    pub fn new(site: &Site) -> Self {
        Shared(postings(site.events.len(), |i| original_text(site, i)))
    }

    /// The index of the edition of `views`: the shared words and the edition's own.
    pub fn edition(&self, views: &Views) -> Postings {
        let own = postings(views.site.events.len(), |i| edition_text(views, i));
        merge(&self.0, own)
    }
}

/// The words of `text(event)` for every event, with their events, built in parallel over
/// blocks of events.
fn postings(n: usize, text: impl Fn(EventIdx) -> String + Sync) -> Postings {
    let blocks: Vec<HashMap<String, Vec<u32>>> = (0..n.div_ceil(TASK))
        .into_par_iter()
        .map(|block| {
            let mut map: HashMap<String, Vec<u32>> = HashMap::new();
            for i in block * TASK..n.min((block + 1) * TASK) {
                let i = i as u32;
                for word in words(&text(EventIdx(i as usize)), true) {
                    let events = map.entry(word).or_default();
                    // Events come in order: a word seen again in the same event is last.
                    if events.last() != Some(&i) {
                        events.push(i);
                    }
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
    sorted.par_sort_unstable_by(|a, b| js_order(&a.0, &b.0));
    sorted
}

/// How JavaScript compares strings: by UTF-16 code units.
fn js_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Two indexes as one, in order: a word in both has the events of both, ascending and
/// distinct.
fn merge(shared: &Postings, own: Postings) -> Postings {
    let mut out: Postings = Vec::with_capacity(shared.len() + own.len());
    let mut own = own.into_iter().peekable();
    for (word, events) in shared {
        while let Some(before) = own.next_if(|(w, _)| js_order(w, word).is_lt()) {
            out.push(before);
        }
        let mut events = events.clone();
        if let Some((_, more)) = own.next_if(|(w, _)| w == word) {
            events.extend(more);
            events.sort_unstable();
            events.dedup();
        }
        out.push((word.clone(), events));
    }
    out.extend(own);
    out
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
    fn an_edition_has_the_shared_words_and_its_own_in_order() {
        let entry = |w: &str, events: &[u32]| (w.to_string(), events.to_vec());
        let shared = vec![entry("a", &[1, 3]), entry("c", &[2]), entry("ی", &[4])];
        let own = vec![entry("a", &[2, 3]), entry("b", &[5]), entry("d", &[0])];
        assert_eq!(
            merge(&shared, own),
            [
                entry("a", &[1, 2, 3]),
                entry("b", &[5]),
                entry("c", &[2]),
                entry("d", &[0]),
                entry("ی", &[4]),
            ]
        );
    }

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
