//! Mounts the UMA Rebalance Lab app on the page. Everything else lives in the library so
//! that browser tests can mount the same components.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(uma_web::App);
}
