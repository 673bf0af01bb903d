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

impl SolarHijri {
    /// The Gregorian day, or `None` when this is not a real Solar Hijri date (month 13, a
    /// 31st of Mehr, a 30th of Esfand in a common year).
    pub fn to_gregorian(self) -> Option<NaiveDate> {
        let persian = Date::try_new_persian(self.year, self.month, self.day).ok()?;
        // `try_new_persian` accepts any day up to 31; a day past the month's end rolls over.
        if persian.month().number() != self.month || persian.day_of_month().0 != self.day {
            return None;
        }
        let iso = persian.to_calendar(icu_calendar::Iso);
        NaiveDate::from_ymd_opt(
            iso.year().extended_year(),
            u32::from(iso.month().number()),
            u32::from(iso.day_of_month().0),
        )
    }
}

/// The years a date written in the Solar Hijri calendar has (1300–1499, Gregorian 1921–2121):
/// an event of this site dated then in the Gregorian calendar would be six centuries old.
pub const SOLAR_HIJRI_YEARS: std::ops::Range<u32> = 1300..1500;

impl SolarHijri {
    /// `YYYY-MM-DD` whose year is one of [`SOLAR_HIJRI_YEARS`], read as Solar Hijri:
    /// `Some(Some(day))` with its Gregorian day, `Some(None)` if it is no real Solar Hijri date,
    /// `None` for any other text.
    pub fn written_as(text: &str) -> Option<Option<NaiveDate>> {
        let mut parts = text.splitn(3, '-').map(|p| p.parse::<u32>().ok());
        let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
        SOLAR_HIJRI_YEARS.contains(&year).then(|| {
            SolarHijri {
                year: year as i32,
                month: u8::try_from(month).ok()?,
                day: u8::try_from(day).ok()?,
            }
            .to_gregorian()
        })
    }
}

/// Persian (۰–۹) and Arabic-Indic (٠–٩) digits as ASCII; direction marks and ZWNJ removed.
pub fn ascii_digits(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{200c}' | '\u{200e}' | '\u{200f}' | '\u{061c}'))
        .map(|c| match c {
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            c => c,
        })
        .collect()
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
    fn a_date_written_in_the_solar_hijri_calendar_is_recognised() {
        // 25 Shahrivar 1401, the day Mahsa Amini's death was announced.
        let day = NaiveDate::from_ymd_opt(2022, 9, 16);
        assert_eq!(SolarHijri::written_as("1401-06-25"), Some(day));
        assert_eq!(SolarHijri::written_as("1401-07-31"), Some(None)); // Mehr has 30 days
        assert_eq!(SolarHijri::written_as("2022-09-16"), None);
        assert_eq!(SolarHijri::written_as("not a date"), None);
    }

    #[test]
    fn solar_hijri_dates_convert_back() {
        let g = |y, m, d| {
            SolarHijri {
                year: y,
                month: m,
                day: d,
            }
            .to_gregorian()
        };
        assert_eq!(
            g(1401, 7, 8),
            NaiveDate::from_ymd_opt(2022, 9, 30),
            "8 Mehr 1401"
        );
        assert_eq!(
            g(1404, 10, 18),
            NaiveDate::from_ymd_opt(2026, 1, 8),
            "18 Dey 1404"
        );
        assert_eq!(
            g(1404, 1, 1),
            NaiveDate::from_ymd_opt(2025, 3, 21),
            "Nowruz 1404"
        );
        assert_eq!(g(1401, 13, 1), None);
        assert_eq!(g(1401, 7, 31), None, "Mehr has 30 days");
        assert_eq!(g(1404, 12, 30), None, "1404 is a common year");
        assert_eq!(
            g(1403, 12, 30),
            NaiveDate::from_ymd_opt(2025, 3, 20),
            "1403 is a leap year"
        );
        for day in [(2022, 9, 16), (2026, 1, 3), (2024, 2, 29)] {
            let date = NaiveDate::from_ymd_opt(day.0, day.1, day.2).unwrap();
            assert_eq!(SolarHijri::from_gregorian(date).to_gregorian(), Some(date));
        }
    }

    #[test]
    fn digits_become_persian() {
        assert_eq!(persian_digits("13 Dey 1404"), "۱۳ Dey ۱۴۰۴");
    }
}
