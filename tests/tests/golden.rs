//! Golden cases of the strategic rebalance, worked by hand: the white paper's example,
//! each range mode, each phase, both pool directions, a deposit and a cash target.
//!
//! They run natively (`cargo test`) and compiled to wasm in headless Chromium
//! (`cargo test --target wasm32-unknown-unknown`), so the engine the browser runs is the
//! one these figures check.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::str::FromStr;

use rust_decimal::Decimal;
use uma_engine::{Band, BandSide, Phase, Range, Scenario, Status};
use uma_tests::{scenario, CASH_TARGET_RAISE, DEPOSIT, PAPER_SEVENTY_THIRTY, PAPER_THREE_MODELS};

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

/// One expected step: phase, model, amount, weight after, pool after.
type Expected<'a> = (Phase, &'a str, &'a str, &'a str, &'a str);

/// Rebalances `scenario` and checks every step and the final weights.
fn check(scenario: &Scenario, steps: &[Expected<'_>], weights_after: &[&str]) {
    let result = uma_engine::rebalance(scenario).unwrap();
    let got: Vec<_> =
        result.steps.iter().map(|s| (s.phase, s.model.as_str(), s.amount, s.weight_after, s.pool_after)).collect();
    let want: Vec<_> = steps
        .iter()
        .map(|&(phase, model, amount, weight, pool)| (phase, model, d(amount), d(weight), d(pool)))
        .collect();
    assert_eq!(got, want, "steps:\n{result}");
    let got: Vec<Decimal> = result.models.iter().map(|m| m.weight_after).collect();
    let want: Vec<Decimal> = weights_after.iter().map(|w| d(w)).collect();
    assert_eq!(got, want, "final weights:\n{result}");
    let total: Decimal = result.models.iter().map(|m| m.value_after).sum::<Decimal>() + result.cash_after;
    assert_eq!(total, result.total_value, "value is conserved");
}

fn with_range(mut scenario: Scenario, range: Range) -> Scenario {
    scenario.strategy.range = range;
    scenario
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn paper_worked_example() {
    use Phase::*;
    let scenario = scenario(PAPER_THREE_MODELS);
    check(
        &scenario,
        &[
            (OutOfBand, "large", "-3500", "31.5", "3500"),
            (ToRange, "mid", "1500", "47.5", "2000"),
            (Increment, "mid", "1000", "48.5", "1000"),
            (Increment, "mid", "1000", "49.5", "0"),
        ],
        &["31.5", "49.5", "19"],
    );
    let result = uma_engine::rebalance(&scenario).unwrap();
    assert_eq!(
        result.steps[0].text,
        "Large Cap is out of band at 35.00% (27.00–33.00%): trim to its rebalance point 31.50%, raising $3,500.00."
    );
    assert_eq!(result.cash_after, Decimal::ZERO);
    assert_eq!(result.traded, d("7000"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn paper_drift_report() {
    let report = uma_engine::drift(&scenario(PAPER_THREE_MODELS)).unwrap();
    assert!(report.triggered);
    let rows: Vec<_> = report
        .models
        .iter()
        .map(|m| {
            (
                m.id.as_str(),
                m.status,
                m.band.lower,
                m.band.upper,
                m.rebalance_points.below,
                m.rebalance_points.above,
                m.drift_value,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("large", Status::Over, d("27"), d("33"), d("28.5"), d("31.5"), d("5000")),
            ("mid", Status::InBand, d("45"), d("55"), d("47.5"), d("52.5"), d("-4000")),
            ("small", Status::InBand, d("18"), d("22"), d("19"), d("21"), d("-1000")),
        ]
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn paper_seventy_thirty_bands() {
    let report = uma_engine::drift(&scenario(PAPER_SEVENTY_THIRTY)).unwrap();
    let bands: Vec<_> = report.models.iter().map(|m| (m.band.lower, m.band.upper)).collect();
    assert_eq!(bands, [(d("64.4"), d("75.6")), (d("27.6"), d("32.4"))]);
    assert_eq!(report.models[0].status, Status::Over);
    assert_eq!(report.models[1].status, Status::Under);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn target_mode_on_the_paper_account() {
    use Phase::*;
    check(
        &with_range(scenario(PAPER_THREE_MODELS), Range::Target),
        &[
            (OutOfBand, "large", "-5000", "30", "5000"),
            (ToRange, "mid", "4000", "50", "1000"),
            (ToRange, "small", "1000", "20", "0"),
        ],
        &["30", "50", "20"],
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn band_mode_on_the_paper_account() {
    use Phase::*;
    check(
        &with_range(scenario(PAPER_THREE_MODELS), Range::Band),
        &[
            (OutOfBand, "large", "-2000", "33", "2000"),
            (Increment, "mid", "1000", "47", "1000"),
            (Increment, "mid", "1000", "48", "0"),
        ],
        &["33", "48", "19"],
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn both_sides_out_of_band_in_phase_one() {
    use Phase::*;
    // Target range: the over model funds the under one exactly.
    check(
        &scenario(PAPER_SEVENTY_THIRTY),
        &[(OutOfBand, "growth", "-7000", "70", "7000"), (OutOfBand, "value", "7000", "30", "0")],
        &["70", "30"],
    );
    // Interior halfway: buying Small Cap Value to 28.8% costs more than trimming Large Cap
    // Growth to 72.8% raised, so the pool goes negative and phase 3 sells the rest.
    check(
        &with_range(scenario(PAPER_SEVENTY_THIRTY), Range::Interior { percent_to_target: d("50") }),
        &[
            (OutOfBand, "growth", "-4200", "72.8", "4200"),
            (OutOfBand, "value", "5800", "28.8", "-1600"),
            (Increment, "growth", "-1000", "71.8", "-600"),
            (Increment, "growth", "-600", "71.2", "0"),
        ],
        &["71.2", "28.8"],
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn cash_target_raises_cash_largest_excess_first() {
    use Phase::*;
    // Large and Mid Cap sit exactly on their upper edges (in band); Small Cap is over.
    let scenario = scenario(CASH_TARGET_RAISE);
    let report = uma_engine::drift(&scenario).unwrap();
    let statuses: Vec<_> = report.models.iter().map(|m| m.status).collect();
    assert_eq!(statuses, [Status::InBand, Status::InBand, Status::Over]);
    assert_eq!(report.pool, d("-10000"));
    check(
        &scenario,
        &[
            (OutOfBand, "small", "-2000", "21", "-8000"),
            (ToRange, "mid", "-2000", "42", "-6000"),
            (ToRange, "large", "-1500", "31.5", "-4500"),
            (Increment, "mid", "-1000", "41", "-3500"),
            (Increment, "large", "-1000", "30.5", "-2500"),
            // Mid and Small Cap are both 1 point over: the one listed first goes first.
            (Increment, "mid", "-1000", "40", "-1500"),
            (Increment, "small", "-1000", "20", "-500"),
            (Increment, "large", "-500", "30", "0"),
        ],
        &["30", "40", "20"],
    );
    assert_eq!(uma_engine::rebalance(&scenario).unwrap().cash_after, d("10000"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn deposit_is_invested_without_a_sale() {
    use Phase::*;
    let scenario = scenario(DEPOSIT);
    assert!(!uma_engine::drift(&scenario).unwrap().triggered, "Small Cap on its lower edge is in band");
    // Band range: nobody is beyond a band edge, so the whole deposit goes in 1% passes.
    check(
        &scenario,
        &[
            (Increment, "mid", "1000", "48", "4000"),
            (Increment, "mid", "1000", "49", "3000"),
            (Increment, "small", "1000", "19", "2000"),
            (Increment, "mid", "1000", "50", "1000"),
            (Increment, "small", "1000", "20", "0"),
        ],
        &["30", "50", "20"],
    );
    // Interior halfway: first up to the rebalance points, largest shortfall first.
    check(
        &with_range(scenario, Range::Interior { percent_to_target: d("50") }),
        &[
            (ToRange, "mid", "500", "47.5", "4500"),
            (ToRange, "small", "1000", "19", "3500"),
            (Increment, "mid", "1000", "48.5", "2500"),
            (Increment, "mid", "1000", "49.5", "1500"),
            (Increment, "small", "1000", "20", "500"),
            (Increment, "mid", "500", "50", "0"),
        ],
        &["30", "50", "20"],
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn phase_two_stops_when_cash_runs_out() {
    use Phase::*;
    // Target range and $3,000 of cash: Mid Cap (4 points short) takes it all.
    let mut scenario = with_range(scenario(DEPOSIT), Range::Target);
    scenario.account.cash = d("3000");
    scenario.account.sleeves[0].value = d("32000");
    check(&scenario, &[(ToRange, "mid", "3000", "50", "0")], &["32", "50", "18"]);
    let result = uma_engine::rebalance(&scenario).unwrap();
    assert!(result.steps[0].text.contains("to reach it"), "{}", result.steps[0].text);
    scenario.account.cash = d("2000");
    scenario.account.sleeves[0].value = d("33000");
    check(&scenario, &[(ToRange, "mid", "2000", "49", "0")], &["33", "49", "18"]);
    let result = uma_engine::rebalance(&scenario).unwrap();
    assert!(result.steps[0].text.contains("as far as the cash allows"), "{}", result.steps[0].text);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_smaller_step_makes_more_passes() {
    let mut scenario = with_range(scenario(PAPER_THREE_MODELS), Range::Band);
    scenario.strategy.step = d("0.5");
    let result = uma_engine::rebalance(&scenario).unwrap();
    let amounts: Vec<Decimal> = result.steps.iter().map(|s| s.amount).collect();
    assert_eq!(amounts, [d("-2000"), d("500"), d("500"), d("500"), d("500")]);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn advisor_bands_cap_floor_and_split() {
    let mut scenario = scenario(PAPER_THREE_MODELS);
    // The 5/25 rule on every model, a 1-point floor on a relative 20 for Small Cap, and a
    // split band on Mid Cap.
    scenario.strategy.band = Band::uniform(BandSide { cap: Some(d("5")), ..BandSide::relative(d("25")) });
    scenario.strategy.models[2].band =
        Some(Band::uniform(BandSide { floor: Some(d("5")), ..BandSide::relative(d("20")) }));
    scenario.strategy.models[1].band =
        Some(Band { below: BandSide::absolute(d("3")), above: BandSide::relative(d("10")) });
    let report = uma_engine::drift(&scenario).unwrap();
    let bands: Vec<_> = report.models.iter().map(|m| (m.band.lower, m.band.upper, m.status)).collect();
    assert_eq!(
        bands,
        [(d("25"), d("35"), Status::InBand), (d("47"), d("55"), Status::Under), (d("15"), d("25"), Status::InBand),]
    );
    let result = uma_engine::rebalance(&scenario).unwrap();
    assert_eq!(result.steps[0].phase, Phase::OutOfBand);
    assert_eq!(result.steps[0].model, "mid");
    assert!(result.steps[0]
        .text
        .starts_with("Mid Cap is out of band at 46.00% (47.00–55.00%): buy up to its rebalance point 48.50%"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_shared_scenario_round_trips_and_settles() {
    for (name, text) in uma_tests::ALL {
        let scenario = scenario(text);
        assert_eq!(Scenario::from_json(&scenario.to_json()).unwrap(), scenario, "{name}");
        let result = uma_engine::rebalance(&scenario).unwrap();
        let again = uma_engine::rebalance(&result.apply_to(&scenario)).unwrap();
        assert!(again.steps.is_empty(), "{name}: a second rebalance traded:\n{again}");
    }
}
