//! Holdings read from a CSV file, as exported from a custodian or a spreadsheet.

use rust_decimal::Decimal;

use crate::account::Sleeve;
use crate::check::parse_number;
use crate::csv_rows;
use crate::date::Date;
use crate::error::Result;
use crate::holdings::{Holding, Lot};
use crate::scenario::Scenario;

/// `scenario` with the holdings a CSV file lists: a header naming the columns `sleeve`
/// (a model id), `symbol`, `shares` and `price`, and optionally `cost_basis` and
/// `acquired` (then each row is one tax lot), then a row per holding or lot. A sleeve the
/// file lists has its holdings replaced (its cash is kept); the others are left as they
/// are. The result is scenario format 2.
///
/// # Errors
///
/// [`Error::Format`] naming the line and the problem: a missing column, a number or date
/// that does not parse, an unknown sleeve, one security priced two ways; then any error
/// of [`Scenario::validate`].
///
/// # Examples
///
/// ```
/// # let text = include_str!("../../tests/scenarios/paper-three-models.json");
/// let scenario = uma_engine::Scenario::from_json(text)?;
/// let csv = "sleeve,symbol,shares,price\nlarge,VTI,140,250\nmid,VO,184,250\nsmall,VB,95,200\n";
/// let next = uma_engine::import_holdings(&scenario, csv)?;
/// assert_eq!(next.sleeve_values()[0], rust_decimal_macros::dec!(35000));
/// let bad = uma_engine::import_holdings(&scenario, "sleeve,symbol,shares,price\nlarge,VTI,lots,250\n");
/// assert_eq!(bad.unwrap_err().to_string(), "holdings line 2: shares \"lots\" is not a number");
/// # Ok::<(), uma_engine::Error>(())
/// ```
pub fn import_holdings(scenario: &Scenario, csv: &str) -> Result<Scenario> {
    let fail = |line: usize, message: String| csv_rows::fail("holdings", line, message);
    let rows = csv_rows::read(csv, "holdings")?;
    let header = rows.header.join(",");
    let names: Vec<String> = rows.header.iter().map(|c| c.to_lowercase()).collect();
    let column = |name: &str| names.iter().position(|n| n == name);
    let (Some(sleeve_at), Some(symbol_at), Some(shares_at)) = (column("sleeve"), column("symbol"), column("shares"))
    else {
        return Err(fail(1, format!("the header must name the columns sleeve, symbol and shares (found {header:?})")));
    };
    let (price_at, cost_at, date_at) = (column("price"), column("cost_basis"), column("acquired"));
    let mut next = scenario.clone();
    next.version = next.version.max(2);
    let mut listed: Vec<(String, Vec<Holding>)> = Vec::new();
    for (line, cells) in rows.records {
        let cell = |at: Option<usize>| at.and_then(|k| cells.get(k)).map(String::as_str).filter(|c| !c.is_empty());
        let number = |at: Option<usize>, name: &str| -> Result<Option<Decimal>> {
            cell(at)
                .map(|c| parse_number(c).ok_or_else(|| fail(line, format!("{name} {c:?} is not a number"))))
                .transpose()
        };
        let sleeve = cell(Some(sleeve_at)).ok_or_else(|| fail(line, "the sleeve is missing".into()))?;
        if !scenario.strategy.models.iter().any(|m| m.id == sleeve) {
            let known = scenario.strategy.models.iter().map(|m| m.id.as_str()).collect::<Vec<_>>().join(", ");
            return Err(fail(line, format!("there is no model {sleeve:?} in the strategy (its models are {known})")));
        }
        let symbol = cell(Some(symbol_at)).ok_or_else(|| fail(line, "the symbol is missing".into()))?;
        let shares = number(Some(shares_at), "shares")?.ok_or_else(|| fail(line, "the shares are missing".into()))?;
        let price = number(price_at, "price")?;
        let lot = match (number(cost_at, "cost_basis")?, cell(date_at)) {
            (Some(cost_basis), Some(date)) => {
                let acquired: Date = date.parse().map_err(|e| fail(line, format!("acquired: {e}")))?;
                Some(Lot { shares, cost_basis, acquired, id: None })
            }
            (None, None) => None,
            _ => return Err(fail(line, "a lot needs both cost_basis and acquired".into())),
        };
        let k = match listed.iter().position(|(s, _)| s == sleeve) {
            Some(k) => k,
            None => {
                listed.push((sleeve.to_owned(), Vec::new()));
                listed.len() - 1
            }
        };
        let holdings = &mut listed[k].1;
        match holdings.iter_mut().find(|h| h.symbol == symbol) {
            Some(holding) => {
                if price.is_some() && holding.price.is_some() && price != holding.price {
                    return Err(fail(line, format!("{symbol} has another price on an earlier line")));
                }
                holding.shares += shares;
                holding.price = holding.price.or(price);
                holding.lots.extend(lot);
            }
            None => {
                holdings.push(Holding { symbol: symbol.to_owned(), shares, price, lots: lot.into_iter().collect() })
            }
        }
    }
    for (model, holdings) in listed {
        match next.account.sleeves.iter_mut().find(|s| s.model == model) {
            Some(sleeve) => {
                sleeve.holdings = holdings;
                sleeve.value = Decimal::ZERO;
            }
            None => next.account.sleeves.push(Sleeve { model, value: Decimal::ZERO, cash: Decimal::ZERO, holdings }),
        }
    }
    let values = next.sleeve_values();
    for (sleeve, value) in next.account.sleeves.iter_mut().zip(values) {
        sleeve.value = value;
    }
    next.validate()?;
    Ok(next)
}
