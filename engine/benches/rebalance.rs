//! Criterion benchmarks of the strategic rebalance: the white paper's three-model case and
//! a 50-model strategy with a cash target and a deposit to invest (the goal is under
//! 50 µs natively), and a 30-year daily five-model simulation. Run with
//! `cargo bench -p uma-engine`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use rust_decimal::Decimal;
use uma_engine::{Account, Band, Model, Range, Scenario, Sleeve, Strategy};

const PAPER: &str = include_str!("../../tests/scenarios/paper-three-models.json");

/// 50 models with uneven targets (2% on average, 1% cash target), drifted by a
/// deterministic pattern so that some are over, some under, and cash is to invest.
fn fifty_models() -> Scenario {
    let n = 50;
    let targets: Vec<Decimal> = (0..n).map(|i| Decimal::new(if i % 2 == 0 { 250 } else { 146 }, 2)).collect();
    let models = targets
        .iter()
        .enumerate()
        .map(|(i, &target)| Model::new(&format!("m{i}"), &format!("Model {i}"), target))
        .collect();
    let sleeves = targets
        .iter()
        .enumerate()
        .map(|(i, &target)| {
            // Drift between -30% and +30% of target, in a repeatable pattern.
            let drift = Decimal::from((i as i64 * 37) % 61 - 30) / Decimal::ONE_HUNDRED;
            let value = (target * Decimal::from(10_000) * (Decimal::ONE + drift)).round_dp(2);
            Sleeve::valued(&format!("m{i}"), value)
        })
        .collect();
    Scenario {
        version: uma_engine::FORMAT_VERSION,
        strategy: Strategy {
            models,
            cash_target: Decimal::ONE,
            band: Band::relative(Decimal::from(20)),
            range: Range::Interior { percent_to_target: Decimal::from(50) },
            step: Decimal::ONE,
        },
        account: Account { cash: Decimal::from(25_000), sleeves, ..Account::default() },
    }
}

fn bench(c: &mut Criterion) {
    let paper = Scenario::from_json(PAPER).unwrap();
    c.bench_function("rebalance/paper-3-models", |b| b.iter(|| uma_engine::rebalance(black_box(&paper)).unwrap()));
    let fifty = fifty_models();
    let steps = uma_engine::rebalance(&fifty).unwrap().steps.len();
    assert!(steps > 20, "the 50-model case should exercise every phase, made {steps} steps");
    c.bench_function("rebalance/50-models", |b| b.iter(|| uma_engine::rebalance(black_box(&fifty)).unwrap()));
    c.bench_function("drift/50-models", |b| b.iter(|| uma_engine::drift(black_box(&fifty)).unwrap()));
}

/// A 30-year daily five-model random market (7,560 business days).
fn thirty_years() -> uma_engine::MarketPath {
    let model =
        |id: &str, expected_return, volatility| uma_engine::RandomModel { id: id.into(), expected_return, volatility };
    let market = uma_engine::RandomMarket {
        models: vec![
            model("us-large", 0.08, 0.16),
            model("us-small", 0.09, 0.22),
            model("intl", 0.07, 0.18),
            model("emerging", 0.09, 0.26),
            model("bonds", 0.04, 0.06),
        ],
        correlation: vec![
            vec![1.0, 0.8, 0.7, 0.6, 0.1],
            vec![0.8, 1.0, 0.6, 0.6, 0.0],
            vec![0.7, 0.6, 1.0, 0.7, 0.1],
            vec![0.6, 0.6, 0.7, 1.0, 0.0],
            vec![0.1, 0.0, 0.1, 0.0, 1.0],
        ],
        frequency: uma_engine::Frequency::Daily,
        periods: 30 * 252,
        start: "1995-01-02".parse().unwrap(),
        seed: 2026,
    };
    uma_engine::MarketPath::random(&market).unwrap()
}

fn bench_simulate(c: &mut Criterion) {
    let scenario = Scenario::from_json(include_str!("../../tests/scenarios/balanced-five.json")).unwrap();
    let path = thirty_years();
    c.bench_function("market/random-30y-daily-5-models", |b| b.iter(thirty_years));
    for policy in [uma_engine::Policy::Strategic, uma_engine::Policy::Full] {
        let config = uma_engine::SimulationConfig { look: uma_engine::Look::Daily, policy, ..Default::default() };
        let rebalances = uma_engine::simulate(&scenario, &path, &config).unwrap().metrics.rebalances;
        let name = format!("simulate/30y-daily-5-models-{}-{}-rebalances", policy.name(), rebalances);
        c.bench_function(&name, |b| b.iter(|| uma_engine::simulate(black_box(&scenario), &path, &config).unwrap()));
    }
}

/// Monte Carlo: 20 paths of 30 daily years through one configuration (interior 50%,
/// relative 25% bands, monthly looks), the unit the web app's worker repeats.
fn bench_monte_carlo(c: &mut Criterion) {
    let scenario = Scenario::from_json(include_str!("../../tests/scenarios/balanced-five.json")).unwrap();
    let models: Vec<uma_engine::RandomModel> =
        scenario.strategy.models.iter().map(|m| uma_engine::RandomModel::suggested(&m.id, &m.name)).collect();
    let market = uma_engine::RandomMarket {
        correlation: uma_engine::uniform_correlation(models.len(), 0.6),
        models,
        frequency: uma_engine::Frequency::Daily,
        periods: 30 * 252,
        start: "2000-01-03".parse().unwrap(),
        seed: 2020,
    };
    let variant = uma_engine::Variant {
        policy: uma_engine::Policy::Strategic,
        range: Some(uma_engine::Range::Interior { percent_to_target: Decimal::from(50) }),
        band: Some(uma_engine::Band::relative(Decimal::from(25))),
        look: uma_engine::Look::Monthly,
    };
    let mut group = c.benchmark_group("monte-carlo");
    group.sample_size(10);
    group.bench_function("20-paths-30y-daily-5-models", |b| {
        b.iter(|| uma_engine::monte_carlo(&scenario, &market, &[variant], 20, Decimal::ZERO, |_, _| ()).unwrap())
    });
    group.finish();
}

/// The book of business: one ten-model account of the demo book (its growth strategy)
/// rebalanced by a batch without sentences, and the whole per-account path of
/// `uma batch` (a JSON line read, rebalanced, written), each over 1,000 accounts.
fn bench_batch(c: &mut Criterion) {
    let book = uma_engine::demo_book();
    let growth: Vec<uma_engine::AccountRecord> =
        (0..20_000).map(|i| uma_engine::demo_account(1, i)).filter(|a| a.strategy == "growth").take(1000).collect();
    let lines: Vec<String> = growth.iter().map(uma_engine::AccountRecord::to_json_line).collect();
    let mut group = c.benchmark_group("batch");
    group.throughput(criterion::Throughput::Elements(growth.len() as u64));
    group.bench_function("1000-ten-model-accounts", |b| {
        let mut batch = uma_engine::Batch::new(&book, false);
        b.iter(|| {
            for record in &growth {
                black_box(batch.run(record.clone()).is_ok());
            }
        })
    });
    group.bench_function("1000-json-lines-read-rebalanced-written", |b| {
        let mut batch = uma_engine::Batch::new(&book, false);
        b.iter(|| {
            let mut bytes = 0;
            for (i, line) in lines.iter().enumerate() {
                let record = uma_engine::read_account_line(line, i + 1).unwrap();
                bytes += serde_json::to_string(&batch.run(record).unwrap()).unwrap().len();
            }
            black_box(bytes)
        })
    });
    group.bench_function("1000-ten-model-accounts-sweep-51-settings", |b| {
        b.iter(|| {
            let mut sweep = uma_engine::Sweep::new(&book, uma_engine::sweep_grid());
            for record in &growth {
                sweep.add(record.clone());
            }
            black_box(sweep.rows().len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench, bench_simulate, bench_monte_carlo, bench_batch);
criterion_main!(benches);
