//! Scenarios to start from. They are the shared scenario files under `tests/scenarios/`,
//! embedded at compile time, so the page, the CLI examples and the tests use the same data.

/// A named scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    /// A short stable key, used in element ids and tests.
    pub key: &'static str,
    /// What an advisor sees in the list.
    pub label: &'static str,
    /// The scenario as JSON.
    pub json: &'static str,
}

/// Every preset; the first opens by default.
pub const PRESETS: [Preset; 4] = [
    Preset {
        key: "paper-three-models",
        label: "White paper: three models, interior range halfway",
        json: include_str!("../../tests/scenarios/paper-three-models.json"),
    },
    Preset {
        key: "paper-seventy-thirty",
        label: "White paper: 70/30 with 8% relative bands",
        json: include_str!("../../tests/scenarios/paper-seventy-thirty.json"),
    },
    Preset {
        key: "cash-target-raise",
        label: "Raising a 10% cash target",
        json: include_str!("../../tests/scenarios/cash-target-raise.json"),
    },
    Preset {
        key: "deposit",
        label: "Investing a $5,000 deposit",
        json: include_str!("../../tests/scenarios/deposit.json"),
    },
];

/// The preset with `key`, if any.
pub fn find(key: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.key == key)
}
