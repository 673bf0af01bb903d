//! The rules for an event's sources and figures: every source a real address with a known
//! publisher, every figure a number with the publisher that claims it.

use super::checker::{Checker, Field};
use crate::event_file::{FigureEntry, SourceEntry};
use crate::model::{Amount, Figure, Source};
use crate::names::{closest, is_slug, slugify};
use chrono::NaiveDate;

impl Checker<'_> {
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
            // An address copied without its scheme (`www.bbc.com/…`): say the whole of it.
            let host = url.split('/').next().unwrap_or_default();
            let hint =
                match rest.is_none() && !whitespace && host.contains('.') && !host.contains(':') {
                    true => format!("write the full address, with its start: `https://{url}`"),
                    false => {
                        "copy the full address from the browser, starting with https://".to_string()
                    }
                };
            self.error(
                self.at(&field.path()),
                format!("`{url}` is not an http(s) address"),
                hint,
            );
        }
        ok
    }

    pub(super) fn sources(
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
            let language_code =
                |l: &str| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_lowercase());
            if let Some(l) = s.language.as_deref().filter(|l| !language_code(l)) {
                self.error(
                    self.at(&field("language").path()),
                    format!("`language: {l}` is not a language code"),
                    "write the report's language as its ISO 639 code: `en`, `fa`, `ar`",
                );
            }
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

    /// A value the schema says is a slug (`security-forces`), reported when it is not.
    fn slug(&mut self, value: Option<&str>, field: Field) {
        if let Some(v) = value.filter(|v| !is_slug(v)) {
            let fix = slugify(v);
            self.error(
                self.at(&field.path()),
                format!("`{}: {v}` is not a lower-case slug", field.name()),
                format!(
                    "write `{}`",
                    if fix.is_empty() {
                        "words-like-this"
                    } else {
                        &fix
                    }
                ),
            );
        }
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

    pub(super) fn figures(&mut self, figures: Vec<FigureEntry>, sources: &[Source]) -> Vec<Figure> {
        let cited: Vec<&str> = sources.iter().map(|s| s.publisher.as_str()).collect();
        let mut out = Vec::new();
        for (i, f) in figures.into_iter().enumerate() {
            let field = |name| Field::item("figures", i, name);
            let what = self.required(f.what, field("what"), "say what is counted: `what: killed`");
            // Both are labels looked up in the UI strings (`figure_killed`, `who_police`).
            self.slug(what.as_deref(), field("what"));
            self.slug(f.who.as_deref(), field("who"));
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
                // An ill-typed number was reported where it is, and dropped.
                (None, None, None)
                    if ["count", "min", "max"]
                        .iter()
                        .any(|n| self.reported.contains(&field(n).path())) =>
                {
                    None
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
}
