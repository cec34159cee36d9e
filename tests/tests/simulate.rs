//! Simulations through time, worked by hand on a four-month path: the paper's 70/30
//! strategy (8% relative bands) starting on target, Growth rising 10%, then to 125, then
//! back to 120, Value flat. In March Value (25.53%) falls under its 27.6% lower edge.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::str::FromStr;

use rust_decimal::Decimal;
use uma_engine::{Look, MarketPath, Phase, Policy, SimulationConfig};

const PRICES: &str = include_str!("../scenarios/prices-growth-value.csv");
use uma_tests::SEVENTY_THIRTY_ON_TARGET as SEVENTY_THIRTY;

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn run(policy: Policy, look: Look, cost_bps: &str) -> uma_engine::Simulation {
    let scenario = uma_tests::scenario(SEVENTY_THIRTY);
    let path = MarketPath::from_csv(PRICES).unwrap();
    uma_engine::simulate(
        &scenario,
        &path,
        &SimulationConfig { look, policy, cost_bps: d(cost_bps), ..Default::default() },
    )
    .unwrap()
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn never_is_buy_and_hold() {
    let sim = run(Policy::Never, Look::Daily, "0");
    assert!(sim.rebalances.is_empty());
    // 700 units at 120 plus 300 units at 100.
    assert_eq!(sim.final_value, d("114000"));
    // From the March high of 117,500 to 114,000.
    assert!((sim.metrics.max_drawdown - (1.0 - 114_000.0 / 117_500.0)).abs() < 1e-12);
    // March: Growth at 87,500 of 117,500 is 74.47%, 4.47 points over its target.
    assert!((sim.metrics.max_drift - (87_500.0 / 117_500.0 * 100.0 - 70.0)).abs() < 1e-9);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn full_goes_back_to_target_when_a_band_breaks() {
    let sim = run(Policy::Full, Look::Monthly, "0");
    assert_eq!(sim.rebalances.len(), 1);
    let event = &sim.rebalances[0];
    assert_eq!(event.date.to_string(), "2024-03-31");
    let trades: Vec<(&str, Decimal)> = event.trades.iter().map(|t| (t.model.as_str(), t.amount)).collect();
    assert_eq!(trades, [("growth", d("-5250")), ("value", d("5250"))]);
    // Played as a full rebalance: the sale first, then the purchase.
    let steps: Vec<(Phase, &str, Decimal)> =
        event.steps.iter().map(|s| (s.phase, s.model.as_str(), s.amount)).collect();
    assert_eq!(steps, [(Phase::ToTarget, "growth", d("-5250")), (Phase::ToTarget, "value", d("5250"))]);
    assert_eq!(event.weights_before, [d("74.4681"), d("25.5319")]);
    assert_eq!(event.weights_after, [d("70"), d("30")]);
    assert_eq!(event.account.sleeves[0].value, d("87500"));
    // 658 units of Growth at 120 plus 352.5 units of Value at 100.
    assert_eq!(sim.final_value, d("114210"));
    assert_eq!(sim.metrics.total_traded, d("10500"));
    // One-way turnover 5,250 / 117,500 over 90 days.
    let years = 90.0 / 365.25;
    assert!((sim.metrics.turnover_per_year - 5_250.0 / 117_500.0 / years).abs() < 1e-12);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn costs_come_out_of_the_account() {
    let sim = run(Policy::Full, Look::Monthly, "10");
    assert_eq!(sim.rebalances[0].cost, d("10.50"));
    assert_eq!(sim.metrics.trading_cost, d("10.50"));
    // The cost takes 10.50 / 117,500 of every holding: 114,210 × (1 − 10.5 / 117,500).
    assert_eq!(sim.final_value, d("114199.79"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn strategic_band_range_moves_only_to_the_band() {
    let sim = run(Policy::Strategic, Look::Daily, "0");
    assert_eq!(sim.rebalances.len(), 1);
    let event = &sim.rebalances[0];
    // Value bought to its 27.6% edge ($32,430); the $2,430 is raised from Growth in 1%
    // passes of $1,175.
    let steps: Vec<(Phase, &str, Decimal)> =
        event.steps.iter().map(|s| (s.phase, s.model.as_str(), s.amount)).collect();
    assert_eq!(
        steps,
        [
            (Phase::OutOfBand, "value", d("2430")),
            (Phase::Increment, "growth", d("-1175")),
            (Phase::Increment, "growth", d("-1175")),
            (Phase::Increment, "growth", d("-80")),
        ]
    );
    // 680.56 units of Growth at 120 plus 32,430 of Value.
    assert_eq!(sim.final_value, d("114097.20"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn quarterly_looks_miss_the_march_breach_until_quarter_end() {
    // March 31 is a quarter end, so quarterly looks catch it; annual looks only see the
    // last date (April), when Value is back at 26.3%, still out of band.
    let quarterly = run(Policy::Full, Look::Quarterly, "0");
    assert_eq!(quarterly.rebalances.iter().map(|e| e.date.to_string()).collect::<Vec<_>>(), ["2024-03-31"]);
    let annually = run(Policy::Full, Look::Annually, "0");
    assert_eq!(annually.rebalances.iter().map(|e| e.date.to_string()).collect::<Vec<_>>(), ["2024-04-30"]);
    assert_eq!(annually.final_value, d("114000"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_seed_gives_one_path_everywhere() {
    let model = |id: &str, r: f64, v: f64| uma_engine::RandomModel { id: id.into(), expected_return: r, volatility: v };
    let market = uma_engine::RandomMarket {
        models: vec![model("growth", 0.08, 0.2), model("value", 0.06, 0.15)],
        correlation: vec![vec![1.0, 0.6], vec![0.6, 1.0]],
        frequency: uma_engine::Frequency::Daily,
        periods: 260,
        start: "2024-01-01".parse().unwrap(),
        seed: 42,
    };
    let path = MarketPath::random(&market).unwrap();
    assert_eq!(path.dates.len(), 261);
    // Trading days only: New Year's Day is closed, and so are the weekends and Good Friday.
    assert_eq!(path.dates[0].to_string(), "2024-01-02");
    assert_eq!(path.dates[5].to_string(), "2024-01-09");
    assert!(path.dates.iter().all(|d| d.to_string() != "2024-03-29"), "Good Friday 2024 is closed");
    // The same figures natively and compiled to wasm: a checksum of the whole path.
    let checksum: Decimal = path.levels.iter().flatten().sum();
    let last = &path.levels[260];
    assert_eq!(
        (checksum, last[0], last[1]),
        (d("48223.571954"), d("85.045091"), d("98.978993")),
        "{}",
        path.to_csv().lines().last().unwrap()
    );
    assert_eq!(MarketPath::from_csv(&path.to_csv()).unwrap(), path);
    // Continuously rebalanced (calendar, every day) tracks the target portfolio.
    let scenario = uma_tests::scenario(SEVENTY_THIRTY);
    let config = SimulationConfig { look: Look::Daily, policy: Policy::Calendar, ..Default::default() };
    let sim = uma_engine::simulate(&scenario, &path, &config).unwrap();
    assert!(sim.metrics.tracking_error < 1e-5, "{}", sim.metrics.tracking_error);
    assert!(sim.metrics.rebalances > 200);
}

fn market(seed: u64, periods: usize, frequency: uma_engine::Frequency) -> uma_engine::RandomMarket {
    let model = |id: &str, r: f64, v: f64| uma_engine::RandomModel { id: id.into(), expected_return: r, volatility: v };
    uma_engine::RandomMarket {
        models: vec![model("growth", 0.09, 0.22), model("value", 0.06, 0.14)],
        correlation: vec![vec![1.0, 0.5], vec![0.5, 1.0]],
        frequency,
        periods,
        start: "2000-01-03".parse().unwrap(),
        seed,
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_rebalance_replays_with_its_trades() {
    use uma_engine::Detail;
    let scenario = uma_tests::scenario(uma_tests::PAPER_SEVENTY_THIRTY);
    let path = MarketPath::random(&market(3, 2520, uma_engine::Frequency::Daily)).unwrap();
    for policy in [Policy::Strategic, Policy::Full, Policy::Calendar] {
        let config = SimulationConfig { look: Look::Monthly, policy, detail: Detail::Series, ..Default::default() };
        let sim = uma_engine::simulate(&scenario, &path, &config).unwrap();
        assert!(!sim.rebalances.is_empty(), "{policy:?}");
        for (k, event) in sim.rebalances.iter().enumerate() {
            let replay = sim.replay(&scenario, k).unwrap();
            let trades: Vec<(String, Decimal)> =
                replay.models.iter().filter(|m| !m.trade.is_zero()).map(|m| (m.id.clone(), m.trade)).collect();
            let want: Vec<(String, Decimal)> = event.trades.iter().map(|t| (t.model.clone(), t.amount)).collect();
            assert_eq!(trades, want, "{policy:?} rebalance {k} on {}", event.date);
            assert_eq!(replay.steps, event.steps);
            assert_eq!(
                replay.steps.iter().map(|s| s.amount).sum::<Decimal>(),
                event.trades.iter().map(|t| t.amount).sum()
            );
            assert!(replay.steps.iter().all(|s| !s.text.is_empty()));
            // The weights after sit where the policy puts them: in band, or on target.
            let weights: Vec<Decimal> = replay.models.iter().map(|m| m.weight_after).collect();
            assert_eq!(weights, event.weights_after);
        }
        assert!(sim.replay(&scenario, sim.rebalances.len()).is_err());
        // The series: one weight per model per date; at the end of a rebalance date the
        // weights are the event's weights after.
        let series = sim.series.as_ref().unwrap();
        assert_eq!(series.weights.len(), 2);
        assert!(series.weights.iter().all(|w| w.len() == path.dates.len()));
        let event = &sim.rebalances[0];
        let t = path.dates.iter().position(|d| *d == event.date).unwrap();
        for (i, w) in event.weights_after.iter().enumerate() {
            let want: f64 = w.to_string().parse().unwrap();
            assert!((series.weights[i][t] - want).abs() < 1e-3, "{} vs {want}", series.weights[i][t]);
        }
        // Keeping less detail changes no figure.
        let lean = SimulationConfig { detail: Detail::Metrics, ..config };
        let lean = uma_engine::simulate(&scenario, &path, &lean).unwrap();
        assert_eq!(lean.metrics, sim.metrics);
        assert!(lean.rebalances.is_empty() && lean.series.is_none());
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_grid_runs_every_configuration() {
    use uma_engine::{Band, Grid, Range};
    let scenario = uma_tests::scenario(SEVENTY_THIRTY);
    let path = MarketPath::from_csv(PRICES).unwrap();
    let grid = Grid {
        policies: vec![Policy::Strategic, Policy::Full, Policy::Never],
        ranges: vec![Range::Target, Range::Band],
        bands: vec![Band::relative(d("8")), Band::relative(d("20"))],
        looks: vec![Look::Monthly],
        cost_bps: Decimal::ZERO,
    };
    let mut calls = Vec::new();
    let rows = uma_engine::run_grid(&scenario, &path, &grid, |done, total| calls.push((done, total))).unwrap();
    let labels: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Target · relative 8% · monthly",
            "Target · relative 20% · monthly",
            "Band · relative 8% · monthly",
            "Band · relative 20% · monthly",
            "Full to target · relative 8% · monthly",
            "Full to target · relative 20% · monthly",
            "Never rebalance",
        ]
    );
    assert_eq!(calls.last(), Some(&(7, 7)));
    let finals: Vec<Decimal> = rows.iter().map(|r| r.metrics.final_value).collect();
    // With 8% bands, March's breach is rebalanced (to target: the full run's 114,210);
    // with 20% bands (Value's lower edge 24%) nothing breaks: buy and hold's 114,000.
    assert_eq!(finals[0], d("114210"));
    assert_eq!(finals[4], d("114210"));
    for k in [1, 3, 5, 6] {
        assert_eq!(finals[k], d("114000"), "{}", labels[k]);
        assert_eq!(rows[k].metrics.rebalances, 0);
    }
    // To the band edge trades less than to target.
    assert!(rows[2].metrics.total_traded < rows[0].metrics.total_traded);
    let empty = Grid { looks: Vec::new(), ..grid.clone() };
    let error = uma_engine::run_grid(&scenario, &path, &empty, |_, _| ()).unwrap_err();
    assert_eq!(error.to_string(), "grid.looks: choose at least one look frequency");
    let bad = Grid { bands: vec![Band::relative(d("-1"))], ..grid };
    let error = uma_engine::run_grid(&scenario, &path, &bad, |_, _| ()).unwrap_err();
    assert!(error.to_string().starts_with("grid.bands[0].width: -1 is out of range"), "{error}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn monte_carlo_is_seeded_and_summarized() {
    use uma_engine::{Band, Range, Variant};
    let scenario = uma_tests::scenario(SEVENTY_THIRTY);
    let market = market(11, 240, uma_engine::Frequency::Monthly);
    assert_eq!(uma_engine::sample_path(&market, 0).unwrap(), MarketPath::random(&market).unwrap());
    let variants = [
        Variant {
            policy: Policy::Strategic,
            range: Some(Range::Interior { percent_to_target: d("50") }),
            band: Some(Band::relative(d("10"))),
            look: Look::Monthly,
        },
        Variant { policy: Policy::Never, range: None, band: None, look: Look::Monthly },
    ];
    let mut seen = 0;
    let rows =
        uma_engine::monte_carlo(&scenario, &market, &variants, 40, Decimal::ZERO, |done, _| seen = done).unwrap();
    assert_eq!(seen, 40);
    let (banded, hold) = (&rows[0].spreads, &rows[1].spreads);
    assert_eq!(hold.rebalances.p95, 0.0);
    assert!(banded.rebalances.median > 0.0);
    // Rebalancing keeps drift down on (nearly) every path.
    assert!(banded.max_drift.p95 < hold.max_drift.median);
    for s in [banded, hold] {
        for spread in [s.final_value, s.tracking_error, s.max_drawdown] {
            assert!(spread.p5 <= spread.median && spread.median <= spread.p95, "{spread:?}");
        }
    }
    // Path k does not depend on the other configurations run with it, and a seed gives
    // the same figures natively and in wasm.
    let again = uma_engine::monte_carlo(&scenario, &market, &variants[1..], 40, Decimal::ZERO, |_, _| ()).unwrap();
    assert_eq!(again[0].spreads, *hold);
    assert_eq!(format!("{:.6}", hold.final_value.median), "382327.755000");
    let none = uma_engine::monte_carlo(&scenario, &market, &variants, 0, Decimal::ZERO, |_, _| ()).unwrap_err();
    assert!(none.to_string().starts_with("paths: 0 is out of range"), "{none}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_scenario_listing_its_securities_runs_by_its_sleeve_values() {
    // The securities example runs through time as its sleeves' values do: the same run.
    let scenario = uma_tests::scenario(uma_tests::HOLDINGS_THREE_SLEEVES);
    let path = uma_engine::MarketPath::from_csv(
        "date,large,mid,small\n2024-01-31,100,100,100\n2024-02-29,130,100,90\n2024-03-29,120,105,95\n",
    )
    .unwrap();
    let config = uma_engine::SimulationConfig { look: Look::Monthly, policy: Policy::Strategic, ..Default::default() };
    let held = uma_engine::simulate(&scenario, &path, &config).unwrap();
    let valued = uma_engine::simulate(&scenario.by_values(), &path, &config).unwrap();
    assert_eq!(held, valued);
    assert!(!held.rebalances.is_empty());
    let replay = held.replay(&scenario, 0).unwrap();
    assert_eq!(replay, valued.replay(&scenario.by_values(), 0).unwrap());
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn monte_carlo_pairs_configurations_on_the_same_paths() {
    use uma_engine::{Band, Frequency, RandomMarket, RandomModel, Range, Variant};
    let scenario = uma_tests::scenario(uma_tests::PAPER_SEVENTY_THIRTY);
    let model = |id: &str, r: f64, v: f64| RandomModel { id: id.into(), expected_return: r, volatility: v };
    let market = RandomMarket {
        models: vec![model("growth", 0.09, 0.2), model("value", 0.06, 0.15)],
        correlation: vec![vec![1.0, 0.5], vec![0.5, 1.0]],
        frequency: Frequency::Monthly,
        periods: 120,
        start: "2000-01-31".parse().unwrap(),
        seed: 11,
    };
    let strategic = |band: i64| Variant {
        policy: Policy::Strategic,
        range: Some(Range::Band),
        band: Some(Band::relative(band.into())),
        look: Look::Monthly,
    };
    let calendar = Variant { policy: Policy::Calendar, range: None, band: None, look: Look::Quarterly };
    let variants = [calendar, strategic(10), strategic(25)];
    let rows = uma_engine::monte_carlo(&scenario, &market, &variants, 31, Decimal::ZERO, |_, _| ()).unwrap();
    for (k, row) in rows.iter().enumerate() {
        assert_eq!(row.against.len(), 3);
        // Against itself, every difference is zero; against another, the differences are
        // the other's negated (the median exactly, the tails swapped).
        assert_eq!(row.against[k].turnover_per_year.p95, 0.0);
        assert_eq!(row.against[k].final_value.p5, 0.0);
        for (j, other) in rows.iter().enumerate() {
            let (a, b) = (row.against[j].tracking_error, other.against[k].tracking_error);
            assert!((a.median + b.median).abs() < 1e-12 && (a.p5 + b.p95).abs() < 1e-12, "{k} {j}");
        }
    }
    // A wider band trades less than a narrower one on every path it shares: its paired
    // turnover difference is not positive even at the 95th percentile.
    assert!(rows[2].against[1].turnover_per_year.p95 <= 0.0, "{:?}", rows[2].against[1]);
    let words = uma_engine::versus_words(&rows, 2, 0).unwrap();
    assert!(words.starts_with("Band · relative 25% · monthly: "), "{words}");
    assert!(words.contains("than Calendar · quarterly for "), "{words}");
    assert!(uma_engine::versus_words(&rows, 3, 0).is_none(), "no such row");
}
