//! Step 6 of the tactical rebalance: the sleeve's orders, once its flow is known.
//!
//! Sales round up to whole shares (or to a ten-thousandth with `fractional`), never
//! beyond what is held; purchases round down, largest first, and never spend cash the
//! sleeve does not have. A trade below the minimum trade (the model's or the account's,
//! whichever is larger), or a first purchase below the minimum opening trade, is not
//! made; do-not-hold sales are made whatever their size and whatever the tax settings. A
//! sale planned of a security the sleeve has just bought (a harvest's proxy) buys less
//! instead. Cash that rounding leaves over the sleeve's cash target is then invested as
//! the cash step would invest it (a security the sleeve sells is sold less instead of
//! bought back), until a pass buys nothing: a second rebalance finds nothing to buy.
//! Every security not spoken for by an order or a note is then noted as on its target.

use rust_decimal::Decimal;

use crate::holdings::Lot;
use crate::money::pro_rata;
use crate::money::to_cent as money;
use crate::money::Money;
use crate::orders::{NoteKind, Order, OrderSide, Reason, Warning, WarningKind};
use crate::tactical::cash;
use crate::tactical::plan::{model_id, note, round_shares, settings, step_of, why, Ctx, Plan, Terms};
use crate::tactical::sale::{sell_less, sell_position, SaleRequest};
use crate::tactical::shortfall::cover_shortfall;

/// Makes `plan`'s orders, with `flow` the cash the sleeve receives (negative: sends).
pub(crate) fn execute(ctx: &mut Ctx<'_>, plan: &mut Plan, flow: Decimal) {
    let settings = settings(ctx, plan).clone();
    let terms = Terms {
        id: model_id(ctx, plan).to_owned(),
        step: step_of(&settings),
        min_trade: ctx.min_trade(&settings),
        settings,
    };
    plan.flow = flow;
    if flow < plan.flow_asked {
        buy_less(plan, plan.flow_asked - flow);
    }
    undo_purchases(ctx, plan, &terms, flow);
    // What the sleeve is to be worth: less (or more) the cash it sends (receives) and the
    // shares it gives (receives) in kind.
    let value_target = plan.value_before + flow + plan.transferred;
    if terms.min_trade > value_target && value_target > Decimal::ZERO {
        ctx.warnings.push(Warning {
            kind: WarningKind::Infeasible,
            sleeve: Some(terms.id.clone()),
            symbol: None,
            text: format!(
                "The minimum trade ({}) is larger than the whole sleeve ({}): only do-not-hold sales can be made.",
                Money(terms.min_trade),
                Money(value_target)
            ),
        });
    }
    let mut cash = plan.cash + flow;
    sales(ctx, plan, &terms, &mut cash);
    if cash < Decimal::ZERO {
        cash = cover_shortfall(ctx, plan, &terms, cash, value_target);
    }
    let cash = purchases(ctx, plan, &terms, cash);
    plan.cash = spend_leftover(ctx, plan, &terms, cash, value_target);
    note_the_rest(plan, &terms, value_target);
}

/// Gives every security that no order or note speaks for yet a note saying why it is not
/// traded: every security of a planned sleeve gets one or the other.
fn note_the_rest(plan: &mut Plan, terms: &Terms, value_target: Decimal) {
    for i in 0..plan.positions.len() {
        let p = &plan.positions[i];
        let symbol = p.symbol.as_str();
        let spoken_for =
            plan.orders.iter().any(|o| o.symbol == symbol) || plan.notes.iter().any(|n| n.symbol == symbol);
        if spoken_for {
            continue;
        }
        let wanted = money(p.target * value_target.max(Decimal::ZERO) / Decimal::ONE_HUNDRED);
        let (kind, text) = if p.shares.is_zero() && p.target.is_zero() {
            (NoteKind::InsideTolerance, format!("{symbol} is not held and its target is 0: nothing to trade"))
        } else if wanted - p.value() >= p.price * terms.step {
            (NoteKind::NoCash, format!("{symbol}: the sleeve has no cash left to buy it"))
        } else {
            (NoteKind::InsideTolerance, format!("{symbol} is on its target: no trade"))
        };
        note(plan, &terms.id, i, kind, text);
    }
}

/// A receiver granted `less` than it asked buys less, every purchase pro rata.
fn buy_less(plan: &mut Plan, less: Decimal) {
    let buys: Decimal = plan.positions.iter().map(|p| p.delta).filter(|d| *d > Decimal::ZERO).sum();
    if buys <= Decimal::ZERO {
        return;
    }
    for p in &mut plan.positions {
        if p.delta > Decimal::ZERO {
            p.delta -= money(pro_rata(less.min(buys), p.delta, buys));
        }
    }
}

/// A sale planned of a security the sleeve has just bought (a harvest's proxy) shrinks
/// that purchase instead.
fn undo_purchases(ctx: &Ctx<'_>, plan: &mut Plan, terms: &Terms, flow: Decimal) {
    for i in 0..plan.positions.len() {
        // Each of its purchases (two harvests may buy one proxy), the newest first.
        let mut done: Vec<usize> = Vec::new();
        while plan.positions[i].delta < Decimal::ZERO {
            let symbol = plan.positions[i].symbol.clone();
            let buy = plan
                .orders
                .iter()
                .enumerate()
                .rev()
                .find(|(k, o)| o.symbol == symbol && o.side == OrderSide::Buy && !done.contains(k));
            let Some((k, _)) = buy else { break };
            done.push(k);
            buy_less_of(ctx, plan, terms, flow, i, k);
        }
        plan.orders.retain(|o| o.side != OrderSide::Buy || !o.shares.is_zero());
    }
}

/// Shrinks purchase `k` of position `i` by as much of its planned sale as it covers.
fn buy_less_of(ctx: &Ctx<'_>, plan: &mut Plan, terms: &Terms, flow: Decimal, i: usize, k: usize) {
    let (price, delta) = (plan.positions[i].price, plan.positions[i].delta);
    let bought = plan.orders[k].shares;
    let mut less = round_shares(-delta, price, terms.step, true).min(bought).min(plan.positions[i].shares);
    if less <= Decimal::ZERO {
        return;
    }
    // What is left must still be a trade the settings allow, or none is made.
    let left = money((bought - less) * price);
    if left < ctx.min_trade(&terms.settings).max(terms.settings.min_opening_trade) {
        if bought > plan.positions[i].shares {
            // It cannot all be undone (some moved to another sleeve): sell instead.
            return;
        }
        less = bought;
    }
    let value = plan.target_value();
    let order = &mut plan.orders[k];
    order.shares -= less;
    let refund = order.amount - money(order.shares * price);
    order.amount -= refund;
    order.text = buy_text(order, &why(&plan.positions[i], true, flow, value));
    plan.cash += refund;
    let p = &mut plan.positions[i];
    p.shares -= less;
    p.delta += refund;
    take_off_newest(&mut p.lots, less);
}

/// The sentence of a purchase `order` made for `reason`.
fn buy_text(order: &Order, reason: &str) -> String {
    let (shares, symbol) = (order.shares.normalize(), &order.symbol);
    format!("Buy {shares} {symbol} at {} ({}): {reason}.", Money(order.price), Money(order.amount))
}

/// Removes `shares` from the newest lots (a purchase's own first).
fn take_off_newest(lots: &mut Vec<Lot>, shares: Decimal) {
    let mut left = shares;
    for lot in lots.iter_mut().rev() {
        if left <= Decimal::ZERO {
            break;
        }
        let take = left.min(lot.shares);
        let basis = if take == lot.shares { lot.cost_basis } else { money(lot.cost_per_share() * take) };
        lot.shares -= take;
        lot.cost_basis = (lot.cost_basis - basis).max(Decimal::ZERO);
        left -= take;
    }
    lots.retain(|l| !l.shares.is_zero());
}

/// Every planned sale, each adding what it raises to `cash`.
fn sales(ctx: &mut Ctx<'_>, plan: &mut Plan, terms: &Terms, cash: &mut Decimal) {
    for i in 0..plan.positions.len() {
        let p = &plan.positions[i];
        let forced = p.reason == Reason::DoNotHold && p.shares > Decimal::ZERO;
        // A do-not-hold holding is sold whatever its value, even one that rounds to $0.00.
        if p.delta >= Decimal::ZERO && !forced {
            continue;
        }
        let wanted = if forced { p.shares } else { round_shares(-p.delta, p.price, terms.step, true).min(p.shares) };
        if wanted <= Decimal::ZERO {
            let text = format!("{}: the sale rounds to no shares", p.symbol);
            note(plan, &terms.id, i, NoteKind::Rounding, text);
            continue;
        }
        if !forced && money(wanted * p.price) < terms.min_trade {
            let text = format!(
                "{}: a sale of {} is below the minimum trade of {}",
                p.symbol,
                Money(money(wanted * p.price)),
                Money(terms.min_trade)
            );
            note(plan, &terms.id, i, NoteKind::BelowMinimum, text);
            continue;
        }
        let request = SaleRequest { i, wanted, forced, step: terms.step, min_trade: terms.min_trade };
        *cash += sell_position(ctx, plan, request);
    }
}

/// Every planned purchase, largest first, within `cash`; returns the cash left.
fn purchases(ctx: &mut Ctx<'_>, plan: &mut Plan, terms: &Terms, cash: Decimal) -> Decimal {
    let mut cash = cash;
    let mut buys: Vec<usize> = (0..plan.positions.len()).filter(|&k| plan.positions[k].delta > Decimal::ZERO).collect();
    buys.sort_by(|&a, &b| plan.positions[b].delta.cmp(&plan.positions[a].delta).then(a.cmp(&b)));
    let step = terms.step;
    for i in buys {
        let p = &plan.positions[i];
        // A security the sleeve had to sell (to cover what it sends) is not bought back.
        if plan
            .orders
            .iter()
            .any(|o| o.symbol == p.symbol && matches!(o.side, OrderSide::Sell | OrderSide::TransferOut))
        {
            continue;
        }
        let shares = round_shares(p.delta.min(cash), p.price, step, false);
        let amount = money(shares * p.price);
        let opening = p.shares.is_zero();
        if shares <= Decimal::ZERO {
            let (kind, text) = if cash < p.price * step && p.delta >= p.price * step {
                (NoteKind::NoCash, format!("{}: the sleeve has no cash left to buy it", p.symbol))
            } else {
                let text = format!("{}: {} buys less than one share at {}", p.symbol, Money(p.delta), Money(p.price));
                (NoteKind::Rounding, text)
            };
            note(plan, &terms.id, i, kind, text);
            continue;
        }
        if let Some((kind @ NoteKind::WashSale, why)) = ctx.buy_block(&p.symbol, false) {
            // Sold at a loss by another sleeve in this rebalance: not bought back now.
            note(plan, &terms.id, i, kind, format!("{why}: not bought"));
            continue;
        }
        let min_opening = terms.settings.min_opening_trade;
        if amount < terms.min_trade || (opening && amount < min_opening) {
            let floor = if opening { min_opening.max(terms.min_trade) } else { terms.min_trade };
            let kind = if opening { "minimum opening trade" } else { "minimum trade" };
            let text = format!("{}: a purchase of {} is below the {kind} of {}", p.symbol, Money(amount), Money(floor));
            note(plan, &terms.id, i, NoteKind::BelowMinimum, text);
            continue;
        }
        cash -= buy(ctx, plan, terms, i, shares);
    }
    cash
}

/// At most this many passes spend the cash rounding left.
const LEFTOVER_PASSES: usize = 8;

/// Spends the cash that rounding left, as a second rebalance would buy with it (see
/// [`cash::second_run_buys`]), in whole shares, until a pass buys nothing: then a second
/// rebalance of the result finds nothing to buy. Returns the cash left.
fn spend_leftover(ctx: &mut Ctx<'_>, plan: &mut Plan, terms: &Terms, cash: Decimal, value: Decimal) -> Decimal {
    let mut cash = cash;
    for _ in 0..LEFTOVER_PASSES {
        // The orders keep the reasons they were planned for.
        let reasons: Vec<Reason> = plan.positions.iter().map(|p| p.reason).collect();
        cash::second_run_buys(ctx, plan, value, cash);
        for (p, reason) in plan.positions.iter_mut().zip(reasons) {
            p.reason = reason;
        }
        let mut bought = false;
        for i in 0..plan.positions.len() {
            let p = &plan.positions[i];
            let shares = round_shares(p.delta.min(cash), p.price, terms.step, false);
            let amount = money(shares * p.price);
            let opening = p.shares.is_zero();
            let floor = if opening { terms.min_trade.max(terms.settings.min_opening_trade) } else { terms.min_trade };
            if shares <= Decimal::ZERO {
                continue;
            }
            // A security the sleeve sells is sold less rather than bought back, while the
            // sale stays a trade the settings allow; one moved out in kind is not bought.
            let sale = plan
                .orders
                .iter()
                .position(|o| o.symbol == p.symbol && matches!(o.side, OrderSide::Sell | OrderSide::TransferOut));
            if let Some(k) = sale {
                let order = &plan.orders[k];
                let less = shares.min(order.shares);
                let still = money((order.shares - less) * p.price);
                let allowed = order.side == OrderSide::Sell && order.reason != Reason::DoNotHold;
                if allowed && less < order.shares && still >= terms.min_trade {
                    if let Some(refund) = sell_less(ctx, plan, i, k, less) {
                        cash -= refund;
                        bought = true;
                    }
                }
                continue;
            }
            if amount < floor || ctx.buy_block(&p.symbol, p.hold).is_some() {
                continue;
            }
            // What this purchase now makes possible, no earlier note denies.
            let symbol = p.symbol.clone();
            let denied = [NoteKind::Rounding, NoteKind::NoCash, NoteKind::BelowMinimum];
            plan.notes.retain(|n| n.symbol != symbol || !denied.contains(&n.kind));
            cash -= buy(ctx, plan, terms, i, shares);
            bought = true;
        }
        if !bought {
            break;
        }
    }
    for p in &mut plan.positions {
        p.delta = Decimal::ZERO;
    }
    cash
}

/// Buys `shares` of position `i`: a new order, or more of the sleeve's order of it;
/// returns the cash spent.
fn buy(ctx: &mut Ctx<'_>, plan: &mut Plan, terms: &Terms, i: usize, shares: Decimal) -> Decimal {
    let p = &plan.positions[i];
    let existing = plan.orders.iter().position(|o| o.symbol == p.symbol && o.side == OrderSide::Buy);
    let k = existing.unwrap_or_else(|| {
        let mut order = Order::untaxed(&terms.id, &p.symbol, OrderSide::Buy, Decimal::ZERO, p.price);
        order.reason = p.reason;
        plan.orders.push(order);
        plan.orders.len() - 1
    });
    let value = plan.target_value();
    let order = &mut plan.orders[k];
    order.shares += shares;
    let amount = money(order.shares * p.price) - order.amount;
    order.amount += amount;
    order.text = buy_text(order, &why(p, true, plan.flow, value));
    let today = ctx.trade_date();
    let p = &mut plan.positions[i];
    // Lots are kept where they were tracked, and started for a new position; more of a
    // purchase joins its lot.
    let todays = p.lots.last_mut().filter(|l| existing.is_some() && l.acquired == today && l.id.is_none());
    if let Some(lot) = todays {
        lot.shares += shares;
        lot.cost_basis += amount;
    } else if !p.lots.is_empty() || (ctx.tax_aware() && p.shares.is_zero()) {
        p.lots.push(Lot { shares, cost_basis: amount, acquired: today, id: None });
    }
    p.shares += shares;
    p.spoken = true;
    ctx.bought_now.insert(p.symbol.clone());
    amount
}
