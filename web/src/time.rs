//! The simulator through time as a module of its own: the page imports it when an advisor
//! opens the panel, and it mounts the view there. See [`uma_web::host`].

fn main() {
    console_error_panic_hook::set_once();
    uma_web::host::mount_time_view();
}
