//! Strategies: the models a UMA combines, their targets and bands, and where a
//! rebalance stops (the range mode).

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use std::collections::HashMap;

use crate::band::Band;
use crate::check::{check_between, check_id, check_percent, check_scale, Field};
use crate::error::{Error, Result};
use crate::money::Percent;
use crate::securities::{ModelSecurity, TacticalSettings};

/// A model (sleeve) of a strategy: a manager's separate account, a fund, an ETF model.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// A short unique id that sleeves refer to, e.g. `large`.
    pub id: String,
    /// The name shown to people, e.g. `Large Cap`; the id when empty.
    #[serde(default)]
    pub name: String,
    /// Target weight, in percent of the whole account.
    #[serde(deserialize_with = "crate::json::decimal")]
    pub target: Decimal,
    /// This model's own band, overriding the strategy's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<Band>,
    /// The securities the model targets (scenario format 2); see [`crate::ModelSecurity`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub securities: Vec<ModelSecurity>,
    /// The manager's tactical settings (scenario format 2).
    #[serde(default, skip_serializing_if = "TacticalSettings::is_default")]
    pub tactical: TacticalSettings,
}

impl Model {
    /// A model with a target and no band, securities or settings of its own.
    ///
    /// # Examples
    ///
    /// ```
    /// let model = uma_engine::Model::new("large", "Large Cap", rust_decimal_macros::dec!(30));
    /// assert_eq!(model.label(), "Large Cap");
    /// ```
    pub fn new(id: &str, name: &str, target: Decimal) -> Model {
        Model { id: id.to_owned(), name: name.to_owned(), target, ..Model::default() }
    }

    /// The name to show: [`Model::name`], or the id when the name is blank.
    pub fn label(&self) -> &str {
        if self.name.trim().is_empty() {
            &self.id
        } else {
            &self.name
        }
    }
}

/// Where a strategic rebalance stops a model it moves: its rebalance point.
///
/// With `p` = 0 for [`Range::Target`], 1 for [`Range::Band`] and
/// `percent_to_target / 100` for [`Range::Interior`], the rebalance point of a model over
/// its target is `t + p·(upper − t)` and of one under it `t − p·(t − lower)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Range {
    /// Back to the target.
    Target,
    /// Back to the nearest band edge.
    Band,
    /// To a point between the band edge and the target: 99 is just inside the band, 1 just
    /// outside the target.
    Interior {
        /// How far from the target toward the band edge, 1 to 99.
        percent_to_target: Decimal,
    },
}

impl Range {
    /// The fraction `p` of the way from the target to the band edge.
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal_macros::dec;
    /// use uma_engine::Range;
    /// assert_eq!(Range::Interior { percent_to_target: dec!(50) }.fraction(), dec!(0.5));
    /// assert_eq!(Range::Band.fraction(), dec!(1));
    /// ```
    pub fn fraction(&self) -> Decimal {
        match self {
            Range::Target => Decimal::ZERO,
            Range::Band => Decimal::ONE,
            Range::Interior { percent_to_target } => *percent_to_target / Decimal::ONE_HUNDRED,
        }
    }

    /// The mode's name as in the scenario format: `target`, `band` or `interior`.
    pub fn mode(&self) -> &'static str {
        match self {
            Range::Target => "target",
            Range::Band => "band",
            Range::Interior { .. } => "interior",
        }
    }

    /// The interior percent an editor starts from when no interior range was chosen: the
    /// paper's halfway.
    pub const DEFAULT_PERCENT: Decimal = dec!(50);

    /// The interior range at `percent_to_target`, brought into the 1 to 99 it allows.
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal_macros::dec;
    /// use uma_engine::Range;
    /// assert_eq!(Range::interior(dec!(150)), Range::Interior { percent_to_target: dec!(99) });
    /// assert_eq!(Range::interior(dec!(0)).fraction(), dec!(0.01));
    /// ```
    pub fn interior(percent_to_target: Decimal) -> Range {
        Range::Interior { percent_to_target: percent_to_target.clamp(Decimal::ONE, dec!(99)) }
    }

    /// The interior percent: this range's, or [`Range::DEFAULT_PERCENT`] for the other
    /// modes (what an editor shows when the user switches to interior).
    pub fn percent_or_default(&self) -> Decimal {
        match self {
            Range::Interior { percent_to_target } => *percent_to_target,
            _ => Range::DEFAULT_PERCENT,
        }
    }

    /// The range a mode name picks (`target`, `band`, `interior`), an interior one at
    /// `percent_to_target` (brought into 1 to 99); `None` for an unknown name.
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal_macros::dec;
    /// use uma_engine::Range;
    /// assert_eq!(Range::from_mode("band", dec!(50)), Some(Range::Band));
    /// assert_eq!(Range::from_mode("interior", dec!(75)), Some(Range::Interior { percent_to_target: dec!(75) }));
    /// assert_eq!(Range::from_mode("middle", dec!(50)), None);
    /// ```
    pub fn from_mode(mode: &str, percent_to_target: Decimal) -> Option<Range> {
        match mode {
            "target" => Some(Range::Target),
            "band" => Some(Range::Band),
            "interior" => Some(Range::interior(percent_to_target)),
            _ => None,
        }
    }

    /// Checks an interior range's percent: 1 to 99.
    pub(crate) fn validate(&self, field: Field<'_>) -> Result<()> {
        if let Range::Interior { percent_to_target } = *self {
            check_between(
                &|| format!("{}.percent_to_target", field()),
                percent_to_target,
                Decimal::ONE,
                dec!(99),
                "an interior range's percent_to_target runs from 1 to 99",
            )?;
        }
        Ok(())
    }
}

/// The JSON shape of a range: `{"mode": "target"}`, `{"mode": "band"}` or
/// `{"mode": "interior", "percent_to_target": "50"}`, nothing else.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeRepr {
    mode: RangeMode,
    #[serde(default, deserialize_with = "crate::json::optional_decimal")]
    percent_to_target: Option<Decimal>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RangeMode {
    Target,
    Band,
    Interior,
}

impl<'de> Deserialize<'de> for Range {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let repr = RangeRepr::deserialize(deserializer)?;
        match (repr.mode, repr.percent_to_target) {
            (RangeMode::Interior, Some(percent_to_target)) => Ok(Range::Interior { percent_to_target }),
            (RangeMode::Interior, None) => Err(D::Error::missing_field("percent_to_target")),
            (RangeMode::Target, None) => Ok(Range::Target),
            (RangeMode::Band, None) => Ok(Range::Band),
            (RangeMode::Target | RangeMode::Band, Some(_)) => {
                Err(D::Error::custom("percent_to_target applies to the interior mode only"))
            }
        }
    }
}

/// A strategy: weighted models, a cash target, bands and a range mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strategy {
    /// The models, in the order that breaks ties.
    pub models: Vec<Model>,
    /// Percent of the account to hold as cash; defaults to 0.
    #[serde(default, deserialize_with = "crate::json::decimal")]
    pub cash_target: Decimal,
    /// The band of every model without one of its own.
    pub band: Band,
    /// Where a rebalance stops.
    pub range: Range,
    /// The size of an incremental pass in phase 3, in percent of the account; defaults
    /// to 1 (the paper's 1% passes).
    #[serde(default = "default_step", deserialize_with = "crate::json::decimal")]
    pub step: Decimal,
}

pub(crate) fn default_step() -> Decimal {
    dec!(1)
}

impl Strategy {
    /// The model targets plus the cash target: 100 for a valid strategy.
    ///
    /// # Examples
    ///
    /// ```
    /// # let text = include_str!("../../tests/scenarios/paper-three-models.json");
    /// let mut scenario = uma_engine::Scenario::from_json(text)?;
    /// scenario.strategy.models[0].target = rust_decimal_macros::dec!(25);
    /// assert_eq!(scenario.strategy.allocated(), rust_decimal_macros::dec!(95));
    /// # Ok::<(), uma_engine::Error>(())
    /// ```
    pub fn allocated(&self) -> Decimal {
        self.models.iter().map(|m| m.target).sum::<Decimal>() + self.cash_target
    }

    /// The band that applies to `model`: its own, or the strategy's.
    pub fn band_of<'a>(&'a self, model: &'a Model) -> &'a Band {
        model.band.as_ref().unwrap_or(&self.band)
    }

    /// Checks the strategy's rules, returning each model id's index: at least one model,
    /// ids neither empty nor repeated, targets, bands, range and step in range, targets
    /// plus cash target making 100.
    pub(crate) fn validate(&self) -> Result<HashMap<&str, usize>> {
        if self.models.is_empty() {
            return Err(Error::NoModels);
        }
        let mut ids: HashMap<&str, usize> = HashMap::with_capacity(self.models.len());
        let mut targets = Decimal::ZERO;
        for (i, model) in self.models.iter().enumerate() {
            // Field paths are formatted only on the error path: validation runs before every
            // rebalance, and on a drag in the web app.
            let field = || format!("strategy.models[{i}]");
            if model.id.trim().is_empty() {
                return Err(Error::EmptyId { field: format!("{}.id", field()) });
            }
            check_id(&|| format!("{}.id", field()), &model.id)?;
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
        check_percent(&|| "strategy.cash_target".into(), self.cash_target, Some(Decimal::ONE_HUNDRED))?;
        self.band.validate(&|| "strategy.band".into())?;
        self.range.validate(&|| "strategy.range".into())?;
        check_between(
            &|| "strategy.step".into(),
            self.step,
            dec!(0.01),
            Decimal::ONE_HUNDRED,
            "the step runs from 0.01 to 100 percent",
        )?;
        check_scale(&|| "strategy.step".into(), self.step)?;
        let total = targets + self.cash_target;
        if total != Decimal::ONE_HUNDRED {
            return Err(Error::TargetsDoNotSum {
                models: targets.normalize(),
                cash: self.cash_target.normalize(),
                total: total.normalize(),
            });
        }
        Ok(ids)
    }

    /// The strategy with its model targets scaled so that they and the cash target make
    /// exactly 100% (each to six decimals, the largest remainders rounded up), the cash
    /// target kept; unchanged when the models' targets add up to 0 or the cash target
    /// is above 100.
    ///
    /// # Examples
    ///
    /// ```
    /// # let text = include_str!("../../tests/scenarios/paper-three-models.json");
    /// use rust_decimal_macros::dec;
    /// let mut strategy = uma_engine::Scenario::from_json(text)?.strategy;
    /// strategy.models[0].target = dec!(40); // 40 + 50 + 20 = 110
    /// let rescaled = strategy.rescaled();
    /// let targets: Vec<_> = rescaled.models.iter().map(|m| m.target).collect();
    /// assert_eq!(targets, [dec!(36.363636), dec!(45.454546), dec!(18.181818)]);
    /// assert_eq!(rescaled.allocated(), dec!(100));
    /// # Ok::<(), uma_engine::Error>(())
    /// ```
    pub fn rescaled(&self) -> Strategy {
        let models: Decimal = self.models.iter().map(|m| m.target).sum();
        let room = Decimal::ONE_HUNDRED - self.cash_target;
        if models <= Decimal::ZERO || room < Decimal::ZERO {
            return self.clone();
        }
        // Millionths of a point: floors, then the largest remainders take one more each.
        let unit = Decimal::new(1, 6);
        let exact: Vec<Decimal> = self.models.iter().map(|m| m.target * room / models / unit).collect();
        let mut whole: Vec<Decimal> = exact.iter().map(|x| x.floor()).collect();
        let mut left = (room / unit).round() - whole.iter().copied().sum::<Decimal>();
        let mut order: Vec<usize> = (0..exact.len()).collect();
        order.sort_by(|&a, &b| (exact[b] - whole[b]).cmp(&(exact[a] - whole[a])).then(a.cmp(&b)));
        for &i in order.iter().cycle().take(order.len() * 2) {
            if left <= Decimal::ZERO {
                break;
            }
            whole[i] += Decimal::ONE;
            left -= Decimal::ONE;
        }
        let mut next = self.clone();
        for (model, w) in next.models.iter_mut().zip(whole) {
            model.target = (w * unit).normalize();
        }
        next
    }

    /// The allocation in a sentence, as the strategy editor shows it: what the targets and
    /// the cash target make, and how far that is from 100%.
    ///
    /// # Examples
    ///
    /// ```
    /// # let text = include_str!("../../tests/scenarios/paper-three-models.json");
    /// let mut scenario = uma_engine::Scenario::from_json(text)?;
    /// assert_eq!(scenario.strategy.allocation_words(), "Targets and cash target make 100.00%.");
    /// scenario.strategy.models[0].target = rust_decimal_macros::dec!(40);
    /// assert_eq!(scenario.strategy.allocation_words(), "Targets and cash target make 110.00%: 10 points over 100%.");
    /// # Ok::<(), uma_engine::Error>(())
    /// ```
    pub fn allocation_words(&self) -> String {
        let total = self.allocated();
        let hundred = Decimal::ONE_HUNDRED;
        let shown = Percent(total);
        if total == hundred {
            format!("Targets and cash target make {shown}.")
        } else if total < hundred {
            format!("Targets and cash target make {shown}: {} points short of 100%.", (hundred - total).normalize())
        } else {
            format!("Targets and cash target make {shown}: {} points over 100%.", (total - hundred).normalize())
        }
    }

    /// The strategy in one line, as the page's folded editor shows it: each model and its
    /// target, the cash target, and the band.
    ///
    /// # Examples
    ///
    /// ```
    /// # let text = include_str!("../../tests/scenarios/paper-three-models.json");
    /// let scenario = uma_engine::Scenario::from_json(text)?;
    /// assert_eq!(
    ///     scenario.strategy.outline(),
    ///     "Large Cap 30% · Mid Cap 50% · Small Cap 20% · cash 0% · band relative 10%"
    /// );
    /// # Ok::<(), uma_engine::Error>(())
    /// ```
    pub fn outline(&self) -> String {
        let mut parts: Vec<String> =
            self.models.iter().map(|m| format!("{} {}%", m.label(), m.target.normalize())).collect();
        parts.push(format!("cash {}%", self.cash_target.normalize()));
        parts.push(format!("band {}", self.band));
        parts.join(" · ")
    }
}
