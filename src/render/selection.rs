//! A part of the site: what an edit of some events changes (`serve` renders only that; see
//! [`crate::live`]). Renderers consult it through [`super::RenderContext::selection`]; with no
//! selection they make every file.

use super::pages::{Page, Place};
use crate::gazetteer::{CityIdx, ProvinceIdx};
use crate::model::{Event, Places};
use crate::site::Site;
use chrono::{Datelike, NaiveDate};
use std::collections::HashSet;

/// The keys an edit touches, gathered from every version of the edited events (as they were
/// and as they are): the pages and files that show any of them are made again.
#[derive(Debug, Default)]
pub struct Selection {
    pub events: HashSet<String>,
    pub dates: HashSet<NaiveDate>,
    pub years: HashSet<i32>,
    pub cities: HashSet<CityIdx>,
    pub provinces: HashSet<ProvinceIdx>,
    pub kinds: HashSet<String>,
    pub tags: HashSet<String>,
    pub publishers: HashSet<String>,
    pub national: bool,
    /// Whether every edition still has the same events in the same order (the edit changed
    /// no id, date, draft state or translation): pages cut from the whole list by position,
    /// the site feed's archives, then change only where an edited event is.
    pub same_order: bool,
    /// Whether the days with events are the same days (no day gained its first event or lost
    /// its last): the map's place files number events by day, and day pages link their
    /// neighbours.
    pub same_days: bool,
}

impl Selection {
    /// What `events` are shown on, in `site` (for a city, its province too).
    pub fn add(&mut self, site: &Site, event: &Event) {
        self.events.insert(event.id.clone());
        self.events.extend(event.aliases.iter().cloned());
        self.dates.insert(event.date);
        self.years.insert(event.date.year());
        match &event.places {
            Places::Cities(cities) => {
                for c in cities {
                    self.cities.insert(*c);
                    self.provinces.insert(site.data.gazetteer.province_of(*c));
                }
            }
            Places::Provinces(provinces) => self.provinces.extend(provinces.iter().copied()),
            Places::National => self.national = true,
        }
        self.kinds.insert(event.kind.clone());
        self.tags.extend(event.tags.iter().cloned());
        self.publishers
            .extend(event.publishers().into_iter().map(str::to_string));
        self.publishers
            .extend(event.figures.iter().map(|f| f.according_to.clone()));
    }

    /// The days next to each selected day among `days` (a site's days with events, in
    /// order), whose pages link to it (needed when days gain or lose all their events).
    pub fn add_neighbouring_days(&mut self, days: &[NaiveDate]) {
        let mut neighbours: Vec<NaiveDate> = Vec::new();
        for day in &self.dates {
            let at = days.partition_point(|d| d < day);
            let after = if days.get(at) == Some(day) {
                at + 1
            } else {
                at
            };
            neighbours.extend(at.checked_sub(1).and_then(|i| days.get(i)).copied());
            neighbours.extend(days.get(after).copied());
        }
        self.dates.extend(neighbours);
    }

    /// Whether the page shows anything the edit touched. The pages that sum up the whole
    /// site (home, indexes, map, open data) always do.
    pub fn page(&self, site: &Site, page: &Page) -> bool {
        match page {
            Page::Home
            | Page::Places
            | Page::Publishers
            | Page::Tags
            | Page::Map
            | Page::Search
            | Page::Data => true,
            Page::Timeline { period, .. } => {
                let period = &site.periods()[*period];
                self.dates.iter().any(|d| period.contains(*d))
            }
            Page::Day { date, .. } => self.dates.contains(date),
            Page::Year(year) => self.years.contains(year),
            Page::Event(i) | Page::Redirect { to: i, .. } => {
                self.events.contains(&site.event(*i).id)
            }
            Page::CityRedirect { .. } => false,
            Page::Place { place, .. } => self.place(*place),
            Page::Publisher { id, .. } => self.publishers.contains(id),
            Page::Kind { id, .. } => self.kinds.contains(id),
            Page::Tag { id, .. } => self.tags.contains(id),
            Page::National { .. } => self.national,
        }
    }

    pub fn place(&self, place: Place) -> bool {
        match place {
            Place::City(c) => self.cities.contains(&c),
            Place::Province(p) => self.provinces.contains(&p),
        }
    }
}
