//! Taxes of a sale: which lots it takes, the gains it realizes, short- or long-term, and
//! the wash-sale window.
//!
//! - A lot held more than one year on the date of sale (the account's `as_of`) realizes a
//!   long-term gain or loss; otherwise short-term. As the IRS counts it (Publication 550,
//!   "Holding Period"), the holding period starts the day after the acquisition, so a lot
//!   bought 2023-06-15 is short-term when sold on 2024-06-15 and long-term from
//!   2024-06-16; a count of days would be wrong across a leap day (2023-03-01 to
//!   2024-03-01 is 366 days, and still short-term). A lot bought on February 29 is
//!   long-term from March 1 of the next year.
//! - A gain is proceeds (shares × price, to the cent) less the lot's cost basis for those
//!   shares (to the cent); a loss is a negative gain. Estimated tax is each gain at its
//!   rate (a loss saves tax: the estimate is negative).
//! - The wash-sale window runs 30 days either side of a sale at a loss: a security bought
//!   in the 30 days before `as_of` (a lot acquired then, or a recent buy) is not harvested,
//!   and one sold at a loss in those 30 days, or harvested now, is not bought.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::holdings::{Lot, RecentTrade, TradeSide};
use crate::mandates::{LotMethod, TaxSettings};
use crate::money::to_cent as money;

/// Days either side of a loss sale in which a purchase is a wash sale.
pub const WASH_SALE_DAYS: i64 = 30;

/// How long a lot was held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Term {
    /// A year or less.
    Short,
    /// More than a year.
    Long,
}

/// The term of a lot bought on `acquired` and sold on `sold`: long when `sold` is after
/// the acquisition's first anniversary (February 28 for a February 29).
pub fn term(acquired: Date, sold: Date) -> Term {
    let year = acquired.year() + 1;
    let anniversary = Date::new(year, acquired.month(), acquired.day())
        .or_else(|| Date::new(year, acquired.month(), acquired.day() - 1));
    match anniversary {
        Some(anniversary) if sold > anniversary => Term::Long,
        Some(_) => Term::Short,
        // No anniversary within the calendar (a lot bought in 9999): not yet a year.
        None => Term::Short,
    }
}

/// Shares of one lot in a sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotSale {
    /// The lot's id, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When the lot was bought.
    pub acquired: Date,
    /// Shares sold from it.
    pub shares: Decimal,
    /// Their cost basis.
    pub cost_basis: Decimal,
    /// Their proceeds at the price.
    pub proceeds: Decimal,
    /// Proceeds less cost basis: the gain or loss realized, before the wash-sale rule.
    pub gain: Decimal,
    /// Short- or long-term.
    pub term: Term,
    /// The part of a loss the wash-sale rule disallows (0 or more): it is added to the
    /// basis of the replacement shares instead, and the gains totals leave it out.
    #[serde(default)]
    pub disallowed_loss: Decimal,
}

impl LotSale {
    /// The gain or loss that counts for tax: the realized gain plus the disallowed loss.
    pub fn allowed_gain(&self) -> Decimal {
        self.gain + self.disallowed_loss
    }
}

/// What `shares` of `lot` realize at `price`.
pub(crate) fn lot_sale(lot: &Lot, shares: Decimal, price: Decimal, as_of: Date) -> LotSale {
    let cost_basis = if shares == lot.shares { lot.cost_basis } else { money(lot.cost_per_share() * shares) };
    let proceeds = money(shares * price);
    LotSale {
        id: lot.id.clone(),
        acquired: lot.acquired,
        shares,
        cost_basis,
        proceeds,
        gain: proceeds - cost_basis,
        term: term(lot.acquired, as_of),
        disallowed_loss: Decimal::ZERO,
    }
}

/// The tax on `gain` of `term` under `tax`, to the cent (negative for a loss).
pub(crate) fn tax_on(gain: Decimal, term: Term, tax: &TaxSettings) -> Decimal {
    let rate = match term {
        Term::Short => tax.short_term_rate,
        Term::Long => tax.long_term_rate,
    };
    money(gain * rate / Decimal::ONE_HUNDRED)
}

/// The gains `lots` count for tax, short- and long-term (each lot's allowed gain: its
/// gain less any loss the wash-sale rule disallows), and the tax on them under `tax`.
pub(crate) fn gains_by_term(lots: &[LotSale], tax: &TaxSettings) -> (Decimal, Decimal, Decimal) {
    let (mut short, mut long) = (Decimal::ZERO, Decimal::ZERO);
    for part in lots {
        match part.term {
            Term::Short => short += part.allowed_gain(),
            Term::Long => long += part.allowed_gain(),
        }
    }
    (short, long, tax_on(short, Term::Short, tax) + tax_on(long, Term::Long, tax))
}

/// The order in which a sale takes `lots` at `price`: indices into `lots`.
pub(crate) fn lot_order(lots: &[Lot], price: Decimal, as_of: Date, tax: &TaxSettings) -> Vec<usize> {
    let mut order: Vec<usize> = (0..lots.len()).collect();
    match tax.lots {
        LotMethod::HighestCost => {
            order.sort_by(|&a, &b| lots[b].cost_per_share().cmp(&lots[a].cost_per_share()).then(a.cmp(&b)))
        }
        LotMethod::Fifo | LotMethod::Average => {
            order.sort_by(|&a, &b| lots[a].acquired.cmp(&lots[b].acquired).then(a.cmp(&b)))
        }
        LotMethod::Specific => {
            // Named lots first, in the order named; then the highest cost.
            let rank = |lot: &Lot| {
                lot.id.as_ref().and_then(|id| tax.specific.iter().position(|s| s == id)).unwrap_or(usize::MAX)
            };
            order.sort_by(|&a, &b| {
                rank(&lots[a])
                    .cmp(&rank(&lots[b]))
                    .then(lots[b].cost_per_share().cmp(&lots[a].cost_per_share()))
                    .then(a.cmp(&b))
            })
        }
        LotMethod::LowestTax => {
            let tax_per_share = |lot: &Lot| {
                let gain = price - lot.cost_per_share();
                tax_on(gain * Decimal::from(10_000), term(lot.acquired, as_of), tax)
            };
            order.sort_by(|&a, &b| tax_per_share(&lots[a]).cmp(&tax_per_share(&lots[b])).then(a.cmp(&b)))
        }
    }
    order
}

/// What may limit a sale's lots.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Take no lot at a short-term gain.
    pub avoid_short_term_gains: bool,
    /// The net gain the sale may still realize; none: no cap.
    pub gains_room: Option<Decimal>,
    /// Whether a lot sold at a loss adds its loss to the room (not when the loss may be
    /// disallowed as a wash sale).
    pub losses_add_room: bool,
    /// Shares come in steps of this (1 for whole shares).
    pub step: Decimal,
}

impl Limits {
    /// No limit: any lots, any gain, any fraction of a share to a millionth (a harvest of
    /// whole lots, lots moved in kind).
    pub fn unlimited() -> Limits {
        Limits { avoid_short_term_gains: false, gains_room: None, losses_add_room: true, step: Decimal::new(1, 6) }
    }
}

/// A sale from lots.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sale {
    /// Shares sold.
    pub shares: Decimal,
    /// Each lot's part.
    pub lots: Vec<LotSale>,
    /// Shares left unsold because of a short-term gain.
    pub held_for_term: Decimal,
    /// Shares left unsold because of the gains cap.
    pub held_for_cap: Decimal,
}

impl Sale {
    /// Net realized gain.
    pub fn gain(&self) -> Decimal {
        self.lots.iter().map(|l| l.gain).sum()
    }
}

/// Sells up to `wanted` shares of `lots` at `price`, in `tax`'s lot order, within
/// `limits`; `lots` keeps what is left.
pub(crate) fn sell(
    lots: &mut Vec<Lot>,
    wanted: Decimal,
    price: Decimal,
    as_of: Date,
    tax: &TaxSettings,
    limits: Limits,
) -> Sale {
    if tax.lots == LotMethod::Average {
        average_cost(lots);
    }
    let mut sale = Sale::default();
    let mut taken: Vec<(usize, Decimal, Decimal)> = Vec::new();
    let mut room = limits.gains_room;
    let mut left = wanted;
    for i in lot_order(lots, price, as_of, tax) {
        if left <= Decimal::ZERO {
            break;
        }
        let lot = &lots[i];
        let mut take = left.min(lot.shares);
        let gain_per_share = price - lot.cost_per_share();
        if limits.avoid_short_term_gains && gain_per_share > Decimal::ZERO && term(lot.acquired, as_of) == Term::Short {
            sale.held_for_term += take;
            continue;
        }
        if let (Some(r), true) = (room, gain_per_share > Decimal::ZERO) {
            // Room for more shares than a decimal holds is room for all of them.
            let steps = r.max(Decimal::ZERO).checked_div(gain_per_share).and_then(|n| n.checked_div(limits.step));
            let most = steps.map_or(take, |n| (n.floor() * limits.step).min(take));
            if most < take {
                sale.held_for_cap += take - most;
                take = most;
            }
        }
        let mut part = lot_sale(lot, take, price, as_of);
        if let (Some(r), true) = (room, gain_per_share > Decimal::ZERO) {
            // The gain is counted in cents: fewer shares when rounding takes it past the
            // room (one step, or as many as the excess needs).
            for _ in 0..4 {
                let excess = part.gain - r.max(Decimal::ZERO);
                if take <= Decimal::ZERO || excess <= Decimal::ZERO {
                    break;
                }
                let per_step = gain_per_share * limits.step;
                let steps = excess.checked_div(per_step).map_or(Decimal::ONE, |n| n.ceil().max(Decimal::ONE));
                let back = (steps * limits.step).min(take);
                take -= back;
                sale.held_for_cap += back;
                part = lot_sale(lot, take, price, as_of);
            }
        }
        if take <= Decimal::ZERO {
            continue;
        }
        if let Some(r) = room.as_mut() {
            if part.gain > Decimal::ZERO || limits.losses_add_room {
                *r -= part.gain;
            }
        }
        left -= take;
        sale.shares += take;
        taken.push((i, take, part.cost_basis));
        sale.lots.push(part);
    }
    // Only what the sale fell short by was held back.
    let short = (wanted - sale.shares).max(Decimal::ZERO);
    sale.held_for_cap = sale.held_for_cap.min(short);
    sale.held_for_term = sale.held_for_term.min(short - sale.held_for_cap);
    for (i, shares, basis) in taken {
        let lot = &mut lots[i];
        lot.shares -= shares;
        lot.cost_basis = (lot.cost_basis - basis).max(Decimal::ZERO);
    }
    lots.retain(|l| !l.shares.is_zero());
    sale
}

/// Gives every lot the holding's average cost per share (to the cent, the total kept).
fn average_cost(lots: &mut [Lot]) {
    let shares: Decimal = lots.iter().map(|l| l.shares).sum();
    let basis: Decimal = lots.iter().map(|l| l.cost_basis).sum();
    if shares.is_zero() {
        return;
    }
    let mut left = basis;
    let last = lots.len().saturating_sub(1);
    for (k, lot) in lots.iter_mut().enumerate() {
        lot.cost_basis = if k == last { left } else { money(crate::money::pro_rata(basis, lot.shares, shares)) };
        left -= lot.cost_basis;
    }
}

/// Whether `symbol` was bought in the window before `as_of`: a lot acquired then (in any
/// sleeve) or a recent buy.
pub(crate) fn bought_recently<'a>(
    symbol: &str,
    lots: impl IntoIterator<Item = (&'a str, &'a Lot)>,
    recent: &[RecentTrade],
    as_of: Date,
) -> bool {
    let within = |date: Date| (0..=WASH_SALE_DAYS).contains(&(as_of.days() - date.days()));
    lots.into_iter().any(|(s, lot)| s == symbol && within(lot.acquired))
        || recent.iter().any(|t| t.symbol == symbol && t.side == TradeSide::Buy && within(t.date))
}

/// Whether `symbol` was sold at a loss in the window before `as_of`.
pub(crate) fn sold_at_loss_recently(symbol: &str, recent: &[RecentTrade], as_of: Date) -> bool {
    recent.iter().any(|t| {
        t.symbol == symbol
            && t.side == TradeSide::Sell
            && t.gain < Decimal::ZERO
            && (0..=WASH_SALE_DAYS).contains(&(as_of.days() - t.date.days()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(text: &str) -> Date {
        text.parse().unwrap()
    }

    fn lots() -> Vec<Lot> {
        vec![
            Lot { shares: dec!(10), cost_basis: dec!(500), acquired: d("2020-01-15"), id: None }, // $50, long
            Lot { shares: dec!(10), cost_basis: dec!(1200), acquired: d("2026-06-01"), id: None }, // $120, short
            Lot { shares: dec!(10), cost_basis: dec!(900), acquired: d("2026-09-01"), id: None }, // $90, short
        ]
    }

    fn tax(method: LotMethod) -> TaxSettings {
        TaxSettings {
            enabled: true,
            short_term_rate: dec!(37),
            long_term_rate: dec!(20),
            lots: method,
            ..TaxSettings::default()
        }
    }

    const NONE: Limits =
        Limits { avoid_short_term_gains: false, gains_room: None, losses_add_room: true, step: Decimal::ONE };

    #[test]
    fn lot_methods_order_the_lots() {
        let as_of = d("2026-11-24");
        let price = dec!(100);
        assert_eq!(lot_order(&lots(), price, as_of, &tax(LotMethod::HighestCost)), [1, 2, 0]);
        assert_eq!(lot_order(&lots(), price, as_of, &tax(LotMethod::Fifo)), [0, 1, 2]);
        // Tax per share: lot 1 a short-term loss (−20 × 37% = −7.40), lot 0 a long-term
        // gain (50 × 20% = 10.00), lot 2 a short-term gain (10 × 37% = 3.70).
        assert_eq!(lot_order(&lots(), price, as_of, &tax(LotMethod::LowestTax)), [1, 2, 0]);
        assert_eq!(term(d("2025-11-24"), as_of), Term::Short);
        assert_eq!(term(d("2025-11-23"), as_of), Term::Long);
    }

    #[test]
    fn holding_periods_count_from_the_day_after_acquisition() {
        // Publication 550: more than one year, counted from the day after acquisition.
        assert_eq!(term(d("2023-06-15"), d("2024-06-15")), Term::Short);
        assert_eq!(term(d("2023-06-15"), d("2024-06-16")), Term::Long);
        assert_eq!(term(d("2023-06-15"), d("2024-06-17")), Term::Long);
        // Across a leap day: 366 days and still short-term.
        assert_eq!(term(d("2023-03-01"), d("2024-03-01")), Term::Short);
        assert_eq!(term(d("2023-03-01"), d("2024-03-02")), Term::Long);
        // Bought on February 29: a year is up on February 28.
        assert_eq!(term(d("2024-02-29"), d("2025-02-28")), Term::Short);
        assert_eq!(term(d("2024-02-29"), d("2025-03-01")), Term::Long);
        assert_eq!(term(d("2024-12-31"), d("2025-12-31")), Term::Short);
        assert_eq!(term(d("2024-12-31"), d("2026-01-01")), Term::Long);
        assert_eq!(term(d("9999-01-01"), d("9999-12-31")), Term::Short);
    }

    #[test]
    fn sales_take_lots_and_obey_limits() {
        let as_of = d("2026-11-24");
        let mut held = lots();
        let sale = sell(&mut held, dec!(15), dec!(100), as_of, &tax(LotMethod::HighestCost), NONE);
        assert_eq!(sale.shares, dec!(15));
        // 10 of the $120 lot (−$200), 5 of the $90 lot (+$50).
        assert_eq!(sale.gain(), dec!(-150));
        assert_eq!(held.iter().map(|l| l.shares).sum::<Decimal>(), dec!(15));
        assert_eq!(held[1].cost_basis, dec!(450));

        let mut held = lots();
        let avoid = Limits { avoid_short_term_gains: true, ..NONE };
        let sale = sell(&mut held, dec!(25), dec!(100), as_of, &tax(LotMethod::HighestCost), avoid);
        // The short-term gain lot (at $90) is kept; the loss and the long-term lot go, 5
        // shares short of the 25 wanted.
        assert_eq!((sale.shares, sale.held_for_term), (dec!(20), dec!(5)));

        let mut held = lots();
        let capped = Limits { gains_room: Some(dec!(120)), ..NONE };
        let sale = sell(&mut held, dec!(30), dec!(100), as_of, &tax(LotMethod::Fifo), capped);
        // FIFO: the $50 lot gains $50 a share, so 2 shares fit the $120 room; the $120
        // lot's loss adds $200 of room; then 10 shares of the $90 lot ($100) fit.
        assert_eq!(sale.lots.iter().map(|l| l.shares).collect::<Vec<_>>(), [dec!(2), dec!(10), dec!(10)]);
        assert_eq!(sale.held_for_cap, dec!(8));
        assert!(sale.gain() <= dec!(120));
    }
}
