//! Inside a model: the securities its manager targets, and how the manager wants the
//! sleeve rebalanced (the white paper's model-level tactical settings, items a–f).
//!
//! A model is either **weight-based** (each security has a target `weight`, percent of the
//! sleeve; weights add up to 100 or less, the rest being the sleeve's cash) or
//! **share-based** (each security has a number of `shares` per model unit; the sleeve
//! holds as many units as its value buys, so weights follow prices).
//!
//! ```json
//! "securities": [
//!   {"symbol": "VTI", "weight": "60", "tolerance": {"kind": "absolute", "width": "3"}},
//!   {"symbol": "VXUS", "weight": "38", "max": "45"},
//!   {"symbol": "OLD", "weight": "0", "hold": true}
//! ],
//! "tactical": {
//!   "min_opening_trade": "1000", "min_trade": "250",
//!   "tolerance": {"kind": "relative", "width": "10"},
//!   "buy_list": {"OLD": "NEW"}, "unspent_cash": "replacement",
//!   "proxy": "ITOT", "fractional": false, "overshoot": "0.25"
//! }
//! ```

use std::collections::{BTreeMap, HashSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::band::{Band, BandSide};
use crate::check::{check_money, check_percent, check_shares, check_symbol, Field};
use crate::error::{Error, Result};

/// One security of a model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSecurity {
    /// The security's symbol, e.g. `VTI`.
    pub symbol: String,
    /// Target weight, percent of the sleeve (weight-based models).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::json::optional_decimal")]
    pub weight: Option<Decimal>,
    /// Shares per model unit (share-based models).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::json::optional_decimal")]
    pub shares: Option<Decimal>,
    /// The least weight the security may have in the sleeve, percent.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::json::optional_decimal")]
    pub min: Option<Decimal>,
    /// The greatest weight the security may have in the sleeve, percent.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::json::optional_decimal")]
    pub max: Option<Decimal>,
    /// How far the security's weight may drift from its target before it is traded (in
    /// points of the sleeve, relative to the target or absolute); overrides the model's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<BandSide>,
    /// On hold: the manager keeps what the sleeve holds but buys no more; the model's
    /// buy list may name a replacement.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hold: bool,
}

/// What a sleeve does with cash a restriction leaves unspent (a security that cannot be
/// bought, or must be sold).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnspentCash {
    /// Keep it as cash in the sleeve.
    Keep,
    /// Spread it over the model's other securities, in proportion to their targets.
    #[default]
    ProRata,
    /// Buy the security's replacement from the model's buy list (pro rata when it has
    /// none, or the replacement cannot be bought either).
    Replacement,
}

/// The model manager's tactical settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TacticalSettings {
    /// The smallest purchase of a security the sleeve does not hold yet, in currency.
    #[serde(default, skip_serializing_if = "Decimal::is_zero", deserialize_with = "crate::json::decimal")]
    pub min_opening_trade: Decimal,
    /// The smallest trade, in currency (the account's own minimum applies as well).
    #[serde(default, skip_serializing_if = "Decimal::is_zero", deserialize_with = "crate::json::decimal")]
    pub min_trade: Decimal,
    /// How far a security's weight may drift before it is traded; none: every drift is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<BandSide>,
    /// Replacements: a security on hold or restricted → the security to buy instead.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub buy_list: BTreeMap<String, String>,
    /// What to do with cash a restriction leaves unspent.
    #[serde(default, skip_serializing_if = "is_default_unspent")]
    pub unspent_cash: UnspentCash,
    /// The security to buy with the proceeds of a tax-loss harvest (and in place of a
    /// security the wash-sale rule keeps the account from buying).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<String>,
    /// Trade fractions of a share (to a ten-thousandth); whole shares otherwise.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fractional: bool,
    /// How far past its dollar target a sleeve may trade when minimum trade sizes would
    /// otherwise stop it short, in points of the account; never past the model's band.
    #[serde(default, skip_serializing_if = "Decimal::is_zero", deserialize_with = "crate::json::decimal")]
    pub overshoot: Decimal,
}

fn is_default_unspent(u: &UnspentCash) -> bool {
    *u == UnspentCash::default()
}

impl TacticalSettings {
    /// Whether every setting has its default value (so it is left out of JSON).
    pub fn is_default(&self) -> bool {
        *self == TacticalSettings::default()
    }
}

impl TacticalSettings {
    /// Checks the settings of the model at `field` (`strategy.models[i]`); `has_price`
    /// tells whether the account prices a security (replacements and the proxy need one).
    pub(crate) fn validate(&self, field: Field<'_>, has_price: &dyn Fn(&str) -> bool) -> Result<()> {
        let at = |rest: &str| format!("{}.tactical.{rest}", field());
        check_money(&|| at("min_opening_trade"), self.min_opening_trade)?;
        check_money(&|| at("min_trade"), self.min_trade)?;
        check_percent(&|| at("overshoot"), self.overshoot, Some(Decimal::ONE_HUNDRED))?;
        if let Some(tolerance) = &self.tolerance {
            Band::uniform(*tolerance).validate(&|| at("tolerance"))?;
        }
        for (held, replacement) in &self.buy_list {
            check_symbol(&|| at("buy_list"), held)?;
            need_price(&|| at(&format!("buy_list.{held}")), replacement, has_price)?;
        }
        if let Some(proxy) = &self.proxy {
            need_price(&|| at("proxy"), proxy, has_price)?;
        }
        Ok(())
    }
}

/// Checks that `symbol` is named and priced.
fn need_price(field: Field<'_>, symbol: &str, has_price: &dyn Fn(&str) -> bool) -> Result<()> {
    check_symbol(field, symbol)?;
    if has_price(symbol) {
        Ok(())
    } else {
        Err(Error::NoPrice { field: field(), symbol: symbol.to_owned() })
    }
}

/// Checks the securities of the model at `field` (`strategy.models[i]`): each named,
/// priced and listed once, weight-based or share-based throughout, weights in range and
/// adding up to 100 at most, weight ranges and tolerances valid.
pub(crate) fn validate_securities(
    field: Field<'_>,
    securities: &[ModelSecurity],
    has_price: &dyn Fn(&str) -> bool,
) -> Result<()> {
    let at = |rest: &str| format!("{}.{rest}", field());
    let by_weight = securities.iter().filter(|s| s.weight.is_some()).count();
    let by_shares = securities.iter().filter(|s| s.shares.is_some()).count();
    if by_weight > 0 && by_shares > 0 {
        return Err(Error::MixedModel { field: at("securities") });
    }
    let mut seen = HashSet::new();
    let mut weights = Decimal::ZERO;
    for (j, security) in securities.iter().enumerate() {
        let sfield = |rest: &str| at(&format!("securities[{j}].{rest}"));
        need_price(&|| sfield("symbol"), &security.symbol, has_price)?;
        if !seen.insert(security.symbol.as_str()) {
            return Err(Error::DuplicateSecurity { field: sfield("symbol"), symbol: security.symbol.clone() });
        }
        match (security.weight, security.shares) {
            (Some(weight), None) => {
                check_percent(&|| sfield("weight"), weight, Some(Decimal::ONE_HUNDRED))?;
                weights += weight;
            }
            (None, Some(shares)) => check_shares(&|| sfield("shares"), shares)?,
            _ => return Err(Error::WeightOrShares { field: at(&format!("securities[{j}]")) }),
        }
        for (name, bound) in [("min", security.min), ("max", security.max)] {
            if let Some(bound) = bound {
                check_percent(&|| sfield(name), bound, Some(Decimal::ONE_HUNDRED))?;
            }
        }
        if let (Some(min), Some(max)) = (security.min, security.max) {
            if min > max {
                return Err(Error::MinAboveMax { field: sfield("min"), min, max });
            }
        }
        if let Some(tolerance) = &security.tolerance {
            Band::uniform(*tolerance).validate(&|| sfield("tolerance"))?;
        }
    }
    if weights > Decimal::ONE_HUNDRED {
        return Err(Error::WeightsOver { field: at("securities"), total: weights.normalize() });
    }
    if by_shares > 0 && securities.iter().all(|s| s.shares.unwrap_or_default().is_zero()) {
        return Err(Error::NoUnitShares { field: at("securities") });
    }
    Ok(())
}
