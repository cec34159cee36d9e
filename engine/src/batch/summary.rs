//! What a batch says about the whole book: accounts read, rejected and triggered, dollars
//! traded in total, per strategy and per model, and the drift left.
//!
//! Every total is a sum of exact decimals and a count, so a summary gathered over threads
//! in any order ([`Summary::merge`]) is the one gathered in one pass.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::batch::accounts::Rejected;
use crate::batch::book_file::Book;
use crate::batch::line::AccountResult;
use crate::money::format_money;
use crate::table::Table;

/// An account rebalanced, or why it was not.
pub type AccountOutcome = std::result::Result<AccountResult, Rejected>;

/// Counts and sums over accounts rebalanced under one setting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub accounts: u64,
    pub triggered: u64,
    pub traded: Decimal,
    pub trades: u64,
    pub drift_sum: Decimal,
    pub max_drift: Decimal,
}

/// `a + b`, held at the largest decimal rather than overflowing (a sum over more accounts
/// than any book has).
pub(crate) fn add(a: Decimal, b: Decimal) -> Decimal {
    a.checked_add(b).unwrap_or(Decimal::MAX)
}

impl Tally {
    /// Counts one account: whether it was triggered, what it traded in how many model
    /// trades, and the largest drift it is left with.
    pub fn count(&mut self, triggered: bool, traded: Decimal, trades: u64, drift_left: Decimal) {
        self.accounts += 1;
        self.triggered += u64::from(triggered);
        self.traded = add(self.traded, traded);
        self.trades += trades;
        self.drift_sum = add(self.drift_sum, drift_left);
        self.max_drift = self.max_drift.max(drift_left);
    }

    /// Adds another tally's counts.
    pub fn merge(&mut self, other: &Tally) {
        self.accounts += other.accounts;
        self.triggered += other.triggered;
        self.traded = add(self.traded, other.traded);
        self.trades += other.trades;
        self.drift_sum = add(self.drift_sum, other.drift_sum);
        self.max_drift = self.max_drift.max(other.max_drift);
    }

    /// The mean drift left, in points to four decimals.
    pub fn mean_drift(&self) -> Decimal {
        mean(self.drift_sum, self.accounts)
    }
}

/// An amount of dollars written with its two decimals (`0.00`, not `0`).
pub(crate) fn dollars(mut x: Decimal) -> Decimal {
    x.rescale(2);
    x
}

fn mean(sum: Decimal, count: u64) -> Decimal {
    if count == 0 {
        Decimal::ZERO
    } else {
        (sum / Decimal::from(count)).round_dp(4)
    }
}

/// The book after a batch. Drift left is in points: for an account, the largest distance
/// from target any of its models is left at; `drift_left` is its mean over the accounts
/// rebalanced and `max_drift_left` the largest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Accounts read (rebalanced and rejected).
    pub accounts: u64,
    /// Accounts rebalanced.
    pub rebalanced: u64,
    /// Accounts rejected (unreadable, invalid, or under a strategy the book lacks).
    pub rejected: u64,
    /// Accounts with a model outside its band.
    pub triggered: u64,
    /// Dollars traded, every model's absolute trade added up.
    pub traded: Decimal,
    /// Model trades made (sleeves bought or sold).
    pub trades: u64,
    /// The mean over accounts of the largest drift left, points.
    pub drift_left: Decimal,
    /// The largest drift left in the book, points.
    pub max_drift_left: Decimal,
    /// Each strategy of the book.
    pub strategies: Vec<StrategySummary>,
    #[serde(skip)]
    tally: Tally,
}

/// One strategy of the book after a batch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrategySummary {
    /// The strategy's id.
    pub id: String,
    /// Accounts rebalanced under it.
    pub accounts: u64,
    /// Of those, how many were triggered.
    pub triggered: u64,
    /// Dollars they traded.
    pub traded: Decimal,
    /// Each model of the strategy.
    pub models: Vec<ModelSummary>,
}

/// One model of a strategy after a batch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelSummary {
    /// The model's id.
    pub id: String,
    /// Dollars traded in it (bought plus sold).
    pub traded: Decimal,
    /// Dollars bought into it.
    pub bought: Decimal,
    /// Dollars sold out of it.
    pub sold: Decimal,
    /// The mean distance from target it is left at, points.
    pub drift_left: Decimal,
    #[serde(skip)]
    drift_sum: Decimal,
}

impl Summary {
    /// An empty summary of `book`'s strategies and models.
    pub fn new(book: &Book) -> Summary {
        let strategies = book
            .strategies
            .iter()
            .map(|s| StrategySummary {
                id: s.id.clone(),
                models: s
                    .strategy
                    .models
                    .iter()
                    .map(|m| ModelSummary { id: m.id.clone(), ..ModelSummary::default() })
                    .collect(),
                ..StrategySummary::default()
            })
            .collect();
        Summary { strategies, ..Summary::default() }
    }

    /// Counts one account.
    pub fn add(&mut self, outcome: &AccountOutcome) {
        self.accounts += 1;
        let Ok(line) = outcome else {
            self.rejected += 1;
            return;
        };
        self.rebalanced += 1;
        let trades = line.models.iter().filter(|m| !m.trade.is_zero()).count() as u64;
        self.tally.count(line.triggered, line.traded, trades, line.drift_left());
        let Some(strategy) = self.strategies.iter_mut().find(|s| s.id == line.strategy) else { return };
        strategy.accounts += 1;
        strategy.triggered += u64::from(line.triggered);
        strategy.traded = add(strategy.traded, line.traded);
        for (model, m) in strategy.models.iter_mut().zip(&line.models) {
            let amount = m.trade.abs();
            model.traded = add(model.traded, amount);
            if m.trade > Decimal::ZERO {
                model.bought = add(model.bought, amount);
            } else {
                model.sold = add(model.sold, amount);
            }
            model.drift_sum = add(model.drift_sum, (m.weight_after - m.target).abs());
        }
    }

    /// Adds the counts of `other`, a summary of other accounts of the same book.
    pub fn merge(&mut self, other: &Summary) {
        self.accounts += other.accounts;
        self.rebalanced += other.rebalanced;
        self.rejected += other.rejected;
        self.tally.merge(&other.tally);
        for (mine, theirs) in self.strategies.iter_mut().zip(&other.strategies) {
            mine.accounts += theirs.accounts;
            mine.triggered += theirs.triggered;
            mine.traded = add(mine.traded, theirs.traded);
            for (a, b) in mine.models.iter_mut().zip(&theirs.models) {
                a.traded = add(a.traded, b.traded);
                a.bought = add(a.bought, b.bought);
                a.sold = add(a.sold, b.sold);
                a.drift_sum = add(a.drift_sum, b.drift_sum);
            }
        }
        self.finish();
    }

    /// Sets the totals and means from the counts: [`Summary::add`] only counts, so call
    /// this (or [`Summary::merge`], which calls it) before reading them.
    pub fn finish(&mut self) {
        self.triggered = self.tally.triggered;
        self.traded = dollars(self.tally.traded);
        self.trades = self.tally.trades;
        self.drift_left = self.tally.mean_drift();
        self.max_drift_left = self.tally.max_drift;
        for s in &mut self.strategies {
            s.traded = dollars(s.traded);
            for m in &mut s.models {
                m.drift_left = mean(m.drift_sum, s.accounts);
                (m.traded, m.bought, m.sold) = (dollars(m.traded), dollars(m.bought), dollars(m.sold));
            }
        }
    }
}

impl fmt::Display for Summary {
    /// For people: the book's totals, then each strategy and model.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} accounts read: {} rebalanced, {} rejected; {} triggered; {} traded in {} trades; \
             drift left {} points on average, {} at most.",
            self.accounts,
            self.rebalanced,
            self.rejected,
            self.triggered,
            format_money(self.traded),
            self.trades,
            self.drift_left.normalize(),
            self.max_drift_left.normalize()
        )?;
        let mut table = Table::new(["Strategy / model", "Accounts", "Triggered", "Bought", "Sold", "Drift left"]);
        for s in &self.strategies {
            table.row([
                s.id.clone(),
                s.accounts.to_string(),
                s.triggered.to_string(),
                String::new(),
                String::new(),
                String::new(),
            ]);
            for m in &s.models {
                table.row([
                    format!("  {}", m.id),
                    String::new(),
                    String::new(),
                    format_money(m.bought),
                    format_money(m.sold),
                    format!("{} pts", m.drift_left.normalize()),
                ]);
            }
        }
        write!(f, "{table}")
    }
}
