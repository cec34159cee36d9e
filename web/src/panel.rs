//! The panels of the `uma-panels` module, each mounted into its place on the page by
//! [`crate::panels`]: the range modes compared, cash flows, the securities in the sleeves,
//! and the simulator through time (with its market settings and the configurations
//! compared).

pub mod compare;
pub mod configurations;
pub mod flows;
pub mod growth;
pub mod market_settings;
pub mod report;
pub mod securities;
pub mod through_time;
