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

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::band::BandSide;

/// One security of a model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSecurity {
    /// The security's symbol, e.g. `VTI`.
    pub symbol: String,
    /// Target weight, percent of the sleeve (weight-based models).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Decimal>,
    /// Shares per model unit (share-based models).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shares: Option<Decimal>,
    /// The least weight the security may have in the sleeve, percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Decimal>,
    /// The greatest weight the security may have in the sleeve, percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

impl UnspentCash {
    /// The name used in JSON: `keep`, `pro_rata`, `replacement`.
    pub fn name(self) -> &'static str {
        match self {
            UnspentCash::Keep => "keep",
            UnspentCash::ProRata => "pro_rata",
            UnspentCash::Replacement => "replacement",
        }
    }
}

/// The model manager's tactical settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TacticalSettings {
    /// The smallest purchase of a security the sleeve does not hold yet, in currency.
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    pub min_opening_trade: Decimal,
    /// The smallest trade, in currency (the account's own minimum applies as well).
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
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
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
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
