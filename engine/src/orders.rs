//! The tactical rebalance's output: orders, notes on the securities not traded, warnings,
//! each sleeve's trades and what it holds after; the blotter as CSV and the text for
//! people. Plain data, made by [`crate::tactical`].

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::holdings::Holding;
use crate::money::{format_money, to_cent, Money};
use crate::table::{csv_cell, Table};
use crate::tax::LotSale;

/// What an order does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderSide {
    /// Buys shares in the market.
    Buy,
    /// Sells shares in the market.
    Sell,
    /// Receives shares from another sleeve (no trade).
    TransferIn,
    /// Gives shares to another sleeve (no trade).
    TransferOut,
}

impl OrderSide {
    /// The side in words, for people: `buy`, `sell`, `transfer in`, `transfer out`.
    pub fn words(self) -> String {
        self.name().replace('_', " ")
    }

    /// The name used in JSON and CSV.
    pub fn name(self) -> &'static str {
        match self {
            OrderSide::Buy => "buy",
            OrderSide::Sell => "sell",
            OrderSide::TransferIn => "transfer_in",
            OrderSide::TransferOut => "transfer_out",
        }
    }
}

/// Why an order is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The security drifted outside its tolerance.
    Drift,
    /// The sleeve's cash flow: cash to raise or to invest.
    CashFlow,
    /// The account may not hold the security.
    DoNotHold,
    /// The model does not list the security.
    NotInModel,
    /// The buy-list replacement of a security that cannot be bought.
    Replacement,
    /// A share of a weight another security could not use.
    ProRata,
    /// A tax-loss harvest.
    Harvest,
    /// The proxy bought with a harvest's proceeds, or in place of a wash sale.
    Proxy,
    /// Shares moved in kind between sleeves.
    Transfer,
    /// A sale past the sleeve's dollar target, within the overshoot allowance.
    Overshoot,
}

impl Reason {
    /// The reason in words, for people: `cash flow`, `do not hold`, …
    pub fn words(self) -> String {
        self.name().replace('_', " ")
    }

    /// The name used in JSON and CSV.
    pub fn name(self) -> &'static str {
        match self {
            Reason::Drift => "drift",
            Reason::CashFlow => "cash_flow",
            Reason::DoNotHold => "do_not_hold",
            Reason::NotInModel => "not_in_model",
            Reason::Replacement => "replacement",
            Reason::ProRata => "pro_rata",
            Reason::Harvest => "harvest",
            Reason::Proxy => "proxy",
            Reason::Transfer => "transfer",
            Reason::Overshoot => "overshoot",
        }
    }
}

/// The columns of the order blotter, [`Tactical::to_csv`].
pub const BLOTTER_COLUMNS: &str =
    "sleeve,symbol,side,shares,price,amount,reason,counterparty,short_term_gain,long_term_gain,estimated_tax";

/// One order of the blotter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    /// The sleeve's model id.
    pub sleeve: String,
    /// The security.
    pub symbol: String,
    /// What the order does.
    pub side: OrderSide,
    /// Shares.
    pub shares: Decimal,
    /// The price it is estimated at.
    pub price: Decimal,
    /// Shares × price, to the cent.
    pub amount: Decimal,
    /// Why.
    pub reason: Reason,
    /// The order in a sentence.
    pub text: String,
    /// For a transfer, the other sleeve.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterparty: Option<String>,
    /// The lots a sale takes (tax-aware accounts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lots: Vec<LotSale>,
    /// Short-term gain realized (negative: a loss).
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    pub short_term_gain: Decimal,
    /// Long-term gain realized.
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    pub long_term_gain: Decimal,
    /// The tax those gains cost (negative: saved).
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    pub estimated_tax: Decimal,
}

impl Order {
    /// The order as a line of the blotter (without the line break), in the columns of
    /// [`Tactical::to_csv`]'s header.
    pub fn csv_row(&self) -> String {
        format!(
            "{},{},{},{},{},{:.2},{},{},{:.2},{:.2},{:.2}",
            csv_cell(&self.sleeve),
            csv_cell(&self.symbol),
            self.side.name(),
            self.shares.normalize(),
            self.price.normalize(),
            self.amount,
            self.reason.name(),
            csv_cell(self.counterparty.as_deref().unwrap_or("")),
            self.short_term_gain,
            self.long_term_gain,
            self.estimated_tax
        )
    }

    /// The loss the wash-sale rule disallows on this sale, as money, or nothing when it
    /// disallows none: what a blotter's wash-sale column shows.
    pub fn disallowed_words(&self) -> String {
        let disallowed: Decimal = self.lots.iter().map(|l| l.disallowed_loss).sum();
        if disallowed.is_zero() {
            String::new()
        } else {
            format_money(disallowed)
        }
    }

    /// An order that realizes no gain (a purchase, a transfer, an untracked sale): `shares`
    /// at `price`, its amount to the cent, `text` saying why.
    pub(crate) fn untaxed(sleeve: &str, symbol: &str, side: OrderSide, shares: Decimal, price: Decimal) -> Order {
        Order {
            sleeve: sleeve.to_owned(),
            symbol: symbol.to_owned(),
            side,
            shares,
            price,
            amount: to_cent(shares * price),
            reason: Reason::Drift,
            text: String::new(),
            counterparty: None,
            lots: Vec::new(),
            short_term_gain: Decimal::ZERO,
            long_term_gain: Decimal::ZERO,
            estimated_tax: Decimal::ZERO,
        }
    }
}

/// Why a security was not traded, or was traded less than its model asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// On its target, or inside its tolerance.
    InsideTolerance,
    /// The trade would be below the minimum trade or minimum opening trade.
    BelowMinimum,
    /// A mandate forbids it (do-not-buy, do-not-sell, do-not-hold).
    Restricted,
    /// The model has it on hold.
    OnHold,
    /// The wash-sale rule forbids it.
    WashSale,
    /// Whole shares round it to nothing.
    Rounding,
    /// Its lots would realize a short-term gain.
    ShortTermGain,
    /// The gains cap stops it.
    GainsCap,
    /// Cash a restriction left unspent, and where it went.
    Unspent,
    /// The sleeve ran out of cash to buy it.
    NoCash,
}

/// A note on one security of one sleeve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// The sleeve's model id.
    pub sleeve: String,
    /// The security.
    pub symbol: String,
    /// Which kind of reason.
    pub kind: NoteKind,
    /// The reason in a sentence.
    pub text: String,
}

/// What kind of trouble a warning reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// Two mandates contradict each other (do-not-hold and do-not-sell).
    Conflict,
    /// A mandate or setting cannot be met (everything restricted, a minimum trade larger
    /// than the sleeve).
    Infeasible,
    /// A sleeve could not raise all it was to send.
    StoppedShort,
    /// A sleeve sold past its dollar target.
    Overshoot,
    /// A do-not-hold sale realized gains beyond the tax settings.
    TaxOverridden,
}

impl WarningKind {
    /// The name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            WarningKind::Conflict => "conflict",
            WarningKind::Infeasible => "infeasible",
            WarningKind::StoppedShort => "stopped_short",
            WarningKind::Overshoot => "overshoot",
            WarningKind::TaxOverridden => "tax_overridden",
        }
    }
}

/// A warning about the whole rebalance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// What kind.
    pub kind: WarningKind,
    /// The sleeve concerned, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sleeve: Option<String>,
    /// The security concerned, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symbol: Option<String>,
    /// The warning in a sentence.
    pub text: String,
}

/// One sleeve's tactical rebalance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SleeveTrades {
    /// The model's id.
    pub model: String,
    /// The model's name.
    pub name: String,
    /// Whether the sleeve lists holdings (a sleeve known by its value only moves cash).
    pub holdings_listed: bool,
    /// The sleeve's value before.
    pub value_before: Decimal,
    /// The value the strategic rebalance set.
    pub target_value: Decimal,
    /// Its value after the orders.
    pub value_after: Decimal,
    /// Cash the sleeve received (negative: sent) to or from the account.
    pub flow: Decimal,
    /// Value it received in kind from other sleeves (negative: gave).
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    pub transferred: Decimal,
    /// Its cash before.
    pub cash_before: Decimal,
    /// Its cash after.
    pub cash_after: Decimal,
    /// Its orders, sales first.
    pub orders: Vec<Order>,
    /// Why securities were not traded.
    pub notes: Vec<Note>,
    /// What it holds after.
    pub holdings_after: Vec<Holding>,
}

/// The tactical rebalance of every sleeve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tactical {
    /// Each sleeve, in strategy order.
    pub sleeves: Vec<SleeveTrades>,
    /// Conflicts, infeasible mandates, sleeves stopped short or over.
    pub warnings: Vec<Warning>,
    /// The account's own cash (outside the sleeves) after.
    pub account_cash_after: Decimal,
    /// Short-term gains realized.
    pub short_term_gain: Decimal,
    /// Long-term gains realized.
    pub long_term_gain: Decimal,
    /// Estimated tax on them.
    pub estimated_tax: Decimal,
    /// Losses the wash-sale rule disallowed (added to replacement shares' basis instead).
    #[serde(default)]
    pub disallowed_loss: Decimal,
    /// In a tax-aware account, the tax a tax-blind rebalance to the same sleeve values
    /// would cost (lots first in first out, short-term gains, the gains cap and harvests
    /// ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_blind_estimated_tax: Option<Decimal>,
    /// That tax less this rebalance's estimate: what minding taxes saves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_saved: Option<Decimal>,
}

impl SleeveTrades {
    /// A sleeve known by its value only: worth `before` and set to `target` by the
    /// strategic rebalance, it moves `flow` as cash, with no orders.
    pub(crate) fn by_value(id: &str, name: &str, (before, target): (Decimal, Decimal), flow: Decimal) -> SleeveTrades {
        SleeveTrades {
            model: id.to_owned(),
            name: name.to_owned(),
            holdings_listed: false,
            value_before: before,
            target_value: target,
            value_after: before + flow,
            flow,
            transferred: Decimal::ZERO,
            cash_before: Decimal::ZERO,
            cash_after: Decimal::ZERO,
            orders: Vec::new(),
            notes: Vec::new(),
            holdings_after: Vec::new(),
        }
    }

    /// The sleeve in a line: its value before and after, the cash it sends or receives,
    /// its own cash before and after (`$35,000.00 → $31,500.00, sends $3,500.00; cash
    /// $0.00 → $0.00`).
    pub fn headline(&self) -> String {
        let flow = if self.flow.is_sign_negative() {
            format!("sends {}", Money(-self.flow))
        } else {
            format!("receives {}", Money(self.flow))
        };
        format!(
            "{} → {}, {flow}; cash {} → {}",
            Money(self.value_before),
            Money(self.value_after),
            Money(self.cash_before),
            Money(self.cash_after)
        )
    }
}

impl Tactical {
    /// The gains and taxes of the whole rebalance, and the account's cash after, in a
    /// sentence.
    pub fn tax_line(&self) -> String {
        let line = format!(
            "Account cash after: {}. Realized: {} short-term, {} long-term; estimated tax {}.",
            Money(self.account_cash_after),
            Money(self.short_term_gain),
            Money(self.long_term_gain),
            Money(self.estimated_tax)
        );
        if self.disallowed_loss.is_zero() {
            line
        } else {
            let washed = Money(self.disallowed_loss);
            format!("{line} Wash sales: {washed} of losses disallowed, added to the replacement shares' basis.")
        }
    }

    /// What minding taxes saves, in a sentence, for a tax-aware rebalance: `Minding taxes
    /// saves about $140.00: a tax-blind rebalance to the same sleeve values would cost
    /// $100.00 of tax, this one -$40.00.`
    pub fn tax_saved_words(&self) -> Option<String> {
        let (saved, blind) = (self.tax_saved?, self.tax_blind_estimated_tax?);
        Some(format!(
            "Minding taxes saves about {}: a tax-blind rebalance to the same sleeve values would cost {} of tax, this one {}.",
            Money(saved),
            Money(blind),
            Money(self.estimated_tax)
        ))
    }

    /// Every order, sleeve by sleeve.
    pub fn orders(&self) -> impl Iterator<Item = &Order> {
        self.sleeves.iter().flat_map(|s| &s.orders)
    }

    /// The order blotter as CSV: a header, then one line per order.
    ///
    /// # Examples
    ///
    /// ```
    /// # let text = include_str!("../../tests/scenarios/holdings-three-sleeves.json");
    /// let scenario = uma_engine::Scenario::from_json(text)?;
    /// let tactical = uma_engine::rebalance(&scenario)?.tactical.unwrap();
    /// let csv = tactical.to_csv();
    /// assert!(csv.starts_with("sleeve,symbol,side,shares,price,amount,reason,"));
    /// # Ok::<(), uma_engine::Error>(())
    /// ```
    pub fn to_csv(&self) -> String {
        let mut out = format!("{BLOTTER_COLUMNS}\n");
        for o in self.orders() {
            out.push_str(&o.csv_row());
            out.push('\n');
        }
        out
    }
}

impl fmt::Display for Tactical {
    /// For people: each sleeve's orders and notes, then the warnings and the taxes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Orders, sleeve by sleeve")?;
        for sleeve in &self.sleeves {
            writeln!(f, "{} ({}): {}", sleeve.name, sleeve.model, sleeve.headline())?;
            if !sleeve.holdings_listed {
                writeln!(f, "  (known by its value only: the cash moves, no orders)")?;
            }
            let mut table = Table::new(["Side", "Shares", "Symbol", "Price", "Amount", "Reason"]);
            for o in &sleeve.orders {
                table.row([
                    o.side.name().to_owned(),
                    o.shares.normalize().to_string(),
                    o.symbol.clone(),
                    format_money(o.price),
                    format_money(o.amount),
                    o.reason.name().to_owned(),
                ]);
            }
            if !sleeve.orders.is_empty() {
                for line in table.to_string().lines() {
                    writeln!(f, "  {line}")?;
                }
            }
            for o in &sleeve.orders {
                writeln!(f, "  - {}", o.text)?;
            }
            for n in &sleeve.notes {
                writeln!(f, "  · {}.", n.text)?;
            }
        }
        for w in &self.warnings {
            writeln!(f, "Warning ({}): {}", w.kind.name(), w.text)?;
        }
        writeln!(f, "{}", self.tax_line())?;
        if let Some(saved) = self.tax_saved_words() {
            writeln!(f, "{saved}")?;
        }
        Ok(())
    }
}
