//! Step 3 of the tactical rebalance: drift. A security whose weight in the sleeve is
//! outside its tolerance (its own, else the model's; none: any drift) or its weight range,
//! or that must go (do-not-hold, not in the model), is traded to its target; one inside is
//! left alone, with a note. A security less than one share (one step) from its dollar
//! target is on it: no trade brings it closer. Drift is measured in the sleeve as it is, before its cash
//! flow: a flow alone moves securities only through the cash step. Then the guards:
//! nothing on do-not-sell is sold, nothing that cannot be bought is bought.

use rust_decimal::Decimal;

use crate::money::round_points;
use crate::money::to_cent as money;
use crate::orders::{NoteKind, Reason};
use crate::tactical::plan::{model_id, note, settings, step_of, Ctx, Plan, Position};

/// Whether the drift step trades position `p`, at `now` percent of a sleeve worth
/// `value`, toward its target: outside its weight range, or outside its tolerance (none:
/// any drift) by at least one share (one `step`). Less than one share from its dollar
/// target, a security is on it: no trade brings it closer, and a second rebalance trades
/// nothing.
pub(crate) fn drifts(p: &Position, now: Decimal, value: Decimal, step: Decimal) -> bool {
    let half = p.tolerance.map_or(Decimal::ZERO, |t| t.half_width(p.target));
    let outside_range = p.min.is_some_and(|m| now < m) || p.max.is_some_and(|m| now > m);
    let gap = money(p.target * value / Decimal::ONE_HUNDRED) - p.value();
    outside_range || ((now - p.target).abs() > half && gap.abs() >= p.price * step)
}

/// Sets the dollars to trade of every position outside its tolerance or range, or that
/// must go; notes those left alone; then takes back what a mandate forbids.
pub(crate) fn drift(ctx: &Ctx<'_>, plan: &mut Plan) {
    let id = model_id(ctx, plan).to_owned();
    let step = step_of(settings(ctx, plan));
    let value = plan.target_value();
    // Drift is measured in the sleeve as it is, before its cash flow: a flow alone moves
    // securities only through step 4.
    let before = plan.value_before;
    let weight = |v: Decimal| if before.is_zero() { Decimal::ZERO } else { v / before * Decimal::ONE_HUNDRED };
    for i in 0..plan.positions.len() {
        let p = &plan.positions[i];
        let now = weight(p.value());
        let half = p.tolerance.map_or(Decimal::ZERO, |t| t.half_width(p.target));
        let must_go = matches!(p.reason, Reason::DoNotHold | Reason::NotInModel) && p.shares > Decimal::ZERO;
        let drift = now - p.target;
        if must_go || drifts(p, now, value, step) {
            plan.positions[i].delta = money(p.target * value / Decimal::ONE_HUNDRED) - p.value();
        } else if drift.abs() <= half && !drift.is_zero() && !p.spoken {
            let text = format!(
                "{} is at {}, inside its tolerance around {} (±{} points): left alone",
                p.symbol,
                plan.share_words(now),
                plan.share_words(p.target),
                round_points(half)
            );
            note(plan, &id, i, NoteKind::InsideTolerance, text);
        }
    }
    // The guards: nothing on do-not-sell is sold, nothing blocked is bought.
    for i in 0..plan.positions.len() {
        let p = &plan.positions[i];
        if p.delta < Decimal::ZERO && ctx.mandates.no_sell(&p.symbol) {
            let text = format!("{} is on the account's do-not-sell list: not sold", p.symbol);
            plan.positions[i].delta = Decimal::ZERO;
            note(plan, &id, i, NoteKind::Restricted, text);
        } else if p.delta > Decimal::ZERO {
            if let Some((kind, why)) = ctx.buy_block(&p.symbol, p.hold) {
                plan.positions[i].delta = Decimal::ZERO;
                note(plan, &id, i, kind, format!("{why}: not bought"));
            }
        }
    }
}
