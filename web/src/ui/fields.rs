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

/// A text field for a decimal. The value is applied when the field is committed (Enter
/// or leaving it); text that is not a number shows a message beside the field and
/// changes nothing.
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
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    view! {
        <label class="field">
            <span class=if hide_label { "sr-only" } else { "field-label" }>{label}</span>
            <span class="field-input">
                <input
                    type="text"
                    inputmode="decimal"
                    data-testid=testid
                    aria-invalid=move || error.with(|e| e.is_some()).to_string()
                    prop:value=move || show(value.get())
                    on:change:target=move |ev| match parse_decimal(&ev.target().value()) {
                        Ok(number) => {
                            error.set(None);
                            on_change.run(number);
                        }
                        Err(message) => error.set(Some(message)),
                    }
                />
                <span class="unit">{unit}</span>
            </span>
            {move || error.get().map(|message| view! { <span class="field-error" role="alert">{message}</span> })}
        </label>
    }
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
