//! Configurations compared: range modes by bands by look frequencies (by policies) on the
//! chosen market, with a scatter of turnover against tracking error; and the same
//! configurations over many seeded random markets (Monte Carlo), each metric's median and
//! 5th–95th percentiles. Both run as jobs in a Web Worker, with a progress bar and a
//! cancel button, so the page stays responsive.

mod grid_results;
mod job_control;
mod monte_carlo_results;

use leptos::prelude::*;
use uma_engine::{Band, BandSide, Decimal, Grid, Look, Policy, Range};

use crate::host::host;
use crate::jobs::{Job, Outcome};
use crate::panel::configurations::grid_results::GridResults;
use crate::panel::configurations::job_control::{JobControl, JobState, JobStatus};
use crate::panel::configurations::monte_carlo_results::MonteCarloResults;
use crate::panel::market_settings::market_settings;
use crate::persist;
use crate::ui::fields::NumberField;
use crate::ui::numbers::whole;

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

/// One axis of the grid: options and which are chosen.
#[derive(Clone, Copy)]
struct Axis {
    chosen: RwSignal<Vec<bool>>,
}

impl Axis {
    /// The axis saved under `key` by the browser when there is one of its length, else
    /// `default`; every change is saved, so the choice survives a reload.
    fn new(key: &'static str, default: Vec<bool>) -> Axis {
        let saved = persist::load_choices(key).filter(|c| c.len() == default.len());
        let chosen = RwSignal::new(saved.unwrap_or(default));
        Effect::new(move |_| chosen.with(|c| persist::save_choices(key, c)));
        Axis { chosen }
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

/// The grid and Monte Carlo panels, sharing the choice of configurations.
#[component]
pub fn Configurations() -> impl IntoView {
    let settings = market_settings();
    let ranges = range_options();
    let bands = band_options();
    let range_axis = Axis::new("grid-range", vec![true, true, false, true, false]);
    let band_axis = Axis::new("grid-band", vec![true, true, true, true, false, true, false, false]);
    let look_axis = Axis::new("grid-look", Look::ALL.map(|l| l == Look::Monthly).to_vec());
    let policy_axis = Axis::new("grid-policy", vec![true, true, false, false]);
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
        <GridRun grid count />
        <MonteCarloRun grid count />
    }
}

/// The grid run on the chosen market: its button, progress and results.
#[component]
fn GridRun(
    /// The configurations chosen.
    grid: Memo<Grid>,
    /// How many configurations they make (0 when the choice is invalid).
    count: Memo<usize>,
) -> impl IntoView {
    let host = host();
    let settings = market_settings();
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
    view! {
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
    }
}

/// The configurations on many random markets: the paths, the button, progress and
/// results.
#[component]
fn MonteCarloRun(
    /// The configurations chosen.
    grid: Memo<Grid>,
    /// How many configurations they make (0 when the choice is invalid).
    count: Memo<usize>,
) -> impl IntoView {
    let host = host();
    let settings = market_settings();
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
        let steps = if market.frequency == uma_engine::Frequency::Daily { "trading days" } else { "month ends" };
        format!(
            "Each path is a random market drawn like the Random market settings above ({} years of {steps}, correlation {:.2}, the assumptions per model), path 1 with seed {}.",
            settings.random.with(|r| r.years),
            settings.random.with(|r| r.correlation),
            market.seed,
        )
    };
    view! {
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
