//! Calendar dates (`YYYY-MM-DD`, years 1 to 9999): a tax lot's acquisition, the date an
//! account is valued, the dates of a market path.
//!
//! The proleptic Gregorian arithmetic is a few lines (Howard Hinnant's `days_from_civil`),
//! so the engine takes no date crate for it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A calendar date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, if it exists.
    ///
    /// # Examples
    ///
    /// ```
    /// use uma_engine::Date;
    /// assert!(Date::new(2024, 2, 29).is_some());
    /// assert!(Date::new(2023, 2, 29).is_none());
    /// ```
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid =
            (1..=9999).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// The last day of a month, if the month exists.
    pub fn month_end(year: i32, month: u8) -> Option<Date> {
        (1..=12).contains(&month).then(|| days_in_month(year, month)).and_then(|day| Date::new(year, month, day))
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The Monday-based week number since 1970-01-05 (a Monday): dates in the same
    /// Monday-to-Sunday week share it.
    pub(crate) fn week(self) -> i64 {
        (self.days() - 4).div_euclid(7)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a date (expected YYYY-MM-DD, or YYYY-MM for a month's last day)", self.0)
    }
}

impl FromStr for Date {
    type Err = DateError;

    /// Reads `YYYY-MM-DD`, or `YYYY-MM` as that month's last day (monthly data).
    fn from_str(text: &str) -> Result<Date, DateError> {
        let error = || DateError(text.to_owned());
        let mut parts = text.trim().split('-');
        let year = parts.next().and_then(|p| p.parse().ok()).ok_or_else(error)?;
        let month: u8 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(error)?;
        let day = match parts.next() {
            Some(p) => p.parse().ok().ok_or_else(error)?,
            None if (1..=12).contains(&month) => days_in_month(year, month),
            None => return Err(error()),
        };
        if parts.next().is_some() {
            return Err(error());
        }
        Date::new(year, month, day).ok_or_else(error)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn day_numbers_and_parsing() {
        assert_eq!(d("1970-01-01").days(), 0);
        assert_eq!(d("2000-03-01").days(), 11017);
        assert_eq!(d("1969-12-31").days(), -1);
        assert_eq!(d("2024-02").to_string(), "2024-02-29");
        assert_eq!(d(" 1926-07 ").to_string(), "1926-07-31");
        for bad in ["2023-02-29", "2024-13-01", "2024-1-1-1", "x", "", "2024"] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert!(d("2024-01-31") < d("2024-02-01"));
        for days in [-1000, -1, 0, 59, 11017, 19782, 2_932_896] {
            assert_eq!(Date::from_days(days).days(), days);
        }
        assert_eq!(Date::from_days(19782).to_string(), "2024-02-29");
    }
}
