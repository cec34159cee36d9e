//! Growth and drawdown: the account's value under every policy on the run's market,
//! against never rebalancing, and how far each fell from its highs. The engine's
//! [`uma_engine::growth`] runs the policies and writes the sentence; this draws them.

use leptos::prelude::*;
use uma_engine::{format_dollars, Decimal, Growth, Policy, PolicyGrowth};

use crate::ui::lines::envelope;
use crate::ui::numbers::{fraction_percent as pct, to_decimal};

const W: f64 = 720.0;
const LEFT: f64 = 112.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 24.0;
/// Plot heights of the growth and drawdown charts.
const GROWTH_H: f64 = 190.0;
const FALL_H: f64 = 110.0;
/// Room under a plot for the years.
const AXIS: f64 = 24.0;
const BUCKETS: usize = (W - LEFT - RIGHT) as usize / 2;

/// The class that colours `policy`'s line and its key.
fn line_class(policy: Policy) -> String {
    format!("growth-line {}", policy.name())
}

/// About `count` round steps between `lo` and `hi`: 1, 2 or 5 times a power of ten.
fn nice_ticks(lo: f64, hi: f64, count: f64) -> Vec<f64> {
    if hi <= lo || !lo.is_finite() || !hi.is_finite() {
        return vec![lo];
    }
    let raw = (hi - lo) / count;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|s| *s >= raw).unwrap_or(raw);
    let first = (lo / step).ceil() * step;
    (0..=count as usize * 2 + 2).map(|k| first + step * k as f64).take_while(|v| *v <= hi + step * 1e-9).collect()
}

/// Round values between `lo` and `hi` for a log axis: 1, 2 and 5 of each power of ten
/// over a range of a decade or two, the powers alone over a wider one.
fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if lo <= 0.0 || hi <= lo || !hi.is_finite() {
        return Vec::new();
    }
    let (first, last) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let multiples: &[f64] = if last - first <= 2 { &[1.0, 2.0, 5.0] } else { &[1.0] };
    (first..=last)
        .flat_map(|k| multiples.iter().map(move |m| m * 10f64.powi(k)))
        .filter(|v| (lo..=hi).contains(v))
        .collect()
}

/// A fall's tick: `0%` at the top, then `−25.00%`.
fn fall_label(d: f64) -> String {
    if d == 0.0 {
        "0%".to_string()
    } else {
        format!("−{}", pct(d))
    }
}

/// A polyline's points for `values` scaled into `[top, top + height]` from `(lo, hi)`.
fn points(values: &[f64], x_of: &dyn Fn(usize) -> f64, y_of: &dyn Fn(f64) -> f64) -> String {
    envelope(values, BUCKETS)
        .into_iter()
        .map(|(t, v)| format!("{:.1},{:.1}", x_of(t), y_of(v)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The growth of every policy and its drawdown, with a table of where each ended.
#[component]
pub fn GrowthView(
    /// Every policy's run on the market.
    growth: Growth,
) -> impl IntoView {
    let n = growth.dates.len().max(2);
    let x_of = move |t: usize| LEFT + t as f64 / (n - 1) as f64 * (W - LEFT - RIGHT);
    let all = || growth.policies.iter().flat_map(|p| p.values.iter().copied()).filter(|v| v.is_finite());
    let (lo, hi) = all().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    // A log scale: equal heights are equal percentage moves, so decades of growth do not
    // flatten the early years into a line along the bottom.
    let (lo, hi) = if lo > 0.0 && hi > lo { (lo / 1.05, hi * 1.05) } else { (1.0, 10.0) };
    let (log_lo, log_hi) = (lo.ln(), hi.ln());
    let y_value = move |v: f64| TOP + (log_hi - v.max(lo).ln()) / (log_hi - log_lo) * GROWTH_H;
    let deepest = growth.policies.iter().map(|p| p.max_drawdown).fold(0.0, f64::max).max(0.01);
    let fall_top = TOP + GROWTH_H + AXIS + 26.0;
    let y_fall = move |d: f64| fall_top + d / deepest * FALL_H;
    let height = fall_top + FALL_H + AXIS;
    // Years: about six, at a date's index.
    let step = (growth.dates.len() / 6).max(1);
    let years: Vec<(f64, String)> =
        (0..growth.dates.len()).step_by(step).map(|t| (x_of(t), growth.dates[t].year().to_string())).collect();
    let year_ticks = move |y: f64| {
        years
            .iter()
            .map(|(x, year)| {
                let anchor = if *x > W - RIGHT - 24.0 { "end" } else { "middle" };
                view! { <text x=*x y=y class="tick" text-anchor=anchor>{year.clone()}</text> }
            })
            .collect_view()
    };
    let value_ticks = log_ticks(lo, hi)
        .into_iter()
        .map(|v| {
            let y = y_value(v);
            view! {
                <line x1=LEFT x2=W - RIGHT y1=y y2=y class="grid" />
                <text x=LEFT - 6.0 y=y + 5.0 class="tick" text-anchor="end">{format_dollars(to_decimal(v, 0))}</text>
            }
        })
        .collect_view();
    let fall_ticks = nice_ticks(0.0, deepest, 4.0)
        .into_iter()
        .map(|d| {
            let y = y_fall(d);
            view! {
                <line x1=LEFT x2=W - RIGHT y1=y y2=y class="grid" />
                <text x=LEFT - 6.0 y=y + 5.0 class="tick" text-anchor="end">{fall_label(d)}</text>
            }
        })
        .collect_view();
    let lines = growth
        .policies
        .iter()
        .map(|p| {
            let growth_points = points(&p.values, &x_of, &y_value);
            let fall_points = points(&p.drawdown, &x_of, &y_fall);
            view! {
                <polyline points=growth_points class=line_class(p.policy) data-testid=format!("growth-{}", p.policy.name()) />
                <polyline points=fall_points class=line_class(p.policy) data-testid=format!("drawdown-{}", p.policy.name()) />
            }
        })
        .collect_view();
    let words = growth.words();
    let never = growth.of(Policy::Never).map_or(Decimal::ZERO, |p| p.final_value);
    let rows = growth.policies.iter().map(|p| row(p, never)).collect_view();
    view! {
        <figure class="growth" data-testid="growth">
            <figcaption>
                <strong>"Growth against never rebalancing, and drawdown"</strong>
                <span class="note">" on this market, with the same looks and costs."</span>
            </figcaption>
            <p data-testid="growth-words">{words.clone()}</p>
            <svg viewBox=format!("0 0 {W} {height}") role="img" aria-label=words>
                <text x=LEFT + 4.0 y=TOP - 8.0 class="chart-title">"Value (log scale: equal heights are equal % moves)"</text>
                {value_ticks}
                {fall_ticks}
                <text x=LEFT + 4.0 y=fall_top - 6.0 class="chart-title">"Fall from the highest value so far"</text>
                {lines}
                {year_ticks(TOP + GROWTH_H + 18.0)}
                {year_ticks(fall_top + FALL_H + 18.0)}
            </svg>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Growth of each policy">
                <table class="growth-table" data-testid="growth-table">
                    <thead>
                        <tr>
                            <th scope="col">"Policy"</th>
                            <th scope="col">"Ending value"</th>
                            <th scope="col">"Against never"</th>
                            <th scope="col">"Deepest fall"</th>
                            <th scope="col">"Rebalances"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </figure>
    }
}

/// One policy's row of the table, its key the line's colour.
fn row(p: &PolicyGrowth, never: Decimal) -> impl IntoView {
    let gap = p.final_value - never;
    let versus = if p.policy == Policy::Never {
        "—".to_string()
    } else if gap.is_sign_negative() {
        format!("−{}", format_dollars(gap.abs()))
    } else {
        format!("+{}", format_dollars(gap))
    };
    view! {
        <tr data-testid=format!("growth-row-{}", p.policy.name())>
            <th scope="row">
                <span class=format!("key {}", line_class(p.policy)) aria-hidden="true"></span>
                {p.policy.short_label()}
            </th>
            <td>{format_dollars(p.final_value)}</td>
            <td>{versus}</td>
            <td>{pct(p.max_drawdown)}</td>
            <td>{p.rebalances}</td>
        </tr>
    }
}
