//! The securities in the sleeves: the account's alerts, each sleeve's holdings against its
//! model with a do-not-buy / do-not-sell / do-not-hold toggle per security, and the
//! orders of the tactical rebalance with why each was made (or not); holdings imported
//! from a CSV file, and the order blotter to download.

use leptos::prelude::*;
use uma_engine::{
    format_money, format_percent, sleeve_securities, with_restriction, with_tax, LotMethod, Order, Restriction,
    Scenario, SecurityLine, SleeveTrades, Tactical, TaxSettings,
};

use crate::host::{host, Host};
use crate::presets::HOLDINGS_EXAMPLE;
use crate::ui::files::on_file;

/// The words and test id of a do-not list's toggle.
fn list_words(list: Restriction) -> (&'static str, &'static str) {
    match list {
        Restriction::DoNotBuy => ("Do not buy", "dnb"),
        Restriction::DoNotSell => ("Do not sell", "dns"),
        Restriction::DoNotHold => ("Do not hold", "dnh"),
    }
}

/// The panel.
#[component]
pub fn Securities() -> impl IntoView {
    let host = host();
    let listed = Memo::new(move |_| host.scenario.with(|s| s.account.sleeves.iter().any(|x| x.has_holdings())));
    let plan = Memo::new(move |_| {
        host.scenario.with(|s| uma_engine::rebalance(s).map(|r| r.tactical).map_err(|e| e.to_string()))
    });
    let error = RwSignal::new(None::<String>);
    view! {
        <div class="securities" data-testid="securities">
            <Alerts />
            <HoldingsFiles plan error />
            {move || listed.get().then(|| view! { <TaxControls /> })}
            <p class="note">
                "A CSV of holdings has a header with the columns sleeve (a model id), symbol, shares and price, and optionally cost_basis and acquired (YYYY-MM-DD), one row per holding or tax lot. It replaces the holdings of the sleeves it lists."
            </p>
            {move || error.get().map(|message| view! { <p class="error" role="alert" data-testid="holdings-error">{message}</p> })}
            {move || match (listed.get(), plan.get()) {
                (false, _) => {
                    view! {
                        <p class="summary" data-testid="no-holdings">
                            "This scenario gives each sleeve as a dollar value: import its holdings, or load the example, to see the securities and the orders inside each sleeve."
                        </p>
                    }
                        .into_any()
                }
                (true, Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                (true, Ok(None)) => ().into_any(),
                (true, Ok(Some(tactical))) => view! { <TacticalView tactical /> }.into_any(),
            }}
        </div>
    }
}

/// The drift report's alerts, when there are any.
#[component]
fn Alerts() -> impl IntoView {
    let host = host();
    let alerts = Memo::new(move |_| host.scenario.with(|s| uma_engine::drift(s).map(|d| d.alerts).unwrap_or_default()));
    move || {
        let alerts = alerts.get();
        (!alerts.is_empty()).then(|| {
            view! {
                <div class="alerts" data-testid="alerts">
                    <h3>"Alerts"</h3>
                    <ul>
                        {alerts
                            .into_iter()
                            .map(|a| view! { <li class=format!("alert {}", a.kind.name())>{a.text}</li> })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// Holdings in (a CSV file, or the example) and orders out (the blotter).
#[component]
fn HoldingsFiles(
    /// The tactical rebalance, or why it cannot be run.
    plan: Memo<Result<Option<Tactical>, String>>,
    /// Why the last holdings file could not be imported.
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let host = host();
    let import = on_file(move |name, text| import_text(host, error, &name, text.as_deref()));
    let example = move |_| {
        if let Ok(scenario) = Scenario::from_json(HOLDINGS_EXAMPLE) {
            error.set(None);
            host.replace.run(scenario);
        }
    };
    view! {
        <div class="row">
            <label class="file">
                "Import holdings (CSV) "
                <input type="file" accept=".csv,text/csv" data-testid="holdings-file" on:change=import />
            </label>
            <button type="button" data-testid="holdings-example" on:click=example>
                "Load the securities example"
            </button>
            {move || {
                plan.with(|p| {
                    p.as_ref().ok().flatten().map(|t| {
                        let href = format!(
                            "data:text/csv;charset=utf-8,{}",
                            String::from(js_sys::encode_uri_component(&t.to_csv()))
                        );
                        view! {
                            <a class="button" download="uma-orders.csv" href=href data-testid="blotter">
                                "Download the order blotter (CSV)"
                            </a>
                        }
                    })
                })
            }}
        </div>
    }
}

/// Whether taxes are minded, and which lots a sale takes first.
#[component]
fn TaxControls() -> impl IntoView {
    let host = host();
    let tax = Memo::new(move |_| host.scenario.with(|s| s.account.mandates.tax.clone()));
    let edit = move |change: &dyn Fn(&TaxSettings) -> TaxSettings| {
        let next = host.scenario.with_untracked(|s| with_tax(s, change(&s.account.mandates.tax)));
        host.replace.run(next);
    };
    view! {
        <div class="row tax-controls">
            <label class="check">
                <input
                    type="checkbox"
                    data-testid="tax-aware"
                    prop:checked=move || tax.with(|t| t.enabled)
                    on:change:target=move |ev| {
                        let on = ev.target().checked();
                        edit(&|t| t.minded(on));
                    }
                />
                " Mind taxes"
            </label>
            <label class="field">
                <span class="field-label">"Lots sold first"</span>
                <select
                    data-testid="lot-method"
                    prop:value=move || tax.with(|t| t.lots.name())
                    on:change:target=move |ev| {
                        if let Some(method) = LotMethod::from_name(&ev.target().value()) {
                            edit(&|t| TaxSettings { lots: method, ..t.clone() });
                        }
                    }
                >
                    {LotMethod::ALL.map(|m| view! { <option value=m.name()>{m.words()}</option> }).collect_view()}
                </select>
            </label>
        </div>
    }
}

/// Applies an imported holdings file, or says why it cannot be.
fn import_text(host: Host, error: RwSignal<Option<String>>, name: &str, text: Option<&str>) {
    let Some(text) = text else {
        error.set(Some(format!("{name} could not be read as text.")));
        return;
    };
    match host.scenario.with_untracked(|s| uma_engine::import_holdings(s, text)) {
        Ok(next) => {
            error.set(None);
            host.replace.run(next);
        }
        Err(e) => error.set(Some(format!("{name} could not be imported: {e}"))),
    }
}

/// The tactical rebalance: its warnings, each sleeve, and the realized gains and tax.
#[component]
fn TacticalView(
    /// The tactical rebalance.
    tactical: Tactical,
) -> impl IntoView {
    let taxes = tactical.tax_line();
    let saved = tactical.tax_saved_words();
    view! {
        {(!tactical.warnings.is_empty())
            .then(|| {
                view! {
                    <ul class="warnings" data-testid="tactical-warnings">
                        {tactical.warnings.iter().map(|w| view! { <li role="alert">{w.text.clone()}</li> }).collect_view()}
                    </ul>
                }
            })}
        {tactical.sleeves.into_iter().map(|s| view! { <SleeveView sleeve=s /> }).collect_view()}
        <p class="summary" data-testid="taxes">{taxes}</p>
        {saved.map(|words| view! { <p class="summary" data-testid="tax-saved">{words}</p> })}
    }
}

/// One sleeve: what it holds against its model, its orders and its notes.
#[component]
fn SleeveView(
    /// The sleeve's tactical rebalance.
    sleeve: SleeveTrades,
) -> impl IntoView {
    let host = host();
    let rows = host.scenario.with_untracked(|s| sleeve_securities(s, &sleeve.model));
    let head = sleeve.headline();
    let id = sleeve.model.clone();
    view! {
        <div class="sleeve" data-testid=format!("sleeve-view-{}", sleeve.model)>
            <h3>{sleeve.name.clone()} <span class="note">{head}</span></h3>
            {if !sleeve.holdings_listed {
                view! { <p class="note">"Given as a value only: its cash moves, and no order is made inside it."</p> }.into_any()
            } else {
                view! { <HoldingsTable id rows /> }.into_any()
            }}
            {(!sleeve.orders.is_empty()).then(|| view! { <OrdersTable model=sleeve.model.clone() orders=sleeve.orders.clone() /> })}
            {(!sleeve.notes.is_empty())
                .then(|| {
                    view! {
                        <ul class="notes" data-testid=format!("notes-{}", sleeve.model)>
                            {sleeve.notes.iter().map(|n| view! { <li>{format!("{}.", n.text)}</li> }).collect_view()}
                        </ul>
                    }
                })}
        </div>
    }
}

/// A sleeve's securities against its model, with a toggle per do-not list.
#[component]
fn HoldingsTable(
    /// The sleeve's model id.
    id: String,
    /// Its securities.
    rows: Vec<SecurityLine>,
) -> impl IntoView {
    let host = host();
    view! {
        <div class="table-scroll">
            <table class="holdings" data-testid=format!("holdings-{id}")>
                <thead>
                    <tr>
                        <th scope="col">"Security"</th>
                        <th scope="col">"Shares"</th>
                        <th scope="col">"Price"</th>
                        <th scope="col">"Value"</th>
                        <th scope="col">"Weight"</th>
                        <th scope="col">"Model"</th>
                        {Restriction::ALL.map(|l| view! { <th scope="col">{list_words(l).0}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|SecurityLine { symbol, shares, price, value, weight, target, restricted }| {
                            view! {
                                <tr data-testid=format!("holding-{id}-{symbol}")>
                                    <th scope="row">{symbol.clone()}</th>
                                    <td>{shares.normalize().to_string()}</td>
                                    <td>{format_money(price)}</td>
                                    <td>{format_money(value)}</td>
                                    <td>{format_percent(weight)}</td>
                                    <td>{target.unwrap_or_else(|| "not in the model".into())}</td>
                                    {Restriction::ALL
                                        .into_iter()
                                        .zip(restricted)
                                        .map(|(list, on)| {
                                            let symbol = symbol.clone();
                                            view! {
                                                <td class="flag">
                                                    <input
                                                        type="checkbox"
                                                        aria-label=format!("{} {symbol}", list_words(list).0)
                                                        data-testid=format!("{}-{symbol}", list_words(list).1)
                                                        prop:checked=on
                                                        on:change:target=move |ev| {
                                                            let on = ev.target().checked();
                                                            let next = host.scenario.with_untracked(|s| with_restriction(s, list, &symbol, on));
                                                            host.replace.run(next);
                                                        }
                                                    />
                                                </td>
                                            }
                                        })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A sleeve's orders, each with its reason and tax, then each order's sentence.
#[component]
fn OrdersTable(
    /// The sleeve's model id.
    model: String,
    /// Its orders.
    orders: Vec<Order>,
) -> impl IntoView {
    view! {
        <table class="orders" data-testid=format!("orders-{model}")>
            <caption>"Orders"</caption>
            <thead>
                <tr>
                    <th scope="col">"Side"</th>
                    <th scope="col">"Shares"</th>
                    <th scope="col">"Security"</th>
                    <th scope="col">"Amount"</th>
                    <th scope="col">"Reason"</th>
                    <th scope="col">"Tax"</th>
                    <th scope="col">"Wash sale"</th>
                </tr>
            </thead>
            <tbody>
                {orders
                    .iter()
                    .map(|o| {
                        view! {
                            <tr data-testid="order" title=o.text.clone()>
                                <td>{o.side.words()}</td>
                                <td>{o.shares.normalize().to_string()}</td>
                                <th scope="row">{o.symbol.clone()}</th>
                                <td>{format_money(o.amount)}</td>
                                <td>{o.reason.words()}</td>
                                <td>{if o.estimated_tax.is_zero() { String::new() } else { format_money(o.estimated_tax) }}</td>
                                <td data-testid="disallowed">{o.disallowed_words()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <ul class="order-texts">{orders.iter().map(|o| view! { <li>{o.text.clone()}</li> }).collect_view()}</ul>
    }
}
