//! Editing the strategy (models, targets, bands, range, step, cash target) and the
//! account (sleeve values, returns, cash).
//!
//! Rows are keyed by position and read their model reactively, so typing in one field
//! never re-creates the others (focus stays where the advisor is).

use leptos::prelude::*;
use uma_engine::{Decimal, Model, Range, Scenario};

use crate::page::band_editor::{BandEditor, BandOf, StrategyBand};
use crate::state::lab;
use crate::ui::fields::{NumberField, Slider};

/// Reads a model's field, or a default while a removed row is still being torn down.
fn model_field<T: Default>(scenario: &Scenario, i: usize, read: impl FnOnce(&Model) -> T) -> T {
    scenario.strategy.models.get(i).map(read).unwrap_or_default()
}

/// An id not used by any model yet: `model-4`, `model-5`, …
fn fresh_id(scenario: &Scenario) -> String {
    (scenario.strategy.models.len() + 1..)
        .map(|n| format!("model-{n}"))
        .find(|id| scenario.strategy.models.iter().all(|m| &m.id != id))
        .unwrap_or_default()
}

/// The strategy: its models, targets, bands, range mode, step and cash target.
#[component]
pub fn StrategyEditor() -> impl IntoView {
    let lab = lab();
    let count = Memo::new(move |_| lab.scenario.with(|s| s.strategy.models.len()));
    let allocated = Memo::new(move |_| lab.scenario.with(|s| s.strategy.allocated()));
    let add = move |_| {
        lab.edit(|s| {
            let id = fresh_id(s);
            s.strategy.models.push(Model::new(&id, "New model", Decimal::ZERO));
        })
    };
    view! {
        <table class="models" data-testid="models-editor">
            <caption class="sr-only">"Models of the strategy"</caption>
            <thead>
                <tr>
                    <th scope="col">"Model"</th>
                    <th scope="col">"Target"</th>
                    <th scope="col">"Band"</th>
                    <th scope="col">
                        <span class="sr-only">"Order and removal"</span>
                    </th>
                </tr>
            </thead>
            <tbody>
                <For each=move || 0..count.get() key=|i| *i let:i>
                    <ModelRow i />
                </For>
            </tbody>
        </table>
        <div class="row">
            <button type="button" on:click=add data-testid="add-model">
                "+ Add model"
            </button>
            <TargetTotal allocated />
        </div>
        <StrategyBand />
        <RangeControls />
    }
}

/// "Targets and cash target make 100.00%", or the exact shortfall or excess (the
/// engine's sentence).
#[component]
fn TargetTotal(allocated: Memo<Decimal>) -> impl IntoView {
    let lab = lab();
    let words = move || lab.scenario.with(|s| s.strategy.allocation_words());
    view! {
        <p
            class=move || if allocated.get() == Decimal::ONE_HUNDRED { "total ok" } else { "total off" }
            data-testid="target-total"
            role="status"
        >
            {words}
        </p>
    }
}

/// One model: name, target (slider and field), its own band or the strategy's, order.
#[component]
fn ModelRow(i: usize) -> impl IntoView {
    let lab = lab();
    let name = move || lab.scenario.with(|s| model_field(s, i, |m| m.name.clone()));
    let id = move || lab.scenario.with(|s| model_field(s, i, |m| m.id.clone()));
    // A blank name is shown as the model's id everywhere: say so beside the field.
    let blank = move || name().trim().is_empty();
    let note_id = move || format!("model-name-note-{i}");
    let target = Signal::derive(move || lab.scenario.with(|s| model_field(s, i, |m| m.target)));
    let set_target = move |t: Decimal| lab.edit(|s| s.strategy.models[i].target = t);
    view! {
        <tr data-testid=move || format!("model-row-{i}")>
            <td>
                <input
                    type="text"
                    class="name"
                    aria-label=move || format!("Name of model {}", i + 1)
                    data-testid="model-name"
                    prop:value=name
                    placeholder=id
                    aria-describedby=move || blank().then(note_id)
                    on:change:target=move |ev| {
                        let name = ev.target().value();
                        lab.edit(|s| s.strategy.models[i].name = name);
                    }
                />
                <Show when=blank>
                    <small class="field-note" id=note_id data-testid="model-name-note">
                        {move || format!("No name: shown as its id, {}.", id())}
                    </small>
                </Show>
            </td>
            <td class="target">
                <Slider
                    label=format!("Target of model {}", i + 1)
                    value=target
                    on_input=set_target
                    min="0"
                    max="100"
                    step="0.5"
                    testid="target-slider"
                />
                <NumberField
                    label=format!("Target of model {} in percent", i + 1)
                    hide_label=true
                    value=target
                    on_change=set_target
                    unit="%"
                    testid="target"
                />
            </td>
            <ModelBand i />
            <ModelOrder i />
        </tr>
    }
}

/// Model `i`'s band cell: the strategy's band, or its own and that band's editor.
#[component]
fn ModelBand(i: usize) -> impl IntoView {
    let lab = lab();
    let label = move || lab.scenario.with(|s| model_field(s, i, |m| m.name.clone()));
    let own_band = move || lab.scenario.with(|s| model_field(s, i, |m| m.band));
    let set_own = move |own: bool| {
        lab.edit(|s| {
            let strategy_band = s.strategy.band;
            if let Some(model) = s.strategy.models.get_mut(i) {
                // An own band starts as a copy of the strategy's, floor, cap and sides kept.
                model.band = own.then_some(strategy_band);
            }
        })
    };
    view! {
        <td class="band">
            <select
                aria-label=move || format!("Band of {}", label())
                data-testid="model-band-kind"
                prop:value=move || if own_band().is_some() { "own" } else { "strategy" }
                on:change:target=move |ev| set_own(ev.target().value() == "own")
            >
                <option value="strategy">"Strategy band"</option>
                <option value="own">"Its own band"</option>
            </select>
            {move || {
                own_band()
                    .map(|band| {
                        view! {
                            <details class="own-band" data-testid="model-band">
                                <summary>{band.to_string()}</summary>
                                <BandEditor at=BandOf::Model(i) />
                            </details>
                        }
                    })
            }}
        </td>
    }
}

/// Model `i`'s order cell: move it up or down, or remove it (and its sleeve).
#[component]
fn ModelOrder(i: usize) -> impl IntoView {
    let lab = lab();
    let label = move || lab.scenario.with(|s| model_field(s, i, |m| m.name.clone()));
    let swap = move |j: usize| {
        lab.edit(|s| {
            if j < s.strategy.models.len() {
                s.strategy.models.swap(i, j);
            }
        })
    };
    let remove = move |_| {
        let what = format!("removing {}", label());
        lab.edit_undoable(what, |s| {
            let id = s.strategy.models.remove(i).id;
            s.account.sleeves.retain(|sleeve| sleeve.model != id);
        })
    };
    view! {
        <td class="order">
            <button
                type="button"
                aria-label=move || format!("Move {} up", label())
                disabled=move || i == 0
                on:click=move |_| {
                    if i > 0 {
                        swap(i - 1)
                    }
                }
            >
                "↑"
            </button>
            <button type="button" aria-label=move || format!("Move {} down", label()) on:click=move |_| swap(i + 1)>
                "↓"
            </button>
            <button
                type="button"
                class="remove"
                aria-label=move || format!("Remove {}", label())
                data-testid="remove-model"
                on:click=remove
            >
                "✕"
            </button>
        </td>
    }
}

/// Range mode, the interior percent, the step and the cash target.
#[component]
fn RangeControls() -> impl IntoView {
    let lab = lab();
    let range = Memo::new(move |_| lab.scenario.with(|s| s.strategy.range));
    let percent = Signal::derive(move || range.get().percent_or_default());
    let set_percent = move |p: Decimal| lab.edit(|s| s.strategy.range = Range::interior(p));
    let set_mode = move |mode: String| {
        let p = percent.get_untracked();
        if let Some(range) = Range::from_mode(&mode, p) {
            lab.edit(|s| s.strategy.range = range)
        }
    };
    view! {
        <div class="range-editor">
            <h3>"Rebalance range"</h3>
            <label class="field">
                <span class="field-label">"Mode"</span>
                <select
                    data-testid="range-mode"
                    prop:value=move || range.get().mode()
                    on:change:target=move |ev| set_mode(ev.target().value())
                >
                    <option value="target">"Target: back to the target"</option>
                    <option value="band">"Band: back to the band edge"</option>
                    <option value="interior">"Interior: part of the way"</option>
                </select>
            </label>
            <Show when=move || matches!(range.get(), Range::Interior { .. })>
                <div class="field">
                    <span class="field-label">
                        {move || format!("Percent to target: {}%", percent.get().normalize())}
                    </span>
                    <Slider
                        label="Interior percent to target".into()
                        value=percent
                        on_input=set_percent
                        min="1"
                        max="99"
                        step="1"
                        testid="interior-percent"
                    />
                </div>
            </Show>
            <NumberField
                label="Step of a pass".into()
                value=Signal::derive(move || lab.scenario.with(|s| s.strategy.step))
                on_change=move |v: Decimal| lab.edit(|s| s.strategy.step = v)
                unit="%"
                testid="step"
            />
            <NumberField
                label="Cash target".into()
                value=Signal::derive(move || lab.scenario.with(|s| s.strategy.cash_target))
                on_change=move |v: Decimal| lab.edit(|s| s.strategy.cash_target = v)
                unit="%"
                testid="cash-target"
            />
        </div>
    }
}

/// The account: each sleeve's value, a return to apply to it, and the cash.
#[component]
pub fn AccountEditor() -> impl IntoView {
    let lab = lab();
    let count = Memo::new(move |_| lab.scenario.with(|s| s.strategy.models.len()));
    view! {
        <table class="account" data-testid="account-editor">
            <caption class="sr-only">"Sleeve values"</caption>
            <thead>
                <tr>
                    <th scope="col">"Sleeve"</th>
                    <th scope="col">"Value"</th>
                    <th scope="col">"Apply a return"</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || 0..count.get() key=|i| *i let:i>
                    <SleeveRow i />
                </For>
                <tr>
                    <th scope="row">"Cash"</th>
                    <td>
                        <NumberField
                            label="Cash in dollars".into()
                            hide_label=true
                            value=Signal::derive(move || lab.scenario.with(|s| s.account.cash))
                            on_change=move |v: Decimal| lab.edit(|s| s.account.cash = v)
                            unit="$"
                            testid="cash"
                        />
                    </td>
                    <td></td>
                </tr>
            </tbody>
        </table>
    }
}

#[component]
fn SleeveRow(i: usize) -> impl IntoView {
    let lab = lab();
    let id = move || lab.scenario.with(|s| model_field(s, i, |m| m.id.clone()));
    let name = move || lab.scenario.with(|s| model_field(s, i, |m| m.label().to_owned()));
    let value = Signal::derive(move || {
        lab.scenario.with(|s| {
            let id = model_field(s, i, |m| m.id.clone());
            let values = s.sleeve_values();
            s.account.sleeves.iter().position(|sleeve| sleeve.model == id).map_or(Decimal::ZERO, |k| values[k])
        })
    });
    // A sleeve with holdings takes a new value through its securities' prices: said
    // under the field.
    let how = move || lab.scenario.with(|s| uma_engine::value_edit_words(s, &model_field(s, i, |m| m.id.clone())));
    let how_id = move || format!("sleeve-value-note-{i}");
    let set_value = move |v: Decimal| {
        let next = lab.scenario.with_untracked(|s| uma_engine::with_value(s, &id(), v));
        lab.apply(next);
    };
    let pending = RwSignal::new(Decimal::ZERO);
    let apply = move |_| {
        let next = lab.scenario.with_untracked(|s| uma_engine::with_return(s, &id(), pending.get_untracked()));
        lab.apply(next);
    };
    view! {
        <tr data-testid=move || format!("sleeve-{}", id())>
            <th scope="row">{name}</th>
            <td>
                <NumberField
                    label=format!("Value of sleeve {} in dollars", i + 1)
                    hide_label=true
                    value
                    on_change=set_value
                    unit="$"
                    testid="sleeve-value"
                    described_by=Signal::derive(move || how().is_some().then(how_id))
                />
                {move || {
                    how()
                        .map(|words| {
                            view! { <small class="field-note" id=how_id data-testid="sleeve-value-note">{words}</small> }
                        })
                }}
            </td>
            <td class="apply-return">
                <NumberField
                    label=format!("Return for sleeve {} in percent", i + 1)
                    hide_label=true
                    value=pending
                    on_change=move |v: Decimal| pending.set(v)
                    unit="%"
                    testid="return"
                />
                <button type="button" data-testid="apply-return" aria-label=move || format!("Apply the return to {}", name()) on:click=apply>
                    "Apply"
                </button>
            </td>
        </tr>
    }
}
