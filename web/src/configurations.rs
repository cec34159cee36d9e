//! Configurations compared: range modes by bands by look frequencies (by policies) on the
//! chosen market, with a scatter of turnover against tracking error; and the same
//! configurations over many seeded random markets (Monte Carlo), each metric's median and
//! 5th–95th percentiles. Both run as jobs in a Web Worker, with a progress bar and a
//! cancel button, so the page stays responsive.

use leptos::prelude::*;
use uma_engine::{
    format_money, Band, BandSide, Decimal, Grid, GridRow, Look, MetricSpreads, MonteCarloRow, Policy, Range, Spread,
    Variant,
};

use crate::host::host;
use crate::jobs::{spawn, Job, JobHandle, Message, Outcome, Venue};
use crate::market::market_settings;
use crate::ui::fields::NumberField;
use crate::ui::numbers::{fraction_percent as pct, to_decimal, to_f64, whole};

fn dec(n: i64) -> Decimal {
    Decimal::from(n)
}

/// The range modes offered.
fn range_options() -> Vec<(String, Range)> {
    [Range::Target, Range::Band]
        .into_iter()
        .chain([25, 50, 75].map(|p| Range::Interior { percent_to_target: dec(p) }))
        .map(|r| (uma_engine::range_label(r), r))
        .collect()
}

/// The bands offered.
fn band_options() -> Vec<(String, Band)> {
    let five_twenty_five = Band::uniform(BandSide { cap: Some(dec(5)), ..BandSide::relative(dec(25)) });
    [5, 10, 20, 25]
        .map(|w| Band::relative(dec(w)))
        .into_iter()
        .chain([1, 2, 5].map(|w| Band::absolute(dec(w))))
        .chain([five_twenty_five])
        .map(|b| (b.to_string(), b))
        .collect()
}

fn policy_short(policy: Policy) -> &'static str {
    match policy {
        Policy::Strategic => "Strategic (range modes)",
        Policy::Full => "Full to target",
        Policy::Calendar => "Calendar",
        Policy::Never => "Never",
    }
}

/// A job's state, as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum JobState {
    /// Not run yet.
    Idle,
    /// Under way.
    Running {
        /// Units done.
        done: usize,
        /// Units in all (0 while starting).
        total: usize,
        /// Where it runs.
        venue: Venue,
    },
    /// Finished.
    Done(Outcome),
    /// Could not run.
    Failed(String),
    /// Stopped by the person.
    Cancelled,
}

/// A job, its state, and the inputs it ran with.
#[derive(Clone, Copy)]
struct JobControl {
    state: RwSignal<JobState>,
    handle: StoredValue<Option<JobHandle>, LocalStorage>,
    inputs: RwSignal<Option<Job>>,
}

impl JobControl {
    fn new() -> JobControl {
        let control = JobControl {
            state: RwSignal::new(JobState::Idle),
            handle: StoredValue::new_local(None),
            inputs: RwSignal::new(None),
        };
        on_cleanup(move || {
            if let Some(handle) = control.handle.try_update_value(Option::take).flatten() {
                handle.cancel();
            }
        });
        control
    }

    fn start(self, job: Job) {
        if let Some(handle) = self.handle.try_update_value(Option::take).flatten() {
            handle.cancel();
        }
        self.inputs.set(Some(job.clone()));
        self.state.set(JobState::Running { done: 0, total: 0, venue: Venue::Starting });
        let state = self.state;
        let handle = spawn(job, move |message, venue| {
            let next = match message {
                Message::Ready => return,
                Message::Progress { done, total } => JobState::Running { done, total, venue },
                Message::Done(outcome) => JobState::Done(outcome),
                Message::Failed(e) => JobState::Failed(e),
            };
            state.try_set(next);
        });
        self.handle.set_value(Some(handle));
    }

    fn cancel(self) {
        if let Some(handle) = self.handle.try_update_value(Option::take).flatten() {
            handle.cancel();
        }
        self.state.set(JobState::Cancelled);
    }

    fn running(self) -> Signal<bool> {
        Signal::derive(move || matches!(self.state.get(), JobState::Running { .. }))
    }
}

/// One axis of the grid: options and which are chosen.
#[derive(Clone, Copy)]
struct Axis {
    chosen: RwSignal<Vec<bool>>,
}

impl Axis {
    fn new(chosen: Vec<bool>) -> Axis {
        Axis { chosen: RwSignal::new(chosen) }
    }

    fn picked<T: Clone>(&self, options: &[(String, T)]) -> Vec<T> {
        self.chosen
            .with(|c| options.iter().zip(c).filter(|(_, on)| **on).map(|((_, value), _)| value.clone()).collect())
    }
}

/// Check boxes for one axis.
#[component]
fn AxisChoice(
    /// The legend.
    legend: &'static str,
    /// The options' labels.
    labels: Vec<String>,
    /// Which are chosen.
    axis: Axis,
    /// The `data-testid` prefix of the boxes.
    testid: &'static str,
) -> impl IntoView {
    view! {
        <fieldset class="axis">
            <legend>{legend}</legend>
            {labels
                .into_iter()
                .enumerate()
                .map(|(k, label)| {
                    view! {
                        <label class="check">
                            <input
                                type="checkbox"
                                data-testid=format!("{testid}-{k}")
                                prop:checked=move || axis.chosen.with(|c| c.get(k).copied().unwrap_or(false))
                                on:change:target=move |ev| {
                                    let on = ev.target().checked();
                                    axis.chosen.update(|c| if let Some(slot) = c.get_mut(k) { *slot = on });
                                }
                            />
                            {label}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// The progress of a job, its venue, and a cancel button.
#[component]
fn JobStatus(
    /// The job.
    control: JobControl,
    /// What a unit is, plural: `configurations`, `paths`.
    unit: &'static str,
    /// The `data-testid` prefix.
    testid: &'static str,
) -> impl IntoView {
    move || match control.state.get() {
        JobState::Running { done, total, venue } => {
            let place = match venue {
                Venue::Starting => "starting the background worker…",
                Venue::Worker => "in a background worker: the page stays free to use.",
                Venue::Page => "in this page (the background worker could not start), a slice at a time.",
            };
            view! {
                <div class="progress" role="status" data-testid=format!("{testid}-progress")>
                    <progress max=total.max(1) value=done></progress>
                    <span data-testid=format!("{testid}-progress-text")>
                        {if total == 0 { "Starting: ".to_owned() } else { format!("{done} of {total} {unit}, ") }}
                        {place}
                    </span>
                    <button type="button" data-testid=format!("{testid}-cancel") on:click=move |_| control.cancel()>
                        "Cancel"
                    </button>
                </div>
            }
            .into_any()
        }
        JobState::Failed(message) => {
            view! { <p class="error" role="alert" data-testid=format!("{testid}-error")>{message}</p> }.into_any()
        }
        JobState::Cancelled => {
            view! { <p class="note" data-testid=format!("{testid}-cancelled")>"Cancelled."</p> }.into_any()
        }
        _ => ().into_any(),
    }
}

/// The grid and Monte Carlo panels, sharing the choice of configurations.
#[component]
pub fn Configurations() -> impl IntoView {
    let host = host();
    let settings = market_settings();
    let ranges = range_options();
    let bands = band_options();
    let range_axis = Axis::new(vec![true, true, false, true, false]);
    let band_axis = Axis::new(vec![true, true, true, true, false, true, false, false]);
    let look_axis = Axis::new(Look::ALL.map(|l| l == Look::Monthly).to_vec());
    let policy_axis = Axis::new(vec![true, true, false, false]);
    let grid = {
        let (ranges, bands) = (ranges.clone(), bands.clone());
        Memo::new(move |_| {
            let looks: Vec<(String, Look)> = Look::ALL.map(|l| (String::new(), l)).to_vec();
            let policies: Vec<(String, Policy)> = Policy::ALL.map(|p| (String::new(), p)).to_vec();
            Grid {
                policies: policy_axis.picked(&policies),
                ranges: range_axis.picked(&ranges),
                bands: band_axis.picked(&bands),
                looks: look_axis.picked(&looks),
                cost_bps: settings.cost_bps.get(),
            }
        })
    };
    let count = Memo::new(move |_| grid.with(|g| if g.validate().is_ok() { g.variants().len() } else { 0 }));
    let problem = Memo::new(move |_| grid.with(|g| g.validate().err().map(|e| e.to_string())));
    let grid_job = Memo::new(move |_| {
        let market = settings.market.get()?;
        Ok::<Job, String>(Job::Grid { scenario: host.scenario.get(), market, grid: grid.get() })
    });
    let grid_control = JobControl::new();
    let run_grid = move |_| {
        if let Ok(job) = grid_job.get_untracked() {
            grid_control.start(job);
        }
    };
    let grid_stale = Memo::new(move |_| {
        let current = grid_job.get().ok();
        grid_control.inputs.with(|inputs| inputs.is_some() && *inputs != current)
    });

    let paths = RwSignal::new(Decimal::from(100));
    let mc_job = Memo::new(move |_| Job::MonteCarlo {
        scenario: host.scenario.get(),
        market: settings.random_market(),
        variants: grid.with(|g| g.variants()),
        paths: whole(paths.get()).unwrap_or(100),
        cost_bps: settings.cost_bps.get(),
    });
    let mc_control = JobControl::new();
    let run_mc = move |_| mc_control.start(mc_job.get_untracked());
    let mc_stale =
        Memo::new(move |_| mc_control.inputs.with(|inputs| inputs.as_ref().is_some_and(|i| mc_job.with(|j| i != j))));
    let random_words = move || {
        let market = settings.random_market();
        let steps = if market.frequency == uma_engine::Frequency::Daily { "business days" } else { "month ends" };
        format!(
            "Each path is a random market drawn like the Random market settings above ({} years of {steps}, correlation {:.2}, the assumptions per model), path 1 with seed {}.",
            settings.random.with(|r| r.years),
            settings.random.with(|r| r.correlation),
            market.seed,
        )
    };

    view! {
        <h3 id="grid-title">"Configurations compared"</h3>
        <p class="note">
            "Every chosen range mode × band × look frequency (× policy) runs through the market above; a band replaces every model's own band."
        </p>
        <div class="axes" data-testid="grid-axes">
            <AxisChoice legend="Range modes" labels=ranges.iter().map(|(l, _)| l.clone()).collect() axis=range_axis testid="grid-range" />
            <AxisChoice legend="Bands" labels=bands.iter().map(|(l, _)| l.clone()).collect() axis=band_axis testid="grid-band" />
            <AxisChoice
                legend="Check the bands"
                labels=Look::ALL.map(|l| l.name().to_owned()).to_vec()
                axis=look_axis
                testid="grid-look"
            />
            <AxisChoice
                legend="Policies"
                labels=Policy::ALL.map(|p| policy_short(p).to_owned()).to_vec()
                axis=policy_axis
                testid="grid-policy"
            />
        </div>
        <div class="run-row">
            <button
                type="button"
                class="primary"
                data-testid="run-grid"
                disabled=move || grid_control.running().get() || count.get() == 0 || grid_job.with(Result::is_err)
                on:click=run_grid
            >
                {move || format!("Run {} configurations", count.get())}
            </button>
            {move || problem.get().map(|p| view! { <span class="field-error" role="alert">{p}</span> })}
        </div>
        <JobStatus control=grid_control unit="configurations" testid="grid" />
        {move || match grid_control.state.get() {
            JobState::Done(Outcome::Grid(rows)) => {
                view! {
                    <Show when=move || grid_stale.get()>
                        <p class="note stale" data-testid="grid-stale">"The strategy, market or choice changed since this run: run it again to update."</p>
                    </Show>
                    <GridResults rows />
                }
                    .into_any()
            }
            _ => ().into_any(),
        }}

        <h3 id="monte-carlo-title">"Monte Carlo"</h3>
        <p class="note">{random_words}</p>
        <div class="run-row">
            <NumberField
                label="Paths".into()
                value=paths
                on_change=move |v: Decimal| paths.set(v.trunc().clamp(Decimal::ONE, Decimal::from(10_000)))
                testid="mc-paths"
            />
            <button
                type="button"
                class="primary"
                data-testid="run-monte-carlo"
                disabled=move || mc_control.running().get() || count.get() == 0
                on:click=run_mc
            >
                {move || {
                    let n = paths.get();
                    format!("Run {} configurations on {n} random paths", count.get())
                }}
            </button>
        </div>
        <JobStatus control=mc_control unit="paths" testid="mc" />
        {move || match mc_control.state.get() {
            JobState::Done(Outcome::MonteCarlo(rows)) => {
                view! {
                    <Show when=move || mc_stale.get()>
                        <p class="note stale" data-testid="mc-stale">"The strategy, market or choice changed since this run: run it again to update."</p>
                    </Show>
                    <MonteCarloResults rows />
                }
                    .into_any()
            }
            _ => ().into_any(),
        }}
    }
}

/// What a grid row is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Grid,
    TrackingError,
    Turnover,
    Drift,
    FinalValue,
}

/// The grid's rows as a table and a scatter of turnover against tracking error.
#[component]
fn GridResults(rows: Vec<GridRow>) -> impl IntoView {
    let sort = RwSignal::new(SortBy::Grid);
    let sorted = {
        let rows = rows.clone();
        move || {
            let mut rows = rows.clone();
            let key = |r: &GridRow| match sort.get() {
                SortBy::Grid => 0.0,
                SortBy::TrackingError => r.metrics.tracking_error,
                SortBy::Turnover => r.metrics.turnover_per_year,
                SortBy::Drift => r.metrics.average_drift,
                SortBy::FinalValue => -to_f64(r.metrics.final_value),
            };
            rows.sort_by(|a, b| key(a).total_cmp(&key(b)));
            rows
        }
    };
    view! {
        <Scatter rows=rows.clone() />
        <label class="field inline">
            <span class="field-label">"Sort by"</span>
            <select
                data-testid="grid-sort"
                on:change:target=move |ev| {
                    sort.set(match ev.target().value().as_str() {
                        "tracking" => SortBy::TrackingError,
                        "turnover" => SortBy::Turnover,
                        "drift" => SortBy::Drift,
                        "value" => SortBy::FinalValue,
                        _ => SortBy::Grid,
                    })
                }
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
                                        <td>{pct(m.annualized_return)}</td>
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
                        let title = format!("{}: turnover {x:.2}% a year, tracking error {y:.2}%", r.label);
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
fn MonteCarloResults(rows: Vec<MonteCarloRow>) -> impl IntoView {
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
