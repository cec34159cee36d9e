//! The book of business in the engine as the browser runs it: the shipped 500-account
//! demo book (`tests/book/accounts-500.jsonl`, written by `uma book --accounts 500 --seed
//! 2026`) is made again from its seed, account for account, and the golden book's
//! accounts batch to their single-account rebalances. Runs natively and in headless
//! Chromium, so the seeded generator is shown identical in both.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use uma_engine::{demo_account, demo_book, read_account_line, Batch, Book, Scenario, Summary};

const DEMO: &str = include_str!("../book/accounts-500.jsonl");
const DEMO_BOOK: &str = include_str!("../book/book.json");
const GOLDEN_BOOK: &str = include_str!("../book/golden-book.json");
const GOLDEN: &str = include_str!("../book/golden-accounts.jsonl");

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_demo_book_is_the_same_from_its_seed() {
    assert_eq!(Book::from_json(DEMO_BOOK).unwrap(), demo_book());
    for (i, line) in DEMO.lines().enumerate() {
        assert_eq!(demo_account(2026, i as u64).to_json_line(), line, "account {}", i + 1);
    }
    assert_eq!(DEMO.lines().count(), 500);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_golden_book_batches_to_each_accounts_rebalance() {
    let book = Book::from_json(GOLDEN_BOOK).unwrap();
    let mut batch = Batch::new(&book, true);
    let mut summary = Summary::new(&book);
    for (i, line) in GOLDEN.lines().enumerate() {
        let outcome = read_account_line(line, i + 1).and_then(|record| {
            let strategy = book.find(&record.strategy).map(|s| book.strategies[s].strategy.clone());
            let alone = strategy.map(|strategy| {
                uma_engine::rebalance(&Scenario { version: 2, strategy, account: record.account.clone() }).unwrap()
            });
            let outcome = batch.run(record);
            if let (Ok(line), Some(alone)) = (&outcome, alone) {
                let values: Vec<_> = line.models.iter().map(|m| (m.value_after, m.trade)).collect();
                assert_eq!(values, alone.models.iter().map(|m| (m.value_after, m.trade)).collect::<Vec<_>>());
                let texts: Vec<_> = line.steps.iter().map(|s| s.text.clone().unwrap()).collect();
                assert_eq!(texts, alone.steps.iter().map(|s| s.text.clone()).collect::<Vec<_>>());
                assert_eq!(line.tactical, alone.tactical);
            }
            outcome
        });
        summary.add(&outcome);
    }
    summary.finish();
    assert_eq!((summary.accounts, summary.rebalanced, summary.triggered), (7, 5, 4));
    assert_eq!(summary.traded, rust_decimal_macros::dec!(40000.00));
}
