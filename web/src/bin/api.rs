//! The engine from JavaScript, as a small module of its own (`uma-api`): `rebalance` and
//! `drift` (see [`uma_web::js_api`]), without the page's user interface. Scripts import
//! it (`const api = await window.umaApi()`) and call them.

fn main() {
    // Panics (there should be none) reach the console with their message.
    console_error_panic_hook::set_once();
    // Links the library, and with it the exports `rebalance` and `drift`.
    uma_web::js_api::link();
}
