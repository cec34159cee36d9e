//! The fuzz harness: `cargo xtask fuzz [--cases N] [--seconds S] [--seed K]`.
//!
//! It mutates the shipped scenarios, market files and CSV files (structure mutations,
//! retyped fields, extreme and malformed numbers, odd ids, huge arrays, truncation, stray
//! bytes) and runs the engine's entry points on each input in-process, asserting:
//!
//! - no panic;
//! - a result, or an error whose message is one line;
//! - a time bound per input (2 s);
//! - for one input in 1,000, the same through the `uma` binary (when it is built beside
//!   the harness): exit status 0 or 2, never a panic, an error on one line;
//! - for accepted scenarios, the laws of the strategic rebalance: value conserved, the
//!   cash pool settled at the cash target, every model in its band after.
//!
//! It prints the count of each outcome, saves every failing input under
//! `target/fuzz-failures/`, and first replays every input of `fuzz/regressions/` (inputs
//! that once failed). It exits non-zero when any input failed.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use serde_json::Value;
use uma_engine::{Decimal, MarketPath, RandomMarket, Scenario, Status};

/// The longest an input may take.
const TIME_BOUND: Duration = Duration::from_secs(2);

/// What kind of input a seed is, and so which entry points it goes through.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Scenario,
    Market,
    Prices,
    Holdings,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Scenario => "scenario",
            Kind::Market => "market",
            Kind::Prices => "prices",
            Kind::Holdings => "holdings",
        }
    }
}

/// How one input ended.
enum Outcome {
    Accepted,
    Rejected(String),
    Failed(String),
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut cases, mut seconds, mut seed) = (u64::MAX, 20u64, 1u64);
    while let Some(flag) = args.next() {
        let value = args.next().and_then(|v| v.parse().ok());
        match (flag.as_str(), value) {
            ("--cases", Some(n)) => cases = n,
            ("--seconds", Some(n)) => seconds = n,
            ("--seed", Some(n)) => seed = n,
            _ => {
                eprintln!("usage: uma-fuzz [--cases N] [--seconds S] [--seed K]");
                std::process::exit(2);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default();
    let seeds = seeds(&root);
    let failures = root.join("target").join("fuzz-failures");
    // Panics are outcomes here: keep their messages off the terminal.
    std::panic::set_hook(Box::new(|_| {}));
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut failed = 0u64;
    let mut record = |kind: Kind, input: &str, outcome: Outcome, counts: &mut BTreeMap<String, u64>| match outcome {
        Outcome::Accepted => *counts.entry(format!("{} accepted", kind.name())).or_default() += 1,
        Outcome::Rejected(why) => *counts.entry(format!("{} rejected: {why}", kind.name())).or_default() += 1,
        Outcome::Failed(why) => {
            failed += 1;
            *counts.entry(format!("{} FAILED: {why}", kind.name())).or_default() += 1;
            let _ = std::fs::create_dir_all(&failures);
            let _ = std::fs::write(failures.join(format!("{}-{failed}.txt", kind.name())), input);
            eprintln!("failure ({}): {why}", kind.name());
        }
    };
    for (kind, input) in regressions(&root) {
        let outcome = run(kind, &input, &seeds.scenario);
        record(kind, &input, outcome, &mut counts);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let uma = cli_binary();
    let scratch = std::env::temp_dir().join(format!("uma-fuzz-{}", std::process::id()));
    if uma.is_some() {
        let paper = include_str!("../../tests/scenarios/paper-three-models.json");
        let _ = std::fs::create_dir_all(&scratch).and_then(|()| std::fs::write(scratch.join("paper.json"), paper));
    }
    let started = Instant::now();
    let mut n = 0u64;
    let mut cli_runs = 0u64;
    while n < cases && started.elapsed() < Duration::from_secs(seconds) {
        let (kind, base) = &seeds.all[(rng.next_u64() % seeds.all.len() as u64) as usize];
        let input = mutate(*kind, base, &mut rng);
        let outcome = run(*kind, &input, &seeds.scenario);
        record(*kind, &input, outcome, &mut counts);
        if let (Some(uma), 0) = (&uma, n % CLI_SAMPLE) {
            record(*kind, &input, run_cli(uma, *kind, &input, &scratch), &mut counts);
            cli_runs += 1;
        }
        n += 1;
    }
    let _ = std::fs::remove_dir_all(&scratch);
    match &uma {
        Some(uma) => println!("fuzz: {cli_runs} of the inputs also went through {}", uma.display()),
        None => println!("fuzz: no `uma` binary beside the harness, so no input went through the CLI"),
    }
    let _ = std::panic::take_hook();
    println!(
        "fuzz: {n} inputs in {:.1} s (seed {seed}), and the regressions of fuzz/regressions:",
        started.elapsed().as_secs_f64()
    );
    let mut sorted: Vec<(&String, &u64)> = counts.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let shown = 40;
    for (what, count) in sorted.iter().take(shown) {
        println!("  {count:>8}  {what}");
    }
    if sorted.len() > shown {
        let rest: u64 = sorted[shown..].iter().map(|(_, c)| **c).sum();
        println!("  {rest:>8}  in {} other kinds of outcome", sorted.len() - shown);
    }
    let total: u64 = counts.values().sum();
    let (verdict, passed) = if failed == 0 { ("ok", 1) } else { ("FAILED", 0) };
    println!("test result: {verdict}. {passed} passed; {} failed (fuzz: {total} inputs, {failed} failing)", 1 - passed);
    if failed > 0 {
        println!("failing inputs saved in {}", failures.display());
        std::process::exit(1);
    }
}

/// The shipped inputs the mutations start from.
struct Seeds {
    all: Vec<(Kind, String)>,
    /// The paper's scenario, for CSV inputs that need one.
    scenario: Scenario,
}

fn seeds(root: &Path) -> Seeds {
    let mut all = Vec::new();
    let read = |dir: &str| -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> =
            std::fs::read_dir(root.join(dir)).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
        files.sort();
        files
    };
    for path in read("tests/scenarios") {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let kind = if path.extension().is_some_and(|e| e == "csv") { Kind::Prices } else { Kind::Scenario };
        all.push((kind, text));
    }
    for path in read("tests/markets") {
        if let Ok(text) = std::fs::read_to_string(&path) {
            all.push((Kind::Market, text));
        }
    }
    all.push((Kind::Holdings, "sleeve,symbol,shares,price,cost_basis,acquired\nlarge,VTI,140,250,30000.00,2020-01-02\nmid,VO,184,250,40000.00,2024-05-01\nsmall,VB,95,200,19000.00,2026-11-01\n".into()));
    let paper = include_str!("../../tests/scenarios/paper-three-models.json");
    Seeds { all, scenario: Scenario::from_json(paper).expect("the paper's scenario reads") }
}

/// The inputs that once failed, named `KIND-….txt` or `KIND-….json`.
fn regressions(root: &Path) -> Vec<(Kind, String)> {
    let Ok(dir) = std::fs::read_dir(root.join("fuzz").join("regressions")) else { return Vec::new() };
    let mut out = Vec::new();
    for entry in dir.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = [Kind::Scenario, Kind::Market, Kind::Prices, Kind::Holdings]
            .into_iter()
            .find(|k| name.starts_with(k.name()));
        if let (Some(kind), Ok(text)) = (kind, std::fs::read_to_string(entry.path())) {
            out.push((kind, text));
        }
    }
    out
}

/// One input in this many also goes through the `uma` binary, when it is built beside
/// the harness (`cargo xtask fuzz` builds it).
const CLI_SAMPLE: u64 = 1_000;

/// The `uma` binary beside the harness, if it is there.
fn cli_binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let uma = exe.parent()?.join(if cfg!(windows) { "uma.exe" } else { "uma" });
    uma.is_file().then_some(uma)
}

/// Runs `input` through the `uma` command its kind goes to: exit status 0 or 2 (never a
/// panic's 101 or a signal), an error on one line starting `uma: `, within the time bound.
fn run_cli(uma: &Path, kind: Kind, input: &str, scratch: &Path) -> Outcome {
    use std::process::{Command, Stdio};
    let file = scratch.join(format!("input-{}.txt", kind.name()));
    if std::fs::write(&file, input).is_err() {
        return Outcome::Rejected("cli: could not write the input".into());
    }
    let paper = scratch.join("paper.json");
    let file_arg = file.to_string_lossy().into_owned();
    let paper_arg = paper.to_string_lossy().into_owned();
    let args: Vec<&str> = match kind {
        Kind::Scenario => vec!["rebalance", &file_arg],
        // A long market is the engine's to bound (tested apart); keep each run quick.
        Kind::Market if RandomMarket::from_json(input).is_ok_and(|m| m.periods > 20_000) => {
            return Outcome::Rejected("cli: a long market, skipped".into())
        }
        Kind::Market => vec!["market", &file_arg],
        Kind::Prices => vec!["simulate", &paper_arg, "--prices", &file_arg],
        Kind::Holdings => return Outcome::Rejected("cli: holdings have no command".into()),
    };
    let started = Instant::now();
    let out = Command::new(uma).args(&args).stdin(Stdio::null()).output();
    let Ok(out) = out else { return Outcome::Failed("cli: uma did not start".into()) };
    let stderr = String::from_utf8_lossy(&out.stderr);
    let outcome = match out.status.code() {
        Some(0) => Outcome::Rejected(format!("cli {} accepted", args[0])),
        Some(2) if stderr.starts_with("uma: ") && stderr.trim_end().lines().count() == 1 => {
            Outcome::Rejected(format!("cli {} refused", args[0]))
        }
        Some(2) => Outcome::Failed(format!("cli: an error that is not one line: {stderr:?}")),
        code => Outcome::Failed(format!("cli: uma {} ended with {code:?}: {stderr}", args[0])),
    };
    if started.elapsed() > TIME_BOUND * 2 {
        return Outcome::Failed(format!("cli: took {:.1} s", started.elapsed().as_secs_f64()));
    }
    outcome
}

/// Runs one input through its entry points, within the time bound.
fn run(kind: Kind, input: &str, scenario: &Scenario) -> Outcome {
    let started = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| match kind {
        Kind::Scenario => scenario_laws(input),
        Kind::Market => match RandomMarket::from_json(input) {
            // A long random market is bounded by the engine; keep each input quick.
            Ok(market) if market.periods > 20_000 => Ok(()),
            Ok(market) => MarketPath::random(&market).map(drop).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        },
        Kind::Prices => MarketPath::from_csv(input).map(drop).map_err(|e| e.to_string()),
        Kind::Holdings => uma_engine::import_holdings(scenario, input).map(drop).map_err(|e| e.to_string()),
    }));
    let outcome = match result {
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            Outcome::Failed(format!("panic: {message}"))
        }
        Ok(Ok(())) => Outcome::Accepted,
        Ok(Err(message)) if message.starts_with("LAW ") => Outcome::Failed(message),
        Ok(Err(message)) if message.trim().is_empty() || message.contains('\n') => {
            Outcome::Failed(format!("an error that is not one line: {message:?}"))
        }
        Ok(Err(message)) if speaks_of_types(&message) => {
            Outcome::Failed(format!("an error in the program's words, not the file's: {message:?}"))
        }
        Ok(Err(message)) => Outcome::Rejected(kind_of(&message)),
    };
    if started.elapsed() > TIME_BOUND {
        return Outcome::Failed(format!("took {:.1} s", started.elapsed().as_secs_f64()));
    }
    outcome
}

/// Whether `message` names a type of the program (`struct BandRepr`, `u32`) or an unnamed
/// path segment (`?`) instead of saying what the file should hold.
fn speaks_of_types(message: &str) -> bool {
    let field = message.split(": ").next().unwrap_or("");
    field.split('.').any(|segment| segment == "?")
        || ["struct ", "enum ", "tuple struct ", "u8", "u16", "u32", "u64", "usize", "i32", "i64", "f32", "f64"]
            .iter()
            .any(|name| message.contains(&format!("expected {name}")))
}

/// An error message's kind, for the counts: its first words after the field, with what
/// it quotes and its numbers left out.
fn kind_of(message: &str) -> String {
    let rest = message.split_once(": ").map_or(message, |(_, r)| r);
    let mut out = String::new();
    let mut quoted: Option<char> = None;
    for c in rest.chars() {
        match (quoted, c) {
            (Some(q), c) if c == q => quoted = None,
            (Some(_), _) => {}
            (None, '`' | '"') => {
                quoted = Some(if c == '`' { '`' } else { '"' });
                out.push('…');
            }
            (None, c) if c.is_ascii_digit() || c == '$' || c == ',' || c == '.' => {}
            (None, c) => out.push(c),
        }
    }
    out.split_whitespace().take(5).collect::<Vec<_>>().join(" ")
}

/// A scenario through every entry point, and the strategic rebalance's laws.
fn scenario_laws(input: &str) -> Result<(), String> {
    let scenario = Scenario::from_json(input).map_err(|e| e.to_string())?;
    let result = uma_engine::rebalance(&scenario).map_err(|e| e.to_string())?;
    let after: Decimal = result.models.iter().map(|m| m.value_after).sum::<Decimal>() + result.cash_after;
    if after != result.total_value {
        return Err(format!("LAW value conserved: {after} after, {} before", result.total_value));
    }
    let drift = uma_engine::drift(&result.apply_to(&scenario).by_values())
        .map_err(|e| format!("LAW the result is valid: {e}"))?;
    if let Some(m) = drift.models.iter().find(|m| m.status != Status::InBand) {
        return Err(format!("LAW every model ends in band: {} is {:?}", m.id, m.status));
    }
    let _ = uma_engine::drift(&scenario).map_err(|e| e.to_string())?;
    let _ = uma_engine::smallest_deposit(&scenario).map_err(|e| e.to_string())?;
    let _ = uma_engine::compare_ranges(&scenario, Decimal::from(50)).map_err(|e| e.to_string())?;
    for flow in [Decimal::from(1000), Decimal::from(-1000)] {
        let _ = uma_engine::rebalance_with_flow(&scenario, flow);
    }
    Ok(())
}

/// `base` mutated once or a few times.
fn mutate(kind: Kind, base: &str, rng: &mut ChaCha8Rng) -> String {
    let rounds = 1 + rng.next_u64() % 3;
    let mut text = base.to_owned();
    for _ in 0..rounds {
        text = match (kind, rng.next_u64() % 4) {
            (Kind::Scenario | Kind::Market, 0..=2) => match serde_json::from_str::<Value>(&text) {
                Ok(mut value) => {
                    mutate_value(&mut value, rng);
                    value.to_string()
                }
                Err(_) => mutate_text(&text, rng),
            },
            (Kind::Prices | Kind::Holdings, 0..=1) => mutate_csv(&text, rng),
            _ => mutate_text(&text, rng),
        };
    }
    text
}

/// Numbers, ids and texts that have broken parsers and arithmetic before.
const NASTY: [&str; 24] = [
    "0",
    "-0",
    "1e30",
    "1e308",
    "99999999999999999999",
    "79228162514264337593543950335",
    "0.0000001",
    "-1",
    "35_000",
    "3.5E4",
    "NaN",
    "",
    " 1",
    "1000000000000000.01",
    "0.000000000000000000000000001",
    "a\u{0}",
    "bonds ",
    "<script>alert(1)</script>",
    "=1+1",
    "gro,wth",
    "9999-12-31",
    "10000-01-01",
    "2024-02-30",
    "\u{feff}",
];

fn pick<'a, T>(items: &'a [T], rng: &mut ChaCha8Rng) -> &'a T {
    &items[(rng.next_u64() % items.len() as u64) as usize]
}

/// One structural mutation at a random place of a JSON value.
fn mutate_value(value: &mut Value, rng: &mut ChaCha8Rng) {
    let depth = rng.next_u64() % 6;
    mutate_at(value, depth, rng);
}

/// Goes `depth` levels down a random path of `node` (as far as it goes), then changes
/// what is there.
fn mutate_at(node: &mut Value, depth: u64, rng: &mut ChaCha8Rng) {
    if depth > 0 {
        match node {
            Value::Object(map) if !map.is_empty() => {
                let k = (rng.next_u64() % map.len() as u64) as usize;
                if let Some(child) = map.values_mut().nth(k) {
                    return mutate_at(child, depth - 1, rng);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                let i = (rng.next_u64() % items.len() as u64) as usize;
                return mutate_at(&mut items[i], depth - 1, rng);
            }
            _ => {}
        }
    }
    match rng.next_u64() % 9 {
        0 => *node = Value::Null,
        1 => *node = Value::String((*pick(&NASTY, rng)).to_owned()),
        2 => *node = serde_json::json!(pick(&[1e300, -1e-300, 0.1, -5.0, 1e15, 4e15, 0.0], rng)),
        3 => *node = serde_json::json!(true),
        4 => *node = serde_json::json!([]),
        5 => *node = serde_json::json!({}),
        6 => {
            if let Value::Array(items) = node {
                if let Some(first) = items.first().cloned() {
                    let copies = 1 + rng.next_u64() % 200;
                    items.extend(std::iter::repeat_n(first, copies as usize));
                }
            }
        }
        7 => {
            if let Value::Object(map) = node {
                if let Some(key) = map.keys().next().cloned() {
                    map.remove(&key);
                }
            }
        }
        _ => {
            if let Value::Object(map) = node {
                map.insert((*pick(&["x", "corelation", "cahs", "percent"], rng)).to_owned(), Value::String("1".into()));
            }
        }
    }
}

/// One mutation of a CSV file: a cell replaced, a line doubled or dropped, line endings
/// changed, a column added.
fn mutate_csv(text: &str, rng: &mut ChaCha8Rng) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if lines.is_empty() {
        return mutate_text(text, rng);
    }
    let i = (rng.next_u64() % lines.len() as u64) as usize;
    match rng.next_u64() % 6 {
        0 => {
            let mut cells: Vec<String> = lines[i].split(',').map(str::to_owned).collect();
            let k = (rng.next_u64() % cells.len() as u64) as usize;
            cells[k] = (*pick(&NASTY, rng)).to_owned();
            lines[i] = cells.join(",");
        }
        1 => {
            let line = lines[i].clone();
            lines.insert(i, line);
        }
        2 => {
            lines.remove(i);
        }
        3 => return lines.join("\r"),
        4 => lines[i].push_str(",\"1,000\""),
        _ => return format!("\u{feff}{}", lines.join("\r\n")),
    }
    lines.join("\n")
}

/// One mutation of raw text: truncated, a character inserted or removed.
fn mutate_text(text: &str, rng: &mut ChaCha8Rng) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return (*pick(&NASTY, rng)).to_owned();
    }
    let i = (rng.next_u64() % chars.len() as u64) as usize;
    match rng.next_u64() % 3 {
        0 => chars[..i].iter().collect(),
        1 => {
            let mut out = chars.clone();
            out.insert(i, *pick(&['"', '{', '}', ',', '\u{0}', '9', '.', '-', 'e', '\n'], rng));
            out.into_iter().collect()
        }
        _ => {
            let mut out = chars.clone();
            out.remove(i);
            out.into_iter().collect()
        }
    }
}
