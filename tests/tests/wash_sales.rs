//! Wash sales and holding periods as the IRS counts them (Publication 550, "Wash Sales" and
//! "Holding Period"), each of its worked examples written as a rebalance: sleeve `a`
//! sells security X at a loss (its model holds Y instead), while sleeve `b`, whose model
//! holds X, has replacement shares of X bought within 30 days of the sale. The account is
//! valued, and the sale made, on 2026-11-24. Then the lot methods (specific, average),
//! the tax a tax-blind rebalance would cost, and the wash-sale window among the alerts.
//! Runs natively and in headless Chromium.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{json, Value};
use uma_engine::{Lot, OrderSide, Scenario, Tactical, Term};

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn lot(shares: &str, cost_basis: &str, acquired: &str) -> Value {
    json!({"shares": shares, "cost_basis": cost_basis, "acquired": acquired})
}

/// Sleeve `a` holding `a_lots` of X and sleeve `b` holding `b_lots` of X, X at `price`, the
/// models' targets `targets` (a, b), rebalanced on `as_of`.
fn rebalance(price: &str, a_lots: Value, b_lots: Value, targets: (&str, &str), as_of: &str) -> Tactical {
    let shares =
        |lots: &Value| lots.as_array().unwrap().iter().map(|l| d(l["shares"].as_str().unwrap())).sum::<Decimal>();
    let (a_shares, b_shares) = (shares(&a_lots), shares(&b_lots));
    let scenario = json!({
        "version": 2,
        "strategy": {
            "models": [
                {"id": "a", "target": targets.0, "securities": [{"symbol": "Y", "weight": "100"}], "tactical": {"fractional": true}},
                {"id": "b", "target": targets.1, "securities": [{"symbol": "X", "weight": "100"}]}
            ],
            "band": {"kind": "absolute", "width": "40"},
            "range": {"mode": "target"}
        },
        "account": {
            "as_of": as_of,
            "prices": {"X": price, "Y": "1"},
            "mandates": {"tax": {"enabled": true, "short_term_rate": "37", "long_term_rate": "20", "lots": "fifo"}},
            "sleeves": [
                {"model": "a", "holdings": [{"symbol": "X", "shares": a_shares.to_string(), "lots": a_lots}]},
                {"model": "b", "holdings": [{"symbol": "X", "shares": b_shares.to_string(), "lots": b_lots}]}
            ]
        }
    });
    let scenario = Scenario::from_json(&scenario.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let result = uma_engine::rebalance(&scenario).unwrap();
    assert!(result.traded.is_zero(), "the strategic rebalance moves no cash");
    result.tactical.expect("holdings give a tactical rebalance")
}

/// Sleeve `b`'s lots of X after the rebalance, as (shares, cost basis, acquired).
fn b_lots(t: &Tactical) -> Vec<(Decimal, Decimal, String)> {
    let sleeve = t.sleeves.iter().find(|s| s.model == "b").unwrap();
    let x = sleeve.holdings_after.iter().find(|h| h.symbol == "X").unwrap();
    x.lots.iter().map(|l: &Lot| (l.shares, l.cost_basis, l.acquired.to_string())).collect()
}

fn sale_of_x(t: &Tactical) -> &uma_engine::Order {
    t.orders().find(|o| o.sleeve == "a" && o.symbol == "X" && o.side == OrderSide::Sell).expect("a sells X")
}

use uma_tests::both;

both! {
    fn the_simple_rebuy() {
        // Pub. 550: 100 shares bought for $1,000 are sold for $750 while 100 shares were
        // bought for $800 within 30 days: the $250 loss is disallowed, and the new shares'
        // basis is $800 + $250 = $1,050, their holding period that of the shares sold.
        let t = rebalance(
            "7.50",
            json!([lot("100", "1000.00", "2025-03-03")]),
            json!([lot("100", "800.00", "2026-11-10")]),
            ("50", "50"),
            "2026-11-24",
        );
        let sale = sale_of_x(&t);
        assert_eq!(sale.lots.len(), 1);
        assert_eq!((sale.lots[0].gain, sale.lots[0].disallowed_loss), (d("-250.00"), d("250.00")));
        assert_eq!((sale.long_term_gain, sale.short_term_gain, sale.estimated_tax), (d("0"), d("0"), d("0")));
        assert!(sale.text.contains("Wash sale: $250.00 of the loss is disallowed"), "{}", sale.text);
        assert!(sale.text.contains("$250.00 to 100 X in b"), "{}", sale.text);
        assert_eq!(t.disallowed_loss, d("250.00"));
        assert_eq!(t.long_term_gain, d("0"));
        // 631 days held before the sale, carried into the replacement: 2026-11-10 - 631 days.
        assert_eq!(b_lots(&t), [(d("100"), d("1050.00"), "2025-02-17".to_owned())]);
    }

    fn fewer_shares_bought_than_sold() {
        // Pub. 550: of 100 shares sold at a $250 loss, 50 are matched by 50 bought for
        // $625 in the window: $125 is disallowed (basis $750), $125 is deducted.
        let t = rebalance(
            "7.50",
            json!([lot("100", "1000.00", "2025-03-03")]),
            json!([lot("50", "625.00", "2026-11-10")]),
            ("66.666667", "33.333333"),
            "2026-11-24",
        );
        let sale = sale_of_x(&t);
        assert_eq!(sale.lots[0].disallowed_loss, d("125.00"));
        assert_eq!(sale.long_term_gain, d("-125.00"));
        assert_eq!(sale.estimated_tax, d("-25.00"));
        assert_eq!(b_lots(&t), [(d("50"), d("750.00"), "2025-02-17".to_owned())]);
    }

    fn more_shares_bought_than_sold() {
        // More replacement shares than shares sold: only as many as were sold are matched
        // (100 of the 150), and the lot is split; the other 50 keep their basis and date.
        let t = rebalance(
            "7.50",
            json!([lot("100", "1000.00", "2025-03-03")]),
            json!([lot("150", "1200.00", "2026-11-10")]),
            ("40", "60"),
            "2026-11-24",
        );
        assert_eq!(sale_of_x(&t).lots[0].disallowed_loss, d("250.00"));
        assert_eq!(
            b_lots(&t),
            [
                (d("100"), d("1050.00"), "2025-02-17".to_owned()),
                (d("50"), d("400.00"), "2026-11-10".to_owned()),
            ]
        );
    }

    fn replacements_match_in_the_order_bought() {
        // Pub. 550: 100 shares sold at a loss, 50 shares bought on each of four days: the
        // first 100 bought (the first two days) are matched, beginning with the first.
        let t = rebalance(
            "7.50",
            json!([lot("100", "1000.00", "2025-03-03")]),
            json!([
                lot("50", "375.00", "2026-11-09"),
                lot("50", "375.00", "2026-11-07"),
                lot("50", "375.00", "2026-11-10"),
                lot("50", "375.00", "2026-11-08"),
            ]),
            ("33.333333", "66.666667"),
            "2026-11-24",
        );
        let mut lots = b_lots(&t);
        lots.sort_by(|x, y| x.2.cmp(&y.2));
        assert_eq!(
            lots,
            [
                (d("50"), d("500.00"), "2025-02-14".to_owned()),
                (d("50"), d("500.00"), "2025-02-15".to_owned()),
                (d("50"), d("375.00"), "2026-11-09".to_owned()),
                (d("50"), d("375.00"), "2026-11-10".to_owned()),
            ]
        );
    }

    fn a_loss_does_not_reduce_the_gains_of_the_same_day() {
        // Pub. 550: blocks of 100 shares bought at $158, $100 and $95 are sold together at
        // $125 while 250 shares were bought in the window. The $33 a share loss on the
        // first block is disallowed, and does not reduce the gains on the other two
        // ($2,500 + $3,000): the sale counts $5,500 of long-term gain.
        let t = rebalance(
            "125",
            json!([lot("100", "15800.00", "2024-01-10"), lot("100", "10000.00", "2024-01-11"), lot("100", "9500.00", "2024-01-12")]),
            json!([lot("250", "31250.00", "2026-11-10")]),
            ("54.545455", "45.454545"),
            "2026-11-24",
        );
        let sale = sale_of_x(&t);
        let parts: Vec<(Decimal, Decimal)> = sale.lots.iter().map(|l| (l.gain, l.disallowed_loss)).collect();
        assert_eq!(parts, [(d("-3300.00"), d("3300.00")), (d("2500.00"), d("0")), (d("3000.00"), d("0"))]);
        assert_eq!(sale.long_term_gain, d("5500.00"));
        assert_eq!(sale.estimated_tax, d("1100.00"));
        assert_eq!(
            b_lots(&t),
            [(d("100"), d("15800.00"), "2023-12-27".to_owned()), (d("150"), d("18750.00"), "2026-11-10".to_owned())]
        );
    }

    fn no_replacement_no_wash_sale() {
        // The rest of the lot the shares come from is no replacement, and nothing bought
        // more than 30 days before the sale is one either.
        let t = rebalance(
            "7.50",
            json!([lot("100", "1000.00", "2025-03-03")]),
            json!([lot("100", "800.00", "2026-10-24")]),
            ("50", "50"),
            "2026-11-24",
        );
        assert_eq!(sale_of_x(&t).lots[0].disallowed_loss, d("0"));
        assert_eq!(t.long_term_gain, d("-250.00"));
        assert_eq!(b_lots(&t), [(d("100"), d("800.00"), "2026-10-24".to_owned())]);
    }

    fn holding_periods_count_from_the_day_after_acquisition() {
        // Pub. 550: more than one year, counted from the day after acquisition. Sold on
        // 2026-11-24: a lot bought 2025-11-24 is short-term, one bought 2025-11-23 long.
        let t = rebalance(
            "12",
            json!([lot("10", "100.00", "2025-11-24"), lot("10", "100.00", "2025-11-23")]),
            json!([lot("20", "100.00", "2020-01-02")]),
            ("50", "50"),
            "2026-11-24",
        );
        let terms: Vec<(String, Term)> = sale_of_x(&t).lots.iter().map(|l| (l.acquired.to_string(), l.term)).collect();
        assert_eq!(terms, [("2025-11-23".to_owned(), Term::Long), ("2025-11-24".to_owned(), Term::Short)]);
        // Across a leap day: 2023-03-01 to 2024-03-01 is 366 days, and still short-term.
        let t = rebalance(
            "12",
            json!([lot("10", "100.00", "2023-03-01")]),
            json!([lot("10", "100.00", "2020-01-02")]),
            ("50", "50"),
            "2024-03-01",
        );
        assert_eq!(sale_of_x(&t).lots[0].term, Term::Short);
        let t = rebalance(
            "12",
            json!([lot("10", "100.00", "2023-03-01")]),
            json!([lot("10", "100.00", "2020-01-02")]),
            ("50", "50"),
            "2024-03-02",
        );
        assert_eq!(sale_of_x(&t).lots[0].term, Term::Long);
    }

    fn the_specific_lots_are_sold_first_and_average_cost_averages() {
        // 200 X at $10 in a 50/50 model of X and Y: 100 X are sold. Highest cost sells the
        // $12 lot (a $200 loss); `specific` names the $5 lot (a $500 gain); average cost
        // sells the oldest shares at the average $8.50 (a $150 gain).
        let sold = |lots: Value| -> (Vec<Option<String>>, Decimal, Option<Decimal>) {
            let t = one_sleeve(lots);
            let sale = t.orders().find(|o| o.symbol == "X").unwrap();
            (sale.lots.iter().map(|l| l.id.clone()).collect(), sale.long_term_gain, t.tax_saved)
        };
        let (ids, gain, saved) = sold(json!({"lots": "highest_cost"}));
        assert_eq!((ids, gain), (vec![Some("new".to_owned())], d("-200.00")));
        // A tax-blind rebalance (first in, first out) would realize the $500 gain: $100 of
        // tax at 20%, against a $40 saving here.
        assert_eq!(saved, Some(d("140.00")));
        let (ids, gain, saved) = sold(json!({"lots": "specific", "specific": ["old"]}));
        assert_eq!((ids, gain, saved), (vec![Some("old".to_owned())], d("500.00"), Some(d("0.00"))));
        let (ids, gain, _) = sold(json!({"lots": "average"}));
        assert_eq!((ids, gain), (vec![Some("old".to_owned())], d("150.00")));
        // A name that is no lot is refused.
        let err = Scenario::from_json(&one_sleeve_json(json!({"lots": "specific", "specific": ["gone"]})).to_string());
        assert_eq!(err.unwrap_err().to_string(), "account.mandates.tax.specific[0]: no lot of the account has the id \"gone\"");
    }

    fn the_alerts_list_what_may_not_be_bought_yet() {
        let mut value = one_sleeve_json(json!({"lots": "fifo"}));
        value["account"]["recent_trades"] = json!([
            {"symbol": "Z", "side": "sell", "date": "2026-11-20", "gain": "-500"},
            {"symbol": "W", "side": "sell", "date": "2026-10-20", "gain": "-500"},
            {"symbol": "V", "side": "sell", "date": "2026-11-21", "gain": "300"}
        ]);
        let scenario = Scenario::from_json(&value.to_string()).unwrap();
        let alerts: Vec<String> = uma_engine::drift(&scenario)
            .unwrap()
            .alerts
            .into_iter()
            .filter(|a| a.kind == uma_engine::AlertKind::WashSale)
            .map(|a| a.text)
            .collect();
        assert_eq!(alerts, ["Z was sold at a loss of $500.00 on 2026-11-20: buying it before 2026-12-21 would be a wash sale."]);
    }
}

/// One sleeve whose model is half X, half Y, holding 200 X at $10 in two lots: `old` (100
/// shares for $500, 2020) and `new` (100 for $1,200, 2024), under `tax` settings.
fn one_sleeve_json(tax: Value) -> Value {
    let mut settings = json!({"enabled": true, "short_term_rate": "37", "long_term_rate": "20"});
    for (k, v) in tax.as_object().unwrap() {
        settings[k] = v.clone();
    }
    json!({
        "version": 2,
        "strategy": {
            "models": [{"id": "a", "target": "100", "securities": [{"symbol": "X", "weight": "50"}, {"symbol": "Y", "weight": "50"}]}],
            "band": {"kind": "absolute", "width": "5"},
            "range": {"mode": "target"}
        },
        "account": {
            "as_of": "2026-11-24",
            "prices": {"X": "10", "Y": "1"},
            "mandates": {"tax": settings},
            "sleeves": [{"model": "a", "holdings": [{"symbol": "X", "shares": "200", "lots": [
                {"id": "old", "shares": "100", "cost_basis": "500.00", "acquired": "2020-01-02"},
                {"id": "new", "shares": "100", "cost_basis": "1200.00", "acquired": "2024-01-02"}
            ]}]}]
        }
    })
}

fn one_sleeve(tax: Value) -> Tactical {
    let scenario = Scenario::from_json(&one_sleeve_json(tax).to_string()).unwrap_or_else(|e| panic!("{e}"));
    uma_engine::rebalance(&scenario).unwrap().tactical.unwrap()
}
