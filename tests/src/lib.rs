//! Shared scenario files for the cross-crate tests, embedded at compile time so that the
//! same tests run natively and compiled to wasm in headless Chromium (where there is no
//! file system).

use uma_engine::Scenario;

/// The white paper's worked example: Large / Mid / Small Cap at 35 / 46 / 19 against
/// 30 / 50 / 20 targets, 10% relative bands (Small Cap: 2 points absolute), interior
/// range halfway.
pub const PAPER_THREE_MODELS: &str = include_str!("../scenarios/paper-three-models.json");

/// The white paper's 70/30 strategy with 8% relative bands, drifted to 77/23, target range.
pub const PAPER_SEVENTY_THIRTY: &str = include_str!("../scenarios/paper-seventy-thirty.json");

/// A 10% cash target with no cash: models at their band edges and one over it.
pub const CASH_TARGET_RAISE: &str = include_str!("../scenarios/cash-target-raise.json");

/// A $5,000 deposit into an account whose models are all in band; band range.
pub const DEPOSIT: &str = include_str!("../scenarios/deposit.json");

/// Five sleeves with a 2% cash target and 5/25 bands, Emerging Markets over its band.
pub const BALANCED_FIVE: &str = include_str!("../scenarios/balanced-five.json");

/// Seven sleeves with a 1% cash target, relative 20 bands with a 1-point floor.
pub const GROWTH_SEVEN: &str = include_str!("../scenarios/growth-seven.json");

/// The paper's 70/30 strategy on target, band range: the simulation tests' account.
pub const SEVENTY_THIRTY_ON_TARGET: &str = include_str!("../scenarios/paper-seventy-thirty-on-target.json");

/// The paper's three-model case security by security (scenario format 2): Large Cap holds
/// LCG and LCV (60/40, with tax lots), Mid Cap MID, Small Cap SML.
pub const HOLDINGS_THREE_SLEEVES: &str = include_str!("../scenarios/holdings-three-sleeves.json");

/// Every shared scenario, by file name.
pub const ALL: [(&str, &str); 8] = [
    ("paper-three-models.json", PAPER_THREE_MODELS),
    ("paper-seventy-thirty.json", PAPER_SEVENTY_THIRTY),
    ("cash-target-raise.json", CASH_TARGET_RAISE),
    ("deposit.json", DEPOSIT),
    ("balanced-five.json", BALANCED_FIVE),
    ("growth-seven.json", GROWTH_SEVEN),
    ("paper-seventy-thirty-on-target.json", SEVENTY_THIRTY_ON_TARGET),
    ("holdings-three-sleeves.json", HOLDINGS_THREE_SLEEVES),
];

/// Parses one of the scenarios above; they are valid by construction, so a failure is a
/// bug in the file and panics with the engine's message.
pub fn scenario(text: &str) -> Scenario {
    Scenario::from_json(text).unwrap_or_else(|e| panic!("a shared scenario is invalid: {e}"))
}

/// Declares each test to run natively (`#[test]`) and, compiled to wasm, in headless
/// Chromium (`#[wasm_bindgen_test]`).
#[macro_export]
macro_rules! both {
    ($(fn $name:ident() $body:block)*) => {$(
        #[cfg_attr(not(target_arch = "wasm32"), test)]
        #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
        fn $name() $body
    )*};
}
