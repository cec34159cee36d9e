//! The strategy through time: a market path (history, a prices CSV or a seeded random
//! market), the dates the bands are looked at, the run of a rebalance policy along the
//! path with its metrics, grids of configurations and Monte Carlo over many paths.
//!
//! - [`calendar`]: look frequencies (which dates of a path are looked at);
//! - [`path`]: market paths from CSV or a seeded random market;
//! - [`simulate`](mod@simulate): the policies, the result and its metrics; [`walk`]: the
//!   run of one policy along one path;
//! - [`grid`]: many configurations on one path;
//! - [`growth`]: every policy's growth and drawdown on one path, against never;
//! - [`monte_carlo`]: configurations on many seeded paths, with percentile spreads.

pub(crate) mod calendar;
pub(crate) mod grid;
pub(crate) mod growth;
pub(crate) mod monte_carlo;
pub(crate) mod paired;
pub(crate) mod path;
pub(crate) mod random_market;
pub(crate) mod simulate;
pub(crate) mod spread;
pub(crate) mod trade_off;
pub(crate) mod trading_days;
pub(crate) mod walk;
