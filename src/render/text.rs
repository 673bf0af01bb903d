//! UI text in one language: strings from `themes/*/i18n/<lang>.toml`, dates in both calendars
//! (Solar Hijri first in Persian), and digits as the language writes them.

use crate::calendar::{persian_digits, SolarHijri};
use crate::event_file::DatePrecision;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Text {
    pub lang: String,
    /// Written right to left (site.toml's `right_to_left`).
    pub rtl: bool,
    pub strings: BTreeMap<String, String>,
}

impl Text {
    /// A UI string; a missing key shows as itself so a gap is visible, never a crash.
    pub fn t(&self, key: &str) -> String {
        self.strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// A UI string with `{name}` placeholders filled.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.t(key);
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// "1 event", "12 events": the `{key}_one` or `{key}_many` string with `n` filled in.
    pub fn count(&self, key: &str, n: usize) -> String {
        let form = if n == 1 { "one" } else { "many" };
        self.fill(&format!("{key}_{form}"), &[("n", &self.number(n as u64))])
    }

    /// A publisher's affiliation, as the reader's language names it.
    pub fn affiliation(&self, affiliation: crate::registry::Affiliation) -> String {
        self.t(&format!("affiliation_{}", affiliation.key()))
    }

    pub fn is_persian(&self) -> bool {
        self.lang == "fa"
    }

    pub fn dir(&self) -> &'static str {
        if self.rtl {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// Digits as this language writes them.
    pub fn digits(&self, s: &str) -> String {
        if self.is_persian() {
            persian_digits(s)
        } else {
            s.to_string()
        }
    }

    pub fn number(&self, n: u64) -> String {
        let plain = n.to_string();
        let mut grouped = String::new();
        for (i, c) in plain.chars().enumerate() {
            if i > 0 && (plain.len() - i) % 3 == 0 {
                grouped.push_str(&self.t("thousands_separator"));
            }
            grouped.push(c);
        }
        self.digits(&grouped)
    }

    /// "3 January 2026".
    pub fn gregorian(&self, date: NaiveDate) -> String {
        self.fill(
            "date_format",
            &[
                ("day", &self.digits(&date.day().to_string())),
                ("month", &self.t(&format!("month_{}", date.month()))),
                ("year", &self.digits(&date.year().to_string())),
            ],
        )
    }

    /// "January 2026".
    pub fn gregorian_month(&self, date: NaiveDate) -> String {
        self.fill(
            "month_format",
            &[
                ("month", &self.t(&format!("month_{}", date.month()))),
                ("year", &self.digits(&date.year().to_string())),
            ],
        )
    }

    /// "13 Dey 1404".
    pub fn solar(&self, date: NaiveDate) -> String {
        let sh = SolarHijri::from_gregorian(date);
        self.fill(
            "date_format",
            &[
                ("day", &self.digits(&sh.day.to_string())),
                ("month", &self.t(&format!("solar_month_{}", sh.month))),
                ("year", &self.digits(&sh.year.to_string())),
            ],
        )
    }

    pub fn weekday(&self, date: NaiveDate) -> String {
        self.t(&format!(
            "weekday_{}",
            date.weekday().num_days_from_monday()
        ))
    }

    /// The date in the reader's calendar first, then the other: "3 January 2026 (13 Dey 1404)".
    pub fn both_calendars(&self, date: NaiveDate) -> String {
        if self.is_persian() {
            format!("{} ({})", self.solar(date), self.gregorian(date))
        } else {
            format!("{} ({})", self.gregorian(date), self.solar(date))
        }
    }

    /// A date as precise as it is known: "around 17 November 2022", "in November 2022".
    pub fn with_precision(&self, date: NaiveDate, precision: DatePrecision) -> String {
        match precision {
            DatePrecision::Day => self.both_calendars(date),
            DatePrecision::Approximate => {
                self.fill("around_date", &[("date", &self.both_calendars(date))])
            }
            DatePrecision::Month => {
                self.fill("in_month", &[("month", &self.gregorian_month(date))])
            }
        }
    }

    /// An event's dates: one day, or a range.
    pub fn span(
        &self,
        date: NaiveDate,
        end: Option<NaiveDate>,
        precision: DatePrecision,
    ) -> String {
        match end {
            Some(end) if end != date => self.fill(
                "date_range",
                &[
                    ("start", &self.with_precision(date, precision)),
                    ("end", &self.both_calendars(end)),
                ],
            ),
            _ => self.with_precision(date, precision),
        }
    }

    /// ISO date in this language's digits, for compact lists.
    pub fn iso(&self, date: NaiveDate) -> String {
        self.digits(&date.format("%Y-%m-%d").to_string())
    }
}
