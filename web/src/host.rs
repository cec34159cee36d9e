//! What the panels of the `uma-panels` module need from the page that hosts them, and
//! where on the page each of them goes. The page (`uma-web`) holds what an advisor needs
//! first; the other panels (the range modes compared, cash flows, the securities in the
//! sleeves, and the simulator through time) are a wasm module of their own, which the
//! page imports once it is interactive (see [`crate::bridge`] and [`crate::panels`]).
//!
//! - [`Host`] is all the panels need from the page: the settled scenario, a way to replace
//!   it, and a way to open a rebalance in the page's player. [`Host::of`] makes one from a
//!   [`Lab`] in the same module; [`crate::bridge::host_from_bridge`] one across modules.
//! - [`PanelRoot`] is the element of the page each panel mounts into.

use leptos::prelude::*;
use uma_engine::{Rebalance, Scenario};

use crate::state::Lab;

/// What a panel needs from the page that hosts it.
#[derive(Clone, Copy)]
pub struct Host {
    /// The scenario once edits pause; it may be invalid, and the view then says why.
    pub scenario: Signal<Scenario>,
    /// Opens a rebalance, with a title, in the page's player.
    pub open_replay: Callback<(String, Rebalance)>,
    /// Replaces the page's scenario (a panel's edit: a restriction, imported holdings).
    pub replace: Callback<Scenario>,
}

impl Host {
    /// The host of a view in the same module as the page.
    pub fn of(lab: Lab) -> Host {
        Host {
            scenario: lab.settled.into(),
            open_replay: Callback::new(move |(title, plan): (String, Rebalance)| open_in_player(lab, title, plan)),
            replace: Callback::new(move |scenario: Scenario| lab.edit(|s| *s = scenario)),
        }
    }
}

/// The view's [`Host`].
///
/// # Panics
///
/// Without one provided.
pub fn host() -> Host {
    expect_context::<Host>()
}

/// Opens `plan`, titled, in the page's player, and scrolls to the band chart, which the
/// player follows, so that both are in view.
pub fn open_in_player(lab: Lab, title: String, plan: Rebalance) {
    lab.open_replay(title, plan);
    if let Some(chart) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("drift-title")) {
        chart.scroll_into_view();
    }
}

/// An element of the page that one panel of the `uma-panels` module mounts into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelRoot {
    /// The range modes compared.
    Compare,
    /// Cash flows: a deposit instead of trades, a withdrawal.
    Flows,
    /// The securities in the sleeves.
    Securities,
    /// The simulator through time.
    Time,
    /// The printed report.
    Report,
}

impl PanelRoot {
    /// Every panel's root, in the page's order.
    pub const ALL: [PanelRoot; 5] =
        [PanelRoot::Compare, PanelRoot::Flows, PanelRoot::Securities, PanelRoot::Time, PanelRoot::Report];

    /// The element's id.
    pub const fn id(self) -> &'static str {
        match self {
            PanelRoot::Compare => "compare-root",
            PanelRoot::Flows => "flows-root",
            PanelRoot::Securities => "securities-root",
            PanelRoot::Time => "time-root",
            PanelRoot::Report => "report-root",
        }
    }
}
