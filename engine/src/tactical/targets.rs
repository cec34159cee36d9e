//! Step 2 of the tactical rebalance: each security's target weight in its sleeve, under
//! the account's mandates.
//!
//! - The model's own target: a weight-based model's weight; a share-based model's shares
//!   per unit at today's prices; a model that lists no securities keeps the holdings'
//!   proportions; a security the model does not list has target 0 (a harvest's proxy
//!   keeps what the harvest gave it).
//! - The mandates: a do-not-hold security's target is 0 (one also on do-not-sell is kept,
//!   and the conflict is a warning); one that cannot be bought (do-not-buy, on hold, a
//!   wash sale) keeps at most its weight now; one on do-not-sell at least its weight now.
//!   Each only where the drift step would trade it (see [`drifts`]): one a share or its
//!   tolerance away from its target keeps its target, so that the targets of a second
//!   rebalance are the first's.
//! - The weight freed goes where the model's `unspent_cash` says: kept as cash, spread pro
//!   rata over the securities that can be bought (each within its `max`), or to the
//!   security's replacement on the buy list; a wash sale's goes to the proxy.
//! - A weight range (`min`, `max`) bounds every target but a do-not-hold one: the
//!   account may not hold that security, whatever the model's least weight.
//! - Last, a security on do-not-sell whose target is still under its weight now is kept
//!   at that weight, and what it keeps over target comes out of the other securities pro
//!   rata (do-not-sell wins over their least weights).

use rust_decimal::Decimal;

use crate::money::Percent;
use crate::orders::{Note, NoteKind, Reason, Warning, WarningKind};
use crate::securities::UnspentCash;
use crate::tactical::plan::{model_id, note, settings, step_of, Ctx, Plan, Position};
use crate::tactical::tolerance::drifts;

/// Weight a restriction took from a security: (its position, the weight, why).
type Freed = (usize, Decimal, NoteKind);

/// Sets every position's target weight, mandates applied.
pub(crate) fn targets(ctx: &mut Ctx<'_>, plan: &mut Plan) {
    model_targets(ctx, plan);
    let (freed, kept_over) = apply_mandates(ctx, plan);
    for (i, weight, kind) in freed {
        reassign(ctx, plan, i, weight, kind);
    }
    // A weight range bounds every target but a do-not-hold one, which stays 0.
    for p in plan.positions.iter_mut().filter(|p| p.reason != Reason::DoNotHold) {
        if let Some(min) = p.min {
            p.target = p.target.max(min);
        }
        if let Some(max) = p.max {
            p.target = p.target.min(max);
        }
    }
    let kept_over = kept_over + keep_unsold(ctx, plan);
    squeeze_for_kept(ctx, plan, kept_over);
}

/// The model's own targets.
fn model_targets(ctx: &Ctx<'_>, plan: &mut Plan) {
    let model = ctx.model(plan);
    let held: Decimal = plan.positions.iter().map(Position::value).sum::<Decimal>() + plan.cash;
    let share_based = model.securities.iter().any(|s| s.shares.is_some());
    let unit: Decimal = model
        .securities
        .iter()
        .map(|s| s.shares.unwrap_or_default() * ctx.prices.get(&s.symbol).unwrap_or_default())
        .sum();
    let ratio = |part: Decimal, whole: Decimal| {
        if whole.is_zero() {
            Decimal::ZERO
        } else {
            part / whole * Decimal::ONE_HUNDRED
        }
    };
    for p in &mut plan.positions {
        let spec = model.securities.iter().find(|s| s.symbol == p.symbol);
        p.target = match spec {
            Some(s) if share_based => ratio(s.shares.unwrap_or_default() * p.price, unit),
            Some(s) => s.weight.unwrap_or_default(),
            None if model.securities.is_empty() => {
                p.reason = Reason::CashFlow;
                ratio(p.value(), held)
            }
            None if ctx.harvested.contains(&p.symbol) || p.reason == Reason::Proxy => p.target,
            None => {
                p.reason = Reason::NotInModel;
                Decimal::ZERO
            }
        };
    }
}

/// Applies the do-not-hold and do-not-buy (and hold, wash sale) mandates; returns the
/// weight freed and the weight a do-not-hold security on do-not-sell keeps over target.
fn apply_mandates(ctx: &mut Ctx<'_>, plan: &mut Plan) -> (Vec<Freed>, Decimal) {
    let id = model_id(ctx, plan).to_owned();
    let step = step_of(settings(ctx, plan));
    let value = plan.target_value();
    let weight_now =
        |p: &Position| if value.is_zero() { Decimal::ZERO } else { p.value() / value * Decimal::ONE_HUNDRED };
    let mut freed: Vec<Freed> = Vec::new();
    let mut kept_over = Decimal::ZERO;
    for i in 0..plan.positions.len() {
        let symbol = plan.positions[i].symbol.clone();
        let now = weight_now(&plan.positions[i]);
        if ctx.mandates.no_hold(&symbol) {
            if ctx.mandates.no_sell(&symbol) {
                kept_over += keep_conflicted(ctx, plan, i, now);
                continue;
            }
            let target = plan.positions[i].target;
            plan.positions[i].target = Decimal::ZERO;
            plan.positions[i].reason = Reason::DoNotHold;
            if target > Decimal::ZERO {
                freed.push((i, target, NoteKind::Restricted));
            }
            continue;
        }
        if let Some((kind, why)) = ctx.buy_block(&symbol, plan.positions[i].hold) {
            // Under its target by less than the drift step would buy, it is left as it is.
            let would_buy = drifts(&plan.positions[i], now, value, step);
            if plan.positions[i].target > now && would_buy {
                freed.push((i, plan.positions[i].target - now, kind));
                plan.positions[i].target = now;
                let text = format!("{why}: its target is held at its weight now, {}", plan.share_words(now));
                note(plan, &id, i, kind, text);
            }
        }
    }
    (freed, kept_over)
}

/// A security on do-not-sell whose target (freed weight included) is under its weight
/// now is kept at that weight; returns the weight kept over target. Applied after the
/// freed weight is spread, so that the target does not depend on whether the security
/// was already held: a second rebalance sets the same targets.
fn keep_unsold(ctx: &Ctx<'_>, plan: &mut Plan) -> Decimal {
    let id = model_id(ctx, plan).to_owned();
    let step = step_of(settings(ctx, plan));
    let value = plan.target_value();
    let mut kept_over = Decimal::ZERO;
    for i in 0..plan.positions.len() {
        let p = &plan.positions[i];
        if p.kept || !ctx.mandates.no_sell(&p.symbol) || value.is_zero() {
            continue;
        }
        let now = p.value() / value * Decimal::ONE_HUNDRED;
        // Over its target by less than the drift step would sell, it is left as it is.
        if p.target < now && drifts(p, now, value, step) {
            kept_over += now - p.target;
            let kept = if now <= Decimal::ONE_HUNDRED {
                format!("{} of the sleeve", Percent(now))
            } else {
                plan.share_words(now)
            };
            let text = format!("{} is on the account's do-not-sell list: kept at {kept}", p.symbol);
            plan.positions[i].target = now;
            plan.positions[i].kept = true;
            note(plan, &id, i, NoteKind::Restricted, text);
        }
    }
    kept_over
}

/// A security on both do-not-hold and do-not-sell: kept at its weight `now`, with a
/// warning; returns the weight kept over its target.
fn keep_conflicted(ctx: &mut Ctx<'_>, plan: &mut Plan, i: usize, now: Decimal) -> Decimal {
    let id = model_id(ctx, plan).to_owned();
    let symbol = plan.positions[i].symbol.clone();
    ctx.warnings.push(Warning {
        kind: WarningKind::Conflict,
        sleeve: Some(id.clone()),
        symbol: Some(symbol.clone()),
        text: format!(
            "{symbol} is on both the do-not-hold and the do-not-sell lists: it is kept, and the conflict needs a decision."
        ),
    });
    let over = now - plan.positions[i].target;
    plan.positions[i].target = now;
    plan.positions[i].kept = true;
    note(plan, &id, i, NoteKind::Restricted, format!("{symbol} is kept: do-not-hold and do-not-sell conflict"));
    over
}

/// Gives the `weight` freed from position `i` (for `kind` of reason) where the model's
/// `unspent_cash` says.
fn reassign(ctx: &mut Ctx<'_>, plan: &mut Plan, i: usize, weight: Decimal, kind: NoteKind) {
    let settings = &ctx.model(plan).tactical;
    let id = model_id(ctx, plan).to_owned();
    let symbol = plan.positions[i].symbol.clone();
    let replacement = if kind == NoteKind::WashSale {
        settings.proxy.clone().map(|proxy| (proxy, Reason::Proxy))
    } else if settings.unspent_cash == UnspentCash::Replacement {
        settings.buy_list.get(&symbol).cloned().map(|r| (r, Reason::Replacement))
    } else {
        None
    };
    let replacement = replacement.filter(|(r, _)| *r != symbol && ctx.buy_block(r, ctx.on_hold(plan, r)).is_none());
    let unspent = |text: String| Note { sleeve: id.clone(), symbol: symbol.clone(), kind: NoteKind::Unspent, text };
    if let Some((r, reason)) = replacement {
        let price = ctx.prices.get(&r).unwrap_or(Decimal::ONE);
        let k = plan.position(&r, price, settings.tolerance);
        let position = &mut plan.positions[k];
        position.target += weight;
        position.reason = reason;
        position.instead_of = Some(symbol.clone());
        let points = Percent(weight).to_string().trim_end_matches('%').to_owned();
        plan.notes.push(unspent(format!("{points} points of {symbol}'s target go to {r} instead")));
    } else if settings.unspent_cash == UnspentCash::Keep {
        plan.notes.push(unspent(format!("{symbol}'s unused {} of the sleeve is kept as cash", Percent(weight))));
    } else if let Some(left) = spread_pro_rata(ctx, plan, i, weight) {
        let text = if left > Decimal::new(1, 6) {
            format!("{symbol}'s unused weight is spread pro rata; {} stays in cash (weight ranges)", Percent(left))
        } else {
            format!("{symbol}'s unused {} of the sleeve is spread pro rata over the other securities", Percent(weight))
        };
        plan.notes.push(unspent(text));
    } else {
        let text =
            format!("{symbol}'s unused {} of the sleeve stays in cash: nothing else can be bought", Percent(weight));
        plan.notes.push(unspent(text));
        if plan.positions.iter().all(|q| ctx.buy_block(&q.symbol, q.hold).is_some()) {
            ctx.warnings.push(Warning {
                kind: WarningKind::Infeasible,
                sleeve: Some(id.clone()),
                symbol: None,
                text: format!(
                    "Every security of {} is restricted: its cash cannot be invested.",
                    ctx.model(plan).label()
                ),
            });
        }
    }
}

/// Spreads `weight` freed from position `i` over the securities that can be bought, pro
/// rata to their targets, each within its `max`; returns what is left, or `None` when
/// nothing can be bought.
fn spread_pro_rata(ctx: &Ctx<'_>, plan: &mut Plan, i: usize, weight: Decimal) -> Option<Decimal> {
    let symbol = plan.positions[i].symbol.clone();
    let eligible: Vec<usize> = (0..plan.positions.len())
        .filter(|&k| {
            let q = &plan.positions[k];
            k != i && !q.kept && q.target > Decimal::ZERO && ctx.buy_block(&q.symbol, q.hold).is_none()
        })
        .collect();
    let base: Decimal = eligible.iter().map(|&k| plan.positions[k].target).sum();
    if base.is_zero() {
        return None;
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
    Some(left)
}

/// Takes the weight do-not-sell keeps over target out of the other securities, pro rata.
fn squeeze_for_kept(ctx: &Ctx<'_>, plan: &mut Plan, kept_over: Decimal) {
    if kept_over <= Decimal::ZERO {
        return;
    }
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
