//! A demo book of business: three strategies (conservative, balanced, growth) and any
//! number of seeded synthetic accounts, each drifted by its own seeded market since its
//! own last rebalance.
//!
//! - The strategies are fixed (the book file is the same for every seed): conservative
//!   (five models, 5% cash, the 5/25 rule, rebalanced to the band edge), balanced (six
//!   models, 3% cash, relative 20% bands, interior 50%) and growth (ten models, 2% cash,
//!   absolute 3-point bands, to target). About 30% of the accounts are conservative, 45%
//!   balanced and 25% growth.
//! - An account's size is log-normal around $300,000 (from $20,000 to $30 million), as
//!   books spread; it was last rebalanced to target 1 to 24 months ago; since then each
//!   model has moved month by month with its own expected return and volatility and a
//!   shared market factor (bonds barely share it); about one account in seven has had a
//!   deposit land in cash since.
//! - Account `i` draws from its own stream of the seeded generator (ChaCha8, stream `i`),
//!   and the arithmetic is `libm`'s: a seed gives the same book natively and in wasm, and
//!   any account can be made without the ones before it.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::account::{Account, Sleeve};
use crate::band::{Band, BandSide};
use crate::batch::accounts::AccountRecord;
use crate::batch::book_file::{Book, BookStrategy};
use crate::strategy::{Model, Range, Strategy};
use crate::through_time::random_market::normal_pair;

/// A model of the demo book: id, name, annual expected return, annual volatility, and its
/// loading on the shared market factor.
const MODELS: [(&str, &str, f64, f64, f64); 12] = [
    ("us_large", "US Large Cap", 0.08, 0.16, 0.9),
    ("us_large_growth", "US Large Growth", 0.085, 0.18, 0.9),
    ("us_large_value", "US Large Value", 0.075, 0.15, 0.85),
    ("us_mid", "US Mid Cap", 0.09, 0.19, 0.9),
    ("us_small", "US Small Cap", 0.095, 0.22, 0.85),
    ("intl_dev", "International Developed", 0.07, 0.17, 0.8),
    ("emerging", "Emerging Markets", 0.085, 0.24, 0.75),
    ("reit", "Real Estate", 0.075, 0.20, 0.6),
    ("core_bond", "Core Bond", 0.04, 0.055, 0.1),
    ("short_bond", "Short-Term Bond", 0.03, 0.02, 0.05),
    ("high_yield", "High Yield", 0.055, 0.09, 0.5),
    ("tips", "Inflation-Protected", 0.035, 0.05, 0.1),
];

/// A strategy of the demo book: id, name, cash target, band, range, and (model, target)
/// pairs.
type DemoStrategy = (&'static str, &'static str, Decimal, Band, Range, Vec<(&'static str, Decimal)>);

/// The strategies of the demo book.
fn strategies() -> Vec<DemoStrategy> {
    let five_twenty_five = Band::uniform(BandSide { cap: Some(dec!(5)), ..BandSide::relative(dec!(25)) });
    vec![
        (
            "conservative",
            "Conservative",
            dec!(5),
            five_twenty_five,
            Range::Band,
            vec![
                ("core_bond", dec!(40)),
                ("short_bond", dec!(20)),
                ("us_large", dec!(20)),
                ("intl_dev", dec!(10)),
                ("reit", dec!(5)),
            ],
        ),
        (
            "balanced",
            "Balanced",
            dec!(3),
            Band::relative(dec!(20)),
            Range::interior(dec!(50)),
            vec![
                ("us_large", dec!(30)),
                ("us_mid", dec!(10)),
                ("us_small", dec!(7)),
                ("intl_dev", dec!(15)),
                ("core_bond", dec!(30)),
                ("reit", dec!(5)),
            ],
        ),
        (
            "growth",
            "Growth",
            dec!(2),
            Band::absolute(dec!(3)),
            Range::Target,
            vec![
                ("us_large_growth", dec!(18)),
                ("us_large_value", dec!(15)),
                ("us_mid", dec!(12)),
                ("us_small", dec!(8)),
                ("intl_dev", dec!(15)),
                ("emerging", dec!(8)),
                ("reit", dec!(5)),
                ("core_bond", dec!(10)),
                ("high_yield", dec!(4)),
                ("tips", dec!(3)),
            ],
        ),
    ]
}

/// The demo book's strategies: the same for every seed.
///
/// # Examples
///
/// ```
/// let book = uma_engine::demo_book();
/// assert_eq!(book.ids(), "conservative, balanced, growth");
/// assert!(book.validate().is_ok());
/// ```
pub fn demo_book() -> Book {
    let strategies = strategies()
        .into_iter()
        .map(|(id, name, cash_target, band, range, models)| {
            let models = models.into_iter().map(|(m, target)| Model::new(m, model_name(m), target)).collect();
            BookStrategy::new(id, name, Strategy { models, cash_target, band, range, step: Decimal::ONE })
        })
        .collect();
    Book { strategies }
}

fn model_name(id: &str) -> &'static str {
    MODELS.iter().find(|m| m.0 == id).map_or("", |m| m.1)
}

/// Dollars (a float) as a decimal to the cent.
fn cents(x: f64) -> Decimal {
    Decimal::new(libm::round(x * 100.0) as i64, 2)
}

/// Account `index` (from 0) of the demo book seeded with `seed`; its id is `A` and the
/// index from 1 in seven digits (`A0000001`).
///
/// # Examples
///
/// ```
/// let a = uma_engine::demo_account(7, 0);
/// assert_eq!(a.id, "A0000001");
/// assert_eq!(a, uma_engine::demo_account(7, 0), "a seed gives one book");
/// assert_ne!(a, uma_engine::demo_account(8, 0));
/// ```
pub fn demo_account(seed: u64, index: u64) -> AccountRecord {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index);
    // A uniform draw in (0, 1]: 53 random bits, never 0 so its log is finite.
    let mut uniform = move || ((rng.next_u64() >> 11) as f64 + 1.0) * (1.0 / (1u64 << 53) as f64);
    let all = strategies();
    let pick = uniform();
    let (id, _, cash_target, _, _, models) = &all[if pick < 0.30 {
        0
    } else if pick < 0.75 {
        1
    } else {
        2
    }];
    let (z, _) = normal_pair(&mut uniform);
    let size = (300_000.0 * libm::exp(1.2 * z)).clamp(20_000.0, 30_000_000.0);
    let weight = |d: Decimal| crate::money::to_f64(d) / 100.0;
    let mut values: Vec<f64> = models.iter().map(|(_, t)| size * weight(*t)).collect();
    let mut cash = size * weight(*cash_target);
    let months = 1 + (uniform() * 24.0) as usize % 24;
    let params: Vec<(f64, f64, f64)> = models
        .iter()
        .map(|(m, _)| MODELS.iter().find(|x| x.0 == *m).map_or((0.0, 0.0, 0.0), |x| (x.2, x.3, x.4)))
        .collect();
    let dt: f64 = 1.0 / 12.0;
    for _ in 0..months {
        let (market, _) = normal_pair(&mut uniform);
        for (value, &(mu, sigma, beta)) in values.iter_mut().zip(&params) {
            let (own, _) = normal_pair(&mut uniform);
            let shock = beta * market + libm::sqrt(1.0 - beta * beta) * own;
            *value *= libm::exp((mu - sigma * sigma / 2.0) * dt + sigma * libm::sqrt(dt) * shock);
        }
    }
    if uniform() < 0.15 {
        cash += size * (0.02 + 0.13 * uniform());
    }
    let sleeves = models.iter().zip(&values).map(|((m, _), v)| Sleeve::valued(m, cents(*v))).collect();
    let account = Account { cash: cents(cash), sleeves, ..Account::default() };
    AccountRecord::new(&format!("A{:07}", index + 1), id, account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_book_spreads_as_books_do() {
        let book = demo_book();
        let accounts: Vec<AccountRecord> = (0..2000).map(|i| demo_account(42, i)).collect();
        let mut by_strategy = [0usize; 3];
        let mut sizes: Vec<Decimal> = Vec::new();
        for a in &accounts {
            let s = book.find(&a.strategy).expect("every account's strategy is in the book");
            by_strategy[s] += 1;
            let total: Decimal = a.account.sleeves.iter().map(|s| s.value).sum::<Decimal>() + a.account.cash;
            sizes.push(total);
            assert_eq!(a.account.sleeves.len(), book.strategies[s].strategy.models.len());
        }
        // About 30/45/25, sizes from tens of thousands to millions.
        assert!(by_strategy.iter().zip([600, 900, 500]).all(|(n, e)| n.abs_diff(e) < 120), "{by_strategy:?}");
        sizes.sort();
        assert!(sizes[0] < dec!(50000) && sizes[sizes.len() - 1] > dec!(3000000), "{} {}", sizes[0], sizes[1999]);
        assert!(sizes[1000] > dec!(200000) && sizes[1000] < dec!(450000), "median {}", sizes[1000]);
    }
}
