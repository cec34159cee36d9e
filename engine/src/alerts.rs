//! Alerts: the white paper's rebalance triggers, as the drift report lists them. A model
//! out of its band; account cash further from its target than the tolerance; a security
//! above the concentration limit across all sleeves; a tax lot whose unrealized loss is
//! at least the harvest threshold. Thresholds come from the account's `alerts`
//! ([`crate::AlertSettings`]).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::book::{Book, Status};
use crate::date::Date;
use crate::holdings::TradeSide;
use crate::mandates::AlertSettings;
use crate::money::{round_cent, round_points, Money, Percent, ToCent};
use crate::prices::Prices;
use crate::scenario::Scenario;
use crate::tax::WASH_SALE_DAYS;

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// A model is out of its band.
    OutOfBand,
    /// Account cash is further from its target than the tolerance.
    Cash,
    /// One security is above the concentration limit, across all sleeves.
    Concentration,
    /// A tax lot has an unrealized loss worth harvesting.
    Harvest,
    /// A security sold at a loss in the last 30 days, which may not be bought until the
    /// wash-sale window closes.
    WashSale,
}

impl AlertKind {
    /// The name used in JSON: `out_of_band`, `cash`, `concentration`, `harvest`.
    pub fn name(self) -> &'static str {
        match self {
            AlertKind::OutOfBand => "out_of_band",
            AlertKind::Cash => "cash",
            AlertKind::Concentration => "concentration",
            AlertKind::Harvest => "harvest",
            AlertKind::WashSale => "wash_sale",
        }
    }
}

/// One alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// What it is about.
    pub kind: AlertKind,
    /// The model concerned, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The security concerned, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symbol: Option<String>,
    /// The alert in a sentence.
    pub text: String,
}

/// The alerts of `scenario`, priced as `book`: models out of band, cash off its target,
/// concentrated securities, losses worth harvesting, in that order.
pub(crate) fn alerts(scenario: &Scenario, book: &Book) -> Vec<Alert> {
    let settings = &scenario.account.alerts;
    let prices = Prices::of(&scenario.account);
    let mut out = out_of_band(book);
    out.extend(cash(book, settings));
    out.extend(concentration(scenario, book, &prices, settings));
    out.extend(harvest(scenario, &prices, settings));
    out.extend(wash_sale_window(scenario));
    out
}

/// The securities sold at a loss in the 30 days up to `as_of`: buying one before its
/// window closes would make that loss a wash sale.
fn wash_sale_window(scenario: &Scenario) -> Vec<Alert> {
    let Some(as_of) = scenario.account.as_of else { return Vec::new() };
    let mut last: BTreeMap<&str, (Date, Decimal)> = BTreeMap::new();
    for trade in &scenario.account.recent_trades {
        let age = as_of.days() - trade.date.days();
        if trade.side == TradeSide::Sell && trade.gain < Decimal::ZERO && (0..=WASH_SALE_DAYS).contains(&age) {
            let entry = last.entry(&trade.symbol).or_insert((trade.date, trade.gain));
            if trade.date > entry.0 {
                *entry = (trade.date, trade.gain);
            }
        }
    }
    last.into_iter()
        .map(|(symbol, (date, gain))| {
            let open = Date::from_days(date.days() + WASH_SALE_DAYS + 1);
            Alert {
                kind: AlertKind::WashSale,
                model: None,
                symbol: Some(symbol.to_owned()),
                text: format!(
                    "{symbol} was sold at a loss of {} on {date}: buying it before {open} would be a wash sale.",
                    Money(-gain)
                ),
            }
        })
        .collect()
}

fn out_of_band(book: &Book) -> Vec<Alert> {
    book.rows
        .iter()
        .filter(|row| row.status(row.value) != Status::InBand)
        .map(|row| Alert {
            kind: AlertKind::OutOfBand,
            model: Some(row.id.to_owned()),
            symbol: None,
            text: format!(
                "{} is out of band at {} ({}–{}).",
                row.name,
                Percent(book.weight(row.value)),
                Percent(row.lower),
                Percent(row.upper)
            ),
        })
        .collect()
}

fn cash(book: &Book, settings: &AlertSettings) -> Option<Alert> {
    let off = book.weight(book.cash) - book.weight(book.cash_target_value);
    if off.abs() <= settings.cash_tolerance {
        return None;
    }
    let side = if off.is_sign_positive() { "above" } else { "below" };
    Some(Alert {
        kind: AlertKind::Cash,
        model: None,
        symbol: None,
        text: format!(
            "Cash is {} ({}), {} points {side} its target of {} (tolerance {} points).",
            Money(book.cash),
            Percent(book.weight(book.cash)),
            round_points(off.abs()),
            Percent(book.weight(book.cash_target_value)),
            settings.cash_tolerance.normalize()
        ),
    })
}

fn concentration(scenario: &Scenario, book: &Book, prices: &Prices, settings: &AlertSettings) -> Vec<Alert> {
    let mut by_security: BTreeMap<&str, (Decimal, usize)> = BTreeMap::new();
    for holding in scenario.account.sleeves.iter().flat_map(|s| &s.holdings) {
        let entry = by_security.entry(&holding.symbol).or_default();
        entry.0 += prices.holding_value(holding).unwrap_or_default();
        entry.1 += 1;
    }
    let mut out = Vec::new();
    for (symbol, (value, sleeves)) in by_security {
        let weight = book.weight(value);
        if weight > settings.concentration {
            let across = if sleeves == 1 { "in one sleeve".to_owned() } else { format!("across {sleeves} sleeves") };
            out.push(Alert {
                kind: AlertKind::Concentration,
                model: None,
                symbol: Some(symbol.to_owned()),
                text: format!(
                    "{symbol} is {} of the account ({}) {across}, above the {}% concentration limit.",
                    Percent(weight),
                    Money(value),
                    settings.concentration.normalize()
                ),
            });
        }
    }
    out
}

fn harvest(scenario: &Scenario, prices: &Prices, settings: &AlertSettings) -> Vec<Alert> {
    let mut out = Vec::new();
    for sleeve in &scenario.account.sleeves {
        for holding in &sleeve.holdings {
            let price = prices.price_of(holding);
            for lot in &holding.lots {
                let loss = lot.cost_basis - round_cent(lot.shares * price, ToCent::NearestEven);
                if loss >= settings.harvest_loss && loss > Decimal::ZERO {
                    out.push(Alert {
                        kind: AlertKind::Harvest,
                        model: Some(sleeve.model.clone()),
                        symbol: Some(holding.symbol.clone()),
                        text: format!(
                            "{} shares of {} bought {} ({}) have an unrealized loss of {}: a tax-loss harvesting opportunity.",
                            lot.shares.normalize(),
                            holding.symbol,
                            lot.acquired,
                            sleeve.model,
                            Money(loss)
                        ),
                    });
                }
            }
        }
    }
    out
}
