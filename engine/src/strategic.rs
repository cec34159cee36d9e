//! The strategic (multi-model) rebalance: cash moves between sleeves, stopping at the
//! rebalance points the strategy's range mode picks, in the white paper's iterative
//! order.
//!
//! # The rules
//!
//! - `V` is the sum of the sleeves plus account cash; a model's weight is its sleeve over
//!   `V`. Bands and rebalance points are as [`crate::band`] and [`crate::Range`] define.
//! - The cash pool starts at account cash minus `cash_target · V`. Selling adds to it,
//!   buying takes from it.
//! - **Phase 1 (`out_of_band`)**: in strategy order, every model above its upper band is
//!   sold down to its rebalance point, every model below its lower band is bought up to
//!   its rebalance point.
//! - **Phase 2 (`to_range`)**: if the pool is positive, in-band models below their
//!   rebalance point are bought up to it, largest dollar shortfall from target first,
//!   while cash lasts. If it is negative, in-band models above their rebalance point are
//!   sold down to it, largest dollar excess over target first, until the pool is zero.
//! - **Phase 3 (`increment`)**: while the pool is not zero, one pass at a time moves
//!   `min(step% of V, |pool|, distance to target)` into the model furthest below its
//!   target (pool positive) or out of the model furthest above it (pool negative),
//!   re-evaluating after every pass: the paper's 1% passes.
//! - Ties go to the model listed first. Amounts are whole cents (see [`crate::book`] for
//!   how targets, edges and points are put in cents), so the pool ends at exactly zero.
//!
//! Every model only ever moves toward its target and never past it, so each ends in its
//! band, and rebalancing the result again trades nothing.

use rust_decimal::Decimal;

use crate::book::{Book, Row, Status};
use crate::error::Result;
use crate::outcome::{ModelOutcome, Rebalance};
use crate::scenario::{Checks, Scenario};
use crate::trace::{self, Moved, Phase, Step};

/// The strategic rebalance alone: [`crate::rebalance`] without the tactical orders inside the
/// sleeves, for callers that show only how cash moves between models (and need not carry
/// the tactical code, as the web app's page).
///
/// # Errors
///
/// Any error of [`Scenario::validate`].
pub fn rebalance_strategic(scenario: &Scenario) -> Result<Rebalance> {
    run(scenario, Decimal::ZERO, Explain::Yes)
}

/// Whether a rebalance writes each step's sentence. Analyses that only count steps and
/// dollars (the comparison of range modes, the interior curve) skip the sentences, which
/// are about a third of a rebalance's cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Explain {
    Yes,
    No,
}

/// The strategic rebalance with a cash flow; see [`crate::rebalance_with_flow`].
pub(crate) fn run(scenario: &Scenario, flow: Decimal, explain: Explain) -> Result<Rebalance> {
    run_checking(scenario, flow, explain, Checks::All)
}

/// [`run`], validating as `checks` says (a batch checks its strategies once).
pub(crate) fn run_checking(scenario: &Scenario, flow: Decimal, explain: Explain, checks: Checks) -> Result<Rebalance> {
    let book = Book::checking(scenario, flow, checks)?;
    let mut run = Run::new(&book, explain);

    // Phase 1: every model outside its band goes to its rebalance point, in strategy order.
    for (i, row) in book.rows.iter().enumerate() {
        let value = run.values[i];
        let point = match row.status(value) {
            Status::Over => row.point_above_value,
            Status::Under => row.point_below_value,
            Status::InBand => continue,
        };
        run.trade(Phase::OutOfBand, i, point - value, true);
    }

    // Phase 2: the pool goes to in-band models beyond their rebalance point, largest
    // dollar drift from target first (a stable sort keeps strategy order on ties).
    let buying = run.pool.is_sign_positive();
    let mut candidates: Vec<usize> = (0..book.rows.len())
        .filter(|&i| {
            let (row, value) = (&book.rows[i], run.values[i]);
            if buying {
                value < row.point_below_value
            } else {
                value > row.point_above_value
            }
        })
        .collect();
    candidates.sort_by_key(|&i| std::cmp::Reverse((book.rows[i].target_value - run.values[i]).abs()));
    for i in candidates {
        if run.pool.is_zero() {
            break;
        }
        let row = &book.rows[i];
        let wanted = if buying { row.point_below_value - run.values[i] } else { row.point_above_value - run.values[i] };
        let amount = if buying { wanted.min(run.pool) } else { wanted.max(run.pool) };
        run.trade(Phase::ToRange, i, amount, amount == wanted);
    }

    // Phase 3: passes of `step` into (out of) the model furthest under (over) its target.
    // Targets are apportioned to the cent, so the models' distances to target add up to
    // the pool and the loop always settles it; each pass either moves a full step,
    // settles the pool, or brings a model to its target, which bounds the passes.
    while !run.pool.is_zero() {
        let sign = if run.pool.is_sign_positive() { Decimal::ONE } else { Decimal::NEGATIVE_ONE };
        let furthest = (0..book.rows.len())
            .map(|i| (i, sign * (book.rows[i].target_value - run.values[i])))
            .filter(|&(_, gap)| gap.is_sign_positive() && !gap.is_zero())
            .fold(None, |best: Option<(usize, Decimal)>, (i, gap)| match best {
                Some((_, best_gap)) if best_gap >= gap => best,
                _ => Some((i, gap)),
            });
        let Some((i, gap)) = furthest else { break };
        let amount = sign * gap.min(book.step_value).min(run.pool.abs());
        run.trade(Phase::Increment, i, amount, false);
    }

    Ok(run.finish(flow, scenario.strategy.range.mode()))
}

/// A full rebalance: every model straight back to its target, whatever its band and the
/// strategy's range mode. It is what the simulator's `full` and `calendar` policies do
/// (the classic threshold and calendar rebalances of the academic studies), given a
/// trace so that it can be played like a strategic rebalance: sales first, then
/// purchases, each in strategy order, every step a [`Phase::ToTarget`]. The result's
/// `range` is `full`.
///
/// # Errors
///
/// Any error of [`Scenario::validate`].
///
/// # Examples
///
/// ```
/// # let text = include_str!("../../tests/scenarios/paper-three-models.json");
/// use rust_decimal_macros::dec;
/// let scenario = uma_engine::Scenario::from_json(text)?;
/// let result = uma_engine::rebalance_to_target(&scenario)?;
/// let weights: Vec<_> = result.models.iter().map(|m| m.weight_after).collect();
/// assert_eq!(weights, [dec!(30), dec!(50), dec!(20)]);
/// assert_eq!(result.steps[0].text, "Large Cap is at 35.00%, over its target 30.00%: sell $5,000.00 \
///     to bring it back to target. $5,000.00 is left to invest.");
/// # Ok::<(), uma_engine::Error>(())
/// ```
pub fn rebalance_to_target(scenario: &Scenario) -> Result<Rebalance> {
    run_to_target(scenario, Explain::Yes)
}

/// The full rebalance; see [`rebalance_to_target`].
pub(crate) fn run_to_target(scenario: &Scenario, explain: Explain) -> Result<Rebalance> {
    let book = Book::new(scenario)?;
    let mut run = Run::new(&book, explain);
    // Sales first so that the pool never runs short before it has been raised; targets
    // are apportioned to the cent, so the pool ends at exactly zero.
    for selling in [true, false] {
        for (i, row) in book.rows.iter().enumerate() {
            let amount = row.target_value - run.values[i];
            if amount.is_sign_negative() == selling {
                run.trade(Phase::ToTarget, i, amount, true);
            }
        }
    }
    Ok(run.finish(Decimal::ZERO, "full"))
}

/// The state of a rebalance under way.
struct Run<'a> {
    book: &'a Book<'a>,
    values: Vec<Decimal>,
    pool: Decimal,
    steps: Vec<Step>,
    /// Phase 3 passes made so far.
    passes: usize,
    explain: Explain,
}

impl<'a> Run<'a> {
    /// A rebalance of `book` about to start: every sleeve as it is, the pool as it is.
    fn new(book: &'a Book, explain: Explain) -> Run<'a> {
        Run {
            values: book.rows.iter().map(|r| r.value).collect(),
            pool: book.pool(),
            steps: Vec::new(),
            passes: 0,
            book,
            explain,
        }
    }

    /// Moves `amount` into model `i` (out of it when negative) and records the step.
    fn trade(&mut self, phase: Phase, i: usize, amount: Decimal, reached: bool) {
        if amount.is_zero() {
            return;
        }
        let row: &Row = &self.book.rows[i];
        let before = self.values[i];
        self.values[i] += amount;
        self.pool -= amount;
        let over = before > row.target_value;
        let moved = Moved {
            name: row.name,
            weight_before: self.book.weight(before),
            weight_after: self.book.weight(self.values[i]),
            lower: row.lower,
            upper: row.upper,
            point: if over { row.point_above } else { row.point_below },
            target: row.target,
            amount,
            pool_after: self.pool,
            reached,
        };
        if phase == Phase::Increment {
            self.passes += 1;
        }
        let text = match phase {
            _ if self.explain == Explain::No => String::new(),
            Phase::OutOfBand => trace::out_of_band(&moved),
            Phase::ToRange => trace::to_range(&moved),
            Phase::Increment => trace::increment(self.passes, &moved),
            Phase::ToTarget => trace::to_target(&moved),
        };
        self.steps.push(Step {
            phase,
            model: row.id.to_owned(),
            amount,
            weight_after: moved.weight_after,
            pool_after: self.pool,
            text,
        });
    }

    fn finish(self, flow: Decimal, range: &str) -> Rebalance {
        let book = self.book;
        let models: Vec<ModelOutcome> = book
            .rows
            .iter()
            .zip(&self.values)
            .map(|(row, &after)| ModelOutcome {
                id: row.id.to_owned(),
                name: row.name.to_owned(),
                target: row.target,
                target_value: row.target_value,
                value_before: row.value,
                value_after: after,
                weight_before: book.weight(row.value),
                weight_after: book.weight(after),
                trade: after - row.value,
            })
            .collect();
        Rebalance {
            total_value: book.total,
            cash_before: book.cash - flow,
            flow,
            cash_after: book.cash_target_value + self.pool,
            range: range.to_owned(),
            traded: models.iter().map(|m| m.trade.abs()).sum(),
            models,
            steps: self.steps,
            tactical: None,
        }
    }
}
