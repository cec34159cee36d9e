//! Step 5 of the tactical rebalance: transfers in kind.
//!
//! Where a sleeve that sends cash sells a security that a sleeve receiving cash buys, the
//! shares move between them at the price, with their lots (in the account's lot order),
//! in place of that much of the cash: no trade and no tax. Shares without lots do not
//! join a position whose lots are tracked: they are sold and bought instead. Nothing a
//! sleeve has just bought (a harvest's proxy) moves out: it buys less instead.

use rust_decimal::Decimal;

use crate::holdings::Lot;
use crate::money::to_cent as money;
use crate::money::Money;
use crate::orders::{Order, OrderSide, Reason};
use crate::tactical::plan::{model_id, round_shares, settings, step_of, Ctx, Plan};
use crate::tax::{self, Limits};

/// Moves in kind what each sending sleeve sells and a receiving sleeve buys.
pub(crate) fn transfers(ctx: &Ctx<'_>, plans: &mut [Plan]) {
    for a in 0..plans.len() {
        for b in 0..plans.len() {
            if a == b {
                continue;
            }
            for i in 0..plans[a].positions.len() {
                transfer(ctx, plans, (a, i), b);
            }
        }
    }
}

/// Moves what plan `a` sells of its position `i` and plan `b` buys, if it can.
fn transfer(ctx: &Ctx<'_>, plans: &mut [Plan], (a, i): (usize, usize), b: usize) {
    let symbol = plans[a].positions[i].symbol.clone();
    // Only from a sleeve that sends cash to one that receives it: the shares then stand
    // for part of that cash, and neither sleeve pays the other.
    let room = (-plans[a].flow_asked).min(plans[b].flow_asked);
    // What the sender has just bought (a harvest's proxy) it buys less of instead.
    let bought = plans[a].orders.iter().any(|o| o.symbol == symbol && o.side == OrderSide::Buy);
    if plans[a].positions[i].delta >= Decimal::ZERO || ctx.mandates.no_hold(&symbol) || room <= Decimal::ZERO || bought
    {
        return;
    }
    let Some(j) = plans[b].positions.iter().position(|q| q.symbol == symbol && q.delta > Decimal::ZERO) else {
        return;
    };
    if plans[a].positions[i].lots.is_empty() && !plans[b].positions[j].lots.is_empty() {
        return;
    }
    let price = plans[a].positions[i].price;
    let step = step_of(settings(ctx, &plans[b])).max(step_of(settings(ctx, &plans[a])));
    let wanted = (-plans[a].positions[i].delta).min(plans[b].positions[j].delta).min(room);
    let shares = round_shares(wanted, price, step, false).min(plans[a].positions[i].shares);
    if shares <= Decimal::ZERO {
        return;
    }
    let amount = money(shares * price);
    let moved = give(ctx, &mut plans[a], i, shares, amount);
    take(&mut plans[b], j, shares, amount, moved);
    let (from, to) = (model_id(ctx, &plans[a]).to_owned(), model_id(ctx, &plans[b]).to_owned());
    let order = |sleeve: &str, side, other: &str, text: String| {
        let mut order = Order::untaxed(sleeve, &symbol, side, shares, price);
        order.reason = Reason::Transfer;
        order.counterparty = Some(other.to_owned());
        order.text = text;
        order
    };
    let what = format!("{} {symbol} ({})", shares.normalize(), Money(amount));
    let text = format!("Move {what} to {to} in kind, which needs it: no trade and no tax.");
    plans[a].orders.push(order(&from, OrderSide::TransferOut, &to, text));
    let text = format!("Receive {what} from {from} in kind instead of buying it.");
    plans[b].orders.push(order(&to, OrderSide::TransferIn, &from, text));
}

/// The sending side: `shares` (worth `amount`) leave position `i`, with their lots in the
/// account's lot order, which are returned.
fn give(ctx: &Ctx<'_>, plan: &mut Plan, i: usize, shares: Decimal, amount: Decimal) -> Vec<Lot> {
    let position = &mut plan.positions[i];
    let moved = if position.lots.is_empty() {
        Vec::new()
    } else {
        let part =
            tax::sell(&mut position.lots, shares, position.price, ctx.trade_date(), ctx.tax, Limits::unlimited());
        part.lots
            .iter()
            .map(|l| Lot { shares: l.shares, cost_basis: l.cost_basis, acquired: l.acquired, id: l.id.clone() })
            .collect()
    };
    position.shares -= shares;
    position.delta += amount;
    position.spoken = true;
    plan.flow_asked += amount;
    plan.transferred -= amount;
    moved
}

/// The receiving side: `shares` (worth `amount`) join position `j` with their `lots`, kept
/// where lots are tracked and started for a new position.
fn take(plan: &mut Plan, j: usize, shares: Decimal, amount: Decimal, lots: Vec<Lot>) {
    let position = &mut plan.positions[j];
    if !position.lots.is_empty() || position.shares.is_zero() {
        position.lots.extend(lots);
    }
    position.shares += shares;
    position.delta -= amount;
    position.spoken = true;
    plan.flow_asked -= amount;
    plan.transferred += amount;
}
