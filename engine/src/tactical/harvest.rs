//! Step 1 of the tactical rebalance: tax-loss harvests into the model's proxy.
//!
//! In a tax-aware account with a `harvest` threshold, each lot of a model security whose
//! unrealized loss is at least the threshold is sold, and the proceeds buy the model's
//! `proxy` (whole shares unless `fractional`), unless the security is on do-not-sell, was
//! bought in the wash-sale window before `as_of`, the proxy cannot be bought, or the sale
//! is below the minimum trade. A harvested security is then bought by no sleeve.

use rust_decimal::Decimal;

use crate::date::Date;
use crate::holdings::Lot;
use crate::money::to_cent as money;
use crate::money::Money;
use crate::orders::{NoteKind, Order, OrderSide, Reason};
use crate::tactical::plan::{model_id, note, round_shares, settings, step_of, Ctx, Plan};
use crate::tactical::sale::sale_order;
use crate::tax::{self, Limits, WASH_SALE_DAYS};

/// Harvests the losses of `plan`'s sleeve.
pub(crate) fn harvest(ctx: &mut Ctx<'_>, plan: &mut Plan) {
    let (Some(threshold), Some(as_of)) = (ctx.tax.harvest, ctx.as_of) else { return };
    let Some(proxy) = settings(ctx, plan).proxy.clone() else { return };
    if !ctx.tax_aware() || threshold <= Decimal::ZERO {
        return;
    }
    let model = ctx.model(plan);
    for i in 0..plan.positions.len() {
        let p = &plan.positions[i];
        // Only a security the model holds: one it does not is sold anyway.
        let in_model = model.securities.iter().any(|x| x.symbol == p.symbol);
        if p.symbol == proxy || p.lots.is_empty() || !in_model {
            continue;
        }
        let losing: Vec<usize> = (0..p.lots.len())
            .filter(|&k| p.lots[k].cost_basis - money(p.lots[k].shares * p.price) >= threshold)
            .collect();
        if !losing.is_empty() {
            harvest_lots(ctx, plan, i, &losing, &proxy, as_of);
        }
    }
}

/// Why the losses of position `i` cannot be harvested into `proxy`, if they cannot.
fn blocked(ctx: &Ctx<'_>, plan: &Plan, symbol: &str, proxy: &str, as_of: Date) -> Option<(NoteKind, String)> {
    if ctx.mandates.no_sell(symbol) {
        return Some((NoteKind::Restricted, format!("{symbol} has a loss to harvest but is on the do-not-sell list")));
    }
    if ctx.bought_now.contains(symbol) {
        let text = format!(
            "{symbol} has a loss to harvest, but another sleeve buys it in this rebalance: that would be a wash sale"
        );
        return Some((NoteKind::WashSale, text));
    }
    if ctx.bought_recently(symbol, as_of) {
        let text = format!(
            "{symbol} has a loss to harvest, but it was bought in the last {WASH_SALE_DAYS} days: that would be a wash sale"
        );
        return Some((NoteKind::WashSale, text));
    }
    let hold = ctx.on_hold(plan, proxy);
    ctx.buy_block(proxy, hold).map(|(kind, why)| (kind, format!("{symbol}'s loss is not harvested: {why}")))
}

/// Sells the lots `losing` of position `i` and buys `proxy` with the proceeds.
fn harvest_lots(ctx: &mut Ctx<'_>, plan: &mut Plan, i: usize, losing: &[usize], proxy: &str, as_of: Date) {
    let id = model_id(ctx, plan).to_owned();
    let symbol = plan.positions[i].symbol.clone();
    if let Some((kind, text)) = blocked(ctx, plan, &symbol, proxy, as_of) {
        note(plan, &id, i, kind, text);
        return;
    }
    let price = plan.positions[i].price;
    // Only the losing lots go: sell them by themselves.
    let mut only: Vec<Lot> = losing.iter().map(|&k| plan.positions[i].lots[k].clone()).collect();
    let shares: Decimal = only.iter().map(|l| l.shares).sum();
    let min_trade = ctx.min_trade(settings(ctx, plan));
    if money(shares * price) < min_trade {
        let text = format!(
            "{symbol}'s loss is not harvested: the sale ({}) is below the minimum trade of {}",
            Money(money(shares * price)),
            Money(min_trade)
        );
        note(plan, &id, i, NoteKind::BelowMinimum, text);
        return;
    }
    let sale = tax::sell(&mut only, shares, price, as_of, ctx.tax, Limits::unlimited());
    let position = &mut plan.positions[i];
    for &k in losing {
        position.lots[k].shares = Decimal::ZERO;
    }
    position.lots.retain(|l| !l.shares.is_zero());
    position.shares -= sale.shares;
    position.spoken = true;
    let proceeds = money(sale.shares * price);
    plan.cash += proceeds;
    ctx.harvested.insert(symbol.clone());
    let mut order = sale_order(ctx, &id, &symbol, &sale, price, Reason::Harvest);
    order.text = format!(
        "Sell {} {symbol} at {} ({}): harvests a loss of {}; the proceeds buy the proxy {proxy}.",
        sale.shares.normalize(),
        Money(price),
        Money(proceeds),
        Money(-sale.gain())
    );
    plan.orders.push(order);
    buy_proxy(ctx, plan, proxy, &symbol, proceeds, as_of);
}

/// Buys `proxy` with the `proceeds` of `harvested`'s sale, in whole shares unless
/// fractional, when that is at least the minimum (opening) trade.
fn buy_proxy(ctx: &mut Ctx<'_>, plan: &mut Plan, proxy: &str, harvested: &str, proceeds: Decimal, as_of: Date) {
    let settings = settings(ctx, plan);
    let proxy_price = ctx.prices.get(proxy).unwrap_or(Decimal::ONE);
    let shares = round_shares(proceeds, proxy_price, step_of(settings), false);
    let amount = money(shares * proxy_price);
    let floor = ctx.min_trade(settings).max(settings.min_opening_trade);
    if shares <= Decimal::ZERO || amount < floor {
        return;
    }
    plan.cash -= amount;
    ctx.bought_now.insert(proxy.to_owned());
    let k = plan.position(proxy, proxy_price, settings.tolerance);
    let position = &mut plan.positions[k];
    if matches!(position.reason, Reason::Drift | Reason::NotInModel) {
        position.reason = Reason::Proxy;
        position.instead_of = Some(harvested.to_owned());
    }
    if !position.lots.is_empty() || position.shares.is_zero() {
        position.lots.push(Lot { shares, cost_basis: amount, acquired: as_of, id: None });
    }
    position.shares += shares;
    position.spoken = true;
    let mut order = Order::untaxed(model_id(ctx, plan), proxy, OrderSide::Buy, shares, proxy_price);
    order.reason = Reason::Proxy;
    order.text = format!(
        "Buy {} {proxy} at {} ({}): the proxy for {harvested}, harvested.",
        shares.normalize(),
        Money(proxy_price),
        Money(amount)
    );
    plan.orders.push(order);
}
