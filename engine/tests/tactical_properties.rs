//! The laws of the tactical rebalance, checked on random accounts that list their
//! securities, with random mandates and settings: no panic; nothing on do-not-buy (or
//! do-not-hold, or a wash sale) is bought, nothing on do-not-sell is sold, everything on
//! do-not-hold is sold unless it is also on do-not-sell; no short position and no
//! negative cash; whole shares unless fractional; no trade below the minimum except a
//! do-not-hold sale; every sleeve's value moves by its strategic trade to within the
//! cents each holding rounds to, unless a warning says it stopped short or sold past it;
//! and the account's value is conserved.

use std::collections::BTreeMap;

use proptest::prelude::*;
use rust_decimal::Decimal;
use uma_engine::{
    Account, Band, Holding, Lot, LotMethod, Mandates, Model, ModelSecurity, OrderSide, Range, Scenario, Sleeve,
    TacticalSettings, TaxSettings, UnspentCash, WarningKind,
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
        prop_oneof![Just(LotMethod::HighestCost), Just(LotMethod::LowestTax), Just(LotMethod::Fifo)],
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

fn model(i: usize) -> impl Strategy<Value = (Vec<(usize, u32)>, TacticalSettings)> {
    let _ = i;
    (proptest::collection::btree_map(0usize..8, 1u32..=100, 1..=4), settings())
        .prop_map(|(weights, settings)| (weights.into_iter().collect(), settings))
}

/// A sleeve: (security, shares, lots as (shares, cost a share in dollars, age in days)),
/// and its cash in cents.
type SleeveSpec = (Vec<(usize, u32, Vec<(u32, i64, i64)>)>, i64);

fn sleeve() -> impl Strategy<Value = SleeveSpec> {
    (
        proptest::collection::btree_map(
            0usize..8,
            (0u32..=400, proptest::collection::vec((1i64..=400, 0i64..=3000), 0..=2)),
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
                proptest::collection::vec(model(0), n),
                proptest::collection::vec(sleeve(), n),
                proptest::collection::vec(1i64..=50_000, 8),
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
                .map(|(i, (weights, tactical))| {
                    let total: u32 = weights.iter().map(|(_, w)| w).sum();
                    let securities = weights
                        .iter()
                        .map(|&(s, w)| ModelSecurity {
                            symbol: SYMBOLS[s].to_owned(),
                            weight: Some((Decimal::from(w) * Decimal::from(95) / Decimal::from(total)).round_dp(4)),
                            shares: None,
                            min: None,
                            max: None,
                            tolerance: None,
                            hold: s == 6,
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn tactical_laws(case in case()) {
        let scenario = &case.scenario;
        let result = uma_engine::rebalance(scenario).expect("generated scenarios are valid");
        let tactical = result.tactical.as_ref();
        let Some(tactical) = tactical else {
            // No sleeve listed holdings.
            prop_assert!(scenario.account.sleeves.iter().all(|s| s.holdings.is_empty()));
            return Ok(());
        };
        let m = &scenario.account.mandates;
        let prices = &scenario.account.prices;
        for sleeve in &tactical.sleeves {
            let model = scenario.strategy.models.iter().find(|x| x.id == sleeve.model).unwrap();
            let before: BTreeMap<&str, Decimal> = scenario
                .account
                .sleeves
                .iter()
                .filter(|s| s.model == sleeve.model)
                .flat_map(|s| s.holdings.iter().map(|h| (h.symbol.as_str(), h.shares)))
                .collect();
            let min_trade = model.tactical.min_trade.max(m.min_trade);
            for order in &sleeve.orders {
                let symbol = order.symbol.as_str();
                match order.side {
                    OrderSide::Buy => {
                        prop_assert!(!m.do_not_buy.iter().any(|s| s == symbol), "bought {} on do-not-buy", symbol);
                        prop_assert!(!m.do_not_hold.iter().any(|s| s == symbol), "bought {} on do-not-hold", symbol);
                        prop_assert!(order.amount >= min_trade, "a purchase below the minimum: {:?}", order);
                    }
                    OrderSide::Sell => {
                        prop_assert!(!m.do_not_sell.iter().any(|s| s == symbol), "sold {} on do-not-sell", symbol);
                        let forced = m.do_not_hold.iter().any(|s| s == symbol);
                        prop_assert!(forced || order.amount >= min_trade, "a sale below the minimum: {:?}", order);
                    }
                    OrderSide::TransferIn | OrderSide::TransferOut => {}
                }
                prop_assert!(order.shares > Decimal::ZERO);
                if !model.tactical.fractional {
                    prop_assert_eq!(order.shares, order.shares.trunc(), "fractional shares in {}", sleeve.model);
                }
                prop_assert_eq!(order.amount, (order.shares * order.price).round_dp(2));
            }
            // A security is never sold beyond what is held, and do-not-hold is gone.
            for holding in &sleeve.holdings_after {
                prop_assert!(holding.shares > Decimal::ZERO);
                let on_dnh = m.do_not_hold.contains(&holding.symbol);
                let on_dns = m.do_not_sell.contains(&holding.symbol);
                prop_assert!(!on_dnh || on_dns, "{} still holds {} on do-not-hold", sleeve.model, holding.symbol);
                let lots: Decimal = holding.lots.iter().map(|l| l.shares).sum();
                prop_assert!(holding.lots.is_empty() || lots == holding.shares, "lots {} vs shares {}", lots, holding.shares);
            }
            for (symbol, shares) in &before {
                let sold: Decimal = sleeve.orders.iter().filter(|o| o.symbol == *symbol && matches!(o.side, OrderSide::Sell | OrderSide::TransferOut)).map(|o| o.shares).sum();
                let bought: Decimal = sleeve.orders.iter().filter(|o| o.symbol == *symbol && matches!(o.side, OrderSide::Buy | OrderSide::TransferIn)).map(|o| o.shares).sum();
                prop_assert!(sold <= *shares + bought, "{} sold {} of {} held", sleeve.model, sold, shares);
            }
            prop_assert!(sleeve.cash_after >= Decimal::ZERO, "{} ends with cash {}", sleeve.model, sleeve.cash_after);
            // The value moved is the strategic trade, within the holdings' rounding.
            let slack = Decimal::new(1, 2) * Decimal::from(sleeve.holdings_after.len() + before.len() + 1);
            if sleeve.holdings_listed {
                prop_assert!((sleeve.value_after - (sleeve.value_before + sleeve.flow + sleeve.transferred)).abs() <= slack,
                    "{}: {} + {} vs {}", sleeve.model, sleeve.value_before, sleeve.flow, sleeve.value_after);
                // The held value is what the holdings are worth at their prices.
                let worth: Decimal = sleeve.holdings_after.iter().map(|h| (h.shares * prices[&h.symbol]).round_dp(2)).sum::<Decimal>() + sleeve.cash_after;
                prop_assert!((worth - sleeve.value_after).abs() <= slack);
            }
            let asked = sleeve.target_value - sleeve.value_before;
            let explained = tactical.warnings.iter().any(|w| matches!(w.kind, WarningKind::StoppedShort | WarningKind::Overshoot));
            prop_assert!(sleeve.flow + sleeve.transferred == asked || explained, "{} moved {} of {} without a warning", sleeve.model, sleeve.flow, asked);
        }
        prop_assert!(tactical.account_cash_after >= Decimal::ZERO, "account cash {}", tactical.account_cash_after);
        let total: Decimal = tactical.sleeves.iter().map(|s| s.value_after).sum::<Decimal>() + tactical.account_cash_after;
        let slack = Decimal::new(1, 2) * Decimal::from(tactical.sleeves.iter().map(|s| s.holdings_after.len() + 4).sum::<usize>());
        prop_assert!((total - result.total_value).abs() <= slack, "value {} vs {}", total, result.total_value);
        // The blotter has one line per order.
        prop_assert_eq!(tactical.to_csv().lines().count(), tactical.orders().count() + 1);
    }
}
