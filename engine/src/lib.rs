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

mod alerts;
mod band;
mod book;
mod calendar;
mod compare;
mod deposit;
mod drift;
mod error;
mod grid;
mod holdings;
mod mandates;
mod market;
mod money;
mod monte_carlo;
mod path;
mod scenario;
mod securities;
mod simulate;
mod strategic;
mod strategy;
mod table;
mod tactical;
mod tax;
mod trace;

pub use alerts::{Alert, AlertKind};
pub use band::{Band, BandKind, BandSide};
pub use book::Status;
pub use calendar::{Date, DateError, Look};
pub use compare::{compare_ranges, interior_curve, range_label, CurvePoint, ModeOutcome};
pub use deposit::{smallest_deposit, DepositBuy, DepositPlan};
pub use drift::{drift, Bounds, DriftReport, ModelDrift, Points};
pub use error::{Error, Result};
pub use grid::{run_grid, run_variant, Grid, GridRow, GridRun, Variant};
pub use holdings::{import_holdings, Holding, Lot, RecentTrade, TradeSide};
pub use mandates::{AlertSettings, LotMethod, Mandates, TaxSettings};
pub use market::{with_return, with_value, with_weight};
pub use money::{format_money, format_percent, CENT};
pub use monte_carlo::{
    monte_carlo, path_seed, sample_path, MetricSpreads, MonteCarlo, MonteCarloRow, Spread, MAX_PATHS,
};
pub use path::{suggest_columns, uniform_correlation, Frequency, MarketPath, RandomMarket, RandomModel};
pub use rust_decimal::Decimal;
pub use scenario::{Account, Scenario, Sleeve, FORMAT_VERSION, MAX_ACCOUNT_VALUE, MAX_PERCENT_DECIMALS};
pub use securities::{ModelSecurity, TacticalSettings, UnspentCash};
pub use simulate::{simulate, Detail, Metrics, Policy, RebalanceEvent, Series, Simulation, SimulationConfig, Trade};
pub use strategic::{
    rebalance, rebalance_strategic, rebalance_to_target, rebalance_with_flow, ModelOutcome, Rebalance,
};
pub use strategy::{Model, Range, Strategy};
pub use tactical::{Note, NoteKind, Order, OrderSide, Reason, SleeveTrades, Tactical, Warning, WarningKind};
pub use tax::{LotSale, Term, WASH_SALE_DAYS};
pub use trace::{Phase, Step};
