//! Playing the rebalance step by step: play, pause, step forward and back, restart,
//! speed. Each step moves that model's weight on the band chart, the gauge shows the cash
//! pool, and the step's sentence reads as in the paper. At the end, the before / after /
//! trade table.

use std::time::Duration;

use leptos::prelude::*;
use uma_engine::{format_money, format_percent, pool_words, Phase, Rebalance};

use crate::state::lab;
use crate::ui::numbers::to_f64;

fn phase_label(phase: Phase) -> &'static str {
    match phase {
        Phase::OutOfBand => "Phase 1 · out of band",
        Phase::ToRange => "Phase 2 · to range",
        Phase::Increment => "Phase 3 · increment",
        Phase::ToTarget => "Full rebalance · to target",
    }
}

/// The player, its gauge and the final table.
#[component]
pub fn Player() -> impl IntoView {
    let lab = lab();
    let playing = RwSignal::new(false);
    // Milliseconds per step.
    let speed = RwSignal::new(900u64);
    let len = Memo::new(move |_| lab.plan.with(|p| p.as_ref().map_or(0, |p| p.steps.len())));

    // The timer lives at the edge: it runs while `playing`, and stops at the end.
    Effect::new(move |_| {
        if !playing.get() {
            return;
        }
        let tick = move || {
            let step = lab.step.get_untracked();
            if step < len.get_untracked() {
                lab.step.set(step + 1);
            }
            if step + 1 >= len.get_untracked() {
                playing.set(false);
            }
        };
        if let Ok(handle) = set_interval_with_handle(tick, Duration::from_millis(speed.get())) {
            on_cleanup(move || handle.clear());
        }
    });

    let sentence = move || {
        let step = lab.step.get();
        lab.plan.with(|p| match p {
            Err(_) => String::new(),
            Ok(plan) if plan.steps.is_empty() => {
                "Every model is in band and no cash is to move: nothing to trade.".into()
            }
            Ok(plan) => match step.checked_sub(1).and_then(|k| plan.steps.get(k)) {
                None => format!("Ready: {} steps. Press play, or step through them.", plan.steps.len()),
                Some(s) => s.text.clone(),
            },
        })
    };
    let phase = move || {
        let step = lab.step.get();
        lab.plan.with(|p| {
            p.as_ref()
                .ok()
                .and_then(|plan| step.checked_sub(1).and_then(|k| plan.steps.get(k)))
                .map(|s| phase_label(s.phase))
                .unwrap_or("Before the rebalance")
        })
    };
    view! {
        <div class="player" data-testid="player">
            <ReplayBanner />
            <Transport playing speed len />
            <p class="phase-name">{phase}</p>
            <p class="sentence" data-testid="step-text" aria-live="polite">{sentence}</p>
            <PoolGauge />
            {move || {
                let finished = lab.step.get() >= len.get();
                lab.plan.get().ok().filter(|_| finished).map(|plan| view! { <OutcomeTable plan /> })
            }}
        </div>
    }
}

/// The title of a rebalance opened from elsewhere, and the way back to the account's own.
#[component]
fn ReplayBanner() -> impl IntoView {
    let lab = lab();
    move || {
        lab.replay.with(|r| r.as_ref().map(|r| r.title.clone())).map(|title| {
            view! {
                <div class="replay" role="status" data-testid="replay-banner">
                    <span data-testid="replay-title">{title}</span>
                    <button
                        type="button"
                        data-testid="replay-close"
                        on:click=move |_| {
                            lab.replay.set(None);
                            lab.step.set(0);
                        }
                    >
                        "Back to this account's rebalance"
                    </button>
                </div>
            }
        })
    }
}

/// The player's buttons: run, restart, back, play or pause, forward, end; the speed and
/// the step counter.
#[component]
fn Transport(
    /// Whether the player is playing.
    playing: RwSignal<bool>,
    /// Milliseconds per step.
    speed: RwSignal<u64>,
    /// Steps in the rebalance.
    len: Memo<usize>,
) -> impl IntoView {
    let lab = lab();
    let at = move |step: usize| {
        lab.step.set(step.min(len.get_untracked()));
    };
    let toggle = move |_| {
        if !playing.get_untracked() && lab.step.get_untracked() >= len.get_untracked() {
            lab.step.set(0);
        }
        playing.update(|p| *p = !*p);
    };
    let run = move |_| {
        lab.step.set(0);
        playing.set(len.get_untracked() > 0);
    };
    view! {
        <div class="transport" role="group" aria-label="Rebalance player">
            <button type="button" class="primary" on:click=run data-testid="run-rebalance">
                "Run the rebalance"
            </button>
            <button type="button" on:click=move |_| at(0) data-testid="restart" aria-label="Restart">
                "Restart"
            </button>
            <button
                type="button"
                on:click=move |_| at(lab.step.get_untracked().saturating_sub(1))
                disabled=move || lab.step.get() == 0
                data-testid="step-back"
                aria-label="Step back"
            >
                "Back"
            </button>
            <button type="button" on:click=toggle data-testid="play" aria-pressed=move || playing.get().to_string()>
                {move || if playing.get() { "Pause" } else { "Play" }}
            </button>
            <button
                type="button"
                on:click=move |_| at(lab.step.get_untracked() + 1)
                disabled=move || { lab.step.get() >= len.get() }
                data-testid="step-forward"
                aria-label="Step forward"
            >
                "Forward"
            </button>
            <button type="button" on:click=move |_| at(len.get_untracked()) data-testid="to-end" aria-label="Go to the end">
                "End"
            </button>
            <label class="speed">
                "Speed "
                <select
                    data-testid="speed"
                    on:change:target=move |ev| speed.set(ev.target().value().parse().unwrap_or(900))
                >
                    <option value="1800">"½×"</option>
                    <option value="900" selected>"1×"</option>
                    <option value="450">"2×"</option>
                    <option value="150">"6×"</option>
                </select>
            </label>
            <span class="counter" data-testid="step-counter">
                {move || format!("Step {} of {}", lab.step.get(), len.get())}
            </span>
        </div>
    }
}

/// The cash pool at the player's step, as a bar centred on zero.
#[component]
fn PoolGauge() -> impl IntoView {
    let lab = lab();
    let gauge = Memo::new(move |_| {
        let step = lab.step.get();
        lab.plan.with(|p| {
            p.as_ref().ok().map(|plan| {
                let largest = (0..=plan.steps.len()).map(|k| plan.pool_at(k).abs()).max().unwrap_or_default();
                (plan.pool_at(step), largest)
            })
        })
    });
    let fraction =
        move || gauge.get().map_or(0.0, |(pool, largest)| if largest.is_zero() { 0.0 } else { to_f64(pool / largest) });
    let words = move || gauge.get().map_or(String::new(), |(pool, _)| pool_words(pool));
    view! {
        <div class="gauge" data-testid="pool-gauge">
            <span class="gauge-label">{words}</span>
            <div class="gauge-track" aria-hidden="true">
                <div
                    class=move || { if fraction() < 0.0 { "gauge-fill short" } else { "gauge-fill" } }
                    style:left=move || format!("{}%", 50.0 + 50.0 * fraction().min(0.0))
                    style:width=move || format!("{}%", 50.0 * fraction().abs())
                ></div>
                <div class="gauge-zero"></div>
            </div>
        </div>
    }
}

/// Each model before, after and traded.
#[component]
pub fn OutcomeTable(
    /// The rebalance to show.
    plan: Rebalance,
) -> impl IntoView {
    let mut mode = plan.range.clone();
    if let Some(first) = mode.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    let mode = if plan.range == "full" { "Full rebalance to target".to_owned() } else { format!("{mode} range") };
    let headline = format!(
        "{mode}: {} traded in {} steps; cash ends at {}.",
        format_money(plan.traded),
        plan.steps.len(),
        format_money(plan.cash_after)
    );
    view! {
        <p class="summary" data-testid="outcome-summary">{headline}</p>
        <table class="outcome" data-testid="outcome-table">
            <thead>
                <tr>
                    <th scope="col">"Model"</th>
                    <th scope="col">"Before"</th>
                    <th scope="col">"After"</th>
                    <th scope="col">"Trade"</th>
                    <th scope="col">"Value after"</th>
                </tr>
            </thead>
            <tbody>
                {plan
                    .models
                    .into_iter()
                    .map(|m| {
                        view! {
                            <tr data-testid=format!("outcome-{}", m.id)>
                                <th scope="row">{m.name}</th>
                                <td>{format_percent(m.weight_before)}</td>
                                <td data-testid="weight-after">{format_percent(m.weight_after)}</td>
                                <td>{format_money(m.trade)}</td>
                                <td>{format_money(m.value_after)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
