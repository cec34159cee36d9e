//! The laws of the tactical rebalance, checked on random accounts that list their
//! securities, with random mandates and settings. Each law is named; the run prints how
//! often each law applied and how often each reason, note, warning and corner of the
//! generator occurred, so that a law that never applies is seen.
//!
//! - `restrictions`: nothing on do-not-buy (or do-not-hold) is bought, nothing on
//!   do-not-sell is sold; no purchase of a security its model has on hold;
//! - `do_not_hold_sold`: everything on do-not-hold is sold unless also on do-not-sell,
//!   whatever the model's least weight and however small the holding;
//! - `shares`: no short position, no order of 0 shares, whole shares unless fractional,
//!   no trade below the minimum except a do-not-hold sale, lots adding up to holdings;
//! - `cash_and_value`: no negative cash; every sleeve's value moves by its strategic trade
//!   to within the cents each holding rounds to, unless a warning says it stopped short
//!   or sold past it; the account's value is conserved;
//! - `overshoot_in_band`: a sleeve that sold past its dollar target ends inside its band;
//! - `every_security_spoken`: every security of every planned sleeve has an order or a
//!   note;
//! - `one_side`: no sleeve both sells and buys one security;
//! - `gains_cap`: the ordinary (not do-not-hold) sales together realize at most the cap,
//!   losses the wash-sale rule disallows not counted;
//! - `wash_sales`: no harvest of a security bought in the same rebalance; every loss on a
//!   security with replacement shares bought in the window is disallowed as far as they
//!   go; the disallowed losses add up, none exceeds its loss, and the order's gains count
//!   only the allowed part;
//! - `terms`: every lot's term is the IRS's (more than a year from the day after the
//!   acquisition);
//! - `near_the_cap`: the same accounts scaled to about $600 trillion rebalance without a
//!   panic.
//!
//! The number of cases is `UMA_TACTICAL_CASES` (3,000 by default; a long run:
//! `UMA_TACTICAL_CASES=30000 cargo test --release -p uma-engine --test tactical_properties -- --nocapture`).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use rust_decimal::Decimal;
use uma_engine::{
    Account, Band, Holding, Lot, LotMethod, Mandates, Model, ModelSecurity, OrderSide, Range, Reason, Scenario, Sleeve,
    Tactical, TacticalSettings, TaxSettings, Term, UnspentCash, WarningKind,
};

const SYMBOLS: [&str; 8] = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG", "HHH"];

fn cents(n: i64) -> Decimal {
    Decimal::new(n, 2)
}

#[derive(Debug, Clone)]
struct Case {
    scenario: Scenario,
}

fn mandates() -> impl Strategy<Value = Mandates> {
    let pick = || proptest::sample::subsequence(SYMBOLS.to_vec(), 0..=2);
    (
        pick(),
        pick(),
        pick(),
        prop_oneof![2 => Just(0i64), 1 => 1i64..=300_000],
        any::<bool>(),
        prop_oneof![
            Just(LotMethod::HighestCost),
            Just(LotMethod::LowestTax),
            Just(LotMethod::Fifo),
            Just(LotMethod::Average)
        ],
        proptest::option::of(0i64..=500_000),
        any::<bool>(),
        proptest::option::of(1i64..=300_000),
    )
        .prop_map(|(dnb, dns, dnh, min_trade, tax_on, lots, cap, avoid, harvest)| Mandates {
            do_not_buy: dnb.into_iter().map(str::to_owned).collect(),
            do_not_sell: dns.into_iter().map(str::to_owned).collect(),
            do_not_hold: dnh.into_iter().map(str::to_owned).collect(),
            min_trade: cents(min_trade),
            cash_target: None,
            tax: TaxSettings {
                enabled: tax_on,
                short_term_rate: Decimal::from(37),
                long_term_rate: Decimal::from(20),
                lots,
                gains_cap: cap.map(cents),
                avoid_short_term_gains: avoid,
                harvest: harvest.map(cents),
                specific: Vec::new(),
            },
        })
}

fn settings() -> impl Strategy<Value = TacticalSettings> {
    (
        any::<bool>(),
        prop_oneof![Just(UnspentCash::Keep), Just(UnspentCash::ProRata), Just(UnspentCash::Replacement)],
        prop_oneof![2 => Just(0i64), 1 => 1i64..=300],
        proptest::option::of(0i64..=500),
        prop_oneof![2 => Just(0i64), 1 => 1i64..=200_000],
        any::<bool>(),
    )
        .prop_map(|(fractional, unspent, overshoot, tolerance, opening, proxy)| TacticalSettings {
            fractional,
            unspent_cash: unspent,
            overshoot: cents(overshoot),
            tolerance: tolerance.map(|w| uma_engine::BandSide::absolute(cents(w))),
            min_opening_trade: cents(opening),
            buy_list: [("AAA".to_owned(), "HHH".to_owned()), ("BBB".to_owned(), "GGG".to_owned())].into(),
            proxy: proxy.then(|| "FFF".to_owned()),
            ..TacticalSettings::default()
        })
}

/// A model: (security, weight, least weight in percent), its settings, and whether it
/// has its proxy on hold.
type ModelSpec = (Vec<(usize, u32, Option<u32>)>, TacticalSettings, bool);

fn model() -> impl Strategy<Value = ModelSpec> {
    let security =
        (prop_oneof![1 => Just(0u32), 6 => 1u32..=100], prop_oneof![4 => Just(None), 1 => (1u32..=30).prop_map(Some)]);
    (proptest::collection::btree_map(0usize..8, security, 1..=4), settings(), proptest::bool::weighted(0.15)).prop_map(
        |(weights, settings, proxy_on_hold)| {
            (weights.into_iter().map(|(s, (w, min))| (s, w, min)).collect(), settings, proxy_on_hold)
        },
    )
}

/// A sleeve: (security, shares, lots as (shares, cost a share in dollars, age in days)),
/// and its cash in cents.
type SleeveSpec = (Vec<(usize, u32, Vec<(u32, i64, i64)>)>, i64);

fn sleeve() -> impl Strategy<Value = SleeveSpec> {
    (
        proptest::collection::btree_map(
            0usize..8,
            (
                prop_oneof![1 => Just(0u32), 12 => 1u32..=400],
                proptest::collection::vec((1i64..=400, prop_oneof![1 => 0i64..=40, 2 => 0i64..=3000]), 0..=2),
            ),
            0..=4,
        ),
        prop_oneof![2 => Just(0i64), 1 => 0i64..=500_000],
    )
        .prop_map(|(holdings, cash)| {
            let holdings = holdings
                .into_iter()
                .map(|(s, (shares, lots))| {
                    // Lots split the shares; each has a cost a share and an age in days.
                    let lots = if lots.is_empty() || shares == 0 {
                        Vec::new()
                    } else {
                        let first = shares / 2;
                        let parts =
                            if lots.len() == 2 && first > 0 { vec![first, shares - first] } else { vec![shares] };
                        parts.into_iter().zip(lots).map(|(n, (cost, age))| (n, cost, age)).collect()
                    };
                    (s, shares, lots)
                })
                .collect();
            (holdings, cash)
        })
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..=4)
        .prop_flat_map(|n| {
            (
                proptest::collection::vec(model(), n),
                proptest::collection::vec(sleeve(), n),
                proptest::collection::vec(
                    prop_oneof![1 => 1i64..=20, 8 => 1i64..=50_000, 1 => 100_000i64..=10_000_000],
                    8,
                ),
                mandates(),
                prop_oneof![
                    Just(Range::Target),
                    Just(Range::Band),
                    Just(Range::Interior { percent_to_target: Decimal::from(50) })
                ],
                0i64..=1_000_000,
            )
        })
        .prop_map(|(models, sleeves, prices, mandates, range, cash)| {
            let n = models.len();
            let as_of: uma_engine::Date = "2026-11-24".parse().unwrap();
            let target = |i: usize| {
                let base = Decimal::from(100 / n as i64);
                if i == 0 {
                    Decimal::ONE_HUNDRED - base * Decimal::from(n as i64 - 1)
                } else {
                    base
                }
            };
            let models: Vec<Model> = models
                .into_iter()
                .enumerate()
                .map(|(i, (weights, tactical, proxy_on_hold))| {
                    let total: u32 = weights.iter().map(|(_, w, _)| w).sum::<u32>().max(1);
                    let securities = weights
                        .iter()
                        .map(|&(s, w, min)| ModelSecurity {
                            symbol: SYMBOLS[s].to_owned(),
                            weight: Some((Decimal::from(w) * Decimal::from(95) / Decimal::from(total)).round_dp(4)),
                            shares: None,
                            min: min.map(Decimal::from),
                            max: None,
                            tolerance: None,
                            hold: s == 6 || (s == 5 && proxy_on_hold),
                        })
                        .collect();
                    Model { securities, tactical, ..Model::new(&format!("m{i}"), "", target(i)) }
                })
                .collect();
            let sleeves: Vec<Sleeve> = sleeves
                .into_iter()
                .enumerate()
                .map(|(i, (holdings, cash))| Sleeve {
                    model: format!("m{i}"),
                    value: Decimal::ZERO,
                    cash: cents(cash),
                    holdings: holdings
                        .into_iter()
                        .map(|(s, shares, lots)| Holding {
                            symbol: SYMBOLS[s].to_owned(),
                            shares: Decimal::from(shares),
                            price: None,
                            lots: lots
                                .into_iter()
                                .map(|(n, cost, age)| Lot {
                                    shares: Decimal::from(n),
                                    cost_basis: Decimal::from(n) * cents(cost * 100),
                                    acquired: uma_engine::Date::from_days(as_of.days() - age),
                                    id: None,
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect();
            let prices: BTreeMap<String, Decimal> =
                SYMBOLS.iter().zip(prices).map(|(s, p)| ((*s).to_owned(), cents(p))).collect();
            let scenario = Scenario {
                version: 2,
                strategy: uma_engine::Strategy {
                    models,
                    cash_target: Decimal::ZERO,
                    band: Band::relative(Decimal::from(10)),
                    range,
                    step: Decimal::ONE,
                },
                account: Account {
                    cash: cents(cash),
                    sleeves,
                    as_of: Some(as_of),
                    prices,
                    mandates,
                    ..Account::default()
                },
            };
            Case { scenario }
        })
        .prop_filter("the account holds something", |c| c.scenario.validate().is_ok())
}

/// How often each law applied and each corner occurred.
#[derive(Default)]
struct Counts(BTreeMap<String, usize>);

impl Counts {
    fn add(&mut self, key: impl Into<String>) {
        *self.0.entry(key.into()).or_default() += 1;
    }
}

/// The IRS's term of a lot bought `acquired` and sold `sold`: long after the first
/// anniversary (February 28 for a February 29), written independently of the engine.
fn irs_term(acquired: uma_engine::Date, sold: uma_engine::Date) -> Term {
    let (y, m, d) = (acquired.year() + 1, acquired.month(), acquired.day());
    let anniversary = uma_engine::Date::new(y, m, d).or_else(|| uma_engine::Date::new(y, m, d - 1)).unwrap();
    if sold > anniversary {
        Term::Long
    } else {
        Term::Short
    }
}

fn fail(what: String) -> TestCaseError {
    TestCaseError::fail(what)
}

macro_rules! law {
    ($counts:expr, $name:literal, $cond:expr, $($arg:tt)*) => {{
        $counts.add(concat!("law ", $name));
        if !$cond {
            return Err(fail(format!(concat!($name, ": "), ) + &format!($($arg)*)));
        }
    }};
}

/// Every percentage written in `text` (`31.50%`).
fn percentages(text: &str) -> Vec<Decimal> {
    text.split('%')
        .rev()
        .skip(1)
        .filter_map(|before| {
            let digits: String = before
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            digits.parse().ok()
        })
        .collect()
}

/// Every law, on one case.
fn laws(case: &Case, counts: &mut Counts) -> Result<(), TestCaseError> {
    counts.add("cases");
    let scenario = &case.scenario;
    let result = uma_engine::rebalance(scenario).map_err(|e| fail(format!("generated scenarios are valid: {e}")))?;
    let Some(tactical) = result.tactical.as_ref() else {
        law!(counts, "no holdings, no tactical", scenario.account.sleeves.iter().all(|s| s.holdings.is_empty()), "");
        return Ok(());
    };
    corners(scenario, tactical, counts);
    sleeve_laws(scenario, tactical, counts)?;
    account_laws(scenario, &result, tactical, counts)?;
    tax_laws(scenario, tactical, counts)?;
    // A security's target is a share of its sleeve: no sentence names one over 100%.
    for sleeve in &tactical.sleeves {
        let texts = sleeve.orders.iter().map(|o| o.text.as_str()).chain(sleeve.notes.iter().map(|n| n.text.as_str()));
        let over = texts.flat_map(percentages).find(|p| *p > Decimal::ONE_HUNDRED);
        law!(counts, "targets_within_the_sleeve", over.is_none(), "{} names a weight of {:?}%", sleeve.model, over);
    }
    for sleeve in &tactical.sleeves {
        let sells: BTreeSet<&str> =
            sleeve.orders.iter().filter(|o| o.side == OrderSide::Sell).map(|o| o.symbol.as_str()).collect();
        let both = sleeve.orders.iter().find(|o| o.side == OrderSide::Buy && sells.contains(o.symbol.as_str()));
        law!(counts, "one_side", both.is_none(), "{} both sells and buys {:?}", sleeve.model, both.map(|o| &o.symbol));
    }
    // Not a law yet (see the README): how often a second rebalance of the result trades,
    // by whether taxes are minded and whether the strategic rebalance triggers again.
    let next = result.apply_to(scenario);
    if let Ok(again) = uma_engine::rebalance(&next) {
        if again.tactical.as_ref().is_some_and(|t| t.orders().next().is_some()) {
            let taxed = scenario.account.mandates.tax.enabled && scenario.account.as_of.is_some();
            let strategic = again.steps.iter().any(|s| !s.amount.is_zero());
            counts.add("info: a second rebalance trades");
            counts
                .add(format!("info: a second rebalance trades (taxes minded: {taxed}, strategic again: {strategic})"));
        }
    }
    Ok(())
}

/// The corners of the generator this case reaches, and its reasons, notes and warnings.
fn corners(scenario: &Scenario, tactical: &Tactical, counts: &mut Counts) {
    let m = &scenario.account.mandates;
    for order in tactical.orders() {
        counts.add(format!("reason {:?}", order.reason));
    }
    for sleeve in &tactical.sleeves {
        for note in &sleeve.notes {
            counts.add(format!("note {:?}", note.kind));
        }
    }
    for warning in &tactical.warnings {
        counts.add(format!("warning {:?}", warning.kind));
    }
    if !tactical.disallowed_loss.is_zero() {
        counts.add("corner wash sale accounted");
    }
    if tactical.orders().any(|o| o.side == OrderSide::TransferOut) {
        counts.add("corner transfer in kind");
    }
    let min_on_dnh =
        scenario.strategy.models.iter().flat_map(|x| &x.securities).any(|x| x.min.is_some() && m.no_hold(&x.symbol));
    if min_on_dnh {
        counts.add("corner do-not-hold with a least weight");
    }
    if m.tax.gains_cap.is_some() && m.tax.enabled {
        counts.add("corner gains cap");
    }
    let holdings = scenario.account.sleeves.iter().flat_map(|s| &s.holdings);
    if holdings.clone().any(|h| h.shares.is_zero()) {
        counts.add("corner holding of 0 shares");
    }
    if scenario.account.prices.values().any(|p| *p < Decimal::ONE) {
        counts.add("corner price under $1");
    }
    if scenario.account.prices.values().any(|p| *p >= Decimal::from(1000)) {
        counts.add("corner price of $1,000 or more");
    }
    if scenario.strategy.models.iter().flat_map(|x| &x.securities).any(|x| x.weight == Some(Decimal::ZERO)) {
        counts.add("corner model security with a target of 0");
    }
    let shared = {
        let mut seen = BTreeMap::<&str, usize>::new();
        for s in &scenario.account.sleeves {
            for h in s.holdings.iter().map(|h| h.symbol.as_str()).collect::<BTreeSet<_>>() {
                *seen.entry(h).or_default() += 1;
            }
        }
        seen.values().any(|n| *n > 1)
    };
    if shared {
        counts.add("corner a security held in several sleeves");
    }
}

/// The laws of each sleeve.
fn sleeve_laws(scenario: &Scenario, tactical: &Tactical, counts: &mut Counts) -> Result<(), TestCaseError> {
    let m = &scenario.account.mandates;
    let prices = &scenario.account.prices;
    for sleeve in &tactical.sleeves {
        let model = scenario.strategy.models.iter().find(|x| x.id == sleeve.model).unwrap();
        let held: Vec<&Holding> =
            scenario.account.sleeves.iter().filter(|s| s.model == sleeve.model).flat_map(|s| &s.holdings).collect();
        let before: BTreeMap<&str, Decimal> = held.iter().map(|h| (h.symbol.as_str(), h.shares)).collect();
        let min_trade = model.tactical.min_trade.max(m.min_trade);
        for order in &sleeve.orders {
            let symbol = order.symbol.as_str();
            match order.side {
                OrderSide::Buy => {
                    law!(counts, "restrictions", !m.no_buy(symbol), "bought {symbol} on do-not-buy or do-not-hold");
                    let on_hold = model.securities.iter().any(|x| x.symbol == symbol && x.hold);
                    law!(counts, "restrictions", !on_hold, "{} bought {symbol}, on hold", sleeve.model);
                    law!(counts, "shares", order.amount >= min_trade, "a purchase below the minimum: {order:?}");
                }
                OrderSide::Sell => {
                    law!(counts, "restrictions", !m.no_sell(symbol), "sold {symbol} on do-not-sell");
                    let forced = m.no_hold(symbol);
                    law!(counts, "shares", forced || order.amount >= min_trade, "a sale below the minimum: {order:?}");
                }
                OrderSide::TransferIn | OrderSide::TransferOut => {}
            }
            law!(counts, "shares", order.shares > Decimal::ZERO, "an order of no shares: {order:?}");
            if !model.tactical.fractional {
                law!(counts, "shares", order.shares == order.shares.trunc(), "fractional shares in {}", sleeve.model);
            }
            law!(counts, "shares", order.amount == (order.shares * order.price).round_dp(2), "amount of {order:?}");
        }
        for holding in &sleeve.holdings_after {
            law!(counts, "shares", holding.shares > Decimal::ZERO, "{} holds 0 {}", sleeve.model, holding.symbol);
            let (dnh, dns) = (m.no_hold(&holding.symbol), m.no_sell(&holding.symbol));
            law!(
                counts,
                "do_not_hold_sold",
                !dnh || dns,
                "{} still holds {} on do-not-hold",
                sleeve.model,
                holding.symbol
            );
            let lots: Decimal = holding.lots.iter().map(|l| l.shares).sum();
            law!(
                counts,
                "shares",
                holding.lots.is_empty() || lots == holding.shares,
                "lots {lots} vs shares {}",
                holding.shares
            );
        }
        for (symbol, shares) in &before {
            let moved = |sides: &[OrderSide]| -> Decimal {
                sleeve.orders.iter().filter(|o| o.symbol == *symbol && sides.contains(&o.side)).map(|o| o.shares).sum()
            };
            let (sold, bought) =
                (moved(&[OrderSide::Sell, OrderSide::TransferOut]), moved(&[OrderSide::Buy, OrderSide::TransferIn]));
            law!(counts, "shares", sold <= *shares + bought, "{} sold {sold} of {shares} held", sleeve.model);
        }
        law!(
            counts,
            "cash_and_value",
            sleeve.cash_after >= Decimal::ZERO,
            "{} ends with cash {}",
            sleeve.model,
            sleeve.cash_after
        );
        if sleeve.holdings_listed {
            let slack = Decimal::new(1, 2) * Decimal::from(sleeve.holdings_after.len() + before.len() + 1);
            let moved = sleeve.value_before + sleeve.flow + sleeve.transferred;
            law!(
                counts,
                "cash_and_value",
                (sleeve.value_after - moved).abs() <= slack,
                "{}: {moved} vs {}",
                sleeve.model,
                sleeve.value_after
            );
            let worth: Decimal =
                sleeve.holdings_after.iter().map(|h| (h.shares * prices[&h.symbol]).round_dp(2)).sum::<Decimal>()
                    + sleeve.cash_after;
            law!(
                counts,
                "cash_and_value",
                (worth - sleeve.value_after).abs() <= slack,
                "{} worth {worth}",
                sleeve.model
            );
            // Every security of the sleeve has an order or a note.
            let mut symbols: BTreeSet<&str> = before.keys().copied().collect();
            symbols.extend(model.securities.iter().map(|x| x.symbol.as_str()));
            symbols.extend(sleeve.orders.iter().map(|o| o.symbol.as_str()));
            for symbol in symbols {
                let spoken =
                    sleeve.orders.iter().any(|o| o.symbol == symbol) || sleeve.notes.iter().any(|n| n.symbol == symbol);
                law!(
                    counts,
                    "every_security_spoken",
                    spoken,
                    "{}: nothing says why {symbol} is not traded",
                    sleeve.model
                );
            }
        }
        let asked = sleeve.target_value - sleeve.value_before;
        let explained =
            tactical.warnings.iter().any(|w| matches!(w.kind, WarningKind::StoppedShort | WarningKind::Overshoot));
        law!(
            counts,
            "cash_and_value",
            sleeve.flow + sleeve.transferred == asked || explained,
            "{} moved {} of {asked} without a warning",
            sleeve.model,
            sleeve.flow
        );
    }
    Ok(())
}

/// The laws of the whole account.
fn account_laws(
    scenario: &Scenario,
    result: &uma_engine::Rebalance,
    tactical: &Tactical,
    counts: &mut Counts,
) -> Result<(), TestCaseError> {
    law!(
        counts,
        "cash_and_value",
        tactical.account_cash_after >= Decimal::ZERO,
        "account cash {}",
        tactical.account_cash_after
    );
    let total: Decimal = tactical.sleeves.iter().map(|s| s.value_after).sum::<Decimal>() + tactical.account_cash_after;
    let slack =
        Decimal::new(1, 2) * Decimal::from(tactical.sleeves.iter().map(|s| s.holdings_after.len() + 4).sum::<usize>());
    law!(
        counts,
        "cash_and_value",
        (total - result.total_value).abs() <= slack,
        "value {total} vs {}",
        result.total_value
    );
    law!(counts, "shares", tactical.to_csv().lines().count() == tactical.orders().count() + 1, "the blotter's lines");
    for warning in tactical.warnings.iter().filter(|w| w.kind == WarningKind::Overshoot) {
        let sleeve = tactical.sleeves.iter().find(|s| Some(&s.model) == warning.sleeve.as_ref()).unwrap();
        let model = scenario.strategy.models.iter().find(|x| x.id == sleeve.model).unwrap();
        let (lower, _) = scenario.strategy.band_of(model).bounds(model.target);
        let weight = sleeve.value_after / result.total_value * Decimal::ONE_HUNDRED;
        let slack = Decimal::from(sleeve.holdings_after.len() + 1) / result.total_value * Decimal::ONE_HUNDRED;
        law!(
            counts,
            "overshoot_in_band",
            weight + slack >= lower,
            "{} ends at {weight}%, under its band {lower}%",
            sleeve.model
        );
    }
    Ok(())
}

/// The laws of taxes: the gains cap, wash sales, terms.
fn tax_laws(scenario: &Scenario, tactical: &Tactical, counts: &mut Counts) -> Result<(), TestCaseError> {
    let m = &scenario.account.mandates;
    let Some(as_of) = scenario.account.as_of.filter(|_| m.tax.enabled) else { return Ok(()) };
    let sales: Vec<&uma_engine::Order> = tactical.orders().filter(|o| o.side == OrderSide::Sell).collect();
    if let Some(cap) = m.tax.gains_cap {
        let ordinary: Decimal =
            sales.iter().filter(|o| o.reason != Reason::DoNotHold).map(|o| o.short_term_gain + o.long_term_gain).sum();
        law!(counts, "gains_cap", ordinary <= cap, "ordinary sales realize {ordinary}, over the cap {cap}");
    }
    let bought: BTreeSet<&str> =
        tactical.orders().filter(|o| matches!(o.side, OrderSide::Buy)).map(|o| o.symbol.as_str()).collect();
    let mut disallowed = Decimal::ZERO;
    for sale in &sales {
        if sale.reason == Reason::Harvest {
            law!(
                counts,
                "wash_sales",
                !bought.contains(sale.symbol.as_str()),
                "{} harvested and bought again",
                sale.symbol
            );
        }
        let (mut st, mut lt) = (Decimal::ZERO, Decimal::ZERO);
        for lot in &sale.lots {
            law!(
                counts,
                "terms",
                lot.term == irs_term(lot.acquired, as_of),
                "{} bought {} is {:?}",
                sale.symbol,
                lot.acquired,
                lot.term
            );
            let loss = (-lot.gain).max(Decimal::ZERO);
            law!(
                counts,
                "wash_sales",
                lot.disallowed_loss >= Decimal::ZERO && lot.disallowed_loss <= loss,
                "disallowed {} of a loss of {loss}",
                lot.disallowed_loss
            );
            disallowed += lot.disallowed_loss;
            match lot.term {
                Term::Short => st += lot.gain + lot.disallowed_loss,
                Term::Long => lt += lot.gain + lot.disallowed_loss,
            }
        }
        law!(
            counts,
            "wash_sales",
            (sale.short_term_gain, sale.long_term_gain) == (st, lt),
            "{} counts {} / {}, its lots {st} / {lt}",
            sale.symbol,
            sale.short_term_gain,
            sale.long_term_gain
        );
    }
    // A security sold at a loss in one sleeve and bought in another the same day: the
    // wash-sale rule disallows part of its losses (a replacement share serves one sale).
    for sale in sales.iter().filter(|o| o.lots.iter().any(|l| l.gain < Decimal::ZERO)) {
        let bought_elsewhere =
            tactical.orders().any(|o| o.side == OrderSide::Buy && o.symbol == sale.symbol && o.sleeve != sale.sleeve);
        if bought_elsewhere {
            let washed: Decimal =
                sales.iter().filter(|o| o.symbol == sale.symbol).flat_map(|o| &o.lots).map(|l| l.disallowed_loss).sum();
            // Unless the replacement is so small that its share of the loss rounds to no cent.
            let bought: Decimal = tactical
                .orders()
                .filter(|o| o.side == OrderSide::Buy && o.symbol == sale.symbol && o.sleeve != sale.sleeve)
                .map(|o| o.shares)
                .sum();
            let loss_per_share: Decimal = sale
                .lots
                .iter()
                .filter(|l| l.gain < Decimal::ZERO)
                .map(|l| -l.gain / l.shares)
                .fold(Decimal::ZERO, Decimal::max);
            let tiny = bought * loss_per_share < Decimal::new(1, 2);
            law!(
                counts,
                "wash_sales",
                washed > Decimal::ZERO || tiny,
                "{} sold at a loss and bought the same day, nothing disallowed",
                sale.symbol
            );
        }
    }
    law!(
        counts,
        "wash_sales",
        disallowed == tactical.disallowed_loss,
        "lots disallow {disallowed}, the total says {}",
        tactical.disallowed_loss
    );
    Ok(())
}

/// `scenario` scaled to about $600 trillion.
fn near_the_cap(scenario: &Scenario) -> Option<Scenario> {
    let total: Decimal = scenario.sleeve_values().iter().copied().sum::<Decimal>() + scenario.account.cash;
    let factor = (Decimal::from(600_000_000_000_000i64) / total).trunc();
    let mut big = scenario.clone();
    big.account.cash = (big.account.cash * factor).round_dp(2);
    for sleeve in &mut big.account.sleeves {
        sleeve.cash = (sleeve.cash * factor).round_dp(2);
        sleeve.value = Decimal::ZERO;
        for holding in &mut sleeve.holdings {
            holding.shares *= factor;
            for lot in &mut holding.lots {
                lot.shares *= factor;
                lot.cost_basis = (lot.cost_basis * factor).round_dp(2);
            }
        }
    }
    for model in &mut big.strategy.models {
        model.tactical.min_trade *= factor;
        model.tactical.min_opening_trade *= factor;
    }
    big.validate().ok().map(|_| big)
}

#[test]
fn tactical_laws() {
    let cases = std::env::var("UMA_TACTICAL_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(3000);
    let config = Config { cases, ..Config::default() };
    // `UMA_TACTICAL_SEED=N` replays the same cases, to compare two versions of the engine.
    let mut runner = match std::env::var("UMA_TACTICAL_SEED").ok().and_then(|s| s.parse::<u8>().ok()) {
        Some(seed) => TestRunner::new_with_rng(
            config,
            proptest::test_runner::TestRng::from_seed(proptest::test_runner::RngAlgorithm::ChaCha, &[seed; 32]),
        ),
        None => TestRunner::new(config),
    };
    let counts = RefCell::new(Counts::default());
    let outcome = runner.run(&case(), |case| {
        let mut counts = counts.borrow_mut();
        if let Err(e) = laws(&case, &mut counts) {
            // The failing account, as a scenario file to run with `uma rebalance`.
            let _ = std::fs::write(std::env::temp_dir().join("uma-tactical-failure.json"), case.scenario.to_json());
            return Err(e);
        }
        if let Some(big) = near_the_cap(&case.scenario) {
            let outcome = std::panic::catch_unwind(|| uma_engine::rebalance(&big).map(drop));
            counts.add("law near_the_cap");
            match outcome {
                Ok(Ok(())) => {}
                Ok(Err(e)) => return Err(fail(format!("near_the_cap: the account scaled to $600 trillion: {e}"))),
                Err(_) => {
                    let _ = std::fs::write(std::env::temp_dir().join("uma-near-the-cap.json"), big.to_json());
                    return Err(fail("near_the_cap: the account scaled to $600 trillion panicked".into()));
                }
            }
        }
        Ok(())
    });
    let counts = counts.into_inner();
    println!("tactical laws over {cases} cases (each count: cases or orders where it applied):");
    for (key, n) in &counts.0 {
        println!("  {n:>7}  {key}");
    }
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
