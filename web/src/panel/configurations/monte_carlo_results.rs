//! A Monte Carlo run's results: each configuration's metrics over the paths.

use leptos::prelude::*;
use uma_engine::{format_money, MetricSpreads, MonteCarloRow, Spread};

use crate::ui::numbers::{fraction_percent as pct, to_decimal};

fn spread_cell(s: Spread, show: fn(f64) -> String) -> impl IntoView {
    view! {
        <td>
            <strong>{show(s.median)}</strong>
            <span class="range">{format!("{} – {}", show(s.p5), show(s.p95))}</span>
        </td>
    }
}

/// Each configuration's metrics over the paths: median, and 5th to 95th percentile.
#[component]
pub fn MonteCarloResults(rows: Vec<MonteCarloRow>) -> impl IntoView {
    let paths = rows.first().map_or(0, |r| r.paths);
    let count = |x: f64| format!("{x:.0}");
    let points = |x: f64| format!("{x:.2}");
    let money = |x: f64| format_money(to_decimal(x, 2));
    view! {
        <div class="table-scroll">
            <table class="mc-results" data-testid="mc-table">
                <caption>{format!("Median, and 5th – 95th percentile, over {paths} paths")}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Configuration"</th>
                        <th scope="col">"Rebalances"</th>
                        <th scope="col">"Turnover / yr"</th>
                        <th scope="col">"Tracking error"</th>
                        <th scope="col">"Drift avg (pts)"</th>
                        <th scope="col">"Drift max (pts)"</th>
                        <th scope="col">"Return / yr"</th>
                        <th scope="col">"Max drawdown"</th>
                        <th scope="col">"Ending value"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            let s: MetricSpreads = r.spreads;
                            view! {
                                <tr data-testid="mc-row">
                                    <th scope="row">{r.label}</th>
                                    {spread_cell(s.rebalances, count)}
                                    {spread_cell(s.turnover_per_year, pct)}
                                    {spread_cell(s.tracking_error, pct)}
                                    {spread_cell(s.average_drift, points)}
                                    {spread_cell(s.max_drift, points)}
                                    {spread_cell(s.annualized_return, pct)}
                                    {spread_cell(s.max_drawdown, pct)}
                                    {spread_cell(s.final_value, money)}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
