//! Dates as datasets write them: `2026-01-08`, `2026-01-08T21:30:00Z`, `2026/01/08`,
//! `8 January 2026`, `January 8, 2026`, and Solar Hijri dates (`1404/10/18`, `۱۴۰۴/۱۰/۱۸`,
//! `18 Dey 1404`, `۱۸ دی ۱۴۰۴`), converted to the Gregorian day with `icu_calendar`. A year
//! from 1300 to 1499 is a Solar Hijri year. Day-first or month-first dates (`03/01/2026`)
//! are refused rather than guessed: `--date-format` says which.

use crate::calendar::SolarHijri;
use chrono::NaiveDate;

/// Why a cell is not a date; the message has no value in it, so that rows with the same
/// problem are counted together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotADate {
    pub message: &'static str,
    pub hint: String,
}

const GREGORIAN_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Solar Hijri months in Latin spellings (several each) and in Persian.
const SOLAR_HIJRI_MONTHS: [&[&str]; 12] = [
    &["farvardin", "فروردین"],
    &["ordibehesht", "اردیبهشت"],
    &["khordad", "خرداد"],
    &["tir", "تیر"],
    &["mordad", "amordad", "مرداد", "امرداد"],
    &["shahrivar", "شهریور"],
    &["mehr", "مهر"],
    &["aban", "آبان", "ابان"],
    &["azar", "آذر", "اذر"],
    &["dey", "dei", "دی", "دي"],
    &["bahman", "بهمن"],
    &["esfand", "اسفند"],
];

fn gregorian_month(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    if w == "sept" {
        return Some(9);
    }
    GREGORIAN_MONTHS
        .iter()
        .position(|m| *m == w || (w.len() == 3 && m.starts_with(&w)))
        .map(|i| i as u32 + 1)
}

fn solar_hijri_month(word: &str) -> Option<u32> {
    let w = word.to_lowercase().replace('ي', "ی");
    SOLAR_HIJRI_MONTHS
        .iter()
        .position(|names| names.contains(&w.as_str()))
        .map(|i| i as u32 + 1)
}

/// The Gregorian day `text` names (`format`, when given, is a chrono format such as
/// `%d/%m/%Y`).
pub fn parse(text: &str, format: Option<&str>) -> Result<NaiveDate, NotADate> {
    let text = crate::calendar::ascii_digits(text.trim());
    if text.is_empty() {
        return Err(NotADate {
            message: "the date is empty",
            hint: "fill in the day it happened (YYYY-MM-DD)".into(),
        });
    }
    if let Some(format) = format {
        return NaiveDate::parse_from_str(&text, format)
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(&text, format).map(|t| t.date()))
            .map_err(|_| NotADate {
                message: "the date does not match --date-format",
                hint: format!("write it as --date-format {format} says, or change the flag"),
            });
    }
    // Year first (ISO 8601, perhaps with a time): the date is the part before `T` or a space.
    let text = match text.get(..4) {
        Some(year) if is_year(year) => text
            .split(|c: char| c == 'T' || c.is_whitespace())
            .next()
            .unwrap_or_default()
            .to_string(),
        _ => text,
    };
    let parts: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [y, m, d] if is_year(y) && is_number(m) && is_number(d) => day(num(y), num(m), num(d)),
        [a, b, y] if is_number(a) && is_number(b) && is_year(y) => Err(NotADate {
            message: "the date is written day/month/year or month/day/year: the order is unclear",
            hint:
                "write YYYY-MM-DD, or pass --date-format %d/%m/%Y (or %m/%d/%Y) for the whole file"
                    .into(),
        }),
        [d, month, y] if is_number(d) && is_year(y) => match month_number(month, num(y)) {
            Some(m) => day(num(y), m, num(d)),
            None => Err(unclear(&text)),
        },
        [month, d, y] if is_number(d) && is_year(y) && !is_number(month) => {
            match month_number(month, num(y)) {
                Some(m) => day(num(y), m, num(d)),
                None => Err(unclear(&text)),
            }
        }
        _ => Err(unclear(&text)),
    }
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_year(s: &str) -> bool {
    s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())
}

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(0)
}

/// A month word: Gregorian in a Gregorian year, Solar Hijri in a Solar Hijri year.
fn month_number(word: &str, year: u32) -> Option<u32> {
    if solar_hijri_year(year) {
        solar_hijri_month(word)
    } else {
        gregorian_month(word)
    }
}

fn solar_hijri_year(year: u32) -> bool {
    crate::calendar::SOLAR_HIJRI_YEARS.contains(&year)
}

fn day(y: u32, m: u32, d: u32) -> Result<NaiveDate, NotADate> {
    if solar_hijri_year(y) {
        let sh = SolarHijri {
            year: y as i32,
            month: u8::try_from(m).unwrap_or(0),
            day: u8::try_from(d).unwrap_or(0),
        };
        return sh.to_gregorian().ok_or_else(|| NotADate {
            message: "the date is not a real Solar Hijri date",
            hint: "check the day and month (a year from 1300 to 1499 is read as Solar Hijri)"
                .into(),
        });
    }
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(|| NotADate {
        message: "the date is not a real calendar date",
        hint: "check the day and month (YYYY-MM-DD)".into(),
    })
}

fn unclear(_text: &str) -> NotADate {
    NotADate {
        message: "the date is not a date",
        hint: "write YYYY-MM-DD (Gregorian) or YYYY/MM/DD (Solar Hijri), or pass --date-format"
            .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Result<NaiveDate, &'static str> {
        Ok(NaiveDate::from_ymd_opt(y, m, day).unwrap())
    }

    fn p(text: &str) -> Result<NaiveDate, &'static str> {
        parse(text, None).map_err(|e| e.message)
    }

    #[test]
    fn gregorian_dates_in_common_forms() {
        assert_eq!(p("2026-01-08"), d(2026, 1, 8));
        assert_eq!(p(" 2026/1/8 "), d(2026, 1, 8));
        assert_eq!(p("2026-01-08T21:30:00Z"), d(2026, 1, 8));
        assert_eq!(p("2026-01-08 21:30"), d(2026, 1, 8));
        assert_eq!(p("8 January 2026"), d(2026, 1, 8));
        assert_eq!(p("08-Jan-2026"), d(2026, 1, 8));
        assert_eq!(p("January 8, 2026"), d(2026, 1, 8));
        assert_eq!(p("Sept. 16, 2022"), d(2022, 9, 16));
    }

    #[test]
    fn solar_hijri_dates_are_converted() {
        assert_eq!(p("1401/07/08"), d(2022, 9, 30));
        assert_eq!(p("۱۴۰۱/۰۷/۰۸"), d(2022, 9, 30));
        assert_eq!(p("١٤٠١/٠٧/٠٨"), d(2022, 9, 30));
        assert_eq!(p("1404-10-18"), d(2026, 1, 8));
        assert_eq!(p("18 Dey 1404"), d(2026, 1, 8));
        assert_eq!(p("۱۸ دی ۱۴۰۴"), d(2026, 1, 8));
        assert_eq!(p("\u{200f}۱۴۰۱/۰۶/۲۵"), d(2022, 9, 16));
        assert_eq!(
            p("1401/07/31"),
            Err("the date is not a real Solar Hijri date")
        );
    }

    #[test]
    fn what_is_refused() {
        assert_eq!(p(""), Err("the date is empty"));
        assert_eq!(p("2026-02-30"), Err("the date is not a real calendar date"));
        assert!(p("03/01/2026").unwrap_err().contains("order is unclear"));
        assert_eq!(p("yesterday"), Err("the date is not a date"));
        assert_eq!(p("45000"), Err("the date is not a date"));
        assert_eq!(p("8 Dey 2026"), Err("the date is not a date"));
        assert_eq!(
            parse("03/01/2026", Some("%d/%m/%Y")),
            Ok(NaiveDate::from_ymd_opt(2026, 1, 3).unwrap())
        );
    }
}
