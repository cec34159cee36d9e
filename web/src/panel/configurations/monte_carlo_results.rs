//! A Monte Carlo run's results: each configuration's metrics over the paths, and each
//! against a baseline the advisor picks, paired on the same paths, ranked in sentences.

use leptos::prelude::*;
use uma_engine::{format_dollars, versus_words, MetricSpreads, MonteCarloRow, Policy, Spread};

use crate::ui::numbers::{fraction_percent as pct, to_decimal};

fn spread_cell(s: Spread, show: fn(f64) -> String) -> impl IntoView {
    view! {
        <td>
            <strong>{show(s.median)}</strong>
            <span class="range">{format!("{} – {}", show(s.p5), show(s.p95))}</span>
        </td>
    }
}

/// Each configuration against the baseline chosen, paired on the same paths: a sentence
/// each, the configuration that saves the most turnover first.
#[component]
fn Versus(rows: StoredValue<Vec<MonteCarloRow>>) -> impl IntoView {
    // Calendar rebalancing, else never rebalancing, else the first, as the first baseline.
    let first = rows.with_value(|rows| {
        let at = |p: Policy| rows.iter().position(|r| r.variant.policy == p);
        at(Policy::Calendar).or_else(|| at(Policy::Never)).unwrap_or(0)
    });
    let baseline = RwSignal::new(first);
    let labels = rows.with_value(|rows| rows.iter().map(|r| r.label.clone()).collect::<Vec<_>>());
    let sentences = move || {
        let base = baseline.get();
        rows.with_value(|rows| {
            let mut order: Vec<usize> = (0..rows.len()).filter(|&k| k != base).collect();
            let saved = |k: usize| rows[k].against.get(base).map_or(0.0, |p| p.turnover_per_year.median);
            order.sort_by(|&a, &b| saved(a).total_cmp(&saved(b)));
            order.into_iter().filter_map(|k| versus_words(rows, k, base)).collect::<Vec<_>>()
        })
    };
    view! {
        <div class="versus" data-testid="mc-versus">
            <label class="field">
                <span class="field-label">"Against the baseline"</span>
                <select
                    data-testid="mc-baseline"
                    prop:value=move || baseline.get().to_string()
                    on:change:target=move |ev| baseline.set(ev.target().value().parse().unwrap_or(0))
                >
                    {labels
                        .into_iter()
                        .enumerate()
                        .map(|(k, label)| view! { <option value=k.to_string()>{label}</option> })
                        .collect_view()}
                </select>
            </label>
            <ol class="ranking" data-testid="mc-ranking">
                {move || sentences().into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
            </ol>
        </div>
    }
}

/// Each configuration's metrics over the paths: median, and 5th to 95th percentile.
#[component]
pub fn MonteCarloResults(rows: Vec<MonteCarloRow>) -> impl IntoView {
    let paths = rows.first().map_or(0, |r| r.paths);
    let stored = StoredValue::new(rows.clone());
    let count = |x: f64| format!("{x:.0}");
    let points = |x: f64| format!("{x:.2}");
    let money = |x: f64| format_dollars(to_decimal(x, 2));
    view! {
        <Versus rows=stored />
        <div class="table-scroll" tabindex="0" role="region" aria-label="Monte Carlo results">
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
