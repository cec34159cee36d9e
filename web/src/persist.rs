//! Keeping and sharing a scenario: in the page's URL (`#scenario=` and the scenario's
//! JSON, URI-encoded) and in the browser's local storage. Reading either may fail (a
//! broken link, a corrupted save): the caller shows the message and falls back.
//!
//! A scenario in the middle of an edit (targets not yet making 100, say) is kept and
//! restored as it is: the page then shows what is still wrong with it, as it did before.

use uma_engine::Scenario;

/// The local-storage key of the autosave.
pub const STORAGE_KEY: &str = "uma-rebalance-lab/scenario";
const HASH_PREFIX: &str = "#scenario=";

/// A scenario as the fragment of a shareable link: `#scenario=%7B%22version…`.
pub fn to_hash(scenario: &Scenario) -> String {
    let json = serde_json::to_string(scenario).unwrap_or_default();
    format!("{HASH_PREFIX}{}", String::from(js_sys::encode_uri_component(&json)))
}

/// The scenario in a link's fragment: `Ok(None)` when the fragment holds none.
///
/// # Errors
///
/// A message naming the problem when the fragment is not a valid scenario.
pub fn from_hash(hash: &str) -> Result<Option<Scenario>, String> {
    let Some(encoded) = hash.strip_prefix(HASH_PREFIX) else {
        return Ok(None);
    };
    let json = js_sys::decode_uri_component(encoded)
        .map(String::from)
        .map_err(|_| "the link's scenario is damaged (it is not valid URI encoding)".to_owned())?;
    Scenario::from_json_unvalidated(&json).map(Some).map_err(|e| format!("the link's scenario is invalid: {e}"))
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The autosaved scenario, if any.
///
/// # Errors
///
/// A message when the saved scenario cannot be read.
pub fn load_saved() -> Result<Option<Scenario>, String> {
    let Some(text) = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) else {
        return Ok(None);
    };
    Scenario::from_json_unvalidated(&text)
        .map(Some)
        .map_err(|e| format!("the saved scenario could not be restored: {e}"))
}

/// Saves the scenario in local storage and in the page's URL (without a history entry).
pub fn save(scenario: &Scenario) {
    if let Some(storage) = storage() {
        // Storage can be full or disabled; the URL still carries the scenario.
        let _ = storage.set_item(STORAGE_KEY, &scenario.to_json());
    }
    if let Some(window) = web_sys::window() {
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&to_hash(scenario)));
        }
    }
}

/// Forgets the scenario: removes the autosave from local storage and the scenario from
/// the page's URL. Nothing else of it is kept by the page.
pub fn forget() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(STORAGE_KEY);
    }
    if let Some(window) = web_sys::window() {
        let path = window.location().pathname().unwrap_or_default();
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
        }
    }
}

/// The page's current URL fragment.
pub fn current_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// The scenario to open with, and a message when a link or a save had to be skipped:
/// the link's scenario first, then the autosave, then the first preset.
pub fn initial() -> (Scenario, Option<String>) {
    let mut problems = Vec::new();
    match from_hash(&current_hash()) {
        Ok(Some(scenario)) => return (scenario, None),
        Ok(None) => {}
        Err(message) => problems.push(message),
    }
    match load_saved() {
        Ok(Some(scenario)) => {
            let notice =
                (!problems.is_empty()).then(|| format!("{}; the last saved scenario is shown.", problems.join("; ")));
            return (scenario, notice);
        }
        Ok(None) => {}
        Err(message) => problems.push(message),
    }
    let notice = (!problems.is_empty()).then(|| format!("{}; a preset is shown instead.", problems.join("; ")));
    (crate::presets::scenario(crate::presets::PRESETS[0].key), notice)
}

/// A `data:` URL of the scenario's JSON, for an export link.
pub fn export_url(scenario: &Scenario) -> String {
    format!("data:application/json;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&scenario.to_json())))
}

/// The local-storage key of whether the editors are open.
const EDITORS_KEY: &str = "uma-rebalance-lab/editors-open";

/// Whether the strategy and account editors were left open (folded the first time, so
/// that the band chart and the player come first).
pub fn editors_open() -> bool {
    storage().and_then(|s| s.get_item(EDITORS_KEY).ok().flatten()).as_deref() == Some("open")
}

/// Remembers whether the editors are open.
pub fn set_editors_open(open: bool) {
    if let Some(s) = storage() {
        let _ = s.set_item(EDITORS_KEY, if open { "open" } else { "folded" });
    }
}

/// A list of choices (the check boxes of one axis of the configurations grid) saved
/// under `key`, if the browser has one.
pub fn load_choices(key: &str) -> Option<Vec<bool>> {
    let text = storage()?.get_item(&format!("uma-rebalance-lab/{key}")).ok()??;
    text.chars()
        .map(|c| match c {
            '1' => Some(true),
            '0' => Some(false),
            _ => None,
        })
        .collect()
}

/// Saves a list of choices under `key`.
pub fn save_choices(key: &str, choices: &[bool]) {
    if let Some(s) = storage() {
        let text: String = choices.iter().map(|&on| if on { '1' } else { '0' }).collect();
        let _ = s.set_item(&format!("uma-rebalance-lab/{key}"), &text);
    }
}
