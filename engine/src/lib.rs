//! The UMA Rebalance Lab engine: strategies of weighted models with tolerance bands, and
//! the strategic (multi-model) rebalance of a Unified Managed Account, explained step by
//! step.
//!
//! The engine is pure: plain data in, plain data out, no I/O, no panics on any input.
//! Money and weights are [`Decimal`]s; every amount traded is a whole number of cents.
//!
//! - [`Scenario`] (a [`Strategy`] and an [`Account`]) is the input, read from JSON with
//!   [`Scenario::from_json`] and checked by [`Scenario::validate`].
//! - [`drift`] reports each model's weight, drift and band status.
//! - [`rebalance`] runs the strategic rebalance and returns a [`Rebalance`]: each model
//!   before and after, and the [`Step`]s of its trace; [`rebalance_with_flow`] does the
//!   same with a deposit or withdrawal.
//! - [`compare_ranges`] and [`interior_curve`] show what each range mode leaves in motion;
//!   [`smallest_deposit`] finds the deposit that restores the bands without a sale.
//! - [`simulate`] runs a strategy through a [`MarketPath`] with a look frequency and a
//!   [`Policy`], recording every rebalance and the run's [`Metrics`]; [`run_grid`] runs a
//!   [`Grid`] of configurations on one market and [`monte_carlo`] on many seeded random
//!   ones.
//! - [`Batch`] rebalances a [`Book`] of business (many accounts under a few strategies)
//!   one account at a time, with a [`Summary`] and a what-if [`Sweep`] of band settings.
//!
//! # Examples
//!
//! ```
//! use rust_decimal_macros::dec;
//! use uma_engine::{Account, Band, Model, Range, Scenario, Sleeve, Strategy};
//!
//! let model = |id: &str, target| Model::new(id, "", target);
//! let scenario = Scenario {
//!     version: uma_engine::FORMAT_VERSION,
//!     strategy: Strategy {
//!         models: vec![model("growth", dec!(70)), model("value", dec!(30))],
//!         cash_target: dec!(0),
//!         band: Band::relative(dec!(8)),
//!         range: Range::Target,
//!         step: dec!(1),
//!     },
//!     account: Account {
//!         sleeves: vec![Sleeve::valued("growth", dec!(77000)), Sleeve::valued("value", dec!(23000))],
//!         ..Account::default()
//!     },
//! };
//! let report = uma_engine::drift(&scenario)?;
//! assert!(report.triggered);
//! let result = uma_engine::rebalance(&scenario)?;
//! assert_eq!(result.models[0].trade, dec!(-7000));
//! assert_eq!(result.models[1].weight_after, dec!(30));
//! # Ok::<(), uma_engine::Error>(())
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

// The modules, from the leaves up: each imports only modules listed before it
// (ARCHITECTURE.md draws the layers; `cargo xtask test` checks the direction).
mod account;
mod alerts;
mod band;
mod batch;
mod book;
mod check;
mod compare;
mod csv_rows;
mod date;
mod deposit;
mod drift;
mod edit;
mod error;
mod holdings;
mod holdings_csv;
mod json;
mod mandates;
mod money;
mod orders;
mod outcome;
mod positions;
mod prices;
mod rebalance;
mod scenario;
mod securities;
mod strategic;
mod strategy;
mod table;
mod tactical;
mod tax;
mod through_time;
mod trace;

pub use account::{Account, Sleeve};
pub use alerts::{Alert, AlertKind};
pub use band::{Band, BandKind, BandSide};
pub use batch::{
    accounts_from_csv, accounts_to_csv, book_blotter_header, demo_account, demo_book, read_account_line, sweep_grid,
    AccountOutcome, AccountRecord, AccountResult, Batch, Book, BookStrategy, ModelLine, ModelSummary, ReadAccount,
    Rejected, Setting, StepLine, StrategySummary, Summary, Sweep, SweepRow, SweepTable,
};
pub use book::Status;
pub use check::{MAX_ACCOUNT_VALUE, MAX_PERCENT_DECIMALS};
pub use compare::{compare_ranges, interior_curve, range_label, CurvePoint, ModeOutcome};
pub use date::{Date, DateError};
pub use deposit::{smallest_deposit, DepositBuy, DepositPlan};
pub use drift::{drift, Bounds, DriftReport, ModelDrift, Points};
pub use edit::{value_edit_words, with_restriction, with_return, with_tax, with_value, with_weight};
pub use error::{Error, Result, TextPosition};
pub use holdings::{Holding, Lot, RecentTrade, TradeSide};
pub use holdings_csv::import_holdings;
pub use mandates::{AlertSettings, LotMethod, Mandates, Restriction, TaxSettings};
pub use money::{
    format_dollars, format_fraction, format_money, format_percent, format_points, round_points, to_f64, CENT,
};
pub use orders::{
    Note, NoteKind, Order, OrderSide, Reason, SleeveTrades, Tactical, Warning, WarningKind, BLOTTER_COLUMNS,
};
pub use outcome::{ModelOutcome, Rebalance};
pub use positions::{sleeve_securities, SecurityLine};
pub use rebalance::{rebalance, rebalance_with_flow};
pub use rust_decimal::Decimal;
pub use scenario::{Scenario, FORMAT_VERSION};
pub use securities::{ModelSecurity, TacticalSettings, UnspentCash};
pub use strategic::{rebalance_strategic, rebalance_to_target};
pub use strategy::{Model, Range, Strategy};
pub use tax::{LotSale, Term, WASH_SALE_DAYS};
pub use through_time::calendar::Look;
pub use through_time::grid::{run_grid, run_variant, Grid, GridRow, GridRun, Variant};
pub use through_time::growth::{drawdown, growth, Growth, PolicyGrowth};
pub use through_time::monte_carlo::{
    monte_carlo, path_seed, sample_path, versus_words, MetricSpreads, MonteCarlo, MonteCarloRow, MAX_PATHS,
};
pub use through_time::paired::Paired;
pub use through_time::path::{suggest_columns, MarketPath, MAX_PATH_PRICES};
pub use through_time::random_market::{uniform_correlation, Frequency, RandomMarket, RandomModel};
pub use through_time::simulate::{
    Detail, Metrics, Policy, RebalanceEvent, Series, Simulation, SimulationConfig, Trade,
};
pub use through_time::spread::Spread;
pub use through_time::trade_off::{efficient, efficient_points, outlier_points, outliers};
pub use through_time::walk::{simulate, simulate_each};
pub use trace::{pool_words, Phase, Step};
