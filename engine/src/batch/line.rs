//! One account's line of a batch: what its rebalance did, in the fields of
//! `uma rebalance`'s output, without the sentences unless asked; and its rows of the
//! book's blotter.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::orders::{Tactical, BLOTTER_COLUMNS};
use crate::outcome::Rebalance;
use crate::table::csv_cell;
use crate::trace::Phase;

/// The rebalance of one account of a book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountResult {
    /// The account's id.
    pub account: String,
    /// Its strategy's id.
    pub strategy: String,
    /// Whether a model was outside its band: the rebalance condition.
    pub triggered: bool,
    /// The sum of every model's absolute trade.
    pub traded: Decimal,
    /// Account cash after (after the tactical orders, when the sleeves list holdings).
    pub cash_after: Decimal,
    /// Each model before and after, in strategy order.
    pub models: Vec<ModelLine>,
    /// Every movement of the strategic rebalance, in the order made.
    pub steps: Vec<StepLine>,
    /// The orders inside the sleeves, when they list holdings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tactical: Option<Tactical>,
}

/// One model of an account before and after, as in `uma rebalance`'s `models`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelLine {
    /// The model's id.
    pub id: String,
    /// Its target weight, percent.
    pub target: Decimal,
    /// Sleeve value before.
    pub value_before: Decimal,
    /// Sleeve value after.
    pub value_after: Decimal,
    /// Weight before, percent (four decimals).
    pub weight_before: Decimal,
    /// Weight after, percent (four decimals).
    pub weight_after: Decimal,
    /// Net trade: positive bought, negative sold.
    pub trade: Decimal,
}

/// One movement of an account's strategic rebalance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepLine {
    /// The phase that made it.
    pub phase: Phase,
    /// The model's id.
    pub model: String,
    /// Positive buys into the model, negative sells out of it.
    pub amount: Decimal,
    /// The step in a sentence (with `--explain` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl AccountResult {
    /// The line of account `account` under strategy `strategy` that `result` rebalanced;
    /// the steps' sentences kept when `explain`.
    pub(crate) fn new(account: String, strategy: String, result: Rebalance, explain: bool) -> AccountResult {
        let triggered = result.triggered();
        let models = result
            .models
            .into_iter()
            .map(|m| ModelLine {
                id: m.id,
                target: m.target,
                value_before: m.value_before,
                value_after: m.value_after,
                weight_before: m.weight_before,
                weight_after: m.weight_after,
                trade: m.trade,
            })
            .collect();
        let steps = result
            .steps
            .into_iter()
            .map(|s| StepLine { phase: s.phase, model: s.model, amount: s.amount, text: explain.then_some(s.text) })
            .collect();
        let cash_after = result.tactical.as_ref().map_or(result.cash_after, |t| t.account_cash_after);
        AccountResult {
            account,
            strategy,
            triggered,
            traded: result.traded,
            cash_after,
            models,
            steps,
            tactical: result.tactical,
        }
    }

    /// The largest distance from target, in points, any model is left at.
    pub fn drift_left(&self) -> Decimal {
        self.models.iter().map(|m| (m.weight_after - m.target).abs()).max().unwrap_or_default()
    }

    /// The account's rows of the book's blotter (see [`book_blotter_header`]), each
    /// ending in a line break: with holdings, every order; else each sleeve's trade.
    pub fn csv_rows(&self) -> String {
        let front = format!("{},{}", csv_cell(&self.account), csv_cell(&self.strategy));
        let mut out = String::new();
        match &self.tactical {
            Some(tactical) => {
                for order in tactical.orders() {
                    out.push_str(&format!("{front},{}\n", order.csv_row()));
                }
            }
            None => {
                for m in self.models.iter().filter(|m| !m.trade.is_zero()) {
                    let side = if m.trade > Decimal::ZERO { "buy" } else { "sell" };
                    let amount = m.trade.abs();
                    out.push_str(&format!("{front},{},,{side},,,{amount:.2},strategic,,,,\n", csv_cell(&m.id)));
                }
            }
        }
        out
    }
}

/// The header of the book's blotter: the account and its strategy, then the order
/// blotter's columns ([`BLOTTER_COLUMNS`]). A sleeve known by its value has one row per
/// trade, with no symbol, shares or price, and the reason `strategic`.
///
/// # Examples
///
/// ```
/// assert!(uma_engine::book_blotter_header().starts_with("account,strategy,sleeve,symbol,side,"));
/// ```
pub fn book_blotter_header() -> String {
    format!("account,strategy,{BLOTTER_COLUMNS}")
}
