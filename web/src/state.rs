//! The app's state: the scenario, and everything derived from it.
//!
//! State is one [`Scenario`]; the validation, the drift report and the rebalance are
//! memos of it, so every view reads the same derived values and nothing is computed
//! twice. The player's position is the only other piece of state that views share.

use leptos::prelude::*;
use uma_engine::{DriftReport, Error, Rebalance, Scenario};

/// The shared state, provided by [`crate::App`] as a context.
#[derive(Clone, Copy)]
pub struct Lab {
    /// The scenario being explored: what the URL, the autosave and the exports hold.
    pub scenario: RwSignal<Scenario>,
    /// Its drift report, or why it cannot be computed.
    pub drift: Memo<Result<DriftReport, Error>>,
    /// Its strategic rebalance, or why it cannot be run.
    pub plan: Memo<Result<Rebalance, Error>>,
    /// How many steps of the rebalance the player has applied (0: the account as it is).
    pub step: RwSignal<usize>,
    /// A message about loading, importing or a field that could not be applied.
    pub notice: RwSignal<Option<String>>,
}

impl Lab {
    /// State starting from `scenario`.
    pub fn new(scenario: Scenario) -> Lab {
        let scenario = RwSignal::new(scenario);
        let drift = Memo::new(move |_| scenario.with(uma_engine::drift));
        let plan = Memo::new(move |_| scenario.with(uma_engine::rebalance));
        Lab { scenario, drift, plan, step: RwSignal::new(0), notice: RwSignal::new(None) }
    }

    /// Changes the scenario in place; the player goes back to the start.
    pub fn edit(&self, change: impl FnOnce(&mut Scenario)) {
        self.scenario.update(change);
        self.step.set(0);
    }

    /// Replaces the scenario with the result of an engine edit, or shows why it failed.
    pub fn apply(&self, result: Result<Scenario, Error>) {
        match result {
            Ok(next) => {
                self.notice.set(None);
                self.edit(|s| *s = next);
            }
            Err(e) => self.notice.set(Some(e.to_string())),
        }
    }
}

/// The app's [`Lab`].
///
/// # Panics
///
/// Outside [`crate::App`], which provides it.
pub fn lab() -> Lab {
    expect_context::<Lab>()
}
