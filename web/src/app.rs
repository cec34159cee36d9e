//! The whole app: the page's panels around one [`Lab`], provided as a context; the
//! toolbar (presets, reset, import, export), the notice and the scenario's JSON.

use leptos::prelude::*;
use uma_engine::Scenario;
use wasm_bindgen::JsCast;

use crate::bridge::PanelsLoader;
use crate::host::PanelRoot;
use crate::page::chart::BandChart;
use crate::page::drift_table::DriftTable;
use crate::page::editor::{AccountEditor, StrategyEditor};
use crate::page::player::Player;
use crate::state::{lab, Lab};
use crate::ui::files::on_file;
use crate::{persist, presets};

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

    // The loading skeleton of index.html goes once the app is here.
    if let Some(skeleton) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("skeleton")) {
        skeleton.remove();
    }
    let presenter = RwSignal::new(false);
    let keys = window_event_listener(leptos::ev::keydown, move |ev| presenter_key(&lab, presenter, &ev));
    on_cleanup(move || keys.remove());
    view! {
        <div class="lab" class:presenter=move || presenter.get() data-testid="lab">
            <a class="skip" href="#band-chart">"Skip to the chart"</a>
            <a class="skip" href="#player">"Skip to the player"</a>
            <Sections presenter />
            <header class="masthead">
                <p class="tagline">
                    "What-if simulator of the strategic (multi-model) rebalance of a Unified Managed Account, after the white paper “"
                    <a href=PAPER_URL target="_blank" rel="noopener noreferrer" data-testid="paper-link">
                        "Multi-Model Rebalancing Methodologies in a Unified Managed Account"
                    </a>
                    "” (Adhesion Wealth)."
                </p>
                <p class="start" data-testid="start">
                    <span class="start-step">"1 · Pick a case"</span>
                    <span class="start-step">"2 · See the drift"</span>
                    <span class="start-step">"3 · Play the rebalance"</span>
                </p>
            </header>
            <main>
                <Toolbar />
                <Notice />
                <Problem />
                <Editors />
                <div class="stage">
                    <section class="panel core" class:stale=move || lab.valid.with(Result::is_err) aria-labelledby="drift-title">
                        <h2 id="drift-title">"Drift"</h2>
                        <p class="moment" data-testid="moment">{move || lab.moment_words.get()}</p>
                        <div id="band-chart" tabindex="-1">
                            <BandChart />
                        </div>
                        {move || lab.moment.get().ok().map(|report| view! { <DriftTable report /> })}
                    </section>
                    <section
                        class="panel core"
                        id="player"
                        tabindex="-1"
                        class:stale=move || lab.valid.with(Result::is_err)
                        aria-labelledby="plan-title"
                    >
                        <h2 id="plan-title">"Strategic rebalance"</h2>
                        <Player />
                    </section>
                </div>
                <PanelSlots />
                <PanelsLoader />
                <ScenarioJson />
            </main>
            <footer>
                "Rebalance rules after the white paper “Multi-Model Rebalancing Methodologies in a Unified Managed Account”. "
                "Everything runs in your browser; the scenario is kept in this page's link and in your browser's storage."
            </footer>
        </div>
    }
}

/// Where the white paper the rules follow is published.
const PAPER_URL: &str = "https://www.adhesionwealth.com";

/// The sticky section menu, with the presenter mode's switch.
#[component]
fn Sections(presenter: RwSignal<bool>) -> impl IntoView {
    view! {
        <nav class="sections" aria-label="Sections" data-testid="sections">
            <h1 class="brand">"UMA Rebalance Lab"</h1>
            <a href="#drift-title">"Drift"</a>
            <a href="#plan-title">"Rebalance"</a>
            <a href=format!("#{}", PanelRoot::Compare.id())>"Compare"</a>
            <a href=format!("#{}", PanelRoot::Flows.id())>"Cash"</a>
            <a href=format!("#{}", PanelRoot::Securities.id())>"Securities"</a>
            <a href=format!("#{}", PanelRoot::Time.id())>"Through time"</a>
            <button
                type="button"
                class="presenter-switch"
                data-testid="presenter"
                aria-pressed=move || presenter.get().to_string()
                title="Large type, editors hidden; → and ← step the rebalance, Home and End go to its ends, Esc leaves"
                on:click=move |_| presenter.update(|p| *p = !*p)
            >
                {move || if presenter.get() { "Leave presenter mode" } else { "Presenter mode" }}
            </button>
        </nav>
    }
}

/// In presenter mode, the keys that move the player: → (or Space, Page Down) a step
/// forward, ← (or Page Up) a step back, Home and End to the ends; Esc leaves the mode.
/// Keys typed into a field or on a slider are theirs.
fn presenter_key(lab: &Lab, presenter: RwSignal<bool>, ev: &web_sys::KeyboardEvent) {
    if !presenter.get_untracked() {
        return;
    }
    let own = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|e| {
        matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON")
            || e.get_attribute("role").as_deref() == Some("slider")
    });
    if own && ev.key() != "Escape" {
        return;
    }
    let len = lab.plan.with_untracked(|p| p.as_ref().map_or(0, |p| p.steps.len()));
    let step = lab.step.get_untracked();
    let next = match ev.key().as_str() {
        "ArrowRight" | " " | "PageDown" => (step + 1).min(len),
        "ArrowLeft" | "PageUp" => step.saturating_sub(1),
        "Home" => 0,
        "End" => len,
        "Escape" => {
            presenter.set(false);
            return;
        }
        _ => return,
    };
    ev.prevent_default();
    lab.step.set(next);
}

/// The strategy and account editors, in a panel that folds away (open or not is
/// remembered by the browser), its summary the strategy's allocation in words.
#[component]
fn Editors() -> impl IntoView {
    let lab = lab();
    let open = RwSignal::new(persist::editors_open());
    let summary = move || lab.scenario.with(|s| s.strategy.outline());
    view! {
        <details
            class="panel editors"
            prop:open=move || open.get()
            on:toggle:target=move |ev| {
                let now = ev.target().open();
                persist::set_editors_open(now);
                open.set(now);
            }
            data-testid="editors"
        >
            <summary>
                <span class="editors-title">"Edit the strategy and the account"</span>
                <span class="note">{summary}</span>
            </summary>
            <div class="columns">
                <section aria-labelledby="strategy-title">
                    <h2 id="strategy-title">"Strategy"</h2>
                    <StrategyEditor />
                </section>
                <section aria-labelledby="account-title">
                    <h2 id="account-title">"Account"</h2>
                    <AccountEditor />
                </section>
            </div>
        </details>
    }
}

/// A message about loading, importing or an edit, until dismissed.
#[component]
fn Notice() -> impl IntoView {
    let lab = lab();
    move || {
        lab.notice.get().map(|message| {
            view! {
                <p class="notice" role="alert" data-testid="notice">
                    {message}
                    <button type="button" class="dismiss" aria-label="Dismiss" on:click=move |_| lab.notice.set(None)>
                        "✕"
                    </button>
                </p>
            }
        })
    }
}

/// The sections whose panels the `uma-panels` module mounts, each in its [`PanelRoot`].
#[component]
fn PanelSlots() -> impl IntoView {
    view! {
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
        <div id=PanelRoot::Report.id() class="report-root"></div>
    }
}

/// Presets, reset, import, export and the share link.
#[component]
fn Toolbar() -> impl IntoView {
    let lab = lab();
    let preset = RwSignal::new(presets::PRESETS[0].key.to_owned());
    let load = move |key: String| {
        lab.notice.set(None);
        let what =
            format!("loading {}", presets::PRESETS.iter().find(|p| p.key == key).map_or("the preset", |p| p.label));
        lab.edit_undoable(what, |s| *s = presets::scenario(&key));
        preset.set(key);
    };
    let chosen = Memo::new(move |_| presets::scenario(&preset.get()));
    let edited = Memo::new(move |_| lab.settled.with(|s| chosen.with(|p| s != p)));
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
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
            <span class="note" data-testid="edited">{move || edited.get().then_some("edited")}</span>
            <button type="button" data-testid="reset" on:click=move |_| load(preset.get_untracked())>
                "Reset to preset"
            </button>
            {move || {
                lab.undo.get().map(|(what, _)| {
                    view! {
                        <button type="button" data-testid="undo" on:click=move |_| lab.undo()>
                            {format!("Undo {what}")}
                        </button>
                    }
                })
            }}
            <label class="file">
                "Import JSON "
                <input type="file" accept=".json,application/json" data-testid="import" on:change=import />
            </label>
            <a class="button" download="uma-scenario.json" href=export data-testid="export">
                "Export JSON"
            </a>
            <button type="button" data-testid="print" on:click=print>"Print / save as PDF"</button>
            <button
                type="button"
                data-testid="forget"
                on:click=move |_| {
                    persist::forget();
                    lab.notice.set(Some("This browser no longer keeps this scenario: its autosave and its link are cleared (the next edit saves it again).".into()));
                }
            >
                "Forget this scenario"
            </button>
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

/// Why the scenario cannot be rebalanced, when it cannot: the engine's message, and while
/// the targets do not make 100% a way to rescale them; the pictures below keep the last
/// valid account, marked as such.
#[component]
fn Problem() -> impl IntoView {
    let lab = lab();
    move || {
        let error = lab.valid.get().err()?;
        let off = matches!(error, uma_engine::Error::TargetsDoNotSum { .. });
        let rescale = move |_| lab.edit(|s| s.strategy = s.strategy.rescaled());
        Some(view! {
            <div class="error" role="alert">
                <p data-testid="error">{error.to_string()}</p>
                <p class="note" data-testid="stale">
                    "The chart, the table and the player show the last valid account until this is fixed."
                </p>
                {off.then(|| view! { <button type="button" data-testid="rescale" on:click=rescale>"Rescale the targets to 100%"</button> })}
            </div>
        })
    }
}
