//! The engine's one error type: every variant is something a user can fix, and its
//! message names the field (as a JSON path such as `strategy.models[2].target`) and the
//! offending value.

use rust_decimal::Decimal;

use crate::date::Date;
use crate::money::format_money;

/// Why a scenario cannot be rebalanced.
///
/// Messages are complete sentences meant for the person who wrote the scenario: the CLI
/// prints them as they are, the web app shows them inline, and the JavaScript API throws
/// them as `Error` messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is not JSON, or a field has the wrong type or is missing.
    #[error("{}{message}{}", path_prefix(path), position_suffix(*position))]
    Format {
        /// Where in the document the problem is (`strategy.models[0].target`), empty at
        /// the top level or when the text is not JSON at all.
        path: String,
        /// What the parser expected there.
        message: String,
        /// Where in the text the parser stopped, when the input was text a person wrote
        /// (none for a CSV error, whose path names the line).
        position: Option<TextPosition>,
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
    /// An id or symbol has spaces around it, control characters, a comma or a quote.
    #[error("{field}: the id {id:?} may have no spaces around it, no control characters, no comma or quote, and at most 64 characters")]
    BadId {
        /// The id's field.
        field: String,
        /// The id, quoted in the message as written.
        id: String,
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
    /// A list the input must fill is empty (a market's models, a grid's axes).
    #[error("{field}: {needs}")]
    EmptyChoice {
        /// The list's path, e.g. `grid.looks` or `market.models`.
        field: String,
        /// What must be chosen, in words.
        needs: &'static str,
    },
    /// A number that is not a decimal (a random market's return, volatility or length)
    /// lies outside the range its field allows.
    #[error("{field}: {value} is outside {expected}")]
    NumberOutOfRange {
        /// The field's path.
        field: String,
        /// The value found, as written.
        value: String,
        /// The allowed range, in words.
        expected: &'static str,
    },
    /// A correlation matrix has not one row per model.
    #[error("{field}: expected {expected} rows, one per model")]
    CorrelationRows {
        /// The matrix's path.
        field: String,
        /// How many rows there should be.
        expected: usize,
    },
    /// A row of a correlation matrix has not one entry per model.
    #[error("{field}: row {row} has {found} entries, not {expected}")]
    CorrelationRow {
        /// The matrix's path.
        field: String,
        /// The row, from 0.
        row: usize,
        /// Its entries.
        found: usize,
        /// How many there should be.
        expected: usize,
    },
    /// A matrix is not a correlation matrix: not symmetric, not 1 on the diagonal, an
    /// entry outside -1 to 1, or not positive definite.
    #[error("{field}: {why}")]
    NotACorrelation {
        /// The matrix's path.
        field: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// Securities, holdings, prices or mandates in a file that says format version 1.
    #[error("version: securities, holdings, prices and mandates need scenario format version 2; set \"version\": 2")]
    NeedsVersion2,
    /// A sleeve's value disagrees with what its holdings and cash are worth.
    #[error(
        "{field}: {} does not match the sleeve's holdings and cash ({}); leave the value out, or make it agree",
        format_money(*given),
        format_money(*worth)
    )]
    ValueMismatch {
        /// The sleeve's `value` field.
        field: String,
        /// The value written.
        given: Decimal,
        /// What the holdings and cash are worth.
        worth: Decimal,
    },
    /// A security's symbol is blank.
    #[error("{field}: a security's symbol must not be empty")]
    EmptySymbol {
        /// The symbol's field.
        field: String,
    },
    /// A sleeve lists one security twice.
    #[error("{field}: {symbol} is listed twice in this sleeve; give each security one holding")]
    DuplicateHolding {
        /// The later holding's symbol field.
        field: String,
        /// The security.
        symbol: String,
    },
    /// A model lists one security twice.
    #[error("{field}: {symbol} is listed twice in this model")]
    DuplicateSecurity {
        /// The later security's symbol field.
        field: String,
        /// The security.
        symbol: String,
    },
    /// One security is given two prices.
    #[error("{field}: {symbol} is priced {price} here and {other} elsewhere; a security has one price")]
    PriceConflict {
        /// The later price's field.
        field: String,
        /// The security.
        symbol: String,
        /// The price here.
        price: Decimal,
        /// The price given earlier.
        other: Decimal,
    },
    /// A holding has no price, on itself or in the account's prices.
    #[error("{field}: no price for {symbol}: give the holding a price, or add it to account.prices")]
    HoldingUnpriced {
        /// The holding's price field.
        field: String,
        /// The security.
        symbol: String,
    },
    /// A security the sleeves may buy (a model's, a replacement, a proxy) has no price.
    #[error("{field}: no price for {symbol}: add it to account.prices")]
    NoPrice {
        /// The field naming the security.
        field: String,
        /// The security.
        symbol: String,
    },
    /// A tax lot was bought after the date the account is valued.
    #[error("{field}: {acquired} is after the account's as_of date")]
    AcquiredAfterAsOf {
        /// The lot's `acquired` field.
        field: String,
        /// The date found.
        acquired: Date,
    },
    /// Two tax lots share an id.
    #[error("{field}: the lot id {id:?} is already used by {first}")]
    DuplicateLot {
        /// The later lot's id field.
        field: String,
        /// The id.
        id: String,
        /// The earlier lot's path.
        first: String,
    },
    /// The specific lot method names a lot the account does not have.
    #[error("{field}: no lot of the account has the id {id:?}")]
    UnknownLot {
        /// The name's field.
        field: String,
        /// The id named.
        id: String,
    },
    /// A tax lot of no shares.
    #[error("{field}: a tax lot of 0 shares holds nothing; remove it")]
    EmptyLot {
        /// The lot's `shares` field.
        field: String,
    },
    /// A holding's lots do not add up to its shares.
    #[error("{field}: the lots hold {lots} shares but the holding {holding}; the lots must add up to the holding")]
    LotsDoNotAdd {
        /// The holding's `lots` field.
        field: String,
        /// The shares in the lots.
        lots: Decimal,
        /// The holding's shares.
        holding: Decimal,
    },
    /// A model mixes weight-based and share-based securities.
    #[error("{field}: a model is weight-based or share-based: give every security a weight, or every one shares")]
    MixedModel {
        /// The model's `securities` field.
        field: String,
    },
    /// A model security has neither a weight nor shares, or both.
    #[error("{field}: give a weight or a number of shares")]
    WeightOrShares {
        /// The security's field.
        field: String,
    },
    /// A security's least weight is above its greatest.
    #[error("{field}: the least weight {min} is above the greatest {max}")]
    MinAboveMax {
        /// The `min` field.
        field: String,
        /// The least weight.
        min: Decimal,
        /// The greatest weight.
        max: Decimal,
    },
    /// A weight-based model's weights make more than 100%.
    #[error("{field}: the weights make {total}%; they may make 100% at most (the rest is cash)")]
    WeightsOver {
        /// The model's `securities` field.
        field: String,
        /// Their total.
        total: Decimal,
    },
    /// A share-based model's unit holds no shares.
    #[error("{field}: a share-based model needs some shares per unit")]
    NoUnitShares {
        /// The model's `securities` field.
        field: String,
    },
    /// An account cash target on a strategy that holds only cash.
    #[error("{field}: the strategy holds only cash, so there are no model targets to scale")]
    CashOnlyStrategy {
        /// The mandate's `cash_target` field.
        field: String,
    },
    /// A tax-aware account without the date it is valued.
    #[error("{field}: a tax-aware account needs the date it is valued, to tell short-term from long-term gains")]
    NeedsAsOf {
        /// The account's `as_of` field.
        field: String,
    },
    /// A market path takes the account out of what the engine handles on some date.
    #[error("prices on {date}: the account would be worth {value}, {why}; the market path takes it out of what the engine handles")]
    PathOutOfRange {
        /// The first date it happens.
        date: Date,
        /// What the account would be worth, in dollars.
        value: String,
        /// Why that cannot be: above the cap, or nothing.
        why: &'static str,
    },
    /// An amount is above the largest its field allows.
    #[error("{field}: {} is above the cap of {}", format_money(*value), format_money(*cap))]
    AboveCap {
        /// The field's path.
        field: String,
        /// The amount found.
        value: Decimal,
        /// The largest allowed.
        cap: Decimal,
    },
    /// A strategy of a book file breaks a rule of strategies; `error` names the field as
    /// in a scenario file (`strategy.models[0].target`).
    #[error("strategies[{index}] ({id:?}): {error}")]
    InBookStrategy {
        /// The strategy's place in the book's `strategies`, from 0.
        index: usize,
        /// The strategy's id, as written.
        id: String,
        /// What is wrong with it.
        error: Box<Error>,
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

/// A line and column (both from 1) in a text the engine read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextPosition {
    /// The line.
    pub line: usize,
    /// The column.
    pub column: usize,
}

impl Error {
    /// A format error as text without a position: the message, say, for input that was
    /// not written by a person as text (a JavaScript object, whose lines and columns only
    /// exist in the text made from it). Other errors are returned as they are.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = uma_engine::Scenario::from_json("{\"strategy\": 3}").unwrap_err();
    /// assert!(err.to_string().ends_with("at line 1 column 14"));
    /// assert_eq!(err.without_position().to_string(), "strategy: invalid type: integer `3`, expected an object");
    /// ```
    pub fn without_position(self) -> Error {
        match self {
            Error::Format { path, message, .. } => Error::Format { path, message, position: None },
            other => other,
        }
    }
}

fn position_suffix(position: Option<TextPosition>) -> String {
    position.map_or_else(String::new, |p| format!(" at line {} column {}", p.line, p.column))
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
