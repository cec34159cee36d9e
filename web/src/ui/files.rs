//! Reading a file a person chose: the scenario, a prices file, a holdings file.

use wasm_bindgen::JsCast;

/// An `on:change` handler for a file input: reads the chosen file as text, then calls
/// `read` with its name and text (none when it is not text). The input is cleared, so the
/// same file can be chosen again.
pub fn on_file(read: impl Fn(String, Option<String>) + Copy + 'static) -> impl Fn(web_sys::Event) + Copy + 'static {
    move |ev: web_sys::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        input.set_value("");
        let name = file.name();
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
            read(name, text);
        });
    }
}
