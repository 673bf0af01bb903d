//! One row → the fields of one event ([`Draft`]), or the reason it cannot be one. Every value
//! is checked here against the site (places, kinds, publishers, dates, limits) so that a row
//! is refused with a message that names the problem once for all the rows that share it; the
//! event file written from a draft is then checked again by `check`'s own rules.

use super::columns::{Columns, Value};
use super::places::{spot_id, spot_name, Problem, Resolver, Target, Where};
use super::read::Row;
use super::{dates, text};
use crate::event_file::limits;
use crate::names::{match_key, slugify};
use crate::resolve::Resolved;
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

/// One source of a draft.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceDraft {
    pub url: String,
    pub title: String,
    pub publisher: String,
    pub published: NaiveDate,
    /// The input gave no publication day: the event's day, marked approximate.
    pub approximate: bool,
    pub language: Option<String>,
}

/// The fields of one event, from one row.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The row within its dataset: the id cell, or a checksum of the cells that identify it.
    pub key: String,
    pub date: NaiveDate,
    pub title: String,
    /// The words of the id after the date.
    pub slug: String,
    pub target: Target,
    pub coordinates: Option<[f64; 2]>,
    pub kind: String,
    pub tags: Vec<String>,
    /// Markdown that shows the input's text literally.
    pub summary: String,
    pub sources: Vec<SourceDraft>,
}

/// What rows are mapped with: the site, the columns, and lookups built once.
pub struct Mapper<'a> {
    pub site: &'a Resolved,
    pub columns: &'a Columns,
    pub places: &'a Resolver<'a>,
    pub date_format: Option<String>,
    pub today: NaiveDate,
    pub keep_coordinates: bool,
    kinds: HashMap<String, String>,
    publishers: HashMap<String, String>,
    hosts: HashMap<String, String>,
}

/// A 64-bit FNV-1a checksum: stable across versions and machines, unlike `std`'s hasher.
pub fn fnv64(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0xff]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The host of an address, without `www.`: `ncr-iran.org`.
pub fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?;
    let host = host.split(':').next()?.to_ascii_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

impl<'a> Mapper<'a> {
    /// `kind_map`: values of the kind column (folded) → kind ids, from `--kind-map`.
    pub fn new(
        site: &'a Resolved,
        columns: &'a Columns,
        places: &'a Resolver<'a>,
        kind_map: &[(String, String)],
        today: NaiveDate,
    ) -> Mapper<'a> {
        let mut kinds = HashMap::new();
        for kind in &site.kinds.items {
            let names = std::iter::once(&kind.id)
                .chain(kind.label.values())
                .chain(kind.plural.values());
            for name in names {
                kinds
                    .entry(match_key(name))
                    .or_insert_with(|| kind.id.clone());
            }
        }
        for (from, to) in kind_map {
            kinds.insert(match_key(from), to.clone());
        }
        let mut publishers = HashMap::new();
        let mut hosts = HashMap::new();
        for p in &site.publishers.items {
            for name in [Some(&p.id), Some(&p.name), p.name_fa.as_ref()]
                .into_iter()
                .flatten()
            {
                publishers
                    .entry(match_key(name))
                    .or_insert_with(|| p.id.clone());
            }
            if let Some(h) = p.url.as_deref().and_then(host) {
                hosts.entry(h).or_insert_with(|| p.id.clone());
            }
        }
        Mapper {
            site,
            columns,
            places,
            date_format: None,
            today,
            keep_coordinates: false,
            kinds,
            publishers,
            hosts,
        }
    }

    fn cell<'r>(&self, row: &'r Row, column: Option<usize>) -> &'r str {
        column
            .and_then(|c| row.cells.get(c))
            .map(|s| s.trim())
            .unwrap_or("")
    }

    fn value<'r>(&'r self, row: &'r Row, value: &'r Value) -> &'r str {
        match value {
            Value::Column(c) => self.cell(row, Some(*c)),
            Value::Fixed(text) => text,
            Value::Absent => "",
        }
    }

    /// The key of a row: its id cell, else a checksum of its date, place, title (or summary,
    /// without a title) and addresses, so that the same row always has the same key.
    pub fn key(&self, row: &Row) -> Result<String, Problem> {
        let c = self.columns;
        if let Some(id) = c.id {
            let id = text::line(self.cell(row, Some(id)));
            if id.is_empty() {
                return Err(Problem::new(
                    "the id is empty",
                    "give every row an id, or import without --id",
                ));
            }
            return Ok(id);
        }
        let title = text::line(self.cell(row, c.title));
        let what = if title.is_empty() {
            text::line(self.cell(row, c.summary))
        } else {
            title
        };
        let urls: Vec<String> = self.urls(row);
        let date = text::line(self.cell(row, c.date));
        let city = text::line(self.cell(row, c.city));
        let province = text::line(self.cell(row, c.province));
        let place = text::line(self.cell(row, c.place));
        let hash = fnv64(&[&date, &city, &province, &place, &what, &urls.join(" ")]);
        Ok(format!("{hash:016x}"))
    }

    fn urls(&self, row: &Row) -> Vec<String> {
        let mut urls: Vec<String> = Vec::new();
        for &c in &self.columns.urls {
            for url in self
                .cell(row, Some(c))
                .split(|ch: char| ch == '|' || ch.is_whitespace())
            {
                let url = url.trim();
                if !url.is_empty() && !urls.iter().any(|u| u == url) {
                    urls.push(url.to_string());
                }
            }
        }
        urls
    }

    /// The row's coordinates: its GeoJSON point, else its latitude and longitude cells.
    fn point(&self, row: &Row) -> Option<[f64; 2]> {
        if row.point.is_some() {
            return row.point;
        }
        let number = |c| {
            let t: String = self
                .cell(row, c)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            t.parse::<f64>().ok().filter(|v| v.is_finite())
        };
        Some([number(self.columns.lon)?, number(self.columns.lat)?])
    }

    /// The event a row describes, or why it cannot be one.
    pub fn draft(&self, row: &Row) -> Result<Draft, Problem> {
        if let Some(why) = &row.unreadable {
            return Err(Problem::new(why.message.clone(), why.hint.clone()));
        }
        let c = self.columns;
        let date = dates::parse(self.cell(row, c.date), self.date_format.as_deref())
            .map_err(|e| Problem::new(e.message, e.hint))?;
        if date > self.today {
            return Err(Problem::new(
                format!("the date is after today ({} in Tehran)", self.today),
                "check the year; for a Solar Hijri date, the year is read as Solar Hijri from 1300 to 1499",
            ));
        }
        let point = self.point(row);
        let mut target = self.places.place(
            &text::line(self.cell(row, c.city)),
            &text::line(self.cell(row, c.province)),
            point,
        )?;
        let row_place = text::line(self.cell(row, c.place));
        target.place = match (target.place.take(), row_place.is_empty()) {
            (Some(decided), false) if decided != row_place => {
                Some(format!("{decided}, {row_place}"))
            }
            (Some(decided), _) => Some(decided),
            (None, false) => Some(row_place),
            (None, true) => None,
        };
        if target
            .place
            .as_ref()
            .is_some_and(|p| p.chars().count() > limits::TEXT)
        {
            return Err(Problem::new(
                format!("the place is longer than {} characters", limits::TEXT),
                "keep the finer place short: a square, a street, a prison",
            ));
        }
        let coordinates = self.coordinates(&target, point)?;
        let kind = self.kind(self.value(row, &c.kind))?;
        let sources = self.sources(row, date)?;
        let title = self.title(row, &kind, &target, date)?;
        let summary = self.summary(row, &title, &sources)?;
        let tags = self.tags(self.cell(row, c.tags))?;
        Ok(Draft {
            key: self.key(row)?,
            slug: self.slug(&title, &kind, &target),
            date,
            title,
            target,
            coordinates,
            kind,
            tags,
            summary,
            sources,
        })
    }

    fn coordinates(
        &self,
        target: &Target,
        point: Option<[f64; 2]>,
    ) -> Result<Option<[f64; 2]>, Problem> {
        let Some([lon, lat]) = point.filter(|_| self.keep_coordinates) else {
            return Ok(None);
        };
        if !(-180.0..=180.0).contains(&lon)
            || !(-90.0..=90.0).contains(&lat)
            || self.site.gazetteer.province_at(lon, lat).is_none()
        {
            return Err(Problem::new(
                "the coordinates are outside Iran",
                "check the latitude and longitude columns (not swapped?), or import without --keep-coordinates",
            ));
        }
        if let Where::Cities(cities) = &target.at {
            if cities
                .iter()
                .all(|c| self.places.km_from(*c, [lon, lat]) > self.places.max_km)
            {
                return Err(Problem::new(
                    format!(
                        "the coordinates are more than {} km from the city",
                        self.places.max_km
                    ),
                    "check the city or the coordinates, or import without --keep-coordinates",
                ));
            }
        }
        Ok(Some([lon, lat]))
    }

    pub(super) fn kind(&self, value: &str) -> Result<String, Problem> {
        let folded = match_key(value);
        if let Some(id) = self.kinds.get(&folded) {
            return Ok(id.clone());
        }
        let known = self.site.kinds.ids().collect::<Vec<_>>().join(", ");
        if folded.is_empty() {
            return Err(Problem::new(
                "the kind is empty",
                format!("fill it in, or pass --kind with one kind for every row ({known})"),
            ));
        }
        Err(Problem::new(
            format!("unknown kind `{}`", text::line(value)),
            format!(
                "pass --kind-map '{}=<kind>' with one of: {known}",
                text::line(value)
            ),
        ))
    }

    pub(super) fn publisher(&self, name: &str, url: &str) -> Result<String, Problem> {
        if !name.is_empty() {
            return self.publishers.get(&match_key(name)).cloned().ok_or_else(|| {
                Problem::new(
                    format!("unknown publisher `{}`", text::line(name)),
                    "add the outlet to data/publishers.yaml (id, name, url, affiliation, note), or pass --publisher with a known id",
                )
            });
        }
        let host = host(url).unwrap_or_default();
        let mut domain = host.as_str();
        loop {
            if let Some(id) = self.hosts.get(domain) {
                return Ok(id.clone());
            }
            match domain.split_once('.') {
                Some((_, parent)) if parent.contains('.') => domain = parent,
                _ => break,
            }
        }
        Err(Problem::new(
            format!("no publisher known for `{host}`"),
            format!("add the outlet to data/publishers.yaml with `url: https://{host}/`, or pass --publisher"),
        ))
    }

    /// `cell` split by `|` when it has one part per address; else the whole cell for each.
    fn per_source(&self, cell: &str, n: usize, what: &str) -> Result<Vec<String>, Problem> {
        let parts: Vec<String> = cell.split('|').map(text::line).collect();
        if n > 1 && parts.len() == n {
            return Ok(parts);
        }
        if n > 1 && parts.len() > 1 && what != "title" {
            return Err(Problem::new(
                format!("the row has {n} addresses but {} {what}s", parts.len()),
                format!("give one {what} for all of them, or one per address, in the same order, separated by `|`"),
            ));
        }
        Ok(vec![text::line(cell); n])
    }

    fn sources(&self, row: &Row, date: NaiveDate) -> Result<Vec<SourceDraft>, Problem> {
        let c = self.columns;
        let urls = self.urls(row);
        if urls.is_empty() {
            return Err(Problem::new(
                "the row has no source address",
                "every event cites the report it comes from: fill in the address (https://…); several go in several columns or one cell separated by `|`",
            ));
        }
        if urls.len() > limits::SOURCES {
            return Err(Problem::new(
                format!("the row has more than {} source addresses", limits::SOURCES),
                "keep the reports that add something",
            ));
        }
        let n = urls.len();
        let titles = self.per_source(self.value(row, &c.source_title), n, "title")?;
        let publishers = self.per_source(self.value(row, &c.publisher), n, "publisher")?;
        let published = self.per_source(self.value(row, &c.published), n, "publication date")?;
        let language = text::line(self.value(row, &c.language)).to_lowercase();
        let language = (!language.is_empty()).then_some(language);
        if language.as_ref().is_some_and(|l| {
            !(2..=3).contains(&l.len()) || !l.bytes().all(|b| b.is_ascii_lowercase())
        }) {
            return Err(Problem::new(
                "the language is not a language code",
                "write the report's language as its ISO 639 code: en, fa, ar",
            ));
        }
        let mut out = Vec::with_capacity(n);
        for (i, url) in urls.into_iter().enumerate() {
            if !valid_url(&url) || url.chars().count() > limits::TEXT {
                return Err(Problem::new(
                    "a source address is not an http(s) address",
                    "write the full address of the report, starting with https:// (several go in several columns, or one cell separated by `|`)",
                ));
            }
            if titles[i].is_empty() {
                return Err(Problem::new(
                    "the source has no title",
                    "fill in the report's title as published, or pass --source-title with a column or one title for every row",
                ));
            }
            if titles[i].chars().count() > limits::TEXT {
                return Err(Problem::new(
                    format!(
                        "the source's title is longer than {} characters",
                        limits::TEXT
                    ),
                    "the title as published is short; check --source-title",
                ));
            }
            let publisher = self.publisher(&publishers[i], &url)?;
            let (day, approximate) = if published[i].is_empty() {
                (date, true)
            } else {
                let day =
                    dates::parse(&published[i], self.date_format.as_deref()).map_err(|e| {
                        Problem::new(format!("the publication date: {}", e.message), e.hint)
                    })?;
                if day > self.today {
                    return Err(Problem::new(
                        format!(
                            "the publication date is after today ({} in Tehran)",
                            self.today
                        ),
                        "check the year",
                    ));
                }
                (day, false)
            };
            out.push(SourceDraft {
                url,
                title: titles[i].clone(),
                publisher,
                published: day,
                approximate,
                language: language.clone(),
            });
        }
        Ok(out)
    }

    fn title(
        &self,
        row: &Row,
        kind: &str,
        target: &Target,
        date: NaiveDate,
    ) -> Result<String, Problem> {
        let title = text::line(self.cell(row, self.columns.title));
        if title.chars().count() > limits::TITLE {
            return Err(Problem::new(
                format!("the title is longer than {} characters", limits::TITLE),
                "pass --title with a column of short headlines, or --title none to make titles from kind, place and date",
            ));
        }
        if !title.is_empty() {
            return Ok(title);
        }
        Ok(self.made_title(kind, target, date))
    }

    /// "Protest in Tehran (Narmak) on 8 January 2026": a factual title from kind, place, date.
    pub fn made_title(&self, kind: &str, target: &Target, date: NaiveDate) -> String {
        let g = &self.site.gazetteer;
        let language = self.site.config.default_language();
        let label = self
            .site
            .kinds
            .get(kind)
            .and_then(|k| k.label.get(language).or_else(|| k.label.values().next()))
            .cloned()
            .unwrap_or_else(|| kind.to_string());
        let mut place = match &target.at {
            Where::Cities(cities) if cities.len() > 3 => format!("{} cities", cities.len()),
            Where::Cities(cities) => join(cities.iter().map(|c| spot_name(g, *c)).collect()),
            Where::Provinces(ps) => format!(
                "{} province",
                join(ps.iter().map(|p| g.province(*p).name.clone()).collect())
            ),
            Where::National => "Iran".to_string(),
        };
        if let Some(finer) = &target.place {
            let short: String = finer.chars().take(80).collect();
            place = format!("{place} ({short})");
        }
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let month = MONTHS[date.month0() as usize];
        let title = format!(
            "{label} in {place} on {} {month} {}",
            date.day(),
            date.year()
        );
        title.chars().take(limits::TITLE).collect()
    }

    fn summary(&self, row: &Row, title: &str, sources: &[SourceDraft]) -> Result<String, Problem> {
        let cell = text::paragraphs(self.cell(row, self.columns.summary));
        let summary = if cell.is_empty() {
            let mut names: Vec<&str> = sources
                .iter()
                .map(|s| {
                    self.site
                        .publishers
                        .get(&s.publisher)
                        .map_or(s.publisher.as_str(), |p| p.name.as_str())
                })
                .collect();
            names.dedup();
            let title = title.trim_end_matches('.');
            format!(
                "Reported by {}: {}.",
                join_str(&names),
                text::escape_markdown(title)
            )
        } else {
            text::escape_markdown(&cell)
        };
        if summary.chars().count() > limits::SUMMARY {
            return Err(Problem::new(
                format!(
                    "the summary is longer than {} characters (with Markdown escapes)",
                    limits::SUMMARY
                ),
                "shorten it to what happened; the source holds the full text",
            ));
        }
        Ok(summary)
    }

    fn tags(&self, cell: &str) -> Result<Vec<String>, Problem> {
        let mut tags: Vec<String> = Vec::new();
        for tag in cell
            .split([',', '|', ';'])
            .map(slugify)
            .filter(|t| !t.is_empty())
        {
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        if tags.len() > limits::TAGS {
            return Err(Problem::new(
                format!("the row has more than {} tags", limits::TAGS),
                "keep the few tags a reader would browse by",
            ));
        }
        Ok(tags)
    }

    /// The words of the id: the title's, else kind and place (a title in Persian script has
    /// no Latin words).
    fn slug(&self, title: &str, kind: &str, target: &Target) -> String {
        let slug = truncate_words(&slugify(title), 60);
        if !slug.is_empty() {
            return slug;
        }
        let g = &self.site.gazetteer;
        let place = match &target.at {
            Where::Cities(c) => spot_id(g, c[0]).to_string(),
            Where::Provinces(p) => g.province(p[0]).id.clone(),
            Where::National => "iran".to_string(),
        };
        format!("{kind}-{place}")
    }
}

fn valid_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| r.split('/').next().is_some_and(|h| h.contains('.')))
        && !url.chars().any(char::is_whitespace)
}

fn join(names: Vec<String>) -> String {
    join_str(&names.iter().map(String::as_str).collect::<Vec<_>>())
}

fn join_str(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// At most `max` bytes of whole words.
pub fn truncate_words(slug: &str, max: usize) -> String {
    let mut out = String::new();
    for word in slug.split('-') {
        if !out.is_empty() && out.len() + 1 + word.len() > max {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    out.truncate(max);
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_are_stable() {
        // FNV-1a is fixed by its definition: these never change.
        assert_eq!(fnv64(&[]), 0xcbf2_9ce4_8422_2325);
        assert_ne!(fnv64(&["ab", "c"]), fnv64(&["a", "bc"]));
        assert_eq!(
            format!("{:016x}", fnv64(&["2026-01-08"])),
            format!("{:016x}", fnv64(&["2026-01-08"]))
        );
    }

    #[test]
    fn hosts_and_words() {
        assert_eq!(
            host("https://www.ncr-iran.org/en/?p=1").as_deref(),
            Some("ncr-iran.org")
        );
        assert_eq!(
            host("http://user@News.BBC.co.uk:80/x").as_deref(),
            Some("news.bbc.co.uk")
        );
        assert_eq!(truncate_words("a-very-long-title", 8), "a-very");
        assert_eq!(truncate_words("averyveryverylongword", 8), "averyver");
    }
}
