//! The page's other panels as a module of their own (`uma-panels`): the range modes
//! compared, cash flows, the securities in the sleeves and the simulator through time.
//! The page imports it once it is interactive; it mounts each panel into its place. See
//! [`uma_web::panels`].

fn main() {
    console_error_panic_hook::set_once();
    // The panels live as long as the page.
    std::mem::forget(uma_web::panels::mount_panels());
}
