//! The Web Worker of UMA Rebalance Lab: runs the long analyses (a grid of configurations,
//! a Monte Carlo run) that the page sends it, off the page's thread. See
//! [`uma_web::jobs`] for the messages.

fn main() {
    console_error_panic_hook::set_once();
    uma_web::jobs::serve_in_worker();
}
