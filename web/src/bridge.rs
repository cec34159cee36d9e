//! The page and the `uma-panels` module share one scenario through `window.umaLab`: plain
//! JavaScript functions passing JSON, `scenario()`, `subscribe(callback)`,
//! `setScenario(json)` and `openReplay(title, rebalance)`.
//!
//! - [`publish_bridge`] puts the page's [`Lab`] there; [`PanelsLoader`] does so and
//!   imports the module once the page is up.
//! - [`host_from_bridge`] reads it back in the module, as the [`Host`] of its panels.

use leptos::prelude::*;
use uma_engine::{Rebalance, Scenario};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::host::{open_in_player, Host};
use crate::state::{lab, Lab};

/// Where the bridge lives on `window`.
const BRIDGE: &str = "umaLab";
/// The module's loader, as Trunk emits it next to the page.
pub const MODULE_URL: &str = "./uma-panels_loader.js";
/// The engine's JavaScript API, as Trunk emits it next to the page.
const API_URL: &str = "./uma-api.js";

// Modules are imported by a snippet that wasm-bindgen ships as a file of its own, never
// by JavaScript built from a string: the page's Content-Security-Policy allows no eval.
#[wasm_bindgen(inline_js = "
export function importModule(url) { return import(url); }
export function offerApi(url) {
  if (!window.umaApi) {
    let api = null;
    window.umaApi = () => api ??= import(url).then(async (m) => { await m.default(); return m; });
  }
}")]
extern "C" {
    /// `import(url)`: the module's promise.
    #[wasm_bindgen(js_name = importModule)]
    fn import_module(url: &str) -> js_sys::Promise;
    /// Puts `window.umaApi()` on the page: it imports and starts the API module at `url`
    /// once, on first use.
    #[wasm_bindgen(js_name = offerApi)]
    fn offer_api(url: &str);
}

/// `relative` resolved against the page's base address (as an import from a snippet
/// would otherwise resolve it against the snippet's own).
fn page_url(relative: &str) -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|base| web_sys::Url::new_with_base(relative, &base).ok())
        .map_or_else(|| relative.to_owned(), |u| u.href())
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

/// The page's side: publishes `lab` on `window.umaLab` for the panels' module.
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
            Ok(plan) => open_in_player(lab, title, plan),
            Err(e) => lab.notice.set(Some(format!("That rebalance could not be opened: {e}"))),
        }
    });
    let replace = Closure::<dyn Fn(String)>::new(move |json: String| match Scenario::from_json_unvalidated(&json) {
        Ok(next) => lab.edit(|s| *s = next),
        Err(e) => lab.notice.set(Some(format!("That change could not be applied: {e}"))),
    });
    set(&bridge, "setScenario", replace.as_ref());
    replace.forget();
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
    let set_scenario = function("setScenario")?;
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
    let page = StoredValue::new_local((bridge, open, set_scenario));
    let open_replay = Callback::new(move |(title, plan): (String, Rebalance)| {
        let json = serde_json::to_string(&plan).unwrap_or_default();
        page.with_value(|(bridge, open, _)| {
            let _ = open.call2(bridge, &JsValue::from_str(&title), &JsValue::from_str(&json));
        });
    });
    let replace = Callback::new(move |next: Scenario| {
        let json = JsValue::from_str(&next.to_json());
        page.with_value(|(bridge, _, set)| {
            let _ = set.call1(bridge, &json);
        });
    });
    Ok(Host { scenario: scenario.into(), open_replay, replace })
}

/// The page's side: publishes the bridge, then imports the panels' module once the page
/// is up, or says why it could not.
#[component]
pub fn PanelsLoader() -> impl IntoView {
    let lab = lab();
    publish_bridge(lab);
    // `await window.umaApi()` gives the engine's JavaScript API (the `uma-api` module).
    offer_api(&page_url(API_URL));
    let failed = RwSignal::new(None::<String>);
    let url = page_url(MODULE_URL);
    leptos::task::spawn_local(async move {
        let loaded = wasm_bindgen_futures::JsFuture::from(import_module(&url)).await;
        if let Err(e) = loaded {
            let why = e
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_else(|| "it did not load".into());
            failed.try_set(Some(format!(
                "The analyses, securities and simulator panels could not be loaded ({why}). Reload the page to try again."
            )));
        }
    });
    move || {
        failed
            .get()
            .map(|message| view! { <p class="error" role="alert" data-testid="panels-load-error">{message}</p> })
    }
}
