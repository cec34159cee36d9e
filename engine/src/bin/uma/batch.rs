//! `uma batch` and `uma book`: the book of business from the command line. Accounts are
//! read, rebalanced and written in order, a chunk at a time (each chunk split over the
//! threads), so memory stays flat however many accounts stream through.

use std::io::{BufRead, BufReader, BufWriter, Read, Write};

use uma_engine::{AccountOutcome, Batch, Book, ReadAccount, Summary, Sweep};

/// What `uma batch` writes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum BatchFormat {
    Jsonl,
    Csv,
    Table,
}

/// The options of `uma batch`.
pub struct BatchOptions {
    pub format: BatchFormat,
    pub threads: usize,
    pub summary: bool,
    pub explain: bool,
    pub sweep: bool,
}

/// Accounts handled per chunk: enough to keep every thread busy, few enough that a chunk
/// of the largest accounts stays small in memory.
const CHUNK: usize = 4096;

/// The longest line of an accounts JSON-lines file read: 16 MiB.
const MAX_LINE: u64 = 16 * 1024 * 1024;

/// The largest accounts CSV read (it is read whole: an account's rows may be anywhere).
const MAX_CSV: u64 = 1024 * 1024 * 1024;

/// An account waiting in a chunk: a JSON line to read (with its number) or an account
/// already read from CSV.
enum Pending {
    Line(usize, Result<String, String>),
    Read(Box<ReadAccount>),
}

/// Runs `uma batch`: the book at `book_path`, the accounts at `accounts_path` (`-` for
/// standard input), written to standard output.
pub fn batch(book_path: &str, accounts_path: &str, options: &BatchOptions) -> Result<(), String> {
    if book_path == "-" && accounts_path == "-" {
        return Err(
            "the book and the accounts cannot both come from standard input (-): give one of them as a file".into()
        );
    }
    let book = Book::from_json(&crate::read_input(book_path)?).map_err(|e| format!("{book_path}: {e}"))?;
    let source: Box<dyn Read> = if accounts_path == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(accounts_path).map_err(|e| format!("{accounts_path}: {e}"))?)
    };
    let mut reader = BufReader::with_capacity(1 << 20, source);
    let is_json = {
        let head = reader.fill_buf().map_err(|e| format!("{accounts_path}: {e}"))?;
        let text = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head);
        text.iter().find(|b| !b.is_ascii_whitespace()).is_none_or(|&b| b == b'{')
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let mut run = Run::new(&book, options);
    if options.format == BatchFormat::Csv && !options.sweep {
        write(&mut out, &format!("{}\n", uma_engine::book_blotter_header()))?;
    }
    if options.format == BatchFormat::Table && !options.sweep {
        write(
            &mut out,
            &format!("{}\n", table_row(["Account", "Strategy", "Triggered", "Traded", "Cash after", "Drift left"])),
        )?;
    }
    if is_json {
        let mut chunk = Vec::with_capacity(CHUNK);
        let mut number = 0;
        while let Some(line) = next_line(&mut reader, accounts_path)? {
            number += 1;
            if line.as_ref().is_ok_and(|l| l.trim().is_empty()) {
                continue;
            }
            chunk.push(Pending::Line(number, line));
            if chunk.len() == CHUNK {
                run.chunk(std::mem::take(&mut chunk), &mut out)?;
            }
        }
        run.chunk(chunk, &mut out)?;
    } else {
        let mut bytes = Vec::new();
        reader.take(MAX_CSV + 1).read_to_end(&mut bytes).map_err(|e| format!("{accounts_path}: {e}"))?;
        if bytes.len() as u64 > MAX_CSV {
            return Err(format!("{accounts_path}: an accounts CSV is read whole, and this one is over 1 GiB: write it as JSON lines, which stream"));
        }
        let text = String::from_utf8(bytes)
            .map_err(|e| format!("{accounts_path}: not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))?;
        let accounts = uma_engine::accounts_from_csv(&text).map_err(|e| format!("{accounts_path}: {e}"))?;
        drop(text);
        let mut accounts = accounts.into_iter().map(|a| Pending::Read(Box::new(a))).peekable();
        while accounts.peek().is_some() {
            run.chunk(accounts.by_ref().take(CHUNK).collect(), &mut out)?;
        }
    }
    run.finish(&mut out)?;
    out.flush().map_err(|e| e.to_string())
}

/// The next line (without its line break), `Err` inside for one too long or not UTF-8;
/// `None` at the end.
fn next_line(reader: &mut impl BufRead, name: &str) -> Result<Option<Result<String, String>>, String> {
    let mut buf = Vec::new();
    let n = reader.by_ref().take(MAX_LINE + 1).read_until(b'\n', &mut buf).map_err(|e| format!("{name}: {e}"))?;
    if n == 0 {
        return Ok(None);
    }
    if buf.len() as u64 > MAX_LINE && buf.last() != Some(&b'\n') {
        // Skip the rest of the line.
        let mut rest = Vec::new();
        loop {
            rest.clear();
            let m = reader.by_ref().take(MAX_LINE).read_until(b'\n', &mut rest).map_err(|e| format!("{name}: {e}"))?;
            if m == 0 || rest.last() == Some(&b'\n') {
                break;
            }
        }
        return Ok(Some(Err("the line is longer than the 16 MiB an account's line may be".into())));
    }
    while buf.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
        buf.pop();
    }
    Ok(Some(String::from_utf8(buf).map_err(|e| format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))))
}

/// A batch in progress: the book, the options, and what is counted so far.
struct Run<'a> {
    book: &'a Book,
    options: &'a BatchOptions,
    summary: Summary,
    sweep: Option<Sweep>,
}

/// What one thread made of its part of a chunk.
struct Part {
    text: String,
    rejected: String,
    summary: Summary,
    sweep: Option<Sweep>,
}

impl<'a> Run<'a> {
    fn new(book: &'a Book, options: &'a BatchOptions) -> Run<'a> {
        let sweep = options.sweep.then(|| Sweep::new(book, uma_engine::sweep_grid()));
        Run { book, options, summary: Summary::new(book), sweep }
    }

    /// Rebalances one chunk over the threads and writes its lines in order.
    fn chunk(&mut self, chunk: Vec<Pending>, out: &mut impl Write) -> Result<(), String> {
        if chunk.is_empty() {
            return Ok(());
        }
        let threads = self.options.threads.clamp(1, chunk.len());
        let size = chunk.len().div_ceil(threads);
        let mut parts: Vec<Vec<Pending>> = Vec::with_capacity(threads);
        let mut items = chunk.into_iter();
        for _ in 0..threads {
            parts.push(items.by_ref().take(size).collect());
        }
        let done: Vec<Part> = if threads == 1 {
            parts.into_iter().map(|p| self.part(p)).collect()
        } else {
            std::thread::scope(|scope| {
                let this = &*self;
                let handles: Vec<_> = parts.into_iter().map(|p| scope.spawn(move || this.part(p))).collect();
                handles.into_iter().map(|h| h.join().map_err(|_| "a batch thread stopped".to_owned())).collect::<Result<
                    Vec<Part>,
                    String,
                >>(
                )
            })?
        };
        for part in done {
            write(out, &part.text)?;
            if !part.rejected.is_empty() {
                eprint!("{}", part.rejected);
            }
            self.summary.merge(&part.summary);
            if let (Some(mine), Some(theirs)) = (&mut self.sweep, &part.sweep) {
                mine.merge(theirs);
            }
        }
        Ok(())
    }

    /// Rebalances the accounts of one part of a chunk.
    fn part(&self, pending: Vec<Pending>) -> Part {
        let mut batch = Batch::new(self.book, self.options.explain);
        let mut sweep = self.options.sweep.then(|| Sweep::new(self.book, uma_engine::sweep_grid()));
        let mut part =
            Part { text: String::new(), rejected: String::new(), summary: Summary::new(self.book), sweep: None };
        for p in pending {
            let read = match p {
                Pending::Read(read) => *read,
                Pending::Line(number, Ok(line)) => uma_engine::read_account_line(&line, number),
                Pending::Line(number, Err(why)) => {
                    Err(uma_engine::Rejected { account: None, error: format!("accounts line {number}: {why}") })
                }
            };
            let outcome: AccountOutcome = match read {
                Ok(record) => {
                    if let Some(sweep) = &mut sweep {
                        sweep.add(record.clone());
                    }
                    batch.run(record)
                }
                Err(rejected) => Err(rejected),
            };
            part.summary.add(&outcome);
            if !self.options.sweep {
                self.write_line(&outcome, &mut part);
            }
        }
        part.summary.finish();
        part.sweep = sweep;
        part
    }

    /// Writes one account's line in the chosen format.
    fn write_line(&self, outcome: &AccountOutcome, part: &mut Part) {
        match (self.options.format, outcome) {
            (BatchFormat::Jsonl, Ok(line)) => json_line(&mut part.text, line),
            (BatchFormat::Jsonl, Err(rejected)) => json_line(&mut part.text, rejected),
            (BatchFormat::Csv, Ok(line)) => part.text.push_str(&line.csv_rows()),
            (BatchFormat::Csv | BatchFormat::Table, Err(rejected)) => {
                part.rejected.push_str(&format!("uma: rejected: {}\n", rejected.error));
            }
            (BatchFormat::Table, Ok(line)) => {
                let row = table_row([
                    line.account.clone(),
                    line.strategy.clone(),
                    if line.triggered { "yes" } else { "no" }.to_owned(),
                    uma_engine::format_money(line.traded),
                    uma_engine::format_money(line.cash_after),
                    format!("{} pts", line.drift_left().normalize()),
                ]);
                part.text.push_str(&row);
                part.text.push('\n');
            }
        }
    }

    /// Writes the sweep and the summary, as asked.
    fn finish(&mut self, out: &mut impl Write) -> Result<(), String> {
        self.summary.finish();
        if let Some(sweep) = &self.sweep {
            let rows = sweep.rows();
            let text = match self.options.format {
                BatchFormat::Jsonl => {
                    let mut text = String::new();
                    for row in &rows {
                        json_line(&mut text, row);
                    }
                    text
                }
                BatchFormat::Table => uma_engine::SweepTable(&rows).to_string(),
                BatchFormat::Csv => {
                    let mut text =
                        String::from("band,range,accounts,triggered,traded,trades,drift_left,max_drift_left\n");
                    for r in &rows {
                        text.push_str(&format!(
                            "{},{},{},{},{:.2},{},{},{}\n",
                            r.band,
                            r.range,
                            r.accounts,
                            r.triggered,
                            r.traded,
                            r.trades,
                            r.drift_left,
                            r.max_drift_left
                        ));
                    }
                    text
                }
            };
            write(out, &text)?;
        }
        if self.options.summary {
            // Written by hand around the summary, whose fields keep their order.
            let wrapped = format!("{{\"summary\":{}}}", serde_json::to_string(&self.summary).unwrap_or_default());
            match self.options.format {
                BatchFormat::Jsonl => write(out, &format!("{wrapped}\n"))?,
                BatchFormat::Table => write(out, &format!("\n{}", self.summary))?,
                // The blotter stays a blotter: its summary goes to standard error.
                BatchFormat::Csv => eprintln!("{wrapped}"),
            }
        }
        Ok(())
    }
}

fn json_line<T: serde::Serialize>(text: &mut String, value: &T) {
    // Plain structs of strings and decimals always serialize.
    text.push_str(&serde_json::to_string(value).unwrap_or_default());
    text.push('\n');
}

fn table_row<S: AsRef<str>>(cells: [S; 6]) -> String {
    let [a, b, c, d, e, f] = cells.map(|c| c.as_ref().to_owned());
    format!("{a:<12} {b:<18} {c:>9} {d:>20} {e:>18} {f:>12}")
}

fn write(out: &mut impl Write, text: &str) -> Result<(), String> {
    match out.write_all(text.as_bytes()) {
        Ok(()) => Ok(()),
        // A closed pipe (`uma batch … | head`) ends the run quietly.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(e.to_string()),
    }
}

/// Runs `uma book`: `count` demo accounts of `seed` as JSON lines (or CSV) on standard
/// output, and the book file at `book_out` when given.
pub fn book(count: u64, seed: u64, csv: bool, book_out: Option<&str>) -> Result<(), String> {
    if let Some(path) = book_out {
        let mut text = uma_engine::demo_book().to_json();
        text.push('\n');
        std::fs::write(path, text).map_err(|e| format!("{path}: {e}"))?;
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    if csv {
        write(&mut out, "account,strategy,sleeve,value\n")?;
    }
    for i in 0..count {
        let record = uma_engine::demo_account(seed, i);
        let text = if csv {
            record.csv_rows()
        } else {
            let mut line = record.to_json_line();
            line.push('\n');
            line
        };
        write(&mut out, &text)?;
    }
    out.flush().map_err(|e| e.to_string())
}
