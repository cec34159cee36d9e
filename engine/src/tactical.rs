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
//!    proxy, unless the security was bought in the wash-sale window before `as_of` or is on
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
//!    model's; none: any drift) by at least one share, or outside its range, or that must
//!    go, is traded to its target; one inside is left alone.
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
//!    the sleeve does not have; cash rounding leaves is invested again as step 4 would,
//!    until a pass buys nothing (a sale is made smaller rather than bought back). A trade
//!    below the minimum trade (the model's or the account's, whichever is larger), or a
//!    first purchase below the minimum opening trade, is not made; do-not-hold sales are made whatever their size and whatever the
//!    tax settings. Tax-aware sales take lots in the chosen order, skip short-term gains
//!    when asked, and stop at the gains cap.
//! 7. **Short or over.** A sleeve that cannot raise what it must send may sell one more
//!    security past its dollar target, if that stays within the model's `overshoot`
//!    allowance (points of the account) and inside the model's band; otherwise it stops
//!    short, says so, and the sleeves it was to pay receive less, pro rata.
//!
//! Nothing here panics or skips silently: every security of every planned sleeve gets an
//! order or a note saying why not, and conflicts or infeasible mandates are warnings.

//! 8. **Wash sales**, in a tax-aware account, accounted once every order is made: the
//!    loss on shares sold at a loss with replacement shares bought in the 30 days up to
//!    the sale, in any sleeve (this rebalance's purchases among them), is disallowed and
//!    added to the replacement shares' basis, with the sold shares' holding period.
//!
//! A tax-aware rebalance also reports what a tax-blind one would cost: the same
//! rebalance to the same sleeve values with lots first in first out, no short-term gain
//! avoided, no gains cap and no harvest; `tax_saved` is the difference.
//!
//! Each step is a module of its own: [`harvest`], [`targets`], [`tolerance`] (drift),
//! [`cash`], [`transfers`], [`trades`] (with [`sale`] for the lots of one sale),
//! [`shortfall`] and [`wash`]; [`plan`] holds the state they share. This module runs
//! them in order.

mod cash;
mod harvest;
mod plan;
mod sale;
mod shortfall;
mod targets;
mod tolerance;
mod trades;
mod transfers;
mod wash;

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::account::Account;
use crate::holdings::TradeSide;
use crate::mandates::LotMethod;
use crate::money::{pro_rata, to_cent};
use crate::orders::{NoteKind, OrderSide, Reason, SleeveTrades, Tactical};
use crate::outcome::{ModelOutcome, Rebalance};
use crate::prices::Prices;
use crate::scenario::Scenario;
use crate::tactical::plan::{close, open, Ctx, Plan};

/// The tactical rebalance after `strategic` (the cash each sleeve sends or receives, and
/// any deposit or withdrawal with it), or `None` when no sleeve lists holdings.
pub(crate) fn run(scenario: &Scenario, strategic: &Rebalance) -> Option<Tactical> {
    let mut tactical = within_the_cap(scenario, strategic)?;
    let tax = &scenario.account.mandates.tax;
    if tax.enabled && scenario.account.as_of.is_some() {
        // The same rebalance, blind to taxes: lots first in first out, short-term gains,
        // the gains cap and harvests ignored.
        let mut blind = scenario.clone();
        let settings = &mut blind.account.mandates.tax;
        settings.lots = LotMethod::Fifo;
        settings.avoid_short_term_gains = false;
        settings.gains_cap = None;
        settings.harvest = None;
        settings.specific.clear();
        if let Some(untaxed) = run_once(&blind, strategic, Decimal::ZERO) {
            tactical.tax_blind_estimated_tax = Some(untaxed.estimated_tax);
            tactical.tax_saved = Some(untaxed.estimated_tax - tactical.estimated_tax);
        }
    }
    Some(tactical)
}

/// At most this many more runs let sales held back by the gains cap use the room that
/// losses realized later in the same rebalance opened.
const CAP_PASSES: usize = 3;

/// The tactical rebalance, the gains cap an account-level budget whatever order the
/// sleeves trade in: sleeves that send cash trade first, so a sale held back by the cap
/// cannot use the room a later sleeve's losses open. When a sale was held back and room
/// is left at the end, the rebalance runs again with that room lent to the early sales,
/// and is kept if the ordinary sales together still stay within the cap. (A second
/// rebalance would otherwise find that room and sell then.)
fn within_the_cap(scenario: &Scenario, strategic: &Rebalance) -> Option<Tactical> {
    let mut best = run_once(scenario, strategic, Decimal::ZERO)?;
    let Some(cap) = scenario.account.mandates.tax.gains_cap.filter(|_| scenario.account.as_of.is_some()) else {
        return Some(best);
    };
    if !scenario.account.mandates.tax.enabled {
        return Some(best);
    }
    let earlier = earlier_gains(&scenario.account);
    let room_left = |t: &Tactical| {
        let ordinary = t.orders().filter(|o| o.side == OrderSide::Sell && o.reason != Reason::DoNotHold);
        cap - earlier - ordinary.map(|o| o.short_term_gain + o.long_term_gain).sum::<Decimal>()
    };
    let held = |t: &Tactical| t.sleeves.iter().flat_map(|s| &s.notes).any(|n| n.kind == NoteKind::GainsCap);
    let mut credit = Decimal::ZERO;
    for _ in 0..CAP_PASSES {
        let left = room_left(&best);
        if !held(&best) || left < Decimal::new(1, 2) {
            break;
        }
        credit += left;
        let Some(next) = run_once(scenario, strategic, credit) else { break };
        if room_left(&next) < Decimal::ZERO {
            break;
        }
        best = next;
    }
    Some(best)
}

/// The net gain of the account's sales earlier in the tax year of `as_of` (its recent
/// trades), the do-not-hold ones aside: what they used of the gains cap.
fn earlier_gains(account: &Account) -> Decimal {
    account
        .as_of
        .map(|as_of| {
            account
                .recent_trades
                .iter()
                .filter(|t| t.side == TradeSide::Sell && !t.forced)
                .filter(|t| t.date.year() == as_of.year() && t.date <= as_of)
                .map(|t| t.gain)
                .sum()
        })
        .unwrap_or_default()
}

/// One tactical rebalance of `scenario` after `strategic`, with `credit` of gains-cap
/// room lent to the sales (see [`within_the_cap`]).
fn run_once(scenario: &Scenario, strategic: &Rebalance, credit: Decimal) -> Option<Tactical> {
    if !scenario.account.sleeves.iter().any(|s| s.has_holdings()) {
        return None;
    }
    let account = &scenario.account;
    // The gains cap is a budget of the tax year: sales made earlier in the year of
    // `as_of` (the account's recent trades) have used part of it.
    let earlier_gains = earlier_gains(account) - credit;
    let mut ctx = Ctx {
        scenario,
        prices: Prices::of(account),
        mandates: &account.mandates,
        tax: &account.mandates.tax,
        as_of: account.as_of,
        total: strategic.total_value,
        harvested: BTreeSet::new(),
        short_term: Decimal::ZERO,
        long_term: Decimal::ZERO,
        estimated_tax: Decimal::ZERO,
        ordinary_gains: earlier_gains,
        disallowed_loss: Decimal::ZERO,
        bought_now: BTreeSet::new(),
        warnings: Vec::new(),
    };
    let mut plans = plan_sleeves(&mut ctx, &strategic.models);
    let value_flows = trade_in_order(&mut ctx, &mut plans, strategic);
    if let (true, Some(as_of)) = (ctx.tax_aware(), ctx.as_of) {
        let ids: Vec<&str> = plans.iter().map(|p| scenario.strategy.models[p.model].id.as_str()).collect();
        wash::account_wash_sales(&mut plans, &ids, as_of, ctx.tax);
        ctx.recount(&plans);
    }
    let sleeves: Vec<SleeveTrades> = scenario
        .strategy
        .models
        .iter()
        .enumerate()
        .map(|(m, model)| {
            let outcome = strategic.models.iter().find(|o| o.id == model.id);
            let (before, after) = outcome.map_or((Decimal::ZERO, Decimal::ZERO), |o| (o.value_before, o.value_after));
            match plans.iter().find(|p| p.model == m) {
                Some(plan) => close(&ctx, plan, after),
                None => {
                    let flow = value_flows.iter().find(|(i, _)| *i == model.id).map_or(after - before, |(_, f)| *f);
                    SleeveTrades::by_value(&model.id, model.label(), (before, after), flow)
                }
            }
        })
        .collect();
    let flows: Decimal = sleeves.iter().map(|s| s.flow).sum();
    Some(Tactical {
        account_cash_after: strategic.cash_before + strategic.flow - flows,
        sleeves,
        warnings: ctx.warnings,
        short_term_gain: ctx.short_term,
        long_term_gain: ctx.long_term,
        estimated_tax: ctx.estimated_tax,
        disallowed_loss: ctx.disallowed_loss,
        tax_blind_estimated_tax: None,
        tax_saved: None,
    })
}

/// Plans every sleeve that lists holdings (steps 1 to 5); the others move cash.
fn plan_sleeves(ctx: &mut Ctx<'_>, outcomes: &[ModelOutcome]) -> Vec<Plan> {
    let account = &ctx.scenario.account;
    let mut plans: Vec<Plan> = Vec::new();
    for (m, model) in ctx.scenario.strategy.models.iter().enumerate() {
        let Some(s) = account.sleeves.iter().position(|s| s.model == model.id && s.has_holdings()) else {
            continue;
        };
        let flow_asked = outcomes.iter().find(|o| o.id == model.id).map_or(Decimal::ZERO, |o| o.trade);
        plans.push(open(ctx, m, s, flow_asked));
    }
    for plan in &mut plans {
        harvest::harvest(ctx, plan);
    }
    for plan in &mut plans {
        targets::targets(ctx, plan);
        tolerance::drift(ctx, plan);
        cash::cash_flow(ctx, plan);
    }
    transfers::transfers(ctx, &mut plans);
    plans
}

/// Steps 6 and 7: senders first, then sleeves with no flow, then receivers with what was
/// raised, pro rata to what they asked and never more. A sleeve known by its value sends
/// or receives its strategic trade as cash; returns those sleeves' flows.
fn trade_in_order(ctx: &mut Ctx<'_>, plans: &mut [Plan], strategic: &Rebalance) -> Vec<(String, Decimal)> {
    let models = &ctx.scenario.strategy.models;
    let planned: Vec<&str> = plans.iter().map(|p| models[p.model].id.as_str()).collect();
    let by_value = |o: &&ModelOutcome| !planned.contains(&o.id.as_str());
    let mut flows: Vec<(String, Decimal)> = Vec::new();
    let mut pool = strategic.cash_before + strategic.flow - strategic.cash_after;
    for o in strategic.models.iter().filter(by_value).filter(|o| o.trade < Decimal::ZERO) {
        pool -= o.trade;
        flows.push((o.id.clone(), o.trade));
    }
    let mut senders: Vec<usize> = (0..plans.len()).filter(|&k| plans[k].flow_asked <= Decimal::ZERO).collect();
    senders.sort_by_key(|&k| (plans[k].flow_asked.is_zero(), k));
    for k in senders {
        let asked = plans[k].flow_asked;
        trades::execute(ctx, &mut plans[k], asked);
        pool -= plans[k].flow;
    }
    let value_receivers: Vec<(String, Decimal)> = strategic
        .models
        .iter()
        .filter(by_value)
        .filter(|o| o.trade > Decimal::ZERO)
        .map(|o| (o.id.clone(), o.trade))
        .collect();
    let plan_receivers: Vec<usize> = (0..plans.len()).filter(|&k| plans[k].flow_asked > Decimal::ZERO).collect();
    let mut asked_left: Decimal = value_receivers.iter().map(|(_, f)| *f).sum::<Decimal>()
        + plan_receivers.iter().map(|&k| plans[k].flow_asked).sum::<Decimal>();
    let mut grant = |asked: Decimal, pool: &mut Decimal| {
        let share = if asked_left <= asked { *pool } else { to_cent(pro_rata(*pool, asked, asked_left)) };
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
        trades::execute(ctx, &mut plans[k], granted);
    }
    flows
}
