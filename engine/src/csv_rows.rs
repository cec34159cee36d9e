//! Reading CSV input (prices, holdings): one reader for every CSV file the engine takes,
//! on the `csv` crate, so that quoted fields, a byte-order mark and any line ending (CRLF,
//! LF or CR) read as a spreadsheet writes them, blank lines are skipped, and every row
//! knows its line number for the messages.

use crate::error::{Error, Result};

/// The rows of a CSV file: its header's cells (trimmed) and each record as (line, cells).
pub(crate) struct Rows {
    /// The header's cells.
    pub header: Vec<String>,
    /// Each record after the header, with the line it starts on (from 1).
    pub records: Vec<(usize, Vec<String>)>,
}

/// Reads `text` as CSV; `what` names the file in messages (`prices`, `holdings`).
///
/// # Errors
///
/// [`Error::Format`] with `{what} line N` for a line the CSV reader cannot read (an
/// unclosed quote), or line 1 for an empty file.
pub(crate) fn read(text: &str, what: &str) -> Result<Rows> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let starts = line_starts(text);
    let line_of = |byte: u64| starts.partition_point(|&s| s <= byte as usize).max(1);
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(1, |p| line_of(p.byte()));
            fail(what, line, format!("not CSV: {e}"))
        })?;
        let line = record.position().map_or(1, |p| line_of(p.byte()));
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        records.push((line, cells));
    }
    if records.is_empty() {
        return Err(fail(what, 1, "the file is empty: expected a header".into()));
    }
    let (_, header) = records.remove(0);
    Ok(Rows { header, records })
}

/// The byte offset where each line of `text` starts, lines ending in CRLF, LF or CR.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                starts.push(i + 2);
                i += 2;
            }
            b'\r' | b'\n' => {
                starts.push(i + 1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    starts
}

/// An error of `what`'s line `line`.
pub(crate) fn fail(what: &str, line: usize, message: String) -> Error {
    Error::Format { path: format!("{what} line {line}"), message, position: None }
}
