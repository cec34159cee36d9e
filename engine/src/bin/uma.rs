//! `uma`: the UMA Rebalance Lab engine from the command line.
//!
//! ```text
//! uma rebalance FILE [--format json|table|csv] strategic rebalance with its trace, then the
//!                                             orders per sleeve (csv: the order blotter)
//! uma drift FILE [--format json|table]       drift report
//! uma simulate FILE (--prices PRICES.csv | --market MARKET.json)
//!      [--policy strategic|full|calendar|never] [--look daily|weekly|…|annually] [--cost-bps N]
//! uma market MARKET.json                      a seeded random market as a prices CSV
//! ```
//!
//! FILE is a scenario (JSON) or `-` for standard input. Output is JSON by default.
//! Bad input exits with status 2 and one message on standard error.

use std::io::{Read, Write};
use std::process::ExitCode;

const USAGE: &str = "\
usage: uma rebalance FILE [--format json|table|csv]
       uma drift FILE [--format json|table]
       uma simulate FILE (--prices PRICES.csv | --market MARKET.json) [--policy P] [--look L] [--cost-bps N]
       uma market MARKET.json

commands:
  rebalance   run the strategic rebalance and print each model before and after, and its trace;
              with holdings, then each sleeve's orders (--format csv: the order blotter)
  drift       print each model's weight, drift, band and status
  simulate    run the strategy through a market path; print every rebalance and the run's metrics
  market      print the seeded random market MARKET.json describes, as a prices CSV

FILE is a scenario JSON file, or - to read standard input.
PRICES.csv has a header `date,<model id>,...` and a row of prices per date.
MARKET.json describes a seeded random market (models with expected_return and volatility,
correlation, frequency daily|monthly, periods, start, seed).
P is strategic (default), full, calendar or never; L is daily (default), weekly, biweekly,
monthly, quarterly or annually.";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Command {
    Rebalance,
    Drift,
    Simulate,
    Market,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
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
        }
    }

    /// Whether `flag` applies to this command (`--format csv` is checked apart).
    fn takes(self, flag: &str) -> bool {
        match self {
            Command::Rebalance | Command::Drift => flag == "--format",
            Command::Simulate => {
                ["--format", "--prices", "--market", "--policy", "--look", "--cost-bps"].contains(&flag)
            }
            Command::Market => false,
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
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match &arg {
            Short('f') | Long("format") => given.push("--format"),
            Long("prices") => given.push("--prices"),
            Long("market") => given.push("--market"),
            Long("policy") => given.push("--policy"),
            Long("look") => given.push("--look"),
            Long("cost-bps") => given.push("--cost-bps"),
            _ => {}
        }
        match arg {
            Short('h') | Long("help") => return Ok(None),
            Short('f') | Long("format") => {
                let value = parser.value().map_err(|e| e.to_string())?;
                format = match value.to_str() {
                    Some("json") => Format::Json,
                    Some("table") => Format::Table,
                    Some("csv") => Format::Csv,
                    _ => return Err(format!("--format: expected json, table or csv, not {:?}", value)),
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
            Value(value) if command.is_none() => {
                command = Some(match value.to_str() {
                    Some("rebalance") => Command::Rebalance,
                    Some("drift") => Command::Drift,
                    Some("simulate") => Command::Simulate,
                    Some("market") => Command::Market,
                    _ => {
                        return Err(format!("unknown command {value:?}: expected rebalance, drift, simulate or market"))
                    }
                });
            }
            Value(value) if file.is_none() => {
                file = Some(value.into_string().map_err(|v| format!("the file name {v:?} is not valid UTF-8"))?);
            }
            other => return Err(other.unexpected().to_string()),
        }
    }
    let command = command.ok_or("missing command: expected rebalance, drift, simulate or market")?;
    if let Some(flag) = given.iter().find(|f| !command.takes(f)) {
        return Err(format!("{flag} does not apply to `uma {}`", command.name()));
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
    Ok(Some(Args { command, file, format, prices, market, config }))
}

fn text_value(parser: &mut lexopt::Parser, flag: &str) -> Result<String, String> {
    let value = parser.value().map_err(|e| e.to_string())?;
    value.into_string().map_err(|v| format!("{flag}: {v:?} is not valid UTF-8"))
}

/// Reads `file` (or standard input for `-`), at most [`MAX_INPUT_BYTES`], as UTF-8.
fn read_input(file: &str) -> Result<String, String> {
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
        (Command::Market, _) => random_market(&args.file)?.to_csv(),
        (Command::Rebalance, format) => {
            let scenario = scenario()?;
            let result = uma_engine::rebalance(&scenario).map_err(|e| e.to_string())?;
            match format {
                Format::Json => to_json(&result),
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
                Format::Json => to_json(&report),
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
            let run = uma_engine::simulate(&scenario, &path, &args.config).map_err(|e| e.to_string())?;
            match format {
                Format::Json => to_json(&run),
                Format::Table => run.to_string(),
                Format::Csv => return Err("--format csv is for the order blotter of `uma rebalance`".into()),
            }
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
