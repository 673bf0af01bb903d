//! What templates see: plain, serialisable views of the site in one language. Every label is
//! already translated and every date formatted; every `url` is relative to the language's root
//! (templates prefix it with `root`), so pages work under any base path and from disk.

use super::text::Text;
use crate::gazetteer::{CityIdx, NeighbourhoodIdx, ProvinceIdx};
use crate::markdown;
use crate::model::{Amount, Event, Places};
use crate::site::{EventIdx, Site};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct KindView {
    pub id: String,
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureView {
    pub text: String,
    pub claimant: Link,
    pub via: Option<Link>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub number: String,
    pub url: String,
    pub title: String,
    pub publisher: Link,
    pub affiliation: String,
    pub published: String,
    pub archive_url: Option<String>,
    pub language: Option<String>,
    pub author: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub id: String,
    pub url: String,
    pub title: String,
    /// False when this language has no translation and the original is shown.
    pub translated: bool,
    pub date_iso: String,
    pub date_label: String,
    /// The short date for lists, in the reader's calendar.
    pub date_short: String,
    pub approximate: bool,
    pub day_url: String,
    pub places: Vec<Link>,
    /// The places in a few words, for a line in a list: "Mianrud +5".
    pub places_short: String,
    pub place: Option<String>,
    pub kind: KindView,
    pub tags: Vec<Link>,
    pub summary_html: String,
    pub figures: Vec<FigureView>,
    pub sources: Vec<SourceView>,
    pub single_source: bool,
    pub updated: Option<String>,
    pub corrections: Vec<CorrectionView>,
}

/// An event as a line of a list: what a list shows of it.
#[derive(Debug, Clone, Serialize)]
pub struct EventLine {
    pub id: String,
    pub url: String,
    pub title: String,
    /// False when this language has no translation and the original is shown.
    pub translated: bool,
    pub date_iso: String,
    pub date_short: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CorrectionView {
    pub date: String,
    pub note: String,
}

/// Paths (relative to a language root) of the site's pages: one place for the URL scheme.
pub mod path {
    use chrono::NaiveDate;

    pub fn event(id: &str) -> String {
        format!("events/{id}/index.html")
    }
    pub fn day(date: NaiveDate) -> String {
        format!("days/{}/index.html", date.format("%Y-%m-%d"))
    }
    pub fn day_page(date: NaiveDate, page: usize) -> String {
        if page <= 1 {
            day(date)
        } else {
            format!("days/{}/{page}/index.html", date.format("%Y-%m-%d"))
        }
    }
    pub fn year(year: i32) -> String {
        format!("years/{year}/index.html")
    }
    pub fn period(id: &str) -> String {
        format!("timeline/{id}/index.html")
    }
    pub fn city(id: &str) -> String {
        format!("cities/{id}/index.html")
    }
    pub fn province(id: &str) -> String {
        format!("provinces/{id}/index.html")
    }
    pub fn publisher(id: &str) -> String {
        format!("publishers/{id}/index.html")
    }
    pub fn kind(id: &str) -> String {
        format!("kinds/{id}/index.html")
    }
    pub fn tag(id: &str) -> String {
        format!("tags/{id}/index.html")
    }
    pub const MAP: &str = "map/index.html";
    pub const SEARCH: &str = "search/index.html";
    /// The search page with its filters set (`city=tehran&kind=protest`).
    pub fn search_for(query: &str) -> String {
        format!("{SEARCH}?{query}")
    }
    pub const NATIONAL: &str = "national/index.html";
    /// Page `n` of a paginated list whose first page is `first` (`…/index.html`).
    pub fn paged(first: &str, n: usize) -> String {
        if n <= 1 {
            first.to_string()
        } else {
            format!("{}{n}/index.html", first.trim_end_matches("index.html"))
        }
    }
}

pub struct Views<'a> {
    pub site: &'a Site,
    pub text: &'a Text,
    /// Province shapes, projected once per build.
    pub maps: &'a super::map::Maps,
    /// Every event's line in this language as a template value (see [`Views::prepare`]);
    /// empty until prepared, and then lines are made on demand.
    pub prepared: &'a [tera::Value],
}

impl<'a> Views<'a> {
    /// Views in one language, with no prepared events.
    pub fn new(site: &'a Site, text: &'a Text, maps: &'a super::map::Maps) -> Self {
        Views {
            site,
            text,
            maps,
            prepared: &[],
        }
    }

    /// Every event's line in a list (its title, address and date) as a template value, made
    /// once per language and shared by the ten or so lists that show it: template values are
    /// reference-counted. Full views (summary, figures, sources) are made when a page needs
    /// one ([`Views::event_value`]): each is shown on a few pages only.
    pub fn prepare(&self) -> Vec<tera::Value> {
        use rayon::prelude::*;
        (0..self.site.events.len())
            .into_par_iter()
            .map(|i| tera::Value::from_serializable(&self.line(EventIdx(i))))
            .collect()
    }

    /// An event's full view, as a template value.
    pub fn event_value(&self, idx: EventIdx) -> tera::Value {
        tera::Value::from_serializable(&self.event(idx, true))
    }

    /// Events as lines of a list, sharing their prepared values.
    pub fn event_list(&self, events: &[EventIdx]) -> tera::Value {
        let line = |i: &EventIdx| match self.prepared.get(i.0) {
            Some(value) => value.clone(),
            None => tera::Value::from_serializable(&self.line(*i)),
        };
        tera::Value::from(events.iter().map(line).collect::<Vec<_>>())
    }

    /// Events in full, for the cards of a day page.
    pub fn event_cards(&self, events: &[EventIdx]) -> tera::Value {
        tera::Value::from(
            (events.iter())
                .map(|i| self.event_value(*i))
                .collect::<Vec<_>>(),
        )
    }

    /// An event as a line of a list shows it.
    pub fn line(&self, idx: EventIdx) -> EventLine {
        let e = self.site.event(idx);
        let translation = e.translations.get(&self.text.lang);
        let title = translation.and_then(|t| t.title.clone());
        let default_lang = self.site.data.config.default_language() == self.text.lang;
        EventLine {
            id: e.id.clone(),
            url: self.event_url(idx),
            translated: default_lang || title.is_some(),
            title: title.unwrap_or_else(|| e.title.clone()),
            date_iso: e.date.format("%Y-%m-%d").to_string(),
            date_short: self.short_date(e.date),
        }
    }

    pub fn city_name(&self, idx: CityIdx) -> String {
        let c = self.site.data.gazetteer.city(idx);
        match (&c.name_fa, self.text.is_persian()) {
            (Some(fa), true) => fa.clone(),
            _ => c.name.clone(),
        }
    }

    pub fn neighbourhood_name(&self, idx: NeighbourhoodIdx) -> String {
        let h = self.site.data.gazetteer.neighbourhood(idx);
        match (&h.name_fa, self.text.is_persian()) {
            (Some(fa), true) => fa.clone(),
            _ => h.name.clone(),
        }
    }

    pub fn province_name(&self, idx: ProvinceIdx) -> String {
        let p = self.site.data.gazetteer.province(idx);
        if self.text.is_persian() {
            p.name_fa.clone()
        } else {
            p.name.clone()
        }
    }

    pub fn city_link(&self, idx: CityIdx) -> Link {
        Link {
            label: self.city_name(idx),
            url: path::city(&self.site.data.gazetteer.city(idx).id),
        }
    }

    pub fn province_link(&self, idx: ProvinceIdx) -> Link {
        Link {
            label: self.province_name(idx),
            url: path::province(&self.site.data.gazetteer.province(idx).id),
        }
    }

    pub fn publisher_name(&self, id: &str) -> String {
        match self.site.data.publishers.get(id) {
            Some(p) => match (&p.name_fa, self.text.is_persian()) {
                (Some(fa), true) => fa.clone(),
                _ => p.name.clone(),
            },
            None => id.to_string(),
        }
    }

    pub fn publisher_link(&self, id: &str) -> Link {
        Link {
            label: self.publisher_name(id),
            url: path::publisher(id),
        }
    }

    pub fn kind_label(&self, id: &str) -> String {
        self.site
            .data
            .kinds
            .get(id)
            .and_then(|k| {
                k.label
                    .get(&self.text.lang)
                    .or_else(|| k.label.values().next())
            })
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    pub fn kind(&self, id: &str) -> KindView {
        KindView {
            id: id.to_string(),
            label: self.kind_label(id),
            url: path::kind(id),
        }
    }

    /// The reader's calendar for lists.
    pub fn short_date(&self, date: NaiveDate) -> String {
        if self.text.is_persian() {
            self.text.solar(date)
        } else {
            self.text.gregorian(date)
        }
    }

    /// A label from i18n when there is one (`figure_killed`), else the slug in words.
    fn slug_label(&self, prefix: &str, slug: &str) -> String {
        self.text
            .strings
            .get(&format!("{prefix}_{slug}"))
            .cloned()
            .unwrap_or_else(|| slug.replace('-', " "))
    }

    pub fn places(&self, event: &Event) -> Vec<Link> {
        match &event.places {
            // A city's page, named after the event's neighbourhoods in it: "Narmak, Tehran".
            Places::Cities(cities) => (cities.iter())
                .map(|c| {
                    let g = &self.site.data.gazetteer;
                    let mut link = self.city_link(*c);
                    let mut names: Vec<String> = (event.neighbourhoods.iter())
                        .filter(|h| g.city_of(**h) == *c)
                        .map(|h| self.neighbourhood_name(*h))
                        .collect();
                    if !names.is_empty() {
                        names.push(link.label);
                        link.label = names.join(&self.text.t("list_separator"));
                    }
                    link
                })
                .collect(),
            Places::Provinces(provinces) => {
                provinces.iter().map(|p| self.province_link(*p)).collect()
            }
            Places::National => vec![Link {
                label: self.text.t("nationwide"),
                url: "national/index.html".into(),
            }],
        }
    }

    /// The first place and how many more: "Mianrud +5".
    fn places_short(&self, event: &Event) -> String {
        let places = self.places(event);
        match places.as_slice() {
            [] => String::new(),
            [one] => one.label.clone(),
            [first, rest @ ..] => {
                let more = self.text.number(rest.len() as u64);
                format!("{} +{more}", first.label)
            }
        }
    }

    /// "42 more events, in English": the link from a list of this edition to the same list in
    /// the default language, for the `count` events this edition has no page for.
    pub fn elsewhere(&self, count: usize, first: &str) -> Option<Link> {
        (count > 0).then(|| {
            let default = self.site.data.config.default_language();
            let up = "../".repeat(
                super::lang_prefix(self.site, &self.text.lang)
                    .matches('/')
                    .count(),
            );
            Link {
                label: self.text.count("more_in_default_language", count),
                url: format!("{up}{}{first}", super::lang_prefix(self.site, default)),
            }
        })
    }

    /// The events of `events` that this edition has a page for, and how many it has not (their
    /// pages are in the default language: lists say so with one link, not one line each).
    pub fn in_edition(&self, events: &[EventIdx]) -> (Vec<EventIdx>, usize) {
        let lang = &self.text.lang;
        if lang == self.site.data.config.default_language() {
            return (events.to_vec(), 0);
        }
        let shown: Vec<EventIdx> = (events.iter().copied())
            .filter(|i| self.site.has_page(*i, lang))
            .collect();
        let hidden = events.len() - shown.len();
        (shown, hidden)
    }

    fn amount(&self, amount: Amount) -> String {
        let n = |v: u64| self.text.number(v);
        match amount {
            Amount::Exact(v) => n(v),
            Amount::Range {
                min: Some(a),
                max: Some(b),
            } => self.text.fill("range", &[("min", &n(a)), ("max", &n(b))]),
            Amount::Range {
                min: Some(a),
                max: None,
            } => self.text.fill("at_least", &[("n", &n(a))]),
            Amount::Range {
                min: None,
                max: Some(b),
            } => self.text.fill("at_most", &[("n", &n(b))]),
            Amount::Range {
                min: None,
                max: None,
            } => String::new(),
        }
    }

    /// Where an event's page is, from this language's root: its own page in this edition, or
    /// the default language's page when this edition has none.
    pub fn event_url(&self, idx: EventIdx) -> String {
        let lang = &self.text.lang;
        if self.site.has_page(idx, lang) {
            return path::event(&self.site.event(idx).id);
        }
        let up = "../".repeat(super::lang_prefix(self.site, lang).matches('/').count());
        format!("{up}{}", super::event_page(self.site, idx, lang))
    }

    /// An event's title in this language, or the original when it has no translation.
    pub fn title(&self, idx: EventIdx) -> String {
        let e = self.site.event(idx);
        e.translations
            .get(&self.text.lang)
            .and_then(|tr| tr.title.clone())
            .unwrap_or_else(|| e.title.clone())
    }

    pub fn event(&self, idx: EventIdx, with_summary: bool) -> EventView {
        let e = self.site.event(idx);
        let t = self.text;
        let translation = e.translations.get(&t.lang);
        let title = translation.and_then(|tr| tr.title.clone());
        let summary = translation.and_then(|tr| tr.summary.clone());
        let default_lang = self.site.data.config.default_language() == t.lang;
        let translated = default_lang || title.is_some();
        let summary_html = if with_summary {
            markdown::to_html(summary.as_deref().unwrap_or(&e.summary), &e.id)
        } else {
            String::new()
        };
        let distinct_publishers = e.publishers().len();
        EventView {
            id: e.id.clone(),
            url: self.event_url(idx),
            title: title.unwrap_or_else(|| e.title.clone()),
            translated,
            date_iso: e.date.format("%Y-%m-%d").to_string(),
            date_label: t.span(e.date, e.end, e.date_precision),
            date_short: self.short_date(e.date),
            approximate: e.date_precision != crate::event_file::DatePrecision::Day,
            day_url: path::day(e.date),
            places_short: self.places_short(e),
            places: self.places(e),
            place: translation
                .and_then(|tr| tr.place.clone())
                .or_else(|| e.place.clone()),
            kind: self.kind(&e.kind),
            tags: e
                .tags
                .iter()
                .map(|tag| Link {
                    label: tag.clone(),
                    url: path::tag(tag),
                })
                .collect(),
            summary_html,
            figures: e
                .figures
                .iter()
                .map(|f| {
                    let what = self.slug_label("figure", &f.what);
                    let who = f.who.as_deref().map(|w| self.slug_label("who", w));
                    let text = match who {
                        Some(who) => t.fill(
                            "figure_who",
                            &[
                                ("n", &self.amount(f.amount)),
                                ("what", &what),
                                ("who", &who),
                            ],
                        ),
                        None => t.fill("figure", &[("n", &self.amount(f.amount)), ("what", &what)]),
                    };
                    FigureView {
                        text,
                        claimant: self.publisher_link(&f.according_to),
                        via: f.via.as_deref().map(|v| self.publisher_link(v)),
                        note: f.note.clone(),
                    }
                })
                .collect(),
            sources: e
                .sources
                .iter()
                .enumerate()
                .map(|(i, s)| SourceView {
                    number: t.digits(&(i + 1).to_string()),
                    url: s.url.clone(),
                    title: s.title.clone(),
                    publisher: self.publisher_link(&s.publisher),
                    affiliation: self
                        .site
                        .data
                        .publishers
                        .get(&s.publisher)
                        .map(|p| t.t(&format!("affiliation_{}", p.affiliation.key())))
                        .unwrap_or_default(),
                    published: match s.published_precision {
                        crate::event_file::DatePrecision::Day => self.short_date(s.published),
                        p => t.with_precision(s.published, p),
                    },
                    archive_url: s.archive_url.clone(),
                    language: s.language.clone(),
                    author: s.author.clone(),
                })
                .collect(),
            single_source: distinct_publishers == 1,
            updated: e.updated.map(|d| self.short_date(d)),
            corrections: e
                .corrections
                .iter()
                .map(|c| CorrectionView {
                    date: self.short_date(c.date),
                    note: c.note.clone(),
                })
                .collect(),
        }
    }
}
