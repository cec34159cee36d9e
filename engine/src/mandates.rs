//! The account's own rules, set by the client and the advisor (scenario format 2): what
//! must not be bought, sold or held, the smallest trade, a cash target of its own, how
//! taxes are minded, and the thresholds of the alerts.
//!
//! ```json
//! "mandates": {
//!   "do_not_buy": ["XOM"], "do_not_sell": ["TSLA"], "do_not_hold": ["MO"],
//!   "min_trade": "100", "cash_target": "3",
//!   "tax": {"enabled": true, "short_term_rate": "37", "long_term_rate": "20",
//!           "lots": "highest_cost", "gains_cap": "10000",
//!           "avoid_short_term_gains": true, "harvest": "1000"}
//! },
//! "alerts": {"cash_tolerance": "1", "concentration": "25", "harvest_loss": "1000"}
//! ```

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use crate::check::{check_money, check_percent, check_symbol};
use crate::error::{Error, Result};

/// The account's restrictions and tax settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mandates {
    /// Securities no sleeve may buy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub do_not_buy: Vec<String>,
    /// Securities no sleeve may sell.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub do_not_sell: Vec<String>,
    /// Securities no sleeve may hold: sold wherever held (unless also on do-not-sell,
    /// which is a conflict the rebalance reports).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub do_not_hold: Vec<String>,
    /// The smallest trade, in currency, whatever the models allow.
    #[serde(default, skip_serializing_if = "Decimal::is_zero", deserialize_with = "crate::json::decimal")]
    pub min_trade: Decimal,
    /// The account's cash target, percent, in place of the strategy's: the models'
    /// targets are scaled to the rest.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::json::optional_decimal")]
    pub cash_target: Option<Decimal>,
    /// How taxes are minded.
    #[serde(default, skip_serializing_if = "TaxSettings::is_off")]
    pub tax: TaxSettings,
}

impl Mandates {
    /// Whether `symbol` is on the do-not-buy list (do-not-hold implies it).
    pub fn no_buy(&self, symbol: &str) -> bool {
        self.do_not_buy.iter().chain(&self.do_not_hold).any(|s| s == symbol)
    }

    /// Whether `symbol` is on the do-not-sell list.
    pub fn no_sell(&self, symbol: &str) -> bool {
        self.do_not_sell.iter().any(|s| s == symbol)
    }

    /// Whether `symbol` is on the do-not-hold list.
    pub fn no_hold(&self, symbol: &str) -> bool {
        self.do_not_hold.iter().any(|s| s == symbol)
    }
}

/// One of the account's do-not lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Restriction {
    /// `do_not_buy`.
    DoNotBuy,
    /// `do_not_sell`.
    DoNotSell,
    /// `do_not_hold`.
    DoNotHold,
}

impl Restriction {
    /// The three lists, in the order of the scenario format.
    pub const ALL: [Restriction; 3] = [Restriction::DoNotBuy, Restriction::DoNotSell, Restriction::DoNotHold];
}

impl Mandates {
    /// The symbols on `list`.
    pub fn list(&self, list: Restriction) -> &[String] {
        match list {
            Restriction::DoNotBuy => &self.do_not_buy,
            Restriction::DoNotSell => &self.do_not_sell,
            Restriction::DoNotHold => &self.do_not_hold,
        }
    }

    /// The symbols on `list`, to edit.
    pub fn list_mut(&mut self, list: Restriction) -> &mut Vec<String> {
        match list {
            Restriction::DoNotBuy => &mut self.do_not_buy,
            Restriction::DoNotSell => &mut self.do_not_sell,
            Restriction::DoNotHold => &mut self.do_not_hold,
        }
    }
}

/// Which lots a sale takes first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LotMethod {
    /// The lots that cost the most per share first (least gain, or most loss).
    #[default]
    HighestCost,
    /// The lots whose sale costs the least tax per share first: losses (short-term
    /// first), then long-term gains, then short-term gains.
    LowestTax,
    /// The oldest lots first.
    Fifo,
    /// The lots the tax settings' `specific` list names (by each lot's `id`), in that
    /// order, first; then the highest cost.
    Specific,
    /// Average cost, as mutual funds report it: every share of a holding costs the
    /// average of its lots; the oldest shares go first (for their holding period).
    Average,
}

impl LotMethod {
    /// Every method, in the order a menu lists them.
    pub const ALL: [LotMethod; 5] =
        [LotMethod::HighestCost, LotMethod::LowestTax, LotMethod::Fifo, LotMethod::Specific, LotMethod::Average];

    /// The name used in JSON: `highest_cost`, `lowest_tax`, `fifo`, `specific`, `average`.
    pub fn name(self) -> &'static str {
        match self {
            LotMethod::HighestCost => "highest_cost",
            LotMethod::LowestTax => "lowest_tax",
            LotMethod::Fifo => "fifo",
            LotMethod::Specific => "specific",
            LotMethod::Average => "average",
        }
    }

    /// The method named `name`, if any.
    pub fn from_name(name: &str) -> Option<LotMethod> {
        LotMethod::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The method in words, for a menu.
    pub fn words(self) -> &'static str {
        match self {
            LotMethod::HighestCost => "Highest cost first",
            LotMethod::LowestTax => "Lowest tax first",
            LotMethod::Fifo => "First in, first out",
            LotMethod::Specific => "Named lots first",
            LotMethod::Average => "Average cost",
        }
    }
}

/// How the rebalance minds taxes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxSettings {
    /// Tax-aware: lots, gains and taxes are counted and the settings below apply.
    #[serde(default)]
    pub enabled: bool,
    /// Tax rate on short-term gains (held a year or less), percent.
    #[serde(default, deserialize_with = "crate::json::decimal")]
    pub short_term_rate: Decimal,
    /// Tax rate on long-term gains, percent.
    #[serde(default, deserialize_with = "crate::json::decimal")]
    pub long_term_rate: Decimal,
    /// Which lots a sale takes first.
    #[serde(default)]
    pub lots: LotMethod,
    /// The most net gain (short- plus long-term, losses netted) the rebalance's ordinary
    /// sales may realize, together, across every sleeve; do-not-hold sales are made anyway
    /// and neither use nor open room.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::json::optional_decimal")]
    pub gains_cap: Option<Decimal>,
    /// Sell no lot at a short-term gain, except to obey do-not-hold.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub avoid_short_term_gains: bool,
    /// Harvest every lot whose unrealized loss is at least this much (currency), buying
    /// the model's proxy with the proceeds; none: no harvesting.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::json::optional_decimal")]
    pub harvest: Option<Decimal>,
    /// With `"lots": "specific"`, the ids of the lots to sell first, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub specific: Vec<String>,
}

impl TaxSettings {
    /// The top US federal rates on short- and long-term gains, percent: what minding taxes
    /// starts from when no rate is set.
    pub const TOP_RATES: (Decimal, Decimal) = (dec!(37), dec!(20));

    /// These settings with taxes minded (`on`) or not; turning them on with no rate set
    /// starts from [`TaxSettings::TOP_RATES`].
    ///
    /// # Examples
    ///
    /// ```
    /// let on = uma_engine::TaxSettings::default().minded(true);
    /// assert!(on.enabled);
    /// assert_eq!((on.short_term_rate, on.long_term_rate), uma_engine::TaxSettings::TOP_RATES);
    /// ```
    pub fn minded(&self, on: bool) -> TaxSettings {
        let mut next = self.clone();
        next.enabled = on;
        if on && next.short_term_rate.is_zero() && next.long_term_rate.is_zero() {
            (next.short_term_rate, next.long_term_rate) = TaxSettings::TOP_RATES;
        }
        next
    }

    /// Whether taxes are not minded and nothing is set (so it is left out of JSON).
    pub fn is_off(&self) -> bool {
        *self == TaxSettings::default()
    }
}

/// The thresholds of the drift report's alerts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertSettings {
    /// Cash further than this from its target, in points of the account, raises an alert.
    #[serde(default = "default_cash_tolerance", deserialize_with = "crate::json::decimal")]
    pub cash_tolerance: Decimal,
    /// A security above this share of the account, percent, across all sleeves.
    #[serde(default = "default_concentration", deserialize_with = "crate::json::decimal")]
    pub concentration: Decimal,
    /// A lot with an unrealized loss of at least this much, in currency.
    #[serde(default = "default_harvest_loss", deserialize_with = "crate::json::decimal")]
    pub harvest_loss: Decimal,
}

fn default_cash_tolerance() -> Decimal {
    dec!(1)
}

fn default_concentration() -> Decimal {
    dec!(25)
}

fn default_harvest_loss() -> Decimal {
    dec!(1000)
}

impl Default for AlertSettings {
    fn default() -> Self {
        AlertSettings {
            cash_tolerance: default_cash_tolerance(),
            concentration: default_concentration(),
            harvest_loss: default_harvest_loss(),
        }
    }
}

impl AlertSettings {
    /// Whether every threshold has its default (so it is left out of JSON).
    pub fn is_default(&self) -> bool {
        *self == AlertSettings::default()
    }
}

impl Mandates {
    /// Checks the mandates of an account valued on a date (`dated`) whose strategy has
    /// `strategy_cash_target` percent in cash.
    pub(crate) fn validate(&self, strategy_cash_target: Decimal, dated: bool) -> Result<()> {
        for (name, list) in
            [("do_not_buy", &self.do_not_buy), ("do_not_sell", &self.do_not_sell), ("do_not_hold", &self.do_not_hold)]
        {
            for (k, symbol) in list.iter().enumerate() {
                check_symbol(&|| format!("account.mandates.{name}[{k}]"), symbol)?;
            }
        }
        check_money(&|| "account.mandates.min_trade".into(), self.min_trade)?;
        if let Some(cash) = self.cash_target {
            check_percent(&|| "account.mandates.cash_target".into(), cash, Some(Decimal::ONE_HUNDRED))?;
            if strategy_cash_target == Decimal::ONE_HUNDRED && cash != Decimal::ONE_HUNDRED {
                return Err(Error::CashOnlyStrategy { field: "account.mandates.cash_target".into() });
            }
        }
        self.tax.validate(dated)
    }
}

impl TaxSettings {
    fn validate(&self, dated: bool) -> Result<()> {
        let field = |name: &str| format!("account.mandates.tax.{name}");
        check_percent(&|| field("short_term_rate"), self.short_term_rate, Some(Decimal::ONE_HUNDRED))?;
        check_percent(&|| field("long_term_rate"), self.long_term_rate, Some(Decimal::ONE_HUNDRED))?;
        if let Some(cap) = self.gains_cap {
            check_money(&|| field("gains_cap"), cap)?;
        }
        if let Some(harvest) = self.harvest {
            check_money(&|| field("harvest"), harvest)?;
        }
        if self.enabled && !dated {
            return Err(Error::NeedsAsOf { field: "account.as_of".into() });
        }
        Ok(())
    }
}

impl AlertSettings {
    /// Checks the thresholds.
    pub(crate) fn validate(&self) -> Result<()> {
        let field = |name: &str| format!("account.alerts.{name}");
        check_percent(&|| field("cash_tolerance"), self.cash_tolerance, Some(Decimal::ONE_HUNDRED))?;
        check_percent(&|| field("concentration"), self.concentration, Some(Decimal::ONE_HUNDRED))?;
        check_money(&|| field("harvest_loss"), self.harvest_loss)
    }
}
