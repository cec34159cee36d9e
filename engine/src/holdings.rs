//! What a sleeve holds, security by security (scenario format 2): shares, a price, and
//! optionally the tax lots the shares were bought in; and the account's recent trades,
//! which the wash-sale rule looks back on.
//!
//! ```json
//! "sleeves": [{
//!   "model": "large", "cash": "120.00",
//!   "holdings": [
//!     {"symbol": "VTI", "shares": "100", "price": "250.00",
//!      "lots": [{"shares": "60", "cost_basis": "12000.00", "acquired": "2021-03-01"},
//!               {"shares": "40", "cost_basis": "10400.00", "acquired": "2026-06-15"}]}
//!   ]
//! }]
//! ```

use std::collections::HashSet;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::check::{check_money, check_shares, check_symbol, Field};
use crate::date::Date;
use crate::error::{Error, Result};

/// A position in one security.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holding {
    /// The security's symbol.
    pub symbol: String,
    /// Shares held (fractions allowed, never negative).
    #[serde(deserialize_with = "crate::json::decimal")]
    pub shares: Decimal,
    /// The price per share; when left out, the account's `prices` must give it.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::json::optional_decimal")]
    pub price: Option<Decimal>,
    /// The tax lots, whose shares add up to the holding's; none when not tracked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lots: Vec<Lot>,
}

/// Shares bought together: the unit of capital gains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lot {
    /// Shares in the lot.
    #[serde(deserialize_with = "crate::json::decimal")]
    pub shares: Decimal,
    /// What the lot's shares cost in all, in currency.
    #[serde(deserialize_with = "crate::json::decimal")]
    pub cost_basis: Decimal,
    /// When they were bought.
    pub acquired: Date,
    /// A name for the lot, unique in the account, for the `specific` lot method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

impl Lot {
    /// The cost of one share of the lot.
    pub fn cost_per_share(&self) -> Decimal {
        if self.shares.is_zero() {
            Decimal::ZERO
        } else {
            self.cost_basis / self.shares
        }
    }
}

/// Buy or sell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TradeSide {
    /// A purchase.
    Buy,
    /// A sale.
    Sell,
}

/// A trade the account made before this rebalance, for the wash-sale window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecentTrade {
    /// The security.
    pub symbol: String,
    /// Bought or sold.
    pub side: TradeSide,
    /// When.
    pub date: Date,
    /// The gain it realized, for a sale (negative: a loss).
    #[serde(default, skip_serializing_if = "Decimal::is_zero", deserialize_with = "crate::json::decimal")]
    pub gain: Decimal,
    /// A sale the account had to make (a do-not-hold security): its gain neither uses nor
    /// opens room under the gains cap.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub forced: bool,
}

/// Checks a sleeve's holdings (at `field`, `account.sleeves[i]`) in an account valued on
/// `as_of`: each named once, shares in range, lots adding up to the holding, none bought
/// after `as_of`. Prices are checked with the account's.
pub(crate) fn validate_holdings(field: Field<'_>, holdings: &[Holding], as_of: Option<Date>) -> Result<()> {
    let mut seen = HashSet::new();
    for (j, holding) in holdings.iter().enumerate() {
        let field = || format!("{}.holdings[{j}]", field());
        check_symbol(&|| format!("{}.symbol", field()), &holding.symbol)?;
        if !seen.insert(holding.symbol.as_str()) {
            return Err(Error::DuplicateHolding {
                field: format!("{}.symbol", field()),
                symbol: holding.symbol.clone(),
            });
        }
        check_shares(&|| format!("{}.shares", field()), holding.shares)?;
        let mut in_lots = Decimal::ZERO;
        for (k, lot) in holding.lots.iter().enumerate() {
            let lot_field = || format!("{}.lots[{k}]", field());
            check_shares(&|| format!("{}.shares", lot_field()), lot.shares)?;
            if lot.shares.is_zero() {
                return Err(Error::EmptyLot { field: format!("{}.shares", lot_field()) });
            }
            check_money(&|| format!("{}.cost_basis", lot_field()), lot.cost_basis)?;
            if as_of.is_some_and(|as_of| lot.acquired > as_of) {
                return Err(Error::AcquiredAfterAsOf {
                    field: format!("{}.acquired", lot_field()),
                    acquired: lot.acquired,
                });
            }
            in_lots += lot.shares;
        }
        if !holding.lots.is_empty() && in_lots != holding.shares {
            return Err(Error::LotsDoNotAdd {
                field: format!("{}.lots", field()),
                lots: in_lots.normalize(),
                holding: holding.shares.normalize(),
            });
        }
    }
    Ok(())
}

/// Checks the account's recent trades.
pub(crate) fn validate_recent_trades(trades: &[RecentTrade]) -> Result<()> {
    for (k, trade) in trades.iter().enumerate() {
        check_symbol(&|| format!("account.recent_trades[{k}].symbol"), &trade.symbol)?;
        check_money(&|| format!("account.recent_trades[{k}].gain"), trade.gain.abs())?;
    }
    Ok(())
}
