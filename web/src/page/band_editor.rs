//! Editing a band: the strategy's, or a model's own; one side used both ways, or
//! different below and above, each side with its kind, width, floor and cap.

use leptos::prelude::*;
use uma_engine::{Band, BandKind, BandSide, Decimal, Scenario};

use crate::state::lab;
use crate::ui::fields::NumberField;

/// Whose band an editor changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BandOf {
    /// The strategy's, for every model without its own.
    Strategy,
    /// Model `i`'s own band.
    Model(usize),
}

impl BandOf {
    /// The band, if there is one (a model may have none of its own).
    fn read(self, scenario: &Scenario) -> Option<Band> {
        match self {
            BandOf::Strategy => Some(scenario.strategy.band),
            BandOf::Model(i) => scenario.strategy.models.get(i).and_then(|m| m.band),
        }
    }

    fn write(self, scenario: &mut Scenario) -> Option<&mut Band> {
        match self {
            BandOf::Strategy => Some(&mut scenario.strategy.band),
            BandOf::Model(i) => scenario.strategy.models.get_mut(i).and_then(|m| m.band.as_mut()),
        }
    }

    /// The prefix of the editor's `data-testid`s: `band`, or `model-2-band`.
    fn testid(self) -> String {
        match self {
            BandOf::Strategy => "band".to_owned(),
            BandOf::Model(i) => format!("model-{i}-band"),
        }
    }
}

/// One side of a band: kind, width, optional floor and cap.
#[component]
fn SideEditor(
    /// Whose band.
    at: BandOf,
    /// Which side: `below` (also used for a symmetric band) or `above`.
    above: bool,
    /// The heading shown.
    #[prop(into)]
    title: Signal<&'static str>,
) -> impl IntoView {
    let lab = lab();
    let side = move || {
        lab.scenario
            .with(|s| at.read(s).map(|b| if above { b.above } else { b.below }))
            .unwrap_or(BandSide::relative(Decimal::ZERO))
    };
    // Edits the side; on a symmetric band the edit applies to both sides.
    let update = move |change: Box<dyn Fn(&mut BandSide)>| {
        lab.edit(|s| {
            let Some(band) = at.write(s) else { return };
            let symmetric = band.below == band.above;
            if above || symmetric {
                change(&mut band.above);
            }
            if !above || symmetric {
                change(&mut band.below);
            }
        })
    };
    let prefix = if above { format!("{}-above", at.testid()) } else { at.testid() };
    let optional =
        move |pick: fn(&BandSide) -> Option<Decimal>| Signal::derive(move || pick(&side()).unwrap_or_default());
    let set_floor = move |v: Decimal| update(Box::new(move |b| b.floor = (!v.is_zero()).then_some(v)));
    let set_cap = move |v: Decimal| update(Box::new(move |b| b.cap = (!v.is_zero()).then_some(v)));
    view! {
        <fieldset class="side">
            <legend>{move || title.get()}</legend>
            <label class="field">
                <span class="field-label">"Kind"</span>
                <select
                    data-testid=format!("{prefix}-kind")
                    prop:value=move || BandKind::name(side().kind)
                    on:change:target=move |ev| {
                        let kind = BandKind::from_name(&ev.target().value()).unwrap_or(BandKind::Relative);
                        update(Box::new(move |b| b.kind = kind))
                    }
                >
                    <option value="relative">"Relative (% of target)"</option>
                    <option value="absolute">"Absolute (points)"</option>
                </select>
            </label>
            <NumberField
                label="Width".into()
                value=Signal::derive(move || side().width)
                on_change=move |w: Decimal| update(Box::new(move |b| b.width = w))
                unit=""
                testid=format!("{prefix}-width")
            />
            <NumberField
                label="Floor (points, 0 = none)".into()
                value=optional(|b| b.floor)
                on_change=set_floor
                testid=format!("{prefix}-floor")
            />
            <NumberField
                label="Cap (points, 0 = none)".into()
                value=optional(|b| b.cap)
                on_change=set_cap
                testid=format!("{prefix}-cap")
            />
        </fieldset>
    }
}

/// A band: one side used both ways, or different below and above.
#[component]
pub fn BandEditor(
    /// Whose band.
    at: BandOf,
) -> impl IntoView {
    let lab = lab();
    let split = Memo::new(move |_| lab.scenario.with(|s| at.read(s).is_some_and(|b| b.below != b.above)));
    let toggle = move |on: bool| {
        lab.edit(|s| {
            let Some(band) = at.write(s) else { return };
            if on {
                // Start the upper side one unit wider so the split shows.
                band.above.width += Decimal::ONE;
            } else {
                band.above = band.below;
            }
        })
    };
    let first_title = Signal::derive(move || if split.get() { "Below the target" } else { "Both sides" });
    view! {
        <label class="check">
            <input
                type="checkbox"
                data-testid=format!("{}-split", at.testid())
                prop:checked=split
                on:change:target=move |ev| toggle(ev.target().checked())
            />
            "Different below and above the target"
        </label>
        <div class="sides">
            <SideEditor at above=false title=first_title />
            <Show when=move || split.get()>
                <SideEditor at above=true title="Above the target" />
            </Show>
        </div>
    }
}

/// The strategy's band.
#[component]
pub fn StrategyBand() -> impl IntoView {
    view! {
        <div class="band-editor">
            <h3>"Strategy band"</h3>
            <BandEditor at=BandOf::Strategy />
        </div>
    }
}
