//! A grid's results: the table, sortable, and the scatter of turnover against tracking
//! error.

use leptos::prelude::*;
use uma_engine::{format_money, GridRow, Policy, Range, Variant};

use crate::ui::numbers::{fraction_percent as pct, optional_fraction_percent, to_f64};

/// What a grid row is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Grid,
    TrackingError,
    Turnover,
    Drift,
    FinalValue,
}

impl SortBy {
    /// The choice of the sort list's option `value`.
    fn from_value(value: &str) -> SortBy {
        match value {
            "tracking" => SortBy::TrackingError,
            "turnover" => SortBy::Turnover,
            "drift" => SortBy::Drift,
            "value" => SortBy::FinalValue,
            _ => SortBy::Grid,
        }
    }

    /// `row`'s sort key, lowest first.
    fn key(self, row: &GridRow) -> f64 {
        match self {
            SortBy::Grid => 0.0,
            SortBy::TrackingError => row.metrics.tracking_error,
            SortBy::Turnover => row.metrics.turnover_per_year,
            SortBy::Drift => row.metrics.average_drift,
            SortBy::FinalValue => -to_f64(row.metrics.final_value),
        }
    }
}

/// The grid's rows as a table and a scatter of turnover against tracking error.
#[component]
pub fn GridResults(rows: Vec<GridRow>) -> impl IntoView {
    let sort = RwSignal::new(SortBy::Grid);
    let sorted = {
        let rows = rows.clone();
        move || {
            let mut rows = rows.clone();
            let by = sort.get();
            rows.sort_by(|a, b| by.key(a).total_cmp(&by.key(b)));
            rows
        }
    };
    view! {
        <Scatter rows=rows.clone() />
        <label class="field inline">
            <span class="field-label">"Sort by"</span>
            <select
                data-testid="grid-sort"
                on:change:target=move |ev| sort.set(SortBy::from_value(&ev.target().value()))
            >
                <option value="grid">"Grid order"</option>
                <option value="tracking">"Tracking error, lowest first"</option>
                <option value="turnover">"Turnover, lowest first"</option>
                <option value="drift">"Average drift, lowest first"</option>
                <option value="value">"Ending value, highest first"</option>
            </select>
        </label>
        <div class="table-scroll">
            <table class="grid-results" data-testid="grid-table">
                <thead>
                    <tr>
                        <th scope="col">"Configuration"</th>
                        <th scope="col">"Rebalances"</th>
                        <th scope="col">"Turnover / yr"</th>
                        <th scope="col">"Traded"</th>
                        <th scope="col">"Cost"</th>
                        <th scope="col">"Drift avg / max (pts)"</th>
                        <th scope="col">"Tracking error"</th>
                        <th scope="col">"Return / yr"</th>
                        <th scope="col">"Volatility"</th>
                        <th scope="col">"Max drawdown"</th>
                        <th scope="col">"Ending value"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        sorted()
                            .into_iter()
                            .map(|r| {
                                let m = r.metrics;
                                view! {
                                    <tr data-testid="grid-row">
                                        <th scope="row">{r.label}</th>
                                        <td>{m.rebalances}</td>
                                        <td>{pct(m.turnover_per_year)}</td>
                                        <td>{format_money(m.total_traded)}</td>
                                        <td>{format_money(m.trading_cost)}</td>
                                        <td>{format!("{:.2} / {:.2}", m.average_drift, m.max_drift)}</td>
                                        <td>{pct(m.tracking_error)}</td>
                                        <td>{optional_fraction_percent(m.annualized_return)}</td>
                                        <td>{pct(m.annualized_volatility)}</td>
                                        <td>{pct(m.max_drawdown)}</td>
                                        <td>{format_money(m.final_value)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </div>
    }
}

/// The colour class of a configuration: its policy, and for the strategic policy its
/// range mode.
fn kind_class(variant: &Variant) -> &'static str {
    match (variant.policy, variant.range) {
        (Policy::Strategic, Some(Range::Target)) => "kind-target",
        (Policy::Strategic, Some(Range::Band)) => "kind-band",
        (Policy::Strategic, _) => "kind-interior",
        (Policy::Full, _) => "kind-full",
        (Policy::Calendar, _) => "kind-calendar",
        (Policy::Never, _) => "kind-never",
    }
}

const SW: f64 = 560.0;
const SH: f64 = 260.0;
const PAD: f64 = 48.0;

/// Turnover (x) against tracking error (y), one point per configuration.
#[component]
fn Scatter(rows: Vec<GridRow>) -> impl IntoView {
    let max_x = rows.iter().map(|r| r.metrics.turnover_per_year * 100.0).fold(0.0, f64::max).max(0.01) * 1.08;
    let max_y = rows.iter().map(|r| r.metrics.tracking_error * 100.0).fold(0.0, f64::max).max(0.01) * 1.08;
    let px = move |x: f64| PAD + x / max_x * (SW - PAD - 10.0);
    let py = move |y: f64| SH - PAD + 6.0 - y / max_y * (SH - PAD - 6.0);
    let kinds = [
        ("kind-target", "Target"),
        ("kind-band", "Band"),
        ("kind-interior", "Interior"),
        ("kind-full", "Full to target"),
        ("kind-calendar", "Calendar"),
        ("kind-never", "Never"),
    ];
    let present: Vec<(&str, &str)> =
        kinds.into_iter().filter(|(class, _)| rows.iter().any(|r| kind_class(&r.variant) == *class)).collect();
    let lowest = rows
        .iter()
        .min_by(|a, b| a.metrics.tracking_error.total_cmp(&b.metrics.tracking_error))
        .map(|r| r.label.clone())
        .unwrap_or_default();
    let cheapest = rows
        .iter()
        .min_by(|a, b| a.metrics.turnover_per_year.total_cmp(&b.metrics.turnover_per_year))
        .map(|r| r.label.clone())
        .unwrap_or_default();
    let summary = format!(
        "Turnover against tracking error for {} configurations. Lowest tracking error: {lowest}. Lowest turnover: {cheapest}.",
        rows.len()
    );
    view! {
        <figure class="scatter" data-testid="grid-scatter">
            <svg viewBox=format!("0 0 {SW} {SH}") role="img" aria-label=summary.clone()>
                <line x1=PAD y1=SH - PAD + 6.0 x2=SW - 6.0 y2=SH - PAD + 6.0 class="axis" />
                <line x1=PAD y1="4" x2=PAD y2=SH - PAD + 6.0 class="axis" />
                <text x=(SW + PAD) / 2.0 y=SH - 8.0 text-anchor="middle" class="axis-label">
                    {format!("Turnover per year (one way, 0 – {max_x:.1}%)")}
                </text>
                <text x="14" y=(SH - PAD) / 2.0 class="axis-label" text-anchor="middle" transform=format!("rotate(-90 14 {})", (SH - PAD) / 2.0)>
                    {format!("Tracking error (0 – {max_y:.2}%)")}
                </text>
                {rows
                    .iter()
                    .map(|r| {
                        let (x, y) = (r.metrics.turnover_per_year * 100.0, r.metrics.tracking_error * 100.0);
                        let (turnover, tracking) = (pct(r.metrics.turnover_per_year), pct(r.metrics.tracking_error));
                        let title = format!("{}: turnover {turnover} a year, tracking error {tracking}", r.label);
                        view! {
                            <circle cx=px(x) cy=py(y) r="5" class=format!("dot {}", kind_class(&r.variant)) data-testid="scatter-dot">
                                <title>{title}</title>
                            </circle>
                        }
                    })
                    .collect_view()}
            </svg>
            <figcaption>
                <span class="legend">
                    {present
                        .into_iter()
                        .map(|(class, label)| view! { <span class=format!("key dot-key {class}")>{label}</span> })
                        .collect_view()}
                </span>
                {summary}
            </figcaption>
        </figure>
    }
}
