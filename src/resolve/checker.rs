//! What every rule of an event file works with: the document (for positions), the context
//! (gazetteer, registries, today) and the list of problems, with the checks many rules share
//! (a required field, a date).

use super::Context;
use crate::diagnostic::{Diagnostic, Location};
use crate::fix::Fix;
use crate::read::yaml::child;
use crate::read::Document;
use chrono::NaiveDate;

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

    /// The field's own name (`url` of `sources/0/url`).
    pub fn name(&self) -> &str {
        self.name
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

pub struct Checker<'a> {
    pub doc: &'a Document,
    pub cx: &'a Context<'a>,
    pub problems: &'a mut Vec<Diagnostic>,
    /// Values `check --fix` may rewrite (place names to their ids).
    pub fixes: &'a mut Vec<Fix>,
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

    /// A value at `path` (of the field `field`) that `check --fix` would write as `to`.
    pub fn fix(&mut self, path: &str, field: &str, from: &str, to: &str) {
        self.fixes.push(Fix {
            file: self.doc.path.clone(),
            location: self.at(path),
            field: field.to_string(),
            from: from.to_string(),
            to: to.to_string(),
        });
    }

    /// A required field: reports it missing (at the top of the file) or empty.
    pub fn required<'f>(
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
            None => match self.doc.spans().key_of(&field.path()) {
                Some(at) => {
                    self.empty_key(at, &field.path(), field.name, hint);
                    None
                }
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
            },
        }
    }

    /// A required key written with no value: often text starting with `#`, which YAML reads
    /// as a comment (a hashtag in a title), so the hint quotes it.
    fn empty_key(&mut self, at: Location, path: &str, name: &str, hint: &str) {
        let line = self
            .doc
            .text
            .lines()
            .nth(at.line.saturating_sub(1))
            .unwrap_or("");
        let after_key = line
            .split_once(&format!("{name}:"))
            .map_or("", |(_, rest)| rest.trim());
        let path = path.replace('/', ".");
        // `#` then text is a hashtag; `# ` is more likely a comment meant as one.
        let hashtag = after_key.starts_with('#') && !after_key[1..].starts_with([' ', '\t']);
        match hashtag {
            true => self.error(
                at,
                format!("`{path}` is empty: in YAML `#` starts a comment, so `{after_key}` is not its text"),
                format!("put the text in quotes: `{name}: {}`", crate::emit::readable(after_key)),
            ),
            false => self.error(at, format!("`{path}` has no value"), hint),
        }
    }

    /// A YYYY-MM-DD date that is real and not in the future.
    pub fn date<'f>(&mut self, text: &str, field: impl Into<Field<'f>>) -> Option<NaiveDate> {
        let at = field.into();
        match read_date(text, at.name, self.cx.today) {
            Ok(date) => Some(date),
            Err((message, hint)) => {
                self.error(self.at(&at.path()), message, hint);
                None
            }
        }
    }
}

/// `text` as a Gregorian `YYYY-MM-DD` day that is real and not after `today`, or what is
/// wrong with it (message, hint) for `field`.
fn read_date(text: &str, field: &str, today: NaiveDate) -> Result<NaiveDate, (String, String)> {
    use crate::calendar::{ascii_digits, SolarHijri};
    let latin = ascii_digits(text);
    if latin != text {
        let hint = match SolarHijri::written_as(&latin) {
            Some(Some(day)) => format!("write it in Latin digits and the Gregorian calendar: `{field}: {day}` ({latin} in the Solar Hijri calendar)"),
            _ => format!("write it in Latin digits: `{field}: {latin}`"),
        };
        return Err((format!("`{field}` is written in Persian digits"), hint));
    }
    let well_formed = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !well_formed {
        return Err((
            format!("`{field}` is `{text}`, not a date"),
            format!("`{field}` must be YYYY-MM-DD, e.g. 2026-01-03"),
        ));
    }
    // Readers in Iran date by the Solar Hijri calendar: 1401-06-25 is most likely 25
    // Shahrivar 1401, which as a Gregorian date would put the event six centuries back.
    if let Some(day) = SolarHijri::written_as(text) {
        let hint = match day {
            Some(day) => format!("dates are Gregorian: {text} in the Solar Hijri calendar is {day}; write `{field}: {day}`"),
            None => format!("dates are Gregorian, YYYY-MM-DD; {text} is not a real Solar Hijri date either"),
        };
        return Err((
            format!("`{field}` is {text}: a year in the 1300s or 1400s is a Solar Hijri year"),
            hint,
        ));
    }
    // Four, two and two digits, checked above: as `%Y-%m-%d` reads them.
    let number = |range: std::ops::Range<usize>| {
        text.as_bytes()[range]
            .iter()
            .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'))
    };
    let Some(date) = NaiveDate::from_ymd_opt(number(0..4) as i32, number(5..7), number(8..10))
    else {
        return Err((
            format!("`{field}`: {text} is not a real calendar date"),
            "check the day and month (Gregorian calendar, YYYY-MM-DD)".into(),
        ));
    };
    if date > today {
        return Err((
            format!("`{field}` {text} is in the future (today is {today} in Tehran)"),
            "events are recorded after they happen; check the year".into(),
        ));
    }
    Ok(date)
}
