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

/// The paper's three-model case security by security: the securities panel's example.
pub const HOLDINGS_EXAMPLE: &str = include_str!("../../tests/scenarios/holdings-three-sleeves.json");

/// Every preset; the first opens by default.
pub const PRESETS: [Preset; 7] = [
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
        key: "balanced-five",
        label: "Balanced: five sleeves, 2% cash, 5/25 bands",
        json: include_str!("../../tests/scenarios/balanced-five.json"),
    },
    Preset {
        key: "growth-seven",
        label: "Growth: seven sleeves, 1% cash, band range",
        json: include_str!("../../tests/scenarios/growth-seven.json"),
    },
    Preset {
        key: "cash-target-raise",
        label: "Raising a 10% cash target",
        json: include_str!("../../tests/scenarios/cash-target-raise.json"),
    },
    Preset {
        key: "holdings-three-sleeves",
        label: "Securities: the paper's case with holdings, lots and orders",
        json: HOLDINGS_EXAMPLE,
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

/// The preset's scenario. Presets are checked by the tests, so this cannot fail for
/// them; an unknown key gives the first preset.
pub fn scenario(key: &str) -> uma_engine::Scenario {
    let preset = find(key).unwrap_or(&PRESETS[0]);
    uma_engine::Scenario::from_json(preset.json).unwrap_or_else(|e| panic!("preset {} is invalid: {e}", preset.key))
}
