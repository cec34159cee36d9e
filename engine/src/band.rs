//! Tolerance bands: how far a model may drift from its target before a strategic
//! rebalance is triggered.
//!
//! A band has a side below the target and a side above it. Each side has a half-width in
//! percentage points of the whole account:
//!
//! - `relative` width `w`: `t · w / 100` (a 30% target with a 10% relative band may drift
//!   3 points either way);
//! - `absolute` width `a`: `a` points;
//! - then raised to `floor` and lowered to `cap` when those are given (the "5/25 rule" is
//!   relative 25 capped at 5 points; a relative 20 band with a 1-point floor keeps small
//!   sleeves from freezing).
//!
//! The band runs from `t − below` to `t + above`, clamped to `[0, 100]`. A weight exactly
//! on an edge is in band.
//!
//! In JSON a band is either one side used both ways,
//! `{"kind": "relative", "width": "25", "cap": "5"}`, or two sides,
//! `{"below": {"kind": "absolute", "width": "2"}, "above": {"kind": "relative", "width": "10"}}`.
//! A side given next to a flat band overrides that direction only.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::check::{check_percent, Field};
use crate::error::{Error, Result};

/// How a band side's width is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BandKind {
    /// Percent of the model's target: relative 10 on a 30% target is 3 points.
    Relative,
    /// Percentage points of the account: absolute 2 is 2 points whatever the target.
    Absolute,
}

/// One side of a band (below or above the target).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandSide {
    /// How `width` is measured.
    pub kind: BandKind,
    /// The width: percent of target for `relative`, points for `absolute`.
    #[serde(deserialize_with = "crate::json::decimal")]
    pub width: Decimal,
    /// The least half-width, in points, whatever `width` gives.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::json::optional_decimal")]
    pub floor: Option<Decimal>,
    /// The greatest half-width, in points, whatever `width` gives.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::json::optional_decimal")]
    pub cap: Option<Decimal>,
}

impl BandKind {
    /// The name used in JSON: `relative` or `absolute`.
    pub fn name(self) -> &'static str {
        match self {
            BandKind::Relative => "relative",
            BandKind::Absolute => "absolute",
        }
    }

    /// The kind named `name`, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use uma_engine::BandKind;
    /// assert_eq!(BandKind::from_name("absolute"), Some(BandKind::Absolute));
    /// assert_eq!(BandKind::from_name(BandKind::Relative.name()), Some(BandKind::Relative));
    /// ```
    pub fn from_name(name: &str) -> Option<BandKind> {
        [BandKind::Relative, BandKind::Absolute].into_iter().find(|k| k.name() == name)
    }
}

impl BandSide {
    /// A side `width` percent of the target wide.
    pub fn relative(width: Decimal) -> Self {
        BandSide { kind: BandKind::Relative, width, floor: None, cap: None }
    }

    /// A side `width` percentage points wide.
    pub fn absolute(width: Decimal) -> Self {
        BandSide { kind: BandKind::Absolute, width, floor: None, cap: None }
    }

    /// The half-width in points for a model whose target is `target` percent.
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal_macros::dec;
    /// use uma_engine::BandSide;
    /// // The 5/25 rule: relative 25, capped at 5 points.
    /// let side = BandSide { cap: Some(dec!(5)), ..BandSide::relative(dec!(25)) };
    /// assert_eq!(side.half_width(dec!(12)), dec!(3));
    /// assert_eq!(side.half_width(dec!(40)), dec!(5));
    /// ```
    pub fn half_width(&self, target: Decimal) -> Decimal {
        let base = match self.kind {
            BandKind::Relative => target * self.width * rust_decimal_macros::dec!(0.01),
            BandKind::Absolute => self.width,
        };
        let floored = self.floor.map_or(base, |floor| base.max(floor));
        self.cap.map_or(floored, |cap| floored.min(cap))
    }

    fn validate(&self, field: Field<'_>) -> Result<()> {
        check_percent(&|| format!("{}.width", field()), self.width, None)?;
        if let Some(floor) = self.floor {
            check_percent(&|| format!("{}.floor", field()), floor, Some(Decimal::ONE_HUNDRED))?;
        }
        if let Some(cap) = self.cap {
            check_percent(&|| format!("{}.cap", field()), cap, Some(Decimal::ONE_HUNDRED))?;
        }
        if let (Some(floor), Some(cap)) = (self.floor, self.cap) {
            if floor > cap {
                return Err(Error::FloorAboveCap { field: field(), floor, cap });
            }
        }
        Ok(())
    }
}

/// A tolerance band around a model's target, possibly different below and above.
///
/// # Examples
///
/// ```
/// use rust_decimal_macros::dec;
/// use uma_engine::Band;
/// // The paper's 70/30 strategy with 8% relative bands.
/// let band = Band::relative(dec!(8));
/// assert_eq!(band.bounds(dec!(70)), (dec!(64.4), dec!(75.6)));
/// assert_eq!(band.bounds(dec!(30)), (dec!(27.6), dec!(32.4)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Band {
    /// The side under the target.
    pub below: BandSide,
    /// The side over the target.
    pub above: BandSide,
}

impl Band {
    /// A symmetric band `width` percent of the target wide on each side.
    pub fn relative(width: Decimal) -> Self {
        Band::uniform(BandSide::relative(width))
    }

    /// A symmetric band `width` points wide on each side.
    pub fn absolute(width: Decimal) -> Self {
        Band::uniform(BandSide::absolute(width))
    }

    /// A band with the same side below and above.
    pub fn uniform(side: BandSide) -> Self {
        Band { below: side, above: side }
    }

    /// The lower and upper edges, in percent, for a model targeted at `target` percent,
    /// clamped to `[0, 100]`.
    pub fn bounds(&self, target: Decimal) -> (Decimal, Decimal) {
        let lower = (target - self.below.half_width(target)).max(Decimal::ZERO);
        let upper = (target + self.above.half_width(target)).min(Decimal::ONE_HUNDRED);
        (lower, upper)
    }

    /// Checks widths, floors and caps, naming fields under `field`.
    pub(crate) fn validate(&self, field: Field<'_>) -> Result<()> {
        if self.below == self.above {
            self.below.validate(field)
        } else {
            self.below.validate(&|| format!("{}.below", field()))?;
            self.above.validate(&|| format!("{}.above", field()))
        }
    }
}

impl std::fmt::Display for BandSide {
    /// The side in words: `relative 10%`, `absolute 2 pts`, `relative 25% capped at 5 pts`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            BandKind::Relative => write!(f, "relative {}%", self.width.normalize())?,
            BandKind::Absolute => write!(f, "absolute {} pts", self.width.normalize())?,
        }
        match (self.floor, self.cap) {
            (Some(floor), Some(cap)) => write!(f, " (floor {} pts, cap {} pts)", floor.normalize(), cap.normalize()),
            (Some(floor), None) => write!(f, " with a {} pt floor", floor.normalize()),
            (None, Some(cap)) => write!(f, " capped at {} pts", cap.normalize()),
            (None, None) => Ok(()),
        }
    }
}

impl std::fmt::Display for Band {
    /// The band in words: one side, or `below: …, above: …`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal_macros::dec;
    /// use uma_engine::{Band, BandSide};
    /// let five_twenty_five = Band::uniform(BandSide { cap: Some(dec!(5)), ..BandSide::relative(dec!(25)) });
    /// assert_eq!(five_twenty_five.to_string(), "relative 25% capped at 5 pts");
    /// let split = Band { below: BandSide::absolute(dec!(2)), above: BandSide::relative(dec!(10)) };
    /// assert_eq!(split.to_string(), "below: absolute 2 pts, above: relative 10%");
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.below == self.above {
            write!(f, "{}", self.below)
        } else {
            write!(f, "below: {}, above: {}", self.below, self.above)
        }
    }
}

/// The JSON shape of a band: a flat side, two sides, or a flat side with one direction
/// overridden.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BandRepr {
    kind: Option<BandKind>,
    #[serde(default, deserialize_with = "crate::json::optional_decimal")]
    width: Option<Decimal>,
    #[serde(default, deserialize_with = "crate::json::optional_decimal")]
    floor: Option<Decimal>,
    #[serde(default, deserialize_with = "crate::json::optional_decimal")]
    cap: Option<Decimal>,
    below: Option<BandSide>,
    above: Option<BandSide>,
}

impl<'de> Deserialize<'de> for Band {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let repr = BandRepr::deserialize(deserializer)?;
        let flat = match (repr.kind, repr.width) {
            (Some(kind), Some(width)) => Some(BandSide { kind, width, floor: repr.floor, cap: repr.cap }),
            (None, None) if repr.floor.is_none() && repr.cap.is_none() => None,
            (None, _) => return Err(D::Error::missing_field("kind")),
            (Some(_), None) => return Err(D::Error::missing_field("width")),
        };
        match (repr.below.or(flat), repr.above.or(flat)) {
            (Some(below), Some(above)) => Ok(Band { below, above }),
            _ => Err(D::Error::custom("a band needs `kind` and `width`, or both `below` and `above` sides")),
        }
    }
}

impl Serialize for Band {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        if self.below == self.above {
            self.below.serialize(serializer)
        } else {
            let mut s = serializer.serialize_struct("Band", 2)?;
            s.serialize_field("below", &self.below)?;
            s.serialize_field("above", &self.above)?;
            s.end()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn parse(json: &str) -> std::result::Result<Band, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn paper_seventy_thirty_bands() {
        let band = Band::relative(dec!(8));
        assert_eq!(band.bounds(dec!(70)), (dec!(64.4), dec!(75.6)));
        assert_eq!(band.bounds(dec!(30)), (dec!(27.6), dec!(32.4)));
    }

    #[test]
    fn floors_caps_and_clamping() {
        let check = |band: Band, target: Decimal, want: (Decimal, Decimal)| {
            assert_eq!(band.bounds(target), want, "{band:?} at {target}");
        };
        let five_twenty_five = Band::uniform(BandSide { cap: Some(dec!(5)), ..BandSide::relative(dec!(25)) });
        check(five_twenty_five, dec!(40), (dec!(35), dec!(45)));
        check(five_twenty_five, dec!(8), (dec!(6), dec!(10)));
        let floored = Band::uniform(BandSide { floor: Some(dec!(1)), ..BandSide::relative(dec!(20)) });
        check(floored, dec!(2), (dec!(1), dec!(3)));
        check(floored, dec!(10), (dec!(8), dec!(12)));
        check(Band::absolute(dec!(5)), dec!(3), (dec!(0), dec!(8)));
        check(Band::absolute(dec!(5)), dec!(98), (dec!(93), dec!(100)));
        let split = Band { below: BandSide::absolute(dec!(2)), above: BandSide::relative(dec!(10)) };
        check(split, dec!(50), (dec!(48), dec!(55)));
    }

    #[test]
    fn json_forms() {
        assert_eq!(parse(r#"{"kind":"relative","width":"10"}"#), Ok(Band::relative(dec!(10))));
        assert_eq!(parse(r#"{"kind":"absolute","width":2}"#), Ok(Band::absolute(dec!(2))));
        let split = parse(r#"{"below":{"kind":"absolute","width":"2"},"above":{"kind":"relative","width":"10"}}"#);
        assert_eq!(split, Ok(Band { below: BandSide::absolute(dec!(2)), above: BandSide::relative(dec!(10)) }));
        let over = parse(r#"{"kind":"relative","width":"10","above":{"kind":"absolute","width":"1"}}"#);
        assert_eq!(over, Ok(Band { below: BandSide::relative(dec!(10)), above: BandSide::absolute(dec!(1)) }));
        assert!(parse(r#"{"kind":"relative"}"#).unwrap_err().contains("width"));
        assert!(parse(r#"{"width":"3"}"#).unwrap_err().contains("kind"));
        assert!(parse(r#"{"below":{"kind":"absolute","width":"2"}}"#).unwrap_err().contains("both"));
        assert!(parse(r#"{"kind":"wide","width":"2"}"#).unwrap_err().contains("relative"));
        for band in [Band::relative(dec!(10)), split.unwrap()] {
            let json = serde_json::to_string(&band).unwrap();
            assert_eq!(parse(&json), Ok(band), "{json}");
        }
    }
}
