//! The tactical rebalance, worked by hand, one setting at a time, on the paper's
//! three-model case security by security (`holdings-three-sleeves.json`): the strategic
//! rebalance trims Large Cap from $35,000 to $31,500 and buys $3,500 of Mid Cap. Large
//! Cap holds 140 LCG at $150 and 140 LCV at $100 (its 60/40 model exactly), Mid Cap 460
//! MID at $100, Small Cap 190 SML at $100. Runs natively and in headless Chromium.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{json, Value};
use uma_engine::{NoteKind, OrderSide, Reason, Scenario, Tactical, WarningKind};

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

/// The base scenario changed by `change`, rebalanced; its tactical part.
fn tactical(change: impl FnOnce(&mut Value)) -> Tactical {
    let mut value: Value = serde_json::from_str(uma_tests::HOLDINGS_THREE_SLEEVES).unwrap();
    change(&mut value);
    let scenario = Scenario::from_json(&value.to_string()).unwrap_or_else(|e| panic!("{e}"));
    uma_engine::rebalance(&scenario).unwrap().tactical.expect("holdings give a tactical rebalance")
}

/// Each order of sleeve `model` as (side, shares, symbol, amount, reason).
fn orders(t: &Tactical, model: &str) -> Vec<(OrderSide, Decimal, String, Decimal, Reason)> {
    let sleeve = t.sleeves.iter().find(|s| s.model == model).unwrap();
    sleeve.orders.iter().map(|o| (o.side, o.shares, o.symbol.clone(), o.amount, o.reason)).collect()
}

fn notes(t: &Tactical, model: &str) -> Vec<(NoteKind, String)> {
    let sleeve = t.sleeves.iter().find(|s| s.model == model).unwrap();
    sleeve.notes.iter().map(|n| (n.kind, n.text.clone())).collect()
}

fn o(
    side: OrderSide,
    shares: &str,
    symbol: &str,
    amount: &str,
    reason: Reason,
) -> (OrderSide, Decimal, String, Decimal, Reason) {
    (side, d(shares), symbol.to_owned(), d(amount), reason)
}

use OrderSide::{Buy, Sell, TransferIn, TransferOut};

use uma_tests::both;

both! {
    fn the_cash_flow_sells_and_buys_in_proportion() {
        let t = tactical(|_| ());
        // Large Cap sends $3,500: LCG 60% and LCV 40% of it, whole shares at $150 and $100.
        assert_eq!(
            orders(&t, "large"),
            [o(Sell, "14", "LCG", "2100", Reason::CashFlow), o(Sell, "14", "LCV", "1400", Reason::CashFlow)]
        );
        assert_eq!(orders(&t, "mid"), [o(Buy, "35", "MID", "3500", Reason::CashFlow)]);
        assert!(orders(&t, "small").is_empty());
        assert_eq!(notes(&t, "small"), [(NoteKind::InsideTolerance, "SML is on its target: no trade".to_owned())]);
        let values: Vec<Decimal> = t.sleeves.iter().map(|s| s.value_after).collect();
        assert_eq!(values, [d("31500"), d("49500"), d("19000")]);
        assert_eq!(t.account_cash_after, d("0"));
        assert!(t.warnings.is_empty());
        assert_eq!(
            t.sleeves[0].orders[0].text,
            "Sell 14 LCG at $150.00 ($2,100.00): to raise the cash the sleeve sends to the other sleeves."
        );
        assert_eq!(
            t.to_csv().lines().nth(1),
            Some("large,LCG,sell,14,150,2100.00,cash_flow,,0.00,0.00,0.00")
        );
    }

    fn do_not_sell_keeps_a_security_and_the_others_give_more() {
        let t = tactical(|v| v["account"]["mandates"] = json!({"do_not_sell": ["LCV"]}));
        // LCV keeps $14,000 (44.44% of $31,500); LCG's target shrinks to 55.56% ($17,500):
        // $3,500 to sell is 23.33 shares, rounded up to 24 ($3,600); $100 stays in cash.
        assert_eq!(orders(&t, "large"), [o(Sell, "24", "LCG", "3600", Reason::Drift)]);
        assert_eq!(t.sleeves[0].cash_after, d("100"));
        assert!(notes(&t, "large")[0].1.contains("LCV is on the account's do-not-sell list"));
    }

    fn do_not_hold_sells_everything_and_the_weight_goes_where_the_model_says() {
        let dnh = |v: &mut Value| v["account"]["mandates"] = json!({"do_not_hold": ["LCV"]});
        // Pro rata (the default): all 40 points go to LCG, 100% of $31,500.
        let t = tactical(dnh);
        assert_eq!(
            orders(&t, "large"),
            [o(Sell, "140", "LCV", "14000", Reason::DoNotHold), o(Buy, "70", "LCG", "10500", Reason::ProRata)]
        );
        // Kept as cash: LCG to 60% ($18,900), $12,600 of cash stays in the sleeve.
        let t = tactical(|v| {
            dnh(v);
            v["strategy"]["models"][0]["tactical"] = json!({"unspent_cash": "keep"});
        });
        assert_eq!(
            orders(&t, "large"),
            [o(Sell, "14", "LCG", "2100", Reason::CashFlow), o(Sell, "140", "LCV", "14000", Reason::DoNotHold)]
        );
        assert_eq!(t.sleeves[0].cash_after, d("12600"));
        // The replacement on the buy list takes LCV's 40%: $12,600 of LCX at $50.
        let t = tactical(|v| {
            dnh(v);
            v["account"]["prices"] = json!({"LCX": "50"});
            v["strategy"]["models"][0]["tactical"] = json!({"unspent_cash": "replacement", "buy_list": {"LCV": "LCX"}});
        });
        assert_eq!(
            orders(&t, "large"),
            [
                o(Sell, "14", "LCG", "2100", Reason::CashFlow),
                o(Sell, "140", "LCV", "14000", Reason::DoNotHold),
                o(Buy, "252", "LCX", "12600", Reason::Replacement),
            ]
        );
    }

    fn do_not_hold_and_do_not_sell_conflict() {
        let t = tactical(|v| v["account"]["mandates"] = json!({"do_not_hold": ["LCV"], "do_not_sell": ["LCV"]}));
        assert!(orders(&t, "large").iter().all(|order| order.2 != "LCV"));
        assert_eq!(t.warnings[0].kind, WarningKind::Conflict);
        assert_eq!(t.warnings[0].symbol.as_deref(), Some("LCV"));
    }

    fn do_not_buy_leaves_cash_and_says_so() {
        let t = tactical(|v| v["account"]["mandates"] = json!({"do_not_buy": ["MID"]}));
        assert!(orders(&t, "mid").is_empty());
        assert_eq!(t.sleeves[1].cash_after, d("3500"));
        assert!(notes(&t, "mid").iter().any(|(kind, text)| *kind == NoteKind::Restricted && text.contains("do-not-buy")));
        assert_eq!(t.warnings[0].kind, WarningKind::Infeasible);
    }

    fn minimum_trades_stop_short_or_overshoot_within_the_allowance() {
        let t = tactical(|v| v["strategy"]["models"][0]["tactical"] = json!({"min_trade": "2000"}));
        // LCV's $1,400 is below the minimum: Large Cap raises $2,100 of its $3,500, and
        // Mid Cap receives only that.
        assert_eq!(orders(&t, "large"), [o(Sell, "14", "LCG", "2100", Reason::CashFlow)]);
        assert_eq!(notes(&t, "large")[0].0, NoteKind::BelowMinimum);
        assert_eq!(t.warnings[0].kind, WarningKind::StoppedShort);
        assert_eq!((t.sleeves[0].flow, t.sleeves[1].flow), (d("-2100"), d("2100")));
        assert_eq!(orders(&t, "mid"), [o(Buy, "21", "MID", "2100", Reason::CashFlow)]);
        // With a 1-point allowance ($1,000), a $2,100 sale covers the $1,400: $700 past
        // the target (Large Cap at 30.80%, inside its 27–33% band), to the account's cash.
        let t = tactical(|v| v["strategy"]["models"][0]["tactical"] = json!({"min_trade": "2000", "overshoot": "1"}));
        assert_eq!(
            orders(&t, "large"),
            [o(Sell, "14", "LCG", "2100", Reason::CashFlow), o(Sell, "14", "LCG", "2100", Reason::Overshoot)]
        );
        assert_eq!(t.warnings[0].kind, WarningKind::Overshoot);
        assert_eq!(t.sleeves[0].value_after, d("30800"));
        assert_eq!(orders(&t, "mid"), [o(Buy, "35", "MID", "3500", Reason::CashFlow)]);
        assert_eq!(t.account_cash_after, d("700"));
        // A minimum larger than the sleeve is infeasible, and said so.
        let t = tactical(|v| v["account"]["mandates"] = json!({"min_trade": "50000"}));
        assert!(t.orders().next().is_none());
        assert!(t.warnings.iter().any(|w| w.kind == WarningKind::Infeasible));
    }

    fn a_minimum_opening_trade_keeps_a_small_new_position_out() {
        // The replacement LCX would be a new $12,600 position: below a $20,000 minimum
        // opening trade it is not bought, and the cash stays in the sleeve.
        let t = tactical(|v| {
            v["account"]["mandates"] = json!({"do_not_hold": ["LCV"]});
            v["account"]["prices"] = json!({"LCX": "50"});
            v["strategy"]["models"][0]["tactical"] =
                json!({"unspent_cash": "replacement", "buy_list": {"LCV": "LCX"}, "min_opening_trade": "20000"});
        });
        assert!(orders(&t, "large").iter().all(|order| order.2 != "LCX"));
        assert!(notes(&t, "large")
            .iter()
            .any(|(kind, text)| *kind == NoteKind::BelowMinimum && text.contains("minimum opening trade of $20,000.00")));
        assert_eq!(t.sleeves[0].cash_after, d("12600"));
    }

    fn a_weight_range_bounds_a_target() {
        // LCG may weigh 55% at most: its 60% target is cut to 55% (the other 5 points stay
        // in cash); at 60% now it is outside its range, so it sells to 55% of $31,500
        // ($17,325): 24.5 shares, 25 rounded up. LCV, on target, gives its $1,400 over
        // 40% of the new value to the cash the sleeve sends.
        let t = tactical(|v| v["strategy"]["models"][0]["securities"][0]["max"] = json!("55"));
        assert_eq!(
            orders(&t, "large"),
            [o(Sell, "25", "LCG", "3750", Reason::Drift), o(Sell, "14", "LCV", "1400", Reason::CashFlow)]
        );
        assert_eq!(t.sleeves[0].cash_after, d("1650"));
    }

    fn tolerance_leaves_small_drift_alone() {
        // MID drifts nowhere, but a 2-point absolute tolerance on Small Cap's new second
        // security keeps a 1-point drift from trading.
        let t = tactical(|v| {
            v["strategy"]["models"][2]["securities"] = json!([
                {"symbol": "SML", "weight": "99", "tolerance": {"kind": "absolute", "width": "2"}},
                {"symbol": "SMB", "weight": "1", "tolerance": {"kind": "absolute", "width": "2"}}
            ]);
            v["account"]["prices"] = json!({"SMB": "10"});
        });
        assert!(orders(&t, "small").is_empty());
        assert!(notes(&t, "small").iter().any(|(kind, text)| *kind == NoteKind::InsideTolerance && text.starts_with("SML is at 100.00%")));
    }

    fn share_based_models_follow_prices() {
        // 2 SML ($200) and 1 SMB ($50) a unit: 80% and 20% of the sleeve's $19,000.
        let t = tactical(|v| {
            v["strategy"]["models"][2]["securities"] = json!([{"symbol": "SML", "shares": "2"}, {"symbol": "SMB", "shares": "1"}]);
            v["account"]["prices"] = json!({"SMB": "50"});
        });
        assert_eq!(orders(&t, "small"), [o(Sell, "38", "SML", "3800", Reason::Drift), o(Buy, "76", "SMB", "3800", Reason::Drift)]);
    }

    fn securities_the_model_drops_are_sold_and_fractions_trade_when_asked() {
        let t = tactical(|v| {
            v["account"]["sleeves"][2]["holdings"].as_array_mut().unwrap().push(json!({"symbol": "OLD", "shares": "10", "price": "20"}));
        });
        assert_eq!(orders(&t, "small"), [o(Sell, "10", "OLD", "200", Reason::NotInModel), o(Buy, "2", "SML", "200", Reason::Drift)]);
        let t = tactical(|v| {
            v["strategy"]["models"][1]["tactical"] = json!({"fractional": true});
            v["account"]["sleeves"][1]["holdings"][0]["price"] = json!("99.37");
        });
        // 36.1405 shares ($3,591.28) leave a cent, which buys one more ten-thousandth.
        let buy = &t.sleeves[1].orders[0];
        assert_eq!((buy.shares, buy.amount), (d("36.1406"), d("3591.29")));
    }

    fn a_security_one_sleeve_sells_and_another_buys_moves_in_kind() {
        let t = tactical(|v| {
            v["strategy"]["models"][1]["securities"] = json!([{"symbol": "MID", "weight": "90"}, {"symbol": "LCG", "weight": "10"}]);
            v["account"]["sleeves"][1] = json!({"model": "mid", "cash": "100",
                "holdings": [{"symbol": "MID", "shares": "414", "price": "100"}, {"symbol": "LCG", "shares": "30", "price": "150",
                 "lots": [{"shares": "30", "cost_basis": "4200.00", "acquired": "2024-01-02"}]}]});
        });
        // Mid Cap wants $450 more of LCG (10% of $49,500 is $4,950): Large Cap gives 3
        // shares in kind and sells 11, not 14.
        assert_eq!(
            orders(&t, "large"),
            [
                o(TransferOut, "3", "LCG", "450", Reason::Transfer),
                o(Sell, "11", "LCG", "1650", Reason::CashFlow),
                o(Sell, "14", "LCV", "1400", Reason::CashFlow),
            ]
        );
        assert_eq!(
            orders(&t, "mid"),
            [o(TransferIn, "3", "LCG", "450", Reason::Transfer), o(Buy, "31", "MID", "3100", Reason::CashFlow)]
        );
        // The lots moved with the shares (highest cost first: the $160 lot).
        let lcg = t.sleeves[1].holdings_after.iter().find(|h| h.symbol == "LCG").unwrap();
        assert_eq!(lcg.lots.len(), 2);
        assert_eq!((lcg.lots[1].shares, lcg.lots[1].cost_basis), (d("3"), d("480")));
    }
}

fn tax(extra: Value) -> impl FnOnce(&mut Value) {
    move |v: &mut Value| {
        let mut tax = json!({"enabled": true, "short_term_rate": "37", "long_term_rate": "20"});
        for (key, value) in extra.as_object().unwrap() {
            tax[key] = value.clone();
        }
        v["account"]["mandates"] = json!({"tax": tax});
    }
}

both! {
    fn tax_lots_are_chosen_and_gains_counted() {
        // Highest cost first: the 14 LCG come from the $160 lot bought 2026-10-01, a
        // short-term loss of $140 (37%: $51.80 saved); LCV's only lot ($90 a share, 2023)
        // gains $140 long-term ($28.00).
        let t = tactical(tax(json!({})));
        let large = &t.sleeves[0];
        assert_eq!((large.orders[0].short_term_gain, large.orders[0].estimated_tax), (d("-140"), d("-51.80")));
        assert_eq!((large.orders[1].long_term_gain, large.orders[1].estimated_tax), (d("140"), d("28.00")));
        assert_eq!((t.short_term_gain, t.long_term_gain, t.estimated_tax), (d("-140"), d("140"), d("-23.80")));
        // First in, first out: the 2020 lot at $100, $700 long-term.
        let t = tactical(tax(json!({"lots": "fifo"})));
        assert_eq!(t.sleeves[0].orders[0].long_term_gain, d("700"));
        assert_eq!(t.sleeves[0].orders[0].lots[0].acquired.to_string(), "2020-01-02");
    }

    fn the_gains_cap_and_short_term_gains_hold_sales_back() {
        // FIFO with a $300 cap: 6 of the 2020 LCG lot ($300), then 8 of the loss lot
        // (−$80, room again); LCV's lot gains $10 a share: 8 shares; the last $600 comes
        // from 4 more LCG of the loss lot.
        let t = tactical(tax(json!({"lots": "fifo", "gains_cap": "300"})));
        assert!(t.short_term_gain + t.long_term_gain <= d("300"));
        assert_eq!(t.sleeves[0].flow, d("-3500"));
        assert!(notes(&t, "large").iter().any(|(kind, _)| *kind == NoteKind::GainsCap));
        // A short-term gain is not realized when asked: LCG at $150 against a $140 lot.
        let t = tactical(|v| {
            tax(json!({"lots": "fifo", "avoid_short_term_gains": true}))(v);
            v["account"]["sleeves"][0]["holdings"][0]["lots"] = json!([
                {"shares": "140", "cost_basis": "19600.00", "acquired": "2026-06-01"}
            ]);
        });
        assert!(orders(&t, "large").iter().all(|order| order.2 != "LCG"));
        assert!(notes(&t, "large").iter().any(|(kind, _)| *kind == NoteKind::ShortTermGain));
    }

    fn a_loss_is_harvested_into_the_proxy_unless_it_would_be_a_wash_sale() {
        let harvest = |v: &mut Value| {
            tax(json!({"harvest": "1000"}))(v);
            v["account"]["prices"] = json!({"LCP": "50"});
            v["account"]["sleeves"][0]["holdings"][1]["lots"][0]["cost_basis"] = json!("16800.00");
            v["strategy"]["models"][0]["tactical"] = json!({"proxy": "LCP"});
        };
        // LCV's lot cost $16,800 and is worth $14,000: sold, a $2,800 long-term loss; the
        // proxy LCP takes LCV's 40% ($12,600), so it buys 252, not the proceeds' 280.
        let t = tactical(harvest);
        assert_eq!(
            orders(&t, "large"),
            [
                o(Sell, "140", "LCV", "14000", Reason::Harvest),
                o(Sell, "14", "LCG", "2100", Reason::CashFlow),
                o(Buy, "252", "LCP", "12600", Reason::Proxy),
            ]
        );
        assert_eq!(t.long_term_gain, d("-2800"));
        // No sleeve buys LCV back: Mid Cap's model wanting it is kept out too.
        // Bought in the last 30 days: no harvest.
        let t = tactical(|v| {
            harvest(v);
            v["account"]["recent_trades"] = json!([{"symbol": "LCV", "side": "buy", "date": "2026-11-01"}]);
        });
        assert!(orders(&t, "large").iter().all(|order| order.4 != Reason::Harvest));
        assert!(notes(&t, "large").iter().any(|(kind, text)| *kind == NoteKind::WashSale && text.contains("bought in the last 30 days")));
        // Sold at a loss in the last 30 days: not bought now.
        let t = tactical(|v| {
            tax(json!({}))(v);
            v["account"]["recent_trades"] = json!([{"symbol": "MID", "side": "sell", "date": "2026-11-20", "gain": "-500"}]);
        });
        assert!(orders(&t, "mid").is_empty());
        assert!(notes(&t, "mid").iter().any(|(kind, _)| *kind == NoteKind::WashSale));
    }

    fn an_account_cash_target_scales_the_models() {
        let mut value: Value = serde_json::from_str(uma_tests::HOLDINGS_THREE_SLEEVES).unwrap();
        value["account"]["mandates"] = json!({"cash_target": "5"});
        let scenario = Scenario::from_json(&value.to_string()).unwrap();
        let report = uma_engine::drift(&scenario).unwrap();
        let targets: Vec<Decimal> = report.models.iter().map(|m| m.target).collect();
        assert_eq!(targets, [d("28.5"), d("47.5"), d("19")]);
        assert_eq!(report.cash_target_value, d("5000"));
        assert!(report.alerts.iter().any(|a| a.kind == uma_engine::AlertKind::Cash));
    }

    fn alerts_list_the_triggers() {
        let mut value: Value = serde_json::from_str(uma_tests::HOLDINGS_THREE_SLEEVES).unwrap();
        value["account"]["sleeves"][0]["holdings"][1]["lots"][0]["cost_basis"] = json!("16800.00");
        value["account"]["alerts"] = json!({"concentration": "40", "harvest_loss": "2000"});
        let scenario = Scenario::from_json(&value.to_string()).unwrap();
        let alerts: Vec<String> = uma_engine::drift(&scenario).unwrap().alerts.into_iter().map(|a| a.text).collect();
        assert_eq!(
            alerts,
            [
                "Large Cap is out of band at 35.00% (27.00%–33.00%).",
                "MID is 46.00% of the account ($46,000.00) in one sleeve, above the 40% concentration limit.",
                "140 shares of LCV bought 2023-05-10 (large) have an unrealized loss of $2,800.00: a tax-loss harvesting opportunity.",
            ]
        );
    }

    fn format_two_is_checked_field_by_field() {
        let check = |change: &dyn Fn(&mut Value), want: &str| {
            let mut value: Value = serde_json::from_str(uma_tests::HOLDINGS_THREE_SLEEVES).unwrap();
            change(&mut value);
            let got = Scenario::from_json(&value.to_string()).unwrap_err().to_string();
            assert!(got.contains(want), "got {got:?}, want {want:?}");
        };
        check(&|v| v["version"] = json!(1), "version: securities, holdings, prices and mandates need scenario format version 2");
        check(&|v| v["account"]["sleeves"][0]["holdings"][0]["lots"][0]["shares"] = json!("99"), "account.sleeves[0].holdings[0].lots: the lots hold 139 shares but the holding 140");
        check(&|v| v["account"]["sleeves"][0]["holdings"][0]["price"] = json!("0"), "account.sleeves[0].holdings[0].price: 0 is out of range");
        check(&|v| v["account"]["sleeves"][1]["holdings"][0]["symbol"] = json!("LCG"), "LCG is priced 100 here and 150 elsewhere");
        check(&|v| v["strategy"]["models"][1]["securities"][0]["weight"] = json!("101"), "strategy.models[1].securities[0].weight: 101 is out of range");
        check(&|v| v["strategy"]["models"][1]["securities"] = json!([{"symbol": "NEW", "weight": "50"}]), "strategy.models[1].securities[0].symbol: no price for NEW");
        check(&|v| v["strategy"]["models"][1]["securities"] = json!([{"symbol": "MID", "weight": "50"}, {"symbol": "SML", "shares": "1"}]), "a model is weight-based or share-based");
        check(&|v| v["account"]["sleeves"][0]["value"] = json!("1"), "account.sleeves[0].value: $1.00 does not match the sleeve's holdings and cash ($35,000.00)");
        check(&|v| { v["account"]["as_of"] = Value::Null; v["account"]["mandates"] = json!({"tax": {"enabled": true}}); }, "account.as_of: a tax-aware account needs the date");
        check(&|v| v["account"]["mandates"] = json!({"do_not_buy": [""]}), "account.mandates.do_not_buy[0]: a security's symbol must not be empty");
        check(&|v| v["account"]["sleeves"][0]["holdings"][0]["lots"][1]["acquired"] = json!("2027-01-01"), "is after the account's as_of date");
    }
}
