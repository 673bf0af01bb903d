//! The HTML pages of the site: which pages exist ([`Page`], one per page of every language),
//! where each is written, and what its template is given. One module per kind of page:
//! [`home`], [`timeline`] (periods and days), [`event`], [`place`] (cities and provinces),
//! [`lists`] (publishers, kinds, tags, the nationwide list and the index pages), [`year`]
//! (every day of a year), [`search`] (the search page).

mod data;
mod event;
mod home;
mod lists;
mod place;
mod search;
mod timeline;
mod year;

pub use place::Place;

use super::text::Text;
use super::views::{path, Views};
use crate::site::{EventIdx, Site};
use chrono::NaiveDate;
use serde::Serialize;
use tera::Context;

/// Events per page of a day or list page: keeps every page light on a slow connection.
pub const PAGE_SIZE: usize = 100;

/// Days with events per page of a timeline: about a month, whatever the size of the site.
pub const DAYS_PER_PAGE: usize = 31;

/// One page of one language edition. `page` numbers start at 1.
#[derive(Debug, Clone)]
pub enum Page {
    Home,
    /// A period's timeline, [`DAYS_PER_PAGE`] days with events a page.
    Timeline {
        period: usize,
        page: usize,
    },
    Day {
        date: NaiveDate,
        page: usize,
    },
    /// Every day of a year that has events.
    Year(i32),
    Event(EventIdx),
    Place {
        place: Place,
        page: usize,
    },
    Publisher {
        id: String,
        page: usize,
    },
    Kind {
        id: String,
        page: usize,
    },
    Tag {
        id: String,
        page: usize,
    },
    National {
        page: usize,
    },
    Places,
    Publishers,
    Tags,
    Map,
    /// The open data: every year's exports.
    Data,
    Search,
    /// An old event id that now redirects to the event.
    Redirect {
        alias: String,
        to: EventIdx,
    },
    /// A former city id (a duplicate merged into the city) that redirects to the city.
    CityRedirect {
        old: String,
        to: crate::gazetteer::CityIdx,
    },
}

/// How many pages a list of `n` events takes.
pub fn pages(n: usize) -> usize {
    n.div_ceil(PAGE_SIZE).max(1)
}

/// How many pages the list of `events` takes in the edition in `lang` (which lists only the
/// events it has pages for).
fn list_pages(site: &Site, lang: &str, events: &[EventIdx]) -> usize {
    if lang == site.data.config.default_language() {
        return pages(events.len());
    }
    pages(events.iter().filter(|i| site.has_page(**i, lang)).count())
}

/// Every page of the edition in `lang`, in a fixed order.
pub fn all(site: &Site, lang: &str) -> Vec<Page> {
    let mut all = vec![
        Page::Home,
        Page::Places,
        Page::Publishers,
        Page::Tags,
        Page::Map,
        Page::Data,
        Page::Search,
    ];
    for (period, p) in site.periods().iter().enumerate() {
        let days = site.period_days(p).len();
        let count = days.div_ceil(DAYS_PER_PAGE).max(1);
        all.extend((1..=count).map(|page| Page::Timeline { period, page }));
    }
    for (date, events) in &site.days {
        let count = list_pages(site, lang, events);
        all.extend((1..=count).map(|page| Page::Day { date: *date, page }));
    }
    all.extend(site.years().into_iter().map(Page::Year));
    for (i, event) in site.events.iter().enumerate() {
        if !site.has_page(EventIdx(i), lang) {
            continue;
        }
        all.push(Page::Event(EventIdx(i)));
        all.extend(event.aliases.iter().map(|alias| Page::Redirect {
            alias: alias.clone(),
            to: EventIdx(i),
        }));
    }
    let count = |events: &[EventIdx]| list_pages(site, lang, events);
    let lists = |place: Place, events: &[EventIdx]| {
        (1..=count(events)).map(move |page| Page::Place { place, page })
    };
    for (city, events) in &site.by_city {
        all.extend(lists(Place::City(*city), events));
        all.extend(
            site.data
                .gazetteer
                .former_ids(*city)
                .map(|old| Page::CityRedirect {
                    old: old.to_string(),
                    to: *city,
                }),
        );
    }
    for (province, events) in &site.by_province {
        all.extend(lists(Place::Province(*province), events));
    }
    for (id, events) in &site.by_publisher {
        all.extend((1..=count(events)).map(|page| Page::Publisher {
            id: id.clone(),
            page,
        }));
    }
    for (id, events) in &site.by_kind {
        all.extend((1..=count(events)).map(|page| Page::Kind {
            id: id.clone(),
            page,
        }));
    }
    for (id, events) in &site.by_tag {
        all.extend((1..=count(events)).map(|page| Page::Tag {
            id: id.clone(),
            page,
        }));
    }
    all.extend((1..=count(&site.national)).map(|page| Page::National { page }));
    all
}

impl Page {
    /// Where the page is written, relative to its language's root.
    pub fn path(&self, site: &Site) -> String {
        match self {
            Page::Home => "index.html".into(),
            Page::Timeline { period, page } => {
                path::paged(&path::period(&site.periods()[*period].id), *page)
            }
            Page::Day { date, page } => path::day_page(*date, *page),
            Page::Year(year) => path::year(*year),
            Page::Event(i) => path::event(&site.event(*i).id),
            Page::Place { place, page } => path::paged(&place.path(site), *page),
            Page::Publisher { id, page } => path::paged(&path::publisher(id), *page),
            Page::Kind { id, page } => path::paged(&path::kind(id), *page),
            Page::Tag { id, page } => path::paged(&path::tag(id), *page),
            Page::National { page } => path::paged(path::NATIONAL, *page),
            Page::Places => "places/index.html".into(),
            Page::Publishers => "publishers/index.html".into(),
            Page::Tags => "tags/index.html".into(),
            Page::Map => path::MAP.into(),
            Page::Data => "data/index.html".into(),
            Page::Search => path::SEARCH.into(),
            Page::Redirect { alias, .. } => path::event(alias),
            Page::CityRedirect { old, .. } => path::city(old),
        }
    }

    /// Where a reader of another edition goes for this page when that edition does not have
    /// it: the day of an event, or the first page of a list (editions other than the default
    /// list fewer events, on fewer pages).
    pub fn fallback(&self, site: &Site) -> String {
        let mut first = self.clone();
        match &mut first {
            Page::Event(i) | Page::Redirect { to: i, .. } => return path::day(site.event(*i).date),
            Page::Timeline { page, .. }
            | Page::Day { page, .. }
            | Page::Place { page, .. }
            | Page::Publisher { page, .. }
            | Page::Kind { page, .. }
            | Page::Tag { page, .. }
            | Page::National { page } => *page = 1,
            _ => {}
        }
        first.path(site)
    }

    /// Whether the page only sends readers on to another (an old address).
    pub fn is_redirect(&self) -> bool {
        matches!(self, Page::Redirect { .. } | Page::CityRedirect { .. })
    }

    /// The page's template, its own context and its title.
    pub fn render(&self, views: &Views) -> (&'static str, Context, String) {
        match self {
            Page::Home => home::home(views),
            Page::Timeline { period, page } => timeline::timeline(views, *period, *page),
            Page::Day { date, page } => timeline::day(views, *date, *page),
            Page::Year(y) => year::year(views, *y),
            Page::Event(i) => event::event(views, *i),
            Page::Redirect { alias: _, to } => event::redirect(views, *to),
            Page::CityRedirect { old: _, to } => place::redirect(views, *to),
            Page::Place { place, page } => place::place(views, *place, *page),
            Page::Publisher { id, page } => lists::publisher(views, id, *page),
            Page::Kind { id, page } => lists::kind(views, id, *page),
            Page::Tag { id, page } => lists::tag(views, id, *page),
            Page::National { page } => lists::national(views, *page),
            Page::Places => lists::places(views),
            Page::Publishers => lists::publishers(views),
            Page::Tags => lists::tags(views),
            Page::Map => lists::map(views),
            Page::Data => data::data(views),
            Page::Search => search::search(views),
        }
    }
}

#[derive(Serialize)]
struct Pager {
    current: usize,
    total: usize,
    /// "page 3 of 17", for the top of the page.
    of: String,
    previous: Option<String>,
    next: Option<String>,
    pages: Vec<PagerLink>,
}

/// Pages on either side of the current one that the pager links by number.
const PAGER_REACH: usize = 2;

/// Links to the pages of a list whose first page is `first`; none for a one-page list. A long
/// list links its first and last pages and those near the current one ("1 … 7 8 9 10 11 … 80"),
/// so the pager stays small on a list of a thousand pages.
fn pager(first: &str, current: usize, total: usize, text: &Text) -> Option<Pager> {
    let near = |n: usize| n == 1 || n == total || n.abs_diff(current) <= PAGER_REACH;
    (total > 1).then(|| Pager {
        current,
        total,
        of: text.fill(
            "page_of",
            &[
                ("n", &text.number(current as u64)),
                ("total", &text.number(total as u64)),
            ],
        ),
        previous: (current > 1).then(|| path::paged(first, current - 1)),
        next: (current < total).then(|| path::paged(first, current + 1)),
        pages: (1..=total)
            .filter(|n| near(*n))
            .map(|n| PagerLink {
                label: text.digits(&n.to_string()),
                url: path::paged(first, n),
                current: n == current,
                gap_before: n > 1 && !near(n - 1),
            })
            .collect(),
    })
}

/// A page number in the pager.
#[derive(Serialize)]
struct PagerLink {
    label: String,
    url: String,
    current: bool,
    /// Pages are left out before this one ("…").
    gap_before: bool,
}

/// A label with its number of events, for counts by place, kind or tag.
#[derive(Serialize)]
struct Count {
    label: String,
    url: String,
    count: String,
    n: usize,
    id: String,
}

/// Counts, most events first, then by id.
fn by_count(counts: &mut [Count]) {
    counts.sort_by(|a, b| b.n.cmp(&a.n).then(a.id.cmp(&b.id)));
}

/// A list page's events, newest first, one page of them.
fn page_of(events: &[EventIdx], page: usize) -> Vec<EventIdx> {
    events
        .iter()
        .rev()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .copied()
        .collect()
}

/// What a list of events is of: lines in it leave out what the whole list shares.
#[derive(Serialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum ListOf {
    Place,
    Kind,
    Tag,
    Publisher,
    National,
}

/// What every list of events shows: one page of them, newest first (a title and a date each),
/// the total and a pager, and on its first page the counts by kind. An edition other than the
/// default lists the events it has pages for, and links the default language's list for the
/// others.
fn list_context(
    views: &Views,
    cx: &mut Context,
    list: (ListOf, &[EventIdx]),
    page: usize,
    first: &str,
    within: Option<&str>,
) {
    let (of, events) = list;
    let (shown, elsewhere) = views.in_edition(events);
    cx.insert_value("events", views.event_list(&page_of(&shown, page)));
    cx.insert("list_of", &of);
    if page == 1 {
        cx.insert("kind_counts", &views.kind_counts(events, within));
    }
    cx.insert("count", &views.text.count("events", events.len()));
    cx.insert("elsewhere", &views.elsewhere(elsewhere, first));
    cx.insert("pager", &pager(first, page, pages(shown.len()), views.text));
}

impl Views<'_> {
    fn city_count(&self, c: crate::gazetteer::CityIdx, n: usize) -> Count {
        let id = self.site.data.gazetteer.city(c).id.clone();
        Count {
            label: self.city_name(c),
            url: path::city(&id),
            count: self.text.number(n as u64),
            n,
            id,
        }
    }

    /// The cities of a province that have events, as counts (in `by_city` order).
    fn city_counts_in(&self, province: crate::gazetteer::ProvinceIdx) -> Vec<Count> {
        let g = &self.site.data.gazetteer;
        self.site
            .by_city
            .iter()
            .filter(|(c, _)| g.province_of(**c) == province)
            .map(|(c, e)| self.city_count(*c, e.len()))
            .collect()
    }

    /// Every kind with its number of events, in registry id order.
    fn kind_list(&self) -> Vec<Count> {
        self.site
            .by_kind
            .iter()
            .map(|(k, e)| Count {
                label: self.kind_label(k),
                url: path::kind(k),
                count: self.text.number(e.len() as u64),
                n: e.len(),
                id: k.clone(),
            })
            .collect()
    }

    /// The kinds of `events` with their counts, most frequent first, each linking to its
    /// kind's page; or, with `within` (a search filter such as `city=tehran`), to the search
    /// page showing the events of that kind among these, which the count promises.
    fn kind_counts(&self, events: &[EventIdx], within: Option<&str>) -> Vec<Count> {
        let kinds = &self.site.data.kinds.items;
        let mut counts = vec![0usize; kinds.len()];
        for i in events {
            if let Some(n) = counts.get_mut(self.site.kind_of[i.0]) {
                *n += 1;
            }
        }
        let mut out: Vec<Count> = kinds
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|(kind, n)| Count {
                label: self.kind_label(&kind.id),
                url: match within {
                    Some(filter) => path::search_for(&format!("{filter}&kind={}", kind.id)),
                    None => path::kind(&kind.id),
                },
                count: self.text.number(n as u64),
                n,
                id: kind.id.clone(),
            })
            .collect();
        by_count(&mut out);
        out
    }
}
