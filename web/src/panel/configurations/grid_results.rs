//! A grid's results: the table, sortable, and the scatter of turnover against tracking
//! error.

use leptos::prelude::*;
use uma_engine::{format_dollars, format_money, GridRow, Policy, Range, Variant};

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
                                        <td>{format_dollars(m.total_traded)}</td>
                                        <td>{format_money(m.trading_cost)}</td>
                                        <td>{format!("{:.2} / {:.2}", m.average_drift, m.max_drift)}</td>
                                        <td>{pct(m.tracking_error)}</td>
                                        <td>{optional_fraction_percent(m.annualized_return)}</td>
                                        <td>{pct(m.annualized_volatility)}</td>
                                        <td>{pct(m.max_drawdown)}</td>
                                        <td>{format_dollars(m.final_value)}</td>
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
const SH: f64 = 270.0;
const PAD: f64 = 56.0;

/// A tick spacing of 1, 2 or 5 times a power of ten giving about five ticks up to `max`.
fn tick_step(max: f64) -> f64 {
    let rough = (max / 5.0).max(1e-9);
    let power = 10f64.powf(rough.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|s| *s >= rough).unwrap_or(power * 10.0)
}

/// Ticks from 0 to `max` at [`tick_step`], each with its label in percent.
fn ticks(max: f64) -> Vec<(f64, String)> {
    let step = tick_step(max);
    let places = if step >= 1.0 { 0 } else { (-step.log10().floor()) as usize };
    (0..).map(|k| k as f64 * step).take_while(|v| *v <= max + 1e-12).map(|v| (v, format!("{v:.places$}%"))).collect()
}

/// Turnover (x) against tracking error (y), one point per configuration, on axes with
/// ticks; the configurations no other beats on both are ringed and joined (the efficient
/// frontier), and outliers can be hidden so that the rest is not squashed.
#[component]
fn Scatter(rows: Vec<GridRow>) -> impl IntoView {
    let hide = RwSignal::new(false);
    let efficient = uma_engine::efficient(&rows);
    let far = uma_engine::outliers(&rows);
    let outliers = far.iter().filter(|f| **f).count();
    let rows = StoredValue::new(rows);
    let kinds = [
        ("kind-target", "Target"),
        ("kind-band", "Band"),
        ("kind-interior", "Interior"),
        ("kind-full", "Full to target"),
        ("kind-calendar", "Calendar"),
        ("kind-never", "Never"),
    ];
    let present: Vec<(&str, &str)> = rows.with_value(|rows| {
        kinds.into_iter().filter(|(class, _)| rows.iter().any(|r| kind_class(&r.variant) == *class)).collect()
    });
    let summary = rows.with_value(|rows| {
        let lowest = |read: fn(&GridRow) -> f64| {
            rows.iter().min_by(|a, b| read(a).total_cmp(&read(b))).map(|r| r.label.clone()).unwrap_or_default()
        };
        let frontier: Vec<&str> =
            rows.iter().zip(&efficient).filter(|(_, e)| **e).map(|(r, _)| r.label.as_str()).collect();
        format!(
            "Turnover against tracking error for {} configurations. Lowest tracking error: {}. Lowest turnover: {}. No other configuration beats these on both: {}.",
            rows.len(),
            lowest(|r| r.metrics.tracking_error),
            lowest(|r| r.metrics.turnover_per_year),
            frontier.join("; ")
        )
    });
    let plot = move || {
        let shown: Vec<(GridRow, bool)> = rows.with_value(|rows| {
            rows.iter()
                .zip(&efficient)
                .zip(&far)
                .filter(|(_, f)| !(hide.get() && **f))
                .map(|((r, e), _)| (r.clone(), *e))
                .collect()
        });
        let max_x = shown.iter().map(|(r, _)| r.metrics.turnover_per_year * 100.0).fold(0.0, f64::max).max(0.01) * 1.08;
        let max_y = shown.iter().map(|(r, _)| r.metrics.tracking_error * 100.0).fold(0.0, f64::max).max(0.01) * 1.08;
        let px = move |x: f64| PAD + x / max_x * (SW - PAD - 10.0);
        let py = move |y: f64| SH - PAD + 6.0 - y / max_y * (SH - PAD - 6.0);
        let mut frontier: Vec<(f64, f64)> = shown
            .iter()
            .filter(|(_, e)| *e)
            .map(|(r, _)| (px(r.metrics.turnover_per_year * 100.0), py(r.metrics.tracking_error * 100.0)))
            .collect();
        frontier.sort_by(|a, b| a.0.total_cmp(&b.0));
        let frontier: String = frontier.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
        let base = SH - PAD + 6.0;
        view! {
            <line x1=PAD y1=base x2=SW - 6.0 y2=base class="axis" />
            <line x1=PAD y1="4" x2=PAD y2=base class="axis" />
            {ticks(max_x)
                .into_iter()
                .map(|(v, label)| {
                    view! {
                        <line x1=px(v) x2=px(v) y1=base y2=base + 5.0 class="axis" />
                        <text x=px(v) y=base + 18.0 text-anchor="middle" class="tick">{label}</text>
                    }
                })
                .collect_view()}
            {ticks(max_y)
                .into_iter()
                .map(|(v, label)| {
                    view! {
                        <line x1=PAD - 5.0 x2=PAD y1=py(v) y2=py(v) class="axis" />
                        <text x=PAD - 8.0 y=py(v) + 4.0 text-anchor="end" class="tick">{label}</text>
                    }
                })
                .collect_view()}
            <text x=(SW + PAD) / 2.0 y=SH - 6.0 text-anchor="middle" class="axis-label">
                "Turnover per year (one way)"
            </text>
            <text x="14" y=(SH - PAD) / 2.0 class="axis-label" text-anchor="middle" transform=format!("rotate(-90 14 {})", (SH - PAD) / 2.0)>
                "Tracking error"
            </text>
            <polyline points=frontier class="frontier" data-testid="frontier" />
            {shown
                .into_iter()
                .map(|(r, efficient)| {
                    let (x, y) = (r.metrics.turnover_per_year * 100.0, r.metrics.tracking_error * 100.0);
                    let (turnover, tracking) = (pct(r.metrics.turnover_per_year), pct(r.metrics.tracking_error));
                    let best = if efficient { " (no other beats it on both)" } else { "" };
                    let title = format!("{}: turnover {turnover} a year, tracking error {tracking}{best}", r.label);
                    let class = format!("dot {}{}", kind_class(&r.variant), if efficient { " efficient" } else { "" });
                    view! {
                        <circle cx=px(x) cy=py(y) r="4.5" class=class data-testid="scatter-dot">
                            <title>{title}</title>
                        </circle>
                    }
                })
                .collect_view()}
        }
    };
    view! {
        <figure class="scatter" data-testid="grid-scatter">
            <svg viewBox=format!("0 0 {SW} {SH}") role="img" aria-label=summary.clone()>
                {plot}
            </svg>
            <figcaption>
                <span class="legend">
                    {present
                        .into_iter()
                        .map(|(class, label)| view! { <span class=format!("key dot-key {class}")>{label}</span> })
                        .collect_view()}
                    <span class="key efficient-key">"ringed and joined: no other is better on both"</span>
                </span>
                {(outliers > 0)
                    .then(|| {
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    data-testid="hide-outliers"
                                    prop:checked=move || hide.get()
                                    on:change:target=move |ev| hide.set(ev.target().checked())
                                />
                                {format!("Hide {outliers} outlier{} (3 times the median or more)", if outliers == 1 { "" } else { "s" })}
                            </label>
                        }
                    })}
                {summary}
            </figcaption>
        </figure>
    }
}
