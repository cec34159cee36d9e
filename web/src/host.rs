//! The through-time view is its own wasm module (the `uma-time` binary), loaded only when
//! an advisor opens it, so that the page itself stays small and quick to start. This
//! module joins the two:
//!
//! - [`Host`] is all the view needs from the page: the settled scenario, and a way to
//!   open a rebalance in the page's player. [`Host::of`] makes one from a [`Lab`] in the
//!   same module (the browser tests mount the view that way).
//! - [`publish_bridge`] puts that on `window.umaLab` for the page, as plain JavaScript
//!   functions passing JSON: `scenario()`, `subscribe(callback)` and
//!   `openReplay(title, rebalance)`; [`mount_time_view`] reads it back in the module.
//! - [`TimeLoader`] is the page's panel: a button that imports the module, which mounts
//!   the view into the panel.

use leptos::prelude::*;
use uma_engine::{Rebalance, Scenario};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::{lab, Lab};

/// Where the bridge lives on `window`.
const BRIDGE: &str = "umaLab";
/// The element the view mounts into.
const ROOT_ID: &str = "time-root";
/// The module's loader, as Trunk emits it next to the page.
pub const MODULE_URL: &str = "./uma-time_loader.js";

/// What the through-time view needs from the page that hosts it.
#[derive(Clone, Copy)]
pub struct Host {
    /// The scenario once edits pause; it may be invalid, and the view then says why.
    pub scenario: Signal<Scenario>,
    /// Opens a rebalance, with a title, in the page's player.
    pub open_replay: Callback<(String, Rebalance)>,
}

impl Host {
    /// The host of a view in the same module as the page.
    pub fn of(lab: Lab) -> Host {
        Host {
            scenario: lab.settled.into(),
            open_replay: Callback::new(move |(title, plan): (String, Rebalance)| {
                lab.open_replay(title, plan);
                scroll_to_player();
            }),
        }
    }
}

/// The view's [`Host`].
///
/// # Panics
///
/// Without one provided.
pub fn host() -> Host {
    expect_context::<Host>()
}

fn scroll_to_player() {
    if let Some(player) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("plan-title")) {
        player.scroll_into_view();
    }
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}

fn get(target: &JsValue, key: &str) -> Result<JsValue, String> {
    js_sys::Reflect::get(target, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined())
        .ok_or_else(|| format!("the page offers no {key}"))
}

/// The page's side: publishes `lab` on `window.umaLab` for the through-time module.
pub fn publish_bridge(lab: Lab) {
    let Some(window) = web_sys::window() else { return };
    let bridge = js_sys::Object::new();
    let subscribers = StoredValue::new_local(Vec::<js_sys::Function>::new());
    let scenario = Closure::<dyn Fn() -> String>::new(move || {
        lab.settled.try_with_untracked(Scenario::to_json).unwrap_or_default()
    });
    let subscribe = Closure::<dyn Fn(js_sys::Function)>::new(move |callback: js_sys::Function| {
        subscribers.update_value(|s| s.push(callback));
    });
    let open = Closure::<dyn Fn(String, String)>::new(move |title: String, json: String| {
        match serde_json::from_str::<Rebalance>(&json) {
            Ok(plan) => {
                lab.open_replay(title, plan);
                scroll_to_player();
            }
            Err(e) => lab.notice.set(Some(format!("That rebalance could not be opened: {e}"))),
        }
    });
    set(&bridge, "scenario", scenario.as_ref());
    set(&bridge, "subscribe", subscribe.as_ref());
    set(&bridge, "openReplay", open.as_ref());
    set(&window, BRIDGE, &bridge);
    // The page keeps the bridge for its lifetime.
    scenario.forget();
    subscribe.forget();
    open.forget();
    // At the edge: every settled scenario goes to the module's subscribers.
    Effect::new(move |_| {
        let json = JsValue::from_str(&lab.settled.with(Scenario::to_json));
        subscribers.with_value(|s| {
            for callback in s {
                let _ = callback.call1(&JsValue::NULL, &json);
            }
        });
    });
}

/// The module's side: the host behind the page's bridge.
///
/// # Errors
///
/// When the page published no bridge, or its scenario cannot be read.
pub fn host_from_bridge() -> Result<Host, String> {
    let window = web_sys::window().ok_or("no window")?;
    let bridge = get(&window, BRIDGE)?;
    let function = |name: &str| -> Result<js_sys::Function, String> {
        get(&bridge, name)?.dyn_into::<js_sys::Function>().map_err(|_| format!("{name} is not a function"))
    };
    let (scenario_of, subscribe, open) = (function("scenario")?, function("subscribe")?, function("openReplay")?);
    let read = |json: &str| serde_json::from_str::<Scenario>(json).map_err(|e| e.to_string());
    let json = scenario_of.call0(&bridge).ok().and_then(|v| v.as_string()).ok_or("the page gave no scenario")?;
    let scenario = RwSignal::new(read(&json)?);
    let listener = Closure::<dyn Fn(String)>::new(move |json: String| {
        if let Ok(next) = read(&json) {
            scenario.set(next);
        }
    });
    subscribe.call1(&bridge, listener.as_ref()).map_err(|_| "the page refused the subscription")?;
    listener.forget();
    let page = StoredValue::new_local((bridge, open));
    let open_replay = Callback::new(move |(title, plan): (String, Rebalance)| {
        let json = serde_json::to_string(&plan).unwrap_or_default();
        page.with_value(|(bridge, open)| {
            let _ = open.call2(bridge, &JsValue::from_str(&title), &JsValue::from_str(&json));
        });
    });
    Ok(Host { scenario: scenario.into(), open_replay })
}

/// The module's entry: mounts the through-time view into the page's panel.
pub fn mount_time_view() {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(ROOT_ID))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    match host_from_bridge() {
        Ok(host) => leptos::mount::mount_to(root, move || {
            provide_context(host);
            view! { <crate::through_time::ThroughTime /> }
        })
        .forget(),
        Err(e) => root.set_text_content(Some(&format!("The simulator through time could not start: {e}."))),
    }
}

/// Whether the module is loaded.
#[derive(Debug, Clone, PartialEq)]
enum Load {
    Closed,
    Loading,
    Open,
    Failed(String),
}

/// The page's panel: what the view does, and a button that loads it.
#[component]
pub fn TimeLoader() -> impl IntoView {
    let lab = lab();
    publish_bridge(lab);
    let state = RwSignal::new(Load::Closed);
    let open = move |_| {
        if matches!(state.get_untracked(), Load::Loading | Load::Open) {
            return;
        }
        state.set(Load::Loading);
        let url = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.base_uri().ok().flatten())
            .and_then(|base| web_sys::Url::new_with_base(MODULE_URL, &base).ok())
            .map_or_else(|| MODULE_URL.to_owned(), |u| u.href());
        let import = js_sys::Function::new_with_args("url", "return import(url)");
        leptos::task::spawn_local(async move {
            let loaded = match import.call1(&JsValue::NULL, &JsValue::from_str(&url)) {
                Ok(promise) => wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(promise)).await,
                Err(e) => Err(e),
            };
            state.try_set(match loaded {
                Ok(_) => Load::Open,
                Err(e) => {
                    let why = e
                        .dyn_ref::<js_sys::Error>()
                        .map(|e| String::from(e.message()))
                        .unwrap_or_else(|| "the module did not load".into());
                    Load::Failed(format!(
                        "The simulator through time could not be loaded ({why}). Reload the page to try again."
                    ))
                }
            });
        });
    };
    view! {
        <Show when=move || state.get() != Load::Open>
            <p class="note">
                "Run this strategy through real market history or seeded random markets: each model's weight inside its band over the years, every rebalance (play any of them above), configurations compared, and Monte Carlo."
            </p>
            <button
                type="button"
                class="primary"
                data-testid="open-time"
                disabled=move || state.get() == Load::Loading
                on:click=open
            >
                {move || if state.get() == Load::Loading { "Loading the simulator…" } else { "Open the simulator through time" }}
            </button>
        </Show>
        {move || match state.get() {
            Load::Failed(message) => view! { <p class="error" role="alert" data-testid="time-load-error">{message}</p> }.into_any(),
            _ => ().into_any(),
        }}
        <div id=ROOT_ID data-testid="time-root"></div>
    }
}
