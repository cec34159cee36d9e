//! Browser tests, in headless Chromium: the real app mounted into a fresh element and
//! driven through DOM events, and the JavaScript API called with real JS values.
//!
//! Run with `cargo test -p uma-tests --target wasm32-unknown-unknown` (see `cargo xtask test`).

#![cfg(target_arch = "wasm32")]

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Event, HtmlElement, HtmlSelectElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the page's body to mount the app into.
fn container() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let element = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&element).unwrap();
    element.unchecked_into()
}

/// The text of the first element matching `selector` under `root`.
fn text(root: &HtmlElement, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .text_content()
        .unwrap_or_default()
}

fn count(root: &HtmlElement, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

fn dispatch(target: &web_sys::EventTarget, kind: &str) {
    target.dispatch_event(&Event::new(kind).unwrap()).unwrap();
}

#[wasm_bindgen_test]
async fn app_shows_the_paper_example() {
    let root = container();
    let _app = leptos::mount::mount_to(root.clone(), uma_web::App);
    leptos::task::tick().await;

    assert_eq!(text(&root, "[data-testid=drift-large] [data-testid=status]"), "over");
    assert_eq!(text(&root, "[data-testid=drift-mid] [data-testid=status]"), "in band");
    assert!(text(&root, "[data-testid=drift-summary]").contains("Large Cap out of band"));
    let weights: Vec<String> = ["large", "mid", "small"]
        .iter()
        .map(|id| text(&root, &format!("[data-testid=outcome-{id}] [data-testid=weight-after]")))
        .collect();
    assert_eq!(weights, ["31.50%", "49.50%", "19.00%"]);
    assert_eq!(count(&root, "[data-testid=trace] li"), 4);
    assert!(text(&root, "[data-testid=trace] li").contains("trim to its rebalance point 31.50%, raising $3,500.00."));
    assert_eq!(count(&root, "[data-testid=error]"), 0);
}

#[wasm_bindgen_test]
async fn choosing_a_preset_rebalances_it() {
    let root = container();
    let _app = leptos::mount::mount_to(root.clone(), uma_web::App);
    leptos::task::tick().await;

    let select: HtmlSelectElement = root.query_selector("[data-testid=preset]").unwrap().unwrap().unchecked_into();
    select.set_value("paper-seventy-thirty");
    dispatch(&select, "change");
    leptos::task::tick().await;

    assert_eq!(text(&root, "[data-testid=drift-growth] [data-testid=status]"), "over");
    assert_eq!(text(&root, "[data-testid=drift-value] [data-testid=status]"), "under");
    assert!(text(&root, "[data-testid=drift-growth]").contains("64.40% – 75.60%"));
    assert_eq!(count(&root, "[data-testid=trace] li"), 2);
}

#[wasm_bindgen_test]
async fn editing_the_scenario_flips_the_status_and_bad_input_shows_a_message() {
    let root = container();
    let _app = leptos::mount::mount_to(root.clone(), uma_web::App);
    leptos::task::tick().await;

    let editor: HtmlTextAreaElement =
        root.query_selector("[data-testid=scenario-json]").unwrap().unwrap().unchecked_into();
    // Widen the strategy's band to 20% relative: Large Cap at 35% is now inside 24–36%.
    let widened = editor.value().replacen(r#""width": "10""#, r#""width": "20""#, 1);
    editor.set_value(&widened);
    dispatch(&editor, "input");
    leptos::task::tick().await;
    assert_eq!(text(&root, "[data-testid=drift-large] [data-testid=status]"), "in band");
    assert_eq!(count(&root, "[data-testid=error]"), 0);

    // A target that breaks the 100% total: an inline message names it, the page stays up.
    editor.set_value(&widened.replacen(r#""target": "30""#, r#""target": "25""#, 1));
    dispatch(&editor, "input");
    leptos::task::tick().await;
    assert!(text(&root, "[data-testid=error]").contains("make 95%, not 100%: 5 points short"));
    assert_eq!(count(&root, "[data-testid=drift-table]"), 0);

    // Broken JSON: a message, and the editor still works.
    editor.set_value("{ not json");
    dispatch(&editor, "input");
    leptos::task::tick().await;
    assert!(text(&root, "[data-testid=error]").contains("not valid JSON"));
    editor.set_value(uma_tests::PAPER_THREE_MODELS);
    dispatch(&editor, "input");
    leptos::task::tick().await;
    assert_eq!(count(&root, "[data-testid=error]"), 0);
    assert_eq!(text(&root, "[data-testid=drift-large] [data-testid=status]"), "over");
}

/// Calls an exported function with a value parsed by JavaScript's own JSON.parse.
fn call(f: fn(JsValue) -> Result<JsValue, wasm_bindgen::JsError>, json: &str) -> Result<serde_json::Value, String> {
    let input = js_sys::JSON::parse(json).unwrap();
    match f(input) {
        Ok(output) => {
            let text: String = js_sys::JSON::stringify(&output).unwrap().into();
            Ok(serde_json::from_str(&text).unwrap())
        }
        Err(error) => {
            let error: js_sys::Error = JsValue::from(error).unchecked_into();
            Err(error.message().into())
        }
    }
}

#[wasm_bindgen_test]
fn js_api_returns_the_cli_shapes() {
    let result = call(uma_web::js_api::rebalance, uma_tests::PAPER_THREE_MODELS).unwrap();
    let weights: Vec<&str> =
        result["models"].as_array().unwrap().iter().map(|m| m["weight_after"].as_str().unwrap()).collect();
    assert_eq!(weights, ["31.5", "49.5", "19"]);
    assert_eq!(result["cash_after"], "0.00");
    let phases: Vec<&str> = result["steps"].as_array().unwrap().iter().map(|s| s["phase"].as_str().unwrap()).collect();
    assert_eq!(phases, ["out_of_band", "to_range", "increment", "increment"]);
    // The same document the CLI prints.
    let native =
        serde_json::to_value(uma_engine::rebalance(&uma_tests::scenario(uma_tests::PAPER_THREE_MODELS)).unwrap())
            .unwrap();
    assert_eq!(result, native);

    let report = call(uma_web::js_api::drift, uma_tests::PAPER_THREE_MODELS).unwrap();
    assert_eq!(report["models"][0]["status"], "over");
    assert_eq!(report["triggered"], true);

    // JavaScript numbers are accepted where strings are usual.
    let numbers =
        uma_tests::PAPER_THREE_MODELS.replace(r#""35000""#, "35000").replace(r#""target": "30""#, r#""target": 30"#);
    assert_eq!(call(uma_web::js_api::rebalance, &numbers).unwrap()["models"][0]["weight_after"], "31.5");
}

#[wasm_bindgen_test]
fn js_api_throws_the_engine_messages() {
    let bad_target = uma_tests::PAPER_THREE_MODELS.replacen(r#""target": "30""#, r#""target": "25""#, 1);
    let message = call(uma_web::js_api::rebalance, &bad_target).unwrap_err();
    assert_eq!(message, uma_engine::Scenario::from_json(&bad_target).unwrap_err().to_string());
    let wrong_type = uma_tests::PAPER_THREE_MODELS.replacen(r#""target": "30""#, r#""target": true"#, 1);
    let message = call(uma_web::js_api::drift, &wrong_type).unwrap_err();
    assert!(message.starts_with("strategy.models[0].target: invalid type"), "{message}");
    let unknown = uma_tests::PAPER_THREE_MODELS.replacen(r#""model": "mid""#, r#""model": "micro""#, 1);
    assert!(call(uma_web::js_api::drift, &unknown)
        .unwrap_err()
        .contains(r#"account.sleeves[1].model: there is no model "micro""#));
}
