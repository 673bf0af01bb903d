//! The rules for one event file: each problem is reported at the value it is about, with a hint
//! that says what to write instead.

use super::checker::{Checker, Field};
use super::{markdown, place, Context};
use crate::diagnostic::{Diagnostic, Location};
use crate::event_file::{DatePrecision, EventFile, GeoPrecision};
use crate::model::{Correction, Event, Translation};
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
    fixes: &mut Vec<crate::fix::Fix>,
) -> Option<Event> {
    let before = problems.len();
    let (file, reported) = super::fields::event_file(doc, parsed, problems)?;
    let mut checker = Checker {
        doc,
        cx,
        problems,
        fixes,
        reported,
    };
    let event = checker.event(file);
    let clean = !problems[before..].iter().any(Diagnostic::is_error);
    event.filter(|_| clean)
}

impl Checker<'_> {
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
        for (field, text) in [("title", &title), ("summary", &summary)] {
            if let Some(text) = text {
                self.script_of_own_text(field, text);
            }
        }
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
        let (duplicate_of, not_duplicate_of) =
            self.duplicates(f.duplicate_of, f.not_duplicate_of.unwrap_or_default(), &id);
        let import = f.import.and_then(|i| self.import(i));
        let located = located?;
        // Unless given: exact with coordinates, else as fine as the places named.
        let geo_precision =
            f.geo_precision
                .unwrap_or(match (&located.coordinates, &located.places) {
                    (Some(_), _) => GeoPrecision::Exact,
                    (None, crate::model::Places::Provinces(_)) => GeoPrecision::Province,
                    (None, crate::model::Places::Cities(cities))
                        if !located.neighbourhoods.is_empty()
                            && cities.iter().all(|city| {
                                (located.neighbourhoods.iter())
                                    .any(|h| self.cx.gazetteer.city_of(*h) == *city)
                            }) =>
                    {
                        GeoPrecision::Neighbourhood
                    }
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
            neighbourhoods: located.neighbourhoods,
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
            duplicate_of,
            not_duplicate_of,
            import,
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

    /// An English site's own text written in Persian: the English edition would show it as
    /// English, and the Persian edition would have no page for it.
    fn script_of_own_text(&mut self, field: &str, text: &str) {
        if text.is_ascii() || self.cx.config.default_language() != "en" {
            return;
        }
        let letters = text.chars().filter(|c| c.is_alphabetic());
        let (arabic, all) = letters.fold((0usize, 0usize), |(a, n), c| {
            (
                a + usize::from(('\u{0600}'..='\u{06FF}').contains(&c)),
                n + 1,
            )
        });
        if all > 0 && arabic * 2 > all {
            self.warn(
                self.at(field),
                format!("`{field}` is in Persian, but an event's own text is in English"),
                format!("move it under `translations:` → `fa:` → `{field}:` and write the English `{field}` here; each edition then shows its own"),
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
        // A kind's label or plural in any language (`Protests`, `اعتراض`) names it.
        let folded = kind.trim().to_lowercase();
        let by_label = (self.cx.kinds.items.iter()).find(|k| {
            (k.label.values().chain(k.plural.values())).any(|l| l.to_lowercase() == folded)
        });
        let near = closest(&kind, self.cx.kinds.ids(), 1);
        let hint = match (by_label, near.first()) {
            (Some(k), _) => format!("write the kind's id: `kind: {}`", k.id),
            (None, Some(k)) => format!("did you mean `{k}`?"),
            // Persian text: each id with its Persian label, to find the one meant.
            (None, None) if !kind.is_ascii() => format!(
                "write one of the kinds' ids: {}",
                (self.cx.kinds.items.iter())
                    .map(|k| match k.label.get("fa") {
                        Some(fa) => format!("{} ({fa})", k.id),
                        None => k.id.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            (None, None) => format!(
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

    fn translations(
        &mut self,
        translations: BTreeMap<String, crate::event_file::TranslationEntry>,
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

    /// `duplicate_of` and `not_duplicate_of` name other events by id. Whether those exist is
    /// a question across files, answered in `super::duplicates`.
    fn duplicates(
        &mut self,
        duplicate_of: Option<crate::event_file::EventId>,
        not_duplicate_of: Vec<crate::event_file::EventId>,
        id: &str,
    ) -> (Option<String>, Vec<String>) {
        let duplicate_of = duplicate_of.map(|d| d.0).filter(|other| {
            if !is_event_id(other) {
                self.error(
                    self.at("duplicate_of"),
                    format!("`duplicate_of: {other}` is not an event id"),
                    "write the id of the event this one repeats: its file name without .yaml",
                );
                false
            } else if other == id {
                self.error(
                    self.at("duplicate_of"),
                    "an event cannot be a duplicate of itself",
                    "write the id of the other event, or remove `duplicate_of`",
                );
                false
            } else {
                true
            }
        });
        let mut out: Vec<String> = Vec::new();
        for (i, other) in not_duplicate_of.into_iter().map(|d| d.0).enumerate() {
            let at = self.at(&child("not_duplicate_of", i));
            if !is_event_id(&other) {
                self.error(
                    at,
                    format!("`{other}` is not an event id"),
                    "list the ids (file names without .yaml) of events mistaken for this one",
                );
            } else if other == id {
                self.error(
                    at,
                    "an event cannot be listed as not a duplicate of itself",
                    "remove it",
                );
            } else if out.contains(&other) {
                self.warn(
                    at,
                    format!("`{other}` is listed twice"),
                    "remove the repeat",
                );
            } else {
                out.push(other);
            }
        }
        if let Some(other) = &duplicate_of {
            if out.contains(other) {
                self.error(
                    self.at("duplicate_of"),
                    format!("`{other}` is both `duplicate_of` and in `not_duplicate_of`"),
                    "keep the one that is true",
                );
            }
        }
        (duplicate_of, out)
    }

    fn import(&mut self, entry: crate::event_file::ImportEntry) -> Option<crate::model::Import> {
        let source = self.required(
            entry.source,
            "import/source",
            "`import` is written by `ruzshomar import`; restore it or remove the whole `import` line",
        );
        let key = self.required(
            entry.key,
            "import/key",
            "`import` is written by `ruzshomar import`; restore it or remove the whole `import` line",
        );
        Some(crate::model::Import {
            source: source?,
            key: key?,
            digest: entry.digest,
        })
    }

    fn corrections(
        &mut self,
        corrections: Vec<crate::event_file::CorrectionEntry>,
    ) -> Vec<Correction> {
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
