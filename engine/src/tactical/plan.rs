//! The plan of one sleeve's tactical rebalance: its positions (what it holds and what its
//! model targets), the cash, the flow the strategic rebalance asks of it, and the orders
//! and notes made so far; and the context every sleeve shares.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::band::BandSide;
use crate::date::Date;
use crate::holdings::{Holding, Lot};
use crate::mandates::{Mandates, TaxSettings};
use crate::money::to_cent as money;
use crate::money::{Money, Percent};
use crate::orders::{Note, NoteKind, Order, OrderSide, Reason, SleeveTrades, Warning};
use crate::prices::Prices;
use crate::scenario::Scenario;
use crate::securities::TacticalSettings;
use crate::strategy::Model;
use crate::tax::{self, WASH_SALE_DAYS};

/// A security in a sleeve, as planned.
#[derive(Debug, Clone)]
pub(crate) struct Position {
    pub symbol: String,
    pub shares: Decimal,
    pub price: Decimal,
    pub lots: Vec<Lot>,
    /// The target weight in the sleeve, percent, after the mandates.
    pub target: Decimal,
    pub tolerance: Option<BandSide>,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub hold: bool,
    /// Why its target is what it is.
    pub reason: Reason,
    /// Replacement or proxy for which security.
    pub instead_of: Option<String>,
    /// Dollars to trade (positive buys).
    pub delta: Decimal,
    /// Whether do-not-sell keeps it above its model's target (its target is its weight
    /// now, and takes no freed weight).
    pub kept: bool,
    /// Whether an order or a note already speaks for it.
    pub spoken: bool,
}

impl Position {
    /// A security the sleeve does not hold, with no target yet.
    pub fn new(symbol: &str, price: Decimal, tolerance: Option<BandSide>) -> Position {
        Position {
            symbol: symbol.to_owned(),
            shares: Decimal::ZERO,
            price,
            lots: Vec::new(),
            target: Decimal::ZERO,
            tolerance,
            min: None,
            max: None,
            hold: false,
            reason: Reason::Drift,
            instead_of: None,
            delta: Decimal::ZERO,
            kept: false,
            spoken: false,
        }
    }

    /// What the position is worth now, to the cent.
    pub fn value(&self) -> Decimal {
        money(self.shares * self.price)
    }
}

/// A sleeve being rebalanced.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub model: usize,
    pub sleeve: usize,
    pub positions: Vec<Position>,
    pub cash: Decimal,
    pub value_before: Decimal,
    /// The flow the strategic rebalance asks (positive: cash in).
    pub flow_asked: Decimal,
    /// The flow made.
    pub flow: Decimal,
    /// Value moved in kind (positive: received).
    pub transferred: Decimal,
    pub orders: Vec<Order>,
    pub notes: Vec<Note>,
}

impl Plan {
    /// The sleeve's value once it has sent or received what the strategic rebalance asks:
    /// what its securities' target weights are shares of.
    pub fn target_value(&self) -> Decimal {
        (self.value_before + self.flow_asked).max(Decimal::ZERO)
    }

    /// A security's `weight` of this sleeve in words: the percentage, or where a holding
    /// kept unsold is worth more than the whole sleeve's target value (a weight over
    /// 100%), the dollars and that target value, so that no sentence names a share of the
    /// sleeve over 100%.
    pub fn share_words(&self, weight: Decimal) -> String {
        share_words(weight, self.target_value())
    }

    /// The index of `symbol`'s position, opened at `price` when the sleeve has none.
    pub fn position(&mut self, symbol: &str, price: Decimal, tolerance: Option<BandSide>) -> usize {
        match self.positions.iter().position(|p| p.symbol == symbol) {
            Some(k) => k,
            None => {
                self.positions.push(Position::new(symbol, price, tolerance));
                self.positions.len() - 1
            }
        }
    }
}

/// What every sleeve's plan shares: the account, its prices and mandates, the securities
/// harvested so far, the gains realized so far, the warnings.
pub(crate) struct Ctx<'a> {
    pub scenario: &'a Scenario,
    pub prices: Prices,
    pub mandates: &'a Mandates,
    pub tax: &'a TaxSettings,
    pub as_of: Option<Date>,
    pub total: Decimal,
    /// Securities sold at a loss now (harvested or not): no sleeve buys them after.
    pub harvested: BTreeSet<String>,
    pub short_term: Decimal,
    pub long_term: Decimal,
    pub estimated_tax: Decimal,
    /// Losses the wash-sale rule disallowed.
    pub disallowed_loss: Decimal,
    /// Securities bought in this rebalance so far (a harvest's proxy): harvesting one of
    /// them now would be a wash sale.
    pub bought_now: BTreeSet<String>,
    /// Net gain of the tax year's sales that are not forced (do-not-hold): earlier ones
    /// (recent trades), then this rebalance's, harvests included.
    pub ordinary_gains: Decimal,
    pub warnings: Vec<Warning>,
}

impl<'a> Ctx<'a> {
    /// Whether taxes are minded: tax-aware and dated.
    pub fn tax_aware(&self) -> bool {
        self.tax.enabled && self.as_of.is_some()
    }

    /// Why `symbol` cannot be bought, if it cannot.
    pub fn buy_block(&self, symbol: &str, hold: bool) -> Option<(NoteKind, String)> {
        if self.mandates.no_hold(symbol) {
            return Some((NoteKind::Restricted, format!("{symbol} is on the account's do-not-hold list")));
        }
        if self.mandates.no_buy(symbol) {
            return Some((NoteKind::Restricted, format!("{symbol} is on the account's do-not-buy list")));
        }
        if hold {
            return Some((NoteKind::OnHold, format!("the model has {symbol} on hold: no more is bought")));
        }
        if self.tax_aware() {
            if self.harvested.contains(symbol) {
                return Some((
                    NoteKind::WashSale,
                    format!("{symbol} was sold at a loss in this rebalance: buying it within {WASH_SALE_DAYS} days is a wash sale"),
                ));
            }
            if let Some(as_of) = self.as_of {
                if tax::sold_at_loss_recently(symbol, &self.scenario.account.recent_trades, as_of) {
                    return Some((
                        NoteKind::WashSale,
                        format!("{symbol} was sold at a loss in the last {WASH_SALE_DAYS} days: buying it now is a wash sale"),
                    ));
                }
            }
        }
        None
    }

    /// Whether a loss on `symbol` sold now may be a wash sale: it was bought, in any
    /// sleeve, in the window before `as_of` or in this rebalance. Such a loss opens no
    /// room under the gains cap.
    pub fn washable(&self, symbol: &str) -> bool {
        self.bought_now.contains(symbol) || self.as_of.is_some_and(|as_of| self.bought_recently(symbol, as_of))
    }

    /// Whether `symbol` was bought, in any sleeve, in the wash-sale window before `as_of`.
    pub fn bought_recently(&self, symbol: &str, as_of: Date) -> bool {
        let account = &self.scenario.account;
        let lots = account
            .sleeves
            .iter()
            .flat_map(|s| &s.holdings)
            .flat_map(|h| h.lots.iter().map(move |l| (h.symbol.as_str(), l)));
        tax::bought_recently(symbol, lots, &account.recent_trades, as_of)
    }

    /// The smallest trade: the model's or the account's, whichever is larger.
    pub fn min_trade(&self, settings: &TacticalSettings) -> Decimal {
        settings.min_trade.max(self.mandates.min_trade)
    }

    /// The net gain realized so far (short- plus long-term), forced sales included.
    pub fn gains(&self) -> Decimal {
        self.short_term + self.long_term
    }

    /// What the gains cap still allows the ordinary sales: the cap less the net gain of
    /// the account's sales earlier in the tax year (its recent trades) and of every sale
    /// of this rebalance but the do-not-hold ones (which are made anyway and neither use
    /// nor open room). An account-level budget: whatever order the sleeves trade in, the
    /// ordinary sales (harvests included) together realize at most what the cap leaves.
    pub fn gains_room(&self) -> Option<Decimal> {
        self.tax.gains_cap.map(|cap| cap - self.ordinary_gains)
    }

    /// The date trades are made and new lots acquired: the account's `as_of`. An account
    /// without one is not tax-aware, and the terms of its lots are never reported; its
    /// trades are dated at the start of the engine's calendar.
    pub fn trade_date(&self) -> Date {
        self.as_of.unwrap_or_else(|| Date::from_days(0))
    }

    /// Whether `plan`'s model has `symbol` on hold (buy no more of it).
    pub fn on_hold(&self, plan: &Plan, symbol: &str) -> bool {
        self.model(plan).securities.iter().any(|s| s.symbol == symbol && s.hold)
    }

    /// Counts the gains, the tax and the disallowed losses again from `plans`' orders
    /// (after the wash-sale rule restated some).
    pub fn recount(&mut self, plans: &[Plan]) {
        let sales = plans.iter().flat_map(|p| &p.orders).filter(|o| o.side == OrderSide::Sell);
        let (mut st, mut lt, mut tax, mut disallowed) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        for order in sales {
            st += order.short_term_gain;
            lt += order.long_term_gain;
            tax += order.estimated_tax;
            disallowed += order.lots.iter().map(|l| l.disallowed_loss).sum::<Decimal>();
        }
        (self.short_term, self.long_term, self.estimated_tax, self.disallowed_loss) = (st, lt, tax, disallowed);
    }

    /// The model of `plan`.
    pub fn model(&self, plan: &Plan) -> &'a Model {
        &self.scenario.strategy.models[plan.model]
    }
}

/// `amount` of a security at `price` in shares, in steps of `step`: up (a sale that must
/// raise at least `amount`) or down (a purchase that must not spend more).
pub(crate) fn round_shares(amount: Decimal, price: Decimal, step: Decimal, up: bool) -> Decimal {
    if price <= Decimal::ZERO || amount <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let steps = amount / price / step;
    let steps = if up { steps.ceil() } else { steps.floor() };
    (steps * step).normalize()
}

/// What every order of one sleeve shares: its model's id and settings, the share step and
/// the minimum trade.
pub(crate) struct Terms {
    /// The sleeve's model id.
    pub id: String,
    /// The model's tactical settings.
    pub settings: TacticalSettings,
    /// The share step.
    pub step: Decimal,
    /// The smallest trade.
    pub min_trade: Decimal,
}

/// Records why position `i` of `plan` is not traded (or traded less).
pub(crate) fn note(plan: &mut Plan, model_id: &str, i: usize, kind: NoteKind, text: String) {
    if let Some(p) = plan.positions.get_mut(i) {
        p.spoken = true;
        plan.notes.push(Note { sleeve: model_id.to_owned(), symbol: p.symbol.clone(), kind, text });
    }
}

/// The sleeve's positions now: its holdings, then the model's securities it lacks.
pub(crate) fn open(ctx: &Ctx<'_>, m: usize, s: usize, flow_asked: Decimal) -> Plan {
    let sleeve = &ctx.scenario.account.sleeves[s];
    let model = &ctx.scenario.strategy.models[m];
    let price_of = |symbol: &str| ctx.prices.get(symbol).unwrap_or(Decimal::ONE);
    let spec = |symbol: &str| model.securities.iter().find(|x| x.symbol == symbol);
    let position = |symbol: &str, shares: Decimal, lots: Vec<Lot>| {
        let spec = spec(symbol);
        Position {
            shares,
            lots,
            min: spec.and_then(|x| x.min),
            max: spec.and_then(|x| x.max),
            hold: spec.is_some_and(|x| x.hold),
            ..Position::new(symbol, price_of(symbol), spec.and_then(|x| x.tolerance).or(model.tactical.tolerance))
        }
    };
    let mut positions: Vec<Position> =
        sleeve.holdings.iter().map(|h| position(&h.symbol, h.shares, h.lots.clone())).collect();
    for security in &model.securities {
        if !positions.iter().any(|p| p.symbol == security.symbol) {
            positions.push(position(&security.symbol, Decimal::ZERO, Vec::new()));
        }
    }
    Plan {
        model: m,
        sleeve: s,
        positions,
        cash: sleeve.cash,
        value_before: ctx.prices.sleeve_value(sleeve).unwrap_or_default(),
        flow_asked,
        flow: Decimal::ZERO,
        transferred: Decimal::ZERO,
        orders: Vec::new(),
        notes: Vec::new(),
    }
}

/// The id of `plan`'s model.
pub(crate) fn model_id<'a>(ctx: &Ctx<'a>, plan: &Plan) -> &'a str {
    &ctx.scenario.strategy.models[plan.model].id
}

/// The tactical settings of `plan`'s model.
pub(crate) fn settings<'a>(ctx: &Ctx<'a>, plan: &Plan) -> &'a TacticalSettings {
    &ctx.scenario.strategy.models[plan.model].tactical
}

/// The share step: a ten-thousandth with `fractional`, else one share.
pub(crate) fn step_of(settings: &TacticalSettings) -> Decimal {
    if settings.fractional {
        Decimal::new(1, 4)
    } else {
        Decimal::ONE
    }
}

/// [`Plan::share_words`] for a sleeve whose target value is `value`.
pub(crate) fn share_words(weight: Decimal, value: Decimal) -> String {
    if weight <= Decimal::ONE_HUNDRED {
        return Percent(weight).to_string();
    }
    let dollars = money(weight * value / Decimal::ONE_HUNDRED);
    format!("{}, more than the sleeve's target value of {}", Money(dollars), Money(value))
}

/// Why an order on `p` is made, for its sentence (`flow`: the sleeve's flow; `value`: its
/// target value).
pub(crate) fn why(p: &Position, buying: bool, flow: Decimal, value: Decimal) -> String {
    match p.reason {
        Reason::Drift => format!("back toward its target of {}", share_words(p.target, value)),
        Reason::CashFlow if buying => "to invest cash the sleeve holds or receives".to_owned(),
        Reason::CashFlow if flow < Decimal::ZERO => {
            "to raise the cash the sleeve sends to the other sleeves".to_owned()
        }
        Reason::CashFlow => "to raise the cash the sleeve's targets need".to_owned(),
        Reason::DoNotHold => "the account may not hold it".to_owned(),
        Reason::NotInModel => "the model does not hold it".to_owned(),
        Reason::Replacement => {
            format!("the buy list's replacement for {}, which cannot be bought", p.instead_of.as_deref().unwrap_or("?"))
        }
        Reason::ProRata => format!(
            "its pro rata share of the weight {} could not use, toward {}",
            p.instead_of.as_deref().unwrap_or("?"),
            share_words(p.target, value)
        ),
        Reason::Proxy => {
            format!("the proxy for {}, which the wash-sale rule keeps out", p.instead_of.as_deref().unwrap_or("?"))
        }
        Reason::Harvest | Reason::Transfer | Reason::Overshoot => String::new(),
    }
}

/// The sleeve's outcome.
pub(crate) fn close(ctx: &Ctx<'_>, plan: &Plan, target_value: Decimal) -> SleeveTrades {
    let model = &ctx.scenario.strategy.models[plan.model];
    let sleeve = &ctx.scenario.account.sleeves[plan.sleeve];
    let holdings_after: Vec<Holding> = plan
        .positions
        .iter()
        .filter(|p| p.shares > Decimal::ZERO)
        .map(|p| Holding { symbol: p.symbol.clone(), shares: p.shares, price: Some(p.price), lots: p.lots.clone() })
        .collect();
    let value_after =
        holdings_after.iter().map(|h| money(h.shares * h.price.unwrap_or_default())).sum::<Decimal>() + plan.cash;
    let mut orders = plan.orders.clone();
    // Sales (and transfers out) first, as they would be sent.
    orders.sort_by_key(|o| match o.side {
        OrderSide::Sell | OrderSide::TransferOut => 0,
        OrderSide::TransferIn | OrderSide::Buy => 1,
    });
    SleeveTrades {
        model: model.id.clone(),
        name: model.label().to_owned(),
        holdings_listed: true,
        value_before: plan.value_before,
        target_value,
        value_after,
        flow: plan.flow,
        transferred: plan.transferred,
        cash_before: sleeve.cash,
        cash_after: plan.cash,
        orders,
        notes: plan.notes.clone(),
        holdings_after,
    }
}
