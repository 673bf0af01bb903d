//! Dates as readers in Iran read them: the Solar Hijri (Persian) calendar, computed by
//! `icu_calendar`, and Persian digits. Month names are UI text and live in the theme's i18n.

use chrono::{Datelike, NaiveDate};
use icu_calendar::cal::Persian;
use icu_calendar::Date;

/// Today's date in Tehran (UTC+3:30, no daylight saving since 2022): the last day an event may
/// be dated. Only the command line asks the clock; the library is given the day.
pub fn tehran_today() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::minutes(210)).date_naive()
}

/// A day in the Solar Hijri calendar: 2026-01-03 is 13 Dey 1404.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SolarHijri {
    pub year: i32,
    /// 1 = Farvardin … 12 = Esfand.
    pub month: u8,
    pub day: u8,
}

impl SolarHijri {
    pub fn from_gregorian(date: NaiveDate) -> SolarHijri {
        let iso = Date::try_new_iso(date.year(), date.month() as u8, date.day() as u8)
            .expect("a chrono date is a valid ISO date");
        let persian = iso.to_calendar(Persian::new());
        SolarHijri {
            year: persian.year().extended_year(),
            month: persian.month().number(),
            day: persian.day_of_month().0,
        }
    }
}

/// Replaces ASCII digits with Persian ones (۰–۹).
pub fn persian_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32('۰' as u32 + (c as u32 - '0' as u32)).unwrap_or(c),
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(y: i32, m: u32, d: u32) -> SolarHijri {
        SolarHijri::from_gregorian(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn known_dates_convert() {
        assert_eq!(
            sh(2026, 1, 3),
            SolarHijri {
                year: 1404,
                month: 10,
                day: 13
            },
            "13 Dey 1404"
        );
        assert_eq!(
            sh(2022, 9, 16),
            SolarHijri {
                year: 1401,
                month: 6,
                day: 25
            },
            "25 Shahrivar 1401"
        );
        assert_eq!(
            sh(2025, 12, 28),
            SolarHijri {
                year: 1404,
                month: 10,
                day: 7
            },
            "7 Dey 1404"
        );
        assert_eq!(
            sh(2025, 3, 21),
            SolarHijri {
                year: 1404,
                month: 1,
                day: 1
            },
            "Nowruz 1404"
        );
    }

    #[test]
    fn digits_become_persian() {
        assert_eq!(persian_digits("13 Dey 1404"), "۱۳ Dey ۱۴۰۴");
    }
}
