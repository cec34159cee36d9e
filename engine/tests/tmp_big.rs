use uma_engine::*;
#[test]
fn big() {
    let mut panics = 0;
    let mut errs = 0;
    let mut ok = 0;
    let mut msgs = std::collections::BTreeMap::<String, usize>::new();
    std::panic::set_hook(Box::new(|_| {}));
    for k in 0..6005 {
        let Ok(text) = std::fs::read_to_string(format!("/tmp/cases/{k}.json")) else { continue };
        let mut s = Scenario::from_json(&text).unwrap();
        let total: Decimal = s.sleeve_values().iter().copied().sum::<Decimal>() + s.account.cash;
        if total.is_zero() {
            continue;
        }
        let factor = (Decimal::from(600_000_000_000_000i64) / total).round();
        s.account.cash *= factor;
        s.account.cash = s.account.cash.round_dp(2);
        for sl in &mut s.account.sleeves {
            sl.cash = (sl.cash * factor).round_dp(2);
            sl.value = Decimal::ZERO;
            for h in &mut sl.holdings {
                h.shares *= factor;
                h.shares = h.shares.round_dp(6);
                for l in &mut h.lots {
                    l.shares *= factor;
                    l.shares = l.shares.round_dp(6);
                    l.cost_basis = (l.cost_basis * factor).round_dp(2);
                }
                let sum: Decimal = h.lots.iter().map(|l| l.shares).sum();
                if !h.lots.is_empty() {
                    h.shares = sum;
                }
            }
        }
        for m in &mut s.strategy.models {
            m.tactical.min_trade *= factor;
            m.tactical.min_opening_trade *= factor;
        }
        let s = match Scenario::from_json(&s.to_json()) {
            Ok(s) => s,
            Err(e) => {
                errs += 1;
                *msgs.entry(e.to_string().chars().take(60).collect()).or_default() += 1;
                continue;
            }
        };
        match std::panic::catch_unwind(|| rebalance(&s)) {
            Ok(_) => ok += 1,
            Err(e) => {
                panics += 1;
                let m = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                *msgs.entry(format!("PANIC {m}")).or_default() += 1;
                if panics < 3 {
                    std::fs::write(format!("/tmp/bigpanic{panics}.json"), s.to_json()).unwrap();
                }
            }
        }
    }
    let _ = std::panic::take_hook();
    eprintln!("ok {ok} errs {errs} panics {panics}\n{msgs:#?}");
}
