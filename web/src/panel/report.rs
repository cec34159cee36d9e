//! The report a client can be handed: what "Print / save as PDF" prints. It is the page's
//! account as the engine describes it for people (the drift table and the rebalance with
//! its sentences, the same text as the CLI's `--format table`), the strategy's settings as
//! assumptions, and a disclosure line; the print stylesheet shows it alone. An on-demand
//! panel: the page itself carries none of the engine's text formatting.

use leptos::prelude::*;
use uma_engine::range_label;

use crate::host::host;

/// The printed report.
#[component]
pub fn Report() -> impl IntoView {
    let host = host();
    let drift = move || host.scenario.with(|s| uma_engine::drift(s).map(|d| d.to_string()).unwrap_or_default());
    let plan = move || host.scenario.with(|s| uma_engine::rebalance(s).map(|r| r.to_string()).unwrap_or_default());
    let assumptions = move || {
        host.scenario.with(|s| {
            let models: Vec<String> = s
                .strategy
                .models
                .iter()
                .map(|m| format!("{} {}% (band {})", m.label(), m.target.normalize(), s.strategy.band_of(m)))
                .collect();
            format!(
                "Models and targets: {}. Cash target {}%. Range: {}. Passes of {}% of the account.",
                models.join("; "),
                s.cash_target().normalize(),
                range_label(s.strategy.range),
                s.strategy.step.normalize()
            )
        })
    };
    view! {
        <section class="report" data-testid="report" aria-label="Report">
            <h2>"UMA rebalance report"</h2>
            <h3>"The strategy"</h3>
            <p data-testid="report-assumptions">{assumptions}</p>
            <h3>"Drift before the rebalance"</h3>
            <pre data-testid="report-drift">{drift}</pre>
            <h3>"The rebalance, step by step"</h3>
            <pre data-testid="report-plan">{plan}</pre>
            <p class="disclosure" data-testid="report-disclosure">
                "An illustration of the rebalancing methodology on the account as entered, not investment advice: actual trades depend on prices, holdings, restrictions and the managers' settings when they are made. Computed in the browser by UMA Rebalance Lab; nothing left the page."
            </p>
        </section>
    }
}
