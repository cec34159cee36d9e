//! One price per security, and what holdings and sleeves are worth at those prices.
//!
//! A security's price is the account's `prices` entry, else the price its holdings give
//! (all holdings of one security must agree). A holding is worth its shares times the
//! price, rounded half-even to the cent ([`crate::money::ToCent::NearestEven`]); a sleeve
//! with holdings is worth its holdings plus its cash.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::account::{Account, Sleeve};
use crate::check::{check_price, check_symbol};
use crate::error::{Error, Result};
use crate::holdings::Holding;
use crate::money::{round_cent_as_written, ToCent};

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

    /// The prices of `account`, checked: every symbol named, every price in range, one
    /// price per security, a price for every holding.
    ///
    /// # Errors
    ///
    /// [`Error::EmptySymbol`], [`Error::OutOfRange`] or [`Error::TooPrecise`] for a bad
    /// price, [`Error::PriceConflict`], [`Error::HoldingUnpriced`].
    pub fn validated(account: &Account) -> Result<Prices> {
        for (symbol, price) in &account.prices {
            check_symbol(&|| "account.prices".into(), symbol)?;
            check_price(&|| format!("account.prices.{symbol}"), *price)?;
        }
        let mut map = account.prices.clone();
        for (i, sleeve) in account.sleeves.iter().enumerate() {
            for (j, holding) in sleeve.holdings.iter().enumerate() {
                let Some(price) = holding.price else { continue };
                let field = || format!("account.sleeves[{i}].holdings[{j}].price");
                check_price(&field, price)?;
                match map.get(&holding.symbol) {
                    Some(other) if *other != price => {
                        return Err(Error::PriceConflict {
                            field: field(),
                            symbol: holding.symbol.clone(),
                            price: price.normalize(),
                            other: other.normalize(),
                        })
                    }
                    _ => {
                        map.insert(holding.symbol.clone(), price);
                    }
                }
            }
        }
        for (i, sleeve) in account.sleeves.iter().enumerate() {
            for (j, holding) in sleeve.holdings.iter().enumerate() {
                if !map.contains_key(&holding.symbol) {
                    return Err(Error::HoldingUnpriced {
                        field: format!("account.sleeves[{i}].holdings[{j}].price"),
                        symbol: holding.symbol.clone(),
                    });
                }
            }
        }
        Ok(Prices { map })
    }

    /// The price of `symbol`, if the account gives one.
    pub fn get(&self, symbol: &str) -> Option<Decimal> {
        self.map.get(symbol).copied()
    }

    /// The price a holding trades at: its own, else the account's; 0 without one.
    pub fn price_of(&self, holding: &Holding) -> Decimal {
        holding.price.or_else(|| self.get(&holding.symbol)).unwrap_or_default()
    }

    /// What `holding` is worth, to the cent (at the scale its shares and price give, so a
    /// value is exported as written); 0 without a price; `None` on overflow.
    pub fn holding_value(&self, holding: &Holding) -> Option<Decimal> {
        Some(round_cent_as_written(holding.shares.checked_mul(self.price_of(holding))?, ToCent::NearestEven))
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
