use uma_engine::*;
#[test]
fn idem() {
    let mut stats = std::collections::BTreeMap::<String, usize>::new();
    let mut shown = 0;
    for k in 0..6005 {
        let Ok(text) = std::fs::read_to_string(format!("/tmp/cases/{k}.json")) else { continue };
        let s = Scenario::from_json(&text).unwrap();
        let r = rebalance(&s).unwrap();
        let next = r.apply_to(&s);
        let next = match Scenario::from_json(&next.to_json()) {
            Ok(n) => n,
            Err(e) => {
                *stats.entry(format!("invalid: {e}")).or_default() += 1;
                continue;
            }
        };
        let r2 = rebalance(&next).unwrap();
        let trades: Vec<&Order> = r2.tactical.as_ref().map(|t| t.orders().collect()).unwrap_or_default();
        let strategic = r2.traded;
        let key = format!("strategic {} tactical {}", !strategic.is_zero(), !trades.is_empty());
        *stats.entry(key).or_default() += 1;
        if !trades.is_empty() && shown < 4 && r2.traded.is_zero() {
            shown += 1;
            eprintln!(
                "case {k}: {}",
                trades
                    .iter()
                    .map(|o| format!("{} {:?} {} {} ({:?})", o.sleeve, o.side, o.shares, o.symbol, o.reason))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
    }
    eprintln!("{stats:#?}");
}
