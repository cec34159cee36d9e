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

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::Date;

/// A position in one security.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holding {
    /// The security's symbol.
    pub symbol: String,
    /// Shares held (fractions allowed, never negative).
    pub shares: Decimal,
    /// The price per share; when left out, the account's `prices` must give it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    pub shares: Decimal,
    /// What the lot's shares cost in all, in currency.
    pub cost_basis: Decimal,
    /// When they were bought.
    pub acquired: Date,
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
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    pub gain: Decimal,
}
