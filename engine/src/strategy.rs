//! Strategies: the models a UMA combines, their targets and bands, and where a
//! rebalance stops (the range mode).

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use crate::band::Band;
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
}

/// The JSON shape of a range: `{"mode": "target"}`, `{"mode": "band"}` or
/// `{"mode": "interior", "percent_to_target": "50"}`, nothing else.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeRepr {
    mode: RangeMode,
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
    #[serde(default)]
    pub cash_target: Decimal,
    /// The band of every model without one of its own.
    pub band: Band,
    /// Where a rebalance stops.
    pub range: Range,
    /// The size of an incremental pass in phase 3, in percent of the account; defaults
    /// to 1 (the paper's 1% passes).
    #[serde(default = "default_step")]
    pub step: Decimal,
}

fn default_step() -> Decimal {
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
}
