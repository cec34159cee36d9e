//! The what-if sweep: the whole book rebalanced under each of a grid of settings (band
//! kinds and widths, the 5/25 rule, range modes), and for each how many accounts trigger,
//! how much they trade, in how many trades, and the drift they are left with: the
//! book-level trade-off an advisor weighs to choose a band.
//!
//! A setting replaces every model's band (the strategy's and any model's own) and the
//! range mode, in every strategy of the book; the first row, `as set`, keeps each
//! strategy as its book file writes it. The sweep is strategic: sleeves with holdings
//! count at what they are worth.

use std::fmt;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use crate::account::Account;
use crate::band::{Band, BandSide};
use crate::batch::accounts::AccountRecord;
use crate::batch::book_file::Book;
use crate::batch::summary::{dollars, Tally};
use crate::money::format_money;
use crate::scenario::{Checks, Scenario, FORMAT_VERSION};
use crate::strategic::{self, Explain};
use crate::strategy::{Range, Strategy};
use crate::table::Table;

/// One setting of the sweep: a band for every model and a range mode, or `None` for
/// each strategy's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    /// The band every model gets; `None` keeps the strategy's.
    pub band: Option<Band>,
    /// The range mode; `None` keeps the strategy's.
    pub range: Option<Range>,
}

impl Setting {
    /// The setting's band in words (`as set` for none).
    pub fn band_words(&self) -> String {
        self.band.map_or_else(|| "as set".to_owned(), |b| b.to_string())
    }

    /// The setting's range mode in words: `target`, `band`, `interior 50%`, `as set`.
    pub fn range_words(&self) -> String {
        match self.range {
            None => "as set".to_owned(),
            Some(Range::Interior { percent_to_target }) => format!("interior {}%", percent_to_target.normalize()),
            Some(r) => r.mode().to_owned(),
        }
    }

    /// `strategy` under this setting.
    fn apply(&self, strategy: &Strategy) -> Strategy {
        let mut s = strategy.clone();
        if let Some(band) = self.band {
            s.band = band;
            for m in &mut s.models {
                m.band = None;
            }
        }
        if let Some(range) = self.range {
            s.range = range;
        }
        s
    }
}

/// The default grid: each strategy as set, then relative bands of 10, 15, 20, 25, 30 and
/// 50% of target, absolute bands of 2, 3 and 5 points and the 5/25 rule (relative 25%
/// capped at 5 points), each with the range modes target, band edge and interior at 25,
/// 50 and 75% of the way to target: 51 settings.
///
/// # Examples
///
/// ```
/// let grid = uma_engine::sweep_grid();
/// assert_eq!(grid.len(), 51);
/// assert_eq!((grid[0].band_words(), grid[0].range_words()), ("as set".into(), "as set".into()));
/// assert_eq!(grid[1].band_words(), "relative 10%");
/// ```
pub fn sweep_grid() -> Vec<Setting> {
    let mut bands: Vec<Band> = [dec!(10), dec!(15), dec!(20), dec!(25), dec!(30), dec!(50)].map(Band::relative).into();
    bands.extend([dec!(2), dec!(3), dec!(5)].map(Band::absolute));
    bands.push(Band::uniform(BandSide { cap: Some(dec!(5)), ..BandSide::relative(dec!(25)) }));
    let ranges =
        [Range::Target, Range::Band, Range::interior(dec!(25)), Range::interior(dec!(50)), Range::interior(dec!(75))];
    let mut grid = vec![Setting { band: None, range: None }];
    for band in bands {
        grid.extend(ranges.iter().map(|&range| Setting { band: Some(band), range: Some(range) }));
    }
    grid
}

/// One row of a sweep's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepRow {
    /// The band, in words (`relative 20%`, `absolute 3 pts`, `relative 25% capped at 5
    /// pts`, `as set`).
    pub band: String,
    /// The range mode, in words (`target`, `band`, `interior 50%`, `as set`).
    pub range: String,
    /// Accounts rebalanced.
    pub accounts: u64,
    /// Accounts with a model outside its band.
    pub triggered: u64,
    /// Dollars traded.
    pub traded: Decimal,
    /// Model trades made.
    pub trades: u64,
    /// The mean over accounts of the largest drift left, points.
    pub drift_left: Decimal,
    /// The largest drift left, points.
    pub max_drift_left: Decimal,
}

/// A sweep in progress: each strategy under each setting, and a tally per setting.
pub struct Sweep {
    settings: Vec<Setting>,
    /// For each strategy of the book, its strategy under each setting.
    variants: Vec<Vec<Strategy>>,
    ids: Vec<String>,
    tallies: Vec<Tally>,
    scratch: Scenario,
}

impl Sweep {
    /// A sweep of `book` over `settings` ([`sweep_grid`] by default).
    pub fn new(book: &Book, settings: Vec<Setting>) -> Sweep {
        let variants = book
            .strategies
            .iter()
            .map(|s| settings.iter().map(|setting| setting.apply(&s.strategy)).collect())
            .collect();
        let ids = book.strategies.iter().map(|s| s.id.clone()).collect();
        let tallies = vec![Tally::default(); settings.len()];
        let strategy = book.strategies.first().map(|s| s.strategy.clone()).unwrap_or_else(|| Strategy {
            models: Vec::new(),
            cash_target: Decimal::ZERO,
            band: Band::relative(Decimal::ZERO),
            range: Range::Target,
            step: Decimal::ONE,
        });
        let scratch = Scenario { version: FORMAT_VERSION, strategy, account: Account::default() };
        Sweep { settings, variants, ids, tallies, scratch }
    }

    /// Rebalances `record` under every setting and counts it; an account the batch
    /// rejects (an unknown strategy, an invalid account) is not counted.
    pub fn add(&mut self, record: AccountRecord) {
        let Some(s) = self.ids.iter().position(|id| *id == record.strategy) else { return };
        self.scratch.account = record.account;
        for (k, tally) in self.tallies.iter_mut().enumerate() {
            std::mem::swap(&mut self.scratch.strategy, &mut self.variants[s][k]);
            let result = strategic::run_checking(&self.scratch, Decimal::ZERO, Explain::No, Checks::AccountOnly);
            std::mem::swap(&mut self.scratch.strategy, &mut self.variants[s][k]);
            let Ok(result) = result else { return };
            tally.count(result.triggered(), result.traded, result.model_trades(), result.drift_left());
        }
    }

    /// Adds the counts of `other`, a sweep of other accounts over the same settings.
    pub fn merge(&mut self, other: &Sweep) {
        for (a, b) in self.tallies.iter_mut().zip(&other.tallies) {
            a.merge(b);
        }
    }

    /// The report: one row per setting, in the grid's order.
    pub fn rows(&self) -> Vec<SweepRow> {
        self.settings
            .iter()
            .zip(&self.tallies)
            .map(|(setting, t)| SweepRow {
                band: setting.band_words(),
                range: setting.range_words(),
                accounts: t.accounts,
                triggered: t.triggered,
                traded: dollars(t.traded),
                trades: t.trades,
                drift_left: t.mean_drift(),
                max_drift_left: t.max_drift,
            })
            .collect()
    }
}

/// The sweep's rows as a table for people.
pub struct SweepTable<'a>(pub &'a [SweepRow]);

impl fmt::Display for SweepTable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut table = Table::new(["Band", "Range", "Accounts", "Triggered", "Traded", "Trades", "Drift left"]);
        for r in self.0 {
            table.row([
                r.band.clone(),
                r.range.clone(),
                r.accounts.to_string(),
                r.triggered.to_string(),
                format_money(r.traded),
                r.trades.to_string(),
                format!("{} pts", r.drift_left.normalize()),
            ]);
        }
        write!(f, "{table}")
    }
}
