//! The drift report as a table, under the band chart: its text equivalent.

use leptos::prelude::*;
use uma_engine::{format_money, format_percent, format_points, DriftReport};

use crate::ui::status::status_class;

/// The drift report as a table: the band chart's text equivalent.
#[component]
pub fn DriftTable(
    /// The report to show.
    report: DriftReport,
) -> impl IntoView {
    let summary = report.summary();
    view! {
        <p class="summary" data-testid="drift-summary">{summary}</p>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Drift of each model">
            <table class="drift" data-testid="drift-table">
                <thead>
                    <tr>
                        <th scope="col">"Model"</th>
                        <th scope="col">"Value"</th>
                        <th scope="col">"Weight"</th>
                        <th scope="col">"Target"</th>
                        <th scope="col">"Drift"</th>
                        <th scope="col">"Band and rebalance points"</th>
                        <th scope="col">"Status"</th>
                    </tr>
                </thead>
                <tbody>
                    {report
                        .models
                        .into_iter()
                        .map(|m| {
                            view! {
                                <tr data-testid=format!("drift-{}", m.id)>
                                    <th scope="row">{m.name}</th>
                                    <td>{format_money(m.value)}</td>
                                    <td data-testid="weight">{format_percent(m.weight)}</td>
                                    <td>{format_percent(m.target)}</td>
                                    <td>
                                        {format!("{} pts", format_points(m.drift_points))}
                                        <span class="second">{format_money(m.drift_value)}</span>
                                    </td>
                                    <td>
                                        {format!("{} – {}", format_percent(m.band.lower), format_percent(m.band.upper))}
                                        <span class="second">
                                            {format!(
                                                "points {} / {}",
                                                format_percent(m.rebalance_points.below),
                                                format_percent(m.rebalance_points.above),
                                            )}
                                        </span>
                                    </td>
                                    <td class=format!("status {}", status_class(m.status)) data-testid="status">{m.status.words()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
