//! The rules for one event file: each problem is reported at the value it is about, with a hint
//! that says what to write instead.

use super::{markdown, place, Context};
use crate::diagnostic::{Diagnostic, Location};
use crate::format::{DatePrecision, EventFile, FigureEntry, GeoPrecision, SourceEntry};
use crate::model::{Amount, Correction, Event, Figure, Source, Translation};
use crate::names::{closest, is_event_id, is_slug, slugify};
use crate::read::yaml::child;
use crate::read::Document;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// Checks one event document against every rule; `None` when it cannot become an event.
pub fn resolve_event(
    doc: &Document,
    parsed: super::fields::Parsed,
    cx: &Context,
    problems: &mut Vec<Diagnostic>,
) -> Option<Event> {
    let before = problems.len();
    let (file, reported) = super::fields::event_file(doc, parsed, problems)?;
    let mut checker = Checker {
        doc,
        cx,
        problems,
        reported,
    };
    let event = checker.event(file);
    let clean = !problems[before..].iter().any(Diagnostic::is_error);
    event.filter(|_| clean)
}

/// Where a field is in the document (`date`, `sources/0/url`), kept in parts so that the path
/// is only written out when a problem is reported: valid files, nearly all of them, never need it.
#[derive(Debug, Clone, Copy)]
pub struct Field<'a> {
    /// `""` for a top-level field, else the list or mapping it is in (`sources`).
    within: &'a str,
    /// The item of that list, when it is a list.
    index: Option<usize>,
    name: &'a str,
}

impl<'a> Field<'a> {
    /// `name` inside item `index` of the list `list`: `sources/0/url`.
    pub fn item(list: &'a str, index: usize, name: &'a str) -> Self {
        Field {
            within: list,
            index: Some(index),
            name,
        }
    }

    /// `name` inside the node at `path`.
    pub fn within(path: &'a str, name: &'a str) -> Self {
        Field {
            within: path,
            index: None,
            name,
        }
    }

    /// The path of the node this field is in (`sources/0`; `""` at the top).
    pub fn parent(&self) -> String {
        match self.index {
            Some(i) => child(self.within, i),
            None => self.within.to_string(),
        }
    }

    pub fn path(&self) -> String {
        child(&self.parent(), self.name)
    }
}

impl<'a> From<&'a str> for Field<'a> {
    /// A path written out (`date`, `translations/fa/summary`).
    fn from(path: &'a str) -> Self {
        let (within, name) = path.rsplit_once('/').unwrap_or(("", path));
        Field::within(within, name)
    }
}

pub(super) struct Checker<'a> {
    pub doc: &'a Document,
    pub cx: &'a Context<'a>,
    pub problems: &'a mut Vec<Diagnostic>,
    /// Paths whose values were already reported as ill-typed (and dropped).
    pub reported: std::collections::HashSet<String>,
}

impl Checker<'_> {
    pub fn at(&self, path: &str) -> Location {
        self.doc.spans().value(path)
    }

    pub fn error(&mut self, at: Location, message: impl Into<String>, hint: impl Into<String>) {
        self.problems
            .push(Diagnostic::error(&self.doc.path, at, message).with_hint(hint));
    }

    pub fn warn(&mut self, at: Location, message: impl Into<String>, hint: impl Into<String>) {
        self.problems
            .push(Diagnostic::warning(&self.doc.path, at, message).with_hint(hint));
    }

    /// A required field: reports it missing (at the top of the file) or empty.
    fn required<'f>(
        &mut self,
        value: Option<String>,
        field: impl Into<Field<'f>>,
        hint: &str,
    ) -> Option<String> {
        let field = field.into();
        let value = match value {
            // Nothing to trim: the usual case, kept without a copy.
            Some(v) if !v.is_empty() && v.trim().len() == v.len() => return Some(v),
            other => other.map(|v| v.trim().to_string()),
        };
        match value {
            Some(v) if !v.is_empty() => Some(v),
            Some(_) => {
                let path = field.path();
                self.error(
                    self.at(&path),
                    format!("`{}` is empty", path.replace('/', ".")),
                    hint,
                );
                None
            }
            None if !self.reported.is_empty() && self.reported.contains(&field.path()) => None,
            None => {
                let (parent, name) = (field.parent(), field.name);
                let message = if parent.is_empty() {
                    format!("`{name}` is missing")
                } else {
                    format!("`{name}` is missing in `{}`", parent.replace('/', "."))
                };
                self.error(self.at(&parent), message, hint);
                None
            }
        }
    }

    /// A YYYY-MM-DD date that is real and not in the future.
    pub fn date<'f>(&mut self, text: &str, field: impl Into<Field<'f>>) -> Option<NaiveDate> {
        let at = field.into();
        let field = at.name;
        let well_formed = text.len() == 10
            && text.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if !well_formed {
            self.error(
                self.at(&at.path()),
                format!("`{field}` is `{text}`, not a date"),
                format!("`{field}` must be YYYY-MM-DD, e.g. 2026-01-03"),
            );
            return None;
        }
        // Four, two and two digits, checked above: as `%Y-%m-%d` reads them.
        let number = |range: std::ops::Range<usize>| {
            text.as_bytes()[range]
                .iter()
                .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'))
        };
        let parsed = NaiveDate::from_ymd_opt(number(0..4) as i32, number(5..7), number(8..10));
        let Some(date) = parsed else {
            self.error(
                self.at(&at.path()),
                format!("`{field}`: {text} is not a real calendar date"),
                "check the day and month (Gregorian calendar, YYYY-MM-DD)",
            );
            return None;
        };
        if date > self.cx.today {
            self.error(
                self.at(&at.path()),
                format!(
                    "`{field}` {text} is in the future (today is {} in Tehran)",
                    self.cx.today
                ),
                "events are recorded after they happen; check the year",
            );
            return None;
        }
        Some(date)
    }

    fn event(&mut self, mut f: EventFile) -> Option<Event> {
        super::limits::enforce(self, &mut f);
        let located = place::resolve_place(self, &f);
        let id = self
            .doc
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let title = self.required(
            f.title,
            "title",
            "add a short headline: `title: Strike at the Tehran bazaar`",
        );
        let date_text = self.required(
            f.date,
            "date",
            "add the day it happened: `date: 2026-01-03`",
        );
        let date = date_text.as_deref().and_then(|d| self.date(d, "date"));
        if let Some(date) = date {
            self.file_name(&id, date);
        }
        let end = f.end.as_deref().and_then(|e| self.date(e, "end"));
        if let (Some(date), Some(end)) = (date, end) {
            if end < date {
                self.error(
                    self.at("end"),
                    format!("`end` {end} is before `date` {date}"),
                    "`end` is the last day of the event; swap the two or fix the year",
                );
            } else if end == date {
                self.warn(
                    self.at("end"),
                    "`end` is the same day as `date`",
                    "remove `end` for a one-day event",
                );
            }
        }
        let date_precision = f.date_precision.unwrap_or_default();
        if let (Some(date), DatePrecision::Month) = (date, date_precision) {
            if date.day() != 1 {
                self.warn(
                    self.at("date"),
                    "with `date_precision: month` the date should be the first of the month",
                    format!("write `date: {}`", date.with_day(1).unwrap_or(date)),
                );
            }
        }
        let kind = self.kind(f.kind);
        let tags = self.tags(
            f.tags
                .unwrap_or_default()
                .into_iter()
                .map(|t| t.0)
                .collect(),
        );
        let summary = self.required(
            f.summary,
            "summary",
            "add `summary: |` and, indented below it, what happened in your own words",
        );
        if let Some(summary) = &summary {
            markdown::check(self, summary, "summary".into());
        }
        let sources = self.sources(f.sources, date);
        let figures = self.figures(f.figures.unwrap_or_default(), &sources);
        let translations = self.translations(f.translations.unwrap_or_default());
        let aliases = self.aliases(
            f.aliases
                .unwrap_or_default()
                .into_iter()
                .map(|a| a.0)
                .collect(),
            &id,
        );
        let updated = f.updated.as_deref().and_then(|u| self.date(u, "updated"));
        let corrections = self.corrections(f.corrections.unwrap_or_default());
        let located = located?;
        // Unless given: exact with coordinates, else as fine as the places named.
        let geo_precision =
            f.geo_precision
                .unwrap_or(match (&located.coordinates, &located.places) {
                    (Some(_), _) => GeoPrecision::Exact,
                    (None, crate::model::Places::Provinces(_)) => GeoPrecision::Province,
                    (None, _) => GeoPrecision::City,
                });
        Some(Event {
            id,
            file: self.doc.path.clone(),
            title: title?,
            date: date?,
            end,
            date_precision,
            places: located.places,
            place: f.place,
            coordinates: located.coordinates,
            geo_precision,
            outside_iran: f.outside_iran.unwrap_or(false),
            kind: kind?,
            tags,
            summary: summary?,
            figures,
            sources,
            translations,
            aliases,
            draft: f.draft.unwrap_or(false),
            updated,
            corrections,
        })
    }

    /// `content/events/2026/01/2026-01-03-slug.yaml` for an event of 2026-01-03.
    fn file_name(&mut self, id: &str, date: NaiveDate) {
        let expected_prefix = format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day());
        let slug = id.get(11..).unwrap_or("");
        if !id.starts_with(&expected_prefix)
            || id.as_bytes().get(10) != Some(&b'-')
            || !is_slug(slug)
        {
            let suggestion = if is_slug(slug) {
                slug.to_string()
            } else {
                slugify(id.get(11..).unwrap_or(id))
            };
            let suggestion = if suggestion.is_empty() {
                "what-happened".to_string()
            } else {
                suggestion
            };
            let hint = format!("rename the file to {expected_prefix}-{suggestion}.yaml (the date, then lower-case words joined by `-`), or fix `date`");
            let message = if id.starts_with(&expected_prefix) {
                format!("the file name `{id}.yaml` is not `YYYY-MM-DD-words.yaml`")
            } else {
                format!("`date` is {date} but the file name `{id}.yaml` does not start with {expected_prefix}")
            };
            self.error(self.at("date"), message, hint);
        }
        let expected = format!(
            "{}/{:04}/{:02}",
            crate::read::EVENTS_DIR,
            date.year(),
            date.month()
        );
        let parent = self.doc.path.parent();
        // The path as read is usually written exactly so; else compare it `/`-separated.
        if parent.is_some_and(|p| p.as_os_str() == expected.as_str()) {
            return;
        }
        let folder = parent
            .map(crate::diagnostic::display_path)
            .unwrap_or_default();
        if folder != expected {
            self.error(
                Location::START,
                format!("the file is in {folder}/ but its date is {date}"),
                format!("move it to {expected}/"),
            );
        }
    }

    fn kind(&mut self, kind: Option<String>) -> Option<String> {
        let kind = self.required(
            kind,
            "kind",
            "add `kind:` with an id from data/kinds.yaml, e.g. `kind: protest`",
        )?;
        if self.cx.kinds.contains(&kind) {
            return Some(kind);
        }
        let near = closest(&kind, self.cx.kinds.ids(), 1);
        let hint = match near.first() {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!(
                "known kinds: {}",
                self.cx.kinds.ids().collect::<Vec<_>>().join(", ")
            ),
        };
        self.error(self.at("kind"), format!("unknown kind `{kind}`"), hint);
        None
    }

    fn tags(&mut self, tags: Vec<String>) -> Vec<String> {
        let mut out = Vec::new();
        for (i, tag) in tags.into_iter().enumerate() {
            if !is_slug(&tag) {
                let fix = slugify(&tag);
                self.error(
                    self.at(&child("tags", i)),
                    format!("tag `{tag}` is not a lower-case slug"),
                    format!(
                        "write `{}`",
                        if fix.is_empty() {
                            "words-like-this".into()
                        } else {
                            fix
                        }
                    ),
                );
            } else if out.contains(&tag) {
                self.warn(
                    self.at(&child("tags", i)),
                    format!("tag `{tag}` appears twice"),
                    "remove the repeat",
                );
            } else {
                out.push(tag);
            }
        }
        out
    }

    fn url(&mut self, url: &str, field: Field) -> bool {
        // The host, between `://` and the first `/`, must have a dot; no whitespace anywhere.
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"));
        let whitespace = if url.is_ascii() {
            url.bytes().any(|b| (b as char).is_whitespace())
        } else {
            url.chars().any(char::is_whitespace)
        };
        let ok = rest.is_some_and(|rest| {
            rest.split('/')
                .next()
                .is_some_and(|host| host.contains('.'))
        }) && !whitespace;
        if !ok {
            self.error(
                self.at(&field.path()),
                format!("`{url}` is not an http(s) address"),
                "copy the full address from the browser, starting with https://",
            );
        }
        ok
    }

    fn sources(
        &mut self,
        sources: Option<Vec<SourceEntry>>,
        date: Option<NaiveDate>,
    ) -> Vec<Source> {
        let sources = sources.unwrap_or_default();
        if sources.is_empty() && !self.reported.contains("sources") {
            self.error(
                self.at("sources"),
                "the event cites no source",
                "add a `sources:` list with at least one entry: url, title, publisher, published",
            );
        }
        let mut out = Vec::new();
        let mut seen_urls = Vec::new();
        for (i, s) in sources.into_iter().enumerate() {
            let field = |name| Field::item("sources", i, name);
            let url = self.required(
                s.url,
                field("url"),
                "add the report's address: `url: https://…`",
            );
            let url = url.filter(|u| self.url(u, field("url")));
            if let Some(u) = &url {
                if seen_urls.contains(u) {
                    self.warn(
                        self.at(&field("url").path()),
                        "this source is cited twice",
                        "remove the repeated entry",
                    );
                }
                seen_urls.push(u.clone());
            }
            let title = self.required(
                s.title,
                field("title"),
                "add the report's title as published: `title: \"…\"`",
            );
            let publisher = self.required(
                s.publisher,
                field("publisher"),
                "add `publisher:` with an id from data/publishers.yaml",
            );
            let publisher = publisher.and_then(|p| self.publisher(p, field("publisher")));
            let published = self.required(
                s.published,
                field("published"),
                "add the publication day: `published: 2026-01-07`",
            );
            let published = published.and_then(|p| self.date(&p, field("published")));
            if let (Some(published), Some(date)) = (published, date) {
                if published < date && s.published_precision.is_none() {
                    self.warn(self.at(&field("published").path()), format!("the source was published ({published}) before the event's date ({date})"), "check both dates; a report cannot describe what had not yet happened");
                }
            }
            let archive_url = s.archive_url.filter(|u| self.url(u, field("archive_url")));
            if let (Some(url), Some(title), Some(publisher), Some(published)) =
                (url, title, publisher, published)
            {
                out.push(Source {
                    url,
                    title,
                    publisher,
                    published,
                    published_precision: s.published_precision.unwrap_or_default(),
                    author: s.author,
                    archive_url,
                    language: s.language,
                });
            }
        }
        out
    }

    fn publisher(&mut self, id: String, field: Field) -> Option<String> {
        if self.cx.publishers.contains(&id) {
            return Some(id);
        }
        let near = closest(&id, self.cx.publishers.ids(), 2);
        let hint = match near.as_slice() {
            [] => "add the publisher to data/publishers.yaml (id, name, url, affiliation, note)"
                .to_string(),
            found => format!(
                "did you mean {}? Otherwise add it to data/publishers.yaml",
                found
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        };
        self.error(
            self.at(&field.path()),
            format!("unknown publisher `{id}`"),
            hint,
        );
        None
    }

    fn figures(&mut self, figures: Vec<FigureEntry>, sources: &[Source]) -> Vec<Figure> {
        let cited: Vec<&str> = sources.iter().map(|s| s.publisher.as_str()).collect();
        let mut out = Vec::new();
        for (i, f) in figures.into_iter().enumerate() {
            let field = |name| Field::item("figures", i, name);
            let what = self.required(f.what, field("what"), "say what is counted: `what: killed`");
            if let Some(w) = what.as_deref().filter(|w| !is_slug(w)) {
                self.error(
                    self.at(&field("what").path()),
                    format!("`what: {w}` is not a lower-case slug"),
                    format!("write `{}`", slugify(w)),
                );
            }
            let amount = match (f.count, f.min, f.max) {
                (Some(n), None, None) => Some(Amount::Exact(n)),
                (None, min, max) if min.is_some() || max.is_some() => {
                    if let (Some(a), Some(b)) = (min, max) {
                        if a > b {
                            self.error(
                                self.at(&field("min").path()),
                                format!("`min` {a} is larger than `max` {b}"),
                                "swap them",
                            );
                        }
                    }
                    Some(Amount::Range { min, max })
                }
                (None, None, None) => {
                    self.error(
                        self.at(&field("").parent()),
                        "the figure has no number",
                        "add `count: N`, or `min:`/`max:` for a range",
                    );
                    None
                }
                _ => {
                    self.error(
                        self.at(&field("count").path()),
                        "give either `count` or `min`/`max`, not both",
                        "use `count` for one reported number, `min`/`max` for a range",
                    );
                    None
                }
            };
            let according_to = self.required(
                f.according_to,
                field("according_to"),
                "say who reports this number: `according_to: <publisher id>`",
            );
            let according_to = according_to.and_then(|a| self.publisher(a, field("according_to")));
            let via = f.via.and_then(|v| self.publisher(v, field("via")));
            if let Some(claimant) = &according_to {
                match &via {
                    Some(v) if !cited.contains(&v.as_str()) => self.error(self.at(&field("via").path()), format!("`via: {v}` is not among this event's sources"), "`via` names the cited source that relayed the claim; cite it in `sources`"),
                    None if !cited.contains(&claimant.as_str()) && !cited.is_empty() => self.error(
                        self.at(&field("according_to").path()),
                        format!("`according_to: {claimant}` is not among this event's sources"),
                        format!("cite a {claimant} report in `sources`, or add `via: <id>` naming the cited source that relays the claim ({})", cited.join(", ")),
                    ),
                    _ => {}
                }
            }
            if let (Some(what), Some(amount), Some(according_to)) = (what, amount, according_to) {
                out.push(Figure {
                    what,
                    amount,
                    who: f.who,
                    according_to,
                    via,
                    note: f.note,
                });
            }
        }
        out
    }

    fn translations(
        &mut self,
        translations: BTreeMap<String, crate::format::TranslationEntry>,
    ) -> BTreeMap<String, Translation> {
        let mut out = BTreeMap::new();
        for (lang, t) in translations {
            let path = child("translations", &lang);
            if !self.cx.config.languages.contains(&lang)
                || lang == self.cx.config.default_language()
            {
                let others: Vec<&str> = self
                    .cx
                    .config
                    .languages
                    .iter()
                    .skip(1)
                    .map(String::as_str)
                    .collect();
                self.error(
                    self.doc.spans().key(&path),
                    format!("`{lang}` is not a translation language of this site"),
                    format!("translations are for: {}", others.join(", ")),
                );
                continue;
            }
            if t.title.is_none() && t.summary.is_none() {
                self.warn(
                    self.at(&path),
                    format!("the `{lang}` translation is empty"),
                    "add `title:` and `summary:`, or remove it",
                );
            }
            if let Some(summary) = &t.summary {
                markdown::check(self, summary, Field::within(&path, "summary"));
            }
            out.insert(
                lang,
                Translation {
                    title: t.title,
                    summary: t.summary,
                    place: t.place,
                },
            );
        }
        out
    }

    fn aliases(&mut self, aliases: Vec<String>, id: &str) -> Vec<String> {
        for (i, alias) in aliases.iter().enumerate() {
            // An alias becomes a folder of the site (`events/<alias>/`): it must be an id.
            if !is_event_id(alias) {
                self.error(
                    self.at(&child("aliases", i)),
                    format!("alias `{alias}` is not an event id"),
                    "an alias is an old file name of this event without `.yaml`: `2026-01-03-old-words`",
                );
            } else if alias == id {
                self.error(
                    self.at(&child("aliases", i)),
                    "an event cannot be an alias of itself",
                    "list only the event's old ids",
                );
            } else if aliases[..i].contains(alias) {
                self.error(
                    self.at(&child("aliases", i)),
                    format!("alias `{alias}` is listed twice"),
                    "remove the repeat",
                );
            }
        }
        aliases
    }

    fn corrections(&mut self, corrections: Vec<crate::format::CorrectionEntry>) -> Vec<Correction> {
        let mut out = Vec::new();
        for (i, c) in corrections.into_iter().enumerate() {
            let field = |name| Field::item("corrections", i, name);
            let date = self.required(
                c.date,
                field("date"),
                "add the day of the correction: `date: 2026-02-01`",
            );
            let date = date.and_then(|d| self.date(&d, field("date")));
            let note = self.required(c.note, field("note"), "say what was corrected");
            if let (Some(date), Some(note)) = (date, note) {
                out.push(Correction { date, note });
            }
        }
        out
    }
}
