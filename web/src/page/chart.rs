//! The band chart: per model, a track with its band, rebalance points, target and
//! current weight, coloured by status. Dragging the weight (or clicking the track, or the
//! arrow keys on the marker) moves the market: that sleeve is revalued while the others
//! keep their dollar values.

use leptos::prelude::*;
use uma_engine::{format_percent, Decimal, ModelDrift};
use wasm_bindgen::JsCast;

use crate::state::lab;
use crate::ui::numbers::{to_decimal, to_f64 as f};
use crate::ui::status::status_class;

/// The drawing's width in SVG units; rows scale to the page's width.
const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 46.0;

/// The weights a row's track spans: its band with as much again on each side, within
/// 0–100. Fixed by the band, so the track does not move under a dragging pointer.
fn domain(m: &ModelDrift) -> (f64, f64) {
    let (lower, upper) = (f(m.band.lower), f(m.band.upper));
    let span = (upper - lower).max(1.0);
    ((lower - span).max(0.0), (upper + span).min(100.0))
}

fn x_of(weight: f64, (lo, hi): (f64, f64)) -> f64 {
    ((weight - lo) / (hi - lo)).clamp(0.0, 1.0) * WIDTH
}

/// The weight under a pointer at `client_x` over `svg`, to two decimals.
fn weight_at(svg: &web_sys::Element, client_x: i32, (lo, hi): (f64, f64)) -> Decimal {
    let rect = svg.get_bounding_client_rect();
    let fraction =
        if rect.width() > 0.0 { ((f64::from(client_x) - rect.left()) / rect.width()).clamp(0.0, 1.0) } else { 0.0 };
    let weight = lo + fraction * (hi - lo);
    to_decimal(weight, 2).min(Decimal::from(99))
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
    view! {
        <div class="band-chart" data-testid="band-chart">
            <div class="legend" aria-hidden="true">
                <span class="key band-key">"band"</span>
                <span class="key point-key">"rebalance points"</span>
                <span class="key target-key">"target"</span>
                <span class="key weight-key">"weight (drag me)"</span>
            </div>
            <For each=move || 0..count.get() key=|i| *i let:i>
                <ChartRow i />
            </For>
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

/// A row's band, rebalance points and target, with the band's edges labelled.
fn band_marks(m: &ModelDrift) -> AnyView {
    let d = domain(m);
    let (lower, upper) = (x_of(f(m.band.lower), d), x_of(f(m.band.upper), d));
    let (below, above) = (x_of(f(m.rebalance_points.below), d), x_of(f(m.rebalance_points.above), d));
    let target = x_of(f(m.target), d);
    view! {
        <rect x=lower y="12" width=(upper - lower).max(1.0) height="22" class="band" />
        <line x1=below x2=below y1="10" y2="36" class="point" />
        <line x1=above x2=above y1="10" y2="36" class="point" />
        <line x1=target x2=target y1="6" y2="40" class="target" />
        <text x=lower y="44" class="tick" text-anchor="middle">{format!("{:.1}", f(m.band.lower))}</text>
        <text x=upper y="44" class="tick" text-anchor="middle">{format!("{:.1}", f(m.band.upper))}</text>
    }
    .into_any()
}

/// One model's row: its name and weight, and its track with the draggable marker.
#[component]
fn ChartRow(i: usize) -> impl IntoView {
    let lab = lab();
    let model = Memo::new(move |_| lab.drift.with(|d| d.as_ref().ok().and_then(|d| d.models.get(i).cloned())));
    // The weight shown: the account's, or the player's after its current step.
    let weight = Memo::new(move |_| {
        let step = lab.step.get();
        lab.plan.with(|p| p.as_ref().ok().and_then(|p| p.weights_at(step).get(i).copied()))
    });
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
        move_to(&m.id, weight_at(&svg, ev.client_x(), domain(&m)));
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let (Some(m), Some(w)) = (model.get_untracked(), weight.get_untracked()) else { return };
        let Some(delta) = key_step(&ev.key()) else { return };
        ev.prevent_default();
        move_to(&m.id, (w + delta).max(Decimal::ZERO).min(Decimal::from(99)));
    };
    let marker_x = move || match (model.get(), weight.get()) {
        (Some(m), Some(w)) => x_of(f(w), domain(&m)),
        _ => -100.0,
    };
    let marker_class = move || match (model.get(), weight.get()) {
        (Some(m), Some(w)) => format!("marker {}", status_class(m.status_of(w))),
        _ => "marker".to_owned(),
    };
    view! {
        <div class="chart-row" data-testid=move || model.get().map(|m| format!("chart-{}", m.id)).unwrap_or_default()>
            <div class="chart-label">
                <span class="name">{move || model.get().map(|m| m.name).unwrap_or_default()}</span>
                <span class=move || marker_class().replace("marker", "weight")>
                    {move || weight.get().map(format_percent).unwrap_or_default()}
                </span>
            </div>
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                class="track"
                class:dragging=move || dragging.get()
                on:pointerdown=move |ev| on_pointer(ev, true)
                on:pointermove=move |ev| on_pointer(ev, false)
                on:pointerup=move |_| dragging.set(false)
                on:pointercancel=move |_| dragging.set(false)
            >
                <line x1="0" x2=WIDTH y1="23" y2="23" class="axis" />
                {move || match model.get() {
                    Some(m) => band_marks(&m),
                    None => ().into_any(),
                }}
                <circle
                    cx=marker_x
                    cy="23"
                    r="8"
                    class=marker_class
                    tabindex="0"
                    role="slider"
                    aria-label=move || model.get().map(|m| format!("Weight of {}", m.name)).unwrap_or_default()
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
