//! Playing the rebalance step by step: run (the plan, listed), play, pause, step
//! forward and back, restart, end, speed. Each step moves that model's weight on the band
//! chart, the gauge shows the cash pool on a dollar scale, and the step's sentence reads
//! as in the paper. At the end, the before / after / trade table.

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
    // Whether the plan's steps are listed ("Run the rebalance" lists them).
    let listed = RwSignal::new(false);

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
            Ok(plan) => match plan.step_at(step) {
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
                .and_then(|plan| plan.step_at(step))
                .map(|s| phase_label(s.phase))
                .unwrap_or("Before the rebalance")
        })
    };
    view! {
        <div class="player" data-testid="player">
            <ReplayBanner />
            <Transport playing speed len listed />
            <p class="phase-name">{phase}</p>
            <p class="sentence" data-testid="step-text" aria-live="polite">{sentence}</p>
            <PoolGauge />
            {move || listed.get().then(|| view! { <StepList /> })}
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
    /// Whether the plan's steps are listed.
    listed: RwSignal<bool>,
) -> impl IntoView {
    let lab = lab();
    let (back, forward) = (NodeRef::<leptos::html::Button>::new(), NodeRef::<leptos::html::Button>::new());
    // A button that disables keeps no focus: it goes to the other direction's button, so
    // that focus never drops to the page's body.
    let at = move |step: usize| {
        let step = step.min(len.get_untracked());
        lab.step.set(step);
        let focused = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
        let is = |button: NodeRef<leptos::html::Button>| {
            button.get_untracked().is_some_and(|b| focused.as_ref().is_some_and(|f| f == b.as_ref()))
        };
        let next = if step >= len.get_untracked() && is(forward) {
            back
        } else if step == 0 && is(back) {
            forward
        } else {
            return;
        };
        if let Some(button) = next.get_untracked() {
            let _ = button.focus();
        }
    };
    let toggle = move |_| {
        if !playing.get_untracked() && lab.step.get_untracked() >= len.get_untracked() {
            lab.step.set(0);
        }
        playing.update(|p| *p = !*p);
    };
    let run = move |_| {
        playing.set(false);
        lab.step.set(0);
        listed.set(true);
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
                node_ref=back
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
                node_ref=forward
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

/// The cash pool at the player's step, as a bar centred on zero on a dollar scale (the
/// largest pool of the rebalance at either end), and the step's movement of cash: out of
/// the selling sleeve into the pool, or out of the pool into the buying one.
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
    let largest = move || gauge.get().map_or(String::new(), |(_, largest)| format_money(largest));
    view! {
        <div class="gauge" data-testid="pool-gauge">
            <span class="gauge-label">{words}</span>
            <CashFlow />
            <div class="gauge-track" aria-hidden="true">
                <div
                    class=move || { if fraction() < 0.0 { "gauge-fill short" } else { "gauge-fill" } }
                    style:left=move || format!("{}%", 50.0 + 50.0 * fraction().min(0.0))
                    style:width=move || format!("{}%", 50.0 * fraction().abs())
                ></div>
                <div class="gauge-zero"></div>
            </div>
            <div class="gauge-scale" data-testid="gauge-scale">
                <span>{move || format!("−{} to raise", largest())}</span>
                <span>"$0"</span>
                <span>{move || format!("{} to invest", largest())}</span>
            </div>
        </div>
    }
}

/// The cash the player's current step moves: from the selling sleeve into the pool, or
/// from the pool into the buying sleeve; drawn anew (and animated) at each step.
#[component]
fn CashFlow() -> impl IntoView {
    let lab = lab();
    move || {
        let step = lab.step.get();
        lab.plan.with(|p| {
            let plan = p.as_ref().ok()?;
            let s = plan.step_at(step)?;
            let name = plan.models.iter().find(|m| m.id == s.model).map_or(s.model.as_str(), |m| m.name.as_str());
            let amount = format_money(s.amount.abs());
            let (class, words) = if s.amount.is_sign_negative() {
                ("cash-move out", format!("{name} → cash pool: {amount}"))
            } else {
                ("cash-move in", format!("cash pool → {name}: {amount}"))
            };
            Some(view! { <span class=class data-testid="cash-flow">{words}</span> })
        })
    }
}

/// The plan the rebalance follows, one step a line; the step the player is at is marked,
/// and a click moves the player to the end of that step.
#[component]
fn StepList() -> impl IntoView {
    let lab = lab();
    let steps = Memo::new(move |_| -> Vec<(&'static str, String)> {
        lab.plan.with(|p| {
            p.as_ref()
                .map(|p| p.steps.iter().map(|s| (phase_label(s.phase), s.text.clone())).collect())
                .unwrap_or_default()
        })
    });
    view! {
        <ol class="step-list" data-testid="step-list" aria-label="The rebalance's steps">
            {move || {
                steps
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(k, (phase, text))| {
                        view! {
                            <li class:current=move || lab.step.get() == k + 1 data-testid="plan-step">
                                <button
                                    type="button"
                                    class="step-link"
                                    aria-current=move || (lab.step.get() == k + 1).then_some("step")
                                    on:click=move |_| lab.step.set(k + 1)
                                >
                                    <span class="phase-name">{phase}</span>
                                    " "
                                    {text}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ol>
    }
}

/// The allocation before and after the rebalance as two stacked bars, a segment per
/// model (and one for cash), as advisors are used to seeing it.
#[component]
fn Allocation(
    /// The rebalance to show.
    plan: Rebalance,
) -> impl IntoView {
    let bar = |label: &'static str, weights: Vec<(String, uma_engine::Decimal)>| {
        let cash = uma_engine::Decimal::ONE_HUNDRED - weights.iter().map(|(_, w)| *w).sum::<uma_engine::Decimal>();
        let segments = weights
            .into_iter()
            .enumerate()
            .map(|(k, (name, w))| (format!("segment seg-{}", k % 8), name, w))
            .chain((cash > uma_engine::Decimal::ZERO).then(|| ("segment seg-cash".to_owned(), "Cash".to_owned(), cash)))
            .map(|(class, name, w)| {
                let words = format!("{name} {}", format_percent(w));
                let title = words.clone();
                view! {
                    <span class=class style:width=format!("{}%", to_f64(w)) title=title>
                        <span class="segment-text">{words}</span>
                    </span>
                }
            })
            .collect_view();
        view! {
            <div class="allocation-row">
                <span class="allocation-label">{label}</span>
                <div class="allocation-bar" role="img" aria-label=format!("{label} the rebalance")>{segments}</div>
            </div>
        }
    };
    let before = plan.models.iter().map(|m| (m.name.clone(), m.weight_before)).collect();
    let after = plan.models.iter().map(|m| (m.name.clone(), m.weight_after)).collect();
    view! {
        <div class="allocation" data-testid="allocation">
            {bar("Before", before)}
            {bar("After", after)}
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
    let bars = Allocation(AllocationProps { plan: plan.clone() });
    view! {
        <p class="summary" data-testid="outcome-summary">{headline}</p>
        {bars}
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
