//! The band chart: per model, a track with its band, rebalance points, target and
//! current weight, coloured by status, every row on one scale so that band widths
//! compare. Dragging the weight (or clicking the track, or the arrow keys on the marker)
//! moves the market: that sleeve is revalued while the others keep their dollar values.
//! While the player steps, the weight glides to its new place, a ghost stays where it
//! was, and the sleeve that sells or buys in the step is highlighted.

use leptos::prelude::*;
use uma_engine::{format_percent, Decimal, ModelDrift};
use wasm_bindgen::JsCast;

use crate::state::lab;
use crate::ui::numbers::{to_decimal, to_f64 as f};
use crate::ui::status::status_class;

/// The drawing's width in SVG units (the track); rows scale to the page's width.
const WIDTH: f64 = 600.0;
/// Room on each side of the track, so that a marker at either end is drawn whole.
const PAD: f64 = 12.0;
const HEIGHT: f64 = 50.0;
/// The track's middle line.
const MID: f64 = 27.0;

/// The weights every row's track spans: from the lowest band's lower edge to the highest
/// band's upper edge with as much again as the widest band on each side, within 0–100,
/// widened to whole ticks. Fixed by the bands, so the track does not move under a
/// dragging pointer.
fn domain(models: &[ModelDrift]) -> (f64, f64) {
    let lower = models.iter().map(|m| f(m.band.lower)).fold(f64::INFINITY, f64::min);
    let upper = models.iter().map(|m| f(m.band.upper)).fold(f64::NEG_INFINITY, f64::max);
    if !(lower.is_finite() && upper.is_finite()) {
        return (0.0, 100.0);
    }
    let widest = models.iter().map(|m| f(m.band.upper - m.band.lower)).fold(1.0, f64::max);
    let (lo, hi) = ((lower - widest).max(0.0), (upper + widest).min(100.0));
    let tick = tick_step((lo, hi));
    ((lo / tick).floor() * tick, ((hi / tick).ceil() * tick).min(100.0))
}

/// The spacing of the scale's ticks: about five to ten of them.
fn tick_step((lo, hi): (f64, f64)) -> f64 {
    match hi - lo {
        s if s <= 12.0 => 1.0,
        s if s <= 25.0 => 2.5,
        s if s <= 50.0 => 5.0,
        _ => 10.0,
    }
}

fn x_of(weight: f64, (lo, hi): (f64, f64)) -> f64 {
    if hi <= lo {
        return 0.0;
    }
    ((weight - lo) / (hi - lo)).clamp(0.0, 1.0) * WIDTH
}

/// The weight under a pointer at `client_x` over `svg`, to two decimals; past either end
/// of the track the weight goes on (a drag is not stopped by the drawing), within 0–99.
fn weight_at(svg: &web_sys::Element, client_x: i32, (lo, hi): (f64, f64)) -> Decimal {
    let rect = svg.get_bounding_client_rect();
    let units = if rect.width() > 0.0 { (f64::from(client_x) - rect.left()) / rect.width() } else { 0.5 };
    let x = units * (WIDTH + 2.0 * PAD) - PAD;
    let weight = (lo + x / WIDTH * (hi - lo)).clamp(0.0, 99.0);
    to_decimal(weight, 2)
}

/// Sets model `id`'s weight through the engine.
fn move_to(id: &str, weight: Decimal) {
    let lab = lab();
    let next = lab.scenario.with_untracked(|s| uma_engine::with_weight(s, id, weight));
    lab.apply(next);
}

/// The chart of every model; the drift table below it is its text equivalent.
#[component]
pub fn BandChart() -> impl IntoView {
    let lab = lab();
    let count = Memo::new(move |_| lab.drift.with(|d| d.as_ref().map_or(0, |d| d.models.len())));
    let scale = Memo::new(move |_| lab.drift.with(|d| d.as_ref().map_or((0.0, 100.0), |d| domain(&d.models))));
    // Every model's weight shown (the account's, or the player's after its current step)
    // and, inside the rebalance, before that step (the ghosts): computed once for all rows.
    let weights = Memo::new(move |_| {
        let step = lab.step.get();
        lab.plan.with(|p| p.as_ref().map(|p| p.weights_at(step)).unwrap_or_default())
    });
    let ghosts = Memo::new(move |_| {
        let Some(before) = lab.step.get().checked_sub(1) else { return Vec::new() };
        lab.plan.with(|p| p.as_ref().map(|p| p.weights_at(before)).unwrap_or_default())
    });
    view! {
        <div class="band-chart" data-testid="band-chart">
            <div class="legend" data-testid="chart-legend">
                <span class="key band-key">"band (no trade inside)"</span>
                <span class="key point-key">"rebalance points"</span>
                <span class="key target-key">"target"</span>
                <span class="key weight-key">"weight: in band"</span>
                <span class="key under-key">"under"</span>
                <span class="key over-key">"over"</span>
                <span class="key ghost-key">"before the step"</span>
                <span class="key drag-key">"drag a weight to move the market"</span>
            </div>
            <For each=move || 0..count.get() key=|i| *i let:i>
                <ChartRow i scale weights ghosts />
            </For>
            <Axis scale />
        </div>
    }
}

/// The scale under the rows: ticks in percent, shared by every row.
#[component]
fn Axis(scale: Memo<(f64, f64)>) -> impl IntoView {
    let ticks = move || {
        let (lo, hi) = scale.get();
        let step = tick_step((lo, hi));
        let n = ((hi - lo) / step).round().max(0.0) as usize;
        (0..=n)
            .map(|k| {
                let w = lo + step * k as f64;
                let x = x_of(w, (lo, hi));
                let label = if step < 1.0 || w.fract() != 0.0 { format!("{w:.1}%") } else { format!("{w:.0}%") };
                view! {
                    <line x1=x x2=x y1="0" y2="5" class="axis" />
                    <text x=x y="16" class="tick" text-anchor="middle">{label}</text>
                }
            })
            .collect_view()
    };
    view! {
        <div class="chart-axis" aria-hidden="true">
            <span class="chart-label note">"weight in the account"</span>
            <svg viewBox=format!("{} 0 {} 20", -PAD, WIDTH + 2.0 * PAD) class="scale" data-testid="chart-scale">
                <line x1="0" x2=WIDTH y1="0" y2="0" class="axis" />
                {ticks}
            </svg>
        </div>
    }
}

/// How far a key moves the weight marker: a tenth of a point with the arrows, a point
/// with Page Up and Page Down.
fn key_step(key: &str) -> Option<Decimal> {
    match key {
        "ArrowRight" | "ArrowUp" => Some(Decimal::new(1, 1)),
        "ArrowLeft" | "ArrowDown" => Some(Decimal::new(-1, 1)),
        "PageUp" => Some(Decimal::ONE),
        "PageDown" => Some(-Decimal::ONE),
        _ => None,
    }
}

/// A weight as a short label: the engine's percent without trailing zeros, `27%`, `31.5%`.
fn short(w: Decimal) -> String {
    let text = format_percent(w);
    let number = text.trim_end_matches('%');
    let number = if number.contains('.') { number.trim_end_matches('0').trim_end_matches('.') } else { number };
    format!("{number}%")
}

/// What a row draws besides the weight: fixed by the strategy, so a drag (which changes
/// every weight) does not redraw it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Marks {
    /// The band's lower and upper edges.
    band: (Decimal, Decimal),
    /// The rebalance points below and above the target.
    points: (Decimal, Decimal),
    target: Decimal,
}

impl Marks {
    fn of(m: &ModelDrift) -> Marks {
        Marks {
            band: (m.band.lower, m.band.upper),
            points: (m.rebalance_points.below, m.rebalance_points.above),
            target: m.target,
        }
    }
}

/// A row's band, rebalance points and target on the shared scale `d`: the band's edges
/// labelled under the track, the target above it, and each rebalance point above it
/// where it does not sit on the target or a band edge (its title says it either way).
fn band_marks(m: Marks, d: (f64, f64)) -> AnyView {
    let (lower, upper) = (x_of(f(m.band.0), d), x_of(f(m.band.1), d));
    let (below, above) = (x_of(f(m.points.0), d), x_of(f(m.points.1), d));
    let target = x_of(f(m.target), d);
    let apart = |x: f64, from: &[f64]| from.iter().all(|o| (x - o).abs() > 34.0);
    // A narrow band's edge labels sit outside its edges rather than on them.
    let edge_anchor = move |outside: &'static str| if upper - lower < 60.0 { outside } else { "middle" };
    let point = move |x: f64, w: Decimal, side: &'static str| {
        let title = format!("Rebalance point {side} the target: {}", format_percent(w));
        let label = apart(x, &[target, lower, upper]).then(|| {
            view! { <text x=x y="9" class="point-label" text-anchor="middle">{short(w)}</text> }
        });
        view! {
            <line x1=x x2=x y1="14" y2="40" class="point">
                <title>{title}</title>
            </line>
            {label}
        }
    };
    view! {
        <rect x=lower y="16" width=(upper - lower).max(1.0) height="22" class="band">
            <title>{format!("Band {} – {}", format_percent(m.band.0), format_percent(m.band.1))}</title>
        </rect>
        {point(below, m.points.0, "below")}
        {point(above, m.points.1, "above")}
        <line x1=target x2=target y1="11" y2="43" class="target">
            <title>{format!("Target {}", format_percent(m.target))}</title>
        </line>
        <text x=target y="9" class="target-label" text-anchor="middle" data-testid="target-label">
            {short(m.target)}
        </text>
        <text x=lower y="49" class="tick" text-anchor=edge_anchor("end")>{short(m.band.0)}</text>
        <text x=upper y="49" class="tick" text-anchor=edge_anchor("start")>{short(m.band.1)}</text>
    }
    .into_any()
}

/// What model `i` does in the player's current step: `selling`, `buying` or nothing.
fn trading_class(i: usize) -> Memo<&'static str> {
    let lab = lab();
    Memo::new(move |_| {
        let step = lab.step.get();
        let id = lab.drift.with(|d| d.as_ref().ok().and_then(|d| d.models.get(i).map(|m| m.id.clone())));
        lab.plan.with(|p| {
            let s = p.as_ref().ok().and_then(|p| p.step_at(step));
            match (s, id) {
                (Some(s), Some(id)) if s.model == id && s.amount.is_sign_negative() => "selling",
                (Some(s), Some(id)) if s.model == id => "buying",
                _ => "",
            }
        })
    })
}

/// One model's row: its name and weight, and its track with the draggable marker.
#[component]
fn ChartRow(
    i: usize,
    scale: Memo<(f64, f64)>,
    weights: Memo<Vec<Decimal>>,
    ghosts: Memo<Vec<Decimal>>,
) -> impl IntoView {
    let lab = lab();
    let model = Memo::new(move |_| lab.drift.with(|d| d.as_ref().ok().and_then(|d| d.models.get(i).cloned())));
    let marks = Memo::new(move |_| model.with(|m| m.as_ref().map(Marks::of)));
    let name = Memo::new(move |_| model.with(|m| m.as_ref().map(|m| m.name.clone()).unwrap_or_default()));
    let id = Memo::new(move |_| model.with(|m| m.as_ref().map(|m| m.id.clone()).unwrap_or_default()));
    // This model's weight shown, and its ghost (the weight before the player's step).
    let weight = Memo::new(move |_| weights.with(|w| w.get(i).copied()));
    let ghost = Memo::new(move |_| ghosts.with(|w| w.get(i).copied()));
    let trading = trading_class(i);
    let dragging = RwSignal::new(false);
    let on_pointer = move |ev: web_sys::PointerEvent, starting: bool| {
        if !(starting || dragging.get_untracked()) {
            return;
        }
        let Some(m) = model.get_untracked() else { return };
        let Some(svg) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        if starting {
            dragging.set(true);
            let _ = svg.set_pointer_capture(ev.pointer_id());
        }
        ev.prevent_default();
        move_to(&m.id, weight_at(&svg, ev.client_x(), scale.get_untracked()));
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let (Some(m), Some(w)) = (model.get_untracked(), weight.get_untracked()) else { return };
        let Some(delta) = key_step(&ev.key()) else { return };
        ev.prevent_default();
        move_to(&m.id, (w + delta).max(Decimal::ZERO).min(Decimal::from(99)));
    };
    let marker_x = move || weight.get().map_or(-100.0, |w| x_of(f(w), scale.get()));
    let ghost_x = move || match (ghost.get(), weight.get()) {
        (Some(g), Some(w)) if g != w => Some(x_of(f(g), scale.get())),
        _ => None,
    };
    let marker_class = move || match (model.get(), weight.get()) {
        (Some(m), Some(w)) => format!("marker {}", status_class(m.status_of(w))),
        _ => "marker".to_owned(),
    };
    view! {
        <div
            class=move || format!("chart-row {}", trading.get())
            data-testid=move || format!("chart-{}", id.get())
        >
            <div class="chart-label">
                <span class="name">{move || name.get()}</span>
                <span class="trading" data-testid="trading">
                    {move || match trading.get() {
                        "selling" => "sells",
                        "buying" => "buys",
                        _ => "",
                    }}
                </span>
                <span class=move || marker_class().replace("marker", "weight")>
                    {move || weight.get().map(format_percent).unwrap_or_default()}
                </span>
            </div>
            <svg
                viewBox=format!("{} 0 {} {HEIGHT}", -PAD, WIDTH + 2.0 * PAD)
                class="track"
                class:dragging=move || dragging.get()
                on:pointerdown=move |ev| on_pointer(ev, true)
                on:pointermove=move |ev| on_pointer(ev, false)
                on:pointerup=move |_| dragging.set(false)
                on:pointercancel=move |_| dragging.set(false)
            >
                <line x1="0" x2=WIDTH y1=MID y2=MID class="axis" />
                {move || match marks.get() {
                    Some(m) => band_marks(m, scale.get()),
                    None => ().into_any(),
                }}
                {move || {
                    ghost_x()
                        .map(|g| {
                            view! {
                                <line x1=g x2=marker_x y1=MID y2=MID class="trail" />
                                <circle cx=g cy=MID r="6" class="ghost" data-testid="ghost"></circle>
                            }
                        })
                }}
                <circle
                    cx=marker_x
                    cy=MID
                    r="8"
                    class=marker_class
                    tabindex="0"
                    role="slider"
                    aria-label=move || format!("Weight of {}", name.get())
                    aria-valuemin="0"
                    aria-valuemax="99"
                    aria-valuenow=move || weight.get().map(|w| w.to_string()).unwrap_or_default()
                    aria-valuetext=move || weight.get().map(format_percent).unwrap_or_default()
                    data-testid="weight-marker"
                    on:keydown=on_key
                ></circle>
            </svg>
        </div>
    }
}
