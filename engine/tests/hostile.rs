//! Hostile input to the `uma` binary: inputs that once panicked, ran away or were
//! accepted as nonsense now end with exit status 2 and one line naming the field, the line
//! or the flag. Each case is a regression test of an input seen to fail.

mod common;

use common::uma;

const PAPER: &str = include_str!("../../tests/scenarios/paper-three-models.json");
const SEVENTY_THIRTY: &str = include_str!("../../tests/scenarios/paper-seventy-thirty.json");
const HOLDINGS: &str = include_str!("../../tests/scenarios/holdings-three-sleeves.json");

/// A file in the system's temporary folder holding `text`, for the flags that take files.
fn file(name: &str, text: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let k = NEXT.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("uma-hostile-{}-{k}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// Exit status 2, nothing on stdout, one line on stderr containing `want`.
fn rejects(args: &[&str], stdin: &str, want: &str) {
    let out = uma(args, stdin);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?} printed to stdout");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: one line, not {stderr:?}");
    assert!(stderr.contains(want), "{args:?}: {stderr:?} lacks {want:?}");
}

fn prices(csv: &str) -> String {
    file("prices.csv", csv)
}

#[test]
fn inputs_are_bounded() {
    // Reading /dev/zero would not end: input stops at 64 MiB.
    if std::path::Path::new("/dev/zero").exists() {
        rejects(&["rebalance", "/dev/zero"], "", "larger than the 64 MiB");
    }
    rejects(&["rebalance", "-"], "\u{feff}{\"strategy\": ", "not valid JSON");
}

#[test]
fn flags_that_do_not_apply_are_refused() {
    let csv = prices("date,growth,value\n2024-01-31,100,100\n2024-02-29,110,100\n");
    rejects(&["rebalance", "-", "--prices", &csv], PAPER, "--prices does not apply to `uma rebalance`");
    rejects(&["drift", "-", "--format", "csv"], PAPER, "--format csv writes the order blotter of `uma rebalance`");
    rejects(&["market", "-", "--policy", "full"], "{}", "--policy does not apply to `uma market`");
}

#[test]
fn costs_are_bounded_and_never_overflow() {
    let csv = prices("date,growth,value\n2024-01-31,100,100\n2024-02-29,200,100\n");
    let args =
        |bps: &'static str| ["simulate", "-", "--prices", Box::leak(csv.clone().into_boxed_str()), "--cost-bps", bps];
    rejects(
        &args("79228162514264337593543950335"),
        SEVENTY_THIRTY,
        "cost_bps: 79228162514264337593543950335 is out of range",
    );
    rejects(&args("10000.5"), SEVENTY_THIRTY, "a cost runs from 0 to 10,000 basis points");
    rejects(&args("-1"), SEVENTY_THIRTY, "cost_bps: -1 is out of range");
    assert!(uma(&args("10000"), SEVENTY_THIRTY).status.success(), "a cost of 100% is extreme, not invalid");
}

#[test]
fn prices_files_read_as_csv_and_bound_every_price() {
    let run = |csv: &str| uma(&["simulate", "-", "--prices", &prices(csv)], SEVENTY_THIRTY);
    // Extreme prices are refused with their line and column instead of overflowing.
    let tiny = "date,growth,value\n2024-01-31,100,100\n2024-02-29,0.000000000000000000000000001,100\n";
    rejects(&["simulate", "-", "--prices", &prices(tiny)], SEVENTY_THIRTY, "prices line 3, growth");
    let huge = "date,growth,value\n2024-01-31,100,100\n2024-02-29,1000000000000000000000000000,100\n";
    rejects(
        &["simulate", "-", "--prices", &prices(huge)],
        SEVENTY_THIRTY,
        "prices line 3, growth: 1000000000000000000000000000 is out of range",
    );
    // A byte-order mark, CR line endings and quoted cells read as a spreadsheet writes them.
    assert!(run("\u{feff}date,growth,value\r2024-01-31,\"100\",100\r2024-02-29,110,100\r").status.success());
    rejects(
        &["simulate", "-", "--prices", &prices("date,growth,value\n2024-01-31,\"1,000\",100\n2024-02-29,1,1\n")],
        SEVENTY_THIRTY,
        "\"1,000\" is not a positive price",
    );
    rejects(
        &["simulate", "-", "--prices", &prices("date,growth,growth\n2024-01-31,1,1\n2024-02-29,1,1\n")],
        SEVENTY_THIRTY,
        "named twice",
    );
}

#[test]
fn a_market_that_leaves_the_range_names_the_date() {
    // Growth up a trillion times in a month: the account would pass the engine's cap.
    let csv = "date,growth,value\n2024-01-31,0.000001,100\n2024-02-29,1000000000000,100\n";
    for policy in ["strategic", "never"] {
        rejects(
            &["simulate", "-", "--prices", &prices(csv), "--policy", policy],
            SEVENTY_THIRTY,
            "prices on 2024-02-29: the account would be worth",
        );
    }
}

#[test]
fn market_files_read_as_scenario_files_do() {
    let model = |id: &str| format!("{{\"id\": \"{id}\", \"expected_return\": 0.07, \"volatility\": 0.2}}");
    let market = |models: &str, rest: &str| {
        format!("{{\"models\": [{models}], \"frequency\": \"monthly\", \"periods\": 12, \"start\": \"2024-01-31\", \"seed\": 1{rest}}}")
    };
    rejects(&["market", "-"], &market(&model("a"), ", \"corelation\": []"), "corelation: unknown field `corelation`");
    rejects(&["market", "-"], &market(&model("gro,wth"), ""), "market.models[0].id: the id \"gro,wth\"");
    rejects(
        &["market", "-"],
        &market(&format!("{}, {}", model("a"), model("a")), ""),
        "market.models[1].id: the model id \"a\" is already used",
    );
    // Numbers in the one grammar of scenario files: "0.07" as 0.07 does, "7e-2" refused.
    let quoted = market("{\"id\": \"a\", \"expected_return\": \"0.07\", \"volatility\": 0.2}", "");
    assert_eq!(uma(&["market", "-"], &quoted).stdout, uma(&["market", "-"], &market(&model("a"), "")).stdout);
    rejects(
        &["market", "-"],
        &market("{\"id\": \"a\", \"expected_return\": \"7e-2\", \"volatility\": 0.2}", ""),
        "models[0].expected_return: \"7e-2\" is not a number",
    );
    rejects(
        &["market", "-"],
        &market(&model("a"), ", \"correlation\": [[\"x\"]]"),
        "correlation[0][0]: \"x\" is not a number",
    );
    rejects(
        &["market", "-"],
        &market(&model("a"), "").replace("\"seed\": 1", "\"seed\": 1.5"),
        "seed: invalid type: floating point `1.5`, expected a whole number",
    );
    let bom = format!("\u{feff}{}", market(&model("a"), ""));
    assert!(uma(&["market", "-"], &bom).status.success(), "a byte-order mark is accepted");
    // Dates past 9999 are refused, daily or monthly.
    let late = market(&model("a"), "")
        .replace("\"2024-01-31\"", "\"9999-01-31\"")
        .replace("\"periods\": 12", "\"periods\": 13");
    rejects(&["market", "-"], &late, "market.periods: 13 is outside what the calendar holds");
}

#[test]
fn ids_and_amounts_name_their_field() {
    let spaced =
        PAPER.replacen("\"id\": \"mid\"", "\"id\": \"mid \"", 1).replace("\"model\": \"mid\"", "\"model\": \"mid \"");
    rejects(&["rebalance", "-"], &spaced, "strategy.models[1].id: the id \"mid \"");
    let control = PAPER.replacen("\"id\": \"mid\"", "\"id\": \"mid\\u0000\"", 1);
    rejects(&["rebalance", "-"], &control, "the id \"mid\\0\"");
    // A lot's cost basis over the cap names the lot, not the account.
    let rich = HOLDINGS.replacen("\"cost_basis\": \"10000.00\"", "\"cost_basis\": \"99999999999999999999\"", 1);
    rejects(
        &["rebalance", "-"],
        &rich,
        "account.sleeves[0].holdings[0].lots[0].cost_basis: $99,999,999,999,999,999,999.00 is above the cap of",
    );
}

#[test]
fn a_scenario_listing_securities_runs_through_time() {
    let csv = prices("date,large,mid,small\n2024-01-31,100,100,100\n2024-02-29,120,100,90\n");
    let out = uma(&["simulate", "-", "--prices", &csv], HOLDINGS);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
