//! `uma`: the UMA Rebalance Lab engine from the command line.
//!
//! ```text
//! uma rebalance FILE [--format json|table|csv] strategic rebalance with its trace, then the
//!                                             orders per sleeve (csv: the order blotter)
//! uma drift FILE [--format json|table]       drift report
//! uma simulate FILE (--prices PRICES.csv | --market MARKET.json)
//!      [--policy strategic|full|calendar|never] [--look daily|weekly|…|annually] [--cost-bps N]
//!      [--detail metrics|rebalances]
//! uma market MARKET.json                      a seeded random market as a prices CSV
//! uma book --accounts N --seed S [--format jsonl|csv] [--book BOOK.json]
//!                                             a seeded demo book of business
//! uma batch BOOK.json --accounts FILE [--threads N] [--format jsonl|csv|table]
//!      [--summary] [--explain] [--sweep]       rebalance every account of a book
//! ```
//!
//! FILE is a scenario (JSON) or `-` for standard input. Output is JSON by default.
//! Bad input exits with status 2 and one message on standard error.

use std::io::{Read, Write};
use std::process::ExitCode;

#[path = "uma/batch.rs"]
mod batch;
#[path = "uma/through_time.rs"]
mod through_time;

const USAGE: &str = "\
usage: uma rebalance FILE [--format json|table|csv]
       uma drift FILE [--format json|table]
       uma simulate FILE (--prices PRICES.csv | --market MARKET.json) [--policy P] [--look L] [--cost-bps N]
                    [--detail metrics|rebalances]
       uma market MARKET.json
       uma book --accounts N --seed S [--format jsonl|csv] [--book BOOK.json]
       uma batch BOOK.json --accounts FILE [--threads N] [--format jsonl|csv|table] [--summary] [--explain] [--sweep]

commands:
  rebalance   run the strategic rebalance and print each model before and after, and its trace;
              with holdings, then each sleeve's orders (--format csv: the order blotter)
  drift       print each model's weight, drift, band and status
  simulate    run the strategy through a market path; print every rebalance (written out as
              it is made) and the run's metrics; --detail metrics prints the metrics alone
  market      print the seeded random market MARKET.json describes, as a prices CSV
  book        print N accounts of a seeded demo book (JSON lines, or --format csv); --book
              writes its strategies (the book file) to BOOK.json
  batch       rebalance every account of FILE (JSON lines, or a CSV account,strategy,sleeve,value)
              with its strategy in BOOK.json: one JSON line per account (csv: the book's blotter;
              table: one row per account); --summary adds the book's totals, --explain the
              steps' sentences, --sweep replaces the lines by the book under a grid of band
              settings; --threads N (default: every core) changes nothing but speed

FILE is a scenario JSON file, or - to read standard input.
PRICES.csv has a header `date,<model id>,...` and a row of prices per date.
MARKET.json describes a seeded random market (models with expected_return and volatility,
correlation, frequency daily|monthly, periods, start, seed); a path holds at most 5,000,000
prices (its dates times its models).
P is strategic (default), full, calendar or never; L is daily (default), weekly, biweekly,
monthly, quarterly or annually.";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Command {
    Rebalance,
    Drift,
    Simulate,
    Market,
    Book,
    Batch,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Jsonl,
    Table,
    Csv,
}

struct Args {
    command: Command,
    file: String,
    format: Format,
    prices: Option<String>,
    market: Option<String>,
    config: uma_engine::SimulationConfig,
    /// `--accounts`: a count for `book`, a file for `batch`.
    accounts: Option<String>,
    seed: Option<u64>,
    book_out: Option<String>,
    threads: Option<usize>,
    summary: bool,
    explain: bool,
    sweep: bool,
}

/// The largest input file (or standard input) read: 64 MiB.
const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

impl Command {
    fn name(self) -> &'static str {
        match self {
            Command::Rebalance => "rebalance",
            Command::Drift => "drift",
            Command::Simulate => "simulate",
            Command::Market => "market",
            Command::Book => "book",
            Command::Batch => "batch",
        }
    }

    /// Whether `flag` applies to this command (`--format csv` is checked apart).
    fn takes(self, flag: &str) -> bool {
        match self {
            Command::Rebalance | Command::Drift => flag == "--format",
            Command::Simulate => {
                ["--format", "--prices", "--market", "--policy", "--look", "--cost-bps", "--detail"].contains(&flag)
            }
            Command::Market => false,
            Command::Book => ["--format", "--accounts", "--seed", "--book"].contains(&flag),
            Command::Batch => {
                ["--format", "--accounts", "--threads", "--summary", "--explain", "--sweep"].contains(&flag)
            }
        }
    }
}

fn parse_args() -> Result<Option<Args>, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let mut command = None;
    let mut file = None;
    let mut format = Format::Json;
    let (mut prices, mut market) = (None, None);
    let mut config = uma_engine::SimulationConfig::default();
    let mut given: Vec<&'static str> = Vec::new();
    let mut extra = Args::empty();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match &arg {
            Short('f') | Long("format") => given.push("--format"),
            Long("prices") => given.push("--prices"),
            Long("market") => given.push("--market"),
            Long("policy") => given.push("--policy"),
            Long("look") => given.push("--look"),
            Long("cost-bps") => given.push("--cost-bps"),
            Long("detail") => given.push("--detail"),
            Long("accounts") => given.push("--accounts"),
            Long("seed") => given.push("--seed"),
            Long("book") => given.push("--book"),
            Long("threads") => given.push("--threads"),
            Long("summary") => given.push("--summary"),
            Long("explain") => given.push("--explain"),
            Long("sweep") => given.push("--sweep"),
            _ => {}
        }
        match arg {
            Short('h') | Long("help") => return Ok(None),
            Short('f') | Long("format") => {
                let value = parser.value().map_err(|e| e.to_string())?;
                format = match value.to_str() {
                    Some("json") => Format::Json,
                    Some("jsonl") => Format::Jsonl,
                    Some("table") => Format::Table,
                    Some("csv") => Format::Csv,
                    _ => return Err(format!("--format: expected json, jsonl, table or csv, not {:?}", value)),
                };
            }
            Long("prices") => prices = Some(text_value(&mut parser, "--prices")?),
            Long("market") => market = Some(text_value(&mut parser, "--market")?),
            Long("policy") => {
                let name = text_value(&mut parser, "--policy")?;
                config.policy = uma_engine::Policy::from_name(&name)
                    .ok_or(format!("--policy: expected strategic, full, calendar or never, not {name:?}"))?;
            }
            Long("look") => {
                let name = text_value(&mut parser, "--look")?;
                config.look = uma_engine::Look::from_name(&name).ok_or(format!(
                    "--look: expected daily, weekly, biweekly, monthly, quarterly or annually, not {name:?}"
                ))?;
            }
            Long("cost-bps") => {
                let text = text_value(&mut parser, "--cost-bps")?;
                config.cost_bps =
                    text.parse().map_err(|_| format!("--cost-bps: expected a number of basis points, not {text:?}"))?;
            }
            Long("detail") => {
                config.detail = match text_value(&mut parser, "--detail")?.as_str() {
                    "metrics" => uma_engine::Detail::Metrics,
                    "rebalances" => uma_engine::Detail::Rebalances,
                    other => return Err(format!("--detail: expected metrics or rebalances, not {other:?}")),
                };
            }
            Long("accounts") => extra.accounts = Some(text_value(&mut parser, "--accounts")?),
            Long("book") => extra.book_out = Some(text_value(&mut parser, "--book")?),
            Long("seed") => {
                let text = text_value(&mut parser, "--seed")?;
                extra.seed =
                    Some(text.parse().map_err(|_| {
                        format!("--seed: expected a whole number from 0 to {}, not {text:?}", u64::MAX)
                    })?);
            }
            Long("threads") => {
                let text = text_value(&mut parser, "--threads")?;
                extra.threads = Some(
                    text.parse()
                        .ok()
                        .filter(|n| (1..=1024).contains(n))
                        .ok_or(format!("--threads: expected a number of threads from 1 to 1024, not {text:?}"))?,
                );
            }
            Long("summary") => extra.summary = true,
            Long("explain") => extra.explain = true,
            Long("sweep") => extra.sweep = true,
            Value(value) if command.is_none() => {
                command = Some(match value.to_str() {
                    Some("rebalance") => Command::Rebalance,
                    Some("drift") => Command::Drift,
                    Some("simulate") => Command::Simulate,
                    Some("market") => Command::Market,
                    Some("book") => Command::Book,
                    Some("batch") => Command::Batch,
                    _ => {
                        return Err(format!(
                            "unknown command {value:?}: expected rebalance, drift, simulate, market, book or batch"
                        ))
                    }
                });
            }
            Value(value) if file.is_none() => {
                file = Some(value.into_string().map_err(|v| format!("the file name {v:?} is not valid UTF-8"))?);
            }
            other => return Err(other.unexpected().to_string()),
        }
    }
    let command = command.ok_or("missing command: expected rebalance, drift, simulate, market, book or batch")?;
    if let Some(flag) = given.iter().find(|f| !command.takes(f)) {
        return Err(format!("{flag} does not apply to `uma {}`", command.name()));
    }
    let format_given = given.contains(&"--format");
    if matches!(command, Command::Book | Command::Batch) {
        return book_args(command, file, format, format_given, prices, market, config, extra);
    }
    if format == Format::Jsonl {
        return Err(format!("--format jsonl is for `uma book` and `uma batch`, not `uma {}`", command.name()));
    }
    if format == Format::Csv && command != Command::Rebalance {
        return Err(format!(
            "--format csv writes the order blotter of `uma rebalance`, not of `uma {}`",
            command.name()
        ));
    }
    let file = file.ok_or("missing FILE: give a scenario file, or - for standard input")?;
    if command == Command::Simulate && prices.is_some() == market.is_some() {
        return Err("simulate needs one market: --prices PRICES.csv or --market MARKET.json".into());
    }
    Ok(Some(Args { command, file, format, prices, market, config, ..extra }))
}

/// The checks of `uma book` and `uma batch`'s arguments.
#[allow(clippy::too_many_arguments)]
fn book_args(
    command: Command,
    file: Option<String>,
    format: Format,
    format_given: bool,
    prices: Option<String>,
    market: Option<String>,
    config: uma_engine::SimulationConfig,
    extra: Args,
) -> Result<Option<Args>, String> {
    let format = if format_given { format } else { Format::Jsonl };
    let file = match command {
        Command::Book => {
            if let Some(file) = file {
                return Err(format!("`uma book` takes no FILE (found {file:?}): it writes the demo book"));
            }
            let count = extra.accounts.as_deref().ok_or("uma book needs --accounts N, how many accounts to write")?;
            if count.parse::<u64>().is_err() {
                return Err(format!("--accounts: `uma book` takes a number of accounts, not {count:?}"));
            }
            if extra.seed.is_none() {
                return Err("uma book needs --seed S: the same seed writes the same book".into());
            }
            if !matches!(format, Format::Jsonl | Format::Csv) {
                return Err("--format: `uma book` writes jsonl (the default) or csv".into());
            }
            String::new()
        }
        _ => {
            if extra.accounts.is_none() {
                return Err("uma batch needs --accounts FILE: the accounts, as JSON lines or CSV".into());
            }
            if !matches!(format, Format::Jsonl | Format::Csv | Format::Table) {
                return Err("--format: `uma batch` writes jsonl (the default), csv or table".into());
            }
            file.ok_or("missing BOOK.json: give the book file of strategies")?
        }
    };
    Ok(Some(Args { command, file, format, prices, market, config, ..extra }))
}

impl Args {
    /// Arguments with nothing given yet.
    fn empty() -> Args {
        Args {
            command: Command::Rebalance,
            file: String::new(),
            format: Format::Json,
            prices: None,
            market: None,
            config: uma_engine::SimulationConfig::default(),
            accounts: None,
            seed: None,
            book_out: None,
            threads: None,
            summary: false,
            explain: false,
            sweep: false,
        }
    }
}

fn text_value(parser: &mut lexopt::Parser, flag: &str) -> Result<String, String> {
    let value = parser.value().map_err(|e| e.to_string())?;
    value.into_string().map_err(|v| format!("{flag}: {v:?} is not valid UTF-8"))
}

/// Reads `file` (or standard input for `-`), at most [`MAX_INPUT_BYTES`], as UTF-8.
pub(crate) fn read_input(file: &str) -> Result<String, String> {
    let name = if file == "-" { "standard input" } else { file };
    let source: Box<dyn Read> = if file == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(file).map_err(|e| format!("{file}: {e}"))?)
    };
    let mut bytes = Vec::new();
    source.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes).map_err(|e| format!("{name}: {e}"))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(format!("{name}: the input is larger than the 64 MiB the engine reads"));
    }
    String::from_utf8(bytes).map_err(|e| format!("{name}: not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))
}

fn random_market(file: &str) -> Result<uma_engine::MarketPath, String> {
    let market = uma_engine::RandomMarket::from_json(&read_input(file)?).map_err(|e| format!("{file}: {e}"))?;
    uma_engine::MarketPath::random(&market).map_err(|e| e.to_string())
}

fn run(args: &Args) -> Result<String, String> {
    // Every command but `market` reads a scenario from FILE.
    let scenario = || uma_engine::Scenario::from_json(&read_input(&args.file)?).map_err(|e| e.to_string());
    let out = match (args.command, args.format) {
        (Command::Market, _) => {
            through_time::market(&random_market(&args.file)?);
            String::new()
        }
        (Command::Book, format) => {
            let count = args.accounts.as_deref().and_then(|n| n.parse().ok()).unwrap_or(0);
            batch::book(count, args.seed.unwrap_or(0), format == Format::Csv, args.book_out.as_deref())?;
            String::new()
        }
        (Command::Batch, format) => {
            let options = batch::BatchOptions {
                format: match format {
                    Format::Csv => batch::BatchFormat::Csv,
                    Format::Table => batch::BatchFormat::Table,
                    Format::Json | Format::Jsonl => batch::BatchFormat::Jsonl,
                },
                threads: args
                    .threads
                    .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)),
                summary: args.summary,
                explain: args.explain,
                sweep: args.sweep,
            };
            batch::batch(&args.file, args.accounts.as_deref().unwrap_or("-"), &options)?;
            String::new()
        }
        (Command::Rebalance, format) => {
            let scenario = scenario()?;
            let result = uma_engine::rebalance(&scenario).map_err(|e| e.to_string())?;
            match format {
                Format::Json | Format::Jsonl => to_json(&result),
                Format::Table => result.to_string(),
                Format::Csv => match &result.tactical {
                    Some(tactical) => tactical.to_csv(),
                    None => return Err("--format csv writes the order blotter, and this scenario lists no holdings: give its sleeves holdings (scenario format 2)".into()),
                },
            }
        }
        (Command::Drift, format) => {
            let scenario = scenario()?;
            let report = uma_engine::drift(&scenario).map_err(|e| e.to_string())?;
            match format {
                Format::Json | Format::Jsonl => to_json(&report),
                Format::Table => report.to_string(),
                Format::Csv => return Err("--format csv is for the order blotter of `uma rebalance`".into()),
            }
        }
        (Command::Simulate, format) => {
            let scenario = scenario()?;
            let path = match (&args.prices, &args.market) {
                (Some(prices), _) => {
                    uma_engine::MarketPath::from_csv(&read_input(prices)?).map_err(|e| e.to_string())?
                }
                (_, Some(market)) => random_market(market)?,
                _ => return Err("simulate needs --prices or --market".into()),
            };
            if format == Format::Csv {
                return Err("--format csv is for the order blotter of `uma rebalance`".into());
            }
            through_time::simulate(&scenario, &path, &args.config, format == Format::Table)?;
            String::new()
        }
    };
    Ok(out)
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            // One message, as for bad input; the usage is one command away.
            eprintln!("uma: {message} (run `uma --help` for usage)");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(out) => {
            // A closed pipe (`uma drift f | head`) is not an error worth a message.
            let _ = std::io::stdout().write_all(out.as_bytes());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("uma: {message}");
            ExitCode::from(2)
        }
    }
}
