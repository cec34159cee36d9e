//! Step 4 of the tactical rebalance: the cash flow. The sleeve's cash plus what the
//! strategic rebalance sends it (minus what it must send) must end at its cash target,
//! what the weights leave uninvested.
//!
//! - Too little: sell what sits over its target first (largest excess first), then buy
//!   less (every purchase pro rata), then sell every sellable security pro rata.
//! - Too much: buy what sits under its target first (largest shortfall first), then every
//!   security that can be bought, pro rata to its target, each only as far as the drift
//!   step would leave it alone (its tolerance, or less than one share over its target, and
//!   its `max`); what is left stays in cash.

use rust_decimal::Decimal;

use crate::money::pro_rata;
use crate::money::to_cent as money;
use crate::orders::Reason;
use crate::tactical::plan::{settings, step_of, Ctx, Plan, Position};
use crate::tactical::tolerance::drifts;

/// Adjusts the dollars to trade so that the sleeve's cash ends at its target.
pub(crate) fn cash_flow(ctx: &Ctx<'_>, plan: &mut Plan) {
    let value = plan.target_value();
    let cash_target = cash_target(plan, value);
    let trades: Decimal = plan.positions.iter().map(|p| p.delta).sum();
    let gap = plan.cash + plan.flow_asked - trades - cash_target;
    if gap < Decimal::ZERO {
        raise(ctx, plan, value, -gap);
    } else if gap > Decimal::ZERO {
        invest(ctx, plan, value, gap);
    }
}

/// Sets the dollars each position of a sleeve worth `value`, holding `cash`, buys as a
/// second rebalance of it would: the drift step's purchases (a security under its target
/// by more than its tolerance and at least a share), less pro rata when the cash does not
/// cover them, and the cash left over the cash target invested as [`cash_flow`] does.
/// (Sales are not planned: this spends what rounding left.)
pub(crate) fn second_run_buys(ctx: &Ctx<'_>, plan: &mut Plan, value: Decimal, cash: Decimal) {
    let step = step_of(settings(ctx, plan));
    for p in &mut plan.positions {
        let now = if value.is_zero() { Decimal::ZERO } else { p.value() / value * Decimal::ONE_HUNDRED };
        let gap = money(p.target * value / Decimal::ONE_HUNDRED) - p.value();
        let buyable = ctx.buy_block(&p.symbol, p.hold).is_none();
        p.delta = if buyable && gap > Decimal::ZERO && drifts(p, now, value, step) { gap } else { Decimal::ZERO };
    }
    let wanted: Decimal = plan.positions.iter().map(|p| p.delta).sum();
    let spare = cash - cash_target(plan, value) - wanted;
    if spare < Decimal::ZERO {
        let cut = (-spare).min(wanted);
        for p in &mut plan.positions {
            if p.delta > Decimal::ZERO {
                p.delta -= money(pro_rata(cut, p.delta, wanted));
            }
        }
    } else if spare > Decimal::ZERO {
        invest(ctx, plan, value, spare);
    }
}

/// The cash a sleeve worth `value` is to end with: what its targets leave uninvested.
pub(crate) fn cash_target(plan: &Plan, value: Decimal) -> Decimal {
    let invested: Decimal = plan.positions.iter().map(|p| p.target).sum();
    money(value * (Decimal::ONE_HUNDRED - invested).max(Decimal::ZERO) / Decimal::ONE_HUNDRED)
}

/// What position `p` would hold after its trade beyond its target in a sleeve worth
/// `value` (negative: short of it).
fn excess(p: &Position, value: Decimal) -> Decimal {
    p.value() + p.delta - money(p.target * value / Decimal::ONE_HUNDRED)
}

/// A position traded only for the cash flow says so.
fn mark(p: &mut Position) {
    if p.delta.is_zero() && p.reason == Reason::Drift {
        p.reason = Reason::CashFlow;
    }
}

/// Raises `short` more cash in a sleeve worth `value`.
fn raise(ctx: &Ctx<'_>, plan: &mut Plan, value: Decimal, short: Decimal) {
    let mut short = short;
    let sellable = |p: &Position| !ctx.mandates.no_sell(&p.symbol);
    let mut over: Vec<usize> = (0..plan.positions.len())
        .filter(|&k| sellable(&plan.positions[k]) && excess(&plan.positions[k], value) > Decimal::ZERO)
        .collect();
    over.sort_by(|&a, &b| excess(&plan.positions[b], value).cmp(&excess(&plan.positions[a], value)).then(a.cmp(&b)));
    for k in over {
        let more = excess(&plan.positions[k], value).min(short);
        if more <= Decimal::ZERO {
            break;
        }
        mark(&mut plan.positions[k]);
        plan.positions[k].delta -= more;
        short -= more;
    }
    let buys: Decimal = plan.positions.iter().map(|p| p.delta).filter(|d| *d > Decimal::ZERO).sum();
    let cut = short.min(buys).max(Decimal::ZERO);
    if !buys.is_zero() && !cut.is_zero() {
        for p in &mut plan.positions {
            if p.delta > Decimal::ZERO {
                p.delta -= money(pro_rata(cut, p.delta, buys));
            }
        }
        short -= cut;
    }
    if short <= Decimal::ZERO {
        return;
    }
    let after = |p: &Position| p.value() + p.delta;
    let rest: Vec<usize> = (0..plan.positions.len())
        .filter(|&k| sellable(&plan.positions[k]) && after(&plan.positions[k]) > Decimal::ZERO)
        .collect();
    let base: Decimal = rest.iter().map(|&k| after(&plan.positions[k])).sum();
    if base.is_zero() {
        return;
    }
    for &k in &rest {
        let more = money(pro_rata(short, after(&plan.positions[k]), base)).min(after(&plan.positions[k]));
        mark(&mut plan.positions[k]);
        plan.positions[k].delta -= more;
    }
}

/// Invests `spare` cash in a sleeve worth `value`: sets the dollars each position buys.
pub(crate) fn invest(ctx: &Ctx<'_>, plan: &mut Plan, value: Decimal, spare: Decimal) {
    let mut spare = spare;
    let buyable = |p: &Position| p.target > Decimal::ZERO && ctx.buy_block(&p.symbol, p.hold).is_none();
    let mut under: Vec<usize> = (0..plan.positions.len())
        .filter(|&k| buyable(&plan.positions[k]) && excess(&plan.positions[k], value) < Decimal::ZERO)
        .collect();
    under.sort_by(|&a, &b| excess(&plan.positions[a], value).cmp(&excess(&plan.positions[b], value)).then(a.cmp(&b)));
    for k in under {
        let more = (-excess(&plan.positions[k], value)).min(spare);
        if more <= Decimal::ZERO {
            break;
        }
        mark(&mut plan.positions[k]);
        plan.positions[k].delta += more;
        spare -= more;
    }
    if spare <= Decimal::ZERO {
        return;
    }
    let rest: Vec<usize> = (0..plan.positions.len()).filter(|&k| buyable(&plan.positions[k])).collect();
    let base: Decimal = rest.iter().map(|&k| plan.positions[k].target).sum();
    if base.is_zero() {
        return;
    }
    let step = step_of(settings(ctx, plan));
    for &k in &rest {
        let p = &plan.positions[k];
        let room = (ceiling(p, value, step) - p.value() - p.delta).max(Decimal::ZERO);
        let more = money(pro_rata(spare, p.target, base)).min(room);
        if more > Decimal::ZERO {
            mark(&mut plan.positions[k]);
            plan.positions[k].delta += more;
        }
    }
}

/// The most position `p` may be worth in a sleeve worth `value` for the drift step to
/// leave it alone: its target plus its tolerance, or less than one share (one `step`)
/// over its dollar target when that is more, and never over its `max`. Cash invested
/// past its target stops there, so that a second rebalance does not sell it back.
fn ceiling(p: &Position, value: Decimal, step: Decimal) -> Decimal {
    let hundredth = Decimal::new(1, 2);
    let percent = |weight: Decimal| (weight * value / Decimal::ONE_HUNDRED).trunc_with_scale(2);
    let half = p.tolerance.map_or(Decimal::ZERO, |t| t.half_width(p.target));
    let by_tolerance = percent(p.target + half);
    let by_share = money(p.target * value / Decimal::ONE_HUNDRED) + p.price * step - hundredth;
    let ceiling = by_tolerance.max(by_share.trunc_with_scale(2));
    p.max.map_or(ceiling, |max| ceiling.min(percent(max)))
}
