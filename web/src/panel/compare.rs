//! The range modes compared on the same account, with the trade-off curve over the whole
//! interior range.

use leptos::prelude::*;
use uma_engine::{format_money, format_percent, round_points, CurvePoint, Decimal, ModeOutcome, Range};

use crate::host::host;
use crate::ui::numbers::to_f64 as f;

/// Target, band and interior side by side, and the traded-versus-drift curve.
#[component]
pub fn CompareModes() -> impl IntoView {
    let host = host();
    let modes = Memo::new(move |_| {
        host.scenario.with(|s| uma_engine::compare_ranges(s, s.strategy.range.percent_or_default()).ok())
    });
    let curve = Memo::new(move |_| host.scenario.with(|s| uma_engine::interior_curve(s).ok()));
    let names = Memo::new(move |_| {
        host.scenario.with(|s| s.strategy.models.iter().map(|m| m.label().to_owned()).collect::<Vec<_>>().join(" / "))
    });
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Table of the range modes compared">
        <table class="compare" data-testid="compare-table">
            <thead>
                <tr>
                    <th scope="col">"Range mode"</th>
                    <th scope="col">{move || format!("Weights after ({})", names.get())}</th>
                    <th scope="col">"Traded"</th>
                    <th scope="col">"Steps"</th>
                    <th scope="col">"Drift left"</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    modes
                        .get()
                        .unwrap_or_default()
                        .into_iter()
                        .map(|m| {
                            let weights = m.weights_after.iter().map(|w| format_percent(*w)).collect::<Vec<_>>().join(" / ");
                            view! {
                                <tr data-testid=format!("compare-{}", m.range.mode())>
                                    <th scope="row">{m.label.clone()}</th>
                                    <td class="weights">{weights}</td>
                                    <td>{format_money(m.traded)}</td>
                                    <td>{m.steps}</td>
                                    <td>{format!("{} pts", round_points(m.drift_left))}</td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
        </div>
        <p class="note">
            "Drift left is the sum over models of |weight − target| after the rebalance: what each mode leaves in motion."
        </p>
        {move || match (curve.get(), modes.get()) {
            (Some(curve), Some(modes)) => view! { <TradeOffCurve curve modes /> }.into_any(),
            _ => ().into_any(),
        }}
    }
}

const W: f64 = 560.0;
const H: f64 = 220.0;
const PAD: f64 = 44.0;

/// Dollars traded (y) against drift left (x) for interior 1–99%, with the target, the
/// halfway point and the band edge marked.
#[component]
fn TradeOffCurve(curve: Vec<CurvePoint>, modes: Vec<ModeOutcome>) -> impl IntoView {
    let target = modes.iter().find(|m| m.range == Range::Target);
    let band = modes.iter().find(|m| m.range == Range::Band);
    let halfway = curve.iter().find(|p| Decimal::from(p.percent_to_target) == Range::DEFAULT_PERCENT);
    let mut xs: Vec<f64> = curve.iter().map(|p| f(p.drift_left)).collect();
    let mut ys: Vec<f64> = curve.iter().map(|p| f(p.traded)).collect();
    for m in [target, band].into_iter().flatten() {
        xs.push(f(m.drift_left));
        ys.push(f(m.traded));
    }
    let max_x = xs.iter().copied().fold(0.0, f64::max).max(0.01);
    let max_y = ys.iter().copied().fold(0.0, f64::max).max(1.0);
    let px = move |x: f64| PAD + x / max_x * (W - PAD - 12.0);
    let py = move |y: f64| H - PAD + 8.0 - y / max_y * (H - PAD - 8.0);
    let points = curve
        .iter()
        .map(|p| format!("{:.1},{:.1}", px(f(p.drift_left)), py(f(p.traded))))
        .collect::<Vec<_>>()
        .join(" ");
    let mark = |label: &'static str, drift: Decimal, traded: Decimal, class: &'static str| {
        let (x, y) = (px(f(drift)), py(f(traded)));
        // Labels near the right edge go to the left of their point.
        let (dx, anchor) = if x > W * 0.7 { (-8.0, "end") } else { (8.0, "start") };
        view! {
            <g class=format!("mark {class}")>
                <circle cx=x cy=y r="5" />
                <text x=x + dx y=y - 8.0 text-anchor=anchor>{label}</text>
            </g>
        }
    };
    let summary = format!(
        "From target ({} traded, {} points left) to band edge ({} traded, {} points left).",
        target.map(|m| format_money(m.traded)).unwrap_or_default(),
        target.map(|m| round_points(m.drift_left).to_string()).unwrap_or_default(),
        band.map(|m| format_money(m.traded)).unwrap_or_default(),
        band.map(|m| round_points(m.drift_left).to_string()).unwrap_or_default(),
    );
    view! {
        <figure class="curve" data-testid="trade-off-curve">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=summary.clone()>
                <line x1=PAD y1=H - PAD + 8.0 x2=W - 8.0 y2=H - PAD + 8.0 class="axis" />
                <line x1=PAD y1="4" x2=PAD y2=H - PAD + 8.0 class="axis" />
                <text x=W / 2.0 y=H - 6.0 text-anchor="middle" class="axis-label">
                    {format!("Drift left (points, 0 – {max_x:.2})")}
                </text>
                <text x="12" y=H / 2.0 - 20.0 class="axis-label" transform=format!("rotate(-90 12 {})", H / 2.0 - 20.0) text-anchor="middle">
                    "Traded"
                </text>
                <text x=PAD - 4.0 y="14" text-anchor="end" class="tick">{format!("${:.0}k", max_y / 1000.0)}</text>
                <polyline points=points class="line" />
                {target.map(|m| mark("Target", m.drift_left, m.traded, "target"))}
                {halfway.map(|p| mark("Halfway", p.drift_left, p.traded, "halfway"))}
                {band.map(|m| mark("Band edge", m.drift_left, m.traded, "band"))}
            </svg>
            <figcaption>"Interior range from 1% (next to the target) to 99% (next to the band edge). " {summary}</figcaption>
        </figure>
    }
}
