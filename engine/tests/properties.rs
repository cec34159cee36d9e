//! The laws of the strategic rebalance, checked on thousands of random scenarios:
//! no panic, value conserved to the cent, the pool ends at zero, no model ends further
//! from its target than it started (nor crosses it), every model ends in band, and
//! rebalancing the result again makes no trade. And the batch of a book of business:
//! each account's line is its single-account rebalance, and a summary gathered in parts
//! (as threads gather it) is the summary gathered in one pass.

use proptest::prelude::*;
use rust_decimal::Decimal;
use uma_engine::{Account, Band, BandSide, Model, Range, Scenario, Sleeve, Status};

/// Decimal from an integer count of hundredths (cents, or hundredths of a point).
fn hundredths(n: i64) -> Decimal {
    Decimal::new(n, 2)
}

fn band_side() -> impl Strategy<Value = BandSide> {
    (
        prop_oneof![
            (1i64..=5000).prop_map(|w| BandSide::relative(hundredths(w))),
            (0i64..=1500).prop_map(|w| BandSide::absolute(hundredths(w))),
        ],
        proptest::option::of(0i64..=300),
        proptest::option::of(0i64..=1000),
    )
        .prop_map(|(side, floor, cap)| {
            let floor = floor.map(hundredths);
            // A cap below the floor is invalid input, tested elsewhere: keep it above.
            let cap = cap.map(|c| hundredths(c).max(floor.unwrap_or_default()));
            BandSide { floor, cap, ..side }
        })
}

fn band() -> impl Strategy<Value = Band> {
    prop_oneof![
        3 => band_side().prop_map(Band::uniform),
        1 => (band_side(), band_side()).prop_map(|(below, above)| Band { below, above }),
    ]
}

fn range() -> impl Strategy<Value = Range> {
    prop_oneof![
        Just(Range::Target),
        Just(Range::Band),
        (1i64..=99).prop_map(|p| Range::Interior { percent_to_target: Decimal::from(p) }),
    ]
}

/// Targets in hundredths of a point that, with the cash target, add up to exactly 100.
fn targets(n: usize, cash_target: i64) -> impl Strategy<Value = Vec<Decimal>> {
    proptest::collection::vec(0u32..1000, n).prop_map(move |raw| {
        let budget = 10_000 - cash_target;
        let sum: i64 = raw.iter().map(|&r| i64::from(r)).sum::<i64>().max(1);
        let mut parts: Vec<i64> = raw.iter().map(|&r| i64::from(r) * budget / sum).collect();
        let assigned: i64 = parts.iter().sum();
        parts[0] += budget - assigned;
        parts.into_iter().map(hundredths).collect()
    })
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (1usize..=12, prop_oneof![3 => Just(0i64), 1 => 0i64..=2000])
        .prop_flat_map(|(n, cash_target)| {
            (
                targets(n, cash_target),
                proptest::collection::vec(proptest::option::of(band()), n),
                // Sleeve values in cents (up to $5 million), some empty.
                proptest::collection::vec(prop_oneof![1 => Just(0i64), 9 => 0i64..=500_000_000], n),
                prop_oneof![2 => Just(0i64), 1 => 0i64..=200_000_000],
                band(),
                range(),
                prop_oneof![3 => Just(100i64), 1 => 10i64..=500],
                Just(cash_target),
            )
        })
        .prop_filter("an account holds something", |(_, _, values, cash, ..)| values.iter().sum::<i64>() + cash > 0)
        .prop_map(|(targets, bands, values, cash, band, range, step, cash_target)| Scenario {
            version: uma_engine::FORMAT_VERSION,
            strategy: uma_engine::Strategy {
                models: targets
                    .iter()
                    .zip(bands)
                    .enumerate()
                    .map(|(i, (&target, band))| Model {
                        band,
                        ..Model::new(&format!("m{i}"), &format!("Model {i}"), target)
                    })
                    .collect(),
                cash_target: hundredths(cash_target),
                band,
                range,
                step: hundredths(step),
            },
            account: Account {
                cash: hundredths(cash),
                sleeves: values
                    .iter()
                    .enumerate()
                    .filter(|&(_, &v)| v > 0)
                    .map(|(i, &v)| Sleeve::valued(&format!("m{i}"), hundredths(v)))
                    .collect(),
                ..Account::default()
            },
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn rebalance_laws(scenario in scenario()) {
        let before = uma_engine::drift(&scenario).expect("generated scenarios are valid");
        let result = uma_engine::rebalance(&scenario).expect("generated scenarios are valid");

        // Value conserved to the cent.
        let after_total: Decimal = result.models.iter().map(|m| m.value_after).sum::<Decimal>() + result.cash_after;
        prop_assert_eq!(after_total, before.total_value);

        // The pool ends at zero: cash is exactly at its target.
        prop_assert_eq!(result.cash_after, before.cash_target_value);

        // Every model moves toward its target, never past it, and ends no further away.
        for (drift, outcome) in before.models.iter().zip(&result.models) {
            let from = drift.value - drift.target_value;
            let to = outcome.value_after - drift.target_value;
            prop_assert!(to.abs() <= from.abs(), "{} went from {} to {} off target", drift.id, from, to);
            prop_assert!(to.is_zero() || to.is_sign_negative() == from.is_sign_negative(), "{} crossed its target", drift.id);
            prop_assert!(outcome.value_after >= Decimal::ZERO);
        }

        // The trace accounts for every trade, in whole cents.
        for outcome in &result.models {
            let traced: Decimal = result.steps.iter().filter(|s| s.model == outcome.id).map(|s| s.amount).sum();
            prop_assert_eq!(traced, outcome.trade);
        }
        for step in &result.steps {
            prop_assert!(!step.amount.is_zero());
            prop_assert_eq!(step.amount, step.amount.round_dp(2));
        }
        if let Some(last) = result.steps.last() {
            prop_assert!(last.pool_after.is_zero());
        }

        // Every model ends in band, and a second rebalance trades nothing.
        let next = result.apply_to(&scenario);
        let after = uma_engine::drift(&next).unwrap();
        for model in &after.models {
            prop_assert_eq!(model.status, Status::InBand, "{} ends {:?}", model.id, model.status);
        }
        prop_assert!(!after.triggered);
        let again = uma_engine::rebalance(&next).unwrap();
        prop_assert!(again.steps.is_empty(), "a second rebalance traded:\n{}", again);
    }

    #[test]
    fn nothing_to_do_when_in_band_and_cash_on_target(scenario in scenario()) {
        let settled = uma_engine::rebalance(&scenario).unwrap().apply_to(&scenario);
        let result = uma_engine::rebalance(&settled).unwrap();
        prop_assert_eq!(result.traded, Decimal::ZERO);
    }

}

proptest! {
    // Each case runs a binary search of about 60 trial deposits: fewer cases suffice.
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// The smallest deposit puts every model in band with purchases only, leaves cash at
    /// or above its target, and a cent less would not do.
    #[test]
    fn smallest_deposit_restores_bands_without_sales(scenario in scenario()) {
        let Some(plan) = uma_engine::smallest_deposit(&scenario).unwrap() else {
            return Ok(());
        };
        let before = uma_engine::drift(&scenario).unwrap();
        let mut next = scenario.clone();
        next.account.cash = plan.cash_after;
        next.account.sleeves = before
            .models
            .iter()
            .zip(&plan.buys)
            .map(|(m, buy)| Sleeve::valued(&m.id, m.value + buy.amount))
            .collect();
        for buy in &plan.buys {
            prop_assert!(!buy.amount.is_sign_negative() || buy.amount.is_zero());
        }
        let after = uma_engine::drift(&next).unwrap();
        prop_assert_eq!(after.total_value, before.total_value + plan.deposit);
        prop_assert!(!after.triggered, "still out of band after depositing {}", plan.deposit);
        prop_assert!(after.cash >= after.cash_target_value - uma_engine::CENT);
        if !plan.deposit.is_zero() {
            let mut short = scenario.clone();
            short.account.cash += plan.deposit - uma_engine::CENT;
            let again = uma_engine::smallest_deposit(&short).unwrap().expect("a larger deposit fits");
            prop_assert!(!again.deposit.is_zero(), "{} was not the smallest deposit", plan.deposit);
        }
    }

    /// A withdrawal is raised by the rebalance: value conserved net of it, cash on target,
    /// every model in band.
    #[test]
    fn withdrawals_are_raised(scenario in scenario(), percent in 0i64..100) {
        let total = uma_engine::drift(&scenario).unwrap().total_value;
        let withdrawal = (total * Decimal::new(percent, 2)).round_dp(2);
        let result = uma_engine::rebalance_with_flow(&scenario, -withdrawal).unwrap();
        let after_total: Decimal = result.models.iter().map(|m| m.value_after).sum::<Decimal>() + result.cash_after;
        prop_assert_eq!(after_total, total - withdrawal);
        prop_assert_eq!(result.total_value, total - withdrawal);
        let next = result.apply_to(&scenario);
        let after = uma_engine::drift(&next).unwrap();
        prop_assert!(!after.triggered);
        prop_assert_eq!(after.cash, after.cash_target_value);
        prop_assert!(result.models.iter().all(|m| !m.value_after.is_sign_negative() || m.value_after.is_zero()));
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    /// Random edits of a valid scenario's JSON never panic: they parse, or fail with a
    /// message.
    #[test]
    fn no_panic_on_mangled_json(scenario in scenario(), cut in 0usize..4000, junk in "[-0-9.e\"{}\\[\\],:a-z ]{0,8}") {
        let text = scenario.to_json();
        let cut = cut.min(text.len());
        let cut = (0..=cut).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let mangled = format!("{}{}{}", &text[..cut], junk, &text[cut..]);
        match Scenario::from_json(&mangled) {
            Ok(parsed) => {
                let _ = uma_engine::rebalance(&parsed).unwrap();
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

/// Extreme but valid inputs: a one-cent account, the largest account, the smallest step.
#[test]
fn extremes_settle() {
    let base = |value: &str, cash: &str, step: &str| {
        format!(
            r#"{{"strategy": {{"models": [{{"id": "a", "target": "33.333333"}}, {{"id": "b", "target": "33.333333"}}, {{"id": "c", "target": "33.333334"}}],
              "band": {{"kind": "absolute", "width": "0"}}, "range": {{"mode": "band"}}, "step": "{step}"}},
              "account": {{"cash": "{cash}", "sleeves": [{{"model": "a", "value": "{value}"}}]}}}}"#
        )
    };
    for (value, cash, step) in
        [("0.01", "0", "1"), ("0", "0.02", "0.01"), ("999999999999999", "1", "100"), ("1000", "0", "0.01")]
    {
        let scenario = Scenario::from_json(&base(value, cash, step)).unwrap();
        let result = uma_engine::rebalance(&scenario).unwrap();
        let again = uma_engine::rebalance(&result.apply_to(&scenario)).unwrap();
        assert!(again.steps.is_empty(), "{value} {cash} {step}:\n{again}");
    }
}

/// A book of the strategies of up to three random scenarios, and accounts that each take
/// one scenario's account under one of the strategies (or one the book lacks): accounts
/// whose sleeves name another strategy's models are rejected, as they would be alone.
fn book_and_accounts() -> impl Strategy<Value = (uma_engine::Book, Vec<uma_engine::AccountRecord>)> {
    (
        proptest::collection::vec(scenario(), 1..=3),
        proptest::collection::vec((prop_oneof![8 => 0usize..3, 1 => Just(3usize)], 0usize..3), 1..=40),
    )
        .prop_map(|(scenarios, picks)| {
            let strategies = scenarios
                .iter()
                .enumerate()
                .map(|(k, s)| uma_engine::BookStrategy::new(&format!("s{k}"), "", s.strategy.clone()))
                .collect();
            let accounts = picks
                .iter()
                .enumerate()
                .map(|(i, &(strategy, source))| {
                    let account = scenarios[source % scenarios.len()].account.clone();
                    uma_engine::AccountRecord::new(&format!("A{i}"), &format!("s{strategy}"), account)
                })
                .collect();
            (uma_engine::Book { strategies }, accounts)
        })
}

/// The batch's laws: each account's line is its single-account rebalance (or it is
/// rejected exactly when that fails or its strategy is not in the book); a summary made
/// in parts, as threads make it, is the summary made in one pass; the sweep's first row
/// is the book as set; an accounts CSV reads back as the accounts it was written from.
#[test]
fn a_batch_is_each_account_rebalanced_alone() {
    use std::collections::BTreeMap;
    let counts: std::cell::RefCell<BTreeMap<String, usize>> = std::cell::RefCell::default();
    let mut runner =
        proptest::test_runner::TestRunner::new(ProptestConfig { cases: 1000, ..ProptestConfig::default() });
    runner
        .run(&(book_and_accounts(), 1usize..=5), |((book, accounts), parts)| {
            let add = |key: &str| *counts.borrow_mut().entry(key.to_owned()).or_default() += 1;
            let mut batch = uma_engine::Batch::new(&book, false);
            let mut whole = uma_engine::Summary::new(&book);
            let mut outcomes = Vec::new();
            for record in &accounts {
                let outcome = batch.run(record.clone());
                let alone = book.find(&record.strategy).map(|s| {
                    let strategy = book.strategies[s].strategy.clone();
                    uma_engine::rebalance(&Scenario { version: 2, strategy, account: record.account.clone() })
                });
                match (&outcome, alone) {
                    (Ok(line), Some(Ok(result))) => {
                        add(if line.triggered { "line triggered" } else { "line in band" });
                        prop_assert_eq!(line.traded, result.traded);
                        prop_assert_eq!(line.cash_after, result.cash_after);
                        let ours: Vec<_> =
                            line.models.iter().map(|m| (m.value_after, m.weight_after, m.trade)).collect();
                        let theirs: Vec<_> =
                            result.models.iter().map(|m| (m.value_after, m.weight_after, m.trade)).collect();
                        prop_assert_eq!(ours, theirs);
                        let ours: Vec<_> = line.steps.iter().map(|s| (s.phase, s.amount)).collect();
                        let theirs: Vec<_> = result.steps.iter().map(|s| (s.phase, s.amount)).collect();
                        prop_assert_eq!(ours, theirs);
                        prop_assert_eq!(
                            line.triggered,
                            result.steps.iter().any(|s| s.phase == uma_engine::Phase::OutOfBand)
                        );
                    }
                    (Err(rejected), Some(Err(e))) => {
                        add("rejected: invalid account");
                        prop_assert!(rejected.error.ends_with(&e.to_string()), "{} vs {}", rejected.error, e);
                    }
                    (Err(rejected), None) => {
                        add("rejected: strategy not in the book");
                        prop_assert!(rejected.error.contains("is not in the book"));
                    }
                    (outcome, alone) => {
                        prop_assert!(false, "batch {:?} but alone {:?}", outcome.is_ok(), alone.map(|r| r.is_ok()))
                    }
                }
                whole.add(&outcome);
                outcomes.push(outcome);
            }
            whole.finish();
            // Threads: the accounts split in `parts` runs, their summaries merged.
            let mut merged = uma_engine::Summary::new(&book);
            for chunk in outcomes.chunks(outcomes.len().div_ceil(parts)) {
                let mut part = uma_engine::Summary::new(&book);
                chunk.iter().for_each(|o| part.add(o));
                part.finish();
                merged.merge(&part);
            }
            prop_assert_eq!(&merged, &whole);
            let lines: Vec<_> = outcomes.iter().filter_map(|o| o.as_ref().ok()).collect();
            prop_assert_eq!(whole.traded, lines.iter().map(|l| l.traded).sum::<Decimal>());
            prop_assert_eq!(whole.triggered, lines.iter().filter(|l| l.triggered).count() as u64);
            prop_assert_eq!(whole.rebalanced + whole.rejected, accounts.len() as u64);
            // The sweep's first row is the book as set.
            let mut sweep = uma_engine::Sweep::new(&book, uma_engine::sweep_grid()[..2].to_vec());
            accounts.iter().for_each(|a| sweep.add(a.clone()));
            let rows = sweep.rows();
            prop_assert_eq!(
                (rows[0].accounts, rows[0].triggered, rows[0].traded),
                (whole.rebalanced, whole.triggered, whole.traded)
            );
            prop_assert_eq!(rows[0].drift_left, whole.drift_left);
            // CSV round trip.
            let back = uma_engine::accounts_from_csv(&uma_engine::accounts_to_csv(&accounts)).unwrap();
            for (a, b) in accounts.iter().zip(&back) {
                prop_assert_eq!(Some(a), b.as_ref().ok());
            }
            add("books");
            Ok(())
        })
        .unwrap();
    let counts = counts.into_inner();
    println!("batch corners: {counts:?}");
    for corner in ["line triggered", "line in band", "rejected: invalid account", "rejected: strategy not in the book"]
    {
        assert!(counts.get(corner).is_some_and(|&n| n > 20), "the generator reaches {corner}: {counts:?}");
    }
}
