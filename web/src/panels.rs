//! The entry of the `uma-panels` module: each panel mounted into its [`PanelRoot`] on the
//! page, with the [`Host`](crate::host::Host) behind the page's bridge.

use std::any::Any;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::bridge::host_from_bridge;
use crate::host::PanelRoot;
use crate::panel::compare::CompareModes;
use crate::panel::flows::Flows;
use crate::panel::report::Report;
use crate::panel::securities::Securities;
use crate::panel::through_time::TimeGate;

/// The panel that goes into `root`.
fn panel(root: PanelRoot) -> AnyView {
    match root {
        PanelRoot::Compare => view! { <CompareModes /> }.into_any(),
        PanelRoot::Flows => view! { <Flows /> }.into_any(),
        PanelRoot::Securities => view! { <Securities /> }.into_any(),
        PanelRoot::Time => view! { <TimeGate /> }.into_any(),
        PanelRoot::Report => view! { <Report /> }.into_any(),
    }
}

/// Mounts each panel into its place on the page, with the host behind the page's bridge.
/// Returns the mounts, which unmount when dropped (the module keeps them for the page's
/// lifetime; the browser tests drop them).
pub fn mount_panels() -> Vec<Box<dyn Any>> {
    let document = web_sys::window().and_then(|w| w.document());
    let element = |root: PanelRoot| {
        document
            .as_ref()
            .and_then(|d| d.get_element_by_id(root.id()))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    };
    let host = match host_from_bridge() {
        Ok(host) => host,
        Err(e) => {
            for element in PanelRoot::ALL.into_iter().filter_map(element) {
                element.set_text_content(Some(&format!("This panel could not start: {e}.")));
            }
            return Vec::new();
        }
    };
    PanelRoot::ALL
        .into_iter()
        .filter_map(|root| {
            let mount = leptos::mount::mount_to(element(root)?, move || {
                provide_context(host);
                panel(root)
            });
            Some(Box::new(mount) as Box<dyn Any>)
        })
        .collect()
}
