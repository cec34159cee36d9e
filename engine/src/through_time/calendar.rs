//! The look frequencies that pick rebalance dates from a market path's dates.
//!
//! A calendar period (week, two weeks, month, quarter, year) ends on the last date of that
//! period present in the data: a month whose last trading day is the 29th looks on the
//! 29th.

use serde::{Deserialize, Serialize};

use crate::date::Date;

/// How often the bands are checked (and, for a calendar policy, the account rebalanced).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Look {
    /// Every period of the data.
    Daily,
    /// The last date of each Monday-to-Sunday week.
    Weekly,
    /// The last date of every second week.
    Biweekly,
    /// The last date of each month.
    Monthly,
    /// The last date of each quarter.
    Quarterly,
    /// The last date of each year.
    Annually,
}

impl Look {
    /// Every look frequency, most frequent first.
    pub const ALL: [Look; 6] =
        [Look::Daily, Look::Weekly, Look::Biweekly, Look::Monthly, Look::Quarterly, Look::Annually];

    /// The name used on the command line and in JSON: `daily`, `weekly`, …
    pub fn name(self) -> &'static str {
        match self {
            Look::Daily => "daily",
            Look::Weekly => "weekly",
            Look::Biweekly => "biweekly",
            Look::Monthly => "monthly",
            Look::Quarterly => "quarterly",
            Look::Annually => "annually",
        }
    }

    /// The look frequency named `name`.
    pub fn from_name(name: &str) -> Option<Look> {
        Look::ALL.into_iter().find(|l| l.name() == name)
    }

    /// The period a date belongs to; dates of one period share the key.
    fn period(self, date: Date) -> i64 {
        match self {
            Look::Daily => date.days(),
            Look::Weekly => date.week(),
            Look::Biweekly => date.week().div_euclid(2),
            Look::Monthly => i64::from(date.year()) * 12 + i64::from(date.month()),
            Look::Quarterly => i64::from(date.year()) * 4 + i64::from((date.month() - 1) / 3),
            Look::Annually => i64::from(date.year()),
        }
    }

    /// For each of `dates` (ascending), whether it is a look date: the last date of its
    /// period in the data. The last date always is.
    ///
    /// # Examples
    ///
    /// ```
    /// use uma_engine::{Date, Look};
    /// let dates: Vec<Date> = ["2024-01-30", "2024-01-31", "2024-02-01", "2024-02-29"].iter().map(|d| d.parse().unwrap()).collect();
    /// assert_eq!(Look::Monthly.marks(&dates), [false, true, false, true]);
    /// ```
    pub fn marks(self, dates: &[Date]) -> Vec<bool> {
        let keys: Vec<i64> = dates.iter().map(|&d| self.period(d)).collect();
        (0..keys.len()).map(|i| keys.get(i + 1).is_none_or(|next| *next != keys[i])).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn weeks_run_monday_to_sunday() {
        // 2024-01-07 is a Sunday, 2024-01-08 a Monday.
        let dates = [d("2024-01-05"), d("2024-01-07"), d("2024-01-08"), d("2024-01-12"), d("2024-01-15")];
        assert_eq!(Look::Weekly.marks(&dates), [false, true, false, true, true]);
        assert_eq!(Look::Daily.marks(&dates), [true; 5]);
        assert_eq!(Look::Annually.marks(&dates), [false, false, false, false, true]);
        let quarters = [d("2024-03-28"), d("2024-04-01"), d("2024-06-28"), d("2024-07-01")];
        assert_eq!(Look::Quarterly.marks(&quarters), [true, false, true, true]);
    }
}
