//! Cash flows instead of trades: the smallest deposit that restores every band, and the
//! sales a withdrawal forces.

use leptos::prelude::*;
use uma_engine::{format_money, format_percent, Decimal};

use crate::host::host;
use crate::ui::fields::NumberField;

/// The smallest deposit that restores every band without a sale, and the sales a
/// withdrawal forces.
#[component]
pub fn Flows() -> impl IntoView {
    view! {
        <div class="flows">
            <Deposit />
            <Withdrawal />
        </div>
    }
}

/// The smallest deposit that brings every model inside its band without a sale, and
/// what it buys.
#[component]
fn Deposit() -> impl IntoView {
    let host = host();
    let deposit =
        Memo::new(move |_| host.scenario.with(|s| uma_engine::smallest_deposit(s).map_err(|e| e.to_string())));
    let names = Memo::new(move |_| {
        host.scenario
            .with(|s| s.strategy.models.iter().map(|m| (m.id.clone(), m.label().to_owned())).collect::<Vec<_>>())
    });
    let name_of =
        move |id: &str| names.with(|n| n.iter().find(|(i, _)| i == id).map(|(_, n)| n.clone()).unwrap_or_default());
    view! {
        <div class="flow" data-testid="deposit">
            <h3>"Deposit instead of trading"</h3>
            {move || match deposit.get() {
                Err(_) => ().into_any(),
                Ok(None) => {
                    view! {
                        <p>"No deposit alone can bring every model inside its band: a model is over a band whose upper edge is 0%, or the lower edges and cash target take the whole account."</p>
                    }
                        .into_any()
                }
                Ok(Some(plan)) if plan.deposit.is_zero() => {
                    view! { <p data-testid="deposit-amount">"Every model is in band: no deposit is needed."</p> }.into_any()
                }
                Ok(Some(plan)) => {
                    let buys = plan
                        .buys
                        .iter()
                        .filter(|b| !b.amount.is_zero())
                        .map(|b| format!("{} {} (to {})", name_of(&b.model), format_money(b.amount), format_percent(b.weight_after)))
                        .collect::<Vec<_>>();
                    let buys = if buys.is_empty() { "no purchase: the deposit dilutes the overweight models".to_owned() } else { format!("buy {}", buys.join(", ")) };
                    view! {
                        <p data-testid="deposit-amount">
                            <strong>{format_money(plan.deposit)}</strong>
                            " is the smallest deposit that brings every model inside its band without a sale: "
                            {buys}
                            "."
                        </p>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}

/// A withdrawal, and the sales it forces.
#[component]
fn Withdrawal() -> impl IntoView {
    let host = host();
    let withdrawal = RwSignal::new(Decimal::ZERO);
    let forced = Memo::new(move |_| {
        let amount = withdrawal.get();
        (!amount.is_zero())
            .then(|| host.scenario.with(|s| uma_engine::rebalance_with_flow(s, -amount).map_err(|e| e.to_string())))
    });
    view! {
        <div class="flow" data-testid="withdrawal">
            <h3>"A withdrawal"</h3>
            <NumberField
                label="Withdraw".into()
                value=withdrawal
                on_change=move |v: Decimal| withdrawal.set(v.abs())
                unit="$"
                testid="withdrawal-amount"
            />
            {move || match forced.get() {
                None => view! { <p class="note">"Enter an amount to see the sales it forces."</p> }.into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Some(Ok(result)) => {
                    let sales = result
                        .models
                        .iter()
                        .filter(|m| m.trade.is_sign_negative() && !m.trade.is_zero())
                        .map(|m| format!("{} {}", m.name, format_money(-m.trade)))
                        .collect::<Vec<_>>();
                    let text = if sales.is_empty() {
                        "Cash covers it: no sale is forced.".to_owned()
                    } else {
                        format!("Forced sales: {}.", sales.join(", "))
                    };
                    view! { <p data-testid="withdrawal-sales">{text}</p> }.into_any()
                }
            }}
        </div>
    }
}
