//! The engine's one error type: every variant is something a user can fix, and its
//! message names the field (as a JSON path such as `strategy.models[2].target`) and the
//! offending value.

use rust_decimal::Decimal;

/// Why a scenario cannot be rebalanced.
///
/// Messages are complete sentences meant for the person who wrote the scenario: the CLI
/// prints them as they are, the web app shows them inline, and the JavaScript API throws
/// them as `Error` messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is not JSON, or a field has the wrong type or is missing.
    #[error("{}{message}", path_prefix(path))]
    Format {
        /// Where in the document the problem is (`strategy.models[0].target`), empty at
        /// the top level or when the text is not JSON at all.
        path: String,
        /// What the parser expected there.
        message: String,
    },
    /// The scenario declares a format version this engine does not read.
    #[error("version: this engine reads scenario format versions 1 to {supported}, not {found}")]
    UnsupportedVersion {
        /// The version found in the file.
        found: u32,
        /// The version this engine reads.
        supported: u32,
    },
    /// The strategy has no models.
    #[error("strategy.models: a strategy needs at least one model")]
    NoModels,
    /// A number lies outside the range the field allows.
    #[error("{field}: {value} is out of range: {expected}")]
    OutOfRange {
        /// The field's JSON path.
        field: String,
        /// The value found.
        value: Decimal,
        /// The allowed range, in words.
        expected: &'static str,
    },
    /// A band's floor is above its cap, so no half-width satisfies both.
    #[error("{field}: the floor {floor} is above the cap {cap}; a band's floor must not exceed its cap")]
    FloorAboveCap {
        /// The band's JSON path.
        field: String,
        /// The floor, in points.
        floor: Decimal,
        /// The cap, in points.
        cap: Decimal,
    },
    /// The model targets plus the cash target do not make 100%.
    #[error(
        "strategy: the model targets ({models}%) plus cash_target ({cash}%) make {total}%, not 100%: {}",
        shortfall_words(*total)
    )]
    TargetsDoNotSum {
        /// The sum of the model targets.
        models: Decimal,
        /// The cash target.
        cash: Decimal,
        /// Their total.
        total: Decimal,
    },
    /// A model id is empty.
    #[error("{field}: a model id must not be empty")]
    EmptyId {
        /// The field's JSON path.
        field: String,
    },
    /// Two models share an id.
    #[error("{field}: the model id {id:?} is already used by {first}")]
    DuplicateModel {
        /// The later model's id field.
        field: String,
        /// The repeated id.
        id: String,
        /// The earlier model's path.
        first: String,
    },
    /// A sleeve names a model that is not in the strategy.
    #[error("{field}: there is no model {id:?} in the strategy (its models are {known})")]
    UnknownModel {
        /// The sleeve's model field.
        field: String,
        /// The unknown id.
        id: String,
        /// The strategy's model ids, comma-separated.
        known: String,
    },
    /// Two sleeves hold the same model.
    #[error("{field}: model {id:?} already has a sleeve at {first}; give each model one sleeve")]
    DuplicateSleeve {
        /// The later sleeve's model field.
        field: String,
        /// The model id.
        id: String,
        /// The earlier sleeve's path.
        first: String,
    },
    /// An amount of money has more than two decimal places.
    #[error("{field}: {value} has fractions of a cent; amounts are in currency with at most two decimals")]
    SubCent {
        /// The field's JSON path.
        field: String,
        /// The amount.
        value: Decimal,
    },
    /// A percentage has more decimal places than the engine carries.
    #[error("{field}: {value} has more than {max} decimal places")]
    TooPrecise {
        /// The field's JSON path.
        field: String,
        /// The value.
        value: Decimal,
        /// The most decimal places allowed.
        max: u32,
    },
    /// The account holds nothing, so no weight can be computed.
    #[error("account: the account is empty (its sleeves and cash add up to zero); add a sleeve value or cash")]
    EmptyAccount,
    /// A withdrawal takes the whole account or more.
    #[error("flow: a withdrawal of {withdrawal} leaves nothing of an account of {total}; withdraw less than the account holds")]
    WithdrawalTooLarge {
        /// The amount withdrawn.
        withdrawal: Decimal,
        /// The account's value before it.
        total: Decimal,
    },
    /// A random market's parameters cannot describe a market.
    #[error("{field}: {message}")]
    InvalidMarket {
        /// The field's path.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A grid of configurations leaves an axis empty or holds an invalid value.
    #[error("{field}: {message}")]
    InvalidGrid {
        /// The field's path, e.g. `grid.looks`.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A rule of the securities, holdings or mandates (scenario format 2) is broken.
    #[error("{field}: {message}")]
    Invalid {
        /// The field's JSON path.
        field: String,
        /// What is wrong, and how to fix it.
        message: String,
    },
    /// The account is larger than the engine's exact arithmetic covers.
    #[error("account: the total value {total} is above the largest the engine handles ({max})")]
    AccountTooLarge {
        /// The account's total value.
        total: Decimal,
        /// The largest total handled.
        max: Decimal,
    },
}

fn path_prefix(path: &str) -> String {
    if path.is_empty() || path == "." {
        String::new()
    } else {
        format!("{path}: ")
    }
}

fn shortfall_words(total: Decimal) -> String {
    let hundred = Decimal::ONE_HUNDRED;
    if total < hundred {
        points_words(hundred - total, "short")
    } else {
        points_words(total - hundred, "over")
    }
}

/// A convenient alias for results whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

fn points_words(points: Decimal, side: &str) -> String {
    let points = points.normalize();
    let unit = if points == Decimal::ONE { "point" } else { "points" };
    format!("{points} {unit} {side}")
}
