//! Probable duplicates: two files that describe the same event (two reports of one protest, one
//! person recorded twice under two spellings). `check` warns about each, naming both files;
//! `duplicate_of: <id>` merges a file into the other's page and `not_duplicate_of: [<id>]`
//! silences a false alarm. `ruzshomar import` asks the same [`Index`] about incoming rows.
//!
//! Only events on the same day and in the same place are compared (they share a bucket), so
//! the cost grows with the size of the busiest bucket, never with all pairs of events. Two
//! events of a bucket are probable duplicates when
//! - their titles are near-identical: nearly every word of one is in the other, words compared
//!   by their transliteration variants folded (as `names::skeleton` folds place names) and, from five letters, allowing one
//!   edit (Rezaei/Rezayi), or
//! - their titles name the same person: two or more capitalised words in a row that are not
//!   common words (`Mohsen Shekari`).
//!
//! Two rows of one imported dataset (the same `import.source`) are compared only by the person
//! rule: the dataset's own records are distinct by its own account, and titles that `import`
//! made from kind, place and date are alike by construction. Events with different `place:`
//! texts (two squares of one city) are not duplicates.

use crate::diagnostic::{display_path, Diagnostic, Location};
use crate::gazetteer::{CityIdx, Gazetteer, ProvinceIdx};
use crate::model::{Event, Places};
use crate::names::match_key;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::HashMap;

/// Why two events look like one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    Title,
    /// The person's name, as the title writes it.
    Person(String),
}

impl Reason {
    /// "a near-identical title", for messages: "same day, same place and …".
    pub fn describe(&self) -> String {
        match self {
            Reason::Title => "a near-identical title".to_string(),
            Reason::Person(name) => format!("the same person in the title (`{name}`)"),
        }
    }
}

/// Where an event is, for bucketing: each city, each province, or the whole country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum PlaceKey {
    City(CityIdx),
    Province(ProvinceIdx),
    National,
}

fn place_keys(places: &Places) -> Vec<PlaceKey> {
    match places {
        Places::Cities(list) => list.iter().map(|c| PlaceKey::City(*c)).collect(),
        Places::Provinces(list) => list.iter().map(|p| PlaceKey::Province(*p)).collect(),
        Places::National => vec![PlaceKey::National],
    }
}

/// What is compared of an event, computed once.
#[derive(Debug, Clone)]
struct Fingerprint {
    /// The title's words (skeletons), without common words, sorted and unique.
    words: Vec<String>,
    /// Names of people in the title: (skeleton of the whole name, the name as written).
    persons: Vec<(String, String)>,
    /// `place:` folded, when given.
    place: Option<String>,
}

/// Words that say nothing about which event it is.
const COMMON: &[&str] = &[
    "a", "an", "the", "in", "on", "at", "of", "for", "to", "and", "or", "by", "with", "from",
    "after", "before", "over", "near", "as", "is", "are", "was", "were", "be", "been", "its",
    "their", "his", "her", "s", "into", "during", "against", "amid", "outside", "inside", "در",
    "و", "به", "از", "با", "را", "که", "این", "آن", "برای", "بر",
];

/// Capitalised words that are not names of people.
const NOT_NAMES: &[&str] = &[
    "iran",
    "iranian",
    "islamic",
    "republic",
    "revolutionary",
    "guard",
    "guards",
    "irgc",
    "basij",
    "police",
    "security",
    "forces",
    "force",
    "university",
    "square",
    "street",
    "bazaar",
    "prison",
    "day",
    "uprising",
    "protest",
    "protests",
    "strike",
    "strikes",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "friday",
    "saturday",
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "ncri",
    "pmoi",
    "mek",
    "hrana",
    "amnesty",
    "international",
    "un",
    "news",
    "agency",
    "court",
    "supreme",
    "leader",
    "ministry",
    "province",
    "city",
    "county",
    "tehran",
    "mr",
    "mrs",
    "ms",
    "dr",
    "killing",
    "execution",
    "arrest",
    "funeral",
    "death",
    "of",
    "the",
];

/// The words of the names of an event's places (`bandar`, `abbas`): a run of capitalised words
/// made of them is the place, not a person.
fn place_words(places: &Places, place: Option<&str>, g: &Gazetteer) -> Vec<String> {
    let mut names: Vec<&str> = Vec::new();
    match places {
        Places::Cities(list) => {
            for c in list {
                let city = g.city(*c);
                names.push(&city.name);
                names.extend(city.aliases.iter().map(String::as_str));
                names.push(&g.province(g.province_of(*c)).name);
            }
        }
        Places::Provinces(list) => names.extend(list.iter().map(|p| g.province(*p).name.as_str())),
        Places::National => {}
    }
    names.extend(place);
    let mut words: Vec<String> = names.into_iter().flat_map(title_words).map(lower).collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// What is compared of an event with a title, a finer place and places.
fn fingerprint(title: &str, place: Option<&str>, places: &Places, g: &Gazetteer) -> Fingerprint {
    Fingerprint {
        words: title_keys(title),
        persons: persons(title, || place_words(places, place, g)),
        place: place.map(match_key).filter(|p| !p.is_empty()),
    }
}

/// A title's words, folded, without common words: sorted and unique.
fn title_keys(title: &str) -> Vec<String> {
    let mut words: Vec<String> = title_words(title)
        .filter(|w| !is_in(COMMON, w))
        .map(|w| if w.is_ascii() { fold(w) } else { match_key(w) })
        .filter(|w| !w.is_empty())
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Whether `word` is one of `list` (lower-case words), in any case.
fn is_in(list: &[&str], word: &str) -> bool {
    if word.is_ascii() {
        list.iter().any(|w| w.eq_ignore_ascii_case(word))
    } else {
        list.contains(&match_key(word).as_str())
    }
}

/// A word's matching key: lower case, and for other than plain ASCII, `names::match_key`.
fn lower(word: &str) -> String {
    if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        match_key(word)
    }
}

/// A Latin word in lower case with its transliteration variants folded, in one pass: the variants
/// `names::skeleton` folds for place names (gh/q, kh/x, ch/c, sh/s, zh/j, oo/ou/o/u, ee/ey/y/i,
/// e/a, w/v, doubled letters), so that Rezaei and Rezayi are one word.
fn fold(word: &str) -> String {
    let b = word.as_bytes();
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let next = b.get(i + 1).map(u8::to_ascii_lowercase);
        let (c, step) = match (b[i].to_ascii_lowercase(), next) {
            (b'g', Some(b'h')) => ('q', 2),
            (b'k', Some(b'h')) => ('x', 2),
            (b'c', Some(b'h')) => ('c', 2),
            (b's', Some(b'h')) => ('s', 2),
            (b'z', Some(b'h')) => ('j', 2),
            (b'o', Some(b'o' | b'u')) => ('u', 2),
            (b'e', Some(b'e' | b'y')) => ('i', 2),
            (b'w', _) => ('v', 1),
            (b'o', _) => ('u', 1),
            (b'e', _) => ('a', 1),
            (b'y', _) => ('i', 1),
            (c, _) => (char::from(c), 1),
        };
        if !out.ends_with(c) {
            out.push(c);
        }
        i += step;
    }
    out
}

fn title_words(title: &str) -> impl Iterator<Item = &str> {
    title
        .split(|c: char| !c.is_alphanumeric() && c != '\u{200c}')
        .filter(|w| !w.is_empty())
}

/// Runs of two or more capitalised words that are neither common words nor the words of the
/// event's places (`places`, asked for only when there is such a run): probably a person.
fn persons(title: &str, places: impl FnOnce() -> Vec<String>) -> Vec<(String, String)> {
    let mut runs: Vec<Vec<&str>> = vec![Vec::new()];
    for word in title_words(title) {
        let capitalised = word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().skip(1).any(char::is_lowercase);
        let common = is_in(NOT_NAMES, word) || is_in(COMMON, word);
        let run = runs.last_mut().expect("never empty");
        if capitalised && !common {
            run.push(word);
        } else if !run.is_empty() {
            runs.push(Vec::new());
        }
    }
    runs.retain(|run| run.len() >= 2);
    if runs.is_empty() {
        return Vec::new();
    }
    let places = places();
    let mut out = Vec::new();
    for run in runs {
        // A place's words split a run: `Ali Rezaei Tehran` is `Ali Rezaei`.
        for part in run.split(|w| places.binary_search(&lower(w)).is_ok()) {
            if part.len() >= 2 {
                let name = part.join(" ");
                let key: String = name.split(' ').collect();
                out.push((
                    if key.is_ascii() {
                        fold(&key)
                    } else {
                        match_key(&key)
                    },
                    name,
                ));
            }
        }
    }
    out
}

/// Whether two words are the same word spelt two ways.
fn same_word(a: &str, b: &str) -> bool {
    a == b || (a.chars().count() >= 5 && b.chars().count() >= 5 && strsim::osa_distance(a, b) <= 1)
}

/// Whether nearly every word of one title is in the other (and the other way round).
fn near_identical(a: &[String], b: &[String]) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let matched = small
        .iter()
        .filter(|w| large.binary_search(w).is_ok() || large.iter().any(|other| same_word(w, other)))
        .count();
    // 4 of 5 words, 8 of 10: a word added or changed, not a different event.
    matched * 5 >= large.len() * 4
}

fn same_person(a: &[(String, String)], b: &[(String, String)]) -> Option<String> {
    a.iter()
        .find(|(key, _)| b.iter().any(|(other, _)| same_word(key, other)))
        .map(|(_, name)| name.clone())
}

/// Events by day and place, to ask which earlier event a new one repeats. An event's
/// fingerprint is made when another event of its bucket is compared with it: most events share
/// their day and place with no other.
#[derive(Debug)]
pub struct Index<'e> {
    gazetteer: &'e Gazetteer,
    entries: Vec<(&'e Event, std::cell::OnceCell<Fingerprint>)>,
    buckets: HashMap<(NaiveDate, PlaceKey), Vec<usize>>,
}

/// An event of the index that another one probably repeats.
#[derive(Debug, Clone)]
pub struct Match<'a> {
    pub id: &'a str,
    /// Its file, relative to the site's folder.
    pub file: &'a std::path::Path,
    pub reason: Reason,
}

impl<'e> Index<'e> {
    /// An empty index; the gazetteer tells the names of places from the names of people.
    pub fn new(gazetteer: &'e Gazetteer) -> Index<'e> {
        Index {
            gazetteer,
            entries: Vec::new(),
            buckets: HashMap::new(),
        }
    }

    /// Adds an event; events that say they are a duplicate are left out (they are merged).
    /// Returns its place in the index.
    pub fn add(&mut self, event: &'e Event) -> Option<usize> {
        if event.duplicate_of.is_some() {
            return None;
        }
        let i = self.entries.len();
        self.entries.push((event, std::cell::OnceCell::new()));
        for key in place_keys(&event.places) {
            self.buckets.entry((event.date, key)).or_default().push(i);
        }
        Some(i)
    }

    /// The events of the index in the buckets of `event`, in the order added.
    fn candidates(&self, event: &Event) -> Vec<usize> {
        let mut candidates: Vec<usize> = Vec::new();
        for key in place_keys(&event.places) {
            if let Some(list) = self.buckets.get(&(event.date, key)) {
                candidates.extend(list);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates
    }

    fn print(&self, i: usize) -> &Fingerprint {
        let (e, print) = &self.entries[i];
        print.get_or_init(|| fingerprint(&e.title, e.place.as_deref(), &e.places, self.gazetteer))
    }

    /// The first event of the index (in the order added) that `event` probably repeats, other
    /// than itself and those either of them says it is not.
    pub fn find(&self, event: &Event) -> Option<Match<'e>> {
        if event.duplicate_of.is_some() {
            return None;
        }
        let candidates = self.candidates(event);
        if candidates.is_empty() {
            return None;
        }
        let print = std::cell::OnceCell::new();
        let print = || {
            print.get_or_init(|| {
                fingerprint(
                    &event.title,
                    event.place.as_deref(),
                    &event.places,
                    self.gazetteer,
                )
            })
        };
        candidates
            .into_iter()
            .find_map(|i| self.compare(event, &print, i))
    }

    fn compare<'p>(
        &'p self,
        event: &Event,
        print: &dyn Fn() -> &'p Fingerprint,
        i: usize,
    ) -> Option<Match<'e>> {
        let other: &'e Event = self.entries[i].0;
        let reason = compare(event, print, other, &|| self.print(i))?;
        Some(Match {
            id: &other.id,
            file: &other.file,
            reason,
        })
    }
}

/// Why `a` probably repeats `b`, or `None`; fingerprints are asked for only when needed.
fn compare<'p>(
    a: &Event,
    a_print: &dyn Fn() -> &'p Fingerprint,
    b: &Event,
    b_print: &dyn Fn() -> &'p Fingerprint,
) -> Option<Reason> {
    if a.id == b.id || b.not_duplicate_of.contains(&a.id) || a.not_duplicate_of.contains(&b.id) {
        return None;
    }
    let (mine, theirs) = (a_print(), b_print());
    if let (Some(x), Some(y)) = (&mine.place, &theirs.place) {
        if !x.contains(y.as_str()) && !y.contains(x.as_str()) {
            return None;
        }
    }
    let same_source = match (&a.import, &b.import) {
        (Some(x), Some(y)) => x.source == y.source,
        _ => false,
    };
    match same_person(&mine.persons, &theirs.persons) {
        Some(name) => Some(Reason::Person(name)),
        None if same_source => None,
        None if near_identical(&mine.words, &theirs.words) => Some(Reason::Title),
        None => None,
    }
}

/// Where a value of an event file is, for a problem about it.
pub(super) type At<'a> = dyn Fn(&Event, &str) -> Location + 'a;

/// Warns about every probable duplicate, on the later of the two files (by date, then id),
/// naming the earlier; at most one warning per file.
pub(super) fn warn(events: &[Event], g: &Gazetteer, problems: &mut Vec<Diagnostic>, at: &At) {
    // Every (day, place, event) sorted: a bucket is a run of equal (day, place). Cheaper than
    // a map when, as usual, nearly every bucket holds one event.
    let mut keyed: Vec<(NaiveDate, PlaceKey, usize)> = Vec::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        if e.duplicate_of.is_none() {
            keyed.extend(place_keys(&e.places).into_iter().map(|k| (e.date, k, i)));
        }
    }
    keyed.sort_unstable();
    // Fingerprints are made when first compared, by whichever thread compares first.
    let prints: Vec<std::sync::OnceLock<Fingerprint>> =
        (0..events.len()).map(|_| Default::default()).collect();
    let print = |i: usize| {
        prints[i].get_or_init(|| {
            let e = &events[i];
            fingerprint(&e.title, e.place.as_deref(), &e.places, g)
        })
    };
    // Buckets are compared side by side (at 50,000 events this was a third of a second on one
    // core); what each finds is then taken in bucket order, as one thread would.
    let buckets: Vec<&[(NaiveDate, PlaceKey, usize)]> =
        keyed.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)).collect();
    let found_per_bucket: Vec<Vec<(usize, usize, Reason)>> = buckets
        .par_iter()
        .map(|bucket| {
            (bucket.iter().enumerate().skip(1))
                .filter_map(|(j, &(_, _, later))| {
                    bucket[..j].iter().find_map(|&(_, _, k)| {
                        let reason =
                            compare(&events[later], &|| print(later), &events[k], &|| print(k))?;
                        Some((later, k, reason))
                    })
                })
                .collect()
        })
        .collect();
    // For each event, the earliest event (by position) it probably repeats.
    let mut found: std::collections::BTreeMap<usize, (usize, Reason)> = Default::default();
    for (later, k, reason) in found_per_bucket.into_iter().flatten() {
        let best = found.entry(later).or_insert((k, reason.clone()));
        if k < best.0 {
            *best = (k, reason);
        }
    }
    for (later, (k, reason)) in found {
        let (event, other) = (&events[later], &events[k]);
        problems.push(
            Diagnostic::warning(
                &event.file,
                at(event, "title"),
                format!(
                    "probable duplicate of `{}` ({}): same day, same place and {}",
                    other.id,
                    display_path(&other.file),
                    reason.describe()
                ),
            )
            .with_hint(format!(
                "if it is the same event, add `duplicate_of: {id}` (its sources join that page); if not, add `not_duplicate_of: [{id}]`",
                id = other.id
            )),
        );
    }
}

/// Merges each event with `duplicate_of` into the event it names (following a chain of them):
/// its sources are added to that event's, its id and aliases become that event's aliases (so
/// its address redirects there), and it leaves the list. Reports targets that do not exist,
/// cycles, drafts, and `not_duplicate_of` ids that name no event.
///
/// Returns the merged events, as their files say.
pub(super) fn merge(
    events: &mut Vec<Event>,
    problems: &mut Vec<Diagnostic>,
    at: &At,
) -> Vec<Event> {
    let mut owners: HashMap<&str, usize> = HashMap::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        owners.insert(&e.id, i);
    }
    for (i, e) in events.iter().enumerate() {
        for alias in &e.aliases {
            owners.entry(alias).or_insert(i);
        }
    }
    let mut plan: Vec<(usize, usize)> = Vec::new();
    let mut broken: Vec<usize> = Vec::new();
    for (i, event) in events.iter().enumerate() {
        for (k, other) in event.not_duplicate_of.iter().enumerate() {
            if !owners.contains_key(other.as_str()) {
                problems.push(
                    Diagnostic::warning(
                        &event.file,
                        at(event, &format!("not_duplicate_of/{k}")),
                        format!("`not_duplicate_of` names `{other}`, which is no event"),
                    )
                    .with_hint("remove it, or write the other event's current id"),
                );
            }
        }
        let Some(first) = &event.duplicate_of else {
            continue;
        };
        match target(events, &owners, i, first) {
            Ok(t) => plan.push((i, t)),
            Err((message, hint)) => {
                problems.push(
                    Diagnostic::error(&event.file, at(event, "duplicate_of"), message)
                        .with_hint(hint),
                );
                broken.push(i);
            }
        }
    }
    if plan.is_empty() && broken.is_empty() {
        return Vec::new();
    }
    let merged: Vec<Event> = plan.iter().map(|(d, _)| events[*d].clone()).collect();
    for &(d, t) in &plan {
        let (sources, mut aliases) = {
            let dup = &events[d];
            let mut aliases = vec![dup.id.clone()];
            aliases.extend(dup.aliases.iter().cloned());
            (dup.sources.clone(), aliases)
        };
        let target = &mut events[t];
        for source in sources {
            if !target.sources.iter().any(|s| s.url == source.url) {
                target.sources.push(source);
            }
        }
        aliases.retain(|a| !target.aliases.contains(a));
        target.aliases.extend(aliases);
    }
    let mut gone = vec![false; events.len()];
    for i in plan.iter().map(|(d, _)| *d).chain(broken) {
        gone[i] = true;
    }
    let mut i = 0;
    events.retain(|_| {
        i += 1;
        !gone[i - 1]
    });
    merged
}

/// The event that event `i` is finally merged into, following `duplicate_of` from `first`.
fn target(
    events: &[Event],
    owners: &HashMap<&str, usize>,
    i: usize,
    first: &str,
) -> Result<usize, (String, String)> {
    let mut seen = vec![i];
    let mut next = first;
    loop {
        let Some(&t) = owners.get(next) else {
            let same_day: Vec<&str> = events
                .iter()
                .filter(|e| e.date == events[i].date && e.id != events[i].id)
                .map(|e| e.id.as_str())
                .collect();
            let near = crate::names::closest(next, same_day.iter().copied(), 2);
            let hint = match near.as_slice() {
                [] => "write the id (file name without .yaml) of the event this one repeats".into(),
                found => format!("did you mean `{}`?", found.join("` or `")),
            };
            return Err((format!("`duplicate_of: {next}` names no event"), hint));
        };
        if seen.contains(&t) {
            return Err((
                format!(
                    "`duplicate_of` goes round in a circle back to `{}`",
                    events[t].id
                ),
                "one event of the circle is the original: remove its `duplicate_of`".into(),
            ));
        }
        if events[t].draft && !events[i].draft {
            return Err((
                format!("`duplicate_of: {next}` names a draft"),
                "merge into a published event, or make this one the draft".into(),
            ));
        }
        match &events[t].duplicate_of {
            Some(further) => {
                seen.push(t);
                next = further;
            }
            None => return Ok(t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_are_runs_of_capitalised_words() {
        let names = |t: &str| {
            persons(t, Vec::new)
                .into_iter()
                .map(|(_, n)| n)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names("Execution of Mohsen Shekari in Mashhad"),
            ["Mohsen Shekari"]
        );
        assert_eq!(names("Mohsen Shekari hanged"), ["Mohsen Shekari"]);
        assert!(names("Security forces open fire in Tehran").is_empty());
        assert!(names("Protest at the University of Tehran").is_empty());
        assert!(names("اعتراض در تهران").is_empty());
        let bandar = ["abbas".to_string(), "bandar".to_string()];
        assert!(persons("Dockworkers strike in Bandar Abbas", || bandar.to_vec()).is_empty());
    }

    #[test]
    fn transliteration_variants_fold_together() {
        assert_eq!(fold("rezaei"), fold("rezayi"));
        assert_eq!(fold("ghezel"), fold("qezel"));
        assert_eq!(fold("firoozabad"), fold("firuzabad"));
        assert_eq!(fold("assaluyeh"), fold("asaluyeh"));
        assert_ne!(fold("tehran"), fold("tabriz"));
    }

    #[test]
    fn titles_compare_by_words_spelt_either_way() {
        let words = title_keys;
        let same = |a: &str, b: &str| near_identical(&words(a), &words(b));
        assert!(same("Strike at the Tehran bazaar", "Tehran bazaar strike"));
        assert!(same("Killing of Ali Rezaei", "Killing of Ali Rezayi"));
        assert!(!same("Protest in Tehran", "Strike in Tehran"));
        assert!(!same("Killing of Ali Rezaei", "Killing of Reza Karimi"));
        assert!(same("تجمع در میدان آزادی", "تجمع در میدان آزادی"));
    }
}
