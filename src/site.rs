//! Stage 3, site: the immutable, fully indexed model that rendering reads. Built once from the
//! resolved events; every list is in a fixed order so output is deterministic.

use crate::config::Period;
use crate::gazetteer::{CityIdx, ProvinceIdx};
use crate::model::{Event, Places};
use crate::resolve::Resolved;
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// Index of an event in [`Site::events`] (which is in date order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventIdx(pub usize);

#[derive(Debug)]
pub struct Site {
    pub data: Resolved,
    /// The published events (drafts only with `--drafts`), by date then id.
    pub events: Vec<Event>,
    /// `base_url` with its trailing slash, possibly overridden on the command line.
    pub base_url: String,
    /// Events by the day they start on.
    pub days: BTreeMap<NaiveDate, Vec<EventIdx>>,
    pub by_city: BTreeMap<CityIdx, Vec<EventIdx>>,
    pub by_province: BTreeMap<ProvinceIdx, Vec<EventIdx>>,
    pub by_kind: BTreeMap<String, Vec<EventIdx>>,
    pub by_tag: BTreeMap<String, Vec<EventIdx>>,
    pub by_publisher: BTreeMap<String, Vec<EventIdx>>,
    /// Events placed only by province (`provinces:`), by province: the map's hollow marks.
    pub province_level: BTreeMap<ProvinceIdx, Vec<EventIdx>>,
    /// Events with `scope: national`.
    pub national: Vec<EventIdx>,
    /// Each event's kind as its position in `data/kinds.yaml`: counting kinds is then indexing.
    pub kind_of: Vec<usize>,
    /// Whether the build includes the offline ZIP (pages then link to it).
    pub offline_zip: bool,
}

impl Site {
    /// The events move out of `data` (its `events` is left empty) into [`Site::events`].
    pub fn new(mut data: Resolved, base_url: Option<String>, drafts: bool) -> Site {
        let mut events: Vec<Event> = std::mem::take(&mut data.events)
            .into_iter()
            .filter(|e| drafts || !e.draft)
            .collect();
        events.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        let mut base_url = base_url.unwrap_or_else(|| data.config.base_url.clone());
        if !base_url.ends_with('/') {
            base_url.push('/');
        }
        let mut site = Site {
            events,
            base_url,
            days: BTreeMap::new(),
            by_city: BTreeMap::new(),
            by_province: BTreeMap::new(),
            by_kind: BTreeMap::new(),
            by_tag: BTreeMap::new(),
            by_publisher: BTreeMap::new(),
            province_level: BTreeMap::new(),
            national: Vec::new(),
            kind_of: Vec::new(),
            offline_zip: false,
            data,
        };
        site.index();
        site
    }

    fn index(&mut self) {
        let kinds = &self.data.kinds;
        // Every kind was checked against the registry when the event was resolved.
        self.kind_of = self
            .events
            .iter()
            .map(|e| kinds.position(&e.kind).unwrap_or(kinds.items.len()))
            .collect();
        for (i, event) in self.events.iter().enumerate() {
            let i = EventIdx(i);
            self.days.entry(event.date).or_default().push(i);
            self.by_kind.entry(event.kind.clone()).or_default().push(i);
            for tag in &event.tags {
                self.by_tag.entry(tag.clone()).or_default().push(i);
            }
            for publisher in event.publishers() {
                self.by_publisher
                    .entry(publisher.to_string())
                    .or_default()
                    .push(i);
            }
            // Figures can cite claimants that are not sources; their pages list those events too.
            for figure in &event.figures {
                let list = self
                    .by_publisher
                    .entry(figure.according_to.clone())
                    .or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
            match &event.places {
                Places::Cities(cities) => {
                    let mut provinces = BTreeSet::new();
                    for city in cities {
                        self.by_city.entry(*city).or_default().push(i);
                        provinces.insert(self.data.gazetteer.province_of(*city));
                    }
                    for p in provinces {
                        self.by_province.entry(p).or_default().push(i);
                    }
                }
                Places::Provinces(provinces) => {
                    for p in provinces {
                        self.by_province.entry(*p).or_default().push(i);
                        self.province_level.entry(*p).or_default().push(i);
                    }
                }
                Places::National => self.national.push(i),
            }
        }
        for list in self.by_publisher.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
    }

    pub fn event(&self, idx: EventIdx) -> &Event {
        &self.events[idx.0]
    }

    /// Whether the edition in `lang` has a page of its own for the event: the default language
    /// always, another only when the event has text in it (a translated title or summary).
    /// Elsewhere the edition's lists link to the default language's page, marked as such.
    pub fn has_page(&self, idx: EventIdx, lang: &str) -> bool {
        lang == self.data.config.default_language()
            || (self.event(idx).translations.get(lang))
                .is_some_and(|t| t.title.is_some() || t.summary.is_some())
    }

    pub fn periods(&self) -> &[Period] {
        &self.data.config.periods
    }

    /// The years that have events, in order.
    pub fn years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self.days.keys().map(|d| d.year()).collect();
        years.dedup();
        years
    }

    /// The days of a period that have events, in order.
    pub fn period_days(&self, period: &Period) -> Vec<NaiveDate> {
        let end = period.end.unwrap_or(NaiveDate::MAX);
        self.days
            .range(period.start..=end)
            .map(|(d, _)| *d)
            .collect()
    }

    /// The period a day belongs to, if any (the first listed wins).
    pub fn period_of(&self, date: NaiveDate) -> Option<&Period> {
        self.periods().iter().find(|p| p.contains(date))
    }

    /// The days before and after `date` that have events.
    pub fn neighbours(&self, date: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let previous = self.days.range(..date).next_back().map(|(d, _)| *d);
        let next = self
            .days
            .range(date.succ_opt().unwrap_or(date)..)
            .next()
            .map(|(d, _)| *d);
        (previous, next)
    }

    /// The provinces an event is in, in gazetteer order.
    pub fn provinces_of(&self, event: &Event) -> Vec<ProvinceIdx> {
        let set: BTreeSet<ProvinceIdx> = match &event.places {
            Places::Cities(cities) => cities
                .iter()
                .map(|c| self.data.gazetteer.province_of(*c))
                .collect(),
            Places::Provinces(p) => p.iter().copied().collect(),
            Places::National => BTreeSet::new(),
        };
        set.into_iter().collect()
    }
}
