//! The days a US stock exchange trades: Monday to Friday except the New York Stock
//! Exchange's full-day holidays (New Year's Day, Martin Luther King Jr. Day from 1998,
//! Washington's Birthday, Good Friday, Memorial Day, Juneteenth from 2022, Independence
//! Day, Labor Day, Thanksgiving, Christmas), a holiday on a Sunday observed the Monday
//! after and on a Saturday the Friday before (New Year's Day on a Saturday is not
//! moved). About 252 days a year, as a daily random market's step assumes, so that a
//! path of 252 × 30 days spans thirty calendar years.
//!
//! One-off closings (a national day of mourning, a storm) are not in it: a simulated
//! market needs a calendar of the right density, not the exchange's history.

use crate::date::Date;

/// Whether `date` is a trading day.
pub(crate) fn is_trading_day(date: Date) -> bool {
    weekday_of(date) < 5 && !is_holiday(date)
}

/// `count + 1` trading days from `start` (or the next trading day).
pub(crate) fn trading_days(start: Date, count: usize) -> Vec<Date> {
    let mut day = start.days();
    let mut dates = Vec::with_capacity(count + 1);
    while dates.len() <= count {
        let date = Date::from_days(day);
        if date.year() > 9999 {
            break;
        }
        if is_trading_day(date) {
            dates.push(date);
        }
        day += 1;
    }
    dates
}

/// Whether the exchange is closed on weekday `date` for a holiday.
fn is_holiday(date: Date) -> bool {
    let (year, month, day) = (date.year(), date.month(), date.day());
    let on = |m: u8, d: u8| Date::new(year, m, d).is_some_and(|h| observed(h) == date);
    let nth = |m: u8, weekday: i64, n: u8| nth_weekday(year, m, weekday, n) == Some(date);
    let new_year = month == 1 && day == 1;
    let mlk = year >= 1998 && nth(1, 0, 3);
    let washington = nth(2, 0, 3);
    let good_friday = easter(year).is_some_and(|e| e.days() - 2 == date.days());
    let memorial = last_monday_of_may(year) == Some(date);
    let juneteenth = year >= 2022 && on(6, 19);
    let labor = nth(9, 0, 1);
    let thanksgiving = nth(11, 3, 4);
    // New Year's Day on a Sunday is observed on Monday the 2nd; on a Saturday, not at all.
    let new_year_observed = month == 1 && day == 2 && weekday_of(date) == 0;
    new_year
        || new_year_observed
        || mlk
        || washington
        || good_friday
        || memorial
        || juneteenth
        || on(7, 4)
        || labor
        || thanksgiving
        || on(12, 25)
}

/// The weekday of `date`: 0 is Monday, 6 Sunday (1970-01-01 was a Thursday).
fn weekday_of(date: Date) -> i64 {
    (date.days() + 3).rem_euclid(7)
}

/// A fixed-date holiday as observed: a Saturday's on the Friday before, a Sunday's on
/// the Monday after.
fn observed(holiday: Date) -> Date {
    match weekday_of(holiday) {
        5 => Date::from_days(holiday.days() - 1),
        6 => Date::from_days(holiday.days() + 1),
        _ => holiday,
    }
}

/// The `n`th `weekday` (0 Monday) of `month` in `year`.
fn nth_weekday(year: i32, month: u8, weekday: i64, n: u8) -> Option<Date> {
    let first = Date::new(year, month, 1)?;
    let offset = (weekday - weekday_of(first)).rem_euclid(7);
    let date = Date::from_days(first.days() + offset + 7 * (i64::from(n) - 1));
    (date.month() == month).then_some(date)
}

/// The last Monday of May.
fn last_monday_of_may(year: i32) -> Option<Date> {
    let last = Date::new(year, 5, 31)?;
    Some(Date::from_days(last.days() - weekday_of(last)))
}

/// Easter Sunday of `year` (the Gregorian computus, the anonymous algorithm).
fn easter(year: i32) -> Option<Date> {
    let a = year.rem_euclid(19);
    let (b, c) = (year.div_euclid(100), year.rem_euclid(100));
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, u8::try_from(month).ok()?, u8::try_from(day).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn easter_matches_published_dates() {
        for (year, day) in [(2000, "2000-04-23"), (2019, "2019-04-21"), (2024, "2024-03-31"), (2025, "2025-04-20")] {
            assert_eq!(easter(year), Some(date(day)), "{year}");
        }
    }

    #[test]
    fn the_exchanges_2024_holidays() {
        // The NYSE's published 2024 full-day closings.
        let closed = [
            "2024-01-01",
            "2024-01-15",
            "2024-02-19",
            "2024-03-29",
            "2024-05-27",
            "2024-06-19",
            "2024-07-04",
            "2024-09-02",
            "2024-11-28",
            "2024-12-25",
        ];
        for day in closed {
            assert!(!is_trading_day(date(day)), "{day} is a holiday");
        }
        let open = trading_days(date("2024-01-01"), 400).into_iter().filter(|d| d.year() == 2024).count();
        assert_eq!(open, 252, "2024 had 252 trading days");
    }

    #[test]
    fn observed_days_move_off_the_weekend() {
        // Independence Day 2026 is a Saturday: closed Friday the 3rd. Christmas 2022 was a
        // Sunday: closed Monday the 26th. New Year's Day 2022 was a Saturday: not moved.
        assert!(!is_trading_day(date("2026-07-03")));
        assert!(!is_trading_day(date("2022-12-26")));
        assert!(is_trading_day(date("2021-12-31")));
        assert!(!is_trading_day(date("2023-01-02")), "New Year's Day 2023 fell on a Sunday");
    }

    #[test]
    fn thirty_years_of_steps_span_thirty_years() {
        let days = trading_days(date("2000-01-03"), 252 * 30);
        let years = (days[days.len() - 1].days() - days[0].days()) as f64 / 365.25;
        assert!((years - 30.0).abs() < 0.1, "{years}");
    }
}
