//! One sale of a position: its lots in the account's lot order, within the tax settings
//! (no short-term gain when asked, the gains cap), and its order with gains and tax.
//!
//! A do-not-hold sale is *forced*: it is made whatever its size and whatever the tax
//! settings, and says so in a warning when it breaks them.

use rust_decimal::Decimal;

use crate::money::to_cent as money;
use crate::money::Money;
use crate::orders::{Note, NoteKind, Order, OrderSide, Reason, Warning, WarningKind};
use crate::tactical::plan::{model_id, note, why, Ctx, Plan};
use crate::tax::{self, Limits, Sale, Term};

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
    order.text = format!(
        "Sell {} {symbol} at {} ({}): {}{gains}.",
        sale.shares.normalize(),
        Money(price),
        Money(order.amount),
        why(&plan.positions[i], false, plan.flow_asked)
    );
    plan.positions[i].shares -= sale.shares;
    let amount = order.amount;
    plan.orders.push(order);
    amount
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
