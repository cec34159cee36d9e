//! Browser tests, in headless Chromium: the real app mounted into a fresh element and
//! driven through DOM events (inputs, clicks, pointer drags, keys, a file import), and the
//! JavaScript API called with real JS values.
//!
//! Run with `cargo test -p uma-tests --target wasm32-unknown-unknown` (see `cargo xtask test`).

#![cfg(target_arch = "wasm32")]

use std::future::Future;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Event, HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

fn window() -> web_sys::Window {
    web_sys::window().unwrap()
}

/// Clears what the app restores from (the link's fragment and the autosave), sets the
/// fragment to `hash` and the autosave to `saved`, then mounts the app in a fresh element.
async fn mount(hash: &str, saved: Option<&str>) -> (HtmlElement, impl Drop) {
    reset(hash, saved);
    let document = window().document().unwrap();
    let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = leptos::mount::mount_to(root.clone(), uma_web::App);
    settle().await;
    // The panels' module, as the page imports it: the same mounts, through the bridge.
    let panels = uma_web::panels::mount_panels();
    settle().await;
    (root.clone(), Unmount(Some((panels, handle)), root))
}

/// Clears the link's fragment and the autosave, then sets them to `hash` and `saved`.
fn reset(hash: &str, saved: Option<&str>) {
    let storage = window().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    if let Some(saved) = saved {
        storage.set_item(uma_web::persist::STORAGE_KEY, saved).unwrap();
    }
    let path = window().location().pathname().unwrap();
    window().history().unwrap().replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{hash}"))).unwrap();
}

/// Unmounts the app and removes its element when a test ends.
struct Unmount<T>(Option<T>, HtmlElement);

impl<T> Drop for Unmount<T> {
    fn drop(&mut self) {
        self.0.take();
        self.1.remove();
    }
}

/// Lets the reactive system run its effects.
async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
    }
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits (up to two seconds) until `done` holds.
async fn until<F: Future<Output = ()>>(mut done: impl FnMut() -> bool, pause: impl Fn() -> F) {
    for _ in 0..100 {
        if done() {
            return;
        }
        pause().await;
    }
    assert!(done(), "condition not met in time");
}

fn find(root: &HtmlElement, selector: &str) -> HtmlElement {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("nothing matches {selector}")).unchecked_into()
}

fn text(root: &HtmlElement, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

fn count(root: &HtmlElement, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

fn dispatch(target: &web_sys::EventTarget, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    target.dispatch_event(&Event::new_with_event_init_dict(kind, &init).unwrap()).unwrap();
}

/// Types `value` into the input matching `selector` and commits it (a `change` event).
async fn type_into(root: &HtmlElement, selector: &str, value: &str) {
    let input: HtmlInputElement = find(root, selector).unchecked_into();
    input.set_value(value);
    dispatch(&input, "change");
    settle().await;
}

async fn click(root: &HtmlElement, selector: &str) {
    find(root, selector).click();
    settle().await;
}

fn status(root: &HtmlElement, id: &str) -> String {
    text(root, &format!("[data-testid=drift-{id}] [data-testid=status]"))
}

fn weight(root: &HtmlElement, id: &str) -> String {
    text(root, &format!("[data-testid=drift-{id}] [data-testid=weight]"))
}

#[wasm_bindgen_test]
async fn app_shows_the_paper_example_and_its_analyses() {
    let (root, _app) = mount("", None).await;
    assert_eq!(status(&root, "large"), "over");
    assert_eq!(status(&root, "mid"), "in band");
    assert!(text(&root, "[data-testid=drift-summary]").contains("Large Cap out of band"));
    assert_eq!(count(&root, "[data-testid=band-chart] .chart-row"), 3);
    assert_eq!(text(&root, "[data-testid=step-counter]"), "Step 0 of 4");
    assert!(text(&root, "[data-testid=compare-interior]").contains("31.50% / 49.50% / 19.00%"));
    assert!(text(&root, "[data-testid=compare-target]").contains("$10,000.00"));
    assert!(text(&root, "[data-testid=compare-band]").contains("$4,000.00"));
    assert_eq!(count(&root, "[data-testid=trade-off-curve] polyline"), 1);
    assert!(text(&root, "[data-testid=deposit-amount]").contains("$6,060.58"));
    assert!(text(&root, "[data-testid=target-total]").contains("make 100.00%"));
    assert_eq!(count(&root, "[data-testid=error]"), 0);
    assert_eq!(count(&root, "[data-testid=notice]"), 0);
}

#[wasm_bindgen_test]
async fn changing_a_target_and_a_band_flips_the_status() {
    let (root, _app) = mount("", None).await;
    // Widen the strategy's band to 20% relative: Large Cap at 35% is inside 24–36%.
    type_into(&root, "[data-testid=band-width]", "20").await;
    assert_eq!(status(&root, "large"), "in band");
    assert!(text(&root, "[data-testid=drift-large]").contains("24.00% – 36.00%"));
    // A target of 36% moves Large Cap's band to 28.8–43.2%, and the total off 100%.
    type_into(&root, "[data-testid=model-row-0] [data-testid=target]", "36").await;
    assert!(text(&root, "[data-testid=target-total]").contains("6 points over 100%"));
    assert!(text(&root, "[data-testid=error]").contains("make 106%, not 100%: 6 points over"));
    // The last valid picture stays, marked as such, while the targets are retargeted.
    assert_eq!(count(&root, "[data-testid=drift-table]"), 1, "the last valid drift stays");
    assert_eq!(count(&root, "[data-testid=stale]"), 1);
    assert_eq!(status(&root, "large"), "in band", "as it was before the edit");
    // The slider moves the target as it is dragged: back to 30 and valid again.
    let slider: HtmlInputElement =
        find(&root, "[data-testid=model-row-0] [data-testid=target-slider]").unchecked_into();
    slider.set_value("30");
    dispatch(&slider, "input");
    settle().await;
    assert_eq!(count(&root, "[data-testid=error]"), 0);
    assert_eq!(status(&root, "large"), "in band");
    // Narrow it to an absolute 1 point: Mid Cap at 46% is now under 49–51%.
    let kind: HtmlSelectElement = find(&root, "[data-testid=band-kind]").unchecked_into();
    kind.set_value("absolute");
    dispatch(&kind, "change");
    settle().await;
    type_into(&root, "[data-testid=band-width]", "1").await;
    assert_eq!(status(&root, "mid"), "under");
    // Text that is not a number: a message by the field, nothing changed.
    type_into(&root, "[data-testid=band-width]", "wide").await;
    assert!(root.text_content().unwrap().contains("“wide” is not a number"));
    assert_eq!(status(&root, "mid"), "under");
}

#[wasm_bindgen_test]
async fn the_player_steps_through_the_trace() {
    let (root, _app) = mount("", None).await;
    assert!(text(&root, "[data-testid=step-text]").starts_with("Ready: 4 steps."));
    assert_eq!(count(&root, "[data-testid=outcome-table]"), 0, "the trade table waits for the end");
    click(&root, "[data-testid=step-forward]").await;
    assert_eq!(text(&root, "[data-testid=step-counter]"), "Step 1 of 4");
    assert_eq!(
        text(&root, "[data-testid=step-text]"),
        "Large Cap is out of band at 35.00% (27.00–33.00%): trim to its rebalance point 31.50%, raising $3,500.00."
    );
    assert!(text(&root, "[data-testid=pool-gauge]").contains("$3,500.00 to invest"));
    assert!(text(&root, "[data-testid=chart-large]").contains("31.50%"), "the chart follows the step");
    click(&root, "[data-testid=step-forward]").await;
    assert!(text(&root, "[data-testid=step-text]").contains("under its rebalance point 47.50%"));
    click(&root, "[data-testid=step-back]").await;
    assert_eq!(text(&root, "[data-testid=step-counter]"), "Step 1 of 4");
    click(&root, "[data-testid=to-end]").await;
    assert!(text(&root, "[data-testid=step-text]").starts_with("Pass 2: Mid Cap"));
    assert!(text(&root, "[data-testid=pool-gauge]").contains("settled"));
    let weights: Vec<String> = ["large", "mid", "small"]
        .iter()
        .map(|id| text(&root, &format!("[data-testid=outcome-{id}] [data-testid=weight-after]")))
        .collect();
    assert_eq!(weights, ["31.50%", "49.50%", "19.00%"]);
    // The allocation before and after as stacked bars (no cash in the paper's account).
    assert_eq!(count(&root, "[data-testid=allocation] .allocation-bar"), 2);
    let bars = text(&root, "[data-testid=allocation]");
    assert!(bars.contains("Large Cap 35.00%") && bars.contains("Large Cap 31.50%"), "{bars}");
    click(&root, "[data-testid=restart]").await;
    assert_eq!(text(&root, "[data-testid=step-counter]"), "Step 0 of 4");

    // Play at the fastest speed runs to the end by itself.
    let speed: HtmlSelectElement = find(&root, "[data-testid=speed]").unchecked_into();
    speed.set_value("150");
    dispatch(&speed, "change");
    click(&root, "[data-testid=play]").await;
    until(|| text(&root, "[data-testid=step-counter]") == "Step 4 of 4", || sleep(50)).await;
    until(|| text(&root, "[data-testid=play]") == "Play", || sleep(50)).await;
}

#[wasm_bindgen_test]
async fn the_market_moves_by_drag_key_and_return() {
    let (root, _app) = mount("", None).await;
    // Every row shares one scale: pressing on Large Cap's target line puts it at 30%, the
    // other sleeves keeping their dollars.
    let track = find(&root, "[data-testid=chart-large] svg.track");
    let rect = track.get_bounding_client_rect();
    let target = find(&root, "[data-testid=chart-large] line.target").get_bounding_client_rect();
    let init = web_sys::PointerEventInit::new();
    init.set_bubbles(true);
    init.set_client_x((target.left() + target.width() / 2.0).round() as i32);
    init.set_client_y((rect.top() + rect.height() / 2.0) as i32);
    init.set_pointer_id(1);
    track.dispatch_event(&web_sys::PointerEvent::new_with_event_init_dict("pointerdown", &init).unwrap()).unwrap();
    track.dispatch_event(&web_sys::PointerEvent::new_with_event_init_dict("pointerup", &init).unwrap()).unwrap();
    settle().await;
    let moved: f64 = weight(&root, "large").trim_end_matches('%').parse().unwrap();
    assert!((moved - 30.0).abs() < 0.2, "dragged to {moved}");
    assert_eq!(status(&root, "large"), "in band");
    assert!(text(&root, "[data-testid=drift-mid]").contains("$46,000.00"));

    // The marker is a keyboard slider: PageUp adds a point.
    let marker = find(&root, "[data-testid=chart-large] [data-testid=weight-marker]");
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("PageUp");
    init.set_bubbles(true);
    marker
        .dispatch_event(&web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap())
        .unwrap();
    settle().await;
    let keyed: f64 = weight(&root, "large").trim_end_matches('%').parse().unwrap();
    assert!((keyed - moved - 1.0).abs() < 0.02, "{moved} then {keyed}");

    // Small Cap −12%: $19,000 becomes $16,720.
    type_into(&root, "[data-testid=sleeve-small] [data-testid=return]", "-12").await;
    click(&root, "[data-testid=sleeve-small] [data-testid=apply-return]").await;
    assert!(text(&root, "[data-testid=drift-small]").contains("$16,720.00"));
}

#[wasm_bindgen_test]
async fn models_are_added_reordered_and_removed() {
    let (root, _app) = mount("", None).await;
    click(&root, "[data-testid=add-model]").await;
    assert_eq!(count(&root, "[data-testid=models-editor] tbody tr"), 4);
    assert_eq!(count(&root, "[data-testid=band-chart] .chart-row"), 4);
    type_into(&root, "[data-testid=model-row-3] [data-testid=model-name]", "Bonds").await;
    type_into(&root, "[data-testid=model-row-3] [data-testid=target]", "10").await;
    assert!(text(&root, "[data-testid=target-total]").contains("10 points over"));
    type_into(&root, "[data-testid=model-row-1] [data-testid=target]", "40").await;
    assert!(text(&root, "[data-testid=target-total]").contains("make 100.00%"));
    assert!(text(&root, "[data-testid=drift-model-4]").contains("Bonds"));
    click(&root, "[data-testid=model-row-0] [data-testid=remove-model]").await;
    assert_eq!(count(&root, "[data-testid=models-editor] tbody tr"), 3);
    let name: HtmlInputElement = find(&root, "[data-testid=model-row-0] [data-testid=model-name]").unchecked_into();
    assert_eq!(name.value(), "Mid Cap");
}

#[wasm_bindgen_test]
async fn the_link_round_trips_the_scenario() {
    let five = uma_tests::scenario(uma_tests::BALANCED_FIVE);
    let (root, _app) = mount(&uma_web::persist::to_hash(&five), None).await;
    assert_eq!(status(&root, "emerging"), "over");
    assert_eq!(count(&root, "[data-testid=band-chart] .chart-row"), 5);
    // An edit is written back to the link and to the autosave.
    type_into(&root, "[data-testid=sleeve-bonds] [data-testid=sleeve-value]", "400000").await;
    let before = uma_web::persist::to_hash(&five);
    until(|| uma_web::persist::current_hash() != before, || sleep(20)).await;
    let hash = uma_web::persist::current_hash();
    let restored = uma_web::persist::from_hash(&hash).unwrap().unwrap();
    assert_eq!(restored.account.sleeves[4].value, uma_engine::Decimal::from(400_000));
    let saved = uma_web::persist::load_saved().unwrap().unwrap();
    assert_eq!(saved, restored);
    // Opening that link again restores exactly that scenario.
    drop(_app);
    let (again, _app) = mount(&hash, None).await;
    assert!(text(&again, "[data-testid=drift-bonds]").contains("$400,000.00"));
}

#[wasm_bindgen_test]
async fn a_broken_link_or_save_gets_a_message_and_a_working_page() {
    let (root, _app) = mount("#scenario=%7B%22strategy%22%3A", None).await;
    assert!(text(&root, "[data-testid=notice]").contains("the link's scenario is invalid"));
    assert_eq!(status(&root, "large"), "over", "the first preset is shown");
    drop(_app);
    let (root, _app) = mount("", Some("{ corrupted")).await;
    assert!(text(&root, "[data-testid=notice]").contains("the saved scenario could not be restored"));
    assert_eq!(status(&root, "large"), "over");
}

#[wasm_bindgen_test]
async fn importing_a_bad_file_shows_a_message() {
    let (root, _app) = mount("", None).await;
    let import = |content: &str, name: &str| choose_file(&root, "[data-testid=import]", content, name);
    import(r#"{"strategy": {"models": []}}"#, "broken.json");
    until(|| count(&root, "[data-testid=notice]") == 1, || sleep(20)).await;
    assert!(text(&root, "[data-testid=notice]").contains("broken.json could not be imported"));
    assert_eq!(status(&root, "large"), "over", "the page keeps working");
    import(uma_tests::GROWTH_SEVEN, "growth.json");
    until(|| count(&root, "[data-testid=band-chart] .chart-row") == 7, || sleep(20)).await;
    assert_eq!(count(&root, "[data-testid=notice]"), 0);
}

#[wasm_bindgen_test]
async fn a_withdrawal_shows_the_sales_it_forces() {
    let (root, _app) = mount("", None).await;
    type_into(&root, "[data-testid=withdrawal-amount]", "10000").await;
    let sales = text(&root, "[data-testid=withdrawal-sales]");
    assert!(sales.starts_with("Forced sales: Large Cap"), "{sales}");
    type_into(&root, "[data-testid=withdrawal-amount]", "100000").await;
    assert!(text(&root, "[data-testid=withdrawal]").contains("leaves nothing"));
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
    // A JavaScript object has no lines and columns: the message says what and where, no more.
    let message = call(uma_web::js_api::drift, r#"{"strategy": {"models": 3}}"#).unwrap_err();
    assert_eq!(message, "strategy.models: invalid type: integer `3`, expected a list");
    let unknown = uma_tests::PAPER_THREE_MODELS.replacen(r#""model": "mid""#, r#""model": "micro""#, 1);
    assert!(call(uma_web::js_api::drift, &unknown)
        .unwrap_err()
        .contains(r#"account.sleeves[1].model: there is no model "micro""#));
}

/// Mounts the player and the through-time view on one scenario, as the page and its
/// on-demand module are joined, after clearing the link and the autosave.
async fn mount_time(json: &'static str) -> (HtmlElement, impl Drop) {
    reset("", None);
    mount_time_as_saved(json).await
}

/// [`mount_time`] on what the browser keeps now (nothing is cleared).
async fn mount_time_as_saved(json: &'static str) -> (HtmlElement, impl Drop) {
    use leptos::prelude::*;
    let document = window().document().unwrap();
    let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        let lab = uma_web::state::Lab::new(uma_engine::Scenario::from_json(json).unwrap());
        provide_context(lab);
        provide_context(uma_web::host::Host::of(lab));
        view! {
            <h2 id="plan-title">"Strategic rebalance"</h2>
            <uma_web::page::player::Player />
            <uma_web::panel::through_time::ThroughTime />
        }
    });
    settle().await;
    (root.clone(), Unmount(Some(handle), root))
}

fn select(root: &HtmlElement, selector: &str, value: &str) {
    let element: HtmlSelectElement = find(root, selector).unchecked_into();
    element.set_value(value);
    dispatch(&element, "change");
}

fn choose_file(root: &HtmlElement, selector: &str, content: &str, name: &str) {
    let input: HtmlInputElement = find(root, selector).unchecked_into();
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let file = web_sys::File::new_with_str_sequence(&parts, name).unwrap();
    let files = web_sys::DataTransfer::new().unwrap();
    files.items().add_with_file(&file).unwrap();
    input.set_files(files.files().as_ref());
    dispatch(&input, "change");
}

#[wasm_bindgen_test]
async fn a_run_through_history_plays_any_rebalance() {
    let (root, _app) = mount_time(uma_tests::PAPER_THREE_MODELS).await;
    until(|| count(&root, "[data-testid=time-chart]") == 1, || sleep(50)).await;
    assert!(text(&root, "[data-testid=history-credit]").contains("Kenneth R. French"));
    assert_eq!(count(&root, "[data-testid=time-chart] .strip"), 3);
    let rebalances: u32 = text(&root, "[data-testid=metric-rebalances]").parse().unwrap();
    assert!(rebalances > 10, "{rebalances}");
    assert_eq!(count(&root, "[data-testid=rebalance-marker]"), rebalances, "one marker per rebalance");
    assert_eq!(count(&root, "[data-testid=open-rebalance]"), 10, "a page of the list");
    // The account starts as the paper's, out of band: the first look rebalances it exactly
    // as the paper does.
    let first = find(&root, "[data-testid=rebalance-list] tbody tr");
    assert!(first.text_content().unwrap().contains("Large Cap -$3,500.00, Mid Cap $3,500.00"));
    click(&root, "[data-testid=open-rebalance]").await;
    assert!(text(&root, "[data-testid=replay-title]").contains(&format!("Rebalance 1 of {rebalances} on 1948-12-31")));
    assert_eq!(text(&root, "[data-testid=step-counter]"), "Step 0 of 4");
    click(&root, "[data-testid=to-end]").await;
    let weights: Vec<String> = ["large", "mid", "small"]
        .iter()
        .map(|id| text(&root, &format!("[data-testid=outcome-{id}] [data-testid=weight-after]")))
        .collect();
    assert_eq!(weights, ["31.50%", "49.50%", "19.00%"]);
    // A marker opens its rebalance too, by keyboard.
    let marker = root.query_selector_all("[data-testid=rebalance-marker]").unwrap().get(1).unwrap();
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_bubbles(true);
    marker
        .dispatch_event(&web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap())
        .unwrap();
    settle().await;
    assert!(text(&root, "[data-testid=replay-title]").starts_with("Rebalance 2 of"));
    // The markers are one tab stop: End moves focus (and the stop) to the last one, the
    // arrows step between them, and Enter opens the focused one.
    assert_eq!(count(&root, "[data-testid=rebalance-marker][tabindex='0']"), 1);
    let markers = root.query_selector_all("[data-testid=rebalance-marker]").unwrap();
    let first: web_sys::EventTarget = markers.get(0).unwrap().into();
    key_on(&first, "End");
    settle().await;
    let active = window().document().unwrap().active_element().unwrap();
    assert_eq!(
        active,
        markers.get(markers.length() - 1).unwrap().unchecked_into::<web_sys::Element>(),
        "End: the last"
    );
    assert_eq!(active.get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(count(&root, "[data-testid=rebalance-marker][tabindex='0']"), 1);
    key_on(&active, "ArrowLeft");
    settle().await;
    let active = window().document().unwrap().active_element().unwrap();
    key_on(&active, "Enter");
    settle().await;
    assert!(text(&root, "[data-testid=replay-title]").starts_with(&format!("Rebalance {} of", rebalances - 1)));
    click(&root, "[data-testid=replay-close]").await;
    assert_eq!(count(&root, "[data-testid=replay-banner]"), 0);
    // Looking at the bands once a year rebalances less often.
    select(&root, "[data-testid=look]", "annually");
    settle().await;
    let yearly: u32 = text(&root, "[data-testid=metric-rebalances]").parse().unwrap();
    assert!(yearly < rebalances, "{yearly} < {rebalances}");
    click(&root, "[data-testid=more-rebalances]").await;
    assert_eq!(count(&root, "[data-testid=open-rebalance]"), yearly.min(20));
}

#[wasm_bindgen_test]
async fn random_markets_and_prices_files() {
    let (root, _app) = mount_time(uma_tests::PAPER_SEVENTY_THIRTY).await;
    select(&root, "[data-testid=market-source]", "random");
    settle().await;
    until(|| count(&root, "[data-testid=time-chart]") == 1, || sleep(50)).await;
    assert_eq!(count(&root, "[data-testid=assumptions] tbody tr"), 2);
    let millis: f64 = text(&root, "[data-testid=sim-ms]").parse().unwrap();
    assert!(millis > 0.0);
    let first = text(&root, "[data-testid=metric-final-value]");
    type_into(&root, "[data-testid=seed]", "7").await;
    let other = text(&root, "[data-testid=metric-final-value]");
    assert_ne!(first, other, "another seed, another market");
    type_into(&root, "[data-testid=seed]", "2020").await;
    assert_eq!(text(&root, "[data-testid=metric-final-value]"), first, "a seed gives one market");
    // A 20% volatility for Value moves the market.
    type_into(&root, "[data-testid=assumptions] tbody tr:nth-child(2) td:nth-child(3) input", "40").await;
    assert_ne!(text(&root, "[data-testid=metric-final-value]"), first);

    select(&root, "[data-testid=market-source]", "upload");
    settle().await;
    assert!(text(&root, "[data-testid=time-error]").contains("Choose a prices file"));
    choose_file(&root, "[data-testid=prices-file]", "date,a\n2024-01-01,1\n2024-01-01,2\n", "bad.csv");
    until(|| count(&root, "[data-testid=prices-error]") == 1, || sleep(20)).await;
    assert!(text(&root, "[data-testid=prices-error]").contains("bad.csv cannot be used: prices line 3"));
    choose_file(&root, "[data-testid=prices-file]", include_str!("../scenarios/prices-growth-value.csv"), "mine.csv");
    until(|| count(&root, "[data-testid=time-chart]") == 1, || sleep(20)).await;
    assert_eq!(count(&root, "[data-testid=prices-error]"), 0);
    assert!(text(&root, "[data-testid=prices-summary]").starts_with("mine.csv: 4 dates"));
    let growth: HtmlSelectElement = find(&root, "[data-testid=column-growth]").unchecked_into();
    assert_eq!(growth.value(), "growth");
    // Following Value's prices for both models, nothing drifts.
    select(&root, "[data-testid=column-growth]", "value");
    settle().await;
    assert_eq!(text(&root, "[data-testid=metric-rebalances]"), "1", "only the starting account's breach");
}

#[wasm_bindgen_test]
async fn configurations_and_monte_carlo_run_with_progress_and_cancel() {
    let (root, _app) = mount_time(uma_tests::PAPER_THREE_MODELS).await;
    until(|| count(&root, "[data-testid=time-chart]") == 1, || sleep(50)).await;
    assert_eq!(text(&root, "[data-testid=run-grid]"), "Run 20 configurations");
    // No Trunk build here, so no worker file: the job runs in the page, a slice at a time.
    click(&root, "[data-testid=run-grid]").await;
    until(|| count(&root, "[data-testid=grid-table]") == 1, || sleep(100)).await;
    assert_eq!(count(&root, "[data-testid=grid-row]"), 20);
    assert_eq!(count(&root, "[data-testid=scatter-dot]"), 20);
    assert!(find(&root, "[data-testid=grid-scatter] svg")
        .get_attribute("aria-label")
        .unwrap()
        .contains("Lowest turnover"));
    // The efficient frontier: ringed, joined, and named in the chart's description.
    assert!(count(&root, "[data-testid=scatter-dot].efficient") >= 1);
    assert_eq!(count(&root, "[data-testid=frontier]"), 1);
    assert!(find(&root, "[data-testid=grid-scatter] svg")
        .get_attribute("aria-label")
        .unwrap()
        .contains("No other configuration beats these on both"));
    assert!(text(&root, "[data-testid=grid-scatter] svg").contains('%'), "ticks in percent");
    if count(&root, "[data-testid=hide-outliers]") == 1 {
        click(&root, "[data-testid=hide-outliers]").await;
        assert!(count(&root, "[data-testid=scatter-dot]") < 20, "outliers hidden");
        click(&root, "[data-testid=hide-outliers]").await;
    }
    select(&root, "[data-testid=grid-sort]", "tracking");
    settle().await;
    // Unchecking a band changes the choice: the results say they are out of date.
    click(&root, "[data-testid=grid-band-0]").await;
    assert_eq!(text(&root, "[data-testid=run-grid]"), "Run 16 configurations");
    // The choice is kept by the browser: a page opened again offers the same grid.
    assert_eq!(
        uma_web::persist::load_choices("grid-band"),
        Some(vec![false, true, true, true, false, true, false, false])
    );
    {
        let (again, _second) = mount_time_as_saved(uma_tests::PAPER_THREE_MODELS).await;
        until(|| count(&again, "[data-testid=time-chart]") == 1, || sleep(50)).await;
        assert_eq!(text(&again, "[data-testid=run-grid]"), "Run 16 configurations");
    }
    until(|| count(&root, "[data-testid=grid-stale]") == 1, || sleep(20)).await;

    type_into(&root, "[data-testid=mc-paths]", "2").await;
    click(&root, "[data-testid=run-monte-carlo]").await;
    until(|| count(&root, "[data-testid=mc-table]") == 1, || sleep(200)).await;
    assert_eq!(count(&root, "[data-testid=mc-row]"), 16);
    assert!(text(&root, "[data-testid=mc-table] caption").contains("over 2 paths"));
    // Each configuration against a baseline, paired on the same paths: one sentence for
    // each of the 15 others; another baseline, other sentences.
    assert_eq!(count(&root, "[data-testid=mc-ranking] li"), 15);
    let first = text(&root, "[data-testid=mc-ranking] li");
    assert!(first.contains(" turnover ") && first.contains("tracking error"), "{first}");
    assert!(first.contains("on the same 2 paths"), "{first}");
    select(&root, "[data-testid=mc-baseline]", "3");
    settle().await;
    assert_ne!(text(&root, "[data-testid=mc-ranking] li"), first);
    assert_eq!(count(&root, "[data-testid=mc-ranking] li"), 15);

    type_into(&root, "[data-testid=mc-paths]", "5000").await;
    click(&root, "[data-testid=run-monte-carlo]").await;
    until(|| count(&root, "[data-testid=mc-progress]") == 1, || sleep(20)).await;
    until(|| text(&root, "[data-testid=mc-progress-text]").contains("of 5000 paths"), || sleep(50)).await;
    assert!(text(&root, "[data-testid=mc-progress-text]").contains("in this page"));
    click(&root, "[data-testid=mc-cancel]").await;
    assert_eq!(count(&root, "[data-testid=mc-cancelled]"), 1);
    sleep(300).await;
    assert_eq!(count(&root, "[data-testid=mc-table]"), 0, "a cancelled run reports nothing");
}

#[wasm_bindgen_test]
fn envelopes_keep_every_excursion() {
    let values: Vec<f64> = (0..1000).map(|i| if i == 437 { 9.0 } else { (i % 7) as f64 }).collect();
    let points = uma_web::ui::lines::envelope(&values, 50);
    assert!(points.len() <= 100);
    assert!(points.contains(&(437, 9.0)));
    assert!(points.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(uma_web::ui::lines::envelope(&[1.0, 2.0], 50), [(0, 1.0), (1, 2.0)]);
}

#[wasm_bindgen_test]
async fn an_edit_in_progress_is_kept_by_the_link_and_the_autosave() {
    // Targets making 95%: kept as they are, with the problem shown where it is fixed.
    let mut unfinished = uma_tests::scenario(uma_tests::PAPER_THREE_MODELS);
    unfinished.strategy.models[0].target = uma_engine::Decimal::from(25);
    let (root, _app) = mount(&uma_web::persist::to_hash(&unfinished), None).await;
    assert_eq!(count(&root, "[data-testid=notice]"), 0);
    assert!(text(&root, "[data-testid=error]").contains("5 points short"));
    assert!(text(&root, "[data-testid=target-total]").contains("5 points short"));
    drop(_app);
    let (root, _app) = mount("", Some(&unfinished.to_json())).await;
    assert!(text(&root, "[data-testid=target-total]").contains("5 points short"));
    // Fixing it brings the page back.
    type_into(&root, "[data-testid=model-row-0] [data-testid=target]", "30").await;
    assert_eq!(count(&root, "[data-testid=error]"), 0);
    assert_eq!(status(&root, "large"), "over");
}

#[wasm_bindgen_test]
async fn a_model_gets_its_own_split_band_with_a_floor() {
    let (root, _app) = mount("", None).await;
    select(&root, "[data-testid=model-row-1] [data-testid=model-band-kind]", "own");
    settle().await;
    assert_eq!(text(&root, "[data-testid=model-row-1] summary"), "relative 10%");
    // Mid Cap (50%) at 46%: with 10% relative bands it is in band (45–55%).
    assert_eq!(status(&root, "mid"), "in band");
    click(&root, "[data-testid=model-1-band-split]").await;
    type_into(&root, "[data-testid=model-1-band-width]", "4").await;
    assert_eq!(text(&root, "[data-testid=model-row-1] summary"), "below: relative 4%, above: relative 11%");
    // Below: 4% of 50 is 2 points, so 48%: Mid Cap at 46% is now under its band.
    assert_eq!(status(&root, "mid"), "under");
    type_into(&root, "[data-testid=model-1-band-floor]", "5").await;
    assert_eq!(
        text(&root, "[data-testid=model-row-1] summary"),
        "below: relative 4% with a 5 pt floor, above: relative 11%"
    );
    assert_eq!(status(&root, "mid"), "in band", "a 5-point floor widens the lower side to 45%");
    assert!(text(&root, "[data-testid=drift-mid]").contains("45.00% – 55.50%"));
    // The strategy's band is untouched, and its heading follows its own split.
    assert_eq!(status(&root, "large"), "over");
    assert_eq!(text(&root, ".band-editor legend"), "Both sides");
    click(&root, "[data-testid=band-split]").await;
    assert_eq!(text(&root, ".band-editor legend"), "Below the target");
    select(&root, "[data-testid=model-row-1] [data-testid=model-band-kind]", "strategy");
    settle().await;
    assert_eq!(count(&root, "[data-testid=model-row-1] [data-testid=model-band]"), 0);
    // Small Cap keeps the paper's own absolute band.
    assert_eq!(text(&root, "[data-testid=model-row-2] summary"), "absolute 2 pts");
}

#[wasm_bindgen_test]
async fn the_sleeves_show_their_securities_orders_and_restrictions() {
    let (root, _app) = mount("", None).await;
    // The paper's case gives sleeve values only.
    assert!(text(&root, "[data-testid=no-holdings]").contains("gives each sleeve as a dollar value"));
    // A bad holdings file names its line; a good one shows the securities.
    choose_file(&root, "[data-testid=holdings-file]", "sleeve,symbol,shares,price\nlarge,VTI,lots,250\n", "bad.csv");
    until(|| count(&root, "[data-testid=holdings-error]") == 1, || sleep(20)).await;
    assert!(text(&root, "[data-testid=holdings-error]")
        .contains("bad.csv could not be imported: holdings line 2: shares \"lots\" is not a number"));
    let csv = "sleeve,symbol,shares,price\nlarge,VTI,140,250\nmid,VO,184,250\nsmall,VB,95,200\n";
    choose_file(&root, "[data-testid=holdings-file]", csv, "mine.csv");
    until(|| count(&root, "[data-testid=holdings-large]") == 1, || sleep(50)).await;
    assert_eq!(count(&root, "[data-testid=holdings-error]"), 0);
    assert_eq!(status(&root, "large"), "over", "the same values, now held in securities");

    // The example: Large Cap sells LCG and LCV for Mid Cap's MID.
    click(&root, "[data-testid=holdings-example]").await;
    until(|| count(&root, "[data-testid=orders-large] [data-testid=order]") == 2, || sleep(50)).await;
    assert!(text(&root, "[data-testid=orders-large]").contains("LCG"));
    assert_eq!(count(&root, "[data-testid=orders-mid] [data-testid=order]"), 1);
    assert!(text(&root, "[data-testid=alerts]").contains("Large Cap is out of band at 35.00%"));
    assert!(find(&root, "[data-testid=blotter]").get_attribute("href").unwrap().starts_with("data:text/csv"));
    // Do not sell LCV: LCG alone raises the cash, 24 shares.
    click(&root, "[data-testid=dns-LCV]").await;
    until(|| count(&root, "[data-testid=orders-large] [data-testid=order]") == 1, || sleep(50)).await;
    assert!(text(&root, "[data-testid=orders-large]").contains("24"));
    assert!(text(&root, "[data-testid=notes-large]").contains("LCV is on the account's do-not-sell list"));
    // The edit is the page's: saved with the scenario.
    until(
        || uma_web::persist::load_saved().ok().flatten().is_some_and(|s| s.account.mandates.do_not_sell == ["LCV"]),
        || sleep(50),
    )
    .await;
    // The player plays the strategic rebalance of the same account.
    assert_eq!(text(&root, "[data-testid=step-counter]"), "Step 0 of 4");
}

#[wasm_bindgen_test]
async fn the_securities_panel_minds_taxes_and_shows_what_it_saves() {
    let (root, _app) = mount("", None).await;
    click(&root, "[data-testid=holdings-example]").await;
    until(|| count(&root, "[data-testid=tax-aware]") == 1, || sleep(50)).await;
    assert_eq!(count(&root, "[data-testid=tax-saved]"), 0, "taxes are not minded yet");
    click(&root, "[data-testid=tax-aware]").await;
    until(|| count(&root, "[data-testid=tax-saved]") == 1, || sleep(50)).await;
    // Highest cost first sells LCG's short-term lot at a loss; a tax-blind rebalance would
    // sell the 2020 lot at a gain.
    assert!(text(&root, "[data-testid=tax-saved]").starts_with("Minding taxes saves about $"));
    select(&root, "[data-testid=lot-method]", "fifo");
    until(
        || {
            uma_web::persist::load_saved().ok().flatten().is_some_and(|s| {
                s.account.mandates.tax.enabled && s.account.mandates.tax.lots == uma_engine::LotMethod::Fifo
            })
        },
        || sleep(50),
    )
    .await;
    // First in, first out is what the tax-blind rebalance does: nothing saved.
    until(|| text(&root, "[data-testid=tax-saved]").starts_with("Minding taxes saves about $0.00"), || sleep(50)).await;
    assert!(text(&root, "[data-testid=taxes]").contains("Realized:"));
}

#[wasm_bindgen_test]
async fn the_drift_table_shows_the_moment_the_player_shows() {
    let (root, _app) = mount("", None).await;
    assert_eq!(text(&root, "[data-testid=moment]"), "Before the rebalance");
    assert_eq!((weight(&root, "large"), status(&root, "large")), ("35.00%".to_owned(), "over".to_owned()));
    click(&root, "[data-testid=step-forward]").await;
    assert_eq!(text(&root, "[data-testid=moment]"), "After step 1 of 4");
    // The table, the status and the chart show the same moment.
    assert_eq!((weight(&root, "large"), status(&root, "large")), ("31.50%".to_owned(), "in band".to_owned()));
    assert!(text(&root, "[data-testid=chart-large]").contains("31.50%"));
    assert_eq!(weight(&root, "mid"), "46.00%");
    click(&root, "[data-testid=step-forward]").await;
    assert_eq!(weight(&root, "mid"), "47.50%");
    click(&root, "[data-testid=to-end]").await;
    assert_eq!(text(&root, "[data-testid=moment]"), "After the rebalance");
    assert_eq!(weight(&root, "mid"), "49.50%");
    assert_eq!(text(&root, "[data-testid=drift-summary]"), "Every model is in band: no rebalance is triggered.");
    click(&root, "[data-testid=restart]").await;
    assert_eq!(weight(&root, "large"), "35.00%");
    assert!(text(&root, "[data-testid=drift-summary]").starts_with("A strategic rebalance is triggered"));
}

#[wasm_bindgen_test]
async fn through_time_runs_the_securities_preset_by_its_values() {
    let (root, _app) = mount_time(uma_tests::HOLDINGS_THREE_SLEEVES).await;
    until(|| count(&root, "[data-testid=time-chart]") == 1, || sleep(50)).await;
    let rebalances: u32 = text(&root, "[data-testid=metric-rebalances]").parse().unwrap();
    assert!(rebalances > 10, "{rebalances}");
}

#[wasm_bindgen_test]
async fn typed_numbers_apply_once_typing_pauses() {
    let (root, _app) = mount("", None).await;
    let input: HtmlInputElement = find(&root, "[data-testid=sleeve-large] [data-testid=sleeve-value]").unchecked_into();
    // Typed, no Enter or Tab: applied once typing pauses.
    input.set_value("45000");
    dispatch(&input, "input");
    until(|| weight(&root, "large") != "35.00%", || sleep(50)).await;
    // Large Cap $45,000 of $110,000.
    assert_eq!(weight(&root, "large"), "40.91%");
    // What is typed stays as typed while it reads as the value.
    input.set_value("45000.");
    dispatch(&input, "input");
    sleep(400).await;
    assert_eq!(input.value(), "45000.");
    // Text that is not a number says so beside the field, once committed, and changes nothing.
    input.set_value("lots");
    dispatch(&input, "change");
    settle().await;
    assert!(text(&root, "[data-testid=sleeve-large] .field-error").contains("is not a number"));
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(input.get_attribute("aria-describedby").is_some());
    assert_eq!(weight(&root, "large"), "40.91%");
}

#[wasm_bindgen_test]
async fn targets_off_100_keep_the_picture_and_can_be_rescaled() {
    let (root, _app) = mount("", None).await;
    type_into(&root, "[data-testid=model-row-0] [data-testid=target]", "40").await;
    assert!(text(&root, "[data-testid=error]").contains("10 points over"));
    // The chart, the table and the player keep the last valid account.
    assert_eq!(weight(&root, "large"), "35.00%");
    assert_eq!(text(&root, "[data-testid=step-counter]"), "Step 0 of 4");
    assert_eq!(count(&root, "section.stale"), 2);
    click(&root, "[data-testid=rescale]").await;
    assert_eq!(count(&root, "[data-testid=error]"), 0);
    assert_eq!(count(&root, "section.stale"), 0);
    let target: HtmlInputElement = find(&root, "[data-testid=model-row-0] [data-testid=target]").unchecked_into();
    assert_eq!(target.value(), "36.363636");
    assert!(text(&root, "[data-testid=target-total]").contains("make 100.00%"));
}

#[wasm_bindgen_test]
async fn a_removal_and_a_reset_can_be_undone_and_edits_are_marked() {
    let (root, _app) = mount("", None).await;
    assert_eq!(text(&root, "[data-testid=edited]"), "");
    click(&root, "[data-testid=model-row-1] [data-testid=remove-model]").await;
    assert_eq!(count(&root, "[data-testid=models-editor] [data-testid=remove-model]"), 2);
    assert!(text(&root, "[data-testid=error]").contains("50 points short"));
    assert_eq!(text(&root, "[data-testid=undo]"), "Undo removing Mid Cap");
    until(|| text(&root, "[data-testid=edited]") == "edited", || sleep(50)).await;
    click(&root, "[data-testid=undo]").await;
    assert_eq!(count(&root, "[data-testid=models-editor] [data-testid=remove-model]"), 3);
    assert_eq!(count(&root, "[data-testid=error]"), 0);
    assert_eq!(count(&root, "[data-testid=undo]"), 0);
    until(|| text(&root, "[data-testid=edited]").is_empty(), || sleep(50)).await;
    // A reset can be undone too.
    type_into(&root, "[data-testid=sleeve-large] [data-testid=sleeve-value]", "45000").await;
    click(&root, "[data-testid=reset]").await;
    assert_eq!(weight(&root, "large"), "35.00%");
    click(&root, "[data-testid=undo]").await;
    assert_eq!(weight(&root, "large"), "40.91%");
}

#[wasm_bindgen_test]
async fn the_printed_report_holds_the_rebalance() {
    let (root, _app) = mount("", None).await;
    assert_eq!(count(&root, "[data-testid=report]"), 1);
    assert!(text(&root, "[data-testid=report-assumptions]").contains("Large Cap 30% (band relative 10%)"));
    assert!(text(&root, "[data-testid=report-drift]").contains("Drift of an account of $100,000.00"));
    let plan = text(&root, "[data-testid=report-plan]");
    assert!(plan.contains("Strategic rebalance (interior range) of $100,000.00"), "{plan}");
    assert!(plan.contains("Pass 2: Mid Cap is furthest under its target"));
    assert!(text(&root, "[data-testid=report-disclosure]").contains("not investment advice"));
    // The print stylesheet (web/style.css) shows this section alone; on screen it is hidden.
    assert_eq!(find(&root, "[data-testid=report]").class_name(), "report");
}

#[wasm_bindgen_test]
async fn forget_clears_the_autosave_and_the_link() {
    let (root, _app) = mount("", None).await;
    type_into(&root, "[data-testid=sleeve-large] [data-testid=sleeve-value]", "45000").await;
    until(|| uma_web::persist::load_saved().ok().flatten().is_some(), || sleep(50)).await;
    click(&root, "[data-testid=forget]").await;
    assert!(uma_web::persist::load_saved().unwrap().is_none());
    assert!(uma_web::persist::current_hash().is_empty());
    assert!(text(&root, "[data-testid=notice]").contains("no longer keeps this scenario"));
}

fn key_on(target: &web_sys::EventTarget, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    target
        .dispatch_event(&web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap())
        .unwrap();
}

fn width_of(root: &HtmlElement, selector: &str) -> f64 {
    find(root, selector).get_bounding_client_rect().width()
}

#[wasm_bindgen_test]
async fn the_band_chart_has_one_scale_and_shows_each_step_moving() {
    let (root, _app) = mount("", None).await;
    // One scale for every row: Large Cap's 6-point band is 0.6 of Mid Cap's 10 points.
    let ratio =
        width_of(&root, "[data-testid=chart-large] rect.band") / width_of(&root, "[data-testid=chart-mid] rect.band");
    assert!((ratio - 0.6).abs() < 0.02, "band widths compare: {ratio}");
    let scale = text(&root, "[data-testid=chart-scale]");
    assert!(scale.contains("0%") && scale.contains("30%"), "ticks in percent: {scale}");
    assert_eq!(text(&root, "[data-testid=chart-large] [data-testid=target-label]"), "30%");
    assert!(text(&root, "[data-testid=chart-legend]").contains("rebalance points"));
    assert_eq!(count(&root, "[data-testid=ghost]"), 0, "no ghost before the rebalance");

    click(&root, "[data-testid=step-forward]").await;
    assert!(find(&root, "[data-testid=chart-large]").class_name().contains("selling"));
    assert_eq!(text(&root, "[data-testid=chart-large] [data-testid=trading]"), "sells");
    assert_eq!(count(&root, "[data-testid=chart-large] [data-testid=ghost]"), 1, "a ghost where the weight was");
    assert_eq!(text(&root, "[data-testid=cash-flow]"), "Large Cap → cash pool: $3,500.00");
    assert!(text(&root, "[data-testid=gauge-scale]").contains("$3,500.00 to invest"));
    click(&root, "[data-testid=step-forward]").await;
    assert!(find(&root, "[data-testid=chart-mid]").class_name().contains("buying"));
    assert!(!find(&root, "[data-testid=chart-large]").class_name().contains("selling"));
    assert!(text(&root, "[data-testid=cash-flow]").starts_with("cash pool → Mid Cap: $"));

    // Run lists the plan without playing it; a step of the list moves the player there.
    click(&root, "[data-testid=run-rebalance]").await;
    assert_eq!(text(&root, "[data-testid=step-counter]"), "Step 0 of 4");
    assert_eq!(count(&root, "[data-testid=plan-step]"), 4);
    click(&root, "[data-testid=plan-step]:nth-child(3) button").await;
    assert_eq!(text(&root, "[data-testid=step-counter]"), "Step 3 of 4");
    assert_eq!(text(&root, "[data-testid=moment]"), "After step 3 of 4");
    assert!(find(&root, "[data-testid=plan-step]:nth-child(3)").class_name().contains("current"));
}

#[wasm_bindgen_test]
async fn focus_stays_on_the_player_when_a_button_disables() {
    let (root, _app) = mount("", None).await;
    let forward = find(&root, "[data-testid=step-forward]");
    forward.focus().unwrap();
    for _ in 0..4 {
        click(&root, "[data-testid=step-forward]").await;
    }
    assert_eq!(text(&root, "[data-testid=step-counter]"), "Step 4 of 4");
    let active = window().document().unwrap().active_element().unwrap();
    assert_eq!(active.get_attribute("data-testid").as_deref(), Some("step-back"), "focus moved to Back");
    for _ in 0..4 {
        click(&root, "[data-testid=step-back]").await;
    }
    let active = window().document().unwrap().active_element().unwrap();
    assert_eq!(active.get_attribute("data-testid").as_deref(), Some("step-forward"), "focus moved to Forward");
}

#[wasm_bindgen_test]
async fn presenter_mode_hides_the_editors_and_steps_by_keyboard() {
    let (root, _app) = mount("", None).await;
    let editors = find(&root, "[data-testid=editors]");
    assert!(!editors.has_attribute("open"), "the editors start folded");
    assert!(text(&root, "[data-testid=editors] summary").contains("Large Cap 30% · Mid Cap 50% · Small Cap 20%"));
    click(&root, "[data-testid=presenter]").await;
    assert!(find(&root, "[data-testid=lab]").class_name().contains("presenter"));
    let body: web_sys::EventTarget = window().document().unwrap().body().unwrap().into();
    key_on(&body, "ArrowRight");
    settle().await;
    assert_eq!(text(&root, "[data-testid=step-counter]"), "Step 1 of 4");
    key_on(&body, "End");
    settle().await;
    assert_eq!(text(&root, "[data-testid=moment]"), "After the rebalance");
    key_on(&body, "ArrowLeft");
    settle().await;
    assert_eq!(text(&root, "[data-testid=step-counter]"), "Step 3 of 4");
    key_on(&body, "Home");
    settle().await;
    assert_eq!(text(&root, "[data-testid=step-counter]"), "Step 0 of 4");
    key_on(&body, "Escape");
    settle().await;
    assert!(!find(&root, "[data-testid=lab]").class_name().contains("presenter"));
    // Out of presenter mode the keys are the page's own again.
    key_on(&body, "ArrowRight");
    settle().await;
    assert_eq!(text(&root, "[data-testid=step-counter]"), "Step 0 of 4");
}

#[wasm_bindgen_test]
async fn growth_of_every_policy_against_never_and_drawdown() {
    let (root, _app) = mount_time(uma_tests::PAPER_THREE_MODELS).await;
    until(|| count(&root, "[data-testid=growth]") == 1, || sleep(50)).await;
    for policy in ["strategic", "full", "calendar", "never"] {
        assert_eq!(count(&root, &format!("[data-testid=growth-{policy}]")), 1, "{policy}'s growth line");
        assert_eq!(count(&root, &format!("[data-testid=drawdown-{policy}]")), 1, "{policy}'s drawdown line");
        let line = find(&root, &format!("[data-testid=growth-{policy}]"));
        assert!(line.get_attribute("points").unwrap().split(' ').count() > 100, "{policy}: a line of the whole run");
    }
    let cell =
        |policy: &str, column: u32| text(&root, &format!("[data-testid=growth-row-{policy}] td:nth-child({column})"));
    assert_eq!(cell("never", 5), "0", "never rebalances");
    assert_eq!(cell("never", 3), "—");
    // The run of the chosen policy and its row of the growth table agree.
    assert_eq!(cell("strategic", 2), text(&root, "[data-testid=metric-final-value]"));
    assert_eq!(cell("strategic", 4), text(&root, "[data-testid=metric-drawdown]"));
    assert_eq!(cell("strategic", 5), text(&root, "[data-testid=metric-rebalances]"));
    select(&root, "[data-testid=policy]", "never");
    settle().await;
    assert_eq!(cell("never", 2), text(&root, "[data-testid=metric-final-value]"));
    let words = text(&root, "[data-testid=growth-words]");
    assert!(words.contains("with rebalancing at the bands") && words.contains("with no rebalancing"), "{words}");
    // Projections are in whole dollars: no amount carries cents.
    for amount in words.split('$').skip(1) {
        let figure: String = amount.chars().take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.').collect();
        assert!(!figure.trim_end_matches('.').contains('.'), "whole dollars: {words}");
    }
}

#[wasm_bindgen_test]
async fn a_blank_name_and_a_revalued_sleeve_say_what_they_do() {
    let (root, _app) = mount("", None).await;
    let field = "[data-testid=model-row-0] [data-testid=model-name]";
    assert_eq!(count(&root, "[data-testid=model-name-note]"), 0);
    type_into(&root, field, "  ").await;
    assert_eq!(
        text(&root, "[data-testid=model-row-0] [data-testid=model-name-note]"),
        "No name: shown as its id, large."
    );
    let input = find(&root, field);
    assert_eq!(input.get_attribute("placeholder").as_deref(), Some("large"));
    let note_id = find(&root, "[data-testid=model-name-note]").id();
    assert_eq!(input.get_attribute("aria-describedby"), Some(note_id));
    type_into(&root, field, "Large Cap").await;
    assert_eq!(count(&root, "[data-testid=model-name-note]"), 0);
    // A sleeve known by its value takes the value; one that lists its holdings says that
    // its prices move.
    assert_eq!(count(&root, "[data-testid=sleeve-value-note]"), 0);
    select(&root, "[data-testid=preset]", "holdings-three-sleeves");
    settle().await;
    let note = find(&root, "[data-testid=sleeve-large] [data-testid=sleeve-value-note]");
    assert!(note.text_content().unwrap().contains("scales the prices of its 2 securities"));
    let value = find(&root, "[data-testid=sleeve-large] [data-testid=sleeve-value]");
    assert_eq!(value.get_attribute("aria-describedby"), Some(note.id()));
}
