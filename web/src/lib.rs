//! UMA Rebalance Lab in the browser: a Leptos (client-side rendering) app that runs the
//! engine compiled to wasm. No server and no network request beyond the page's own files.
//!
//! State is one scenario ([`state::Lab`]); the drift report, the rebalance and every
//! analysis are memos derived from it. Components only render and turn events into new
//! scenarios: every rule lives in `uma-engine`.
//!
//! Modules import downward only: the [`app`] from the [`page`]'s components, the
//! [`panels`] from each [`panel`], every view from [`ui`], [`state`] and [`host`]; no
//! module imports from its parent, and nothing inside the crate imports through this
//! root, whose re-exports are for the binaries and the tests.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod app;
pub mod bridge;
pub mod host;
pub mod jobs;
#[cfg(feature = "js-api")]
pub mod js_api;
pub mod page;
pub mod panel;
pub mod panels;
pub mod persist;
pub mod presets;
pub mod state;
pub mod ui;

pub use app::App;
