//! Scenario files: a strategy and an account, the interchange format of the CLI, the web
//! app's import and export, and the tests.
//!
//! Decimals may be written as strings (`"30"`, preferred: exact) or JSON numbers; a string
//! is digits with at most one point and an optional sign (no exponent or separator). Percents
//! are percentage points of the whole account; amounts are currency with at most two
//! decimals.
//!
//! ```json
//! {
//!   "version": 1,
//!   "strategy": {
//!     "models": [
//!       {"id": "large", "name": "Large Cap", "target": "30"},
//!       {"id": "mid",   "name": "Mid Cap",   "target": "50"},
//!       {"id": "small", "name": "Small Cap", "target": "20", "band": {"kind": "absolute", "width": "2"}}
//!     ],
//!     "cash_target": "0",
//!     "band":  {"kind": "relative", "width": "10"},
//!     "range": {"mode": "interior", "percent_to_target": "50"},
//!     "step": "1"
//!   },
//!   "account": {
//!     "cash": "0",
//!     "sleeves": [{"model": "large", "value": "35000"}, {"model": "mid", "value": "46000"}, {"model": "small", "value": "19000"}]
//!   }
//! }
//! ```
//!
//! `version` is optional and defaults to the current [`FORMAT_VERSION`]. Version 1 is the
//! strategy and sleeve values above. Version 2 adds securities: a model's securities and
//! tactical settings ([`crate::ModelSecurity`], [`crate::TacticalSettings`]), a sleeve's
//! holdings and cash ([`crate::Holding`]), and the account's prices, valuation date,
//! mandates, recent trades and alert thresholds ([`crate::Mandates`]); a file that uses
//! them must not say version 1. A sleeve with holdings is worth its holdings at their
//! prices plus its cash; a `value` given beside them must agree. Unknown fields are
//! rejected so that a typo is caught rather than ignored.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::account::{Account, Sleeve};
use crate::check::{check_money, MAX_ACCOUNT_VALUE};
use crate::error::{Error, Result};
use crate::holdings::{validate_holdings, validate_recent_trades};
use crate::json;
use crate::mandates::Mandates;
use crate::prices::Prices;
use crate::securities::validate_securities;
use crate::strategy::Strategy;

/// The newest scenario format version this engine reads and writes; it reads every
/// version from 1.
pub const FORMAT_VERSION: u32 = 2;

/// What validation checks: everything, or the account only (its strategy was checked
/// before, as a book's strategies are when the book is read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Checks {
    All,
    AccountOnly,
}

/// A strategy and the account it governs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The format version; see [`FORMAT_VERSION`].
    #[serde(default = "current_version")]
    pub version: u32,
    /// The strategy.
    pub strategy: Strategy,
    /// The account.
    pub account: Account,
}

fn current_version() -> u32 {
    FORMAT_VERSION
}

impl Scenario {
    /// Reads a scenario from JSON text and validates it.
    ///
    /// # Errors
    ///
    /// [`Error::Format`] naming the JSON path when the text is not a scenario, or any
    /// error of [`Scenario::validate`].
    ///
    /// # Examples
    ///
    /// ```
    /// let err = uma_engine::Scenario::from_json(r#"{"strategy": {"models": 3}}"#).unwrap_err();
    /// assert!(err.to_string().starts_with("strategy.models: invalid type"));
    /// ```
    pub fn from_json(text: &str) -> Result<Scenario> {
        let scenario = Scenario::from_json_unvalidated(text)?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Reads a scenario from JSON text without checking the rules of
    /// [`Scenario::validate`]: what a page restoring an edit in progress needs (targets
    /// that do not make 100 yet are kept, and reported where they are shown).
    ///
    /// # Errors
    ///
    /// [`Error::Format`] naming the JSON path when the text is not a scenario.
    ///
    /// # Examples
    ///
    /// ```
    /// let text = r#"{"strategy": {"models": [{"id": "a", "target": "60"}], "band": {"kind": "relative", "width": "10"},
    ///   "range": {"mode": "target"}}, "account": {"sleeves": [{"model": "a", "value": "100"}]}}"#;
    /// let kept = uma_engine::Scenario::from_json_unvalidated(text)?;
    /// assert!(kept.validate().unwrap_err().to_string().contains("40 points short"));
    /// # Ok::<(), uma_engine::Error>(())
    /// ```
    pub fn from_json_unvalidated(text: &str) -> Result<Scenario> {
        if !json::looks_like_object(text) {
            let message =
                "not a scenario: a scenario file is a JSON object, {\"strategy\": …, \"account\": …}".to_owned();
            return Err(Error::Format { path: String::new(), message, position: None });
        }
        let mut scenario: Scenario = json::read(text)?;
        scenario.settle_values(true)?;
        Ok(scenario)
    }

    /// The scenario as pretty JSON, decimals as strings; a sleeve with holdings is written
    /// with the value they are worth now.
    pub fn to_json(&self) -> String {
        let mut settled = self.clone();
        let _ = settled.settle_values(false);
        // Serializing plain structs of strings and decimals to a String cannot fail.
        serde_json::to_string_pretty(&settled).unwrap_or_default()
    }

    /// Each sleeve's market value, in `account.sleeves` order: its `value`, or with
    /// holdings what they are worth at their prices (each to the cent) plus its cash.
    /// A holding without a price counts for nothing (validation reports it).
    pub fn sleeve_values(&self) -> Vec<Decimal> {
        let prices = Prices::of(&self.account);
        self.account.sleeves.iter().map(|s| prices.sleeve_value(s).unwrap_or(s.value)).collect()
    }

    /// The scenario by its sleeves' values only: each sleeve worth what it holds (its
    /// holdings at their prices plus its cash), the models without securities, the
    /// account without holdings, prices, lots or trades, and only its cash target among
    /// its mandates. What the strategic rebalance and the simulator through time work
    /// on, so that a scenario listing its securities runs through time by its values.
    ///
    /// # Examples
    ///
    /// ```
    /// # let text = include_str!("../../tests/scenarios/holdings-three-sleeves.json");
    /// let scenario = uma_engine::Scenario::from_json(text)?;
    /// let values = scenario.by_values();
    /// assert_eq!(values.sleeve_values(), scenario.sleeve_values());
    /// assert!(values.account.sleeves.iter().all(|s| s.holdings.is_empty()));
    /// assert!(values.validate().is_ok());
    /// # Ok::<(), uma_engine::Error>(())
    /// ```
    pub fn by_values(&self) -> Scenario {
        let values = self.sleeve_values();
        let mut strategy = self.strategy.clone();
        for model in &mut strategy.models {
            model.securities.clear();
            model.tactical = Default::default();
        }
        let account = Account {
            cash: self.account.cash,
            sleeves: self.account.sleeves.iter().zip(values).map(|(s, v)| Sleeve::valued(&s.model, v)).collect(),
            mandates: Mandates { cash_target: self.account.mandates.cash_target, ..Mandates::default() },
            ..Account::default()
        };
        Scenario { version: self.version, strategy, account }
    }

    /// The cash target that applies, percent: the account's own, else the strategy's.
    pub fn cash_target(&self) -> Decimal {
        self.account.mandates.cash_target.unwrap_or(self.strategy.cash_target)
    }

    /// Checks every rule a scenario must meet before it can be rebalanced.
    ///
    /// # Errors
    ///
    /// The first problem found, in document order: an unsupported version, no models, an
    /// empty or repeated id, a target, width, floor, cap, interior percent or step out of
    /// range, targets plus cash target not making 100, a negative or sub-cent amount, a
    /// sleeve for an unknown model or two for one model, an empty or too large account;
    /// in format 2, a rule of the securities, holdings, prices or mandates.
    pub fn validate(&self) -> Result<()> {
        self.sleeve_index().map(drop)
    }

    /// Validates, and returns for each model (in strategy order) the index of its sleeve
    /// in `account.sleeves`, if it has one, and each sleeve's value (as
    /// [`Scenario::sleeve_values`]).
    pub(crate) fn sleeve_index(&self) -> Result<(Vec<Option<usize>>, Vec<Decimal>)> {
        self.sleeve_index_checking(Checks::All)
    }

    /// [`Scenario::sleeve_index`], the strategy's own rules checked or not: a batch of
    /// accounts checks its strategies once, when the book is read
    /// ([`Checks::AccountOnly`]).
    pub(crate) fn sleeve_index_checking(&self, checks: Checks) -> Result<(Vec<Option<usize>>, Vec<Decimal>)> {
        if !(1..=FORMAT_VERSION).contains(&self.version) {
            return Err(Error::UnsupportedVersion { found: self.version, supported: FORMAT_VERSION });
        }
        let strategy = &self.strategy;
        let ids = match checks {
            Checks::All => strategy.validate()?,
            // A few models are found faster by a scan than by hashing their ids.
            Checks::AccountOnly => strategy.models.iter().enumerate().map(|(i, m)| (m.id.as_str(), i)).collect(),
        };
        let account = &self.account;
        check_money(&|| "account.cash".into(), account.cash)?;
        let prices = self.validate_format2()?;
        let too_large = |total| Error::AccountTooLarge { total, max: MAX_ACCOUNT_VALUE };
        let mut sleeve_of: Vec<Option<usize>> = vec![None; strategy.models.len()];
        let mut worths = Vec::with_capacity(account.sleeves.len());
        let mut value = account.cash;
        for (i, sleeve) in account.sleeves.iter().enumerate() {
            let field = || format!("account.sleeves[{i}]");
            let Some(&model) = ids.get(sleeve.model.as_str()) else {
                let known = strategy.models.iter().map(|m| m.id.as_str()).collect::<Vec<_>>().join(", ");
                return Err(Error::UnknownModel {
                    field: format!("{}.model", field()),
                    id: sleeve.model.clone(),
                    known,
                });
            };
            if let Some(first) = sleeve_of[model].replace(i) {
                return Err(Error::DuplicateSleeve {
                    field: format!("{}.model", field()),
                    id: sleeve.model.clone(),
                    first: format!("account.sleeves[{first}]"),
                });
            }
            check_money(&|| format!("{}.value", field()), sleeve.value)?;
            let worth = prices.sleeve_value(sleeve).ok_or(too_large(value))?;
            value = value.checked_add(worth).ok_or(too_large(value))?;
            if value > MAX_ACCOUNT_VALUE {
                return Err(too_large(value));
            }
            worths.push(worth);
        }
        if value.is_zero() {
            return Err(Error::EmptyAccount);
        }
        Ok((sleeve_of, worths))
    }

    /// Whether the scenario uses anything format 1 does not have.
    fn uses_format2(&self) -> bool {
        let account = &self.account;
        self.strategy.models.iter().any(|m| !m.securities.is_empty() || !m.tactical.is_default())
            || account.sleeves.iter().any(|s| s.has_holdings() || !s.cash.is_zero())
            || account.as_of.is_some()
            || !account.prices.is_empty()
            || account.mandates != Default::default()
            || !account.recent_trades.is_empty()
            || !account.alerts.is_default()
    }

    /// Checks the format 2 parts (each by the module of its type), returning the prices.
    fn validate_format2(&self) -> Result<Prices> {
        let account = &self.account;
        if self.version < 2 && self.uses_format2() {
            return Err(Error::NeedsVersion2);
        }
        let prices = Prices::validated(account)?;
        for (i, sleeve) in account.sleeves.iter().enumerate() {
            let field = || format!("account.sleeves[{i}]");
            check_money(&|| format!("{}.cash", field()), sleeve.cash)?;
            validate_holdings(&field, &sleeve.holdings, account.as_of)?;
        }
        let has_price = |symbol: &str| prices.get(symbol).is_some();
        for (i, model) in self.strategy.models.iter().enumerate() {
            let field = || format!("strategy.models[{i}]");
            validate_securities(&field, &model.securities, &has_price)?;
            model.tactical.validate(&field, &has_price)?;
        }
        account.mandates.validate(self.strategy.cash_target, account.as_of.is_some())?;
        self.validate_lot_ids()?;
        validate_recent_trades(&account.recent_trades)?;
        account.alerts.validate()?;
        Ok(prices)
    }

    /// Lot ids are unique in the account, and the specific lot method names only them.
    fn validate_lot_ids(&self) -> Result<()> {
        let mut ids: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
        for (i, sleeve) in self.account.sleeves.iter().enumerate() {
            for (j, holding) in sleeve.holdings.iter().enumerate() {
                for (k, lot) in holding.lots.iter().enumerate() {
                    let Some(id) = &lot.id else { continue };
                    let field = format!("account.sleeves[{i}].holdings[{j}].lots[{k}]");
                    if let Some(first) = ids.insert(id, field.clone()) {
                        return Err(Error::DuplicateLot { field: format!("{field}.id"), id: id.clone(), first });
                    }
                }
            }
        }
        for (k, id) in self.account.mandates.tax.specific.iter().enumerate() {
            if !ids.contains_key(id.as_str()) {
                return Err(Error::UnknownLot { field: format!("account.mandates.tax.specific[{k}]"), id: id.clone() });
            }
        }
        Ok(())
    }

    /// Sets each sleeve with holdings to the value of its holdings. With `strict`, a value
    /// given beside holdings must agree with them.
    fn settle_values(&mut self, strict: bool) -> Result<()> {
        let prices = Prices::of(&self.account);
        for (i, sleeve) in self.account.sleeves.iter_mut().enumerate() {
            if !sleeve.has_holdings() {
                continue;
            }
            let Some(worth) = prices.sleeve_value(sleeve) else { continue };
            if strict && !sleeve.value.is_zero() && sleeve.value != worth {
                let field = format!("account.sleeves[{i}].value");
                return Err(Error::ValueMismatch { field, given: sleeve.value, worth });
            }
            sleeve.value = worth;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    const PAPER: &str = r#"{
      "strategy": {
        "models": [
          {"id": "large", "name": "Large Cap", "target": "30"},
          {"id": "mid",   "name": "Mid Cap",   "target": "50"},
          {"id": "small", "name": "Small Cap", "target": "20", "band": {"kind": "absolute", "width": "2"}}
        ],
        "cash_target": "0",
        "band":  {"kind": "relative", "width": "10"},
        "range": {"mode": "interior", "percent_to_target": "50"},
        "step": "1"
      },
      "account": {
        "cash": "0",
        "sleeves": [{"model": "large", "value": "35000"}, {"model": "mid", "value": "46000"}, {"model": "small", "value": 19000}]
      }
    }"#;

    /// Replaces the first occurrence of `from` in the paper's scenario and returns the
    /// error message, or "ok".
    fn error_after(from: &str, to: &str) -> String {
        assert!(PAPER.contains(from), "{from}");
        match Scenario::from_json(&PAPER.replacen(from, to, 1)) {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn paper_parses_and_round_trips() {
        let scenario = Scenario::from_json(PAPER).unwrap();
        assert_eq!(scenario.strategy.models.len(), 3);
        assert_eq!(scenario.strategy.step, dec!(1));
        assert_eq!(scenario.account.sleeves[2].value, dec!(19000));
        assert_eq!(Scenario::from_json(&scenario.to_json()).unwrap(), scenario);
    }

    #[test]
    fn defaults_apply() {
        let text =
            PAPER.replace(r#""cash_target": "0","#, "").replace(r#","step": "1""#, "").replace(r#""cash": "0","#, "");
        let text = text
            .replace(
                r#"
        "step": "1""#,
                "",
            )
            .replace(
                r#""range": {"mode": "interior", "percent_to_target": "50"},"#,
                r#""range": {"mode": "interior", "percent_to_target": "50"}"#,
            );
        let scenario = Scenario::from_json(&text).unwrap();
        assert_eq!(scenario.strategy.step, dec!(1));
        assert_eq!(scenario.strategy.cash_target, dec!(0));
        assert_eq!(scenario.account.cash, dec!(0));
        assert_eq!(scenario.version, FORMAT_VERSION);
    }

    #[test]
    fn bad_input_names_the_field() {
        let check = |from: &str, to: &str, want: &str| {
            let got = error_after(from, to);
            assert!(got.contains(want), "replacing {from:?} by {to:?}: got {got:?}, want {want:?}");
        };
        check(r#""target": "30""#, r#""target": true"#, "strategy.models[0].target: invalid type");
        check(r#""target": "30""#, r#""target": "abc""#, "strategy.models[0].target");
        check(r#""target": "30""#, r#""target": "25""#, "make 95%, not 100%: 5 points short");
        check(r#""target": "30""#, r#""target": "-30""#, "strategy.models[0].target: -30 is out of range");
        check(r#""width": "10""#, r#""width": "-10""#, "strategy.band.width: -10 is out of range");
        check(
            r#""width": "2""#,
            r#""width": "2", "floor": "3", "cap": "1""#,
            "strategy.models[2].band: the floor 3 is above the cap 1",
        );
        check(
            r#""percent_to_target": "50""#,
            r#""percent_to_target": "100""#,
            "strategy.range.percent_to_target: 100 is out of range",
        );
        check(r#""percent_to_target": "50""#, r#""percent_to_target": "0.5""#, "1 to 99");
        check(
            r#""mode": "interior", "percent_to_target": "50""#,
            r#""mode": "target", "percent_to_target": "50""#,
            "strategy.range: percent_to_target applies to the interior mode only",
        );
        check(
            r#""mode": "interior", "percent_to_target": "50""#,
            r#""mode": "interior", "percent_to_target": "50", "percent": "5""#,
            "strategy.range.percent: unknown field `percent`",
        );
        check(r#""mode": "interior", "percent_to_target": "50""#, r#""mode": "middle""#, "unknown variant `middle`");
        check(
            r#""mode": "interior", "percent_to_target": "50""#,
            r#""mode": "interior""#,
            "missing field `percent_to_target`",
        );
        check(
            r#""id": "mid""#,
            r#""id": "large""#,
            r#"strategy.models[1].id: the model id "large" is already used by strategy.models[0]"#,
        );
        check(r#""id": "mid""#, r#""id": " ""#, "strategy.models[1].id: a model id must not be empty");
        check(
            r#""model": "mid""#,
            r#""model": "micro""#,
            r#"account.sleeves[1].model: there is no model "micro" in the strategy (its models are large, mid, small)"#,
        );
        check(
            r#""model": "mid""#,
            r#""model": "large""#,
            "account.sleeves[1].model: model \"large\" already has a sleeve at account.sleeves[0]",
        );
        check(
            r#""value": "46000""#,
            r#""value": "-46000""#,
            "account.sleeves[1].value: -46000 is out of range: an amount must not be negative",
        );
        check(r#""value": "46000""#, r#""value": "46000.001""#, "fractions of a cent");
        check(r#""cash": "0""#, r#""cash": "0", "cahs": "1""#, "unknown field `cahs`");
        check(r#""step": "1""#, r#""step": "0""#, "strategy.step: 0 is out of range");
        check(
            r#""strategy""#,
            r#""version": 3, "strategy""#,
            "version: this engine reads scenario format versions 1 to 2, not 3",
        );
        check(
            r#"{"model": "large", "value": "35000"}, {"model": "mid", "value": "46000"}, {"model": "small", "value": 19000}"#,
            "",
            "account: the account is empty",
        );
        check(r#""models": ["#, r#""models": [], "x": ["#, "unknown field `x`");
        check(r#""value": "35000""#, r#""value": "1e30""#, "account.sleeves[0].value: \"1e30\" is not a number");
        check(r#""value": "35000""#, r#""value": "35_000""#, "account.sleeves[0].value: \"35_000\" is not a number");
        check(
            r#""value": "35000""#,
            r#""value": "10000000000000000000000000000""#,
            "account.sleeves[0].value: \"10000000000000000000000000000\" is above the cap of",
        );
        check(
            r#""value": "35000""#,
            r#""value": "2000000000000000""#,
            "account.sleeves[0].value: $2,000,000,000,000,000.00 is above the cap",
        );
        assert_eq!(
            error_after(r#""value": "35000""#, r#""value": "99999999999999999999""#),
            "account.sleeves[0].value: $99,999,999,999,999,999,999.00 is above the cap of $1,000,000,000,000,000.00"
        );
        assert!(Scenario::from_json("{").unwrap_err().to_string().contains("not valid JSON"));
        assert!(Scenario::from_json("").unwrap_err().to_string().contains("not valid JSON"));
        assert!(Scenario::from_json("[]").unwrap_err().to_string().contains("a JSON object"));
        assert!(Scenario::from_json(&format!("{PAPER} x")).unwrap_err().to_string().contains("trailing"));
    }
}
