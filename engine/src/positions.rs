//! A sleeve security by security, as the securities panel lists it: what it holds and
//! what its model targets, each priced and weighted as the engine values holdings.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::mandates::Restriction;
use crate::money::{percent_of, Percent};
use crate::prices::Prices;
use crate::scenario::Scenario;

/// One security of a sleeve: held, targeted by the model, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityLine {
    /// The security.
    pub symbol: String,
    /// Shares held (0 when only the model lists it).
    pub shares: Decimal,
    /// The price it is valued at (0 when the account gives none).
    pub price: Decimal,
    /// What the shares are worth, to the cent, as the sleeve's value counts them.
    pub value: Decimal,
    /// Its weight in the sleeve, percent (four decimals).
    pub weight: Decimal,
    /// The model's target in words (`60.00%`, `3 a unit`), when the model lists it.
    pub target: Option<String>,
    /// The account's restrictions on it: do-not-buy, do-not-sell, do-not-hold.
    pub restricted: [bool; 3],
}

/// The securities of the sleeve of model `model`: its holdings in their order, then the
/// model's securities it does not hold. Empty for an unknown model or a sleeve known by
/// its value only.
///
/// # Examples
///
/// ```
/// # let text = include_str!("../../tests/scenarios/holdings-three-sleeves.json");
/// let scenario = uma_engine::Scenario::from_json(text)?;
/// let lines = uma_engine::sleeve_securities(&scenario, "large");
/// assert_eq!(lines[0].symbol, "LCG");
/// let total: rust_decimal::Decimal = lines.iter().map(|l| l.value).sum();
/// assert_eq!(total + scenario.account.sleeves[0].cash, scenario.sleeve_values()[0]);
/// # Ok::<(), uma_engine::Error>(())
/// ```
pub fn sleeve_securities(scenario: &Scenario, model: &str) -> Vec<SecurityLine> {
    let account = &scenario.account;
    let Some(sleeve) = account.sleeves.iter().find(|s| s.model == model) else { return Vec::new() };
    let prices = Prices::of(account);
    let sleeve_value = prices.sleeve_value(sleeve).unwrap_or_default();
    let spec = scenario.strategy.models.iter().find(|m| m.id == model);
    let securities = spec.map(|m| m.securities.as_slice()).unwrap_or_default();
    let mut symbols: Vec<&str> = sleeve.holdings.iter().map(|h| h.symbol.as_str()).collect();
    for security in securities {
        if !symbols.contains(&security.symbol.as_str()) {
            symbols.push(&security.symbol);
        }
    }
    symbols
        .into_iter()
        .map(|symbol| {
            let holding = sleeve.holdings.iter().find(|h| h.symbol == symbol);
            let price = holding.map_or_else(|| prices.get(symbol).unwrap_or_default(), |h| prices.price_of(h));
            let value = holding.and_then(|h| prices.holding_value(h)).unwrap_or_default();
            let target = securities.iter().find(|x| x.symbol == symbol).and_then(|x| match (x.weight, x.shares) {
                (Some(weight), _) => Some(Percent(weight).to_string()),
                (_, Some(shares)) => Some(format!("{} a unit", shares.normalize())),
                _ => None,
            });
            let m = &account.mandates;
            SecurityLine {
                symbol: symbol.to_owned(),
                shares: holding.map_or(Decimal::ZERO, |h| h.shares),
                price,
                value,
                weight: percent_of(value, sleeve_value),
                target,
                restricted: Restriction::ALL.map(|r| m.list(r).iter().any(|s| s == symbol)),
            }
        })
        .collect()
}
