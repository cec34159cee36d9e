//! The trace of a strategic rebalance: every movement of cash, as a step with one
//! sentence in the white paper's style.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{Bare, Money, Percent, Points};

/// The phase of the strategic rebalance a step belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Phase 1: a model outside its band goes to its rebalance point.
    OutOfBand,
    /// Phase 2: the pool's cash (or shortfall) goes to in-band models beyond their
    /// rebalance point, largest dollar drift first.
    ToRange,
    /// Phase 3: the rest moves in passes of `step` percent, each into (or out of) the
    /// model furthest from its target.
    Increment,
    /// Not a phase of the strategic rebalance: a full rebalance (the simulator's `full`
    /// and `calendar` policies) takes every model straight back to its target, sales
    /// first. See [`crate::rebalance_to_target`].
    ToTarget,
}

impl Phase {
    /// The phase's name as in the JSON output: `out_of_band`, `to_range`, `increment`.
    pub fn name(self) -> &'static str {
        match self {
            Phase::OutOfBand => "out_of_band",
            Phase::ToRange => "to_range",
            Phase::Increment => "increment",
            Phase::ToTarget => "to_target",
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One movement of cash into or out of a model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The phase that made the movement.
    pub phase: Phase,
    /// The model's id.
    pub model: String,
    /// The amount traded: positive buys into the model, negative sells out of it.
    pub amount: Decimal,
    /// The model's weight after the step, in percent (four decimals).
    pub weight_after: Decimal,
    /// The cash pool after the step: positive is cash still to invest, negative is cash
    /// still to raise.
    pub pool_after: Decimal,
    /// The step explained in one or two sentences.
    pub text: String,
}

/// What a sentence needs to know about the model a step moves.
pub(crate) struct Moved<'a> {
    pub name: &'a str,
    pub weight_before: Decimal,
    pub weight_after: Decimal,
    pub lower: Decimal,
    pub upper: Decimal,
    pub point: Decimal,
    pub target: Decimal,
    pub amount: Decimal,
    pub pool_after: Decimal,
    /// Whether the step reached the rebalance point (phase 2 may stop short of it when
    /// the pool runs dry).
    pub reached: bool,
}

/// Phase 1: "Large Cap is out of band at 35.00% (27.00–33.00%): trim to its rebalance
/// point 31.50%, raising $3,500.00."
pub(crate) fn out_of_band(m: &Moved<'_>) -> String {
    let (name, weight, lower, upper, point) =
        (m.name, Percent(m.weight_before), Bare(m.lower), Percent(m.upper), Percent(m.point));
    if m.amount.is_sign_negative() {
        let raised = Money(-m.amount);
        format!("{name} is out of band at {weight} ({lower}–{upper}): trim to its rebalance point {point}, raising {raised}.")
    } else {
        let spent = Money(m.amount);
        format!(
            "{name} is out of band at {weight} ({lower}–{upper}): buy up to its rebalance point {point}, spending {spent}."
        )
    }
}

/// Phase 2: "Mid Cap is in band at 46.00% but under its rebalance point 47.50%: buy
/// $1,500.00 to reach it. $2,000.00 is left to invest."
pub(crate) fn to_range(m: &Moved<'_>) -> String {
    let (side, verb) = if m.amount.is_sign_positive() { ("under", "buy") } else { ("over", "sell") };
    let (name, weight, point, amount, pool) =
        (m.name, Percent(m.weight_before), Percent(m.point), Money(m.amount.abs()), Pool(m.pool_after));
    if m.reached {
        format!(
            "{name} is in band at {weight} but {side} its rebalance point {point}: {verb} {amount} to reach it. {pool}"
        )
    } else {
        let after = Percent(m.weight_after);
        format!(
            "{name} is in band at {weight} but {side} its rebalance point {point}: {verb} {amount} toward it, \
             to {after}, as far as the cash allows. {pool}"
        )
    }
}

/// Phase 3: "Pass 1: Mid Cap is furthest under its target (-2.50 points): buy $1,000.00,
/// bringing it to 48.50%. $1,000.00 is left to invest."
pub(crate) fn increment(pass: usize, m: &Moved<'_>) -> String {
    let (side, verb) = if m.amount.is_sign_positive() { ("under", "buy") } else { ("over", "sell") };
    let (name, drift, amount, after, pool) = (
        m.name,
        Points(m.weight_before - m.target),
        Money(m.amount.abs()),
        Percent(m.weight_after),
        Pool(m.pool_after),
    );
    format!("Pass {pass}: {name} is furthest {side} its target ({drift} points): {verb} {amount}, bringing it to {after}. {pool}")
}

/// A full rebalance: "Large Cap is at 35.00% against its target 30.00%: sell $5,000.00
/// to bring it back to target. $5,000.00 is left to invest."
pub(crate) fn to_target(m: &Moved<'_>) -> String {
    let (verb, side) = if m.amount.is_sign_positive() { ("buy", "under") } else { ("sell", "over") };
    let (name, weight, target, amount, pool) =
        (m.name, Percent(m.weight_before), Percent(m.target), Money(m.amount.abs()), Pool(m.pool_after));
    format!("{name} is at {weight}, {side} its target {target}: {verb} {amount} to bring it back to target. {pool}")
}

/// The pool after a step, in words.
struct Pool(Decimal);

/// The cash pool in words, as a player's gauge shows it: `Cash pool: $1,500.00 to invest`,
/// `Cash pool: $200.00 to raise`, or `Cash pool: settled`.
///
/// # Examples
///
/// ```
/// use rust_decimal_macros::dec;
/// assert_eq!(uma_engine::pool_words(dec!(1500)), "Cash pool: $1,500.00 to invest");
/// assert_eq!(uma_engine::pool_words(dec!(-200)), "Cash pool: $200.00 to raise");
/// ```
pub fn pool_words(pool: Decimal) -> String {
    if pool.is_zero() {
        "Cash pool: settled".to_owned()
    } else if pool.is_sign_positive() {
        format!("Cash pool: {} to invest", Money(pool))
    } else {
        format!("Cash pool: {} to raise", Money(-pool))
    }
}

impl fmt::Display for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pool = self.0;
        if pool.is_zero() {
            f.write_str("The pool is settled.")
        } else if pool.is_sign_positive() {
            write!(f, "{} is left to invest.", Money(pool))
        } else {
            write!(f, "{} is still to raise.", Money(-pool))
        }
    }
}
