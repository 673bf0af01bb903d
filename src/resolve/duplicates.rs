//! Probable duplicates: two files that describe the same event (two reports of one protest, one
//! person recorded twice under two spellings). `check` warns about each, naming both files;
//! `duplicate_of: <id>` merges a file into the other's page and `not_duplicate_of: [<id>]`
//! silences a false alarm. `ruzshomar import` asks the same [`Index`] about incoming rows.
//!
//! Only events on the same day and in the same place are compared (they share a bucket), so
//! the cost grows with the size of the busiest bucket, never with all pairs of events. Two
//! events of a bucket are probable duplicates when
//! - their titles are near-identical: nearly every word of one is in the other, words compared
//!   by their transliteration skeleton (`names::skeleton`) and, from five letters, allowing one
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
use crate::names::{match_key, skeleton};
use chrono::NaiveDate;
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
fn place_words(event: &Event, g: &Gazetteer) -> Vec<String> {
    let mut names: Vec<&str> = Vec::new();
    match &event.places {
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
    names.extend(event.place.as_deref());
    let mut words: Vec<String> = names
        .into_iter()
        .flat_map(title_words)
        .map(match_key)
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

fn fingerprint(event: &Event, g: &Gazetteer) -> Fingerprint {
    let mut words: Vec<String> = title_words(&event.title)
        .map(match_key)
        .filter(|w| !w.is_empty() && !COMMON.contains(&w.as_str()))
        .map(|w| skeleton(&w))
        .collect();
    words.sort_unstable();
    words.dedup();
    Fingerprint {
        words,
        persons: persons(&event.title, &place_words(event, g)),
        place: event
            .place
            .as_deref()
            .map(match_key)
            .filter(|p| !p.is_empty()),
    }
}

fn title_words(title: &str) -> impl Iterator<Item = &str> {
    title
        .split(|c: char| !c.is_alphanumeric() && c != '\u{200c}')
        .filter(|w| !w.is_empty())
}

/// Runs of two or more capitalised words that are not common words: probably a person's name.
fn persons(title: &str, places: &[String]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut flush = |run: &mut Vec<&str>| {
        if run.len() >= 2 {
            let name = run.join(" ");
            out.push((skeleton(&name), name));
        }
        run.clear();
    };
    for word in title_words(title) {
        let capitalised = word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().skip(1).any(char::is_lowercase);
        let key = match_key(word);
        let common = NOT_NAMES.contains(&key.as_str())
            || COMMON.contains(&key.as_str())
            || places.binary_search(&key).is_ok();
        if capitalised && !common {
            run.push(word);
        } else {
            flush(&mut run);
        }
    }
    flush(&mut run);
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

/// One event as the index knows it.
#[derive(Debug, Clone)]
struct Entry {
    id: String,
    file: std::path::PathBuf,
    print: Fingerprint,
    not_duplicate_of: Vec<String>,
    source: Option<String>,
}

/// Events by day and place, to ask which earlier event a new one repeats.
#[derive(Debug)]
pub struct Index<'g> {
    gazetteer: &'g Gazetteer,
    entries: Vec<Entry>,
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

impl<'g> Index<'g> {
    /// An empty index; the gazetteer tells the names of places from the names of people.
    pub fn new(gazetteer: &'g Gazetteer) -> Index<'g> {
        Index {
            gazetteer,
            entries: Vec::new(),
            buckets: HashMap::new(),
        }
    }

    /// Adds an event; events that say they are a duplicate are left out (they are merged).
    pub fn add(&mut self, event: &Event) {
        if event.duplicate_of.is_some() {
            return;
        }
        let i = self.entries.len();
        self.entries.push(Entry {
            id: event.id.clone(),
            file: event.file.clone(),
            print: fingerprint(event, self.gazetteer),
            not_duplicate_of: event.not_duplicate_of.clone(),
            source: event.import.as_ref().map(|i| i.source.clone()),
        });
        for key in place_keys(&event.places) {
            self.buckets.entry((event.date, key)).or_default().push(i);
        }
    }

    /// The first event of the index (in the order added) that `event` probably repeats, other
    /// than itself and those either of them says it is not.
    pub fn find(&self, event: &Event) -> Option<Match<'_>> {
        if event.duplicate_of.is_some() {
            return None;
        }
        let mut candidates: Vec<usize> = place_keys(&event.places)
            .into_iter()
            .filter_map(|key| self.buckets.get(&(event.date, key)))
            .flatten()
            .copied()
            .collect();
        if candidates.is_empty() {
            return None;
        }
        candidates.sort_unstable();
        candidates.dedup();
        let print = fingerprint(event, self.gazetteer);
        let source = event.import.as_ref().map(|i| i.source.as_str());
        candidates.into_iter().find_map(|i| {
            let other = &self.entries[i];
            if other.id == event.id
                || other.not_duplicate_of.contains(&event.id)
                || event.not_duplicate_of.contains(&other.id)
            {
                return None;
            }
            if let (Some(a), Some(b)) = (&print.place, &other.print.place) {
                if !a.contains(b.as_str()) && !b.contains(a.as_str()) {
                    return None;
                }
            }
            let reason = match same_person(&print.persons, &other.print.persons) {
                Some(name) => Reason::Person(name),
                None if source.is_some() && source == other.source.as_deref() => return None,
                None if near_identical(&print.words, &other.print.words) => Reason::Title,
                None => return None,
            };
            Some(Match {
                id: &other.id,
                file: &other.file,
                reason,
            })
        })
    }
}

/// Where a value of an event file is, for a problem about it.
pub(super) type At<'a> = dyn Fn(&Event, &str) -> Location + 'a;

/// Warns about every probable duplicate, on the later of the two files (by date, then id),
/// naming the earlier; at most one warning per file.
pub(super) fn warn(events: &[Event], g: &Gazetteer, problems: &mut Vec<Diagnostic>, at: &At) {
    let mut index = Index::new(g);
    for event in events {
        if let Some(found) = index.find(event) {
            let other = display_path(found.file);
            problems.push(
                Diagnostic::warning(
                    &event.file,
                    at(event, "title"),
                    format!(
                        "probable duplicate of `{}` ({other}): same day, same place and {}",
                        found.id,
                        found.reason.describe()
                    ),
                )
                .with_hint(format!(
                    "if it is the same event, add `duplicate_of: {id}` (its sources join that page); if not, add `not_duplicate_of: [{id}]`",
                    id = found.id
                )),
            );
        }
        index.add(event);
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
            persons(t, &[])
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
        assert!(persons("Dockworkers strike in Bandar Abbas", &bandar).is_empty());
    }

    #[test]
    fn titles_compare_by_words_spelt_either_way() {
        let words = |t: &str| {
            let mut w: Vec<String> = title_words(t)
                .map(match_key)
                .filter(|w| !COMMON.contains(&w.as_str()))
                .map(|w| skeleton(&w))
                .collect();
            w.sort();
            w.dedup();
            w
        };
        let same = |a: &str, b: &str| near_identical(&words(a), &words(b));
        assert!(same("Strike at the Tehran bazaar", "Tehran bazaar strike"));
        assert!(same("Killing of Ali Rezaei", "Killing of Ali Rezayi"));
        assert!(!same("Protest in Tehran", "Strike in Tehran"));
        assert!(!same("Killing of Ali Rezaei", "Killing of Reza Karimi"));
        assert!(same("تجمع در میدان آزادی", "تجمع در میدان آزادی"));
    }
}
