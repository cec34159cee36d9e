//! Form controls: a decimal text field that reports what it cannot read, and a labelled
//! slider.

use std::str::FromStr;

use leptos::prelude::*;
use uma_engine::Decimal;

/// Reads a decimal typed by a person: spaces, thousands separators, a `$` or a `%` are
/// allowed around it.
///
/// # Errors
///
/// A short message when the text is not a number.
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let cleaned: String =
        text.trim().trim_start_matches('$').trim_end_matches('%').chars().filter(|c| *c != ',' && *c != ' ').collect();
    if cleaned.is_empty() {
        return Err("enter a number".to_owned());
    }
    Decimal::from_str(&cleaned).map_err(|_| format!("“{}” is not a number", text.trim()))
}

/// A decimal as a field shows it: without trailing zeros.
pub fn show(value: Decimal) -> String {
    value.normalize().to_string()
}

/// How long typing must pause before a number field applies what it reads, in ms.
pub const TYPING_PAUSE_MS: u64 = 300;

/// A text field for a decimal. The value is applied once typing pauses
/// ([`TYPING_PAUSE_MS`]) and when the field is committed (Enter or leaving it); text that
/// is not a number shows a message beside the field (its `aria-describedby`) and changes
/// nothing. While what is typed reads as the value (`3.` for 3), the field keeps it as
/// typed; when the value changes from elsewhere (a drag, a reset) the field shows it, and
/// a message about earlier text goes.
#[component]
pub fn NumberField(
    /// The label (visible unless `hide_label`).
    label: String,
    /// Keep the label for screen readers only (in tables whose headers say it).
    #[prop(optional)]
    hide_label: bool,
    /// The current value.
    #[prop(into)]
    value: Signal<Decimal>,
    /// Called with the new value.
    #[prop(into)]
    on_change: Callback<Decimal>,
    /// A unit shown after the field (`%`, `$`).
    #[prop(optional)]
    unit: &'static str,
    /// The `data-testid` of the input.
    #[prop(optional, into)]
    testid: String,
    /// The id of a note beside the field that describes it, when there is one.
    #[prop(optional, into)]
    described_by: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let input = NodeRef::<leptos::html::Input>::new();
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let error_id = format!("{testid}-error-{}", next_field_id());
    let apply = move |text: String, now: bool| match parse_decimal(&text) {
        Ok(number) => {
            error.set(None);
            on_change.run(number);
        }
        Err(message) if now => error.set(Some(message)),
        Err(_) => {}
    };
    let on_input = move |text: String| {
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let later = move || apply(text, false);
        pending.set_value(set_timeout_with_handle(later, std::time::Duration::from_millis(TYPING_PAUSE_MS)).ok());
    };
    // The text shown: what is typed while it reads as the value, else the value.
    let shown = move || {
        let v = value.get();
        match input.get_untracked() {
            Some(el) if parse_decimal(&el.value()) == Ok(v) => el.value(),
            _ => {
                error.set(None);
                show(v)
            }
        }
    };
    on_cleanup(move || {
        if let Some(handle) = pending.try_get_value().flatten() {
            handle.clear();
        }
    });
    let described = error_id.clone();
    view! {
        <label class="field">
            <span class=if hide_label { "sr-only" } else { "field-label" }>{label}</span>
            <span class="field-input">
                <input
                    type="text"
                    inputmode="decimal"
                    node_ref=input
                    data-testid=testid
                    aria-invalid=move || error.with(|e| e.is_some()).to_string()
                    aria-describedby=move || {
                        let ids: Vec<String> = [
                            described_by.and_then(|note| note.get()),
                            error.with(|e| e.is_some()).then(|| described.clone()),
                        ]
                        .into_iter()
                        .flatten()
                        .collect();
                        (!ids.is_empty()).then(|| ids.join(" "))
                    }
                    prop:value=shown
                    on:input:target=move |ev| on_input(ev.target().value())
                    on:change:target=move |ev| {
                        if let Some(handle) = pending.get_value() {
                            handle.clear();
                        }
                        apply(ev.target().value(), true)
                    }
                />
                <span class="unit">{unit}</span>
            </span>
            {move || {
                error.get().map(|message| view! { <span class="field-error" role="alert" id=error_id.clone()>{message}</span> })
            }}
        </label>
    }
}

/// A number for each field's error id, unique on the page.
fn next_field_id() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A range slider for a percentage, applied as it moves.
#[component]
pub fn Slider(
    /// The accessible label.
    label: String,
    /// The current value.
    #[prop(into)]
    value: Signal<Decimal>,
    /// Called with the new value as the slider moves.
    #[prop(into)]
    on_input: Callback<Decimal>,
    /// Lowest value.
    min: &'static str,
    /// Highest value.
    max: &'static str,
    /// Increment.
    step: &'static str,
    /// The `data-testid` of the input.
    #[prop(optional, into)]
    testid: String,
) -> impl IntoView {
    view! {
        <input
            type="range"
            class="slider"
            aria-label=label
            data-testid=testid
            min=min
            max=max
            step=step
            prop:value=move || show(value.get())
            on:input:target=move |ev| {
                if let Ok(number) = parse_decimal(&ev.target().value()) {
                    on_input.run(number);
                }
            }
        />
    }
}
