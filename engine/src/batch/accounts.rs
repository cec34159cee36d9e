//! The accounts of a book, as they come: JSON lines (one account a line, sleeves as in
//! scenario files, holdings allowed) or a CSV of one row per sleeve,
//! `account,strategy,sleeve,value`, as a custodian or a spreadsheet exports it.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::account::{Account, Sleeve};
use crate::check::{check_money, parse_number};
use crate::csv_rows;
use crate::date::Date;
use crate::error::{Error, Result};
use crate::holdings::RecentTrade;
use crate::json;
use crate::mandates::{AlertSettings, Mandates};
use crate::table::csv_cell;

/// One account of a book: its id, the id of its strategy, and the account itself with
/// the fields of a scenario's `account` (cash, sleeves, and in format 2 holdings, prices,
/// `as_of`, mandates).
///
/// # Examples
///
/// ```
/// let line = r#"{"id": "A1", "strategy": "balanced", "cash": "500",
///   "sleeves": [{"model": "stocks", "value": "70000"}, {"model": "bonds", "value": "29500"}]}"#;
/// let record = uma_engine::AccountRecord::from_json_line(line)?;
/// assert_eq!(record.account.sleeves.len(), 2);
/// assert_eq!(uma_engine::AccountRecord::from_json_line(&record.to_json_line())?, record);
/// # Ok::<(), uma_engine::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "RecordIn")]
pub struct AccountRecord {
    /// The account's id, as the custodian knows it.
    pub id: String,
    /// The id of its strategy in the book.
    pub strategy: String,
    /// The account: cash, sleeves and (format 2) holdings, prices, mandates.
    #[serde(flatten)]
    pub account: Account,
}

/// An [`AccountRecord`] as a line writes it: the id and strategy beside the fields of
/// [`Account`] (with its attributes). serde's `flatten` would read it, but loses the
/// path of a bad field and lets unknown fields through.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordIn {
    id: String,
    strategy: String,
    #[serde(default, deserialize_with = "crate::json::decimal")]
    cash: Decimal,
    #[serde(default)]
    sleeves: Vec<Sleeve>,
    #[serde(default)]
    as_of: Option<Date>,
    #[serde(default, deserialize_with = "crate::json::decimal_map")]
    prices: BTreeMap<String, Decimal>,
    #[serde(default)]
    mandates: Mandates,
    #[serde(default)]
    recent_trades: Vec<RecentTrade>,
    #[serde(default)]
    alerts: AlertSettings,
}

impl From<RecordIn> for AccountRecord {
    fn from(r: RecordIn) -> AccountRecord {
        let RecordIn { id, strategy, cash, sleeves, as_of, prices, mandates, recent_trades, alerts } = r;
        let account = Account { cash, sleeves, as_of, prices, mandates, recent_trades, alerts };
        AccountRecord { id, strategy, account }
    }
}

/// An account the batch could not read or rebalance: its id when it could be read, and
/// the message naming the line or field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    /// The account's id, `null` when even that could not be read.
    pub account: Option<String>,
    /// What is wrong, naming the line or the field.
    pub error: String,
}

/// An account as read: a record to rebalance, or why it cannot be.
pub type ReadAccount = std::result::Result<AccountRecord, Rejected>;

impl AccountRecord {
    /// Reads one line of an accounts JSON-lines file.
    ///
    /// # Errors
    ///
    /// [`Error::Format`] naming the field's path when the line is not an account.
    pub fn from_json_line(line: &str) -> Result<AccountRecord> {
        if !json::looks_like_object(line) {
            let message = "not an account: a line is a JSON object, {\"id\": …, \"strategy\": …, \"sleeves\": […]}";
            return Err(Error::Format { path: String::new(), message: message.to_owned(), position: None });
        }
        json::read(line)
    }

    /// A record of account `id` under strategy `strategy`.
    pub fn new(id: &str, strategy: &str, account: Account) -> AccountRecord {
        AccountRecord { id: id.to_owned(), strategy: strategy.to_owned(), account }
    }

    /// The record as one line of JSON (no line break), decimals as strings.
    pub fn to_json_line(&self) -> String {
        // Plain structs of strings and decimals always serialize.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Reads line `number` of an accounts JSON-lines file: the record, or the account's id
/// (when the line holds one) with the message `accounts line N: …`.
///
/// # Examples
///
/// ```
/// let bad = r#"{"id": "A7", "strategy": "s", "sleeves": [{"model": "a", "value": "1e5"}]}"#;
/// let rejected = uma_engine::read_account_line(bad, 3).unwrap_err();
/// assert_eq!(rejected.account.as_deref(), Some("A7"));
/// assert!(rejected.error.starts_with("accounts line 3: sleeves[0].value: \"1e5\" is not a number"));
/// ```
pub fn read_account_line(line: &str, number: usize) -> ReadAccount {
    AccountRecord::from_json_line(line).map_err(|e| {
        // The id of a line that is JSON but not an account, for the rejected list.
        let account = serde_json::from_str::<serde_json::Value>(line)
            .ok()
            .and_then(|v| v.get("id").and_then(|id| id.as_str()).map(str::to_owned));
        Rejected { account, error: format!("accounts line {number}: {}", e.without_position()) }
    })
}

/// The columns of an accounts CSV.
const COLUMNS: [&str; 4] = ["account", "strategy", "sleeve", "value"];

/// One account being gathered from CSV rows.
struct Gathered {
    id: String,
    strategy: String,
    strategy_line: usize,
    account: Account,
    /// Each sleeve's (or `cash`'s) line, for a repeated row's message (a few: a scan).
    lines: Vec<(String, usize)>,
    error: Option<String>,
}

/// Reads an accounts CSV, `account,strategy,sleeve,value` (columns in any order, others
/// ignored), one row per sleeve, `sleeve` a model id of the strategy or `cash` (the
/// account's cash). The rows of one account may come anywhere in the file; accounts come
/// out in the order of their first row. A bad row rejects its account, naming the line;
/// the others are read.
///
/// # Errors
///
/// [`Error::Format`] when the text is not CSV or its header lacks a column.
///
/// # Examples
///
/// ```
/// let csv = "account,strategy,sleeve,value\nA1,s,stocks,60000\nA2,s,stocks,x\nA1,s,cash,100\n";
/// let accounts = uma_engine::accounts_from_csv(csv)?;
/// let a1 = accounts[0].as_ref().unwrap();
/// assert_eq!((a1.id.as_str(), a1.account.cash.to_string().as_str()), ("A1", "100"));
/// let a2 = accounts[1].as_ref().unwrap_err();
/// assert!(a2.error.starts_with("accounts line 3: value \"x\" is not a number"), "{}", a2.error);
/// # Ok::<(), uma_engine::Error>(())
/// ```
pub fn accounts_from_csv(text: &str) -> Result<Vec<ReadAccount>> {
    let rows = csv_rows::read(text, "accounts")?;
    let column = |name: &str| rows.header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let mut at = [0usize; 4];
    for (slot, name) in at.iter_mut().zip(COLUMNS) {
        *slot = column(name).ok_or_else(|| Error::Format {
            path: "accounts line 1".into(),
            message: format!(
                "the header needs the columns account, strategy, sleeve and value; it has no {name:?} (found: {})",
                rows.header.join(", ")
            ),
            position: None,
        })?;
    }
    let mut gathered: Vec<Gathered> = Vec::new();
    let mut orphans: Vec<(usize, Rejected)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // The rows are consumed as they are gathered, so that their text is freed early.
    for (line, cells) in rows.records {
        let line = &line;
        let cell = |k: usize| cells.get(at[k]).map_or("", String::as_str);
        let id = cell(0);
        if id.is_empty() {
            let error = format!("accounts line {line}: the account column is empty");
            orphans.push((gathered.len(), Rejected { account: None, error }));
            continue;
        }
        let k = *index.entry(id.to_owned()).or_insert_with(|| {
            gathered.push(Gathered {
                id: id.to_owned(),
                strategy: cell(1).to_owned(),
                strategy_line: *line,
                account: Account::default(),
                lines: Vec::new(),
                error: None,
            });
            gathered.len() - 1
        });
        let g = &mut gathered[k];
        if g.error.is_none() {
            if let Err(e) = add_row(g, *line, cell(1), cell(2), cell(3)) {
                g.error = Some(format!("accounts line {line}: {e}"));
            }
        }
    }
    let mut out: Vec<ReadAccount> = Vec::with_capacity(gathered.len() + orphans.len());
    let mut orphans = orphans.into_iter().peekable();
    for (k, g) in gathered.into_iter().enumerate() {
        while let Some((_, rejected)) = orphans.next_if(|(before, _)| *before <= k) {
            out.push(Err(rejected));
        }
        out.push(match g.error {
            Some(error) => Err(Rejected { account: Some(g.id), error }),
            None => Ok(AccountRecord::new(&g.id, &g.strategy, g.account)),
        });
    }
    out.extend(orphans.map(|(_, r)| Err(r)));
    Ok(out)
}

/// Adds one CSV row (`sleeve` worth `value`) to the account `g` gathers.
fn add_row(g: &mut Gathered, line: usize, strategy: &str, sleeve: &str, value: &str) -> Result<(), String> {
    if strategy != g.strategy {
        return Err(format!(
            "account {} is under strategy {:?} on line {}, not {strategy:?}",
            g.id, g.strategy, g.strategy_line
        ));
    }
    if sleeve.is_empty() {
        return Err("the sleeve column is empty: give a model id of the strategy, or cash".into());
    }
    let amount = parse_number(value).ok_or_else(|| {
        format!("value {value:?} is not a number: write digits with at most one point (no currency sign, separator or exponent)")
    })?;
    check_money(&|| "value".into(), amount).map_err(|e| e.to_string())?;
    if let Some((_, first)) = g.lines.iter().find(|(s, _)| s == sleeve) {
        return Err(format!("account {} has a second {sleeve:?} row (the first is on line {first})", g.id));
    }
    g.lines.push((sleeve.to_owned(), line));
    if sleeve == "cash" {
        g.account.cash = amount;
    } else {
        g.account.sleeves.push(Sleeve::valued(sleeve, amount));
    }
    Ok(())
}

/// Writes accounts as an accounts CSV, one row per sleeve and one for cash when there is
/// any: what [`accounts_from_csv`] reads back (sleeves known by their value).
pub fn accounts_to_csv<'a>(records: impl IntoIterator<Item = &'a AccountRecord>) -> String {
    let mut out = String::from("account,strategy,sleeve,value\n");
    for r in records {
        out.push_str(&r.csv_rows());
    }
    out
}

impl AccountRecord {
    /// The record's rows of an accounts CSV (without the header), each ending in a line
    /// break; see [`accounts_to_csv`].
    pub fn csv_rows(&self) -> String {
        let front = format!("{},{}", csv_cell(&self.id), csv_cell(&self.strategy));
        let mut out = String::new();
        for s in &self.account.sleeves {
            out.push_str(&format!("{front},{},{}\n", csv_cell(&s.model), s.value));
        }
        if self.account.cash > Decimal::ZERO {
            out.push_str(&format!("{front},cash,{}\n", self.account.cash));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(csv: &str) -> Vec<String> {
        accounts_from_csv(csv).unwrap().into_iter().filter_map(|r| r.err().map(|e| e.error)).collect()
    }

    #[test]
    fn bad_rows_name_their_line_and_reject_their_account_only() {
        let head = "account,strategy,sleeve,value\n";
        let csv = format!("{head}A,s,x,1\nB,s,x,1\nA,t,y,2\n,s,x,1\nB,s,x,3\nC,s,x,-1\nD,s,,1\nE,s,x,1.234\n");
        let all = accounts_from_csv(&csv).unwrap();
        assert_eq!(all.len(), 6);
        let errs = errors(&csv);
        assert!(errs[0].starts_with("accounts line 4: account A is under strategy \"s\" on line 2, not \"t\""));
        // In the order of each account's first row: B (line 3) before the row without one.
        assert!(errs[1].starts_with("accounts line 6: account B has a second \"x\" row (the first is on line 3)"));
        assert!(errs[2].starts_with("accounts line 5: the account column is empty"), "{errs:?}");
        assert!(errs[3].starts_with("accounts line 7: value: "), "{errs:?}");
        assert!(errs[4].starts_with("accounts line 8: the sleeve column is empty"));
        assert!(errs[5].starts_with("accounts line 9: value: "), "{errs:?}");
        let err = accounts_from_csv("account,strategy,model,value\n").unwrap_err().to_string();
        assert!(err.contains("no \"sleeve\""), "{err}");
    }

    #[test]
    fn columns_in_any_order_and_round_trip() {
        let csv = "Value,Sleeve,Account,Strategy\n100,a,X,s\n5,cash,X,s\n";
        let all = accounts_from_csv(csv).unwrap();
        let x = all[0].as_ref().unwrap();
        assert_eq!(x.account.sleeves[0].value, Decimal::ONE_HUNDRED);
        let back = accounts_from_csv(&accounts_to_csv([x])).unwrap();
        assert_eq!(back[0].as_ref().unwrap(), x);
    }

    #[test]
    fn json_lines_name_the_line() {
        let r = read_account_line("{\"id\": \"Q\", \"strategy\": \"s\", \"sleves\": []}", 9).unwrap_err();
        assert_eq!(r.account.as_deref(), Some("Q"));
        assert!(r.error.starts_with("accounts line 9: "), "{}", r.error);
        assert!(r.error.contains("sleves"), "{}", r.error);
        let r = read_account_line("[1]", 2).unwrap_err();
        assert_eq!(r.account, None);
    }
}
