//! UMA Rebalance Lab in the browser: a Leptos (client-side rendering) app that runs the
//! engine compiled to wasm. No server and no network request beyond the page's own files.
//!
//! State is one scenario ([`state::Lab`]); the drift report, the rebalance and every
//! analysis are memos derived from it. Components only render and turn events into new
//! scenarios: every rule lives in `uma-engine`.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod analysis;
pub mod bridge;
pub mod chart;
pub mod configurations;
pub mod editor;
pub mod host;
pub mod jobs;
#[cfg(feature = "js-api")]
pub mod js_api;
pub mod market;
pub mod panels;
pub mod persist;
pub mod player;
pub mod presets;
pub mod securities;
pub mod state;
pub mod through_time;
pub mod ui;

use leptos::prelude::*;
use uma_engine::{format_money, format_percent, DriftReport, Scenario};

use crate::host::PanelRoot;
use crate::state::{lab, Lab};
use crate::ui::files::on_file;
use crate::ui::status::status_class;

/// The whole app. It opens the scenario in the page's link, else the autosave, else the
/// first preset, and keeps the link and the autosave up to date.
#[component]
pub fn App() -> impl IntoView {
    let (initial, notice) = persist::initial();
    let lab = Lab::new(initial);
    lab.notice.set(notice);
    provide_context(lab);
    // At the edge: every settled change of the scenario is saved and put in the link, and
    // an edit not yet settled is saved when the page goes away.
    Effect::new(move |_| lab.settled.with(persist::save));
    let leaving = window_event_listener(leptos::ev::pagehide, move |_| {
        if let Some(scenario) = lab.scenario.try_get_untracked() {
            persist::save(&scenario);
        }
    });
    on_cleanup(move || leaving.remove());

    view! {
        <header class="masthead">
            <h1>"UMA Rebalance Lab"</h1>
            <p class="tagline">
                "What-if simulator of the strategic (multi-model) rebalance of a Unified Managed Account"
            </p>
        </header>
        <main>
            <Toolbar />
            {move || {
                lab.notice
                    .get()
                    .map(|message| {
                        view! {
                            <p class="notice" role="alert" data-testid="notice">
                                {message}
                                <button type="button" class="dismiss" aria-label="Dismiss" on:click=move |_| lab.notice.set(None)>
                                    "✕"
                                </button>
                            </p>
                        }
                    })
            }}
            <div class="columns">
                <section class="panel" aria-labelledby="strategy-title">
                    <h2 id="strategy-title">"Strategy"</h2>
                    <editor::StrategyEditor />
                </section>
                <section class="panel" aria-labelledby="account-title">
                    <h2 id="account-title">"Account"</h2>
                    <editor::AccountEditor />
                </section>
            </div>
            {move || {
                lab.drift
                    .with(|d| d.as_ref().err().map(|e| e.to_string()))
                    .map(|message| {
                        view! {
                            <p class="error" role="alert" data-testid="error">
                                {message}
                            </p>
                        }
                    })
            }}
            <section class="panel" aria-labelledby="drift-title">
                <h2 id="drift-title">"Drift"</h2>
                <chart::BandChart />
                {move || lab.drift.get().ok().map(|report| view! { <DriftTable report /> })}
            </section>
            <section class="panel" aria-labelledby="plan-title">
                <h2 id="plan-title">"Strategic rebalance"</h2>
                <player::Player />
            </section>
            <div class="columns even">
                <section class="panel" aria-labelledby="compare-title">
                    <h2 id="compare-title">"Range modes compared"</h2>
                    <div id=PanelRoot::Compare.id() class="panel-root"></div>
                </section>
                <section class="panel" aria-labelledby="flows-title">
                    <h2 id="flows-title">"Cash flows"</h2>
                    <div id=PanelRoot::Flows.id() class="panel-root"></div>
                </section>
            </div>
            <section class="panel" aria-labelledby="securities-title">
                <h2 id="securities-title">"Securities in the sleeves"</h2>
                <div id=PanelRoot::Securities.id() class="panel-root"></div>
            </section>
            <section class="panel" aria-labelledby="time-title">
                <h2 id="time-title">"Through time"</h2>
                <div id=PanelRoot::Time.id() class="panel-root"></div>
            </section>
            <bridge::PanelsLoader />
            <ScenarioJson />
        </main>
        <footer>
            "Rebalance rules after the white paper “Multi-Model Rebalancing Methodologies in a Unified Managed Account”. "
            "Everything runs in your browser; the scenario is kept in this page's link and in your browser's storage."
        </footer>
    }
}

/// Presets, reset, import, export and the share link.
#[component]
fn Toolbar() -> impl IntoView {
    let lab = lab();
    let preset = RwSignal::new(presets::PRESETS[0].key.to_owned());
    let load = move |key: String| {
        lab.notice.set(None);
        lab.edit(|s| *s = presets::scenario(&key));
        preset.set(key);
    };
    let import = on_file(move |name, text| import_text(&lab, &name, text.as_deref()));
    let export = move || lab.settled.with(persist::export_url);
    view! {
        <section class="toolbar" aria-label="Scenario">
            <label>
                "Preset "
                <select data-testid="preset" prop:value=move || preset.get() on:change:target=move |ev| load(ev.target().value())>
                    {presets::PRESETS.iter().map(|p| view! { <option value=p.key>{p.label}</option> }).collect_view()}
                </select>
            </label>
            <button type="button" data-testid="reset" on:click=move |_| load(preset.get_untracked())>
                "Reset to preset"
            </button>
            <label class="file">
                "Import JSON "
                <input type="file" accept=".json,application/json" data-testid="import" on:change=import />
            </label>
            <a class="button" download="uma-scenario.json" href=export data-testid="export">
                "Export JSON"
            </a>
            <span class="note">"The page's link holds this scenario: copy it to share."</span>
        </section>
    }
}

/// Applies an imported file's text, or shows why it cannot be.
pub fn import_text(lab: &Lab, name: &str, text: Option<&str>) {
    match text.map(Scenario::from_json) {
        Some(Ok(scenario)) => {
            lab.notice.set(None);
            lab.edit(|s| *s = scenario);
        }
        Some(Err(e)) => lab.notice.set(Some(format!("{name} could not be imported: {e}"))),
        None => lab.notice.set(Some(format!("{name} could not be read as text."))),
    }
}

/// The scenario as JSON, editable: applied when the text is valid, else a message.
#[component]
fn ScenarioJson() -> impl IntoView {
    let lab = lab();
    let error = RwSignal::new(None::<String>);
    view! {
        <details class="editor">
            <summary>"Scenario JSON (the CLI's format)"</summary>
            <textarea
                aria-label="Scenario JSON"
                data-testid="scenario-json"
                spellcheck="false"
                rows="20"
                prop:value=move || lab.settled.with(Scenario::to_json)
                on:change:target=move |ev| match Scenario::from_json(&ev.target().value()) {
                    Ok(scenario) => {
                        error.set(None);
                        lab.edit(|s| *s = scenario);
                    }
                    Err(e) => error.set(Some(e.to_string())),
                }
            ></textarea>
            {move || error.get().map(|message| view! { <p class="error" role="alert" data-testid="json-error">{message}</p> })}
        </details>
    }
}

/// The drift report as a table: the band chart's text equivalent.
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
        <div class="table-scroll">
            <table class="drift" data-testid="drift-table">
                <thead>
                    <tr>
                        <th scope="col">"Model"</th>
                        <th scope="col">"Value"</th>
                        <th scope="col">"Weight"</th>
                        <th scope="col">"Target"</th>
                        <th scope="col">"Drift (pts)"</th>
                        <th scope="col">"Drift ($)"</th>
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
                                    <td data-testid="weight">{format_percent(m.weight)}</td>
                                    <td>{format_percent(m.target)}</td>
                                    <td>{format!("{:+.2}", m.drift_points)}</td>
                                    <td>{format_money(m.drift_value)}</td>
                                    <td>{format!("{} – {}", format_percent(m.band.lower), format_percent(m.band.upper))}</td>
                                    <td>
                                        {format!(
                                            "{} / {}",
                                            format_percent(m.rebalance_points.below),
                                            format_percent(m.rebalance_points.above),
                                        )}
                                    </td>
                                    <td class=format!("status {}", status_class(m.status)) data-testid="status">{m.status.words()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
