//! The book of business: many accounts under a few strategies, each rebalanced by its
//! strategy's rules exactly as [`crate::rebalance`] rebalances one scenario, one account
//! at a time so that a book of any size streams through in constant memory.
//!
//! - [`Book`] (a book file: strategies with an `id` and a `name`) and the accounts, as
//!   JSON lines ([`read_account_line`]) or a CSV of one row per sleeve
//!   ([`accounts_from_csv`]);
//! - [`Batch`] rebalances one account after another into an [`AccountResult`] (or a
//!   [`Rejected`] naming the line or field); [`Summary`] counts the book;
//! - [`Sweep`] rebalances the book under a grid of settings ([`sweep_grid`]);
//! - [`demo_book`] and [`demo_account`] make a seeded synthetic book.
//!
//! A batch's result for an account is the single-account rebalance's, field for field:
//! the account becomes a scenario of its strategy, and only the strategic steps'
//! sentences are skipped unless asked for. Each account is rebalanced alone, so a batch
//! split over threads gives the same lines, and (its sums being exact) the same summary.

mod accounts;
mod book_file;
mod demo;
mod line;
mod summary;
mod sweep;

pub use accounts::{accounts_from_csv, accounts_to_csv, read_account_line, AccountRecord, ReadAccount, Rejected};
pub use book_file::{Book, BookStrategy};
pub use demo::{demo_account, demo_book};
pub use line::{book_blotter_header, AccountResult, ModelLine, StepLine};
pub use summary::{AccountOutcome, ModelSummary, StrategySummary, Summary};
pub use sweep::{sweep_grid, Setting, Sweep, SweepRow, SweepTable};

use rust_decimal::Decimal;

use crate::account::Account;
use crate::rebalance;
use crate::scenario::{Checks, Scenario, FORMAT_VERSION};
use crate::strategic::Explain;

/// Rebalances the accounts of a book one at a time.
///
/// # Examples
///
/// ```
/// use uma_engine::{demo_account, demo_book, Batch, Summary};
///
/// let book = demo_book();
/// let mut batch = Batch::new(&book, false);
/// let mut summary = Summary::new(&book);
/// for i in 0..100 {
///     let outcome = batch.run(demo_account(1, i));
///     summary.add(&outcome);
/// }
/// summary.finish();
/// assert_eq!((summary.accounts, summary.rejected), (100, 0));
/// assert!(summary.triggered > 0);
/// ```
pub struct Batch<'a> {
    book: &'a Book,
    explain: bool,
    /// A scenario per strategy of the book, whose account each run replaces.
    scratch: Vec<Scenario>,
}

impl<'a> Batch<'a> {
    /// A batch over `book`'s strategies; `explain` keeps each strategic step's sentence.
    pub fn new(book: &'a Book, explain: bool) -> Batch<'a> {
        let scratch = book
            .strategies
            .iter()
            .map(|s| Scenario { version: FORMAT_VERSION, strategy: s.strategy.clone(), account: Account::default() })
            .collect();
        Batch { book, explain, scratch }
    }

    /// Rebalances one account with its strategy's rules: the same result as
    /// [`crate::rebalance`] of the scenario made of that strategy and this account.
    ///
    /// # Errors
    ///
    /// A [`Rejected`] naming the account when its strategy is not in the book, or with
    /// the message of [`Scenario::validate`] when the account breaks a rule.
    pub fn run(&mut self, record: AccountRecord) -> AccountOutcome {
        let Some(s) = self.book.find(&record.strategy) else {
            return Err(Rejected {
                error: format!(
                    "account {}: strategy {:?} is not in the book (it has {})",
                    record.id,
                    record.strategy,
                    self.book.ids()
                ),
                account: Some(record.id),
            });
        };
        let scenario = &mut self.scratch[s];
        scenario.account = record.account;
        let explain = if self.explain { Explain::Yes } else { Explain::No };
        match rebalance::run(scenario, Decimal::ZERO, explain, Checks::AccountOnly) {
            Ok(result) => Ok(AccountResult::new(record.id, record.strategy, result, self.explain)),
            Err(e) => Err(Rejected { error: format!("account {}: {e}", record.id), account: Some(record.id) }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_line_is_the_single_account_rebalance() {
        let book = demo_book();
        let mut batch = Batch::new(&book, true);
        for i in 0..300 {
            let record = demo_account(3, i);
            let strategy = book.strategies[book.find(&record.strategy).unwrap()].strategy.clone();
            let scenario = Scenario { version: FORMAT_VERSION, strategy, account: record.account.clone() };
            let alone = crate::rebalance(&scenario).unwrap();
            let line = batch.run(record).unwrap();
            assert_eq!(line.models.len(), alone.models.len());
            for (a, b) in line.models.iter().zip(&alone.models) {
                assert_eq!(
                    (&a.id, a.value_after, a.weight_after, a.trade),
                    (&b.id, b.value_after, b.weight_after, b.trade)
                );
            }
            let steps: Vec<_> =
                line.steps.iter().map(|s| (s.phase, s.model.clone(), s.amount, s.text.clone())).collect();
            let expected: Vec<_> =
                alone.steps.iter().map(|s| (s.phase, s.model.clone(), s.amount, Some(s.text.clone()))).collect();
            assert_eq!(steps, expected);
            assert_eq!((line.traded, line.cash_after), (alone.traded, alone.cash_after));
        }
    }

    #[test]
    fn an_unknown_strategy_or_a_bad_account_is_rejected_by_name() {
        let book = demo_book();
        let mut batch = Batch::new(&book, false);
        let mut record = demo_account(1, 0);
        record.strategy = "aggressive".into();
        let err = batch.run(record).unwrap_err();
        assert_eq!(
            err.error,
            "account A0000001: strategy \"aggressive\" is not in the book (it has conservative, balanced, growth)"
        );
        let mut record = demo_account(1, 1);
        record.account.sleeves[0].model = "nope".into();
        let err = batch.run(record).unwrap_err();
        assert!(err.error.starts_with("account A0000002: account.sleeves[0].model: "), "{}", err.error);
    }
}
