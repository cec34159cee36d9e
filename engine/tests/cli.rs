//! The `uma` binary end to end: its JSON shapes, stdin, the table format, and bad input
//! exiting with status 2 and one message naming the field.

mod common;

use std::process::Output;

use common::uma;

const PAPER: &str = include_str!("../../tests/scenarios/paper-three-models.json");

fn json(output: &Output) -> serde_json::Value {
    assert!(output.status.success(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

#[test]
fn rebalance_prints_the_documented_shape() {
    let out = json(&uma(&["rebalance", "-"], PAPER));
    let models = out["models"].as_array().unwrap();
    for key in ["id", "value_before", "value_after", "weight_before", "weight_after", "trade"] {
        assert!(models.iter().all(|m| m[key].is_string()), "models[].{key}");
    }
    assert_eq!(models[0]["trade"], "-3500.00");
    assert_eq!(models[1]["weight_after"], "49.5");
    assert_eq!(out["cash_after"], "0.00");
    let steps = out["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 4);
    for key in ["phase", "model", "amount", "weight_after", "pool_after", "text"] {
        assert!(steps.iter().all(|s| s[key].is_string()), "steps[].{key}");
    }
    let phases: Vec<&str> = steps.iter().map(|s| s["phase"].as_str().unwrap()).collect();
    assert_eq!(phases, ["out_of_band", "to_range", "increment", "increment"]);
}

#[test]
fn reads_a_file_and_prints_drift() {
    let path = std::env::temp_dir().join(format!("uma-cli-test-{}.json", std::process::id()));
    std::fs::write(&path, PAPER).unwrap();
    let out = json(&uma(&["drift", path.to_str().unwrap()], ""));
    std::fs::remove_file(&path).ok();
    assert_eq!(out["triggered"], true);
    let statuses: Vec<&str> = out["models"].as_array().unwrap().iter().map(|m| m["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["over", "in_band", "in_band"]);
    assert_eq!(out["models"][0]["drift_points"], "5");
    assert_eq!(out["models"][0]["drift_value"], "5000.00");
    assert_eq!(out["models"][0]["band"]["lower"], "27");
    assert_eq!(out["models"][0]["rebalance_points"]["above"], "31.5");
}

#[test]
fn table_format_is_for_people() {
    let out = uma(&["rebalance", "-", "--format", "table"], PAPER);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    assert!(text.contains("Large Cap  30.00%  35.00%  31.50%  -$3,500.00   $31,500.00"), "{text}");
    assert!(text.contains("raising $3,500.00."), "{text}");
    let out = uma(&["drift", "--format", "table", "-"], PAPER);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("27.00%–33.00%") && text.contains("over"), "{text}");
    assert!(text.contains("A strategic rebalance is triggered: Large Cap out of band."), "{text}");
}

/// Bad input: exit status 2, nothing on stdout, one line on stderr containing `want`.
fn rejects(args: &[&str], stdin: &str, want: &str) {
    let out = uma(args, stdin);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: stderr {stderr}");
    assert!(out.stdout.is_empty(), "{args:?}: printed to stdout");
    assert!(stderr.contains(want), "{args:?}: stderr {stderr:?} lacks {want:?}");
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
}

fn paper_with(from: &str, to: &str) -> String {
    assert!(PAPER.contains(from), "{from}");
    PAPER.replacen(from, to, 1)
}

#[test]
fn bad_input_exits_2_naming_the_field() {
    let cases: &[(String, &str)] = &[
        ("{\"strategy\": ".to_owned(), "not valid JSON"),
        (paper_with(r#""target": "30""#, r#""target": [30]"#), "strategy.models[0].target: invalid type"),
        (paper_with(r#""target": "30""#, r#""target": "31""#), "make 101%, not 100%: 1 point over"),
        (paper_with(r#""value": "46000""#, r#""value": "-1""#), "account.sleeves[1].value: -1 is out of range"),
        (paper_with(r#""width": "2""#, r#""width": "-2""#), "strategy.models[2].band.width: -2 is out of range"),
        (paper_with(r#""percent_to_target": "50""#, r#""percent_to_target": "0""#), "strategy.range.percent_to_target"),
        (
            paper_with(r#""id": "small""#, r#""id": "mid""#),
            "strategy.models[2].id: the model id \"mid\" is already used",
        ),
        (
            paper_with(r#""model": "small""#, r#""model": "tiny""#),
            "account.sleeves[2].model: there is no model \"tiny\"",
        ),
        (
            paper_with(r#""value": "35000""#, r#""value": "0""#)
                .replacen(r#""value": "46000""#, r#""value": "0""#, 1)
                .replacen(r#""value": "19000""#, r#""value": "0""#, 1),
            "account: the account is empty",
        ),
        (paper_with(r#""step": "1""#, r#""step": "1", "stepp": "2""#), "unknown field `stepp`"),
    ];
    for (input, want) in cases {
        for command in ["rebalance", "drift"] {
            rejects(&[command, "-"], input, want);
        }
    }
}

#[test]
fn bad_usage_exits_2() {
    rejects(&["rebalance", "/nonexistent/scenario.json"], "", "/nonexistent/scenario.json");
    rejects(&["rebalnce", "-"], PAPER, "unknown command");
    rejects(&["drift"], PAPER, "missing FILE");
    rejects(&[], "", "missing command");
    rejects(&["drift", "-", "--format", "xml"], PAPER, "--format: expected json, jsonl, table or csv");
    rejects(&["drift", "-", "extra"], PAPER, "unexpected argument");
    let unknown = uma(&["rebalnce", "-"], PAPER);
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert_eq!(stderr.lines().count(), 1, "one line: the message and where to find the usage: {stderr}");
    assert!(stderr.ends_with("(run `uma --help` for usage)\n"), "{stderr}");
    let help = uma(&["--help"], "");
    assert!(help.status.success() && String::from_utf8_lossy(&help.stdout).contains("usage: uma"));
}

/// The paper's 70/30 example on target and `prices`, as files in a folder of their own
/// (`name`): the folder and the two paths.
fn seventy_thirty_on_target(name: &str, prices: &str) -> (std::path::PathBuf, String, String) {
    let dir = std::env::temp_dir().join(format!("uma-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (scenario, csv) = (dir.join("scenario.json"), dir.join("prices.csv"));
    std::fs::write(&scenario, include_str!("../../tests/scenarios/paper-seventy-thirty-on-target.json")).unwrap();
    std::fs::write(&csv, prices).unwrap();
    let path = |p: &std::path::Path| p.to_str().unwrap().to_owned();
    let (scenario, csv) = (path(&scenario), path(&csv));
    (dir, scenario, csv)
}

#[test]
fn simulate_prints_rebalances_final_value_and_metrics() {
    let (dir, scenario, prices) =
        seventy_thirty_on_target("simulate", include_str!("../../tests/scenarios/prices-growth-value.csv"));
    let (scenario, prices) = (scenario.as_str(), prices.as_str());

    let out = json(&uma(&["simulate", scenario, "--prices", prices, "--policy", "full", "--look", "monthly"], ""));
    assert_eq!(out["final_value"], "114210.00");
    let rebalances = out["rebalances"].as_array().unwrap();
    assert_eq!(rebalances.len(), 1);
    assert_eq!(rebalances[0]["date"], "2024-03-31");
    assert_eq!(rebalances[0]["trades"][0]["model"], "growth");
    assert_eq!(rebalances[0]["trades"][0]["amount"], "-5250.00");
    for key in [
        "rebalances",
        "turnover_per_year",
        "total_traded",
        "trading_cost",
        "average_drift",
        "max_drift",
        "tracking_error",
        "annualized_return",
        "annualized_volatility",
        "max_drawdown",
        "final_value",
    ] {
        assert!(!out["metrics"][key].is_null(), "metrics.{key}");
    }
    // Defaults: the strategic policy, daily looks.
    let out = json(&uma(&["simulate", scenario, "--prices", prices], ""));
    assert_eq!(out["policy"], "strategic");
    assert_eq!(out["final_value"], "114097.20");
    let table = uma(&["simulate", scenario, "--prices", prices, "--policy", "never", "--format", "table"], "");
    assert!(String::from_utf8_lossy(&table.stdout).contains("Final value          $114,000.00"));

    rejects(&["simulate", scenario, "--prices", prices, "--policy", "sometimes"], "", "--policy: expected strategic");
    rejects(&["simulate", scenario, "--prices", prices, "--look", "hourly"], "", "--look: expected daily");
    rejects(&["simulate", scenario], "", "simulate needs one market");
    rejects(&["simulate", scenario, "--prices", scenario], "", "prices line 1: the header must start with `date`");
    rejects(&["simulate", "-", "--prices", prices], PAPER, "no column for model \"large\"");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_return_too_large_to_annualize_is_absent_not_infinite() {
    // A tenfold move in one day: 10^365 a year, past any float.
    let (_, scenario, prices) =
        seventy_thirty_on_target("annualize", "date,growth,value\n2024-01-02,100,100\n2024-01-03,1000,1000\n");
    let (scenario, prices) = (scenario.as_str(), prices.as_str());
    let out = json(&uma(&["simulate", scenario, "--prices", prices], ""));
    let metrics = out["metrics"].as_object().unwrap();
    assert!(!metrics.contains_key("annualized_return"), "absent, not null: {metrics:?}");
    for (key, value) in metrics {
        assert!(value.is_string() || value.as_f64().is_some_and(f64::is_finite), "metrics.{key} = {value}");
    }
    let table = uma(&["simulate", scenario, "--prices", prices, "--format", "table"], "");
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("Return (annualized)  n/a"), "{text}");
    assert!(!text.contains("inf") && !text.contains("NaN"), "{text}");
}

const HOLDINGS: &str = include_str!("../../tests/scenarios/holdings-three-sleeves.json");

#[test]
fn holdings_give_the_orders_per_sleeve_and_a_blotter() {
    let out = json(&uma(&["rebalance", "-"], HOLDINGS));
    assert_eq!(out["steps"].as_array().unwrap().len(), 4, "the strategic steps first");
    let sleeves = out["tactical"]["sleeves"].as_array().unwrap();
    let large = &sleeves[0];
    assert_eq!(large["model"], "large");
    let orders: Vec<String> = large["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            format!(
                "{} {} {} {}",
                o["side"].as_str().unwrap(),
                o["shares"].as_str().unwrap(),
                o["symbol"].as_str().unwrap(),
                o["reason"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(orders, ["sell 14 LCG cash_flow", "sell 14 LCV cash_flow"]);
    assert_eq!(sleeves[1]["orders"][0]["amount"], "3500.00");

    let csv = uma(&["rebalance", "-", "--format", "csv"], HOLDINGS);
    assert!(csv.status.success());
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert_eq!(
        csv,
        "sleeve,symbol,side,shares,price,amount,reason,counterparty,short_term_gain,long_term_gain,estimated_tax\n\
         large,LCG,sell,14,150,2100.00,cash_flow,,0.00,0.00,0.00\n\
         large,LCV,sell,14,100,1400.00,cash_flow,,0.00,0.00,0.00\n\
         mid,MID,buy,35,100,3500.00,cash_flow,,0.00,0.00,0.00\n"
    );
    let table = uma(&["rebalance", "-", "--format", "table"], HOLDINGS);
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(table.contains("Orders, sleeve by sleeve"));
    assert!(table.contains("- Sell 14 LCG at $150.00 ($2,100.00)"));
    let drift = json(&uma(&["drift", "-"], HOLDINGS));
    assert_eq!(drift["alerts"][0]["kind"], "out_of_band");
    // A blotter needs holdings.
    let no = uma(&["rebalance", "-", "--format", "csv"], PAPER);
    assert_eq!(no.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no.stderr).contains("lists no holdings"));
}

/// A three-model strategy and a seeded daily market of `periods` days for it.
fn long_run(periods: usize) -> (String, String) {
    let dir = std::env::temp_dir().join(format!("uma-cli-long-{}-{periods}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scenario = dir.join("scenario.json");
    let market = dir.join("market.json");
    let ids = ["a", "b", "c"];
    let models: Vec<String> = ids.iter().map(|id| format!(r#"{{"id": "{id}", "target": "33"}}"#)).collect();
    let sleeves: Vec<String> = ids.iter().map(|id| format!(r#"{{"model": "{id}", "value": "10000"}}"#)).collect();
    std::fs::write(
        &scenario,
        format!(
            r#"{{"version": 1, "strategy": {{"models": [{}], "cash_target": "1", "band": {{"kind": "relative", "width": "20"}},
               "range": {{"mode": "target"}}, "step": "1"}}, "account": {{"cash": "300", "sleeves": [{}]}}}}"#,
            models.join(","),
            sleeves.join(",")
        ),
    )
    .unwrap();
    let randoms: Vec<String> =
        ids.iter().map(|id| format!(r#"{{"id": "{id}", "expected_return": "0", "volatility": "0.2"}}"#)).collect();
    std::fs::write(
        &market,
        format!(
            r#"{{"models": [{}], "frequency": "daily", "periods": {periods}, "start": "1990-01-02", "seed": 3}}"#,
            randoms.join(",")
        ),
    )
    .unwrap();
    (scenario.to_str().unwrap().to_owned(), market.to_str().unwrap().to_owned())
}

#[test]
fn a_long_simulation_streams_the_library_result_and_detail_metrics_drops_the_rebalances() {
    // A rebalance every day for 20,000 days: tens of megabytes, past what is held back.
    let (scenario, market) = long_run(20_000);
    let streamed = uma(&["simulate", &scenario, "--market", &market, "--policy", "calendar"], "");
    assert!(streamed.stdout.len() > 8 << 20, "{} bytes", streamed.stdout.len());
    let text = String::from_utf8(streamed.stdout.clone()).unwrap();
    let streamed = json(&streamed);
    let path = uma_engine::MarketPath::random(
        &uma_engine::RandomMarket::from_json(&std::fs::read_to_string(&market).unwrap()).unwrap(),
    )
    .unwrap();
    let parsed = uma_engine::Scenario::from_json(&std::fs::read_to_string(&scenario).unwrap()).unwrap();
    let config = uma_engine::SimulationConfig { policy: uma_engine::Policy::Calendar, ..Default::default() };
    let run = uma_engine::simulate(&parsed, &path, &config).unwrap();
    let library = serde_json::to_string_pretty(&run).unwrap() + "\n";
    assert!(text == library, "the streamed JSON is the library's result, byte for byte");
    assert_eq!(streamed["rebalances"].as_array().unwrap().len(), run.metrics.rebalances);

    let metrics =
        json(&uma(&["simulate", &scenario, "--market", &market, "--policy", "calendar", "--detail", "metrics"], ""));
    assert_eq!(metrics["rebalances"], serde_json::json!([]));
    assert_eq!(metrics["metrics"], streamed["metrics"]);
    let table = uma(&["simulate", &scenario, "--market", &market, "--policy", "calendar", "--format", "table"], "");
    assert_eq!(String::from_utf8_lossy(&table.stdout), run.to_string());
    let bad = uma(&["simulate", &scenario, "--market", &market, "--detail", "all"], "");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--detail: expected metrics or rebalances"));
}

#[test]
fn a_market_streams_its_csv_and_a_path_past_five_million_prices_is_refused() {
    let (_, market) = long_run(1_000);
    let out = uma(&["market", &market], "");
    let path = uma_engine::MarketPath::random(
        &uma_engine::RandomMarket::from_json(&std::fs::read_to_string(&market).unwrap()).unwrap(),
    )
    .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), path.to_csv());
    // 200,000 days of 30 models: a 3 KB file asking for 6,000,030 prices.
    let models: Vec<String> =
        (0..30).map(|i| format!(r#"{{"id": "m{i}", "expected_return": 0, "volatility": 0.1}}"#)).collect();
    let huge = format!(
        r#"{{"models": [{}], "frequency": "daily", "periods": 200000, "start": "1990-01-02", "seed": 1}}"#,
        models.join(",")
    );
    let out = uma(&["market", "-"], &huge);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("market.periods: 200000 (200001 dates of 30 models)"), "{stderr}");
    assert!(stderr.contains("at most 5,000,000 prices"), "{stderr}");
    assert!(out.stdout.is_empty());
}
