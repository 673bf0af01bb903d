//! Which column holds which field: the flags of `ruzshomar import` (`--date date --city town
//! …`) against the input's header, with defaults for the usual names. Some fields take a
//! column or one value for every row (`--publisher ncri`, `--kind protest`): a flag that names
//! a column means that column, otherwise it is the value.

use crate::diagnostic::{Diagnostic, Location};
use std::path::Path;

/// What the user asked for, by name; `None` uses the defaults.
#[derive(Debug, Clone, Default)]
pub struct Spec {
    pub id: Option<String>,
    pub date: Option<String>,
    pub city: Option<String>,
    pub province: Option<String>,
    pub place: Option<String>,
    pub lat: Option<String>,
    pub lon: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    /// Columns of source addresses; empty: every column whose name says it holds one.
    pub source_urls: Vec<String>,
    pub source_title: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<String>,
    pub kind: Option<String>,
    pub language: Option<String>,
    pub tags: Option<String>,
}

/// A column, one value for every row, or nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Column(usize),
    Fixed(String),
    Absent,
}

/// Fields and their columns, by position in the header.
#[derive(Debug, Clone)]
pub struct Columns {
    pub id: Option<usize>,
    pub date: Option<usize>,
    pub city: Option<usize>,
    pub province: Option<usize>,
    pub place: Option<usize>,
    pub lat: Option<usize>,
    pub lon: Option<usize>,
    pub title: Option<usize>,
    pub summary: Option<usize>,
    pub urls: Vec<usize>,
    pub source_title: Value,
    pub publisher: Value,
    pub published: Value,
    pub kind: Value,
    pub language: Value,
    pub tags: Option<usize>,
}

/// Header names compared without case, spaces, `_` or `-`: `Event Date` is `event_date`.
pub fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

const DEFAULTS: &[(&str, &[&str])] = &[
    ("id", &["id", "eventid", "recordid", "uid"]),
    ("date", &["date", "eventdate", "day"]),
    ("city", &["city", "town", "location", "shahr"]),
    ("province", &["province", "admin1", "ostan", "state"]),
    ("place", &["place", "site", "venue"]),
    ("lat", &["lat", "latitude"]),
    ("lon", &["lon", "lng", "long", "longitude"]),
    ("title", &["title", "headline"]),
    (
        "summary",
        &["summary", "description", "notes", "details", "text"],
    ),
    (
        "source_title",
        &["sourcetitle", "reporttitle", "articletitle"],
    ),
    ("publisher", &["publisher", "outlet", "sourcename"]),
    (
        "published",
        &["published", "publishedon", "publicationdate", "sourcedate"],
    ),
    ("kind", &["kind", "eventtype", "type", "category"]),
    ("language", &["language", "sourcelanguage", "lang"]),
    ("tags", &["tags"]),
];

/// Fields whose flag may be `none`: an event can do without them.
const OPTIONAL: &[&str] = &[
    "id", "place", "lat", "lon", "title", "summary", "tags", "province",
];

fn defaults(field: &str) -> &'static [&'static str] {
    DEFAULTS
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, names)| *names)
        .unwrap_or(&[])
}

/// Whether a column's name says it holds source addresses: `url`, `urls`, `source_url`,
/// `link`, `url2`, `Source URL 3`.
fn is_url_column(folded: &str) -> bool {
    let stem = folded.trim_end_matches(|c: char| c.is_ascii_digit());
    matches!(
        stem,
        "url" | "urls" | "sourceurl" | "sourceurls" | "link" | "links" | "sourcelink"
    )
}

struct Finder<'a> {
    header: Vec<String>,
    input: &'a Path,
    problems: Vec<Diagnostic>,
}

impl Finder<'_> {
    fn all(&self, name: &str) -> Vec<usize> {
        let folded = fold(name);
        (0..self.header.len())
            .filter(|i| self.header[*i] == folded)
            .collect()
    }

    fn problem(&mut self, message: String, hint: String) {
        self.problems
            .push(Diagnostic::error(self.input, Location::START, message).with_hint(hint));
    }

    fn listing(&self, names: &[String]) -> String {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The one column `flag` names, or the first default name present.
    fn column(&mut self, field: &str, flag: &Option<String>, names: &[String]) -> Option<usize> {
        match flag {
            // `--title none`: a default column is there but is not to be used.
            Some(name)
                if name == "none" && OPTIONAL.contains(&field) && self.all(name).is_empty() =>
            {
                None
            }
            Some(name) => match self.all(name).as_slice() {
                [one] => Some(*one),
                [] => {
                    let columns = self.listing(names);
                    self.problem(
                        format!(
                            "--{} {name}: the input has no such column",
                            field.replace('_', "-")
                        ),
                        format!("the columns are {columns}"),
                    );
                    None
                }
                _ => {
                    self.problem(
                        format!(
                            "--{} {name}: several columns have that name",
                            field.replace('_', "-")
                        ),
                        "rename one of them in the input".into(),
                    );
                    None
                }
            },
            None => defaults(field)
                .iter()
                .find_map(|d| self.all(d).first().copied()),
        }
    }

    /// A column if `flag` names one, else `flag` as the value for every row.
    fn value(&mut self, field: &str, flag: &Option<String>) -> Value {
        match flag {
            Some(name) => match self.all(name).first() {
                Some(i) => Value::Column(*i),
                None => Value::Fixed(name.trim().to_string()),
            },
            None => defaults(field)
                .iter()
                .find_map(|d| self.all(d).first().copied())
                .map(Value::Column)
                .unwrap_or(Value::Absent),
        }
    }
}

impl Columns {
    /// Matches the flags against the header. Every problem is reported at once: an unknown
    /// column, a field without which no row could become an event.
    pub fn new(spec: &Spec, names: &[String], input: &Path) -> Result<Columns, Vec<Diagnostic>> {
        let mut f = Finder {
            header: names.iter().map(|n| fold(n)).collect(),
            input,
            problems: Vec::new(),
        };
        let mut urls = Vec::new();
        if spec.source_urls.is_empty() {
            urls.extend((0..names.len()).filter(|i| is_url_column(&f.header[*i])));
        } else {
            for name in &spec.source_urls {
                urls.extend(f.column("source_url", &Some(name.clone()), names));
            }
        }
        let columns = Columns {
            id: f.column("id", &spec.id, names),
            date: f.column("date", &spec.date, names),
            city: f.column("city", &spec.city, names),
            province: f.column("province", &spec.province, names),
            place: f.column("place", &spec.place, names),
            lat: f.column("lat", &spec.lat, names),
            lon: f.column("lon", &spec.lon, names),
            title: f.column("title", &spec.title, names),
            summary: f.column("summary", &spec.summary, names),
            tags: f.column("tags", &spec.tags, names),
            urls,
            source_title: f.value("source_title", &spec.source_title),
            publisher: f.value("publisher", &spec.publisher),
            published: f.value("published", &spec.published),
            kind: f.value("kind", &spec.kind),
            language: f.value("language", &spec.language),
        };
        let listing = f.listing(names);
        let needed = [
            (columns.date.is_none() && spec.date.is_none(), "no column holds the date", "pass --date COLUMN"),
            (columns.city.is_none() && columns.province.is_none() && spec.city.is_none() && spec.province.is_none(), "no column holds the place", "pass --city COLUMN (and --province COLUMN if there is one)"),
            (columns.urls.is_empty() && spec.source_urls.is_empty(), "no column holds the source's address", "pass --source-url COLUMN (once per column when there are several); every event cites a source"),
            (columns.kind == Value::Absent, "no column holds the kind of event", "pass --kind with a column, or with one kind for every row (--kind protest); see data/kinds.yaml"),
        ];
        for (missing, message, hint) in needed {
            if missing {
                f.problem(
                    message.to_string(),
                    format!("{hint}; the columns are {listing}"),
                );
            }
        }
        if f.problems.is_empty() {
            Ok(columns)
        } else {
            Err(f.problems)
        }
    }

    /// What each field is taken from, for the report: `("date", "column `Date`")`.
    pub fn describe(&self, names: &[String]) -> Vec<(&'static str, String)> {
        let col = |i: Option<usize>| i.map(|i| format!("`{}`", names[i]));
        let value = |v: &Value| match v {
            Value::Column(i) => Some(format!("`{}`", names[*i])),
            Value::Fixed(text) => Some(format!("“{text}” on every row")),
            Value::Absent => None,
        };
        let urls = (!self.urls.is_empty()).then(|| {
            self.urls
                .iter()
                .map(|i| format!("`{}`", names[*i]))
                .collect::<Vec<_>>()
                .join(" + ")
        });
        let fields = [
            ("id", col(self.id)),
            ("date", col(self.date)),
            ("city", col(self.city)),
            ("province", col(self.province)),
            ("place", col(self.place)),
            ("latitude", col(self.lat)),
            ("longitude", col(self.lon)),
            ("title", col(self.title)),
            ("summary", col(self.summary)),
            ("kind", value(&self.kind)),
            ("tags", col(self.tags)),
            ("source url", urls),
            ("source title", value(&self.source_title)),
            ("publisher", value(&self.publisher)),
            ("published", value(&self.published)),
            ("language", value(&self.language)),
        ];
        fields
            .into_iter()
            .filter_map(|(field, from)| from.map(|f| (field, f)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn defaults_find_the_usual_names() {
        let header = names(&[
            "Event Date",
            "Town",
            "Province",
            "Description",
            "url",
            "URL 2",
            "Kind",
        ]);
        let c = Columns::new(&Spec::default(), &header, Path::new("x.csv")).unwrap();
        assert_eq!(c.date, Some(0));
        assert_eq!(c.city, Some(1));
        assert_eq!(c.summary, Some(3));
        assert_eq!(c.urls, [4, 5]);
        assert_eq!(c.kind, Value::Column(6));
        assert_eq!(c.publisher, Value::Absent);
    }

    #[test]
    fn flags_name_columns_or_give_values() {
        let header = names(&["when", "where", "link", "outlet"]);
        let spec = Spec {
            date: Some("when".into()),
            city: Some("where".into()),
            publisher: Some("outlet".into()),
            kind: Some("protest".into()),
            ..Spec::default()
        };
        let c = Columns::new(&spec, &header, Path::new("x.csv")).unwrap();
        assert_eq!(c.publisher, Value::Column(3));
        assert_eq!(c.kind, Value::Fixed("protest".into()));
        let bad = Spec {
            city: Some("town".into()),
            ..spec
        };
        let problems = Columns::new(&bad, &header, Path::new("x.csv")).unwrap_err();
        assert!(problems[0].message.contains("--city town"), "{problems:?}");
    }
}
