use uma_engine::*;
#[test]
fn idem2() {
    let mut stats = std::collections::BTreeMap::<String, usize>::new();
    let mut ex = std::collections::BTreeMap::<String, usize>::new();
    for k in 0..6005 {
        let Ok(text) = std::fs::read_to_string(format!("/tmp/cases/{k}.json")) else { continue };
        let s = Scenario::from_json(&text).unwrap();
        let r = rebalance(&s).unwrap();
        let Ok(next) = Scenario::from_json(&r.apply_to(&s).to_json()) else { continue };
        let r2 = rebalance(&next).unwrap();
        if !r2.traded.is_zero() {
            continue;
        }
        let Some(t) = r2.tactical.as_ref() else { continue };
        let mut seen = std::collections::BTreeSet::new();
        for o in t.orders() {
            let key = format!(
                "{:?} {:?} frac={}",
                o.side,
                o.reason,
                s.strategy.models.iter().find(|m| m.id == o.sleeve).map(|m| m.tactical.fractional).unwrap_or(false)
            );
            if seen.insert(key.clone()) {
                *stats.entry(key.clone()).or_default() += 1;
                ex.entry(key).or_insert(k);
            }
        }
    }
    eprintln!("{stats:#?}\n{ex:?}");
}
