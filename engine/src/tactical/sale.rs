//! One sale of a position: its lots in the account's lot order, within the tax settings
//! (no short-term gain when asked, the gains cap), and its order with gains and tax.
//!
//! A do-not-hold sale is *forced*: it is made whatever its size and whatever the tax
//! settings, and says so in a warning when it breaks them.

use rust_decimal::Decimal;

use crate::holdings::Lot;
use crate::money::to_cent as money;
use crate::money::Money;
use crate::orders::{Note, NoteKind, Order, OrderSide, Reason, Warning, WarningKind};
use crate::tactical::plan::{model_id, note, why, Ctx, Plan};
use crate::tax::{self, Limits, LotSale, Sale, Term};

/// A sale to make of one position of a plan.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SaleRequest {
    /// The position.
    pub i: usize,
    /// Shares wanted.
    pub wanted: Decimal,
    /// A do-not-hold sale: any size, whatever the tax settings.
    pub forced: bool,
    /// The share step (1, or a ten-thousandth with `fractional`).
    pub step: Decimal,
    /// The smallest trade allowed.
    pub min_trade: Decimal,
}

/// The order of `sale` of `symbol` at `price` in `sleeve`, its gains counted in the
/// account's totals when taxes are minded.
pub(crate) fn sale_order(
    ctx: &mut Ctx<'_>,
    sleeve: &str,
    symbol: &str,
    sale: &Sale,
    price: Decimal,
    reason: Reason,
) -> Order {
    let mut order = Order::untaxed(sleeve, symbol, OrderSide::Sell, sale.shares, price);
    order.reason = reason;
    if !ctx.tax_aware() {
        return order;
    }
    // Nothing is disallowed yet: the wash-sale rule restates the orders once all are made.
    let (st, lt, estimated_tax) = tax::gains_by_term(&sale.lots, ctx.tax);
    ctx.short_term += st;
    ctx.long_term += lt;
    if reason != Reason::DoNotHold {
        // A loss the wash-sale rule may disallow opens no room under the gains cap.
        let washable = ctx.washable(symbol);
        ctx.ordinary_gains +=
            sale.lots.iter().map(|l| l.gain).filter(|g| *g > Decimal::ZERO || !washable).sum::<Decimal>();
    }
    if sale.lots.iter().any(|l| l.gain < Decimal::ZERO) {
        ctx.harvested.insert(symbol.to_owned());
    }
    ctx.estimated_tax += estimated_tax;
    order.lots = sale.lots.clone();
    order.short_term_gain = st;
    order.long_term_gain = lt;
    order.estimated_tax = estimated_tax;
    order
}

/// Sells what `request` asks of `plan`'s position, within the tax settings, and returns
/// the cash raised (0 when no sale is made, and a note says why).
pub(crate) fn sell_position(ctx: &mut Ctx<'_>, plan: &mut Plan, request: SaleRequest) -> Decimal {
    let SaleRequest { i, wanted, forced, step, min_trade } = request;
    let id = model_id(ctx, plan).to_owned();
    let (symbol, price) = (plan.positions[i].symbol.clone(), plan.positions[i].price);
    let mut lots = plan.positions[i].lots.clone();
    let sale = if lots.is_empty() {
        Sale { shares: wanted, ..Default::default() }
    } else {
        let aware = ctx.tax_aware() && !forced;
        let limits = Limits {
            avoid_short_term_gains: aware && ctx.tax.avoid_short_term_gains,
            gains_room: if aware { ctx.gains_room() } else { None },
            losses_add_room: !ctx.washable(&symbol),
            step,
        };
        tax::sell(&mut lots, wanted, price, ctx.trade_date(), ctx.tax, limits)
    };
    if !forced && sale.shares > Decimal::ZERO && money(sale.shares * price) < min_trade {
        // The tax settings cut the sale below the minimum trade: none is made.
        let text = format!(
            "{symbol}: the tax settings leave a sale of {}, below the minimum trade of {}",
            Money(money(sale.shares * price)),
            Money(min_trade)
        );
        note(plan, &id, i, NoteKind::BelowMinimum, text);
        return Decimal::ZERO;
    }
    plan.positions[i].lots = lots;
    note_held_back(plan, &id, &symbol, &sale);
    plan.positions[i].spoken = true;
    if sale.shares <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    if forced {
        warn_if_tax_overridden(ctx, &id, &symbol, &sale);
    }
    let mut order = sale_order(ctx, &id, &symbol, &sale, price, plan.positions[i].reason);
    order.text = sale_text(&order, &why(&plan.positions[i], false, plan.flow_asked, plan.target_value()));
    plan.positions[i].shares -= sale.shares;
    let amount = order.amount;
    plan.orders.push(order);
    amount
}

/// The sentence of a sale `order` made for `reason`.
fn sale_text(order: &Order, reason: &str) -> String {
    let gains = if order.lots.is_empty() {
        String::new()
    } else {
        format!(
            "; realizes {} short-term and {} long-term, about {} of tax",
            Money(order.short_term_gain),
            Money(order.long_term_gain),
            Money(order.estimated_tax)
        )
    };
    format!(
        "Sell {} {} at {} ({}): {reason}{gains}.",
        order.shares.normalize(),
        order.symbol,
        Money(order.price),
        Money(order.amount)
    )
}

/// Sells `less` fewer shares in order `k`, the sale of position `i`: the shares come back
/// from the lots sold last, as they would from a smaller sale, and the gains, the tax and
/// the gains-cap budget are counted again. Returns the cash the sale raises less, or
/// `None` (and changes nothing) when the lots sold are not known (an account that does
/// not mind taxes keeps no record of them).
pub(crate) fn sell_less(ctx: &mut Ctx<'_>, plan: &mut Plan, i: usize, k: usize, less: Decimal) -> Option<Decimal> {
    let today = ctx.trade_date();
    let value = plan.target_value();
    let order = &mut plan.orders[k];
    let position = &mut plan.positions[i];
    let sold: Decimal = order.lots.iter().map(|l| l.shares).sum();
    if !position.lots.is_empty() && sold < less {
        return None;
    }
    let counted = |lots: &[LotSale], washable: bool| -> Decimal {
        lots.iter().map(|l| l.gain).filter(|g| *g > Decimal::ZERO || !washable).sum()
    };
    let washable = ctx.washable(&order.symbol);
    let counted_before = counted(&order.lots, washable);
    let refund = order.amount - money((order.shares - less) * order.price);
    order.shares -= less;
    order.amount -= refund;
    position.shares += less;
    let mut left = less;
    while left > Decimal::ZERO {
        let Some(last) = order.lots.last_mut() else { break };
        let back = left.min(last.shares);
        let sold =
            Lot { shares: last.shares, cost_basis: last.cost_basis, acquired: last.acquired, id: last.id.clone() };
        let keep = last.shares - back;
        let kept_basis = if keep.is_zero() { Decimal::ZERO } else { money(sold.cost_per_share() * keep) };
        let returned = Lot { shares: back, cost_basis: sold.cost_basis - kept_basis, ..sold.clone() };
        if keep.is_zero() {
            order.lots.pop();
        } else {
            *last = tax::lot_sale(&sold, keep, order.price, today);
        }
        match position.lots.iter_mut().find(|l| l.acquired == returned.acquired && l.id == returned.id) {
            Some(lot) => {
                lot.shares += returned.shares;
                lot.cost_basis += returned.cost_basis;
            }
            None => position.lots.push(returned),
        }
        left -= back;
    }
    position.lots.sort_by_key(|l| l.acquired);
    if ctx.tax_aware() && !order.lots.is_empty() {
        let (st, lt, estimated_tax) = tax::gains_by_term(&order.lots, ctx.tax);
        ctx.short_term += st - order.short_term_gain;
        ctx.long_term += lt - order.long_term_gain;
        ctx.estimated_tax += estimated_tax - order.estimated_tax;
        if order.reason != Reason::DoNotHold {
            ctx.ordinary_gains += counted(&order.lots, washable) - counted_before;
        }
        (order.short_term_gain, order.long_term_gain, order.estimated_tax) = (st, lt, estimated_tax);
    }
    order.text = sale_text(order, &why(position, false, plan.flow_asked, value));
    Some(refund)
}

/// Notes the shares the tax settings held back from `sale`.
fn note_held_back(plan: &mut Plan, id: &str, symbol: &str, sale: &Sale) {
    let mut push = |kind, text| plan.notes.push(Note { sleeve: id.to_owned(), symbol: symbol.to_owned(), kind, text });
    if sale.held_for_term > Decimal::ZERO {
        let shares = sale.held_for_term.normalize();
        push(
            NoteKind::ShortTermGain,
            format!("{symbol}: {shares} shares are not sold, to avoid realizing a short-term gain"),
        );
    }
    if sale.held_for_cap > Decimal::ZERO {
        let shares = sale.held_for_cap.normalize();
        push(NoteKind::GainsCap, format!("{symbol}: {shares} shares are not sold, to stay within the gains cap"));
    }
}

/// Warns when a forced (do-not-hold) sale realizes gains the tax settings would refuse.
fn warn_if_tax_overridden(ctx: &mut Ctx<'_>, id: &str, symbol: &str, sale: &Sale) {
    if !ctx.tax_aware() {
        return;
    }
    let over_cap = ctx.tax.gains_cap.is_some_and(|cap| ctx.gains() + sale.gain() > cap);
    let short_gain =
        ctx.tax.avoid_short_term_gains && sale.lots.iter().any(|l| l.term == Term::Short && l.gain > Decimal::ZERO);
    if over_cap || short_gain {
        ctx.warnings.push(Warning {
            kind: WarningKind::TaxOverridden,
            sleeve: Some(id.to_owned()),
            symbol: Some(symbol.to_owned()),
            text: format!("{symbol} is sold whatever the tax settings: the account may not hold it."),
        });
    }
}
