//! The app's state: the scenario, and everything derived from it.
//!
//! State is one [`Scenario`]; the validation, the drift report and the rebalance are
//! memos of it, so every view reads the same derived values and nothing is computed
//! twice. The player's position is the only other piece of state that views share.

use leptos::prelude::*;
use uma_engine::{DriftReport, Error, Rebalance, Scenario};

/// How long edits must pause before [`Lab::settled`] follows them, in milliseconds.
pub const SETTLE_MS: u64 = 120;

/// The shared state, provided by [`crate::app::App`] as a context.
#[derive(Clone, Copy)]
pub struct Lab {
    /// The scenario being explored, changed on every edit and every drag event.
    pub scenario: RwSignal<Scenario>,
    /// The scenario once edits pause ([`SETTLE_MS`] after the last one): what the heavier
    /// analyses, the link, the autosave and the exports follow, so that a drag re-renders
    /// only the chart and the tables that must follow it live.
    pub settled: RwSignal<Scenario>,
    /// Whether the scenario can be rebalanced, or why not (targets not making 100% while
    /// they are retargeted, a bad value).
    pub valid: Memo<Result<(), Error>>,
    /// The scenario the pictures show: the scenario when it is valid, else the last valid
    /// one (shown as such), so that an edit in progress does not empty the page.
    pub shown: Memo<Scenario>,
    /// The drift report of [`Lab::shown`], or why it cannot be computed.
    pub drift: Memo<Result<DriftReport, Error>>,
    /// The rebalance the player shows: the scenario's own strategic rebalance (or why it
    /// cannot be run; the orders inside the sleeves are the securities panel's), or a
    /// [`Replay`] while one is open.
    pub plan: Memo<Result<Rebalance, Error>>,
    /// A rebalance from elsewhere (a date of a simulation through time) opened in the
    /// player; any edit of the scenario closes it.
    pub replay: RwSignal<Option<Replay>>,
    /// How many steps of the rebalance the player has applied (0: the account as it is).
    pub step: RwSignal<usize>,
    /// The drift report of the moment the player shows: the account as it is, or after
    /// the player's step of the rebalance (or of a replay), so that the drift table, the
    /// status and the alerts show what the chart shows.
    pub moment: Memo<Result<DriftReport, Error>>,
    /// That moment in words ("Before the rebalance", "After step 2 of 4"), with the
    /// replay's title while one is open.
    pub moment_words: Memo<String>,
    /// A message about loading, importing or a field that could not be applied.
    pub notice: RwSignal<Option<String>>,
    /// The last edit that can be undone (a model removed, a reset): what it was, and the
    /// scenario before it.
    pub undo: RwSignal<Option<(String, Scenario)>>,
}

impl Lab {
    /// State starting from `scenario`.
    pub fn new(initial: Scenario) -> Lab {
        let settled = RwSignal::new(initial.clone());
        let scenario = RwSignal::new(initial);
        let valid = Memo::new(move |_| scenario.with(Scenario::validate));
        let shown = Memo::new(move |previous: Option<&Scenario>| match (valid.get(), previous) {
            (Err(_), Some(previous)) => previous.clone(),
            _ => scenario.get(),
        });
        let drift = Memo::new(move |_| shown.with(uma_engine::drift));
        let own_plan = Memo::new(move |_| shown.with(uma_engine::rebalance_strategic));
        let replay = RwSignal::new(None::<Replay>);
        let plan = Memo::new(move |_| match replay.get() {
            Some(replay) => Ok(replay.plan),
            None => own_plan.get(),
        });
        // At the edge: a timer that copies the scenario to `settled` once edits pause.
        let pending = StoredValue::new(None::<TimeoutHandle>);
        Effect::new(move |_| {
            scenario.track();
            if let Some(handle) = pending.get_value() {
                handle.clear();
            }
            // The app may be unmounted before the timer fires: then there is nothing to do.
            let copy = move || {
                let Some(now) = scenario.try_get_untracked() else { return };
                if settled.try_with_untracked(|s| *s != now) == Some(true) {
                    settled.set(now);
                }
            };
            pending.set_value(set_timeout_with_handle(copy, std::time::Duration::from_millis(SETTLE_MS)).ok());
        });
        on_cleanup(move || {
            if let Some(handle) = pending.try_get_value().flatten() {
                handle.clear();
            }
        });
        let step = RwSignal::new(0);
        let moment = Memo::new(move |_| {
            let step = step.get();
            if step == 0 && replay.with(Option::is_none) {
                return drift.get();
            }
            let at = plan.with(|p| p.as_ref().map(|p| shown.with(|s| p.account_at(s, step))).map_err(Clone::clone))?;
            uma_engine::drift(&at)
        });
        let moment_words = Memo::new(move |_| {
            let words = plan.with(|p| p.as_ref().map(|p| p.moment_words(step.get())).unwrap_or_default());
            match replay.with(|r| r.as_ref().map(|r| r.title.clone())) {
                Some(title) => format!("{title}: {}", words.to_lowercase()),
                None => words,
            }
        });
        Lab {
            scenario,
            settled,
            valid,
            shown,
            drift,
            plan,
            replay,
            step,
            moment,
            moment_words,
            notice: RwSignal::new(None),
            undo: RwSignal::new(None),
        }
    }

    /// Changes the scenario in place; the player goes back to the start of the
    /// scenario's own rebalance.
    pub fn edit(&self, change: impl FnOnce(&mut Scenario)) {
        self.scenario.update(change);
        if self.replay.with_untracked(Option::is_some) {
            self.replay.set(None);
        }
        self.step.set(0);
    }

    /// Changes the scenario as [`Lab::edit`] does, and keeps the scenario before so that
    /// the change (`what`, e.g. "removing Mid Cap") can be undone.
    pub fn edit_undoable(&self, what: String, change: impl FnOnce(&mut Scenario)) {
        let before = self.scenario.get_untracked();
        self.edit(change);
        self.undo.set(Some((what, before)));
    }

    /// Undoes the last undoable edit.
    pub fn undo(&self) {
        if let Some((_, before)) = self.undo.get_untracked() {
            self.undo.set(None);
            self.edit(|s| *s = before);
        }
    }

    /// Opens `plan` in the player, at its start.
    pub fn open_replay(&self, title: String, plan: Rebalance) {
        self.replay.set(Some(Replay { title, plan }));
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

/// A rebalance shown in the player instead of the scenario's own.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    /// What it is, e.g. "Rebalance of 1987-10-30 in the run through time (strategic policy)".
    pub title: String,
    /// The rebalance.
    pub plan: Rebalance,
}

/// The app's [`Lab`].
///
/// # Panics
///
/// Outside [`crate::app::App`], which provides it.
pub fn lab() -> Lab {
    expect_context::<Lab>()
}
