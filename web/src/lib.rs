//! UMA Rebalance Lab in the browser: a Leptos (client-side rendering) app that runs the
//! engine compiled to wasm. No server and no network request beyond the page's own files.
//!
//! State is the scenario's JSON text; the parsed scenario, the drift report and the
//! rebalance are memos derived from it. Components only render and turn events into new
//! state: every rule lives in `uma-engine`.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod js_api;
pub mod presets;

use leptos::prelude::*;
use uma_engine::{format_money, format_percent, DriftReport, Error, Rebalance, Scenario, Status};

/// The whole app: pick a preset or edit the scenario, see the drift and the rebalance.
#[component]
pub fn App() -> impl IntoView {
    let (text, set_text) = signal(presets::PRESETS[0].json.to_owned());
    let scenario = Memo::new(move |_| text.with(|t| Scenario::from_json(t)));
    let drift = Memo::new(move |_| scenario.with(|s| s.as_ref().map_err(Error::clone).and_then(uma_engine::drift)));
    let plan = Memo::new(move |_| scenario.with(|s| s.as_ref().map_err(Error::clone).and_then(uma_engine::rebalance)));

    view! {
        <header class="masthead">
            <h1>"UMA Rebalance Lab"</h1>
            <p class="tagline">
                "A what-if simulator of the strategic (multi-model) rebalance of a Unified Managed Account."
            </p>
        </header>
        <main>
            <section class="controls" aria-label="Scenario">
                <label for="preset">"Scenario"</label>
                <select
                    id="preset"
                    data-testid="preset"
                    on:change:target=move |ev| {
                        if let Some(preset) = presets::find(&ev.target().value()) {
                            set_text.set(preset.json.to_owned());
                        }
                    }
                >
                    {presets::PRESETS
                        .iter()
                        .map(|p| view! { <option value=p.key>{p.label}</option> })
                        .collect_view()}
                </select>
            </section>
            {move || match scenario.get() {
                Ok(_) => ().into_any(),
                Err(e) => {
                    view! {
                        <p class="error" role="alert" data-testid="error">
                            {e.to_string()}
                        </p>
                    }
                        .into_any()
                }
            }}
            <section aria-labelledby="drift-title">
                <h2 id="drift-title">"Drift"</h2>
                {move || drift.get().ok().map(|report| view! { <DriftTable report /> })}
            </section>
            <section aria-labelledby="plan-title">
                <h2 id="plan-title">"Strategic rebalance"</h2>
                {move || plan.get().ok().map(|plan| view! { <PlanView plan /> })}
            </section>
            <details class="editor">
                <summary>"Scenario JSON (the CLI's format): edit to try your own"</summary>
                <textarea
                    aria-label="Scenario JSON"
                    data-testid="scenario-json"
                    spellcheck="false"
                    rows="24"
                    prop:value=text
                    on:input:target=move |ev| set_text.set(ev.target().value())
                ></textarea>
            </details>
        </main>
        <footer>
            "Rebalance rules after the white paper “Multi-Model Rebalancing Methodologies in a Unified Managed Account”. Runs entirely in your browser."
        </footer>
    }
}

fn status_class(status: Status) -> &'static str {
    match status {
        Status::Under => "status under",
        Status::InBand => "status in-band",
        Status::Over => "status over",
    }
}

/// The drift report: each model's weight, band, rebalance points and status.
#[component]
pub fn DriftTable(
    /// The report to show.
    report: DriftReport,
) -> impl IntoView {
    let summary = if report.triggered {
        let out: Vec<&str> = report.models.iter().filter(|m| m.triggered).map(|m| m.name.as_str()).collect();
        format!("Rebalance triggered: {} out of band.", out.join(", "))
    } else {
        "Every model is in band: no rebalance is triggered.".to_owned()
    };
    view! {
        <p class="summary" data-testid="drift-summary">{summary}</p>
        <table class="drift" data-testid="drift-table">
            <thead>
                <tr>
                    <th scope="col">"Model"</th>
                    <th scope="col">"Value"</th>
                    <th scope="col">"Weight"</th>
                    <th scope="col">"Target"</th>
                    <th scope="col">"Band"</th>
                    <th scope="col">"Rebalance points"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>
                {report
                    .models
                    .into_iter()
                    .map(|m| {
                        view! {
                            <tr data-testid=format!("drift-{}", m.id)>
                                <th scope="row">{m.name}</th>
                                <td>{format_money(m.value)}</td>
                                <td>{format_percent(m.weight)}</td>
                                <td>{format_percent(m.target)}</td>
                                <td>{format!("{} – {}", format_percent(m.band.lower), format_percent(m.band.upper))}</td>
                                <td>{format!("{} / {}", format_percent(m.rebalance_points.below), format_percent(m.rebalance_points.above))}</td>
                                <td class=status_class(m.status) data-testid="status">{m.status.words()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// A rebalance: each model before, after and traded, then the steps of the trace.
#[component]
pub fn PlanView(
    /// The rebalance to show.
    plan: Rebalance,
) -> impl IntoView {
    let headline = format!(
        "{} range: {} traded in {} steps.",
        capitalized(&plan.range),
        format_money(plan.traded),
        plan.steps.len()
    );
    view! {
        <p class="summary">{headline}</p>
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
        <ol class="trace" data-testid="trace">
            {plan
                .steps
                .into_iter()
                .map(|step| {
                    view! {
                        <li class=format!("step {}", step.phase)>
                            <span class="phase">{phase_label(step.phase)}</span>
                            <span class="text">{step.text}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

fn phase_label(phase: uma_engine::Phase) -> &'static str {
    match phase {
        uma_engine::Phase::OutOfBand => "1 · Out of band",
        uma_engine::Phase::ToRange => "2 · To range",
        uma_engine::Phase::Increment => "3 · Increment",
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
