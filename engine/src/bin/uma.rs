//! `uma`: the UMA Rebalance Lab engine from the command line.
//!
//! ```text
//! uma rebalance FILE [--format json|table]   strategic rebalance with its trace
//! uma drift FILE [--format json|table]       drift report
//! ```
//!
//! FILE is a scenario (JSON) or `-` for standard input. Output is JSON by default.
//! Bad input exits with status 2 and one message on standard error.

use std::io::{Read, Write};
use std::process::ExitCode;

const USAGE: &str = "\
usage: uma <command> FILE [--format json|table]

commands:
  rebalance   run the strategic rebalance and print each model before and after, and its trace
  drift       print each model's weight, drift, band and status

FILE is a scenario JSON file, or - to read standard input.";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Command {
    Rebalance,
    Drift,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Table,
}

struct Args {
    command: Command,
    file: String,
    format: Format,
}

fn parse_args() -> Result<Option<Args>, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let mut command = None;
    let mut file = None;
    let mut format = Format::Json;
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => return Ok(None),
            Short('f') | Long("format") => {
                let value = parser.value().map_err(|e| e.to_string())?;
                format = match value.to_str() {
                    Some("json") => Format::Json,
                    Some("table") => Format::Table,
                    _ => return Err(format!("--format: expected json or table, not {:?}", value)),
                };
            }
            Value(value) if command.is_none() => {
                command = Some(match value.to_str() {
                    Some("rebalance") => Command::Rebalance,
                    Some("drift") => Command::Drift,
                    _ => return Err(format!("unknown command {value:?}: expected rebalance or drift")),
                });
            }
            Value(value) if file.is_none() => {
                file = Some(value.into_string().map_err(|v| format!("the file name {v:?} is not valid UTF-8"))?);
            }
            other => return Err(other.unexpected().to_string()),
        }
    }
    let command = command.ok_or("missing command: expected rebalance or drift")?;
    let file = file.ok_or("missing FILE: give a scenario file, or - for standard input")?;
    Ok(Some(Args { command, file, format }))
}

fn read_input(file: &str) -> Result<String, String> {
    let mut text = String::new();
    if file == "-" {
        std::io::stdin().read_to_string(&mut text).map_err(|e| format!("standard input: {e}"))?;
    } else {
        text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
    }
    Ok(text)
}

fn run(args: &Args) -> Result<String, String> {
    let text = read_input(&args.file)?;
    let scenario = uma_engine::Scenario::from_json(&text).map_err(|e| e.to_string())?;
    let out = match (args.command, args.format) {
        (Command::Rebalance, format) => {
            let result = uma_engine::rebalance(&scenario).map_err(|e| e.to_string())?;
            match format {
                Format::Json => to_json(&result),
                Format::Table => result.to_string(),
            }
        }
        (Command::Drift, format) => {
            let report = uma_engine::drift(&scenario).map_err(|e| e.to_string())?;
            match format {
                Format::Json => to_json(&report),
                Format::Table => report.to_string(),
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
            eprintln!("uma: {message}\n\n{USAGE}");
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
