//! Scenario files: a strategy and an account, the interchange format of the CLI, the web
//! app's import and export, and the tests.
//!
//! Decimals may be written as strings (`"30"`, preferred: exact) or JSON numbers. Percents
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

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use crate::calendar::Date;
use crate::error::{Error, Result};
use crate::holdings::{Holding, RecentTrade};
use crate::mandates::{AlertSettings, Mandates};
use crate::strategy::{Range, Strategy};

mod format2;

pub(crate) use format2::Prices;

/// The newest scenario format version this engine reads and writes; it reads every
/// version from 1.
pub const FORMAT_VERSION: u32 = 2;

/// The largest account total the engine handles, so that its decimal arithmetic stays
/// exact: one quadrillion.
pub const MAX_ACCOUNT_VALUE: Decimal = dec!(1_000_000_000_000_000);

/// The most decimal places a percentage may carry.
pub const MAX_PERCENT_DECIMALS: u32 = 6;

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

/// The account: cash and one sleeve per model held; in format 2 also prices, the date it
/// is valued, its mandates, recent trades and alert thresholds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// Cash held outside every sleeve; defaults to 0.
    #[serde(default)]
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
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
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
    #[serde(default)]
    pub value: Decimal,
    /// Cash held in the sleeve (format 2).
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
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
        let body = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if !body.is_empty() && !body.starts_with('{') {
            let message =
                "not a scenario: a scenario file is a JSON object, {\"strategy\": …, \"account\": …}".to_owned();
            return Err(Error::Format { path: String::new(), message });
        }
        let mut deserializer = serde_json::Deserializer::from_str(text.strip_prefix('\u{feff}').unwrap_or(text));
        let scenario: Scenario = serde_path_to_error::deserialize(&mut deserializer).map_err(format_error)?;
        deserializer.end().map_err(|e| Error::Format { path: String::new(), message: e.to_string() })?;
        let mut scenario = scenario;
        format2::settle_values(&mut scenario, true)?;
        Ok(scenario)
    }

    /// The scenario as pretty JSON, decimals as strings; a sleeve with holdings is written
    /// with the value they are worth now.
    pub fn to_json(&self) -> String {
        let mut settled = self.clone();
        let _ = format2::settle_values(&mut settled, false);
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
    /// sleeve for an unknown model or two for one model, an empty or too large account.
    pub fn validate(&self) -> Result<()> {
        self.sleeve_index().map(drop)
    }

    /// Validates, and returns for each model (in strategy order) the index of its sleeve
    /// in `account.sleeves`, if it has one, and each sleeve's value (as
    /// [`Scenario::sleeve_values`]).
    pub(crate) fn sleeve_index(&self) -> Result<(Vec<Option<usize>>, Vec<Decimal>)> {
        if !(1..=FORMAT_VERSION).contains(&self.version) {
            return Err(Error::UnsupportedVersion { found: self.version, supported: FORMAT_VERSION });
        }
        let strategy = &self.strategy;
        if strategy.models.is_empty() {
            return Err(Error::NoModels);
        }
        let mut ids: HashMap<&str, usize> = HashMap::with_capacity(strategy.models.len());
        let mut targets = Decimal::ZERO;
        for (i, model) in strategy.models.iter().enumerate() {
            // Field paths are formatted only on the error path: validation runs before every
            // rebalance, and on a drag in the web app.
            let field = || format!("strategy.models[{i}]");
            if model.id.trim().is_empty() {
                return Err(Error::EmptyId { field: format!("{}.id", field()) });
            }
            if let Some(first) = ids.insert(&model.id, i) {
                return Err(Error::DuplicateModel {
                    field: format!("{}.id", field()),
                    id: model.id.clone(),
                    first: format!("strategy.models[{first}]"),
                });
            }
            check_percent(&|| format!("{}.target", field()), model.target, Some(Decimal::ONE_HUNDRED))?;
            if let Some(band) = &model.band {
                band.validate(&|| format!("{}.band", field()))?;
            }
            targets += model.target;
        }
        check_percent(&|| "strategy.cash_target".into(), strategy.cash_target, Some(Decimal::ONE_HUNDRED))?;
        strategy.band.validate(&|| "strategy.band".into())?;
        if let Range::Interior { percent_to_target } = strategy.range {
            check_between(
                &|| "strategy.range.percent_to_target".into(),
                percent_to_target,
                Decimal::ONE,
                dec!(99),
                "an interior range's percent_to_target runs from 1 to 99",
            )?;
        }
        check_between(
            &|| "strategy.step".into(),
            strategy.step,
            dec!(0.01),
            Decimal::ONE_HUNDRED,
            "the step runs from 0.01 to 100 percent",
        )?;
        check_scale(&|| "strategy.step".into(), strategy.step)?;
        let total = targets + strategy.cash_target;
        if total != Decimal::ONE_HUNDRED {
            return Err(Error::TargetsDoNotSum {
                models: targets.normalize(),
                cash: strategy.cash_target.normalize(),
                total: total.normalize(),
            });
        }

        let account = &self.account;
        check_money(&|| "account.cash".into(), account.cash)?;
        let prices = format2::validate(self)?;
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
            let worth =
                prices.sleeve_value(sleeve).ok_or(Error::AccountTooLarge { total: value, max: MAX_ACCOUNT_VALUE })?;
            value = value.checked_add(worth).ok_or(Error::AccountTooLarge { total: value, max: MAX_ACCOUNT_VALUE })?;
            if value > MAX_ACCOUNT_VALUE {
                return Err(Error::AccountTooLarge { total: value, max: MAX_ACCOUNT_VALUE });
            }
            worths.push(worth);
        }
        if value.is_zero() {
            return Err(Error::EmptyAccount);
        }
        Ok((sleeve_of, worths))
    }
}

fn format_error(e: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = clean_path(e.path().to_string());
    let inner = e.into_inner();
    let message = match inner.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            format!("not valid JSON: {inner}")
        }
        _ => inner.to_string(),
    };
    Error::Format { path, message }
}

fn clean_path(path: String) -> String {
    if path == "." || path == "?" {
        String::new()
    } else {
        path
    }
}

/// Checks a deposit (positive) or withdrawal (negative) against an account worth `total`.
pub(crate) fn check_flow(total: Decimal, flow: Decimal) -> Result<()> {
    if flow.normalize().scale() > 2 {
        return Err(Error::SubCent { field: "flow".into(), value: flow });
    }
    if flow > MAX_ACCOUNT_VALUE - total {
        return Err(Error::AccountTooLarge { total: total + flow, max: MAX_ACCOUNT_VALUE });
    }
    if flow.is_sign_negative() && -flow >= total {
        return Err(Error::WithdrawalTooLarge { withdrawal: -flow, total });
    }
    Ok(())
}

/// A field's JSON path, formatted only when an error needs it.
pub(crate) type Field<'a> = &'a dyn Fn() -> String;

/// Checks that a percentage is at least 0 (and at most `max`, else at most 1,000) with at
/// most [`MAX_PERCENT_DECIMALS`] decimals.
pub(crate) fn check_percent(field: Field<'_>, value: Decimal, max: Option<Decimal>) -> Result<()> {
    match max {
        Some(max) if max == Decimal::ONE_HUNDRED => {
            check_between(field, value, Decimal::ZERO, max, "it must be from 0 to 100")?
        }
        _ => check_between(field, value, Decimal::ZERO, dec!(1000), "it must be from 0 to 1,000")?,
    }
    check_scale(field, value)
}

pub(crate) fn check_between(
    field: Field<'_>,
    value: Decimal,
    min: Decimal,
    max: Decimal,
    expected: &'static str,
) -> Result<()> {
    if value < min || value > max {
        return Err(Error::OutOfRange { field: field(), value: value.normalize(), expected });
    }
    Ok(())
}

pub(crate) fn check_scale(field: Field<'_>, value: Decimal) -> Result<()> {
    if value.normalize().scale() > MAX_PERCENT_DECIMALS {
        return Err(Error::TooPrecise { field: field(), value, max: MAX_PERCENT_DECIMALS });
    }
    Ok(())
}

pub(crate) fn check_money(field: Field<'_>, value: Decimal) -> Result<()> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(Error::OutOfRange { field: field(), value, expected: "an amount must not be negative" });
    }
    if value > MAX_ACCOUNT_VALUE {
        return Err(Error::AccountTooLarge { total: value, max: MAX_ACCOUNT_VALUE });
    }
    if value.normalize().scale() > 2 {
        return Err(Error::SubCent { field: field(), value });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
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
        check(r#""value": "35000""#, r#""value": "1e30""#, "account.sleeves[0].value: invalid value");
        assert!(error_after(r#""value": "35000""#, r#""value": "99999999999999999999""#).contains("above the largest"));
        assert!(Scenario::from_json("{").unwrap_err().to_string().contains("not valid JSON"));
        assert!(Scenario::from_json("").unwrap_err().to_string().contains("not valid JSON"));
        assert!(Scenario::from_json("[]").unwrap_err().to_string().contains("a JSON object"));
        assert!(Scenario::from_json(&format!("{PAPER} x")).unwrap_err().to_string().contains("trailing"));
    }
}
