//! The drift report: where each model stands against its target and band, and whether a
//! strategic rebalance is triggered.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::alerts::{alerts, Alert};
use crate::book::{Book, Status};
use crate::error::Result;
use crate::money::{format_money, format_percent, format_points};
use crate::scenario::Scenario;
use crate::table::Table;

/// Every model's drift, and the account's cash against its target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftReport {
    /// The account's total value (sleeves plus cash).
    pub total_value: Decimal,
    /// Account cash.
    pub cash: Decimal,
    /// The cash target's value in currency.
    pub cash_target_value: Decimal,
    /// Cash above its target (negative: below it), the pool a rebalance starts with.
    pub pool: Decimal,
    /// Whether any model is out of band.
    pub triggered: bool,
    /// Each model, in strategy order.
    pub models: Vec<ModelDrift>,
    /// The rebalance triggers: models out of band, cash off its target, concentrated
    /// positions, losses worth harvesting; see [`crate::Alert`].
    pub alerts: Vec<Alert>,
}

/// One model's drift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelDrift {
    /// The model's id.
    pub id: String,
    /// The model's name.
    pub name: String,
    /// The sleeve's value.
    pub value: Decimal,
    /// The sleeve's weight, percent (four decimals).
    pub weight: Decimal,
    /// The target weight, percent.
    pub target: Decimal,
    /// The target's value in currency (apportioned to the cent).
    pub target_value: Decimal,
    /// Weight minus target, in percentage points.
    pub drift_points: Decimal,
    /// Value minus target value, in currency.
    pub drift_value: Decimal,
    /// The band's edges, percent.
    pub band: Bounds,
    /// The rebalance points, percent: where a rebalance stops a model under its band
    /// (`below`) or over it (`above`).
    pub rebalance_points: Points,
    /// Under, in band or over.
    pub status: Status,
    /// Whether this model triggers a strategic rebalance (it is out of band).
    pub triggered: bool,
}

impl ModelDrift {
    /// The status a weight (in percent) would have against this model's band, as a chart
    /// colours a weight it is showing. Edges are in band.
    pub fn status_of(&self, weight: Decimal) -> Status {
        if weight < self.band.lower {
            Status::Under
        } else if weight > self.band.upper {
            Status::Over
        } else {
            Status::InBand
        }
    }
}

/// A band's edges, in percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bounds {
    /// The lower edge.
    pub lower: Decimal,
    /// The upper edge.
    pub upper: Decimal,
}

/// A model's two rebalance points, in percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Points {
    /// Where a model under its band is bought up to.
    pub below: Decimal,
    /// Where a model over its band is sold down to.
    pub above: Decimal,
}

/// Reports every model's drift from target and band.
///
/// # Errors
///
/// Any error of [`Scenario::validate`].
pub fn drift(scenario: &Scenario) -> Result<DriftReport> {
    let book = Book::new(scenario)?;
    let models: Vec<ModelDrift> = book
        .rows
        .iter()
        .map(|row| {
            let weight = book.weight(row.value);
            let status = row.status(row.value);
            ModelDrift {
                id: row.id.to_owned(),
                name: row.name.to_owned(),
                value: row.value,
                weight,
                target: row.target,
                target_value: row.target_value,
                drift_points: (weight - row.target).normalize(),
                drift_value: row.value - row.target_value,
                band: Bounds { lower: row.lower.normalize(), upper: row.upper.normalize() },
                rebalance_points: Points { below: row.point_below.normalize(), above: row.point_above.normalize() },
                status,
                triggered: status != Status::InBand,
            }
        })
        .collect();
    Ok(DriftReport {
        total_value: book.total,
        cash: book.cash,
        cash_target_value: book.cash_target_value,
        pool: book.pool(),
        triggered: models.iter().any(|m| m.triggered),
        models,
        alerts: alerts(scenario, &book),
    })
}

impl DriftReport {
    /// Whether a rebalance is triggered, in a sentence: `A strategic rebalance is
    /// triggered: Large Cap out of band.` or `Every model is in band: no rebalance is
    /// triggered.`
    ///
    /// # Examples
    ///
    /// ```
    /// # let text = include_str!("../../tests/scenarios/paper-three-models.json");
    /// let report = uma_engine::drift(&uma_engine::Scenario::from_json(text)?)?;
    /// assert_eq!(report.summary(), "A strategic rebalance is triggered: Large Cap out of band.");
    /// # Ok::<(), uma_engine::Error>(())
    /// ```
    pub fn summary(&self) -> String {
        if self.triggered {
            let out: Vec<&str> = self.models.iter().filter(|m| m.triggered).map(|m| m.name.as_str()).collect();
            format!("A strategic rebalance is triggered: {} out of band.", out.join(", "))
        } else {
            "Every model is in band: no rebalance is triggered.".to_owned()
        }
    }
}

impl fmt::Display for DriftReport {
    /// A plain-text table for people.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut table =
            Table::new(["Model", "Weight", "Target", "Drift", "Drift $", "Band", "Rebalance points", "Status"]);
        for m in &self.models {
            table.row([
                m.name.clone(),
                format_percent(m.weight),
                format_percent(m.target),
                format_points(m.drift_points),
                format_money(m.drift_value),
                format!("{}–{}", format_percent(m.band.lower), format_percent(m.band.upper)),
                format!("{} / {}", format_percent(m.rebalance_points.below), format_percent(m.rebalance_points.above)),
                m.status.words().to_owned(),
            ]);
        }
        writeln!(f, "Drift of an account of {}", format_money(self.total_value))?;
        write!(f, "{table}")?;
        writeln!(f, "Cash {} against a target of {}.", format_money(self.cash), format_money(self.cash_target_value))?;
        writeln!(f, "{}", self.summary())?;
        for alert in &self.alerts {
            writeln!(f, "Alert: {}", alert.text)?;
        }
        Ok(())
    }
}
