//! Through time: the strategy run through a market, its models' weights drawn inside
//! their bands with a marker at each rebalance (click one to play it), the run's metrics,
//! and the list of rebalances; then the comparison of configurations and Monte Carlo.

use leptos::prelude::*;
use uma_engine::{
    format_dollars, format_money, format_percent, Detail, DriftReport, ModelDrift, Simulation, SimulationConfig,
};
use wasm_bindgen::JsCast;

use crate::host::{host, Host};
use crate::panel::configurations::Configurations;
use crate::panel::growth::GrowthView;
use crate::panel::market_settings::{market_settings, policy_label, MarketControls, MarketSettings};
use crate::ui::lines::envelope;
use crate::ui::numbers::{fraction_percent as pct, optional_fraction_percent, to_f64 as f};

const W: f64 = 720.0;
/// A model's strip: a line for its name, then the plot.
const HEADER: f64 = 16.0;
const PLOT: f64 = 52.0;
const STRIP: f64 = HEADER + PLOT;
const LEFT: f64 = 40.0;
/// Points per line: one bucket of dates per two units of width, each drawn as its lowest
/// and highest weight, so that no excursion is lost.
const BUCKETS: usize = (W - LEFT) as usize / 2;
/// Above this many rebalances the chart marks them with ticks, not one button each.
const MAX_MARKERS: usize = 300;
/// Rebalances listed at a time.
const PAGE: usize = 10;

/// A run of the settled scenario through the market, and how long it took.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The simulation, with its series.
    pub simulation: Simulation,
    /// Milliseconds the engine took (`performance.now()`).
    pub millis: f64,
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// What the view does, and a button that opens it: nothing is simulated before an advisor
/// asks.
#[component]
pub fn TimeGate() -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <Show
            when=move || open.get()
            fallback=move || {
                view! {
                    <p class="note">
                        "Run this strategy through real market history or seeded random markets: each model's weight inside its band over the years, every rebalance (play any of them in the player above), configurations compared, and Monte Carlo."
                    </p>
                    <button type="button" class="primary" data-testid="open-time" on:click=move |_| open.set(true)>
                        "Open the simulator through time"
                    </button>
                }
            }
        >
            <ThroughTime />
        </Show>
    }
}

/// The through-time view.
#[component]
pub fn ThroughTime() -> impl IntoView {
    let host = host();
    let settings = MarketSettings::new(host.scenario);
    // Why a rebalance could not be opened, if one could not.
    let problem = RwSignal::new(None::<String>);
    provide_context(problem);
    provide_context(settings);
    let run = Memo::new(move |_| {
        let config = SimulationConfig {
            look: settings.look.get(),
            policy: settings.policy.get(),
            cost_bps: settings.cost_bps.get(),
            detail: Detail::Series,
        };
        settings.path.with(|path| {
            let path = path.as_ref().map_err(Clone::clone)?;
            host.scenario.with(|scenario| {
                let start = now_ms();
                let simulation = uma_engine::simulate(scenario, path, &config).map_err(|e| e.to_string())?;
                Ok::<Run, String>(Run { simulation, millis: now_ms() - start })
            })
        })
    });
    let bands = Memo::new(move |_| host.scenario.with(|s| uma_engine::drift(s).ok()));
    // Every policy on the same market, for the growth chart: only the run's errors are
    // shown (every policy would meet them alike).
    let growth = Memo::new(move |_| {
        let (look, cost_bps) = (settings.look.get(), settings.cost_bps.get());
        settings.path.with(|path| {
            let path = path.as_ref().ok()?;
            host.scenario.with(|scenario| uma_engine::growth(scenario, path, look, cost_bps).ok())
        })
    });
    view! {
        <MarketControls />
        {move || problem.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
        {move || {
            run.with(|r| r.as_ref().err().cloned())
                .map(|message| view! { <p class="error" role="alert" data-testid="time-error">{message}</p> })
        }}
        {move || {
            run.get()
                .ok()
                .zip(bands.get())
                .map(|(run, bands)| {
                    view! {
                        <TimeChart run=run.clone() bands />
                        <RunSummary run=run.clone() />
                        {growth.get().map(|growth| view! { <GrowthView growth /> })}
                        <RebalanceList run />
                    }
                })
        }}
        <Configurations />
    }
}

/// Opens rebalance `index` of `run` in the page's player.
fn open(host: Host, settings: MarketSettings, run: &Run, index: usize) {
    let Some(event) = run.simulation.rebalances.get(index) else { return };
    let problem = use_context::<RwSignal<Option<String>>>();
    match host.scenario.with_untracked(|s| run.simulation.replay(s, index)) {
        Ok(plan) => {
            let title = format!(
                "Rebalance {} of {} on {} in the run through time ({}, {} looks).",
                index + 1,
                run.simulation.rebalances.len(),
                event.date,
                policy_label(settings.policy.get_untracked()).split(':').next().unwrap_or_default(),
                run.simulation.look.name(),
            );
            if let Some(problem) = problem {
                problem.set(None);
            }
            host.open_replay.run((title, plan));
        }
        Err(e) => {
            if let Some(problem) = problem {
                problem.set(Some(format!("That rebalance could not be opened: {e}")));
            }
        }
    }
}

/// Each model's weight through time inside its band, and the rebalances.
#[component]
fn TimeChart(run: Run, bands: DriftReport) -> impl IntoView {
    let host = host();
    let settings = market_settings();
    let sim = &run.simulation;
    let Some(series) = sim.series.as_ref() else { return ().into_any() };
    let n = series.dates.len().max(2);
    let x_of = move |t: usize| LEFT + t as f64 / (n - 1) as f64 * (W - LEFT - 4.0);
    let strips = bands.models.len();
    let height = STRIP * strips as f64 + 40.0;
    // Year ticks: about six, at the first date of a year.
    let step = ((series.dates.len() as f64 / 6.0).ceil() as usize).max(1);
    let ticks: Vec<(f64, String)> =
        (0..series.dates.len()).step_by(step).map(|t| (x_of(t), series.dates[t].year().to_string())).collect();
    let index_of = |date| series.dates.binary_search(&date).unwrap_or_else(|i| i);
    let event_x: Vec<f64> = sim.rebalances.iter().map(|e| x_of(index_of(e.date))).collect();
    let markers_y = STRIP * strips as f64 + 10.0;
    let rows = bands.models.iter().enumerate().map(|(i, m)| strip(i, m, &series.weights[i], x_of)).collect_view();
    let events = sim.rebalances.len();
    let summary = format!(
        "{} models from {} to {}: {} rebalances. The table below lists them.",
        strips,
        series.dates.first().map(ToString::to_string).unwrap_or_default(),
        series.dates.last().map(ToString::to_string).unwrap_or_default(),
        events
    );
    let run = StoredValue::new(run.clone());
    let xs = StoredValue::new(event_x.clone());
    // A click anywhere on the markers' lane opens the nearest rebalance: markers may
    // overlap where rebalances come close together.
    let lane_click = move |ev: web_sys::MouseEvent| {
        let Some(lane) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let rect = lane.get_bounding_client_rect();
        if rect.width() <= 0.0 {
            return;
        }
        let x = LEFT + (f64::from(ev.client_x()) - rect.left()) / rect.width() * (W - 4.0 - LEFT);
        let nearest = xs.with_value(|xs| {
            xs.iter().enumerate().min_by(|a, b| (a.1 - x).abs().total_cmp(&(b.1 - x).abs())).map(|(k, _)| k)
        });
        if let Some(k) = nearest {
            run.with_value(|r| open(host, settings, r, k));
        }
    };
    view! {
        <figure class="time-chart" data-testid="time-chart">
            <div class="legend" aria-hidden="true">
                <span class="key band-key">"band"</span>
                <span class="key point-key">"rebalance points"</span>
                <span class="key target-key">"target"</span>
                <span class="key line-key">"weight"</span>
                <span class="key marker-key">"rebalance (click to play)"</span>
            </div>
            <svg viewBox=format!("0 0 {W} {height}") role="group" aria-label=summary>
                {rows}
                <line x1=LEFT x2=W - 4.0 y1=markers_y y2=markers_y class="axis" />
                <rect
                    x=LEFT
                    y=markers_y - 9.0
                    width=W - 4.0 - LEFT
                    height="18"
                    class="marker-lane"
                    data-testid="marker-lane"
                    on:click=lane_click
                >
                    <title>"Click a rebalance to play it in the player"</title>
                </rect>
                {markers(run, &event_x, markers_y)}
                {ticks
                    .into_iter()
                    .map(|(x, year)| view! { <text x=x y=height - 4.0 class="tick" text-anchor="middle">{year}</text> })
                    .collect_view()}
            </svg>
            {(events > MAX_MARKERS)
                .then(|| {
                    view! {
                        <figcaption class="note">
                            {format!("{events} rebalances: too many to mark one by one; open any of them from the list below.")}
                        </figcaption>
                    }
                })}
        </figure>
    }
    .into_any()
}

/// Model `i`'s strip of the chart: its weight `line` through time (at `x_of` each date)
/// over its band, rebalance points and target, scaled to what the line reaches.
fn strip(i: usize, m: &ModelDrift, line: &[f64], x_of: impl Fn(usize) -> f64) -> impl IntoView {
    let top = STRIP * i as f64;
    let (mut lo, mut hi) = (f(m.band.lower), f(m.band.upper));
    for w in line {
        lo = lo.min(*w);
        hi = hi.max(*w);
    }
    let pad = ((hi - lo) * 0.08).max(0.25);
    let (lo, hi) = ((lo - pad).max(0.0), hi + pad);
    let y = move |w: f64| top + HEADER + (hi - w) / (hi - lo) * (PLOT - 6.0);
    let points = envelope(line, BUCKETS)
        .into_iter()
        .map(|(t, w)| format!("{:.1},{:.1}", x_of(t), y(w)))
        .collect::<Vec<_>>()
        .join(" ");
    let (band_top, band_bottom) = (y(f(m.band.upper)), y(f(m.band.lower)));
    let target = y(f(m.target));
    let (point_above, point_below) = (y(f(m.rebalance_points.above)), y(f(m.rebalance_points.below)));
    view! {
        <g class="strip" data-testid=format!("time-{}", m.id)>
            <rect x=LEFT y=band_top width=W - LEFT - 4.0 height=(band_bottom - band_top).max(1.0) class="band" />
            <line x1=LEFT x2=W - 4.0 y1=point_above y2=point_above class="point" />
            <line x1=LEFT x2=W - 4.0 y1=point_below y2=point_below class="point" />
            <line x1=LEFT x2=W - 4.0 y1=target y2=target class="target" />
            <polyline points=points class="weight-line" />
            <text x=LEFT y=top + 12.0 class="strip-name">
                {format!(
                    "{}  ·  target {}, band {}–{}",
                    m.name,
                    format_percent(m.target),
                    format_percent(m.band.lower),
                    format_percent(m.band.upper)
                )}
            </text>
            <text x=LEFT - 3.0 y=band_top + 3.0 class="tick" text-anchor="end">{format!("{:.1}", f(m.band.upper))}</text>
            <text x=LEFT - 3.0 y=band_bottom + 3.0 class="tick" text-anchor="end">{format!("{:.1}", f(m.band.lower))}</text>
        </g>
    }
}

/// The rebalances of `run` on the markers' lane at `markers_y`, each at its `event_x`:
/// one widget with a single tab stop (roving focus): the arrows move between markers,
/// Home and End go to the first and the last, Enter or Space opens the focused one in
/// the player. Above [`MAX_MARKERS`], one tick each.
fn markers(run: StoredValue<Run>, event_x: &[f64], markers_y: f64) -> AnyView {
    let (host, settings) = (host(), market_settings());
    if event_x.len() > MAX_MARKERS {
        let path: String =
            event_x.iter().map(|x| format!("M{x:.1} {} V{}", markers_y - 5.0, markers_y + 5.0)).collect();
        return view! { <path d=path class="rebalance-ticks" /> }.into_any();
    }
    let last = event_x.len().saturating_sub(1);
    let current = RwSignal::new(0usize);
    let on_key = move |ev: web_sys::KeyboardEvent, k: usize| {
        let next = match ev.key().as_str() {
            "Enter" | " " => {
                ev.prevent_default();
                run.with_value(|r| open(host, settings, r, k));
                return;
            }
            "ArrowRight" | "ArrowDown" => (k + 1).min(last),
            "ArrowLeft" | "ArrowUp" => k.saturating_sub(1),
            "Home" => 0,
            "End" => last,
            _ => return,
        };
        ev.prevent_default();
        current.set(next);
        let group =
            ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|e| e.parent_element());
        let marker = group
            .and_then(|g| g.query_selector_all("[data-testid=rebalance-marker]").ok())
            .and_then(|l| l.item(next as u32));
        if let Some(marker) = marker.and_then(|m| m.dyn_into::<web_sys::SvgElement>().ok()) {
            let _ = marker.focus();
        }
    };
    run.with_value(|r| {
        let circles = r
            .simulation
            .rebalances
            .iter()
            .enumerate()
            .map(|(k, e)| {
                let label = format!(
                    "Rebalance {} of {} on {}: {} traded. Enter opens it in the player; arrows, Home and End move between rebalances.",
                    k + 1,
                    last + 1,
                    e.date,
                    format_money(e.traded)
                );
                view! {
                    <circle
                        cx=event_x[k]
                        cy=markers_y
                        r="4"
                        class="rebalance-marker"
                        tabindex=move || if current.get() == k { "0" } else { "-1" }
                        role="button"
                        aria-label=label
                        data-testid="rebalance-marker"
                        on:focus=move |_| current.set(k)
                        on:keydown=move |ev| on_key(ev, k)
                    ></circle>
                }
            })
            .collect_view();
        view! {
            <g role="group" aria-label="Rebalances of the run" data-testid="rebalance-markers">
                {circles}
            </g>
        }
        .into_any()
    })
}

/// The run's metrics.
#[component]
fn RunSummary(run: Run) -> impl IntoView {
    let m = run.simulation.metrics.clone();
    let rows: Vec<(&str, String, &str)> = vec![
        ("Ending value", format_dollars(m.final_value), "final-value"),
        ("Rebalances", m.rebalances.to_string(), "rebalances"),
        ("Turnover per year (one way)", pct(m.turnover_per_year), "turnover"),
        ("Total traded", format_dollars(m.total_traded), "traded"),
        ("Trading cost", format_money(m.trading_cost), "cost"),
        (
            "Drift from target, average / largest",
            format!("{:.2} / {:.2} points", m.average_drift, m.max_drift),
            "drift",
        ),
        ("Tracking error against always on target", pct(m.tracking_error), "tracking-error"),
        ("Return, annualized", optional_fraction_percent(m.annualized_return), "return"),
        ("Volatility, annualized", pct(m.annualized_volatility), "volatility"),
        ("Largest drawdown", pct(m.max_drawdown), "drawdown"),
    ];
    view! {
        <dl class="metrics" data-testid="run-metrics">
            {rows
                .into_iter()
                .map(|(term, value, id)| {
                    view! {
                        <div>
                            <dt>{term}</dt>
                            <dd data-testid=format!("metric-{id}")>{value}</dd>
                        </div>
                    }
                })
                .collect_view()}
        </dl>
        <p class="note">
            {format!("{:.1} years simulated in ", m.years)}
            <span data-testid="sim-ms">{format!("{:.1}", run.millis)}</span>
            " ms in your browser."
        </p>
    }
}

/// The rebalances of the run, a page at a time, each with a button to play it.
#[component]
fn RebalanceList(run: Run) -> impl IntoView {
    let host = host();
    let settings = market_settings();
    let shown = RwSignal::new(PAGE);
    let total = run.simulation.rebalances.len();
    let run = StoredValue::new(run);
    let names: Vec<(String, String)> = settings.models.get_untracked();
    let name_of = move |id: &str| names.iter().find(|(i, _)| i == id).map_or(id.to_owned(), |(_, n)| n.clone());
    if total == 0 {
        return view! {
            <p class="summary" data-testid="rebalance-list">"No band broke on this market: nothing was rebalanced."</p>
        }
        .into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="rebalances" data-testid="rebalance-list">
                <caption>{format!("{total} rebalances")}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Account"</th>
                        <th scope="col">"Traded"</th>
                        <th scope="col" class="trades">"Trades"</th>
                        <th scope="col"><span class="sr-only">"Play"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        run.with_value(|r| {
                            r.simulation
                                .rebalances
                                .iter()
                                .enumerate()
                                .take(shown.get())
                                .map(|(k, e)| {
                                    let trades = e
                                        .trades
                                        .iter()
                                        .map(|t| format!("{} {}", name_of(&t.model), format_money(t.amount)))
                                        .collect::<Vec<_>>()
                                        .join(", ");
                                    view! {
                                        <tr>
                                            <th scope="row">{e.date.to_string()}</th>
                                            <td>{format_money(e.value)}</td>
                                            <td>{format_money(e.traded)}</td>
                                            <td class="trades">{trades}</td>
                                            <td>
                                                <button
                                                    type="button"
                                                    data-testid="open-rebalance"
                                                    aria-label=format!("Play the rebalance of {}", e.date)
                                                    on:click=move |_| run.with_value(|r| open(host, settings, r, k))
                                                >
                                                    "Play"
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        })
                    }}
                </tbody>
            </table>
        </div>
        <Show when=move || { shown.get() < total }>
            <button type="button" data-testid="more-rebalances" on:click=move |_| shown.update(|s| *s += PAGE)>
                {move || format!("Show more ({} of {total} shown)", shown.get().min(total))}
            </button>
        </Show>
    }
    .into_any()
}
