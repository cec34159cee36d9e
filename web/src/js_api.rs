//! The engine from JavaScript: `rebalance(scenario)` and `drift(scenario)` take a scenario
//! object of the CLI's JSON shape (decimals as strings or numbers) and return the CLI's
//! output shapes as plain objects, decimals as strings. Invalid input throws an `Error`
//! whose message is the engine's, naming the field.
//!
//! Results are converted by serde-wasm-bindgen. This module is the only place the engine
//! meets wasm-bindgen, so the engine itself keeps no web dependency.

use serde::Serialize;
use uma_engine::Scenario;
use wasm_bindgen::prelude::*;

/// Reads a scenario object as the CLI reads a file: through its JSON text, so that every
/// message (a wrong type, a missing field, a rule broken) is the CLI's, word for word.
/// A JavaScript object has no lines or columns, so the error is given without the
/// parser's position (counted in the text made from it).
fn scenario_from(value: JsValue) -> Result<Scenario, JsError> {
    let text = js_sys::JSON::stringify(&value).ok().and_then(|t| t.as_string()).unwrap_or_default();
    Scenario::from_json(&text).map_err(|e| JsError::new(&e.without_position().to_string()))
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
}

/// Runs the strategic rebalance of `scenario`, as `uma rebalance` does.
///
/// # Errors
///
/// Throws an `Error` with the engine's message when the scenario is invalid.
#[wasm_bindgen]
pub fn rebalance(scenario: JsValue) -> Result<JsValue, JsError> {
    let scenario = scenario_from(scenario)?;
    to_js(&uma_engine::rebalance(&scenario).map_err(|e| JsError::new(&e.to_string()))?)
}

/// Reports each model's drift, as `uma drift` does.
///
/// # Errors
///
/// Throws an `Error` with the engine's message when the scenario is invalid.
#[wasm_bindgen]
pub fn drift(scenario: JsValue) -> Result<JsValue, JsError> {
    let scenario = scenario_from(scenario)?;
    to_js(&uma_engine::drift(&scenario).map_err(|e| JsError::new(&e.to_string()))?)
}

/// Nothing: a binary calls it so that this library, and with it the exports above, is
/// linked into its wasm.
pub fn link() {}
