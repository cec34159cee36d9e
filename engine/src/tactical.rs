//! The tactical rebalance: inside each sleeve, the orders that bring its securities back
//! toward its model after the strategic rebalance has set the sleeve's dollar value,
//! under the manager's settings and the account's mandates.
//!
//! # The rules
//!
//! Every sleeve that lists its holdings is planned, then traded:
//!
//! 1. **Harvest** (tax-aware accounts with `harvest` set, models with a `proxy`): each lot
//!    whose unrealized loss is at least the threshold is sold and the proceeds buy the
//!    proxy, unless the security was bought in the 30 days before `as_of` or is on
//!    do-not-sell, or the proxy cannot be bought. A harvested security is then bought by no
//!    sleeve (the wash-sale window).
//! 2. **Targets.** Each security's target weight is its model's (a share-based model's
//!    shares per unit at today's prices; a model that lists no securities keeps the
//!    holdings' proportions; a security the model does not list has target 0). Then the
//!    mandates: a do-not-hold security's target is 0; one that cannot be bought (do-not-buy,
//!    on hold, or a wash sale) keeps at most its weight now; one on do-not-sell at least
//!    its weight now. The weight freed goes where the model's `unspent_cash` says: kept as
//!    cash, spread pro rata over the securities that can be bought, or to the security's
//!    replacement on the buy list; a wash sale's goes to the proxy. A weight range (`min`,
//!    `max`) bounds every target.
//! 3. **Drift.** A security whose weight is outside its tolerance (its own, else the
//!    model's; none: any drift) or its range, or that must go, is traded to its target;
//!    one inside is left alone.
//! 4. **Cash flow.** The sleeve's cash plus what the strategic rebalance sends it (minus
//!    what it must send) must end at its cash target (what the weights leave): too little,
//!    and purchases shrink first, then every sellable security sells pro rata; too much,
//!    and every security that can be bought buys pro rata to its target.
//! 5. **Transfers in kind.** Where a sleeve that sends cash sells a security that a sleeve
//!    receiving cash buys, the shares move between them at the price, with their lots, in
//!    place of that much of the cash: no trade and no tax.
//! 6. **Orders**, sleeves that send cash first, those that receive it last (with what the
//!    others actually raised): sales round up to whole shares (or to a ten-thousandth with
//!    `fractional`), never beyond what is held; purchases round down and never spend cash
//!    the sleeve does not have. A trade below the minimum trade (the model's or the
//!    account's, whichever is larger), or a first purchase below the minimum opening
//!    trade, is not made; do-not-hold sales are made whatever their size and whatever the
//!    tax settings. Tax-aware sales take lots in the chosen order, skip short-term gains
//!    when asked, and stop at the gains cap.
//! 7. **Short or over.** A sleeve that cannot raise what it must send may sell one more
//!    security past its dollar target, if that stays within the model's `overshoot`
//!    allowance (points of the account) and inside the model's band; otherwise it stops
//!    short, says so, and the sleeves it was to pay receive less, pro rata.
//!
//! Nothing here panics or skips silently: every security of every planned sleeve gets an
//! order or a note saying why not, and conflicts or infeasible mandates are warnings.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::band::BandSide;
use crate::calendar::Date;
use crate::holdings::{Holding, Lot};
use crate::mandates::{Mandates, TaxSettings};
use crate::money::to_cent as money;
use crate::money::{Money, Percent};
use crate::scenario::{Prices, Scenario};
use crate::securities::{TacticalSettings, UnspentCash};
use crate::strategic::Rebalance;
use crate::tax::{self, Limits, LotSale, Term};

/// What an order does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderSide {
    /// Buys shares in the market.
    Buy,
    /// Sells shares in the market.
    Sell,
    /// Receives shares from another sleeve (no trade).
    TransferIn,
    /// Gives shares to another sleeve (no trade).
    TransferOut,
}

impl OrderSide {
    /// The name used in JSON and CSV.
    pub fn name(self) -> &'static str {
        match self {
            OrderSide::Buy => "buy",
            OrderSide::Sell => "sell",
            OrderSide::TransferIn => "transfer_in",
            OrderSide::TransferOut => "transfer_out",
        }
    }
}

/// Why an order is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The security drifted outside its tolerance.
    Drift,
    /// The sleeve's cash flow: cash to raise or to invest.
    CashFlow,
    /// The account may not hold the security.
    DoNotHold,
    /// The model does not list the security.
    NotInModel,
    /// The buy-list replacement of a security that cannot be bought.
    Replacement,
    /// A share of a weight another security could not use.
    ProRata,
    /// A tax-loss harvest.
    Harvest,
    /// The proxy bought with a harvest's proceeds, or in place of a wash sale.
    Proxy,
    /// Shares moved in kind between sleeves.
    Transfer,
    /// A sale past the sleeve's dollar target, within the overshoot allowance.
    Overshoot,
}

impl Reason {
    /// The name used in JSON and CSV.
    pub fn name(self) -> &'static str {
        match self {
            Reason::Drift => "drift",
            Reason::CashFlow => "cash_flow",
            Reason::DoNotHold => "do_not_hold",
            Reason::NotInModel => "not_in_model",
            Reason::Replacement => "replacement",
            Reason::ProRata => "pro_rata",
            Reason::Harvest => "harvest",
            Reason::Proxy => "proxy",
            Reason::Transfer => "transfer",
            Reason::Overshoot => "overshoot",
        }
    }
}

/// One order of the blotter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    /// The sleeve's model id.
    pub sleeve: String,
    /// The security.
    pub symbol: String,
    /// What the order does.
    pub side: OrderSide,
    /// Shares.
    pub shares: Decimal,
    /// The price it is estimated at.
    pub price: Decimal,
    /// Shares × price, to the cent.
    pub amount: Decimal,
    /// Why.
    pub reason: Reason,
    /// The order in a sentence.
    pub text: String,
    /// For a transfer, the other sleeve.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterparty: Option<String>,
    /// The lots a sale takes (tax-aware accounts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lots: Vec<LotSale>,
    /// Short-term gain realized (negative: a loss).
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    pub short_term_gain: Decimal,
    /// Long-term gain realized.
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    pub long_term_gain: Decimal,
    /// The tax those gains cost (negative: saved).
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    pub estimated_tax: Decimal,
}

/// Why a security was not traded, or was traded less than its model asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// On its target, or inside its tolerance.
    InsideTolerance,
    /// The trade would be below the minimum trade or minimum opening trade.
    BelowMinimum,
    /// A mandate forbids it (do-not-buy, do-not-sell, do-not-hold).
    Restricted,
    /// The model has it on hold.
    OnHold,
    /// The wash-sale rule forbids it.
    WashSale,
    /// Whole shares round it to nothing.
    Rounding,
    /// Its lots would realize a short-term gain.
    ShortTermGain,
    /// The gains cap stops it.
    GainsCap,
    /// Cash a restriction left unspent, and where it went.
    Unspent,
    /// The sleeve ran out of cash to buy it.
    NoCash,
}

/// A note on one security of one sleeve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// The sleeve's model id.
    pub sleeve: String,
    /// The security.
    pub symbol: String,
    /// Which kind of reason.
    pub kind: NoteKind,
    /// The reason in a sentence.
    pub text: String,
}

/// What kind of trouble a warning reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// Two mandates contradict each other (do-not-hold and do-not-sell).
    Conflict,
    /// A mandate or setting cannot be met (everything restricted, a minimum trade larger
    /// than the sleeve).
    Infeasible,
    /// A sleeve could not raise all it was to send.
    StoppedShort,
    /// A sleeve sold past its dollar target.
    Overshoot,
    /// A do-not-hold sale realized gains beyond the tax settings.
    TaxOverridden,
}

impl WarningKind {
    /// The name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            WarningKind::Conflict => "conflict",
            WarningKind::Infeasible => "infeasible",
            WarningKind::StoppedShort => "stopped_short",
            WarningKind::Overshoot => "overshoot",
            WarningKind::TaxOverridden => "tax_overridden",
        }
    }
}

/// A warning about the whole rebalance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// What kind.
    pub kind: WarningKind,
    /// The sleeve concerned, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sleeve: Option<String>,
    /// The security concerned, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symbol: Option<String>,
    /// The warning in a sentence.
    pub text: String,
}

/// One sleeve's tactical rebalance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SleeveTrades {
    /// The model's id.
    pub model: String,
    /// The model's name.
    pub name: String,
    /// Whether the sleeve lists holdings (a sleeve known by its value only moves cash).
    pub holdings_listed: bool,
    /// The sleeve's value before.
    pub value_before: Decimal,
    /// The value the strategic rebalance set.
    pub target_value: Decimal,
    /// Its value after the orders.
    pub value_after: Decimal,
    /// Cash the sleeve received (negative: sent) to or from the account.
    pub flow: Decimal,
    /// Value it received in kind from other sleeves (negative: gave).
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    pub transferred: Decimal,
    /// Its cash before.
    pub cash_before: Decimal,
    /// Its cash after.
    pub cash_after: Decimal,
    /// Its orders, sales first.
    pub orders: Vec<Order>,
    /// Why securities were not traded.
    pub notes: Vec<Note>,
    /// What it holds after.
    pub holdings_after: Vec<Holding>,
}

/// The tactical rebalance of every sleeve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tactical {
    /// Each sleeve, in strategy order.
    pub sleeves: Vec<SleeveTrades>,
    /// Conflicts, infeasible mandates, sleeves stopped short or over.
    pub warnings: Vec<Warning>,
    /// The account's own cash (outside the sleeves) after.
    pub account_cash_after: Decimal,
    /// Short-term gains realized.
    pub short_term_gain: Decimal,
    /// Long-term gains realized.
    pub long_term_gain: Decimal,
    /// Estimated tax on them.
    pub estimated_tax: Decimal,
}

impl Tactical {
    /// Every order, sleeve by sleeve.
    pub fn orders(&self) -> impl Iterator<Item = &Order> {
        self.sleeves.iter().flat_map(|s| &s.orders)
    }

    /// The order blotter as CSV: a header, then one line per order.
    ///
    /// # Examples
    ///
    /// ```
    /// # let text = include_str!("../../tests/scenarios/holdings-three-sleeves.json");
    /// let scenario = uma_engine::Scenario::from_json(text)?;
    /// let tactical = uma_engine::rebalance(&scenario)?.tactical.unwrap();
    /// let csv = tactical.to_csv();
    /// assert!(csv.starts_with("sleeve,symbol,side,shares,price,amount,reason,"));
    /// # Ok::<(), uma_engine::Error>(())
    /// ```
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "sleeve,symbol,side,shares,price,amount,reason,counterparty,short_term_gain,long_term_gain,estimated_tax\n",
        );
        let quote = |s: &str| {
            if s.contains([',', '"', '\n']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_owned()
            }
        };
        for o in self.orders() {
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{},{}\n",
                quote(&o.sleeve),
                quote(&o.symbol),
                o.side.name(),
                o.shares.normalize(),
                o.price.normalize(),
                format_args!("{:.2}", o.amount),
                o.reason.name(),
                quote(o.counterparty.as_deref().unwrap_or("")),
                format_args!("{:.2}", o.short_term_gain),
                format_args!("{:.2}", o.long_term_gain),
                format_args!("{:.2}", o.estimated_tax)
            ));
        }
        out
    }
}

/// A security in a sleeve, as planned.
#[derive(Debug, Clone)]
struct Position {
    symbol: String,
    shares: Decimal,
    price: Decimal,
    lots: Vec<Lot>,
    /// The target weight in the sleeve, percent, after the mandates.
    target: Decimal,
    tolerance: Option<BandSide>,
    min: Option<Decimal>,
    max: Option<Decimal>,
    hold: bool,
    /// Why its target is what it is.
    reason: Reason,
    /// Replacement or proxy for which security.
    instead_of: Option<String>,
    /// Dollars to trade (positive buys).
    delta: Decimal,
    /// Whether an order or a note already speaks for it.
    spoken: bool,
}

impl Position {
    /// A security the sleeve does not hold, with no target yet.
    fn new(symbol: &str, price: Decimal, tolerance: Option<BandSide>) -> Position {
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
            spoken: false,
        }
    }

    fn value(&self) -> Decimal {
        money(self.shares * self.price)
    }
}

impl Plan {
    /// The index of `symbol`'s position, opened at `price` when the sleeve has none.
    fn position(&mut self, symbol: &str, price: Decimal, tolerance: Option<BandSide>) -> usize {
        match self.positions.iter().position(|p| p.symbol == symbol) {
            Some(k) => k,
            None => {
                self.positions.push(Position::new(symbol, price, tolerance));
                self.positions.len() - 1
            }
        }
    }
}

/// A sleeve being rebalanced.
#[derive(Debug, Clone)]
struct Plan {
    model: usize,
    sleeve: usize,
    positions: Vec<Position>,
    cash: Decimal,
    value_before: Decimal,
    /// The flow the strategic rebalance asks (positive: cash in).
    flow_asked: Decimal,
    /// The flow made.
    flow: Decimal,
    /// Value moved in kind (positive: received).
    transferred: Decimal,
    orders: Vec<Order>,
    notes: Vec<Note>,
}

struct Ctx<'a> {
    scenario: &'a Scenario,
    prices: Prices,
    mandates: &'a Mandates,
    tax: &'a TaxSettings,
    as_of: Option<Date>,
    total: Decimal,
    /// Securities harvested now: no sleeve buys them.
    harvested: BTreeSet<String>,
    gains: Decimal,
    short_term: Decimal,
    long_term: Decimal,
    estimated_tax: Decimal,
    warnings: Vec<Warning>,
}

fn round_shares(amount: Decimal, price: Decimal, step: Decimal, up: bool) -> Decimal {
    if price <= Decimal::ZERO || amount <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let steps = amount / price / step;
    let steps = if up { steps.ceil() } else { steps.floor() };
    (steps * step).normalize()
}

impl Ctx<'_> {
    fn tax_aware(&self) -> bool {
        self.tax.enabled && self.as_of.is_some()
    }

    /// Why `symbol` cannot be bought, if it cannot.
    fn buy_block(&self, symbol: &str, hold: bool) -> Option<(NoteKind, String)> {
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
                    format!("{symbol} was sold at a loss in this rebalance: buying it within 30 days is a wash sale"),
                ));
            }
            if let Some(as_of) = self.as_of {
                if tax::sold_at_loss_recently(symbol, &self.scenario.account.recent_trades, as_of) {
                    return Some((
                        NoteKind::WashSale,
                        format!("{symbol} was sold at a loss in the last 30 days: buying it now is a wash sale"),
                    ));
                }
            }
        }
        None
    }

    /// Whether `symbol` was bought, in any sleeve, in the wash-sale window before `as_of`.
    fn bought_recently(&self, symbol: &str, as_of: Date) -> bool {
        let account = &self.scenario.account;
        let lots = account
            .sleeves
            .iter()
            .flat_map(|s| &s.holdings)
            .flat_map(|h| h.lots.iter().map(move |l| (h.symbol.as_str(), l)));
        tax::bought_recently(symbol, lots, &account.recent_trades, as_of)
    }

    fn min_trade(&self, settings: &TacticalSettings) -> Decimal {
        settings.min_trade.max(self.mandates.min_trade)
    }
}

fn note(plan: &mut Plan, model_id: &str, i: usize, kind: NoteKind, text: String) {
    if let Some(p) = plan.positions.get_mut(i) {
        p.spoken = true;
        plan.notes.push(Note { sleeve: model_id.to_owned(), symbol: p.symbol.clone(), kind, text });
    }
}

/// The tactical rebalance after `strategic`, or `None` when no sleeve lists holdings.
pub(crate) fn run(scenario: &Scenario, strategic: &Rebalance) -> Option<Tactical> {
    if !scenario.account.sleeves.iter().any(|s| s.has_holdings()) {
        return None;
    }
    let account = &scenario.account;
    let mut ctx = Ctx {
        scenario,
        prices: Prices::of(account),
        mandates: &account.mandates,
        tax: &account.mandates.tax,
        as_of: account.as_of,
        total: strategic.total_value,
        harvested: BTreeSet::new(),
        gains: Decimal::ZERO,
        short_term: Decimal::ZERO,
        long_term: Decimal::ZERO,
        estimated_tax: Decimal::ZERO,
        warnings: Vec::new(),
    };
    let models = &scenario.strategy.models;
    // Every model with a sleeve that lists holdings is planned; the others move cash.
    let mut plans: Vec<Plan> = Vec::new();
    for (m, model) in models.iter().enumerate() {
        let Some(s) = account.sleeves.iter().position(|s| s.model == model.id && s.has_holdings()) else {
            continue;
        };
        let outcome = strategic.models.iter().find(|o| o.id == model.id);
        let flow_asked = outcome.map_or(Decimal::ZERO, |o| o.trade);
        plans.push(open(&ctx, m, s, flow_asked));
    }
    for plan in &mut plans {
        harvest(&mut ctx, plan);
    }
    for plan in &mut plans {
        target(&mut ctx, plan);
        drift_and_cash(&ctx, plan);
    }
    transfers(&ctx, &mut plans);

    // Senders first, then sleeves with no flow, then receivers with what was raised. A
    // sleeve known by its value sends or receives its strategic trade as cash.
    let planned_ids: Vec<String> = plans.iter().map(|p| models[p.model].id.clone()).collect();
    let planned = |id: &str| planned_ids.iter().any(|p| p == id);
    let mut flows: Vec<(String, Decimal)> = Vec::new();
    let mut pool = strategic.cash_before - strategic.cash_after;
    for o in strategic.models.iter().filter(|o| !planned(&o.id) && o.trade < Decimal::ZERO) {
        pool -= o.trade;
        flows.push((o.id.clone(), o.trade));
    }
    let mut senders: Vec<usize> = (0..plans.len()).filter(|&k| plans[k].flow_asked <= Decimal::ZERO).collect();
    senders.sort_by_key(|&k| (plans[k].flow_asked.is_zero(), k));
    for k in senders {
        let asked = plans[k].flow_asked;
        execute(&mut ctx, &mut plans[k], asked);
        pool -= plans[k].flow;
    }
    // Receivers share what the pool holds, pro rata to what they asked, never more.
    let value_receivers: Vec<(String, Decimal)> = strategic
        .models
        .iter()
        .filter(|o| !planned(&o.id) && o.trade > Decimal::ZERO)
        .map(|o| (o.id.clone(), o.trade))
        .collect();
    let plan_receivers: Vec<usize> = (0..plans.len()).filter(|&k| plans[k].flow_asked > Decimal::ZERO).collect();
    let mut asked_left: Decimal = value_receivers.iter().map(|(_, f)| *f).sum::<Decimal>()
        + plan_receivers.iter().map(|&k| plans[k].flow_asked).sum::<Decimal>();
    let mut grant = |asked: Decimal, pool: &mut Decimal| {
        let share = if asked_left <= asked { *pool } else { money(*pool * asked / asked_left) };
        asked_left -= asked;
        let granted = asked.min(share).max(Decimal::ZERO);
        *pool -= granted;
        granted
    };
    for (id, asked) in value_receivers {
        let granted = grant(asked, &mut pool);
        flows.push((id, granted));
    }
    for k in plan_receivers {
        let granted = grant(plans[k].flow_asked, &mut pool);
        execute(&mut ctx, &mut plans[k], granted);
    }
    let value_flow = |id: &str| flows.iter().find(|(i, _)| i == id).map(|(_, f)| *f);

    let sleeves: Vec<SleeveTrades> = models
        .iter()
        .enumerate()
        .map(|(m, model)| {
            let outcome = strategic.models.iter().find(|o| o.id == model.id);
            let (before, after) = outcome.map_or((Decimal::ZERO, Decimal::ZERO), |o| (o.value_before, o.value_after));
            match plans.iter().find(|p| p.model == m) {
                Some(plan) => close(&ctx, plan, after),
                None => SleeveTrades {
                    model: model.id.clone(),
                    name: model.label().to_owned(),
                    holdings_listed: false,
                    value_before: before,
                    target_value: after,
                    value_after: before + value_flow(&model.id).unwrap_or(after - before),
                    flow: value_flow(&model.id).unwrap_or(after - before),
                    transferred: Decimal::ZERO,
                    cash_before: Decimal::ZERO,
                    cash_after: Decimal::ZERO,
                    orders: Vec::new(),
                    notes: Vec::new(),
                    holdings_after: Vec::new(),
                },
            }
        })
        .collect();
    let flows: Decimal = sleeves.iter().map(|s| s.flow).sum();
    Some(Tactical {
        account_cash_after: strategic.cash_before - flows,
        sleeves,
        warnings: ctx.warnings,
        short_term_gain: ctx.short_term,
        long_term_gain: ctx.long_term,
        estimated_tax: ctx.estimated_tax,
    })
}

/// The sleeve's positions now: its holdings, then the model's securities it lacks.
fn open(ctx: &Ctx<'_>, m: usize, s: usize, flow_asked: Decimal) -> Plan {
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

fn model_id<'a>(ctx: &Ctx<'a>, plan: &Plan) -> &'a str {
    &ctx.scenario.strategy.models[plan.model].id
}

fn settings<'a>(ctx: &Ctx<'a>, plan: &Plan) -> &'a TacticalSettings {
    &ctx.scenario.strategy.models[plan.model].tactical
}

fn step_of(settings: &TacticalSettings) -> Decimal {
    if settings.fractional {
        Decimal::new(1, 4)
    } else {
        Decimal::ONE
    }
}

/// Step 1: tax-loss harvests into the model's proxy.
fn harvest(ctx: &mut Ctx<'_>, plan: &mut Plan) {
    let (Some(threshold), Some(as_of)) = (ctx.tax.harvest, ctx.as_of) else { return };
    let settings = settings(ctx, plan);
    let (true, Some(proxy)) = (ctx.tax_aware(), settings.proxy.clone()) else { return };
    let id = model_id(ctx, plan).to_owned();
    for i in 0..plan.positions.len() {
        let p = &plan.positions[i];
        // Only a security the model holds: one it does not is sold anyway.
        let in_model = ctx.scenario.strategy.models[plan.model].securities.iter().any(|x| x.symbol == p.symbol);
        if p.symbol == proxy || p.lots.is_empty() || !in_model {
            continue;
        }
        let losing_at: Vec<usize> = (0..p.lots.len())
            .filter(|&k| {
                let l = &p.lots[k];
                l.cost_basis - money(l.shares * p.price) >= threshold && threshold > Decimal::ZERO
            })
            .collect();
        let losing: Vec<Lot> = losing_at.iter().map(|&k| p.lots[k].clone()).collect();
        if losing.is_empty() {
            continue;
        }
        let symbol = p.symbol.clone();
        let blocked = if ctx.mandates.no_sell(&symbol) {
            Some((NoteKind::Restricted, format!("{symbol} has a loss to harvest but is on the do-not-sell list")))
        } else if ctx.bought_recently(&symbol, as_of) {
            Some((
                NoteKind::WashSale,
                format!(
                    "{symbol} has a loss to harvest, but it was bought in the last 30 days: that would be a wash sale"
                ),
            ))
        } else {
            ctx.buy_block(&proxy, false).map(|(kind, why)| (kind, format!("{symbol}'s loss is not harvested: {why}")))
        };
        if let Some((kind, text)) = blocked {
            note(plan, &id, i, kind, text);
            continue;
        }
        let shares: Decimal = losing.iter().map(|l| l.shares).sum();
        let price = plan.positions[i].price;
        let min_trade = ctx.min_trade(settings);
        if money(shares * price) < min_trade {
            let text = format!(
                "{symbol}'s loss is not harvested: the sale ({}) is below the minimum trade of {}",
                Money(money(shares * price)),
                Money(min_trade)
            );
            note(plan, &id, i, NoteKind::BelowMinimum, text);
            continue;
        }
        let mut lots = plan.positions[i].lots.clone();
        // Only the losing lots go: sell them by themselves.
        let mut only: Vec<Lot> = losing.clone();
        let sale = tax::sell(
            &mut only,
            shares,
            price,
            as_of,
            ctx.tax,
            Limits { avoid_short_term_gains: false, gains_room: None, step: Decimal::new(1, 6) },
        );
        for &k in &losing_at {
            lots[k].shares = Decimal::ZERO;
        }
        lots.retain(|l| !l.shares.is_zero());
        let proceeds = money(sale.shares * price);
        let loss = -sale.gain();
        plan.positions[i].shares -= sale.shares;
        plan.positions[i].lots = lots;
        plan.cash += proceeds;
        ctx.harvested.insert(symbol.clone());
        let mut order = sale_order(ctx, &id, &symbol, &sale, price, Reason::Harvest);
        order.text = format!(
            "Sell {} {symbol} at {} ({}): harvests a loss of {}; the proceeds buy the proxy {proxy}.",
            sale.shares.normalize(),
            Money(price),
            Money(proceeds),
            Money(loss)
        );
        plan.orders.push(order);
        plan.positions[i].spoken = true;
        // The proceeds buy the proxy, in whole shares unless fractional.
        let proxy_price = ctx.prices.get(&proxy).unwrap_or(Decimal::ONE);
        let buy_shares = round_shares(proceeds, proxy_price, step_of(settings), false);
        let floor = min_trade.max(settings.min_opening_trade);
        if buy_shares > Decimal::ZERO && money(buy_shares * proxy_price) >= floor {
            let amount = money(buy_shares * proxy_price);
            plan.cash -= amount;
            let k = plan.position(&proxy, proxy_price, settings.tolerance);
            if matches!(plan.positions[k].reason, Reason::Drift | Reason::NotInModel) {
                plan.positions[k].reason = Reason::Proxy;
                plan.positions[k].instead_of = Some(symbol.clone());
            }
            if !plan.positions[k].lots.is_empty() || plan.positions[k].shares.is_zero() {
                plan.positions[k].lots.push(Lot { shares: buy_shares, cost_basis: amount, acquired: as_of });
            }
            plan.positions[k].shares += buy_shares;
            plan.positions[k].spoken = true;
            plan.orders.push(Order {
                sleeve: id.clone(),
                symbol: proxy.clone(),
                side: OrderSide::Buy,
                shares: buy_shares,
                price: proxy_price,
                amount,
                reason: Reason::Proxy,
                text: format!(
                    "Buy {} {proxy} at {} ({}): the proxy for {symbol}, harvested.",
                    buy_shares.normalize(),
                    Money(proxy_price),
                    Money(amount)
                ),
                counterparty: None,
                lots: Vec::new(),
                short_term_gain: Decimal::ZERO,
                long_term_gain: Decimal::ZERO,
                estimated_tax: Decimal::ZERO,
            });
        }
    }
}

/// Step 2: each security's target weight, mandates applied.
fn target(ctx: &mut Ctx<'_>, plan: &mut Plan) {
    let model = &ctx.scenario.strategy.models[plan.model];
    let id = model.id.clone();
    let settings = &model.tactical;
    let value = (plan.value_before + plan.flow_asked).max(Decimal::ZERO);
    let held: Decimal = plan.positions.iter().map(Position::value).sum::<Decimal>() + plan.cash;
    // The model's own targets.
    let share_based = model.securities.iter().any(|s| s.shares.is_some());
    let unit: Decimal = model
        .securities
        .iter()
        .map(|s| s.shares.unwrap_or_default() * ctx.prices.get(&s.symbol).unwrap_or_default())
        .sum();
    for p in &mut plan.positions {
        let spec = model.securities.iter().find(|s| s.symbol == p.symbol);
        p.target = match spec {
            Some(s) if share_based => {
                if unit.is_zero() {
                    Decimal::ZERO
                } else {
                    s.shares.unwrap_or_default() * p.price / unit * Decimal::ONE_HUNDRED
                }
            }
            Some(s) => s.weight.unwrap_or_default(),
            None if model.securities.is_empty() => {
                p.reason = Reason::CashFlow;
                if held.is_zero() {
                    Decimal::ZERO
                } else {
                    p.value() / held * Decimal::ONE_HUNDRED
                }
            }
            None if ctx.harvested.contains(&p.symbol) || p.reason == Reason::Proxy => p.target,
            None => {
                p.reason = Reason::NotInModel;
                Decimal::ZERO
            }
        };
    }
    // The mandates.
    let weight_now =
        |p: &Position| if value.is_zero() { Decimal::ZERO } else { p.value() / value * Decimal::ONE_HUNDRED };
    let mut freed: Vec<(usize, Decimal, Option<NoteKind>)> = Vec::new();
    let mut kept_over = Decimal::ZERO;
    for i in 0..plan.positions.len() {
        let p = &plan.positions[i];
        let symbol = p.symbol.clone();
        let now = weight_now(p);
        if ctx.mandates.no_hold(&symbol) {
            if ctx.mandates.no_sell(&symbol) {
                ctx.warnings.push(Warning {
                    kind: WarningKind::Conflict,
                    sleeve: Some(id.clone()),
                    symbol: Some(symbol.clone()),
                    text: format!(
                        "{symbol} is on both the do-not-hold and the do-not-sell lists: it is kept, and the conflict needs a decision."
                    ),
                });
                let target = plan.positions[i].target;
                plan.positions[i].target = now;
                kept_over += now - target;
                note(
                    plan,
                    &id,
                    i,
                    NoteKind::Restricted,
                    format!("{symbol} is kept: do-not-hold and do-not-sell conflict"),
                );
                continue;
            }
            let target = p.target;
            plan.positions[i].target = Decimal::ZERO;
            plan.positions[i].reason = Reason::DoNotHold;
            if target > Decimal::ZERO {
                freed.push((i, target, Some(NoteKind::Restricted)));
            }
            continue;
        }
        if let Some((kind, why)) = ctx.buy_block(&symbol, p.hold) {
            if p.target > now {
                freed.push((i, p.target - now, Some(kind)));
                plan.positions[i].target = now;
                note(plan, &id, i, kind, format!("{why}: its target is held at its weight now, {}", Percent(now)));
            }
        }
        let p = &plan.positions[i];
        if ctx.mandates.no_sell(&symbol) && p.target < now {
            kept_over += now - p.target;
            plan.positions[i].target = now;
            let text = format!("{symbol} is on the account's do-not-sell list: kept at {} of the sleeve", Percent(now));
            note(plan, &id, i, NoteKind::Restricted, text);
        }
    }
    for (i, weight, kind) in freed {
        let symbol = plan.positions[i].symbol.clone();
        let wash = kind == Some(NoteKind::WashSale);
        let replacement = if wash {
            settings.proxy.clone().map(|proxy| (proxy, Reason::Proxy))
        } else if settings.unspent_cash == UnspentCash::Replacement {
            settings.buy_list.get(&symbol).cloned().map(|r| (r, Reason::Replacement))
        } else {
            None
        };
        let replacement = replacement.filter(|(r, _)| *r != symbol && ctx.buy_block(r, false).is_none());
        if let Some((r, reason)) = replacement {
            let price = ctx.prices.get(&r).unwrap_or(Decimal::ONE);
            let k = plan.position(&r, price, settings.tolerance);
            plan.positions[k].target += weight;
            plan.positions[k].reason = reason;
            plan.positions[k].instead_of = Some(symbol.clone());
            let text = format!(
                "{} points of {symbol}'s target go to {r} instead",
                Percent(weight).to_string().trim_end_matches('%')
            );
            plan.notes.push(Note { sleeve: id.clone(), symbol: symbol.clone(), kind: NoteKind::Unspent, text });
            continue;
        }
        if settings.unspent_cash == UnspentCash::Keep {
            let text = format!("{symbol}'s unused {} of the sleeve is kept as cash", Percent(weight));
            plan.notes.push(Note { sleeve: id.clone(), symbol: symbol.clone(), kind: NoteKind::Unspent, text });
            continue;
        }
        // Pro rata over the securities that can be bought.
        let eligible: Vec<usize> = (0..plan.positions.len())
            .filter(|&k| {
                let q = &plan.positions[k];
                k != i && q.target > Decimal::ZERO && ctx.buy_block(&q.symbol, q.hold).is_none()
            })
            .collect();
        let base: Decimal = eligible.iter().map(|&k| plan.positions[k].target).sum();
        if base.is_zero() {
            let text = format!(
                "{symbol}'s unused {} of the sleeve stays in cash: nothing else can be bought",
                Percent(weight)
            );
            plan.notes.push(Note { sleeve: id.clone(), symbol: symbol.clone(), kind: NoteKind::Unspent, text });
            if plan.positions.iter().all(|q| ctx.buy_block(&q.symbol, q.hold).is_some()) {
                ctx.warnings.push(Warning {
                    kind: WarningKind::Infeasible,
                    sleeve: Some(id.clone()),
                    symbol: None,
                    text: format!("Every security of {} is restricted: its cash cannot be invested.", model.label()),
                });
            }
            continue;
        }
        let mut left = weight;
        for &k in &eligible {
            let q = &mut plan.positions[k];
            let mut add = weight * q.target / base;
            if let Some(max) = q.max {
                add = add.min((max - q.target).max(Decimal::ZERO));
            }
            q.target += add;
            if q.reason == Reason::Drift {
                q.reason = Reason::ProRata;
                q.instead_of = Some(symbol.clone());
            }
            left -= add;
        }
        let text = if left > Decimal::new(1, 6) {
            format!("{symbol}'s unused weight is spread pro rata; {} stays in cash (weight ranges)", Percent(left))
        } else {
            format!("{symbol}'s unused {} of the sleeve is spread pro rata over the other securities", Percent(weight))
        };
        plan.notes.push(Note { sleeve: id.clone(), symbol: symbol.clone(), kind: NoteKind::Unspent, text });
    }
    // Weight kept over target by do-not-sell comes out of the other securities pro rata.
    if kept_over > Decimal::ZERO {
        let others: Vec<usize> = (0..plan.positions.len())
            .filter(|&k| !ctx.mandates.no_sell(&plan.positions[k].symbol) && plan.positions[k].target > Decimal::ZERO)
            .collect();
        let base: Decimal = others.iter().map(|&k| plan.positions[k].target).sum();
        if !base.is_zero() {
            let scale = ((base - kept_over) / base).max(Decimal::ZERO);
            for k in others {
                plan.positions[k].target *= scale;
            }
        }
    }
    for p in &mut plan.positions {
        if let Some(min) = p.min {
            p.target = p.target.max(min);
        }
        if let Some(max) = p.max {
            p.target = p.target.min(max);
        }
    }
}

/// Step 3 and 4: drift outside tolerance, then the cash flow.
fn drift_and_cash(ctx: &Ctx<'_>, plan: &mut Plan) {
    let id = model_id(ctx, plan).to_owned();
    let value = (plan.value_before + plan.flow_asked).max(Decimal::ZERO);
    // Drift is measured in the sleeve as it is, before its cash flow: a flow alone moves
    // securities only through step 4.
    let before = plan.value_before;
    let weight = |v: Decimal| if before.is_zero() { Decimal::ZERO } else { v / before * Decimal::ONE_HUNDRED };
    for i in 0..plan.positions.len() {
        let p = &plan.positions[i];
        let now = weight(p.value());
        let half = p.tolerance.map_or(Decimal::ZERO, |t| t.half_width(p.target));
        let outside_range = p.min.is_some_and(|m| now < m) || p.max.is_some_and(|m| now > m);
        let must_go = matches!(p.reason, Reason::DoNotHold | Reason::NotInModel) && p.shares > Decimal::ZERO;
        let drift = now - p.target;
        if must_go || outside_range || drift.abs() > half {
            plan.positions[i].delta = money(p.target * value / Decimal::ONE_HUNDRED) - p.value();
        } else if !drift.is_zero() && !p.spoken {
            let text = format!(
                "{} is at {} of the sleeve, inside its tolerance around {} (±{} points): left alone",
                p.symbol,
                Percent(now),
                Percent(p.target),
                half.round_dp(2).normalize()
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
    // The cash flow.
    let invested: Decimal = plan.positions.iter().map(|p| p.target).sum();
    let cash_target = money(value * (Decimal::ONE_HUNDRED - invested).max(Decimal::ZERO) / Decimal::ONE_HUNDRED);
    let trades: Decimal = plan.positions.iter().map(|p| p.delta).sum();
    let mut gap = plan.cash + plan.flow_asked - trades - cash_target;
    let excess = |p: &Position| p.value() + p.delta - money(p.target * value / Decimal::ONE_HUNDRED);
    let sellable = |p: &Position| !ctx.mandates.no_sell(&p.symbol);
    let buyable = |p: &Position| p.target > Decimal::ZERO && ctx.buy_block(&p.symbol, p.hold).is_none();
    let mark = |p: &mut Position| {
        if p.delta.is_zero() && p.reason == Reason::Drift {
            p.reason = Reason::CashFlow;
        }
    };
    if gap < Decimal::ZERO {
        // Too little cash: sell what sits over its target first, largest excess first...
        let mut over: Vec<usize> = (0..plan.positions.len())
            .filter(|&k| sellable(&plan.positions[k]) && excess(&plan.positions[k]) > Decimal::ZERO)
            .collect();
        over.sort_by(|&a, &b| excess(&plan.positions[b]).cmp(&excess(&plan.positions[a])).then(a.cmp(&b)));
        for k in over {
            let more = excess(&plan.positions[k]).min(-gap);
            if more <= Decimal::ZERO {
                break;
            }
            mark(&mut plan.positions[k]);
            plan.positions[k].delta -= more;
            gap += more;
        }
        // ...then buy less...
        let buys: Decimal = plan.positions.iter().map(|p| p.delta).filter(|d| *d > Decimal::ZERO).sum();
        let cut = (-gap).min(buys).max(Decimal::ZERO);
        if !buys.is_zero() && !cut.is_zero() {
            for p in &mut plan.positions {
                if p.delta > Decimal::ZERO {
                    p.delta -= money(cut * p.delta / buys);
                }
            }
            gap += cut;
        }
        // ...then sell every sellable security pro rata.
        if gap < Decimal::ZERO {
            let after = |p: &Position| p.value() + p.delta;
            let rest: Vec<usize> = (0..plan.positions.len())
                .filter(|&k| sellable(&plan.positions[k]) && after(&plan.positions[k]) > Decimal::ZERO)
                .collect();
            let base: Decimal = rest.iter().map(|&k| after(&plan.positions[k])).sum();
            if !base.is_zero() {
                for &k in &rest {
                    let more = money(-gap * after(&plan.positions[k]) / base).min(after(&plan.positions[k]));
                    mark(&mut plan.positions[k]);
                    plan.positions[k].delta -= more;
                }
            }
        }
    } else if gap > Decimal::ZERO {
        // Cash to invest: buy what sits under its target first, largest shortfall first...
        let mut under: Vec<usize> = (0..plan.positions.len())
            .filter(|&k| buyable(&plan.positions[k]) && excess(&plan.positions[k]) < Decimal::ZERO)
            .collect();
        under.sort_by(|&a, &b| excess(&plan.positions[a]).cmp(&excess(&plan.positions[b])).then(a.cmp(&b)));
        for k in under {
            let more = (-excess(&plan.positions[k])).min(gap);
            if more <= Decimal::ZERO {
                break;
            }
            mark(&mut plan.positions[k]);
            plan.positions[k].delta += more;
            gap -= more;
        }
        // ...then every security that can be bought, pro rata to its target.
        if gap > Decimal::ZERO {
            let rest: Vec<usize> = (0..plan.positions.len()).filter(|&k| buyable(&plan.positions[k])).collect();
            let base: Decimal = rest.iter().map(|&k| plan.positions[k].target).sum();
            if !base.is_zero() {
                for &k in &rest {
                    mark(&mut plan.positions[k]);
                    let target = plan.positions[k].target;
                    plan.positions[k].delta += money(gap * target / base);
                }
            }
        }
    }
}

/// Step 5: shares one sleeve sells and another buys move in kind.
fn transfers(ctx: &Ctx<'_>, plans: &mut [Plan]) {
    for a in 0..plans.len() {
        for b in 0..plans.len() {
            if a == b {
                continue;
            }
            for i in 0..plans[a].positions.len() {
                let symbol = plans[a].positions[i].symbol.clone();
                // Only from a sleeve that sends cash to one that receives it: the shares
                // then stand for part of that cash, and neither sleeve pays the other.
                let room = (-plans[a].flow_asked).min(plans[b].flow_asked);
                if plans[a].positions[i].delta >= Decimal::ZERO
                    || ctx.mandates.no_hold(&symbol)
                    || room <= Decimal::ZERO
                {
                    continue;
                }
                let Some(j) = plans[b].positions.iter().position(|q| q.symbol == symbol && q.delta > Decimal::ZERO)
                else {
                    continue;
                };
                if plans[a].positions[i].lots.is_empty() && !plans[b].positions[j].lots.is_empty() {
                    // Shares without lots cannot join tracked lots: they are sold and bought.
                    continue;
                }
                let price = plans[a].positions[i].price;
                let step = step_of(settings(ctx, &plans[b])).max(step_of(settings(ctx, &plans[a])));
                let wanted = (-plans[a].positions[i].delta).min(plans[b].positions[j].delta).min(room);
                let shares = round_shares(wanted, price, step, false).min(plans[a].positions[i].shares);
                if shares <= Decimal::ZERO {
                    continue;
                }
                let amount = money(shares * price);
                // The lots move with the shares, in the account's lot order.
                let mut lots = std::mem::take(&mut plans[a].positions[i].lots);
                let moved: Vec<Lot> = if lots.is_empty() {
                    Vec::new()
                } else {
                    let as_of = ctx.as_of.unwrap_or_else(|| Date::from_days(0));
                    let part = tax::sell(
                        &mut lots,
                        shares,
                        price,
                        as_of,
                        ctx.tax,
                        Limits { avoid_short_term_gains: false, gains_room: None, step: Decimal::new(1, 6) },
                    );
                    part.lots
                        .iter()
                        .map(|l| Lot { shares: l.shares, cost_basis: l.cost_basis, acquired: l.acquired })
                        .collect()
                };
                plans[a].positions[i].lots = lots;
                plans[a].positions[i].shares -= shares;
                plans[a].positions[i].delta += amount;
                plans[a].positions[i].spoken = true;
                plans[a].flow_asked += amount;
                plans[a].transferred -= amount;
                // Lots are kept where they were tracked, and started for a new position.
                let receiving = &plans[b].positions[j];
                if !receiving.lots.is_empty() || receiving.shares.is_zero() {
                    plans[b].positions[j].lots.extend(moved);
                }
                plans[b].positions[j].shares += shares;
                plans[b].positions[j].delta -= amount;
                plans[b].positions[j].spoken = true;
                plans[b].flow_asked -= amount;
                plans[b].transferred += amount;
                let (from, to) = (model_id(ctx, &plans[a]).to_owned(), model_id(ctx, &plans[b]).to_owned());
                let order = |sleeve: &str, side, other: &str, text: String| Order {
                    sleeve: sleeve.to_owned(),
                    symbol: symbol.clone(),
                    side,
                    shares,
                    price,
                    amount,
                    reason: Reason::Transfer,
                    text,
                    counterparty: Some(other.to_owned()),
                    lots: Vec::new(),
                    short_term_gain: Decimal::ZERO,
                    long_term_gain: Decimal::ZERO,
                    estimated_tax: Decimal::ZERO,
                };
                let what = format!("{} {symbol} ({})", shares.normalize(), Money(amount));
                plans[a].orders.push(order(
                    &from,
                    OrderSide::TransferOut,
                    &to,
                    format!("Move {what} to {to} in kind, which needs it: no trade and no tax."),
                ));
                plans[b].orders.push(order(
                    &to,
                    OrderSide::TransferIn,
                    &from,
                    format!("Receive {what} from {from} in kind instead of buying it."),
                ));
            }
        }
    }
}

fn sale_order(
    ctx: &mut Ctx<'_>,
    sleeve: &str,
    symbol: &str,
    sale: &tax::Sale,
    price: Decimal,
    reason: Reason,
) -> Order {
    let (mut st, mut lt) = (Decimal::ZERO, Decimal::ZERO);
    for part in &sale.lots {
        match part.term {
            Term::Short => st += part.gain,
            Term::Long => lt += part.gain,
        }
    }
    let estimated_tax = if ctx.tax_aware() {
        tax::tax_on(st, Term::Short, ctx.tax) + tax::tax_on(lt, Term::Long, ctx.tax)
    } else {
        Decimal::ZERO
    };
    let tax_aware = ctx.tax_aware();
    if tax_aware {
        ctx.gains += st + lt;
        ctx.short_term += st;
        ctx.long_term += lt;
        ctx.estimated_tax += estimated_tax;
    }
    Order {
        sleeve: sleeve.to_owned(),
        symbol: symbol.to_owned(),
        side: OrderSide::Sell,
        shares: sale.shares,
        price,
        amount: money(sale.shares * price),
        reason,
        text: String::new(),
        counterparty: None,
        lots: if tax_aware { sale.lots.clone() } else { Vec::new() },
        short_term_gain: if tax_aware { st } else { Decimal::ZERO },
        long_term_gain: if tax_aware { lt } else { Decimal::ZERO },
        estimated_tax,
    }
}

fn why(p: &Position, buying: bool, flow: Decimal) -> String {
    match p.reason {
        Reason::Drift => format!("back toward its {} target", Percent(p.target)),
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
            Percent(p.target)
        ),
        Reason::Proxy => {
            format!("the proxy for {}, which the wash-sale rule keeps out", p.instead_of.as_deref().unwrap_or("?"))
        }
        Reason::Harvest | Reason::Transfer | Reason::Overshoot => String::new(),
    }
}

/// Step 6 and 7: the sleeve's orders, with `flow` the cash it receives (or sends).
fn execute(ctx: &mut Ctx<'_>, plan: &mut Plan, flow: Decimal) {
    let id = model_id(ctx, plan).to_owned();
    let settings = settings(ctx, plan).clone();
    let step = step_of(&settings);
    let min_trade = ctx.min_trade(&settings);
    let as_of = ctx.as_of.unwrap_or_else(|| Date::from_days(0));
    plan.flow = flow;
    if flow < plan.flow_asked {
        // A receiver granted less than it asked buys less, pro rata.
        let less = plan.flow_asked - flow;
        let buys: Decimal = plan.positions.iter().map(|p| p.delta).filter(|d| *d > Decimal::ZERO).sum();
        if buys > Decimal::ZERO {
            for p in &mut plan.positions {
                if p.delta > Decimal::ZERO {
                    p.delta -= money(less.min(buys) * p.delta / buys);
                }
            }
        }
    }
    // A sale planned of a security the sleeve just bought (a harvest's proxy) buys less
    // instead.
    for i in 0..plan.positions.len() {
        let (symbol, price, delta) =
            (plan.positions[i].symbol.clone(), plan.positions[i].price, plan.positions[i].delta);
        if delta >= Decimal::ZERO {
            continue;
        }
        let Some(k) = plan.orders.iter().position(|o| o.symbol == symbol && o.side == OrderSide::Buy) else { continue };
        let mut less = round_shares(-delta, price, step, true).min(plan.orders[k].shares).min(plan.positions[i].shares);
        if less <= Decimal::ZERO {
            continue;
        }
        // What is left must still be a trade the settings allow, or none is made.
        let left = money((plan.orders[k].shares - less) * price);
        if left < ctx.min_trade(&settings).max(settings.min_opening_trade) {
            if plan.orders[k].shares > plan.positions[i].shares {
                // It cannot all be undone (some moved to another sleeve): sell instead.
                continue;
            }
            less = plan.orders[k].shares;
        }
        let order = &mut plan.orders[k];
        order.shares -= less;
        let refund = order.amount - money(order.shares * price);
        order.amount -= refund;
        order.text = format!(
            "Buy {} {symbol} at {} ({}): {}.",
            order.shares.normalize(),
            Money(price),
            Money(order.amount),
            why(&plan.positions[i], true, flow)
        );
        plan.cash += refund;
        let p = &mut plan.positions[i];
        p.shares -= less;
        p.delta += refund;
        // The shares not bought come off the newest lots (the purchase's own first).
        let mut left = less;
        for lot in p.lots.iter_mut().rev() {
            if left <= Decimal::ZERO {
                break;
            }
            let take = left.min(lot.shares);
            let basis = if take == lot.shares { lot.cost_basis } else { money(lot.cost_per_share() * take) };
            lot.shares -= take;
            lot.cost_basis = (lot.cost_basis - basis).max(Decimal::ZERO);
            left -= take;
        }
        p.lots.retain(|l| !l.shares.is_zero());
        if plan.orders[k].shares.is_zero() {
            plan.orders.remove(k);
        }
    }
    let mut cash = plan.cash + flow;
    let value_target = plan.value_before + flow;
    if min_trade > value_target && value_target > Decimal::ZERO {
        ctx.warnings.push(Warning {
            kind: WarningKind::Infeasible,
            sleeve: Some(id.clone()),
            symbol: None,
            text: format!(
                "The minimum trade ({}) is larger than the whole sleeve ({}): only do-not-hold sales can be made.",
                Money(min_trade),
                Money(value_target)
            ),
        });
    }
    // Sales.
    for i in 0..plan.positions.len() {
        let p = &plan.positions[i];
        if p.delta >= Decimal::ZERO {
            continue;
        }
        let forced = p.reason == Reason::DoNotHold;
        let wanted = if forced { p.shares } else { round_shares(-p.delta, p.price, step, true).min(p.shares) };
        if wanted <= Decimal::ZERO {
            let text = format!("{}: the sale rounds to no shares", p.symbol);
            note(plan, &id, i, NoteKind::Rounding, text);
            continue;
        }
        if !forced && money(wanted * p.price) < min_trade {
            let text = format!(
                "{}: a sale of {} is below the minimum trade of {}",
                p.symbol,
                Money(money(wanted * p.price)),
                Money(min_trade)
            );
            note(plan, &id, i, NoteKind::BelowMinimum, text);
            continue;
        }
        cash += sell_position(ctx, plan, i, wanted, forced, &id, step, as_of, min_trade);
    }
    // Short: one more sale past the target, or stop short.
    if cash < Decimal::ZERO {
        let short = -cash;
        let allowance = money(settings.overshoot * ctx.total / Decimal::ONE_HUNDRED);
        let model = &ctx.scenario.strategy.models[plan.model];
        let (lower, _) = ctx.scenario.strategy.band_of(model).bounds(model.target);
        let mut covered = false;
        for i in 0..plan.positions.len() {
            let p = &plan.positions[i];
            if p.shares <= Decimal::ZERO || ctx.mandates.no_sell(&p.symbol) {
                continue;
            }
            let amount = short.max(min_trade);
            let shares = round_shares(amount, p.price, step, true).min(p.shares);
            let raised = money(shares * p.price);
            let over = raised - short;
            let after = value_target - over;
            let in_band = ctx.total.is_zero() || after / ctx.total * Decimal::ONE_HUNDRED >= lower;
            if raised >= short && raised >= min_trade && over <= allowance && in_band {
                let sold = sell_position(ctx, plan, i, shares, false, &id, step, as_of, min_trade);
                if sold < short {
                    // Tax settings held some shares back: this security cannot cover it.
                    cash += sold;
                    continue;
                }
                if sold == short {
                    // Another security covers it exactly: no overshoot.
                    cash += sold;
                    covered = true;
                    break;
                }
                if let Some(order) = plan.orders.last_mut() {
                    order.reason = Reason::Overshoot;
                    order.text = format!(
                        "Sell {} {} at {} ({}): the minimum trade keeps the sleeve from raising exactly {}; it sells {} past its dollar target, within its {}-point allowance and its band.",
                        order.shares.normalize(), order.symbol, Money(order.price), Money(order.amount), Money(short), Money(sold - short), settings.overshoot.normalize()
                    );
                }
                cash += sold;
                let over = sold - short;
                // The extra goes to the account with the rest of what the sleeve sends.
                plan.flow -= over;
                cash -= over;
                ctx.warnings.push(Warning {
                    kind: WarningKind::Overshoot,
                    sleeve: Some(id.clone()),
                    symbol: Some(plan.positions[i].symbol.clone()),
                    text: format!(
                        "{} sold {} past its dollar target, within its overshoot allowance.",
                        model.label(),
                        Money(over)
                    ),
                });
                covered = true;
                break;
            }
        }
        if !covered && cash < Decimal::ZERO {
            plan.flow += -cash;
            ctx.warnings.push(Warning {
                kind: WarningKind::StoppedShort,
                sleeve: Some(id.clone()),
                symbol: None,
                text: format!(
                    "{} stops {} short of the cash it was to send: minimum trades, whole shares or mandates keep it from selling more; the sleeves it was to pay receive less.",
                    model.label(),
                    Money(-cash)
                ),
            });
            cash = Decimal::ZERO;
        }
    }
    // Purchases, largest first, never spending cash the sleeve does not have.
    let mut buys: Vec<usize> = (0..plan.positions.len()).filter(|&k| plan.positions[k].delta > Decimal::ZERO).collect();
    buys.sort_by(|&a, &b| plan.positions[b].delta.cmp(&plan.positions[a].delta).then(a.cmp(&b)));
    for i in buys {
        let p = &plan.positions[i];
        let budget = p.delta.min(cash);
        let shares = round_shares(budget, p.price, step, false);
        let amount = money(shares * p.price);
        let opening = p.shares.is_zero();
        if shares <= Decimal::ZERO {
            let (kind, text) = if cash < p.price * step && p.delta >= p.price * step {
                (NoteKind::NoCash, format!("{}: the sleeve has no cash left to buy it", p.symbol))
            } else {
                (
                    NoteKind::Rounding,
                    format!("{}: {} buys less than one share at {}", p.symbol, Money(p.delta), Money(p.price)),
                )
            };
            note(plan, &id, i, kind, text);
            continue;
        }
        if amount < min_trade || (opening && amount < settings.min_opening_trade) {
            let floor = if opening { settings.min_opening_trade.max(min_trade) } else { min_trade };
            let kind = if opening { "minimum opening trade" } else { "minimum trade" };
            let text = format!("{}: a purchase of {} is below the {kind} of {}", p.symbol, Money(amount), Money(floor));
            note(plan, &id, i, NoteKind::BelowMinimum, text);
            continue;
        }
        let text = format!(
            "Buy {} {} at {} ({}): {}.",
            shares.normalize(),
            p.symbol,
            Money(p.price),
            Money(amount),
            why(p, true, plan.flow)
        );
        let order = Order {
            sleeve: id.clone(),
            symbol: p.symbol.clone(),
            side: OrderSide::Buy,
            shares,
            price: p.price,
            amount,
            reason: p.reason,
            text,
            counterparty: None,
            lots: Vec::new(),
            short_term_gain: Decimal::ZERO,
            long_term_gain: Decimal::ZERO,
            estimated_tax: Decimal::ZERO,
        };
        cash -= amount;
        let p = &mut plan.positions[i];
        // Lots are kept where they were tracked, and started for a new position.
        if !p.lots.is_empty() || (ctx.tax_aware() && p.shares.is_zero()) {
            p.lots.push(Lot { shares, cost_basis: amount, acquired: as_of });
        }
        p.shares += shares;
        p.spoken = true;
        plan.orders.push(order);
    }
    plan.cash = cash;
    // Every security not spoken for: on target.
    for i in 0..plan.positions.len() {
        if !plan.positions[i].spoken
            && (plan.positions[i].shares > Decimal::ZERO || plan.positions[i].target > Decimal::ZERO)
        {
            let text = format!("{} is on its target: no trade", plan.positions[i].symbol);
            note(plan, &id, i, NoteKind::InsideTolerance, text);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn sell_position(
    ctx: &mut Ctx<'_>,
    plan: &mut Plan,
    i: usize,
    wanted: Decimal,
    forced: bool,
    id: &str,
    step: Decimal,
    as_of: Date,
    min_trade: Decimal,
) -> Decimal {
    let (symbol, price) = (plan.positions[i].symbol.clone(), plan.positions[i].price);
    let mut lots = std::mem::take(&mut plan.positions[i].lots);
    let lots_before = lots.clone();
    let sale = if lots.is_empty() {
        tax::Sale { shares: wanted, ..Default::default() }
    } else {
        let aware = ctx.tax_aware() && !forced;
        let limits = Limits {
            avoid_short_term_gains: aware && ctx.tax.avoid_short_term_gains,
            gains_room: if aware { ctx.tax.gains_cap.map(|cap| cap - ctx.gains) } else { None },
            step,
        };
        tax::sell(&mut lots, wanted, price, as_of, ctx.tax, limits)
    };
    if !forced && sale.shares > Decimal::ZERO && money(sale.shares * price) < min_trade {
        // The tax settings cut the sale below the minimum trade: none is made.
        plan.positions[i].lots = lots_before;
        let text = format!(
            "{symbol}: the tax settings leave a sale of {}, below the minimum trade of {}",
            Money(money(sale.shares * price)),
            Money(min_trade)
        );
        note(plan, id, i, NoteKind::BelowMinimum, text);
        return Decimal::ZERO;
    }
    plan.positions[i].lots = lots;
    if sale.held_for_term > Decimal::ZERO {
        let text = format!(
            "{}: {} shares are not sold, to avoid realizing a short-term gain",
            symbol,
            sale.held_for_term.normalize()
        );
        plan.notes.push(Note { sleeve: id.to_owned(), symbol: symbol.clone(), kind: NoteKind::ShortTermGain, text });
    }
    if sale.held_for_cap > Decimal::ZERO {
        let text =
            format!("{}: {} shares are not sold, to stay within the gains cap", symbol, sale.held_for_cap.normalize());
        plan.notes.push(Note { sleeve: id.to_owned(), symbol: symbol.clone(), kind: NoteKind::GainsCap, text });
    }
    plan.positions[i].spoken = true;
    if sale.shares <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    if forced && ctx.tax_aware() {
        let gain = sale.gain();
        let over_cap = ctx.tax.gains_cap.is_some_and(|cap| ctx.gains + gain > cap);
        let short_gain =
            ctx.tax.avoid_short_term_gains && sale.lots.iter().any(|l| l.term == Term::Short && l.gain > Decimal::ZERO);
        if over_cap || short_gain {
            ctx.warnings.push(Warning {
                kind: WarningKind::TaxOverridden,
                sleeve: Some(id.to_owned()),
                symbol: Some(symbol.clone()),
                text: format!("{symbol} is sold whatever the tax settings: the account may not hold it."),
            });
        }
    }
    if let (true, Some(as_of)) = (ctx.tax_aware() && sale.gain() < Decimal::ZERO, ctx.as_of) {
        if ctx.bought_recently(&symbol, as_of) {
            let text = format!(
                "{symbol}: the sale's loss of {} is disallowed by the wash-sale rule ({symbol} was bought in the last 30 days)",
                Money(-sale.gain())
            );
            plan.notes.push(Note { sleeve: id.to_owned(), symbol: symbol.clone(), kind: NoteKind::WashSale, text });
        }
    }
    let mut order = sale_order(ctx, id, &symbol, &sale, price, plan.positions[i].reason);
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

/// The sleeve's outcome.
fn close(ctx: &Ctx<'_>, plan: &Plan, target_value: Decimal) -> SleeveTrades {
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

impl std::fmt::Display for Tactical {
    /// For people: each sleeve's orders and notes, then the warnings and the taxes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "Orders, sleeve by sleeve")?;
        for sleeve in &self.sleeves {
            let flow = if sleeve.flow.is_sign_negative() {
                format!("sends {}", Money(-sleeve.flow))
            } else {
                format!("receives {}", Money(sleeve.flow))
            };
            writeln!(
                f,
                "{} ({}): {} → {}, {flow}; cash {} → {}",
                sleeve.name,
                sleeve.model,
                Money(sleeve.value_before),
                Money(sleeve.value_after),
                Money(sleeve.cash_before),
                Money(sleeve.cash_after)
            )?;
            if !sleeve.holdings_listed {
                writeln!(f, "  (known by its value only: the cash moves, no orders)")?;
            }
            let mut table = crate::table::Table::new(["Side", "Shares", "Symbol", "Price", "Amount", "Reason"]);
            for o in &sleeve.orders {
                table.row([
                    o.side.name().to_owned(),
                    o.shares.normalize().to_string(),
                    o.symbol.clone(),
                    crate::format_money(o.price),
                    crate::format_money(o.amount),
                    o.reason.name().to_owned(),
                ]);
            }
            if !sleeve.orders.is_empty() {
                for line in table.to_string().lines() {
                    writeln!(f, "  {line}")?;
                }
            }
            for o in &sleeve.orders {
                writeln!(f, "  - {}", o.text)?;
            }
            for n in &sleeve.notes {
                writeln!(f, "  · {}.", n.text)?;
            }
        }
        for w in &self.warnings {
            writeln!(f, "Warning ({}): {}", w.kind.name(), w.text)?;
        }
        writeln!(
            f,
            "Account cash after: {}. Realized: {} short-term, {} long-term; estimated tax {}.",
            Money(self.account_cash_after),
            Money(self.short_term_gain),
            Money(self.long_term_gain),
            Money(self.estimated_tax)
        )
    }
}
