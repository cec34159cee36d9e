//! The account a strategy governs: cash, one sleeve per model held, and in scenario
//! format 2 its prices, valuation date, mandates, recent trades and alert thresholds.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::holdings::{Holding, RecentTrade};
use crate::mandates::{AlertSettings, Mandates};

/// The account: cash and one sleeve per model held; in format 2 also prices, the date it
/// is valued, its mandates, recent trades and alert thresholds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// Cash held outside every sleeve; defaults to 0.
    #[serde(default, deserialize_with = "crate::json::decimal")]
    pub cash: Decimal,
    /// The sleeves; a model with no sleeve holds 0.
    #[serde(default)]
    pub sleeves: Vec<Sleeve>,
    /// The date the account is valued: tax lots' holding periods and the wash-sale window
    /// count from it (format 2; needed when taxes are minded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
    /// Prices of securities, for those no holding prices (a model's securities not held
    /// yet, replacements, proxies).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", deserialize_with = "crate::json::decimal_map")]
    pub prices: BTreeMap<String, Decimal>,
    /// The account's restrictions and tax settings.
    #[serde(default, skip_serializing_if = "is_default_mandates")]
    pub mandates: Mandates,
    /// Trades of the last weeks, for the wash-sale window.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recent_trades: Vec<RecentTrade>,
    /// Thresholds of the drift report's alerts.
    #[serde(default, skip_serializing_if = "AlertSettings::is_default")]
    pub alerts: AlertSettings,
}

fn is_default_mandates(m: &Mandates) -> bool {
    *m == Mandates::default()
}

/// A sleeve: the part of the account that follows one model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sleeve {
    /// The id of the model this sleeve follows.
    pub model: String,
    /// Its market value. With holdings, what they are worth plus the sleeve's cash: it
    /// may be left out of a file, and the engine always counts the holdings.
    #[serde(default, deserialize_with = "crate::json::decimal")]
    pub value: Decimal,
    /// Cash held in the sleeve (format 2).
    #[serde(default, skip_serializing_if = "Decimal::is_zero", deserialize_with = "crate::json::decimal")]
    pub cash: Decimal,
    /// The sleeve's securities (format 2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holdings: Vec<Holding>,
}

impl Sleeve {
    /// A sleeve known only by its value.
    pub fn valued(model: &str, value: Decimal) -> Sleeve {
        Sleeve { model: model.to_owned(), value, cash: Decimal::ZERO, holdings: Vec::new() }
    }

    /// Whether the sleeve lists its securities.
    pub fn has_holdings(&self) -> bool {
        !self.holdings.is_empty()
    }
}
