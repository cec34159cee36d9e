//! Step 7 of the tactical rebalance: short or over. A sleeve whose sales cannot raise all
//! it must send (minimum trades, whole shares, mandates, tax settings) may sell one more
//! security past its dollar target, if that stays within the model's `overshoot`
//! allowance (points of the account) and inside the model's band; otherwise it stops
//! short, says so, and the sleeves it was to pay receive less, pro rata.

use rust_decimal::Decimal;

use crate::money::to_cent as money;
use crate::money::Money;
use crate::orders::{NoteKind, OrderSide, Reason, Warning, WarningKind};
use crate::tactical::plan::{round_shares, Ctx, Plan, Terms};
use crate::tactical::sale::{sell_position, SaleRequest};

/// Covers a negative `cash` (what the sleeve still owes) by one overshooting sale, or
/// stops short; `value_target` is the sleeve's dollar target. Returns the cash after.
pub(crate) fn cover_shortfall(
    ctx: &mut Ctx<'_>,
    plan: &mut Plan,
    terms: &Terms,
    cash: Decimal,
    value_target: Decimal,
) -> Decimal {
    let mut cash = cash;
    let short = -cash;
    let allowance = money(terms.settings.overshoot * ctx.total / Decimal::ONE_HUNDRED);
    let model = ctx.model(plan);
    let (lower, _) = ctx.scenario.strategy.band_of(model).bounds(model.target);
    for i in 0..plan.positions.len() {
        let p = &plan.positions[i];
        // A security whose sale the tax settings already held back gives no more.
        let held_back = plan
            .notes
            .iter()
            .any(|n| n.symbol == p.symbol && matches!(n.kind, NoteKind::GainsCap | NoteKind::ShortTermGain));
        // Nor is what the sleeve has just bought (a harvest's proxy) sold again.
        let bought = plan.orders.iter().any(|o| o.symbol == p.symbol && o.side == OrderSide::Buy);
        if p.shares <= Decimal::ZERO || ctx.mandates.no_sell(&p.symbol) || held_back || bought {
            continue;
        }
        let shares = round_shares(short.max(terms.min_trade), p.price, terms.step, true).min(p.shares);
        let raised = money(shares * p.price);
        let over = raised - short;
        let after = value_target - over;
        let in_band = ctx.total.is_zero() || after / ctx.total * Decimal::ONE_HUNDRED >= lower;
        if raised < short || raised < terms.min_trade || over > allowance || !in_band {
            continue;
        }
        if plan.positions[i].delta >= Decimal::ZERO && plan.positions[i].reason == Reason::Drift {
            // Not a sale its drift asked for: it raises what the sleeve sends.
            plan.positions[i].reason = Reason::CashFlow;
        }
        let request = SaleRequest { i, wanted: shares, forced: false, step: terms.step, min_trade: terms.min_trade };
        let sold = sell_position(ctx, plan, request);
        cash += sold;
        if sold < short {
            // Tax settings held some shares back: this security cannot cover it.
            continue;
        }
        if sold > short {
            overshoot(ctx, plan, terms, i, short, sold);
            cash -= sold - short;
        }
        return cash;
    }
    if cash < Decimal::ZERO {
        plan.flow += -cash;
        ctx.warnings.push(Warning {
            kind: WarningKind::StoppedShort,
            sleeve: Some(terms.id.clone()),
            symbol: None,
            text: format!(
                "{} stops {} short of the cash it was to send: minimum trades, whole shares or mandates keep it from selling more; the sleeves it was to pay receive less.",
                model.label(),
                Money(-cash)
            ),
        });
        cash = Decimal::ZERO;
    }
    cash
}

/// The last sale (of position `i`) raised `sold`, more than the `short` it had to: it is
/// an overshoot, and the extra goes to the account with the rest the sleeve sends.
fn overshoot(ctx: &mut Ctx<'_>, plan: &mut Plan, terms: &Terms, i: usize, short: Decimal, sold: Decimal) {
    let over = sold - short;
    if let Some(order) = plan.orders.last_mut() {
        order.reason = Reason::Overshoot;
        order.text = format!(
            "Sell {} {} at {} ({}): the minimum trade keeps the sleeve from raising exactly {}; it sells {} past its dollar target, within its {}-point allowance and its band.",
            order.shares.normalize(),
            order.symbol,
            Money(order.price),
            Money(order.amount),
            Money(short),
            Money(over),
            terms.settings.overshoot.normalize()
        );
    }
    plan.flow -= over;
    ctx.warnings.push(Warning {
        kind: WarningKind::Overshoot,
        sleeve: Some(terms.id.clone()),
        symbol: Some(plan.positions[i].symbol.clone()),
        text: format!(
            "{} sold {} past its dollar target, within its overshoot allowance.",
            ctx.model(plan).label(),
            Money(over)
        ),
    });
}
