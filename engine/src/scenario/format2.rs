//! The rules of scenario format 2: securities, holdings, prices and mandates.

use std::collections::{BTreeMap, HashSet};

use rust_decimal::{Decimal, RoundingStrategy};
use rust_decimal_macros::dec;

use super::{check_between, check_money, check_percent, Account, Field, Scenario, Sleeve};
use crate::error::{Error, Result};
use crate::holdings::Holding;

/// The most shares a holding, a lot or a model unit may count.
const MAX_SHARES: Decimal = dec!(1_000_000_000_000_000);
/// The highest price a security may have.
const MAX_PRICE: Decimal = dec!(1_000_000_000_000);
/// The most decimals of a share count or a price.
const MAX_SHARE_DECIMALS: u32 = 6;

fn invalid(field: String, message: impl Into<String>) -> Error {
    Error::Invalid { field, message: message.into() }
}

/// One price per security: the account's `prices`, then the holdings' own.
#[derive(Debug, Clone, Default)]
pub(crate) struct Prices {
    map: BTreeMap<String, Decimal>,
}

impl Prices {
    /// The prices `account` gives (the first one seen for each security).
    pub fn of(account: &Account) -> Prices {
        let mut map = account.prices.clone();
        for holding in account.sleeves.iter().flat_map(|s| &s.holdings) {
            if let Some(price) = holding.price {
                map.entry(holding.symbol.clone()).or_insert(price);
            }
        }
        Prices { map }
    }

    /// The price of `symbol`, if the account gives one.
    pub fn get(&self, symbol: &str) -> Option<Decimal> {
        self.map.get(symbol).copied()
    }

    /// What `holding` is worth, to the cent; 0 without a price; `None` on overflow.
    pub fn holding_value(&self, holding: &Holding) -> Option<Decimal> {
        let price = holding.price.or_else(|| self.get(&holding.symbol)).unwrap_or_default();
        Some(holding.shares.checked_mul(price)?.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven))
    }

    /// What `sleeve` is worth: its value, or its holdings plus its cash; `None` on
    /// overflow.
    pub fn sleeve_value(&self, sleeve: &Sleeve) -> Option<Decimal> {
        if !sleeve.has_holdings() {
            return Some(sleeve.value);
        }
        sleeve.holdings.iter().try_fold(sleeve.cash, |sum, h| sum.checked_add(self.holding_value(h)?))
    }
}

/// Sets each sleeve with holdings to the value of its holdings. With `strict`, a value
/// given beside holdings must agree with them.
pub(crate) fn settle_values(scenario: &mut Scenario, strict: bool) -> Result<()> {
    let prices = Prices::of(&scenario.account);
    for (i, sleeve) in scenario.account.sleeves.iter_mut().enumerate() {
        if !sleeve.has_holdings() {
            continue;
        }
        let Some(worth) = prices.sleeve_value(sleeve) else { continue };
        if strict && !sleeve.value.is_zero() && sleeve.value != worth {
            return Err(invalid(
                format!("account.sleeves[{i}].value"),
                format!(
                    "{} does not match the sleeve's holdings and cash ({}); leave the value out, or make it agree",
                    crate::money::format_money(sleeve.value),
                    crate::money::format_money(worth)
                ),
            ));
        }
        sleeve.value = worth;
    }
    Ok(())
}

fn check_shares(field: Field<'_>, shares: Decimal) -> Result<()> {
    check_between(field, shares, Decimal::ZERO, MAX_SHARES, "a number of shares runs from 0 to a quadrillion")?;
    if shares.normalize().scale() > MAX_SHARE_DECIMALS {
        return Err(Error::TooPrecise { field: field(), value: shares, max: MAX_SHARE_DECIMALS });
    }
    Ok(())
}

fn check_price(field: Field<'_>, price: Decimal) -> Result<()> {
    if price <= Decimal::ZERO || price > MAX_PRICE {
        return Err(Error::OutOfRange {
            field: field(),
            value: price,
            expected: "a price is more than 0 and at most a trillion",
        });
    }
    if price.normalize().scale() > MAX_SHARE_DECIMALS {
        return Err(Error::TooPrecise { field: field(), value: price, max: MAX_SHARE_DECIMALS });
    }
    Ok(())
}

fn check_symbol(field: Field<'_>, symbol: &str) -> Result<()> {
    if symbol.trim().is_empty() {
        return Err(invalid(field(), "a security's symbol must not be empty"));
    }
    Ok(())
}

/// Whether the scenario uses anything format 1 does not have.
fn uses_format2(scenario: &Scenario) -> bool {
    let account = &scenario.account;
    scenario.strategy.models.iter().any(|m| !m.securities.is_empty() || !m.tactical.is_default())
        || account.sleeves.iter().any(|s| s.has_holdings() || !s.cash.is_zero())
        || account.as_of.is_some()
        || !account.prices.is_empty()
        || account.mandates != Default::default()
        || !account.recent_trades.is_empty()
        || !account.alerts.is_default()
}

/// Checks the format 2 parts of `scenario`, returning its prices.
pub(crate) fn validate(scenario: &Scenario) -> Result<Prices> {
    let account = &scenario.account;
    if scenario.version < 2 && uses_format2(scenario) {
        return Err(invalid(
            "version".into(),
            "securities, holdings, prices and mandates need scenario format version 2; set \"version\": 2",
        ));
    }
    for (symbol, price) in &account.prices {
        check_symbol(&|| "account.prices".into(), symbol)?;
        check_price(&|| format!("account.prices.{symbol}"), *price)?;
    }
    let mut prices = Prices { map: account.prices.clone() };
    for (i, sleeve) in account.sleeves.iter().enumerate() {
        check_money(&|| format!("account.sleeves[{i}].cash"), sleeve.cash)?;
        let mut seen = HashSet::new();
        for (j, holding) in sleeve.holdings.iter().enumerate() {
            let field = || format!("account.sleeves[{i}].holdings[{j}]");
            check_symbol(&|| format!("{}.symbol", field()), &holding.symbol)?;
            if !seen.insert(holding.symbol.as_str()) {
                return Err(invalid(
                    format!("{}.symbol", field()),
                    format!("{} is listed twice in this sleeve; give each security one holding", holding.symbol),
                ));
            }
            check_shares(&|| format!("{}.shares", field()), holding.shares)?;
            if let Some(price) = holding.price {
                check_price(&|| format!("{}.price", field()), price)?;
                match prices.map.get(&holding.symbol) {
                    Some(other) if *other != price => {
                        return Err(invalid(
                            format!("{}.price", field()),
                            format!(
                                "{} is priced {} here and {} elsewhere; a security has one price",
                                holding.symbol,
                                price.normalize(),
                                other.normalize()
                            ),
                        ))
                    }
                    _ => {
                        prices.map.insert(holding.symbol.clone(), price);
                    }
                }
            }
            let mut in_lots = Decimal::ZERO;
            for (k, lot) in holding.lots.iter().enumerate() {
                let lot_field = || format!("{}.lots[{k}]", field());
                check_shares(&|| format!("{}.shares", lot_field()), lot.shares)?;
                check_money(&|| format!("{}.cost_basis", lot_field()), lot.cost_basis)?;
                if account.as_of.is_some_and(|as_of| lot.acquired > as_of) {
                    return Err(invalid(
                        format!("{}.acquired", lot_field()),
                        format!("{} is after the account's as_of date", lot.acquired),
                    ));
                }
                in_lots += lot.shares;
            }
            if !holding.lots.is_empty() && in_lots != holding.shares {
                return Err(invalid(
                    format!("{}.lots", field()),
                    format!(
                        "the lots hold {} shares but the holding {}; the lots must add up to the holding",
                        in_lots.normalize(),
                        holding.shares.normalize()
                    ),
                ));
            }
        }
    }
    for (i, sleeve) in account.sleeves.iter().enumerate() {
        for (j, holding) in sleeve.holdings.iter().enumerate() {
            if prices.get(&holding.symbol).is_none() {
                return Err(invalid(
                    format!("account.sleeves[{i}].holdings[{j}].price"),
                    format!("no price for {}: give the holding a price, or add it to account.prices", holding.symbol),
                ));
            }
        }
    }
    let need_price = |field: String, symbol: &str| -> Result<()> {
        check_symbol(&|| field.clone(), symbol)?;
        match prices.get(symbol) {
            Some(_) => Ok(()),
            None => Err(invalid(field, format!("no price for {symbol}: add it to account.prices"))),
        }
    };
    for (i, model) in scenario.strategy.models.iter().enumerate() {
        let field = |rest: &str| format!("strategy.models[{i}].{rest}");
        let by_weight = model.securities.iter().filter(|s| s.weight.is_some()).count();
        let by_shares = model.securities.iter().filter(|s| s.shares.is_some()).count();
        if by_weight > 0 && by_shares > 0 {
            return Err(invalid(
                field("securities"),
                "a model is weight-based or share-based: give every security a weight, or every one shares",
            ));
        }
        let mut seen = HashSet::new();
        let mut weights = Decimal::ZERO;
        for (j, security) in model.securities.iter().enumerate() {
            let sfield = |rest: &str| field(&format!("securities[{j}].{rest}"));
            need_price(sfield("symbol"), &security.symbol)?;
            if !seen.insert(security.symbol.as_str()) {
                return Err(invalid(sfield("symbol"), format!("{} is listed twice in this model", security.symbol)));
            }
            match (security.weight, security.shares) {
                (Some(weight), None) => {
                    check_percent(&|| sfield("weight"), weight, Some(Decimal::ONE_HUNDRED))?;
                    weights += weight;
                }
                (None, Some(shares)) => check_shares(&|| sfield("shares"), shares)?,
                _ => return Err(invalid(field(&format!("securities[{j}]")), "give a weight or a number of shares")),
            }
            for (name, bound) in [("min", security.min), ("max", security.max)] {
                if let Some(bound) = bound {
                    check_percent(&|| sfield(name), bound, Some(Decimal::ONE_HUNDRED))?;
                }
            }
            if let (Some(min), Some(max)) = (security.min, security.max) {
                if min > max {
                    return Err(invalid(sfield("min"), format!("the least weight {min} is above the greatest {max}")));
                }
            }
            if let Some(tolerance) = &security.tolerance {
                crate::band::Band::uniform(*tolerance).validate(&|| sfield("tolerance"))?;
            }
        }
        if weights > Decimal::ONE_HUNDRED {
            return Err(invalid(
                field("securities"),
                format!("the weights make {}%; they may make 100% at most (the rest is cash)", weights.normalize()),
            ));
        }
        if by_shares > 0 && model.securities.iter().all(|s| s.shares.unwrap_or_default().is_zero()) {
            return Err(invalid(field("securities"), "a share-based model needs some shares per unit"));
        }
        let tactical = &model.tactical;
        check_money(&|| field("tactical.min_opening_trade"), tactical.min_opening_trade)?;
        check_money(&|| field("tactical.min_trade"), tactical.min_trade)?;
        check_percent(&|| field("tactical.overshoot"), tactical.overshoot, Some(Decimal::ONE_HUNDRED))?;
        if let Some(tolerance) = &tactical.tolerance {
            crate::band::Band::uniform(*tolerance).validate(&|| field("tactical.tolerance"))?;
        }
        for (held, replacement) in &tactical.buy_list {
            check_symbol(&|| field("tactical.buy_list"), held)?;
            need_price(field(&format!("tactical.buy_list.{held}")), replacement)?;
        }
        if let Some(proxy) = &tactical.proxy {
            need_price(field("tactical.proxy"), proxy)?;
        }
    }
    let mandates = &account.mandates;
    for (name, list) in [
        ("do_not_buy", &mandates.do_not_buy),
        ("do_not_sell", &mandates.do_not_sell),
        ("do_not_hold", &mandates.do_not_hold),
    ] {
        for (k, symbol) in list.iter().enumerate() {
            check_symbol(&|| format!("account.mandates.{name}[{k}]"), symbol)?;
        }
    }
    check_money(&|| "account.mandates.min_trade".into(), mandates.min_trade)?;
    if let Some(cash) = mandates.cash_target {
        check_percent(&|| "account.mandates.cash_target".into(), cash, Some(Decimal::ONE_HUNDRED))?;
        if scenario.strategy.cash_target == Decimal::ONE_HUNDRED && cash != Decimal::ONE_HUNDRED {
            return Err(invalid(
                "account.mandates.cash_target".into(),
                "the strategy holds only cash, so there are no model targets to scale",
            ));
        }
    }
    let tax = &mandates.tax;
    check_percent(&|| "account.mandates.tax.short_term_rate".into(), tax.short_term_rate, Some(Decimal::ONE_HUNDRED))?;
    check_percent(&|| "account.mandates.tax.long_term_rate".into(), tax.long_term_rate, Some(Decimal::ONE_HUNDRED))?;
    if let Some(cap) = tax.gains_cap {
        check_money(&|| "account.mandates.tax.gains_cap".into(), cap)?;
    }
    if let Some(harvest) = tax.harvest {
        check_money(&|| "account.mandates.tax.harvest".into(), harvest)?;
    }
    if tax.enabled && account.as_of.is_none() {
        return Err(invalid(
            "account.as_of".into(),
            "a tax-aware account needs the date it is valued, to tell short-term from long-term gains",
        ));
    }
    for (k, trade) in account.recent_trades.iter().enumerate() {
        check_symbol(&|| format!("account.recent_trades[{k}].symbol"), &trade.symbol)?;
        check_money(&|| format!("account.recent_trades[{k}].gain"), trade.gain.abs())?;
    }
    let alerts = &account.alerts;
    check_percent(&|| "account.alerts.cash_tolerance".into(), alerts.cash_tolerance, Some(Decimal::ONE_HUNDRED))?;
    check_percent(&|| "account.alerts.concentration".into(), alerts.concentration, Some(Decimal::ONE_HUNDRED))?;
    check_money(&|| "account.alerts.harvest_loss".into(), alerts.harvest_loss)?;
    Ok(prices)
}
