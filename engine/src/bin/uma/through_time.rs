//! `uma simulate` and `uma market`, written out as they run: a market path a line at a
//! time, a simulation's rebalances one by one. Memory stays what the path needs, whatever
//! the number of rebalances, and the JSON is the library's own `Simulation` (the same
//! fields, in the same order, indented as `serde_json` pretty-prints).

use std::io::{BufWriter, Stdout, Write};

use uma_engine::{MarketPath, Scenario, SimulationConfig};

/// Standard output held back until it passes this many bytes: a run that fails before
/// prints its error alone; past it, output streams, and an error on a later date leaves
/// the output cut short (the exit status says so).
const HOLD: usize = 4 << 20;

/// Standard output, held back for its first [`HOLD`] bytes.
struct Held {
    buffer: Vec<u8>,
    out: Option<BufWriter<Stdout>>,
    /// A write failed (a closed pipe, as in `uma simulate … | head`): the rest is dropped.
    closed: bool,
}

impl Held {
    fn new() -> Held {
        Held { buffer: Vec::new(), out: None, closed: false }
    }

    fn write(&mut self, text: &str) {
        if self.closed {
            return;
        }
        if let Some(out) = &mut self.out {
            self.closed = out.write_all(text.as_bytes()).is_err();
            return;
        }
        self.buffer.extend_from_slice(text.as_bytes());
        if self.buffer.len() > HOLD {
            let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout());
            self.closed = out.write_all(&self.buffer).is_err();
            self.buffer = Vec::new();
            self.out = Some(out);
        }
    }

    /// Ends a run that failed: what streamed already is flushed, what was held back is
    /// dropped.
    fn abandon(mut self) {
        if let (Some(out), false) = (&mut self.out, self.closed) {
            let _ = out.flush();
        }
    }

    fn finish(mut self) {
        if self.closed {
            return;
        }
        match &mut self.out {
            Some(out) => {
                let _ = out.flush();
            }
            None => {
                let _ = std::io::stdout().write_all(&self.buffer);
            }
        }
    }
}

/// `uma market`: the path as CSV, a line at a time.
pub fn market(path: &MarketPath) {
    let mut out = Held::new();
    path.csv_lines().for_each(|line| out.write(&line));
    out.finish();
}

/// `text` (pretty JSON) indented by `by` more spaces on every line but the first.
fn indented(text: &str, by: &str) -> String {
    text.replace('\n', &format!("\n{by}"))
}

fn pretty<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// `uma simulate`: the run as JSON (or, with `table`, the summary), each rebalance written
/// out as it is made.
///
/// # Errors
///
/// The simulation's error, as a message.
pub fn simulate(scenario: &Scenario, path: &MarketPath, config: &SimulationConfig, table: bool) -> Result<(), String> {
    let mut out = Held::new();
    if table {
        // The summary's head needs the metrics of the end: the lines wait, no bigger than
        // what is printed.
        let mut lines = String::new();
        let run = uma_engine::simulate_each(scenario, path, config, &mut |event| lines.push_str(&event.table_line()))
            .map_err(|e| e.to_string())?;
        out.write(&run.table_head());
        out.write(&lines);
        out.finish();
        return Ok(());
    }
    out.write(&format!(
        "{{\n  \"look\": {},\n  \"policy\": {},\n  \"rebalances\": [",
        pretty(&config.look),
        pretty(&config.policy)
    ));
    let mut first = true;
    let run = uma_engine::simulate_each(scenario, path, config, &mut |event| {
        out.write(if first { "\n    " } else { ",\n    " });
        out.write(&indented(&pretty(&event), "    "));
        first = false;
    });
    let run = match run {
        Ok(run) => run,
        Err(e) => {
            out.abandon();
            return Err(e.to_string());
        }
    };
    out.write(if first { "],\n" } else { "\n  ],\n" });
    out.write(&format!(
        "  \"final_value\": {},\n  \"metrics\": {}\n}}\n",
        pretty(&run.final_value),
        indented(&pretty(&run.metrics), "  ")
    ));
    out.finish();
    Ok(())
}
