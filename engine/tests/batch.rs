//! `uma batch` and `uma book` end to end: the golden book (`tests/book/golden-*`), whose
//! every line is the single-account `uma rebalance` of that account, field for field;
//! the CSV form of the same accounts; rejected accounts naming their line; threads that
//! change nothing; the shipped 500-account demo book made again from its seed; the sweep.

mod common;

use std::process::Output;

use common::uma;
use serde_json::{json, Value};

const BOOK: &str = "../tests/book/golden-book.json";
const JSONL: &str = "../tests/book/golden-accounts.jsonl";
const CSV: &str = "../tests/book/golden-accounts.csv";

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

fn lines(text: &str) -> Vec<Value> {
    text.lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect()
}

/// The scenario file of one account line of the golden book: its strategy (without the
/// book's id and name) and its account (without id and strategy).
fn scenario_of(book: &Value, record: &Value) -> String {
    let strategy_id = record["strategy"].as_str().unwrap();
    let mut strategy = book["strategies"].as_array().unwrap().iter().find(|s| s["id"] == strategy_id).unwrap().clone();
    strategy.as_object_mut().unwrap().retain(|k, _| k != "id" && k != "name");
    let mut account = record.clone();
    account.as_object_mut().unwrap().retain(|k, _| k != "id" && k != "strategy");
    json!({"version": 2, "strategy": strategy, "account": account}).to_string()
}

#[test]
fn every_line_of_the_golden_book_is_the_single_account_rebalance() {
    let book: Value = serde_json::from_str(&std::fs::read_to_string(BOOK).unwrap()).unwrap();
    let records: Vec<Value> =
        std::fs::read_to_string(JSONL).unwrap().lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let out = lines(&stdout(&uma(&["batch", BOOK, "--accounts", JSONL, "--summary", "--explain"], "")));
    let (summary, accounts) = out.split_last().unwrap();
    assert_eq!(accounts.len(), 7, "one line per account, rejected ones included");
    let mut compared = 0;
    for line in accounts {
        if line.get("error").is_some() {
            continue;
        }
        let record = records.iter().find(|r| r["id"] == line["account"]).unwrap();
        let alone: Value =
            serde_json::from_str(&stdout(&uma(&["rebalance", "-"], &scenario_of(&book, record)))).unwrap();
        for key in ["traded", "cash_after"] {
            let expected = if key == "cash_after" && alone.get("tactical").is_some() {
                &alone["tactical"]["account_cash_after"]
            } else {
                &alone[key]
            };
            assert_eq!(&line[key], expected, "{}: {key}", line["account"]);
        }
        for (m, a) in line["models"].as_array().unwrap().iter().zip(alone["models"].as_array().unwrap()) {
            for key in ["id", "target", "value_before", "value_after", "weight_before", "weight_after", "trade"] {
                assert_eq!(m[key], a[key], "{}: models[].{key}", line["account"]);
            }
        }
        let steps = |v: &Value, keys: &[&str]| -> Vec<Vec<Value>> {
            v["steps"].as_array().unwrap().iter().map(|s| keys.iter().map(|k| s[*k].clone()).collect()).collect()
        };
        assert_eq!(
            steps(line, &["phase", "model", "amount", "text"]),
            steps(&alone, &["phase", "model", "amount", "text"])
        );
        assert_eq!(line.get("tactical"), alone.get("tactical"), "{}: the orders inside the sleeves", line["account"]);
        compared += 1;
    }
    assert_eq!(compared, 5);
    // The white paper's worked example, as the book's first account.
    assert_eq!(accounts[0]["account"], "P1");
    assert_eq!(accounts[0]["models"][0]["weight_after"], "31.5");
    assert_eq!(accounts[0]["models"][1]["weight_after"], "49.5");
    assert!(accounts[2]["tactical"]["sleeves"].is_array(), "holdings run the tactical rebalance too");
    let s = &summary["summary"];
    assert_eq!((s["accounts"].as_u64(), s["rebalanced"].as_u64(), s["rejected"].as_u64()), (Some(7), Some(5), Some(2)));
    assert_eq!(s["triggered"], 4);
    assert_eq!(s["traded"], "40000.00");
}

#[test]
fn rejected_accounts_name_their_line_or_field_and_the_rest_runs() {
    let out = lines(&stdout(&uma(&["batch", BOOK, "--accounts", JSONL], "")));
    assert_eq!(out.len(), 7, "no summary without --summary");
    let rejected: Vec<&Value> = out.iter().filter(|l| l.get("error").is_some()).collect();
    assert_eq!(rejected[0]["account"], "B1");
    assert!(rejected[0]["error"]
        .as_str()
        .unwrap()
        .starts_with("accounts line 6: sleeves[0].value: \"1e5\" is not a number"));
    assert_eq!(
        rejected[1]["error"],
        "account X1: strategy \"aggressive\" is not in the book (it has paper, seventy_thirty, paper_securities)"
    );
    let keys: Vec<&String> = rejected[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["account", "error"]);
}

#[test]
fn the_csv_form_gives_the_same_lines() {
    let from_csv = lines(&stdout(&uma(&["batch", BOOK, "--accounts", CSV, "--explain"], "")));
    let from_jsonl = lines(&stdout(&uma(&["batch", BOOK, "--accounts", JSONL, "--explain"], "")));
    for id in ["P1", "P2", "S1", "S2"] {
        let find = |v: &[Value]| v.iter().find(|l| l["account"] == id).cloned().unwrap();
        assert_eq!(find(&from_csv), find(&from_jsonl), "{id}");
    }
    let bad = from_csv.iter().find(|l| l["account"] == "B1").unwrap();
    assert!(bad["error"].as_str().unwrap().starts_with("accounts line 9: value \"1e5\" is not a number"), "{bad}");
    // The blotter: the account in front, one row per sleeve trade.
    let blotter = stdout(&uma(&["batch", BOOK, "--accounts", CSV, "--format", "csv"], ""));
    let mut rows = blotter.lines();
    assert!(rows.next().unwrap().starts_with("account,strategy,sleeve,symbol,side,shares,price,amount,reason"));
    assert_eq!(rows.next(), Some("P1,paper,large,,sell,,,3500.00,strategic,,,,"));
    // Standard input, CSV sniffed from its first line.
    let csv = std::fs::read_to_string(CSV).unwrap();
    let piped = lines(&stdout(&uma(&["batch", BOOK, "--accounts", "-", "--explain"], &csv)));
    assert_eq!(piped, from_csv);
}

#[test]
fn threads_change_nothing_but_speed() {
    let accounts = "../tests/book/accounts-500.jsonl";
    let book = "../tests/book/book.json";
    let one = stdout(&uma(&["batch", book, "--accounts", accounts, "--threads", "1", "--summary"], ""));
    for threads in ["2", "3", "7"] {
        let many = stdout(&uma(&["batch", book, "--accounts", accounts, "--threads", threads, "--summary"], ""));
        assert!(one == many, "--threads {threads} changed the output");
    }
    assert_eq!(one.lines().count(), 501);
}

#[test]
fn the_shipped_demo_book_is_made_again_from_its_seed() {
    let shipped = std::fs::read_to_string("../tests/book/accounts-500.jsonl").unwrap();
    let book_path = std::env::temp_dir().join(format!("uma-book-test-{}.json", std::process::id()));
    let made =
        stdout(&uma(&["book", "--accounts", "500", "--seed", "2026", "--book", book_path.to_str().unwrap()], ""));
    assert!(made == shipped, "uma book --accounts 500 --seed 2026 is tests/book/accounts-500.jsonl");
    let book = std::fs::read_to_string(&book_path).unwrap();
    std::fs::remove_file(&book_path).ok();
    assert_eq!(book, std::fs::read_to_string("../tests/book/book.json").unwrap());
    // The CSV form reads back as the same accounts.
    let csv = stdout(&uma(&["book", "--accounts", "40", "--seed", "2026", "--format", "csv"], ""));
    let path = std::env::temp_dir().join(format!("uma-book-test-{}.csv", std::process::id()));
    std::fs::write(&path, &csv).unwrap();
    let via_csv = stdout(&uma(&["batch", "../tests/book/book.json", "--accounts", path.to_str().unwrap()], ""));
    std::fs::remove_file(&path).ok();
    let first_40: String = shipped.lines().take(40).map(|l| format!("{l}\n")).collect();
    let via_jsonl = stdout(&uma(&["batch", "../tests/book/book.json", "--accounts", "-"], &first_40));
    assert_eq!(via_csv, via_jsonl);
}

#[test]
fn the_sweep_reports_every_setting_and_its_first_row_is_the_book_as_set() {
    let accounts = "../tests/book/accounts-500.jsonl";
    let book = "../tests/book/book.json";
    let out = lines(&stdout(&uma(&["batch", book, "--accounts", accounts, "--sweep", "--summary"], "")));
    let (summary, rows) = out.split_last().unwrap();
    assert_eq!(rows.len(), 51);
    assert_eq!((rows[0]["band"].as_str(), rows[0]["range"].as_str()), (Some("as set"), Some("as set")));
    for key in ["triggered", "traded", "trades", "drift_left"] {
        assert_eq!(rows[0][key], summary["summary"][key], "{key}");
    }
    // Wider bands trigger fewer accounts, whatever the range mode.
    let triggered = |band: &str| rows.iter().find(|r| r["band"] == band).unwrap()["triggered"].as_u64().unwrap();
    assert!(
        triggered("relative 10%") > triggered("relative 20%") && triggered("relative 20%") > triggered("relative 50%")
    );
    // Stopping at the band edge trades less than going to target.
    let traded = |range: &str| {
        let row = rows.iter().find(|r| r["band"] == "relative 20%" && r["range"] == range).unwrap();
        row["traded"].as_str().unwrap().parse::<f64>().unwrap()
    };
    assert!(traded("band") < traded("interior 50%") && traded("interior 50%") < traded("target"));
}

#[test]
fn bad_usage_of_book_and_batch_exits_2() {
    for (args, want) in [
        (&["batch", BOOK][..], "uma batch needs --accounts FILE"),
        (
            &["batch", BOOK, "--accounts", JSONL, "--threads", "0"],
            "--threads: expected a number of threads from 1 to 1024",
        ),
        (&["batch", BOOK, "--accounts", JSONL, "--format", "json"], "--format: `uma batch` writes jsonl"),
        (&["batch", BOOK, "--accounts", JSONL, "--seed", "1"], "--seed does not apply to `uma batch`"),
        (&["book", "--accounts", "x", "--seed", "1"], "--accounts: `uma book` takes a number of accounts"),
        (&["book", "--accounts", "3"], "uma book needs --seed S"),
        (&["rebalance", "-", "--sweep"], "--sweep does not apply to `uma rebalance`"),
        (&["batch", "-", "--accounts", "-"], "cannot both come from standard input (-)"),
        (
            &["batch", "../tests/scenarios/paper-three-models.json", "--accounts", JSONL],
            "unknown field `version`, expected `strategies`",
        ),
    ] {
        let out = uma(args, "");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
}
