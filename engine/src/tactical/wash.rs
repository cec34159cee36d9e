//! Step 8 of the tactical rebalance: wash sales, accounted as the IRS accounts them
//! (Publication 550, "Wash Sales"), in a tax-aware account.
//!
//! A sale at a loss is a wash sale to the extent that substantially identical shares are
//! acquired within 30 days before or after it. The engine takes "substantially identical"
//! to mean the same symbol (a model's proxy or a buy-list replacement is taken as not
//! substantially identical), and looks for replacement shares in every sleeve of the
//! account once every order is made: the lots held after the rebalance that were
//! acquired in the 30 days up to the sale, this rebalance's own purchases among them
//! (dated `as_of`, the day of the sale; a purchase into a position whose lots are not
//! tracked counts too, though its basis cannot be adjusted here). The rest of the lot the
//! loss shares came from is
//! not a replacement (the acquisition of the shares sold is not one). Shares moved
//! between sleeves in kind keep their dates, so they count only if they were bought in
//! the window.
//!
//! For each loss, lot by lot in the order the sales were made, the engine:
//!
//! - matches the sold shares with replacement shares in the order those were acquired,
//!   beginning with the first (a replacement share serves one sale only);
//! - reports the loss on the matched shares as the lot's `disallowed_loss`, and counts
//!   only the rest in the order's gains, the totals and the tax estimate;
//! - adds the disallowed loss to the cost basis of the replacement shares, and moves
//!   their acquisition date back by the holding period of the shares sold (splitting a
//!   replacement lot when only some of its shares are matched);
//! - names the replacement shares in the order's sentence.
//!
//! Purchases after the rebalance are the next rebalance's to avoid: it sees this one's
//! sales among the account's recent trades and does not buy the security in the window.

use rust_decimal::Decimal;

use crate::date::Date;
use crate::holdings::Lot;
use crate::mandates::TaxSettings;
use crate::money::pro_rata;
use crate::money::to_cent as money;
use crate::money::Money;
use crate::orders::{Order, OrderSide};
use crate::tactical::plan::Plan;
use crate::tax::{gains_by_term, WASH_SALE_DAYS};

/// A lot that may replace shares sold at a loss.
struct Candidate {
    plan: usize,
    position: usize,
    /// The lot, or `None` for shares bought now into a position whose lots are not
    /// tracked (matched all the same, with no basis to adjust).
    lot: Option<usize>,
    symbol: String,
    acquired: Date,
    /// Shares not matched yet.
    left: Decimal,
    /// The matches made: (shares, disallowed loss, days the holding period goes back).
    pieces: Vec<(Decimal, Decimal, i64)>,
}

/// Accounts every wash sale of `plans` (sleeves of models `ids`), sold on `date`, and
/// restates the orders' gains and taxes under `tax`.
pub(crate) fn account_wash_sales(plans: &mut [Plan], ids: &[&str], date: Date, tax: &TaxSettings) {
    let mut candidates = replacements(plans, date);
    for k in 0..plans.len() {
        for o in 0..plans[k].orders.len() {
            if plans[k].orders[o].side != OrderSide::Sell {
                continue;
            }
            let mut named = Vec::new();
            for l in 0..plans[k].orders[o].lots.len() {
                named.extend(match_loss(plans, &mut candidates, (k, o, l), date));
            }
            let order = &mut plans[k].orders[o];
            restate(order, tax);
            if !named.is_empty() {
                describe(order, &named, ids);
            }
        }
    }
    apply(plans, candidates);
}

/// Every lot held after the trades and acquired in the window up to `date`, the earliest
/// first (then in the order of the sleeves, positions and lots).
fn replacements(plans: &[Plan], date: Date) -> Vec<Candidate> {
    let window = |d: Date| (0..=WASH_SALE_DAYS).contains(&(date.days() - d.days()));
    let mut out = Vec::new();
    for (k, plan) in plans.iter().enumerate() {
        for (i, position) in plan.positions.iter().enumerate() {
            for (l, lot) in position.lots.iter().enumerate() {
                if window(lot.acquired) && lot.shares > Decimal::ZERO {
                    out.push(Candidate {
                        plan: k,
                        position: i,
                        lot: Some(l),
                        symbol: position.symbol.clone(),
                        acquired: lot.acquired,
                        left: lot.shares,
                        pieces: Vec::new(),
                    });
                }
            }
        }
    }
    // Purchases of this rebalance into positions that track no lots.
    for (k, plan) in plans.iter().enumerate() {
        for order in plan.orders.iter().filter(|o| o.side == OrderSide::Buy) {
            let Some(i) = plan.positions.iter().position(|p| p.symbol == order.symbol) else { continue };
            if plan.positions[i].lots.is_empty() {
                out.push(Candidate {
                    plan: k,
                    position: i,
                    lot: None,
                    symbol: order.symbol.clone(),
                    acquired: date,
                    left: order.shares,
                    pieces: Vec::new(),
                });
            }
        }
    }
    out.sort_by_key(|c| c.acquired);
    out
}

/// Matches the loss of lot `l` of order `o` of plan `k`, if it is one; returns the
/// replacements used as (plan, shares, disallowed loss).
fn match_loss(
    plans: &mut [Plan],
    candidates: &mut [Candidate],
    (k, o, l): (usize, usize, usize),
    date: Date,
) -> Vec<(usize, Decimal, Decimal)> {
    let order = &plans[k].orders[o];
    let sold = order.lots[l].clone();
    if sold.gain >= Decimal::ZERO {
        return Vec::new();
    }
    let position = plans[k].positions.iter().position(|p| p.symbol == order.symbol);
    let mut wanted = sold.shares;
    let mut used = Vec::new();
    let mut disallowed_total = Decimal::ZERO;
    for c in candidates.iter_mut().filter(|c| c.symbol == order.symbol && c.left > Decimal::ZERO) {
        // The rest of the very lot the shares were sold from is no replacement.
        if c.plan == k && Some(c.position) == position && c.acquired == sold.acquired {
            continue;
        }
        let matched = wanted.min(c.left);
        let loss = -sold.gain;
        let disallowed = if matched == sold.shares { loss } else { money(pro_rata(loss, matched, sold.shares)) };
        let disallowed = disallowed.min(loss - disallowed_total);
        c.left -= matched;
        c.pieces.push((matched, disallowed, date.days() - sold.acquired.days()));
        used.push((c.plan, matched, disallowed));
        disallowed_total += disallowed;
        wanted -= matched;
        if wanted <= Decimal::ZERO {
            break;
        }
    }
    plans[k].orders[o].lots[l].disallowed_loss = disallowed_total;
    used
}

/// The order's gains and tax, counting only the allowed part of each lot's loss.
fn restate(order: &mut Order, tax: &TaxSettings) {
    (order.short_term_gain, order.long_term_gain, order.estimated_tax) = gains_by_term(&order.lots, tax);
}

/// Says in the order's sentence which replacement shares took the disallowed loss.
fn describe(order: &mut Order, named: &[(usize, Decimal, Decimal)], ids: &[&str]) {
    let disallowed: Decimal = named.iter().map(|(_, _, d)| *d).sum();
    let to: Vec<String> = named
        .iter()
        .map(|&(p, shares, d)| format!("{} to {} {} in {}", Money(d), shares.normalize(), order.symbol, ids[p]))
        .collect();
    let text = order.text.trim_end_matches('.');
    order.text = format!(
        "{text}. Wash sale: {} of the loss is disallowed, as {} was bought in the {WASH_SALE_DAYS} days up to the sale; it is added to the basis of the replacement shares ({}), so the sale counts {} short-term and {} long-term, about {} of tax.",
        Money(disallowed),
        order.symbol,
        to.join(", "),
        Money(order.short_term_gain),
        Money(order.long_term_gain),
        Money(order.estimated_tax)
    );
}

/// Adds each disallowed loss to its replacement shares' basis and moves their date back,
/// splitting lots where only some shares were matched.
fn apply(plans: &mut [Plan], mut candidates: Vec<Candidate>) {
    // Last lots first, so that splitting a lot leaves the indices of the others valid.
    candidates.sort_by_key(|c| std::cmp::Reverse((c.plan, c.position, c.lot)));
    for c in candidates.into_iter().filter(|c| !c.pieces.is_empty()) {
        let Some(at) = c.lot else { continue };
        let lots = &mut plans[c.plan].positions[c.position].lots;
        let lot = lots[at].clone();
        let (mut shares, mut basis) = (lot.shares, lot.cost_basis);
        let mut pieces: Vec<Lot> = Vec::new();
        for (matched, disallowed, back) in c.pieces {
            let part = if matched == shares { basis } else { money(lot.cost_per_share() * matched) };
            shares -= matched;
            basis -= part;
            let acquired = Date::from_days(lot.acquired.days() - back);
            pieces.push(Lot { shares: matched, cost_basis: part + disallowed, acquired, id: lot.id.clone() });
        }
        if shares > Decimal::ZERO {
            pieces.push(Lot {
                shares,
                cost_basis: basis.max(Decimal::ZERO),
                acquired: lot.acquired,
                id: lot.id.clone(),
            });
        }
        lots.splice(at..=at, pieces);
    }
}
