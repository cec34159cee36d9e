//! The market a strategy runs through, and how the run looks at its bands: the history
//! shipped with the project, a seeded random market, or a person's prices file; the look
//! frequency, the policy and a trading cost.
//!
//! The settings are plain signals; the market (a [`Market`]) and its path are memos of
//! them and of the strategy's models, so adding a model gives it a column or random
//! assumptions at once.

use std::collections::BTreeMap;

use leptos::prelude::*;
use uma_engine::{
    suggest_columns, uniform_correlation, Decimal, Frequency, Look, MarketPath, Policy, RandomMarket, RandomModel,
    Scenario,
};

use crate::jobs::Market;
use crate::ui::fields::NumberField;
use crate::ui::files::on_file;
use crate::ui::numbers::{to_decimal, to_f64, whole};

/// Monthly total-return indices of US stocks by size and value, and T-bills, 1949–2017.
pub const HISTORY: &str = include_str!("../../../data/french-size-value-1949-2017.csv");

/// Where [`HISTORY`] comes from, as the page credits it.
pub const HISTORY_CREDIT: &str = "US large and small stocks, growth and value, and one-month T-bills: monthly \
     total returns 1949–2017 from Kenneth R. French's Data Library (free with attribution), as shipped in the \
     linearmodels package (NCSA licence).";

/// Where the prices come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// [`HISTORY`].
    History,
    /// A seeded random market.
    Random,
    /// A prices file the person chose.
    Upload,
}

/// A prices file read from the person's disk.
#[derive(Debug, Clone, PartialEq)]
pub struct Upload {
    /// The file's name.
    pub name: String,
    /// Its text.
    pub csv: String,
}

/// The random market's settings; each model's assumptions default to
/// [`RandomModel::suggested`].
#[derive(Debug, Clone, PartialEq)]
pub struct RandomSettings {
    /// The seed.
    pub seed: u64,
    /// Years of market.
    pub years: u32,
    /// Daily or monthly steps.
    pub frequency: Frequency,
    /// The correlation between every two models.
    pub correlation: f64,
    /// Expected return and volatility (fractions) set by the person, by model id.
    pub assumptions: BTreeMap<String, (f64, f64)>,
}

impl Default for RandomSettings {
    fn default() -> Self {
        RandomSettings {
            seed: 2020,
            years: 30,
            frequency: Frequency::Daily,
            correlation: 0.6,
            assumptions: BTreeMap::new(),
        }
    }
}

impl RandomSettings {
    /// The random market for models `(id, name)`.
    pub fn market(&self, models: &[(String, String)]) -> RandomMarket {
        RandomMarket {
            models: models
                .iter()
                .map(|(id, name)| match self.assumptions.get(id) {
                    Some(&(expected_return, volatility)) => RandomModel { id: id.clone(), expected_return, volatility },
                    None => RandomModel::suggested(id, name),
                })
                .collect(),
            correlation: uniform_correlation(models.len(), self.correlation),
            frequency: self.frequency,
            periods: self.years as usize * self.frequency.periods_per_year() as usize,
            start: self.frequency.default_start(),
            seed: self.seed,
        }
    }
}

/// The market settings, provided as a context by [`crate::panel::through_time::ThroughTime`].
#[derive(Clone, Copy)]
pub struct MarketSettings {
    /// Where the prices come from.
    pub source: RwSignal<Source>,
    /// The person's prices file, once read.
    pub upload: RwSignal<Option<Upload>>,
    /// The column each model follows, where the person chose one.
    pub columns: RwSignal<BTreeMap<String, String>>,
    /// The random market's settings.
    pub random: RwSignal<RandomSettings>,
    /// When the bands are checked.
    pub look: RwSignal<Look>,
    /// What a check does.
    pub policy: RwSignal<Policy>,
    /// Trading cost, basis points.
    pub cost_bps: RwSignal<Decimal>,
    /// The settled scenario's models, `(id, name)`.
    pub models: Memo<Vec<(String, String)>>,
    /// The columns of the chosen prices (history or file).
    pub data_columns: Memo<Result<Vec<String>, String>>,
    /// The column each model follows: the person's choice, else the suggestion.
    pub assignment: Memo<Vec<(String, String)>>,
    /// The market.
    pub market: Memo<Result<Market, String>>,
    /// Its path, one column per model.
    pub path: Memo<Result<MarketPath, String>>,
}

impl MarketSettings {
    /// Settings following `scenario`'s models.
    pub fn new(scenario: Signal<Scenario>) -> MarketSettings {
        let source = RwSignal::new(Source::History);
        let upload = RwSignal::new(None::<Upload>);
        let columns = RwSignal::new(BTreeMap::new());
        let random = RwSignal::new(RandomSettings::default());
        let models = Memo::new(move |_| -> Vec<(String, String)> {
            scenario.with(|s| s.strategy.models.iter().map(|m| (m.id.clone(), m.label().to_owned())).collect())
        });
        let data_columns = Memo::new(move |_| {
            let header = |csv: &str| -> Result<Vec<String>, String> {
                MarketPath::from_csv(csv).map(|p| p.models).map_err(|e| e.to_string())
            };
            match source.get() {
                Source::History => header(HISTORY),
                Source::Random => Ok(Vec::new()),
                Source::Upload => upload.with(|u| match u {
                    Some(u) => header(&u.csv),
                    None => {
                        Err("Choose a prices file (CSV): a header `date,<column>,…`, then one row per date.".into())
                    }
                }),
            }
        });
        let assignment = Memo::new(move |_| {
            let available = data_columns.get().unwrap_or_default();
            models.with(|models| {
                let pairs: Vec<(&str, &str)> = models.iter().map(|(id, name)| (id.as_str(), name.as_str())).collect();
                let suggested = suggest_columns(&available, &pairs);
                columns.with(|chosen| {
                    suggested
                        .into_iter()
                        .map(|(id, column)| match chosen.get(&id).filter(|c| available.contains(c)) {
                            Some(c) => (id, c.clone()),
                            None => (id, column),
                        })
                        .collect()
                })
            })
        });
        let market = Memo::new(move |_| match source.get() {
            Source::History => Ok(Market::Prices { csv: HISTORY.to_owned(), columns: assignment.get() }),
            Source::Upload => {
                data_columns.get()?;
                let csv = upload.with(|u| u.as_ref().map(|u| u.csv.clone())).unwrap_or_default();
                Ok(Market::Prices { csv, columns: assignment.get() })
            }
            Source::Random => Ok(Market::Random(random.with(|r| models.with(|m| r.market(m))))),
        });
        let path = Memo::new(move |_| market.with(|m| m.as_ref().map_err(Clone::clone).and_then(Market::path)));
        MarketSettings {
            source,
            upload,
            columns,
            random,
            look: RwSignal::new(Look::Monthly),
            policy: RwSignal::new(Policy::Strategic),
            cost_bps: RwSignal::new(Decimal::ZERO),
            models,
            data_columns,
            assignment,
            market,
            path,
        }
    }

    /// The random market for the current models, whatever the source: what Monte Carlo
    /// draws its paths from.
    pub fn random_market(&self) -> RandomMarket {
        self.random.with(|r| self.models.with(|m| r.market(m)))
    }
}

/// The settings, from the context.
///
/// # Panics
///
/// Outside [`crate::panel::through_time::ThroughTime`], which provides them.
pub fn market_settings() -> MarketSettings {
    expect_context::<MarketSettings>()
}

fn look_label(look: Look) -> &'static str {
    match look {
        Look::Daily => "Every period of the data",
        Look::Weekly => "Weekly",
        Look::Biweekly => "Every two weeks",
        Look::Monthly => "Monthly",
        Look::Quarterly => "Quarterly",
        Look::Annually => "Annually",
    }
}

/// A policy in words, for lists and titles.
pub fn policy_label(policy: Policy) -> &'static str {
    match policy {
        Policy::Strategic => "This strategy's rebalance (its range mode) when a band breaks",
        Policy::Full => "Full: every model to target when a band breaks",
        Policy::Calendar => "Calendar: every model to target at every look",
        Policy::Never => "Never: buy and hold",
    }
}

/// The market, look, policy and cost controls.
#[component]
pub fn MarketControls() -> impl IntoView {
    let settings = market_settings();
    let source_value = move || match settings.source.get() {
        Source::History => "history",
        Source::Random => "random",
        Source::Upload => "upload",
    };
    let set_source = move |value: String| {
        let source = match value.as_str() {
            "random" => Source::Random,
            "upload" => Source::Upload,
            _ => Source::History,
        };
        settings.source.set(source);
    };
    view! {
        <div class="market-controls" data-testid="market-controls">
            <label class="field">
                <span class="field-label">"Market"</span>
                <select data-testid="market-source" prop:value=source_value on:change:target=move |ev| set_source(ev.target().value())>
                    <option value="history">"History: US stocks and T-bills, 1949–2017 (monthly)"</option>
                    <option value="random">"Random market (seeded)"</option>
                    <option value="upload">"Your prices (CSV file)"</option>
                </select>
            </label>
            <label class="field">
                <span class="field-label">"Check the bands"</span>
                <select
                    data-testid="look"
                    prop:value=move || settings.look.get().name()
                    on:change:target=move |ev| {
                        if let Some(look) = Look::from_name(&ev.target().value()) {
                            settings.look.set(look);
                        }
                    }
                >
                    {Look::ALL.map(|look| view! { <option value=look.name()>{look_label(look)}</option> }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span class="field-label">"Policy"</span>
                <select
                    data-testid="policy"
                    prop:value=move || settings.policy.get().name()
                    on:change:target=move |ev| {
                        if let Some(policy) = Policy::from_name(&ev.target().value()) {
                            settings.policy.set(policy);
                        }
                    }
                >
                    {Policy::ALL.map(|p| view! { <option value=p.name()>{policy_label(p)}</option> }).collect_view()}
                </select>
            </label>
            <NumberField
                label="Trading cost".into()
                value=settings.cost_bps
                on_change=move |v: Decimal| settings.cost_bps.set(v.max(Decimal::ZERO))
                unit="bps"
                testid="cost-bps"
            />
        </div>
        {move || match settings.source.get() {
            Source::History => {
                view! {
                    <p class="credit" data-testid="history-credit">{HISTORY_CREDIT}</p>
                    <ColumnMap />
                }
                    .into_any()
            }
            Source::Random => view! { <RandomControls /> }.into_any(),
            Source::Upload => view! { <UploadControls /> }.into_any(),
        }}
    }
}

/// Which column each model follows.
#[component]
fn ColumnMap() -> impl IntoView {
    let settings = market_settings();
    let choose = move |id: String, column: String| {
        settings.columns.update(|c| {
            c.insert(id, column);
        })
    };
    view! {
        {move || {
            let available = settings.data_columns.get().unwrap_or_default();
            let names: BTreeMap<String, String> = settings.models.get().into_iter().collect();
            view! {
                <table class="column-map" data-testid="column-map">
                    <caption>"Each model follows the prices of one column"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Model"</th>
                            <th scope="col">"Follows"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {settings
                            .assignment
                            .get()
                            .into_iter()
                            .map(|(id, column)| {
                                let name = names.get(&id).cloned().unwrap_or_else(|| id.clone());
                                let for_id = id.clone();
                                view! {
                                    <tr>
                                        <th scope="row">{name.clone()}</th>
                                        <td>
                                            <select
                                                aria-label=format!("Prices followed by {name}")
                                                data-testid=format!("column-{id}")
                                                on:change:target=move |ev| choose(for_id.clone(), ev.target().value())
                                            >
                                                {available
                                                    .iter()
                                                    .map(|c| view! { <option value=c.clone() selected=*c == column>{c.clone()}</option> })
                                                    .collect_view()}
                                            </select>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
        }}
    }
}

/// The random market's seed, length, steps, correlation and per-model assumptions.
#[component]
fn RandomControls() -> impl IntoView {
    let settings = market_settings();
    let random = settings.random;
    let reseed = move |_| {
        let seed = (js_sys::Math::random() * 1e9) as u64;
        random.update(|r| r.seed = seed);
    };
    view! {
        <div class="random-controls" data-testid="random-controls">
            <div class="row">
                <NumberField
                    label="Seed".into()
                    value=Signal::derive(move || Decimal::from(random.with(|r| r.seed)))
                    on_change=move |v: Decimal| random.update(|r| r.seed = whole(v).unwrap_or(r.seed))
                    testid="seed"
                />
                <button type="button" on:click=reseed data-testid="new-seed">"New seed"</button>
                <NumberField
                    label="Years".into()
                    value=Signal::derive(move || Decimal::from(random.with(|r| r.years)))
                    on_change=move |v: Decimal| {
                        random.update(|r| r.years = whole::<u32>(v).unwrap_or(r.years).clamp(1, 100))
                    }
                    testid="years"
                />
                <label class="field">
                    <span class="field-label">"Steps"</span>
                    <select
                        data-testid="frequency"
                        prop:value=move || if random.with(|r| r.frequency) == Frequency::Daily { "daily" } else { "monthly" }
                        on:change:target=move |ev| {
                            let frequency = if ev.target().value() == "monthly" { Frequency::Monthly } else { Frequency::Daily };
                            random.update(|r| r.frequency = frequency);
                        }
                    >
                        <option value="daily">"Business days"</option>
                        <option value="monthly">"Month ends"</option>
                    </select>
                </label>
                <label class="field">
                    <span class="field-label">{move || format!("Correlation between models: {:.2}", random.with(|r| r.correlation))}</span>
                    <input
                        type="range"
                        class="slider"
                        min="0"
                        max="0.95"
                        step="0.05"
                        aria-label="Correlation between every two models"
                        data-testid="correlation"
                        prop:value=move || random.with(|r| r.correlation.to_string())
                        on:input:target=move |ev| {
                            if let Ok(rho) = ev.target().value().parse::<f64>() {
                                random.update(|r| r.correlation = rho.clamp(0.0, 0.95));
                            }
                        }
                    />
                </label>
            </div>
            <Assumptions />
        </div>
    }
}

/// Each model's expected return and volatility in the random market.
#[component]
fn Assumptions() -> impl IntoView {
    let settings = market_settings();
    let random = settings.random;
    let market = Memo::new(move |_| settings.random_market());
    view! {
        <table class="assumptions" data-testid="assumptions">
            <caption>"Assumptions per model (annual; illustrative, not a forecast)"</caption>
            <thead>
                <tr>
                    <th scope="col">"Model"</th>
                    <th scope="col">"Expected return"</th>
                    <th scope="col">"Volatility"</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    let names: BTreeMap<String, String> = settings.models.get().into_iter().collect();
                    market
                        .get()
                        .models
                        .into_iter()
                        .map(|m| {
                            let name = names.get(&m.id).cloned().unwrap_or_else(|| m.id.clone());
                            let (id_r, id_v) = (m.id.clone(), m.id.clone());
                            let (r, v) = (m.expected_return, m.volatility);
                            view! {
                                <tr>
                                    <th scope="row">{name.clone()}</th>
                                    <td>
                                        <NumberField
                                            label=format!("Expected return of {name}")
                                            hide_label=true
                                            value=Signal::derive(move || to_decimal(r * 100.0, 2).normalize())
                                            on_change=move |x: Decimal| {
                                                random.update(|s| {
                                                    s.assumptions.insert(id_r.clone(), (to_f64(x) / 100.0, v));
                                                })
                                            }
                                            unit="%"
                                        />
                                    </td>
                                    <td>
                                        <NumberField
                                            label=format!("Volatility of {name}")
                                            hide_label=true
                                            value=Signal::derive(move || to_decimal(v * 100.0, 2).normalize())
                                            on_change=move |x: Decimal| {
                                                random.update(|s| {
                                                    s.assumptions.insert(id_v.clone(), (r, to_f64(x) / 100.0));
                                                })
                                            }
                                            unit="%"
                                        />
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}

/// A prices file from the person's disk.
#[component]
fn UploadControls() -> impl IntoView {
    let settings = market_settings();
    let error = RwSignal::new(None::<String>);
    let read = on_file(move |name, text| load_prices(&settings, &name, text.as_deref(), error));
    view! {
        <div class="upload-controls">
            <label class="file">
                "Prices file (CSV) "
                <input type="file" accept=".csv,text/csv" data-testid="prices-file" on:change=read />
            </label>
            <p class="note">
                "A header `date,<column>,…` and one row per date (YYYY-MM-DD, or YYYY-MM for a month's end) of prices or total-return indices. The file stays in your browser."
            </p>
            {move || error.get().map(|message| view! { <p class="error" role="alert" data-testid="prices-error">{message}</p> })}
            {move || {
                settings
                    .upload
                    .with(|u| u.as_ref().map(|u| u.name.clone()))
                    .map(|name| {
                        let summary = settings.path.with(|p| match p {
                            Ok(p) => format!(
                                "{name}: {} dates from {} to {}.",
                                p.dates.len(),
                                p.dates.first().map(ToString::to_string).unwrap_or_default(),
                                p.dates.last().map(ToString::to_string).unwrap_or_default(),
                            ),
                            Err(_) => name.clone(),
                        });
                        view! { <p class="note" data-testid="prices-summary">{summary}</p> <ColumnMap /> }
                    })
            }}
        </div>
    }
}

/// Reads a prices file's text into the settings, or shows why it cannot be used.
pub fn load_prices(settings: &MarketSettings, name: &str, text: Option<&str>, error: RwSignal<Option<String>>) {
    let Some(text) = text else {
        error.set(Some(format!("{name} could not be read as text.")));
        return;
    };
    match MarketPath::from_csv(text) {
        Ok(_) => {
            error.set(None);
            settings.upload.set(Some(Upload { name: name.to_owned(), csv: text.to_owned() }));
        }
        Err(e) => error.set(Some(format!("{name} cannot be used: {e}"))),
    }
}
